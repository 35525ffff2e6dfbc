//! Where complaints cluster, and what changed: counts by one or two dimensions, optionally per
//! period, with spike detection. Pure functions over complaints; rendering is elsewhere.
//!
//! Dimensions are any header field (`category`, `channel`, `component`, `severity`, `assignee`,
//! `stage`, `tag`, `customer`, `fields.KEY`) and the time buckets `hour` (of day) and `weekday`
//! of `opened`, in the team's zone. A complaint without a value is counted under `(none)`, never
//! dropped; a complaint opened on a date with no time of day has no hour. A complaint with
//! several tags counts once under each.
//!
//! Spikes (DOMAIN.md): a group's count in the latest period is at least `threshold` times its
//! mean over the previous `window` periods, and at least `min_count`.

use std::collections::BTreeMap;
use std::collections::HashMap;

use chrono::Datelike;
use chrono::Duration;
use chrono::NaiveDate;
use chrono::Timelike;
use serde::Serialize;

use crate::model::complaint::Complaint;
use crate::model::keys::KeyPath;
use crate::model::policy::SpikeRule;
use crate::time::when::When;
use crate::time::when::Zone;

/// The label of a missing value.
pub(crate) const NONE: &str = "(none)";

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dim {
    Category,
    Channel,
    Component,
    Severity,
    Assignee,
    Stage,
    Tag,
    Customer,
    Field(String),
    Hour,
    Weekday,
}

impl Dim {
    pub fn parse(s: &str) -> Result<Dim, String> {
        Ok(match s.trim() {
            "category" => Dim::Category,
            "channel" => Dim::Channel,
            "component" => Dim::Component,
            "severity" => Dim::Severity,
            "assignee" => Dim::Assignee,
            "stage" => Dim::Stage,
            "tag" | "tags" => Dim::Tag,
            "customer" => Dim::Customer,
            "hour" => Dim::Hour,
            "weekday" => Dim::Weekday,
            other => match other.strip_prefix("fields.") {
                Some(key) if KeyPath::parse(other).is_ok() => Dim::Field(key.to_string()),
                _ => {
                    return Err(format!(
                        "`{other}` is not a dimension: category, channel, component, severity, \
                         assignee, stage, tag, customer, fields.KEY, hour or weekday"
                    ));
                }
            },
        })
    }

    /// The name of the dimension, as columns and JSON keys call it.
    pub(crate) fn name(&self) -> String {
        match self {
            Dim::Category => "category".into(),
            Dim::Channel => "channel".into(),
            Dim::Component => "component".into(),
            Dim::Severity => "severity".into(),
            Dim::Assignee => "assignee".into(),
            Dim::Stage => "stage".into(),
            Dim::Tag => "tag".into(),
            Dim::Customer => "customer".into(),
            Dim::Field(key) => format!("fields.{key}"),
            Dim::Hour => "hour".into(),
            Dim::Weekday => "weekday".into(),
        }
    }

    /// Whether the values are in a table (customer, custom fields) rather than a top-level key.
    pub(crate) fn needs_tables(&self) -> bool {
        matches!(self, Dim::Customer | Dim::Field(_))
    }

    /// Whether the values have a natural order (hours, weekdays) rather than a ranking.
    pub(crate) fn is_ordinal(&self) -> bool {
        matches!(self, Dim::Hour | Dim::Weekday)
    }

    /// Every value of an ordinal dimension, in order.
    pub(crate) fn all_values(&self) -> Vec<String> {
        match self {
            Dim::Hour => (0..24).map(|h| format!("{h:02}")).collect(),
            Dim::Weekday => WEEKDAYS.iter().map(ToString::to_string).collect(),
            _ => Vec::new(),
        }
    }

