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

use csv::StringRecord;

use super::Incoming;
use super::Keys;
use super::Row;
use super::RowError;
use super::dates::Form;
use super::dates::Read;
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
use crate::model::regime::Letter;
use crate::model::stage::Workflow;
use crate::time::calendar::Calendar;
use crate::time::when::LocalFit;
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
    /// When a regulator sent it to the team (a `referred` event, where a regulator's clock
    /// counts from).
    Referred,
    /// When the team's response letter went: a final one, or a holding one for a row kept
    /// open (`open_when`).
    ResponseSent,
    /// What the response said.
    ResponseText,
    /// The regulator's verdict on whether the response was in time (yes or no).
    ResponseTimely,
}

/// The targets that are not a key of `gripe set`, by name.
const EVENTS: [(&str, Target); 8] = [
    ("opened", Target::Opened),
    ("note", Target::Note),
    ("acknowledged", Target::Acknowledged),
    ("closed", Target::Closed),
    ("referred", Target::Referred),
    ("response.sent", Target::ResponseSent),
    ("response.text", Target::ResponseText),
    ("response.timely", Target::ResponseTimely),
];

impl Target {
    pub(crate) fn parse(name: &str) -> Result<Target> {
        let key = name.trim();
        if let Some((_, target)) = EVENTS.into_iter().find(|(n, _)| *n == key) {
            return Ok(target);
        }
        let names: Vec<&str> = EVENTS.iter().map(|(n, _)| *n).collect();
        KeyPath::parse(key).map(Target::Key).map_err(|_| {
            Error::usage_hint(
                format!("`{key}` is not something an import can fill in"),
                format!(
                    "targets: {}, and the keys of `gripe set`: title, severity, channel, \
                     category, component, assignee, tags, promised_by, external_ref, \
                     customer.*, resolution.*, fields.NAME",
                    names.join(", ")
                ),
            )
        })
    }

    /// The name a mapping gives it.
    fn name(&self) -> String {
        match self {
            Target::Key(key) => key.to_string(),
            other => EVENTS
                .iter()
                .find(|(_, t)| t == other)
                .map(|(n, _)| n.to_string())
                .expect("every other target is named in EVENTS"),
        }
    }
}

/// The response letter a row records.
#[derive(Default)]
struct Response<'a> {
    /// When, and the column that said so.
    sent: Option<(When, &'a str)>,
    text: Option<String>,
    timely: Option<bool>,
}

/// A named mapping for a well-known file layout.
#[derive(Debug)]
pub(crate) struct Preset {
    /// Put before the value of the `external_ref` column, so ids of two systems never meet.
    pub(crate) ref_prefix: &'static str,
    /// `(target, column)` pairs; `A|B` takes the first column of those that is not blank.
    pub(crate) columns: &'static [(&'static str, &'static str)],
    /// A row whose `column` holds `value` is not closed, whatever its `closed` column says.
    pub(crate) open_when: Option<(&'static str, &'static str)>,
    /// How the source writes dates that are not ISO 8601.
    pub(crate) dates: Form,
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
        ("title", "Issue|Sub-issue|Product"),
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
        ("referred", "Date sent to company"),
        ("response.sent", "Date sent to company"),
        ("response.text", "Company response to consumer"),
        ("response.timely", "Timely response?"),
    ],
    open_when: Some(("Company response to consumer", "In progress")),
    // The CFPB's site writes US dates; its API and bulk files write ISO 8601.
    dates: Form::MonthFirst,
};

/// Which column fills in what, checked against a file's header.
#[derive(Debug)]
pub(crate) struct Mapping {
    /// Each target's column, then the columns it falls back to when that one is blank.
    columns: Vec<(Target, Vec<usize>)>,
    /// How each date column writes its dates, by column index ([`Mapping::detect_dates`]).
    forms: Vec<Option<Form>>,
    /// The keys the columns fill in, but `external_ref`, which is how a row finds its
    /// complaint rather than something it changes.
    keys: Arc<[KeyPath]>,
    headers: Vec<String>,
    ref_prefix: String,
    open_when: Option<(usize, String)>,
    /// How the source writes dates, when a preset knows.
    dates: Option<Form>,
}

