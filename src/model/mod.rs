//! Stage 2: the typed site. References are resolved, back-links computed and everything
//! validated here, so rendering never meets a dangling code or an impossible date.

mod apply;
mod boundaries;
mod capability;
pub mod changes;
mod dates;
mod footprint;
pub mod html_policy;
pub mod inputs;
pub mod links;
pub mod maturity;
mod organisation;
mod raw_html;
mod real;
pub mod routes;
pub(crate) mod settings;
mod writing;

use std::collections::{BTreeMap, HashSet};

use rustc_hash::FxHashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use toml::Spanned;

pub use boundaries::FootprintShape;
pub use capability::Capability;
pub use dates::{EventTime, Review};
pub use footprint::{Footprint, Role};
pub use organisation::{OdsCode, Organisation, OrganisationKind, Registry};
pub use real::{Illustrative, may_list_on};
pub use writing::{Event, Page, Story};

use crate::diagnostic::{Diagnostic, Diagnostics, Location, closest};
pub use crate::load::schema::{CapabilityStatus, EventKind};
use crate::load::{Content, SourceFile};
pub(crate) use crate::slug::{MAX_SLUG, not_a_slug, slug_problem, slugify};

/// Settings of the whole site, from `site.toml` and the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    pub title: String,
    pub description: Option<String>,
    pub base_url: String,
    pub language: String,
    pub contact_email: Option<String>,
    pub publisher: Option<String>,
    /// `[accessibility]` of `site.toml`: when the site was last tested, and when the
    /// statement was prepared.
    pub accessibility_tested: Option<NaiveDate>,
    pub accessibility_prepared: Option<NaiveDate>,
    pub regions: Vec<String>,
    pub attribution: Vec<String>,
    /// "Today" for the build: what is upcoming and what is past.
    pub now: NaiveDate,
    pub theme: String,
    pub timeline: Vec<crate::load::schema::TimelineEntry>,
}

/// Markdown and where it came from, with its internal links already resolved to URLs.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkdownSource {
    pub file: SourceFile,
    pub start: usize,
    /// Link destination as written -> URL on the site.
    pub links: BTreeMap<String, String>,
}

impl MarkdownSource {
    pub fn text(&self) -> &str {
        &self.file.text[self.start..]
    }

    /// The one way Markdown is read: the check and the renderer must see the same events,
    /// or HTML that one reads as text the other could publish as markup.
    pub fn parser(&self) -> pulldown_cmark::Parser<'_> {
        use pulldown_cmark::Options;
        // No heading attributes (`## Title {.class onclick=x}`): they would carry classes and
        // attributes past the HTML policy; headings get their ids from their text.
        let options =
            Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
        pulldown_cmark::Parser::new_ext(self.text(), options)
    }
}

/// Every check a Markdown text gets: its HTML and addresses against the HTML policy, its
/// internal links against the site's pages. A full build and an edited roadmap under
/// `ldr serve` both come here, so both refuse the same things.
fn check_markdown(
    body: &mut MarkdownSource,
    paths: &HashSet<String>,
    content_root: &Path,
    problems: &mut Diagnostics,
) {
    raw_html::check_markdown(body, problems);
    body.links = links::check_body(body, paths, content_root, problems);
}

/// The whole site: every footprint, organisation, story, event and page once.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub registry: Registry,
    /// Providers' Digital Maturity Self-assessments, where the site records any.
    pub maturity: maturity::DigitalMaturity,
    /// The universal capabilities, in the order `capabilities.toml` gives them.
    pub capabilities: Vec<Capability>,
    pub footprints: Vec<Footprint>,
    /// Outlines for the map, for the footprints that have one.
    pub shapes: Vec<FootprintShape>,
    pub stories: Vec<Story>,
    pub events: Vec<Event>,
    pub pages: Vec<Page>,
    /// Back-links: the footprints each organisation belongs to, in footprint order.
    pub footprints_of: FxHashMap<OdsCode, Vec<usize>>,
    /// Indexes computed once, so no page scans every footprint or story (which made build
    /// time grow faster than the site).
    footprint_index: FxHashMap<String, usize>,
    story_index: FxHashMap<String, usize>,
    event_index: FxHashMap<String, usize>,
    stories_of_footprint: FxHashMap<String, Vec<usize>>,
    stories_of_organisation: FxHashMap<OdsCode, Vec<usize>>,
    /// By tag slug: the tag's spelling last met, and its stories in story order.
    stories_of_tag: TagIndex,
    pub template_overrides: Vec<SourceFile>,
    pub static_files: Vec<(PathBuf, PathBuf)>,
    /// `organisations.csv` as read, so that an edit of a few of its rows is read in those
    /// rows alone (`apply.rs`).
    register_file: SourceFile,
    /// Every address a Markdown link may point to, kept so that an edited file can be
    /// checked again without the rest of the site (an edit that adds or removes an
    /// address goes through a full load).
    link_targets: HashSet<String>,
}

