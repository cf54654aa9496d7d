//! The benchmark corpus (`bench/generate_corpus.py`) builds with ldr and with Hugo, and
//! both make a page for every generated footprint. No timing is measured here; that is
//! `bench/run.sh`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(command: &mut Command, what: &str) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn require_hugo() {
    let installed = Command::new("hugo")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        installed,
        "hugo is not installed, and this test builds the benchmark corpus with it: \
         run scripts/install-test-tools"
    );
}

fn footprint_slugs(content: &Path) -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(content.join("footprints"))
        .expect("the generator writes content/footprints/")
        .map(|entry| entry.expect("a readable folder entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    slugs
}

#[test]
fn the_benchmark_corpus_builds_with_ldr_and_with_hugo() {
    require_hugo();
    let repo = repo();
    let corpus = tempfile::tempdir().expect("a temporary folder");
    run(
        Command::new("python3")
            .arg(repo.join("bench/generate_corpus.py"))
            .arg("12")
            .arg(corpus.path()),
        "python3 bench/generate_corpus.py 12",
    );
    let content = corpus.path().join("ldr/content");
    let slugs = footprint_slugs(&content);
    assert_eq!(slugs.len(), 12, "footprint folders: {slugs:?}");

    let ldr_out = tempfile::tempdir().expect("a temporary folder");
    let ldr_site = ldr_out.path().join("site");
    run(
        Command::new(env!("CARGO_BIN_EXE_ldr"))
            .arg("build")
            .arg("--content")
            .arg(&content)
            .arg("--themes")
            .arg(repo.join("themes"))
            .arg("--output")
            .arg(&ldr_site),
        "ldr build of the benchmark corpus",
    );

    let hugo_site = tempfile::tempdir().expect("a temporary folder");
    run(
        Command::new("hugo")
            .arg("--quiet")
            .arg("--source")
            .arg(corpus.path().join("hugo"))
            .arg("--destination")
            .arg(hugo_site.path()),
        "hugo build of the benchmark corpus",
    );

    for slug in &slugs {
        for (tool, root) in [("ldr", ldr_site.as_path()), ("hugo", hugo_site.path())] {
            let page = root.join("footprints").join(slug).join("index.html");
            assert!(
                page.is_file(),
                "{tool} made no page for footprint `{slug}`: footprints/{slug}/index.html is missing"
            );
        }
    }
}
