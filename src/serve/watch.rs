//! File events from the content and theme folders, as [`Change`]s: which files, and
//! whether the event says a save is finished. [`super::saves`] turns them into rebuilds.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind, RenameMode};
use notify::{Event, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::load::is_editor_litter;

const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watcher {
    _backend: Arc<Mutex<Backend>>,
}

enum Backend {
    Native(RecommendedWatcher),
    Polling(PollWatcher),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(w) => w.watch(path, mode),
            Backend::Polling(w) => w.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match self {
            Backend::Native(w) => w.unwatch(path),
            Backend::Polling(w) => w.unwatch(path),
        };
    }
}

/// Files that changed on disk, as one watcher event reports them (editor litter removed).
#[derive(Debug)]
pub struct Change {
    pub paths: Vec<PathBuf>,
    /// The event ends a save: a file closed after writing, or renamed into place. Its
    /// content is whole, so it can be built at once. Other events (a write still going on,
    /// a new folder, a removal, anything the polling watcher sees) may be the start of more.
    pub finished: bool,
    /// When the watcher reported it, which may be while a build was running.
    pub at: Instant,
}

/// Sends a [`Change`] for each file event in `folders` that matters.
///
/// A watch on a folder ends when the folder is removed or moved away (`rm -rf content`
/// before copying a backup in, a `git checkout` of a branch without it), and nothing
/// would watch the folder that comes back. So each folder's parent is watched too, for
/// that folder alone: when it comes back, it is watched again and built afresh. A folder
/// missing at the start is watched once it appears.
pub fn watch(folders: &[PathBuf], poll: bool, changes: Sender<Change>) -> notify::Result<Watcher> {
    let folders: Vec<PathBuf> = folders
        .iter()
        .map(|folder| std::path::absolute(folder).unwrap_or_else(|_| folder.clone()))
        .collect();
    let (came_or_went, folder_events) = mpsc::channel::<PathBuf>();
    let handler = {
        let (folders, changes) = (folders.clone(), changes.clone());
        move |result: notify::Result<Event>| {
            let Ok(event) = result else { return };
            if matches!(
                event.kind,
                EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(ModifyKind::Name(_))
            ) {
                for path in event.paths.iter().filter(|path| folders.contains(path)) {
                    let _ = came_or_went.send(path.clone());
                }
            }
            if let Some(change) = change(event, &folders) {
                let _ = changes.send(change);
            }
        }
    };
    let mut backend = if poll {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        Backend::Polling(PollWatcher::new(handler, config)?)
    } else {
        Backend::Native(notify::recommended_watcher(handler)?)
    };
    let mut parents: Vec<&Path> = folders.iter().filter_map(|f| f.parent()).collect();
    parents.dedup();
    for parent in parents.into_iter().filter(|p| p.is_dir()) {
        backend.watch(parent, RecursiveMode::NonRecursive)?;
    }
    for folder in folders.iter().filter(|f| f.exists()) {
        backend.watch(folder, RecursiveMode::Recursive)?;
    }
    let backend = Arc::new(Mutex::new(backend));
    // Not from the handler: it runs on the watcher's own thread, which a new watch waits on.
    let watcher = Arc::downgrade(&backend);
    std::thread::spawn(move || {
        for folder in folder_events {
            let Some(backend) = watcher.upgrade() else {
                return;
            };
            let mut backend = backend.lock().unwrap_or_else(PoisonError::into_inner);
            backend.unwatch(&folder);
            if folder.is_dir() {
                let _ = backend.watch(&folder, RecursiveMode::Recursive);
            }
            // Built afresh: what was copied in before the watch began raised no events of
            // its own, and a folder moved away raises none for the files it took along.
            let _ = changes.send(Change {
                paths: vec![folder],
                finished: false,
                at: Instant::now(),
            });
        }
    });
    Ok(Watcher { _backend: backend })
}

