//! Team configuration from `gripe.toml`. Every key is optional; an absent file means the
//! defaults of DESIGN.md section 5.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveTime;
use serde::Deserialize;

use crate::error::Error;
use crate::error::Location;
use crate::error::Result;
use crate::model::complaint::FieldValue;
use crate::model::keys::KeyPath;
use crate::model::policy::Sla;
use crate::model::policy::SlaConfig;
use crate::model::policy::SpikeRule;
use crate::model::privacy::Detector;
use crate::model::privacy::Retention;
use crate::model::stage::Workflow;
use crate::model::stage::WorkflowConfig;
use crate::time::calendar::Calendar;
use crate::time::calendar::parse_days;
use crate::time::duration::Span;
use crate::time::when::When;
use crate::time::when::Zone;

pub(crate) const CONFIG_FILE: &str = "gripe.toml";
pub(crate) const DEFAULT_DIR: &str = "complaints";

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) dir: String,
    /// The team's zone when `timezone` is set; `None` means the machine's.
    pub(crate) timezone: Option<chrono_tz::Tz>,
    pub(crate) business_days: [bool; 7],
    pub(crate) business_start: NaiveTime,
    pub(crate) business_end: NaiveTime,
    pub(crate) holidays: Vec<chrono::NaiveDate>,
    pub(crate) vocabulary: Vocabulary,
    pub(crate) workflow: Workflow,
    pub(crate) sla: Sla,
    pub(crate) spikes: SpikeRule,
    /// A complaint resolved within this long counts as resolved at first contact; `None`
    /// means on the day it was opened.
    pub(crate) first_contact_within: Option<Span>,
    /// Customers with two or more complaints within this long are repeat complainants.
    pub(crate) repeat_window: Span,
    /// Commit each change as if `--commit` were given.
    pub(crate) commit: bool,
    /// Files larger than this are refused unread.
    pub(crate) max_file_size: u64,
    pub(crate) privacy: Privacy,
}

/// `[privacy]`: what counts as personal data beyond the built-in kinds, what does not, and how
/// long a closed complaint is kept.
#[derive(Debug, Clone, Default)]
pub(crate) struct Privacy {
    pub(crate) detector: Detector,
    /// Closed complaints are kept this long after closing; `None`: for ever.
    pub(crate) retain: Option<Retention>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrivacy {
    #[serde(default)]
    patterns: BTreeMap<String, String>,
    #[serde(default)]
    allow: Vec<String>,
    retain: Option<String>,
}

/// Allowed values; a list that is absent allows anything.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Vocabulary {
    pub(crate) categories: Option<Vec<String>>,
    pub(crate) channels: Option<Vec<String>>,
    pub(crate) components: Option<Vec<String>>,
}

impl Vocabulary {
    /// The allowed values for a header key, if the team restricted it.
    pub(crate) fn allowed(&self, key: &str) -> Option<&[String]> {
        match key {
            "category" => self.categories.as_deref(),
            "channel" => self.channels.as_deref(),
            "component" => self.components.as_deref(),
            _ => None,
        }
    }

    /// Refuses a value that `key` (a header key) may not hold; other keys are not restricted.
    pub(crate) fn check_key(&self, key: &KeyPath, value: Option<&FieldValue>) -> Result<()> {
        match (key.table, value.and_then(FieldValue::as_text)) {
            (None, Some(text)) => self.check(&key.name, text),
            _ => Ok(()),
        }
    }

