//! A running `ldr serve` for the preview tests.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::http::{Events, get};
use super::{Scratch, copy_dir, repo};

pub const WAIT: Duration = Duration::from_secs(20);

/// A running `ldr serve` on a copy of the minimal site (with its own copy of the theme).
pub struct Preview {
    child: Child,
    pub port: u16,
    log: Arc<Mutex<String>>,
    pub site: Scratch,
}

impl Preview {
    pub fn start() -> Preview {
        let site = Scratch::minimal();
        copy_dir(&repo().join("themes"), &site.path().join("themes"));
        Preview::start_in(site, &[])
    }

    pub fn start_in(site: Scratch, extra: &[&str]) -> Preview {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ldr"))
            .args(["serve", "--port", &port.to_string()])
            .args(extra)
            .current_dir(site.path())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (stderr, sink) = (child.stderr.take().unwrap(), log.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let preview = Preview {
            child,
            port,
            log,
            site,
        };
        preview.wait_for_log("Serving the site at");
        preview
    }

    pub fn wait_for_log(&self, needle: &str) {
        let started = Instant::now();
        while !self.log().contains(needle) {
            assert!(
                started.elapsed() < WAIT,
                "no `{needle}` in the log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the server to exit by itself.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().unwrap()
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    pub fn content(&self, path: &str) -> PathBuf {
        self.site.content().join(path)
    }

    /// The snapshot version the served pages carry.
    pub fn version(&self) -> u64 {
        let page = get(self.port, "/").text();
        let marker = "data-ldr-version=\"";
        let at = page
            .rfind(marker)
            .expect("pages carry the live-reload script")
            + marker.len();
        page[at..].split('"').next().unwrap().parse().unwrap()
    }

    pub fn events(&self) -> Events {
        Events::open(self.port, self.version())
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn expect_event(events: &mut Events, name: &str) -> String {
    match events.next(WAIT) {
        Some((got, data)) if got == name => data,
        other => panic!("expected a `{name}` event, got {other:?}"),
    }
}
