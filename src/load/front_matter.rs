//! Splitting `+++` TOML front matter from the Markdown that follows it.

use super::source::SourceFile;
use crate::diagnostic::Diagnostic;

/// The two parts of a story, event or page file, as byte ranges of its text.
#[derive(Debug, Clone, Copy)]
pub struct Split {
    pub front_start: usize,
    pub front_end: usize,
    pub body_start: usize,
}

const FENCE: &str = "+++";

pub fn split_front_matter(file: &SourceFile) -> Result<Split, Diagnostic> {
    let text = file.text.as_str();
    let first = text.lines().next().unwrap_or_default();
    if first.trim_end() != FENCE {
        return Err(Diagnostic::error("missing front matter")
            .at(file.locate(0..first.len()))
            .label("expected `+++` here")
            .help(
                "start the file with a `+++` line, the TOML front matter, and another `+++` line",
            ));
    }
    let front_start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = front_start;
    for line in text[front_start..].split_inclusive('\n') {
        if line.trim_end() == FENCE {
            return Ok(Split {
                front_start,
                front_end: offset,
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("front matter is not closed")
        .at(file.locate(0..FENCE.len()))
        .label("opened here")
        .help("add a line `+++` after the front matter"))
}
