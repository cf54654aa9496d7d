//! Answering one HTTP request from the current snapshot.

use std::sync::{Arc, RwLock};

use percent_encoding::percent_decode_str;

use super::hosts::AllowedHosts;
use super::live_reload::{self, Clients, EVENTS_PATH, Message, SCRIPT, SCRIPT_PATH};
use super::snapshot::{Lookup, Snapshot};
use crate::output::Contents;

/// A request's head, as [`super::connection`] read and checked it: no body, one host.
pub(crate) struct Request {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    /// `None` only from an HTTP/1.0 client, which may leave it out.
    pub host: Option<String>,
    pub keep_alive: bool,
}

pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(status: u16, message: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            headers: Vec::new(),
            body: message.as_bytes().to_vec(),
        }
    }

    fn with_header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }
}

pub(crate) enum Answer {
    Reply(Reply),
    /// The connection becomes a tab's event stream, greeted with this frame.
    Events(Option<String>),
}

/// What every connection answers from.
pub(crate) struct Site {
    pub current: Arc<RwLock<Arc<Snapshot>>>,
    pub clients: Arc<Clients>,
    pub hosts: AllowedHosts,
}

impl Site {
    pub fn answer(&self, request: &Request) -> Answer {
        if let Some(host) = &request.host
            && let Err(refusal) = self.hosts.check(host)
        {
            return Answer::Reply(refusal);
        }
        let snapshot = self
            .current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let target = request.target.as_str();
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let method = request.method.as_str();
        let reply = match (method, safe_path(path)) {
            ("GET", _) if path == EVENTS_PATH => return Answer::Events(greeting(query, &snapshot)),
            ("GET" | "HEAD", _) if path == SCRIPT_PATH => Reply {
                content_type: content_type(SCRIPT_PATH),
                ..Reply::text(200, SCRIPT)
            },
            ("GET" | "HEAD", Some(decoded)) => answer(&decoded, path, query, &snapshot),
            ("GET" | "HEAD", None) => Reply::text(400, "Bad request: this path is not allowed.\n"),
            _ => Reply::text(405, "Only GET and HEAD are served.\n")
                .with_header("Allow", "GET, HEAD".to_string()),
        };
        Answer::Reply(reply)
    }
}

/// The first frame of a tab's event stream. If the site changed since the tab's page was
/// served, it is told at once, so a rebuild that finished between page load and connect
/// is not missed.
fn greeting(query: &str, snapshot: &Snapshot) -> Option<String> {
    let seen: Option<u64> = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("version="))
        .and_then(|v| v.parse().ok());
    let first = match (&snapshot.error, seen) {
        (Some(error), _) => Message::Error(error),
        (None, Some(version)) if version != snapshot.version => Message::Reload {
            version: snapshot.version,
            pages: None,
            reload: false,
        },
        _ => return None,
    };
    Some(first.frame())
}

/// Decodes the path and refuses anything that could climb out of the site: `..` in any
/// spelling (`%2e%2e`, `..%2f`), backslashes and NUL bytes.
pub fn safe_path(raw: &str) -> Option<String> {
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    let bad_segment = decoded
        .split('/')
        .any(|segment| segment == ".." || segment == ".");
    if bad_segment || decoded.contains('\\') || decoded.contains('\0') || !decoded.starts_with('/')
    {
        return None;
    }
    Some(decoded.into_owned())
}

fn answer(path: &str, raw_path: &str, query: &str, snapshot: &Snapshot) -> Reply {
    match snapshot.lookup(path) {
        Lookup::File(name, contents) => match body(contents) {
            Some(bytes) => page(200, name, bytes, snapshot),
            None => Reply::text(404, "Not found.\n"),
        },
        Lookup::AddSlash => {
            // One leading slash: `//footprints/` would name the host `footprints`.
            let target = format!("/{}/", raw_path.trim_start_matches('/'));
            let target = if query.is_empty() {
                target
            } else {
                format!("{target}?{query}")
            };
            Reply::text(301, "Moved to the folder's address.\n").with_header("Location", target)
        }
        Lookup::NotFound(Some(contents)) => match body(contents) {
            Some(bytes) => page(404, "404.html", bytes, snapshot),
            None => Reply::text(404, "Not found.\n"),
        },
        // No site yet (the first build failed): a bare page that carries the error overlay.
        Lookup::NotFound(None) if snapshot.error.is_some() => page(
            500,
            "error.html",
            super::overlay::FIRST_BUILD_FAILED.as_bytes().to_vec(),
            snapshot,
        ),
        Lookup::NotFound(None) => Reply::text(404, "Not found.\n"),
    }
}

fn body(contents: &Contents) -> Option<Vec<u8>> {
    match contents {
        Contents::Bytes(bytes) => Some(bytes.to_vec()),
        Contents::CopyOf(path) => read_copied(path),
        // Only a one-off build writes as it goes; a preview writes nothing.
        Contents::Written(_) => None,
    }
}

/// A file the site copies as it is, read at request time: only a regular file, never a link
/// or a FIFO put in its place since the build (the build checked where its links led; a
/// link made since would be followed unchecked, and a FIFO would hold the worker forever).
/// So a file that is a link, even to a file inside the content folder, is published by
/// `ldr build` but not served by the preview.
fn read_copied(path: &std::path::Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK,
    );
    let mut file = options.open(path).ok()?;
    let metadata = file.metadata().ok()?;
    if !metadata.is_file() {
        return None;
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

fn page(status: u16, name: &str, bytes: Vec<u8>, snapshot: &Snapshot) -> Reply {
    let content_type = content_type(name);
    let body = if content_type.starts_with("text/html") {
        live_reload::inject(&bytes, snapshot.version, snapshot.error.as_deref())
    } else {
        bytes
    };
    Reply {
        status,
        content_type,
        headers: Vec::new(),
        body,
    }
}

/// The media type of a site file, by its extension.
pub fn content_type(name: &str) -> &'static str {
    let extension = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_out_are_refused_in_every_spelling() {
        for raw in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/..%2f..%2fetc",
            "/a%5c..%5cb",
            "/x%00",
            "//..//etc",
        ] {
            assert_eq!(safe_path(raw), None, "{raw}");
        }
        assert_eq!(
            safe_path("/footprints/devon/").as_deref(),
            Some("/footprints/devon/")
        );
        assert_eq!(safe_path("/a%20b/").as_deref(), Some("/a b/"));
    }
}
