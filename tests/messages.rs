//! What ldr prints about content stays readable and safe: long lines are quoted in a
//! window, repeated errors are counted instead of reprinted, and nothing from content
//! reaches a terminal or a CI runner as a control sequence or a workflow command.

mod common;

use std::fs;

use common::{Scratch, stderr};

/// A page whose one line holds `count` links to nowhere, as a pasted export might.
fn site_with_long_line_of_broken_links(count: usize) -> Scratch {
    let site = Scratch::minimal();
    let line = "[a](/nowhere/) ".repeat(count);
    fs::write(
        site.content().join("pages/long.md"),
        format!("+++\ntitle = \"Long\"\n+++\n\n{line}\n"),
    )
    .unwrap();
    site
}

#[test]
fn a_long_line_of_broken_links_is_quoted_in_a_window_and_counted_not_reprinted() {
    let site = site_with_long_line_of_broken_links(4_000);
    let output = site.ldr(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    // Ten errors, each quoting about a hundred columns, and one line for the rest.
    assert!(
        output.stderr.len() < 20_000,
        "{} bytes of errors",
        output.stderr.len()
    );
    assert_eq!(text.matches("goes nowhere").count(), 10, "{text}");
    assert!(
        text.contains("note: and 3,990 more errors like this in content/pages/long.md"),
        "{text}"
    );
    assert!(
        text.contains("error: 4000 errors;") || text.contains("4,000 errors"),
        "{text}"
    );
    for line in text.lines() {
        assert!(line.chars().count() < 200, "a long quoted line: {line}");
    }
}

#[test]
fn the_quoted_window_keeps_the_caret_under_the_link() {
    let site = site_with_long_line_of_broken_links(4_000);
    let text = stderr(&site.ldr(&["check"]));
    // The tenth error is at column 9 * 15 + 1 of line 5: its window starts inside the line.
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with("content/pages/long.md:5:136"))
        .unwrap_or_else(|| panic!("no tenth error:\n{text}"));
    let quoted = lines[at + 2].strip_prefix("5 | ").unwrap();
    let carets = lines[at + 3].strip_prefix("  | ").unwrap();
    assert!(quoted.starts_with("..."), "{quoted}");
    let column = carets.find('^').unwrap();
    assert_eq!(
        &quoted[column..column + 14],
        "[a](/nowhere/)",
        "{quoted}\n{carets}"
    );
}

/// Every byte a terminal acts on, as content might smuggle it in (ESC with CSI and OSC,
/// BEL, backspace, carriage return, the C1 CSI) and the direction overrides that make a
/// line read differently from what it holds.
const HOSTILE: &str = "\u{1b}[2J\u{1b}]0;owned\u{7}\u{8}\r\u{9b}31m\u{202e}\u{2066}";

fn assert_no_terminal_controls(stream: &[u8], what: &str) {
    let text = String::from_utf8_lossy(stream);
    for c in text.chars() {
        let control = (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        assert!(!control, "{what} holds U+{:04X}:\n{text}", c as u32);
    }
}

/// `text` as a TOML basic string's contents, every character outside printable ASCII escaped.
fn toml_escaped(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c.to_string(),
            _ => format!("\\u{:04X}", c as u32),
        })
        .collect()
}

#[test]
fn control_characters_in_markdown_are_printed_escaped() {
    let site = Scratch::minimal();
    fs::write(
        site.content().join("pages/about.md"),
        format!("+++\ntitle = \"About\"\n+++\n\nText {HOSTILE} and [a](/nowhere/).\n"),
    )
    .unwrap();
    let output = site.ldr(&["check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_no_terminal_controls(&output.stderr, "stderr");
    assert!(
        stderr(&output).contains("\\u{1b}[2J"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn control_characters_from_content_are_printed_escaped() {
    let site = Scratch::minimal();
    let footprint = site.content().join("footprints/beta/footprint.toml");
    let toml = fs::read_to_string(&footprint).unwrap().replace(
        "members = [\"RF4\"]",
        &format!("members = [\"RF4\", \"{}\"]", toml_escaped(HOSTILE)),
    );
    fs::write(&footprint, toml).unwrap();
    for format in ["human", "json", "github"] {
        let output = site.ldr(&["check", "--message-format", format]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_no_terminal_controls(&output.stderr, "stderr");
        if format != "json" {
            assert_no_terminal_controls(&output.stdout, "stdout");
        }
    }
    // Refused where it is written, and named without being printed.
    let text = stderr(&site.ldr(&["check"]));
    assert!(
        text.contains("holds the control character U+001B"),
        "{text}"
    );
}

#[test]
fn content_cannot_forge_workflow_commands_on_either_stream() {
    let site = Scratch::minimal();
    let footprint = site.content().join("footprints/beta/footprint.toml");
    let forged =
        "X\\n::error file=README.md,line=1::forged\\r\\n  ::stop-commands::x\\n##[error]old style";
    let toml = fs::read_to_string(&footprint).unwrap().replace(
        "members = [\"RF4\"]",
        &format!("members = [\"RF4\", \"{forged}\"]"),
    );
    fs::write(&footprint, toml).unwrap();
    let output = site.ldr(&["check", "--message-format", "github"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    // A runner reads a command from any line that starts with `::` after spaces, and an
    // older one from `##[` anywhere in a line.
    let commands: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("::"))
        .collect();
    assert_eq!(commands.len(), stdout.lines().count(), "{stdout}");
    assert_eq!(commands.len(), 1, "one error, one command:\n{stdout}");
    assert!(commands[0].starts_with("::error file=content/footprints/beta/footprint.toml,"));
    // The forged text is the command's message, not a command of its own.
    assert!(!commands[0].contains("\n"), "{stdout}");
    for line in stderr.lines() {
        assert!(!line.trim_start().starts_with("::"), "stderr: {line}");
    }
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert!(!text.contains("##["), "{name}: {text}");
        assert!(!text.contains('\r'), "{name}: {text}");
    }
}

#[test]
fn the_preview_overlay_stays_small_however_many_errors() {
    use common::http::get;
    use common::preview::{Preview, expect_event};
    let preview = Preview::start();
    let mut events = preview.events();
    let line = "[a](/nowhere/) ".repeat(4_000);
    fs::write(
        preview.content("pages/about.md"),
        format!("+++\ntitle = \"About\"\n+++\n\n{line}\n"),
    )
    .unwrap();
    let error = expect_event(&mut events, "build-error");
    assert!(error.len() < 70_000, "an overlay of {} bytes", error.len());
    assert!(error.contains("3,990 more errors like this"), "{error}");
    let page = get(preview.port, "/footprints/beta/");
    assert_eq!(page.status, 200);
    let bare = get(preview.port, "/footprints/alpha/").text().len();
    assert!(page.text().contains("goes nowhere"));
    assert!(bare < 200_000, "a page of {bare} bytes with its overlay");
}
