//! Live reload over Server-Sent Events: the script injected into served pages, and the
//! broadcaster that tells every open tab what changed (its page, a stylesheet, a script)
//! or that the build failed.

use std::collections::VecDeque;
use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The address the injected script listens on; no content path can clash with it.
pub const EVENTS_PATH: &str = "/__ldr/events";

/// At most this many tabs are kept; the oldest is closed for a new one (its browser
/// connects again, and is told then what it missed).
const MAX_CLIENTS: usize = 64;

/// Frames waiting for a tab that is not reading; one more and the tab is closed.
const QUEUED: usize = 16;

/// What changed, as the browser is told.
pub enum Message<'a> {
    /// A new build is served. `pages` are the addresses of the pages whose HTML changed
    /// (`None`: any page may have): only a tab showing one of them fetches its page again
    /// and updates in place. `reload`: what changed (a script, an image) is taken in only
    /// by reloading every tab.
    Reload {
        version: u64,
        pages: Option<&'a [String]>,
        reload: bool,
    },
    Css(u64),
    /// The build failed: the overlay's payload, a JSON object on one line.
    Error(&'a str),
}

impl Message<'_> {
    pub(crate) fn frame(&self) -> String {
        match self {
            Message::Reload {
                version,
                pages,
                reload,
            } => {
                let data = serde_json::json!({
                    "version": version,
                    "pages": pages,
                    "reload": reload,
                });
                format!("event: reload\ndata: {data}\n\n")
            }
            Message::Css(version) => format!("event: css\ndata: {version}\n\n"),
            // Already JSON on one line (`overlay::payload`).
            Message::Error(payload) => format!("event: build-error\ndata: {payload}\n\n"),
        }
    }
}

/// The open event streams, one per tab. Each tab is written to by its own connection's
/// thread from a short queue, so a rebuild hands its message over and never waits for a
/// tab: one that stops reading fills its queue and is closed.
#[derive(Default)]
pub struct Clients {
    tabs: Mutex<VecDeque<SyncSender<Arc<str>>>>,
}

impl Clients {
    /// Takes over a connection as a tab's event stream, greeting it with `first`, and
    /// writes to it until the tab goes away or is closed.
    pub fn stream(&self, mut stream: TcpStream, first: Option<String>) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
        // Listed before it is greeted, so that a rebuild finishing meanwhile is queued
        // for it, not missed.
        let (sender, frames) = mpsc::sync_channel::<Arc<str>>(QUEUED);
        {
            let mut tabs = self.tabs();
            if tabs.len() >= MAX_CLIENTS {
                // Dropping its sender ends the oldest tab's loop below, which closes it.
                tabs.pop_front();
            }
            tabs.push_back(sender);
        }
        let greeting = format!("{head}{}", first.unwrap_or_default());
        if stream.write_all(greeting.as_bytes()).is_err() {
            return;
        }
        // Ends when the tab is dropped from `tabs`, or a write fails or times out.
        for frame in frames {
            if stream.write_all(frame.as_bytes()).is_err() {
                break;
            }
        }
        let _ = stream.shutdown(Shutdown::Both);
    }

    /// Sends `message` to every tab, closing those that have gone away or fallen behind.
    pub fn send(&self, message: Message) {
        self.queue(message.frame().into());
    }

    /// A comment line, so closed tabs are noticed and proxies keep the stream open.
    pub fn ping(&self) {
        self.queue(": ping\n\n".into());
    }

    fn queue(&self, frame: Arc<str>) {
        self.tabs()
            .retain(|tab| tab.try_send(frame.clone()).is_ok());
    }

    /// The list is only pushed to and filtered: a panic elsewhere cannot leave it half
    /// changed, so a poisoned lock is taken as it is.
    fn tabs(&self) -> MutexGuard<'_, VecDeque<SyncSender<Arc<str>>>> {
        self.tabs.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Adds the live-reload script to an HTML page, before `</body>`. The script is a file
/// (`SCRIPT_PATH`), not inline code, so the site's Content-Security-Policy
/// (`script-src 'self'`) lets it run; the version and any build error travel as
/// `data-` attributes, HTML-escaped, so no error text can close the element.
pub fn inject(html: &[u8], version: u64, error: Option<&str>) -> Vec<u8> {
    let error = error
        .map(|text| format!(" data-ldr-error=\"{}\"", escape_attribute(text)))
        .unwrap_or_default();
    let script =
        format!("<script src=\"{SCRIPT_PATH}\" data-ldr-version=\"{version}\"{error}></script>\n");
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Where the preview serves [`SCRIPT`]; no content path can clash with it.
pub const SCRIPT_PATH: &str = "/__ldr/live-reload.js";

/// The script itself is in `live_reload.js`: see there for what it does on each event. The
/// overlay it shows is in `overlay.js`, first, so that its styles are defined when a page
/// that carries an error runs the script.
pub const SCRIPT: &str = concat!(include_str!("overlay.js"), include_str!("live_reload.js"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></body></html>", 3, None);
        let text = String::from_utf8(page).unwrap();
        assert!(
            text.ends_with(
                "<script src=\"/__ldr/live-reload.js\" data-ldr-version=\"3\"></script>\n</body></html>"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_reload_names_the_changed_pages() {
        let pages = ["/footprints/beta/".to_string()];
        let message = Message::Reload {
            version: 7,
            pages: Some(&pages),
            reload: false,
        };
        assert_eq!(
            message.frame(),
            "event: reload\ndata: {\"pages\":[\"/footprints/beta/\"],\"reload\":false,\"version\":7}\n\n"
        );
        let unknown = Message::Reload {
            version: 8,
            pages: None,
            reload: true,
        };
        assert!(unknown.frame().contains("\"pages\":null,\"reload\":true"));
    }

    #[test]
    fn a_build_error_is_sent_as_the_overlay_payload_on_one_data_line() {
        let payload = r#"{"kept":true,"errors":[{"message":"line one\nline two"}]}"#;
        let frame = Message::Error(payload).frame();
        let data = frame
            .strip_prefix("event: build-error\ndata: ")
            .and_then(|rest| rest.strip_suffix("\n\n"))
            .unwrap_or_else(|| panic!("{frame}"));
        let json: serde_json::Value = serde_json::from_str(data).unwrap();
        assert_eq!(json["errors"][0]["message"], "line one\nline two");
    }

    #[test]
    fn error_text_cannot_leave_its_attribute() {
        let page = inject(
            b"<body></body>",
            1,
            Some("bad \" onload=\"alert(1)\" </script><img src=x onerror=alert(1)>"),
        );
        let text = String::from_utf8(page).unwrap();
        assert_eq!(text.matches("</script>").count(), 1, "{text}");
        assert_eq!(text.matches('"').count(), 6, "{text}");
        assert!(!text.contains("<img"), "{text}");
    }
}
