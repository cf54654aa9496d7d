//! schema.org JSON-LD for what search engines show: a page's place in the site
//! (`BreadcrumbList`), events (`Event`), organisations (`GovernmentOrganization` or
//! `Organization`, with their ODS or GSS code) and the open data (`Dataset`). Built here
//! rather than in templates, so that every value is JSON-escaped by serde.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::{Value, json};

use crate::model::{Event, EventKind, EventTime, Organisation, OrganisationKind, Site};

/// The Open Government Licence v3.0, under which the site's data is published.
pub const OGL: &str = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

/// The JSON-LD of a page from its nodes, ready to go between `<script>` tags: `<` is
/// written as `\u003c`, so no value can close the element.
pub fn script_text(nodes: Vec<Value>) -> Option<String> {
    if nodes.is_empty() {
        return None;
    }
    // Built and written directly: `json!` would copy every node once more, and `Display`
    // writes through a formatter; this was 4% of a build's time.
    let document = Value::Object(serde_json::Map::from_iter([
        ("@context".to_string(), Value::from("https://schema.org")),
        ("@graph".to_string(), Value::Array(nodes)),
    ]));
    let text = serde_json::to_string(&document).ok()?;
    Some(match text.contains('<') {
        true => text.replace('<', "\\u003c"),
        false => text,
    })
}

/// Home, the page's ancestors (`(name, path)`), then the page itself.
pub fn breadcrumb_list(site: &Site, ancestors: &[(String, String)], here: (&str, &str)) -> Value {
    let base = &site.config.base_url;
    let items: Vec<Value> = std::iter::once(("Home", "/"))
        .chain(ancestors.iter().map(|(n, p)| (n.as_str(), p.as_str())))
        .chain(std::iter::once(here))
        .enumerate()
        .map(|(i, (name, path))| {
            json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": format!("{base}{path}") })
        })
        .collect();
    // Not `json!`, which would copy every item once more.
    Value::Object(serde_json::Map::from_iter([
        ("@type".to_string(), Value::from("BreadcrumbList")),
        ("itemListElement".to_string(), Value::Array(items)),
    ]))
}

/// An organisation, identified by its ODS code (or a council by its GSS code).
pub fn organisation(site: &Site, organisation: &Organisation, path: &str) -> Value {
    let kind = match organisation.kind {
        OrganisationKind::Other => "Organization",
        _ => "GovernmentOrganization",
    };
    json!({
        "@type": kind,
        "name": organisation.name,
        "url": format!("{}{path}", site.config.base_url),
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": organisation.code_scheme(),
            "value": organisation.code.as_str(),
        },
    })
}

/// An event, when search engines may list it: not an illustrative example, and with a
/// place (its `location`) or online. Search engines require a location, and the content
/// is not guessed at, so an event that records none is not offered to them.
pub fn event(site: &Site, event: &Event, path: &str) -> Option<Value> {
    if event.example {
        return None;
    }
    let url = format!("{}{path}", site.config.base_url);
    let (mode, location) = match (event.kind, &event.location) {
        (EventKind::Virtual, _) => (
            "https://schema.org/OnlineEventAttendanceMode",
            json!({ "@type": "VirtualLocation", "url": event.register.clone().unwrap_or_else(|| url.clone()) }),
        ),
        (_, Some(place)) => (
            "https://schema.org/OfflineEventAttendanceMode",
            json!({ "@type": "Place", "name": place, "address": place }),
        ),
        (_, None) => return None,
    };
    let mut node = json!({
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": schema_time(event.start),
        "eventAttendanceMode": mode,
        "location": location,
    });
    if let Some(end) = event.end {
        node["endDate"] = json!(schema_time(end));
    }
    if let Some(summary) = &event.summary {
        node["description"] = json!(summary);
    }
    if let Some(organiser) = &event.organiser {
        node["organizer"] = json!({ "@type": "Organization", "name": organiser });
    }
    Some(node)
}