    /// The values `c` has in this dimension (one, or one per tag).
    pub(crate) fn values(&self, c: &Complaint, zone: &Zone) -> Vec<String> {
        let one = |v: Option<&str>| {
            vec![
                v.filter(|s| !s.trim().is_empty())
                    .unwrap_or(NONE)
                    .to_string(),
            ]
        };
        match self {
            Dim::Category => one(c.category.as_deref()),
            Dim::Channel => one(c.channel.as_deref()),
            Dim::Component => one(c.component.as_deref()),
            Dim::Severity => one(c.severity.map(|s| s.as_str())),
            Dim::Assignee => one(c.assignee.as_deref()),
            Dim::Stage => one(Some(&c.stage)),
            Dim::Customer => one(c.customer.label()),
            Dim::Tag if c.tags.is_empty() => one(None),
            Dim::Tag => c.tags.clone(),
            Dim::Field(key) => one(c.fields.get(key).map(ToString::to_string).as_deref()),
            Dim::Hour => match c.opened {
                When::Date(_) => one(None),
                other => vec![format!("{:02}", zone.local(&other.instant(zone)).hour())],
            },
            Dim::Weekday => {
                let day = c.opened.date(zone).weekday().num_days_from_monday();
                vec![WEEKDAYS[day as usize].to_string()]
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    Day,
    Week,
    Month,
}

impl Every {
    pub fn parse(s: &str) -> Result<Every, String> {
        match s.trim() {
            "day" | "daily" => Ok(Every::Day),
            "week" | "weekly" => Ok(Every::Week),
            "month" | "monthly" => Ok(Every::Month),
            other => Err(format!("`{other}` is not a period: day, week or month")),
        }
    }

    /// The first day of the period holding `date` (weeks start on Monday).
    pub(crate) fn start(self, date: NaiveDate) -> NaiveDate {
        match self {
            Every::Day => date,
            Every::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
            Every::Month => date.with_day(1).expect("every month has a first day"),
        }
    }

    /// The first day of the next period.
    pub(crate) fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Every::Day => start + Duration::days(1),
            Every::Week => start + Duration::days(7),
            Every::Month => start
                .checked_add_months(chrono::Months::new(1))
                .expect("dates stay in range"),
        }
    }

    /// How the period starting on `start` is written: `2026-11-23`, `2026-W48`, `2026-11`.
    pub(crate) fn label(self, start: NaiveDate) -> String {
        match self {
            Every::Day => start.format("%Y-%m-%d").to_string(),
            Every::Week => start.format("%G-W%V").to_string(),
            Every::Month => start.format("%Y-%m").to_string(),
        }
    }
}

/// Counts as they are gathered: per (period start, group values).
#[derive(Debug, Default, Clone)]
pub(crate) struct Counts {
    cells: HashMap<(Option<NaiveDate>, Vec<String>), u64>,
    /// The earliest and latest opening dates counted.
    span: Option<(NaiveDate, NaiveDate)>,
}

impl Counts {
    /// Counts complaint `c`: once per combination of its values in `dims`.
    pub(crate) fn add(&mut self, c: &Complaint, dims: &[Dim], every: Option<Every>, zone: &Zone) {
        let date = c.opened.date(zone);
        self.span = Some(match self.span {
            Some((a, b)) => (a.min(date), b.max(date)),
            None => (date, date),
        });
        let period = every.map(|e| e.start(date));
        let mut keys: Vec<Vec<String>> = vec![Vec::new()];
        for dim in dims {
            let values = dim.values(c, zone);
            keys = keys
                .into_iter()
                .flat_map(|k| {
                    values.iter().map(move |v| {
                        let mut k = k.clone();
                        k.push(v.clone());
                        k
                    })
                })
                .collect();
        }
        for key in keys {
            *self.cells.entry((period, key)).or_default() += 1;
        }
    }

    /// Joins counts gathered on another thread.
    pub(crate) fn merge(mut self, other: Counts) -> Counts {
        for (key, n) in other.cells {
            *self.cells.entry(key).or_default() += n;
        }
        self.span = match (self.span, other.span) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (a, b) => a.or(b),
        };
        self
    }
}

