//! The digital maturity baseline on three kinds of page: a provider's scores by theme (an
//! SVG bar chart with a table of the same numbers), a footprint's providers side by side
//! with the footprint and national medians, and `/digital-maturity/`, the national picture.

use std::fmt::Write;

use serde::Serialize;

use super::escape_text as escape;
use super::map::{Detail, Fill, england_map, shape_defs};
use super::vars::Vars;
use super::views::{OrganisationLink, footprint_link};
use crate::model::maturity::{Assessment, THEMES, Theme, median, theme_medians};
use crate::model::{Footprint, Organisation, OrganisationKind, Site};

/// The bars' axis, in units of the plot's own drawing (0 to 100 across it).
const PLOT: f64 = 100.0;
/// How much of the chart's width the plot takes: the rest is room for the longest bar's
/// number ("12 providers") at 12px on a 288px phone screen.
const PLOT_PERCENT: f64 = 64.0;
/// Where the plot starts, in CSS px: room for half the first tick's label.
const INSET: f64 = 8.0;
const TOP: f64 = 24.0;
const LINE: f64 = 16.0;
const BAR: f64 = 16.0;
/// The widest line of a bar's label, in characters: 13px text that fits 288px.
const LABEL_CHARS: usize = 34;

/// One bar of a chart.
struct Bar {
    label: String,
    value: f64,
    /// What the bar's tooltip and end say: "64", "3 providers".
    text: String,
    /// `data-` attributes that name what the bar shows, for tests and scripts.
    data: Vec<(&'static str, String)>,
}

/// The x of `value` in the plot's units, on an axis from 0 to `max`.
fn x_of(value: f64, max: f64) -> f64 {
    value / max * PLOT
}

/// The same place as a percentage of the whole chart's width, for the text drawn beside it
/// (text is placed with `dx="{INSET}"` after it).
fn percent_of(value: f64, max: f64) -> f64 {
    value / max * PLOT_PERCENT
}

/// A horizontal bar chart: one bar per row under its label, on an axis from 0 to `max`,
/// with `ticks` marked. The page puts a table of the same numbers beside it.
///
/// The chart is as wide as its column and is not scaled: its text is drawn at its own size
/// (12 and 13px) on a phone and a desktop alike. Only the bars and ticks stretch, in an
/// inner drawing (`preserveAspectRatio="none"`); the text is placed in percentages of
/// the chart's width, which that drawing spans.
fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar], max: f64, ticks: &[f64]) -> String {
    let rows: Vec<Vec<String>> = bars
        .iter()
        .map(|b| super::timeline::name_lines(&b.label, LABEL_CHARS))
        .collect();
    let height = TOP
        + rows
            .iter()
            .map(|lines| lines.len() as f64 * LINE + BAR + 10.0)
            .sum::<f64>();
    let mut svg = String::new();
    let mut plot = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        svg,
        r#"<svg class="maturity-chart" xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        title = escape(title),
        desc = escape(desc)
    );
    let _ = write!(
        plot,
        r#"<svg class="maturity-plot" x="{INSET}" width="{PLOT_PERCENT}%" height="{height}" viewBox="0 0 {PLOT} {height}" preserveAspectRatio="none">"#
    );
    for &tick in ticks {
        let x = x_of(tick, max);
        let _ = write!(
            plot,
            r##"<line class="maturity-tick" data-value="{tick}" x1="{x:.2}" y1="{}" x2="{x:.2}" y2="{height}" stroke="#d8dde0" vector-effect="non-scaling-stroke"/>"##,
            TOP - 6.0
        );
        let _ = write!(
            svg,
            r##"<text x="{:.2}%" dx="{INSET}" y="14" font-size="12" text-anchor="middle" fill="#4c6272">{tick}</text>"##,
            percent_of(tick, max)
        );
    }
    let mut y = TOP;
    for (bar, lines) in bars.iter().zip(&rows) {
        for line in lines {
            y += LINE;
            let _ = write!(
                svg,
                r##"<text x="{INSET}" y="{:.1}" font-size="13" fill="#212b32">{}</text>"##,
                y - 3.0,
                escape(line)
            );
        }
        let data: String = bar
            .data
            .iter()
            .map(|(key, value)| format!(r#" data-{key}="{}""#, escape(value)))
            .collect();
        let _ = write!(
            plot,
            r##"<rect class="maturity-bar"{data} x="0" y="{:.1}" width="{:.2}" height="{BAR}" fill="#005eb8"><title>{label}: {text}</title></rect>"##,
            y + 1.0,
            x_of(bar.value, max),
            label = escape(&bar.label),
            text = escape(&bar.text),
        );
        let _ = write!(
            svg,
            r##"<text x="{:.2}%" dx="{}" y="{:.1}" font-size="12" fill="#212b32">{}</text>"##,
            percent_of(bar.value, max),
            INSET + 4.0,
            y + 13.0,
            escape(&bar.text),
        );
        y += BAR + 10.0;
    }
    plot.push_str("</svg>");
    svg.push_str(&plot);
    svg.push_str("</svg>");
    svg
}

pub fn format_score(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

#[derive(Serialize)]
struct YearRow {
    year: i32,
    scores: Vec<Option<String>>,
}

/// Scores as text for the templates, where a score of 0 must not read as "none".
fn score_texts(scores: &[Option<u8>; 3]) -> Vec<Option<String>> {
    scores.iter().map(|s| s.map(|s| s.to_string())).collect()
}

fn theme_labels() -> Vec<&'static str> {
    THEMES.iter().map(|t| t.label()).collect()
}

/// An organisation page: a trust's assessments, each year a row of the table, and a chart
/// of the same scores.
pub fn organisation_maturity(site: &Site, organisation: &Organisation, vars: &mut Vars) {
    let assessments = site.maturity.of(&organisation.code);
    let rows: Vec<YearRow> = assessments
        .iter()
        .map(|a| YearRow {
            year: a.year,
            scores: score_texts(&a.scores),
        })
        .collect();
    let several_years = assessments.len() > 1;
    let bars: Vec<Bar> = assessments
        .iter()
        .flat_map(|a| {
            THEMES.iter().filter_map(move |&theme| {
                let score = a.score(theme)?;
                Some(Bar {
                    label: if several_years {
                        format!("{} ({})", theme.label(), a.year)
                    } else {
                        theme.label().to_string()
                    },
                    value: f64::from(score),
                    text: score.to_string(),
                    data: vec![
                        ("theme", theme.key().to_string()),
                        ("year", a.year.to_string()),
                        ("score", score.to_string()),
                    ],
                })
            })
        })
        .collect();
    let svg = (!bars.is_empty()).then(|| {
        bar_chart(
            &format!("maturity-{}", organisation.code),
            &format!(
                "Digital maturity self-assessment scores of {}",
                organisation.name
            ),
            "One bar per theme, on a scale from 0 to 100; the table below gives the same scores.",
            &bars,
            100.0,
            &[0.0, 25.0, 50.0, 75.0, 100.0],
        )
    });
    vars.insert(
        "is_provider",
        &(organisation.kind == OrganisationKind::Trust),
    );
    vars.insert("maturity_themes", &theme_labels());
    vars.insert("maturity_rows", &rows);
    vars.insert("maturity_svg", &svg);
}

#[derive(Serialize)]
struct ProviderScores {
    provider: OrganisationLink,
    /// The year of the baseline; `None`: not recorded.
    year: Option<i32>,
    scores: Vec<Option<String>>,
}

#[derive(Serialize)]
struct FootprintBaseline {
    providers: Vec<ProviderScores>,
    recorded: usize,
    footprint_median: Vec<Option<String>>,
    national_median: Vec<Option<String>>,
    national_count: usize,
    /// The national median is of the illustrative examples: the site has no real results.
    national_illustrative: bool,
}

fn formatted(medians: [Option<f64>; 3]) -> Vec<Option<String>> {
    medians.iter().map(|m| m.map(format_score)).collect()
}

/// The NHS trusts among a footprint's members, in its order.
fn providers<'a>(
    site: &'a Site,
    footprint: &'a Footprint,
) -> impl Iterator<Item = &'a Organisation> {
    footprint
        .members
        .iter()
        .map(|code| site.registry.get(code))
        .filter(|o| o.kind == OrganisationKind::Trust)
}

