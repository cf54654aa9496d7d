//! Live reload over Server-Sent Events: the script injected into served pages, and the
//! broadcaster that tells every open tab to reload, swap its CSS or show a build error.

use std::io::Write;
use std::sync::Mutex;

/// The address the injected script listens on; no content path can clash with it.
pub const EVENTS_PATH: &str = "/__ldr/events";

/// At most this many tabs are kept; the oldest is dropped for a new one.
const MAX_CLIENTS: usize = 64;

/// What changed, as the browser is told.
pub enum Message<'a> {
    Reload(u64),
    Css(u64),
    Error(&'a str),
}

impl Message<'_> {
    fn frame(&self) -> String {
        match self {
            Message::Reload(version) => format!("event: reload\ndata: {version}\n\n"),
            Message::Css(version) => format!("event: css\ndata: {version}\n\n"),
            Message::Error(text) => format!(
                "event: build-error\ndata: {}\n\n",
                serde_json::to_string(text).unwrap_or_default()
            ),
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

/// Adds the live-reload script to an HTML page, before `</body>`.
pub fn inject(html: &[u8], version: u64, error: Option<&str>) -> Vec<u8> {
    let error = serde_json::to_string(&error).unwrap_or_else(|_| "null".into());
    // `</` cannot appear inside the JSON string, so it cannot close the script element.
    let error = error.replace("</", "<\\/");
    let script = format!("<script>{SCRIPT}\nldrLive({version}, {error});</script>\n");
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Kept small and dependency-free: it runs only in the preview, never in the published site.
const SCRIPT: &str = r#"function ldrLive(version, error) {
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'ldr-error-overlay';
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText = 'position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(33,43,50,.95);color:#fff;padding:24px;font:16px/1.5 monospace';
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = '<h2 style="color:#ffeb3b;margin-top:0">ldr: the build failed, this is the last good version</h2><pre style="white-space:pre-wrap"></pre><p>Fix the file and save: this page updates by itself.</p>';
    overlay.querySelector('pre').textContent = text;
  }
  if (error) { document.addEventListener('DOMContentLoaded', function () { show(error); }); if (document.body) show(error); }
  var events = new EventSource('/__ldr/events?version=' + version);
  events.addEventListener('reload', function () { location.reload(); });
  events.addEventListener("build-error", function (e) { show(JSON.parse(e.data)); });
  events.addEventListener('css', function (e) {
    if (overlay) { location.reload(); return; }
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href); url.searchParams.set('ldr', e.data); link.href = url.toString();
    });
  });
}"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></body></html>", 3, None);
        let text = String::from_utf8(page).unwrap();
        assert!(
            text.contains("ldrLive(3, null);</script>\n</body></html>"),
            "{text}"
        );
    }

    #[test]
    fn error_text_cannot_close_the_script() {
        let page = inject(
            b"<body></body>",
            1,
            Some("bad </script><img src=x onerror=alert(1)>"),
        );
        let text = String::from_utf8(page).unwrap();
        assert_eq!(text.matches("</script>").count(), 1, "{text}");
    }
}
