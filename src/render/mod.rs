//! Stage 3: the model becomes HTML. Markdown through pulldown-cmark, pages through the
//! theme's Tera templates, every page rendered in parallel.

mod cache;
mod dates;
mod listings;
mod map;
mod markdown;
mod maturity;
mod pages;
mod roadmap_views;
mod sanitise;
mod structured_data;
mod templates;
mod timeline;
mod vars;
mod views;

use std::path::PathBuf;
use std::sync::Arc;

pub use cache::RenderCache;
pub use dates::{format_date, format_event_span};
pub use markdown::markdown_to_html;
pub use maturity::{footprint_medians, format_score};
pub use pages::{PageSink, Rendered, render_footprint_pages, render_site};
pub use templates::Templates;

/// One file of the finished site, by its path relative to the site root.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone)]
pub enum Contents {
    /// Shared, so a page reused from the cache is not copied.
    Bytes(Arc<[u8]>),
    /// Copied as it is from the content folder (attachments, static files).
    CopyOf(PathBuf),
    /// Already written to the output folder, this many bytes: a one-off build writes pages
    /// as they are rendered instead of holding them all.
    Written(u64),
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(Arc::from(bytes.into())),
        }
    }

    /// The URL path the file is served at ("footprints/x/index.html" -> "/footprints/x/").
    pub fn url_path(&self) -> String {
        let path = format!("/{}", self.path);
        path.strip_suffix("index.html")
            .map_or(path.clone(), str::to_string)
    }

    pub fn is_page(&self) -> bool {
        self.path.ends_with("index.html")
    }
}

/// Escapes text from the content for HTML or SVG built outside a template.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    tera::escape_html(text, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}
