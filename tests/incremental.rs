//! A rebuild remakes only the files whose inputs changed, and gives the same site as a
//! clean build.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Scratch, repo};
use ldr::Overrides;
use ldr::output::Contents;
use ldr::pipeline::{BuildOptions, Builder, Built, Changed};

fn options(site: &Scratch) -> BuildOptions {
    BuildOptions {
        content: site.content(),
        themes: repo().join("themes"),
        overrides: Overrides::default(),
    }
}

/// Every file made in memory (all but copies), by path.
fn pages(built: &Built) -> BTreeMap<String, Vec<u8>> {
    built
        .files
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Bytes(bytes) => Some((f.path.clone(), bytes.to_vec())),
            Contents::CopyOf(_) => None,
            Contents::Written(_) => panic!("a builder for `ldr serve` writes nothing"),
        })
        .collect()
}

fn clean_build(site: &Scratch) -> BTreeMap<String, Vec<u8>> {
    pages(Builder::new(options(site)).build().unwrap())
}

#[test]
fn unchanged_site_renders_nothing_again() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    let first = builder.build().unwrap();
    assert!(first.rendered >= 20, "{}", first.rendered);
    let first = pages(first);
    let saved = site.content().join("footprints/beta/roadmap.md");
    let update = builder.rebuild(&[saved]).unwrap();
    assert_eq!(update.rendered, 0);
    assert!(
        matches!(update.files, Changed::Some { changed, removed } if changed.is_empty() && removed.is_empty())
    );
    assert_eq!(first, pages(builder.current().unwrap()));
}

#[test]
fn editing_one_roadmap_re_renders_only_its_footprint_page() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let roadmap = site.content().join("footprints/beta/roadmap.md");
    std::fs::write(&roadmap, "## Vision\n\nA new vision.\n").unwrap();
    let update = builder.rebuild(&[roadmap]).unwrap();
    assert_eq!(
        update.rendered, 1,
        "only /footprints/beta/ depends on its roadmap text"
    );
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));
}

#[test]
fn renaming_a_footprint_re_renders_its_dependents_and_matches_a_clean_build() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    let before = builder.build().unwrap().rendered;
    let path = site.content().join("footprints/beta/footprint.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"Beta\"", "\"Beta Renamed\"");
    std::fs::write(&path, text).unwrap();
    let update = builder.rebuild(&[path]).unwrap();
    assert!(
        update.rendered > 1 && update.rendered < before,
        "{} of {before}",
        update.rendered,
    );
    let after = pages(builder.current().unwrap());
    assert!(
        String::from_utf8(after["organisations/RF4/index.html"].clone())
            .unwrap()
            .contains("Beta Renamed")
    );
    assert_eq!(after, clean_build(&site));
}

#[test]
fn a_template_change_re_renders_everything() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    let before = builder.build().unwrap().rendered;
    std::fs::create_dir_all(site.content().join("templates")).unwrap();
    let base = std::fs::read_to_string(repo().join("themes/default/templates/base.html")).unwrap();
    let template = site.content().join("templates/base.html");
    std::fs::write(
        &template,
        base.replace("Skip to main content", "Skip to content"),
    )
    .unwrap();
    let update = builder.rebuild(&[template]).unwrap();
    assert!(matches!(update.files, Changed::All));
    assert_eq!(update.rendered, before);
}

#[test]
fn a_failed_build_keeps_the_last_good_build() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let path = site.content().join("footprints/beta/footprint.toml");
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, "name = ").unwrap();
    assert!(builder.rebuild(std::slice::from_ref(&path)).is_err());
    std::fs::write(&path, good).unwrap();
    assert_eq!(builder.rebuild(&[path]).unwrap().rendered, 0);
}

/// The paths a patched rebuild changed, or `None` after a full build.
fn patched_paths(builder: &mut Builder, edited: &Path) -> Option<Vec<String>> {
    let update = builder.rebuild(&[edited.to_path_buf()]).unwrap();
    match update.files {
        Changed::All => None,
        Changed::Some { changed, .. } => Some(changed.into_iter().map(|f| f.path).collect()),
    }
}

