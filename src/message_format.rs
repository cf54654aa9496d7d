//! Diagnostics for tools: JSON lines as `cargo --message-format json` prints them, and
//! GitHub Actions workflow commands that annotate the pull request's files. The human
//! format (rustc's, from [`crate::diagnostic`]) stays the default and goes to stderr; these
//! go to stdout, one line each, so a tool can read them while a person reads stderr.

use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, Severity, printable};

/// How `ldr build` and `ldr check` print what they found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// rustc's shape, on stderr.
    #[default]
    Human,
    /// One JSON object per diagnostic, then a summary, on stdout.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`) on stdout; the human
    /// text on stderr as well, for the log.
    Github,
}

/// The end of a run, for tools: whether it built and what it found.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub success: bool,
    pub errors: usize,
    pub warnings: usize,
    /// Files the build made (0 when it failed or only checked).
    pub files: usize,
}

#[derive(Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
enum Line<'a> {
    Diagnostic(DiagnosticJson<'a>),
    BuildFinished(&'a Summary),
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    level: &'static str,
    message: &'a str,
    file: Option<String>,
    #[serde(flatten)]
    place: Option<Place>,
    label: Option<&'a str>,
    help: Option<&'a str>,
    notes: Vec<NoteJson<'a>>,
    /// The human text, as `cargo` gives it in `rendered`.
    rendered: String,
}

#[derive(Serialize)]
struct Place {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct NoteJson<'a> {
    message: &'a str,
    file: String,
    #[serde(flatten)]
    place: Place,
}

fn place(at: &Location) -> Place {
    Place {
        line: at.line,
        column: at.column,
        end_line: at.line,
        end_column: at.column + at.width,
    }
}

fn level(diagnostic: &Diagnostic) -> &'static str {
    match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// One JSON object per diagnostic, then the summary.
pub fn json_lines(problems: &Diagnostics, summary: &Summary) -> String {
    let mut out = String::new();
    for diagnostic in problems.iter() {
        let line = Line::Diagnostic(DiagnosticJson {
            level: level(diagnostic),
            message: &diagnostic.message,
            file: diagnostic.path.as_deref().map(shown),
            place: diagnostic.location.as_ref().map(place),
            label: diagnostic.label.as_deref(),
            help: diagnostic.help.as_deref(),
            notes: diagnostic
                .notes
                .iter()
                .map(|(message, at)| NoteJson {
                    message,
                    file: shown(&at.path),
                    place: place(at),
                })
                .collect(),
            rendered: diagnostic.to_string(),
        });
        push_json(&mut out, &line);
    }
    push_json(&mut out, &Line::BuildFinished(summary));
    out
}

fn push_json(out: &mut String, line: &Line) {
    // Serialising plain strings and numbers cannot fail.
    out.push_str(&serde_json::to_string(line).unwrap_or_default());
    out.push('\n');
}

/// One workflow command per diagnostic: GitHub shows each on the file's line in the pull
/// request, and in the run's summary.
pub fn github_commands(problems: &Diagnostics) -> String {
    let mut out = String::new();
    for diagnostic in problems.iter() {
        let mut properties = Vec::new();
        if let Some(path) = &diagnostic.path {
            properties.push(format!("file={}", property(&printable(&shown(path)))));
        }
        if let Some(at) = &diagnostic.location {
            let end = at.column + at.width;
            properties.push(format!(
                "line={},col={},endColumn={end}",
                at.line, at.column
            ));
        }
        properties.push(format!(
            "title={}",
            property(&format!("ldr: {}", printable(&diagnostic.message)))
        ));
        // Shown in the run's log as well as on the file: terminal controls from content are
        // escaped as in the human text, and the line breaks below are the only ones.
        let mut text = printable(&diagnostic.message).into_owned();
        if let Some(label) = &diagnostic.label {
            text.push_str(&format!(" ({})", printable(label)));
        }
        if let Some(help) = &diagnostic.help {
            text.push_str(&format!("\nhelp: {}", printable(help)));
        }
        out.push_str(&format!(
            "::{} {}::{}\n",
            level(diagnostic),
            properties.join(","),
            data(&text)
        ));
    }
    out
}

/// Escapes a command's message, as the Actions toolkit does (`escapeData`).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value, as the Actions toolkit does (`escapeProperty`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown_code() -> Diagnostics {
        let source = "name = \"Beta\"\nmembers = [\"RF4\", \"ZZZ\"]\n";
        let at = Location::in_source(
            Path::new("content/footprints/beta/footprint.toml"),
            source,
            32..37,
        );
        Diagnostic::error("unknown organisation code `ZZZ`")
            .at(at)
            .label("not in organisations.csv")
            .help("check the code, or add it: 50% of typos are, in our experience, one letter")
            .into()
    }

    #[test]
    fn json_has_the_place_and_a_summary() {
        let summary = Summary {
            success: false,
            errors: 1,
            warnings: 0,
            files: 0,
        };
        let text = json_lines(&unknown_code(), &summary);
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["reason"], "diagnostic");
        assert_eq!(lines[0]["level"], "error");
        assert_eq!(lines[0]["file"], "content/footprints/beta/footprint.toml");
        assert_eq!(
            (lines[0]["line"].as_u64(), lines[0]["column"].as_u64()),
            (Some(2), Some(19))
        );
        assert_eq!(lines[0]["end_column"], 24);
        assert!(
            lines[0]["rendered"]
                .as_str()
                .unwrap()
                .contains(" --> content/footprints/beta/footprint.toml:2:19")
        );
        assert_eq!(lines[1]["reason"], "build-finished");
        assert_eq!(lines[1]["success"], false);
    }

    #[test]
    fn github_commands_are_escaped() {
        let text = github_commands(&unknown_code());
        assert_eq!(
            text,
            "::error file=content/footprints/beta/footprint.toml,line=2,col=19,endColumn=24,\
             title=ldr%3A unknown organisation code `ZZZ`::unknown organisation code `ZZZ` \
             (not in organisations.csv)%0Ahelp: check the code, or add it: 50%25 of typos are, \
             in our experience, one letter\n"
        );
    }
}