/// What the command line can set over `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--base-url`: the address the site is published at.
    pub base_url: Option<String>,
    /// `--now`: "today" for the build.
    pub now: Option<NaiveDate>,
}

impl Site {
    /// Resolves and checks the loaded content; all problems are reported together.
    pub fn from_content(
        content: Content,
        overrides: &Overrides,
    ) -> Result<(Site, Diagnostics), Diagnostics> {
        let mut problems = content.warnings.clone();
        let config = site_config(&content, overrides, &mut problems);
        let mut registers = vec![organisation::Register {
            file: &content.organisations_file,
            rows: &content.organisations,
            example: false,
        }];
        if let Some((file, rows)) = &content.example_organisations {
            registers.push(organisation::Register {
                file,
                rows,
                example: true,
            });
        }
        let registry = Registry::from_rows(&registers, &config.regions, &mut problems);
        let maturity = maturity::DigitalMaturity::resolve(
            content.digital_maturity,
            &registry,
            config.now,
            &mut problems,
        );
        let capabilities = capability::resolve_capabilities(content.capabilities, &mut problems);
        let footprints = footprint::resolve_footprints(
            content.footprints,
            &registry,
            &config.regions,
            &capabilities,
            &mut problems,
        );
        let shapes = boundaries::match_boundaries(content.boundaries, &footprints, &mut problems);
        let slugs: Vec<&str> = footprints.iter().map(|f| f.slug.as_str()).collect();
        let stories = writing::resolve_stories(content.stories, &registry, &slugs, &mut problems);
        let events = writing::resolve_events(content.events, &config.regions, &mut problems);
        let pages = writing::resolve_pages(content.pages, &mut problems);
        let footprints_of = back_links(&footprints);
        let footprint_index = footprints
            .iter()
            .enumerate()
            .map(|(i, f)| (f.slug.clone(), i))
            .collect();
        let (stories_of_footprint, stories_of_organisation) = story_links(&stories);
        let stories_of_tag = tag_index(&stories);
        let story_index = positions(stories.iter().map(|s| &s.slug));
        let event_index = positions(events.iter().map(|e| &e.slug));
        let mut site = Site {
            config,
            registry,
            maturity,
            capabilities,
            footprints,
            shapes,
            stories,
            events,
            pages,
            footprints_of,
            footprint_index,
            story_index,
            event_index,
            stories_of_footprint,
            stories_of_organisation,
            stories_of_tag,
            template_overrides: content.template_overrides,
            register_file: content.organisations_file,
            static_files: content.static_files,
            link_targets: HashSet::new(),
        };
        links::resolve_links(&mut site, &content.root, &mut problems);
        problems.into_result(site)
    }

    pub fn footprint_by_slug(&self, slug: &str) -> Option<&Footprint> {
        self.footprint_index.get(slug).map(|&i| &self.footprints[i])
    }

    /// Where the footprint of a slug is in [`Site::footprints`].
    pub fn footprint_index_of(&self, slug: &str) -> Option<usize> {
        self.footprint_index.get(slug).copied()
    }

    /// The story of a slug.
    pub fn story_by_slug(&self, slug: &str) -> Option<&Story> {
        self.story_index.get(slug).map(|&i| &self.stories[i])
    }

    /// The event of a slug.
    pub fn event_by_slug(&self, slug: &str) -> Option<&Event> {
        self.event_index.get(slug).map(|&i| &self.events[i])
    }

