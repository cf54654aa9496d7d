//! No script from content reaches a page: markup in front matter and TOML shows as text,
//! every page carries the Content-Security-Policy, and headless Chromium blocks an inline
//! script added to a built page while the site's own scripts still run. (Raw HTML in
//! Markdown is refused by the build: `tests/fixtures/invalid/`, `src/model/raw_html.rs`.)

mod common;

use std::process::Command;

use common::{Scratch, built_default_site, repo, stderr};
use scraper::{Html, Selector};

const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

#[test]
fn markup_in_front_matter_and_toml_shows_as_text() {
    let site = Scratch::minimal();
    std::fs::write(
        site.content().join("stories/shared.md"),
        "+++\ntitle = \"<script>alert(1)</script>\"\ndate = 2016-11-02\nsummary = \"<img src=x onerror=alert(2)>\"\nfootprints = [\"alpha\"]\n+++\n\nBody.\n",
    )
    .unwrap();
    let toml = site.content().join("footprints/alpha/footprint.toml");
    let facts = std::fs::read_to_string(&toml).unwrap().replace(
        "senior_responsible_owner = \"A. Person\"",
        "senior_responsible_owner = \"<script>alert(3)</script>\"",
    );
    std::fs::write(&toml, facts).unwrap();
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    for path in [
        "stories/shared/index.html",
        "stories/index.html",
        "footprints/alpha/index.html",
    ] {
        let page = site.read(path);
        assert!(!page.contains("<script>alert"), "{path}: {page}");
        assert!(!page.contains("<img src=x"), "{path}: {page}");
        let shown = Html::parse_document(&page)
            .root_element()
            .text()
            .collect::<String>();
        let expected = if path.starts_with("footprints") {
            "<script>alert(3)</script>"
        } else {
            "<script>alert(1)</script>"
        };
        assert!(
            shown.contains(expected),
            "{path} shows no `{expected}` as text"
        );
    }
    // The redirect pages of merged footprints do not extend base.html; they carry the
    // policy too.
    assert!(
        site.read("footprints/old-alpha/index.html")
            .contains(POLICY)
    );
}

#[test]
fn every_page_carries_the_content_security_policy_before_its_styles() {
    let output = built_default_site().output();
    let meta = Selector::parse(r#"head > meta[http-equiv="Content-Security-Policy"]"#).unwrap();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&output) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let page = Html::parse_document(&text);
        let policies: Vec<_> = page
            .select(&meta)
            .filter_map(|m| m.value().attr("content"))
            .collect();
        assert_eq!(policies, [POLICY], "{}", entry.path().display());
        // A policy in a meta element covers only what comes after it.
        let at = text.find("Content-Security-Policy").unwrap();
        assert!(
            text.find("<link").is_none_or(|link| at < link)
                && text.find("<script").is_none_or(|script| at < script),
            "{}: the policy comes after a style sheet or script",
            entry.path().display()
        );
        pages += 1;
    }
    assert!(pages > 600, "{pages}");
}

#[test]
fn chromium_blocks_an_inline_script_added_to_a_page_and_runs_the_sites_own() {
    let dir = repo().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "the browser tools are not installed: run `scripts/install-test-tools`"
    );
    let site = built_default_site();
    let page = site.read("footprints/devon/index.html");
    let probe = page.replace(
        "</body>",
        "<script>window.__ran = true; document.title = 'ran';</script>\n\
         <img src=\"/no-such-image.png\" alt=\"\" onerror=\"window.__handler = true\">\n\
         <p id=\"csp-probe-style\" style=\"color: rgb(255, 0, 0)\">Styled inline</p>\n</body>",
    );
    assert_ne!(probe, page);
    let probe_dir = site.output().join("csp-probe");
    std::fs::create_dir_all(&probe_dir).unwrap();
    std::fs::write(probe_dir.join("index.html"), probe).unwrap();

    let output = Command::new("node")
        .arg(dir.join("check_csp.mjs"))
        .arg(site.output())
        .arg("/csp-probe/")
        .args([
            "/",
            "/footprints/",
            "/footprints/example-footprint/",
            "/capabilities/",
            "/404.html",
            "/search/?q=devon",
        ])
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(report.matches("ok - ").count(), 7, "{report}");
}
