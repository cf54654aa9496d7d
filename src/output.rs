//! One file of the finished site. A leaf module: rendering makes these, and indexing,
//! writing and serving read them.

use std::path::PathBuf;
use std::sync::Arc;

/// One file of the finished site, by its path relative to the site root.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Where it goes, relative to the site root, with forward slashes.
    pub path: String,
    /// What goes there.
    pub contents: Contents,
}

/// The bytes of an [`OutputFile`], or where to find them.
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
    /// A file of the given bytes.
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

    /// Whether it is a page (an `index.html`), which the sitemap lists.
    pub fn is_page(&self) -> bool {
        self.path.ends_with("index.html")
    }
}
