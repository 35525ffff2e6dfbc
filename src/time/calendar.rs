//! The team's calendar: time zone, business hours and holidays, and arithmetic on them.
//!
//! Business time counts only the hours between `start` and `end` on business days that are not
//! holidays, in the team's zone. A business day (`1bd`) is one business day's worth of business
//! hours, so "3bd from Friday 17:00" is Wednesday 17:00, and a complaint that arrives on
//! Saturday starts its business clock on Monday at opening time.

use std::collections::BTreeSet;

use chrono::Datelike;
use chrono::Duration;
use chrono::NaiveDate;
use chrono::NaiveTime;
use chrono::Weekday;

use crate::time::duration::Span;
use crate::time::duration::Unit;
use crate::time::when::Timestamp;
use crate::time::when::Zone;

#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub(crate) zone: Zone,
    /// Business days, indexed by `Weekday::num_days_from_monday`.
    pub(crate) days: [bool; 7],
    pub(crate) start: NaiveTime,
    pub(crate) end: NaiveTime,
    pub(crate) holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// Monday to Friday, 09:00 to 18:00, no holidays.
    pub fn standard(zone: Zone) -> Calendar {
        Calendar {
            zone,
            days: [true, true, true, true, true, false, false],
            start: NaiveTime::from_hms_opt(9, 0, 0).expect("valid time"),
            end: NaiveTime::from_hms_opt(18, 0, 0).expect("valid time"),
            holidays: BTreeSet::new(),
        }
    }

    pub(crate) fn is_business_day(&self, date: NaiveDate) -> bool {
        self.is_business_weekday(date) && !self.holidays.contains(&date)
    }

    /// Whether `date` falls on one of the business days of the week (holidays aside).
    fn is_business_weekday(&self, date: NaiveDate) -> bool {
        self.days[date.weekday().num_days_from_monday() as usize]
    }

    /// Seconds of business time in one business day.
    pub(crate) fn day_seconds(&self) -> i64 {
        (self.end - self.start).num_seconds().max(0)
    }

    /// The business window of `date` as instants, if it is a business day.
    fn window(&self, date: NaiveDate) -> Option<(Timestamp, Timestamp)> {
        self.is_business_day(date).then(|| {
            (
                self.zone.at_local(date.and_time(self.start)),
                self.zone.at_local(date.and_time(self.end)),
            )
        })
    }

    /// The instant `span` after `t`.
    pub fn add(&self, t: &Timestamp, span: &Span) -> Timestamp {
        self.advance(t, self.span_seconds(span), span.unit.is_business())
    }

    /// The instant `span` before `t`.
    pub fn subtract(&self, t: &Timestamp, span: &Span) -> Timestamp {
        let business = span.unit.is_business();
        let seconds = self.span_seconds(span);
        if business && self.has_business_time() {
            self.subtract_business_seconds(t, seconds)
        } else {
            *t - Duration::seconds(seconds)
        }
    }

    /// The length of `span` in seconds: of business time for business units.
    pub(crate) fn span_seconds(&self, span: &Span) -> i64 {
        let amount = i64::from(span.amount);
        match span.unit {
            Unit::BusinessDays => amount * self.day_seconds(),
            Unit::BusinessHours => amount * 3_600,
            _ => span
                .calendar_seconds()
                .expect("calendar units have a length"),
        }
    }

    /// The instant `seconds` after `t`, counting only business time when `business`.
    pub(crate) fn advance(&self, t: &Timestamp, seconds: i64, business: bool) -> Timestamp {
        if business && self.has_business_time() {
            self.add_business_seconds(t, seconds)
        } else {
            *t + Duration::seconds(seconds)
        }
    }

    /// Whether the calendar has any business time at all (else business spans cannot end).
    fn has_business_time(&self) -> bool {
        self.day_seconds() > 0 && self.days.iter().any(|d| *d)
    }

    fn add_business_seconds(&self, t: &Timestamp, mut remaining: i64) -> Timestamp {
        let mut date = self.zone.local(t).date();
        loop {
            if let Some((open, close)) = self.window(date) {
                let from = open.max(*t);
                if from < close {
                    let available = (close - from).num_seconds();
                    if remaining <= available {
                        return from + Duration::seconds(remaining);
                    }
                    remaining -= available;
                }
            }
            date = date.succ_opt().expect("date in range");
        }
    }

    fn subtract_business_seconds(&self, t: &Timestamp, mut remaining: i64) -> Timestamp {
        let mut date = self.zone.local(t).date();
        loop {
            if let Some((open, close)) = self.window(date) {
                let to = close.min(*t);
                if open < to {
                    let available = (to - open).num_seconds();
                    if remaining <= available {
                        return to - Duration::seconds(remaining);
                    }
                    remaining -= available;
                }
            }
            date = date.pred_opt().expect("date in range");
        }
    }

    /// Business seconds between two instants (negative when `to` is before `from`).
    pub(crate) fn business_seconds_between(&self, from: &Timestamp, to: &Timestamp) -> i64 {
        if to < from {
            return -self.business_seconds_between(to, from);
        }
        let first = self.zone.local(from).date();
        let last = self.zone.local(to).date();
        // The first and last days may be cut short; every day between counts whole, which
        // needs no time-zone arithmetic (a long-open complaint spans many days).
        let part = |date: NaiveDate| {
            self.window(date).map_or(0, |(open, close)| {
                let (a, b) = (open.max(*from), close.min(*to));
                if a < b { (b - a).num_seconds() } else { 0 }
            })
        };
        if first == last {
            return part(first);
        }
        part(first) + part(last) + self.business_days_inside(first, last) * self.day_seconds()
    }

    /// How many business days lie strictly between `first` and `last`, counted a week at a
    /// time: a complaint open for a year asks for hundreds of days, for each of its clocks.
    fn business_days_inside(&self, first: NaiveDate, last: NaiveDate) -> i64 {
        let Some(start) = first.succ_opt().filter(|d| *d < last) else {
            return 0;
        };
        let days = (last - start).num_days();
        let per_week = self.days.iter().filter(|d| **d).count() as i64;
        let weekday = start.weekday().num_days_from_monday() as i64;
        let rest = (0..days % 7)
            .filter(|i| self.days[((weekday + i) % 7) as usize])
            .count() as i64;
        let holidays = self
            .holidays
            .range(start..last)
            .filter(|d| self.is_business_weekday(**d))
            .count() as i64;
        days / 7 * per_week + rest - holidays
    }
}

