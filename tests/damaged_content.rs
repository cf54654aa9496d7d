//! Property: whatever damage a content file suffers (a byte flipped, the file cut short, a
//! stray quote, bracket or fence, a byte-order mark or CRLF, a NUL, bytes that are not
//! UTF-8, a very long or duplicated line), `ldr build` never panics. It builds (exit 0), or
//! it refuses (exit 1) with errors that name a file and a line, and leaves the previous
//! `output/` byte for byte as it was.
//!
//! Every kind of content file is damaged: site.toml, the organisations register, the
//! digital maturity scores, the capabilities, a footprint's TOML and roadmap, a story, an event, a page, the boundaries
//! and a template override. Failing cases found are kept in
//! `tests/damaged_content.proptest-regressions` and run first on every later run.
//! `PROPTEST_CASES` sets how many cases run (default below).
//!
//! A second property puts hostile files in place of any of them, or beside a footprint's
//! files (a link out of the content folder, a loop of links, a FIFO, a web page or SVG
//! under any spelling of its extension, a document that holds a web page): the build is
//! refused, names the file, prints and publishes nothing from outside, and leaves
//! `output/` as it was.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::OnceLock;

use common::{Scratch, copy_dir, repo, snapshot, stderr};
use ldr::Overrides;
use ldr::pipeline::{BuildOptions, Builder};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// The files damaged, relative to `content/`.
const FILES: [&str; 11] = [
    "site.toml",
    "organisations.csv",
    "digital-maturity.csv",
    "capabilities.toml",
    "footprints/alpha/footprint.toml",
    "footprints/alpha/roadmap.md",
    "stories/shared.md",
    "events/national-day.md",
    "pages/about.md",
    "boundaries.geojson",
    "templates/footprint.html",
];

/// More of what real roadmaps hold than the minimal site has, for the damage to hit.
const ROADMAP_EXTRA: &str = "
## Baseline

| Provider | Readiness | Notes |
|:---|---:|---|
| RXF | 60 | *paper-light* |

<details><summary>Detail</summary>

Shared care record: see [the story](../../stories/shared.md \"A story\") and [^1].

</details>

```text
+++ not front matter +++
```

![A chart](chart.png) <abbr title=\"Integrated Digital Care Record\">IDCR</abbr>

[^1]: A footnote.
";

const BOUNDARIES: &str = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"code": "E54000005"}, "geometry": {"type": "Polygon", "coordinates": [[[-1.9, 53.7], [-1.6, 53.7], [-1.6, 53.9], [-1.9, 53.7]]]}},
{"type": "Feature", "properties": {"code": "E54000027"}, "geometry": {"type": "Polygon", "coordinates": [[[0.0, 51.5], [0.2, 51.5], [0.2, 51.6], [0.0, 51.5]]]}}
]}
"#;

/// One kind of damage, at a place given as a fraction of the file.
#[derive(Debug, Clone)]
enum Damage {
    FlipByte { at: u16, mask: u8 },
    Truncate { at: u16 },
    Insert { at: u16, text: &'static [u8] },
    ByteOrderMark,
    Crlf,
    Nul { at: u16 },
    NotUtf8 { at: u16, byte: u8 },
    LongLine { at: u16, repeat: u16 },
    DuplicateLine { at: u16 },
    DeleteLine { at: u16 },
}

/// What editors and mangled copies put into a file: syntax, and what a paste brings
/// (Word's quotes and dashes beside an acronym, a terminal's control characters, a classic
/// Mac line break).
const INSERTS: [&[u8]; 22] = [
    b"\"",
    b"'",
    b"[",
    b"]]",
    b"{",
    b"}",
    b"+++\n",
    b"```\n",
    b"\n+++\n",
    b",",
    b"=",
    b"#",
    b"\\",
    b"<",
    b"{{",
    b"{%",
    "\u{201c}CCG\u{201d}".as_bytes(),
    "partners\u{2019} STP\u{a0}".as_bytes(),
    "plan\u{2014}an LDR".as_bytes(),
    b"\x01",
    b"\x1b[31m",
    b"\r",
];

fn damage() -> impl Strategy<Value = Damage> {
    let at = any::<u16>();
    prop_oneof![
        (at, 1..=255u8).prop_map(|(at, mask)| Damage::FlipByte { at, mask }),
        at.prop_map(|at| Damage::Truncate { at }),
        (at, proptest::sample::select(&INSERTS[..]))
            .prop_map(|(at, text)| Damage::Insert { at, text }),
        Just(Damage::ByteOrderMark),
        Just(Damage::Crlf),
        at.prop_map(|at| Damage::Nul { at }),
        (at, 0x80..=0xFFu8).prop_map(|(at, byte)| Damage::NotUtf8 { at, byte }),
        (at, 1000..20_000u16).prop_map(|(at, repeat)| Damage::LongLine { at, repeat }),
        at.prop_map(|at| Damage::DuplicateLine { at }),
        at.prop_map(|at| Damage::DeleteLine { at }),
    ]
}

/// `at` as a place in a file of `len` bytes.
fn place(at: u16, len: usize) -> usize {
    (at as usize * (len + 1)) / (u16::MAX as usize + 1)
}

/// The start of the line that holds byte `at`, and the start of the next one.
fn line_around(bytes: &[u8], at: usize) -> (usize, usize) {
    let start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i + 1);
    (start, end)
}

fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
    let len = bytes.len();
    match *damage {
        Damage::FlipByte { at, mask } if len > 0 => {
            let i = place(at, len - 1);
            bytes[i] ^= mask;
        }
        Damage::FlipByte { .. } => {}
        Damage::Truncate { at } => bytes.truncate(place(at, len)),
        Damage::Insert { at, text } => {
            let i = place(at, len);
            bytes.splice(i..i, text.iter().copied());
        }
        Damage::ByteOrderMark => {
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
        }
        Damage::Crlf => {
            *bytes = String::from_utf8_lossy(bytes)
                .replace("\r\n", "\n")
                .replace('\n', "\r\n")
                .into_bytes();
        }
        Damage::Nul { at } => bytes.insert(place(at, len), 0),
        Damage::NotUtf8 { at, byte } => bytes.insert(place(at, len), byte),
        Damage::LongLine { at, repeat } => {
            let i = place(at, len);
            let long = "word ".repeat(repeat as usize);
            bytes.splice(i..i, long.into_bytes());
        }
        Damage::DuplicateLine { at } => {
            let (start, end) = line_around(bytes, place(at, len));
            let line = bytes[start..end].to_vec();
            bytes.splice(end..end, line);
        }
        Damage::DeleteLine { at } => {
            let (start, end) = line_around(bytes, place(at, len));
            bytes.drain(start..end);
        }
    }
}

/// The site every case starts from: the minimal site with boundaries, a richer roadmap and
/// a template override, built once, `output/` included.
fn pristine() -> &'static (Scratch, BTreeMap<PathBuf, Vec<u8>>) {
    static PRISTINE: OnceLock<(Scratch, BTreeMap<PathBuf, Vec<u8>>)> = OnceLock::new();
    PRISTINE.get_or_init(|| {
        let site = Scratch::minimal();
        let content = site.content();
        fs::write(content.join("boundaries.geojson"), BOUNDARIES).unwrap();
        fs::write(
            content.join("digital-maturity.csv"),
            "code,year,readiness,capabilities,infrastructure\nRXF,2016,60,\"55\",70\nRF4,2016,40,,35\n",
        )
        .unwrap();
        let roadmap = content.join("footprints/alpha/roadmap.md");
        let text = fs::read_to_string(&roadmap).unwrap() + ROADMAP_EXTRA;
        fs::write(&roadmap, text).unwrap();
        fs::write(content.join("footprints/alpha/chart.png"), b"\x89PNG\r\n").unwrap();
        fs::create_dir_all(content.join("templates")).unwrap();
        fs::copy(
            repo().join("themes/default/templates/footprint.html"),
            content.join("templates/footprint.html"),
        )
        .unwrap();
        let built = site.build();
        assert!(built.status.success(), "{}", stderr(&built));
        let output = snapshot(&site.output());
        (site, output)
    })
}

