//! A footprint's roadmap as an inline SVG timeline, drawn at build time: one row per
//! capability and milestone on a shared axis from 2016 to 2021, with a "today" marker while
//! today is on the axis.
//! The page puts a table with the same facts beside it, for screen readers and print.

use std::fmt::Write;

use chrono::NaiveDate;

use super::dates::format_date;
use super::escape_text as escape;
use crate::model::{CapabilityStatus, Footprint};

const WIDTH: f64 = 720.0;
/// The axis starts here: row names are written above their marks, across the drawing.
const LABEL: f64 = 10.0;
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

/// The widest a line of a row's name may be, in characters: 13px text of this many
/// characters fits the 288px a 320px phone shows of the drawing, so that a name is read
/// without scrolling.
const NAME_CHARS: usize = 40;

/// A chart's label broken into lines at spaces, none longer than `width` characters (a
/// longer word is broken where it must be), so that no label runs out of its drawing: SVG
/// text does not wrap by itself.
pub(super) fn name_lines(name: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in name.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// One row of the drawing: its name above, then a bar or a diamond on the axis.
struct Row {
    name: Vec<String>,
    mark: Mark,
}

enum Mark {
    Bar {
        id: String,
        target: NaiveDate,
        colour: &'static str,
        title: String,
    },
    Diamond {
        date: NaiveDate,
        title: String,
    },
    None,
}

const LINE: f64 = 16.0;
const MARK: f64 = 22.0;

fn rows_of(footprint: &Footprint) -> Vec<Row> {
    let mut rows = Vec::new();
    for plan in &footprint.capabilities {
        let label = status_label(plan.status);
        let (name, mark) = match plan.target {
            Some(target) => (
                format!(
                    "Capability {}: {label}, target {}",
                    plan.id,
                    format_date(target)
                ),
                Mark::Bar {
                    id: plan.id.clone(),
                    target,
                    colour: status_colour(plan.status),
                    title: format!(
                        "Capability {}: {label}, target {}",
                        plan.id,
                        format_date(target)
                    ),
                },
            ),
            None => (
                format!("Capability {}: {label}, no target date recorded", plan.id),
                Mark::None,
            ),
        };
        rows.push(Row {
            name: name_lines(&name, NAME_CHARS),
            mark,
        });
    }
    for milestone in &footprint.milestones {
        rows.push(Row {
            name: name_lines(
                &format!(
                    "Milestone: {}, {}",
                    milestone.title,
                    format_date(milestone.date)
                ),
                NAME_CHARS,
            ),
            mark: Mark::Diamond {
                date: milestone.date,
                title: milestone.title.clone(),
            },
        });
    }
    rows
}

/// Whether the "today" line is drawn: only while today is on the axis.
fn today_is_drawn(now: NaiveDate) -> bool {
    now >= axis_start() && now < axis_end()
}

/// The SVG, or `None` when the footprint records no plans. Each row is named above its
/// mark in words (capability, status and target; milestone title and date), so that the
/// drawing is read without its colours and without the table.
pub fn timeline_svg(footprint: &Footprint, now: NaiveDate) -> Option<String> {
    let rows = rows_of(footprint);
    if rows.is_empty() {
        return None;
    }
    let body: f64 = rows
        .iter()
        .map(|r| r.name.len() as f64 * LINE + MARK + 8.0)
        .sum();
    let height = TOP + body + 4.0;
    let id = format!("timeline-{}", footprint.slug);
    let mut svg = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        svg,
        r#"<svg class="timeline-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">Roadmap timeline of {name}, 2016 to 2021</title><desc id="{id}-desc">Each universal capability's target date and each milestone; the table below gives the same facts.</desc>"#,
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
                r##"<text x="{:.1}" y="16" font-size="13" fill="#4c6272">{year}</text>"##,
                x + 4.0
            );
        }
    }
    let mut y = TOP;
    for row in &rows {
        for line in &row.name {
            y += LINE;
            let _ = write!(
                svg,
                r##"<text x="0" y="{:.1}" font-size="13" fill="#212b32">{}</text>"##,
                y - 3.0,
                escape(line)
            );
        }
        match &row.mark {
            Mark::Bar {
                id,
                target,
                colour,
                title,
            } => {
                let (x1, x2) = (x_of(plan_start()), x_of(*target));
                let _ = write!(
                    svg,
                    r#"<rect class="timeline-bar" data-capability="{id}" data-target="{target}" x="{x1:.1}" y="{:.1}" width="{:.1}" height="16" fill="{colour}"><title>{title}</title></rect>"#,
                    y + 3.0,
                    (x2 - x1).max(2.0),
                    title = escape(title),
                );
            }
            Mark::Diamond { date, title } => {
                let _ = write!(
                    svg,
                    r##"<path class="timeline-milestone" data-date="{date}" d="M{x:.1} {top:.1} l8 8 l-8 8 l-8 -8 z" fill="#330072"><title>{title}: {when}</title></path>"##,
                    x = x_of(*date),
                    top = y + 3.0,
                    title = escape(title),
                    when = format_date(*date)
                );
            }
            Mark::None => {}
        }
        y += MARK + 8.0;
    }
    if today_is_drawn(now) {
        let x = x_of(now);
        let _ = write!(
            svg,
            r##"<line class="timeline-today" data-date="{now}" x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{height}" stroke="#d5281b" stroke-width="2"/><text x="{:.1}" y="30" font-size="13" fill="#d5281b">Today</text>"##,
            TOP - 12.0,
            x + 3.0
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// The timeline as the page shows it: the drawing in a region that scrolls sideways on a
/// narrow screen (so its text is never drawn smaller than 13px), a key of what its marks
/// mean, and a caption that names only what is drawn. `None` when nothing is planned.
pub fn timeline_figure(footprint: &Footprint, now: NaiveDate) -> Option<String> {
    let svg = timeline_svg(footprint, now)?;
    let mut figure = String::new();
    let id = format!("timeline-{}", footprint.slug);
    let _ = write!(
        figure,
        r#"<figure class="timeline-figure" aria-labelledby="{id}-caption"><div class="chart-scroll" tabindex="0" role="region" aria-labelledby="{id}-title">{svg}</div><ul class="legend timeline-key" aria-label="Key">"#
    );
    let statuses = [
        CapabilityStatus::NotStarted,
        CapabilityStatus::Planned,
        CapabilityStatus::InProgress,
        CapabilityStatus::Live,
    ];
    for status in statuses
        .into_iter()
        .filter(|s| footprint.capabilities.iter().any(|p| p.status == *s))
    {
        let _ = write!(
            figure,
            r#"<li><svg class="status-swatch" viewBox="0 0 1 1" aria-hidden="true"><rect width="1" height="1" fill="{}"/></svg> {}</li>"#,
            status_colour(status),
            status_label(status)
        );
    }
    if !footprint.milestones.is_empty() {
        figure.push_str(r##"<li><svg class="status-swatch status-swatch--milestone" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 0 l8 8 l-8 8 l-8 -8 z" fill="#330072"/></svg> Milestone</li>"##);
    }
    if today_is_drawn(now) {
        let _ = write!(
            figure,
            r##"<li><svg class="status-swatch status-swatch--today" viewBox="0 0 16 16" aria-hidden="true"><rect x="7" width="2" height="16" fill="#d5281b"/></svg> Today ({})</li>"##,
            format_date(now)
        );
    }
    figure.push_str("</ul>");
    let mut caption = String::new();
    if !footprint.capabilities.is_empty() {
        let _ = write!(
            caption,
            "Bars run from the roadmaps' submission ({}) to each capability's target date, coloured by status. ",
            format_date(plan_start())
        );
    }
    if !footprint.milestones.is_empty() {
        caption.push_str("Diamonds are milestones. ");
    }
    if today_is_drawn(now) {
        caption.push_str("The red line is today. ");
    }
    let _ = write!(
        figure,
        r#"<figcaption class="meta" id="{id}-caption">{}</figcaption></figure>"#,
        caption.trim_end()
    );
    Some(figure)
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

#[cfg(test)]
mod name_tests {
    use super::name_lines;

    #[test]
    fn long_names_break_at_spaces_and_no_line_is_too_long() {
        let long = "word ".repeat(40);
        let lines = name_lines(&long, super::NAME_CHARS);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= super::NAME_CHARS));
        assert_eq!(lines.join(" "), long.trim_end());
        let unbroken = "x".repeat(150);
        assert!(
            name_lines(&unbroken, super::NAME_CHARS)
                .iter()
                .all(|l| l.chars().count() <= super::NAME_CHARS)
        );
    }
}
