//! One complete built site in memory: what the preview serves until the next good build.

use std::collections::HashMap;

use crate::render::{Contents, OutputFile};

/// The files of one successful build, by path, plus the error of a later failed build.
#[derive(Clone)]
pub struct Snapshot {
    files: HashMap<String, Contents>,
    /// Counts successful builds; pages carry it so a tab can tell it is out of date.
    pub version: u64,
    /// The text of the last build's errors, shown over every page until they are fixed.
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