#[test]
fn a_roadmap_edit_is_patched_in_and_matches_a_clean_build() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let roadmap = site.content().join("footprints/beta/roadmap.md");
    std::fs::write(
        &roadmap,
        "## Vision\n\nZanzibar, see [Alpha](/footprints/alpha/).\n",
    )
    .unwrap();
    let changed = patched_paths(&mut builder, &roadmap).expect("a roadmap edit is patched in");
    assert!(
        changed.contains(&"footprints/beta/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"search/index/meta.json.gz".to_string()),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"search/index/t/za.json.gz".to_string()),
        "the new word's shard: {changed:?}"
    );
    assert!(
        !changed
            .iter()
            .any(|p| p.starts_with("organisations/") || p == "index.html"),
        "{changed:?}"
    );
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));

    // Saving the same text again changes nothing.
    assert_eq!(patched_paths(&mut builder, &roadmap), Some(Vec::new()));

    // A word that leaves the site takes its shard with it.
    std::fs::write(&roadmap, "## Vision\n\nNo more.\n").unwrap();
    let update = builder.rebuild(std::slice::from_ref(&roadmap)).unwrap();
    let Changed::Some { removed, .. } = update.files else {
        panic!("a full build")
    };
    assert_eq!(removed, ["search/index/t/za.json.gz"]);
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));

    // A deleted roadmap, then a new one.
    std::fs::remove_file(&roadmap).unwrap();
    assert!(patched_paths(&mut builder, &roadmap).is_some());
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));
    std::fs::write(&roadmap, "Back again.\n").unwrap();
    assert!(patched_paths(&mut builder, &roadmap).is_some());
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));
}

#[test]
fn a_broken_roadmap_is_reported_as_a_full_build_reports_it_and_its_fix_is_patched() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let roadmap = site.content().join("footprints/beta/roadmap.md");
    std::fs::write(&roadmap, "See [nowhere](/footprints/nowhere/).\n").unwrap();
    let error = builder
        .rebuild(std::slice::from_ref(&roadmap))
        .err()
        .expect("a broken link");
    let clean = Builder::new(options(&site))
        .build()
        .err()
        .expect("a broken link");
    assert_eq!(error.to_string(), clean.to_string());
    assert!(error.to_string().contains("roadmap.md:1:5"), "{error}");

    std::fs::write(&roadmap, "Fixed.\n").unwrap();
    assert!(patched_paths(&mut builder, &roadmap).is_some());
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));
}

#[test]
fn a_roadmap_and_a_name_saved_together_are_one_change() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let roadmap = site.content().join("footprints/beta/roadmap.md");
    let toml = site.content().join("footprints/beta/footprint.toml");
    std::fs::write(&roadmap, "New text.\n").unwrap();
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("\"Beta\"", "\"Beta Renamed\"");
    std::fs::write(&toml, text).unwrap();
    let update = builder.rebuild(&[roadmap, toml]).unwrap();
    let Changed::Some { changed, .. } = update.files else {
        panic!("a full build")
    };
    let changed: Vec<String> = changed.into_iter().map(|f| f.path).collect();
    for path in [
        "footprints/beta/index.html",
        "footprints/index.html",
        "organisations/RF4/index.html",
    ] {
        assert!(changed.iter().any(|p| p == path), "{path}: {changed:?}");
    }
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));
}

#[test]
fn an_edit_to_what_only_a_footprint_page_shows_is_patched_in() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let toml = site.content().join("footprints/alpha/footprint.toml");
    let original = std::fs::read_to_string(&toml).unwrap();
    let edited = original
        .replace("A. Person", "Zebedee Person")
        .replace("Shared record live", "Shared record everywhere")
        + "\n[published]\ndate = 2016-10-31\n";
    std::fs::write(&toml, edited).unwrap();
    let changed = patched_paths(&mut builder, &toml).expect("a governance edit is patched in");
    assert!(
        changed.contains(&"footprints/alpha/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"search/index/t/ze.json.gz".to_string()),
        "{changed:?}"
    );
    assert!(
        !changed
            .iter()
            .any(|p| p.starts_with("organisations/") || p == "index.html"),
        "{changed:?}"
    );
    let page =
        String::from_utf8(pages(builder.current().unwrap())["footprints/alpha/index.html"].clone())
            .unwrap();
    assert!(page.contains("Zebedee Person") && page.contains("Shared record everywhere"));
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));

    // A member fewer reaches the organisation's page, and the footprints list.
    std::fs::write(
        &toml,
        original.replace("[\"RXF\", \"E08000032\"]", "[\"RXF\"]"),
    )
    .unwrap();
    let changed = patched_paths(&mut builder, &toml).expect("a member edit is patched in");
    for path in [
        "organisations/E08000032/index.html",
        "footprints/index.html",
    ] {
        assert!(changed.iter().any(|p| p == path), "{path}: {changed:?}");
    }
    assert!(
        !changed.iter().any(|p| p == "organisations/RF4/index.html"),
        "{changed:?}"
    );
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));

    // A mistake is reported as a full build reports it.
    std::fs::write(
        &toml,
        original.replace("A. Person", "A. Person\nshoe_size = 9"),
    )
    .unwrap();
    let error = builder
        .rebuild(std::slice::from_ref(&toml))
        .err()
        .expect("an unknown key");
    let clean = Builder::new(options(&site))
        .build()
        .err()
        .expect("an unknown key");
    assert_eq!(error.to_string(), clean.to_string());
}

