//! Which template makes which page, with what context.

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::cache::{CacheRound, RenderCache};
use super::listings::{home_context, organisations_by_letter, regions_view};
use super::maturity;
use super::roadmap_views::{self, EventFilter};
use super::structured_data;
use super::templates::Templates;
use super::vars::Vars;
use super::views::{
    OrganisationLink, event_view, footprint_link, governance_facts, member_groups, memberships,
    review_view, story_view,
};
use super::{Contents, OutputFile};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::model::links::page_path;

/// Every page of the site, one job each, so they can be rendered in parallel.
enum Job<'a> {
    Home,
    Footprints,
    Footprint(&'a crate::model::Footprint),
    MergedFootprint {
        old: &'a str,
        into: &'a crate::model::Footprint,
    },
    Organisations,
    Organisation(&'a crate::model::Organisation),
    /// All stories, or those with one tag (by its slug).
    StoryList(Option<String>),
    Story(&'a crate::model::Story),
    EventList(EventFilter),
    Event(&'a crate::model::Event),
    Capabilities,
    /// `/digital-maturity/`: the national picture of the self-assessment.
    DigitalMaturity,
    Page(&'a crate::model::Page),
    Search,
    NotFound,
    /// `/accessibility/`, unless the site has a page of that name.
    Accessibility,
    /// `/privacy/`, unless the site has a page of that name.
    Privacy,
    /// `/data/`: the open data files, described for people and for dataset search.
    OpenData,
}

#[derive(Serialize)]
struct NavLink {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    base_url: &'a str,
    contact_email: Option<&'a str>,
    publisher: Option<&'a str>,
    attribution: &'a [String],
    regions: &'a [String],
    now: String,
    nav: Vec<NavLink>,
}

/// The part of a URL after the host, without a trailing slash: "" or "/ldr".
pub fn path_prefix(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    path.trim_end_matches('/').to_string()
}

/// Where the accessibility statement and the privacy notice are served; a content page of
/// the same slug takes their place.
pub const ACCESSIBILITY_SLUG: &str = "accessibility";
pub const PRIVACY_SLUG: &str = "privacy";

/// What [`render_site`] made.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub cache: RenderCache,
    /// Pages rendered afresh; the rest came unchanged from the cache.
    pub rendered: usize,
}

/// What becomes of each page once rendered: kept as it is, or (in a one-off build) written
/// out at once so that its bytes need not be held.
pub type PageSink<'a> = &'a (dyn Fn(OutputFile) -> Result<OutputFile, Diagnostic> + Sync);

/// Renders every page whose context changed since `previous`, each handed to `sink`; all
/// template errors are reported, not only the first.
pub fn render_site(
    site: &Site,
    templates: &Templates,
    previous: Option<&RenderCache>,
    sink: PageSink,
) -> Result<Rendered, Diagnostics> {
    let (base, base_vars) = base_context(site, templates);
    let seed = base_vars.hash(templates.fingerprint());
    let round = CacheRound::new(previous);
    let jobs = jobs(site);
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_job(site, templates, &base, seed, &round, job).and_then(sink))
        .collect();
    let mut files = all_or_problems(results)?;
    files.extend(copies(site));
    let (cache, rendered) = round.finish();
    Ok(Rendered {
        files,
        cache,
        rendered,
    })
}

/// Renders the pages of the footprints `slugs` again, as [`render_site`] would, after an
/// edit that only those pages read (a roadmap's text), and keeps them in `cache`.
pub fn render_footprint_pages(
    site: &Site,
    templates: &Templates,
    cache: &mut RenderCache,
    slugs: &[String],
) -> Result<(Vec<OutputFile>, usize), Diagnostics> {
    let (base, base_vars) = base_context(site, templates);
    let seed = base_vars.hash(templates.fingerprint());
    let round = CacheRound::new(Some(cache));
    let jobs: Vec<Job> = slugs
        .iter()
        .filter_map(|slug| site.footprint_by_slug(slug))
        .map(Job::Footprint)
        .collect();
    let results: Vec<_> = jobs
        .par_iter()
        .map(|job| render_job(site, templates, &base, seed, &round, job))
        .collect();
    let files = all_or_problems(results)?;
    let (newer, rendered) = round.finish();
    cache.update(newer);
    Ok((files, rendered))
}

/// The files, or every distinct problem when any page failed.
fn all_or_problems(
    results: Vec<Result<OutputFile, Diagnostic>>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Diagnostics::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => {
                if !problems.iter().any(|seen| seen == &d) {
                    problems.push(d);
                }
            }
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(files)
}

fn jobs(site: &Site) -> Vec<Job<'_>> {
    let mut jobs = vec![
        Job::Home,
        Job::Footprints,
        Job::Organisations,
        Job::StoryList(None),
        Job::Capabilities,
        Job::DigitalMaturity,
        Job::Search,
        Job::NotFound,
    ];
    // A site's own page of the same name replaces the generated one.
    let has_page = |slug: &str| site.pages.iter().any(|p| p.slug == slug);
    if !has_page(ACCESSIBILITY_SLUG) {
        jobs.push(Job::Accessibility);
    }
    if !has_page(PRIVACY_SLUG) {
        jobs.push(Job::Privacy);
    }
    jobs.push(Job::OpenData);
    jobs.extend(EventFilter::every(site).into_iter().map(Job::EventList));
    jobs.extend(
        roadmap_views::story_tags(site)
            .into_keys()
            .map(|tag| Job::StoryList(Some(tag))),
    );
    for footprint in &site.footprints {
        jobs.push(Job::Footprint(footprint));
        jobs.extend(
            footprint
                .merged_from
                .iter()
                .map(|old| Job::MergedFootprint {
                    old,
                    into: footprint,
                }),
        );
    }
    jobs.extend(site.registry.iter().map(Job::Organisation));
    jobs.extend(site.stories.iter().map(Job::Story));
    jobs.extend(site.events.iter().map(Job::Event));
    jobs.extend(site.pages.iter().map(Job::Page));
    jobs
}

fn copies(site: &Site) -> Vec<OutputFile> {
    let attachments = site.footprints.iter().flat_map(|f| {
        f.attachments.iter().map(move |file| OutputFile {
            path: format!(
                "footprints/{}/{}",
                f.slug,
                file.file_name().unwrap_or_default().to_string_lossy()
            ),
            contents: Contents::CopyOf(file.clone()),
        })
    });
    let statics = site.static_files.iter().map(|(file, relative)| OutputFile {
        path: relative.to_string_lossy().replace('\\', "/"),
        contents: Contents::CopyOf(file.clone()),
    });
    attachments.chain(statics).collect()
}

fn base_context(site: &Site, templates: &Templates) -> (Context, Vars) {
    // Returns the variables too, so they can be hashed into every page's cache key.
    let config = &site.config;
    let mut nav = vec![
        NavLink {
            title: "Footprints".into(),
            url: "/footprints/".into(),
        },
        NavLink {
            title: "Organisations".into(),
            url: "/organisations/".into(),
        },
        NavLink {
            title: "Stories".into(),
            url: "/stories/".into(),
        },
        NavLink {
            title: "Events".into(),
            url: "/events/".into(),
        },
        NavLink {
            title: "Capabilities".into(),
            url: "/capabilities/".into(),
        },
        NavLink {
            title: "Digital maturity".into(),
            url: "/digital-maturity/".into(),
        },
    ];
    let mut menu: Vec<_> = site
        .pages
        .iter()
        .filter(|p| p.menu_order.is_some())
        .collect();
    menu.sort_by_key(|p| p.menu_order);
    nav.extend(menu.iter().map(|p| NavLink {
        title: p.title.clone(),
        url: page_path(&p.slug),
    }));
    let mut vars = Vars::default();
    vars.insert(
        "site",
        &SiteView {
            title: &config.title,
            description: config.description.as_deref(),
            language: &config.language,
            base_url: &config.base_url,
            contact_email: config.contact_email.as_deref(),
            publisher: config.publisher.as_deref(),
            attribution: &config.attribution,
            regions: &config.regions,
            now: super::format_date(config.now),
            nav,
        },
    );
    vars.insert("prefix", &path_prefix(&config.base_url));
    vars.insert("assets", templates.assets());
    let mut context = Context::new();
    for (key, value) in vars.entries() {
        context.insert_value(*key, value.clone());
    }
    (context, vars)
}

fn render_job(
    site: &Site,
    templates: &Templates,
    base: &Context,
    seed: u64,
    round: &CacheRound,
    job: &Job,
) -> Result<OutputFile, Diagnostic> {
    let mut context = Vars::default();
    let prefix = path_prefix(&site.config.base_url);
    let body_html = |source: &crate::model::MarkdownSource| {
        round.markdown(source, &prefix, || super::markdown_to_html(source, &prefix))
    };
    let (path, template) = match job {
        Job::Home => {
            home_context(site, &mut context);
            roadmap_views::region_map(site, &prefix, &mut context);
            ("index.html".to_string(), "index.html")
        }
        Job::Footprints => {
            context.insert("regions", &regions_view(site));
            roadmap_views::region_map(site, &prefix, &mut context);
            ("footprints/index.html".into(), "footprints.html")
        }
        Job::Footprint(footprint) => {
            context.insert("footprint", &footprint_link(site, footprint));
            context.insert("example", &footprint.example);
            context.insert("review", &review_view(footprint.review));
            roadmap_views::footprint_plan(site, footprint, &mut context);
            maturity::footprint_maturity(site, footprint, &mut context);
            context.insert("code", &footprint.code);
            context.insert("stp", &footprint.stp);
            context.insert("stp_name", &footprint.stp_name);
            let lead = footprint
                .lead
                .as_ref()
                .map(|c| OrganisationLink::new(site.registry.get(c)));
            context.insert("lead", &lead);
            let partners: Vec<_> = footprint
                .partners
                .iter()
                .map(|c| OrganisationLink::new(site.registry.get(c)))
                .collect();
            context.insert("partners", &partners);
            context.insert("member_groups", &member_groups(site, footprint));
            context.insert("governance", &governance_facts(footprint));
            context.insert(
                "published",
                &footprint
                    .published
                    .as_ref()
                    .map(|p| (p.date.map(super::format_date), p.url.clone())),
            );
            context.insert("merged_from", &footprint.merged_from);
            context.insert("capabilities", &footprint.capabilities);
            context.insert(
                "milestones",
                &footprint
                    .milestones
                    .iter()
                    .map(|m| (super::format_date(m.date), &m.title))
                    .collect::<Vec<_>>(),
            );
            context.insert("roadmap", &footprint.roadmap.as_ref().map(&body_html));
            let stories: Vec<_> = site
                .stories_of_footprint(&footprint.slug)
                .map(|s| story_view(site, s))
                .collect();
            context.insert("stories", &stories);
            let attachments: Vec<String> = footprint
                .attachments
                .iter()
                .map(|a| {
                    a.file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            context.insert("attachments", &attachments);
            (
                format!("footprints/{}/index.html", footprint.slug),
                "footprint.html",
            )
        }
        Job::MergedFootprint { old, into } => {
            context.insert("old_slug", old);
            context.insert("footprint", &footprint_link(site, into));
            (format!("footprints/{old}/index.html"), "redirect.html")
        }
        Job::Organisations => {
            context.insert("letters", &organisations_by_letter(site));
            context.insert("count", &site.registry.real().count());
            ("organisations/index.html".into(), "organisations.html")
        }
        Job::Organisation(organisation) => {
            context.insert("organisation", &OrganisationLink::new(organisation));
            context.insert("memberships", &memberships(site, &organisation.code));
            context.insert("example", &organisation.example);
            maturity::organisation_maturity(site, organisation, &mut context);
            let stories: Vec<_> = site
                .stories_of_organisation(&organisation.code)
                .map(|s| story_view(site, s))
                .collect();
            context.insert("stories", &stories);
            (
                format!("organisations/{}/index.html", organisation.code),
                "organisation.html",
            )
        }
        Job::StoryList(tag) => {
            roadmap_views::story_list(site, tag.as_deref(), &mut context);
            let path = match tag {
                Some(tag) => format!("stories/tags/{tag}/index.html"),
                None => "stories/index.html".into(),
            };
            (path, "stories.html")
        }
        Job::Story(story) => {
            context.insert("story", &story_view(site, story));
            context.insert("og_type", "article");
            context.insert("review", &review_view(story.review));
            context.insert("body", &body_html(&story.body));
            (format!("stories/{}/index.html", story.slug), "story.html")
        }
        Job::EventList(filter) => {
            roadmap_views::event_list(site, filter, &mut context);
            (filter.path(), "events.html")
        }
        Job::Capabilities => {
            roadmap_views::capability_matrix(site, &mut context);
            roadmap_views::capability_maps(site, &prefix, &mut context);
            ("capabilities/index.html".into(), "capabilities.html")
        }
        Job::DigitalMaturity => {
            maturity::national_maturity(site, &prefix, &mut context);
            (
                "digital-maturity/index.html".into(),
                "digital-maturity.html",
            )
        }
        Job::Event(event) => {
            context.insert("event", &event_view(site, event));
            context.insert("review", &review_view(event.review));
            context.insert("body", &body_html(&event.body));
            (format!("events/{}/index.html", event.slug), "event.html")
        }
        Job::Page(page) => {
            context.insert("page", &serde_json::json!({ "title": page.title, "description": page.description, "slug": page.slug }));
            context.insert("body", &body_html(&page.body));
            context.insert("review", &review_view(page.review));
            (format!("{}/index.html", page.slug), "page.html")
        }
        Job::Search => ("search/index.html".into(), "search.html"),
        Job::Accessibility => {
            let config = &site.config;
            context.insert(
                "statement",
                &serde_json::json!({
                    "tested": config.accessibility_tested.map(super::format_date),
                    "prepared": config.accessibility_prepared.map(super::format_date),
                    "has_map": !site.shapes.is_empty(),
                }),
            );
            (
                format!("{ACCESSIBILITY_SLUG}/index.html"),
                "accessibility.html",
            )
        }
        Job::Privacy => (format!("{PRIVACY_SLUG}/index.html"), "privacy.html"),
        Job::OpenData => {
            context.insert("licence_url", structured_data::OGL);
            ("data/index.html".into(), "data.html")
        }
        Job::NotFound => ("404.html".into(), "404.html"),
    };
    let current = OutputFile::bytes(path.clone(), Vec::new()).url_path();
    let (crumbs, nodes) = place_in_site(site, job, &current);
    context.insert("crumbs", &crumbs);
    context.insert("json_ld", &structured_data::script_text(nodes));
    context.insert("current_path", &current);
    context.insert("__template", template);
    let key = round.tracks_changes().then(|| context.hash(seed));
    let bytes = round.page(&path, key, || {
        let full = context.into_context(base.clone());
        templates.render(template, &full).map(String::into_bytes)
    })?;
    Ok(OutputFile {
        path,
        contents: Contents::Bytes(bytes),
    })
}

/// The page's ancestors as its breadcrumbs show them (`(name, path)`, Home left out), and
/// its structured data: the trail as a `BreadcrumbList`, and what the page is about.
fn place_in_site(
    site: &Site,
    job: &Job,
    current: &str,
) -> (Vec<(String, String)>, Vec<serde_json::Value>) {
    let section = |name: &str, path: &str| vec![(name.to_string(), path.to_string())];
    let (ancestors, name, about): (_, String, Vec<serde_json::Value>) = match job {
        Job::Home | Job::NotFound | Job::MergedFootprint { .. } => return (Vec::new(), Vec::new()),
        Job::Footprints => (Vec::new(), "Footprints".into(), Vec::new()),
        Job::Footprint(f) => (
            section("Footprints", "/footprints/"),
            f.name.clone(),
            Vec::new(),
        ),
        Job::Organisations => (Vec::new(), "Organisations A to Z".into(), Vec::new()),
        Job::Organisation(o) => (
            section("Organisations", "/organisations/"),
            o.name.clone(),
            // An illustrative example is not offered to search engines as an organisation.
            (!o.example)
                .then(|| structured_data::organisation(site, o, current))
                .into_iter()
                .collect(),
        ),
        Job::StoryList(None) => (Vec::new(), "Stories".into(), Vec::new()),
        Job::StoryList(Some(tag)) => {
            let name = roadmap_views::story_tags(site)
                .remove(tag)
                .unwrap_or_else(|| tag.clone());
            (
                section("Stories", "/stories/"),
                format!("Stories about {name}"),
                Vec::new(),
            )
        }
        Job::Story(s) => (section("Stories", "/stories/"), s.title.clone(), Vec::new()),
        Job::EventList(EventFilter::All) => (Vec::new(), "Events".into(), Vec::new()),
        Job::EventList(filter) => (section("Events", "/events/"), filter.heading(), Vec::new()),
        Job::Event(e) => (
            section("Events", "/events/"),
            e.title.clone(),
            structured_data::event(site, e, current)
                .into_iter()
                .collect(),
        ),
        Job::Capabilities => (Vec::new(), "Universal capabilities".into(), Vec::new()),
        Job::DigitalMaturity => (Vec::new(), "Digital maturity".into(), Vec::new()),
        Job::Page(p) => (Vec::new(), p.title.clone(), Vec::new()),
        Job::Search => (Vec::new(), "Search".into(), Vec::new()),
        Job::Accessibility => (Vec::new(), "Accessibility statement".into(), Vec::new()),
        Job::Privacy => (Vec::new(), "Privacy and cookies".into(), Vec::new()),
        Job::OpenData => (
            Vec::new(),
            "Open data".into(),
            structured_data::datasets(site),
        ),
    };
    let mut nodes = vec![structured_data::breadcrumb_list(
        site,
        &ancestors,
        (&name, current),
    )];
    nodes.extend(about);
    (ancestors, nodes)
}
