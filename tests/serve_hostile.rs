//! `ldr serve` against clients that misbehave, by mistake or on purpose: absurd request
//! lengths, bodies that never arrive, heads that never end, tabs that never read, pages on
//! other sites that name the preview by a host of their own. Each test does the bad thing
//! over a raw loopback socket and then asks as a browser would: it must be answered.
//!
//! Every wait is bounded by a socket read timeout or [`WAIT`]: a bound on failure, not a
//! measure of speed.

mod common;

use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::http::{Events, get};
use common::preview::{Preview, WAIT, expect_event};
use common::{Scratch, copy_dir, repo};

/// How long a test waits for one reply before it counts as none.
const REPLY_WAIT: Duration = Duration::from_secs(5);

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("the preview accepts connections");
    stream.set_read_timeout(Some(REPLY_WAIT)).unwrap();
    stream
}

/// Sends `raw` on a new connection and reads until the server closes it: the reply's
/// status and text, or `None` if it did not answer and close within [`REPLY_WAIT`].
fn exchange(port: u16, raw: &[u8]) -> Option<(u16, String)> {
    let mut stream = connect(port);
    stream.write_all(raw).ok()?;
    read_reply(&mut stream)
}

fn read_reply(stream: &mut TcpStream) -> Option<(u16, String)> {
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).ok()?;
    let text = String::from_utf8_lossy(&reply).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    Some((status, text))
}

/// A plain GET for `path` with the given `Host`.
fn ask(port: u16, host: &str, path: &str) -> (u16, String) {
    let raw = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    exchange(port, raw.as_bytes()).unwrap_or_else(|| panic!("no answer for {host} {path}"))
}

fn served(port: u16) -> bool {
    ask(port, "127.0.0.1", "/footprints/alpha/").0 == 200
}

#[test]
fn absurd_and_malformed_body_lengths_are_refused_and_the_preview_goes_on() {
    let preview = Preview::start();
    let port = preview.port;
    let lengths = [
        "Content-Length: 18446744073709551615\r\n",
        "Content-Length: 340282366920938463463374607431768211456\r\n",
        "Content-Length: -1\r\n",
        "Content-Length: 1e9\r\n",
        "Content-Length: +0\r\n",
        "Content-Length: 0x10\r\n",
        "Content-Length: 0\r\nContent-Length: 0\r\n",
        "Content-Length: 3\r\nContent-Length: 5\r\n",
        "Content-Length: 7, 7\r\n",
        "Transfer-Encoding: chunked\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
    ];
    // Three rounds: the eight workers that one panic each used to cost are long gone.
    for _ in 0..3 {
        for (n, length) in lengths.iter().enumerate() {
            let method = ["GET", "HEAD", "POST"][n % 3];
            let raw = format!("{method} / HTTP/1.1\r\nHost: 127.0.0.1\r\n{length}\r\n");
            let reply = exchange(port, raw.as_bytes());
            let (status, text) = reply.unwrap_or_else(|| panic!("no answer to {length:?}"));
            assert!(
                matches!(status, 400 | 413),
                "{length:?} answered {status}: {text}"
            );
            assert!(text.contains("Connection: close"), "{text}");
        }
    }
    // A body that is there, on a route that takes none: refused, not read.
    let posted =
        "POST /footprints/alpha/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello";
    assert_eq!(exchange(port, posted.as_bytes()).map(|r| r.0), Some(413));
    assert!(served(port), "the preview answers after the bad requests");
}

