//! Dates and times as real exports write them, read per column: the form of a column is decided
//! once from all of its values, never guessed row by row, so `03/04/2022` means the same day on
//! every row of a file.
//!
//! The forms ([`Form`]): ISO 8601 / RFC 3339 (`2022-05-01`, `2022-05-01T13:30`, `2022-05-01
//! 13:30:00+02:00`, `...Z`), month first (`05/01/2022`, `5/1/22`), day first (`01/05/2022`,
//! `01-05-2022`), each with an optional `HH:MM[:SS]` in 24-hour form or 12-hour form with
//! `AM`/`PM` (`12:00:03 AM` is just after midnight, `12:30 PM` half past noon), and Excel serial
//! numbers (`44682.5` is 2022-05-01 12:00). Two-digit years are read as POSIX `%y` reads them:
//! 69-99 are 1969-1999, 00-68 are 2000-2068. Years outside 1900-9999 are refused. A column
//! whose values read both month first and day first, as different dates, is ambiguous: the
//! import stops and asks for `--date-format` (a strftime format). A time without an offset is
//! wall-clock time in the team's zone, placed as RFC 5545 places it ([`Zone::fit_local`]).

use chrono::DateTime;
use chrono::Datelike;
use chrono::Days;
use chrono::FixedOffset;
use chrono::NaiveDate;
use chrono::NaiveDateTime;
use chrono::NaiveTime;
use chrono::TimeZone;

use crate::time::when::LocalFit;
use crate::time::when::When;
use crate::time::when::Zone;

/// How the values of one column are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Form {
    /// Year first: ISO 8601 and RFC 3339 (`T` or a space before the time).
    Iso,
    /// `MM/DD/YYYY`, `M/D/YY`.
    MonthFirst,
    /// `DD/MM/YYYY`, `DD-MM-YYYY`, `D/M/YY`.
    DayFirst,
    /// Days since 1899-12-30, the time of day as the fraction, as spreadsheets store dates.
    Excel,
    /// A strftime format from `--date-format`.
    Format(String),
}

/// The forms detection chooses from, in order of preference when several read a column alike.
/// ISO 8601 is not among them: a year-first value means one thing, so it is read as such in
/// any column.
const DETECTED: [Form; 3] = [Form::MonthFirst, Form::DayFirst, Form::Excel];

/// A column whose values read both month first and day first, as different dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ambiguous {
    /// One or two values that read differently, for the message.
    pub(crate) examples: Vec<String>,
    /// The `--date-format` of each reading of the first example: month first, day first.
    pub(crate) formats: [String; 2],
}

/// A value as it was read: the date or time, and how a wall-clock time fit the team's zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Read {
    pub(crate) when: When,
    pub(crate) fit: LocalFit,
}

/// What a value holds before it meets a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Naive {
    Date(NaiveDate),
    Time(NaiveDateTime, Option<FixedOffset>),
}

impl Form {
    /// The form of a column from its non-empty `values` that are not ISO 8601: `preferred`
    /// (`--date-format`, or the form a preset's source writes) unless another form reads more
    /// of them, else the detected form that reads the most. A column of ISO dates, or of
    /// values no form reads, gets [`Form::Iso`].
    pub(crate) fn of_column<'a>(
        values: impl Iterator<Item = &'a str> + Clone,
        preferred: Option<&Form>,
    ) -> Result<Form, Ambiguous> {
        let values = values.filter(|v| Form::Iso.naive(v).is_none());
        let reads = |form: &Form| values.clone().filter(|v| form.naive(v).is_some()).count();
        let counts = DETECTED.each_ref().map(reads);
        let best = counts.iter().copied().max().unwrap_or(0);
        if let Some(preferred) = preferred
            && reads(preferred) >= best
        {
            return Ok(preferred.clone());
        }
        if best == 0 {
            return Ok(Form::Iso);
        }
        if counts[0] == best && counts[1] == best {
            let examples: Vec<&str> = values
                .filter(|v| {
                    let month = Form::MonthFirst.naive(v);
                    month.is_some() && month != Form::DayFirst.naive(v)
                })
                .take(2)
                .collect();
            if let Some(first) = examples.first() {
                return Err(Ambiguous {
                    formats: Parts::split(first)
                        .map(|p| [p.format(Form::MonthFirst), p.format(Form::DayFirst)])
                        .unwrap_or_default(),
                    examples: examples.iter().map(ToString::to_string).collect(),
                });
            }
        }
        let chosen = counts.iter().position(|&c| c == best).unwrap_or(0);
        Ok(DETECTED[chosen].clone())
    }

    /// `value` in this form (or in ISO 8601), in `zone`; `None` when it is neither.
    pub(crate) fn read(&self, value: &str, zone: &Zone) -> Option<Read> {
        let naive = Form::Iso.naive(value).or_else(|| self.naive(value))?;
        Some(match naive {
            Naive::Date(date) => Read {
                when: When::Date(date),
                fit: LocalFit::Single,
            },
            Naive::Time(local, Some(offset)) => Read {
                when: When::Zoned(offset.from_local_datetime(&local).single()?),
                fit: LocalFit::Single,
            },
            Naive::Time(local, None) => {
                let (at, fit) = zone.fit_local(local);
                Read {
                    when: When::Zoned(at),
                    fit,
                }
            }
        })
    }

    /// The date or wall-clock time `value` writes in this form, if its year is 1900-9999.
    fn naive(&self, value: &str) -> Option<Naive> {
        let value = value.trim();
        let naive = match self {
            Form::Format(format) => custom(value, format)?,
            Form::Excel => excel(value)?,
            Form::Iso | Form::MonthFirst | Form::DayFirst => Parts::split(value)?.naive(self)?,
        };
        let year = match naive {
            Naive::Date(d) => d.year(),
            Naive::Time(t, _) => t.year(),
        };
        (1900..=9999).contains(&year).then_some(naive)
    }
}

