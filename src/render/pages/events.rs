//! The event family: `/events/` and its filtered lists (by kind, by region), and each
//! event's page.

use serde::Serialize;

use super::{PageVars, Place};
use crate::model::routes::{EventList, Route, event_kind_slug};
use crate::model::{Event, Site};
use crate::render::structured_data;
use crate::render::views::{EventView, event_view, review_view};

#[derive(Serialize)]
struct Month {
    month: String,
    events: Vec<EventView>,
}

#[derive(Serialize)]
struct FilterLink {
    label: String,
    url: String,
    current: bool,
}

/// `/events/` or one of its filtered lists: upcoming and past events by month, and links
/// to the other filters.
pub(super) fn listing(page: &mut PageVars, filter: &EventList) -> Option<Place> {
    let site = page.site;
    let (upcoming, past): (Vec<EventView>, Vec<EventView>) = site
        .events
        .iter()
        .filter(|e| filter.keeps(e))
        .map(|e| event_view(site, e))
        .partition(|e| e.upcoming);
    let links: Vec<FilterLink> = every_filter(site)
        .into_iter()
        .map(|f| FilterLink {
            label: match f {
                EventList::All => "All events".into(),
                ref other => heading(other),
            },
            current: f == *filter,
            url: Route::Events(f).url(),
        })
        .collect();
    page.vars.insert("heading", &heading(filter));
    page.vars.insert("filters", &links);
    page.vars.insert("upcoming", &by_month(upcoming));
    page.vars
        .insert("past", &by_month(past.into_iter().rev().collect()));
    Some(Place::named(&heading(filter)))
}

/// An event's page.
pub(super) fn event(page: &mut PageVars, event: &Event) -> Option<Place> {
    let site = page.site;
    let body = page.prose_html(&event.body);
    page.vars.insert("event", &event_view(site, event));
    page.vars.insert("review", &review_view(event.review));
    page.vars.insert("body", &body);
    Some(Place {
        name: event.title.clone(),
        about: structured_data::event(site, event, &page.current)
            .into_iter()
            .collect(),
    })
}

/// Every filter of the event list, in the order the list offers them.
fn every_filter(site: &Site) -> Vec<EventList> {
    Route::every(site)
        .into_iter()
        .filter_map(|route| match route {
            Route::Events(filter) => Some(filter),
            _ => None,
        })
        .collect()
}

fn heading(filter: &EventList) -> String {
    match filter {
        EventList::All => "Events".into(),
        EventList::Kind(kind) => format!("{} events", capitalised(event_kind_slug(*kind))),
        EventList::Region(region) => format!("Events in {}", crate::words::region_phrase(region)),
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Groups events by month, keeping their order.
fn by_month(events: Vec<EventView>) -> Vec<Month> {
    let mut months: Vec<Month> = Vec::new();
    for event in events {
        match months.last_mut() {
            Some(last) if last.month == event.month => last.events.push(event),
            _ => months.push(Month {
                month: event.month.clone(),
                events: vec![event],
            }),
        }
    }
    months
}
