//! The section listings: the home page, footprints by region, organisations A to Z.

use std::collections::BTreeMap;

use serde::Serialize;

use super::parts::Parts;
use super::vars::Vars;
use super::views::{event_view, footprint_link, members_of_kind, story_view};
use crate::diagnostic::Diagnostic;
use crate::model::inputs::Fragment;
use crate::model::{Illustrative, OdsCode, OrganisationKind, Site};

#[derive(Serialize)]
pub struct RegionView {
    name: String,
    slug: String,
    footprints: Vec<super::views::FootprintLink>,
    /// How many of `footprints` are real.
    real: usize,
    ccgs: usize,
    providers: usize,
    councils: usize,
    /// An organisation is in more than one of the region's footprints, so a column of the
    /// table adds up to more than its total.
    shared: bool,
    /// The region lists an illustrative footprint, left out of its totals.
    has_example: bool,
}

/// How many distinct organisations of each kind the footprints have: a council in two
/// footprints of a region is one council, as the home page counts it.
fn distinct_members<'a>(
    site: &Site,
    footprints: impl Iterator<Item = &'a crate::model::Footprint>,
) -> (BTreeMap<OrganisationKind, usize>, bool) {
    let mut seen = std::collections::BTreeSet::new();
    let mut counts = BTreeMap::new();
    let mut shared = false;
    for footprint in footprints {
        for (code, _) in footprint.organisations() {
            if seen.insert(code) {
                *counts.entry(site.registry.get(code).kind).or_insert(0) += 1;
            } else {
                shared = true;
            }
        }
    }
    (counts, shared)
}

pub fn regions_view(site: &Site) -> Vec<RegionView> {
    site.config
        .regions
        .iter()
        .map(|region| {
            let in_region: Vec<_> = site
                .footprints
                .iter()
                .filter(|f| &f.region == region)
                .collect();
            let footprints: Vec<_> = in_region.iter().map(|f| footprint_link(site, f)).collect();
            // The totals are real counts: an illustrative footprint's members are not.
            let real = || {
                in_region
                    .iter()
                    .zip(&footprints)
                    .filter(|(f, _)| f.counts_as_real())
                    .map(|(_, link)| link)
            };
            let (members, shared) = distinct_members(
                site,
                in_region.iter().copied().filter(|f| f.counts_as_real()),
            );
            let of = |kind| members.get(&kind).copied().unwrap_or(0);
            RegionView {
                name: region.clone(),
                slug: crate::model::slugify(region),
                real: real().count(),
                ccgs: of(OrganisationKind::Ccg),
                providers: of(OrganisationKind::Trust),
                councils: of(OrganisationKind::LocalAuthority),
                shared,
                has_example: in_region.iter().any(|f| f.is_example()),
                footprints,
            }
        })
        .collect()
}

/// A region's totals, as the home page shows them.
#[derive(Serialize)]
pub struct RegionTotals {
    name: String,
    slug: String,
    /// Its real footprints (an illustrative footprint is not counted).
    footprints: usize,
    /// The CCGs of its real footprints.
    ccgs: usize,
}

/// Each region's totals, without a link to every footprint (which `/footprints/` has).
pub fn region_totals(site: &Site) -> Vec<RegionTotals> {
    site.config
        .regions
        .iter()
        .map(|region| {
            let footprints = || site.real_footprints().filter(|f| &f.region == region);
            RegionTotals {
                name: region.clone(),
                slug: crate::slug::slugify(region),
                footprints: footprints().count(),
                ccgs: footprints()
                    .map(|f| members_of_kind(site, f, OrganisationKind::Ccg))
                    .sum(),
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct Letter {
    letter: String,
    /// `id` of the letter's heading: "#" may not appear in a fragment.
    anchor: String,
    /// The letter's organisations, rendered ([`super::parts::Parts`]).
    entries: String,
}

/// A-Z groups of the real organisations (the illustrative examples are not listed), ignoring the "NHS " that starts most CCG names so they file under their place.
pub fn organisations_by_letter(site: &Site, parts: &Parts) -> Result<Vec<Letter>, Diagnostic> {
    let mut groups: BTreeMap<String, Vec<(String, &OdsCode)>> = BTreeMap::new();
    for organisation in site.registry.real() {
        let key = sort_key(&organisation.name);
        let letter = key
            .chars()
            .next()
            .filter(char::is_ascii_alphabetic)
            .map_or("#".to_string(), |c| c.to_string());
        groups
            .entry(letter)
            .or_default()
            .push((key, &organisation.code));
    }
    groups
        .into_iter()
        .map(|(letter, mut list)| {
            list.sort_by(|a, b| a.0.cmp(&b.0));
            let anchor = if letter == "#" {
                "letter-other".to_string()
            } else {
                format!("letter-{letter}")
            };
            let entries = parts.joined(
                list.into_iter()
                    .map(|(_, code)| Fragment::OrganisationEntry(code.clone())),
            )?;
            Ok(Letter {
                letter,
                anchor,
                entries,
            })
        })
        .collect()
}

pub(crate) fn sort_key(name: &str) -> String {
    let upper = name.to_uppercase();
    upper
        .strip_prefix("NHS ")
        .unwrap_or(&upper)
        .trim()
        .to_string()
}

#[derive(Serialize)]
struct Figures {
    footprints: usize,
    organisations: usize,
    ccgs: usize,
    trusts: usize,
    councils: usize,
    regions: usize,
}

pub fn home_context(site: &Site, context: &mut Vars) {
    let real_members = || {
        site.footprints_of
            .keys()
            .map(|c| site.registry.get(c))
            .filter(|o| o.counts_as_real())
    };
    let in_footprints = |kind: OrganisationKind| real_members().filter(|o| o.kind == kind).count();
    context.insert(
        "figures",
        &Figures {
            footprints: site.real_footprints().count(),
            organisations: real_members().count(),
            ccgs: in_footprints(OrganisationKind::Ccg),
            trusts: in_footprints(OrganisationKind::Trust),
            councils: in_footprints(OrganisationKind::LocalAuthority),
            regions: site.config.regions.len(),
        },
    );
    context.insert("timeline", &site.config.timeline);
    let upcoming: Vec<_> = site
        .events
        .iter()
        .map(|e| event_view(site, e))
        .filter(|e| e.upcoming)
        .take(3)
        .collect();
    context.insert("upcoming", &upcoming);
    let stories: Vec<_> = site
        .stories
        .iter()
        .take(3)
        .map(|s| story_view(site, s))
        .collect();
    context.insert("stories", &stories);
    context.insert("regions", &region_totals(site));
}