/// The paths whose bytes differ between two sites, or that only one has.
fn differing<'a>(
    a: &'a BTreeMap<String, Vec<u8>>,
    b: &'a BTreeMap<String, Vec<u8>>,
) -> Vec<&'a String> {
    let mut paths: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|p| a.get(*p) != b.get(*p))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// `served` after a patched rebuild, applied as the preview applies it.
fn served_after(
    mut served: BTreeMap<String, Vec<u8>>,
    update: ldr::pipeline::Update,
) -> BTreeMap<String, Vec<u8>> {
    let Changed::Some { changed, removed } = update.files else {
        panic!("a full build")
    };
    for path in &removed {
        served.remove(path);
    }
    for file in changed {
        let Contents::Bytes(bytes) = file.contents else {
            panic!("a patch makes bytes")
        };
        served.insert(file.path, bytes.to_vec());
    }
    served
}

#[test]
fn roadmaps_saved_together_are_patched_in_as_one_change() {
    // A word two roadmaps share leaves both (its shard goes), then moves from one to the
    // other (its shard stays): the served files and the kept build must agree with a
    // clean build either way.
    let site = Scratch::minimal();
    let alpha = site.content().join("footprints/alpha/roadmap.md");
    let beta = site.content().join("footprints/beta/roadmap.md");
    std::fs::write(&alpha, "Qjalpha.\n").unwrap();
    std::fs::write(&beta, "Qjbeta.\n").unwrap();
    let mut builder = Builder::new(options(&site));
    let mut served = pages(builder.build().unwrap());
    for (a, b) in [
        ("Gone.\n", "Gone too.\n"),
        ("Qjalpha.\n", "Beta.\n"),
        ("Gone.\n", "Qjbeta.\n"),
    ] {
        std::fs::write(&alpha, a).unwrap();
        std::fs::write(&beta, b).unwrap();
        let update = builder.rebuild(&[alpha.clone(), beta.clone()]).unwrap();
        served = served_after(served, update);
        let clean = clean_build(&site);
        let kept = pages(builder.current().unwrap());
        let none: Vec<&String> = Vec::new();
        assert_eq!(differing(&kept, &clean), none, "kept, after {a:?} {b:?}");
        assert_eq!(
            differing(&served, &clean),
            none,
            "served, after {a:?} {b:?}"
        );
    }
}

#[test]
fn a_script_saved_into_a_roadmap_is_refused_by_the_patch_as_by_a_full_build() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let page_before = pages(builder.current().unwrap())["footprints/beta/index.html"].clone();
    let roadmap = site.content().join("footprints/beta/roadmap.md");
    std::fs::write(
        &roadmap,
        "## Vision\n\nHover <b onmouseover=alert(1)>here</b>.\n",
    )
    .unwrap();
    let error = builder
        .rebuild(std::slice::from_ref(&roadmap))
        .err()
        .expect("an event handler is refused");
    let clean = Builder::new(options(&site))
        .build()
        .err()
        .expect("an event handler is refused");
    assert_eq!(error.to_string(), clean.to_string());
    let text = error.to_string();
    assert!(
        text.contains("error: HTML attribute `onmouseover` is not allowed on `<b>`"),
        "{text}"
    );
    assert!(text.contains("roadmap.md:3:10"), "{text}");
    // The last good page is still the one served.
    assert_eq!(
        pages(builder.current().unwrap())["footprints/beta/index.html"],
        page_before
    );
}

