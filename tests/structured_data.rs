//! schema.org JSON-LD: every block parses, and every node has what schema.org and the
//! search engines that read it require of its type (the table below).

mod common;

use std::collections::BTreeMap;

use common::{Scratch, repo, stderr};
use scraper::{Html, Selector};
use serde_json::Value;

/// The properties each type must have, from schema.org and Google's structured data
/// guidelines (Event, Dataset, BreadcrumbList; Organization's identifier, which the issue
/// asks for). A type not in the table is a failure: the table grows with the site.
const REQUIRED: [(&str, &[&str]); 10] = [
    ("BreadcrumbList", &["itemListElement"]),
    ("ListItem", &["position", "name", "item"]),
    (
        "Event",
        &["name", "startDate", "location", "eventAttendanceMode"],
    ),
    ("Place", &["name", "address"]),
    ("VirtualLocation", &["url"]),
    (
        "Dataset",
        &["name", "description", "license", "distribution", "creator"],
    ),
    ("DataDownload", &["contentUrl", "encodingFormat"]),
    ("GovernmentOrganization", &["name", "identifier", "url"]),
    ("Organization", &["name"]),
    ("PropertyValue", &["propertyID", "value"]),
];

/// Checks `node` and every node inside it; counts the types seen.
fn check_node(node: &Value, place: &str, seen: &mut BTreeMap<String, usize>) {
    match node {
        Value::Array(items) => items.iter().for_each(|n| check_node(n, place, seen)),
        Value::Object(map) => {
            if let Some(kind) = map.get("@type") {
                let kind = kind
                    .as_str()
                    .unwrap_or_else(|| panic!("{place}: @type {kind}"));
                let (_, required) = REQUIRED
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .unwrap_or_else(|| panic!("{place}: no required properties known for {kind}"));
                for property in *required {
                    let value = map.get(*property);
                    assert!(
                        value
                            .is_some_and(|v| !v.is_null() && v != "" && v != &Value::Array(vec![])),
                        "{place}: {kind} has no {property}: {node}"
                    );
                }
                *seen.entry(kind.to_string()).or_default() += 1;
            }
            map.values().for_each(|v| check_node(v, place, seen));
        }
        _ => {}
    }
}

/// The JSON-LD nodes of a built page, checked.
fn json_ld(html: &str, place: &str, seen: &mut BTreeMap<String, usize>) -> Vec<Value> {
    let page = Html::parse_document(html);
    let scripts = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let mut nodes = Vec::new();
    for script in page.select(&scripts) {
        let text: String = script.text().collect();
        let document: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{place}: JSON-LD does not parse: {e}\n{text}"));
        assert_eq!(document["@context"], "https://schema.org", "{place}");
        let graph = document["@graph"].as_array().expect("a @graph").clone();
        for node in &graph {
            check_node(node, place, seen);
        }
        nodes.extend(graph);
    }
    nodes
}

fn of_type<'a>(nodes: &'a [Value], kind: &str) -> Vec<&'a Value> {
    nodes.iter().filter(|n| n["@type"] == kind).collect()
}