/// What `event` means for the site, if anything. Only paths inside `folders` count, not
/// the other files beside them that the watch on their parent sees.
fn change(event: Event, folders: &[PathBuf]) -> Option<Change> {
    let finished = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        // Reading files (as every build does) raises access events: only changes count.
        // The polling watcher reports a save as a write-time change, so that one stays.
        EventKind::Access(_)
        | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => {
            return None;
        }
        // A rename is atomic: once the file has its name, it is whole. (The file moved
        // away comes as a `From` event: vim moves the original to `roadmap.md~` before
        // writing the new one, the start of a save, not its end.)
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => true,
        // The same rename again, after its `From` and `To`: a second rebuild for nothing.
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => return None,
        _ => false,
    };
    let paths: Vec<PathBuf> = event
        .paths
        .into_iter()
        // A folder itself coming or going is told once it is watched again (above); its
        // times changing (the polling watcher sees that) is no change of content.
        .filter(|path| {
            folders
                .iter()
                .any(|folder| path.starts_with(folder) && path != folder)
        })
        .filter(|path| !is_editor_litter(path))
        .collect();
    (!paths.is_empty()).then(|| Change {
        paths,
        finished,
        at: Instant::now(),
    })
}

/// A change to stylesheets only can be shown without reloading the page.
pub fn only_stylesheets(paths: &[PathBuf]) -> bool {
    paths
        .iter()
        .all(|p| p.extension().is_some_and(|e| e == "css"))
}

/// Whether a tab must reload to show the change: a script (a morph would not run it), or
/// any other file the site copies as it is, such as an image (the page that shows it is
/// unchanged, and the browser would keep the old one). The files ldr reads to make pages
/// (content, data, templates) and stylesheets (swapped in place) do not need it.
pub fn any_shown_only_by_reload(paths: &[PathBuf]) -> bool {
    paths.iter().any(|path| {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| !matches!(e, "md" | "toml" | "csv" | "geojson" | "html" | "css"))
    })
}

/// Paths as the log shows them: relative to where ldr runs.
pub fn describe(paths: &[PathBuf]) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| p.strip_prefix(&cwd).unwrap_or(p).display().to_string())
        .collect();
    let more = paths.len().saturating_sub(3);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange};

    fn change(event: Event) -> Option<Change> {
        super::change(event, &[PathBuf::from("c")])
    }

    fn event(kind: EventKind, paths: &[&str]) -> Event {
        paths
            .iter()
            .fold(Event::new(kind), |e, p| e.add_path(PathBuf::from(p)))
    }

    #[test]
    fn a_closed_write_or_a_rename_into_place_finishes_a_save() {
        let closed = event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &["c/roadmap.md"],
        );
        assert!(change(closed).unwrap().finished);
        let renamed = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            &["c/roadmap.md"],
        );
        assert!(change(renamed).unwrap().finished);
        let moved_from_temp = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::From)),
            &["c/.roadmap.md.tmp"],
        );
        assert!(change(moved_from_temp).is_none());
        let both = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["c/.roadmap.md.tmp", "c/roadmap.md"],
        );
        assert!(
            change(both).is_none(),
            "the rename was told by its To event"
        );
    }

    #[test]
    fn writes_under_way_new_files_and_moves_to_backups_wait_for_more() {
        for (kind, paths) in [
            (
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &["c/roadmap.md"][..],
            ),
            (EventKind::Create(CreateKind::File), &["c/roadmap.md"]),
            (EventKind::Create(CreateKind::Folder), &["c/gamma"]),
            (
                EventKind::Modify(ModifyKind::Name(RenameMode::From)),
                &["c/roadmap.md"],
            ),
        ] {
            let change = change(event(kind, paths)).unwrap();
            assert!(!change.finished, "{kind:?}");
        }
    }

    #[test]
    fn reads_and_litter_are_no_change() {
        let read = event(
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            &["c/roadmap.md"],
        );
        assert!(change(read).is_none());
        let swap = event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &["c/.roadmap.md.swp"],
        );
        assert!(change(swap).is_none());
    }
}
