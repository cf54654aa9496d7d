//! What a person sees, checked in headless Chromium rather than in the markup: one page of
//! every kind, every council's page and search in three states, at 320, 375 and 1280 CSS
//! pixels wide (tests/browser/check_layout.mjs). `scripts/test` installs the browser tools.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Scratch, repo, stderr};

fn check_layout(site: &Path, shots: &Path) -> Output {
    let dir = repo().join("tests/browser");
    assert!(
        dir.join("node_modules/axe-core").is_dir(),
        "the checkers are not installed: run `scripts/install-test-tools` (or `scripts/test`)"
    );
    Command::new("node")
        .arg(dir.join("check_layout.mjs"))
        .arg(site)
        .arg(shots)
        .output()
        .expect("node runs the layout check")
}

/// Where the gallery goes: `target/screenshots/<width>/<page>.png`, as `scripts/screenshots`
/// writes it, so that a reviewer finds the test's pictures in the same place.
fn screenshots() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or(repo().join("target"), PathBuf::from);
    target.join("screenshots")
}

#[test]
fn every_page_kind_reads_on_a_phone_and_a_desktop() {
    let site = Scratch::copy_of(&repo().join("content"));
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let shots = screenshots();
    let result = check_layout(&site.output(), &shots);
    let report = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "what a person would see wrong:\n{}{}",
        report
            .lines()
            .filter(|l| !l.ends_with(": ok"))
            .collect::<Vec<_>>()
            .join("\n"),
        stderr(&result)
    );
    // Every council's page was looked at, by the register the site publishes.
    let register = site.read("data/organisations.csv");
    let councils: Vec<&str> = register
        .lines()
        .filter(|l| l.contains(",local-authority,"))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(councils.len() > 100, "{} councils", councils.len());
    for code in &councils {
        assert!(
            report.contains(&format!("/organisations/{code}/ at 320px: ok")),
            "{code} was not checked:\n{report}"
        );
    }
    for width in ["320", "375", "1280"] {
        for page in [
            "home",
            "footprint",
            "footprint-example",
            "organisations",
            "capabilities",
            "search-no-results",
            "search-many-results",
            "not-found",
        ] {
            let shot = shots.join(width).join(format!("{page}.png"));
            let bytes = std::fs::read(&shot).unwrap_or_else(|e| panic!("{}: {e}", shot.display()));
            assert!(bytes.starts_with(b"\x89PNG"), "{} is a PNG", shot.display());
        }
    }
}

/// The check must be able to fail, each part of it: pages that are each wrong in one way a
/// person would notice.
#[test]
fn the_layout_check_sees_each_fault_a_person_would() {
    let shots = tempfile::tempdir().unwrap();
    let result = check_layout(&repo().join("tests/fixtures/broken-layout"), shots.path());
    let report = String::from_utf8_lossy(&result.stdout);
    assert!(!result.status.success(), "{report}");
    let problems_of = |page: &str, width: u32| -> Vec<&str> {
        let head = format!("{page} /{page}.html at {width}px:");
        let mut lines = report.lines().skip_while(|l| !l.starts_with(&head));
        assert!(lines.next().is_some(), "{head} not in\n{report}");
        lines.take_while(|l| l.starts_with("  ")).collect()
    };
    let has = |page: &str, width: u32, kind: &str| {
        let problems = problems_of(page, width);
        assert!(
            problems.iter().any(|p| p.trim_start().starts_with(kind)),
            "{page} at {width}px: no {kind} in {problems:?}"
        );
    };
    for width in [320, 375] {
        has("sideways", width, "reflow:");
        has("small-svg", width, "text:");
    }
    for width in [320, 375] {
        has("header", width, "header:");
        has("scroll", width, "clipped:");
        has("caption", width, "clipped:");
    }
    assert!(problems_of("sideways", 1280).is_empty(), "{report}");
    for width in [320, 375, 1280] {
        has("clipped", width, "clipped:");
        has("hidden", width, "hidden:");
        has("low-contrast", width, "axe: color-contrast");
        has("header", width, "spacing:");
        has("column-heading", width, "align:");
        assert!(problems_of("fine", width).is_empty(), "{report}");
    }
    assert!(
        report.contains("text \"2 providers\" runs outside its SVG"),
        "{report}"
    );
    assert!(
        report.contains("runs past the edge of the region that scrolls its table"),
        "{report}"
    );
    assert!(
        report.contains("is not a named region a keyboard can reach")
            && report.contains("without keeping the first column in view"),
        "{report}"
    );
}
