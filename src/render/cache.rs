//! What the last build rendered, so the next one re-renders only what changed.
//!
//! A page is a pure function of its template set and its context, so a page whose context
//! hashes the same as last time is reused as it was. Markdown is memoised by its text, links
//! and path prefix. This is how `ldr serve` re-renders one footprint's pages after an edit
//! without the risk of a hand-kept dependency graph going stale.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::model::MarkdownSource;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A rendered page: the hash of the context it came from, and its bytes.
type PageEntry = (u64, Arc<[u8]>);

/// Rendered pages and Markdown from one build, handed to the next.
#[derive(Default)]
pub struct RenderCache {
    pages: HashMap<String, PageEntry>,
    markdown: HashMap<u64, Arc<str>>,
}

impl RenderCache {
    /// Takes in what a partial round rendered. Markdown of replaced texts stays until the
    /// next full build, which keeps only what it used.
    pub fn update(&mut self, newer: RenderCache) {
        self.pages.extend(newer.pages);
        self.markdown.extend(newer.markdown);
    }
}

/// One build's view of the previous cache, and what it adds for the next. Without a
/// previous cache (a one-off `ldr build`) nothing is hashed or kept.
pub(super) struct CacheRound<'a> {
    previous: Option<&'a RenderCache>,
    pages: Mutex<HashMap<String, PageEntry>>,
    markdown: Mutex<HashMap<u64, Arc<str>>>,
    rendered: AtomicUsize,
}

impl<'a> CacheRound<'a> {
    pub fn new(previous: Option<&'a RenderCache>) -> Self {
        CacheRound {
            previous,
            pages: Mutex::default(),
            markdown: Mutex::default(),
            rendered: AtomicUsize::new(0),
        }
    }

    /// Whether pages need a cache key: only when a later build will compare against this one.
    pub fn tracks_changes(&self) -> bool {
        self.previous.is_some()
    }

    /// The page at `path` rendered from a context hashing to `key`, rendering it if needed.
    pub fn page<E>(
        &self,
        path: &str,
        key: Option<u64>,
        render: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Arc<[u8]>, E> {
        let (Some(previous), Some(key)) = (self.previous, key) else {
            self.rendered.fetch_add(1, Ordering::Relaxed);
            return render().map(Arc::from);
        };
        let bytes = match previous.pages.get(path) {
            Some((old_key, bytes)) if *old_key == key => bytes.clone(),
            _ => {
                self.rendered.fetch_add(1, Ordering::Relaxed);
                Arc::from(render()?)
            }
        };
        self.pages
            .lock()
            .unwrap()
            .insert(path.to_string(), (key, bytes.clone()));
        Ok(bytes)
    }

    /// `source` as HTML under `prefix`, memoised by its text when changes are tracked.
    pub fn markdown(
        &self,
        source: &MarkdownSource,
        prefix: &str,
        render: impl FnOnce() -> String,
    ) -> Arc<str> {
        let Some(previous) = self.previous else {
            return Arc::from(render());
        };
        let key = markdown_key(source, prefix);
        let html = match previous.markdown.get(&key) {
            Some(html) => html.clone(),
            None => Arc::from(render()),
        };
        self.markdown.lock().unwrap().insert(key, html.clone());
        html
    }

    /// The cache for the next build, and how many pages this one rendered afresh.
    pub fn finish(self) -> (RenderCache, usize) {
        let cache = RenderCache {
            pages: self.pages.into_inner().unwrap(),
            markdown: self.markdown.into_inner().unwrap(),
        };
        (cache, self.rendered.into_inner())
    }
}

/// The memo key of a Markdown body: its text, its resolved links and the path prefix.
fn markdown_key(source: &MarkdownSource, prefix: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    (source.text(), &source.links, prefix).hash(&mut hasher);
    hasher.finish()
}
