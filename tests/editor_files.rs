//! The files real editors make: Windows line endings and byte-order marks in every kind of
//! content file, and an organisations register as Excel saves it. They build, and build
//! exactly the site that the same content saved on Linux builds.

mod common;

use std::fs;
use std::path::Path;

use common::{Scratch, repo, snapshot, stderr};

/// Saves every text file under `content` as Notepad or Excel on Windows would: CRLF line
/// endings and a UTF-8 byte-order mark.
fn save_as_on_windows(content: &Path) {
    for entry in walkdir::WalkDir::new(content) {
        let path = entry.unwrap().into_path();
        let text_kinds = ["toml", "md", "csv", "geojson"];
        if !path
            .extension()
            .is_some_and(|e| text_kinds.iter().any(|k| e == *k))
        {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap().replace("\r\n", "\n");
        let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        fs::write(&path, windows).unwrap();
    }
}

#[test]
fn default_site_saved_on_windows_builds_byte_for_byte_the_same() {
    let unix = Scratch::copy_of(&repo().join("content"));
    let windows = Scratch::copy_of(&repo().join("content"));
    save_as_on_windows(&windows.content());
    assert!(
        fs::read(windows.content().join("organisations.csv"))
            .unwrap()
            .starts_with(b"\xEF\xBB\xBFcode,name,kind,region\r\n")
    );

    for site in [&unix, &windows] {
        // A real address, so that the placeholder's warning does not hide another.
        let built = site.ldr(&[
            "build",
            "--now",
            "2026-11-22",
            "--base-url",
            "https://roadmaps.test",
        ]);
        assert!(built.status.success(), "{}", stderr(&built));
        assert!(stderr(&built).contains(" 0 warnings"), "{}", stderr(&built));
    }
    let (unix, windows) = (snapshot(&unix.output()), snapshot(&windows.output()));
    assert_eq!(unix.len(), windows.len());
    for (path, bytes) in &unix {
        assert!(
            windows.get(path) == Some(bytes),
            "{} differs when the content is saved on Windows",
            path.display()
        );
    }
}

#[test]
fn register_saved_by_excel_with_quoted_cells_builds() {
    let site = Scratch::minimal();
    let register = site.content().join("organisations.csv");
    let mut text = fs::read_to_string(&register).unwrap();
    // Excel quotes what needs it, doubles quotes and leaves rows of empty cells where cells
    // were formatted.
    text.push_str(
        "X97,\"Example \"\"Care Together\"\" Partnership, Bradford é\",other,North of England\n",
    );
    text.push_str(",,,\n,,,\n\n");
    fs::write(&register, &text).unwrap();
    save_as_on_windows(&site.content());

    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    let page = site.read("organisations/X97/index.html");
    assert!(
        page.contains("Example &quot;Care Together&quot; Partnership, Bradford é"),
        "the doubled quotes are undone and the accent kept"
    );

    // A line break typed in a cell (Alt+Enter) is refused at its quote: no cell of the
    // register may hold one, since a stray quote that swallows rows looks the same.
    let before = snapshot(&site.output());
    text.push_str("X96,\"Example Hospice\nfor Airedale\",other,\n");
    fs::write(&register, text).unwrap();
    save_as_on_windows(&site.content());
    for command in ["build", "check"] {
        let refused = site.ldr(&[command]);
        let log = stderr(&refused);
        assert_eq!(refused.status.code(), Some(1), "{command}: {log}");
        assert!(
            log.contains("error: a quote in organisations.csv is not closed on its row")
                && log.contains("content/organisations.csv:13:5"),
            "{command}: the cell is refused at its quote:\n{log}"
        );
    }
    assert_eq!(before, snapshot(&site.output()));
}