/// The baselines of a footprint's providers that have one.
fn footprint_baselines<'a>(site: &'a Site, footprint: &'a Footprint) -> Vec<&'a Assessment> {
    providers(site, footprint)
        .filter_map(|o| site.maturity.baseline(&o.code))
        .collect()
}

/// A footprint's medians by theme, and how many of its providers have a baseline; `None`
/// when none has. Shared with the exports, so the page and the data agree.
pub fn footprint_medians(site: &Site, footprint: &Footprint) -> Option<([Option<f64>; 3], usize)> {
    let baselines = footprint_baselines(site, footprint);
    (!baselines.is_empty()).then(|| (theme_medians(baselines.iter().copied()), baselines.len()))
}

/// A footprint page's "Digital maturity baseline": `None` (one line on the page) when
/// there is nothing to compare: none of its providers has a row, and the site has no real
/// results to give a national median.
/// Returns whether there is a baseline to show.
pub fn footprint_maturity(site: &Site, footprint: &Footprint, vars: &mut Vars) -> bool {
    let national = site.maturity.national(&site.registry);
    let own = footprint_baselines(site, footprint);
    let comparable =
        !own.is_empty() || (!national.illustrative && !national.assessments.is_empty());
    let baseline = comparable.then(|| FootprintBaseline {
        providers: providers(site, footprint)
            .map(|o| {
                let baseline = site.maturity.baseline(&o.code);
                ProviderScores {
                    provider: OrganisationLink::new(o),
                    year: baseline.map(|a| a.year),
                    scores: baseline.map_or_else(Vec::new, |a| score_texts(&a.scores)),
                }
            })
            .collect(),
        recorded: own.len(),
        footprint_median: formatted(theme_medians(own.iter().copied())),
        national_median: formatted(theme_medians(national.assessments.iter().copied())),
        national_count: national.assessments.len(),
        national_illustrative: national.illustrative,
    });
    vars.insert("maturity_themes", &theme_labels());
    vars.insert("maturity", &baseline);
    baseline.is_some()
}

