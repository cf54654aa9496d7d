//! Which template makes which page, with what context. The pages come in families, each
//! in its own module with its own context: [`footprints`], [`organisations`], [`stories`],
//! [`events`], and the home and site-wide pages in [`site`]. Which pages there are, and at
//! what address, is [`crate::model::routes`]' to say.

mod events;
mod footprints;
mod organisations;
mod site;
mod stories;

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::markdown_memo::MarkdownMemo;
use super::parts::Parts;
use super::structured_data;
use super::templates::Templates;
use super::vars::Vars;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::routes::{NAVIGATION, Route, attachment_url, output_path_of, page_url};
use crate::model::{MarkdownSource, Site};
use crate::output::{Contents, OutputFile};

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
    /// `base_url` is a real address, not the placeholder: pages may name it to a reader.
    address_set: bool,
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

/// What becomes of each page once rendered: kept as it is, or (in a one-off build) written
/// out at once so that its bytes need not be held.
pub type PageSink<'a> = &'a (dyn Fn(OutputFile) -> Result<OutputFile, Diagnostic> + Sync);

/// Renders the pages among `routes` (routes without a template are left to the index
/// stage), in parallel, each handed to `sink`; all template errors are reported, not only
/// the first.
/// What the pages of a build are rendered with, besides the site.
pub struct Rendering<'a> {
    /// The theme's templates, a site's own over them.
    pub templates: &'a Templates,
    /// The rendered rows of the pages that list everything.
    pub parts: &'a Parts,
    /// Markdown turned into HTML before, where the build keeps it.
    pub memo: Option<&'a MarkdownMemo>,
}

pub fn render_pages(
    site: &Site,
    rendering: &Rendering,
    routes: &[Route],
    sink: PageSink,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let shared = Shared {
        site,
        rendering,
        base: base_context(site, rendering.templates),
        prefix: path_prefix(&site.config.base_url),
    };
    let results: Vec<Result<OutputFile, Diagnostic>> = routes
        .par_iter()
        .filter(|route| route.template().is_some())
        .map(|route| render_route(&shared, route).and_then(sink))
        .collect();
    all_or_problems(results)
}

/// What every page of one round of rendering shares.
struct Shared<'a> {
    site: &'a Site,
    rendering: &'a Rendering<'a>,
    /// The variables of every page: the site, its navigation, the asset versions.
    base: Context,
    prefix: String,
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

/// The files copied as they are: the footprints' attachments and the content's static
/// files.
pub fn copies(site: &Site) -> Vec<OutputFile> {
    let attachments = site.footprints.iter().flat_map(|f| {
        f.attachments.iter().map(move |file| OutputFile {
            path: output_path_of(&attachment_url(
                &f.slug,
                &file.file_name().unwrap_or_default().to_string_lossy(),
            )),
            contents: Contents::CopyOf(file.clone()),
        })
    });
    let statics = site.static_files.iter().map(|(file, relative)| OutputFile {
        path: relative.to_string_lossy().replace('\\', "/"),
        contents: Contents::CopyOf(file.clone()),
    });
    attachments.chain(statics).collect()
}

fn base_context(site: &Site, templates: &Templates) -> Context {
    let config = &site.config;
    let mut nav: Vec<NavLink> = NAVIGATION
        .iter()
        .map(|(title, route)| NavLink {
            title: (*title).into(),
            url: route.url(),
        })
        .collect();
    let mut menu: Vec<_> = site
        .pages
        .iter()
        .filter(|p| p.menu_order.is_some())
        .collect();
    menu.sort_by_key(|p| p.menu_order);
    nav.extend(menu.iter().map(|p| NavLink {
        title: p.title.clone(),
        url: page_url(&p.slug),
    }));
    let mut vars = Vars::default();
    vars.insert(
        "site",
        &SiteView {
            title: &config.title,
            description: config.description.as_deref(),
            language: &config.language,
            base_url: &config.base_url,
            address_set: !crate::words::is_placeholder_address(&config.base_url),
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
    vars.into_context(Context::new())
}

/// One page's variables while its family fills them in.
pub(super) struct PageVars<'a> {
    site: &'a Site,
    /// The path part of `base_url` ("" or "/ldr"), which every internal link starts with.
    prefix: &'a str,
    /// The page's own address.
    current: String,
    /// The theme's templates and the parts rendered before.
    rendering: &'a Rendering<'a>,
    vars: Vars,
}

impl PageVars<'_> {
    /// A Markdown body as HTML.
    fn body_html(&self, source: &MarkdownSource) -> Arc<str> {
        let render = || super::markdown_to_html(source, self.prefix);
        match self.rendering.memo {
            Some(memo) => memo.html(source, self.prefix, render),
            None => Arc::from(render()),
        }
    }
}