#[test]
fn slow_bodies_and_unfinished_heads_hold_up_no_one_else() {
    let preview = Preview::start();
    let port = preview.port;
    let head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    let mut slow_bodies: Vec<TcpStream> = (0..12)
        .map(|_| {
            let mut stream = connect(port);
            write!(stream, "{head}Content-Length: 2000\r\n\r\nab").unwrap();
            stream
        })
        .collect();
    let mut unfinished: Vec<TcpStream> = (0..12)
        .map(|_| {
            let mut stream = connect(port);
            write!(stream, "{head}X-Never: end").unwrap();
            stream
        })
        .collect();
    // All of them still open: everyone else is answered.
    for n in 0..20 {
        assert!(served(port), "request {n} was not answered");
    }
    for stream in &mut slow_bodies {
        assert_eq!(read_reply(stream).map(|r| r.0), Some(413));
    }
    // A head that never ends is given up on, and its connection closed.
    for stream in &mut unfinished {
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let reply = read_reply(stream).map(|r| r.0);
        assert_eq!(reply, Some(408));
    }
}

#[test]
fn clients_that_never_read_their_replies_hold_up_no_one_else() {
    let preview = Preview::start();
    let port = preview.port;
    // Thousands of requests sent at once, their replies never read: the preview's writes
    // stall on full socket buffers.
    let request = "GET /footprints/alpha/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(2000);
    let _stalled: Vec<TcpStream> = (0..12)
        .map(|_| {
            let mut stream = connect(port);
            stream.set_write_timeout(Some(REPLY_WAIT)).unwrap();
            // The preview may stop reading before all of it is sent; that is the point.
            let _ = stream.write_all(request.as_bytes());
            stream
        })
        .collect();
    for n in 0..20 {
        assert!(served(port), "request {n} was not answered");
    }
}

#[test]
fn a_head_too_large_is_refused_with_431() {
    let preview = Preview::start();
    let port = preview.port;
    let cookie = "a".repeat(100_000);
    let big = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n");
    assert_eq!(exchange(port, big.as_bytes()).map(|r| r.0), Some(431));
    let many: String = (0..200).map(|n| format!("X-Header-{n}: {n}\r\n")).collect();
    let many = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}\r\n");
    assert_eq!(exchange(port, many.as_bytes()).map(|r| r.0), Some(431));
    assert!(served(port));
}

