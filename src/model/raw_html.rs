//! The check that a Markdown text's raw HTML and link addresses keep to the HTML policy
//! ([`super::html_policy`]). What breaks it is refused with its file, line and column, so
//! the editor learns of it; the renderer's sanitiser would only remove it, silently.
//!
//! Raw HTML is read by html5ever's tokenizer, the one the sanitiser's parser uses and
//! a browser's equal, not by patterns: it decodes entities in attribute values
//! (`&#106;avascript:`), lowercases names (`<ScRiPt>`), and splits `<img/src="x"/onerror=y>`
//! and unquoted attributes exactly as a browser does, so no spelling slips past a regex.

use std::cell::{Cell, RefCell};
use std::ops::Range;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use pulldown_cmark::{Event, Tag as MarkdownTag, TagEnd};

use super::MarkdownSource;
use super::html_policy::{self, ValueProblem};
use crate::diagnostic::{Diagnostic, Diagnostics};

const README: &str = "see \"HTML in Markdown\" in README.md";

/// Reports every raw HTML construct and link address of `body` that the policy refuses.
pub fn check_markdown(body: &MarkdownSource, problems: &mut Diagnostics) {
    let text = body.text();
    let mut block: Option<Chunk> = None;
    let mut refusals = Vec::new();
    for (event, range) in body.parser().into_offset_iter() {
        match event {
            Event::Start(MarkdownTag::HtmlBlock) => block = Some(Chunk::default()),
            // An HTML block arrives one line at a time; a tag may span lines, so the
            // block is read whole.
            Event::Html(html) => match block.as_mut() {
                Some(chunk) => chunk.push(&html, range, text),
                None => refusals.extend(Chunk::of(&html, range, text).refusals()),
            },
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(chunk) = block.take() {
                    refusals.extend(chunk.refusals());
                }
            }
            Event::InlineHtml(html) => refusals.extend(Chunk::of(&html, range, text).refusals()),
            Event::Start(MarkdownTag::Link { dest_url, .. }) => {
                refusals.extend(markdown_url("link", "a", "href", &dest_url, range));
            }
            Event::Start(MarkdownTag::Image { dest_url, .. }) => {
                refusals.extend(markdown_url("image", "img", "src", &dest_url, range));
            }
            _ => {}
        }
    }
    refusals.extend(repeated_ids(body));
    for (at, diagnostic) in refusals {
        let at = body.start + at.start..body.start + at.end;
        problems.push(diagnostic.at(body.file.locate(at)));
    }
}

/// Every `href` and `src` address that raw HTML in `body` gives an allowed element, with
/// where its attribute is in the Markdown text, so that it is checked like a Markdown
/// link's (a missing page or image is reported the same way).
pub(crate) fn raw_addresses(body: &MarkdownSource) -> Vec<(Range<usize>, String)> {
    raw_attributes(body, |element, name| {
        html_policy::URL_ATTRIBUTES.contains(&name) && html_policy::attribute_allowed(element, name)
    })
}

/// The values of the attributes of raw HTML's allowed elements that `wanted` picks (by
/// element and attribute name), with where each attribute is in the Markdown text.
fn raw_attributes(
    body: &MarkdownSource,
    wanted: impl Fn(&str, &str) -> bool,
) -> Vec<(Range<usize>, String)> {
    let text = body.text();
    if !text.contains('<') {
        return Vec::new();
    }
    let mut chunks = Vec::new();
    let mut block: Option<Chunk> = None;
    for (event, range) in body.parser().into_offset_iter() {
        match event {
            Event::Start(MarkdownTag::HtmlBlock) => block = Some(Chunk::default()),
            Event::Html(html) => match block.as_mut() {
                Some(chunk) => chunk.push(&html, range, text),
                None => chunks.push(Chunk::of(&html, range, text)),
            },
            Event::End(TagEnd::HtmlBlock) => chunks.extend(block.take()),
            Event::InlineHtml(html) => chunks.push(Chunk::of(&html, range, text)),
            _ => {}
        }
    }
    let mut addresses = Vec::new();
    for chunk in &chunks {
        for seen in read_tags(&chunk.html).tags {
            let element = &*seen.tag.name;
            if seen.tag.kind != TagKind::StartTag || !html_policy::element_allowed(element) {
                continue;
            }
            let start = tag_start(&chunk.html, seen.after.saturating_sub(1))
                .filter(|&s| s < seen.end)
                .unwrap_or(seen.end.saturating_sub(1));
            let source = &chunk.html[start..seen.end];
            for attribute in &seen.tag.attrs {
                let name = &*attribute.name.local;
                if !wanted(element, name) {
                    continue;
                }
                let at = attribute_offset(source, name).map_or(start..seen.end, |offset| {
                    start + offset..start + offset + name.len()
                });
                addresses.push((chunk.source_range(at), attribute.value.to_string()));
            }
        }
    }
    addresses
}

