//! A site published under a path (`--base-url https://host/ldr/`): every link, stylesheet,
//! script, image, form and search index of every page resolves, as a static host serving
//! `output/` at `/ldr/` would answer it.

mod common;

use std::path::Path;

use common::{Scratch, repo, stderr};
use scraper::{Html, Selector};
use url::Url;

const BASE: &str = "https://roadmaps.nhs.test/ldr/";

/// The URL a static host gives the page at `relative` inside `output/`.
fn page_url(relative: &Path) -> Url {
    let path = relative.to_string_lossy().replace('\\', "/");
    let path = path.strip_suffix("index.html").unwrap_or(&path);
    Url::parse(BASE).unwrap().join(path).unwrap()
}

/// The file a static host serves for `url`, if `url` is on the site.
fn served_file(output: &Path, url: &Url) -> Option<std::path::PathBuf> {
    let path = url.path().strip_prefix("/ldr/")?;
    let path = percent_decode(path);
    let file = if path.is_empty() || path.ends_with('/') {
        output.join(&path).join("index.html")
    } else {
        output.join(&path)
    };
    Some(file)
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[test]
fn every_link_and_asset_resolves_under_a_path_prefix() {
    let site = Scratch::copy_of(&repo().join("content"));
    let built = site.ldr(&["build", "--base-url", BASE, "--now", "2026-11-22"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let output = site.output();
    let origin = Url::parse(BASE).unwrap().origin();
    let references = [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("script[src]", "src"),
        ("img[src]", "src"),
        ("form[action]", "action"),
        ("[data-index]", "data-index"),
    ];
    let mut checked = 0;
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(&output) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let relative = entry.path().strip_prefix(&output).unwrap();
        let page = page_url(relative);
        let html = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        for (selector, attribute) in references {
            for element in html.select(&Selector::parse(selector).unwrap()) {
                let written = element.value().attr(attribute).unwrap();
                let Ok(mut target) = page.join(written) else {
                    broken.push(format!("{}: unreadable `{written}`", relative.display()));
                    continue;
                };
                if target.origin() != origin {
                    continue;
                }
                target.set_query(None);
                target.set_fragment(None);
                if attribute == "data-index" {
                    target = target.join("meta.json.gz").unwrap();
                }
                checked += 1;
                match served_file(&output, &target) {
                    Some(file) if file.is_file() => {}
                    _ => broken.push(format!("{}: `{written}` -> {target}", relative.display())),
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(checked > 10_000, "only {checked} references were checked");
}
