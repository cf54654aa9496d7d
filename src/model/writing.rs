//! The written content around the footprints: IDCR stories, events and plain pages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::routes::{RESERVED_EVENT_SLUGS, RESERVED_STORY_SLUGS, reserved_page_slugs};
use super::{
    EventKind, EventTime, MarkdownSource, OdsCode, Registry, Review, checked_link, dated, dates,
    region_help, resolve_code, review_dates, slug_checked, slug_problem,
};
use crate::diagnostic::{Diagnostic, Diagnostics, closest};
use crate::load::Document;
use crate::load::schema::{EventFront, PageFront, StoryFront};

#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub slug: String,
    pub title: String,
    pub date: NaiveDate,
    pub summary: Option<String>,
    /// Slugs of live footprints.
    pub footprints: Vec<String>,
    pub organisations: Vec<OdsCode>,
    pub tags: Vec<String>,
    /// Illustrative, not a real account: the page says so.
    pub example: bool,
    pub review: Review,
    pub body: MarkdownSource,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub slug: String,
    pub title: String,
    pub start: EventTime,
    pub end: Option<EventTime>,
    pub kind: EventKind,
    pub region: Option<String>,
    pub location: Option<String>,
    pub register: Option<String>,
    pub organiser: Option<String>,
    pub summary: Option<String>,
    pub example: bool,
    pub review: Review,
    pub body: MarkdownSource,
}

impl Event {
    /// Whether the event is still to come (or under way) on `today`.
    pub fn is_upcoming(&self, today: NaiveDate) -> bool {
        self.end.unwrap_or(self.start).date() >= today
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub menu_order: Option<u32>,
    pub review: Review,
    pub body: MarkdownSource,
}

fn review_of(
    document: &Document<impl Sized>,
    reviewed: Option<&toml::Spanned<toml::value::Datetime>>,
    due: Option<&toml::Spanned<toml::value::Datetime>>,
    problems: &mut Diagnostics,
) -> Review {
    review_dates(
        reviewed,
        due,
        &document.file,
        document.front_offset,
        problems,
    )
}

/// The tags of one story, refusing a tag that makes the same tag page as one before it
/// (`NHS` and `nhs`, `Café` and `cafe`): the story would list one tag twice.
fn distinct_tags(
    tags: Vec<&toml::Spanned<String>>,
    locate: super::Locate,
    problems: &mut Diagnostics,
) -> Vec<String> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut distinct = Vec::new();
    for tag in tags {
        let slug = super::slugify(tag.get_ref());
        if let Some(first) = seen.get(&slug) {
            problems.push(
                Diagnostic::error(format!(
                    "tags `{first}` and `{}` are one tag, `{slug}`",
                    tag.get_ref()
                ))
                .at(locate(tag.span()))
                .label(format!("the same tag page as `{first}`"))
                .help("tags that differ only in case, accents or punctuation make one tag page: write the tag once"),
            );
            continue;
        }
        seen.insert(slug, tag.get_ref());
        distinct.push(tag.get_ref().clone());
    }
    distinct
}

fn body_of<F>(document: &Document<F>) -> MarkdownSource {
    MarkdownSource {
        file: document.file.clone(),
        start: document.body_offset,
        links: Default::default(),
    }
}

/// Drops every document whose file name makes the slug of an earlier one, naming both files
/// and the one to rename: which of two files would be published must not depend on the order
/// of a folder listing.
fn unique_slugs<F>(
    documents: Vec<Document<F>>,
    kind: &str,
    problems: &mut Diagnostics,
) -> Vec<Document<F>> {
    let mut first_of: HashMap<String, PathBuf> = Default::default();
    let mut kept = Vec::with_capacity(documents.len());
    for document in documents {
        let path = &document.file.path;
        if let Some(problem) = slug_problem(&document.slug) {
            problems.push(
                Diagnostic::error(format!("this {kind} file's name cannot be made into an address"))
                    .in_file(path)
                    .help(format!("{problem}: rename the file with letters, digits and hyphens, under {} characters", super::MAX_SLUG)),
            );
            continue;
        }
        match first_of.get(&document.slug) {
            Some(first) => problems.push(slug_clash(first, path, &document.slug, kind)),
            None => {
                first_of.insert(document.slug.clone(), path.clone());
                kept.push(document);
            }
        }
    }
    kept
}

fn slug_clash(first: &Path, second: &Path, slug: &str, kind: &str) -> Diagnostic {
    let name = |path: &Path| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    // The file whose name is not already the slug is the one to rename.
    let rename = if name(first) != format!("{slug}.md") {
        first
    } else {
        second
    };
    Diagnostic::error(format!(
        "two {kind} files make the same address, `{slug}`: {} and {}",
        first.display(),
        second.display()
    ))
    .in_file(second)
    .help(format!(
        "file names become addresses (lower case, spaces and punctuation as hyphens): rename {}",
        rename.display()
    ))
}

fn reserved_slug<F>(document: &Document<F>, reserved: &[&str], problems: &mut Diagnostics) -> bool {
    if !reserved.contains(&document.slug.as_str()) {
        return false;
    }
    problems.push(
        Diagnostic::error(format!(
            "`{}` cannot be used as a file name here",
            document.slug
        ))
        .in_file(&document.file.path)
        .help("the site uses this address for its filtered lists; rename the file"),
    );
    true
}

