//! `/feed.xml`: an Atom feed of the stories and events, newest first.

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, TimeZone, Utc};

use crate::index::sitemap::xml_chars;
use crate::model::Site;
use crate::model::routes::{Route, event_url, story_url};
use crate::output::OutputFile;
use crate::render::{format_date, format_event_span};

const ENTRIES: usize = 50;

pub fn atom_feed(site: &Site) -> OutputFile {
    let base = &site.config.base_url;
    let mut entries: Vec<Entry> = site
        .stories
        .iter()
        .map(|story| {
            let what = if story.example {
                "Illustrative example story"
            } else {
                "Story"
            };
            entry(
                base,
                &story.title,
                &story_url(&story.slug),
                story.date,
                format!(
                    "{what}, {}. {}",
                    format_date(story.date),
                    story.summary.clone().unwrap_or_default()
                ),
            )
        })
        .chain(site.events.iter().map(|event| {
            let what = if event.example {
                "Illustrative example event"
            } else {
                "Event"
            };
            entry(
                base,
                &event.title,
                &event_url(&event.slug),
                event.start.date(),
                format!(
                    "{what}, {}. {}",
                    format_event_span(event.start, event.end),
                    event.summary.clone().unwrap_or_default()
                ),
            )
        }))
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(ENTRIES);
    let updated = entries
        .first()
        .map(|e| e.updated)
        .unwrap_or_else(|| midnight(site.config.now));
    let feed = Feed {
        title: Text::plain(xml_chars(&format!(
            "{}: stories and events",
            site.config.title
        ))),
        id: format!("{base}/feed.xml"),
        updated,
        authors: vec![Person {
            name: xml_chars(&site.config.title).into_owned(),
            ..Default::default()
        }],
        links: vec![
            Link {
                href: format!("{base}/feed.xml"),
                rel: "self".into(),
                ..Default::default()
            },
            Link {
                href: format!("{base}/"),
                rel: "alternate".into(),
                ..Default::default()
            },
        ],
        entries,
        ..Default::default()
    };
    OutputFile::bytes(Route::Feed.output_path(), feed.to_string())
}

fn entry(base: &str, title: &str, path: &str, date: NaiveDate, summary: String) -> Entry {
    let url = format!("{base}{path}");
    Entry {
        title: Text::plain(xml_chars(title)),
        id: url.clone(),
        updated: midnight(date),
        links: vec![Link {
            href: url,
            rel: "alternate".into(),
            ..Default::default()
        }],
        summary: Some(Text::plain(xml_chars(summary.trim()))),
        ..Default::default()
    }
}

fn midnight(date: NaiveDate) -> FixedDateTime {
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .fixed_offset()
}
