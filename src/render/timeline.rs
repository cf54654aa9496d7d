//! A footprint's roadmap as an inline SVG timeline, drawn at build time: one row per
//! capability and milestone on a shared axis from 2016 to 2021, with a "today" marker.
//! The page puts a table with the same facts beside it, for screen readers and print.

use std::fmt::Write;

use chrono::NaiveDate;

use super::dates::format_date;
use super::escape_text as escape;
use crate::model::{CapabilityStatus, Footprint};

const WIDTH: f64 = 720.0;
const LABEL: f64 = 150.0;
const ROW: f64 = 30.0;
const TOP: f64 = 34.0;
const FIRST_YEAR: i32 = 2016;
const LAST_YEAR: i32 = 2021;

/// When capability work is drawn from: the June 2016 submission of the roadmaps.
pub fn plan_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2016, 6, 30).expect("a real date")
}

fn axis_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("a real date")
}

fn axis_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR + 1, 1, 1).expect("a real date")
}

/// The x position of a date; dates outside the axis are held at its ends.
pub fn x_of(date: NaiveDate) -> f64 {
    let span = (axis_end() - axis_start()).num_days() as f64;
    let days = (date.clamp(axis_start(), axis_end()) - axis_start()).num_days() as f64;
    LABEL + days / span * (WIDTH - LABEL - 10.0)
}

/// The colour of a status; the table and legend say the same in words.
pub fn status_colour(status: CapabilityStatus) -> &'static str {
    match status {
        CapabilityStatus::NotStarted => "#768692",
        CapabilityStatus::Planned => "#005eb8",
        CapabilityStatus::InProgress => "#ffb81c",
        CapabilityStatus::Live => "#007f3b",
    }
}

pub fn status_label(status: CapabilityStatus) -> &'static str {
    match status {
        CapabilityStatus::NotStarted => "Not started",
        CapabilityStatus::Planned => "Planned",
        CapabilityStatus::InProgress => "In progress",
        CapabilityStatus::Live => "Live",
    }
}

/// The SVG, or `None` when the footprint records no plans.
pub fn timeline_svg(footprint: &Footprint, now: NaiveDate) -> Option<String> {
    let rows = footprint.capabilities.len() + footprint.milestones.len();
    if rows == 0 {
        return None;
    }
    let height = TOP + rows as f64 * ROW + 10.0;
    let id = format!("timeline-{}", footprint.slug);
    let mut svg = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        svg,
        r#"<svg class="timeline-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">Roadmap timeline of {name}, 2016 to 2021</title><desc id="{id}-desc">Each universal capability's target date and each milestone; the table below gives the same facts.</desc>"#,
        name = escape(&footprint.name)
    );
    for year in FIRST_YEAR..=LAST_YEAR + 1 {
        let x = x_of(NaiveDate::from_ymd_opt(year, 1, 1).expect("a real date"));
        let _ = write!(
            svg,
            r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{height}" stroke="#d8dde0"/>"##,
            TOP - 8.0
        );
        if year <= LAST_YEAR {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="16" font-size="12" fill="#4c6272">{year}</text>"##,
                x + 4.0
            );
        }
    }
    let mut y = TOP;
    for plan in &footprint.capabilities {
        let colour = status_colour(plan.status);
        let label = status_label(plan.status);
        let _ = write!(
            svg,
            r##"<text x="0" y="{:.1}" font-size="13" fill="#212b32">Capability {}</text>"##,
            y + 18.0,
            plan.id
        );
        match plan.target {
            Some(target) => {
                let (x1, x2) = (x_of(plan_start()), x_of(target));
                let _ = write!(
                    svg,
                    r#"<rect class="timeline-bar" data-capability="{id}" data-target="{target}" x="{x1:.1}" y="{:.1}" width="{:.1}" height="16" fill="{colour}"><title>Capability {id}: {label}, target {when}</title></rect>"#,
                    y + 6.0,
                    (x2 - x1).max(2.0),
                    id = plan.id,
                    when = format_date(target)
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#4c6272">{label}, no target date recorded</text>"##,
                    LABEL,
                    y + 18.0
                );
            }
        }
        y += ROW;
    }
    for milestone in &footprint.milestones {
        let x = x_of(milestone.date);
        let _ = write!(
            svg,
            r##"<text x="0" y="{:.1}" font-size="13" fill="#212b32">Milestone</text>"##,
            y + 18.0
        );
        let _ = write!(
            svg,
            r##"<path class="timeline-milestone" data-date="{date}" d="M{x:.1} {top:.1} l8 8 l-8 8 l-8 -8 z" fill="#330072"><title>{title}: {when}</title></path>"##,
            date = milestone.date,
            top = y + 6.0,
            title = escape(&milestone.title),
            when = format_date(milestone.date)
        );
        y += ROW;
    }
    if now >= axis_start() && now < axis_end() {
        let x = x_of(now);
        let _ = write!(
            svg,
            r##"<line class="timeline-today" data-date="{now}" x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{height}" stroke="#d5281b" stroke-width="2"/><text x="{:.1}" y="30" font-size="12" fill="#d5281b">Today</text>"##,
            TOP - 12.0,
            x + 3.0
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// The years a "live by" count is given for.
pub fn years() -> impl Iterator<Item = i32> {
    FIRST_YEAR..=LAST_YEAR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_map_onto_the_axis_in_order() {
        let start = x_of(NaiveDate::from_ymd_opt(2016, 1, 1).unwrap());
        let middle = x_of(NaiveDate::from_ymd_opt(2019, 1, 1).unwrap());
        let end = x_of(NaiveDate::from_ymd_opt(2022, 1, 1).unwrap());
        assert_eq!(start, LABEL);
        assert!(
            (middle - (LABEL + end) / 2.0).abs() < 1.0,
            "2019 is half way: {middle}"
        );
        assert_eq!(
            x_of(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()),
            end,
            "held at the end"
        );
    }
}
