//! Errors and warnings as values: a message, where it happened, and what to do about it.
//!
//! Every stage reports problems as [`Diagnostic`]s; they are rendered once, here, in the
//! style of rustc, so the terminal and (later) the browser overlay show the same text.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop the build, warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// The line to quote under the message: all of it, or, when it is long, a window of it
    /// around the span (a minified file's one line would otherwise be quoted whole by every
    /// error on it).
    pub source_line: String,
    /// How many characters of the line to underline (at least one).
    pub width: usize,
    /// Characters of the line left out before `source_line`.
    pub(crate) skipped: usize,
    /// Whether the line goes on after `source_line`.
    pub(crate) cut: bool,
}

impl Location {
    /// Locates the byte range `span` inside `source`.
    pub fn in_source(path: &Path, source: &str, span: Range<usize>) -> Self {
        let start = source.floor_char_boundary(span.start);
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let source_line = source[line_start..line_end].trim_end_matches('\r');
        let column = source[line_start..start].chars().count() + 1;
        let end = source.floor_char_boundary(span.end.clamp(start, line_end));
        let width = source[start..end].chars().count().max(1);
        let at = (start - line_start).min(source_line.len());
        let (from, to) = window(source_line, at);
        Location {
            path: path.to_path_buf(),
            line: memchr::memchr_iter(b'\n', &source.as_bytes()[..line_start]).count() + 1,
            column,
            source_line: source_line[from..to].to_string(),
            width,
            skipped: source_line[..from].chars().count(),
            cut: to < source_line.len(),
        }
    }
}

/// How many columns of a line are quoted at most, and how many of them before the span.
const QUOTED_COLUMNS: usize = 100;
const COLUMNS_BEFORE: usize = 40;

/// The byte range of `line` to quote around byte `at`: the whole line when it fits in
/// [`QUOTED_COLUMNS`], else up to [`COLUMNS_BEFORE`] columns before `at` and the rest after
/// (more before when the line ends first). Counted in shown columns, so a wide character
/// or an escaped one takes its room and no character is split.
fn window(line: &str, at: usize) -> (usize, usize) {
    // Every step stops once the room is used: a long line costs no more than a short one.
    let mut used = 0;
    let fits = shown_chars(line).all(|(_, shown)| {
        used += shown.columns();
        used <= QUOTED_COLUMNS
    });
    if fits {
        return (0, line.len());
    }
    let width = |c: char| shown_char(c, false).columns();
    let mut before = line[..at].char_indices().rev().peekable();
    let mut used = 0;
    let mut from = at;
    let mut grow_left = |used: &mut usize, room: usize| {
        while let Some(&(i, c)) = before.peek() {
            if *used + width(c) > room {
                break;
            }
            *used += width(c);
            from = i;
            before.next();
        }
        from
    };
    grow_left(&mut used, COLUMNS_BEFORE);
    let mut to = at;
    for (i, c) in line[at..].char_indices() {
        if used + width(c) > QUOTED_COLUMNS {
            break;
        }
        used += width(c);
        to = at + i + c.len_utf8();
    }
    // The line ended before the room did: give the rest to what comes before.
    let from = grow_left(&mut used, QUOTED_COLUMNS);
    (from, to)
}

/// How one character of content is shown in a message.
enum Shown {
    /// As it is, taking this many columns.
    Itself(char, usize),
    /// As an escape such as `\u{1b}`: a control character, which a terminal would act on
    /// (move the cursor, set a colour, ring, rewrite the title), or a direction override,
    /// which would make the message read differently from what it says.
    Escaped(u32),
}

impl Shown {
    fn columns(&self) -> usize {
        match self {
            Shown::Itself(_, columns) => *columns,
            Shown::Escaped(code) => format!("{code:x}").len() + 4,
        }
    }

    fn push_to(&self, out: &mut String) {
        match self {
            Shown::Itself(c, _) => out.push(*c),
            Shown::Escaped(code) => out.push_str(&format!("\\u{{{code:x}}}")),
        }
    }
}

