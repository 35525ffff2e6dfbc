//! How the cells of a CSV row become a complaint: a [`Mapping`] from gripe's keys to the file's
//! columns, typed on the command line (`--map title=Issue,opened=Date`) or named by a
//! [`Preset`] (`--preset cfpb`).
//!
//! A target is a key `gripe set` can change (`title`, `channel`, `customer.name`,
//! `resolution.action`, `fields.zip` ...), or `opened` (the opening date), `note` (the text of
//! the `opened` event), `acknowledged` and `closed` (dates of stage events into the workflow's
//! acknowledged and last stages). Every cell is trimmed, and an empty cell leaves its key
//! absent. `channel` and `category` values become slugs ([`slug`]); custom fields keep the
//! value as given, as text; dates are read by [`parse_date`]. The imported history (the
//! `opened` event, stage events) is recorded `by = "import"`, at the dates the file gives, and
//! a stage entered without what the workflow requires (closing needs `resolution.satisfied`)
//! is marked `forced`, as the other system closed it, not gripe's workflow.

use std::sync::Arc;

use chrono::Datelike;
use chrono::NaiveDate;
use chrono::NaiveDateTime;
use csv::StringRecord;

use super::Incoming;
use super::Keys;
use super::Row;
use super::RowError;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Customer;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::FieldValue;
use crate::model::complaint::Resolution;
use crate::model::complaint::Stamp;
use crate::model::config::Vocabulary;
use crate::model::id;
use crate::model::keys::KeyPath;
use crate::model::keys::ValueKind;
use crate::model::stage::Workflow;
use crate::time::calendar::Calendar;
use crate::time::when::Timestamp;
use crate::time::when::When;
use crate::time::when::Zone;

/// Who the imported history is recorded as: it happened in another system, not at the hands
/// of whoever ran the import (the changes a re-import makes are theirs, and say so).
pub(crate) const IMPORT_AUTHOR: &str = "import";

/// What a column fills in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// A key `gripe set` can change.
    Key(KeyPath),
    /// When the complaint was opened; the time of the import when no column gives it.
    Opened,
    /// The text of the `opened` event: what the customer said.
    Note,
    /// When the complaint entered the workflow's acknowledged stage.
    Acknowledged,
    /// When it entered the workflow's last stage.
    Closed,
}

impl Target {
    pub(crate) fn parse(name: &str) -> Result<Target> {
        Ok(match name.trim() {
            "opened" => Target::Opened,
            "note" => Target::Note,
            "acknowledged" => Target::Acknowledged,
            "closed" => Target::Closed,
            key => Target::Key(KeyPath::parse(key).map_err(|_| {
                Error::usage_hint(
                    format!("`{key}` is not something an import can fill in"),
                    "targets: opened, note, acknowledged, closed, and the keys of `gripe set`: \
                     title, severity, channel, category, component, assignee, tags, promised_by, \
                     external_ref, customer.*, resolution.*, fields.NAME",
                )
            })?),
        })
    }
}

/// A named mapping for a well-known file layout.
#[derive(Debug)]
pub(crate) struct Preset {
    /// Put before the value of the `external_ref` column, so ids of two systems never meet.
    pub(crate) ref_prefix: &'static str,
    /// `(target, column)` pairs.
    pub(crate) columns: &'static [(&'static str, &'static str)],
    /// A row whose `column` holds `value` is not closed, whatever its `closed` column says.
    pub(crate) open_when: Option<(&'static str, &'static str)>,
}

/// The Consumer Complaint Database of the US Consumer Financial Protection Bureau, in the
/// layout of its CSV downloads. The CFPB does not publish when a complaint was closed; the
/// company's response is dated by `Date sent to company`, so that is when it counts as closed,
/// unless the response is `In progress`.
pub(crate) const CFPB: Preset = Preset {
    ref_prefix: "cfpb:",
    columns: &[
        ("external_ref", "Complaint ID"),
        ("opened", "Date received"),
        ("title", "Issue"),
        ("category", "Product"),
        ("fields.sub_product", "Sub-product"),
        ("fields.sub_issue", "Sub-issue"),
        ("fields.company", "Company"),
        ("fields.state", "State"),
        ("fields.zip", "ZIP code"),
        ("fields.tags", "Tags"),
        ("fields.consent", "Consumer consent provided?"),
        ("fields.public_response", "Company public response"),
        ("fields.timely", "Timely response?"),
        ("fields.disputed", "Consumer disputed?"),
        ("channel", "Submitted via"),
        ("note", "Consumer complaint narrative"),
        ("acknowledged", "Date sent to company"),
        ("resolution.action", "Company response to consumer"),
        ("closed", "Date sent to company"),
    ],
    open_when: Some(("Company response to consumer", "In progress")),
};

