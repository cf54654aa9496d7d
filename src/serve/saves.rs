//! When to rebuild: at once for a single save, and once for a burst.
//!
//! A fixed debounce (wait until the files have been quiet for 40 ms) made every save pay
//! 40 ms before its build even started. Instead, when the files had been quiet, the event
//! that ends a save (a file closed after writing, or renamed into place: see
//! [`Change::finished`]) starts the build at once. Anything else waits until the files have
//! been quiet for [`QUIET`]: saves that follow closely on another (a burst, or saves made
//! while a build ran, which are folded into one build), and events that may be the start
//! of more (a new folder, a removal, a write with no end in sight, everything the polling
//! watcher reports), so that a half written file or half deleted folder is not built.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::watch::Change;

/// How long files must be quiet before a save that follows another is built.
pub const QUIET: Duration = Duration::from_millis(40);

/// The watcher's changes, grouped into rebuilds.
pub struct Saves {
    changes: Receiver<Change>,
    /// When the last change was reported.
    last: Option<Instant>,
    /// [`QUIET`], but for tests.
    quiet: Duration,
}

/// The changes of one rebuild, as they are gathered.
struct Batch {
    paths: Vec<PathBuf>,
    finished: bool,
}

impl Saves {
    pub fn new(changes: Receiver<Change>) -> Saves {
        Saves {
            changes,
            last: None,
            quiet: QUIET,
        }
    }

    /// Waits for the next set of files to rebuild for; `None` once the watcher is gone.
    pub fn next(&mut self) -> Option<Vec<PathBuf>> {
        let first = self.changes.recv().ok()?;
        let after_quiet = self
            .last
            .is_none_or(|last| first.at.saturating_duration_since(last) >= self.quiet);
        let mut batch = Batch {
            paths: Vec::new(),
            finished: false,
        };
        self.take(&mut batch, first);
        loop {
            // Everything already waiting goes into this build: it arrived during the last one.
            while let Ok(more) = self.changes.try_recv() {
                self.take(&mut batch, more);
            }
            if after_quiet && batch.finished {
                break;
            }
            let waited = self.last.map_or(self.quiet, |last| last.elapsed());
            let wait = if after_quiet {
                self.quiet
            } else {
                self.quiet.saturating_sub(waited)
            };
            if wait.is_zero() {
                break;
            }
            match self.changes.recv_timeout(wait) {
                Ok(more) => self.take(&mut batch, more),
                Err(RecvTimeoutError::Timeout) if after_quiet => break,
                Err(RecvTimeoutError::Timeout) => {}
                // The watcher is gone: build what it said last.
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        batch.paths.sort();
        batch.paths.dedup();
        Some(batch.paths)
    }

    fn take(&mut self, batch: &mut Batch, change: Change) {
        batch.finished |= change.finished;
        batch.paths.extend(change.paths);
        self.last = Some(self.last.map_or(change.at, |last| last.max(change.at)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    fn change(path: &str, finished: bool) -> Change {
        Change {
            paths: vec![PathBuf::from(path)],
            finished,
            at: Instant::now(),
        }
    }

    #[test]
    fn a_finished_save_after_quiet_is_built_at_once() {
        // With an hour of quiet required, only a build started at once comes back before
        // the generous bound below; no timing of the machine is asserted.
        let (send, receive) = channel();
        let (built, done) = channel();
        std::thread::spawn(move || {
            let mut saves = Saves {
                quiet: Duration::from_secs(3600),
                ..Saves::new(receive)
            };
            let _ = built.send(saves.next());
        });
        send.send(change("roadmap.md", true)).unwrap();
        assert_eq!(
            done.recv_timeout(Duration::from_secs(30)),
            Ok(Some(vec![PathBuf::from("roadmap.md")])),
            "the save waited for quiet"
        );
        drop(send);
    }

    #[test]
    fn a_burst_is_folded_into_one_build_once_quiet() {
        let (send, receive) = channel();
        let mut saves = Saves::new(receive);
        send.send(change("roadmap.md", true)).unwrap();
        assert_eq!(saves.next(), Some(vec![PathBuf::from("roadmap.md")]));
        // The rest of the burst, made while that build ran.
        for n in 0..20 {
            send.send(change("roadmap.md", n % 3 == 2)).unwrap();
        }
        send.send(change("footprint.toml", true)).unwrap();
        let started = Instant::now();
        assert_eq!(
            saves.next(),
            Some(vec![
                PathBuf::from("footprint.toml"),
                PathBuf::from("roadmap.md")
            ])
        );
        assert!(started.elapsed() >= QUIET / 2, "{:?}", started.elapsed());
        assert!(receive_nothing(&saves), "all twenty-one taken");
    }

    #[test]
    fn changes_that_do_not_end_a_save_wait_for_quiet() {
        let (send, receive) = channel();
        let mut saves = Saves::new(receive);
        send.send(change("footprints/gamma", false)).unwrap();
        let started = Instant::now();
        assert_eq!(saves.next(), Some(vec![PathBuf::from("footprints/gamma")]));
        assert!(started.elapsed() >= QUIET);
        drop(send);
    }

    #[test]
    fn no_watcher_no_rebuilds() {
        let (send, receive) = channel::<Change>();
        drop(send);
        assert_eq!(Saves::new(receive).next(), None);
    }

    fn receive_nothing(saves: &Saves) -> bool {
        saves.changes.try_recv().is_err()
    }
}