/// Whole days, for a regulator's timetable: the day a complaint counts as received, business
/// days after it, and the instants a deadline falls at.
impl Calendar {
    /// The day a complaint received at `t` counts as received on. With `moves_late`, one
    /// received after close of business (`end`; exactly at close is still that day) or on a day
    /// that is not a business day counts as received on the next business day.
    pub(crate) fn receipt_day(&self, t: &Timestamp, moves_late: bool) -> NaiveDate {
        let local = self.zone.local(t);
        let date = local.date();
        if !moves_late || (self.is_business_day(date) && local.time() <= self.end) {
            date
        } else {
            self.business_days_after(date, 1)
        }
    }

    /// The `n`th business day after `date` (`date` itself when `n` is 0).
    pub(crate) fn business_days_after(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().expect("date in range");
            if self.is_business_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Close of business on `date`.
    pub(crate) fn close_of(&self, date: NaiveDate) -> Timestamp {
        self.zone.at_local(date.and_time(self.end))
    }

    /// The last second of `date` (what a deadline "by the end of the day" means).
    pub(crate) fn end_of(&self, date: NaiveDate) -> Timestamp {
        crate::time::when::When::Date(date).deadline(&self.zone)
    }
}

/// The days of the events of an iCalendar text: bank holidays as governments publish them. An
/// all-day event covers its start date up to, not including, its end date.
pub fn holidays_from_ics(text: &str) -> Result<Vec<NaiveDate>, String> {
    use icalendar::Component;
    use icalendar::DatePerhapsTime;
    if !text.trim_start().starts_with("BEGIN:VCALENDAR") {
        return Err("it does not start with BEGIN:VCALENDAR".into());
    }
    let calendar: icalendar::Calendar = text.parse().map_err(|e: String| {
        let line = e
            .split("at line ")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .filter(|n| !n.is_empty());
        match line {
            Some(n) => format!("it does not parse as iCalendar at line {n}"),
            None => "it does not parse as iCalendar".to_string(),
        }
    })?;
    let date = |d: DatePerhapsTime| match d {
        DatePerhapsTime::Date(d) => d,
        DatePerhapsTime::DateTime(t) => match t {
            icalendar::CalendarDateTime::Floating(t) => t.date(),
            icalendar::CalendarDateTime::Utc(t) => t.date_naive(),
            icalendar::CalendarDateTime::WithTimezone { date_time, .. } => date_time.date(),
        },
    };
    let mut days = Vec::new();
    for event in calendar.events() {
        if event.property_value("RRULE").is_some() {
            return Err(format!(
                "{} repeats (RRULE), and gripe reads each holiday's own date only; list the dates",
                event.get_summary().unwrap_or("an event")
            ));
        }
        let Some(start) = event.get_start().map(date) else {
            let summary = event.get_summary().unwrap_or("an event");
            return Err(format!("{summary} has no DTSTART date"));
        };
        let end = event.get_end().map(date).filter(|end| *end > start);
        let mut day = start;
        loop {
            days.push(day);
            day = day.succ_opt().ok_or("a date out of range")?;
            if end.is_none_or(|end| day >= end) {
                break;
            }
        }
    }
    Ok(days)
}

/// Parses a `days` setting such as `mon-fri`, `sun-thu` or `mon,wed,fri` (ranges wrap round the
/// week).
pub fn parse_days(s: &str) -> Result<[bool; 7], String> {
    let day = |name: &str| -> Result<Weekday, String> {
        name.trim()
            .parse::<Weekday>()
            .map_err(|_| format!("`{name}` is not a day of the week (mon, tue, ... sun)"))
    };
    let mut days = [false; 7];
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                let (mut d, last) = (day(a)?, day(b)?);
                loop {
                    days[d.num_days_from_monday() as usize] = true;
                    if d == last {
                        break;
                    }
                    d = d.succ();
                }
            }
            None => days[day(part)?.num_days_from_monday() as usize] = true,
        }
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::when::format_timestamp;

    fn cal() -> Calendar {
        let mut c = Calendar::standard(Zone::Named(chrono_tz::Asia::Tokyo));
        c.holidays
            .insert(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        c
    }

    fn t(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    /// The count a week at a time agrees with a walk over every day, for spans of every
    /// length from every weekday, with holidays on weekdays and at weekends.
    #[test]
    fn business_days_inside_a_span_match_a_day_by_day_walk() {
        let mut c = cal();
        c.days = [true, false, true, true, true, false, true];
        for holiday in ["2026-11-25", "2026-11-28", "2026-12-31", "2027-01-04"] {
            c.holidays.insert(holiday.parse().unwrap());
        }
        let base = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
        for offset in 0..9 {
            let first = base + Duration::days(offset);
            for length in 0..80 {
                let last = first + Duration::days(length);
                let walked = first
                    .iter_days()
                    .skip(1)
                    .take_while(|d| *d < last)
                    .filter(|d| c.is_business_day(*d))
                    .count() as i64;
                assert_eq!(
                    c.business_days_inside(first, last),
                    walked,
                    "{first} to {last}"
                );
            }
        }
    }

    #[test]
    fn business_days_skip_the_weekend_and_holidays() {
        // Friday 2026-11-20 17:00; Monday 23rd is a holiday.
        let due = cal().add(&t("2026-11-20T17:00:00+09:00"), &"1bd".parse().unwrap());
        assert_eq!(format_timestamp(&due), "2026-11-24T17:00:00+09:00");
    }

    #[test]
    fn a_clock_started_out_of_hours_starts_at_the_next_opening() {
        // Saturday 10:00: the first business hour is Tuesday 09:00 (Monday is a holiday).
        let due = cal().add(&t("2026-11-21T10:00:00+09:00"), &"2bh".parse().unwrap());
        assert_eq!(format_timestamp(&due), "2026-11-24T11:00:00+09:00");
    }

    #[test]
    fn business_time_between_counts_only_open_hours() {
        let c = cal();
        let from = t("2026-11-20T17:00:00+09:00");
        let to = t("2026-11-24T10:00:00+09:00");
        assert_eq!(c.business_seconds_between(&from, &to), 2 * 3600);
        assert_eq!(c.business_seconds_between(&to, &from), -2 * 3600);
    }

    #[test]
    fn subtracting_business_time_walks_backwards_over_closed_days() {
        let back = cal().subtract(&t("2026-11-24T10:00:00+09:00"), &"2bh".parse().unwrap());
        assert_eq!(format_timestamp(&back), "2026-11-20T17:00:00+09:00");
    }

    /// Every day's window, one by one: what the faster sum must equal.
    fn naive_between(c: &Calendar, from: &Timestamp, to: &Timestamp) -> i64 {
        let mut total = 0;
        let mut date = c.zone.local(from).date();
        while date <= c.zone.local(to).date() {
            if let Some((open, close)) = c.window(date) {
                let (a, b) = (open.max(*from), close.min(*to));
                if a < b {
                    total += (b - a).num_seconds();
                }
            }
            date = date.succ_opt().unwrap();
        }
        total
    }

    proptest::proptest! {
        #[test]
        fn business_time_between_is_the_sum_of_each_days_window(
            start in 0i64..(3 * 365 * 86_400),
            length in 0i64..(120 * 86_400),
        ) {
            // London, across clock changes, with a holiday in the range.
            let mut c = Calendar::standard(Zone::Named(chrono_tz::Europe::London));
            c.holidays.insert(NaiveDate::from_ymd_opt(2025, 12, 25).unwrap());
            let base = t("2024-01-01T00:00:00Z");
            let from = base + chrono::Duration::seconds(start);
            let to = from + chrono::Duration::seconds(length);
            proptest::prop_assert_eq!(c.business_seconds_between(&from, &to), naive_between(&c, &from, &to));
        }
    }

    #[test]
    fn day_lists_and_wrapping_ranges_parse() {
        assert_eq!(
            parse_days("mon-fri").unwrap(),
            [true, true, true, true, true, false, false]
        );
        assert_eq!(
            parse_days("sun-tue").unwrap(),
            [true, true, false, false, false, false, true]
        );
        assert_eq!(
            parse_days("mon,wed").unwrap(),
            [true, false, true, false, false, false, false]
        );
        assert!(parse_days("funday").is_err());
    }
}
