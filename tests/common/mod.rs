//! Shared by the integration tests: run the real `ldr` binary on copies of fixture sites.
#![allow(dead_code)]

pub mod http;
pub mod preview;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch site folder: `content/` copied from a fixture, `output/` beside it.
pub struct Scratch {
    pub dir: TempDir,
}

impl Scratch {
    /// A copy of the small valid site in `tests/fixtures/minimal`.
    pub fn minimal() -> Scratch {
        Scratch::copy_of(&repo().join("tests/fixtures/minimal/content"))
    }

    pub fn copy_of(content: &Path) -> Scratch {
        let dir = tempfile::Builder::new()
            .prefix("ldr-test-")
            .tempdir()
            .unwrap();
        copy_dir(content, &dir.path().join("content"));
        Scratch { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn content(&self) -> PathBuf {
        self.path().join("content")
    }

    pub fn output(&self) -> PathBuf {
        self.path().join("output")
    }

    /// Copies `overlay`'s files over the site's content.
    pub fn overlay(&self, overlay: &Path) {
        copy_dir(overlay, &self.content());
    }

    /// Runs `ldr ARGS` in the site folder, with the repository's themes unless ARGS name some.
    pub fn ldr(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ldr"));
        command.args(args);
        if !args.contains(&"--themes") {
            command.arg("--themes").arg(repo().join("themes"));
        }
        command.current_dir(self.path()).output().expect("ldr runs")
    }

    /// `ldr build` and `ldr check` both refuse the site (exit 1) with every one of
    /// `expected` in their messages, and leave `output/` as it was. Returns what each
    /// printed, for further checks.
    pub fn refused_by_build_and_check(&self, expected: &[&str]) -> Vec<String> {
        let before = snapshot(&self.output());
        ["build", "check"]
            .into_iter()
            .map(|command| {
                let run = self.ldr(&[command]);
                let text = stderr(&run);
                assert_eq!(run.status.code(), Some(1), "{command}:\n{text}");
                for needle in expected {
                    assert!(text.contains(needle), "{command}: `{needle}` in:\n{text}");
                }
                assert_eq!(
                    before,
                    snapshot(&self.output()),
                    "{command} changed output/"
                );
                text
            })
            .collect()
    }

    /// The minimal site, built once into `output/`.
    pub fn built_minimal() -> Scratch {
        let site = Scratch::minimal();
        let built = site.build();
        assert!(built.status.success(), "{}", stderr(&built));
        site
    }

    pub fn build(&self) -> Output {
        self.ldr(&["build"])
    }

    pub fn read(&self, path: &str) -> String {
        fs::read_to_string(self.output().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// The default site, built once per test binary (on the date the tests fix), for tests that
/// only read it.
pub fn built_default_site() -> &'static Scratch {
    static SITE: std::sync::OnceLock<Scratch> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let site = Scratch::copy_of(&repo().join("content"));
        let output = site.ldr(&["build", "--now", "2026-11-22"]);
        assert!(output.status.success(), "{}", stderr(&output));
        site
    })
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, to compare a folder before and after.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}