/// A group (one value per dimension) and its counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Group {
    pub(crate) key: Vec<String>,
    pub(crate) total: u64,
    /// Per period, in order (empty without `--every`).
    pub(crate) series: Vec<u64>,
    pub(crate) spike: Option<Spike>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Spike {
    pub(crate) latest: u64,
    /// The mean of the previous periods (up to `window` of them).
    pub(crate) mean: f64,
    /// `latest / mean`; `None` when the mean is zero.
    pub(crate) ratio: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Trends {
    pub(crate) dims: Vec<Dim>,
    pub(crate) every: Option<Every>,
    /// The first day of each period, in order.
    pub(crate) periods: Vec<NaiveDate>,
    /// Groups by total, largest first (ordinal dimensions in their natural order).
    pub(crate) groups: Vec<Group>,
    pub(crate) rule: SpikeRule,
}

/// Orders group values: ordinal dimensions in their natural order, `(none)` last.
fn value_rank(dim: &Dim, value: &str) -> (usize, String) {
    if value == NONE {
        return (usize::MAX, String::new());
    }
    let position = dim.all_values().iter().position(|v| v == value);
    (position.unwrap_or(0), value.to_string())
}

/// Builds the trends from counts. With `every`, periods run from `first` to `last` (each
/// defaulting to the first and last opening counted); the last one is the "latest period" of
/// spike detection.
pub(crate) fn build(
    counts: Counts,
    dims: Vec<Dim>,
    every: Option<Every>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    rule: SpikeRule,
) -> Trends {
    let range = match (first, last, counts.span) {
        (Some(f), Some(l), _) => Some((f, l)),
        (f, l, Some((a, b))) => Some((f.unwrap_or(a), l.unwrap_or(b))),
        _ => None,
    };
    let periods: Vec<NaiveDate> = match (every, range) {
        (Some(e), Some((first, last))) => {
            let mut periods = Vec::new();
            let mut p = e.start(first);
            while p <= last {
                periods.push(p);
                p = e.next(p);
            }
            periods
        }
        _ => Vec::new(),
    };
    let index: HashMap<NaiveDate, usize> =
        periods.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let mut groups: BTreeMap<Vec<String>, Group> = BTreeMap::new();
    for ((period, key), n) in counts.cells {
        let slot = match (every, period) {
            (Some(_), Some(p)) => match index.get(&p) {
                Some(i) => Some(*i),
                None => continue,
            },
            _ => None,
        };
        let group = groups.entry(key.clone()).or_insert_with(|| Group {
            key,
            total: 0,
            series: vec![0; periods.len()],
            spike: None,
        });
        group.total += n;
        if let Some(i) = slot {
            group.series[i] += n;
        }
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    if every.is_some() {
        for group in &mut groups {
            group.spike = spike(&group.series, &rule);
        }
    }
    let ordinal = dims.first().is_some_and(Dim::is_ordinal);
    groups.sort_by(|a, b| {
        let rank = |g: &Group| {
            g.key
                .iter()
                .zip(&dims)
                .map(|(v, d)| value_rank(d, v))
                .collect::<Vec<_>>()
        };
        if ordinal {
            rank(a).cmp(&rank(b))
        } else {
            let none_last = |g: &Group| g.key.iter().any(|v| v == NONE);
            (none_last(a), std::cmp::Reverse(a.total), rank(a)).cmp(&(
                none_last(b),
                std::cmp::Reverse(b.total),
                rank(b),
            ))
        }
    });
    Trends {
        dims,
        every,
        periods,
        groups,
        rule,
    }
}

/// The spike verdict for a series: `Some` when its latest period is a spike.
pub(crate) fn spike(series: &[u64], rule: &SpikeRule) -> Option<Spike> {
    let (&latest, before) = series.split_last()?;
    let previous = &before[before.len().saturating_sub(rule.window)..];
    if previous.is_empty() || latest < rule.min_count {
        return None;
    }
    let mean = previous.iter().sum::<u64>() as f64 / previous.len() as f64;
    let ratio = (mean > 0.0).then(|| latest as f64 / mean);
    let is_spike = ratio.is_none_or(|r| r >= rule.threshold);
    is_spike.then_some(Spike {
        latest,
        mean,
        ratio,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complaint(opened: &str, category: Option<&str>, tags: &[&str]) -> Complaint {
        let mut text = format!(
            "id = \"aaaa000000000000\"\ntitle = \"t\"\nopened = {opened}\nstage = \"new\"\n"
        );
        if let Some(c) = category {
            text.push_str(&format!("category = \"{c}\"\n"));
        }
        text.push_str(&format!("tags = {tags:?}\n"));
        toml::from_str(&text).unwrap()
    }

    fn utc() -> Zone {
        Zone::Fixed(chrono::FixedOffset::east_opt(0).unwrap())
    }

    #[test]
    fn missing_values_and_unknown_hours_count_as_none() {
        let mut counts = Counts::default();
        let dims = [Dim::Category, Dim::Hour];
        counts.add(
            &complaint("2026-11-02T09:30:00Z", Some("billing"), &[]),
            &dims,
            None,
            &utc(),
        );
        counts.add(&complaint("2026-11-02", None, &[]), &dims, None, &utc());
        let t = build(
            counts,
            dims.to_vec(),
            None,
            None,
            None,
            SpikeRule::default(),
        );
        let keys: Vec<Vec<String>> = t.groups.iter().map(|g| g.key.clone()).collect();
        assert_eq!(keys, [vec!["billing", "09"], vec![NONE, NONE]]);
    }

    #[test]
    fn a_complaint_counts_once_per_tag() {
        let mut counts = Counts::default();
        counts.add(
            &complaint("2026-11-02T09:30:00Z", None, &["refund", "vip"]),
            &[Dim::Tag],
            None,
            &utc(),
        );
        let t = build(
            counts,
            vec![Dim::Tag],
            None,
            None,
            None,
            SpikeRule::default(),
        );
        assert_eq!(t.groups.iter().map(|g| g.total).sum::<u64>(), 2);
    }

    #[test]
    fn weeks_are_iso_weeks_starting_monday_and_empty_periods_are_zero() {
        let mut counts = Counts::default();
        for opened in [
            "2026-11-02T10:00:00Z",
            "2026-11-08T10:00:00Z",
            "2026-11-17T10:00:00Z",
        ] {
            counts.add(
                &complaint(opened, Some("billing"), &[]),
                &[Dim::Category],
                Some(Every::Week),
                &utc(),
            );
        }
        let t = build(
            counts,
            vec![Dim::Category],
            Some(Every::Week),
            None,
            None,
            SpikeRule::default(),
        );
        let labels: Vec<String> = t.periods.iter().map(|p| Every::Week.label(*p)).collect();
        assert_eq!(labels, ["2026-W45", "2026-W46", "2026-W47"]);
        assert_eq!(t.groups[0].series, [2, 0, 1]);
    }

    #[test]
    fn a_spike_needs_the_threshold_and_the_minimum_count() {
        let rule = SpikeRule::default();
        assert_eq!(spike(&[2, 2, 2, 2, 4], &rule), None, "below min_count");
        let s = spike(&[9, 2, 2, 2, 2, 2, 2, 2, 2, 8], &rule).unwrap();
        assert_eq!(
            (s.latest, s.mean, s.ratio),
            (8, 2.0, Some(4.0)),
            "the 9 is outside the window"
        );
        assert_eq!(spike(&[3, 3, 3, 5], &rule), None, "5 is under 2x of 3");
        assert!(
            spike(&[0, 0, 6], &rule).unwrap().ratio.is_none(),
            "from nothing"
        );
        assert_eq!(spike(&[6], &rule), None, "no history to compare with");
    }
}