/// A file put where a content file was, or beside a footprint's files.
#[derive(Debug, Clone)]
enum Hostile {
    /// A link to a file outside the content folder.
    LinkOut,
    /// A link to `/proc/self/environ`.
    LinkToEnviron,
    /// A link to itself.
    LinkLoop,
    /// A named pipe, which would hang a build that read it.
    Fifo,
    /// A footprint attachment of a type that could run script, by this name.
    Attachment(String),
    /// A `.pdf` attachment whose bytes are a web page.
    MarkupInPdf(&'static [u8]),
    /// A document attachment whose name holds this control character.
    ControlInName(char),
}

const SECRET: &str = "SECRET-OUTSIDE-THE-CONTENT-FOLDER";

/// Starts of web pages and SVG images, as a mislabelled document would begin.
const MARKUP: [&[u8]; 4] = [
    b"<html><script>alert(1)</script>",
    b"\xEF\xBB\xBF  <!DOCTYPE html>",
    b"\n<svg onload=alert(1)>",
    b"<?xml version=\"1.0\"?>",
];

/// Extensions of files a browser runs script in, each in some mix of cases, or none.
fn hostile() -> impl Strategy<Value = Hostile> {
    let extensions = proptest::sample::select(
        &[
            "html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl",
            "js", "mjs", "",
        ][..],
    );
    let upper = proptest::collection::vec(any::<bool>(), 8);
    prop_oneof![
        Just(Hostile::LinkOut),
        Just(Hostile::LinkToEnviron),
        Just(Hostile::LinkLoop),
        Just(Hostile::Fifo),
        (extensions, upper).prop_map(|(extension, upper)| {
            let cased: String = extension
                .chars()
                .zip(upper.iter().cycle())
                .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
                .collect();
            Hostile::Attachment(if cased.is_empty() {
                "notes".into()
            } else {
                format!("notes.{cased}")
            })
        }),
        proptest::sample::select(&MARKUP[..]).prop_map(Hostile::MarkupInPdf),
        proptest::sample::select(&['\u{1}', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}'][..])
            .prop_map(Hostile::ControlInName),
    ]
}

/// Puts `hostile` in place of `file` (or beside alpha's files) and checks the refusal.
fn check_hostile(file: &str, hostile: &Hostile) -> Result<(), TestCaseError> {
    let (pristine, output_before) = pristine();
    let site = Scratch::copy_of(&pristine.content());
    copy_dir(&pristine.output(), &site.output());
    let secret = site.path().join("secret.txt");
    fs::write(&secret, SECRET).unwrap();
    let replace = |path: &std::path::Path| {
        let _ = fs::remove_file(path);
        path.to_path_buf()
    };
    let named = match hostile {
        Hostile::LinkOut => {
            let path = replace(&site.content().join(file));
            std::os::unix::fs::symlink(&secret, &path).unwrap();
            format!("content/{file}")
        }
        Hostile::LinkToEnviron => {
            let path = replace(&site.content().join(file));
            std::os::unix::fs::symlink("/proc/self/environ", &path).unwrap();
            format!("content/{file}")
        }
        Hostile::LinkLoop => {
            let path = replace(&site.content().join(file));
            std::os::unix::fs::symlink(path.file_name().unwrap(), &path).unwrap();
            format!("content/{file}")
        }
        Hostile::Fifo => {
            let path = replace(&site.content().join(file));
            let made = std::process::Command::new("mkfifo")
                .arg(&path)
                .status()
                .unwrap();
            prop_assert!(made.success());
            format!("content/{file}")
        }
        Hostile::Attachment(name) => {
            let path = site.content().join("footprints/alpha").join(name);
            fs::write(
                &path,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            )
            .unwrap();
            format!("content/footprints/alpha/{name}")
        }
        Hostile::MarkupInPdf(bytes) => {
            fs::write(site.content().join("footprints/alpha/plan.pdf"), bytes).unwrap();
            "content/footprints/alpha/plan.pdf".into()
        }
        Hostile::ControlInName(c) => {
            let name = format!("plan{c}2016.pdf");
            fs::write(
                site.content().join("footprints/alpha").join(name),
                "%PDF-1.7\n",
            )
            .unwrap();
            // The name is shown with its control character escaped.
            "content/footprints/alpha/plan".into()
        }
    };
    let built = site.build();
    let log = stderr(&built);
    prop_assert!(!log.contains("panicked"), "ldr panicked:\n{log}");
    prop_assert_eq!(
        built.status.code(),
        Some(1),
        "{:?} as {}:\n{}",
        hostile,
        file,
        log
    );
    prop_assert!(
        log.contains(&format!("--> {named}")),
        "the error names {named}:\n{log}"
    );
    prop_assert!(!log.contains(SECRET), "the secret was printed:\n{log}");
    prop_assert!(
        output_before == &snapshot(&site.output()),
        "a refused build changed output/:\n{log}"
    );
    Ok(())
}

/// Checks one damaged site and gives its exit code; a failure is a message for proptest.
fn check(file: &str, damages: &[Damage]) -> Result<i32, TestCaseError> {
    let (pristine, output_before) = pristine();
    let site = Scratch::copy_of(&pristine.content());
    copy_dir(&pristine.output(), &site.output());
    let path = site.content().join(file);
    let mut bytes = fs::read(&path).unwrap();
    for damage in damages {
        apply(&mut bytes, damage);
    }
    fs::write(&path, &bytes).unwrap();

    let built = site.build();
    let log = stderr(&built);
    prop_assert!(!log.contains("panicked"), "ldr panicked:\n{log}");
    let code = built.status.code();
    match code {
        Some(0) => {}
        Some(1) => {
            prop_assert!(
                every_error_is_placed(&log),
                "an error names no file and line:\n{log}"
            );
            prop_assert!(
                output_before == &snapshot(&site.output()),
                "a failed build changed output/:\n{log}"
            );
        }
        other => prop_assert!(false, "exit status {other:?}:\n{log}"),
    }
    Ok(code.unwrap_or(-1))
}

/// Every `error:` is followed, before the next message, by a `--> file:line:column` line.
fn every_error_is_placed(log: &str) -> bool {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in log.lines() {
        if line.starts_with("error: ") || line.starts_with("warning: ") {
            blocks.push(Vec::new());
        }
        if let Some(block) = blocks.last_mut() {
            block.push(line);
        }
    }
    let placed = |block: &Vec<&str>| {
        block.iter().any(|line| {
            line.trim_start().strip_prefix("--> ").is_some_and(|place| {
                let mut parts = place.rsplitn(3, ':');
                let column = parts.next().unwrap_or_default();
                let line = parts.next().unwrap_or_default();
                column.parse::<usize>().is_ok() && line.parse::<usize>().is_ok()
            })
        })
    };
    let errors: Vec<&Vec<&str>> = blocks
        .iter()
        .filter(|b| b[0].starts_with("error: "))
        .collect();
    // The last is the summary: "error: N errors; the build failed and nothing was written".
    let Some((summary, errors)) = errors.split_last() else {
        return false;
    };
    !errors.is_empty()
        && summary[0].ends_with("nothing was written")
        && errors.iter().all(|b| placed(b))
}

proptest! {
    #![proptest_config(Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(400),
        ..Config::default()
    })]

    #[test]
    fn damaged_content_saved_under_the_preview_never_panics(
        file in proptest::sample::select(&FILES[..]),
        damages in proptest::collection::vec(damage(), 1..=3),
    ) {
        check_preview(file, &damages)?;
    }

    #[test]
    fn hostile_files_are_refused_by_their_path(
        file in proptest::sample::select(&FILES[..]),
        hostile in hostile(),
    ) {
        check_hostile(file, &hostile)?;
    }

    #[test]
    fn damaged_content_is_built_or_refused_with_its_place(
        file in proptest::sample::select(&FILES[..]),
        damages in proptest::collection::vec(damage(), 1..=3),
    ) {
        check(file, &damages)?;
    }
}

