//! Search: the index files, the engine's ranking and folding (node --test), and the search
//! page in headless Chromium on the default site. The browser tests need the tools that
//! `scripts/install-test-tools` installs.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

use common::{Scratch, repo, stderr};

fn built(site: &Scratch, args: &[&str]) {
    let output = site.ldr(&[&["build"], args].concat());
    assert!(output.status.success(), "{}", stderr(&output));
}

fn gunzip_json(path: &Path) -> serde_json::Value {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn report(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(output)
    )
}

fn browser_script(site: &Path, mode: &str) -> Output {
    let dir = repo().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "the browser tools are not installed: run `scripts/install-test-tools`"
    );
    Command::new("node")
        .arg(dir.join("check_search.mjs"))
        .arg(site)
        .arg(mode)
        .output()
        .expect("node runs")
}

#[test]
fn the_index_is_small_files_of_gzipped_json() {
    let site = Scratch::minimal();
    built(&site, &[]);
    let dir = site.output().join("search/index");
    let meta = gunzip_json(&dir.join("meta.json.gz"));
    assert_eq!(meta["format"], 2);
    // 2 footprints, 7 organisations, 1 story, 2 events, 1 page.
    assert_eq!(meta["records"], 13);
    let kinds: Vec<_> = meta["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap(),
                k["to"].as_u64().unwrap() - k["from"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("footprint", 2),
            ("organisation", 7),
            ("story", 1),
            ("event", 2),
            ("page", 1)
        ]
    );
    // Organisations are numbered by their own kind, so a query saying `ccg` can rank CCGs.
    let organisation_kinds: Vec<_> = meta["organisation_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kind"].as_str().unwrap())
        .collect();
    assert!(organisation_kinds.contains(&"ccg"), "{meta}");
    assert!(organisation_kinds.contains(&"local-authority"), "{meta}");
    // The word lists for typos in a word's first two letters.
    let first_b = gunzip_json(&dir.join("w/first-b.json.gz")).to_string();
    assert!(first_b.contains("\"bradford\""), "{first_b}");
    let second_r = gunzip_json(&dir.join("w/second-r.json.gz")).to_string();
    assert!(second_r.contains("\"bradford\""), "{second_r}");
    let shard = gunzip_json(&dir.join("t/02.json.gz"));
    assert!(shard["02w"].is_array(), "{shard}");
    let records = gunzip_json(&dir.join("d/0.json.gz"));
    assert!(records.to_string().contains("\"/footprints/alpha/\""));
    assert!(dir.join("r/0.json.gz").is_file());
}

#[test]
fn the_search_page_and_the_header_box_work_without_javascript() {
    let site = Scratch::minimal();
    built(&site, &["--base-url", "https://test.example.org/ldr/"]);
    let page = site.read("search/index.html");
    assert!(
        page.contains(r#"action="/ldr/search/" method="get""#),
        "{page}"
    );
    assert!(page.contains(r#"data-index="/ldr/search/index/""#));
    assert!(page.contains("<noscript>"));
    assert!(page.contains(r#"<a href="/ldr/organisations/">organisations A to Z</a>"#));
    for region in ["North of England", "London"] {
        assert!(page.contains(&format!(r#"<option value="{region}" data-phrase="#)));
    }
    let home = site.read("index.html");
    assert!(home.contains(
        r#"<form class="site-search" role="search" action="/ldr/search/" method="get">"#
    ));
    assert!(site.read("sitemap.xml").contains("/ldr/search/</loc>"));
}

/// Ranking, folding and filters: `tests/js/`, the engine's unit tests and its tests on
/// the small site's real index.
#[test]
fn the_engine_ranks_folds_and_filters() {
    let site = Scratch::minimal();
    built(&site, &[]);
    let output = Command::new("node")
        .args(["--test", "--test-reporter=tap"])
        .arg(repo().join("tests/js/search_engine.test.js"))
        .arg(repo().join("tests/js/search_site.test.js"))
        .env("LDR_SEARCH_SITE", site.output())
        .output()
        .expect("node runs");
    let report = report(&output);
    assert!(output.status.success(), "{report}");
    assert!(report.contains("# fail 0"), "{report}");
    assert!(report.contains("# skipped 0"), "{report}");
    assert!(!report.contains("# pass 0\n"), "{report}");
}

#[test]
fn search_in_chromium_on_the_default_site() {
    let site = Scratch::copy_of(&repo().join("content"));
    built(&site, &["--now", "2026-11-22"]);
    let output = browser_script(&site.output(), "default");
    let report = report(&output);
    assert!(output.status.success(), "{report}");
    assert_eq!(report.matches("ok - ").count(), 15, "{report}");
}

#[test]
fn content_cannot_put_markup_into_results() {
    let site = Scratch::minimal();
    std::fs::write(
        site.content().join("stories/xss.md"),
        "+++\ntitle = \"<img src=x onerror=alert(1)>\"\ndate = 2016-11-03\nsummary = \"<script>alert(2)</script>\"\n+++\n\nA title that is markup.\n",
    )
    .unwrap();
    built(&site, &[]);
    let output = browser_script(&site.output(), "xss");
    let report = report(&output);
    assert!(output.status.success(), "{report}");
    assert_eq!(report.matches("ok - ").count(), 1, "{report}");
}
