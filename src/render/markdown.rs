//! Markdown to HTML: pulldown-cmark, plus heading anchors and the site's resolved links.

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd, html};

use crate::model::{MarkdownSource, html_policy, slugify};

/// Renders `source`; internal links get the site's `root` prefix (for sites under a path).
/// The HTML is sanitised to the HTML policy, which the model has already checked.
pub fn markdown_to_html(source: &MarkdownSource, root: &str) -> String {
    let mut events: Vec<Event> = source
        .parser()
        .map(|event| rewrite_link(event, source, root))
        .collect();
    let raw_html = events
        .iter()
        .any(|event| matches!(event, Event::Html(_) | Event::InlineHtml(_)));
    add_ids(&mut events);
    let sanitise = needs_sanitiser(&events);
    let mut out = String::with_capacity(source.text().len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    let out = classed_alignment(out);
    match sanitise {
        true if raw_html && !source.links.is_empty() => {
            // Raw HTML's internal addresses are resolved by the model like Markdown's.
            let root = root.trim_end_matches('/');
            let rewrites = source
                .links
                .iter()
                .map(|(from, to)| (from.clone(), format!("{root}{to}")))
                .collect();
            super::sanitise::sanitise_with_rewrites(&out, rewrites)
        }
        true => super::sanitise::sanitise(&out),
        false => out,
    }
}

/// Whether the sanitiser could change what pulldown-cmark writes for `events`.
///
/// Parsing and writing the HTML again was a tenth of a build's time, for texts where it
/// can only respell what is already allowed. pulldown-cmark escapes every text and
/// attribute value it writes, and every element it writes is on the allow-list, so a text
/// with no raw HTML can break the policy only through a value the policy judges: a link
/// or image address (`javascript:`), a footnote's id (one of the theme's), or a code
/// block's language class. Those are checked here with the policy's own test; any raw
/// HTML, footnote or language still goes through ammonia, as everything did before.
fn needs_sanitiser(events: &[Event]) -> bool {
    events.iter().any(|event| match event {
        Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => true,
        Event::Start(Tag::FootnoteDefinition(_) | Tag::HtmlBlock) => true,
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => !info.is_empty(),
        Event::Start(Tag::Link { dest_url, .. }) => {
            html_policy::value_problem("a", "href", dest_url).is_some()
        }
        Event::Start(Tag::Image { dest_url, .. }) => {
            html_policy::value_problem("img", "src", dest_url).is_some()
        }
        _ => false,
    })
}

/// pulldown-cmark aligns table columns with `style` attributes, which the site's
/// Content-Security-Policy blocks; the theme has a class for each alignment instead.
/// Text and raw HTML cannot make these exact strings (`"` in text is `&quot;`, and a
/// `style` attribute in raw HTML is refused by the model).
fn classed_alignment(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    let mut out = html;
    for side in ["left", "center", "right"] {
        out = out.replace(
            &format!(" style=\"text-align: {side}\">"),
            &format!(" class=\"align-{side}\">"),
        );
    }
    out
}

fn rewrite_link<'a>(event: Event<'a>, source: &MarkdownSource, root: &str) -> Event<'a> {
    let url = |dest: &CowStr| {
        source
            .links
            .get(dest.as_ref())
            .map(|url| CowStr::from(format!("{}{}", root.trim_end_matches('/'), url)))
    };
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: url(&dest_url).unwrap_or(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: url(&dest_url).unwrap_or(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

/// Gives every heading an `id` from its text, so `/about/#data-sources` links work, and
/// writes the footnotes with ids of their own: no two ids on a page are the same.
///
/// Ids are taken in this order, each kept from those before it: the theme's
/// ([`html_policy::THEME_IDS`]), those raw HTML sets (the editor chose them), the
/// headings' (`## Vision` is `vision`), then each footnote's (`fn-vision`) and each of its
/// references' (`fnref-vision`, `fnref-vision-2`). pulldown-cmark's own footnote HTML
/// used the label as the id, so `[^main]` took the page's `main` (and the sanitiser
/// dropped it) and `[^vision]` took a heading's.
fn add_ids(events: &mut [Event]) {
    let mut used: HashSet<String> = html_policy::THEME_IDS
        .iter()
        .map(|id| id.to_string())
        .collect();
    // Read whole, as an HTML block comes a line at a time and a tag may span lines.
    let raw: String = events
        .iter()
        .filter_map(|event| match event {
            Event::Html(html) | Event::InlineHtml(html) => Some(html.as_ref()),
            _ => None,
        })
        .collect();
    used.extend(raw_ids(&raw));
    add_heading_ids(events, &mut used);
    add_footnote_ids(events, &mut used);
}

/// `base`, or `base-2`, `base-3` ... whichever is not yet used; it is then used.
fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

fn add_heading_ids(events: &mut [Event], used: &mut HashSet<String>) {
    for start in 0..events.len() {
        let Event::Start(Tag::Heading { id: None, .. }) = &events[start] else {
            continue;
        };
        let text: String = events[start + 1..]
            .iter()
            .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let mut base = slugify(&text);
        if base.is_empty() {
            // A heading with no letters or digits ("## ???") still needs an id of its own.
            base = "section".to_string();
        }
        let anchor = unique_id(base, used);
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
            *id = Some(CowStr::from(anchor));
        }
    }
}

/// One footnote: its number (in order of first mention), its id, and its references' ids.
struct Footnote {
    number: usize,
    id: String,
    references: Vec<String>,
}

/// The footnotes of one text, by label as CommonMark matches them (without regard to case).
#[derive(Default)]
struct Footnotes {
    notes: Vec<Footnote>,
    by_label: std::collections::HashMap<String, usize>,
}

impl Footnotes {
    /// The footnote of `label`, given its number and id when first met.
    fn of(&mut self, label: &str, used: &mut HashSet<String>) -> usize {
        let key = label.to_lowercase();
        if let Some(&i) = self.by_label.get(&key) {
            return i;
        }
        let mut base = slugify(label);
        if base.is_empty() {
            base = "note".to_string();
        }
        let i = self.notes.len();
        self.notes.push(Footnote {
            number: i + 1,
            id: unique_id(format!("fn-{base}"), used),
            references: Vec::new(),
        });
        self.by_label.insert(key, i);
        i
    }
}

/// Writes each footnote reference and definition as HTML with unique ids, the definition
/// linking back to each reference.
fn add_footnote_ids(events: &mut [Event], used: &mut HashSet<String>) {
    let mut footnotes = Footnotes::default();
    // First the ids, in the text's order, so a definition knows every reference to it.
    let mut reference_of = Vec::new();
    for event in events.iter() {
        match event {
            Event::FootnoteReference(label) => {
                let i = footnotes.of(label, used);
                let note = &mut footnotes.notes[i];
                let id = unique_id(note.id.replacen("fn-", "fnref-", 1), used);
                note.references.push(id);
                reference_of.push((i, note.references.len() - 1));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                footnotes.of(label, used);
            }
            _ => {}
        }
    }
    let Footnotes { notes, by_label } = footnotes;
    let mut references = reference_of.into_iter();
    let mut open: Vec<usize> = Vec::new();
    for event in events.iter_mut() {
        let html = match event {
            Event::FootnoteReference(_) => {
                let Some((i, k)) = references.next() else {
                    continue;
                };
                let note = &notes[i];
                format!(
                    "<sup class=\"footnote-reference\" id=\"{}\"><a href=\"#{}\">{}</a></sup>",
                    note.references[k], note.id, note.number
                )
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let i = by_label[&label.to_lowercase()];
                open.push(i);
                let note = &notes[i];
                format!(
                    "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{}</sup>\n",
                    note.id, note.number
                )
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let mut html = String::new();
                if let Some(note) = open.pop().map(|i| &notes[i]) {
                    for (k, reference) in note.references.iter().enumerate() {
                        let mark = match k {
                            0 => "↩".to_string(),
                            _ => format!("↩{}", k + 1),
                        };
                        html.push_str(&format!(
                            "<a href=\"#{reference}\" title=\"Back to the text\">{mark}</a>\n"
                        ));
                    }
                }
                html.push_str("</div>\n");
                html
            }
            _ => continue,
        };
        *event = Event::Html(CowStr::from(html));
    }
}

/// The ids raw HTML gives its elements, as a browser reads them (entities decoded).
fn raw_ids(html: &str) -> Vec<String> {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::RefCell;

    if !html.contains("id") && !html.contains("ID") && !html.contains('&') {
        return Vec::new();
    }
    #[derive(Default)]
    struct Ids(RefCell<Vec<String>>);
    impl TokenSink for Ids {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token {
                let ids = tag.attrs.iter().filter(|a| &*a.name.local == "id");
                self.0.borrow_mut().extend(ids.map(|a| a.value.to_string()));
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Ids::default(), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.take()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;

    #[test]
    fn headings_never_take_an_id_of_the_page_around_them() {
        let html = markdown_to_html(
            &source("## Main\n## Capabilities\n## ???\n## !!!\n", &[]),
            "/",
        );
        for id in ["main-2", "capabilities-2", "section", "section-2"] {
            assert!(html.contains(&format!(r#"id="{id}""#)), "{id}: {html}");
        }
    }

    #[test]
    fn the_theme_ids_around_markdown_are_all_known() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let partials = std::fs::read_dir(root.join("partials"))
            .unwrap()
            .map(|entry| format!("partials/{}", entry.unwrap().file_name().to_string_lossy()));
        let pages = [
            "base.html",
            "footprint.html",
            "story.html",
            "event.html",
            "page.html",
        ];
        for template in pages.map(String::from).into_iter().chain(partials) {
            let text = std::fs::read_to_string(root.join(&template)).unwrap();
            for id in text
                .split("id=\"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
            {
                let id = id.replace("{{ group.kind }}", "ccg");
                assert!(
                    html_policy::THEME_IDS.contains(&id.as_str()),
                    "{template}: id `{id}` is not in THEME_IDS"
                );
            }
        }
    }

    fn source(text: &str, links: &[(&str, &str)]) -> MarkdownSource {
        MarkdownSource {
            file: SourceFile {
                path: "x.md".into(),
                text: text.into(),
            },
            start: 0,
            links: links
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        }
    }

    #[test]
    fn headings_get_ids_from_their_text() {
        let html = markdown_to_html(
            &source(
                "## How the footprints were derived\n## Data\n## Data\n",
                &[],
            ),
            "/",
        );
        assert!(
            html.contains(r#"<h2 id="how-the-footprints-were-derived">"#),
            "{html}"
        );
        assert!(html.contains(r#"<h2 id="data-2">"#), "{html}");
    }

    #[test]
    fn resolved_links_are_rewritten_under_the_root() {
        let html = markdown_to_html(
            &source(
                "[a](../pages/about.md)",
                &[("../pages/about.md", "/about/")],
            ),
            "/ldr/",
        );
        assert!(html.contains(r#"href="/ldr/about/""#), "{html}");
    }

    #[test]
    fn table_alignment_is_a_class_not_a_style() {
        let html = markdown_to_html(&source("| a | b |\n|:-:|--:|\n| 1 | 2 |\n", &[]), "/");
        assert!(
            html.contains(r#"<th class="align-center">a</th>"#),
            "{html}"
        );
        assert!(html.contains(r#"<td class="align-right">2</td>"#), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn allowed_html_comes_through_and_anything_else_does_not() {
        let html = markdown_to_html(
            &source(
                "<details>\n<summary>More</summary>\n\nThe <abbr title=\"Integrated Digital Care Record\">IDCR</abbr>.\n\n</details>\n\n<img src=x onerror=alert(1)>\n",
                &[],
            ),
            "/",
        );
        assert!(
            html.contains("<details>\n<summary>More</summary>"),
            "{html}"
        );
        assert!(
            html.contains(r#"<abbr title="Integrated Digital Care Record">IDCR</abbr>"#),
            "{html}"
        );
        assert!(html.contains(r#"<img src="x">"#), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }

    /// Every construct the parser's options allow, with no raw HTML, footnote or code
    /// language: what roadmaps are nearly all made of.
    const PLAIN_MARKDOWN: &str = "# Vision\n\nText with *emphasis*, **strength**, ~~a change~~, `code` \
        and \"quotes\" & 1 < 2 > 0.  \nA hard break.\n\n\
        ## Plan\n\n1. one\n2. two\n\n4. four\n5. five\n\n- a\n  - nested\n- [link](https://example.org/a?b=1&c=2 \"Title\")\n\n\
        > quoted\n\n---\n\n    indented code\n\n```\nfenced\n```\n\n\
        | Left | Centre | Right |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n\
        ![A plan](plan.png \"The plan\") [about](../pages/about.md) [mail](mailto:a@b.nhs.uk) [top](#vision)\n";

    /// What html5ever reads `html` as: tags with their attributes, and text, with the
    /// spelling (`<br />` or `<br>`, `&quot;` or `"`) gone, so that two HTML texts compare
    /// equal exactly when a browser builds the same page from them.
    fn as_read(html: &str) -> Vec<String> {
        use html5ever::tendril::StrTendril;
        use html5ever::tokenizer::{
            BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
        };
        use std::cell::RefCell;

        #[derive(Default)]
        struct Tokens(RefCell<Vec<String>>);
        impl TokenSink for Tokens {
            type Handle = ();
            fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
                let mut tokens = self.0.borrow_mut();
                match token {
                    Token::TagToken(tag) => {
                        let mut attributes: Vec<String> = tag
                            .attrs
                            .iter()
                            .map(|a| format!("{}={:?}", a.name.local, &*a.value))
                            .collect();
                        attributes.sort();
                        tokens.push(format!("{:?} {} {attributes:?}", tag.kind, tag.name));
                    }
                    Token::CharacterTokens(text) => match tokens.last_mut() {
                        Some(last) if last.starts_with("text ") => last.push_str(&text),
                        _ => tokens.push(format!("text {text}")),
                    },
                    _ => {}
                }
                TokenSinkResult::Continue
            }
        }
        let tokenizer = Tokenizer::new(Tokens::default(), TokenizerOpts::default());
        let queue = BufferQueue::default();
        queue.push_back(StrTendril::from(html));
        let _ = tokenizer.feed(&queue);
        tokenizer.end();
        tokenizer.sink.0.take()
    }

    fn events_of(text: &str) -> Vec<Event<'_>> {
        pulldown_cmark::Parser::new_ext(
            text,
            pulldown_cmark::Options::ENABLE_TABLES
                | pulldown_cmark::Options::ENABLE_FOOTNOTES
                | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
        )
        .collect()
    }

    #[test]
    fn plain_markdown_skips_the_sanitiser_which_would_change_nothing_a_browser_reads() {
        assert!(!needs_sanitiser(&events_of(PLAIN_MARKDOWN)));
        let html = markdown_to_html(&source(PLAIN_MARKDOWN, &[]), "/");
        assert!(
            html.contains("<br />"),
            "not the sanitiser's spelling: {html}"
        );
        assert_eq!(
            as_read(&html),
            as_read(&super::super::sanitise::sanitise(&html))
        );
    }

    #[test]
    fn what_the_policy_judges_still_goes_through_the_sanitiser() {
        for text in [
            "[x](javascript:alert(1))",
            "[x](java&#x09;script:alert(1))",
            "![x](https://tracker.example/pixel.png)",
            "a <abbr title=\"x\">b</abbr>",
            "<div>\nblock\n</div>\n",
            "a[^main]\n\n[^main]: the theme's id\n",
            "```rust\nfn main() {}\n```\n",
        ] {
            assert!(needs_sanitiser(&events_of(text)), "{text}");
        }
        let html = markdown_to_html(
            &source("[x](javascript:alert(1)) a[^main]\n\n[^main]: b\n", &[]),
            "/",
        );
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("id=\"main\""), "{html}");
    }

    proptest::proptest! {
        /// Texts pieced together from Markdown's constructs, in any order and nesting:
        /// whenever the sanitiser is skipped, it would have changed nothing a browser reads.
        #[test]
        fn skipping_the_sanitiser_never_lets_through_what_it_would_remove(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "# ", "## Main", "\n", "\n\n", "  \n", "> ", "- ", "1. ", "3) ", "    ", "```", "```js",
                "*", "**", "_", "~~", "`", "[", "](", ")", "![", "<", ">", "&", "&amp;", "&#x6A;",
                "\"", "'", "|", "|:-:|", "---", "[^1]", "[^main]:", "javascript:", "https://x.org/",
                "mailto:a@b", "../pages/about.md", "#top", "x", "text", "é", "\\", "<b>", "</b>",
                "<!-- c -->", "{#id}", "=", " ", "[a](javascript:alert(1))", "<javascript:x>",
                "[a](JaVa&#x09;script:x)", "![i](https://x.org/p.png)", "<https://x.org/>",
                "[b]: vbscript:x", "[b]", "[^main]", "[^main]: note",
            ]), 0..40)
        ) {
            let text: String = pieces.concat();
            let html = markdown_to_html(&source(&text, &[]), "/");
            if !needs_sanitiser(&events_of(&text)) {
                proptest::prop_assert_eq!(
                    as_read(&html),
                    as_read(&super::super::sanitise::sanitise(&html)),
                    "{:?} gave {:?}", text, html
                );
            }
        }
    }
}
