//! The preview's listening socket: each connection on its own thread, up to a cap.
//!
//! A thread per connection keeps a slow or stuck client from holding up anyone else: it
//! holds only its own thread, until [`super::connection`]'s timeouts close it. The cap
//! bounds the threads; past it, a new connection is told to come back and closed.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::connection::{self, WRITE_TIMEOUT};
use super::http::Site;

/// Connections answered at once (event streams are counted apart, by the tabs' own cap).
/// A browser opens six per host; this leaves room for many browsers and tools.
const MAX_CONNECTIONS: usize = 128;
/// Connections past the cap being told so; past these too, one is closed unanswered.
const MAX_REFUSING: usize = 64;

pub(crate) fn bind(address: SocketAddr) -> io::Result<TcpListener> {
    TcpListener::bind(address)
}

/// Accepts connections for ever.
pub(crate) fn run(listener: TcpListener, site: Arc<Site>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            // Out of file descriptors, or a connection reset before it was accepted: a
            // pause, so that a lasting error does not spin this thread.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let slot = Slot(Some(open.clone()));
        let before = open.fetch_add(1, Ordering::AcqRel);
        let site = site.clone();
        let thread = std::thread::Builder::new().name("ldr-connection".into());
        let spawned = if before < MAX_CONNECTIONS {
            thread.spawn(move || {
                let mut slot = slot;
                let answer = |request: &_| site.answer(request);
                let events = |stream, first| site.clients.stream(stream, first);
                connection::serve(stream, &answer, || slot.release(), &events);
            })
        } else if before < MAX_CONNECTIONS + MAX_REFUSING {
            thread.spawn(move || {
                let _slot = slot;
                refuse(stream);
            })
        } else {
            // Beyond even that: closed unanswered.
            continue;
        };
        // If no thread can be made, the closure (and its slot and stream) is dropped:
        // the connection is closed and no longer counted.
        drop(spawned);
    }
}

/// One connection's place under the cap, given back when it closes or becomes a tab's
/// event stream, even if its thread panics.
struct Slot(Option<Arc<AtomicUsize>>);

impl Slot {
    fn release(&mut self) {
        if let Some(open) = self.0.take() {
            open.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.release();
    }
}

/// A short reply to a connection past the cap, on its own thread: it waits for the
/// request to come in before closing, or the client may never see the reply.
fn refuse(mut stream: TcpStream) {
    let message = format!(
        "The preview is answering {MAX_CONNECTIONS} connections already; try again in a \
         moment.\n"
    );
    let reply = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{message}",
        message.len()
    );
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    if stream.write_all(reply.as_bytes()).is_ok() {
        connection::close_after_reading(stream);
    }
}
