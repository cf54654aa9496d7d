//! Control characters in content: refused where they are written. No editor means them (a
//! paste from a terminal or a word processor leaves them), and they would make the feed,
//! the sitemap and the calendar unreadable or let a field start a line of its own.

use std::ops::Range;
use std::path::Path;

use super::source::SourceFile;
use crate::diagnostic::Diagnostic;

/// The characters refused in content: the C0 controls but tab and the line breaks, DEL,
/// the C1 controls, and U+FFFE and U+FFFF, which are not characters at all (and not
/// allowed in XML).
pub(crate) fn is_unwanted(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Refuses a file whose line breaks are carriage returns alone (as classic Mac OS saved
/// text), at the first of them: TOML and CSV do not read them as line breaks, so the file
/// would fail as one long line with a message that names something else.
fn refuse_lone_carriage_returns(file: &SourceFile) -> Result<(), Diagnostic> {
    let bytes = file.text.as_bytes();
    let Some(at) = file
        .text
        .match_indices('\r')
        .map(|(at, _)| at)
        .find(|&at| bytes.get(at + 1) != Some(&b'\n'))
    else {
        return Ok(());
    };
    Err(Diagnostic::error(
        "this file breaks a line with a carriage return alone",
    )
    .at(file.locate(at..at + 1))
    .label("a carriage return (U+000D) with no line feed after it")
    .help(
        "the file was saved with classic Mac OS line endings, or a character was pasted from \
         another program: save it with LF (or Windows CRLF) line endings",
    ))
}

/// Refuses a file whose text holds an unwanted character, at the first of them.
pub(crate) fn refuse_in_text(file: &SourceFile) -> Result<(), Diagnostic> {
    refuse_lone_carriage_returns(file)?;
    // Most files are plain text: one pass over the bytes finds none.
    let suspicious = |b: &u8| {
        b.is_ascii_control() && !matches!(b, b'\t' | b'\n' | b'\r') || matches!(b, 0xC2 | 0xEF)
    };
    if !file.text.as_bytes().iter().any(suspicious) {
        return Ok(());
    }
    let Some((at, c)) = file.text.char_indices().find(|&(_, c)| is_unwanted(c)) else {
        return Ok(());
    };
    let count = file.text.chars().filter(|&c| is_unwanted(c)).count();
    Err(unwanted(file, at..at + c.len_utf8(), c, count, "the text"))
}

/// Refuses a TOML text (starting at byte `offset` of `file`) whose strings hold an unwanted
/// character written as an escape (`"\u0001"`, `"\e"`), which the text itself does not show.
pub(crate) fn refuse_in_toml_strings(
    file: &SourceFile,
    text: &str,
    offset: usize,
) -> Result<(), Diagnostic> {
    // Escapes start with a backslash; most files have none and are not parsed twice.
    if !text.contains('\\') {
        return Ok(());
    }
    let Ok(document) = toml_edit::Document::parse(text) else {
        // The typed parse reports the syntax error, with its place.
        return Ok(());
    };
    let mut found = None;
    visit_table(document.as_table(), &mut found);
    match found {
        Some((span, c)) => Err(unwanted(
            file,
            offset + span.start..offset + span.end,
            c,
            1,
            "this string",
        )),
        None => Ok(()),
    }
}

type Found = Option<(Range<usize>, char)>;

fn visit_table(table: &toml_edit::Table, found: &mut Found) {
    for (_, item) in table.iter() {
        visit_item(item, found);
    }
}

fn visit_item(item: &toml_edit::Item, found: &mut Found) {
    match item {
        toml_edit::Item::Value(value) => visit_value(value, found),
        toml_edit::Item::Table(table) => visit_table(table, found),
        toml_edit::Item::ArrayOfTables(tables) => {
            for table in tables.iter() {
                visit_table(table, found);
            }
        }
        toml_edit::Item::None => {}
    }
}

fn visit_value(value: &toml_edit::Value, found: &mut Found) {
    if found.is_some() {
        return;
    }
    match value {
        toml_edit::Value::String(string) => {
            if let Some(c) = string.value().chars().find(|&c| is_unwanted(c)) {
                *found = Some((string.span().unwrap_or(0..0), c));
            }
        }
        toml_edit::Value::Array(array) => array.iter().for_each(|v| visit_value(v, found)),
        toml_edit::Value::InlineTable(table) => {
            table.iter().for_each(|(_, v)| visit_value(v, found))
        }
        _ => {}
    }
}

/// Refuses a file or folder of the content folder whose own name holds a control character
/// (a line break or a tab too) or is not UTF-8. Such a name would be published as an
/// address and a file name of the site, where no one can see it or type it, and a line
/// break in it splits the logs and listings of every tool that copies the site.
pub(crate) fn refuse_in_name(path: &Path) -> Result<(), Diagnostic> {
    let Some(name) = path.file_name() else {
        return Ok(());
    };
    let problem = match name.to_str() {
        None => "a name that is not UTF-8".to_string(),
        Some(name) => match name.chars().find(|&c| is_unwanted(c) || c.is_control()) {
            None => return Ok(()),
            Some(c) => format!("the control character U+{:04X} in its name", c as u32),
        },
    };
    Err(
        Diagnostic::error(format!("{} has {problem}", path.display()))
            .in_file(path)
            .help(
                "rename it with letters, digits, spaces and punctuation only: its name would \
                 be published as the address of a file, where an invisible character cannot \
                 be seen or typed",
            ),
    )
}

fn unwanted(
    file: &SourceFile,
    span: Range<usize>,
    c: char,
    count: usize,
    place: &str,
) -> Diagnostic {
    let others = match count {
        0 | 1 => String::new(),
        2 => " (and 1 more in this file)".to_string(),
        n => format!(" (and {} more in this file)", n - 1),
    };
    Diagnostic::error(format!(
        "{place} holds the control character U+{:04X}{others}",
        c as u32
    ))
    .at(file.locate(span))
    .label("an invisible character no editor types")
    .help(
        "it was most likely pasted from a terminal or another program; delete it (search for \
         it in your editor, or retype the text around it). Control characters would break \
         the feed, the sitemap and the calendar",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "x.toml".into(),
            text: text.to_string(),
        }
    }

    #[test]
    fn a_control_character_is_refused_at_its_place() {
        let error = refuse_in_text(&file("a\nb \u{1b}[31m\n")).unwrap_err();
        let at = error.location.as_ref().unwrap();
        assert_eq!((at.line, at.column), (2, 3));
        for c in [
            '\u{0}', '\u{7}', '\u{7f}', '\u{85}', '\u{9b}', '\u{fffe}', '\u{ffff}',
        ] {
            assert!(refuse_in_text(&file(&format!("x{c}"))).is_err(), "{c:?}");
        }
        assert!(refuse_in_text(&file("tab\tand\r\nbreaks é ✓\n")).is_ok());
    }

    #[test]
    fn an_escaped_control_character_in_a_toml_string_is_refused_at_the_string() {
        for value in [
            "\"a\\u0001b\"",
            "\"\\u001B[2J\"",
            "[\"ok\", \"\\u007F\"]",
            "{ x = \"\\uFFFF\" }",
        ] {
            let text = format!("n = 1\ntitle = {value}\n");
            let error = refuse_in_toml_strings(&file(&text), &text, 0).unwrap_err();
            assert_eq!(error.location.as_ref().unwrap().line, 2, "{value}");
        }
        let text = "title = \"a\\tb\\nc \\\\ \\u00e9\"\npath = 'C:\\x'\n";
        assert!(refuse_in_toml_strings(&file(text), text, 0).is_ok());
    }
}