    /// The content page of a slug.
    pub fn page_by_slug(&self, slug: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.slug == slug)
    }

    /// The stories that name a footprint, newest first.
    pub fn stories_of_footprint(&self, slug: &str) -> impl Iterator<Item = &Story> {
        self.stories_of_footprint
            .get(slug)
            .into_iter()
            .flatten()
            .map(|&i| &self.stories[i])
    }

    /// The footprints an organisation belongs to, in footprint order.
    pub fn footprints_of_organisation(&self, code: &OdsCode) -> impl Iterator<Item = &Footprint> {
        self.footprints_of
            .get(code)
            .into_iter()
            .flatten()
            .map(|&i| &self.footprints[i])
    }

    /// The stories that name an organisation, newest first.
    pub fn stories_of_organisation(&self, code: &OdsCode) -> impl Iterator<Item = &Story> {
        self.stories_of_organisation
            .get(code)
            .into_iter()
            .flatten()
            .map(|&i| &self.stories[i])
    }

    /// The stories with a tag, by the tag's slug, in story order.
    pub fn stories_of_tag(&self, slug: &str) -> impl Iterator<Item = &Story> {
        self.stories_of_tag
            .get(slug)
            .into_iter()
            .flat_map(|(_, stories)| stories)
            .map(|&i| &self.stories[i])
    }

    /// Every tag used by a story, in slug order: its slug, the spelling last met, and how
    /// many stories have it.
    pub fn tags(&self) -> impl Iterator<Item = (&str, &str, usize)> {
        self.stories_of_tag
            .iter()
            .map(|(slug, (name, stories))| (slug.as_str(), name.as_str(), stories.len()))
    }

    /// The tag of a slug: its spelling last met, and how many stories have it.
    pub fn tag(&self, slug: &str) -> Option<(&str, usize)> {
        let (name, stories) = self.stories_of_tag.get(slug)?;
        Some((name, stories.len()))
    }

    /// How many tags the stories use.
    pub fn tag_count(&self) -> usize {
        self.stories_of_tag.len()
    }
}

/// Where each slug is in its list.
fn positions<'a>(slugs: impl Iterator<Item = &'a String>) -> FxHashMap<String, usize> {
    slugs
        .enumerate()
        .map(|(i, slug)| (slug.clone(), i))
        .collect()
}

type StoryLinks = (
    FxHashMap<String, Vec<usize>>,
    FxHashMap<OdsCode, Vec<usize>>,
);

fn story_links(stories: &[Story]) -> StoryLinks {
    let (mut by_footprint, mut by_organisation): StoryLinks = Default::default();
    for (index, story) in stories.iter().enumerate() {
        for slug in &story.footprints {
            by_footprint
                .entry(slug.clone())
                .or_insert_with(Vec::new)
                .push(index);
        }
        for code in &story.organisations {
            by_organisation
                .entry(code.clone())
                .or_insert_with(Vec::new)
                .push(index);
        }
    }
    (by_footprint, by_organisation)
}

type TagIndex = std::collections::BTreeMap<String, (String, Vec<usize>)>;

/// The stories of each tag, made once so that a tag's page costs its own stories, not a
/// pass over every story (which made 1,000 tag pages quadratic).
fn tag_index(stories: &[Story]) -> TagIndex {
    let mut index = TagIndex::new();
    for (i, story) in stories.iter().enumerate() {
        for tag in &story.tags {
            let (name, tagged) = index.entry(slugify(tag)).or_default();
            name.clone_from(tag);
            // A story may give one tag twice, in two spellings.
            if tagged.last() != Some(&i) {
                tagged.push(i);
            }
        }
    }
    index
}

fn back_links(footprints: &[Footprint]) -> FxHashMap<OdsCode, Vec<usize>> {
    let mut back: FxHashMap<OdsCode, Vec<usize>> = FxHashMap::default();
    for (index, footprint) in footprints.iter().enumerate() {
        for (code, _) in footprint.organisations() {
            back.entry(code.clone()).or_default().push(index);
        }
    }
    back
}

