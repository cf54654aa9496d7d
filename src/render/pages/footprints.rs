//! The footprint family: `/footprints/`, each footprint's page, and the redirects left at
//! the addresses of footprints merged into another.

use super::{PageVars, Place};
use crate::diagnostic::Diagnostic;
use crate::model::Footprint;
use crate::model::routes::page_url;
use crate::model::{Illustrative, may_list_on};
use crate::render::listings::regions_view;
use crate::render::views::{
    OrganisationLink, footprint_link, governance_facts, member_groups, review_view, story_view,
};
use crate::render::{format_date, map, maturity, roadmap_views};

/// `/footprints/`: every footprint by region, and the map.
pub(super) fn listing(page: &mut PageVars) -> Option<Place> {
    let site = page.site;
    page.vars.insert("regions", &regions_view(site));
    page.vars
        .insert("real_total", &site.real_footprints().count());
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
    let has_maturity = maturity::footprint_maturity(site, footprint, vars);
    vars.insert("unrecorded", &unrecorded(footprint, has_maturity));
    // Where the site says how its footprints' members were found, if it has an about page.
    // An example's members were not found that way.
    let about = site
        .page_by_slug("about")
        .filter(|_| footprint.counts_as_real())
        .map(|p| page_url(&p.slug));
    vars.insert("about_url", &about);
    vars.insert("locator_map", &map::locator_map(site, footprint));
    vars.insert("code", &footprint.code);
    vars.insert("stp", &footprint.stp);
    vars.insert("stp_name", &footprint.stp_name);
    let lead = footprint
        .lead
        .as_ref()
        .map(|c| OrganisationLink::new(site.registry.get(c)));
    vars.insert("lead", &lead);
    let mut partners: Vec<_> = footprint
        .partners
        .iter()
        .map(|c| OrganisationLink::new(site.registry.get(c)))
        .collect();
    crate::render::views::in_name_order(&mut partners);
    vars.insert("partners", &partners);
    vars.insert("member_groups", &member_groups(site, footprint));
    // Only what is recorded: what is not is said once, by `unrecorded`.
    let governance: Vec<_> = governance_facts(footprint)
        .into_iter()
        .filter(|fact| fact.value.is_some())
        .collect();
    vars.insert("governance", &governance);
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
    // A real footprint's page lists no illustrative story: it would read as its own.
    let stories: Vec<_> = site
        .stories_of_footprint(&footprint.slug)
        .filter(|s| may_list_on(*s, footprint))
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

/// What the site's data does not record for `footprint`, said once near the top of its page
/// ("no lead CCG, published roadmap or governance"), so that the page leads with what is
/// known instead of a "Not recorded" in every section. `None` when everything is recorded.
fn unrecorded(footprint: &Footprint, has_maturity: bool) -> Option<String> {
    let g = &footprint.governance;
    let governance = [
        &g.senior_responsible_owner,
        &g.ccio,
        &g.clinical_lead,
        &g.programme_board,
        &g.contact,
    ];
    let missing: Vec<&str> = [
        (
            footprint.stp.is_none() && footprint.stp_name.is_none(),
            "Sustainability and Transformation Plan",
        ),
        (
            footprint.lead.is_none() && footprint.partners.is_empty(),
            "CCGs",
        ),
        (
            footprint.lead.is_none() && !footprint.partners.is_empty(),
            "lead CCG",
        ),
        (footprint.published.is_none(), "published roadmap"),
        (governance.iter().all(|v| v.is_none()), "governance"),
        (
            footprint.capabilities.is_empty() && footprint.milestones.is_empty(),
            "capability plans",
        ),
        (!has_maturity, "digital maturity results"),
        (footprint.roadmap.is_none(), "roadmap text"),
    ]
    .into_iter()
    .filter_map(|(missing, what)| missing.then_some(what))
    .collect();
    (!missing.is_empty()).then(|| crate::words::list(&missing, "or"))
}

/// The old address of a footprint merged into `into`: a page that sends the reader on.
pub(super) fn merged(page: &mut PageVars, old: &str, into: &Footprint) -> Option<Place> {
    page.vars.insert("old_slug", old);
    page.vars
        .insert("footprint", &footprint_link(page.site, into));
    None
}