/// An id that raw HTML gives two elements: a link to it could land on either. (Headings
/// and footnotes take ids that no raw HTML uses, so only raw HTML can repeat one.)
fn repeated_ids(body: &MarkdownSource) -> Vec<Refusal> {
    let mut first: std::collections::HashMap<String, Range<usize>> = Default::default();
    let mut refusals = Vec::new();
    for (at, id) in raw_attributes(body, |element, name| {
        name == "id" && html_policy::attribute_allowed(element, name)
    }) {
        match first.get(&id) {
            Some(before) => {
                let before = body.start + before.start..body.start + before.end;
                refusals.push((
                    at,
                    Diagnostic::error(format!("id `{id}` is used twice on the page"))
                        .label("a second element with this id")
                        .note("first used here", body.file.locate(before))
                        .help(format!("give one of the two elements another id; {README}")),
                ));
            }
            None => {
                first.insert(id, at);
            }
        }
    }
    refusals
}

/// A problem, and where it is in the Markdown text (the location is added by the caller).
type Refusal = (Range<usize>, Diagnostic);

fn markdown_url(
    kind: &str,
    element: &str,
    attribute: &str,
    url: &str,
    at: Range<usize>,
) -> Option<Refusal> {
    match html_policy::value_problem(element, attribute, url)? {
        ValueProblem::Scheme(scheme) => Some((
            at,
            Diagnostic::error(format!("`{scheme}:` {kind} is not allowed"))
                .label(SCHEMES_LABEL)
                .help(scheme_help(&scheme)),
        )),
        ValueProblem::ImageElsewhere => Some((at, image_elsewhere(url))),
        _ => None,
    }
}

const SCHEMES_LABEL: &str = "only http, https, mailto, tel or relative addresses";

fn scheme_help(scheme: &str) -> String {
    match scheme {
        "javascript" | "vbscript" => format!(
            "ldr publishes no script from content: give the link its real address (https://...) or remove it; {README}"
        ),
        "data" => format!(
            "put the file beside the Markdown (in the footprint's folder, or content/static/) and link to it by name; {README}"
        ),
        _ => format!("give the link its real address (https://...); {README}"),
    }
}

/// One piece of raw HTML as the browser will read it: an inline tag, or a whole block.
#[derive(Default)]
struct Chunk {
    html: String,
    /// (offset in `html`, offset in the Markdown text) where each line starts.
    lines: Vec<(usize, usize)>,
}

impl Chunk {
    fn of(html: &str, range: Range<usize>, text: &str) -> Chunk {
        let mut chunk = Chunk::default();
        chunk.push(html, range, text);
        chunk
    }

    fn push(&mut self, html: &str, range: Range<usize>, text: &str) {
        // Inside a list or quote the event leaves out the line's indent or `>`: it is
        // the end of the line's source.
        let source = text.get(range.clone()).unwrap_or_default();
        let start = if source.ends_with(html) {
            range.end - html.len()
        } else {
            range.start
        };
        self.lines.push((self.html.len(), start));
        self.html.push_str(html);
    }

    /// The Markdown offset of `html` offset `at`.
    fn source_offset(&self, at: usize) -> usize {
        let index = self.lines.partition_point(|&(start, _)| start <= at);
        let (chunk_start, source_start) = self.lines[index.saturating_sub(1)];
        source_start + (at - chunk_start)
    }

    fn source_range(&self, at: Range<usize>) -> Range<usize> {
        self.source_offset(at.start)..self.source_offset(at.end.max(at.start))
    }

    fn refusals(&self) -> Vec<Refusal> {
        let read = read_tags(&self.html);
        let mut refusals = Vec::new();
        for seen in &read.tags {
            if seen.tag.kind == TagKind::StartTag {
                refusals.extend(self.tag_refusals(seen));
            }
        }
        // An open tag at the end would swallow the rendered Markdown after it; said only
        // when nothing else was, as it is often the tail of an element already refused.
        if refusals.is_empty()
            && let Some(start) = tag_start(&self.html, read.last_token_end.saturating_sub(1))
        {
            let name_end = name_end(&self.html, start);
            refusals.push((
                self.source_range(start..name_end),
                Diagnostic::error(format!("unfinished HTML tag `{}`", &self.html[start..name_end]))
                    .label("this tag has no closing `>`")
                    .help("end the tag with `>`: an HTML block ends at a blank line, and an open tag would take in the page after it"),
            ));
        }
        refusals
    }

