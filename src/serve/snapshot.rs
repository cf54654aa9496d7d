//! One complete built site in memory: what the preview serves until the next good build.

use std::collections::HashMap;
use std::sync::Arc;

use crate::output::{Contents, OutputFile};

/// The files of one successful build, by path, plus the error of a later failed build.
#[derive(Clone)]
pub struct Snapshot {
    files: HashMap<String, Contents>,
    /// Counts successful builds; pages carry it so a tab can tell it is out of date.
    pub version: u64,
    /// The last build's errors as the overlay's payload (JSON, `overlay::payload`), shown
    /// over every page until they are fixed.
    pub error: Option<String>,
}

/// What a request path names.
pub enum Lookup<'a> {
    File(&'a str, &'a Contents),
    /// A folder asked for without its slash: send the browser to `path/`.
    AddSlash,
    NotFound(Option<&'a Contents>),
}

impl Snapshot {
    pub fn new(files: Vec<OutputFile>, version: u64) -> Self {
        Snapshot {
            files: files.into_iter().map(|f| (f.path, f.contents)).collect(),
            version,
            error: None,
        }
    }

    /// Takes in the files a patched build changed, as build number `version`.
    pub fn patch(&mut self, changed: Vec<OutputFile>, removed: &[String], version: u64) {
        for path in removed {
            self.files.remove(path);
        }
        self.files
            .extend(changed.into_iter().map(|f| (f.path, f.contents)));
        self.version = version;
        self.error = None;
    }

    /// The addresses of the pages whose HTML differs from `before`'s, or that came or went.
    /// Pages reused from the last build share their bytes, so most are told apart without
    /// reading them.
    pub fn pages_changed_since(&self, before: &Snapshot) -> Vec<String> {
        let changed = self
            .files
            .iter()
            .filter(|(path, contents)| {
                is_page(path)
                    && !before
                        .files
                        .get(*path)
                        .is_some_and(|old| same(old, contents))
            })
            .map(|(path, _)| path);
        let gone = before
            .files
            .keys()
            .filter(|path| is_page(path) && !self.files.contains_key(*path));
        changed.chain(gone).map(|path| page_address(path)).collect()
    }

    pub fn with_error(&self, error: String) -> Self {
        Snapshot {
            files: self.files.clone(),
            version: self.version,
            error: Some(error),
        }
    }

    /// `path` is already decoded and checked to hold no `..`; it never touches the disk,
    /// so no request can reach a file outside the built site.
    pub fn lookup(&self, path: &str) -> Lookup<'_> {
        let key = path.trim_start_matches('/');
        let key = if key.is_empty() || key.ends_with('/') {
            format!("{key}index.html")
        } else {
            key.to_string()
        };
        if let Some((name, contents)) = self.files.get_key_value(&key) {
            return Lookup::File(name, contents);
        }
        if self.files.contains_key(&format!("{key}/index.html")) {
            return Lookup::AddSlash;
        }
        Lookup::NotFound(self.files.get("404.html"))
    }
}

fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

fn same(a: &Contents, b: &Contents) -> bool {
    match (a, b) {
        (Contents::Bytes(a), Contents::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
        (Contents::CopyOf(a), Contents::CopyOf(b)) => a == b,
        _ => false,
    }
}

/// The address a tab shows for a site file: `footprints/beta/index.html` is
/// `/footprints/beta/`.
pub fn page_address(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
        _ => format!("/{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile::bytes(path, html.as_bytes().to_vec())
    }

    #[test]
    fn pages_are_named_by_the_address_a_tab_shows() {
        assert_eq!(page_address("index.html"), "/");
        assert_eq!(
            page_address("footprints/beta/index.html"),
            "/footprints/beta/"
        );
        assert_eq!(page_address("404.html"), "/404.html");
        assert_eq!(page_address("notindex.html"), "/notindex.html");
    }

    #[test]
    fn only_pages_whose_html_changed_came_or_went_are_named() {
        let before = Snapshot::new(
            vec![
                page("index.html", "home"),
                page("footprints/alpha/index.html", "alpha"),
                page("footprints/beta/index.html", "beta"),
                page("stories/old/index.html", "old"),
                page("static/style.css", "a"),
            ],
            1,
        );
        let after = Snapshot::new(
            vec![
                page("index.html", "home"),
                page("footprints/alpha/index.html", "alpha"),
                page("footprints/beta/index.html", "beta, edited"),
                page("stories/new/index.html", "new"),
                page("static/style.css", "b"),
            ],
            2,
        );
        let mut pages = after.pages_changed_since(&before);
        pages.sort();
        assert_eq!(
            pages,
            ["/footprints/beta/", "/stories/new/", "/stories/old/"]
        );
    }
}
