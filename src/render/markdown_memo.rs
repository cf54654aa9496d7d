//! Markdown already turned into HTML, kept by `ldr serve`: a page made again after an edit
//! elsewhere (a capability's title is on every footprint's page) need not parse and clean
//! its roadmap again. At 1,000 footprints the roadmap was half the time of a footprint's
//! page. Keyed by a 64-bit hash of all the HTML depends on, so a hit is the same HTML
//! unless two texts collide (about one chance in 10^11 with 10,000 roadmaps).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::model::MarkdownSource;

/// HTML by the hash of its Markdown text, resolved links and address prefix.
#[derive(Default)]
pub struct MarkdownMemo(Mutex<FxHashMap<u64, Arc<str>>>);

impl MarkdownMemo {
    /// `source` as HTML under `prefix`, from the memo or made by `render` and kept.
    pub fn html(
        &self,
        source: &MarkdownSource,
        prefix: &str,
        render: impl FnOnce() -> String,
    ) -> Arc<str> {
        let mut hasher = DefaultHasher::new();
        (source.text(), &source.links, prefix).hash(&mut hasher);
        let key = hasher.finish();
        if let Some(html) = self.0.lock().ok().and_then(|memo| memo.get(&key).cloned()) {
            return html;
        }
        let html: Arc<str> = Arc::from(render());
        if let Ok(mut memo) = self.0.lock() {
            memo.insert(key, html.clone());
        }
        html
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::load::SourceFile;

    fn source(text: &str, links: &[(&str, &str)]) -> MarkdownSource {
        MarkdownSource {
            file: SourceFile {
                path: "roadmap.md".into(),
                text: text.into(),
            },
            start: 0,
            links: links
                .iter()
                .map(|(from, to)| (from.to_string(), to.to_string()))
                .collect(),
        }
    }

    /// The HTML is made again whenever the text, a resolved link or the prefix differs,
    /// and only then.
    #[test]
    fn html_is_kept_for_the_same_text_links_and_prefix_only() {
        let memo = MarkdownMemo::default();
        let renders = Cell::new(0);
        let html = |source: &MarkdownSource, prefix: &str| {
            memo.html(source, prefix, || {
                renders.set(renders.get() + 1);
                format!("<p>{} {prefix} {:?}</p>", source.text(), source.links)
            })
        };
        let plain = source(
            "[Beta](/footprints/beta/)",
            &[("/footprints/beta/", "/footprints/beta/")],
        );
        let first = html(&plain, "");
        assert_eq!(html(&plain, ""), first);
        assert_eq!(renders.get(), 1, "the same text, links and prefix: kept");

        let moved = source(
            "[Beta](/footprints/beta/)",
            &[("/footprints/beta/", "/footprints/gamma/")],
        );
        assert_ne!(html(&moved, ""), first, "a link now resolved elsewhere");
        assert_ne!(html(&plain, "/ldr"), first, "another prefix");
        assert_ne!(
            html(&source("[Beta](/footprints/beta/).", &[]), ""),
            first,
            "other text"
        );
        assert_eq!(renders.get(), 4);
    }
}