/// Which column fills in what, checked against a file's header.
#[derive(Debug)]
pub(crate) struct Mapping {
    columns: Vec<(Target, usize)>,
    /// The keys the columns fill in, but `external_ref`, which is how a row finds its
    /// complaint rather than something it changes.
    keys: Arc<[KeyPath]>,
    headers: Vec<String>,
    ref_prefix: String,
    open_when: Option<(usize, String)>,
}

/// What a row needs besides its cells.
pub(crate) struct RowContext<'a> {
    pub(crate) workflow: &'a Workflow,
    pub(crate) vocabulary: &'a Vocabulary,
    pub(crate) calendar: &'a Calendar,
    pub(crate) now: &'a Timestamp,
}

impl Mapping {
    /// The mapping of a preset, for a file with these column names.
    pub(crate) fn preset(preset: &Preset, headers: &[String]) -> Result<Mapping> {
        let pairs = preset
            .columns
            .iter()
            .map(|(target, column)| ((*target).to_string(), (*column).to_string()))
            .collect();
        let open_when = preset
            .open_when
            .map(|(column, value)| {
                Ok::<_, Error>((column_index(headers, column)?, value.to_string()))
            })
            .transpose()?;
        Mapping::new(pairs, headers, preset.ref_prefix, open_when)
    }