#[test]
fn every_json_ld_block_of_the_default_site_has_its_types_required_properties() {
    let site = Scratch::copy_of(&repo().join("content"));
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut seen = BTreeMap::new();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(site.output()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let place = entry
            .path()
            .strip_prefix(site.output())
            .unwrap()
            .display()
            .to_string();
        let nodes = json_ld(
            &std::fs::read_to_string(entry.path()).unwrap(),
            &place,
            &mut seen,
        );
        let has_trail = !of_type(&nodes, "BreadcrumbList").is_empty();
        let expect_trail = place != "index.html" && place != "404.html";
        assert_eq!(has_trail, expect_trail, "{place}: BreadcrumbList");
        pages += 1;
    }
    assert!(pages > 600);
    // Every organisation page (596), the two data files, no event: the default events
    // are illustrative examples, which are not offered to search engines as events.
    assert_eq!(seen.get("GovernmentOrganization"), Some(&596), "{seen:?}");
    assert_eq!(seen.get("Dataset"), Some(&2), "{seen:?}");
    assert_eq!(seen.get("Event"), None, "{seen:?}");

    let trust = json_ld(&site.read("organisations/RJ1/index.html"), "RJ1", &mut seen);
    let organisation = of_type(&trust, "GovernmentOrganization")[0];
    assert_eq!(
        organisation["name"],
        "Guy's and St Thomas' NHS Foundation Trust"
    );
    assert_eq!(organisation["identifier"]["propertyID"], "ODS code");
    assert_eq!(organisation["identifier"]["value"], "RJ1");
    let council = json_ld(
        &site.read("organisations/E06000026/index.html"),
        "council",
        &mut seen,
    );
    assert_eq!(
        of_type(&council, "GovernmentOrganization")[0]["identifier"]["propertyID"],
        "GSS code"
    );

    let footprint = json_ld(
        &site.read("footprints/devon/index.html"),
        "devon",
        &mut seen,
    );
    let names: Vec<&Value> = of_type(&footprint, "BreadcrumbList")[0]["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| &item["name"])
        .collect();
    assert_eq!(names, ["Home", "Footprints", "Devon"]);

    let data = json_ld(&site.read("data/index.html"), "data", &mut seen);
    for dataset in of_type(&data, "Dataset") {
        assert_eq!(
            dataset["license"],
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
        );
        let description = dataset["description"].as_str().unwrap();
        assert!((50..=5000).contains(&description.len()), "{description}");
        let url = dataset["distribution"][0]["contentUrl"].as_str().unwrap();
        let file = url.strip_prefix("https://ldr.example.org/").unwrap();
        assert!(
            site.output().join(file).is_file(),
            "{url} is not in the site"
        );
    }
}

#[test]
fn events_with_a_place_or_online_are_described_with_their_time_zone() {
    let site = Scratch::minimal();
    let events = site.content().join("events");
    std::fs::write(
        events.join("summer-workshop.md"),
        "+++\ntitle = \"Summer workshop </script>\"\nstart = 2016-07-12T10:00:00\nend = 2016-07-12T15:30:00\nkind = \"regional\"\nregion = \"London\"\nlocation = \"A hall in London\"\norganiser = \"The footprint's programme office\"\nsummary = \"A workshop.\"\n+++\n\nText.\n",
    )
    .unwrap();
    std::fs::write(
        events.join("winter-webinar.md"),
        "+++\ntitle = \"Winter webinar\"\nstart = 2016-12-01T14:00:00\nkind = \"virtual\"\nregister = \"https://example.org/register\"\n+++\n\nText.\n",
    )
    .unwrap();
    std::fs::write(
        events.join("somewhere.md"),
        "+++\ntitle = \"Somewhere\"\nstart = 2016-12-02\nkind = \"national\"\n+++\n\nNo place recorded.\n",
    )
    .unwrap();
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    let mut seen = BTreeMap::new();

    let summer = json_ld(
        &site.read("events/summer-workshop/index.html"),
        "summer",
        &mut seen,
    );
    let event = of_type(&summer, "Event")[0];
    assert_eq!(event["name"], "Summer workshop </script>");
    assert_eq!(event["startDate"], "2016-07-12T10:00:00+01:00");
    assert_eq!(event["endDate"], "2016-07-12T15:30:00+01:00");
    assert_eq!(
        event["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    assert_eq!(event["location"]["@type"], "Place");
    assert_eq!(event["location"]["name"], "A hall in London");
    assert_eq!(
        event["organizer"]["name"],
        "The footprint's programme office"
    );
    assert!(
        !site
            .read("events/summer-workshop/index.html")
            .contains("</script>\"")
    ); // escaped

    let winter = json_ld(
        &site.read("events/winter-webinar/index.html"),
        "winter",
        &mut seen,
    );
    let event = of_type(&winter, "Event")[0];
    assert_eq!(event["startDate"], "2016-12-01T14:00:00+00:00");
    assert_eq!(
        event["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(event["location"]["@type"], "VirtualLocation");
    assert_eq!(event["location"]["url"], "https://example.org/register");

    // No place recorded, not online: nothing is claimed to search engines.
    let somewhere = json_ld(
        &site.read("events/somewhere/index.html"),
        "somewhere",
        &mut seen,
    );
    assert!(of_type(&somewhere, "Event").is_empty());
    // The minimal site's own events are examples.
    let example = json_ld(&site.read("events/later/index.html"), "later", &mut seen);
    assert!(of_type(&example, "Event").is_empty());
    assert_eq!(seen.get("Event"), Some(&2));
}