impl PageVars<'_> {
    /// A page's own Markdown text as HTML, with the first use of each acronym spelled out
    /// from the glossary, as the templates spell out theirs: content pages, stories and
    /// events, whose text comes before nothing else that names the acronyms.
    fn prose_html(&self, source: &MarkdownSource) -> String {
        super::words::spell_out_first_uses(&self.body_html(source))
    }
}

/// Where a page sits, for its breadcrumbs and structured data: its name, and what it is
/// about. Pages without one (home, 404, a redirect) have no breadcrumbs.
pub(super) struct Place {
    name: String,
    about: Vec<serde_json::Value>,
}

impl Place {
    fn named(name: &str) -> Place {
        Place {
            name: name.to_string(),
            about: Vec::new(),
        }
    }
}

/// Fills in the variables of `route` by its family; `Err` names a route whose record is
/// not in the site (a bug: routes are made from the site).
fn fill(page: &mut PageVars, route: &Route) -> Result<Option<Place>, Diagnostic> {
    let site = page.site;
    let missing = || {
        Diagnostic::error(format!(
            "internal error: nothing to render at {}",
            route.url()
        ))
    };
    Ok(match route {
        Route::Home => site::home(page),
        Route::Footprints => footprints::listing(page),
        Route::Footprint(slug) => {
            footprints::footprint(page, site.footprint_by_slug(slug).ok_or_else(missing)?)?
        }
        Route::MergedFootprint { old, into } => {
            footprints::merged(page, old, site.footprint_by_slug(into).ok_or_else(missing)?)
        }
        Route::Organisations => organisations::listing(page)?,
        Route::Organisation(code) => organisations::organisation(
            page,
            site.registry.resolve(code.as_str()).ok_or_else(missing)?,
        ),
        Route::Stories => stories::listing(page, None),
        Route::StoryTag(tag) => stories::listing(page, Some(tag)),
        Route::Story(slug) => stories::story(page, site.story_by_slug(slug).ok_or_else(missing)?),
        Route::Events(filter) => events::listing(page, filter),
        Route::Event(slug) => events::event(page, site.event_by_slug(slug).ok_or_else(missing)?),
        Route::Capabilities => site::capabilities(page)?,
        Route::DigitalMaturity => site::digital_maturity(page),
        Route::Page(slug) => site::content_page(page, site.page_by_slug(slug).ok_or_else(missing)?),
        Route::Search => site::search(page),
        Route::NotFound => site::not_found(page),
        Route::Accessibility => site::accessibility(page),
        Route::Privacy => site::privacy(page),
        Route::OpenData => site::open_data(page),
        _ => return Err(missing()),
    })
}

fn render_route(shared: &Shared, route: &Route) -> Result<OutputFile, Diagnostic> {
    let Shared {
        site,
        rendering,
        base,
        prefix,
    } = shared;
    let site = *site;
    let template = route.template().ok_or_else(|| {
        Diagnostic::error(format!("internal error: {} is not a page", route.url()))
    })?;
    let mut page = PageVars {
        site,
        prefix,
        current: route.url(),
        rendering,
        vars: Vars::default(),
    };
    let place = fill(&mut page, route)?;
    let current = page.current;
    let mut context = page.vars;
    let (crumbs, nodes) = match place {
        None => (Vec::new(), Vec::new()),
        Some(place) => {
            let ancestors: Vec<(String, String)> = route
                .section()
                .and_then(|section| NAVIGATION.iter().find(|(_, r)| *r == section))
                .map(|(title, section)| vec![((*title).to_string(), section.url())])
                .unwrap_or_default();
            let mut nodes = vec![structured_data::breadcrumb_list(
                site,
                &ancestors,
                (&place.name, &current),
            )];
            nodes.extend(place.about);
            (ancestors, nodes)
        }
    };
    context.insert("crumbs", &crumbs);
    context.insert("json_ld", &structured_data::script_text(nodes));
    context.insert("current_path", &current);
    context.insert("__template", template);
    let path = route.output_path();
    let full = context.into_context(base.clone());
    let bytes = rendering.templates.render_page(template, &full)?;
    Ok(OutputFile {
        path,
        contents: Contents::Bytes(Arc::from(bytes)),
    })
}