/// A value in a strftime `format`: with an offset, a wall-clock time, or a date.
fn custom(value: &str, format: &str) -> Option<Naive> {
    if let Ok(t) = DateTime::parse_from_str(value, format) {
        return Some(Naive::Time(t.naive_local(), Some(*t.offset())));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(value, format) {
        return Some(Naive::Time(t, None));
    }
    NaiveDate::parse_from_str(value, format)
        .ok()
        .map(Naive::Date)
}

/// An Excel serial number: whole days since 1899-12-30 (which makes 1900-03-01 day 61, as in
/// Excel, whose day 60 is the 1900-02-29 that never was), and a fraction for the time of day.
fn excel(value: &str) -> Option<Naive> {
    let (days, fraction) = match value.split_once('.') {
        Some((_, "")) => return None,
        Some(split) => split,
        None => (value, ""),
    };
    if days.is_empty()
        || !days.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || days.len() > 7
    {
        return None;
    }
    let days: u64 = days.parse().ok()?;
    if days == 0 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(days))?;
    let fraction: f64 = format!("0.{fraction}").parse().ok()?;
    let seconds = (fraction * 86_400.0).round() as u32;
    if seconds == 0 {
        return Some(Naive::Date(date));
    }
    let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds.min(86_399), 0)?;
    Some(Naive::Time(date.and_time(time), None))
}

/// A value cut into its numbers: three date fields, and an optional time and offset.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts {
    fields: [(u32, usize); 3],
    separator: char,
    /// What stands between the date and the time: `T` or a space.
    joiner: char,
    time: Option<Clock>,
    offset: Option<FixedOffset>,
}

/// A time of day as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clock {
    time: NaiveTime,
    seconds: bool,
    /// `Some(true)` for PM, `Some(false)` for AM, `None` on a 24-hour clock.
    pm: Option<bool>,
}

impl Parts {
    fn split(value: &str) -> Option<Parts> {
        let cut = value.find([' ', 'T', 't']).unwrap_or(value.len());
        let (date, rest) = value.split_at(cut);
        let separator = date.chars().find(|c| !c.is_ascii_digit())?;
        if !matches!(separator, '-' | '/') {
            return None;
        }
        let mut fields = [(0, 0); 3];
        let mut pieces = date.split(separator);
        for field in &mut fields {
            let piece = pieces.next()?;
            if piece.is_empty() || piece.len() > 4 || !piece.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *field = (piece.parse().ok()?, piece.len());
        }
        if pieces.next().is_some() {
            return None;
        }
        let joiner = rest.chars().next().unwrap_or(' ').to_ascii_uppercase();
        let rest = rest.get(1..).unwrap_or_default().trim();
        let (time, offset) = if rest.is_empty() {
            (None, None)
        } else {
            let (clock, rest) = Clock::split(rest)?;
            (Some(clock), offset(rest.trim())?)
        };
        Some(Parts {
            fields,
            separator,
            joiner,
            time,
            offset,
        })
    }

