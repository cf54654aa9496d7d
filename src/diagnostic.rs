//! Errors and warnings as values: a message, where it happened, and what to do about it.
//!
//! Every stage reports problems as [`Diagnostic`]s; they are rendered once, here, in the
//! style of rustc, so the terminal and (later) the browser overlay show the same text.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop the build, warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Printed; the build goes on.
    Warning,
}

/// A place in a source file, 1-based like every editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the build was given it.
    pub path: PathBuf,
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
    /// The whole source line, to quote under the message.
    pub source_line: String,
    /// How many characters of `source_line` to underline (at least one).
    pub width: usize,
}

impl Location {
    /// Locates the byte range `span` inside `source`.
    pub fn in_source(path: &Path, source: &str, span: Range<usize>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let source_line = source[line_start..line_end].trim_end_matches('\r');
        let column = source[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(source, span.end.clamp(start, line_end));
        let width = source[start..end].chars().count().max(1);
        Location {
            path: path.to_path_buf(),
            line: source[..line_start].matches('\n').count() + 1,
            column,
            source_line: source_line.to_string(),
            width,
        }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// One problem found in the content, the theme or the command line. Boxed, because
/// results carry it on every path and it is large.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic(Box<DiagnosticData>);

impl std::ops::Deref for Diagnostic {
    type Target = DiagnosticData;

    fn deref(&self) -> &DiagnosticData {
        &self.0
    }
}

impl std::ops::DerefMut for Diagnostic {
    fn deref_mut(&mut self) -> &mut DiagnosticData {
        &mut self.0
    }
}

/// What a [`Diagnostic`] says, behind one box so that results stay small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosticData {
    /// Whether it stops the build.
    pub severity: Severity,
    /// What is wrong, in a line.
    pub message: String,
    /// Where the problem is; a file without a line (a missing file, a folder) has none.
    pub location: Option<Location>,
    /// The file when no line can be given.
    pub path: Option<PathBuf>,
    /// A short label under the underlined text.
    pub label: Option<String>,
    /// Other places that explain this one ("first listed here").
    pub notes: Vec<(String, Location)>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem that stops the build.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic(Box::new(DiagnosticData {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            path: None,
            label: None,
            notes: Vec::new(),
            help: None,
        }))
    }

    /// A problem worth saying that does not stop the build.
    pub fn warning(message: impl Into<String>) -> Self {
        let mut diagnostic = Diagnostic::error(message);
        diagnostic.severity = Severity::Warning;
        diagnostic
    }

    /// Places the problem at `location`.
    pub fn at(mut self, location: Location) -> Self {
        self.path = Some(location.path.clone());
        self.location = Some(location);
        self
    }

    /// Names the file when no line can be given.
    pub fn in_file(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    /// Adds the short label shown under the underlined text.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds another place that explains this one.
    pub fn note(mut self, text: impl Into<String>, location: Location) -> Self {
        self.notes.push((text.into(), location));
        self
    }

    /// Adds what to do about it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether it stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{kind}: {}", Shown(&self.message))?;
        match (&self.location, &self.path) {
            (Some(location), _) => write_snippet(f, location, self.label.as_deref())?,
            (None, Some(path)) => writeln!(f, "  --> {}", path.display())?,
            (None, None) => {}
        }
        for (text, location) in &self.notes {
            writeln!(f, "note: {}", Shown(text))?;
            write_snippet(f, location, None)?;
        }
        if let Some(help) = &self.help {
            // Under the gutter of the quoted line, as rustc aligns it.
            let gutter = self
                .location
                .as_ref()
                .map_or(1, |at| at.line.to_string().len());
            writeln!(f, "{} = help: {}", " ".repeat(gutter), Shown(help))?;
        }
        Ok(())
    }
}

fn write_snippet(f: &mut fmt::Formatter<'_>, at: &Location, label: Option<&str>) -> fmt::Result {
    let number = at.line.to_string();
    let pad = " ".repeat(number.len());
    writeln!(
        f,
        "{pad}--> {}:{}:{}",
        at.path.display(),
        at.line,
        at.column
    )?;
    writeln!(f, "{pad} |")?;
    writeln!(f, "{number} | {}", Shown(&at.source_line))?;
    // Each character's place on the line as printed, a hidden one as wide as its escape.
    let drawn = |c: char| hidden(c).map_or(1, |_| c.escape_unicode().count());
    let mut chars = at.source_line.chars();
    let indent: String = chars
        .by_ref()
        .take(at.column - 1)
        .flat_map(|c| {
            let blank = if c == '\t' { '\t' } else { ' ' };
            std::iter::repeat_n(blank, drawn(c))
        })
        .collect();
    let marked: usize = chars.take(at.width).map(drawn).sum();
    let carets = "^".repeat(marked.max(1));
    match label {
        Some(label) => writeln!(f, "{pad} | {indent}{carets} {}", Shown(label))?,
        None => writeln!(f, "{pad} | {indent}{carets}")?,
    }
    Ok(())
}

/// Characters a file can hold that a terminal draws as nothing, or that change how the
/// text around them is drawn: controls, bidirectional overrides and isolates (which turn the
/// printed line round, as "Trojan Source" does), line separators, zero-width spaces, byte
/// order marks. The tab is kept: it is drawn, and the caret row copies it.
fn hidden(c: char) -> Option<char> {
    let shown_as_nothing = matches!(
        c,
        '\u{AD}' | '\u{61C}' | '\u{180E}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FFF9}'..='\u{FFFB}'
    );
    ((c.is_control() && c != '\t') || shown_as_nothing).then_some(c)
}

/// Text as printed: each hidden character written as its escape, `\u{202e}`.
struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match hidden(c) {
                Some(c) => write!(f, "{}", c.escape_unicode())?,
                None => write!(f, "{c}")?,
            }
        }
        Ok(())
    }
}