    /// The mapping of `--map FIELD=COLUMN` pairs, for a file with these column names.
    pub(crate) fn from_pairs(pairs: &[String], headers: &[String]) -> Result<Mapping> {
        let pairs = pairs
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|pair| {
                pair.split_once('=')
                    .map(|(t, c)| (t.trim().to_string(), c.trim().to_string()))
                    .ok_or_else(|| {
                        Error::usage_hint(
                            format!("--map `{pair}` is not FIELD=COLUMN"),
                            "for example: --map external_ref=Ticket,title=Subject,opened=Created",
                        )
                    })
            })
            .collect::<Result<_>>()?;
        Mapping::new(pairs, headers, "", None)
    }

    fn new(
        pairs: Vec<(String, String)>,
        headers: &[String],
        ref_prefix: &str,
        open_when: Option<(usize, String)>,
    ) -> Result<Mapping> {
        let mut columns: Vec<(Target, usize)> = Vec::new();
        for (target, column) in pairs {
            let target = Target::parse(&target)?;
            if columns.iter().any(|(t, _)| *t == target) {
                return Err(Error::usage(format!(
                    "{} is mapped twice",
                    name_of(&target)
                )));
            }
            columns.push((target, column_index(headers, &column)?));
        }
        for required in ["title", "external_ref"] {
            let key = Target::parse(required)?;
            if !columns.iter().any(|(t, _)| *t == key) {
                return Err(Error::usage_hint(
                    format!("the mapping gives no column for {required}"),
                    match required {
                        "title" => "every complaint has a title: --map title=COLUMN",
                        _ => {
                            "external_ref is how a second import finds the complaints of the first: --map external_ref=COLUMN"
                        }
                    },
                ));
            }
        }
        let keys = columns
            .iter()
            .filter_map(|(target, _)| match target {
                Target::Key(key) if !(key.table.is_none() && key.name == "external_ref") => {
                    Some(key.clone())
                }
                _ => None,
            })
            .collect();
        Ok(Mapping {
            columns,
            keys,
            headers: headers.to_vec(),
            ref_prefix: ref_prefix.to_string(),
            open_when,
        })
    }

    /// The complaint that row `row` describes, with a new id.
    pub(crate) fn incoming(
        &self,
        row: Row,
        cells: &StringRecord,
        ctx: &RowContext<'_>,
    ) -> Result<Incoming, RowError> {
        let fail = |message: String| RowError::new(row, message);
        let zone = &ctx.calendar.zone;
        let stamp = Stamp {
            at: zone.in_zone(ctx.now),
            by: IMPORT_AUTHOR.to_string(),
        };
        let mut complaint = Complaint {
            id: id::new_complaint_id().map_err(|e| fail(e.to_string()))?,
            title: String::new(),
            opened: When::Zoned(stamp.at),
            opened_by: Some(IMPORT_AUTHOR.to_string()),
            stage: ctx.workflow.first().to_string(),
            severity: None,
            channel: None,
            category: None,
            component: None,
            assignee: None,
            tags: Vec::new(),
            promised_by: None,
            external_ref: None,
            customer: Customer::default(),
            resolution: Resolution::default(),
            fields: Default::default(),
            followups: Vec::new(),
            events: Vec::new(),
            misplaced: Vec::new(),
        };
        let mut note = None;
        let mut moves = Vec::new();
        let kept_open = self
            .open_when
            .as_ref()
            .is_some_and(|(column, value)| cell(cells, *column) == value);
        for (target, column) in &self.columns {
            let value = cell(cells, *column);
            let name = &self.headers[*column];
            if value.is_empty() {
                if matches!(target, Target::Opened) || is_required(target) {
                    return Err(fail(format!("{name} is empty")));
                }
                continue;
            }
            let date = || parse_date(value, zone).ok_or_else(|| fail(bad_date(value, name)));
            match target {
                Target::Key(key) => {
                    let typed = self.key_value(key, value, name, ctx).map_err(fail)?;
                    ctx.vocabulary
                        .check_key(key, Some(&typed))
                        .map_err(|e| fail(e.to_string()))?;
                    key.apply(&mut complaint, Some(typed));
                }
                Target::Opened => complaint.opened = date()?,
                Target::Note => note = Some(value.to_string()),
                Target::Acknowledged => moves.push((ctx.workflow.acknowledged, date()?, name)),
                Target::Closed if kept_open => {}
                Target::Closed => moves.push((ctx.workflow.closed, date()?, name)),
            }
        }
        complaint.events.push(Event {
            at: complaint.opened,
            text: note,
            ..Event::new(EventKind::Opened, &stamp)
        });
        let mut notes = Vec::new();
        moves.sort_by_key(|(stage, _, _)| *stage);
        let mut current = 0;
        let mut last = complaint.opened;
        for (stage, at, column) in moves {
            // History runs forward: a date before the opening, or before the stage before it,
            // is recorded at that point, and the event says what the file said.
            let (at, text) = if at.instant(zone) < last.instant(zone) {
                let before = if at.instant(zone) < complaint.opened.instant(zone) {
                    format!("the complaint was opened ({})", complaint.opened)
                } else {
                    format!("the stage before ({last})")
                };
                let why = format!("{column} is {at}, before {before}; recorded at {last}");
                let note = format!("{row}: {why}");
                if !notes.contains(&note) {
                    notes.push(note);
                }
                (last, Some(why))
            } else {
                (at, None)
            };
            let workflow = ctx.workflow;
            let missing = workflow.missing_requirements(&complaint, current, stage);
            complaint.events.push(Event {
                at,
                text,
                forced: !missing.is_empty(),
                ..Event::stage_change(
                    EventKind::Stage,
                    &stamp,
                    workflow.name(current),
                    workflow.name(stage),
                )
            });
            complaint.stage = workflow.name(stage).to_string();
            current = stage;
            last = at;
        }
        Ok(Incoming {
            row,
            complaint,
            keys: Keys::Mapped(Arc::clone(&self.keys)),
            notes,
        })
    }

    /// The value a cell gives `key`.
    fn key_value(
        &self,
        key: &KeyPath,
        value: &str,
        column: &str,
        ctx: &RowContext<'_>,
    ) -> std::result::Result<FieldValue, String> {
        match (key.table, key.name.as_str(), key.kind) {
            (None, "channel" | "category", _) => match slug(value) {
                s if s.is_empty() => Err(format!(
                    "{column} `{value}` has no letters or digits to make a {} of",
                    key.name
                )),
                s => Ok(FieldValue::Text(s)),
            },
            (None, "external_ref", _) => {
                Ok(FieldValue::Text(format!("{}{value}", self.ref_prefix)))
            }
            (_, _, ValueKind::Any) => Ok(FieldValue::Text(value.to_string())),
            (_, _, ValueKind::When) => parse_date(value, &ctx.calendar.zone)
                .map(FieldValue::When)
                .ok_or_else(|| bad_date(value, column)),
            _ => match key.parse_value(value, ctx.now, ctx.calendar) {
                Ok(Some(typed)) => Ok(typed),
                Ok(None) => Err(format!("{column} is empty")),
                Err(e) => Err(format!("{column}: {e}")),
            },
        }
    }
}

