//! Builds the real default content and checks the pages against the data it came from.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use common::{Scratch, repo, stderr};
use scraper::{Html, Selector};

/// The default site, built once for all tests in this file.
fn site() -> &'static Scratch {
    static SITE: OnceLock<Scratch> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = Scratch::copy_of(&repo().join("content"));
        let output = site.ldr(&["build", "--now", "2026-11-22"]);
        assert!(
            output.status.success(),
            "default site builds: {}",
            stderr(&output)
        );
        site
    })
}

fn page(path: &str) -> Html {
    Html::parse_document(&site().read(path))
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn hrefs(html: &Html) -> BTreeSet<String> {
    let selector = Selector::parse("a[href]").unwrap();
    html.select(&selector)
        .map(|e| e.value().attr("href").unwrap().to_string())
        .collect()
}

/// Each footprint folder's `footprint.toml`, parsed independently of ldr.
fn footprints() -> Vec<(String, toml::Table)> {
    let mut list: Vec<_> = std::fs::read_dir(repo().join("content/footprints"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|dir| {
            let slug = dir.file_name().unwrap().to_string_lossy().into_owned();
            let table = std::fs::read_to_string(dir.join("footprint.toml"))
                .unwrap()
                .parse()
                .unwrap();
            (slug, table)
        })
        .collect();
    list.sort_by(|a, b| a.0.cmp(&b.0));
    list
}

fn codes(table: &toml::Table, key: &str) -> Vec<String> {
    table
        .get(key)
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn csv_rows(path: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(repo().join(path)).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn there_is_a_footprint_page_for_each_of_the_44_stps() {
    let stps = csv_rows("data/stps-2017.csv");
    assert_eq!(stps.len(), 44);
    let listing = page("footprints/index.html");
    let names = texts(&listing, "tbody td:first-child a");
    for stp in &stps {
        assert!(
            names.contains(&stp["name"]),
            "{} missing from /footprints/",
            stp["name"]
        );
    }
}

#[test]
fn footprint_page_lists_each_of_its_ccgs_with_its_code() {
    for (slug, table) in footprints() {
        let html = page(&format!("footprints/{slug}/index.html"));
        let links = hrefs(&html);
        let shown_codes = texts(&html, "#ccgs + ul code.ods-code");
        for code in codes(&table, "partners") {
            assert!(
                links.contains(&format!("/organisations/{code}/")),
                "{slug} does not link CCG {code}"
            );
            assert!(
                shown_codes.contains(&code),
                "{slug} does not show CCG code {code}"
            );
        }
        // A missing lead is said once, in the note of what is not recorded.
        assert!(
            texts(&html, ".footprint-unrecorded")
                .iter()
                .any(|t| t.contains("lead CCG") || t.contains("CCGs")),
            "{slug}: missing lead shows as not recorded"
        );
    }
}

#[test]
fn organisation_page_links_back_to_its_footprints() {
    let mut footprints_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (slug, table) in footprints() {
        for code in codes(&table, "partners")
            .into_iter()
            .chain(codes(&table, "members"))
        {
            footprints_of.entry(code).or_default().push(slug.clone());
        }
    }
    assert!(
        footprints_of.len() > 400,
        "the default footprints have their members"
    );
    for (code, slugs) in &footprints_of {
        let links = hrefs(&page(&format!("organisations/{code}/index.html")));
        for slug in slugs {
            assert!(
                links.contains(&format!("/footprints/{slug}/")),
                "{code} does not link back to {slug}"
            );
        }
    }
}

#[test]
fn region_counts_add_up_to_the_source_data() {
    let listing = page("footprints/index.html");
    let totals = Selector::parse("section.region-section").unwrap();
    let heading = Selector::parse("h2").unwrap();
    let total_cells = Selector::parse("tfoot td").unwrap();
    let ccgs = csv_rows("data/ccgs-2017.csv");
    let stps: BTreeMap<String, String> = csv_rows("data/stps-2017.csv")
        .into_iter()
        .map(|r| (r["code"].clone(), r["nhs_region_name"].clone()))
        .collect();
    let trusts = csv_rows("data/trusts-stp.csv");
    let mut regions_seen = 0;
    for section in listing.select(&totals) {
        let region = section
            .select(&heading)
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        let cells: Vec<usize> = section
            .select(&total_cells)
            .map(|c| c.text().collect::<String>().parse().unwrap())
            .collect();
        let expected_ccgs = ccgs
            .iter()
            .filter(|c| c["nhs_region_name"] == region)
            .count();
        let expected_trusts = trusts
            .iter()
            .filter(|t| stps.get(&t["stp_code"]) == Some(&region))
            .count();
        assert_eq!(cells[0], expected_ccgs, "CCGs in {region}");
        assert_eq!(cells[1], expected_trusts, "NHS providers in {region}");
        regions_seen += 1;
    }
    assert_eq!(regions_seen, 4);
}

#[test]
fn organisations_a_to_z_lists_every_registered_code() {
    let rows = csv_rows("content/organisations.csv");
    let html = page("organisations/index.html");
    let shown: BTreeSet<String> = texts(&html, "ul.org-list code").into_iter().collect();
    assert_eq!(shown.len(), rows.len());
    for row in rows {
        assert!(
            shown.contains(&row["code"]),
            "{} not in the A-Z",
            row["code"]
        );
    }
}

/// The kind of council a GSS code gives, by the rule the about page states.
fn council_kind_of(code: &str) -> Option<&'static str> {
    match code {
        "E09000001" => Some("City of London Corporation"),
        "E06000053" => Some("Council of the Isles of Scilly"),
        _ if code.starts_with("E10") => Some("county council"),
        _ if code.starts_with("E08") => Some("metropolitan district council"),
        _ if code.starts_with("E09") => Some("London borough"),
        _ if code.starts_with("E06") => Some("unitary authority"),
        _ => None,
    }
}

#[test]
fn a_council_shows_its_kind_from_its_gss_code_on_its_page_and_in_lists() {
    let councils: Vec<_> = csv_rows("content/organisations.csv")
        .into_iter()
        .filter(|row| row["kind"] == "local-authority")
        .collect();
    assert!(councils.len() > 100);
    let a_to_z = site().read("organisations/index.html");
    for row in &councils {
        let (code, name) = (&row["code"], &row["name"]);
        let kind = council_kind_of(code).unwrap_or_else(|| panic!("{code} has no kind"));
        let page = page(&format!("organisations/{code}/index.html"));
        assert_eq!(
            texts(&page, ".summary-list__value .tag"),
            vec![format!("Local authority: {kind}")],
            "{code}"
        );
        // The name stays the register's: no formal name is made up.
        assert_eq!(texts(&page, "h1"), vec![name.to_string()], "{code}");
        // In a list the kind is a line of its own under the name, the code beside them, as
        // in every member row.
        let listed = format!(
            r#"{}</a> <span class="org-list__kind">{}</span></span> <code"#,
            name.replace('&', "&amp;"),
            kind
        );
        assert!(a_to_z.contains(&listed), "{code} in the A to Z: {listed}");
    }
    let footprint = site().read("footprints/coventry-and-warwickshire/index.html");
    assert!(footprint.contains(
        r#"Warwickshire</a> <span class="org-list__kind">county council</span></span> <code"#
    ));
    let about = site().read("about/index.html");
    assert!(
        about.contains("E10 a county council"),
        "the about page states the rule"
    );
}

#[test]
fn about_page_says_how_footprints_were_derived_and_credits_the_data() {
    let about = site().read("about/index.html");
    assert!(about.contains(r#"id="how-the-footprints-were-derived""#));
    assert!(about.contains("Open Government Licence"));
    let home = site().read("index.html");
    assert!(
        home.contains("Contains public sector information from NHS Digital")
            && home.contains("Organisation Data Service (ODS) licensed under the Open Government"),
        "footer attribution"
    );
}

#[test]
fn example_stories_and_events_are_marked_as_examples() {
    for dir in ["stories", "events"] {
        for entry in std::fs::read_dir(repo().join("content").join(dir)).unwrap() {
            let slug = entry
                .unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let html = site().read(&format!("{dir}/{slug}/index.html"));
            assert!(
                html.contains("Illustrative example"),
                "{dir}/{slug} is not marked as an example"
            );
        }
    }
}

#[test]
fn data_exports_match_the_footprints() {
    let json: serde_json::Value =
        serde_json::from_str(&site().read("data/footprints.json")).unwrap();
    let list = json["footprints"].as_array().unwrap();
    assert_eq!(list.iter().filter(|f| f["example"] == false).count(), 44);
    let devon = list.iter().find(|f| f["slug"] == "devon").unwrap();
    assert!(devon["lead"].is_null(), "no lead is recorded");
    assert!(
        devon["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["code"] == "99P" && o["role"] == "partner-ccg")
    );
    let csv = site().read("data/organisations.csv");
    assert!(csv.starts_with("code,name,kind,region,footprints,url\n"));
    assert_eq!(
        csv.lines().count(),
        csv_rows("content/organisations.csv").len() + 1
    );
}

#[test]
fn sitemap_lists_every_page_at_the_base_url() {
    let sitemap = site().read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://ldr.example.org/footprints/devon/</loc>"));
    assert!(sitemap.contains("<loc>https://ldr.example.org/organisations/99P/</loc>"));
    assert!(
        site()
            .read("robots.txt")
            .contains("Sitemap: https://ldr.example.org/sitemap.xml")
    );
    assert!(site().read("404.html").contains("Page not found"));
}
