//! The Digital Maturity Self-assessment: NHS providers scored themselves from 0 to 100 on
//! three themes (readiness, capabilities, infrastructure) before the roadmaps were written,
//! and each roadmap began from that baseline.
//!
//! Rows of `digital-maturity.csv` are resolved here: the code must name a trust in the
//! register, a provider has one row a year, and a year lies between the first assessment
//! (2015/16, made in 2015 and 2016) and the build's "today".

use std::collections::HashMap;

use chrono::Datelike;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::organisation::{OdsCode, OrganisationKind, Registry};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::{MaturityRow, SourceFile};

use crate::load::FIRST_MATURITY_YEAR as FIRST_YEAR;

/// A theme of the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Theme {
    Readiness,
    Capabilities,
    Infrastructure,
}

/// The themes in the order of the file's columns, of every table and of every chart.
pub const THEMES: [Theme; 3] = [Theme::Readiness, Theme::Capabilities, Theme::Infrastructure];

impl Theme {
    pub fn label(self) -> &'static str {
        match self {
            Theme::Readiness => "Readiness",
            Theme::Capabilities => "Capabilities",
            Theme::Infrastructure => "Infrastructure",
        }
    }

    /// The column of `digital-maturity.csv` and the key of the exports.
    pub fn key(self) -> &'static str {
        match self {
            Theme::Readiness => "readiness",
            Theme::Capabilities => "capabilities",
            Theme::Infrastructure => "infrastructure",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One provider's self-assessment of one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub code: OdsCode,
    pub year: i32,
    /// By theme, in [`THEMES`] order; `None` where the file leaves the score empty.
    pub scores: [Option<u8>; 3],
}

impl Assessment {
    pub fn score(&self, theme: Theme) -> Option<u8> {
        self.scores[theme.index()]
    }
}

/// Every assessment of the site, looked up by provider.
#[derive(Debug, Default, PartialEq)]
pub struct DigitalMaturity {
    /// By code, then year.
    assessments: Vec<Assessment>,
    /// A provider's assessments, as a range of `assessments`.
    by_code: FxHashMap<OdsCode, std::ops::Range<usize>>,
}

impl DigitalMaturity {
    /// Resolves the rows of `digital-maturity.csv`, reporting every bad one at its cell.
    pub fn resolve(
        source: Option<(SourceFile, Vec<MaturityRow>)>,
        registry: &Registry,
        now: chrono::NaiveDate,
        problems: &mut Diagnostics,
    ) -> DigitalMaturity {
        let Some((file, rows)) = source else {
            return DigitalMaturity::default();
        };
        let mut first_place: HashMap<(&str, i32), Location> = HashMap::new();
        let mut assessments = Vec::new();
        for row in &rows {
            let at_code = || file.locate(row.code_span.clone());
            let Some(organisation) = registry.resolve(&row.code) else {
                problems.push(
                    Diagnostic::error(format!("unknown organisation code `{}`", row.code))
                        .at(at_code())
                        .label("not in organisations.csv")
                        .help("check the trust's ODS code, or add the trust to content/organisations.csv"),
                );
                continue;
            };
            if organisation.kind != OrganisationKind::Trust {
                problems.push(
                    Diagnostic::error(format!(
                        "`{}` is not an NHS trust, so it made no self-assessment",
                        row.code
                    ))
                    .at(at_code())
                    .label(format!("{} is a {}", organisation.name, organisation.kind.label().to_lowercase()))
                    .help("the Digital Maturity Self-assessment was made by NHS providers: give a code whose kind is `trust` in organisations.csv"),
                );
                continue;
            }
            // The file's reader refused years before the first assessment.
            if row.year > now.year() {
                problems.push(
                    Diagnostic::error(format!("no assessment was made in {}", row.year))
                        .at(file.locate(row.year_span.clone()))
                        .label(format!("after the build's date ({now})"))
                        .help(format!(
                            "give the year the assessment was made, from {FIRST_YEAR} to {}",
                            now.year()
                        )),
                );
                continue;
            }
            if let Some(first) = first_place.get(&(row.code.as_str(), row.year)) {
                problems.push(
                    Diagnostic::error(format!("`{}` has two rows for {}", row.code, row.year))
                        .at(at_code())
                        .label("listed again here")
                        .note("first listed here", first.clone())
                        .help("keep one row per provider and year"),
                );
                continue;
            }
            first_place.insert((row.code.as_str(), row.year), at_code());
            assessments.push(Assessment {
                code: organisation.code.clone(),
                year: row.year,
                scores: row.scores,
            });
        }
        assessments.sort_by(|a, b| (&a.code, a.year).cmp(&(&b.code, b.year)));
        let mut by_code: FxHashMap<OdsCode, std::ops::Range<usize>> = FxHashMap::default();
        for (index, assessment) in assessments.iter().enumerate() {
            by_code
                .entry(assessment.code.clone())
                .and_modify(|range| range.end = index + 1)
                .or_insert(index..index + 1);
        }
        DigitalMaturity {
            assessments,
            by_code,
        }
    }

    /// Every assessment, by code then year.
    pub fn iter(&self) -> impl Iterator<Item = &Assessment> {
        self.assessments.iter()
    }

    /// A provider's assessments, oldest first.
    pub fn of(&self, code: &OdsCode) -> &[Assessment] {
        self.by_code
            .get(code)
            .map_or(&[], |range| &self.assessments[range.clone()])
    }

    /// A provider's baseline: its first assessment, the starting point its footprint's
    /// roadmap was written from.
    pub fn baseline(&self, code: &OdsCode) -> Option<&Assessment> {
        self.of(code).first()
    }

    /// The providers with at least one assessment.
    pub fn providers(&self) -> impl Iterator<Item = &OdsCode> {
        let mut codes: Vec<&OdsCode> = self.by_code.keys().collect();
        codes.sort();
        codes.into_iter()
    }
}

/// The baselines the national picture is drawn from: every real provider's; where the
/// site has none, the illustrative examples', marked as such so that pages say so.
pub struct NationalBaselines<'a> {
    pub assessments: Vec<&'a Assessment>,
    pub illustrative: bool,
}

impl DigitalMaturity {
    pub fn national<'a>(&'a self, registry: &Registry) -> NationalBaselines<'a> {
        let baselines = |example: bool| -> Vec<&'a Assessment> {
            self.providers()
                .filter(|code| registry.get(code).example == example)
                .filter_map(|code| self.baseline(code))
                .collect()
        };
        let real = baselines(false);
        if real.is_empty() {
            NationalBaselines {
                assessments: baselines(true),
                illustrative: true,
            }
        } else {
            NationalBaselines {
                assessments: real,
                illustrative: false,
            }
        }
    }
}

/// The median of `values`: the middle one, or the mean of the middle two; `None` for none.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The median baseline score of each theme over `assessments`, a theme's empty cells left
/// out.
pub fn theme_medians<'a>(
    assessments: impl Iterator<Item = &'a Assessment> + Clone,
) -> [Option<f64>; 3] {
    THEMES.map(|theme| {
        let values: Vec<f64> = assessments
            .clone()
            .filter_map(|a| a.score(theme))
            .map(f64::from)
            .collect();
        median(&values)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[40.0]), Some(40.0));
        assert_eq!(median(&[70.0, 10.0, 40.0]), Some(40.0));
        assert_eq!(median(&[70.0, 10.0, 40.0, 45.0]), Some(42.5));
    }
}
