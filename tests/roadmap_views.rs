//! What footprints will deliver and when: timelines, the capability matrix, the filtered
//! event and story lists, and the calendars, feed and schema checked by real parsers.

mod common;

use std::process::Command;

use common::{Scratch, repo, stderr};
use scraper::{Html, Selector};

fn built() -> Scratch {
    let site = Scratch::minimal();
    let output = site.ldr(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    site
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

fn number(element: &scraper::ElementRef, attribute: &str) -> f64 {
    element.value().attr(attribute).unwrap().parse().unwrap()
}

#[test]
fn timeline_bars_sit_at_their_dates() {
    let site = built();
    let page = Html::parse_document(&site.read("footprints/alpha/index.html"));
    // The year lines, 2016 to 2022, are the ruler the bars are read against.
    let years: Vec<f64> = select(&page, "svg.timeline-chart > line")
        .iter()
        .filter(|l| l.value().attr("class").is_none())
        .map(|l| number(l, "x1"))
        .collect();
    assert_eq!(years.len(), 7, "{years:?}");
    let at = |year: usize, day_of_year: f64, days: f64| {
        years[year - 2016] + (years[year - 2015] - years[year - 2016]) * day_of_year / days
    };

    let bars = select(&page, "rect.timeline-bar");
    assert_eq!(bars.len(), 1, "alpha plans one capability");
    let bar = &bars[0];
    assert_eq!(bar.value().attr("data-target"), Some("2018-03-31"));
    let end = number(bar, "x") + number(bar, "width");
    assert!(
        (end - at(2018, 89.0, 365.0)).abs() < 0.5,
        "bar ends at {end}, 31 March 2018 is {}",
        at(2018, 89.0, 365.0)
    );
    assert!(
        (number(bar, "x") - at(2016, 181.0, 366.0)).abs() < 0.5,
        "bar starts at the June 2016 submission"
    );

    let milestone = &select(&page, "path.timeline-milestone")[0];
    assert_eq!(milestone.value().attr("data-date"), Some("2018-09-30"));
    let d = milestone.value().attr("d").unwrap();
    let x: f64 = d[1..].split(' ').next().unwrap().parse().unwrap();
    assert!((x - at(2018, 272.0, 365.0)).abs() < 0.5, "milestone at {x}");

    // site.toml fixes today as 1 June 2016.
    let today = &select(&page, "line.timeline-today")[0];
    assert!((number(today, "x1") - at(2016, 152.0, 366.0)).abs() < 0.5);
    let table = select(&page, "table.table caption");
    assert!(
        table
            .iter()
            .any(|c| c.text().collect::<String>() == "Universal capabilities"),
        "the facts as a table too"
    );
}

/// The timeline names each row in words, has a key of what it draws, and its caption
/// speaks of a "today" line only when one is drawn (today inside 2016 to 2021).
#[test]
fn timeline_names_its_rows_has_a_key_and_captions_only_what_is_drawn() {
    let words = |page: &Html, selector: &str| -> String {
        select(page, selector)
            .iter()
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    };
    // The minimal site's today, 1 June 2016, is on the axis.
    let page = Html::parse_document(&built().read("footprints/alpha/index.html"));
    let drawn = words(&page, "svg.timeline-chart > text");
    assert!(
        drawn.contains("Milestone: Shared record live, 30 September 2018"),
        "{drawn}"
    );
    assert!(drawn.contains("target 31 March 2018"), "{drawn}");
    let key = words(&page, ".timeline-key li");
    assert!(key.contains("Milestone") && key.contains("Today"), "{key}");
    assert!(words(&page, ".timeline-figure figcaption").contains("red line is today"));

    // Built on 22 November 2026, after the axis: no line, and neither key nor caption has one.
    let site = Scratch::copy_of(&repo().join("content"));
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = Html::parse_document(&site.read("footprints/example-footprint/index.html"));
    assert!(select(&page, "line.timeline-today").is_empty());
    let caption = words(&page, ".timeline-figure figcaption");
    assert!(!caption.to_lowercase().contains("today"), "{caption}");
    assert!(!words(&page, ".timeline-key li").contains("Today"));
    let drawn = words(&page, "svg.timeline-chart > text");
    assert!(
        drawn.contains("Paper-free at the point of care (example)"),
        "a milestone is named by its title: {drawn}"
    );
}

#[test]
fn footprint_without_plans_says_none_are_recorded() {
    let page = built().read("footprints/beta/index.html");
    let html = Html::parse_document(&page);
    let note: String = html
        .select(&Selector::parse(".footprint-unrecorded").unwrap())
        .flat_map(|e| e.text())
        .collect();
    assert!(note.contains("capability plans"), "{note}");
    assert!(!page.contains("id=\"capabilities\""), "no empty section");
    assert!(!page.contains("<svg"));
}

#[test]
fn matrix_cells_match_the_plans() {
    let page = Html::parse_document(&built().read("capabilities/index.html"));
    let alpha_row = select(&page, "table.capability-matrix tbody tr")
        .into_iter()
        .find(|row| row.text().collect::<String>().contains("Alpha"))
        .expect("alpha has a row");
    let cells: Vec<String> = select_in(&alpha_row, "td")
        .iter()
        .map(|c| c.text().collect::<String>())
        .collect();
    assert_eq!(cells, ["Planned", "Not recorded"]);
    let link = select_in(&alpha_row, "td a")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(link, "/footprints/alpha/#capabilities");
    // Capability A is planned live by March 2018: counted from 2018 on, not before.
    let by_year = select(&page, "table")
        .into_iter()
        .last()
        .map(|t| {
            select_in(&t, "tbody tr")[0]
                .text()
                .collect::<Vec<_>>()
                .join("|")
        })
        .unwrap();
    assert_eq!(by_year, "A|0|0|1|1|1|1", "{by_year}");
}

fn select_in<'a>(
    element: &scraper::ElementRef<'a>,
    selector: &str,
) -> Vec<scraper::ElementRef<'a>> {
    element
        .select(&Selector::parse(selector).unwrap())
        .collect()
}

