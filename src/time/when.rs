//! Points in time as complaint files hold them, and the team's time zone.
//!
//! Files hold RFC 3339 datetimes with an offset. Readers also accept local datetimes, plain dates
//! (an imported complaint whose time of day is unknown) and quoted strings of those forms; writers
//! always write the canonical TOML datetime. A [`When`] keeps what the file said, so an hour-of-day
//! report can tell "09:14" from "sometime that day".

use std::fmt;
use std::str::FromStr;

use chrono::DateTime;
use chrono::Datelike;
use chrono::FixedOffset;
use chrono::LocalResult;
use chrono::NaiveDate;
use chrono::NaiveDateTime;
use chrono::NaiveTime;
use chrono::Offset;
use chrono::TimeZone;
use chrono::Timelike;
use serde::Deserialize;
use serde::Deserializer;
use serde::Serialize;
use serde::Serializer;

use crate::error::Error;
use crate::error::Result;
use crate::time::calendar::Calendar;
use crate::time::duration::Span;

/// An instant with the offset it was recorded in.
pub(crate) type Timestamp = DateTime<FixedOffset>;

/// How a wall-clock time fits a zone: once, or in a clock change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LocalFit {
    Single,
    /// The clocks went back over it: it happened twice, and the earlier is taken.
    Twice,
    /// The clocks went forward over it: it never happened, and the first time after is taken.
    Skipped,
}

/// The time zone dates and hours are read in: the team's `timezone` from gripe.toml, else the
/// offset of the machine's clock (or of `GRIPE_NOW`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Named(chrono_tz::Tz),
    Fixed(FixedOffset),
}

impl Zone {
    /// The instant of a wall-clock time in this zone, as RFC 5545 reads one: the earlier when
    /// the clocks go back over it, and with the offset before the change when they skip it.
    pub(crate) fn at_local(&self, local: NaiveDateTime) -> Timestamp {
        self.fit_local(local).0
    }

    /// [`Zone::at_local`], and whether the wall-clock time fell in a clock change.
    pub(crate) fn fit_local(&self, local: NaiveDateTime) -> (Timestamp, LocalFit) {
        match self {
            Zone::Fixed(offset) => (
                offset
                    .from_local_datetime(&local)
                    .single()
                    .expect("a fixed offset maps every local time"),
                LocalFit::Single,
            ),
            Zone::Named(tz) => match tz.from_local_datetime(&local) {
                LocalResult::Single(t) => (t.fixed_offset(), LocalFit::Single),
                LocalResult::Ambiguous(t, _) => (t.fixed_offset(), LocalFit::Twice),
                LocalResult::None => {
                    // A local time the clocks skipped is read with the offset before the
                    // change, as RFC 5545 (3.3.5) reads it: 02:30 in a one-hour gap is 03:30.
                    let before = tz
                        .offset_from_utc_datetime(&(local - chrono::Duration::days(1)))
                        .fix();
                    let instant = before
                        .from_local_datetime(&local)
                        .single()
                        .expect("a fixed offset maps every local time");
                    (instant.with_timezone(tz).fixed_offset(), LocalFit::Skipped)
                }
            },
        }
    }

    /// The wall-clock time of an instant in this zone.
    pub(crate) fn local(&self, t: &Timestamp) -> NaiveDateTime {
        match self {
            Zone::Fixed(offset) => t.with_timezone(offset).naive_local(),
            Zone::Named(tz) => t.with_timezone(tz).naive_local(),
        }
    }

    /// The instant in this zone's offset (for printing).
    pub(crate) fn in_zone(&self, t: &Timestamp) -> Timestamp {
        match self {
            Zone::Fixed(offset) => t.with_timezone(offset),
            Zone::Named(tz) => t.with_timezone(tz).fixed_offset(),
        }
    }

    /// Midnight at the start of `date` in this zone.
    pub(crate) fn start_of_day(&self, date: NaiveDate) -> Timestamp {
        self.at_local(date.and_time(NaiveTime::MIN))
    }
}

