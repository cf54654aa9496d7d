//! The map of England's footprints as inline SVG, projected and simplified at build time so
//! no map library runs in the browser. Each shape links to its footprint and says its name.

use std::fmt::Write;

use geo::{BoundingRect, MapCoords, MultiPolygon, Simplify};

use super::escape_text as escape;
use crate::model::{Footprint, Illustrative, Site};

/// Width of the view box; the height follows from the shape of England.
const WIDTH: f64 = 500.0;

/// How much detail a map keeps: the Ramer-Douglas-Peucker tolerance in view-box units.
#[derive(Clone, Copy)]
pub enum Detail {
    /// The main map: stays well under 100 KB for the 44 default footprints.
    Full,
    /// A thumbnail, one of many on a page: its shapes are drawn once, by [`shape_defs`],
    /// and each thumbnail refers to them.
    Small,
}

impl Detail {
    fn tolerance(self) -> f64 {
        match self {
            Detail::Full => 0.7,
            Detail::Small => 2.5,
        }
    }
}

/// What one footprint looks like on a map.
pub struct Fill {
    pub colour: &'static str,
    /// Added to the shape's name in its tooltip: "North of England", "Planned".
    pub note: String,
}

/// Draws every footprint that has an outline. Shapes are links when `linked`, so keyboard
/// focus reaches each of them; thumbnails are one image each.
pub fn england_map(
    site: &Site,
    prefix: &str,
    detail: Detail,
    linked: bool,
    label: &str,
    fill: impl Fn(&Footprint) -> Fill,
) -> Option<String> {
    let projected = project(site)?;
    let (width, height) = projected.size;
    let mut svg = String::new();
    let role = if linked {
        r#"role="group""#
    } else {
        r#"role="img""#
    };
    // Writing to a String cannot fail.
    let _ = write!(
        svg,
        r#"<svg class="footprint-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" {role} aria-label="{label}">"#,
        label = escape(label)
    );
    for (footprint, shape) in &projected.shapes {
        let footprint = &site.footprints[*footprint];
        // A map shows the real footprints: an example's outline would read as a real place.
        if !footprint.counts_as_real() {
            continue;
        }
        let Fill { colour, note } = fill(footprint);
        let title = escape(&format!("{} ({note})", footprint.name));
        if let Detail::Small = detail {
            let _ = write!(
                svg,
                r##"<use href="#map-shape-{slug}" fill="{colour}" stroke="#fff" stroke-width="0.6"><title>{title}</title></use>"##,
                slug = footprint.slug
            );
            continue;
        }
        let d = path_data(&shape.simplify(detail.tolerance()));
        if d.is_empty() {
            continue;
        }
        if linked {
            let _ = write!(
                svg,
                r##"<a href="{prefix}/footprints/{slug}/" data-footprint="{slug}"><title>{title}</title><path d="{d}" fill="{colour}" stroke="#fff" stroke-width="0.8"/></a>"##,
                slug = footprint.slug
            );
        } else {
            let _ = write!(
                svg,
                r##"<path d="{d}" fill="{colour}" stroke="#fff" stroke-width="0.6"><title>{title}</title></path>"##
            );
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// A small map of England with `footprint` drawn in blue among the others in grey, so its
/// page shows where it is; `None` when it has no outline (or is an example).
pub fn locator_map(site: &Site, footprint: &Footprint) -> Option<String> {
    let projected = project(site)?;
    let own = site.footprint_index_of(&footprint.slug)?;
    if !footprint.counts_as_real() || !projected.shapes.iter().any(|(i, _)| *i == own) {
        return None;
    }
    let (width, height) = projected.size;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="footprint-map footprint-map--locator" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-label="{label}">"#,
        label = escape(&format!(
            "Map of England with {} highlighted",
            footprint.name
        ))
    );
    // The footprint last, so that its outline is drawn over its neighbours'.
    let others = projected.shapes.iter().filter(|(i, _)| *i != own);
    let mine = projected.shapes.iter().filter(|(i, _)| *i == own);
    for (index, shape) in others.chain(mine) {
        if !site.footprints[*index].counts_as_real() {
            continue;
        }
        let colour = if *index == own { "#005eb8" } else { "#d8dde0" };
        let d = path_data(&shape.simplify(Detail::Small.tolerance()));
        let _ = write!(
            svg,
            r##"<path d="{d}" fill="{colour}" stroke="#fff" stroke-width="0.6"/>"##
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// The thumbnails' shapes, drawn once per page in a hidden SVG.
pub fn shape_defs(site: &Site) -> Option<String> {
    let projected = project(site)?;
    let mut svg = String::from(
        r#"<svg class="map-defs" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false"><defs>"#,
    );
    for (footprint, shape) in &projected.shapes {
        let d = path_data(&shape.simplify(Detail::Small.tolerance()));
        let _ = write!(
            svg,
            r#"<path id="map-shape-{}" d="{d}"/>"#,
            site.footprints[*footprint].slug
        );
    }
    svg.push_str("</defs></svg>");
    Some(svg)
}

struct Projected {
    size: (f64, f64),
    shapes: Vec<(usize, MultiPolygon<f64>)>,
}

/// Longitude and latitude onto a plane: an equirectangular projection with longitude
/// scaled by the cosine of the middle latitude, which keeps England's proportions.
fn project(site: &Site) -> Option<Projected> {
    let all: MultiPolygon<f64> = site
        .shapes
        .iter()
        .flat_map(|s| s.shape.0.iter().cloned())
        .collect();
    let bounds = all.bounding_rect()?;
    let middle = (bounds.min().y + bounds.max().y) / 2.0;
    let squash = middle.to_radians().cos();
    let scale = WIDTH / ((bounds.max().x - bounds.min().x) * squash);
    let height = (bounds.max().y - bounds.min().y) * scale;
    let shapes = site
        .shapes
        .iter()
        .map(|s| {
            let flat = s.shape.map_coords(|c| {
                geo::coord! {
                    x: (c.x - bounds.min().x) * squash * scale,
                    y: (bounds.max().y - c.y) * scale,
                }
            });
            (s.footprint, flat)
        })
        .collect();
    Some(Projected {
        size: (WIDTH, height),
        shapes,
    })
}

/// SVG path data, one decimal place; rings that simplified away are dropped.
fn path_data(shape: &MultiPolygon<f64>) -> String {
    let mut d = String::new();
    for polygon in &shape.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            if ring.0.len() < 4 {
                continue;
            }
            for (i, point) in ring.0.iter().enumerate().take(ring.0.len() - 1) {
                let command = if i == 0 { 'M' } else { 'L' };
                let _ = write!(d, "{command}{:.1} {:.1}", point.x, point.y);
            }
            d.push('Z');
        }
    }
    d
}

/// The colour of each NHS England region on the map, in the order of `site.toml`.
pub fn region_colour(site: &Site, region: &str) -> &'static str {
    const COLOURS: [&str; 6] = [
        "#005eb8", "#007f3b", "#7c2855", "#ed8b00", "#00a499", "#330072",
    ];
    let index = site
        .config
        .regions
        .iter()
        .position(|r| r == region)
        .unwrap_or(0);
    COLOURS[index % COLOURS.len()]
}
