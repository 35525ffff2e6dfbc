//! Import: complaints from another system's file, matched against the folder so that importing
//! the same file again changes nothing.
//!
//! A source gives one [`Incoming`] complaint per row, or a [`RowError`] naming the row: a CSV
//! file read by [`csv_rows`] through a [`mapping::Mapping`], or gripe's own export read by
//! [`records`]. [`plan`] then matches each against the complaints already in the folder, by
//! `external_ref` (CSV) or by id (an export), and decides:
//!
//! - no match: create it;
//! - a match whose imported keys hold the same values, and which is not behind the row in the
//!   workflow: leave it alone, without writing;
//! - otherwise: update it, with a `set` event per changed key and a stage event for each stage
//!   the row has reached that the complaint has not.
//!
//! History already in a file (its opening, notes, earlier events) is never rewritten, and a
//! complaint never moves back. Planning writes nothing; the `import` command carries it out.

pub(crate) mod csv_rows;
pub(crate) mod dates;
pub(crate) mod mail;
pub(crate) mod mapping;
pub(crate) mod records;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::model::complaint::Complaint;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::FieldValue;
use crate::model::keys::KeyPath;
use crate::model::keys::keys_of;
use crate::model::stage::Workflow;
use crate::store::Loaded;

/// Where a row is in its file: its number (for CSV, as a spreadsheet numbers it: the header is
/// row 1) and, when a cell spans lines so that it differs, the line the row starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) number: usize,
    pub(crate) line: Option<u64>,
}

impl Row {
    pub(crate) fn new(number: usize) -> Row {
        Row { number, line: None }
    }
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) if line != self.number as u64 => {
                write!(f, "row {} (line {line})", self.number)
            }
            _ => write!(f, "row {}", self.number),
        }
    }
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RowError {
    pub(crate) row: Row,
    pub(crate) message: String,
}

impl RowError {
    pub(crate) fn new(row: Row, message: String) -> RowError {
        RowError { row, message }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.row, self.message)
    }
}

/// The keys a row sets: what is compared, and updated, when its complaint exists already.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Keys {
    /// The keys a CSV mapping fills in (a key the file has no column for is left alone),
    /// shared by all its rows.
    Mapped(Arc<[KeyPath]>),
    /// Every key: an exported record is a whole complaint.
    All,
}

/// One complaint as a row describes it.
#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    pub(crate) row: Row,
    pub(crate) complaint: Complaint,
    pub(crate) keys: Keys,
    /// What the row's data made gripe adjust, to tell the person (`row 7: ...`).
    pub(crate) notes: Vec<String>,
}

/// How rows find their complaint in the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MatchBy {
    /// By `external_ref`: rows from another system.
    ExternalRef,
    /// By id: records of a gripe export.
    Id,
}

/// The changes a row makes to a complaint that exists.
#[derive(Debug, Clone)]
pub(crate) struct Update {
    pub(crate) row: Row,
    pub(crate) path: PathBuf,
    /// The complaint's external_ref, else its id: what messages name it by.
    pub(crate) label: String,
    pub(crate) changes: Vec<(KeyPath, Option<FieldValue>)>,
    /// Stage events to append, in order; each one's `from` is the stage before it.
    pub(crate) moves: Vec<Event>,
}

/// What an import will do.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) create: Vec<Incoming>,
    pub(crate) update: Vec<Update>,
    pub(crate) unchanged: usize,
    /// How many rows the import repaired (a blank cell filled in, a date moved), whatever is
    /// done with them.
    pub(crate) repaired: usize,
    pub(crate) errors: Vec<RowError>,
}