fn cell(cells: &StringRecord, column: usize) -> &str {
    cells.get(column).unwrap_or_default().trim()
}

fn is_required(target: &Target) -> bool {
    matches!(target, Target::Key(key) if key.table.is_none() && (key.name == "title" || key.name == "external_ref"))
}

fn name_of(target: &Target) -> String {
    match target {
        Target::Key(key) => key.to_string(),
        Target::Opened => "opened".into(),
        Target::Note => "note".into(),
        Target::Acknowledged => "acknowledged".into(),
        Target::Closed => "closed".into(),
    }
}

fn column_index(headers: &[String], column: &str) -> Result<usize> {
    headers.iter().position(|h| h == column).ok_or_else(|| {
        Error::usage_hint(
            format!("the file has no column `{column}`"),
            format!("its columns: {}", headers.join(", ")),
        )
    })
}

fn bad_date(value: &str, column: &str) -> String {
    format!("bad date {value:?} in {column}")
}

/// `value` as a slug: lower case, every run of characters other than ASCII letters and digits
/// one hyphen, none at either end (`Postal mail` is `postal-mail`).
pub(crate) fn slug(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for part in value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&part.to_ascii_lowercase());
    }
    out
}

/// A date or time as import files write them: the forms gripe reads in its
/// own files (ISO 8601 dates, RFC 3339 times), or the US `MM/DD/YYYY` with an optional time. A
/// time without an offset is in the team's zone and is written with its offset; a date alone
/// stays a date (the time of day is unknown). Years outside 1900-9999 are refused, which also
/// refuses two-digit years.
pub(crate) fn parse_date(value: &str, zone: &Zone) -> Option<When> {
    let when = value.parse::<When>().ok().or_else(|| {
        NaiveDate::parse_from_str(value, "%m/%d/%Y")
            .map(When::Date)
            .ok()
            .or_else(|| {
                ["%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"]
                    .iter()
                    .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
                    .map(When::Local)
            })
    })?;
    if !(1900..=9999).contains(&when.date(zone).year()) {
        return None;
    }
    Some(match when {
        When::Local(local) => When::Zoned(zone.at_local(local)),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_one_hyphen() {
        assert_eq!(slug("Postal mail"), "postal-mail");
        assert_eq!(
            slug("Credit card or prepaid card"),
            "credit-card-or-prepaid-card"
        );
        assert_eq!(
            slug("Credit reporting, credit repair services, or other personal consumer reports"),
            "credit-reporting-credit-repair-services-or-other-personal-consumer-reports"
        );
        assert_eq!(slug("  --Web!! "), "web");
        assert_eq!(slug("Café au lait"), "caf-au-lait");
        assert_eq!(slug("?!"), "");
    }

    #[test]
    fn dates_are_read_in_iso_and_us_forms() {
        let zone = Zone::Fixed(chrono::FixedOffset::east_opt(9 * 3600).unwrap());
        let date = |s: &str| parse_date(s, &zone).map(|w| w.to_string());
        assert_eq!(date("2019-04-05").as_deref(), Some("2019-04-05"));
        assert_eq!(date("04/05/2019").as_deref(), Some("2019-04-05"));
        assert_eq!(date("4/5/2019").as_deref(), Some("2019-04-05"));
        assert_eq!(
            date("4/5/2019 13:30").as_deref(),
            Some("2019-04-05T13:30:00+09:00")
        );
        assert_eq!(
            date("2019-04-05T13:30:00Z").as_deref(),
            Some("2019-04-05T13:30:00Z")
        );
        for bad in [
            "13/45/2019",
            "4/5/19",
            "05-04-2019",
            "2019-02-30",
            "yesterday",
            "0019-01-01",
        ] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_cfpb_preset_maps_every_column_once() {
        let headers: Vec<String> = CFPB.columns.iter().map(|(_, c)| (*c).to_string()).collect();
        let mapping = Mapping::preset(&CFPB, &headers).unwrap();
        assert_eq!(mapping.columns.len(), 19);
        assert!(Mapping::preset(&CFPB, &headers[1..]).is_err());
    }
}
