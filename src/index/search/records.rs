//! What search finds: every footprint, organisation, story, event and page as one record,
//! with its text split by how much a match in it should count.

use pulldown_cmark::{Event as MdEvent, Parser, TagEnd};
use rayon::prelude::*;
use serde::Serialize;

use crate::model::routes::{
    Route, event_url, footprint_url, organisation_url, page_url, story_url,
};
use crate::model::{
    Event, Footprint, MarkdownSource, Organisation, OrganisationKind, Page, Site, Story,
};
use crate::render::{format_date, format_event_span};

/// The kinds of record, in the order results of equal score are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Footprint,
    Organisation,
    Story,
    Event,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Footprint,
        Kind::Organisation,
        Kind::Story,
        Kind::Event,
        Kind::Page,
    ];
}

/// One thing search can find.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRecord {
    pub kind: Kind,
    /// An organisation's kind, so that a query saying `ccg`, `trust` or `council` can put
    /// that kind first (organisations are numbered by it, and the manifest has its ranges).
    pub organisation_kind: Option<OrganisationKind>,
    /// The site path, without the base URL's prefix.
    pub url: String,
    pub title: String,
    /// The ODS or GSS code of an organisation, the code of a footprint.
    pub code: Option<String>,
    /// A line of facts under the title: an organisation's kind, a story's date, an event's
    /// time and place.
    pub detail: String,
    /// What the result quotes: a summary or description, or the start of the body.
    pub excerpt: String,
    /// The footprints an organisation belongs to, or a story is about, by name.
    pub footprints: Vec<String>,
    /// NHS England regions, for the region filter.
    pub regions: Vec<String>,
    /// Other words worth more than body text: tags, places, people, the kind of body.
    pub keywords: Vec<String>,
    /// The body, as plain text.
    pub text: String,
}

/// Every record of the site: footprints, organisations, stories, events, pages.
pub fn search_records(site: &Site) -> Vec<SearchRecord> {
    let mut records: Vec<SearchRecord> = site.footprints.par_iter().map(footprint_record).collect();
    // Illustrative example organisations are reached from their example footprint only.
    let organisations: Vec<_> = site.registry.real().collect();
    records.par_extend(
        organisations
            .par_iter()
            .map(|o| organisation_record(site, o)),
    );
    records.par_extend(site.stories.par_iter().map(|s| story_record(site, s)));
    records.par_extend(site.events.par_iter().map(event_record));
    records.par_extend(site.pages.par_iter().map(page_record));
    records
}

/// The record of a route's page, for the routes that have one (an illustrative
/// organisation has none: it is reached from its example footprint only).
pub fn record_of(site: &Site, route: &Route) -> Option<SearchRecord> {
    Some(match route {
        Route::Footprint(slug) => footprint_record(site.footprint_by_slug(slug)?),
        Route::Organisation(code) => {
            let organisation = site.registry.resolve(code.as_str())?;
            if organisation.example {
                return None;
            }
            organisation_record(site, organisation)
        }
        Route::Story(slug) => story_record(site, site.story_by_slug(slug)?),
        Route::Event(slug) => event_record(site.event_by_slug(slug)?),
        Route::Page(slug) => page_record(site.page_by_slug(slug)?),
        _ => return None,
    })
}

pub fn footprint_record(footprint: &Footprint) -> SearchRecord {
    let g = &footprint.governance;
    let people = [&g.senior_responsible_owner, &g.ccio, &g.clinical_lead];
    let mut keywords: Vec<String> = people.into_iter().flatten().cloned().collect();
    keywords.extend(footprint.stp.iter().cloned());
    keywords.extend(g.programme_board.iter().cloned());
    keywords.extend(footprint.milestones.iter().map(|m| m.title.clone()));
    keywords.push(footprint.region.clone());
    let text = footprint
        .roadmap
        .as_ref()
        .map(plain_text)
        .unwrap_or_default();
    SearchRecord {
        kind: Kind::Footprint,
        organisation_kind: None,
        url: footprint_url(&footprint.slug),
        title: footprint.name.clone(),
        code: Some(footprint.code.clone()),
        detail: format!(
            "{}, {} organisations",
            footprint.region,
            footprint.organisations().count()
        ),
        excerpt: excerpt_of(&text),
        footprints: Vec::new(),
        regions: vec![footprint.region.clone()],
        keywords,
        text,
    }
}

