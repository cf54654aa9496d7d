//! TOML into typed structs, with every serde error turned into a located diagnostic.

use serde::de::DeserializeOwned;

use super::source::SourceFile;
use crate::diagnostic::{Diagnostic, closest};

/// Parses `text`, which starts at byte `offset` of `file` (non-zero for front matter).
pub fn parse_toml<T: DeserializeOwned>(
    file: &SourceFile,
    text: &str,
    offset: usize,
) -> Result<T, Diagnostic> {
    super::control_chars::refuse_in_toml_strings(file, text, offset)?;
    toml::from_str(text).map_err(|error| {
        let message = error.message().trim().to_string();
        if message.contains("recursion") {
            return too_deep(file, text, offset, error.span());
        }
        let span = error.span().unwrap_or(0..0);
        let diagnostic = Diagnostic::error(headline(&message))
            .at(file.locate(offset + span.start..offset + span.end));
        match unknown_key_hint(&message) {
            Some(help) => diagnostic.label("unknown key").help(help),
            None => diagnostic.help(
                "see the content model in README.md for the keys this file takes and their types",
            ),
        }
    })
}

/// The parser's depth limit, met in a value (`a = [[[[...`, at its span) or in a table
/// header (`[a.a.a...]`, where it gives no place: the deepest line is the one).
fn too_deep(
    file: &SourceFile,
    text: &str,
    offset: usize,
    span: Option<std::ops::Range<usize>>,
) -> Diagnostic {
    let span = span.unwrap_or_else(|| {
        let mut start = 0;
        let mut deepest = (0, 0..0);
        for line in text.split_inclusive('\n') {
            let depth = line
                .chars()
                .filter(|c| matches!(c, '[' | '{' | '.'))
                .count();
            if depth > deepest.0 {
                deepest = (depth, start..start + line.trim_end().len().min(1));
            }
            start += line.len();
        }
        deepest.1
    });
    Diagnostic::error("tables or lists are nested more deeply than ldr reads")
        .at(file.locate(offset + span.start..offset + span.end))
        .label("nested too deeply")
        .help(
            "content files need a few levels at most: look for a header or a value that \
             repeats `[`, `{` or `.`, and write the data flatter",
        )
}

fn headline(message: &str) -> String {
    if message.starts_with("unknown field") {
        let key = message.split('`').nth(1).unwrap_or_default();
        format!("unknown key `{key}`")
    } else {
        message
            .replace("missing field", "missing required key")
            .replace("a sequence", "a list")
            .replace("a map", "a table")
    }
}

/// serde words an unknown key as "unknown field `x`, expected one of `a`, `b`"; this turns
/// that list into a "did you mean" and the keys allowed.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (typed, expected) = rest.split_once('`')?;
    let allowed: Vec<&str> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|key| !key.is_empty())
        .collect();
    let list = allowed
        .iter()
        .map(|key| format!("`{key}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(match closest(typed, allowed.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? The keys allowed here are {list}"),
        None => format!("the keys allowed here are {list}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        code: Option<String>,
    }

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "sample.toml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn unknown_key_gets_did_you_mean_and_its_position() {
        let source = file("code = \"x\"\nnmae = \"West\"\n");
        let error = parse_toml::<Sample>(&source, &source.text, 0).unwrap_err();
        assert_eq!(error.message, "unknown key `nmae`");
        let at = error.location.clone().unwrap();
        assert_eq!((at.line, at.column), (2, 1));
        assert!(
            error
                .help
                .clone()
                .unwrap()
                .starts_with("did you mean `name`?")
        );
    }

    #[test]
    fn missing_key_is_named() {
        let source = file("code = \"x\"\n");
        let error = parse_toml::<Sample>(&source, &source.text, 0).unwrap_err();
        assert_eq!(error.message, "missing required key `name`");
    }

    #[test]
    fn offset_moves_the_location_into_the_whole_file() {
        let source = file("+++\nname = 3\n+++\n");
        let error = parse_toml::<Sample>(&source, "name = 3\n", 4).unwrap_err();
        let at = error.location.clone().unwrap();
        assert_eq!((at.line, at.column), (2, 8));
    }
}
