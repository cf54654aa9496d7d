//! What each footprint will deliver and when: the capability table and timeline of a
//! footprint, the national capability matrix, and the maps.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::format_date;
use super::map::{Detail, Fill, england_map, region_colour, shape_defs};
use super::parts::Parts;
use super::timeline::{
    plan_start, status_colour, status_label, timeline_figure, timeline_svg, years,
};
use super::vars::Vars;
use super::views::{FootprintName, footprint_name};
use crate::diagnostic::Diagnostic;
use crate::model::inputs::Fragment;
use crate::model::{CapabilityStatus, Footprint, Illustrative, Site};

/// The colour of a status, or of none recorded.
fn status_fill(status: Option<CapabilityStatus>) -> &'static str {
    status.map_or(NOT_RECORDED_COLOUR, status_colour)
}

fn status_text(status: Option<CapabilityStatus>) -> &'static str {
    status.map_or("Not recorded", status_label)
}

const NOT_RECORDED_COLOUR: &str = "#d8dde0";

/// The class of a status in style.css (`.matrix-cell--planned`), whose colours are
/// [`status_fill`]'s.
fn status_class(status: Option<CapabilityStatus>) -> &'static str {
    match status {
        None => "not-recorded",
        Some(CapabilityStatus::NotStarted) => "not-started",
        Some(CapabilityStatus::Planned) => "planned",
        Some(CapabilityStatus::InProgress) => "in-progress",
        Some(CapabilityStatus::Live) => "live",
    }
}

/// One row of a footprint's capability table.
#[derive(Serialize)]
struct PlanRow<'a> {
    id: &'a str,
    /// The capability's rendered heading: a new title is put in place on the kept page
    /// without rendering it ([`Fragment::is_spliced`]). There is no `title` beside it, so
    /// that a template shows the title only here, where a new one reaches it.
    heading: &'a str,
    status: Option<CapabilityStatus>,
    status_label: &'static str,
    colour: &'static str,
    target: Option<String>,
}

/// The footprint page's plan: a row for every defined capability (planned or not), the
/// milestones, and the SVG.
pub fn footprint_plan(
    site: &Site,
    parts: &Parts,
    footprint: &Footprint,
    vars: &mut Vars,
) -> Result<(), Diagnostic> {
    let headings: Vec<_> = site
        .capabilities
        .iter()
        .map(|c| parts.get_or_missing(&Fragment::CapabilityHeading(c.id.clone())))
        .collect::<Result<_, _>>()?;
    let rows: Vec<PlanRow> = site
        .capabilities
        .iter()
        .zip(&headings)
        .map(|(capability, heading)| {
            let plan = footprint.plan_for(&capability.id);
            PlanRow {
                id: &capability.id,
                heading,
                status: plan.map(|p| p.status),
                status_label: status_text(plan.map(|p| p.status)),
                colour: status_fill(plan.map(|p| p.status)),
                target: plan.and_then(|p| p.target).map(format_date),
            }
        })
        .collect();
    vars.insert("capability_rows", &rows);
    vars.insert("has_plans", &!footprint.capabilities.is_empty());
    vars.insert("timeline_svg", &timeline_svg(footprint, site.config.now));
    vars.insert(
        "timeline_figure",
        &timeline_figure(footprint, site.config.now),
    );
    vars.insert("plan_start", &format_date(plan_start()));
    Ok(())
}

#[derive(Serialize)]
struct MatrixCell {
    status: Option<CapabilityStatus>,
    label: &'static str,
    /// The cell is coloured by a class in style.css, not a `style` attribute, which the
    /// site's Content-Security-Policy would block.
    status_class: &'static str,
}

/// One footprint's row of the capability matrix, for its part
/// ([`super::parts::Parts`]).
#[derive(Serialize)]
pub struct MatrixRow {
    footprint: FootprintName,
    example: bool,
    cells: Vec<MatrixCell>,
}

pub fn matrix_row(site: &Site, footprint: &Footprint) -> MatrixRow {
    MatrixRow {
        footprint: footprint_name(footprint),
        example: footprint.example,
        cells: site
            .capabilities
            .iter()
            .map(|c| {
                let status = footprint.status_of(&c.id);
                MatrixCell {
                    status,
                    label: status_text(status),
                    status_class: status_class(status),
                }
            })
            .collect(),
    }
}

/// A region of the matrix: the rows of its footprints that record plans, rendered, and
/// the others folded into one line.
#[derive(Serialize)]
struct MatrixRegion {
    name: String,
    count: usize,
    rows: String,
    /// How many rows `rows` has.
    recorded: usize,
    /// The footprints of the region that record no plan.
    unrecorded: Vec<FootprintName>,
}

/// For each capability, how many footprints plan to have it by the end of each year: in one
/// pass over the plans (a capability, year and footprint at a time took 10 ms at 10,000).
fn live_by_year(site: &Site) -> Vec<LiveByYear<'_>> {
    let column: FxHashMap<&str, usize> = site
        .capabilities
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut counts = vec![vec![0; years().count()]; site.capabilities.len()];
    // A footprint plans each capability at most once (the model refuses a second plan);
    // an illustrative footprint's plans are not counted.
    let plans = site.real_footprints().flat_map(|f| &f.capabilities);
    for plan in plans {
        let (Some(&c), Some(target)) = (column.get(plan.id.as_str()), plan.target) else {
            continue;
        };
        for (count, year) in counts[c].iter_mut().zip(years()) {
            if chrono::Datelike::year(&target) <= year {
                *count += 1;
            }
        }
    }
    site.capabilities
        .iter()
        .zip(counts)
        .map(|(c, counts)| LiveByYear {
            id: &c.id,
            title: &c.title,
            counts,
        })
        .collect()
}

