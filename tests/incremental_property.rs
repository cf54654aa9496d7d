//! Property: after any sequence of edits, an incremental rebuild (the one `ldr serve`
//! does) gives exactly the site a clean build gives.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Scratch, repo};
use ldr::Overrides;
use ldr::output::{Contents, OutputFile};
use ldr::pipeline::{BuildOptions, Builder, Built, Changed};
use proptest::prelude::*;

/// The kinds of edit an editor makes.
#[derive(Debug, Clone)]
enum Edit {
    RoadmapText(u8),
    /// Another roadmap, with a link to a footprint that exists or one that does not.
    RoadmapLink(u8),
    DeleteRoadmap,
    RoadmapNotUtf8,
    /// What only alpha's own page shows: its senior responsible owner.
    Governance(u8),
    /// Both roadmaps saved at once, sharing a word or not.
    BothRoadmaps(u8),
    RenameFootprint(u8),
    DropMember,
    AddStory(u8),
    DeleteEvent,
    RenameOrganisation(u8),
    TemplateText(u8),
    MoveBuildDate(u8),
    BreakFootprint,
    RestoreFootprint,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<u8>().prop_map(Edit::RoadmapText),
        any::<u8>().prop_map(Edit::RoadmapLink),
        Just(Edit::DeleteRoadmap),
        Just(Edit::RoadmapNotUtf8),
        any::<u8>().prop_map(Edit::Governance),
        any::<u8>().prop_map(Edit::BothRoadmaps),
        any::<u8>().prop_map(Edit::RenameFootprint),
        Just(Edit::DropMember),
        any::<u8>().prop_map(Edit::AddStory),
        Just(Edit::DeleteEvent),
        any::<u8>().prop_map(Edit::RenameOrganisation),
        any::<u8>().prop_map(Edit::TemplateText),
        any::<u8>().prop_map(Edit::MoveBuildDate),
        Just(Edit::BreakFootprint),
        Just(Edit::RestoreFootprint),
    ]
}

fn apply(site: &Scratch, edit: &Edit) {
    let content = site.content();
    let replace = |path: &str, from: &str, to: &str| {
        let file = content.join(path);
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, text.replacen(from, to, 1)).unwrap();
    };
    match edit {
        Edit::RoadmapText(n) => fs::write(content.join("footprints/beta/roadmap.md"), format!("## Vision\n\nVersion {n}.\n")).unwrap(),
        Edit::RoadmapLink(n) => {
            let target = if n % 4 == 0 { "nowhere" } else { "beta" };
            let text = format!("Word{} and [a link](/footprints/{target}/).\n", n % 5);
            fs::write(content.join("footprints/alpha/roadmap.md"), text).unwrap()
        }
        Edit::Governance(n) => {
            let file = content.join("footprints/alpha/footprint.toml");
            let text = fs::read_to_string(&file).unwrap();
            let line = text.lines().find(|l| l.starts_with("senior_responsible_owner")).unwrap_or("[governance]").to_string();
            fs::write(&file, text.replacen(&line, &format!("senior_responsible_owner = \"Owner{}\"", n % 7), 1)).unwrap()
        }
        Edit::BothRoadmaps(n) => {
            let word = |who: u8| if (n >> who) & 1 == 1 { "Qjshared" } else { "Other" };
            fs::write(content.join("footprints/alpha/roadmap.md"), format!("{} {n}.\n", word(0))).unwrap();
            fs::write(content.join("footprints/beta/roadmap.md"), format!("{} {n}.\n", word(1))).unwrap();
        }
        Edit::DeleteRoadmap => {
            let _ = fs::remove_file(content.join("footprints/beta/roadmap.md"));
        }
        Edit::RoadmapNotUtf8 => fs::write(content.join("footprints/alpha/roadmap.md"), b"caf\xe9\n").unwrap(),
        Edit::RenameFootprint(n) => {
            let file = content.join("footprints/alpha/footprint.toml");
            let text = fs::read_to_string(&file).unwrap();
            let first = text.lines().next().unwrap().to_string();
            fs::write(&file, text.replacen(&first, &format!("name = \"Alpha {n}\""), 1)).unwrap();
        }
        Edit::DropMember => replace("footprints/alpha/footprint.toml", "members = [\"RXF\", \"E08000032\"]", "members = [\"RXF\"]"),
        Edit::AddStory(n) => fs::write(
            content.join(format!("stories/extra-{n}.md")),
            format!("+++\ntitle = \"Extra {n}\"\ndate = 2016-0{}-01\nfootprints = [\"beta\"]\norganisations = [\"RF4\"]\ntags = [\"t{}\"]\n+++\n\nText.\n", 1 + n % 9, n % 3),
        )
        .unwrap(),
        Edit::DeleteEvent => {
            let _ = fs::remove_file(content.join("events/later.md"));
        }
        Edit::RenameOrganisation(n) => {
            let file = content.join("organisations.csv");
            let text = fs::read_to_string(&file).unwrap();
            let renamed: String = text
                .lines()
                .map(|l| if l.starts_with("RF4,") { format!("RF4,Hospitals trust {n},trust,London") } else { l.to_string() })
                .collect::<Vec<_>>()
                .join("\n");
            fs::write(&file, renamed + "\n").unwrap();
        }
        Edit::TemplateText(n) => {
            fs::create_dir_all(content.join("templates")).unwrap();
            let base = fs::read_to_string(repo().join("themes/default/templates/base.html")).unwrap();
            fs::write(content.join("templates/base.html"), base.replace("Skip to main content", &format!("Skip ({n})"))).unwrap();
        }
        Edit::MoveBuildDate(n) => replace("site.toml", "now = 2016-06-01", &format!("now = 2016-06-{:02}", 1 + n % 28)),
        Edit::BreakFootprint => fs::write(content.join("footprints/beta/footprint.toml"), "name = \n").unwrap(),
        Edit::RestoreFootprint => fs::copy(
            repo().join("tests/fixtures/minimal/content/footprints/beta/footprint.toml"),
            content.join("footprints/beta/footprint.toml"),
        )
        .map(|_| ())
        .unwrap(),
    }
}

