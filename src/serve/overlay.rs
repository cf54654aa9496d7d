//! What the browser's error overlay is sent when a build fails: each problem as data (file,
//! line, column, the source line, what is wrong, what to do), so the script can lay it out
//! for a content editor, and the same problems as rustc-style text, as the terminal shows it.
//! Paths are relative to the site folder (the one holding `content/`), as the editor knows
//! their files; an absolute path on this machine means nothing to them and crowds a phone.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};

/// The page served while no build has succeeded yet: the overlay shows over it, and its own
/// words say where the mistakes are for a browser that runs no script.
pub(crate) const FIRST_BUILD_FAILED: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>The site can’t be shown yet</title></head><body><main>\
<h1>The site can’t be shown yet</h1><p>There are mistakes in the content or the theme. \
They are listed in the terminal where <code>ldr serve</code> runs. When you save the fix, this page \
shows the site.</p></main></body></html>";

#[derive(Serialize)]
struct Payload<'a> {
    /// Whether a last good version of the site is still served under the overlay (false
    /// when the first build failed: there is nothing to show yet).
    kept: bool,
    /// The first errors: every open page is sent them and draws them, so however many the
    /// content has, the overlay stays small; `total_errors` counts them all.
    errors: Vec<Problem<'a>>,
    total_errors: usize,
    /// Shown apart from the errors: they do not stop the page updating.
    warnings: Vec<Problem<'a>>,
    total_warnings: usize,
    /// Every problem as the terminal prints it (rustc's shape), paths relative.
    text: String,
}

#[derive(Serialize)]
struct Problem<'a> {
    message: &'a str,
    file: Option<String>,
    #[serde(flatten)]
    place: Option<Place<'a>>,
    label: Option<&'a str>,
    help: Option<&'a str>,
    notes: Vec<Note<'a>>,
}

#[derive(Serialize)]
struct Place<'a> {
    line: usize,
    /// In characters, from 1; the script underlines `width` characters from there.
    column: usize,
    width: usize,
    /// The quoted part of the line: all of it, or a window around the column of a long
    /// line, which starts `skipped` characters in (and is `cut` short of its end).
    source: &'a str,
    skipped: usize,
    cut: bool,
}

#[derive(Serialize)]
struct Note<'a> {
    message: &'a str,
    file: String,
    #[serde(flatten)]
    place: Place<'a>,
}

/// The overlay's payload for `problems`, a JSON object on one line (an event stream's
/// `data:` line cannot hold a line break; JSON escapes those inside strings). `content` is
/// the content folder: its parent is the site folder that paths are shown from.
pub(crate) fn payload(problems: &Diagnostics, content: &Path, kept: bool) -> String {
    let site = Site::new(content);
    let mut shown = Diagnostics::new();
    for diagnostic in problems.iter() {
        shown.push(site.relative_diagnostic(diagnostic));
    }
    let errors = || shown.iter().filter(|d| d.is_error());
    let warnings = || shown.iter().filter(|d| !d.is_error());
    let payload = Payload {
        kept,
        errors: errors()
            .take(crate::diagnostic::OVERLAY_PROBLEMS)
            .map(problem)
            .collect(),
        total_errors: errors().count(),
        warnings: warnings()
            .take(crate::diagnostic::OVERLAY_PROBLEMS)
            .map(problem)
            .collect(),
        total_warnings: warnings().count(),
        text: shown.for_overlay(),
    };
    // Strings and numbers only: serialising cannot fail.
    serde_json::to_string(&payload).unwrap_or_default()
}

fn problem(d: &Diagnostic) -> Problem<'_> {
    Problem {
        message: &d.message,
        file: d.path.as_deref().map(|path| path.display().to_string()),
        place: d.location.as_ref().map(place),
        label: d.label.as_deref(),
        help: d.help.as_deref(),
        notes: d
            .notes
            .iter()
            .map(|(message, at)| Note {
                message,
                file: at.path.display().to_string(),
                place: place(at),
            })
            .collect(),
    }
}

fn place(at: &Location) -> Place<'_> {
    Place {
        line: at.line,
        column: at.column,
        width: at.width,
        source: &at.source_line,
        skipped: at.skipped,
        cut: at.cut,
    }
}

/// The site folder, as given and made absolute, so that both spellings of a path are
/// recognised (`content/x.md` from the current folder, `/home/…/site/content/x.md`).
struct Site {
    given: PathBuf,
    absolute: Option<PathBuf>,
}

