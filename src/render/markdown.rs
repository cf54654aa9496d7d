//! Markdown to HTML: pulldown-cmark, plus heading anchors and the site's resolved links.

use std::borrow::Cow;
use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};

use crate::model::{MarkdownSource, html_policy, slugify};

/// Renders `source`; internal links get the site's `root` prefix (for sites under a path).
/// The HTML is sanitised to the HTML policy, which the model has already checked.
pub fn markdown_to_html(source: &MarkdownSource, root: &str) -> String {
    let mut events: Vec<Event> = source
        .parser()
        .map(|event| rewrite_link(event, source, root))
        .collect();
    add_heading_ids(&mut events);
    let mut out = String::with_capacity(source.text().len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    super::sanitise::sanitise(&classed_alignment(&out))
}

/// pulldown-cmark aligns table columns with `style` attributes, which the site's
/// Content-Security-Policy blocks; the theme has a class for each alignment instead.
/// Text and raw HTML cannot make these exact strings (`"` in text is `&quot;`, and a
/// `style` attribute in raw HTML is refused by the model).
fn classed_alignment(html: &str) -> Cow<'_, str> {
    if !html.contains(" style=\"text-align: ") {
        return Cow::Borrowed(html);
    }
    let mut out = html.to_string();
    for side in ["left", "center", "right"] {
        out = out.replace(
            &format!(" style=\"text-align: {side}\">"),
            &format!(" class=\"align-{side}\">"),
        );
    }
    Cow::Owned(out)
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

/// Gives every heading an `id` from its text, so `/about/#data-sources` links work.
fn add_heading_ids(events: &mut [Event]) {
    let mut used: HashSet<String> = html_policy::THEME_IDS
        .iter()
        .map(|id| id.to_string())
        .collect();
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
        let mut anchor = base.clone();
        let mut n = 1;
        while !used.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
            *id = Some(CowStr::from(anchor));
        }
    }
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
        for template in [
            "base.html",
            "footprint.html",
            "story.html",
            "event.html",
            "page.html",
        ] {
            let text = std::fs::read_to_string(root.join(template)).unwrap();
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
}
