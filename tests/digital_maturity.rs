//! The digital maturity baseline: a provider's scores as SVG bars and a table, a
//! footprint's providers beside its median and the national median (worked out by hand
//! below), the national page with and without results, the exports, and the illustrative
//! example providers of the default content kept apart from the real organisations.

mod common;

use common::{Scratch, repo, stderr};
use scraper::{ElementRef, Html, Selector};

fn select<'a>(html: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

fn text(element: &ElementRef) -> String {
    element.text().collect::<String>().trim().to_string()
}

fn number(element: &ElementRef, attribute: &str) -> f64 {
    element.value().attr(attribute).unwrap().parse().unwrap()
}

/// The minimal site with four trusts assessed: RXF in Alpha; RF4, RA1 and RA2 in Beta.
///
/// Baselines (each provider's first year; RA1's 2017 row is not its baseline):
///
/// | provider | readiness | capabilities | infrastructure |
/// |---|---|---|---|
/// | RXF | 10 | 10 | 10 |
/// | RF4 | 40 | 20 | 70 |
/// | RA1 | 60 | 30 | (empty) |
/// | RA2 | 55 | 80 | 50 |
///
/// Beta's medians: readiness 40, 55, 60 -> 55; capabilities 20, 30, 80 -> 30;
/// infrastructure 50, 70 -> 60 (the mean of the middle two). National: readiness 10, 40,
/// 55, 60 -> 47.5; capabilities 10, 20, 30, 80 -> 25; infrastructure 10, 50, 70 -> 50.
fn assessed_site() -> Scratch {
    let site = assessed_content();
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    site
}

/// [`assessed_site`]'s content, not yet built.
fn assessed_content() -> Scratch {
    let site = Scratch::minimal();
    let content = site.content();
    let mut register = std::fs::read_to_string(content.join("organisations.csv")).unwrap();
    register.push_str("RA1,First London Trust,trust,London\nRA2,Second London Trust,trust,London\nRA3,Third London Trust,trust,London\n");
    std::fs::write(content.join("organisations.csv"), register).unwrap();
    let beta = content.join("footprints/beta/footprint.toml");
    let toml = std::fs::read_to_string(&beta).unwrap().replace(
        r#"members = ["RF4"]"#,
        r#"members = ["RF4", "RA1", "RA2", "RA3"]"#,
    );
    std::fs::write(&beta, toml).unwrap();
    std::fs::write(
        content.join("digital-maturity.csv"),
        "\u{feff}code,year,readiness,capabilities,infrastructure\r\n\
         RXF,2016,10,10,10\r\n\
         RF4,2016,40,20,70\r\n\
         RA1,2017,90,90,90\r\n\
         RA1,2016,60,\"30\",\r\n\
         ,,,,\r\n\
         RA2,2016,55,80,50\r\n",
    )
    .unwrap();
    site
}

fn row_cells(row: &ElementRef) -> Vec<String> {
    row.select(&Selector::parse("th, td").unwrap())
        .map(|c| text(&c))
        .collect()
}

#[test]
fn footprint_and_national_medians_are_the_ones_worked_out_by_hand() {
    let site = assessed_site();
    let page = Html::parse_document(&site.read("footprints/beta/index.html"));
    let footprint = &select(&page, "#maturity-baseline tr.maturity-median--footprint")[0];
    assert_eq!(
        row_cells(footprint)[2..],
        ["55", "30", "60"],
        "{:?}",
        row_cells(footprint)
    );
    assert!(row_cells(footprint)[0].contains("3 of 4 providers"));
    let national = &select(&page, "#maturity-baseline tr.maturity-median--national")[0];
    assert_eq!(row_cells(national)[2..], ["47.5", "25", "50"]);
    assert!(row_cells(national)[0].contains("4 providers"));

    // Each provider side by side: its baseline year and scores, or "not recorded".
    let rows: Vec<Vec<String>> = select(&page, "#maturity-baseline tbody tr")
        .iter()
        .map(row_cells)
        .collect();
    assert_eq!(rows.len(), 4);
    let of = |name: &str| {
        rows.iter()
            .find(|r| r[0].starts_with(name))
            .unwrap()
            .clone()
    };
    assert_eq!(
        of("First London")[1..],
        ["2016", "60", "30", "Not recorded"]
    );
    assert_eq!(of("Third London")[1..], ["Not recorded"; 4]);

    // The export holds the same medians.
    let json: serde_json::Value = serde_json::from_str(&site.read("data/footprints.json")).unwrap();
    let beta = json["footprints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["slug"] == "beta")
        .unwrap();
    assert_eq!(
        beta["digital_maturity"],
        serde_json::json!({ "recorded": 3, "providers": 4,
            "median": { "readiness": 55.0, "capabilities": 30.0, "infrastructure": 60.0 } })
    );

    // The national page: the medians per theme, and the footprints ranked by median.
    let national = Html::parse_document(&site.read("digital-maturity/index.html"));
    let summary: Vec<Vec<String>> = select(&national, "#distribution-summary tbody tr")
        .iter()
        .map(row_cells)
        .collect();
    assert_eq!(summary[0], ["Readiness", "4", "10", "47.5", "60"]);
    assert_eq!(summary[2], ["Infrastructure", "3", "10", "50", "70"]);
    let ranking: Vec<Vec<String>> = select(&national, "#ranking tbody tr")
        .iter()
        .map(row_cells)
        .collect();
    assert_eq!(ranking[0][..6], ["1", "Beta", "3 of 4", "55", "30", "60"]);
    assert_eq!(ranking[1][..3], ["2", "Alpha", "1 of 1"]);

    let csv = site.read("data/digital-maturity.csv");
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        [
            "code,name,year,readiness,capabilities,infrastructure,example",
            "RA1,First London Trust,2016,60,30,,false",
            "RA1,First London Trust,2017,90,90,90,false",
            "RA2,Second London Trust,2016,55,80,50,false",
            "RF4,BARKING HAVERING AND REDBRIDGE UNIVERSITY HOSPITALS NHS TRUST,2016,40,20,70,false",
            "RXF,MID YORKSHIRE HOSPITALS NHS TRUST,2016,10,10,10,false",
        ]
    );
}

