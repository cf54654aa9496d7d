//! `ldr serve` over real HTTP on a loopback port: pages, live reload, the error overlay,
//! editors' save patterns, path safety and load.

mod common;

use std::fs;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::http::{Events, KeptAlive, get, request};
use common::preview::{Preview, WAIT, expect_event};
use common::{Scratch, copy_dir, repo};

#[test]
fn pages_are_served_with_their_types_and_no_caching() {
    let preview = Preview::start();
    fs::write(preview.content("footprints/alpha/plan.pdf"), b"%PDF-1.4").unwrap();
    preview.wait_for_log("Rebuilt after");
    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/data/footprints.json", "application/json"),
        ("/data/organisations.csv", "text/csv; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/footprints/alpha/plan.pdf", "application/pdf"),
    ] {
        let reply = get(preview.port, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(kind), "{path}");
        assert_eq!(reply.header("Cache-Control"), Some("no-store"), "{path}");
    }
    let head = request(preview.port, "HEAD", "/footprints/alpha/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert!(
        get(preview.port, "/footprints/alpha/")
            .text()
            .contains("<h1>Alpha</h1>")
    );
}

#[test]
fn requests_on_one_kept_alive_connection_are_answered_without_stalling() {
    let preview = Preview::start();
    let mut connection = KeptAlive::open(preview.port);
    let requests = 40;
    let started = Instant::now();
    for n in 0..requests {
        let path = ["/footprints/alpha/", "/static/style.css", "/robots.txt"][n % 3];
        let reply = connection.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(!reply.body.is_empty(), "{path}");
    }
    // Nagle's algorithm against the client's delayed ACK holds every reply after the first
    // for 40 ms or more: 39 stalls would take over 1.5 s. Answered at once, 40 small replies
    // take a few milliseconds each even on a busy machine; half the stalled time is the bound.
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_millis(800),
        "{requests} requests on one connection took {elapsed:?}"
    );
}

#[test]
fn live_reload_script_is_injected_only_when_served() {
    let preview = Preview::start();
    assert!(
        get(preview.port, "/footprints/alpha/")
            .text()
            .contains("<script src=\"/__ldr/live-reload.js\" data-ldr-version=")
    );
    assert!(
        get(preview.port, "/__ldr/live-reload.js")
            .text()
            .contains("function ldrLive(")
    );
    let built = preview.site.ldr(&["build"]);
    assert!(built.status.success());
    assert!(
        !preview
            .site
            .read("footprints/alpha/index.html")
            .contains("/__ldr/"),
        "output/ on disk stays clean"
    );
}

#[test]
fn folder_without_slash_redirects_and_unknown_path_gets_the_404_page() {
    let preview = Preview::start();
    let redirect = get(preview.port, "/footprints/alpha?x=1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/footprints/alpha/?x=1"));
    let missing = get(preview.port, "/footprints/nowhere/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page not found"));
}

#[test]
fn no_path_escapes_the_site() {
    let preview = Preview::start();
    std::os::unix::fs::symlink("/etc/passwd", preview.content("static/passwd")).ok();
    fs::create_dir_all(preview.content("static")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", preview.content("static/passwd")).ok();
    // The link out of the content folder is refused, and the last good site still served.
    preview.wait_for_log("content/static/passwd is a symlink to /etc/passwd");
    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/footprints/..%2f..%2f..%2fetc%2fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "//etc/passwd",
        "/passwd",
        "/static/../../content/site.toml",
    ] {
        let reply = get(preview.port, path);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path} answered {}",
            reply.status
        );
        assert!(!reply.text().contains("root:"), "{path} leaked a file");
    }
}

#[test]
fn reload_event_arrives_after_the_new_content_is_served() {
    let preview = Preview::start();
    let mut events = preview.events();
    fs::write(
        preview.content("footprints/beta/roadmap.md"),
        "## Vision\n\nFreshly saved words.\n",
    )
    .unwrap();
    expect_event(&mut events, "reload");
    assert!(
        get(preview.port, "/footprints/beta/")
            .text()
            .contains("Freshly saved words.")
    );
}

#[test]
fn a_tab_that_missed_a_rebuild_is_told_on_connect() {
    let preview = Preview::start();
    let old = preview.version();
    fs::write(
        preview.content("footprints/beta/roadmap.md"),
        "## Vision\n\nChanged.\n",
    )
    .unwrap();
    preview.wait_for_log("Rebuilt after");
    let mut events = Events::open(preview.port, old);
    expect_event(&mut events, "reload");
}