/// `/data/footprints.json` and `/data/organisations.csv`, for dataset search.
pub fn datasets(site: &Site) -> Vec<Value> {
    let config = &site.config;
    let base = &config.base_url;
    // The publisher where site.toml names one; otherwise the site itself, by its title.
    let creator = json!({
        "@type": "Organization",
        "name": config.publisher.as_deref().unwrap_or(&config.title),
        "url": format!("{base}/"),
    });
    let dataset = |name: &str, description: String, file: &str, format: &str| {
        json!({
            "@type": "Dataset",
            "name": name,
            "description": description,
            "url": format!("{base}/data/"),
            "license": OGL,
            "isAccessibleForFree": true,
            "creator": creator,
            "spatialCoverage": "England",
            "dateModified": config.now.to_string(),
            "distribution": [{
                "@type": "DataDownload",
                "contentUrl": format!("{base}{file}"),
                "encodingFormat": format,
            }],
        })
    };
    vec![
        dataset(
            "Local Digital Roadmap footprints",
            "The Local Digital Roadmap footprints of England: each footprint's code, region, Sustainability and Transformation Plan, lead and partner CCGs, member organisations and universal capability plans, as one JSON file described by a JSON Schema.".into(),
            "/data/footprints.json",
            "application/json",
        ),
        dataset(
            "Organisations in Local Digital Roadmap footprints",
            "The organisations of the Local Digital Roadmap footprints (clinical commissioning groups, NHS trusts, local authorities and others), with their ODS or GSS code, kind, NHS England region and footprints, as a CSV file.".into(),
            "/data/organisations.csv",
            "text/csv",
        ),
    ]
}

/// A date, or a UK local time with its offset from UTC (schema.org wants the offset).
fn schema_time(time: EventTime) -> String {
    match time {
        EventTime::Day(day) => day.to_string(),
        EventTime::At(at) => format!("{}{}", at.format("%Y-%m-%dT%H:%M:%S"), london_offset(at)),
    }
}

/// Europe/London: British Summer Time from 01:00 UTC on the last Sunday of March to
/// 01:00 UTC on the last Sunday of October (the rule of the calendars' VTIMEZONE). A local
/// time is compared by its wall clock: 01:00 to 02:00 on the March day does not exist and
/// 01:00 to 02:00 on the October day happens twice (taken as summer time).
fn london_offset(local: NaiveDateTime) -> &'static str {
    let year = local.year();
    let starts = last_sunday(year, 3).and_hms_opt(1, 0, 0).expect("a time");
    let ends = last_sunday(year, 10).and_hms_opt(2, 0, 0).expect("a time");
    if local >= starts && local < ends {
        "+01:00"
    } else {
        "+00:00"
    }
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next_month = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("a date");
    let last = next_month.pred_opt().expect("a date");
    let back = last.weekday().num_days_from_sunday();
    last - chrono::Duration::days(back.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    #[test]
    fn no_value_can_close_the_script_element() {
        let node = json!({ "@type": "Event", "name": "Board </script><script>alert(1)" });
        let text = script_text(vec![node]).unwrap();
        assert!(!text.contains('<'), "{text}");
        let read: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(read["@context"], "https://schema.org");
        assert_eq!(read["@graph"][0]["name"], "Board </script><script>alert(1)");
        assert_eq!(script_text(Vec::new()), None);
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn uk_local_times_carry_the_offset_of_their_season() {
        assert_eq!(
            last_sunday(2016, 3),
            NaiveDate::from_ymd_opt(2016, 3, 27).unwrap()
        );
        assert_eq!(
            last_sunday(2016, 10),
            NaiveDate::from_ymd_opt(2016, 10, 30).unwrap()
        );
        assert_eq!(last_sunday(2016, 3).weekday(), Weekday::Sun);
        assert_eq!(london_offset(at("2016-03-09T10:00")), "+00:00");
        assert_eq!(london_offset(at("2016-03-27T00:59")), "+00:00");
        assert_eq!(london_offset(at("2016-03-27T02:00")), "+01:00");
        assert_eq!(london_offset(at("2015-10-14T10:00")), "+01:00");
        assert_eq!(london_offset(at("2016-10-30T01:30")), "+01:00");
        assert_eq!(london_offset(at("2016-10-30T02:00")), "+00:00");
        assert_eq!(london_offset(at("2027-02-10T14:00")), "+00:00");
    }

    #[test]
    fn a_value_cannot_close_the_script_element() {
        let text = script_text(vec![
            json!({ "name": "</script><script>alert(1)</script>" }),
        ])
        .unwrap();
        assert!(!text.contains('<'), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back["@graph"][0]["name"],
            "</script><script>alert(1)</script>"
        );
    }
}