#[derive(Serialize)]
struct LiveByYear<'a> {
    id: &'a str,
    title: &'a str,
    counts: Vec<usize>,
}

#[derive(Serialize)]
struct LegendEntry {
    label: &'static str,
    colour: &'static str,
}

const STATUSES: [CapabilityStatus; 4] = [
    CapabilityStatus::NotStarted,
    CapabilityStatus::Planned,
    CapabilityStatus::InProgress,
    CapabilityStatus::Live,
];

/// `/capabilities/`: footprints by capability, grouped by region, and per capability how
/// many footprints plan it live by the end of each year.
pub fn capability_matrix(site: &Site, parts: &Parts, vars: &mut Vars) -> Result<(), Diagnostic> {
    let mut regions = Vec::new();
    for region in &site.config.regions {
        let (recorded, unrecorded): (Vec<&Footprint>, Vec<&Footprint>) = site
            .footprints
            .iter()
            .filter(|f| &f.region == region)
            .partition(|f| !f.capabilities.is_empty());
        regions.push(MatrixRegion {
            name: region.clone(),
            count: recorded.len() + unrecorded.len(),
            recorded: recorded.len(),
            rows: parts.joined(
                recorded
                    .iter()
                    .map(|f| Fragment::CapabilityRow(f.slug.clone())),
            )?,
            unrecorded: unrecorded.into_iter().map(footprint_name).collect(),
        });
    }
    let live_by_year = live_by_year(site);
    let legend: Vec<LegendEntry> = STATUSES
        .iter()
        .map(|s| LegendEntry {
            label: status_label(*s),
            colour: status_colour(*s),
        })
        .collect();
    vars.insert("capabilities", &site.capabilities);
    vars.insert("matrix", &regions);
    vars.insert("not_recorded_colour", NOT_RECORDED_COLOUR);
    vars.insert("live_by_year", &live_by_year);
    vars.insert("years", &years().collect::<Vec<_>>());
    vars.insert("legend", &legend);
    vars.insert(
        "recorded",
        &site
            .real_footprints()
            .filter(|f| !f.capabilities.is_empty())
            .count(),
    );
    vars.insert(
        "example_plans",
        &site
            .footprints
            .iter()
            .any(|f| f.is_example() && !f.capabilities.is_empty()),
    );
    Ok(())
}

#[derive(Serialize)]
struct Swatch<'a> {
    label: &'a str,
    colour: &'static str,
}

/// The map of footprints coloured by region, with its key, for `/` and `/footprints/`.
pub fn region_map(site: &Site, prefix: &str, vars: &mut Vars) {
    let map = england_map(
        site,
        prefix,
        Detail::Full,
        true,
        "Map of the footprints, coloured by NHS England region",
        |f| Fill {
            colour: region_colour(site, &f.region),
            note: f.region.clone(),
        },
    );
    let key: Vec<Swatch> = site
        .config
        .regions
        .iter()
        .map(|r| Swatch {
            label: r,
            colour: region_colour(site, r),
        })
        .collect();
    vars.insert("map_svg", &map);
    vars.insert("map_key", &key);
}

#[derive(Serialize)]
struct CapabilityMap<'a> {
    id: &'a str,
    title: &'a str,
    svg: Option<String>,
}

/// One small map per capability on `/capabilities/`, each footprint coloured by status;
/// none when no footprint on the map records a plan (ten grey maps say nothing).
pub fn capability_maps(site: &Site, prefix: &str, vars: &mut Vars) {
    let drawn_with_plans = site.shapes.iter().any(|shape| {
        let footprint = &site.footprints[shape.footprint];
        footprint.counts_as_real() && !footprint.capabilities.is_empty()
    });
    if !drawn_with_plans {
        vars.insert("capability_maps", &Vec::<CapabilityMap>::new());
        return;
    }
    let maps: Vec<CapabilityMap> = site
        .capabilities
        .iter()
        .map(|c| CapabilityMap {
            id: &c.id,
            title: &c.title,
            svg: england_map(
                site,
                prefix,
                Detail::Small,
                false,
                &format!("Map of capability {} by footprint status", c.id),
                |f| {
                    let status = f.status_of(&c.id);
                    Fill {
                        colour: status_fill(status),
                        note: status_text(status).to_string(),
                    }
                },
            ),
        })
        .collect();
    vars.insert("capability_maps", &maps);
    vars.insert("map_defs", &shape_defs(site));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_cell_classes_have_the_status_colours() {
        let css = include_str!("../../themes/default/static/style.css");
        let statuses = [
            None,
            Some(CapabilityStatus::NotStarted),
            Some(CapabilityStatus::Planned),
            Some(CapabilityStatus::InProgress),
            Some(CapabilityStatus::Live),
        ];
        for status in statuses {
            let rule = format!(
                ".matrix-cell--{} {{ background: {}; }}",
                status_class(status),
                status_fill(status)
            );
            assert!(css.contains(&rule), "style.css lacks `{rule}`");
        }
    }
}
