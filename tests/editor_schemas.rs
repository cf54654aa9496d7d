//! The JSON Schemas editors use (`ldr schema`, `.taplo.toml`): made from the loader's own
//! types, they accept every file of the default content and refuse what the loader refuses
//! for a schema reason, as Python's `jsonschema` and Taplo's CLI both read them.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Scratch, copy_dir, repo, stderr};

/// The invalid fixtures whose mistake is the shape of the file, not its meaning.
const SCHEMA_MISTAKES: [&str; 3] = ["unknown-key", "wrong-type", "missing-key"];

fn toml_and_markdown(content: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            let front_matter = ["stories", "events", "pages"]
                .iter()
                .any(|kind| p.parent().unwrap().ends_with(kind));
            ["site.toml", "capabilities.toml", "footprint.toml"].contains(&&*name)
                || (front_matter && name.ends_with(".md"))
        })
        .collect();
    files.sort();
    files
}

/// `(file, valid)` for each file, as `jsonschema` sees it against the committed schemas.
fn json_schema_verdicts(files: &[PathBuf]) -> Vec<(String, bool, String)> {
    let output = Command::new("python3")
        .arg(repo().join("tests/check_schemas.py"))
        .arg(repo().join("schemas"))
        .args(files)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let verdict: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                verdict["file"].as_str().unwrap().to_string(),
                verdict["valid"].as_bool().unwrap(),
                verdict["error"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Taplo's CLI over `files` of a site folder holding `.taplo.toml` and `schemas/`.
fn taplo_check(site: &Path, files: &[&str]) -> std::process::Output {
    Command::new("taplo")
        .arg("check")
        .args(files)
        .current_dir(site)
        .output()
        .expect("taplo is installed: run scripts/install-test-tools")
}

#[test]
fn committed_schemas_and_taplo_config_are_what_ldr_writes() {
    let site = Scratch::minimal();
    let written = Command::new(env!("CARGO_BIN_EXE_ldr"))
        .args(["schema", "--output", "schemas"])
        .current_dir(site.path())
        .output()
        .unwrap();
    assert!(written.status.success(), "{}", stderr(&written));
    let fresh = common::snapshot(&site.path().join("schemas"));
    assert_eq!(fresh.len(), 6);
    assert_eq!(
        fresh,
        common::snapshot(&repo().join("schemas")),
        "schemas/ is out of date: run `cargo run -- schema`"
    );
    assert_eq!(
        fs::read_to_string(repo().join(".taplo.toml")).unwrap(),
        ldr::editor_schemas::taplo_config()
    );
}

#[test]
fn every_content_file_fits_its_schema() {
    let mut files = toml_and_markdown(&repo().join("content"));
    files.extend(toml_and_markdown(
        &repo().join("tests/fixtures/minimal/content"),
    ));
    let verdicts = json_schema_verdicts(&files);
    assert_eq!(verdicts.len(), files.len());
    assert!(
        verdicts.len() > 50,
        "the default content has every kind of file"
    );
    for (file, valid, error) in verdicts {
        assert!(valid, "{file}: {error}");
    }
}

#[test]
fn what_the_loader_refuses_for_its_shape_the_schema_refuses() {
    let files: Vec<PathBuf> = SCHEMA_MISTAKES
        .iter()
        .map(|case| {
            repo()
                .join("tests/fixtures/invalid")
                .join(case)
                .join("content/footprints/beta/footprint.toml")
        })
        .collect();
    let verdicts = json_schema_verdicts(&files);
    let errors: Vec<&str> = verdicts.iter().map(|(_, _, e)| e.as_str()).collect();
    assert_eq!(
        errors,
        [
            "Additional properties are not allowed ('nmae' was unexpected)",
            "'07L' is not of type 'array'",
            "'region' is a required property",
        ]
    );
}

#[test]
fn taplo_agrees() {
    let site = Scratch::copy_of(&repo().join("content"));
    copy_dir(&repo().join("schemas"), &site.path().join("schemas"));
    fs::copy(repo().join(".taplo.toml"), site.path().join(".taplo.toml")).unwrap();
    // Every TOML file of the default content, named, so that taplo checks them all.
    let files: Vec<String> = toml_and_markdown(&site.content())
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.strip_prefix(site.path()).unwrap().display().to_string())
        .collect();
    assert!(files.len() > 45, "{files:?}");
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    let good = taplo_check(site.path(), &names);
    assert!(good.status.success(), "{}", stderr(&good));

    for case in SCHEMA_MISTAKES {
        let fixture = repo()
            .join("tests/fixtures/invalid")
            .join(case)
            .join("content");
        site.overlay(&fixture);
        let bad = taplo_check(site.path(), &["content/footprints/beta/footprint.toml"]);
        assert!(!bad.status.success(), "{case}: taplo accepted it");
        // Taplo's closing log line is written by a background thread and can be lost when
        // the machine is busy; its per-problem report is not.
        assert!(stderr(&bad).contains("error: "), "{case}: {}", stderr(&bad));
        fs::remove_file(site.content().join("footprints/beta/footprint.toml")).unwrap();
    }
}
