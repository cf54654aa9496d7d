//! `ldr serve`: a live preview for content editors. One [`Preview`] owns the last good
//! site, the builder and the open tabs; nothing is global.
//!
//! The site is served from memory, so `output/` on disk is never touched and a reload is
//! announced only after the new snapshot is in place. A failed build keeps the last good
//! snapshot and shows the error over every open page.

mod connection;
mod hosts;
mod http;
mod listener;
mod live_reload;
mod overlay;
mod saves;
mod snapshot;
mod watch;

use std::any::Any;
use std::net::SocketAddr;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::pipeline::{BuildOptions, Builder, Changed};
use crate::words;
use live_reload::{Clients, Message};
use snapshot::Snapshot;

/// A reload names at most this many changed pages; past it, every tab checks its own.
const MAX_PAGES_NAMED: usize = 500;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub address: SocketAddr,
    pub open: bool,
    pub poll: bool,
    /// Host names answered besides localhost and IP addresses (`--allowed-host`).
    pub allowed_hosts: Vec<String>,
}

/// The running preview.
pub struct Preview {
    builder: Builder,
    current: Arc<RwLock<Arc<Snapshot>>>,
    clients: Arc<Clients>,
    /// Makes the next rebuild panic, so a test can see the preview survive one.
    #[cfg(test)]
    panic_next: bool,
}

impl Preview {
    /// Builds the site once; a broken site still starts, showing its errors.
    fn start(options: &ServeOptions) -> Preview {
        let mut preview = Preview {
            builder: Builder::new(options.build.clone()),
            current: Arc::new(RwLock::new(Arc::new(Snapshot::new(Vec::new(), 0)))),
            clients: Arc::new(Clients::default()),
            #[cfg(test)]
            panic_next: false,
        };
        preview.rebuild(&[]);
        preview
    }

    /// Rebuilds after `changed`, swaps the new site in, and only then tells the tabs.
    fn rebuild(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        let version = self.current.read().unwrap().version + 1;
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            #[cfg(test)]
            if std::mem::take(&mut self.panic_next) {
                panic!("a test's panic");
            }
            self.builder.rebuild(changed)
        }))
        .unwrap_or_else(|panic| {
            // The kept build may be half patched: the next save builds afresh.
            self.builder.forget();
            Err(internal_error(panic.as_ref()).into())
        });
        match result {
            Ok(update) => {
                let built = self.builder.current().expect("a good build is kept");
                eprint!("{}", built.warnings);
                let rendered = update.rendered;
                let mut current = self.current.write().unwrap();
                let (swapped, pages) = match update.files {
                    Changed::All => {
                        let next = Snapshot::new(built.files.clone(), version);
                        let pages = next.pages_changed_since(&current);
                        *current = Arc::new(next);
                        (String::new(), pages)
                    }
                    // Requests still being answered keep the snapshot they started with.
                    Changed::Some { changed, removed } => {
                        let count = changed.len() + removed.len();
                        let paths = changed.iter().map(|file| &file.path).chain(&removed);
                        let pages = paths
                            .filter(|path| path.ends_with(".html"))
                            .map(|path| snapshot::page_address(path))
                            .collect();
                        Arc::make_mut(&mut current).patch(changed, &removed, version);
                        let files = words::count(count, "file", "files");
                        (format!(", {files} updated"), pages)
                    }
                };
                drop(current);
                let message = if !changed.is_empty() && watch::only_stylesheets(changed) {
                    Message::Css(version)
                } else {
                    Message::Reload {
                        version,
                        // Past this many, naming them costs more than every tab asking.
                        pages: (pages.len() <= MAX_PAGES_NAMED).then_some(&pages[..]),
                        reload: watch::any_shown_only_by_reload(changed),
                    }
                };
                self.clients.send(message);
                let pages = words::count(rendered, "page", "pages");
                let ms = started.elapsed().as_millis();
                if changed.is_empty() {
                    eprintln!("Built {pages} in {ms} ms");
                } else {
                    let read = if update.read_everything {
                        " (the whole content folder read again)"
                    } else {
                        ""
                    };
                    let what = watch::describe(changed);
                    eprintln!("Rebuilt after {what}: {pages} rendered{swapped} in {ms} ms{read}");
                }
            }
            Err(problems) => {
                let text = problems.to_string();
                eprint!("{text}");
                // Version 0 is the empty site before the first good build.
                let kept = self.current.read().unwrap().version > 0;
                if kept {
                    eprintln!("error: the build failed; the last good site is still served");
                } else {
                    eprintln!(
                        "error: the build failed; the browser shows these mistakes until they are fixed"
                    );
                }
                let shown = overlay::payload(&problems, &self.builder.options().content, kept);
                let failed = self.current.read().unwrap().with_error(shown);
                let failed = Arc::new(failed);
                *self.current.write().unwrap() = failed.clone();
                self.clients
                    .send(Message::Error(failed.error.as_deref().unwrap_or_default()));
            }
        }
    }
}

