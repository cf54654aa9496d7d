//! File events from the content and theme folders, debounced so a burst of saves (or an
//! editor's write-temp-then-rename) becomes one rebuild.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{EventKind, MetadataKind, ModifyKind};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::load::is_editor_litter;

/// Long enough to fold an editor's temp-file dance into one event, short enough to feel instant.
const DEBOUNCE: Duration = Duration::from_millis(40);
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// Keeps the watcher alive; dropping it stops watching.
pub enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

/// Sends, for each settled burst of changes, the paths that matter (editor litter removed).
pub fn watch(
    folders: &[PathBuf],
    poll: bool,
    changes: Sender<Vec<PathBuf>>,
) -> notify::Result<Watcher> {
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut paths: Vec<PathBuf> = events
            .into_iter()
            // Reading files (as every build does) raises access events: only changes count.
            // The polling watcher reports a save as a write-time change, so that one stays.
            .filter(|event| {
                !matches!(
                    event.kind,
                    EventKind::Access(_)
                        | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
                )
            })
            .flat_map(|event| event.event.paths)
            .filter(|path| !is_editor_litter(path))
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = changes.send(paths);
        }
    };
    let mut watcher = if poll {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        Watcher::Polling(new_debouncer_opt(DEBOUNCE, None, handler, NoCache, config)?)
    } else {
        Watcher::Native(new_debouncer(DEBOUNCE, None, handler)?)
    };
    for folder in folders.iter().filter(|f| f.exists()) {
        match &mut watcher {
            Watcher::Native(d) => d.watch(folder, RecursiveMode::Recursive)?,
            Watcher::Polling(d) => d.watch(folder, RecursiveMode::Recursive)?,
        }
    }
    Ok(watcher)
}

/// A change to stylesheets only can be shown without reloading the page.
pub fn only_stylesheets(paths: &[PathBuf]) -> bool {
    paths
        .iter()
        .all(|p| p.extension().is_some_and(|e| e == "css"))
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
