//! The site's URL scheme in one table: every kind of page and generated file, its address,
//! the file it is written to, the template that renders it, and whether the sitemap lists
//! it. Rendering, the link checker, the reserved names, the sitemap and the navigation all
//! read this table, so a link that passes the checker lands on a file the build makes.
//!
//! Adding a page kind: a variant here (its address in [`Route::url`], its template in
//! [`Route::template`], its place in [`Route::every`]), its inputs in `model::inputs`,
//! and its context in one of `render::pages`' families.

use super::{EventKind, OdsCode, Site};
use crate::slug::slugify;

/// The folder under `/stories/` that holds the tag listings; no story may be called this.
const TAGS: &str = "tags";
/// The folders under `/events/` that hold the filtered listings.
const KIND: &str = "kind";
const REGION: &str = "region";

/// Story slugs the site's own story addresses take.
pub const RESERVED_STORY_SLUGS: [&str; 1] = [TAGS];
/// Event slugs the site's own event addresses take.
pub const RESERVED_EVENT_SLUGS: [&str; 2] = [KIND, REGION];

/// Where the theme's static files are copied: a page may not be called this either.
pub const STATIC_DIR: &str = "static";

/// One file of the site that ldr makes (copied files, attachments and the search index's
/// files are not routes: they are served as they are).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    /// `/`.
    Home,
    /// `/footprints/`: every footprint by region.
    Footprints,
    /// A footprint's page, by its slug.
    Footprint(String),
    /// The old address of a footprint merged into another: a redirect to it.
    MergedFootprint {
        /// The old slug.
        old: String,
        /// The slug of the footprint it became part of.
        into: String,
    },
    /// `/organisations/`: the register A to Z.
    Organisations,
    /// An organisation's page, by its code.
    Organisation(OdsCode),
    /// `/stories/`.
    Stories,
    /// The stories with one tag, by the tag's slug.
    StoryTag(String),
    /// A story's page, by its slug.
    Story(String),
    /// `/events/`, or one of its filtered lists.
    Events(EventList),
    /// An event's page, by its slug.
    Event(String),
    /// An event's own calendar file.
    EventCalendar(String),
    /// `/capabilities/`: the universal capabilities matrix and maps.
    Capabilities,
    /// `/digital-maturity/`: the national picture of the self-assessment.
    DigitalMaturity,
    /// A plain content page, by its slug.
    Page(String),
    /// `/search/`.
    Search,
    /// The site's 404 page.
    NotFound,
    /// The accessibility statement, unless the site has a page of that name.
    Accessibility,
    /// The privacy notice, unless the site has a page of that name.
    Privacy,
    /// `/data/`: the open data files, described.
    OpenData,
    /// `/sitemap.xml`.
    Sitemap,
    /// `/robots.txt`.
    Robots,
    /// `/data/footprints.json`.
    FootprintsJson,
    /// `/data/footprints.schema.json`.
    FootprintsSchema,
    /// `/data/organisations.csv`.
    OrganisationsCsv,
    /// `/data/digital-maturity.csv`.
    DigitalMaturityCsv,
    /// `/feed.xml`: stories and events as Atom.
    Feed,
    /// `/events.ics`: every event as one calendar.
    Calendar,
}

/// A filter of the event list; each has its own page, so filtering needs no JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventList {
    /// Every event.
    All,
    /// The events of one kind.
    Kind(EventKind),
    /// The events of one region, by its name in `site.toml`.
    Region(String),
}

impl EventList {
    /// Whether the list shows `event`.
    pub fn keeps(&self, event: &super::Event) -> bool {
        match self {
            EventList::All => true,
            EventList::Kind(kind) => event.kind == *kind,
            EventList::Region(region) => event.region.as_deref() == Some(region),
        }
    }
}

/// The sections of the site in its navigation, in order, with their titles; the pages
/// with a `menu_order` follow them.
pub const NAVIGATION: [(&str, Route); 6] = [
    ("Footprints", Route::Footprints),
    ("Organisations", Route::Organisations),
    ("Stories", Route::Stories),
    ("Events", Route::Events(EventList::All)),
    ("Capabilities", Route::Capabilities),
    ("Digital maturity", Route::DigitalMaturity),
];

/// The routes every site has, whatever its content.
const FIXED: [Route; 20] = [
    Route::Home,
    Route::Footprints,
    Route::Organisations,
    Route::Stories,
    Route::Events(EventList::All),
    Route::Events(EventList::Kind(EventKind::National)),
    Route::Events(EventList::Kind(EventKind::Regional)),
    Route::Events(EventList::Kind(EventKind::Virtual)),
    Route::Capabilities,
    Route::DigitalMaturity,
    Route::Search,
    Route::NotFound,
    Route::OpenData,
    Route::Sitemap,
    Route::Robots,
    Route::FootprintsJson,
    Route::FootprintsSchema,
    Route::OrganisationsCsv,
    Route::DigitalMaturityCsv,
    Route::Feed,
];