/// The last line of defence: no content should make ldr panic, but if some does, the editor
/// hears about it in the browser and the preview goes on serving the last good site.
fn internal_error(panic: &(dyn Any + Send)) -> Diagnostic {
    let what = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    Diagnostic::error(format!(
        "ldr hit an internal error while rebuilding: {what}"
    ))
    .help(
        "this is a bug in ldr, not a mistake of yours: please report it with the file you \
         saved. The last good site is still served, and the next save builds the site afresh",
    )
}

/// Runs the preview until Ctrl-C. Returns only if it cannot start.
pub fn serve(mut options: ServeOptions) -> Result<(), Diagnostics> {
    // A preview of nothing would only serve errors: a mistyped --content is refused here.
    let content = &options.build.content;
    if !content.is_dir() {
        let what = if content.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(Diagnostic::error(format!(
            "the content folder {} {what}",
            content.display()
        ))
        .help("run ldr serve in your site's folder, or name its content folder with --content")
        .into());
    }
    let hosts = hosts::AllowedHosts::new(options.address.ip(), &options.allowed_hosts)?;
    let listener = listener::bind(options.address).map_err(|error| {
        Diagnostic::error(format!("cannot listen on {}: {error}", options.address))
            .help("another program uses this port: stop it, or pick another with --port")
    })?;
    let address = listener.local_addr().unwrap_or(options.address);
    ctrlc::set_handler(|| {
        eprintln!("\nStopped.");
        std::process::exit(0);
    })
    .map_err(|e| Diagnostic::error(format!("cannot handle Ctrl-C: {e}")))?;

    // Links are root-relative, so the preview works at its own address whatever base_url says.
    let url = format!("http://{address}/");
    options.build.overrides.base_url = Some(url.clone());
    let mut preview = Preview::start(&options);
    let site = Arc::new(http::Site {
        current: preview.current.clone(),
        clients: preview.clients.clone(),
        hosts,
    });
    std::thread::spawn(move || listener::run(listener, site));
    let clients = preview.clients.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(15));
            clients.ping();
        }
    });

    let (changes, changed) = mpsc::channel();
    let opts = preview.builder.options();
    let folders = [opts.content.clone(), opts.themes.clone()];
    let _watcher = watch::watch(&folders, options.poll, changes).map_err(|e| {
        Diagnostic::error(format!("cannot watch the content folder: {e}")).help("try --poll")
    })?;

    eprintln!(
        "Serving the site at {url} (Ctrl-C to stop); watching {} and {}",
        folders[0].display(),
        folders[1].display()
    );
    if options.open {
        let _ = opener::open(&url);
    }
    let mut saves = saves::Saves::new(changed);
    while let Some(paths) = saves.next() {
        preview.rebuild(&paths);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_rebuild_keeps_the_last_good_site_and_the_next_save_recovers() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let options = ServeOptions {
            build: BuildOptions {
                content: root.join("tests/fixtures/minimal/content"),
                themes: root.join("themes"),
                overrides: Default::default(),
            },
            address: "127.0.0.1:0".parse().unwrap(),
            open: false,
            poll: false,
            allowed_hosts: Vec::new(),
        };
        let mut preview = Preview::start(&options);
        let good = preview.current.read().unwrap().clone();
        assert!(good.error.is_none());
        let page = "/footprints/alpha/";
        assert!(matches!(good.lookup(page), snapshot::Lookup::File(..)));

        preview.panic_next = true;
        preview.rebuild(&[options.build.content.join("footprints/alpha/roadmap.md")]);
        let failed = preview.current.read().unwrap().clone();
        let error = failed.error.as_deref().unwrap_or_default();
        assert!(
            error.contains("ldr hit an internal error while rebuilding: a test's panic"),
            "{error}"
        );
        assert_eq!(failed.version, good.version, "the last good site is served");
        assert!(matches!(failed.lookup(page), snapshot::Lookup::File(..)));

        preview.rebuild(&[]);
        let recovered = preview.current.read().unwrap().clone();
        assert!(recovered.error.is_none(), "the next save recovers");
        assert!(recovered.version > good.version);
    }

    #[test]
    fn a_panic_becomes_an_error_that_asks_for_a_report() {
        let caught = panic::catch_unwind(|| panic!("index out of bounds: {}", 7)).unwrap_err();
        let error = internal_error(caught.as_ref());
        assert_eq!(
            error.message,
            "ldr hit an internal error while rebuilding: index out of bounds: 7"
        );
        assert!(error.help.as_deref().unwrap().contains("please report it"));
    }
}
