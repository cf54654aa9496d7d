//! The organisation family: `/organisations/` (the register A to Z) and each
//! organisation's page.

use super::{PageVars, Place};
use crate::diagnostic::Diagnostic;
use crate::model::{Organisation, may_list_on};
use crate::render::listings::organisations_by_letter;
use crate::render::views::{OrganisationLink, memberships, story_view};
use crate::render::{maturity, structured_data};

/// `/organisations/`.
pub(super) fn listing(page: &mut PageVars) -> Result<Option<Place>, Diagnostic> {
    let site = page.site;
    page.vars.insert(
        "letters",
        &organisations_by_letter(site, page.rendering.parts)?,
    );
    page.vars.insert("count", &site.registry.real().count());
    Ok(Some(Place::named("Organisations A to Z")))
}

/// An organisation's page: the footprints it belongs to, its maturity and its stories.
pub(super) fn organisation(page: &mut PageVars, organisation: &Organisation) -> Option<Place> {
    let site = page.site;
    let vars = &mut page.vars;
    vars.insert("organisation", &OrganisationLink::new(organisation));
    vars.insert("memberships", &memberships(site, &organisation.code));
    vars.insert("example", &organisation.example);
    maturity::organisation_maturity(site, organisation, vars);
    let stories: Vec<_> = site
        .stories_of_organisation(&organisation.code)
        .filter(|s| may_list_on(*s, organisation))
        .map(|s| story_view(site, s))
        .collect();
    vars.insert("stories", &stories);
    // An illustrative example is not offered to search engines as an organisation.
    let about = (!organisation.example)
        .then(|| structured_data::organisation(site, organisation, &page.current))
        .into_iter()
        .collect();
    Some(Place {
        name: organisation.name.clone(),
        about,
    })
}