    /// The date and time these parts give in `form`.
    fn naive(&self, form: &Form) -> Option<Naive> {
        let [(a, la), (b, lb), (c, lc)] = self.fields;
        let year = |y: u32, len: usize| match len {
            4 => Some(y as i32),
            2 if y >= 69 => Some(1900 + y as i32),
            2 => Some(2000 + y as i32),
            _ => None,
        };
        let short = la <= 2 && lb <= 2;
        let (y, m, d) = match form {
            Form::Iso if la == 4 && lb <= 2 && lc <= 2 => (a as i32, b, c),
            Form::MonthFirst if short && self.separator == '/' => (year(c, lc)?, a, b),
            Form::DayFirst if short => (year(c, lc)?, b, a),
            _ => return None,
        };
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        Some(match self.time {
            None => Naive::Date(date),
            Some(clock) => Naive::Time(date.and_time(clock.time), self.offset),
        })
    }

    /// The strftime format that writes values shaped like these parts in `form`.
    fn format(&self, form: Form) -> String {
        let s = self.separator;
        let year = if self.fields[2].1 == 2 { "%y" } else { "%Y" };
        let mut format = match form {
            Form::DayFirst => format!("%d{s}%m{s}{year}"),
            _ => format!("%m{s}%d{s}{year}"),
        };
        if let Some(clock) = self.time {
            format.push(self.joiner);
            format.push_str(if clock.pm.is_some() { "%I:%M" } else { "%H:%M" });
            if clock.seconds {
                format.push_str(":%S");
            }
            if clock.pm.is_some() {
                format.push_str(" %p");
            }
        }
        if self.offset.is_some() {
            format.push_str("%:z");
        }
        format
    }
}

impl Clock {
    /// `H:MM[:SS[.fff]]` then an optional `AM`/`PM`; returns the rest of the text.
    fn split(text: &str) -> Option<(Clock, &str)> {
        let end = text
            .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
            .unwrap_or(text.len());
        let (digits, rest) = text.split_at(end);
        let mut numbers = digits.split(':');
        let hour: u32 = numbers.next()?.parse().ok()?;
        let minute = numbers.next().filter(|m| m.len() == 2)?.parse().ok()?;
        let (second, nanos, seconds) = match numbers.next() {
            None => (0, 0, false),
            Some(s) => {
                let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
                if whole.len() != 2 {
                    return None;
                }
                let nanos = if fraction.is_empty() {
                    0
                } else {
                    (format!("0.{fraction}").parse::<f64>().ok()? * 1e9) as u32
                };
                (whole.parse().ok()?, nanos, true)
            }
        };
        if numbers.next().is_some() {
            return None;
        }
        let rest = rest.trim_start();
        let marker = rest.get(..2).map(str::to_ascii_uppercase);
        let (pm, rest) = match marker.as_deref() {
            Some("AM") => (Some(false), &rest[2..]),
            Some("PM") => (Some(true), &rest[2..]),
            _ => (None, rest),
        };
        let hour = match pm {
            None if hour < 24 => hour,
            Some(pm) if (1..=12).contains(&hour) => hour % 12 + if pm { 12 } else { 0 },
            _ => return None,
        };
        let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
        Some((Clock { time, seconds, pm }, rest))
    }
}