    /// Refuses a value outside the team's list for `key`.
    pub(crate) fn check(&self, key: &str, value: &str) -> Result<()> {
        match self.allowed(key) {
            Some(list) if !list.iter().any(|v| v == value) => Err(Error::usage_hint(
                format!("`{value}` is not an allowed {key} (gripe.toml [vocabulary])"),
                format!("one of: {}", list.join(", ")),
            )),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    dir: Option<String>,
    timezone: Option<String>,
    business_hours: Option<RawBusinessHours>,
    #[serde(default)]
    holidays: Vec<When>,
    #[serde(default)]
    vocabulary: Vocabulary,
    #[serde(default)]
    workflow: WorkflowConfig,
    #[serde(default)]
    sla: SlaConfig,
    #[serde(default)]
    trends: TrendsConfig,
    #[serde(default)]
    report: ReportConfig,
    #[serde(default)]
    commit: bool,
    max_file_size: Option<ByteSize>,
    #[serde(default)]
    privacy: RawPrivacy,
}

/// A size in bytes, written as a number of bytes or with a unit: `512KB`, `1MB` (powers of
/// 1024).
#[derive(Debug, Clone, Copy)]
struct ByteSize(u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<ByteSize, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bytes(u64),
            Text(String),
        }
        let text = match Raw::deserialize(deserializer)? {
            Raw::Bytes(n) => return Ok(ByteSize(n)),
            Raw::Text(t) => t,
        };
        let t = text.trim().to_ascii_uppercase();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let (number, unit) = t.split_at(digits);
        let scale = match unit.trim() {
            "" | "B" => 1,
            "KB" | "KIB" | "K" => 1024,
            "MB" | "MIB" | "M" => 1024 * 1024,
            "GB" | "GIB" | "G" => 1024 * 1024 * 1024,
            _ => 0,
        };
        number
            .parse::<u64>()
            .ok()
            .filter(|_| scale > 0)
            .and_then(|n| n.checked_mul(scale))
            .map(ByteSize)
            .ok_or_else(|| {
                serde::de::Error::custom(format!("`{text}` is not a size like 1MB or 512KB"))
            })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportConfig {
    first_contact_within: Option<Span>,
    repeat_window: Option<Span>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrendsConfig {
    spike_threshold: Option<f64>,
    spike_window: Option<usize>,
    spike_min_count: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBusinessHours {
    days: Option<String>,
    start: Option<String>,
    end: Option<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config::from_raw(RawConfig::default()).expect("the default config is valid")
    }
}

impl Config {
    /// Reads `path`; the error names the file, line and column of the problem.
    pub(crate) fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(path, &text)
    }

    pub(crate) fn parse(path: &Path, text: &str) -> Result<Config> {
        let invalid = |offset: usize, message: String| Error::InvalidFile {
            location: Location::at_offset(path, text, offset),
            message,
            hint: Some("see the commented gripe.toml that `gripe init` writes".into()),
        };
        if let Some(offset) = crate::model::nesting::nesting_too_deep(text) {
            return Err(invalid(
                offset,
                format!(
                    "nested more than {} levels deep",
                    crate::model::nesting::MAX_DEPTH
                ),
            ));
        }
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            invalid(
                e.span().map_or(0, |s| s.start),
                e.message().trim().to_string(),
            )
        })?;
        Config::from_raw(raw).map_err(|(key, message)| {
            let offset = find_key(text, key).unwrap_or(0);
            invalid(offset, message)
        })
    }

    fn from_raw(raw: RawConfig) -> std::result::Result<Config, (&'static str, String)> {
        let timezone = raw
            .timezone
            .map(|tz| {
                tz.parse::<chrono_tz::Tz>().map_err(|_| {
                    (
                        "timezone",
                        format!(
                            "`{tz}` is not an IANA time zone such as Asia/Tokyo or Europe/London"
                        ),
                    )
                })
            })
            .transpose()?;
        let hours = raw.business_hours.unwrap_or(RawBusinessHours {
            days: None,
            start: None,
            end: None,
        });
        let business_days = parse_days(hours.days.as_deref().unwrap_or("mon-fri"))
            .map_err(|e| ("business_hours", e))?;
        let time = |value: Option<String>, default: &str| {
            let value = value.unwrap_or_else(|| default.to_string());
            NaiveTime::parse_from_str(&value, "%H:%M").map_err(|_| {
                (
                    "business_hours",
                    format!("`{value}` is not a time of day like 09:00"),
                )
            })
        };
        let business_start = time(hours.start, "09:00")?;
        let business_end = time(hours.end, "18:00")?;
        if business_end <= business_start {
            return Err((
                "business_hours",
                "business_hours.end must be after start".into(),
            ));
        }
        let holidays = raw
            .holidays
            .into_iter()
            .map(|h| match h {
                When::Date(d) => Ok(d),
                other => Err((
                    "holidays",
                    format!("holiday `{other}` must be a date like 2026-12-25"),
                )),
            })
            .collect::<std::result::Result<_, _>>()?;
        if !business_days.contains(&true) {
            return Err(("business_hours", "business_hours.days names no day".into()));
        }
        let workflow = Workflow::from_config(raw.workflow).map_err(|e| ("workflow", e))?;
        let sla = Sla::from_config(raw.sla, &workflow).map_err(|e| ("sla", e))?;
        let default = SpikeRule::default();
        let spikes = SpikeRule {
            threshold: raw.trends.spike_threshold.unwrap_or(default.threshold),
            window: raw.trends.spike_window.unwrap_or(default.window),
            min_count: raw.trends.spike_min_count.unwrap_or(default.min_count),
        };
        if !(spikes.threshold > 0.0 && spikes.window > 0) {
            return Err((
                "trends",
                "trends.spike_threshold and spike_window must be above zero".into(),
            ));
        }
        let privacy = Privacy {
            detector: Detector::new(&raw.privacy.patterns, &raw.privacy.allow)
                .map_err(|e| ("privacy", e))?,
            retain: raw
                .privacy
                .retain
                .as_deref()
                .map(Retention::parse)
                .transpose()
                .map_err(|e| ("privacy", e))?,
        };
        Ok(Config {
            privacy,
            dir: raw.dir.unwrap_or_else(|| DEFAULT_DIR.to_string()),
            timezone,
            business_days,
            business_start,
            business_end,
            holidays,
            vocabulary: raw.vocabulary,
            workflow,
            sla,
            spikes,
            first_contact_within: raw.report.first_contact_within,
            max_file_size: raw.max_file_size.map_or(1024 * 1024, |b| b.0),
            repeat_window: raw.report.repeat_window.unwrap_or(Span {
                amount: 365,
                unit: crate::time::duration::Unit::Days,
            }),
            commit: raw.commit,
        })
    }