fn shown_char(c: char, after_two_hashes: bool) -> Shown {
    let escaped = (c.is_control() && c != '\t')
        // Characters drawn as nothing, or that turn the text round: the quote would not
        // show what the file holds, and the caret would point elsewhere.
        || matches!(
            c,
            '\u{AD}' | '\u{61C}' | '\u{180E}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
        // `##[` anywhere in a line starts a GitHub Actions runner's (older) workflow command.
        || (c == '[' && after_two_hashes);
    if escaped {
        Shown::Escaped(c as u32)
    } else {
        Shown::Itself(c, unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
    }
}

fn shown_chars(text: &str) -> impl Iterator<Item = (char, Shown)> + '_ {
    let mut hashes = 0;
    text.chars().map(move |c| {
        let shown = shown_char(c, hashes >= 2);
        hashes = if c == '#' { hashes + 1 } else { 0 };
        (c, shown)
    })
}

/// `text` as a message may print it: line breaks, terminal control sequences (ESC, CSI,
/// OSC, BEL, backspace, the C1 controls) and direction overrides shown as `\u{..}`
/// escapes, and `##[` broken up, so nothing from content can move the cursor, forge a line
/// of ldr's own or start a CI runner's command.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if shown_chars(text).all(|(_, shown)| matches!(shown, Shown::Itself(..))) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (_, shown) in shown_chars(text) {
        shown.push_to(&mut out);
    }
    std::borrow::Cow::Owned(out)
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
        writeln!(f, "{kind}: {}", printable(&self.message))?;
        match (&self.location, &self.path) {
            (Some(location), _) => write_snippet(f, location, self.label.as_deref())?,
            (None, Some(path)) => writeln!(f, "  --> {}", printable(&path.display().to_string()))?,
            (None, None) => {}
        }
        for (text, location) in &self.notes {
            writeln!(f, "note: {}", printable(text))?;
            write_snippet(f, location, None)?;
        }
        if let Some(help) = &self.help {
            // Under the gutter of the quoted line, as rustc aligns it.
            let gutter = self
                .location
                .as_ref()
                .map_or(1, |at| at.line.to_string().len());
            writeln!(f, "{} = help: {}", " ".repeat(gutter), printable(help))?;
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
        printable(&at.path.display().to_string()),
        at.line,
        at.column
    )?;
    writeln!(f, "{pad} |")?;
    const ELLIPSIS: &str = "...";
    let mut quoted = String::with_capacity(at.source_line.len() + 8);
    let mut indent = String::new();
    let mut carets = 0;
    if at.skipped > 0 {
        quoted.push_str(ELLIPSIS);
        indent.push_str(&" ".repeat(ELLIPSIS.len()));
    }
    // Columns count from the line's start; the quote may start later.
    let first = (at.column - 1).saturating_sub(at.skipped);
    for (index, (c, shown)) in shown_chars(&at.source_line).enumerate() {
        shown.push_to(&mut quoted);
        if index < first {
            match c {
                '\t' => indent.push('\t'),
                _ => indent.push_str(&" ".repeat(shown.columns())),
            }
        } else if index < first + at.width {
            carets += shown.columns();
        }
    }
    if at.cut {
        quoted.push_str(ELLIPSIS);
    }
    writeln!(f, "{number} | {quoted}")?;
    let carets = "^".repeat(carets.max(1));
    match label {
        Some(label) => writeln!(f, "{pad} | {indent}{carets} {}", printable(label))?,
        None => writeln!(f, "{pad} | {indent}{carets}")?,
    }
    Ok(())
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

/// How many problems of one kind in one file are shown; the rest are counted. A long line
/// of broken links would otherwise print thousands of errors that all say the same.
const SHOWN_PER_FILE_AND_KIND: usize = 10;

/// What problems count as the same kind: their message with the quoted parts (between
/// backticks) and numbers left out, so "link to `/a/` goes nowhere" and "link to `/b/`
/// goes nowhere" are one kind.
fn kind_of(diagnostic: &Diagnostic) -> (Severity, Option<&Path>, String) {
    let mut kind = String::new();
    for (i, part) in diagnostic.message.split('`').enumerate() {
        if i % 2 == 0 {
            kind.extend(part.chars().filter(|c| !c.is_ascii_digit()));
        } else {
            kind.push_str("``");
        }
    }
    (diagnostic.severity, diagnostic.path.as_deref(), kind)
}

impl Diagnostics {
    /// The problems as the terminal shows them, and at most `limit` of them (the preview's
    /// overlay is sent to every open page, so it is kept small).
    pub fn render(&self, limit: usize) -> String {
        use std::collections::HashMap;
        let kinds: Vec<_> = self.0.iter().map(kind_of).collect();
        let mut totals: HashMap<&(Severity, Option<&Path>, String), usize> = HashMap::new();
        for kind in &kinds {
            *totals.entry(kind).or_default() += 1;
        }
        let mut seen: HashMap<&(Severity, Option<&Path>, String), usize> = HashMap::new();
        let mut out = String::new();
        let mut shown = 0;
        for (index, (diagnostic, kind)) in self.0.iter().zip(&kinds).enumerate() {
            let count = seen.entry(kind).or_default();
            *count += 1;
            if *count > SHOWN_PER_FILE_AND_KIND {
                continue;
            }
            if shown == limit {
                let rest = self.0.len() - index;
                out.push_str(&format!(
                    "note: {} more {} not shown here; `ldr check` lists them\n\n",
                    crate::words::thousands(rest),
                    if rest == 1 {
                        "problem is"
                    } else {
                        "problems are"
                    }
                ));
                break;
            }
            shown += 1;
            out.push_str(&format!("{diagnostic}\n"));
            let total = totals[kind];
            if *count == SHOWN_PER_FILE_AND_KIND && total > *count {
                let more = total - *count;
                let noun = match (diagnostic.severity, more) {
                    (Severity::Error, 1) => "error",
                    (Severity::Error, _) => "errors",
                    (Severity::Warning, 1) => "warning",
                    (Severity::Warning, _) => "warnings",
                };
                let place = diagnostic
                    .path
                    .as_deref()
                    .map(|p| format!(" in {}", printable(&p.display().to_string())))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "note: and {} more {noun} like this{place}, not shown\n\n",
                    crate::words::thousands(more)
                ));
            }
        }
        out
    }
}