#[test]
fn invalid_edit_shows_the_overlay_over_the_old_page_and_the_fix_clears_it() {
    let preview = Preview::start();
    let mut events = preview.events();
    let file = preview.content("footprints/beta/footprint.toml");
    let good = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        good.replace("partners = [\"07L\"]", "partners = [\"07L\", \"NOPE\"]"),
    )
    .unwrap();

    let error = expect_event(&mut events, "build-error");
    assert!(
        error.contains("unknown organisation code `NOPE`"),
        "{error}"
    );
    assert!(
        error.contains("footprint.toml:4:20"),
        "the overlay names file, line and column: {error}"
    );
    // The log is read from a pipe, so it may trail the event a little.
    preview.wait_for_log("the last good site is still served");
    let page = get(preview.port, "/footprints/beta/");
    assert_eq!(page.status, 200, "the last good page is still served");
    assert!(
        page.text().contains("<h1>Beta</h1>") && page.text().contains("unknown organisation code")
    );

    fs::write(&file, good).unwrap();
    expect_event(&mut events, "reload");
    assert!(
        !get(preview.port, "/footprints/beta/")
            .text()
            .contains("unknown organisation code")
    );
}

#[test]
fn the_register_saved_from_excel_is_previewed_and_its_mistakes_shown() {
    let preview = Preview::start();
    let mut events = preview.events();
    let file = preview.content("organisations.csv");
    let text = fs::read_to_string(&file).unwrap();
    // Opened in Excel, a trust renamed, saved as "CSV UTF-8": byte-order mark, CRLF, quotes.
    let excel = format!("\u{feff}{}", text.replace('\n', "\r\n")).replace(
        "MID YORKSHIRE HOSPITALS NHS TRUST",
        "\"Mid Yorkshire Hospitals NHS Trust, Wakefield\"",
    );
    fs::write(&file, &excel).unwrap();
    expect_event(&mut events, "reload");
    let page = get(preview.port, "/organisations/RXF/").text();
    assert!(
        page.contains("<h1>Mid Yorkshire Hospitals NHS Trust, Wakefield</h1>"),
        "{page}"
    );

    // Then saved as Excel's plain "CSV": Windows-1252.
    let mut windows_1252 = excel.clone().into_bytes();
    windows_1252.extend(b"X98,St Helen\x92s Hospice,other,\r\n");
    fs::write(&file, windows_1252).unwrap();
    let error = expect_event(&mut events, "build-error");
    assert!(
        error.contains("organisations.csv:9:13") && error.contains("CSV UTF-8"),
        "{error}"
    );
    let page = get(preview.port, "/organisations/RXF/");
    assert_eq!(
        page.status, 200,
        "the preview is alive and serves the last good page"
    );
    assert!(
        page.text()
            .contains("Mid Yorkshire Hospitals NHS Trust, Wakefield")
    );

    fs::write(&file, &excel).unwrap();
    expect_event(&mut events, "reload");
    assert!(!get(preview.port, "/").text().contains("CSV UTF-8"));
}

#[test]
fn stylesheet_change_swaps_css_without_a_reload() {
    let preview = Preview::start();
    let mut events = preview.events();
    let css = preview.site.path().join("themes/default/static/style.css");
    let mut text = fs::read_to_string(&css).unwrap();
    text.push_str("\n.test-marker { color: red; }\n");
    fs::write(&css, text).unwrap();
    expect_event(&mut events, "css");
    // A stylesheet is served from its source: saving it builds nothing.
    preview.wait_for_log("style.css: 0 pages rendered, 0 files updated");
    assert!(
        get(preview.port, "/static/style.css")
            .text()
            .contains(".test-marker")
    );
}

#[test]
fn a_save_through_a_temporary_file_is_told_by_the_file_saved() {
    // `sed -i` writes "sed" and six random letters beside the file, then renames it over the
    // original; JetBrains editors write "name___jb_tmp___". Neither is content: the preview
    // neither fails to read it once it is renamed away nor names it in the log.
    let preview = Preview::start();
    for (temporary, text) in [
        ("sedQ4xZ7k", "Saved by sed."),
        ("roadmap.md___jb_tmp___", "Saved by JetBrains."),
    ] {
        let mut events = preview.events();
        let temp = preview.content(&format!("footprints/beta/{temporary}"));
        fs::write(&temp, format!("## Vision\n\n{text}\n")).unwrap();
        fs::rename(&temp, preview.content("footprints/beta/roadmap.md")).unwrap();
        expect_event(&mut events, "reload");
        while !get(preview.port, "/footprints/beta/").text().contains(text) {
            expect_event(&mut events, "reload");
        }
        let log = preview.log();
        assert!(!log.contains(temporary), "{log}");
    }
    let log = preview.log();
    assert!(!log.contains("error"), "{log}");
}

