//! `ldr init` starts a site that builds and serves at once; `ldr new story|event|page`
//! write files that build and appear in the site; nothing is ever overwritten.

mod common;

use std::fs;
use std::process::Command;

use common::http::get;
use common::preview::Preview;
use common::{Scratch, snapshot, stderr};

fn ldr_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ldr"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("ldr runs")
}

fn empty_scratch() -> Scratch {
    Scratch {
        dir: tempfile::Builder::new()
            .prefix("ldr-init-")
            .tempdir()
            .unwrap(),
    }
}

#[test]
fn init_makes_a_site_that_builds_with_its_example_footprint() {
    let scratch = empty_scratch();
    let made = ldr_in(scratch.path(), &["init", "regional-site"]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(
        stderr(&made).contains("ldr serve --content regional-site/content"),
        "{}",
        stderr(&made)
    );
    let site = scratch.path().join("regional-site");
    for file in [
        "content/site.toml",
        "content/organisations.csv",
        "content/capabilities.toml",
        "content/pages/about.md",
        "content/templates/README.md",
        "themes/default/templates/base.html",
        "schemas/footprint.schema.json",
        ".taplo.toml",
    ] {
        assert!(site.join(file).is_file(), "{file} is missing");
    }
    let register = fs::read_to_string(site.join("content/organisations.csv")).unwrap();
    assert_eq!(register.lines().count(), 2, "a header and one example row");

    let built = ldr_in(&site, &["build", "--content", "content"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let page =
        fs::read_to_string(site.join("output/footprints/example-footprint/index.html")).unwrap();
    assert!(page.contains("<h1>Example footprint</h1>"), "{page}");
    assert!(page.contains("illustrative"), "the example says it is one");
    assert!(site.join("output/about/index.html").is_file());
}

#[test]
fn a_new_site_is_served_at_once() {
    let scratch = empty_scratch();
    let made = ldr_in(scratch.path(), &["init", "."]);
    assert!(made.status.success(), "{}", stderr(&made));
    let preview = Preview::start_in(scratch, &[]);
    let page = get(preview.port, "/footprints/example-footprint/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Example footprint"));
}

#[test]
fn init_refuses_a_folder_with_files_and_leaves_it_alone() {
    let site = Scratch::minimal();
    let before = snapshot(site.path());
    let refused = ldr_in(site.path(), &["init", "."]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("is not empty"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(before, snapshot(site.path()));
}

#[test]
fn new_story_event_and_page_build_and_appear() {
    let site = Scratch::minimal();
    let now = ["--now", "2016-06-01"];
    for args in [
        &[
            "new",
            "story",
            "shared-records",
            "--title",
            "Records \"shared\" at last",
        ][..],
        &["new", "event", "winter-workshop"][..],
        &["new", "page", "guidance", "--title", "Guidance"][..],
    ] {
        let made = site.ldr(&[args, &now[..]].concat());
        assert!(made.status.success(), "{args:?}: {}", stderr(&made));
        assert!(stderr(&made).contains("the site still builds"));
    }
    let event = fs::read_to_string(site.content().join("events/winter-workshop.md")).unwrap();
    assert!(event.contains("start = 2016-06-01"), "dated today: {event}");
    assert!(!event.contains("example"), "example is left out: {event}");

    let built = site.ldr(&["build", "--now", "2016-06-01"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        site.read("stories/shared-records/index.html")
            .contains("<h1>Records &quot;shared&quot; at last</h1>")
    );
    assert!(
        site.read("events/winter-workshop/index.html")
            .contains("Winter workshop")
    );
    assert!(
        site.read("guidance/index.html")
            .contains("<h1>Guidance</h1>")
    );
}

#[test]
fn new_content_never_overwrites_and_is_undone_if_the_site_breaks() {
    let site = Scratch::minimal();
    let before = snapshot(&site.content());
    let over = site.ldr(&["new", "story", "shared"]);
    assert_eq!(over.status.code(), Some(1));
    assert!(
        stderr(&over).contains("the story `shared` already exists"),
        "{}",
        stderr(&over)
    );

    // A page called `search` would take the search page's address: refused, and undone.
    let clash = site.ldr(&["new", "page", "search"]);
    assert_eq!(clash.status.code(), Some(1));
    assert!(
        stderr(&clash).contains("a page cannot be called `search`"),
        "{}",
        stderr(&clash)
    );
    assert_eq!(before, snapshot(&site.content()), "nothing was changed");

    let not_a_slug = site.ldr(&["new", "event", "Winter Workshop"]);
    assert_eq!(not_a_slug.status.code(), Some(1));
    assert!(stderr(&not_a_slug).contains("such as `winter-workshop`"));
}

#[test]
fn new_content_is_not_added_to_a_site_that_is_already_broken() {
    let site = Scratch::minimal();
    let roadmap = site.content().join("footprints/alpha/roadmap.md");
    fs::write(&roadmap, "[a link](/nowhere/)\n").unwrap();
    let before = snapshot(&site.content());
    let refused = site.ldr(&["new", "story", "fresh-story"]);
    assert_eq!(refused.status.code(), Some(1));
    let text = stderr(&refused);
    assert!(text.contains("link to `/nowhere/` goes nowhere"), "{text}");
    assert!(
        text.contains("the site has errors before this change"),
        "{text}"
    );
    assert_eq!(before, snapshot(&site.content()));
}