#[test]
fn a_providers_bars_are_as_long_as_its_scores_and_the_table_says_the_same() {
    let site = assessed_site();
    for (code, expected) in [
        ("RA2", vec![55.0, 80.0, 50.0]),
        ("RF4", vec![40.0, 20.0, 70.0]),
    ] {
        let page = Html::parse_document(&site.read(&format!("organisations/{code}/index.html")));
        let tick = |value: &str| {
            let ticks = select(&page, "svg.maturity-chart line.maturity-tick");
            let found = ticks
                .iter()
                .find(|t| t.value().attr("data-value") == Some(value))
                .unwrap_or_else(|| panic!("no tick at {value}"));
            number(found, "x1")
        };
        let (zero, hundred) = (tick("0"), tick("100"));
        let bars = select(&page, "svg.maturity-chart rect.maturity-bar");
        let read: Vec<f64> = bars
            .iter()
            .map(|bar| {
                assert!((number(bar, "x") - zero).abs() < 0.01, "bars start at 0");
                number(bar, "width") / (hundred - zero) * 100.0
            })
            .collect();
        assert_eq!(read.len(), 3, "{code}: one bar per theme");
        for (bar, (score, want)) in bars.iter().zip(read.iter().zip(&expected)) {
            assert!(
                (score - want).abs() < 0.05,
                "{code}: bar reads {score}, score is {want}"
            );
            assert_eq!(number(bar, "data-score"), *want);
        }
        let themes: Vec<&str> = bars
            .iter()
            .map(|b| b.value().attr("data-theme").unwrap())
            .collect();
        assert_eq!(themes, ["readiness", "capabilities", "infrastructure"]);
        let table: Vec<f64> = select(&page, "#maturity-scores tbody td")
            .iter()
            .map(|c| text(c).parse().unwrap())
            .collect();
        assert_eq!(table, expected, "{code}: the table holds the bars' numbers");
        let svg = &select(&page, "svg.maturity-chart")[0];
        assert_eq!(svg.value().attr("role"), Some("img"));
        assert!(svg.value().attr("aria-labelledby").is_some());
    }
    // A trust without a row says so; a CCG has no such section.
    let ra3 = site.read("organisations/RA3/index.html");
    assert!(ra3.contains("No digital maturity self-assessment is recorded for this provider"));
    assert!(
        !site
            .read("organisations/02W/index.html")
            .contains("digital-maturity\"")
    );
}

#[test]
fn without_results_the_national_page_explains_the_assessment_and_footprints_say_so_in_one_line() {
    let site = Scratch::minimal();
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    let national = site.read("digital-maturity/index.html");
    assert!(national.contains("What the assessment was"));
    assert!(national.contains("readiness") || national.contains("Readiness"));
    assert!(
        national.contains("The results of the assessment are not included in this site's data")
    );
    assert!(
        !national.contains(r#"id="ranking""#),
        "no ranking without results"
    );
    let beta = Html::parse_document(&site.read("footprints/beta/index.html"));
    assert!(select(&beta, "#maturity-baseline").is_empty());
    // No section of its own: the one line of what is not recorded names it.
    assert!(select(&beta, "h2#digital-maturity").is_empty());
    let note = &select(&beta, ".footprint-unrecorded")[0];
    assert!(
        text(note).contains("digital maturity results"),
        "{}",
        text(note)
    );
    let json: serde_json::Value = serde_json::from_str(&site.read("data/footprints.json")).unwrap();
    assert!(json["footprints"][0]["digital_maturity"].is_null());
    assert_eq!(
        site.read("data/digital-maturity.csv"),
        "code,name,year,readiness,capabilities,infrastructure,example\n"
    );

    // With results, the explanation stays and the results replace the notice.
    let assessed = assessed_site();
    let national = assessed.read("digital-maturity/index.html");
    assert!(national.contains("What the assessment was"));
    assert!(!national.contains("not included in this site's data"));
    assert!(!national.contains("Illustrative examples, not real results"));
}

#[test]
fn a_year_after_the_build_date_is_refused_at_its_cell() {
    let site = Scratch::minimal();
    std::fs::write(
        site.content().join("digital-maturity.csv"),
        "code,year,readiness,capabilities,infrastructure\nRXF,2017,1,2,3\n",
    )
    .unwrap();
    // The minimal site's `now` is 2016-06-01.
    let output = site.build();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error: no assessment was made in 2017"),
        "{text}"
    );
    assert!(text.contains("content/digital-maturity.csv:2:5"), "{text}");
}