/// All the problems of one run: the build reports every one, not only the first.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// No problems yet.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Adds one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Whether any of them stops the build.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// How many errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Each problem, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Keeps a value when no error was recorded, so a stage can hand on what it made.
    pub fn into_result<T>(self, value: T) -> Result<(T, Diagnostics), Diagnostics> {
        if self.has_errors() {
            Err(self)
        } else {
            Ok((value, self))
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// The closest of `candidates` to `typed`, for "did you mean" hints.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(typed, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_columns_from_one() {
        let source = "a = 1\nnmae = \"x\"\n";
        let at = Location::in_source(Path::new("f.toml"), source, 6..10);
        assert_eq!((at.line, at.column, at.width), (2, 1, 4));
        assert_eq!(at.source_line, "nmae = \"x\"");
    }

    #[test]
    fn rendered_error_reads_like_rustc() {
        let source = "name = 3\n";
        let at = Location::in_source(Path::new("x/footprint.toml"), source, 7..8);
        let text = Diagnostic::error("wrong type")
            .at(at)
            .label("expected a string")
            .help("put the name in quotes")
            .to_string();
        assert!(text.starts_with("error: wrong type\n"), "{text}");
        assert!(text.contains(" --> x/footprint.toml:1:8"), "{text}");
        assert!(text.contains("1 | name = 3"), "{text}");
        assert!(text.contains("|        ^ expected a string"), "{text}");
        assert!(text.contains("= help: put the name in quotes"), "{text}");
    }

    #[test]
    fn characters_that_hide_or_turn_text_round_are_printed_as_escapes() {
        let source = "partners = [\"\u{202E}evil\", \"a\u{2028}b\"] # \u{2066}\n";
        let start = source.find("\"a").unwrap() + 1;
        let at = Location::in_source(Path::new("f.toml"), source, start..start + 5);
        let text = Diagnostic::error("unknown code `a\u{2028}b`")
            .at(at)
            .label("not \u{202E}here")
            .to_string();
        assert!(
            !text.chars().any(|c| hidden(c).is_some() && c != '\n'),
            "{text:?}"
        );
        assert!(
            text.starts_with("error: unknown code `a\\u{2028}b`\n"),
            "{text}"
        );
        let line = "1 | partners = [\"\\u{202e}evil\", \"a\\u{2028}b\"] # \\u{2066}\n";
        assert!(text.contains(line), "{text}");
        // The caret row is as wide as the printed line up to the mistake.
        let quoted = line.find("a\\u").unwrap();
        let carets = format!(
            "\n  | {}{} not \\u{{202e}}here\n",
            " ".repeat(quoted - 4),
            "^".repeat(10)
        );
        assert!(text.contains(&carets), "{text}");
    }

    #[test]
    fn closest_suggests_a_near_name_only() {
        assert_eq!(closest("nmae", ["name", "code"]), Some("name"));
        assert_eq!(closest("zzz", ["name", "code"]), None);
    }
}
