//! Every id on a built page is used once, and every link to a place on the page lands on
//! one: headings, footnotes, their back-references, raw HTML and the theme's own ids.

mod common;

use std::collections::BTreeMap;

use common::{Scratch, stderr};
use scraper::{Html, Selector};

/// The page `pages/notes.md` of the minimal site, holding `markdown`, built.
fn page_of(markdown: &str) -> String {
    let site = Scratch::minimal();
    std::fs::write(
        site.content().join("pages/notes.md"),
        format!("+++\ntitle = \"Notes\"\n+++\n\n{markdown}"),
    )
    .unwrap();
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    site.read("notes/index.html")
}

/// Each id of `html` with how many elements have it.
fn ids(html: &Html) -> BTreeMap<String, usize> {
    let mut ids = BTreeMap::new();
    for element in html.select(&Selector::parse("[id]").unwrap()) {
        *ids.entry(element.value().id().unwrap().to_string())
            .or_default() += 1;
    }
    ids
}

fn assert_ids_unique_and_links_land(page: &str) -> Html {
    let html = Html::parse_document(page);
    let ids = ids(&html);
    let twice: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "ids used more than once: {twice:?}\n{page}"
    );
    for link in html.select(&Selector::parse("a[href^='#']").unwrap()) {
        let target = &link.value().attr("href").unwrap()[1..];
        assert!(
            ids.contains_key(target),
            "#{target} is no id of the page\n{page}"
        );
    }
    html
}

#[test]
fn footnotes_headings_and_the_theme_never_share_an_id() {
    let page = page_of(
        "## Vision\n\nThe plan[^vision] for the main[^main] work[^Content], said twice[^main].\n\n\
         ## Main\n\n## fn-vision\n\n<div id=\"plan\">A box.</div>\n\n## Plan\n\n\
         [^vision]: The vision note.\n[^main]: The main note.\n[^content]: Matched without regard to case.\n",
    );
    let html = assert_ids_unique_and_links_land(&page);
    let ids = ids(&html);
    // The theme keeps its own: the skip link still lands on <main>.
    let main = html.select(&Selector::parse("main").unwrap()).next();
    assert_eq!(main.and_then(|m| m.value().id()), Some("main"), "{page}");
    for id in ["vision", "main-2", "plan", "plan-2", "fn-vision"] {
        assert!(ids.contains_key(id), "{id}: {ids:?}");
    }
    // Three notes, each with its definition and a link back to every reference.
    let notes: Vec<_> = html
        .select(&Selector::parse("div.footnote-definition").unwrap())
        .collect();
    assert_eq!(notes.len(), 3, "{page}");
    let references = html
        .select(&Selector::parse("sup.footnote-reference a").unwrap())
        .count();
    let backs = html
        .select(&Selector::parse("div.footnote-definition a[href^='#fnref-']").unwrap())
        .count();
    assert_eq!((references, backs), (4, 4), "{page}");
}

#[test]
fn a_one_word_footnote_is_a_footnote_not_a_link() {
    let page = page_of("As shown before.[^1]\n\n[^1]: Ibid.\n");
    let html = assert_ids_unique_and_links_land(&page);
    let note = html
        .select(&Selector::parse("div.footnote-definition").unwrap())
        .next()
        .unwrap_or_else(|| panic!("no footnote: {page}"));
    assert!(note.text().collect::<String>().contains("Ibid."), "{page}");
    assert!(!page.contains("href=\"Ibid.\""), "{page}");
}