/// Every file under `dir` and its bytes, to tell which files an edit changed as a watcher would.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

fn changed_paths(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .cloned()
        .collect();
    paths.dedup();
    paths
}

/// `served` with a patch applied, as the preview's snapshot applies it.
fn patched(
    mut served: BTreeMap<String, Vec<u8>>,
    changed: Vec<OutputFile>,
    removed: &[String],
) -> BTreeMap<String, Vec<u8>> {
    for path in removed {
        served.remove(path);
    }
    served.extend(pages_of(&changed));
    served
}

/// The paths whose bytes differ between two sites, or that only one has.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    a.keys()
        .chain(b.keys())
        .filter(|path| a.get(*path) != b.get(*path))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn pages(built: &Built) -> BTreeMap<String, Vec<u8>> {
    pages_of(&built.files)
}

fn pages_of(files: &[OutputFile]) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|f| {
            let bytes = match &f.contents {
                Contents::Bytes(bytes) => bytes.to_vec(),
                Contents::CopyOf(path) => fs::read(path).unwrap(),
                Contents::Written(_) => panic!("a builder for `ldr serve` writes nothing"),
            };
            (f.path.clone(), bytes)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn incremental_rebuild_equals_a_clean_build(edits in prop::collection::vec(edit(), 1..8)) {
        let site = Scratch::minimal();
        let options = BuildOptions { content: site.content(), themes: repo().join("themes"), overrides: Overrides::default() };
        let mut incremental = Builder::new(options.clone());
        // What the preview serves: a full build's files, then each patch applied to them.
        let mut served = pages(incremental.build().unwrap());
        for edit in &edits {
            let before = files_under(&site.content());
            apply(&site, edit);
            let changed = changed_paths(&before, &files_under(&site.content()));
            let again = incremental.rebuild(&changed).map(|update| {
                served = match update.files {
                    Changed::All => pages(incremental.current().unwrap()),
                    Changed::Some { changed, removed } => patched(std::mem::take(&mut served), changed, &removed),
                };
                pages(incremental.current().unwrap())
            });
            let mut clean_builder = Builder::new(options.clone());
            let clean = clean_builder.build().map(pages);
            match (again, clean) {
                (Ok(again), Ok(clean)) => {
                    let kept = differences(&again, &clean);
                    prop_assert!(kept.is_empty(), "kept files differ after {:?}: {:?}", edit, kept);
                    let shown = differences(&served, &clean);
                    prop_assert!(shown.is_empty(), "served files differ after {:?}: {:?}", edit, shown);
                }
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                (a, b) => prop_assert!(false, "after {:?}: incremental = {:?}, clean ok = {}", edit, a.as_ref().err().map(|e| e.to_string()), b.is_ok()),
            }
        }
    }
}
