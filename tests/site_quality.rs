//! The real checkers on the real default site: every page through the Nu HTML Checker, and
//! one page of each kind through axe-core in headless Chromium. `scripts/test` installs
//! them (Debian's chromium, Java, and the npm packages in tests/browser/).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Scratch, repo, stderr};

fn browser_tools() -> PathBuf {
    let dir = repo().join("tests/browser");
    assert!(
        dir.join("node_modules/axe-core").is_dir() && dir.join("node_modules/vnu-jar").is_dir(),
        "the checkers are not installed: run `scripts/install-test-tools` (or `scripts/test`)"
    );
    dir
}

fn nu_html_checker(dir: &Path) -> Output {
    let jar = browser_tools().join("node_modules/vnu-jar/build/dist/vnu.jar");
    Command::new("java")
        .args(["-jar"])
        .arg(jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(dir)
        .output()
        .expect("java runs the Nu HTML Checker")
}

fn axe(dir: &Path, paths: &[&str]) -> Output {
    Command::new("node")
        .arg(browser_tools().join("check_accessibility.mjs"))
        .arg(dir)
        .args(paths)
        .output()
        .expect("node runs axe-core")
}

fn default_site() -> Scratch {
    let site = Scratch::copy_of(&repo().join("content"));
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    site
}

#[test]
fn every_page_of_the_default_site_is_valid_html() {
    let site = default_site();
    let result = nu_html_checker(&site.output());
    assert!(
        result.status.success(),
        "Nu HTML Checker found errors:\n{}{}",
        String::from_utf8_lossy(&result.stdout),
        stderr(&result)
    );
}

#[test]
fn one_page_of_each_kind_has_no_wcag_21_aa_violation() {
    let site = default_site();
    let story = first_slug(&repo().join("content/stories"));
    let event = first_slug(&repo().join("content/events"));
    let story_path = format!("/stories/{story}/");
    let event_path = format!("/events/{event}/");
    let pages = [
        "/",
        "/footprints/",
        "/footprints/devon/",
        "/organisations/",
        "/organisations/99P/",
        "/stories/",
        &story_path,
        "/events/",
        &event_path,
        "/about/",
        "/404.html",
        "/capabilities/",
        "/footprints/example-footprint/",
        "/events/kind/national/",
        "/stories/tags/shared-care-record/",
        "/search/",
        "/accessibility/",
        "/privacy/",
        "/data/",
        "/digital-maturity/",
        "/organisations/EXAMPLE3/",
    ];
    let result = axe(&site.output(), &pages);
    let report = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "axe-core found violations:\n{report}{}",
        stderr(&result)
    );
    assert_eq!(
        report.matches(": 0 violations").count(),
        pages.len(),
        "{report}"
    );
}

/// The checkers must be able to fail: a deliberately broken page makes both complain.
#[test]
fn checkers_catch_a_broken_page() {
    let broken = repo().join("tests/fixtures/broken-html");
    let html = nu_html_checker(&broken);
    assert!(
        !html.status.success(),
        "the Nu HTML Checker passed a broken page"
    );
    let a11y = axe(&broken, &["/"]);
    let report = String::from_utf8_lossy(&a11y.stdout);
    assert!(
        !a11y.status.success(),
        "axe-core passed a broken page: {report}"
    );
    assert!(report.contains("image-alt"), "{report}");
    assert!(report.contains("reflow"), "{report}");
}

fn first_slug(dir: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names.remove(0)
}

#[test]
fn keyboard_focus_reaches_every_shape_of_the_map() {
    let site = default_site();
    let output = Command::new("node")
        .arg(browser_tools().join("check_map_focus.mjs"))
        .arg(site.output())
        .output()
        .expect("node runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let focused: Vec<String> = serde_json::from_slice(&output.stdout).unwrap();
    let shapes = site
        .read("footprints/index.html")
        .matches("data-footprint=")
        .count();
    assert_eq!(shapes, 44);
    let distinct: std::collections::BTreeSet<_> = focused.iter().collect();
    assert_eq!(
        distinct.len(),
        shapes,
        "focus reached {} of {shapes} shapes",
        distinct.len()
    );
}
