//! What a public-sector publisher checks before a site goes out: the accessibility statement
//! and privacy notice, the page furniture (report a problem, review dates), metadata on every
//! page, no cookies and nothing from another origin.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::http::get;
use common::preview::{Preview, expect_event};
use common::{Scratch, built_default_site, repo, stderr};
use scraper::{ElementRef, Html, Selector};

/// Every HTML page of a built site but the redirects of merged footprints (which send a
/// browser on at once and ask search engines not to index them), with its address.
fn pages(output: &Path) -> Vec<(String, Html)> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        if text.contains(r#"<meta http-equiv="refresh""#) {
            continue;
        }
        let relative = entry.path().strip_prefix(output).unwrap();
        let path = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
        let path = path
            .strip_suffix("index.html")
            .map_or(path.clone(), str::to_string);
        pages.push((path, Html::parse_document(&text)));
    }
    pages
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    page.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: &ElementRef) -> String {
    element.text().collect::<String>().trim().to_string()
}

fn attr(page: &Html, css: &str, name: &str) -> Option<String> {
    select(page, css)
        .first()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

fn page(site: &Scratch, path: &str) -> Html {
    Html::parse_document(&site.read(path))
}

#[test]
fn accessibility_statement_has_every_section_the_regulations_require() {
    let site = built_default_site();
    let statement = page(site, "accessibility/index.html");
    let headings: Vec<String> = select(&statement, "main h1, main h2, main h3")
        .iter()
        .map(text)
        .collect();
    // The sections of GOV.UK's sample statement for the 2018 regulations.
    for required in [
        "Accessibility statement for Local Digital Roadmaps",
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        "Content that's not within the scope of the accessibility regulations",
        "What we're doing to improve accessibility",
        "Preparation of this accessibility statement",
    ] {
        assert!(
            headings.iter().any(|h| h == required),
            "no heading `{required}` in {headings:?}"
        );
    }
    let body = text(&select(&statement, "main").remove(0));
    for fact in [
        "Web Content Accessibility Guidelines (WCAG) version 2.1",
        "Equality and Human Rights Commission",
        "Nu HTML Checker",
        "axe-core",
        "without JavaScript",
        "england.digitalroadmap@nhs.net",
        // [accessibility] in site.toml
        "This website was last tested on 30 November 2026.",
        "This statement was prepared on 30 November 2026.",
        // No publisher in the default site.toml: the statement says so rather than guess.
        "The organisation that publishes this copy of the site is not recorded",
    ] {
        assert!(body.contains(fact), "the statement does not say `{fact}`");
    }
}

#[test]
fn every_page_links_the_statement_and_the_privacy_notice_and_has_the_favicon() {
    let site = built_default_site();
    assert!(site.output().join("static/favicon.svg").is_file());
    for (path, page) in pages(&site.output()) {
        for target in ["/accessibility/", "/privacy/"] {
            assert_eq!(
                select(&page, &format!("footer a[href=\"{target}\"]")).len(),
                1,
                "{path} does not link {target} from its footer"
            );
        }
        let icon = attr(&page, r#"head link[rel="icon"]"#, "href").unwrap_or_default();
        assert!(
            icon.starts_with("/static/favicon.svg?v="),
            "{path} has no favicon"
        );
    }
}

#[test]
fn a_page_of_the_site_replaces_the_generated_statement_and_notice() {
    let site = Scratch::minimal();
    let generated = site.build();
    assert!(generated.status.success(), "{}", stderr(&generated));
    let statement = site.read("accessibility/index.html");
    // No contact, publisher or test date in the minimal site.toml: nothing is made up.
    assert!(statement.contains("The date this website was last tested is not recorded."));
    assert!(statement.contains("records no contact address"));
    for slug in ["accessibility", "privacy"] {
        std::fs::write(
            site.content().join(format!("pages/{slug}.md")),
            format!("+++\ntitle = \"Our own {slug} page\"\n+++\n\nWritten by the publisher.\n"),
        )
        .unwrap();
    }
    let own = site.build();
    assert!(own.status.success(), "{}", stderr(&own));
    for slug in ["accessibility", "privacy"] {
        let page = site.read(&format!("{slug}/index.html"));
        assert!(
            page.contains(&format!("<h1>Our own {slug} page</h1>")),
            "{page}"
        );
        assert!(page.contains("Written by the publisher."));
    }
}

#[test]
fn pages_show_when_they_were_last_reviewed_and_when_the_next_review_is_due() {
    let site = Scratch::minimal();
    let add = |file: &str, after: &str, dates: &str| {
        let path = site.content().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(after), "{file}");
        std::fs::write(&path, text.replacen(after, &format!("{after}\n{dates}"), 1)).unwrap();
    };
    let dates = "reviewed = 2017-03-01\nreview_due = 2018-03-01";
    add(
        "footprints/alpha/footprint.toml",
        "merged_from = [\"old-alpha\"]",
        dates,
    );
    add("stories/shared.md", "example = true", dates);
    add("events/later.md", "example = true", dates);
    add("pages/about.md", "menu_order = 1", "reviewed = 2017-03-01");
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    for path in [
        "footprints/alpha/index.html",
        "stories/shared/index.html",
        "events/later/index.html",
    ] {
        let shown = text(&select(&page(&site, path), ".page-furniture__review").remove(0));
        assert_eq!(
            shown, "Page last reviewed: 1 March 2017Next review due: 1 March 2018",
            "{path}"
        );
    }
    let about = page(&site, "about/index.html");
    assert_eq!(
        text(&select(&about, ".page-furniture__review").remove(0)),
        "Page last reviewed: 1 March 2017"
    );
    // Where no date is given, the page claims none.
    let beta = page(&site, "footprints/beta/index.html");
    assert!(select(&beta, ".page-furniture__review").is_empty());
}

#[test]
fn privacy_notice_says_the_site_sets_no_cookies_and_runs_no_analytics() {
    let notice = page(built_default_site(), "privacy/index.html");
    let body = text(&select(&notice, "main").remove(0));
    assert!(body.contains("This website sets no cookies"), "{body}");
    assert!(body.contains("runs no analytics and no tracking"), "{body}");
    assert!(
        body.contains("nothing is loaded from another website"),
        "{body}"
    );
}

/// The subject and body of a `mailto:` address, decoded.
fn mailto_fields(href: &str) -> (String, String, String) {
    let (to, query) = href
        .strip_prefix("mailto:")
        .and_then(|rest| rest.split_once('?'))
        .unwrap_or_else(|| panic!("not a mailto with fields: {href}"));
    let field = |name: &str| {
        let raw = query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no {name} in {href}"));
        percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .unwrap()
            .into_owned()
    };
    (to.to_string(), field("subject"), field("body"))
}

#[test]
fn every_page_has_a_report_a_problem_link_with_its_title_and_address() {
    let site = built_default_site();
    let pages = pages(&site.output());
    assert!(pages.len() > 600, "{}", pages.len());
    for (path, page) in &pages {
        let links: Vec<_> = select(page, "main a")
            .into_iter()
            .filter(|a| text(a) == "Report a problem with this page")
            .collect();
        assert_eq!(links.len(), 1, "{path} has no report link");
        let (to, subject, body) = mailto_fields(links[0].value().attr("href").unwrap());
        assert_eq!(to, "england.digitalroadmap@nhs.net", "{path}");
        let title = text(&select(page, "title").remove(0));
        assert_eq!(subject, format!("Problem with the page: {title}"), "{path}");
        assert_eq!(
            body,
            format!("Page: https://ldr.example.org{path}"),
            "{path}"
        );
    }
}

#[test]
fn every_page_has_a_description_canonical_address_and_opengraph() {
    let site = built_default_site();
    let mut descriptions = std::collections::HashMap::<String, usize>::new();
    for (path, page) in pages(&site.output()) {
        let url = format!("https://ldr.example.org{path}");
        let meta = |css: &str| {
            attr(&page, css, "content").unwrap_or_else(|| panic!("{path} has no {css}"))
        };
        let title = text(&select(&page, "title").remove(0));
        let description = meta(r#"head meta[name="description"]"#);
        assert!(
            description.len() >= 20 && !description.contains("  "),
            "{path}: description `{description}`"
        );
        *descriptions.entry(description.clone()).or_default() += 1;
        assert_eq!(
            attr(&page, r#"head link[rel="canonical"]"#, "href").as_deref(),
            Some(url.as_str()),
            "{path}"
        );
        assert_eq!(meta(r#"head meta[property="og:title"]"#), title, "{path}");
        assert_eq!(
            meta(r#"head meta[property="og:description"]"#),
            description,
            "{path}"
        );
        assert_eq!(meta(r#"head meta[property="og:url"]"#), url, "{path}");
        assert!(
            ["website", "article"].contains(&meta(r#"head meta[property="og:type"]"#).as_str()),
            "{path}"
        );
        assert_eq!(
            meta(r#"head meta[property="og:site_name"]"#),
            "Local Digital Roadmaps"
        );
        assert_eq!(meta(r#"head meta[property="og:locale"]"#), "en_GB");
    }
    // Pages of one kind say what they hold: a footprint's or organisation's description
    // names it, so no description is shared by many pages.
    let most = descriptions.values().max().copied().unwrap_or(0);
    assert!(most <= 12, "a description is shared by {most} pages");
}

fn browser_tools() -> PathBuf {
    let dir = repo().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "the browser tools are not installed: run `scripts/install-test-tools`"
    );
    dir
}

/// One page of each kind, as a visitor's browser loads it (search with a query, so that the
/// index is fetched as well).
const PAGE_KINDS: [&str; 16] = [
    "/",
    "/footprints/",
    "/footprints/devon/",
    "/organisations/",
    "/organisations/RJ1/",
    "/stories/",
    "/stories/shared-care-record-example/",
    "/events/",
    "/events/2027-02-virtual-learning-session/",
    "/capabilities/",
    "/about/",
    "/accessibility/",
    "/privacy/",
    "/data/",
    "/404.html",
    "/search/?q=devon",
];

#[test]
fn no_page_sets_a_cookie_or_loads_anything_from_another_origin() {
    let site = built_default_site();
    let output = Command::new("node")
        .arg(browser_tools().join("check_privacy.mjs"))
        .arg(site.output())
        .args(PAGE_KINDS)
        .output()
        .expect("node runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let base = report["base"].as_str().unwrap();
    let requests = report["requests"].as_array().unwrap();
    assert!(requests.len() > PAGE_KINDS.len(), "{requests:?}");
    for url in requests {
        let url = url.as_str().unwrap();
        assert!(
            url.starts_with(&format!("{base}/")),
            "a page loaded {url} from another origin"
        );
    }
    assert!(
        requests
            .iter()
            .any(|u| u.as_str().unwrap().contains("/search/index/")),
        "the search index was not fetched: {requests:?}"
    );
    // The index is fetched in parts named by a word's first letters ("de" of "devon"): the
    // server sees them, and the privacy notice says so rather than that nothing is sent.
    assert!(
        requests
            .iter()
            .any(|u| u.as_str().unwrap().contains("/search/index/t/de.")),
        "{requests:?}"
    );
    let notice = site.read("privacy/index.html");
    assert!(
        notice.contains("first letters of a word you typed")
            && !notice.contains("not sent anywhere"),
        "{notice}"
    );
    assert_eq!(report["cookies"], serde_json::json!([]), "cookies were set");
    for path in PAGE_KINDS {
        let seen = &report["pages"][path];
        assert_eq!(seen["documentCookie"], "", "{path}");
        assert_eq!(seen["localStorage"], 0, "{path}");
        assert_eq!(seen["sessionStorage"], 0, "{path}");
        assert_eq!(seen["violations"], serde_json::json!([]), "{path}");
    }
    // Chromium reads the JSON-LD data blocks, which the policy neither runs nor blocks.
    let graph = &report["pages"]["/organisations/RJ1/"]["jsonLd"][0]["@graph"];
    assert_eq!(graph[1]["@type"], "GovernmentOrganization", "{graph}");
    assert_eq!(
        report["pages"]["/data/"]["jsonLd"][0]["@graph"][1]["@type"],
        "Dataset"
    );

    // And in the files themselves, for the pages no browser visited: everything a page
    // loads (styles, scripts, images, icons) comes from the site.
    let loads = Selector::parse(
        "link[href], script[src], img[src], source[src], iframe, object, embed, video, audio",
    )
    .unwrap();
    for (path, page) in pages(&site.output()) {
        for element in page.select(&loads) {
            let value = element.value();
            if value.name() == "link"
                && !matches!(
                    value.attr("rel"),
                    Some("stylesheet" | "icon" | "preload" | "modulepreload")
                )
            {
                continue; // canonical and alternate links are addresses, not loads
            }
            let target = value.attr("href").or(value.attr("src")).unwrap_or("");
            assert!(
                target.starts_with('/') && !target.starts_with("//"),
                "{path} loads `{target}` from elsewhere"
            );
        }
    }
}

/// The `?v=` of every `/static/` file a page links, by file name.
fn linked_versions(html: &str) -> std::collections::BTreeMap<String, String> {
    let page = Html::parse_document(html);
    let mut versions = std::collections::BTreeMap::new();
    for element in select(&page, "link[href], script[src]") {
        let target = element
            .value()
            .attr("href")
            .or(element.value().attr("src"))
            .unwrap();
        if let Some(rest) = target.strip_prefix("/static/") {
            let (name, version) = rest
                .split_once("?v=")
                .unwrap_or_else(|| panic!("`{target}` is linked without a version"));
            versions.insert(name.to_string(), version.to_string());
        }
    }
    versions
}

/// FNV-1a of the bytes, as ldr versions the theme's files.
fn fnv(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")[..10].to_string()
}

#[test]
fn stylesheets_and_scripts_are_linked_with_a_hash_of_their_bytes() {
    let site = Scratch::minimal();
    let themes = site.path().join("themes");
    common::copy_dir(&repo().join("themes"), &themes);
    let themes_arg = themes.to_string_lossy().into_owned();
    let build = || {
        let output = site.ldr(&["build", "--themes", &themes_arg]);
        assert!(output.status.success(), "{}", stderr(&output));
    };
    build();
    let home = linked_versions(&site.read("index.html"));
    let search = linked_versions(&site.read("search/index.html"));
    assert_eq!(
        home.keys().collect::<Vec<_>>(),
        ["favicon.svg", "style.css"]
    );
    for name in ["search.css", "search-engine.js", "search.js", "style.css"] {
        assert!(search.contains_key(name), "{name}: {search:?}");
    }
    for (name, version) in home.iter().chain(&search) {
        let bytes = std::fs::read(site.output().join("static").join(name)).unwrap();
        assert_eq!(version, &fnv(&bytes), "{name}");
    }
    // A republished stylesheet gets a new address on every page; the scripts keep theirs.
    let css = themes.join("default/static/style.css");
    let mut text = std::fs::read_to_string(&css).unwrap();
    text.push_str("\n.republished { color: #000; }\n");
    std::fs::write(&css, text).unwrap();
    build();
    let again = linked_versions(&site.read("search/index.html"));
    assert_ne!(again["style.css"], search["style.css"]);
    assert_eq!(again["search.js"], search["search.js"]);
    assert_eq!(
        linked_versions(&site.read("footprints/alpha/index.html"))["style.css"],
        again["style.css"]
    );
}

/// `ldr serve` swaps a changed stylesheet by adding its own query to the link's address
/// (src/serve/live_reload.js): with the version in the query, that address still finds the
/// new file, and so does the link of a page opened after the save. (tests/browser_live_reload.rs watches the
/// swap itself happen in Chromium, on these versioned links.)
#[test]
fn the_preview_swaps_a_versioned_stylesheet() {
    let preview = Preview::start();
    let mut events = preview.events();
    let before = linked_versions(&get(preview.port, "/footprints/beta/").text());
    let css = preview.site.path().join("themes/default/static/style.css");
    let mut text = std::fs::read_to_string(&css).unwrap();
    text.push_str("\n.swapped-marker { color: #000; }\n");
    std::fs::write(&css, text).unwrap();
    let version = expect_event(&mut events, "css");
    // What the swap asks for: the old link with `ldr=<version>` added.
    let swapped = format!(
        "/static/style.css?v={}&ldr={}",
        before["style.css"],
        version.trim()
    );
    let reply = get(preview.port, &swapped);
    assert!(reply.text().contains(".swapped-marker"), "{swapped}");
    // A stylesheet save needs no build in the preview (it is served from its source, with
    // no-store), so a page opened now may still carry the old hash: its link must find the
    // new stylesheet all the same. `ldr build` links the new hash (the test above).
    let after = linked_versions(&get(preview.port, "/footprints/beta/").text());
    let linked = get(
        preview.port,
        &format!("/static/style.css?v={}", after["style.css"]),
    );
    assert!(linked.text().contains(".swapped-marker"));
}

fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian's poppler-utils: scripts/install-test-tools)");
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// How far down each printed page its text reaches, as a share of the page's height.
fn pdf_page_fill(pdf: &Path) -> Vec<f64> {
    let output = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let html = scraper::Html::parse_document(&String::from_utf8(output.stdout).unwrap());
    let pages = scraper::Selector::parse("page").unwrap();
    let words = scraper::Selector::parse("word").unwrap();
    let number =
        |e: scraper::ElementRef, a: &str| -> f64 { e.value().attr(a).unwrap().parse().unwrap() };
    html.select(&pages)
        .map(|page| {
            let height = number(page, "height");
            page.select(&words)
                .map(|w| number(w, "ymax"))
                .fold(0.0, f64::max)
                / height
        })
        .collect()
}

fn pdf_page_sizes(pdf: &Path) -> Vec<String> {
    let output = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "100"])
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .map(|l| l.split_once("size:").unwrap().1.trim().to_string())
        .collect()
}

#[test]
fn a_printed_footprint_page_has_no_navigation_shows_link_targets_and_fits_a4() {
    let site = built_default_site();
    let out = tempfile::tempdir().unwrap();
    let paths = [
        "/footprints/west-yorkshire/",
        "/footprints/example-footprint/",
    ];
    let output = Command::new("node")
        .arg(browser_tools().join("check_print.mjs"))
        .arg(site.output())
        .arg(out.path())
        .args(paths)
        .output()
        .expect("node runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let overflow: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for (n, path) in paths.iter().enumerate() {
        assert_eq!(overflow[path]["overflow"], 0, "{path} is wider than A4");
        // A picture keeps its screen size on paper (the locator map grown to the page's width
        // took a page of its own and pushed the footer to another).
        assert_eq!(
            overflow[path]["grown"],
            serde_json::json!([]),
            "{path} prints pictures larger than a screen shows them"
        );
        let pdf = out.path().join(format!("{n}.pdf"));
        let sizes = pdf_page_sizes(&pdf);
        assert!(!sizes.is_empty(), "{path}: no pages");
        for size in &sizes {
            assert!(size.contains("(A4)"), "{path}: a page of {size}");
        }
        let text = pdf_text(&pdf);
        // The content is there...
        assert!(text.contains("Members"), "{path}:\n{text}");
        // ...without the navigation, the search box, the skip link or the report link.
        for gone in [
            "Skip to main content",
            "Report a problem with this page",
            "Search the site",
        ] {
            assert!(!text.contains(gone), "{path} prints `{gone}`:\n{text}");
        }
        assert!(
            !text.lines().any(|l| l.contains("Organisations")
                && l.contains("Stories")
                && l.contains("Events")),
            "{path} prints the navigation:\n{text}"
        );
        // External links show where they go.
        let licence =
            "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)";
        assert!(
            text.split_whitespace()
                .collect::<String>()
                .contains(licence),
            "{path} does not show the licence's address:\n{text}"
        );
    }
    // West Yorkshire's members, by the names people write.
    let west_yorkshire = pdf_text(&out.path().join("0.pdf"));
    let words: Vec<&str> = west_yorkshire.split_whitespace().collect();
    assert!(
        words
            .join(" ")
            .contains("Bradford Teaching Hospitals NHS Foundation Trust")
            || words
                .windows(5)
                .any(|w| w[..4] == ["Bradford", "Teaching", "Hospitals", "NHS"]),
        "{west_yorkshire}"
    );
    for (n, path) in paths.iter().enumerate() {
        let pdf = out.path().join(format!("{n}.pdf"));
        // No half-empty page: every page but the last is written at least 60% of the way
        // down (a block kept whole pushed to the next page left a third of one empty).
        let fill = pdf_page_fill(&pdf);
        for (page, reach) in fill.iter().enumerate().take(fill.len().saturating_sub(1)) {
            assert!(
                *reach >= 0.6,
                "{path}: printed page {} of {} ends {:.0}% of the way down: {fill:?}",
                page + 1,
                fill.len(),
                reach * 100.0
            );
        }
    }
    // A table may run on to the next page, but never without its header row: every printed
    // page with a row of the capabilities table shows the table's column headings.
    let example = pdf_text(&out.path().join("1.pdf"));
    let pages: Vec<&str> = example.split('\u{c}').collect();
    let rows = |p: &str| {
        p.lines()
            .filter(|l| {
                let l = l.trim_start();
                l.len() > 3 && l.as_bytes()[0].is_ascii_uppercase() && l[1..].starts_with(". ")
            })
            .count()
    };
    let with_rows: Vec<&&str> = pages.iter().filter(|p| rows(p) > 0).collect();
    assert!(!with_rows.is_empty(), "no capabilities table:\n{example}");
    assert_eq!(
        with_rows.iter().map(|p| rows(p)).sum::<usize>(),
        10,
        "every capability's row is printed:\n{example}"
    );
    for page in with_rows {
        assert!(
            page.lines()
                .any(|l| l.contains("Capability") && l.contains("Status") && l.contains("Target")),
            "a page of the capabilities table without its header:\n{page}"
        );
    }
}