    fn tag_refusals(&self, seen: &SeenTag) -> Vec<Refusal> {
        let start = tag_start(&self.html, seen.after.saturating_sub(1))
            .filter(|&s| s < seen.end)
            .unwrap_or(seen.end.saturating_sub(1));
        let element = &*seen.tag.name;
        if !html_policy::element_allowed(element) {
            let at = self.source_range(start..name_end(&self.html, start));
            return vec![(at, element_refusal(element))];
        }
        let mut refusals = Vec::new();
        let source = &self.html[start..seen.end];
        for attribute in &seen.tag.attrs {
            let name = &*attribute.name.local;
            let value = &*attribute.value;
            let diagnostic = if !html_policy::attribute_allowed(element, name) {
                attribute_refusal(element, name)
            } else if let Some(problem) = html_policy::value_problem(element, name, value) {
                value_refusal(element, name, value, problem)
            } else {
                continue;
            };
            let at = attribute_offset(source, name).map_or(start..start + 1, |offset| {
                start + offset..start + offset + name.len()
            });
            refusals.push((self.source_range(at), diagnostic));
        }
        refusals
    }
}

fn element_refusal(element: &str) -> Diagnostic {
    let why = match element {
        "script" | "noscript" | "template" => {
            "ldr publishes no script from content: remove the `<script>` element".to_string()
        }
        "style" | "link" => format!(
            "remove the `<{element}>` element: the theme styles every page, and the site's Content-Security-Policy blocks other styles"
        ),
        "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "portal" => format!(
            "ldr publishes no embedded content from content: remove the `<{element}>` and link to the page instead, as [title](https://...)"
        ),
        "form" | "input" | "button" | "select" | "textarea" | "option" => format!(
            "remove the `<{element}>`: put a link to the form instead, as [title](https://...)"
        ),
        _ => format!("use Markdown, or one of the allowed elements, instead of `<{element}>`"),
    };
    Diagnostic::error(format!(
        "HTML element `<{element}>` is not allowed in Markdown"
    ))
    .label("not on the HTML policy's list")
    .help(format!("{why}; {README}"))
}

fn attribute_refusal(element: &str, attribute: &str) -> Diagnostic {
    let why = if attribute.starts_with("on") {
        format!("ldr publishes no script from content: remove the `{attribute}` attribute")
    } else if attribute == "style" {
        "remove the `style` attribute: the theme styles every page, and the site's Content-Security-Policy blocks inline styles".to_string()
    } else {
        let mut allowed: Vec<&str> = html_policy::GLOBAL_ATTRIBUTES.to_vec();
        for (e, attributes) in html_policy::ELEMENT_ATTRIBUTES {
            if *e == element {
                allowed.extend(attributes.iter().filter(|a| **a != "class"));
            }
        }
        format!(
            "remove the `{attribute}` attribute; `<{element}>` may have {}",
            allowed.join(", ")
        )
    };
    Diagnostic::error(format!(
        "HTML attribute `{attribute}` is not allowed on `<{element}>`"
    ))
    .label("not on the HTML policy's list")
    .help(format!("{why}; {README}"))
}

/// An image from another site or a `data:` address.
fn image_elsewhere(url: &str) -> Diagnostic {
    Diagnostic::error(format!("image `{url}` is loaded from elsewhere"))
        .label("not a file of this site")
        .help(format!(
            "the site loads nothing from other websites (see its privacy notice): put the image beside the Markdown (in the footprint's folder, or content/static/) and name it, as ![what it shows](plan.png); {README}"
        ))
}

fn value_refusal(element: &str, attribute: &str, value: &str, problem: ValueProblem) -> Diagnostic {
    match problem {
        ValueProblem::ImageElsewhere => image_elsewhere(value),
        ValueProblem::ThemeId => Diagnostic::error(format!("id `{value}` is the page's own"))
            .label("the page around the Markdown uses this id")
            .help(format!("give the element another id; {README}")),
        ValueProblem::Scheme(scheme) => Diagnostic::error(format!(
            "`{scheme}:` address in `<{element} {attribute}>` is not allowed"
        ))
        .label(SCHEMES_LABEL)
        .help(scheme_help(&scheme)),
        ValueProblem::Class => Diagnostic::error(format!(
            "class `{value}` is not allowed on `<{element}>`"
        ))
        .label("not a class the theme gives this element")
        .help(format!(
            "remove the `class` attribute: for code, write the language after the opening ``` fence; {README}"
        )),
        ValueProblem::NotANumber => Diagnostic::error(format!(
            "`{attribute}=\"{value}\"` is not a whole number"
        ))
        .label("expected digits only")
        .help(format!("write the number alone, as `{attribute}=\"200\"`; {README}")),
    }
}