/// A date or time as written in a complaint file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    /// A day, with the time unknown (`2026-11-26`).
    Date(NaiveDate),
    /// A wall-clock time with no offset, read in the team's zone (`2026-11-26T10:00:00`).
    Local(NaiveDateTime),
    /// An instant with its offset, the form gripe writes (`2026-11-26T10:00:00+09:00`).
    Zoned(Timestamp),
}

impl When {
    /// The instant this stands for; a date alone means the start of that day in `zone`.
    pub(crate) fn instant(&self, zone: &Zone) -> Timestamp {
        match *self {
            When::Date(d) => zone.start_of_day(d),
            When::Local(l) => zone.at_local(l),
            When::Zoned(t) => t,
        }
    }

    /// The end of the period this stands for: for a date, the last second of that day (a promise
    /// "by 2026-11-26" is kept on that day); otherwise the instant itself.
    pub(crate) fn deadline(&self, zone: &Zone) -> Timestamp {
        match *self {
            When::Date(d) => zone.at_local(d.and_hms_opt(23, 59, 59).expect("valid time")),
            _ => self.instant(zone),
        }
    }

    /// The calendar day in `zone`.
    pub(crate) fn date(&self, zone: &Zone) -> NaiveDate {
        match *self {
            When::Date(d) => d,
            When::Local(l) => l.date(),
            When::Zoned(t) => zone.local(&t).date(),
        }
    }

    /// As people read it in `zone`: `2026-11-23 09:14`, or the date alone when no time is known.
    pub(crate) fn human(&self, zone: &Zone) -> String {
        match self {
            When::Date(d) => d.to_string(),
            other => zone
                .local(&other.instant(zone))
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        }
    }

    /// Whether the time of day is known (dates alone have none).
    pub(crate) fn has_time(&self) -> bool {
        !matches!(self, When::Date(_))
    }

    /// The value as TOML writes it: a datetime with offset, a local datetime, or a date.
    pub(crate) fn to_toml(self) -> toml_edit::Value {
        let datetime: toml_edit::Datetime = self
            .to_string()
            .parse()
            .expect("When always formats as a TOML datetime");
        toml_edit::Value::from(datetime)
    }

    /// Parses the forms gripe writes (`2026-11-23`, `2026-11-23T09:14:02`, with `Z` or
    /// `+09:00`) byte by byte; `None` for anything else, which the general parser then reads.
    pub(crate) fn parse_canonical(s: &str) -> Option<When> {
        let b = s.as_bytes();
        let num = |range: std::ops::Range<usize>| -> Option<u32> {
            b.get(range)?.iter().try_fold(0u32, |n, d| {
                d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
            })
        };
        let at = |i: usize, c: u8| b.get(i) == Some(&c);
        if !(at(4, b'-') && at(7, b'-')) {
            return None;
        }
        let date =
            NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)?;
        if b.len() == 10 {
            return Some(When::Date(date));
        }
        if !(at(10, b'T') && at(13, b':') && at(16, b':')) {
            return None;
        }
        let time = NaiveTime::from_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
        let local = date.and_time(time);
        let offset = match &b[19..] {
            [] => return Some(When::Local(local)),
            [b'Z'] | [b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let minutes = num(20..22)? * 60 + num(23..25)?;
                let seconds = i32::try_from(minutes * 60).ok()?;
                if *sign == b'-' { -seconds } else { seconds }
            }
            _ => return None,
        };
        FixedOffset::east_opt(offset)?
            .from_local_datetime(&local)
            .single()
            .map(When::Zoned)
    }

    pub(crate) fn from_toml_datetime(dt: &toml::value::Datetime) -> Option<When> {
        let date = dt
            .date
            .and_then(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()));
        let time = dt.time.and_then(|t| {
            NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), t.second.unwrap_or(0).into())
        });
        match (date?, time, dt.offset) {
            (date, None, None) => Some(When::Date(date)),
            (date, Some(time), None) => Some(When::Local(date.and_time(time))),
            (date, Some(time), Some(offset)) => {
                let seconds = match offset {
                    toml::value::Offset::Z => 0,
                    toml::value::Offset::Custom { minutes } => i32::from(minutes) * 60,
                };
                let offset = FixedOffset::east_opt(seconds)?;
                offset
                    .from_local_datetime(&date.and_time(time))
                    .single()
                    .map(When::Zoned)
            }
            (_, None, Some(_)) => None,
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            When::Local(l) => write!(f, "{}", l.format("%Y-%m-%dT%H:%M:%S")),
            When::Zoned(t) => write!(f, "{}", format_timestamp(t)),
        }
    }
}

