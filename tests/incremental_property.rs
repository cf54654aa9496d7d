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
    /// The existing story's title, date or footprints.
    StoryFacts(u8),
    /// The existing event's title, region (which moves it between the filtered lists) or
    /// date (which moves it in the lists).
    EventFacts(u8),
    /// The first or the last capability's title.
    CapabilityTitle(u8),
    /// A third capability defined, or taken away: a new column of the matrix.
    CapabilityDefined(bool),
    /// The about page's text, or its place in the menu.
    PageText(u8),
    /// An organisation's kind or region: what a footprint's counts and the maturity read.
    OrganisationKind(u8),
    /// A body in no footprint joins alpha, or leaves it.
    AddMember(u8),
    /// A file beside a footprint, added or removed.
    Attachment(bool),
    /// A third footprint, added or removed.
    NewFootprint(bool),
    /// A story's tags, which make the tag pages.
    StoryTags(u8),
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
        any::<u8>().prop_map(Edit::StoryFacts),
        any::<u8>().prop_map(Edit::EventFacts),
        any::<u8>().prop_map(Edit::CapabilityTitle),
        any::<bool>().prop_map(Edit::CapabilityDefined),
        any::<u8>().prop_map(Edit::PageText),
        any::<u8>().prop_map(Edit::OrganisationKind),
        any::<u8>().prop_map(Edit::AddMember),
        any::<bool>().prop_map(Edit::Attachment),
        any::<bool>().prop_map(Edit::NewFootprint),
        any::<u8>().prop_map(Edit::StoryTags),
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
        Edit::StoryFacts(n) => {
            let footprints = if n % 3 == 0 { "[\"alpha\", \"beta\"]" } else { "[\"alpha\"]" };
            let text = format!(
                "+++\ntitle = \"Shared records {n}\"\ndate = 2016-{:02}-02\nfootprints = {footprints}\norganisations = [\"02W\"]\ntags = [\"shared care record\"]\nexample = true\n+++\n\nText {n}. See [Alpha](/footprints/alpha/).\n",
                1 + n % 12
            );
            fs::write(content.join("stories/shared.md"), text).unwrap()
        }
        Edit::EventFacts(n) => {
            let file = content.join("events/national-day.md");
            if file.exists() {
                let text = fs::read_to_string(&file).unwrap();
                let title = text.lines().find(|l| l.starts_with("title")).unwrap().to_string();
                let start = text.lines().find(|l| l.starts_with("start")).unwrap().to_string();
                let end = text.lines().find(|l| l.starts_with("end")).unwrap().to_string();
                let day = 1 + n % 28;
                let region = text.lines().find(|l| l.starts_with("region")).unwrap().to_string();
                let text = if n % 3 == 0 {
                    text.replacen(&title, &format!("title = \"National day {n}\""), 1)
                } else if n % 3 == 1 {
                    let other = if region.contains("London") { "North of England" } else { "London" };
                    text.replacen(&region, &format!("region = \"{other}\""), 1)
                } else {
                    text.replacen(&start, &format!("start = 2016-07-{day:02}T10:00:00"), 1)
                        .replacen(&end, &format!("end = 2016-07-{day:02}T16:00:00"), 1)
                };
                fs::write(&file, text).unwrap();
            }
        }
        Edit::CapabilityTitle(n) => {
            let file = content.join("capabilities.toml");
            let text = fs::read_to_string(&file).unwrap();
            // The first capability's, or the last one's (the third, when it is defined).
            let mut titles = text.lines().filter(|l| l.starts_with("title"));
            let line = if n % 2 == 0 { titles.next() } else { titles.next_back() };
            let line = line.unwrap().to_string();
            fs::write(&file, text.replacen(&line, &format!("title = \"Capability, version {n}.\""), 1)).unwrap()
        }
        Edit::CapabilityDefined(defined) => {
            let file = content.join("capabilities.toml");
            let text = fs::read_to_string(&file).unwrap();
            let third = "\n[[capabilities]]\nid = \"C\"\ntitle = \"A third capability.\"\n";
            let text = text.replace(third, "");
            fs::write(&file, if *defined { text + third } else { text }).unwrap()
        }
        Edit::PageText(n) => {
            let order = if n % 3 == 0 { 2 } else { 1 };
            let text = format!("+++\ntitle = \"About\"\nmenu_order = {order}\n+++\n\n## How the footprints were derived\n\nBy hand, {n} times.\n");
            fs::write(content.join("pages/about.md"), text).unwrap()
        }
        Edit::OrganisationKind(n) => {
            let file = content.join("organisations.csv");
            let text = fs::read_to_string(&file).unwrap();
            let row = if n % 2 == 0 { "E08000032,Bradford,other,North of England" } else { "E08000032,Bradford,local-authority,London" };
            let edited: Vec<String> = text
                .lines()
                .map(|l| if l.starts_with("E08000032,") { row.to_string() } else { l.to_string() })
                .collect();
            fs::write(&file, edited.join("\n") + "\n").unwrap();
        }
        Edit::AddMember(n) => {
            // Alpha, whose name other edits change: the new member's page must follow.
            let file = content.join("footprints/alpha/footprint.toml");
            let text = fs::read_to_string(&file).unwrap();
            if let Some(line) = text.lines().find(|l| l.starts_with("members")).map(str::to_string) {
                let members = if n % 2 == 0 { "members = [\"RXF\", \"E08000032\", \"X99\"]" } else { "members = [\"RXF\", \"E08000032\"]" };
                fs::write(&file, text.replacen(&line, members, 1)).unwrap();
            }
        }
        Edit::Attachment(add) => {
            let file = content.join("footprints/beta/plan.pdf");
            if *add {
                fs::write(&file, b"%PDF-1.4 a plan").unwrap();
            } else {
                let _ = fs::remove_file(&file);
            }
        }
        Edit::NewFootprint(add) => {
            let folder = content.join("footprints/gamma");
            if *add {
                fs::create_dir_all(&folder).unwrap();
                fs::write(
                    folder.join("footprint.toml"),
                    "name = \"Gamma\"\ncode = \"E54000099\"\nregion = \"London\"\nlead = \"07L\"\nmembers = [\"RF4\"]\n",
                )
                .unwrap();
            } else {
                let _ = fs::remove_dir_all(&folder);
            }
        }
        Edit::StoryTags(n) => replace("stories/shared.md", "tags = [\"shared care record\"]", &format!("tags = [\"shared care record\", \"tag {}\"]", n % 3)),
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
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

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