#[test]
fn example_providers_are_marked_and_kept_out_of_the_real_register() {
    let site = Scratch::copy_of(&repo().join("content"));
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let examples = ["EXAMPLE1", "EXAMPLE2", "EXAMPLE3", "EXAMPLE4"];
    let a_to_z = site.read("organisations/index.html");
    let register = site.read("data/organisations.csv");
    for code in examples {
        let page = site.read(&format!("organisations/{code}/index.html"));
        assert!(
            page.contains("Illustrative example"),
            "{code} is not marked"
        );
        assert!(
            !page.contains("GovernmentOrganization"),
            "{code} offered as real"
        );
        assert!(
            !a_to_z.contains(&format!("/organisations/{code}/")),
            "{code} in the A to Z"
        );
        assert!(!register.contains(code), "{code} exported as real");
    }
    // The home page's count of trusts is the real one: the sum of the regions' totals,
    // which leave the example footprint out.
    let listing = Html::parse_document(&site.read("footprints/index.html"));
    let providers: usize = select(&listing, "section.region-section tfoot td:nth-of-type(2)")
        .iter()
        .map(|c| text(c).parse::<usize>().unwrap())
        .sum();
    let home = Html::parse_document(&site.read("index.html"));
    let figures: Vec<String> = select(&home, ".figure").iter().map(text).collect();
    assert!(
        figures.contains(&format!("{providers} NHS trusts")),
        "{figures:?} against {providers}"
    );
    // The example footprint shows its baseline, marked as illustrative.
    let example = site.read("footprints/example-footprint/index.html");
    assert!(example.contains("maturity-baseline"));
    assert!(example.contains("illustrative examples only"));
    let national = site.read("digital-maturity/index.html");
    assert!(national.contains("Illustrative examples, not real results"));
    assert!(national.contains("The results of the real assessment are not included"));
    // A real footprint of the default content has no result and says so in one line.
    let devon = Html::parse_document(&site.read("footprints/devon/index.html"));
    let note = &select(&devon, ".footprint-unrecorded")[0];
    assert!(
        text(note).contains("digital maturity results"),
        "{}",
        text(note)
    );
}

#[test]
fn the_map_colours_each_footprint_by_its_median() {
    let site = assessed_content();
    std::fs::write(
        site.content().join("boundaries.geojson"),
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"code":"E54000005"},"geometry":{"type":"Polygon","coordinates":[[[-2,53],[-1,53],[-1,54],[-2,53]]]}},
          {"type":"Feature","properties":{"code":"E54000027"},"geometry":{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}}]}"#,
    )
    .unwrap();
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let page = Html::parse_document(&site.read("digital-maturity/index.html"));
    let maps = select(&page, "svg.footprint-map");
    assert_eq!(maps.len(), 3, "one map per theme");
    // Readiness: Beta's median 55 is in the band 40 to 59, Alpha's 10 in 0 to 19; the key
    // gives each band's colour.
    let key: Vec<(String, String)> = select(&page, "ul.legend li")
        .iter()
        .map(|li| {
            let rect = li.select(&Selector::parse("rect").unwrap()).next().unwrap();
            (text(li), rect.value().attr("fill").unwrap().to_string())
        })
        .collect();
    let colour_of = |band: &str| key.iter().find(|(l, _)| l == band).unwrap().1.clone();
    let shape = |slug: &str| {
        maps[0]
            .select(&Selector::parse(&format!(r##"use[href="#map-shape-{slug}"]"##)).unwrap())
            .next()
            .unwrap()
    };
    assert_eq!(
        shape("beta").value().attr("fill").unwrap(),
        colour_of("40 to 59")
    );
    assert!(text(&shape("beta")).contains("median 55"));
    assert_eq!(
        shape("alpha").value().attr("fill").unwrap(),
        colour_of("0 to 19")
    );
}
