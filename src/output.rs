//! One file of the finished site. A leaf module: rendering makes these, and indexing,
//! writing and serving read them.

use std::path::{Path, PathBuf};
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

/// Where the open `file` (opened at `path`) is. On Linux the kernel says so for the open
/// file itself, so nothing can change it between the check and the read or copy; elsewhere
/// the path is resolved again, which leaves a moment in which it could.
pub(crate) fn opened_at(file: &std::fs::File, path: &Path) -> std::io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(real) = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
            return Ok(real);
        }
    }
    let _ = file;
    std::fs::canonicalize(path)
}