#[test]
fn connections_held_open_past_the_cap_make_room_for_new_ones() {
    let preview = Preview::start();
    let port = preview.port;
    // Many more connections than the cap (128) held open by clients that only wait:
    // silent from the start, a head that never ends, kept alive after one reply.
    let mut silent: Vec<TcpStream> = (0..150).map(|_| connect(port)).collect();
    let _unfinished: Vec<TcpStream> = (0..150)
        .map(|_| {
            let mut stream = connect(port);
            write!(stream, "GET /__ldr/events HTTP/1.1\r\nHost: 127").unwrap();
            stream
        })
        .collect();
    let _kept: Vec<TcpStream> = (0..150)
        .map(|_| {
            let mut stream = connect(port);
            write!(stream, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
            stream
        })
        .collect();
    // All of them still open: everyone else is answered, at once.
    for n in 0..20 {
        let (status, text) = ask(port, "127.0.0.1", "/footprints/alpha/");
        assert_eq!(status, 200, "request {n}: {text}");
    }
    // The room was made by closing the one that had waited longest.
    let mut rest = Vec::new();
    assert!(
        silent[0].read_to_end(&mut rest).is_ok() && rest.is_empty(),
        "the oldest silent connection was left open"
    );
}

/// An event stream opened on a raw socket, which the test reads or not, as it likes.
fn raw_tab(port: u16) -> TcpStream {
    let mut stream = connect(port);
    write!(
        stream,
        "GET /__ldr/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut seen = Vec::new();
    let mut byte = [0];
    while !String::from_utf8_lossy(&seen).contains(": connected\n\n") {
        assert_eq!(
            stream.read(&mut byte).unwrap(),
            1,
            "the stream closed at once"
        );
        seen.push(byte[0]);
    }
    stream
}

#[test]
fn a_tab_that_never_reads_holds_up_no_rebuild() {
    let preview = Preview::start();
    let port = preview.port;
    let _never_reads = raw_tab(port);
    let mut events = preview.events();
    let file = preview.content("footprints/beta/footprint.toml");
    let good = fs::read_to_string(&file).unwrap();
    // An error whose text (the line it quotes) is far larger than a socket's buffers.
    let comment = "x".repeat(4_000_000);
    let broken = good.replace(
        "partners = [\"07L\"]",
        &format!("partners = [\"07L\", \"NOPE\"] # {comment}"),
    );
    assert_ne!(broken, good);
    fs::write(&file, broken).unwrap();
    let error = expect_event(&mut events, "build-error");
    assert!(error.contains("NOPE"), "{}", &error[..200.min(error.len())]);

    fs::write(&file, &good).unwrap();
    let started = Instant::now();
    while ask(port, "127.0.0.1", "/footprints/beta/")
        .1
        .contains("NOPE")
    {
        assert!(started.elapsed() < WAIT, "the fix was never built");
        std::thread::sleep(Duration::from_millis(50));
    }
    expect_event(&mut events, "reload");
}

#[test]
fn past_the_most_tabs_the_oldest_is_closed_not_forgotten() {
    let preview = Preview::start();
    let port = preview.port;
    let version = preview.version();
    let mut oldest = raw_tab(port);
    let mut tabs: Vec<Events> = (0..64).map(|_| Events::open(port, version)).collect();
    // The oldest tab sees its stream end (its browser connects again), not silence.
    oldest.set_read_timeout(Some(WAIT)).unwrap();
    let mut rest = Vec::new();
    match oldest.read_to_end(&mut rest) {
        Ok(_) => {}
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            panic!("the oldest tab was left open but is no longer told anything")
        }
        Err(e) => panic!("{e}"),
    }
    fs::write(
        preview.content("footprints/beta/roadmap.md"),
        "## Vision\n\nSeen by the newest tab.\n",
    )
    .unwrap();
    expect_event(tabs.last_mut().unwrap(), "reload");
    expect_event(&mut tabs[0], "reload");
}

#[test]
fn other_hosts_are_refused_with_how_to_allow_them() {
    let preview = Preview::start();
    let port = preview.port;
    for host in [
        "evil.example".to_string(),
        format!("rebound.attacker.test:{port}"),
        format!("localhost.evil.example:{port}"),
        "127.0.0.1.nip.io".to_string(),
        // An address the preview is not bound to (it listens on 127.0.0.1).
        format!("192.168.1.20:{port}"),
    ] {
        let (status, text) = ask(port, &host, "/footprints/alpha/");
        assert_eq!(status, 403, "{host}: {text}");
        assert!(text.contains("--allowed-host"), "{host}: {text}");
        assert!(!text.contains("<h1>Alpha</h1>"), "{host} read the page");
        let (status, _) = ask(port, &host, "/__ldr/events");
        assert_eq!(status, 403, "{host} opened an event stream");
    }
    let (status, text) = ask(port, &format!("evil.example@127.0.0.1:{port}"), "/");
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("is not a host name"), "{text}");
    let (_, text) = ask(port, "drafts.evil.example:8080", "/");
    assert!(
        text.contains("start the preview with --allowed-host drafts.evil.example"),
        "{text}"
    );
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("LOCALHOST.:{port}"),
        format!("docs.localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "127.0.1.1".to_string(),
    ] {
        assert_eq!(ask(port, &host, "/footprints/alpha/").0, 200, "{host}");
    }
    // HTTP/1.0 may leave the host out; HTTP/1.1 may not.
    let old = exchange(port, b"GET /footprints/alpha/ HTTP/1.0\r\n\r\n");
    assert_eq!(old.map(|r| r.0), Some(200));
    let hostless = exchange(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(hostless.map(|r| r.0), Some(400));
}

#[test]
fn allowed_host_adds_names_and_domains() {
    let site = Scratch::minimal();
    copy_dir(&repo().join("themes"), &site.path().join("themes"));
    let preview = Preview::start_in(
        site,
        &[
            "--allowed-host",
            "preview.test",
            "--allowed-host",
            ".Example.org",
        ],
    );
    let port = preview.port;
    for host in [
        "preview.test",
        "PREVIEW.test:80",
        "example.org",
        "a.b.example.org:1111",
    ] {
        assert_eq!(ask(port, host, "/").0, 200, "{host}");
    }
    for host in [
        "other.preview.test",
        "badexample.org",
        "example.org.evil.test",
    ] {
        assert_eq!(ask(port, host, "/").0, 403, "{host}");
    }
}

#[test]
fn doubled_slashes_never_redirect_off_the_site() {
    let preview = Preview::start();
    let port = preview.port;
    for (path, location) in [
        ("//footprints/alpha", "/footprints/alpha/"),
        ("///footprints/alpha?x=1", "/footprints/alpha/?x=1"),
        ("//footprints", "/footprints/"),
    ] {
        let (status, text) = ask(port, "127.0.0.1", path);
        assert_eq!(status, 301, "{path}: {text}");
        let header = text
            .lines()
            .find_map(|line| line.strip_prefix("Location: "))
            .unwrap_or_else(|| panic!("{path}: no Location in {text}"));
        assert_eq!(header, location, "{path}");
    }
}

#[test]
fn a_content_folder_moved_away_and_back_is_watched_again() {
    let preview = Preview::start();
    let port = preview.port;
    let content = preview.site.content();
    let backup = preview.site.path().join("backup");
    copy_dir(&content, &backup);
    let page = |words: &str| {
        let started = Instant::now();
        while !get(port, "/footprints/beta/").text().contains(words) {
            assert!(
                started.elapsed() < WAIT,
                "`{words}` never served:\n{}",
                preview.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };

    // Removed, and a backup copied back in.
    fs::remove_dir_all(&content).unwrap();
    preview.wait_for_log("the last good site is still served");
    copy_dir(&backup, &content);
    let roadmap = preview.content("footprints/beta/roadmap.md");
    fs::write(&roadmap, "## Vision\n\nWritten after the copy.\n").unwrap();
    page("Written after the copy.");
    fs::write(&roadmap, "## Vision\n\nA later edit.\n").unwrap();
    page("A later edit.");

    // Moved away and another folder moved into its place, as a checkout may.
    let other = preview.site.path().join("other");
    copy_dir(&backup, &other);
    fs::rename(&content, preview.site.path().join("moved-away")).unwrap();
    fs::rename(&other, &content).unwrap();
    fs::write(&roadmap, "## Vision\n\nEdited in the folder moved in.\n").unwrap();
    page("Edited in the folder moved in.");
}

/// Runs `ldr serve ARGS` in a copy of the minimal site, which must refuse to start:
/// its exit code and what it printed.
fn refused_at_start(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let site = Scratch::minimal();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ldr"))
        .args(["serve", "--port", "0"])
        .args(args)
        .current_dir(site.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > WAIT {
            let _ = child.kill();
            panic!("ldr serve {args:?} started");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(!log.contains("Serving the site"), "{log}");
    (status.code(), log)
}

#[test]
fn a_content_folder_that_does_not_exist_is_refused_at_the_start() {
    let missing = std::env::temp_dir().join("ldr-no-such-content-folder");
    let (code, log) = refused_at_start(&["--content".as_ref(), missing.as_os_str()]);
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains(&format!(
            "the content folder {} does not exist",
            missing.display()
        )),
        "{log}"
    );
    assert!(log.contains("--content"), "{log}");
}

#[test]
fn an_allowed_host_that_is_no_host_name_is_refused_at_the_start() {
    let (code, log) =
        refused_at_start(&["--allowed-host".as_ref(), "https://preview.test/".as_ref()]);
    assert_eq!(code, Some(1), "{log}");
    assert!(
        log.contains("--allowed-host `https://preview.test/` is not a host name"),
        "{log}"
    );
}