/// The same damage saved under a running preview: the serve builder (which patches a
/// roadmap or a footprint's own fields into the kept build) must not panic either, and its
/// errors carry a place.
fn check_preview(file: &str, damages: &[Damage]) -> Result<(), TestCaseError> {
    let (pristine, _) = pristine();
    let site = Scratch::copy_of(&pristine.content());
    let options = BuildOptions {
        content: site.content(),
        themes: repo().join("themes"),
        overrides: Overrides::default(),
    };
    let mut builder = Builder::new(options);
    prop_assert!(builder.build().is_ok(), "the undamaged site builds");
    let path = site.content().join(file);
    let mut bytes = fs::read(&path).unwrap();
    for damage in damages {
        apply(&mut bytes, damage);
    }
    fs::write(&path, &bytes).unwrap();
    let rebuilt = panic::catch_unwind(AssertUnwindSafe(|| builder.rebuild(&[path])));
    match rebuilt {
        Err(_) => prop_assert!(false, "the preview's rebuild panicked"),
        Ok(Ok(_)) => {}
        Ok(Err(problems)) => {
            for problem in problems.iter().filter(|p| p.is_error()) {
                prop_assert!(problem.location.is_some(), "no line in:\n{problem}");
            }
        }
    }
    Ok(())
}

#[test]
fn every_damaged_file_can_be_refused_with_its_place() {
    // The property's checks of a refusal must really run for every file, not only builds
    // that happen to survive: a byte that is not UTF-8 breaks any of them.
    for file in FILES {
        let code = check(file, &[Damage::NotUtf8 { at: 0, byte: 0x92 }]).unwrap();
        assert_eq!(code, 1, "{file} with a Windows-1252 byte is refused");
    }
}