impl Route {
    /// Every route of `site`: pages first (in the order they are rendered), then the
    /// generated files.
    pub fn every(site: &Site) -> Vec<Route> {
        let mut routes: Vec<Route> = FIXED.to_vec();
        routes.push(Route::Calendar);
        // A site's own page of the same name replaces the generated one.
        let has_page = |slug: &str| site.pages.iter().any(|p| p.slug == slug);
        for (generated, slug) in Route::REPLACEABLE {
            if !has_page(slug) {
                routes.push(generated);
            }
        }
        routes.extend(
            site.config
                .regions
                .iter()
                .map(|r| Route::Events(EventList::Region(r.clone()))),
        );
        routes.extend(story_tags(site).into_keys().map(Route::StoryTag));
        for footprint in &site.footprints {
            routes.push(Route::Footprint(footprint.slug.clone()));
            routes.extend(
                footprint
                    .merged_from
                    .iter()
                    .map(|old| Route::MergedFootprint {
                        old: old.clone(),
                        into: footprint.slug.clone(),
                    }),
            );
        }
        routes.extend(
            site.registry
                .iter()
                .map(|o| Route::Organisation(o.code.clone())),
        );
        routes.extend(site.stories.iter().map(|s| Route::Story(s.slug.clone())));
        for event in &site.events {
            routes.push(Route::Event(event.slug.clone()));
            routes.push(Route::EventCalendar(event.slug.clone()));
        }
        routes.extend(site.pages.iter().map(|p| Route::Page(p.slug.clone())));
        routes
    }

    /// The generated pages a content page of the same slug replaces.
    const REPLACEABLE: [(Route, &'static str); 2] = [
        (Route::Accessibility, "accessibility"),
        (Route::Privacy, "privacy"),
    ];

    /// The address the route is served at, from the site's root (`/footprints/devon/`).
    pub fn url(&self) -> String {
        match self {
            Route::Home => "/".into(),
            Route::Footprints => "/footprints/".into(),
            Route::Footprint(slug) => footprint_url(slug),
            Route::MergedFootprint { old, .. } => footprint_url(old),
            Route::Organisations => "/organisations/".into(),
            Route::Organisation(code) => organisation_url(code.as_str()),
            Route::Stories => "/stories/".into(),
            Route::StoryTag(tag) => format!("/stories/{TAGS}/{tag}/"),
            Route::Story(slug) => story_url(slug),
            Route::Events(EventList::All) => "/events/".into(),
            Route::Events(EventList::Kind(kind)) => {
                format!("/events/{KIND}/{}/", event_kind_slug(*kind))
            }
            Route::Events(EventList::Region(region)) => {
                format!("/events/{REGION}/{}/", slugify(region))
            }
            Route::Event(slug) => event_url(slug),
            Route::EventCalendar(slug) => format!("/events/{slug}.ics"),
            Route::Capabilities => "/capabilities/".into(),
            Route::DigitalMaturity => "/digital-maturity/".into(),
            Route::Page(slug) => page_url(slug),
            Route::Search => "/search/".into(),
            Route::NotFound => "/404.html".into(),
            Route::Accessibility => "/accessibility/".into(),
            Route::Privacy => "/privacy/".into(),
            Route::OpenData => "/data/".into(),
            Route::Sitemap => "/sitemap.xml".into(),
            Route::Robots => "/robots.txt".into(),
            Route::FootprintsJson => "/data/footprints.json".into(),
            Route::FootprintsSchema => "/data/footprints.schema.json".into(),
            Route::OrganisationsCsv => "/data/organisations.csv".into(),
            Route::DigitalMaturityCsv => "/data/digital-maturity.csv".into(),
            Route::Feed => "/feed.xml".into(),
            Route::Calendar => "/events.ics".into(),
        }
    }

    /// The file the route is written to, relative to the output folder: an address that
    /// ends in `/` is a folder with an `index.html`.
    pub fn output_path(&self) -> String {
        output_path_of(&self.url())
    }

    /// The Tera template that renders the route, for pages; generated files have none.
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
            Route::Home => "index.html",
            Route::Footprints => "footprints.html",
            Route::Footprint(_) => "footprint.html",
            Route::MergedFootprint { .. } => "redirect.html",
            Route::Organisations => "organisations.html",
            Route::Organisation(_) => "organisation.html",
            Route::Stories | Route::StoryTag(_) => "stories.html",
            Route::Story(_) => "story.html",
            Route::Events(_) => "events.html",
            Route::Event(_) => "event.html",
            Route::Capabilities => "capabilities.html",
            Route::DigitalMaturity => "digital-maturity.html",
            Route::Page(_) => "page.html",
            Route::Search => "search.html",
            Route::NotFound => "404.html",
            Route::Accessibility => "accessibility.html",
            Route::Privacy => "privacy.html",
            Route::OpenData => "data.html",
            Route::EventCalendar(_)
            | Route::Sitemap
            | Route::Robots
            | Route::FootprintsJson
            | Route::FootprintsSchema
            | Route::OrganisationsCsv
            | Route::DigitalMaturityCsv
            | Route::Feed
            | Route::Calendar => return None,
        })
    }

    /// Whether the route is a page that the sitemap lists: not the 404 page, and not a
    /// merged footprint's redirect.
    pub fn in_sitemap(&self) -> bool {
        self.template().is_some()
            && !matches!(self, Route::NotFound | Route::MergedFootprint { .. })
    }

    /// The section a page sits in, for its breadcrumbs.
    pub fn section(&self) -> Option<Route> {
        match self {
            Route::Footprint(_) => Some(Route::Footprints),
            Route::Organisation(_) => Some(Route::Organisations),
            Route::Story(_) | Route::StoryTag(_) => Some(Route::Stories),
            Route::Event(_) | Route::Events(EventList::Kind(_) | EventList::Region(_)) => {
                Some(Route::Events(EventList::All))
            }
            _ => None,
        }
    }
}

