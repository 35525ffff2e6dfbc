//! Spans of time as people write them: `30m`, `4h`, `3d`, `2w`, and business time `8bh`, `3bd`.
//!
//! Calendar units have a fixed length in seconds. Business units only have a length against the
//! team's business hours, which [`crate::time::calendar::Calendar`] applies.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use serde::Deserializer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Unit {
    Minutes,
    Hours,
    Days,
    Weeks,
    BusinessHours,
    BusinessDays,
}

impl Unit {
    const ALL: [(Unit, &'static str); 6] = [
        (Unit::Minutes, "m"),
        (Unit::Hours, "h"),
        (Unit::Days, "d"),
        (Unit::Weeks, "w"),
        (Unit::BusinessHours, "bh"),
        (Unit::BusinessDays, "bd"),
    ];

    fn suffix(self) -> &'static str {
        Unit::ALL
            .iter()
            .find(|(u, _)| *u == self)
            .map(|(_, s)| *s)
            .expect("every unit has a suffix")
    }

    /// Whether the span counts only business hours and days.
    pub(crate) fn is_business(self) -> bool {
        matches!(self, Unit::BusinessHours | Unit::BusinessDays)
    }

    /// Whether the span is a number of whole days (so a date, not a time, is what it points to).
    pub(crate) fn is_whole_days(self) -> bool {
        matches!(self, Unit::Days | Unit::Weeks | Unit::BusinessDays)
    }
}

/// An amount of a unit, such as `3bd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub(crate) amount: u32,
    pub(crate) unit: Unit,
}

impl Span {
    /// The length in seconds of a calendar span; `None` for business spans, whose length
    /// depends on when they start.
    pub(crate) fn calendar_seconds(&self) -> Option<i64> {
        let unit = match self.unit {
            Unit::Minutes => 60,
            Unit::Hours => 3_600,
            Unit::Days => 86_400,
            Unit::Weeks => 7 * 86_400,
            Unit::BusinessHours | Unit::BusinessDays => return None,
        };
        Some(i64::from(self.amount) * unit)
    }
}

impl FromStr for Span {
    type Err = String;

    fn from_str(s: &str) -> Result<Span, String> {
        let s = s.trim();
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        let (number, suffix) = s.split_at(digits);
        let bad = || {
            format!(
                "`{s}` is not a duration: write a whole number and a unit, like 30m, 4h, 3d, 2w, 8bh or 3bd"
            )
        };
        let amount: u32 = number.parse().map_err(|_| bad())?;
        let unit = Unit::ALL
            .iter()
            .find(|(_, suf)| *suf == suffix.to_ascii_lowercase())
            .map(|(u, _)| *u)
            .ok_or_else(bad)?;
        if amount > 100_000 {
            return Err(format!("`{s}` is longer than gripe can count"));
        }
        Ok(Span { amount, unit })
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.unit.suffix())
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Span, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A duration in seconds as a person reads it: `45m`, `3h 20m`, `2d 4h`, `5w 2d`.
pub(crate) fn human_seconds(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60);
    let text = match (d, h, m) {
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, 0, _) if d < 14 => format!("{d}d"),
        (d, h, _) if d < 14 => format!("{d}d {h}h"),
        (d, _, _) if d % 7 == 0 => format!("{}w", d / 7),
        (d, _, _) => format!("{}w {}d", d / 7, d % 7),
    };
    format!("{sign}{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_parses_and_prints_back() {
        for s in ["30m", "4h", "3d", "2w", "8bh", "3bd"] {
            assert_eq!(s.parse::<Span>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn bad_durations_are_refused_with_the_forms_that_work() {
        for s in ["", "3", "d", "3x", "-3d", "1.5h", "3 d"] {
            let err = s.parse::<Span>().unwrap_err();
            assert!(err.contains("30m, 4h"), "{s}: {err}");
        }
    }

    #[test]
    fn human_durations_read_naturally() {
        assert_eq!(human_seconds(45 * 60), "45m");
        assert_eq!(human_seconds(3 * 3600 + 20 * 60), "3h 20m");
        assert_eq!(human_seconds(2 * 86_400 + 4 * 3600), "2d 4h");
        assert_eq!(human_seconds(37 * 86_400), "5w 2d");
        assert_eq!(human_seconds(-3600), "-1h");
    }
}
