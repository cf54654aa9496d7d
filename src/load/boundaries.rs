//! `content/boundaries.geojson`: the outline of each footprint, for the map.

use geo::MultiPolygon;
use geojson::FeatureCollection;

use super::source::SourceFile;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// One feature's outline and the code that names its footprint.
#[derive(Debug, Clone)]
pub struct Boundary {
    pub code: String,
    pub shape: MultiPolygon<f64>,
}

/// Reads every feature; `code_key` names the property that holds the footprint's code.
pub fn parse_boundaries(
    file: &SourceFile,
    code_key: &str,
    problems: &mut Diagnostics,
) -> Vec<Boundary> {
    let collection: FeatureCollection = match serde_json::from_str(&file.text) {
        Ok(collection) => collection,
        Err(error) => {
            let offset = offset_of(&file.text, error.line(), error.column());
            problems.push(
                Diagnostic::error(format!(
                    "boundaries.geojson is not a GeoJSON FeatureCollection: {error}"
                ))
                .at(file.locate(offset..offset + 1))
                .help(
                    "export the boundaries as GeoJSON (RFC 7946) in WGS84 longitude and latitude",
                ),
            );
            return Vec::new();
        }
    };
    let mut boundaries = Vec::new();
    for (index, feature) in collection.features.iter().enumerate() {
        let code = feature.property(code_key).and_then(|v| v.as_str());
        let shape = feature
            .geometry
            .as_ref()
            .and_then(|g| as_polygons(&g.value));
        match (code, shape) {
            (Some(code), Some(shape)) => boundaries.push(Boundary { code: code.to_string(), shape }),
            _ => problems.push(
                Diagnostic::warning(format!(
                    "boundary feature {} has no `{code_key}` property or no polygon; it is left off the map",
                    index + 1
                ))
                .in_file(&file.path)
                .help("set `boundary_code` in site.toml to the property that holds each footprint's code"),
            ),
        }
    }
    boundaries
}

/// Outlines come as Polygon or MultiPolygon features; anything else has no area to draw.
fn as_polygons(value: &geojson::GeometryValue) -> Option<MultiPolygon<f64>> {
    match geo::Geometry::<f64>::try_from(value).ok()? {
        geo::Geometry::Polygon(polygon) => Some(MultiPolygon(vec![polygon])),
        geo::Geometry::MultiPolygon(polygons) => Some(polygons),
        _ => None,
    }
}

/// serde_json counts lines from 1 and columns from 1.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len().saturating_sub(1))
}