/// The first `<` at or after `from` that opens a tag (`<a`, `</a`).
fn tag_start(html: &str, from: usize) -> Option<usize> {
    let bytes = html.as_bytes();
    (from..bytes.len()).find(|&i| {
        bytes[i] == b'<'
            && match bytes.get(i + 1) {
                Some(b'/') => bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic),
                Some(c) => c.is_ascii_alphabetic(),
                None => false,
            }
    })
}

/// Where the tag name that starts at `start` (its `<`) ends.
fn name_end(html: &str, start: usize) -> usize {
    let name_from = start + 1 + usize::from(html[start + 1..].starts_with('/'));
    html[name_from..]
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .map_or(html.len(), |i| name_from + i)
}

/// Where attribute `name` is written in `tag` (the tag's source), in any letter case.
fn attribute_offset(tag: &str, name: &str) -> Option<usize> {
    let lower = tag.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    lower.match_indices(name).map(|(i, _)| i).find(|&i| {
        let before = bytes[i.saturating_sub(1)];
        let after = bytes.get(i + name.len()).copied().unwrap_or(b'>');
        i > 0
            && (before.is_ascii_whitespace() || matches!(before, b'/' | b'"' | b'\''))
            && (after.is_ascii_whitespace() || matches!(after, b'=' | b'>' | b'/'))
    })
}

/// What the tokenizer saw in one chunk.
struct ReadTags {
    tags: Vec<SeenTag>,
    /// Where the last token before the end of the chunk ended; a `<` after it opened a
    /// tag that never closed.
    last_token_end: usize,
}

struct SeenTag {
    tag: Tag,
    /// Where the token before it ended: the tag's `<` is at or just before this.
    after: usize,
    /// Just after the tag's `>`.
    end: usize,
}

/// Tokenizes `html` one character at a time, so each token is known by where it ended.
fn read_tags(html: &str) -> ReadTags {
    let reader = Reader::default();
    let tokenizer = Tokenizer::new(reader, TokenizerOpts::default());
    let queue = BufferQueue::default();
    for (i, c) in html.char_indices() {
        tokenizer.sink.fed.set(i + c.len_utf8());
        queue.push_back(StrTendril::from_char(c));
        let _ = tokenizer.feed(&queue);
    }
    tokenizer.sink.at_end.set(true);
    tokenizer.end();
    ReadTags {
        tags: tokenizer.sink.tags.take(),
        last_token_end: tokenizer.sink.last_token_end.get(),
    }
}

#[derive(Default)]
struct Reader {
    /// How much of the chunk the tokenizer has been given.
    fed: Cell<usize>,
    at_end: Cell<bool>,
    last_token_end: Cell<usize>,
    tags: RefCell<Vec<SeenTag>>,
}