/// What a page reads can change with an edit: an organisation that joins a footprint then
/// shows the footprint's name, so a rename after the join must reach its page too.
#[test]
fn a_new_member_follows_its_footprint_after_later_edits() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let toml = site.content().join("footprints/alpha/footprint.toml");
    let original = std::fs::read_to_string(&toml).unwrap();
    let joined = original.replace(
        "members = [\"RXF\", \"E08000032\"]",
        "members = [\"RXF\", \"E08000032\", \"X99\"]",
    );
    std::fs::write(&toml, &joined).unwrap();
    builder.rebuild(std::slice::from_ref(&toml)).unwrap();
    std::fs::write(
        &toml,
        joined.replace("name = \"Alpha\"", "name = \"Alpha Renamed\""),
    )
    .unwrap();
    builder.rebuild(std::slice::from_ref(&toml)).unwrap();
    let after = pages(builder.current().unwrap());
    let page = String::from_utf8(after["organisations/X99/index.html"].clone()).unwrap();
    assert!(page.contains("Alpha Renamed"), "the new member's page lags");
    assert_eq!(after, clean_build(&site));

    // A story that comes to name a footprint shows on its page, and its later title too.
    let story = site.content().join("stories/shared.md");
    let text = std::fs::read_to_string(&story).unwrap();
    // A real story: an illustrative one is not listed on a real footprint's page.
    let naming_beta = text
        .replace(
            "footprints = [\"alpha\"]",
            "footprints = [\"alpha\", \"beta\"]",
        )
        .replace("example = true\n", "");
    std::fs::write(&story, &naming_beta).unwrap();
    builder.rebuild(std::slice::from_ref(&story)).unwrap();
    std::fs::write(
        &story,
        naming_beta.replace("Shared records", "Records shared"),
    )
    .unwrap();
    builder.rebuild(std::slice::from_ref(&story)).unwrap();
    let after = pages(builder.current().unwrap());
    let page = String::from_utf8(after["footprints/beta/index.html"].clone()).unwrap();
    assert!(page.contains("Records shared"), "the footprint's page lags");
    assert_eq!(after, clean_build(&site));
}

/// An editor that writes a temporary file and renames it into place (sed -i, JetBrains'
/// safe write, gedit) reports both paths; the one that is gone was never content, so the
/// saved file alone is read again, not the whole content folder.
#[test]
fn a_save_by_rename_reads_the_saved_file_alone() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let story = site.content().join("stories/shared.md");
    let temporary = site.content().join("stories/sedX1b2c3");
    let text = std::fs::read_to_string(&story).unwrap();
    std::fs::write(&temporary, text.replace("Shared records", "Records shared")).unwrap();
    std::fs::rename(&temporary, &story).unwrap();
    let update = builder.rebuild(&[temporary, story.clone()]).unwrap();
    assert!(!update.read_everything, "the saved file alone is read");
    assert!(update.rendered > 0);
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));

    // The same beside the files at the root of the content folder.
    let register = site.content().join("organisations.csv");
    let temporary = site.content().join("sedQ9z8y7");
    let text = std::fs::read_to_string(&register).unwrap();
    std::fs::write(
        &temporary,
        text.replace("A body in no footprint", "A body in none"),
    )
    .unwrap();
    std::fs::rename(&temporary, &register).unwrap();
    let update = builder.rebuild(&[temporary, register]).unwrap();
    assert!(!update.read_everything, "the register alone is read");
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));

    // An event deleted is a file the site was made from: the whole folder is read again.
    let event = site.content().join("events/later.md");
    std::fs::remove_file(&event).unwrap();
    let update = builder.rebuild(&[event]).unwrap();
    assert!(update.read_everything);
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));
}

