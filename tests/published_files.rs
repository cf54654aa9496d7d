//! What ldr publishes is well-formed and safe by each format's own rules, whatever the
//! content says: CSV cells are never formulas, feeds and sitemaps are XML, calendars are
//! RFC 5545, and settings are checked before they reach any of them.

mod common;

use std::fs;

use common::{Scratch, stderr};

/// Cells an attacker would name an organisation, as OWASP lists them, and their
/// variations: after spaces, and in full-width forms.
const FORMULAS: [&str; 7] = [
    "=HYPERLINK(\"https://evil.test/\",\"Click\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "  =1+1",
    "＝1+1",
];

fn site_with_formula_names() -> Scratch {
    let site = Scratch::minimal();
    let register = site.content().join("organisations.csv");
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["code", "name", "kind", "region"])
        .unwrap();
    let text = fs::read_to_string(&register).unwrap();
    for (i, line) in text.lines().skip(1).enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        let name = FORMULAS.get(i).copied().unwrap_or(fields[1]);
        csv.write_record([fields[0], name, fields[2], fields[3]])
            .unwrap();
    }
    fs::write(&register, csv.into_inner().unwrap()).unwrap();
    fs::write(
        site.content().join("digital-maturity.csv"),
        "code,year,readiness,capabilities,infrastructure\nRXF,2016,50,60,70\n",
    )
    .unwrap();
    site
}

/// Every cell of the CSV file at `path` in the site, read back by a CSV parser.
fn cells(site: &Scratch, path: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(site.output().join(path))
        .unwrap();
    reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[test]
fn no_cell_of_a_published_csv_is_a_formula() {
    let site = site_with_formula_names();
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    let mut seen = 0;
    for path in ["data/organisations.csv", "data/digital-maturity.csv"] {
        for cell in cells(&site, path) {
            let first = cell.trim_start_matches(' ').chars().next();
            assert!(
                !matches!(
                    first,
                    Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
                ),
                "{path}: {cell:?} is a formula"
            );
            if FORMULAS
                .iter()
                .any(|f| cell == format!("'{}", f.trim_start_matches('\t')))
            {
                seen += 1;
            }
        }
    }
    // Each name is kept, behind the apostrophe: in organisations.csv, and the trust's in
    // digital-maturity.csv too.
    assert!(seen >= FORMULAS.len(), "{seen} names kept");
}

/// Runs `tests/check_feeds.py` (icalendar, feedparser, an XML parser, jsonschema) on a
/// built copy of the default content.
fn check_with_real_parsers(site: &Scratch) {
    let check = std::process::Command::new("python3")
        .arg(common::repo().join("tests/check_feeds.py"))
        .arg(site.output())
        .arg(site.content())
        .output()
        .expect("python3 runs");
    assert!(
        check.status.success(),
        "{}{}\n(the parsers come from scripts/install-test-tools)",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// The fields' values as a calendar reader gets them: lines unfolded, TEXT unescaped.
fn unfolded_properties(ics: &str) -> Vec<(String, String)> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, value) = l.split_once(':').unwrap_or((l, ""));
            let value = value
                .replace("\\n", "\n")
                .replace("\\,", ",")
                .replace("\\;", ";")
                .replace("\\\\", "\\");
            (name.to_string(), value)
        })
        .collect()
}

#[test]
fn line_breaks_in_an_event_stay_inside_their_property() {
    let site = Scratch::copy_of(&common::repo().join("content"));
    let forged = "Room 1\\rBEGIN:VALARM\\r\\nTRIGGER:-PT5M\\r\\nACTION:DISPLAY\\r\\nEND:VALARM\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:forged";
    fs::write(
        site.content().join("events/forged.md"),
        format!(
            "+++\ntitle = \"Forged\\rSUMMARY:again, <&> ]]>\"\nstart = 2016-03-01\nkind = \"virtual\"\n\
             location = \"{forged}\"\nsummary = \"Two\\r\\nlines\\rand\\u2028more\"\nexample = true\n+++\n\nText.\n"
        ),
    )
    .unwrap();
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let ics = site.read("events/forged.ics");
    let properties = unfolded_properties(&ics);
    let location = properties.iter().find(|(n, _)| n == "LOCATION").unwrap();
    assert_eq!(
        location.1,
        "Room 1\nBEGIN:VALARM\nTRIGGER:-PT5M\nACTION:DISPLAY\nEND:VALARM\nEND:VEVENT\nBEGIN:VEVENT\nUID:forged"
    );
    let begins: Vec<&str> = properties
        .iter()
        .filter(|(n, _)| n == "BEGIN")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(
        begins,
        ["VCALENDAR", "VTIMEZONE", "DAYLIGHT", "STANDARD", "VEVENT"]
    );
    for physical in ics.split("\r\n") {
        assert!(
            !physical.contains(['\r', '\n']),
            "a bare line break: {physical:?}"
        );
    }
    check_with_real_parsers(&site);
}