fn site_config(content: &Content, overrides: &Overrides, problems: &mut Diagnostics) -> SiteConfig {
    let site = &content.site;
    let from_file = site
        .now
        .as_ref()
        .and_then(|now| dated(now, &content.site_file, dates::calendar_date, problems));
    let now = overrides
        .now
        .or(from_file)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let accessibility_date = |pick: fn(
        &crate::load::schema::AccessibilityTable,
    ) -> Option<&Spanned<toml::value::Datetime>>,
                              problems: &mut Diagnostics| {
        let value = site.accessibility.as_ref().and_then(pick)?;
        dated(value, &content.site_file, dates::calendar_date, problems)
    };
    let accessibility_tested = accessibility_date(|a| a.tested.as_ref(), problems);
    let base_url = checked_setting(
        &content.site_file,
        ("base_url", &site.base_url),
        overrides.base_url.as_deref(),
        settings::base_url,
        problems,
    );
    if crate::words::is_placeholder_address(&base_url) {
        let warning = placeholder_address_warning(&base_url);
        problems.push(match overrides.base_url {
            Some(_) => warning,
            None => warning.at(content.site_file.locate(site.base_url.span())),
        });
    }
    let accessibility_prepared = accessibility_date(|a| a.prepared.as_ref(), problems);
    SiteConfig {
        title: site.title.clone(),
        description: site.description.clone(),
        // Kept without a trailing slash, so every URL is `{base_url}{path}`.
        base_url,
        language: checked_setting(
            &content.site_file,
            ("language", &site.language),
            None,
            |text| settings::language(text).map(|()| text.to_string()),
            problems,
        ),
        contact_email: site.contact_email.as_ref().map(|email| {
            checked_setting(
                &content.site_file,
                ("contact_email", email),
                None,
                |text| settings::contact_email(text).map(|()| text.to_string()),
                problems,
            )
        }),
        publisher: site.publisher.clone(),
        accessibility_tested,
        accessibility_prepared,
        // A region that makes no address is reported, and kept, so that the footprints and
        // events naming it are not also told it is unknown.
        regions: site
            .regions
            .iter()
            .inspect(|region| {
                let locate = |span| content.site_file.locate(span);
                slug_checked(region, "region", &locate, problems);
            })
            .map(|region| region.get_ref().clone())
            .collect(),
        attribution: site.attribution.clone(),
        now,
        theme: site.theme.clone(),
        timeline: site.timeline.clone(),
    }
}

/// The note for a publisher whose `base_url` is still an example address: pages would link
/// to it and the statements would name it.
fn placeholder_address_warning(base_url: &str) -> Diagnostic {
    Diagnostic::warning(format!(
        "`base_url` is still the placeholder address `{base_url}`"
    ))
    .help(
        "set `base_url` in site.toml to the address the site is published at, or pass \
         `--base-url`; until then canonical links point nowhere, and the accessibility \
         statement and privacy notice leave the address out",
    )
}

/// A setting of `site.toml` as `check` makes it, or the command line's value over it (which
/// the command line checked already); a wrong one is reported at its place in the file.
fn checked_setting(
    file: &SourceFile,
    (name, value): (&str, &Spanned<String>),
    overridden: Option<&str>,
    check: impl Fn(&str) -> Result<String, String>,
    problems: &mut Diagnostics,
) -> String {
    let text = overridden.unwrap_or(value.get_ref());
    match check(text) {
        Ok(checked) => checked,
        Err(why) => {
            let diagnostic = Diagnostic::error(format!("`{name}` cannot be used: {why}"))
                .label("not a usable value")
                .help("settings reach every page, feed and calendar, so they are checked like content");
            problems.push(match overridden {
                Some(_) => diagnostic,
                None => diagnostic.at(file.locate(value.span())),
            });
            text.to_string()
        }
    }
}

/// Converts a spanned TOML date with `convert`, reporting a bad one at its place in `file`.
fn dated<T>(
    value: &Spanned<toml::value::Datetime>,
    file: &SourceFile,
    convert: fn(&toml::value::Datetime) -> Result<T, dates::DateProblem>,
    problems: &mut Diagnostics,
) -> Option<T> {
    convert(value.get_ref())
        .map_err(|problem| {
            problems.push(
                Diagnostic::error(format!("`{}` is not a valid date here", value.get_ref()))
                    .at(file.locate(value.span()))
                    .help(problem),
            )
        })
        .ok()
}

