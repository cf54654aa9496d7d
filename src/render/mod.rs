//! Stage 3: the model becomes HTML. Markdown through pulldown-cmark, pages through the
//! theme's Tera templates, every page rendered in parallel.

mod dates;
mod listings;
mod map;
mod markdown;
mod markdown_memo;
mod maturity;
mod pages;
mod parts;
mod roadmap_views;
mod sanitise;
mod structured_data;
mod template_blocks;
mod templates;
mod timeline;
mod vars;
mod views;
mod words;

pub use dates::{format_date, format_event_span};
pub use markdown::markdown_to_html;
pub use markdown_memo::MarkdownMemo;
pub use maturity::footprint_medians;
pub use pages::{Rendering, copies, render_pages};
pub use parts::{Parts, splice};
pub use templates::Templates;

/// Escapes text from the content for HTML or SVG built outside a template.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    tera::escape_html(text, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}