#[test]
fn an_escaped_control_character_in_a_field_is_refused_at_its_place() {
    let site = Scratch::minimal();
    assert!(site.build().status.success());
    let before = common::snapshot(&site.output());
    let story = site.content().join("stories/shared.md");
    let text = fs::read_to_string(&story).unwrap().replace(
        "title = \"Shared records <b>work</b>\"",
        "title = \"a\\u0001b\"",
    );
    fs::write(&story, text).unwrap();
    let output = site.build();
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("holds the control character U+0001"),
        "{text}"
    );
    assert!(text.contains("content/stories/shared.md:2:9"), "{text}");
    assert_eq!(before, common::snapshot(&site.output()));
}

#[test]
fn a_raw_control_character_in_markdown_or_a_register_is_refused_at_its_place() {
    for (file, text, place) in [
        (
            "pages/about.md",
            "+++\ntitle = \"About\"\n+++\n\nSome \u{7f} text.\n",
            "content/pages/about.md:5:6",
        ),
        (
            "organisations.csv",
            "code,name,kind,region\n02W,NHS \u{1b}[31mBradford,ccg,North of England\n",
            "content/organisations.csv:2:9",
        ),
        (
            "events/later.md",
            "+++\ntitle = \"Later\"\nstart = 2016-09-01\nkind = \"virtual\"\n+++\n\n\u{fffe}\n",
            "content/events/later.md:7:1",
        ),
    ] {
        let site = Scratch::minimal();
        fs::write(site.content().join(file), text).unwrap();
        let output = site.build();
        assert_eq!(output.status.code(), Some(1), "{file}");
        let message = stderr(&output);
        assert!(message.contains("holds the control character"), "{message}");
        assert!(message.contains(place), "{message}");
        assert!(!site.output().exists());
    }
}

/// `site.toml` with `line` in place of its `base_url` line.
fn site_with_setting(line: &str) -> Scratch {
    let site = Scratch::minimal();
    let settings = site.content().join("site.toml");
    let text = fs::read_to_string(&settings)
        .unwrap()
        .replace("base_url = \"https://roadmaps.test\"", line);
    fs::write(&settings, text).unwrap();
    site
}

#[test]
fn a_base_url_that_is_not_a_web_address_is_refused_with_its_place() {
    for line in [
        "base_url = \"https://test.example.org\\r\\nDisallow: /\"",
        "base_url = \"javascript:alert(1)\"",
        "base_url = \"https://user:pw@test.example.org\"",
        "base_url = \"https://test.example.org/?utm=1\"",
        "base_url = \"test.example.org\"",
    ] {
        let site = site_with_setting(line);
        let output = site.build();
        assert_eq!(output.status.code(), Some(1), "{line}");
        let text = stderr(&output);
        assert!(text.contains("`base_url` cannot be used"), "{text}");
        assert!(text.contains("content/site.toml:2:12"), "{text}");
        assert!(!site.output().exists());
    }
}

#[test]
fn a_base_url_flag_that_is_not_a_web_address_is_a_usage_error() {
    let site = Scratch::minimal();
    for flag in [
        "javascript:alert(1)",
        "https://a.example\r\nSitemap: https://evil.test/",
        "https://a.example/#x",
    ] {
        let output = site.ldr(&["build", "--base-url", flag]);
        assert_eq!(output.status.code(), Some(2), "{flag:?}");
        assert!(
            stderr(&output).contains("--base-url"),
            "{}",
            stderr(&output)
        );
        assert!(!site.output().exists());
    }
}

#[test]
fn a_base_url_is_used_without_its_trailing_slash_everywhere() {
    let site = site_with_setting("base_url = \"https://test.example.org/ldr/\"");
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://test.example.org/ldr/footprints/</loc>")
    );
    assert!(
        site.read("robots.txt")
            .ends_with("Sitemap: https://test.example.org/ldr/sitemap.xml\n")
    );
}

#[test]
fn a_contact_email_or_language_that_would_break_out_is_refused_with_its_place() {
    for (line, name) in [
        (
            "contact_email = \"x\\\" onmouseover=\\\"alert(1)@a.example\"",
            "contact_email",
        ),
        (
            "contact_email = \"team@a.example\\r\\nBcc: all@a.example\"",
            "contact_email",
        ),
        ("contact_email = \"not an address\"", "contact_email"),
        ("language = \"en\\\" onload=\\\"alert(1)\"", "language"),
        ("language = \"en_GB\"", "language"),
    ] {
        let site = site_with_setting(&format!("base_url = \"https://test.example.org\"\n{line}"));
        let output = site.build();
        assert_eq!(output.status.code(), Some(1), "{line}");
        let text = stderr(&output);
        assert!(text.contains(&format!("`{name}` cannot be used")), "{text}");
        assert!(text.contains("content/site.toml:3:"), "{text}");
    }
}