/// RFC 3339 with seconds and a numeric offset (`Z` for UTC), the canonical form in files.
pub(crate) fn format_timestamp(t: &Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl FromStr for When {
    type Err = String;

    /// Parses the stored forms of a date or time: RFC 3339 (with `T` or a space), a local
    /// datetime, or a date.
    fn from_str(s: &str) -> std::result::Result<When, String> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(When::Zoned(t));
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f%:z",
            "%Y-%m-%d %H:%M:%S%:z",
            "%Y-%m-%d %H:%M%:z",
        ] {
            if let Ok(t) = DateTime::parse_from_str(s, format) {
                return Ok(When::Zoned(t));
            }
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(l) = NaiveDateTime::parse_from_str(s, format) {
                return Ok(When::Local(l));
            }
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(When::Date)
            .map_err(|_| format!("`{s}` is not a date or datetime"))
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<When, D::Error> {
        deserializer.deserialize_any(WhenVisitor)
    }
}

/// Reads a TOML datetime (which serde sees as a one-key map) or a string. A visitor rather than
/// an untagged enum: failed attempts at other types would each build an error message, and
/// complaint files are full of dates.
struct WhenVisitor;

impl<'de> serde::de::Visitor<'de> for WhenVisitor {
    type Value = When;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date or a date with a time")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<When, E> {
        s.parse().map_err(E::custom)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<When, A::Error> {
        When::from_map(map)
    }
}

impl When {
    /// Reads the map serde presents a TOML datetime as.
    pub(crate) fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<When, A::Error> {
        let dt =
            toml::value::Datetime::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        When::from_toml_datetime(&dt).ok_or_else(|| {
            serde::de::Error::custom(format!("`{dt}` is not a date or a date with a time"))
        })
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The current time: `GRIPE_NOW` when set (tests, reproducible reports), else the clock, to the
/// second.
pub(crate) fn now_from_env(value: Option<&str>) -> Result<Timestamp> {
    match value {
        Some(s) => {
            let now = match s.parse::<When>() {
                Ok(When::Zoned(t)) => t,
                Ok(When::Local(l)) => local_zone_now().at_local(l),
                Ok(When::Date(d)) => local_zone_now().start_of_day(d),
                Err(_) => {
                    return Err(Error::usage_hint(
                        format!("GRIPE_NOW=`{s}` is not a datetime"),
                        "write it as RFC 3339, like 2026-11-23T09:00:00+09:00",
                    ));
                }
            };
            // Dates gripe writes stay within 1900-9999; a clock at the edge would push a
            // follow-up or a deadline out of that range.
            if !(1900..=9000).contains(&now.year()) {
                return Err(Error::usage(format!(
                    "GRIPE_NOW=`{s}` is out of range (years 1900 to 9000)"
                )));
            }
            Ok(now)
        }
        None => {
            let now = chrono::Local::now().fixed_offset();
            Ok(now.with_nanosecond(0).unwrap_or(now))
        }
    }
}

fn local_zone_now() -> Zone {
    Zone::Fixed(chrono::Local::now().offset().fix())
}

/// Which way a span a person typed points from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Promises and follow-ups: `3bd` means three business days from now.
    Ahead,
    /// `--since 30d`: thirty days ago.
    Back,
}

/// The point `span` ahead of (or back from) `now`: a date for spans of whole days, else a time.
pub(crate) fn span_from(
    now: &Timestamp,
    span: &Span,
    calendar: &Calendar,
    direction: Direction,
) -> When {
    let t = match direction {
        Direction::Ahead => calendar.add(now, span),
        Direction::Back => calendar.subtract(now, span),
    };
    if span.unit.is_whole_days() {
        When::Date(calendar.zone.local(&t).date())
    } else {
        When::Zoned(calendar.zone.in_zone(&t))
    }
}

/// Parses a date or time a person typed: the stored forms, `today`, `tomorrow`, `yesterday`,
/// `now`, or a span from now (`3d`, `2w`, `4h`, `3bd`). Spans of whole days give a date; spans
/// of hours or minutes give a time.
pub fn parse_user_when(
    input: &str,
    now: &Timestamp,
    calendar: &Calendar,
    direction: Direction,
) -> Result<When> {
    let s = input.trim();
    let zone = &calendar.zone;
    let today = zone.local(now).date();
    let day = |offset: i64| When::Date(today + chrono::Duration::days(offset));
    match s.to_ascii_lowercase().as_str() {
        "today" => return Ok(day(0)),
        "tomorrow" => return Ok(day(1)),
        "yesterday" => return Ok(day(-1)),
        "now" => return Ok(When::Zoned(*now)),
        _ => {}
    }
    if let Ok(span) = s.parse::<Span>() {
        return Ok(span_from(now, &span, calendar, direction));
    }
    let when: When = s.parse().map_err(|_| {
        Error::usage_hint(
            format!("`{input}` is not a date"),
            "use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][+HH:MM], today, tomorrow, or a span like 3d, 2w, 3bd",
        )
    })?;
    if !(1900..=9999).contains(&when.date(zone).year()) {
        return Err(Error::usage(format!("`{input}` is out of range")));
    }
    // A wall-clock time means the team's zone; files always get the offset written out.
    Ok(match when {
        When::Local(local) => When::Zoned(zone.at_local(local)),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokyo() -> Zone {
        Zone::Named(chrono_tz::Asia::Tokyo)
    }

    #[test]
    fn stored_forms_parse_and_print_back_unchanged() {
        for s in [
            "2026-11-23T09:14:02+09:00",
            "2026-11-23T09:14:02Z",
            "2026-11-23T09:14:02",
            "2026-11-23",
        ] {
            assert_eq!(s.parse::<When>().unwrap().to_string(), s);
        }
        assert_eq!(
            "2026-11-23 09:14+09:00"
                .parse::<When>()
                .unwrap()
                .to_string(),
            "2026-11-23T09:14:00+09:00"
        );
    }

    #[test]
    fn the_canonical_parser_agrees_with_the_general_one() {
        for s in [
            "2026-11-23",
            "2026-11-23T09:14:02",
            "2026-11-23T09:14:02Z",
            "2026-11-23T09:14:02+09:00",
            "2026-11-23T09:14:02-03:30",
        ] {
            let general: toml::value::Datetime = s.parse().unwrap();
            assert_eq!(
                When::parse_canonical(s),
                When::from_toml_datetime(&general),
                "{s}"
            );
        }
        for other in [
            "2026-02-30",
            "2026-11-23T25:00:00Z",
            "2026-11-23 09:14:02Z",
            "2026-11-23T09:14:02.5Z",
        ] {
            assert_eq!(When::parse_canonical(other), None, "{other}");
        }
    }

    #[test]
    fn a_date_means_the_start_of_that_day_in_the_team_zone() {
        let when = When::Date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(
            format_timestamp(&when.instant(&tokyo())),
            "2026-11-23T00:00:00+09:00"
        );
        assert_eq!(
            format_timestamp(&when.deadline(&tokyo())),
            "2026-11-23T23:59:59+09:00"
        );
    }

    #[test]
    fn toml_datetimes_of_every_form_deserialize() {
        #[derive(Deserialize)]
        struct Doc {
            a: When,
            b: When,
            c: When,
            d: When,
        }
        let doc: Doc = toml::from_str(
            "a = 2026-11-23T09:14:02+09:00\nb = 2026-11-23T09:14:02\nc = 2026-11-23\nd = \"2026-11-23 09:14\"\n",
        )
        .unwrap();
        assert!(matches!(doc.a, When::Zoned(_)));
        assert!(matches!(doc.b, When::Local(_)));
        assert!(matches!(doc.c, When::Date(_)));
        assert!(matches!(doc.d, When::Local(_)));
    }
}
