//! Where a template's unclosed block opened. Tera's parser reports the place where it
//! gave up, which for a `{% if %}` never closed is the end of the enclosing block or of
//! the file, often a hundred lines below the mistake. Written by hand because no crate
//! reads Tera's block structure but Tera itself, whose parser keeps the opening tag to
//! itself: a small stack of the block tags, skipping comments, `{{ }}` and `{% raw %}`.

use std::ops::Range;

/// A block tag opened and never closed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unclosed {
    /// The tag's keyword, such as `if`.
    pub keyword: String,
    /// The opening tag, `{%` to `%}`.
    pub opened: Range<usize>,
    /// The end tag met while it was open that closes another block (such as
    /// `{% endblock %}`), or `None` when the file ended first.
    pub ended_by: Option<Range<usize>>,
}

/// Keywords whose tag opens a block closed by `end<keyword>`.
const OPENERS: &[&str] = &["if", "for", "block", "filter", "macro", "component", "set"];

/// The first block of `text` that is left open, if any is.
pub(crate) fn unclosed_block(text: &str) -> Option<Unclosed> {
    let mut open: Vec<(String, Range<usize>)> = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        let rest = &text[start..];
        let close = if rest.starts_with("{#") {
            "#}"
        } else if rest.starts_with("{{") {
            "}}"
        } else if rest.starts_with("{%") {
            "%}"
        } else {
            at = start + 1;
            continue;
        };
        let Some(end) = tag_end(text, start + 2, close) else {
            break;
        };
        at = end;
        if close != "%}" {
            continue;
        }
        let inner = text[start + 2..end - 2]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let keyword = inner.split(|c: char| !c.is_ascii_alphanumeric() && c != '_');
        let keyword = keyword.into_iter().next().unwrap_or_default();
        let is_block_set = matches!(keyword, "set" | "set_global") && !inner.contains('=');
        if keyword == "raw" {
            // Everything up to `{% endraw %}` is text.
            match find_end_tag(text, end, "endraw") {
                Some(after) => at = after,
                None => {
                    return Some(Unclosed {
                        keyword: "raw".into(),
                        opened: start..end,
                        ended_by: None,
                    });
                }
            }
        } else if OPENERS.contains(&keyword) && (keyword != "set" || is_block_set) {
            open.push((keyword.to_string(), start..end));
        } else if is_block_set {
            open.push(("set".to_string(), start..end));
        } else if let Some(closed) = keyword.strip_prefix("end") {
            let closed = if closed == "set_global" {
                "set"
            } else {
                closed
            };
            match open.pop() {
                Some((keyword, _)) if keyword == closed => {}
                // An end tag for another block: the innermost open one was never closed.
                Some((keyword, opened)) => {
                    return Some(Unclosed {
                        keyword,
                        opened,
                        ended_by: Some(start..end),
                    });
                }
                // An end tag with nothing open is Tera's to report.
                None => {}
            }
        }
    }
    open.pop().map(|(keyword, opened)| Unclosed {
        keyword,
        opened,
        ended_by: None,
    })
}

/// Just after the `close` that ends the tag whose inside starts at `from`, skipping
/// quoted strings (`{{ "}}" }}`).
pub(super) fn tag_end(text: &str, from: usize, close: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if matches!(b, b'"' | b'\'' | b'`') && close != "#}" => quote = Some(b),
            // Bytes, not text: `i` may be inside a letter of several bytes.
            None if bytes[i..].starts_with(close.as_bytes()) => return Some(i + close.len()),
            None => {}
        }
        i += 1;
    }
    None
}

/// Just after the `{% <name> %}` tag at or after `from`.
fn find_end_tag(text: &str, from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(found) = text[at..].find("{%") {
        let start = at + found;
        let end = tag_end(text, start + 2, "%}")?;
        let inner = text[start + 2..end - 2].trim_matches('-').trim();
        if inner == name {
            return Some(end);
        }
        at = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened_at(text: &str) -> Option<(String, &str, Option<&str>)> {
        unclosed_block(text).map(|u| {
            (
                u.keyword,
                &text[u.opened],
                u.ended_by.map(|range| &text[range]),
            )
        })
    }

    #[test]
    fn tags_are_read_past_letters_of_several_bytes() {
        let text = "{# Zo\u{eb}\u{2019}s change #}{% if caf\u{e9} %}\u{201c}x\u{201d}{% endif %}";
        assert_eq!(tag_end(text, 2, "#}"), text.find("#}").map(|i| i + 2));
        let open = text.find("{% if").unwrap();
        assert_eq!(
            tag_end(text, open + 2, "%}"),
            text[open..].find("%}").map(|i| open + i + 2)
        );
        // `{%}` closes nothing: the `%` of its own opening is not its end.
        assert_eq!(tag_end("{%}", 2, "%}"), None);
    }

    #[test]
    fn the_open_tag_is_found_not_where_parsing_stopped() {
        assert_eq!(
            opened_at(
                "{% block content %}\n{%- if page.title -%}\n<p>x</p>\n{% endblock content %}\n"
            ),
            Some((
                "if".into(),
                "{%- if page.title -%}",
                Some("{% endblock content %}")
            ))
        );
        assert_eq!(
            opened_at("{% for x in xs %}{{ x }}\n"),
            Some(("for".into(), "{% for x in xs %}", None))
        );
        assert_eq!(
            opened_at("{% set body %}text\n"),
            Some(("set".into(), "{% set body %}", None))
        );
    }

    #[test]
    fn closed_blocks_strings_comments_and_raw_text_are_not_open() {
        for text in [
            "{% if a %}{% for b in c %}{% endfor %}{% else %}{% endif %}",
            "{% set x = 1 %}{{ \"{% if\" }}{# {% if a %} #}",
            "{% raw %}{% if a %}{% endraw %}",
            "{% if a == \"%}\" %}b{% endif %}",
            "{% set body %}text{% endset %}",
            "plain { text } with braces",
        ] {
            assert_eq!(opened_at(text), None, "{text}");
        }
    }
}
