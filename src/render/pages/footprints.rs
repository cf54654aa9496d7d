//! The footprint family: `/footprints/`, each footprint's page, and the redirects left at
//! the addresses of footprints merged into another.

use super::{PageVars, Place};
use crate::diagnostic::Diagnostic;
use crate::model::Footprint;
use crate::render::listings::regions_view;
use crate::render::views::{
    OrganisationLink, footprint_link, governance_facts, member_groups, review_view, story_view,
};
use crate::render::{format_date, maturity, roadmap_views};

/// `/footprints/`: every footprint by region, and the map.
pub(super) fn listing(page: &mut PageVars) -> Option<Place> {
    let site = page.site;
    page.vars.insert("regions", &regions_view(site));
    roadmap_views::region_map(site, page.prefix, &mut page.vars);
    Some(Place::named("Footprints"))
}

/// A footprint's page: its members, governance, plan, maturity, roadmap and stories.
pub(super) fn footprint(
    page: &mut PageVars,
    footprint: &Footprint,
) -> Result<Option<Place>, Diagnostic> {
    let site = page.site;
    let roadmap = footprint.roadmap.as_ref().map(|body| page.body_html(body));
    let vars = &mut page.vars;
    vars.insert("footprint", &footprint_link(site, footprint));
    vars.insert("example", &footprint.example);
    vars.insert("review", &review_view(footprint.review));
    roadmap_views::footprint_plan(site, page.rendering.parts, footprint, vars)?;
    maturity::footprint_maturity(site, footprint, vars);
    vars.insert("code", &footprint.code);
    vars.insert("stp", &footprint.stp);
    vars.insert("stp_name", &footprint.stp_name);
    let lead = footprint
        .lead
        .as_ref()
        .map(|c| OrganisationLink::new(site.registry.get(c)));
    vars.insert("lead", &lead);
    let partners: Vec<_> = footprint
        .partners
        .iter()
        .map(|c| OrganisationLink::new(site.registry.get(c)))
        .collect();
    vars.insert("partners", &partners);
    vars.insert("member_groups", &member_groups(site, footprint));
    vars.insert("governance", &governance_facts(footprint));
    vars.insert(
        "published",
        &footprint
            .published
            .as_ref()
            .map(|p| (p.date.map(format_date), p.url.clone())),
    );
    vars.insert("merged_from", &footprint.merged_from);
    vars.insert("capabilities", &footprint.capabilities);
    vars.insert(
        "milestones",
        &footprint
            .milestones
            .iter()
            .map(|m| (format_date(m.date), &m.title))
            .collect::<Vec<_>>(),
    );
    vars.insert("roadmap", &roadmap);
    let stories: Vec<_> = site
        .stories_of_footprint(&footprint.slug)
        .map(|s| story_view(site, s))
        .collect();
    vars.insert("stories", &stories);
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
    vars.insert("attachments", &attachments);
    Ok(Some(Place::named(&footprint.name)))
}

/// The old address of a footprint merged into `into`: a page that sends the reader on.
pub(super) fn merged(page: &mut PageVars, old: &str, into: &Footprint) -> Option<Place> {
    page.vars.insert("old_slug", old);
    page.vars
        .insert("footprint", &footprint_link(page.site, into));
    None
}
