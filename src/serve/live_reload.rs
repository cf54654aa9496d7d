//! Live reload over Server-Sent Events: the script injected into served pages, and the
//! broadcaster that tells every open tab what changed (its page, a stylesheet, a script)
//! or that the build failed.

use std::io::Write;
use std::sync::Mutex;

/// The address the injected script listens on; no content path can clash with it.
pub const EVENTS_PATH: &str = "/__ldr/events";

/// At most this many tabs are kept; the oldest is dropped for a new one.
const MAX_CLIENTS: usize = 64;

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
    fn frame(&self) -> String {
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

/// The open event streams, one per tab.
#[derive(Default)]
pub struct Clients {
    streams: Mutex<Vec<Box<dyn Write + Send>>>,
}

impl Clients {
    /// Takes over a request's connection as an event stream, greeting it with `first`.
    pub fn add(&self, mut stream: Box<dyn Write + Send>, first: Option<Message>) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
        let greeting = first.map(|m| m.frame()).unwrap_or_default();
        if stream
            .write_all(head.as_bytes())
            .and_then(|_| stream.write_all(greeting.as_bytes()))
            .and_then(|_| stream.flush())
            .is_err()
        {
            return;
        }
        let mut streams = self.streams.lock().unwrap();
        if streams.len() >= MAX_CLIENTS {
            streams.remove(0);
        }
        streams.push(stream);
    }

    /// Sends `message` to every tab, dropping those that have gone away.
    pub fn send(&self, message: Message) {
        self.write_all(message.frame().as_bytes());
    }

    /// A comment line, so closed tabs are noticed and proxies keep the stream open.
    pub fn ping(&self) {
        self.write_all(b": ping\n\n");
    }

    fn write_all(&self, bytes: &[u8]) {
        self.streams
            .lock()
            .unwrap()
            .retain_mut(|stream| stream.write_all(bytes).and_then(|_| stream.flush()).is_ok());
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