impl TokenSink for Reader {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let fed = self.fed.get();
        match token {
            Token::TagToken(tag) => {
                let starts_raw_text = tag.kind == TagKind::StartTag;
                let name = tag.name.clone();
                self.tags.borrow_mut().push(SeenTag {
                    tag,
                    after: self.last_token_end.get(),
                    end: fed,
                });
                self.last_token_end.set(fed);
                // As a browser does: what follows `<script>` or `<style>` is text up to
                // its end tag, not tags.
                if starts_raw_text {
                    match &*name {
                        "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                            return TokenSinkResult::RawData(RawKind::Rawtext);
                        }
                        "title" | "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
                        "plaintext" => return TokenSinkResult::Plaintext,
                        _ => {}
                    }
                }
            }
            Token::CommentToken(_) | Token::DoctypeToken(_) => self.last_token_end.set(fed),
            // Text the tokenizer gives back at the end (a lone `<`, a char reference)
            // does not close an open tag.
            Token::CharacterTokens(_) | Token::NullCharacterToken if !self.at_end.get() => {
                self.last_token_end.set(fed)
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;

    /// The problems of `markdown`, each as "line:column message".
    fn refusals(markdown: &str) -> Vec<String> {
        let body = MarkdownSource {
            file: SourceFile {
                path: "roadmap.md".into(),
                text: markdown.into(),
            },
            start: 0,
            links: Default::default(),
        };
        let mut problems = Diagnostics::new();
        check_markdown(&body, &mut problems);
        problems
            .iter()
            .map(|d| {
                let at = d.location.as_ref().unwrap();
                format!("{}:{} {}", at.line, at.column, d.message)
            })
            .collect()
    }

    #[test]
    fn every_spelling_of_script_is_refused_at_its_place() {
        for (markdown, expected) in [
            (
                "<script>alert(1)</script>\n",
                "1:1 HTML element `<script>` is not allowed in Markdown",
            ),
            (
                "Text <ScRiPt>alert(1)</sCrIpT> here.\n",
                "1:6 HTML element `<script>` is not allowed in Markdown",
            ),
            (
                "<IMG SRC=x OnError=alert(1)>\n",
                "1:12 HTML attribute `onerror` is not allowed on `<img>`",
            ),
            (
                "<img\nsrc=x\nonerror=alert(1)>\n",
                "3:1 HTML attribute `onerror` is not allowed on `<img>`",
            ),
            (
                // Not inline HTML to CommonMark (it becomes text), but a browser's tag in a block.
                "<div>\n<img/src=\"x\"/onerror=alert(1)>\n</div>\n",
                "2:14 HTML attribute `onerror` is not allowed on `<img>`",
            ),
            (
                "<a href=\"&#106;avascript:alert(1)\">x</a>\n",
                "1:4 `javascript:` address in `<a href>` is not allowed",
            ),
            (
                "<a href=\"java&#x09;script:alert(1)\">x</a>\n",
                "1:4 `javascript:` address in `<a href>` is not allowed",
            ),
            (
                "<a href=' \u{1}JaVaScRiPt:alert(1)'>x</a>\n",
                "1:4 `javascript:` address in `<a href>` is not allowed",
            ),
            (
                "[x](JaVaScRiPt:alert(1))\n",
                "1:1 `javascript:` link is not allowed",
            ),
            (
                "See [x](&#106;avascript:alert(1)).\n",
                "1:5 `javascript:` link is not allowed",
            ),
            (
                "<javascript:alert(1)>\n",
                "1:1 `javascript:` link is not allowed",
            ),
            (
                "![x](data:image/svg+xml;base64,AAAA)\n",
                "1:1 `data:` image is not allowed",
            ),
            (
                "<a href=vbscript:x>x</a>\n",
                "1:4 `vbscript:` address in `<a href>` is not allowed",
            ),
            (
                "<iframe src=\"https://example.org\"></iframe>\n",
                "1:1 HTML element `<iframe>` is not allowed in Markdown",
            ),
            (
                "<div>\n<style>p{}</style>\n</div>\n",
                "2:1 HTML element `<style>` is not allowed in Markdown",
            ),
            (
                "<p style=\"color: red\">x</p>\n",
                "1:4 HTML attribute `style` is not allowed on `<p>`",
            ),
            (
                "<svg onload=alert(1)>\n",
                "1:1 HTML element `<svg>` is not allowed in Markdown",
            ),
            (
                "> quoted <b onclick=\"x\">b</b>\n",
                "1:13 HTML attribute `onclick` is not allowed on `<b>`",
            ),
            (
                "<div>\n<img src=x alt=\"\n\nend\n",
                "2:1 unfinished HTML tag `<img`",
            ),
        ] {
            assert_eq!(refusals(markdown), [expected], "{markdown:?}");
        }
    }

    #[test]
    fn html_that_roadmaps_use_is_accepted() {
        for markdown in [
            "<table>\n<caption>Plan</caption>\n<thead><tr><th scope=\"col\">Year</th></tr></thead>\n<tbody><tr><td colspan=\"2\">2018</td></tr></tbody>\n</table>\n",
            "<details>\n<summary>More</summary>\n\nText.\n\n</details>\n",
            "The <abbr title=\"Integrated Digital Care Record\">IDCR</abbr> is live.\n",
            "E = mc<sup>2</sup>, H<sub>2</sub>O<br>next line\n",
            "<img src=\"plan.png\" alt=\"The plan\" width=\"200\" height=\"100\">\n",
            "<!-- a note for editors -->\n",
            "[NHS](https://www.nhs.uk/) [mail](mailto:a@b.nhs.uk) [call](tel:111) [about](/about/) [up](#vision)\n",
            "| a | b |\n|:-:|--:|\n| 1 | 2 |\n",
            "Text with a < b and a & c, `<script>` in code.\n\n```html\n<script>x</script>\n```\n",
        ] {
            assert_eq!(refusals(markdown), Vec::<String>::new(), "{markdown:?}");
        }
    }
}