/// `reviewed` and `review_due` of one file: real dates (without a time), the due date after
/// the review, and no due date without a review. `shift` is where the TOML that holds them
/// starts in `file` (the front matter of a Markdown file, or 0).
fn review_dates(
    reviewed: Option<&Spanned<toml::value::Datetime>>,
    due: Option<&Spanned<toml::value::Datetime>>,
    file: &SourceFile,
    shift: usize,
    problems: &mut Diagnostics,
) -> Review {
    let shifted = |value: &Spanned<toml::value::Datetime>| {
        Spanned::new(
            shift + value.span().start..shift + value.span().end,
            *value.get_ref(),
        )
    };
    let date = |value: Option<&Spanned<toml::value::Datetime>>, problems: &mut Diagnostics| {
        value.and_then(|v| dated(&shifted(v), file, dates::calendar_date, problems))
    };
    let review = Review {
        reviewed: date(reviewed, problems),
        due: date(due, problems),
    };
    let at_due = || file.locate(due.map(shifted).expect("a due date").span());
    match review {
        Review {
            reviewed: Some(reviewed),
            due: Some(due),
        } if due <= reviewed => {
            problems.push(
                Diagnostic::error("the next review is due before the page was reviewed")
                    .at(at_due())
                    .label(format!("not after `reviewed` ({reviewed})"))
                    .help("`review_due` must be later than `reviewed`"),
            );
            Review::default()
        }
        Review {
            reviewed: None,
            due: Some(_),
        } if reviewed.is_none() => {
            problems.push(
                Diagnostic::error("a review is due but the page's last review is not given")
                    .at(at_due())
                    .help("add `reviewed`, the date the page was last reviewed"),
            );
            Review::default()
        }
        review => review,
    }
}

/// The "did you mean" help for a region name that is not in `site.toml`.
fn region_help(typed: &str, regions: &[String]) -> String {
    let listed = format!("listed in site.toml: {}", regions.join(", "));
    // After a question, the next sentence starts with a capital.
    match closest(typed, regions.iter().map(String::as_str)) {
        Some(r) => format!("did you mean `{r}`? The regions are {listed}"),
        None => format!("the regions are {listed}"),
    }
}

/// Locates a span of a front-matter value or of a whole file.
type Locate<'a> = &'a dyn Fn(Range<usize>) -> Location;

/// Resolves a typed code against the registry, reporting an unknown one where it stands.
fn resolve_code(
    typed: &Spanned<String>,
    registry: &Registry,
    locate: Locate,
    problems: &mut Diagnostics,
) -> Option<OdsCode> {
    match registry.resolve(typed.get_ref().trim()) {
        Some(organisation) => Some(organisation.code.clone()),
        None => {
            problems.push(
                Diagnostic::error(format!("unknown organisation code `{}`", typed.get_ref()))
                    .at(locate(typed.span()))
                    .label("not in organisations.csv")
                    .help("check the ODS or GSS code, or add the organisation to content/organisations.csv"),
            );
            None
        }
    }
}

/// A link address typed in TOML (an event's `register`, a roadmap's published `url`): it
/// becomes an `href`, so it is held to the HTML policy's schemes, reported at its place.
fn checked_link(
    address: &Spanned<String>,
    locate: Locate,
    problems: &mut Diagnostics,
) -> Option<String> {
    let typed = address.get_ref();
    match html_policy::url_scheme(typed) {
        Some(scheme) if !html_policy::URL_SCHEMES.contains(&scheme.as_str()) => {
            problems.push(
                Diagnostic::error(format!("`{scheme}:` address is not allowed"))
                    .at(locate(address.span()))
                    .label("only http, https, mailto, tel or a site path")
                    .help("give the real address, such as https://... or mailto:team@example.org"),
            );
            None
        }
        _ => Some(typed.clone()),
    }
}

/// Whether a name typed in the content can become part of an address (a tag's, a region's),
/// reporting at its place why not.
fn slug_checked(
    name: &Spanned<String>,
    what: &str,
    locate: Locate,
    problems: &mut Diagnostics,
) -> bool {
    let Some(problem) = slug_problem(name.get_ref()) else {
        return true;
    };
    problems.push(
        Diagnostic::error(format!("this {what} cannot be made into an address"))
            .at(locate(name.span()))
            .label(problem)
            .help(format!(
                "a {what} becomes part of a web address: give it letters or digits, and keep it under {MAX_SLUG} characters"
            )),
    );
    false
}
