//! A rebuild re-renders only the pages whose inputs changed, and gives the same site as a
//! clean build.

mod common;

use std::collections::BTreeMap;

use common::{Scratch, repo};
use ldr::model::Overrides;
use ldr::pipeline::{BuildOptions, Builder, Built};
use ldr::render::Contents;

fn options(site: &Scratch) -> BuildOptions {
    BuildOptions {
        content: site.content(),
        themes: repo().join("themes"),
        overrides: Overrides::default(),
    }
}

fn pages(built: &Built) -> BTreeMap<String, Vec<u8>> {
    built
        .files
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Bytes(bytes) => Some((f.path.clone(), bytes.to_vec())),
            Contents::CopyOf(_) => None,
        })
        .collect()
}

#[test]
fn unchanged_site_renders_nothing_again() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    let first = builder.build().unwrap();
    assert!(first.rendered >= 20, "{}", first.rendered);
    let second = builder.build().unwrap();
    assert_eq!(second.rendered, 0);
    assert_eq!(pages(&first), pages(&second));
}

#[test]
fn editing_one_roadmap_re_renders_only_its_footprint_page() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    std::fs::write(
        site.content().join("footprints/beta/roadmap.md"),
        "## Vision\n\nA new vision.\n",
    )
    .unwrap();
    let after = builder.build().unwrap();
    assert_eq!(
        after.rendered, 1,
        "only /footprints/beta/ depends on its roadmap text"
    );
    let clean = Builder::new(options(&site)).build().unwrap();
    assert_eq!(pages(&after), pages(&clean));
}

#[test]
fn renaming_a_footprint_re_renders_its_dependents_and_matches_a_clean_build() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    let before = builder.build().unwrap();
    let path = site.content().join("footprints/beta/footprint.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"Beta\"", "\"Beta Renamed\"");
    std::fs::write(&path, text).unwrap();
    let after = builder.build().unwrap();
    assert!(
        after.rendered > 1 && after.rendered < before.rendered,
        "{} of {}",
        after.rendered,
        before.rendered
    );
    assert!(
        String::from_utf8(pages(&after)["organisations/RF4/index.html"].clone())
            .unwrap()
            .contains("Beta Renamed")
    );
    let clean = Builder::new(options(&site)).build().unwrap();
    assert_eq!(pages(&after), pages(&clean));
}

#[test]
fn a_template_change_re_renders_everything() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    let before = builder.build().unwrap();
    std::fs::create_dir_all(site.content().join("templates")).unwrap();
    let base = std::fs::read_to_string(repo().join("themes/default/templates/base.html")).unwrap();
    std::fs::write(
        site.content().join("templates/base.html"),
        base.replace("Skip to main content", "Skip to content"),
    )
    .unwrap();
    let after = builder.build().unwrap();
    assert_eq!(after.rendered, before.rendered);
}

#[test]
fn a_failed_build_keeps_the_last_good_cache() {
    let site = Scratch::minimal();
    let mut builder = Builder::new(options(&site));
    builder.build().unwrap();
    let path = site.content().join("footprints/beta/footprint.toml");
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, "name = ").unwrap();
    assert!(builder.build().is_err());
    std::fs::write(&path, good).unwrap();
    assert_eq!(builder.build().unwrap().rendered, 0);
}