impl Site {
    fn new(content: &Path) -> Self {
        let given = content.parent().unwrap_or(Path::new("")).to_path_buf();
        // From the content folder made absolute, so that `--content .` has a parent too.
        let absolute = std::path::absolute(content)
            .ok()
            .and_then(|content| content.parent().map(Path::to_path_buf));
        Site { given, absolute }
    }

    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = std::path::absolute(path).ok();
        self.absolute
            .as_deref()
            .zip(absolute.as_deref())
            .and_then(|(site, path)| path.strip_prefix(site).ok())
            .or_else(|| path.strip_prefix(&self.given).ok())
            .filter(|relative| !relative.as_os_str().is_empty())
            .unwrap_or(path)
            .to_path_buf()
    }

    /// Messages and help quote paths too (a missing folder, a file that cannot be read).
    fn relative_text(&self, text: &str) -> String {
        let mut text = match self.absolute.as_deref().and_then(Path::to_str) {
            Some(site) if site.len() > 1 => text.replace(&format!("{site}/"), ""),
            _ => text.to_string(),
        };
        // A relative site folder only where a path starts, not inside another word.
        if let Some(site) = self.given.to_str().filter(|site| !site.is_empty()) {
            for before in ["", " ", "`"] {
                let quoted = format!("{before}{site}/");
                if before.is_empty() {
                    if let Some(rest) = text.strip_prefix(&quoted) {
                        text = rest.to_string();
                    }
                } else {
                    text = text.replace(&quoted, before);
                }
            }
        }
        text
    }

    fn relative_location(&self, at: &Location) -> Location {
        Location {
            path: self.relative(&at.path),
            ..at.clone()
        }
    }

    fn relative_diagnostic(&self, diagnostic: &Diagnostic) -> Diagnostic {
        let mut shown = diagnostic.clone();
        shown.message = self.relative_text(&shown.message);
        shown.help = shown.help.as_deref().map(|help| self.relative_text(help));
        shown.label = shown
            .label
            .as_deref()
            .map(|label| self.relative_text(label));
        shown.path = shown.path.as_deref().map(|path| self.relative(path));
        shown.location = shown.location.as_ref().map(|at| self.relative_location(at));
        for (text, at) in &mut shown.notes {
            *text = self.relative_text(text);
            *at = self.relative_location(at);
        }
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(site: &Path) -> Diagnostics {
        let source = "name = \"Beta\"\nregoin = \"London\"\n";
        let file = site.join("content/footprints/beta/footprint.toml");
        let mut problems = Diagnostics::new();
        problems.push(
            Diagnostic::error("unknown key `regoin`")
                .at(Location::in_source(&file, source, 14..20))
                .label("not a key of footprint.toml")
                .help("did you mean `region`?"),
        );
        problems.push(
            Diagnostic::error(format!(
                "cannot read {}",
                site.join("content/pages").display()
            ))
            .in_file(&site.join("content/pages")),
        );
        problems.push(Diagnostic::warning("`base_url` is the placeholder"));
        problems
    }

    #[test]
    fn paths_are_shown_from_the_site_folder_however_the_content_folder_was_given() {
        let here = std::env::current_dir().unwrap();
        for site in [here.join("my-site"), PathBuf::from("my-site")] {
            let text = payload(&problems(&site), &site.join("content"), true);
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            let first = &json["errors"][0];
            assert_eq!(first["file"], "content/footprints/beta/footprint.toml");
            assert_eq!(
                (&first["line"], &first["column"], &first["width"]),
                (&2.into(), &1.into(), &6.into())
            );
            assert_eq!(first["source"], "regoin = \"London\"");
            assert_eq!(first["help"], "did you mean `region`?");
            assert_eq!(json["errors"][1]["file"], "content/pages");
            assert_eq!(json["errors"][1]["message"], "cannot read content/pages");
            assert_eq!(json["errors"].as_array().unwrap().len(), 2);
            assert_eq!(
                json["warnings"][0]["message"],
                "`base_url` is the placeholder"
            );
            let rendered = json["text"].as_str().unwrap();
            assert!(
                rendered.contains(" --> content/footprints/beta/footprint.toml:2:1"),
                "{rendered}"
            );
            assert!(!text.contains(&here.display().to_string()), "{text}");
            assert!(!text.contains(['\n', '\r']), "one line: {text}");
        }
    }

    #[test]
    fn however_many_problems_the_payload_holds_the_first_and_counts_the_rest() {
        let mut problems = Diagnostics::new();
        for n in 0..500 {
            problems.push(Diagnostic::error(format!("broken link {n}")));
            problems.push(Diagnostic::warning(format!("odd thing {n}")));
        }
        let text = payload(&problems, Path::new("site/content"), true);
        assert!(text.len() < 256 * 1024, "{} bytes", text.len());
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            json["errors"].as_array().unwrap().len(),
            crate::diagnostic::OVERLAY_PROBLEMS
        );
        assert_eq!(
            json["warnings"].as_array().unwrap().len(),
            crate::diagnostic::OVERLAY_PROBLEMS
        );
        assert_eq!(
            (&json["total_errors"], &json["total_warnings"]),
            (&500.into(), &500.into())
        );
        assert_eq!(json["errors"][0]["message"], "broken link 0");
    }

    #[test]
    fn the_content_folder_given_as_dot_is_shown_by_its_name() {
        let here = std::env::current_dir().unwrap();
        let name = here.file_name().unwrap().to_string_lossy().into_owned();
        let mut problems = Diagnostics::new();
        problems
            .push(Diagnostic::error("bad").in_file(Path::new("./footprints/beta/footprint.toml")));
        let json: serde_json::Value =
            serde_json::from_str(&payload(&problems, Path::new("."), true)).unwrap();
        assert_eq!(
            json["errors"][0]["file"],
            format!("{name}/footprints/beta/footprint.toml")
        );
    }

    #[test]
    fn a_path_outside_the_site_folder_is_shown_as_given() {
        let mut outside = Diagnostics::new();
        outside.push(Diagnostic::error("bad").in_file(Path::new("/elsewhere/themes/x.html")));
        let text = payload(&outside, Path::new("my-site/content"), false);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["errors"][0]["file"], "/elsewhere/themes/x.html");
        assert_eq!(json["kept"], false);
    }
}