#[test]
fn editors_save_patterns_each_give_one_good_rebuild() {
    let preview = Preview::start();
    let mut events = preview.events();
    let roadmap = preview.content("footprints/beta/roadmap.md");

    // vim, VS Code, JetBrains: write a temporary file, then rename it over the original.
    let temp = preview.content("footprints/beta/.roadmap.md.tmp");
    fs::write(&temp, "## Vision\n\nSaved by rename.\n").unwrap();
    fs::rename(&temp, &roadmap).unwrap();
    expect_event(&mut events, "reload");
    assert!(
        get(preview.port, "/footprints/beta/")
            .text()
            .contains("Saved by rename.")
    );

    // Swap and backup files alone are not content: no rebuild.
    fs::write(preview.content("footprints/beta/.roadmap.md.swp"), "swap").unwrap();
    fs::write(preview.content("footprints/beta/roadmap.md~"), "backup").unwrap();
    assert_eq!(
        events.next(Duration::from_millis(600)),
        None,
        "litter caused a rebuild"
    );

    // A new footprint folder, then its removal.
    let gamma = preview.content("footprints/gamma");
    fs::create_dir(&gamma).unwrap();
    fs::write(
        gamma.join("footprint.toml"),
        "name = \"Gamma\"\ncode = \"E54000099\"\nregion = \"London\"\n",
    )
    .unwrap();
    let started = Instant::now();
    while get(preview.port, "/footprints/gamma/").status != 200 {
        assert!(started.elapsed() < WAIT, "the new footprint never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    fs::rename(&gamma, preview.content("footprints/delta")).unwrap();
    let started = Instant::now();
    while get(preview.port, "/footprints/delta/").status != 200 {
        assert!(
            started.elapsed() < WAIT,
            "the renamed footprint never appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(get(preview.port, "/footprints/gamma/").status, 404);
}

#[test]
fn a_burst_of_saves_is_debounced() {
    let preview = Preview::start();
    let mut events = preview.events();
    let roadmap = preview.content("footprints/beta/roadmap.md");
    for n in 0..20 {
        fs::write(&roadmap, format!("## Vision\n\nSave number {n}.\n")).unwrap();
    }
    expect_event(&mut events, "reload");
    let mut extra = 0;
    while events.next(Duration::from_millis(400)).is_some() {
        extra += 1;
    }
    // Saves 40 ms apart are separate bursts, and a loaded machine can space them so; but
    // twenty saves in a loop must fold into far fewer rebuilds than saves.
    assert!(extra < 5, "20 quick saves caused {} rebuilds", extra + 1);
    assert!(
        get(preview.port, "/footprints/beta/")
            .text()
            .contains("Save number 19.")
    );
}

#[test]
fn served_site_equals_a_clean_build_after_a_sequence_of_edits() {
    let preview = Preview::start();
    let mut events = preview.events();
    let edits: [(&str, &str); 5] = [
        (
            "footprints/beta/roadmap.md",
            "## Plan\n\nSee [Alpha](/footprints/alpha/).\n",
        ),
        (
            "footprints/alpha/footprint.toml",
            "name = \"Alpha Two\"\ncode = \"E54000005\"\nregion = \"North of England\"\nlead = \"02W\"\nmembers = [\"RXF\"]\n",
        ),
        (
            "pages/about.md",
            "+++\ntitle = \"About us\"\nmenu_order = 2\n+++\n\nNew about text.\n",
        ),
        (
            "organisations.csv",
            "code,name,kind,region\n02W,NHS Bradford City CCG,ccg,North of England\n02N,NHS Airedale CCG,ccg,North of England\nRXF,MID YORKSHIRE HOSPITALS NHS TRUST,trust,North of England\nE08000032,Bradford,local-authority,North of England\n07L,NHS Barking and Dagenham CCG,ccg,London\nRF4,BARKING HOSPITALS,trust,London\nX99,A body in no footprint,other,\n",
        ),
        // Last, so that a patched-in edit (page and search files) is what gets compared.
        (
            "footprints/alpha/roadmap.md",
            "## Plan\n\nQuixotic words, new to the search index.\n",
        ),
    ];
    for (path, text) in edits {
        fs::write(preview.content(path), text).unwrap();
        expect_event(&mut events, "reload");
    }
    // The last edit was patched in: one page rendered, a few files swapped.
    preview.wait_for_log("alpha/roadmap.md: 1 page rendered, ");
    let base = format!("http://127.0.0.1:{}/", preview.port);
    let clean = preview
        .site
        .ldr(&["build", "--base-url", &base, "--themes", "themes"]);
    assert!(clean.status.success(), "{}", common::stderr(&clean));
    let output = preview.site.output();
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(&output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let relative = entry
            .path()
            .strip_prefix(&output)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if relative == ".ldr-output" {
            continue;
        }
        let served = get(preview.port, &format!("/{relative}")).body;
        let on_disk = fs::read(entry.path()).unwrap();
        assert_eq!(
            strip_live_reload(&served),
            on_disk,
            "/{relative} differs from a clean build"
        );
        compared += 1;
    }
    assert!(compared > 20, "{compared}");
}

/// The served page minus the injected script is the page on disk.
fn strip_live_reload(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    match (
        text.find("<script src=\"/__ldr/live-reload.js\""),
        text.rfind("</script>\n"),
    ) {
        (Some(start), Some(end)) => {
            format!("{}{}", &text[..start], &text[end + "</script>\n".len()..]).into_bytes()
        }
        _ => page.to_vec(),
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = Scratch::minimal();
    let output = site.ldr(&["serve", "--port", &port.to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let text = common::stderr(&output);
    assert!(
        text.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{text}"
    );
    assert!(text.contains("pick another with --port"), "{text}");
}

#[test]
fn polling_watcher_sees_changes_too() {
    let site = Scratch::minimal();
    copy_dir(&repo().join("themes"), &site.path().join("themes"));
    let preview = Preview::start_in(site, &["--poll"]);
    let mut events = preview.events();
    // The polling watcher takes its first look at the files on its own thread, and a
    // change made before that look is its baseline: save again until one is seen.
    let roadmap = preview.content("footprints/beta/roadmap.md");
    let mut seen = None;
    for n in 0..10 {
        fs::write(&roadmap, format!("## Vision\n\nPolled {n}.\n")).unwrap();
        if let Some((name, _)) = events.next(Duration::from_secs(2)) {
            seen = Some((name, n));
            break;
        }
    }
    let (name, n) = seen.expect("the polling watcher never saw a save");
    assert_eq!(name, "reload");
    assert!(
        get(preview.port, "/footprints/beta/")
            .text()
            .contains(&format!("Polled {n}."))
    );
}

#[test]
fn many_concurrent_requests_are_all_answered() {
    let preview = Preview::start();
    let port = preview.port;
    let _tabs: Vec<Events> = (0..10).map(|_| preview.events()).collect();
    let workers: Vec<_> = (0..16)
        .map(|n| {
            std::thread::spawn(move || {
                (0..40)
                    .map(|i| {
                        get(
                            port,
                            if (n + i) % 2 == 0 {
                                "/"
                            } else {
                                "/organisations/RF4/"
                            },
                        )
                        .status
                    })
                    .filter(|status| *status != 200)
                    .count()
            })
        })
        .collect();
    let failures: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(failures, 0, "of 640 requests");
    let status = fs::read_to_string(format!("/proc/{}/status", preview.pid())).unwrap();
    let threads: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The preview keeps a thread per open connection (16 clients, 10 tabs here) besides the
    // watcher and rayon's pool; what must not happen is a thread per request kept.
    assert!(
        threads <= 80,
        "the preview grew to {threads} threads for 640 requests"
    );
}

#[test]
fn the_first_build_is_told_in_plain_words() {
    let preview = Preview::start();
    preview.wait_for_log("Built ");
    let log = preview.log();
    let line = log.lines().find(|l| l.starts_with("Built ")).unwrap();
    let words: Vec<&str> = line.split(' ').collect();
    assert!(
        matches!(words[..], ["Built", pages, "pages", "in", ms, "ms"]
            if pages.parse::<usize>().is_ok_and(|n| n > 1) && ms.parse::<u64>().is_ok()),
        "{line}"
    );
}

#[test]
fn ctrl_c_stops_the_preview_cleanly() {
    let mut preview = Preview::start();
    let pid = preview.pid();
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = preview.wait();
    assert_eq!(exit.code(), Some(0), "{}", preview.log());
    preview.wait_for_log("Stopped.");
}

#[test]
fn a_site_broken_from_the_start_still_serves_its_error() {
    let site = Scratch::minimal();
    copy_dir(&repo().join("themes"), &site.path().join("themes"));
    fs::write(
        site.content().join("footprints/beta/footprint.toml"),
        "name = \"Beta\"\n",
    )
    .unwrap();
    let preview = Preview::start_in(site, &[]);
    let page = get(preview.port, "/");
    assert_eq!(page.status, 500);
    assert!(
        page.text().contains("missing required key `code`"),
        "{}",
        page.text()
    );
    let mut events = Events::open(preview.port, 0);
    let error = expect_event(&mut events, "build-error");
    assert!(error.contains("footprint.toml:1:1"), "{error}");
}