/// An offset after a time: nothing, `Z`, `+HH:MM`, `+HHMM` or `+HH`; `None` for anything else.
fn offset(text: &str) -> Option<Option<FixedOffset>> {
    if text.is_empty() {
        return Some(None);
    }
    if text.eq_ignore_ascii_case("z") {
        return Some(FixedOffset::east_opt(0));
    }
    let sign = match text.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Some(0), |m| m.parse().ok())?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60)).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> Zone {
        Zone::Fixed(FixedOffset::east_opt(0).unwrap())
    }

    fn read(form: &Form, value: &str, zone: &Zone) -> Option<String> {
        form.read(value, zone).map(|r| r.when.to_string())
    }

    fn column(values: &[&str]) -> Result<Form, Ambiguous> {
        Form::of_column(values.iter().copied(), None)
    }

    #[test]
    fn iso_dates_and_times_with_or_without_offset_t_or_space() {
        let z = utc();
        let iso = &Form::Iso;
        assert_eq!(read(iso, "2022-05-01", &z).as_deref(), Some("2022-05-01"));
        assert_eq!(
            read(iso, "2022-05-01T13:30", &z).as_deref(),
            Some("2022-05-01T13:30:00Z")
        );
        assert_eq!(
            read(iso, "2022-05-01 13:30:15+02:00", &z).as_deref(),
            Some("2022-05-01T13:30:15+02:00")
        );
        assert_eq!(
            read(iso, "2022-05-01T13:30:15.250Z", &z).as_deref(),
            Some("2022-05-01T13:30:15Z")
        );
        assert_eq!(
            read(iso, "2022-05-01 01:30:00 PM", &z).as_deref(),
            Some("2022-05-01T13:30:00Z")
        );
        for bad in ["2022-13-01", "2022-02-30", "2022-05-01 25:00", "0019-01-01"] {
            assert_eq!(read(iso, bad, &z), None, "{bad}");
        }
    }

    #[test]
    fn twelve_hour_clocks_put_midnight_and_noon_where_they_belong() {
        let z = utc();
        let us = &Form::MonthFirst;
        let at = |v: &str| read(us, v, &z);
        assert_eq!(
            at("05/01/2022 12:00:03 AM").as_deref(),
            Some("2022-05-01T00:00:03Z")
        );
        assert_eq!(
            at("05/01/2022 12:30 PM").as_deref(),
            Some("2022-05-01T12:30:00Z")
        );
        assert_eq!(
            at("05/01/2022 01:15:00 AM").as_deref(),
            Some("2022-05-01T01:15:00Z")
        );
        assert_eq!(
            at("05/01/2022 11:59:59 PM").as_deref(),
            Some("2022-05-01T23:59:59Z")
        );
        assert_eq!(
            at("5/1/2022 1:05pm").as_deref(),
            Some("2022-05-01T13:05:00Z")
        );
        assert_eq!(
            at("05/01/2022 00:30 AM"),
            None,
            "no hour 0 on a 12-hour clock"
        );
        assert_eq!(at("05/01/2022 13:30 PM"), None);
        assert_eq!(
            at("05/01/2022 23:30").as_deref(),
            Some("2022-05-01T23:30:00Z")
        );
    }

    #[test]
    fn month_first_day_first_and_two_digit_years() {
        let z = utc();
        assert_eq!(
            read(&Form::MonthFirst, "4/5/19", &z).as_deref(),
            Some("2019-04-05")
        );
        assert_eq!(
            read(&Form::MonthFirst, "12/31/69", &z).as_deref(),
            Some("1969-12-31")
        );
        assert_eq!(
            read(&Form::MonthFirst, "1/1/68", &z).as_deref(),
            Some("2068-01-01")
        );
        assert_eq!(
            read(&Form::DayFirst, "31/12/2019", &z).as_deref(),
            Some("2019-12-31")
        );
        assert_eq!(
            read(&Form::DayFirst, "31-12-2019", &z).as_deref(),
            Some("2019-12-31")
        );
        assert_eq!(
            read(&Form::DayFirst, "31-12-2019 18:05", &z).as_deref(),
            Some("2019-12-31T18:05:00Z")
        );
        assert_eq!(read(&Form::MonthFirst, "31/12/2019", &z), None);
        assert_eq!(
            read(&Form::DayFirst, "2019-12-31", &z).as_deref(),
            Some("2019-12-31")
        );
        assert_eq!(
            read(&Form::MonthFirst, "12-31-2019", &z),
            None,
            "dashes are day first"
        );
        assert_eq!(read(&Form::MonthFirst, "4/5/201", &z), None);
    }

    #[test]
    fn excel_serial_numbers() {
        let z = utc();
        let excel = &Form::Excel;
        assert_eq!(read(excel, "44682", &z).as_deref(), Some("2022-05-01"));
        assert_eq!(
            read(excel, "44682.5", &z).as_deref(),
            Some("2022-05-01T12:00:00Z")
        );
        assert_eq!(read(excel, "61", &z).as_deref(), Some("1900-03-01"));
        assert_eq!(read(excel, "1", &z), None, "1899-12-31 is before 1900");
        for bad in ["0", "-5", "4.4e4", "44682.", "abc"] {
            assert_eq!(read(excel, bad, &z), None, "{bad}");
        }
    }

    #[test]
    fn a_column_takes_the_one_form_that_reads_it() {
        assert_eq!(column(&["2022-05-01", "2022-05-02 10:00"]), Ok(Form::Iso));
        assert_eq!(column(&["05/13/2022", "05/01/2022"]), Ok(Form::MonthFirst));
        assert_eq!(column(&["13/05/2022", "05/01/2022"]), Ok(Form::DayFirst));
        assert_eq!(column(&["01-05-2022"]), Ok(Form::DayFirst));
        assert_eq!(column(&["44682", "44683.25"]), Ok(Form::Excel));
        // Day and month alike: either reading gives the same dates.
        assert_eq!(column(&["01/01/2022", "02/02/2022"]), Ok(Form::MonthFirst));
        // ISO values mean one thing anywhere, so they do not vote; another form that the
        // column's does not read is a bad date of its row.
        assert_eq!(
            column(&["13/05/2022", "2022-05-01", "2022-05-02"]),
            Ok(Form::DayFirst)
        );
        assert_eq!(
            column(&["13/05/2022", "14/05/2022", "05/15/2022"]),
            Ok(Form::DayFirst)
        );
        assert_eq!(
            Form::DayFirst.read("05/15/2022", &utc()),
            None,
            "a month-first value in a day-first column"
        );
        assert_eq!(column(&["N/A", "yesterday"]), Ok(Form::Iso));
    }

    #[test]
    fn an_ambiguous_column_names_two_values_and_the_formats_that_decide() {
        let error = column(&[
            "01/01/2022",
            "05/01/2022 12:00:03 AM",
            "06/02/2022 01:00:00 PM",
        ])
        .unwrap_err();
        assert_eq!(
            error.examples,
            ["05/01/2022 12:00:03 AM", "06/02/2022 01:00:00 PM"]
        );
        assert_eq!(
            error.formats,
            ["%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %I:%M:%S %p"]
        );
        let zone = utc();
        for (format, expected) in error.formats.iter().zip(["2022-05-01", "2022-01-05"]) {
            let format = Form::Format(format.clone());
            let form =
                Form::of_column(error.examples.iter().map(String::as_str), Some(&format)).unwrap();
            let when = form.read(&error.examples[0], &zone).unwrap().when;
            assert_eq!(when.date(&zone).to_string(), expected);
        }
        assert_eq!(column(&["01/02/22"]).unwrap_err().formats[1], "%d/%m/%y");
        assert_eq!(
            column(&["01-02-22"]),
            Ok(Form::DayFirst),
            "dashes are day first"
        );
    }

    #[test]
    fn a_preferred_form_holds_unless_another_reads_more() {
        let values = ["31/12/2022", "30/12/2022", "29.12.2022"];
        let format = Form::Format("%d.%m.%Y".into());
        let form = Form::of_column(values.iter().copied(), Some(&format)).unwrap();
        assert_eq!(form, Form::DayFirst);
        let form = Form::of_column(["31.12.2022"].into_iter(), Some(&format)).unwrap();
        assert_eq!(form, format);
        // A preset's form holds where no other form reads more: a month-first source's
        // 04/06/2019 is April, and its 13/45/2019 a bad date.
        let us = Some(&Form::MonthFirst);
        assert_eq!(
            Form::of_column(["04/06/2019", "13/45/2019"].into_iter(), us),
            Ok(Form::MonthFirst)
        );
        assert_eq!(
            read(&form, "31.12.2022", &utc()).as_deref(),
            Some("2022-12-31")
        );
    }

    #[test]
    fn local_times_in_a_clock_change_are_placed_as_rfc_5545_says() {
        let zone = Zone::Named(chrono_tz::America::New_York);
        let us = &Form::MonthFirst;
        // 2022-03-13: 02:00 EST became 03:00 EDT, so 02:30 never happened.
        let gap = us.read("03/13/2022 02:30 AM", &zone).unwrap();
        assert_eq!(gap.when.to_string(), "2022-03-13T03:30:00-04:00");
        assert_eq!(gap.fit, LocalFit::Skipped);
        // 2022-11-06: 02:00 EDT became 01:00 EST, so 01:30 happened twice.
        let twice = us.read("11/06/2022 01:30 AM", &zone).unwrap();
        assert_eq!(twice.when.to_string(), "2022-11-06T01:30:00-04:00");
        assert_eq!(twice.fit, LocalFit::Twice);
        let plain = us.read("11/07/2022 01:30 AM", &zone).unwrap();
        assert_eq!(plain.when.to_string(), "2022-11-07T01:30:00-05:00");
        assert_eq!(plain.fit, LocalFit::Single);
    }
}
