//! Which outline in `boundaries.geojson` belongs to which footprint.

use geo::MultiPolygon;

use super::Footprint;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Boundary;

/// A footprint's outline, by the footprint's index in the site.
#[derive(Debug, Clone, PartialEq)]
pub struct FootprintShape {
    pub footprint: usize,
    pub shape: MultiPolygon<f64>,
}

/// Matches each boundary to the footprint whose `stp` (or else `code`) it names. A footprint
/// without a boundary, or a boundary without a footprint, is left off the map with a warning.
pub fn match_boundaries(
    boundaries: Vec<Boundary>,
    footprints: &[Footprint],
    problems: &mut Diagnostics,
) -> Vec<FootprintShape> {
    if boundaries.is_empty() {
        return Vec::new();
    }
    let index_of = |code: &str| {
        footprints
            .iter()
            .position(|f| f.stp.as_deref() == Some(code))
            .or_else(|| footprints.iter().position(|f| f.code == code))
    };
    let mut shapes: Vec<FootprintShape> = Vec::new();
    for boundary in boundaries {
        match index_of(&boundary.code) {
            Some(footprint) if shapes.iter().any(|s| s.footprint == footprint) => problems.push(
                Diagnostic::warning(format!(
                    "a second boundary for `{}` is left off the map",
                    boundary.code
                ))
                .help("give each footprint one feature in boundaries.geojson"),
            ),
            Some(footprint) => shapes.push(FootprintShape {
                footprint,
                shape: boundary.shape,
            }),
            None => problems.push(
                Diagnostic::warning(format!("boundary `{}` matches no footprint", boundary.code))
                    .help("the code must be a footprint's `stp` or `code`; it is left off the map"),
            ),
        }
    }
    for (index, footprint) in footprints.iter().enumerate() {
        if !footprint.example && !shapes.iter().any(|s| s.footprint == index) {
            problems.push(
                Diagnostic::warning(format!(
                    "footprint `{}` has no boundary and is not on the map",
                    footprint.slug
                ))
                .in_file(&footprint.folder.join("footprint.toml"))
                .help("add its outline to content/boundaries.geojson; the list shows it anyway"),
            );
        }
    }
    shapes.sort_by_key(|s| s.footprint);
    shapes
}