/// Matches `rows` against the `existing` complaints; see the module doc.
pub(crate) fn plan(
    rows: Vec<Result<Incoming, RowError>>,
    existing: &[Loaded],
    by: MatchBy,
    workflow: &Workflow,
) -> Plan {
    let mut by_ref: HashMap<&str, Vec<&Loaded>> = HashMap::new();
    let mut by_id: HashMap<&str, Vec<&Loaded>> = HashMap::new();
    for loaded in existing {
        if let Some(external_ref) = &loaded.complaint.external_ref {
            by_ref.entry(external_ref).or_default().push(loaded);
        }
        by_id.entry(&loaded.complaint.id).or_default().push(loaded);
    }
    let mut plan = Plan::default();
    let mut seen: HashMap<String, Row> = HashMap::new();
    for row in rows {
        let incoming = match row {
            Ok(incoming) => incoming,
            Err(e) => {
                plan.errors.push(e);
                continue;
            }
        };
        let fail = |message: String| RowError::new(incoming.row, message);
        let c = &incoming.complaint;
        let (what, key, index) = match by {
            MatchBy::ExternalRef => ("external_ref", c.external_ref.clone(), &by_ref),
            MatchBy::Id => ("id", Some(c.id.clone()), &by_id),
        };
        let Some(key) = key else {
            plan.errors.push(fail(format!("it has no {what}")));
            continue;
        };
        if let Some(first) = seen.get(&key) {
            plan.errors
                .push(fail(format!("{what} `{key}` is on {first} already")));
            continue;
        }
        seen.insert(key.clone(), incoming.row);
        if !incoming.notes.is_empty() {
            plan.repaired += 1;
        }
        match index.get(key.as_str()).map_or(&[][..], Vec::as_slice) {
            [] => {
                // A record with a new id must not bring back a complaint the folder holds
                // under another id.
                let taken = c.external_ref.as_deref().and_then(|r| by_ref.get(r));
                match taken {
                    Some(others) if by == MatchBy::Id => plan.errors.push(fail(format!(
                        "external_ref `{}` belongs to {} already",
                        c.external_ref.as_deref().unwrap_or_default(),
                        others[0].path.display()
                    ))),
                    _ => plan.create.push(incoming),
                }
            }
            [loaded] => match diff(loaded, &incoming, workflow) {
                Some(update) => plan.update.push(update),
                None => plan.unchanged += 1,
            },
            many => plan.errors.push(fail(format!(
                "{what} `{key}` matches {} complaints: {}",
                many.len(),
                many.iter()
                    .map(|l| l.path.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
    plan.errors.sort_by_key(|e| e.row.number);
    plan
}

/// What `incoming` changes in the complaint it matched; `None` when nothing.
fn diff(existing: &Loaded, incoming: &Incoming, workflow: &Workflow) -> Option<Update> {
    let (old, new) = (&existing.complaint, &incoming.complaint);
    let keys = match &incoming.keys {
        Keys::Mapped(keys) => keys.to_vec(),
        Keys::All => keys_of([old, new]),
    };
    let changes: Vec<(KeyPath, Option<FieldValue>)> = keys
        .into_iter()
        .filter_map(|key| {
            let value = key.get(new);
            (key.get(old) != value).then_some((key, value))
        })
        .collect();
    let moves = moves(old, new, &changes, workflow);
    if changes.is_empty() && moves.is_empty() {
        return None;
    }
    Some(Update {
        row: incoming.row,
        path: existing.path.clone(),
        label: old.external_ref.clone().unwrap_or_else(|| old.id.clone()),
        changes,
        moves,
    })
}

/// The stage events that bring `old` to the later stage `new` is in: the last stage moves of
/// `new`, from the first that goes beyond the stage of `old`. Each starts from the stage before
/// it and is marked forced when `old`, with `changes` made, lacks what the stage requires.
fn moves(
    old: &Complaint,
    new: &Complaint,
    changes: &[(KeyPath, Option<FieldValue>)],
    workflow: &Workflow,
) -> Vec<Event> {
    let (Some(mut current), Some(target)) =
        (workflow.index(&old.stage), workflow.index(&new.stage))
    else {
        return Vec::new();
    };
    if target <= current {
        return Vec::new();
    }
    let beyond = |e: &&Event| {
        e.kind == EventKind::Stage
            && e.to_stage()
                .and_then(|s| workflow.index(s))
                .is_some_and(|s| s > current)
    };
    let mut tail: Vec<&Event> = new
        .events
        .iter()
        .rev()
        .filter(|e| e.changes_stage())
        .take_while(beyond)
        .collect();
    tail.reverse();
    let mut after = old.clone();
    for (key, value) in changes {
        key.apply(&mut after, value.clone());
    }
    let mut out = Vec::new();
    for event in tail {
        let stage = workflow
            .index(event.to_stage().unwrap_or_default())
            .unwrap_or(target);
        out.push(Event {
            from: Some(FieldValue::Text(workflow.name(current).to_string())),
            forced: !workflow
                .missing_requirements(&after, current, stage)
                .is_empty(),
            ..event.clone()
        });
        current = stage;
    }
    out
}