#[derive(Serialize)]
struct ThemeDistribution {
    theme: &'static str,
    key: &'static str,
    count: usize,
    lowest: Option<u8>,
    median: Option<String>,
    highest: Option<u8>,
    /// Providers in each band of [`BANDS`].
    bands: Vec<usize>,
    svg: Option<String>,
}

/// The score bands of the distribution and of the map's key.
const BANDS: [(u8, u8); 5] = [(0, 19), (20, 39), (40, 59), (60, 79), (80, 100)];

/// The map's colours for the bands (light to dark NHS blues), and for no median.
const BAND_COLOURS: [&str; 5] = ["#e0ecf8", "#a6c8eb", "#4c97d9", "#005eb8", "#003087"];
const NO_MEDIAN_COLOUR: &str = "#d8dde0";

fn band_of(value: f64) -> usize {
    BANDS
        .iter()
        .position(|&(_, high)| value < f64::from(high) + 1.0)
        .unwrap_or(BANDS.len() - 1)
}

fn band_label(band: (u8, u8)) -> String {
    format!("{} to {}", band.0, band.1)
}

#[derive(Serialize)]
struct RankedFootprint {
    rank: usize,
    footprint: super::views::FootprintLink,
    recorded: usize,
    medians: Vec<Option<String>>,
    overall: String,
}

#[derive(Serialize)]
struct ThemeMap {
    theme: &'static str,
    svg: Option<String>,
}

#[derive(Serialize)]
struct KeyEntry {
    label: String,
    colour: &'static str,
}