/// The top-level names the site's own sections take: a content page may not be called
/// one of them (the accessibility statement and privacy notice excepted, which a page of
/// that name replaces).
pub fn reserved_page_slugs() -> impl Iterator<Item = String> {
    FIXED
        .iter()
        .filter_map(|route| {
            let url = route.url();
            let first = url.trim_start_matches('/').split('/').next()?.to_string();
            // "/404.html" reserves "404"; "/sitemap.xml" and the like reserve no folder.
            let name = first.strip_suffix(".html").unwrap_or(&first).to_string();
            (!name.is_empty() && !name.contains('.')).then_some(name)
        })
        .chain([STATIC_DIR.to_string()])
}

/// The file an address is written to: `/x/` is `x/index.html`, `/x.ics` is `x.ics`.
pub fn output_path_of(url: &str) -> String {
    let path = url.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// A footprint's address.
pub fn footprint_url(slug: &str) -> String {
    format!("/footprints/{slug}/")
}

/// An organisation's address.
pub fn organisation_url(code: &str) -> String {
    format!("/organisations/{code}/")
}

/// A story's address.
pub fn story_url(slug: &str) -> String {
    format!("/stories/{slug}/")
}

/// An event's address.
pub fn event_url(slug: &str) -> String {
    format!("/events/{slug}/")
}

/// A content page's address.
pub fn page_url(slug: &str) -> String {
    format!("/{slug}/")
}

/// A footprint's attachment's address.
pub fn attachment_url(footprint: &str, file_name: &str) -> String {
    format!("/footprints/{footprint}/{file_name}")
}

/// An event kind as its address says it.
pub fn event_kind_slug(kind: EventKind) -> &'static str {
    match kind {
        EventKind::National => "national",
        EventKind::Regional => "regional",
        EventKind::Virtual => "virtual",
    }
}

/// Every tag used by a story, by its slug, with the spelling last met.
pub fn story_tags(site: &Site) -> std::collections::BTreeMap<String, String> {
    site.tags()
        .map(|(slug, name, _)| (slug.to_string(), name.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_files() {
        assert_eq!(Route::Home.output_path(), "index.html");
        assert_eq!(
            Route::Footprint("devon".into()).output_path(),
            "footprints/devon/index.html"
        );
        assert_eq!(Route::NotFound.output_path(), "404.html");
        assert_eq!(
            Route::EventCalendar("expo".into()).output_path(),
            "events/expo.ics"
        );
        assert_eq!(
            Route::Events(EventList::Region("North East".into())).url(),
            "/events/region/north-east/"
        );
    }

    #[test]
    fn the_sections_reserve_their_names() {
        let reserved: Vec<String> = reserved_page_slugs().collect();
        for name in [
            "footprints",
            "organisations",
            "stories",
            "events",
            "data",
            "search",
            "capabilities",
            "digital-maturity",
            "static",
            "404",
        ] {
            assert!(reserved.iter().any(|r| r == name), "{name}: {reserved:?}");
        }
        assert!(
            !reserved
                .iter()
                .any(|r| r == "accessibility" || r == "privacy")
        );
    }
}
