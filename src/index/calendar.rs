//! `/events.ics` and `/events/<slug>.ics`: the events as iCalendar (RFC 5545), with times
//! in Europe/London.
//!
//! Written by hand: the `icalendar` crate cannot emit the VTIMEZONE component that a
//! `TZID=Europe/London` time must refer to (its source lists it as a TODO), and the rest is
//! a few lines of text with the escaping and line folding of RFC 5545 section 3.

use chrono::NaiveDate;

use crate::model::routes::{Route, event_url};
use crate::model::{Event, EventKind, EventTime, Site};
use crate::output::OutputFile;

/// The UK's rules since 1996: summer time from the last Sunday of March, 01:00 UTC, to the
/// last Sunday of October, 01:00 UTC (02:00 BST).
const EUROPE_LONDON: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\nDTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\nDTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// `/events.ics`: every event.
pub fn site_calendar(site: &Site) -> OutputFile {
    OutputFile::bytes(
        Route::Calendar.output_path(),
        calendar(site, &site.events.iter().collect::<Vec<_>>()),
    )
}

/// `/events/<slug>.ics`: one event.
pub fn event_calendar(site: &Site, event: &Event) -> OutputFile {
    OutputFile::bytes(
        Route::EventCalendar(event.slug.clone()).output_path(),
        calendar(site, &[event]),
    )
}

fn calendar(site: &Site, events: &[&Event]) -> String {
    let mut ics = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ldr//Local Digital Roadmaps//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
    );
    line(
        &mut ics,
        "X-WR-CALNAME",
        &escape(&format!("{} events", site.config.title)),
    );
    ics.push_str(EUROPE_LONDON);
    for event in events {
        vevent(&mut ics, site, event);
    }
    ics.push_str("END:VCALENDAR\r\n");
    ics
}

fn vevent(ics: &mut String, site: &Site, event: &Event) {
    let base = &site.config.base_url;
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or(base)
        .split('/')
        .next()
        .unwrap_or("ldr");
    ics.push_str("BEGIN:VEVENT\r\n");
    line(ics, "UID", &format!("{}@{host}", event.slug));
    // The build date, not the clock: the same content gives the same file.
    line(
        ics,
        "DTSTAMP",
        &format!("{}T000000Z", compact(site.config.now)),
    );
    let (start, end) = (event.start, event.end.unwrap_or(event.start));
    match (start, end) {
        (EventTime::Day(first), EventTime::Day(last)) => {
            line(ics, "DTSTART;VALUE=DATE", &compact(first));
            // DTEND of a whole-day event is the day after the last day (RFC 5545 3.6.1).
            line(
                ics,
                "DTEND;VALUE=DATE",
                &compact(last.succ_opt().unwrap_or(last)),
            );
        }
        _ => {
            line(ics, "DTSTART;TZID=Europe/London", &local(start));
            line(ics, "DTEND;TZID=Europe/London", &local(end));
        }
    }
    line(ics, "SUMMARY", &escape(&event.title));
    let mut description = event.summary.clone().unwrap_or_default();
    if let Some(register) = &event.register {
        description.push_str(&format!("\nRegister an expression of interest: {register}"));
    }
    if event.example {
        description.insert_str(0, "Illustrative example, not a real event. ");
    }
    if !description.is_empty() {
        line(ics, "DESCRIPTION", &escape(description.trim()));
    }
    if let Some(location) = &event.location {
        line(ics, "LOCATION", &escape(location));
    }
    line(ics, "URL", &format!("{base}{}", event_url(&event.slug)));
    line(
        ics,
        "CATEGORIES",
        match event.kind {
            EventKind::National => "National",
            EventKind::Regional => "Regional",
            EventKind::Virtual => "Virtual",
        },
    );
    ics.push_str("END:VEVENT\r\n");
}

fn compact(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

fn local(time: EventTime) -> String {
    match time {
        EventTime::Day(day) => format!("{}T000000", compact(day)),
        EventTime::At(at) => at.format("%Y%m%dT%H%M%S").to_string(),
    }
}

/// TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11): a line
/// break of any kind (CRLF, CR or LF) becomes `\n`, so no field can end its line and start
/// a property or a component of its own. The control characters TEXT may not hold (the
/// content checks refuse them; this is the last guard) become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Writes `NAME:value`, folded so no line is longer than 75 octets (RFC 5545 3.1).
fn line(ics: &mut String, name: &str, value: &str) {
    let whole = format!("{name}:{value}");
    let mut width = 0;
    for c in whole.chars() {
        if width + c.len_utf8() > 75 {
            ics.push_str("\r\n ");
            width = 1;
        }
        ics.push(c);
        width += c.len_utf8();
    }
    ics.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut ics = String::new();
        line(&mut ics, "SUMMARY", &"é".repeat(60));
        for physical in ics.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(escape("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn no_line_break_or_control_character_survives_in_a_text_value() {
        let value = escape("Room 1\rBEGIN:VALARM\r\nX\u{1}\u{7f}\u{2028}END");
        assert_eq!(value, "Room 1\\nBEGIN:VALARM\\nX\u{FFFD}\u{FFFD}\\nEND");
        let mut ics = String::new();
        line(&mut ics, "LOCATION", &value);
        assert_eq!(ics.matches("\r\n").count(), 1);
    }
}
