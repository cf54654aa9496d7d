//! The home and site-wide family: the home page, the capabilities and digital maturity
//! views, content pages, search, the 404 page, the accessibility statement, the privacy
//! notice and the open data page.

use super::{PageVars, Place};
use crate::diagnostic::Diagnostic;
use crate::model::Page;
use crate::render::listings::home_context;
use crate::render::views::review_view;
use crate::render::{format_date, maturity, roadmap_views, structured_data};

/// `/`: the programme at a glance, and the map.
pub(super) fn home(page: &mut PageVars) -> Option<Place> {
    home_context(page.site, &mut page.vars);
    roadmap_views::region_map(page.site, page.prefix, &mut page.vars);
    None
}

/// `/capabilities/`: the matrix of every footprint's plans, and a map per capability.
pub(super) fn capabilities(page: &mut PageVars) -> Result<Option<Place>, Diagnostic> {
    roadmap_views::capability_matrix(page.site, page.rendering.parts, &mut page.vars)?;
    roadmap_views::capability_maps(page.site, page.prefix, &mut page.vars);
    Ok(Some(Place::named("Universal capabilities")))
}

/// `/digital-maturity/`.
pub(super) fn digital_maturity(page: &mut PageVars) -> Option<Place> {
    maturity::national_maturity(page.site, page.prefix, &mut page.vars);
    Some(Place::named("Digital maturity"))
}

/// A content page from `content/pages/`.
pub(super) fn content_page(page: &mut PageVars, content: &Page) -> Option<Place> {
    let body = page.prose_html(&content.body);
    page.vars.insert(
        "page",
        &serde_json::json!({ "title": content.title, "description": content.description, "slug": content.slug }),
    );
    page.vars.insert("body", &body);
    page.vars.insert("review", &review_view(content.review));
    Some(Place::named(&content.title))
}

/// `/search/`: the form; the index is made by `index::search`.
pub(super) fn search(_: &mut PageVars) -> Option<Place> {
    Some(Place::named("Search"))
}

/// The 404 page.
pub(super) fn not_found(_: &mut PageVars) -> Option<Place> {
    None
}

/// The accessibility statement, with the dates `site.toml` gives.
pub(super) fn accessibility(page: &mut PageVars) -> Option<Place> {
    let site = page.site;
    let config = &site.config;
    page.vars.insert(
        "statement",
        &serde_json::json!({
            "tested": config.accessibility_tested.map(format_date),
            "prepared": config.accessibility_prepared.map(format_date),
            "has_map": !site.shapes.is_empty(),
        }),
    );
    Some(Place::named("Accessibility statement"))
}

/// The privacy notice.
pub(super) fn privacy(_: &mut PageVars) -> Option<Place> {
    Some(Place::named("Privacy and cookies"))
}

/// `/data/`: the open data files, described for people and for dataset search.
pub(super) fn open_data(page: &mut PageVars) -> Option<Place> {
    page.vars.insert("licence_url", structured_data::OGL);
    Some(Place {
        name: "Open data".into(),
        about: structured_data::datasets(page.site),
    })
}
