//! Team configuration from `gripe.toml`. Every key is optional; an absent file means the
//! defaults of DESIGN.md section 5.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveTime;
use serde::Deserialize;

use crate::error::Error;
use crate::error::Location;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::FieldValue;
use crate::model::keys::KeyPath;
use crate::model::policy::Sla;
use crate::model::policy::SlaConfig;
use crate::model::policy::SpikeRule;
use crate::model::privacy::Detector;
use crate::model::privacy::Retention;
use crate::model::regime::Regime;
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
    pub(crate) regulatory: Regulatory,
    /// Email messages larger than this are refused unread (`[email] max_size`).
    pub(crate) max_email_size: u64,
}

/// `[regulatory]`: the regimes every complaint runs under unless its file names its own, and
/// the calendar each one counts on.
#[derive(Debug, Clone, Default)]
pub(crate) struct Regulatory {
    pub(crate) regimes: Vec<Regime>,
    /// Each regime's calendar, where one is named; the others count on the team's.
    calendars: BTreeMap<Regime, Calendar>,
}

impl Regulatory {
    /// The calendar `regime` counts on: its own, else `team`.
    pub(crate) fn calendar<'a>(&'a self, regime: Regime, team: &'a Calendar) -> &'a Calendar {
        self.calendars.get(&regime).unwrap_or(team)
    }

    /// The regimes `c` runs under: its own list, else the team's. Names gripe does not know
    /// are left out (`check` reports them).
    pub(crate) fn of(&self, c: &Complaint) -> Vec<Regime> {
        match &c.regimes {
            Some(names) => names.iter().filter_map(|n| Regime::parse(n).ok()).collect(),
            None => self.regimes.clone(),
        }
    }
}

