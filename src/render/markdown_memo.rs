//! Markdown already turned into HTML, kept by `ldr serve`: a page made again after an edit
//! elsewhere (a capability's title is on every footprint's page) need not parse and clean
//! its roadmap again. At 1,000 footprints the roadmap was half the time of a footprint's
//! page. Keyed by all the HTML depends on, so a hit is the same HTML by construction.

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