/// `/digital-maturity/`: what the assessment was, and, where the site has results, their
/// distribution per theme, the footprints ranked by median and a map of the medians.
pub fn national_maturity(site: &Site, prefix: &str, vars: &mut Vars) {
    let national = site.maturity.national(&site.registry);
    let baselines = &national.assessments;
    let distribution: Vec<ThemeDistribution> = THEMES
        .iter()
        .map(|&theme| distribution_of(theme, baselines))
        .collect();
    let mut ranked: Vec<(f64, RankedFootprint)> = site
        .footprints
        .iter()
        .filter(|f| f.example == national.illustrative)
        .filter_map(|f| {
            let (medians, recorded) = footprint_medians(site, f)?;
            let known: Vec<f64> = medians.iter().flatten().copied().collect();
            let overall = known.iter().sum::<f64>() / known.len().max(1) as f64;
            Some((
                overall,
                RankedFootprint {
                    rank: 0,
                    footprint: footprint_link(site, f),
                    recorded,
                    medians: formatted(medians),
                    overall: format!("{overall:.1}"),
                },
            ))
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.footprint.name.cmp(&b.1.footprint.name))
    });
    let ranked: Vec<RankedFootprint> = ranked
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut row))| {
            row.rank = i + 1;
            row
        })
        .collect();
    let unranked = site
        .footprints
        .iter()
        .filter(|f| f.example == national.illustrative)
        .count()
        - ranked.len();
    let medians_by_slug: rustc_hash::FxHashMap<&str, [Option<f64>; 3]> = site
        .footprints
        .iter()
        .filter(|f| f.example == national.illustrative)
        .filter_map(|f| Some((f.slug.as_str(), footprint_medians(site, f)?.0)))
        .collect();
    let mapped = site
        .shapes
        .iter()
        .any(|s| medians_by_slug.contains_key(site.footprints[s.footprint].slug.as_str()));
    let maps: Vec<ThemeMap> = if mapped {
        THEMES
            .iter()
            .map(|&theme| ThemeMap {
                theme: theme.label(),
                svg: england_map(
                    site,
                    prefix,
                    Detail::Small,
                    false,
                    &format!("Map of the footprints' median {} scores", theme.key()),
                    |f| {
                        let value = medians_by_slug
                            .get(f.slug.as_str())
                            .and_then(|m| m[theme as usize]);
                        match value {
                            Some(v) => Fill {
                                colour: BAND_COLOURS[band_of(v)],
                                note: format!("median {}", format_score(v)),
                            },
                            None => Fill {
                                colour: NO_MEDIAN_COLOUR,
                                note: "no median recorded".into(),
                            },
                        }
                    },
                ),
            })
            .collect()
    } else {
        Vec::new()
    };
    let key: Vec<KeyEntry> = BANDS
        .iter()
        .zip(BAND_COLOURS)
        .map(|(&band, colour)| KeyEntry {
            label: band_label(band),
            colour,
        })
        .chain(std::iter::once(KeyEntry {
            label: "No median recorded".into(),
            colour: NO_MEDIAN_COLOUR,
        }))
        .collect();
    let years: Vec<i32> = baselines.iter().map(|a| a.year).collect();
    vars.insert("has_results", &!baselines.is_empty());
    vars.insert("illustrative", &national.illustrative);
    vars.insert("provider_count", &baselines.len());
    vars.insert("first_year", &years.iter().min());
    vars.insert("last_year", &years.iter().max());
    vars.insert("maturity_themes", &theme_labels());
    vars.insert(
        "national_median",
        &formatted(theme_medians(baselines.iter().copied())),
    );
    vars.insert("distribution", &distribution);
    vars.insert(
        "bands",
        &BANDS.iter().map(|&b| band_label(b)).collect::<Vec<_>>(),
    );
    vars.insert("ranked", &ranked);
    vars.insert("unranked", &unranked);
    vars.insert("maps", &maps);
    vars.insert("map_key", &key);
    vars.insert("map_defs", &mapped.then(|| shape_defs(site)).flatten());
}

fn distribution_of(theme: Theme, baselines: &[&Assessment]) -> ThemeDistribution {
    let scores: Vec<u8> = baselines.iter().filter_map(|a| a.score(theme)).collect();
    let values: Vec<f64> = scores.iter().copied().map(f64::from).collect();
    let mut bands = vec![0; BANDS.len()];
    for &value in &values {
        bands[band_of(value)] += 1;
    }
    let max = bands.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bars: Vec<Bar> = BANDS
        .iter()
        .zip(&bands)
        .map(|(&band, &count)| Bar {
            label: band_label(band),
            value: count as f64,
            text: format!("{count} provider{}", if count == 1 { "" } else { "s" }),
            data: vec![
                ("theme", theme.key().to_string()),
                ("band", band_label(band)),
                ("count", count.to_string()),
            ],
        })
        .collect();
    let svg = (!scores.is_empty()).then(|| {
        bar_chart(
            &format!("distribution-{}", theme.key()),
            &format!("Providers by {} score", theme.key()),
            "The number of providers whose baseline score falls in each band; the table below gives the same numbers.",
            &bars,
            max,
            &[0.0, max],
        )
    });
    ThemeDistribution {
        theme: theme.label(),
        key: theme.key(),
        count: scores.len(),
        lowest: scores.iter().copied().min(),
        median: median(&values).map(format_score),
        highest: scores.iter().copied().max(),
        bands,
        svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_every_score_once() {
        assert_eq!(band_of(0.0), 0);
        assert_eq!(band_of(19.0), 0);
        assert_eq!(band_of(19.5), 0, "a median of 19.5 stays beside 19");
        assert_eq!(band_of(79.0), 3);
        assert_eq!(band_of(80.0), 4);
        assert_eq!(band_of(100.0), 4);
    }

    #[test]
    fn scores_are_written_whole_or_to_one_place() {
        assert_eq!(format_score(42.0), "42");
        assert_eq!(format_score(42.5), "42.5");
    }
}