/// A row of `organisations.csv` renamed is read alone, the rest of the register kept; a
/// quoted name (which may span lines) sends the register to be read whole, and a new kind
/// the whole site: each gives what a clean build gives.
#[test]
fn an_organisation_row_edited_in_place_is_read_alone() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let register = site.content().join("organisations.csv");
    let original = std::fs::read_to_string(&register).unwrap();
    let renamed = original.replace("RF4,BARKING HAVERING", "RF4,BARKING, HAVERING");
    let plain = original.replace("MID YORKSHIRE HOSPITALS", "MID YORKSHIRE TEACHING");
    std::fs::write(&register, &plain).unwrap();
    let update = builder.rebuild(std::slice::from_ref(&register)).unwrap();
    assert!(!update.read_everything);
    let after = pages(builder.current().unwrap());
    let page = String::from_utf8(after["organisations/RXF/index.html"].clone()).unwrap();
    assert!(
        page.to_lowercase().contains("mid yorkshire teaching"),
        "the new name"
    );
    assert_eq!(after, clean_build(&site));

    let quoted = renamed.replace("RF4,BARKING, HAVERING", "RF4,\"BARKING, HAVERING");
    let quoted = quoted.replace(
        "HOSPITALS NHS TRUST,trust,London",
        "HOSPITALS NHS TRUST\",trust,London",
    );
    std::fs::write(&register, &quoted).unwrap();
    let update = builder.rebuild(std::slice::from_ref(&register)).unwrap();
    assert!(!update.read_everything, "read whole, but still alone");
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));

    // Saved by Excel: a byte-order mark and CRLF, then one row edited there.
    let excel = format!("\u{feff}{}", original.replace('\n', "\r\n"));
    std::fs::write(&register, &excel).unwrap();
    builder.rebuild(std::slice::from_ref(&register)).unwrap();
    let edited = excel.replace("Bradford City CCG", "Bradford City CCG (edited)");
    std::fs::write(&register, edited).unwrap();
    let update = builder.rebuild(std::slice::from_ref(&register)).unwrap();
    assert!(!update.read_everything);
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));

    let other_kind = original.replace(
        "X99,A body in no footprint,other,",
        "X99,A body in no footprint,trust,",
    );
    std::fs::write(&register, other_kind).unwrap();
    let update = builder.rebuild(std::slice::from_ref(&register)).unwrap();
    assert!(update.read_everything);
    assert_eq!(pages(builder.current().unwrap()), clean_build(&site));
}

#[test]
fn a_capability_title_is_put_in_place_on_every_footprint_page_without_rendering_them() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let capabilities = site.content().join("capabilities.toml");
    let original = std::fs::read_to_string(&capabilities).unwrap();
    let retitled = original.replace(
        "Urgent care clinicians can access key GP-held information.",
        "Urgent & emergency care clinicians see <key> GP-held information.",
    );
    std::fs::write(&capabilities, &retitled).unwrap();
    let update = builder
        .rebuild(std::slice::from_ref(&capabilities))
        .unwrap();
    assert!(!update.read_everything);
    assert_eq!(update.rendered, 1, "only /capabilities/ is rendered again");
    let after = pages(builder.current().unwrap());
    let page = String::from_utf8(after["footprints/alpha/index.html"].clone()).unwrap();
    assert!(
        page.contains("B. Urgent &amp; emergency care clinicians see &lt;key&gt; GP-held"),
        "the new title, escaped, in the table"
    );
    assert_eq!(after, clean_build(&site));
}

#[test]
fn a_page_that_shows_a_capability_heading_twice_or_not_at_all_is_rendered_again() {
    let heading = "<tr>{{ row.heading | safe }}";
    let twice = "<tr>{{ row.heading | safe }}{{ row.heading | safe }}";
    // A site's own template that writes its own heading, without the title.
    let by_hand = r#"<tr><th scope="row">{{ row.id }}</th>"#;
    for (shown, times) in [(twice, 2), (by_hand, 0)] {
        let site = Scratch::minimal();
        let templates = site.content().join("templates");
        std::fs::create_dir_all(&templates).unwrap();
        let theme = repo().join("themes/default/templates/footprint.html");
        let footprint = std::fs::read_to_string(theme).unwrap();
        assert!(footprint.contains(heading));
        std::fs::write(
            templates.join("footprint.html"),
            footprint.replace(heading, shown),
        )
        .unwrap();
        let mut builder = Builder::new(options(&site));
        builder.build().unwrap();
        let capabilities = site.content().join("capabilities.toml");
        let original = std::fs::read_to_string(&capabilities).unwrap();
        std::fs::write(
            &capabilities,
            original.replace("key GP-held", "key GP-held (2)"),
        )
        .unwrap();
        let update = builder
            .rebuild(std::slice::from_ref(&capabilities))
            .unwrap();
        assert!(
            update.rendered > 1,
            "the footprint pages too: {}",
            update.rendered
        );
        let after = pages(builder.current().unwrap());
        let page = String::from_utf8(after["footprints/alpha/index.html"].clone()).unwrap();
        assert_eq!(page.matches("key GP-held (2)").count(), times);
        assert_eq!(after, clean_build(&site));
    }
}