/// `[calendars.NAME]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    timezone: Option<String>,
    days: Option<String>,
    opens: Option<String>,
    close_of_business: Option<String>,
    #[serde(default)]
    holidays: Vec<When>,
    /// An iCalendar file of holidays, relative to gripe.toml.
    holidays_file: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegulatory {
    #[serde(default)]
    regimes: Vec<String>,
    calendar: Option<String>,
    fca_disp: Option<RawRegime>,
    fca_psd: Option<RawRegime>,
    cfpb: Option<RawRegime>,
    asic_rg271: Option<RawRegime>,
    housing_ombudsman: Option<RawRegime>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegime {
    calendar: Option<String>,
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
    #[serde(default)]
    calendars: BTreeMap<String, RawCalendar>,
    #[serde(default)]
    regulatory: RawRegulatory,
    #[serde(default)]
    email: RawEmail,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmail {
    max_size: Option<ByteSize>,
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
        Config::from_raw(RawConfig::default(), Path::new(".")).expect("the default config is valid")
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
        let base = path.parent().unwrap_or(Path::new("."));
        Config::from_raw(raw, base).map_err(|(key, message)| {
            let offset = find_key(text, key).unwrap_or(0);
            invalid(offset, message)
        })
    }

    fn from_raw(
        raw: RawConfig,
        base: &Path,
    ) -> std::result::Result<Config, (&'static str, String)> {
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
        let (business_days, business_start, business_end) = business_week(
            "business_hours",
            hours.days.as_deref(),
            hours.start.as_deref(),
            hours.end.as_deref().unwrap_or("18:00"),
        )
        .map_err(|(key, message)| (key, format!("business_hours: {message}")))?;
        let holidays = dates("holidays", raw.holidays)?;
        let regulatory = regulatory(raw.regulatory, raw.calendars, timezone, base)?;
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
            regulatory,
            max_email_size: raw.email.max_size.map_or(25 * 1024 * 1024, |b| b.0),
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

/// A week of business hours: the days (`mon-fri` when unset), opening (09:00 when unset) and
/// closing time. Errors name `key`.
fn business_week(
    key: &'static str,
    days: Option<&str>,
    start: Option<&str>,
    end: &str,
) -> std::result::Result<([bool; 7], NaiveTime, NaiveTime), (&'static str, String)> {
    let days = parse_days(days.unwrap_or("mon-fri")).map_err(|e| (key, e))?;
    if !days.contains(&true) {
        return Err((key, "`days` names no day".to_string()));
    }
    let time = |value: &str| {
        NaiveTime::parse_from_str(value, "%H:%M")
            .map_err(|_| (key, format!("`{value}` is not a time of day like 09:00")))
    };
    let (start, end) = (time(start.unwrap_or("09:00"))?, time(end)?);
    if end <= start {
        return Err((
            key,
            "the closing time must be after the opening".to_string(),
        ));
    }
    Ok((days, start, end))
}

/// Holidays as dates; a time is refused.
fn dates(
    key: &'static str,
    holidays: Vec<When>,
) -> std::result::Result<Vec<chrono::NaiveDate>, (&'static str, String)> {
    holidays
        .into_iter()
        .map(|h| match h {
            When::Date(d) => Ok(d),
            other => Err((
                key,
                format!("holiday `{other}` must be a date like 2026-12-25"),
            )),
        })
        .collect()
}

/// `[regulatory]` with the `[calendars]` its regimes name.
fn regulatory(
    raw: RawRegulatory,
    calendars: BTreeMap<String, RawCalendar>,
    team_zone: Option<chrono_tz::Tz>,
    base: &Path,
) -> std::result::Result<Regulatory, (&'static str, String)> {
    let mut named = BTreeMap::new();
    for (name, c) in calendars {
        named.insert(name.clone(), named_calendar(&name, c, team_zone, base)?);
    }
    let find = |key: &str, name: &str| {
        named.get(name).cloned().ok_or_else(|| {
            let defined: Vec<&str> = named.keys().map(String::as_str).collect();
            (
                "regulatory",
                format!(
                    "{key}: calendar `{name}` is not defined; add a [calendars.{name}] table{}",
                    if defined.is_empty() {
                        String::new()
                    } else {
                        format!(" or use one of: {}", defined.join(", "))
                    }
                ),
            )
        })
    };
    let regimes = raw
        .regimes
        .iter()
        .map(|name| {
            Regime::parse(name).map_err(|e| ("regulatory", format!("regulatory.regimes: {e}")))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let own = [
        (Regime::FcaDisp, &raw.fca_disp),
        (Regime::FcaPsd, &raw.fca_psd),
        (Regime::Cfpb, &raw.cfpb),
        (Regime::AsicRg271, &raw.asic_rg271),
        (Regime::HousingOmbudsman, &raw.housing_ombudsman),
    ];
    let mut by_regime = BTreeMap::new();
    for (regime, table) in own {
        let own = table.as_ref().and_then(|t| t.calendar.as_deref());
        let (key, name) = match (own, raw.calendar.as_deref()) {
            (Some(name), _) => (format!("regulatory.{regime}.calendar"), Some(name)),
            (None, name) => ("regulatory.calendar".to_string(), name),
        };
        if let Some(name) = name {
            by_regime.insert(regime, find(&key, name)?);
        }
    }
    Ok(Regulatory {
        regimes,
        calendars: by_regime,
    })
}

/// One `[calendars.NAME]`: its zone (the team's when unset), week, close of business
/// (17:00 when unset) and holidays, from the list and from the iCalendar file.
fn named_calendar(
    name: &str,
    raw: RawCalendar,
    team_zone: Option<chrono_tz::Tz>,
    base: &Path,
) -> std::result::Result<Calendar, (&'static str, String)> {
    let key = "calendars";
    let zone = match raw.timezone {
        Some(tz) => tz.parse::<chrono_tz::Tz>().map_err(|_| {
            (
                key,
                format!("calendars.{name}.timezone: `{tz}` is not an IANA time zone such as Europe/London"),
            )
        })?,
        None => team_zone.ok_or_else(|| {
            (
                key,
                format!("calendars.{name} needs a timezone (or set the team's `timezone`)"),
            )
        })?,
    };
    let (days, start, end) = business_week(
        key,
        raw.days.as_deref(),
        raw.opens.as_deref(),
        raw.close_of_business.as_deref().unwrap_or("17:00"),
    )
    .map_err(|(key, message)| (key, format!("calendars.{name}: {message}")))?;
    let mut holidays: std::collections::BTreeSet<_> =
        dates(key, raw.holidays)?.into_iter().collect();
    if let Some(file) = raw.holidays_file {
        let path = base.join(&file);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            (
                key,
                format!(
                    "calendars.{name}.holidays_file: cannot read {}: {e}",
                    path.display()
                ),
            )
        })?;
        let days = crate::time::calendar::holidays_from_ics(&text).map_err(|e| {
            (
                key,
                format!(
                    "calendars.{name}.holidays_file: {} is not an iCalendar file of holidays: {e}",
                    path.display()
                ),
            )
        })?;
        holidays.extend(days);
    }
    Ok(Calendar {
        zone: Zone::Named(zone),
        days,
        start,
        end,
        holidays,
    })
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

# Regulators' timetables, beside the SLAs: clocks that never pause, count on their own
# calendar and are met only by a letter (`gripe respond ID --kind summary|holding|final`).
# Regimes: fca_disp, fca_psd, cfpb, asic_rg271, housing_ombudsman. A complaint may name its
# own with `regimes = [...]` in its file (`gripe open --regime`, `gripe set ID regimes=`).
# [calendars.uk]
# timezone = "Europe/London"
# close_of_business = "17:00"
# holidays = [2026-12-25, 2026-12-28]
# holidays_file = "england-and-wales.ics"   # https://www.gov.uk/bank-holidays/england-and-wales.ics
#
# [regulatory]
# regimes = ["fca_disp"]
# calendar = "uk"

# Email intake (`gripe open --email`, `gripe import --format mbox|maildir`): larger messages are
# refused unread.
[email]
max_size = "25MB"
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