/// How many problems the preview's overlay shows, and how many bytes it holds at most.
pub(crate) const OVERLAY_PROBLEMS: usize = 20;
const OVERLAY_BYTES: usize = 64 * 1024;

impl Diagnostics {
    /// The text of the preview's error overlay: the first problems, bounded in size whatever
    /// the content, since every open page is sent it and draws it.
    pub fn for_overlay(&self) -> String {
        let mut text = self.render(OVERLAY_PROBLEMS);
        if text.len() > OVERLAY_BYTES {
            text.truncate(text.floor_char_boundary(OVERLAY_BYTES));
            text.push_str("\n...\nnote: the rest is cut here; the terminal shows it all\n");
        }
        text
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(usize::MAX))
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

    /// The quoted line and the caret line of a rendered diagnostic.
    fn quoted_and_carets(text: &str) -> (String, String) {
        let lines: Vec<&str> = text.lines().collect();
        let quoted = lines[3].split_once(" | ").unwrap().1.to_string();
        let carets = lines[4].split_once(" | ").unwrap().1.to_string();
        (quoted, carets)
    }

    #[test]
    fn the_caret_stays_under_the_span_past_wide_and_escaped_characters() {
        use unicode_width::UnicodeWidthStr;
        let source = "名前 = \"\u{1b}x\" bad\n";
        let start = source.find("bad").unwrap();
        let at = Location::in_source(Path::new("f.toml"), source, start..start + 3);
        let (quoted, carets) = quoted_and_carets(&Diagnostic::error("x").at(at).to_string());
        assert_eq!(quoted, "名前 = \"\\u{1b}x\" bad");
        let before = &quoted[..quoted.find("bad").unwrap()];
        assert_eq!(carets, format!("{}^^^", " ".repeat(before.width())));
    }

    #[test]
    fn a_long_line_is_quoted_around_the_span_without_splitting_a_character() {
        let source = format!("{}TARGET{}\n", "é".repeat(5_000), "ü".repeat(5_000));
        let start = source.find("TARGET").unwrap();
        let at = Location::in_source(Path::new("f.md"), &source, start..start + 6);
        assert_eq!(at.column, 5_001);
        let text = Diagnostic::error("x").at(at).to_string();
        assert!(text.len() < 1_000, "{text}");
        let (quoted, carets) = quoted_and_carets(&text);
        assert!(
            quoted.starts_with("...é") && quoted.ends_with("ü..."),
            "{quoted}"
        );
        let column = carets.chars().take_while(|&c| c == ' ').count();
        let under: String = quoted.chars().skip(column).take(6).collect();
        assert_eq!(under, "TARGET");
        assert_eq!(carets.trim_start(), "^^^^^^");
    }

    #[test]
    fn a_span_near_the_end_of_a_long_line_gets_the_room_before_it() {
        let source = format!("{}END\n", "a".repeat(1_000));
        let at = Location::in_source(Path::new("f.md"), &source, 1_000..1_003);
        assert_eq!(at.source_line.len(), QUOTED_COLUMNS);
        assert!(at.source_line.ends_with("END"));
    }

    #[test]
    fn repeated_errors_of_one_kind_in_one_file_are_counted_after_ten() {
        let source = "[a](/x/) ".repeat(30);
        let mut problems = Diagnostics::new();
        for i in 0..30 {
            let at = Location::in_source(Path::new("p.md"), &source, i * 9..i * 9 + 8);
            problems.push(Diagnostic::error(format!("link to `/x{i}/` goes nowhere")).at(at));
        }
        problems.push(Diagnostic::error("another kind").in_file(Path::new("p.md")));
        let text = problems.to_string();
        assert_eq!(text.matches("goes nowhere").count(), 10, "{text}");
        assert!(
            text.contains("note: and 20 more errors like this in p.md, not shown"),
            "{text}"
        );
        assert!(text.contains("error: another kind"), "{text}");
        let overlay = problems.render(5);
        assert_eq!(overlay.matches("goes nowhere").count(), 5, "{overlay}");
        assert!(
            overlay.contains("note: 26 more problems are not shown here"),
            "{overlay}"
        );
    }

    #[test]
    fn the_overlay_is_bounded_however_long_the_messages() {
        let mut problems = Diagnostics::new();
        for _ in 0..100 {
            problems.push(Diagnostic::error(format!(
                "unknown `{}`",
                "ж".repeat(10_000)
            )));
        }
        let overlay = problems.for_overlay();
        assert!(
            overlay.len() < OVERLAY_BYTES + 200,
            "{} bytes",
            overlay.len()
        );
        assert!(overlay.ends_with("the terminal shows it all\n"));
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
            !text
                .chars()
                .any(|c| matches!(shown_char(c, false), Shown::Escaped(_)) && c != '\n'),
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