#[test]
fn event_filters_have_their_own_pages() {
    let site = built();
    let national = site.read("events/kind/national/index.html");
    assert!(national.contains("National day") && !national.contains("Later virtual session"));
    let virtual_events = site.read("events/kind/virtual/index.html");
    assert!(
        virtual_events.contains("Later virtual session")
            && !virtual_events.contains("National day")
    );
    let london = site.read("events/region/london/index.html");
    assert!(london.contains("National day") && !london.contains("Later virtual session"));
    let all = site.read("events/index.html");
    assert!(all.contains("<h3>October 2015</h3>"), "grouped by month");
    assert!(all.contains(r#"href="/events/kind/national/""#));
}

#[test]
fn stories_filter_by_tag_and_link_both_ways() {
    // A real story: an illustrative one is not listed on real pages.
    let site = Scratch::minimal();
    let story = site.content().join("stories/shared.md");
    let text = std::fs::read_to_string(&story).unwrap();
    std::fs::write(&story, text.replace("example = true\n", "")).unwrap();
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    let tag = site.read("stories/tags/shared-care-record/index.html");
    assert!(tag.contains("Stories about shared care record"));
    assert!(tag.contains(r#"href="/stories/shared/""#));
    let story = site.read("stories/shared/index.html");
    assert!(
        story.contains(r#"href="/footprints/alpha/""#)
            && story.contains(r#"href="/organisations/02W/""#)
    );
    assert!(
        site.read("footprints/alpha/index.html")
            .contains(r#"href="/stories/shared/""#)
    );
    assert!(
        site.read("organisations/02W/index.html")
            .contains(r#"href="/stories/shared/""#)
    );
}

#[test]
fn calendars_feed_and_schema_pass_real_parsers() {
    let site = Scratch::copy_of(&repo().join("content"));
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let check = Command::new("python3")
        .arg(repo().join("tests/check_feeds.py"))
        .arg(site.output())
        .arg(site.content())
        .output()
        .expect("python3 runs");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{report}{}\n(the parsers come from scripts/install-test-tools)",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(report.matches("ok - ").count() >= 4, "{report}");
}

#[test]
fn every_footprint_with_a_boundary_has_one_linked_shape_inside_the_map() {
    let site = Scratch::copy_of(&repo().join("content"));
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let geojson: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("content/boundaries.geojson")).unwrap(),
    )
    .unwrap();
    let codes: Vec<String> = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["stp17cd"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 44);
    let html = site.read("footprints/index.html");
    let page = Html::parse_document(&html);
    let svg = &select(&page, "svg.footprint-map")[0];
    let view_box: Vec<f64> = svg
        .value()
        .attr("viewBox")
        .unwrap()
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    let links = select_in(svg, "a");
    assert_eq!(links.len(), 44);
    for entry in std::fs::read_dir(repo().join("content/footprints")).unwrap() {
        let folder = entry.unwrap().path();
        let data: toml::Table = std::fs::read_to_string(folder.join("footprint.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let slug = folder.file_name().unwrap().to_string_lossy().into_owned();
        let has_boundary = data
            .get("stp")
            .and_then(|s| s.as_str())
            .is_some_and(|stp| codes.iter().any(|c| c == stp));
        let shapes: Vec<_> = links
            .iter()
            .filter(|a| a.value().attr("href") == Some(&format!("/footprints/{slug}/")))
            .collect();
        assert_eq!(shapes.len(), usize::from(has_boundary), "{slug}");
        for shape in shapes {
            let title = select_in(shape, "title")[0].text().collect::<String>();
            assert!(title.starts_with(data["name"].as_str().unwrap()), "{title}");
            let d = select_in(shape, "path")[0]
                .value()
                .attr("d")
                .unwrap()
                .to_string();
            for pair in d.split(['M', 'L', 'Z']).filter(|p| !p.is_empty()) {
                let (x, y) = pair.split_once(' ').unwrap();
                let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
                assert!(
                    x >= view_box[0] && x <= view_box[2] && y >= view_box[1] && y <= view_box[3],
                    "{slug}: {x} {y} outside {view_box:?}"
                );
            }
        }
    }
    let svg_bytes = html
        .find("<svg class=\"footprint-map\"")
        .map(|start| html[start..].find("</svg>").unwrap())
        .unwrap();
    assert!(svg_bytes < 100_000, "the map is {svg_bytes} bytes");
}

#[test]
fn boundaries_without_a_footprint_and_footprints_without_a_boundary_are_warnings() {
    let site = Scratch::minimal();
    std::fs::write(
        site.content().join("boundaries.geojson"),
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"code":"E54000005"},"geometry":{"type":"Polygon","coordinates":[[[-2,53],[-1,53],[-1,54],[-2,53]]]}},
          {"type":"Feature","properties":{"code":"E54000999"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}}]}"#,
    )
    .unwrap();
    let output = site.build();
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("warning: boundary `E54000999` matches no footprint"),
        "{text}"
    );
    assert!(
        text.contains("warning: footprint `beta` has no boundary and is not on the map"),
        "{text}"
    );
    let page = site.read("footprints/index.html");
    assert!(page.contains(r#"href="/footprints/alpha/" data-footprint="alpha""#));
    assert!(!page.contains(r#"data-footprint="beta""#));
}

#[test]
fn a_broken_boundaries_file_is_an_error_with_its_place() {
    let site = Scratch::minimal();
    std::fs::write(
        site.content().join("boundaries.geojson"),
        "{\"type\": \"FeatureCollection\",\n \"features\": [,]}",
    )
    .unwrap();
    let output = site.build();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("boundaries.geojson is not a GeoJSON FeatureCollection"),
        "{text}"
    );
    assert!(text.contains("boundaries.geojson:2:"), "{text}");
}
