//! The preview's listening socket: each connection on its own thread, up to a cap.
//!
//! A thread per connection keeps a slow or stuck client from holding up anyone else: it
//! holds only its own thread, until [`super::connection`]'s timeouts close it. The cap
//! bounds the threads; past it, a new connection is told to come back and closed. Threads
//! are kept a while for the next connection.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, SendError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::connection::{self, WRITE_TIMEOUT};
use super::http::Site;

/// Connections answered at once (event streams are counted apart, by the tabs' own cap).
/// A browser opens six per host; this leaves room for many browsers and tools.
const MAX_CONNECTIONS: usize = 128;
/// Connections past the cap being told so; past these too, one is closed unanswered.
const MAX_REFUSING: usize = 64;
/// How long a thread with no connection waits for one before it ends.
const IDLE_WORKER: Duration = Duration::from_secs(60);

pub(crate) fn bind(address: SocketAddr) -> io::Result<TcpListener> {
    TcpListener::bind(address)
}

/// Accepts connections for ever.
pub(crate) fn run(listener: TcpListener, site: Arc<Site>) {
    let open = Arc::new(AtomicUsize::new(0));
    let workers = Arc::new(Workers::default());
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
        let job: Job = if before < MAX_CONNECTIONS {
            let site = site.clone();
            Box::new(move || {
                let mut slot = slot;
                let answer = |request: &_| site.answer(request);
                let events = |stream, first| site.clients.stream(stream, first);
                connection::serve(stream, &answer, || slot.release(), &events);
            })
        } else if before < MAX_CONNECTIONS + MAX_REFUSING {
            Box::new(move || {
                let _slot = slot;
                refuse(stream);
            })
        } else {
            // Beyond even that: closed unanswered.
            continue;
        };
        workers.run(job);
    }
}

/// One connection's work, from its first byte to its close.
type Job = Box<dyn FnOnce() + Send>;

/// Threads kept for the next connection once theirs closed: a new thread for each
/// connection would cost more than answering a page.
#[derive(Default)]
struct Workers {
    /// Each idle thread's id and the channel it waits on, the latest idle last.
    idle: Mutex<Vec<(u64, Sender<Job>)>>,
    ids: AtomicU64,
}

impl Workers {
    /// Hands `job` to an idle thread, or to a new one if none is idle.
    fn run(self: &Arc<Self>, mut job: Job) {
        loop {
            let Some((_, worker)) = self.idle().pop() else {
                break;
            };
            match worker.send(job) {
                Ok(()) => return,
                // That thread has just given up waiting: the next one, then.
                Err(SendError(back)) => job = back,
            }
        }
        let workers = self.clone();
        let id = self.ids.fetch_add(1, Ordering::Relaxed);
        // If no thread can be made, the job (its stream and its slot) is dropped: the
        // connection is closed and no longer counted.
        let _ = std::thread::Builder::new()
            .name("ldr-connection".into())
            .spawn(move || workers.work(id, job));
    }

    fn work(&self, id: u64, mut job: Job) {
        let (sender, jobs) = mpsc::channel();
        loop {
            job();
            self.idle().push((id, sender.clone()));
            job = match jobs.recv_timeout(IDLE_WORKER) {
                Ok(job) => job,
                Err(_) => {
                    let mut idle = self.idle();
                    match idle.iter().position(|(waiting, _)| *waiting == id) {
                        Some(at) => {
                            idle.remove(at);
                            return;
                        }
                        // Taken off the list just now: a job is on its way.
                        None => match jobs.recv() {
                            Ok(job) => job,
                            Err(_) => return,
                        },
                    }
                }
            };
        }
    }

    fn idle(&self) -> MutexGuard<'_, Vec<(u64, Sender<Job>)>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
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