/// What a row needs besides its cells.
pub(crate) struct RowContext<'a> {
    pub(crate) workflow: &'a Workflow,
    pub(crate) vocabulary: &'a Vocabulary,
    pub(crate) calendar: &'a Calendar,
    pub(crate) now: &'a Timestamp,
    /// Refuse a row that needs a repair (`--strict`) instead of repairing it.
    pub(crate) strict: bool,
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
        let mut mapping = Mapping::new(pairs, headers, preset.ref_prefix, open_when)?;
        mapping.dates = Some(preset.dates.clone());
        Ok(mapping)
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
        let mut columns: Vec<(Target, Vec<usize>)> = Vec::new();
        for (target, column) in pairs {
            let target = Target::parse(&target)?;
            if columns.iter().any(|(t, _)| *t == target) {
                return Err(Error::usage(format!("{} is mapped twice", target.name())));
            }
            // A header that holds `|` itself is that one column.
            let indexes = match headers.iter().position(|h| *h == column) {
                Some(index) => vec![index],
                None => column
                    .split('|')
                    .map(|c| column_index(headers, c.trim()))
                    .collect::<Result<_>>()?,
            };
            columns.push((target, indexes));
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
            forms: vec![None; headers.len()],
            columns,
            keys,
            headers: headers.to_vec(),
            ref_prefix: ref_prefix.to_string(),
            open_when,
            dates: None,
        })
    }

    /// Decides how each date column writes its dates, from all its values in `rows`
    /// ([`Form::of_column`]), preferring `format` (`--date-format`), else the preset's form. An
    /// ambiguous column is an error that names it, its values that read two ways, and the
    /// `--date-format` of each reading.
    pub(crate) fn detect_dates(
        &mut self,
        rows: &[std::result::Result<(Row, StringRecord), RowError>],
        format: Option<&str>,
    ) -> Result<()> {
        let dated = self
            .columns
            .iter()
            .filter(|(target, _)| is_date(target))
            .flat_map(|(_, columns)| columns.iter().copied());
        let preferred = format
            .map(|f| Form::Format(f.to_string()))
            .or(self.dates.clone());
        for column in dated {
            let values = rows
                .iter()
                .filter_map(|r| r.as_ref().ok())
                .map(|(_, cells)| cell(cells, column))
                .filter(|v| !v.is_empty());
            let form = Form::of_column(values, preferred.as_ref()).map_err(|a| {
                let [month, day] = &a.formats;
                Error::usage_hint(
                    format!(
                        "the dates in {} can be read month first or day first: {}",
                        self.headers[column],
                        a.examples
                            .iter()
                            .map(|e| format!("{e:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    format!(
                        "say which, and nothing is imported until you do: --date-format \"{month}\" or --date-format \"{day}\""
                    ),
                )
            })?;
            self.forms[column] = Some(form);
        }
        Ok(())
    }

    /// The date in `value`, from `column`, read in the column's form.
    fn date(&self, column: usize, value: &str, zone: &Zone) -> Option<Read> {
        self.forms[column]
            .as_ref()
            .unwrap_or(&Form::Iso)
            .read(value, zone)
    }

    /// The complaint that row `row` describes, with a new id. A blank cell whose target has
    /// fallback columns takes the first that is not blank, and a blank title with none is
    /// `(no title)`; each such repair is said in the `opened` event's text and in the notes.
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
            regimes: None,
            customer: Customer::default(),
            resolution: Resolution::default(),
            fields: Default::default(),
            followups: Vec::new(),
            events: Vec::new(),
            misplaced: Vec::new(),
        };
        let mut note = None;
        let mut referred = None;
        let mut response = Response::default();
        let mut moves = Vec::new();
        let mut repairs = Vec::new();
        let kept_open = self
            .open_when
            .as_ref()
            .is_some_and(|(column, value)| cell(cells, *column) == value);
        for (target, columns) in &self.columns {
            let first = &self.headers[columns[0]];
            let found = columns
                .iter()
                .map(|&c| (c, cell(cells, c)))
                .find(|(_, value)| !value.is_empty());
            let (column, value) = match found {
                Some((column, value)) => {
                    if column != columns[0] {
                        if ctx.strict {
                            return Err(fail(format!("{first} is empty")));
                        }
                        repairs.push(format!(
                            "{} was blank; used {}",
                            target.name(),
                            self.headers[column]
                        ));
                    }
                    (column, value)
                }
                None if is_title(target) && !ctx.strict => {
                    repairs.push(format!("title was blank; it is {NO_TITLE:?}"));
                    complaint.title = NO_TITLE.to_string();
                    continue;
                }
                None if matches!(target, Target::Opened) => {
                    return Err(fail(format!("{first} is empty: no opening date")));
                }
                None if is_required(target) => return Err(fail(format!("{first} is empty"))),
                None => continue,
            };
            let name = &self.headers[column];
            let mut date = || {
                let read = self
                    .date(column, value, zone)
                    .ok_or_else(|| fail(bad_date(value, name)))?;
                if let Some(why) = clock_change(read, name, value, zone) {
                    repairs.push(why);
                }
                Ok::<_, RowError>(read.when)
            };
            match target {
                Target::Key(key) => {
                    let typed = match key.kind {
                        ValueKind::When => FieldValue::When(date()?),
                        _ => self.key_value(key, value, name, ctx).map_err(fail)?,
                    };
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
                Target::Referred => referred = Some((date()?, name.as_str())),
                Target::ResponseSent => response.sent = Some((date()?, name.as_str())),
                Target::ResponseText => response.text = Some(value.to_string()),
                Target::ResponseTimely => {
                    response.timely = crate::model::keys::parse_bool(value);
                }
            }
        }
        let mut notes: Vec<String> = repairs.iter().map(|r| format!("{row}: {r}")).collect();
        let said: Vec<String> = repairs.iter().map(|r| format!("imported: {r}")).collect();
        let text = match (note, said.is_empty()) {
            (note, true) => note,
            (None, false) => Some(said.join("\n")),
            (Some(note), false) => Some(format!("{note}\n\n{}", said.join("\n"))),
        };
        complaint.events.push(Event {
            at: complaint.opened,
            text,
            ..Event::new(EventKind::Opened, &stamp)
        });
        // A letter or a referral dated before the opening is recorded at the opening, as the
        // stage moves below are.
        let opened = complaint.opened;
        let mut not_before_opening = |(at, column): (When, &str)| {
            if at.instant(zone) >= opened.instant(zone) {
                return at;
            }
            let note = format!(
                "{row}: {column} is {at}, before the complaint was opened ({opened}); recorded at {opened}"
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
            opened
        };
        if let Some(referral) = referred {
            complaint.events.push(Event {
                at: not_before_opening(referral),
                ..Event::new(EventKind::Referred, &stamp)
            });
        }
        if let Some(sent) = response.sent {
            complaint.events.push(Event {
                at: not_before_opening(sent),
                text: response.text,
                letter: Some(
                    if kept_open {
                        Letter::Holding
                    } else {
                        Letter::Final
                    }
                    .as_str()
                    .to_string(),
                ),
                timely: response.timely,
                ..Event::new(EventKind::Response, &stamp)
            });
        }
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

/// The title of a complaint whose row has none in any of its title columns.
pub(crate) const NO_TITLE: &str = "(no title)";

fn is_title(target: &Target) -> bool {
    matches!(target, Target::Key(key) if key.table.is_none() && key.name == "title")
}

/// Whether a target takes dates.
fn is_date(target: &Target) -> bool {
    match target {
        Target::Key(key) => key.kind == ValueKind::When,
        Target::Opened
        | Target::Acknowledged
        | Target::Closed
        | Target::Referred
        | Target::ResponseSent => true,
        Target::Note | Target::ResponseText | Target::ResponseTimely => false,
    }
}

/// What to say of a wall-clock time that fell in a clock change of the team's zone.
fn clock_change(read: Read, column: &str, value: &str, zone: &Zone) -> Option<String> {
    let zone = match zone {
        Zone::Named(tz) => tz.name().to_string(),
        Zone::Fixed(offset) => offset.to_string(),
    };
    match read.fit {
        LocalFit::Single => None,
        LocalFit::Skipped => Some(format!(
            "{column} {value} is a time the clocks skipped in {zone}; read as {}",
            read.when
        )),
        LocalFit::Twice => Some(format!(
            "{column} {value} happened twice in {zone} (the clocks went back); read as the first, {}",
            read.when
        )),
    }
}

fn is_required(target: &Target) -> bool {
    matches!(target, Target::Key(key) if key.table.is_none() && (key.name == "title" || key.name == "external_ref"))
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
    fn the_cfpb_preset_maps_every_column_once() {
        let mut headers: Vec<String> = CFPB
            .columns
            .iter()
            .flat_map(|(_, c)| c.split('|'))
            .map(ToString::to_string)
            .collect();
        headers.dedup();
        let mapping = Mapping::preset(&CFPB, &headers).unwrap();
        assert_eq!(mapping.columns.len(), 23);
        assert!(Mapping::preset(&CFPB, &headers[1..]).is_err());
    }
}