    /// The team's calendar; `machine_zone` is used when gripe.toml sets no `timezone`.
    pub(crate) fn calendar(&self, machine_zone: Zone) -> Calendar {
        Calendar {
            zone: self.timezone.map_or(machine_zone, Zone::Named),
            days: self.business_days,
            start: self.business_start,
            end: self.business_end,
            holidays: self.holidays.iter().copied().collect(),
        }
    }
}

/// The byte offset of a top-level key or table in a TOML text, for error locations.
fn find_key(text: &str, key: &str) -> Option<usize> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let (k, _) = doc.as_table().get_key_value(key)?;
    k.span().map(|s| s.start)
}

/// The commented gripe.toml that `gripe init` writes.
pub(crate) const TEMPLATE: &str = r#"# gripe team configuration. Every key is optional; these are the defaults.

# Folder (next to this file) that holds the complaint files.
dir = "complaints"

# Files larger than this are refused unread (complaint files are a few KB).
max_file_size = "1MB"

# Time zone for business days and for hour-of-day and weekday reports.
# Without it, gripe uses the machine's zone.
# timezone = "Europe/London"

# Business hours: business-day durations ("3bd") count only these.
business_hours = { days = "mon-fri", start = "09:00", end = "18:00" }

# Days off, skipped by business-day durations.
holidays = []

# Commit every change to a complaint, that file alone, with a message like
# `gripe: note on k7m2 "Charged twice"`, as if --commit were given (--no-commit skips it).
commit = false

# When a list is present, values outside it are refused.
[vocabulary]
# categories = ["billing", "delivery", "quality", "service", "website"]
# channels = ["email", "phone", "chat", "social", "web", "in-person", "letter", "other"]
# components = ["checkout", "app"]

# The stages a complaint moves through, and what a complaint needs to enter a stage.
[workflow]
stages = ["new", "acknowledged", "investigating", "resolved", "following-up", "closed"]
# acknowledged = "acknowledged"    # the stage that counts as acknowledging the customer
# resolved = "resolved"            # the stage that counts as resolved
# closed = "closed"                # the last stage
# reopen_to = "investigating"      # where `gripe reopen` moves a complaint

[workflow.requires]
resolved = ["resolution.action"]
closed = ["resolution.satisfied"]

# Service-level targets per severity: "1h", "4h", "1d" count every hour; "8bh" (business
# hours) and "2bd" (business days) count business time only.
[sla]
acknowledge = { critical = "1h", high = "4h", medium = "1bd", low = "2bd" }
resolve = { critical = "1d", high = "3bd", medium = "5bd", low = "10bd" }
# The follow-up that resolving a complaint schedules (`advance --no-followup` skips it).
followup_after_resolve = "3bd"
# Stages in which the clocks pause, e.g. while waiting on the customer. Regulatory clocks
# usually do not pause; leave this empty to count every stage.
pause_in = []

# Spike detection in `gripe trends --every`: a group's latest period is a spike when it is at
# least spike_threshold times its mean over the previous spike_window periods, and at least
# spike_min_count.
[trends]
spike_threshold = 2.0
spike_window = 8
spike_min_count = 5

# Report metrics: resolved "at first contact" means on the day it was opened, unless a span is
# set here (e.g. "8h"); repeat complainants are customers with 2+ complaints within repeat_window.
[report]
# first_contact_within = "8h"
repeat_window = "365d"

# Personal data. `gripe check` reports email addresses, phone numbers, card numbers (Luhn-valid),
# IBANs (checksum-valid), UK National Insurance and US Social Security numbers written outside
# [customer]: in titles, notes, resolutions and custom fields. Add the team's own kinds of
# identifier, and values that are not personal (the team's own address; "@domain" allows a
# whole domain). Closed complaints past `retain` are reported by `check --fail-on retention`
# and removed by `gripe purge --past-retention` (the FCA asks for 3 years).
[privacy]
# patterns = { account = "ACC-[0-9]{8}" }
# allow = ["support@example.com"]
# retain = "3y"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_init_template_is_the_defaults() {
        let config = Config::parse(Path::new("gripe.toml"), TEMPLATE).unwrap();
        let default = Config::default();
        assert_eq!(config.dir, default.dir);
        assert_eq!(config.workflow, default.workflow);
        assert_eq!(config.business_days, default.business_days);
        assert_eq!(config.sla, default.sla);
        assert_eq!(config.spikes, default.spikes);
        assert_eq!(config.commit, default.commit);
    }

    #[test]
    fn config_errors_name_the_line_of_the_bad_key() {
        let text = "dir = \"c\"\ntimezone = \"Mars/Olympus\"\n";
        let err = Config::parse(Path::new("gripe.toml"), text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "gripe.toml:2:1: `Mars/Olympus` is not an IANA time zone such as Asia/Tokyo or Europe/London"
        );
        let err = Config::parse(Path::new("gripe.toml"), "colour = 1\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("gripe.toml:1:1: unknown field `colour`"),
            "{err}"
        );
    }
}
