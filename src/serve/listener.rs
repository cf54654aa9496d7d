//! The preview's listening socket: each connection on its own thread, up to a cap.
//!
//! A thread per connection keeps a slow or stuck client from holding up anyone else: it
//! holds only its own thread, until [`super::connection`]'s timeouts close it. The cap
//! bounds the threads; past it, the connection that has waited longest on its client (one
//! kept open with no request, a head still coming, a reply not read) is closed to make
//! room, so that clients which only hold connections open cannot lock everyone else out.
//! Threads are kept a while for the next connection.

use std::collections::HashMap;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, SendError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::connection;
use super::http::Site;

/// Connections answered at once (event streams are counted apart, by the tabs' own cap).
/// A browser opens six per host; this leaves room for many browsers and tools.
const MAX_CONNECTIONS: usize = 128;
/// How long a thread with no connection waits for one before it ends.
const IDLE_WORKER: Duration = Duration::from_secs(60);

pub(crate) fn bind(address: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(address)
}

/// Accepts connections for ever.
pub(crate) fn run(listener: TcpListener, site: Arc<Site>) {
    let open = Arc::new(Open::default());
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
        // A connection that cannot be listed (out of file descriptors) is closed.
        let Some(slot) = open.admit(&stream) else {
            continue;
        };
        let site = site.clone();
        workers.run(Box::new(move || {
            let answer = |request: &_| site.answer(request);
            let events = |stream, first| site.clients.stream(stream, first);
            let answered = || slot.answered();
            connection::serve(stream, &answer, &answered, || slot.release(), &events);
        }));
    }
}

/// The connections under the cap, each with when it last had its answer: from then on it
/// waits on its client.
#[derive(Default)]
struct Open {
    listed: Mutex<HashMap<u64, (Instant, TcpStream)>>,
    ids: AtomicU64,
}

impl Open {
    /// Lists `stream`; at the cap, first closes the connection that has waited longest.
    fn admit(self: &Arc<Self>, stream: &TcpStream) -> Option<Slot> {
        let handle = stream.try_clone().ok()?;
        let mut listed = self.listed();
        if listed.len() >= MAX_CONNECTIONS {
            let longest = listed
                .iter()
                .min_by_key(|(_, (since, _))| *since)
                .map(|(id, _)| *id);
            if let Some((_, waiting)) = longest.and_then(|id| listed.remove(&id)) {
                // Its thread's read or write returns at once, and the thread moves on.
                let _ = waiting.shutdown(Shutdown::Both);
            }
        }
        let id = self.ids.fetch_add(1, Ordering::Relaxed);
        listed.insert(id, (Instant::now(), handle));
        Some(Slot {
            open: self.clone(),
            id,
        })
    }

    fn listed(&self) -> MutexGuard<'_, HashMap<u64, (Instant, TcpStream)>> {
        self.listed.lock().unwrap_or_else(PoisonError::into_inner)
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
struct Slot {
    open: Arc<Open>,
    id: u64,
}

impl Slot {
    /// Its reply went out: from now it waits on its client again.
    fn answered(&self) {
        if let Some((since, _)) = self.open.listed().get_mut(&self.id) {
            *since = Instant::now();
        }
    }

    /// Once released (or closed to make room), it is no longer listed: a second time
    /// does nothing.
    fn release(&self) {
        self.open.listed().remove(&self.id);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.release();
    }
}
