//! TOML dates and times into the calendar types the site uses.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;
use toml::value::Datetime;

/// When an event starts or ends: a whole day, or a UK local time (Europe/London).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum EventTime {
    Day(NaiveDate),
    At(NaiveDateTime),
}

impl EventTime {
    pub fn date(self) -> NaiveDate {
        match self {
            EventTime::Day(day) => day,
            EventTime::At(at) => at.date(),
        }
    }

    pub fn time(self) -> Option<NaiveTime> {
        match self {
            EventTime::Day(_) => None,
            EventTime::At(at) => Some(at.time()),
        }
    }
}

/// Why a TOML value is not the date or time wanted; the caller adds the location.
pub type DateProblem = &'static str;

pub fn calendar_date(value: &Datetime) -> Result<NaiveDate, DateProblem> {
    match (value.date, value.time) {
        (Some(date), None) => to_naive_date(date),
        _ => Err("expected a date such as 2017-01-31, without a time"),
    }
}

pub fn event_time(value: &Datetime) -> Result<EventTime, DateProblem> {
    if value.offset.is_some() {
        return Err("write the UK local time without an offset, such as 2016-10-14T10:00:00");
    }
    match (value.date, value.time) {
        (Some(date), None) => Ok(EventTime::Day(to_naive_date(date)?)),
        (Some(date), Some(time)) => {
            let time = NaiveTime::from_hms_opt(
                time.hour.into(),
                time.minute.into(),
                time.second.unwrap_or(0).into(),
            )
            .ok_or("this time does not exist")?;
            Ok(EventTime::At(to_naive_date(date)?.and_time(time)))
        }
        _ => Err("expected a date, or a date and a time"),
    }
}

fn to_naive_date(date: toml::value::Date) -> Result<NaiveDate, DateProblem> {
    NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
        .ok_or("this date does not exist")
}

/// When a page's content was last reviewed and when it is next due (NHS.UK's "Page last
/// reviewed" and "Next review due"), from `reviewed` and `review_due`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Review {
    pub reviewed: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
}