pub fn resolve_stories(
    documents: Vec<Document<StoryFront>>,
    registry: &Registry,
    footprint_slugs: &[&str],
    problems: &mut Diagnostics,
) -> Vec<Story> {
    let mut stories = Vec::new();
    for document in unique_slugs(documents, "story", problems) {
        if reserved_slug(&document, &RESERVED_STORY_SLUGS, problems) {
            continue;
        }
        let locate = |span| document.locate(span);
        let front = &document.front;
        for slug in &front.footprints {
            if !footprint_slugs.contains(&slug.get_ref().as_str()) {
                // After a question, the next sentence starts with a capital.
                let named = "named by their folder under content/footprints/";
                let help = match closest(slug.get_ref(), footprint_slugs.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? Footprints are {named}"),
                    None => format!("footprints are {named}"),
                };
                problems.push(
                    Diagnostic::error(format!("unknown footprint `{}`", slug.get_ref()))
                        .at(locate(slug.span()))
                        .label("no folder content/footprints/ of this name")
                        .help(help),
                );
            }
        }
        let organisations = front
            .organisations
            .iter()
            .filter_map(|code| resolve_code(code, registry, &locate, problems))
            .collect();
        let date = dated_in(&document, &front.date, dates::calendar_date, problems);
        let Some(date) = date else { continue };
        stories.push(Story {
            slug: document.slug.clone(),
            title: front.title.clone(),
            date,
            summary: front.summary.clone(),
            footprints: front
                .footprints
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
            organisations,
            tags: {
                let usable: Vec<_> = front
                    .tags
                    .iter()
                    .filter(|tag| slug_checked(tag, "tag", &locate, problems))
                    .collect();
                distinct_tags(usable, &locate, problems)
            },
            example: front.example,
            review: review_of(
                &document,
                front.reviewed.as_ref(),
                front.review_due.as_ref(),
                problems,
            ),
            body: body_of(&document),
        });
    }
    in_story_order(&mut stories);
    stories
}

/// Front-matter spans count from the front matter; [`dated`] wants them in the whole file.
fn dated_in<F, T>(
    document: &Document<F>,
    value: &toml::Spanned<toml::value::Datetime>,
    convert: fn(&toml::value::Datetime) -> Result<T, dates::DateProblem>,
    problems: &mut Diagnostics,
) -> Option<T> {
    let shifted = toml::Spanned::new(
        document.front_offset + value.span().start..document.front_offset + value.span().end,
        *value.get_ref(),
    );
    dated(&shifted, &document.file, convert, problems)
}

pub fn resolve_events(
    documents: Vec<Document<EventFront>>,
    regions: &[String],
    problems: &mut Diagnostics,
) -> Vec<Event> {
    let mut events = Vec::new();
    for document in unique_slugs(documents, "event", problems) {
        if reserved_slug(&document, &RESERVED_EVENT_SLUGS, problems) {
            continue;
        }
        let front = &document.front;
        if let Some(region) = &front.region
            && !regions.contains(region.get_ref())
        {
            problems.push(
                Diagnostic::error(format!("unknown region `{}`", region.get_ref()))
                    .at(document.locate(region.span()))
                    .help(region_help(region.get_ref(), regions)),
            );
        }
        let start = dated_in(&document, &front.start, dates::event_time, problems);
        let end = front
            .end
            .as_ref()
            .map(|end| (end, dated_in(&document, end, dates::event_time, problems)));
        let (Some(start), end) = (start, end) else {
            continue;
        };
        let end = match end {
            Some((_, None)) => continue,
            Some((spanned, Some(end))) if end < start => {
                problems.push(
                    Diagnostic::error("the event ends before it starts")
                        .at(document.locate(spanned.span()))
                        .help("`end` must be the same as or later than `start`"),
                );
                continue;
            }
            Some((_, Some(end))) => Some(end),
            None => None,
        };
        events.push(Event {
            slug: document.slug.clone(),
            title: front.title.clone(),
            start,
            end,
            kind: front.kind,
            region: front.region.as_ref().map(|r| r.get_ref().clone()),
            location: front.location.clone(),
            register: front
                .register
                .as_ref()
                .and_then(|r| checked_link(r, &|span| document.locate(span), problems)),
            organiser: front.organiser.clone(),
            summary: front.summary.clone(),
            example: front.example,
            review: review_of(
                &document,
                front.reviewed.as_ref(),
                front.review_due.as_ref(),
                problems,
            ),
            body: body_of(&document),
        });
    }
    in_event_order(&mut events);
    events
}

pub fn resolve_pages(documents: Vec<Document<PageFront>>, problems: &mut Diagnostics) -> Vec<Page> {
    let mut pages = Vec::new();
    for document in unique_slugs(documents, "page", problems) {
        if reserved_page_slugs().any(|name| name == document.slug) {
            problems.push(
                Diagnostic::error(format!("a page cannot be called `{}`", document.slug))
                    .in_file(&document.file.path)
                    .help(format!(
                        "/{}/ is a section of the site; rename the page file",
                        document.slug
                    )),
            );
            continue;
        }
        pages.push(Page {
            slug: document.slug.clone(),
            title: document.front.title.clone(),
            description: document.front.description.clone(),
            menu_order: document.front.menu_order,
            review: review_of(
                &document,
                document.front.reviewed.as_ref(),
                document.front.review_due.as_ref(),
                problems,
            ),
            body: body_of(&document),
        });
    }
    pages
}

/// Stories newest first, as every list shows them.
pub(super) fn in_story_order(stories: &mut [Story]) {
    stories.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
}

/// Events soonest first, as every list shows them.
pub(super) fn in_event_order(events: &mut [Event]) {
    events.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.slug.cmp(&b.slug)));
}