fn organisation_record(site: &Site, organisation: &Organisation) -> SearchRecord {
    let footprints: Vec<String> = site
        .footprints_of_organisation(&organisation.code)
        .map(|f| f.name.clone())
        .collect();
    SearchRecord {
        kind: Kind::Organisation,
        organisation_kind: Some(organisation.kind),
        url: organisation_url(organisation.code.as_str()),
        title: organisation.name.clone(),
        code: Some(organisation.code.to_string()),
        detail: organisation.kind_label(),
        excerpt: String::new(),
        footprints,
        regions: organisation.region.iter().cloned().collect(),
        keywords: organisation_keywords(organisation),
        text: String::new(),
    }
}

/// The words that say what an organisation is: its kind, and for a council "council" and the
/// kind of council its GSS code gives, so `warwickshire council` and `newham borough` find
/// the council the register names only by its area.
fn organisation_keywords(organisation: &Organisation) -> Vec<String> {
    let mut keywords = vec![organisation.kind.label().to_string()];
    if organisation.kind == OrganisationKind::LocalAuthority {
        keywords.push("council".to_string());
        keywords.extend(organisation.council_kind().map(|k| k.label().to_string()));
    }
    keywords
}

fn story_record(site: &Site, story: &Story) -> SearchRecord {
    let footprints: Vec<_> = story
        .footprints
        .iter()
        .filter_map(|slug| site.footprint_by_slug(slug))
        .collect();
    let mut regions: Vec<String> = footprints.iter().map(|f| f.region.clone()).collect();
    regions.sort();
    regions.dedup();
    let mut keywords = story.tags.clone();
    keywords.extend(story.summary.iter().cloned());
    keywords.extend(
        story
            .organisations
            .iter()
            .map(|c| site.registry.get(c).name.clone()),
    );
    let text = plain_text(&story.body);
    SearchRecord {
        kind: Kind::Story,
        organisation_kind: None,
        url: story_url(&story.slug),
        title: story.title.clone(),
        code: None,
        detail: format_date(story.date),
        excerpt: story.summary.clone().unwrap_or_else(|| excerpt_of(&text)),
        footprints: footprints.iter().map(|f| f.name.clone()).collect(),
        regions,
        keywords,
        text,
    }
}

fn event_record(event: &Event) -> SearchRecord {
    let when = format_event_span(event.start, event.end);
    let text = plain_text(&event.body);
    SearchRecord {
        kind: Kind::Event,
        organisation_kind: None,
        url: event_url(&event.slug),
        title: event.title.clone(),
        code: None,
        detail: match &event.location {
            Some(location) => format!("{when}, {location}"),
            None => when,
        },
        excerpt: event.summary.clone().unwrap_or_else(|| excerpt_of(&text)),
        footprints: Vec::new(),
        regions: event.region.iter().cloned().collect(),
        keywords: event
            .location
            .iter()
            .chain(&event.summary)
            .cloned()
            .collect(),
        text,
    }
}

fn page_record(page: &Page) -> SearchRecord {
    let text = plain_text(&page.body);
    SearchRecord {
        kind: Kind::Page,
        organisation_kind: None,
        url: page_url(&page.slug),
        title: page.title.clone(),
        code: None,
        detail: String::new(),
        excerpt: page
            .description
            .clone()
            .unwrap_or_else(|| excerpt_of(&text)),
        footprints: Vec::new(),
        regions: Vec::new(),
        keywords: page.description.iter().cloned().collect(),
        text,
    }
}

/// The words of a Markdown text without its markup.
fn plain_text(source: &MarkdownSource) -> String {
    let mut text = String::with_capacity(source.text().len());
    for event in Parser::new(source.text()) {
        match event {
            MdEvent::Text(t) | MdEvent::Code(t) => text.push_str(&t),
            MdEvent::SoftBreak | MdEvent::HardBreak => text.push(' '),
            // The end of a block separates words; the end of emphasis or a link does not.
            MdEvent::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => {}
            MdEvent::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

/// About two lines of text, cut at a word.
const EXCERPT_CHARS: usize = 200;

/// The start of a body, to quote when nothing shorter describes the record.
fn excerpt_of(text: &str) -> String {
    // Only the start is needed: a body can be thousands of words.
    let start = text
        .char_indices()
        .nth(EXCERPT_CHARS * 2)
        .map_or(text, |(i, _)| &text[..i]);
    let words = start.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() <= EXCERPT_CHARS && start.len() == text.len() {
        return words;
    }
    let cut: String = words.chars().take(EXCERPT_CHARS).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_the_start_cut_at_a_word() {
        assert_eq!(excerpt_of("  Short\n text. "), "Short text.");
        let long = "word ".repeat(100);
        let excerpt = excerpt_of(&long);
        assert!(excerpt.ends_with("word…"), "{excerpt}");
        assert!(excerpt.chars().count() <= EXCERPT_CHARS + 1);
    }
}
