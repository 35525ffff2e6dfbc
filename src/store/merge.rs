//! The three-way merge of one complaint file, as the git merge driver (`gripe merge-file`) and
//! `gripe resolve` do it. Pure: texts in, text out.
//!
//! The rules, so that branches never lose a note and people rarely see a conflict:
//! - **Events** are a set. An event is its whole content (time, author, kind, key, values,
//!   follow-up, text and any unknown key), so the same event on both sides appears once. The
//!   merged history is our side's events in their order (less base events theirs removed by
//!   hand), with each event only theirs has inserted by time: after every event at the same
//!   instant or earlier. So at one instant our events come first, then theirs, then the `merge`
//!   events that record decisions; the order of a history already written never changes.
//! - **Follow-ups** merge by id, key by key. One done on either side is done; done at two
//!   different times, the earlier time is kept.
//! - **Header keys** (and the keys of `[customer]`, `[resolution]`, `[fields]` and unknown
//!   tables) that the sides hold differently:
//!   - both sides recorded changes of the key since the base (`set` events, stage changes for
//!     `stage`, earlier `merge` decisions): the later change wins (at the same instant, theirs,
//!     as in the merged order), and a `merge` event records what was kept over what. For
//!     `stage` that event is itself a stage change, so the header always agrees with the
//!     history;
//!   - one side recorded changes, and the other's value is the base's or what its own latest
//!     change (an event both hold) says: the first side wins, as it holds all the other does;
//!   - otherwise the plain three-way rule: a key changed on one side takes that side's value,
//!     and a key changed on both sides where a change was made by hand (no event) is a true
//!     contradiction, left alone between conflict markers.
//! - **The history ends where the header is.** Changes both sides made at one instant
//!   interleave, so the last change of a key in the merged history can be a step one side had
//!   gone past; a `merge` event then records the value the header holds (for `stage`, itself a
//!   stage change).
//! - **Without a base** (a file git merged in its plain style, read back by `resolve`), the
//!   base is taken to be what both sides share: events and follow-ups in both; a key that
//!   differs goes to the side that recorded a change of it, or to the later change when both
//!   did; a key only one side has is kept.
//!
//! The result is our side's document edited key by key, so comments, spacing and unknown keys
//! survive; a `merge` event's time is the time of the change it kept and its author is `gripe`,
//! so the same merge made on two machines writes the same event.

use std::collections::BTreeSet;
use std::path::Path;

use toml_edit::DocumentMut;
use toml_edit::Item;
use toml_edit::Table;

use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::FieldValue;
use crate::store::conflict;
use crate::store::document::ComplaintDoc;
use crate::store::document::event_table;
use crate::store::document::read_complaint;
use crate::time::when::Timestamp;
use crate::time::when::When;
use crate::time::when::Zone;

/// The author of the events a merge writes.
pub(crate) const MERGE_AUTHOR: &str = "gripe";

/// The zone a merge reads times written without an offset in: the team's (`timezone` in
/// gripe.toml), else UTC, never the machine's, so every machine merges alike.
pub fn zone_for(timezone: Option<chrono_tz::Tz>) -> Zone {
    timezone.map_or(
        Zone::Fixed(chrono::FixedOffset::east_opt(0).expect("UTC")),
        Zone::Named,
    )
}

/// What a merge produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The merged file; it holds conflict markers when `contradictions` is not empty.
    pub text: String,
    /// Keys both sides changed through gripe, and what the merge kept.
    pub decisions: Vec<Decision>,
    /// Keys changed differently on both sides where one change was made by hand: each is left
    /// between conflict markers (`severity`, `resolution.action`, `followup.q7x2ab.due`).
    pub contradictions: Vec<String>,
}

/// A key both sides changed through gripe: the later change was kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub key: String,
    pub kept: String,
    pub over: String,
}

/// Merges three versions of one complaint file; `base` is `None` when the common ancestor is
/// unknown, and a base that does not read as a complaint counts as unknown (git's virtual
/// ancestor in a criss-cross merge may hold markers; a zdiff3 base read back from markers may
/// be partial). `zone` reads event times written without an offset. A side that does not read
/// as a complaint, or sides that are different complaints, is an [`Error::Unmergeable`].
pub fn merge(
    path: &Path,
    base: Option<&str>,
    ours: &str,
    theirs: &str,
    zone: &Zone,
) -> Result<Merged> {
    let base = base.and_then(|text| Side::read(path, text, Origin::Base, zone).ok());
    let ours = Side::read(path, ours, Origin::Ours, zone)?;
    let theirs = Side::read(path, theirs, Origin::Theirs, zone)?;
    for other in base.iter().chain([&theirs]) {
        if other.complaint.id != ours.complaint.id {
            return Err(unmergeable(
                path,
                format!(
                    "the sides are different complaints (`{}` and `{}`)",
                    ours.complaint.id, other.complaint.id
                ),
            ));
        }
    }
    let mut work = Work {
        path,
        id: ours.complaint.id.clone(),
        zone,
        conflicts: Vec::new(),
        decisions: Vec::new(),
    };
    let history = History::new(base.as_ref(), &ours, &theirs);
    let header = work.header(base.as_ref(), &ours, &theirs, &history)?;
    let followups = work.followups(base.as_ref(), &ours, &theirs)?;
    let mut decided = header.decided;
    let mut doc = ours.doc.clone();
    for (table, key, item) in header.changes {
        doc.set_item(table.as_deref(), &key, item);
    }
    if work.conflicts.is_empty()
        && let Ok(merged_header) = read_complaint(path, &doc.clone().render())
    {
        let order = work.order(&history, &decided, &ours, &theirs);
        let settled = work.settle(&order, &merged_header);
        decided.extend(settled);
    }
    let events = work.events(&history, &decided, &ours, &theirs);
    doc.replace_tables("followup", followups);
    doc.replace_tables("event", events);
    work.finish(doc.render())
}

/// One version of the file: as read, as values to compare, and as a document to copy from.
struct Side {
    complaint: Complaint,
    values: toml::Table,
    doc: ComplaintDoc,
    events: Vec<Entry>,
    /// The events' canonical content, to look them up.
    canons: BTreeSet<String>,
}

/// Where an event comes from, in the order events at one instant are merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Base,
    Ours,
    Theirs,
    Decision,
}

/// One event of a side: its content as a comparable key, its time, and its table as written.
#[derive(Clone)]
struct Entry {
    canon: String,
    at: Timestamp,
    origin: Origin,
    /// Its place in its side's history.
    index: usize,
    event: Event,
    table: Table,
}

impl Entry {
    /// Which of two changes is the later: time, then origin, then the place in the history.
    fn order(&self) -> (Timestamp, Origin, usize) {
        (self.at, self.origin, self.index)
    }

    /// An event the merge writes.
    fn new(event: Event, index: usize, zone: &Zone) -> Entry {
        let table = event_table(&event);
        let mut doc = DocumentMut::new();
        doc.insert("event", Item::Table(table.clone()));
        let mut values: toml::Table =
            toml::from_str(&doc.to_string()).expect("gripe writes valid TOML");
        let value = values.remove("event").expect("the table just written");
        Entry {
            canon: value.to_string(),
            at: event.at.instant(zone),
            origin: Origin::Decision,
            index,
            event,
            table,
        }
    }
}

impl Side {
    fn read(path: &Path, text: &str, origin: Origin, zone: &Zone) -> Result<Side> {
        let name = match origin {
            Origin::Ours => "ours",
            Origin::Theirs => "theirs",
            Origin::Base => "base",
            Origin::Decision => "merged",
        };
        let (doc, complaint) = ComplaintDoc::parse(path, text).map_err(|e| {
            let reason = match e {
                Error::InvalidFile {
                    location, message, ..
                } => format!(
                    "line {}, column {}: {message}",
                    location.line, location.column
                ),
                Error::ConflictMarkers { location } => {
                    format!("line {}: conflict markers inside it", location.line)
                }
                other => other.to_string(),
            };
            unmergeable(
                path,
                format!("{name} side does not read as a complaint: {reason}"),
            )
        })?;
        let values: toml::Table = toml::from_str(text)
            .map_err(|e| unmergeable(path, format!("{name} side: {}", e.message().trim())))?;
        let tables = doc.tables("event");
        let raw = array(&values, "event");
        if tables.len() != complaint.events.len() || raw.len() != complaint.events.len() {
            return Err(unmergeable(
                path,
                format!(
                    "{name} side writes its events in a form gripe does not merge (use [[event]] tables)"
                ),
            ));
        }
        let events: Vec<Entry> = complaint
            .events
            .iter()
            .zip(raw)
            .zip(tables)
            .enumerate()
            .map(|(index, ((event, value), table))| Entry {
                canon: value.to_string(),
                at: event.at.instant(zone),
                origin,
                index,
                event: event.clone(),
                table,
            })
            .collect();
        Ok(Side {
            canons: events.iter().map(|e| e.canon.clone()).collect(),
            complaint,
            values,
            doc,
            events,
        })
    }

    fn has(&self, canon: &str) -> bool {
        self.canons.contains(canon)
    }

    /// The follow-ups by id: values to compare, and the tables as written.
    fn followups(&self) -> Vec<(String, toml::Table, Table)> {
        array(&self.values, "followup")
            .iter()
            .zip(self.doc.tables("followup"))
            .filter_map(|(v, t)| {
                let v = v.as_table()?.clone();
                Some((v.get("id")?.as_str()?.to_string(), v, t))
            })
            .collect()
    }
}

/// Whether a side's value of `key` is what its latest change of that key says, so that it was
/// not changed by hand since.
fn explained(side: &Side, key: &str, value: Option<&toml::Value>) -> bool {
    latest_change(&side.events, key).is_some_and(|e| e.event.to == field_value(value))
}

/// A value as events record it.
fn field_value(value: Option<&toml::Value>) -> Option<FieldValue> {
    value.and_then(|v| v.clone().try_into::<FieldValue>().ok())
}

/// The latest of `events` that changed `key`.
fn latest_change<'a>(events: &'a [Entry], key: &str) -> Option<&'a Entry> {
    events
        .iter()
        .filter(|e| e.event.changes_key(key))
        .max_by(|a, b| a.order().cmp(&b.order()))
}

fn array<'a>(values: &'a toml::Table, key: &str) -> &'a [toml::Value] {
    values
        .get(key)
        .and_then(toml::Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn unmergeable(path: &Path, reason: String) -> Error {
    Error::Unmergeable {
        path: path.to_path_buf(),
        reason,
    }
}

/// Which events are shared, and which each side added on its own.
struct History {
    /// Canonical content of the events taken as the base.
    base: BTreeSet<String>,
    ours_only: Vec<Entry>,
    theirs_only: Vec<Entry>,
}

impl History {
    fn new(base: Option<&Side>, ours: &Side, theirs: &Side) -> History {
        let base: BTreeSet<String> = match base {
            Some(b) => b.canons.clone(),
            None => ours
                .events
                .iter()
                .filter(|e| theirs.has(&e.canon))
                .map(|e| e.canon.clone())
                .collect(),
        };
        let only = |side: &Side, other: &Side| -> Vec<Entry> {
            side.events
                .iter()
                .filter(|e| !base.contains(&e.canon) && !other.has(&e.canon))
                .cloned()
                .collect()
        };
        History {
            ours_only: only(ours, theirs),
            theirs_only: only(theirs, ours),
            base,
        }
    }
}

/// A key of the header or of a table below it: `(None, "severity")`, `(Some("fields"), "x")`.
type Leaf = (Option<String>, String);

fn leaf_name((table, key): &Leaf) -> String {
    match table {
        Some(table) => format!("{table}.{key}"),
        None => key.clone(),
    }
}

fn leaves(values: &toml::Table) -> impl Iterator<Item = Leaf> + '_ {
    values
        .iter()
        .filter(|(k, _)| *k != "event" && *k != "followup")
        .flat_map(|(k, v)| -> Box<dyn Iterator<Item = Leaf> + '_> {
            match v {
                toml::Value::Table(t) => {
                    Box::new(t.keys().map(|sub| (Some(k.clone()), sub.clone())))
                }
                _ => Box::new(std::iter::once((None, k.clone()))),
            }
        })
}

fn value_at<'a>(values: &'a toml::Table, (table, key): &Leaf) -> Option<&'a toml::Value> {
    match table {
        None => values.get(key),
        Some(table) => values.get(table)?.as_table()?.get(key),
    }
}

/// What the header merge decided: items to set in our document (`None` removes), and the
/// `merge` events that record decisions.
struct Header {
    changes: Vec<(Option<String>, String, Option<Item>)>,
    decided: Vec<Entry>,
}

/// A key left between conflict markers: a unique placeholder value stands in for it until the
/// document is rendered, and each side's line replaces it then.
struct Pending {
    placeholder: String,
    name: String,
    ours: Option<String>,
    base: Option<String>,
    theirs: Option<String>,
}

/// Which side a three-way choice takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    Ours,
    Theirs,
    Neither,
}

/// The plain three-way choice for a value both sides hold as `ours` and `theirs` (unequal).
fn three_way<T: PartialEq>(base: Option<Option<&T>>, ours: Option<&T>, theirs: Option<&T>) -> Pick {
    match base {
        Some(b) if b == ours => Pick::Theirs,
        Some(b) if b == theirs => Pick::Ours,
        Some(_) => Pick::Neither,
        // Without a base, a key only one side has was added there.
        None if theirs.is_none() => Pick::Ours,
        None if ours.is_none() => Pick::Theirs,
        None => Pick::Neither,
    }
}

struct Work<'a> {
    path: &'a Path,
    id: String,
    zone: &'a Zone,
    conflicts: Vec<Pending>,
    decisions: Vec<Decision>,
}

impl Work<'_> {
    fn header(
        &mut self,
        base: Option<&Side>,
        ours: &Side,
        theirs: &Side,
        history: &History,
    ) -> Result<Header> {
        let mut header = Header {
            changes: Vec::new(),
            decided: Vec::new(),
        };
        let all: BTreeSet<Leaf> = [Some(ours), Some(theirs), base]
            .into_iter()
            .flatten()
            .flat_map(|s| leaves(&s.values))
            .collect();
        for leaf in all {
            let (o, t) = (
                value_at(&ours.values, &leaf),
                value_at(&theirs.values, &leaf),
            );
            if o == t {
                continue;
            }
            let name = leaf_name(&leaf);
            let ours_change = latest_change(&history.ours_only, &name);
            let theirs_change = latest_change(&history.theirs_only, &name);
            let pick = match (ours_change, theirs_change) {
                (Some(a), Some(b)) => {
                    let (kept, over, winner, pick) = if a.order() > b.order() {
                        (o, t, a, Pick::Ours)
                    } else {
                        (t, o, b, Pick::Theirs)
                    };
                    header.decided.push(self.decide(&name, kept, over, winner));
                    pick
                }
                // One side changed it through gripe, and the other holds nothing the first
                // lacks: its value is the base's or what an event both hold says.
                (Some(_), None) if base.is_none() || explained(theirs, &name, t) => Pick::Ours,
                (None, Some(_)) if base.is_none() || explained(ours, &name, o) => Pick::Theirs,
                _ => three_way(base.map(|b| value_at(&b.values, &leaf)), o, t),
            };
            let (table, key) = leaf.clone();
            match pick {
                Pick::Ours => {}
                Pick::Theirs => {
                    let item = theirs.doc.item(table.as_deref(), &key).cloned();
                    if item.as_ref().is_some_and(|i| !i.is_value()) {
                        return Err(unmergeable(
                            self.path,
                            format!("`{name}` is a table that both sides changed"),
                        ));
                    }
                    header.changes.push((table, key, item));
                }
                Pick::Neither => {
                    let side_value =
                        |s: &Side| self.rendered(s.doc.item(table.as_deref(), &key), &name);
                    let pending = Pending {
                        placeholder: self.placeholder(),
                        name: name.clone(),
                        ours: side_value(ours)?,
                        base: base.map(side_value).transpose()?.flatten(),
                        theirs: side_value(theirs)?,
                    };
                    let stand_in = Item::Value(pending.placeholder.as_str().into());
                    header.changes.push((table, key, Some(stand_in)));
                    self.conflicts.push(pending);
                }
            }
        }
        Ok(header)
    }

    /// The `merge` event that records keeping `kept` over `over` for `key`.
    fn decide(
        &mut self,
        key: &str,
        kept: Option<&toml::Value>,
        over: Option<&toml::Value>,
        winner: &Entry,
    ) -> Entry {
        let field =
            |v: Option<&toml::Value>| v.and_then(|v| v.clone().try_into::<FieldValue>().ok());
        let shown = |v: Option<&FieldValue>| v.map_or("(none)".to_string(), ToString::to_string);
        let (to, from) = (field(kept), field(over));
        self.decisions.push(Decision {
            key: key.to_string(),
            kept: shown(to.as_ref()),
            over: shown(from.as_ref()),
        });
        let event = Event {
            at: winner.event.at,
            by: Some(MERGE_AUTHOR.to_string()),
            kind: EventKind::Merge,
            text: Some(format!(
                "both branches changed {key}; kept the later change{}",
                winner
                    .event
                    .by
                    .as_deref()
                    .map(|by| format!(", by {by}"))
                    .unwrap_or_default()
            )),
            key: Some(key.to_string()),
            from,
            to,
            followup: None,
            forced: false,
            letter: None,
            timely: None,
            message_id: None,
        };
        Entry::new(event, self.decisions.len(), self.zone)
    }

    fn placeholder(&self) -> String {
        format!("gripe-conflict-{}-{}", self.conflicts.len(), self.id)
    }

    /// A value as its conflict section shows it; a table cannot be shown on one line.
    fn rendered(&self, item: Option<&Item>, name: &str) -> Result<Option<String>> {
        match item {
            None => Ok(None),
            Some(Item::Value(v)) => Ok(Some(v.to_string().trim().to_string())),
            Some(_) => Err(unmergeable(
                self.path,
                format!("`{name}` is a table that both sides changed differently"),
            )),
        }
    }

    /// The merged follow-ups: ours in our order, then those only theirs has, in their order.
    fn followups(&mut self, base: Option<&Side>, ours: &Side, theirs: &Side) -> Result<Vec<Table>> {
        type Followups = Vec<(String, toml::Table, Table)>;
        let find = |list: &Followups, id: &str| list.iter().find(|(i, _, _)| i == id).cloned();
        let (b, o, t) = (
            base.map(Side::followups),
            ours.followups(),
            theirs.followups(),
        );
        let mut out = Vec::new();
        for (id, ov, mut table) in o.clone() {
            // `None`: no base known; `Some(None)`: the base does not have this follow-up.
            let bf = b.as_ref().map(|b| find(b, &id));
            let Some((_, tv, their_table)) = find(&t, &id) else {
                // Kept unless theirs removed it and ours did not touch it.
                if bf
                    .as_ref()
                    .is_none_or(|b| b.as_ref().is_none_or(|(_, bv, _)| *bv != ov))
                {
                    out.push(table);
                }
                continue;
            };
            let keys: BTreeSet<&String> = ov.keys().chain(tv.keys()).collect();
            for key in keys {
                let (o_val, t_val) = (ov.get(key), tv.get(key));
                if o_val == t_val {
                    continue;
                }
                let pick = if key == "done" {
                    self.earlier_done(&id, ours, theirs)
                } else {
                    let base_value = bf
                        .as_ref()
                        .map(|b| b.as_ref().and_then(|(_, bv, _)| bv.get(key)));
                    three_way(base_value, o_val, t_val)
                };
                match pick {
                    Pick::Ours => {}
                    Pick::Theirs => match their_table.get(key) {
                        Some(item) => {
                            table.insert(key, item.clone());
                        }
                        None => {
                            table.remove(key);
                        }
                    },
                    Pick::Neither => {
                        let name = format!("followup.{id}.{key}");
                        let base_item = bf.as_ref().and_then(|b| b.as_ref()?.2.get(key));
                        let pending = Pending {
                            placeholder: self.placeholder(),
                            ours: self.rendered(table.get(key), &name)?,
                            base: self.rendered(base_item, &name)?,
                            theirs: self.rendered(their_table.get(key), &name)?,
                            name,
                        };
                        table.insert(key, Item::Value(pending.placeholder.as_str().into()));
                        self.conflicts.push(pending);
                    }
                }
            }
            out.push(table);
        }
        for (id, tv, table) in t {
            let removed_by_us = b
                .as_ref()
                .and_then(|b| find(b, &id))
                .is_some_and(|(_, bv, _)| bv == tv);
            if find(&o, &id).is_none() && !removed_by_us {
                out.push(table);
            }
        }
        Ok(out)
    }

    /// A follow-up done on either side is done; done on both at different times, the earlier.
    fn earlier_done(&self, id: &str, ours: &Side, theirs: &Side) -> Pick {
        let done = |s: &Side| {
            s.complaint
                .followups
                .iter()
                .find(|f| f.id == id)
                .and_then(|f| f.done)
                .map(|d: When| d.instant(self.zone))
        };
        match (done(ours), done(theirs)) {
            (Some(a), Some(b)) if b < a => Pick::Theirs,
            (None, Some(_)) => Pick::Theirs,
            _ => Pick::Ours,
        }
    }

    /// The merged history ([`Work::order`]) as tables.
    fn events(
        &self,
        history: &History,
        decided: &[Entry],
        ours: &Side,
        theirs: &Side,
    ) -> Vec<Table> {
        self.order(history, decided, ours, theirs)
            .into_iter()
            .map(|e| e.table.clone())
            .collect()
    }

    /// A `merge` event for each key whose last change in the merged history does not say what
    /// the merged header holds. Changes both sides made at one instant interleave (ours first,
    /// then theirs), so the last of them can be a step one side had already gone past: both
    /// sides end in `investigating`, yet theirs' move to `acknowledged` at the same minute comes
    /// last. The event records the value the header keeps, so the history ends where the
    /// header is.
    fn settle(&mut self, order: &[&Entry], header: &Complaint) -> Vec<Entry> {
        let mut keys = vec!["stage".to_string()];
        for key in order.iter().filter_map(|e| match e.event.kind {
            EventKind::Set | EventKind::Merge => e.event.key.clone(),
            _ => None,
        }) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let mut settled = Vec::new();
        for key in keys {
            let Some(last) = order.iter().rev().find(|e| e.event.changes_key(&key)) else {
                continue;
            };
            // Only the interleave of the sides' changes at one instant is mended here: theirs
            // came last, after a change of ours at that very instant. Any other disagreement
            // was in a side already (a hand edit), and is not the merge's to record.
            let interleaved = last.origin == Origin::Theirs
                && order.iter().any(|e| {
                    e.origin == Origin::Ours && e.at == last.at && e.event.changes_key(&key)
                });
            if !interleaved {
                continue;
            }
            let held = if key == "stage" {
                Some(FieldValue::Text(header.stage.clone()))
            } else {
                match crate::model::keys::KeyPath::parse(&key) {
                    Ok(path) => path.get(header),
                    Err(_) => continue,
                }
            };
            if last.event.to == held {
                continue;
            }
            let shown =
                |v: Option<&FieldValue>| v.map_or("(none)".to_string(), ToString::to_string);
            self.decisions.push(Decision {
                key: key.clone(),
                kept: shown(held.as_ref()),
                over: shown(last.event.to.as_ref()),
            });
            let event = Event {
                at: last.event.at,
                by: Some(MERGE_AUTHOR.to_string()),
                kind: EventKind::Merge,
                text: Some(format!(
                    "both branches changed {key} at one instant; kept the value the branches end with"
                )),
                key: Some(key),
                from: last.event.to.clone(),
                to: held,
                followup: None,
                forced: false,
                letter: None,
                timely: None,
                message_id: None,
            };
            settled.push(Entry::new(event, self.decisions.len(), self.zone));
        }
        settled
    }

    /// The merged history: ours in its order, less those of the base that theirs removed,
    /// with each event only theirs has (and each new decision) after every event at the same
    /// instant or earlier.
    fn order<'e>(
        &self,
        history: &'e History,
        decided: &'e [Entry],
        ours: &'e Side,
        theirs: &Side,
    ) -> Vec<&'e Entry> {
        let mut merged: Vec<&Entry> = ours
            .events
            .iter()
            .filter(|e| !history.base.contains(&e.canon) || theirs.has(&e.canon))
            .collect();
        // A decision either side already holds is the same merge made before.
        let new_decisions = decided
            .iter()
            .filter(|d| !ours.has(&d.canon) && !theirs.has(&d.canon));
        for entry in history.theirs_only.iter().chain(new_decisions) {
            let at = merged
                .iter()
                .rposition(|e| e.at <= entry.at)
                .map_or(0, |i| i + 1);
            merged.insert(at, entry);
        }
        merged
    }

    /// Replaces each placeholder with its conflict block, and checks that a clean result reads
    /// as a complaint.
    fn finish(self, mut text: String) -> Result<Merged> {
        for pending in &self.conflicts {
            let quoted = format!("\"{}\"", pending.placeholder);
            let at = text.find(&quoted).expect("every placeholder is written");
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
            let key = text[start..at].trim_end().trim_end_matches('=').trim_end();
            let line = |value: &Option<String>| {
                value
                    .as_ref()
                    .map(|v| format!("{key} = {v}\n"))
                    .unwrap_or_default()
            };
            let block = conflict::block(
                &line(&pending.ours),
                pending
                    .base
                    .as_ref()
                    .map(|_| line(&pending.base))
                    .as_deref(),
                &line(&pending.theirs),
            );
            text.replace_range(start..end, &block);
        }
        if self.conflicts.is_empty() {
            read_complaint(self.path, &text).map_err(|e| {
                unmergeable(
                    self.path,
                    format!("the merged file does not read as a complaint: {e}"),
                )
            })?;
        }
        Ok(Merged {
            text,
            decisions: self.decisions,
            contradictions: self.conflicts.into_iter().map(|p| p.name).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::complaint::Followup;
    use crate::model::complaint::Stamp;
    use crate::model::keys::KeyPath;
    use crate::model::stage::Workflow;

    const BASE: &str = r#"# Logged from the phone queue
id = "k7m2qd4xw9a3hf5t"
title = "Charged twice"
opened = 2026-11-23T09:00:00+09:00
opened_by = "andrea"

stage = "new"

severity = "medium"   # as the customer put it

category = "billing"

[[event]]
at = 2026-11-23T09:00:00+09:00
by = "andrea"
kind = "opened"
"#;

    fn zone() -> Zone {
        Zone::Fixed(chrono::FixedOffset::east_opt(9 * 3600).unwrap())
    }

    fn path() -> &'static Path {
        Path::new("complaints/2026/11/k7m2qd4xw9a3hf5t.toml")
    }

    fn read(text: &str) -> Complaint {
        read_complaint(path(), text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    /// What the commands do to a file, as plain edits.
    #[derive(Debug, Clone)]
    enum Op {
        Note(String),
        Set(&'static str, Option<&'static str>),
        Advance,
        Reopen,
        Followup,
        Done,
    }

    fn apply(text: &str, op: &Op, at_minute: i64, by: &str, fid: &str) -> String {
        let (mut doc, c) = ComplaintDoc::parse(path(), text).unwrap();
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00+09:00").unwrap()
            + chrono::Duration::minutes(at_minute);
        let stamp = Stamp {
            at,
            by: by.to_string(),
        };
        let workflow = Workflow::default();
        let current = workflow.index(&c.stage).unwrap();
        match op {
            Op::Note(text) => doc.push_event(&Event {
                text: Some(text.clone()),
                ..Event::new(EventKind::Note, &stamp)
            }),
            Op::Set(key, value) => {
                let key = KeyPath::parse(key).unwrap();
                let value = value.map(|v| FieldValue::Text(v.to_string()));
                let old = key.get(&c);
                if old != value {
                    doc.set(&key, value.as_ref());
                    doc.push_event(&Event {
                        key: Some(key.to_string()),
                        from: old,
                        to: value,
                        ..Event::new(EventKind::Set, &stamp)
                    });
                }
            }
            Op::Advance if current + 1 < workflow.stages.len() => {
                let to = workflow.name(current + 1);
                doc.set_stage(to);
                doc.push_event(&Event::stage_change(EventKind::Stage, &stamp, &c.stage, to));
            }
            Op::Reopen if current > workflow.reopen_to => {
                let to = workflow.name(workflow.reopen_to);
                doc.set_stage(to);
                doc.push_event(&Event::stage_change(
                    EventKind::Reopened,
                    &stamp,
                    &c.stage,
                    to,
                ));
            }
            Op::Followup => {
                doc.push_followup(&Followup {
                    id: fid.to_string(),
                    due: When::Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
                    note: Some(format!("call back about {fid}")),
                    done: None,
                });
                doc.push_event(&Event {
                    followup: Some(fid.to_string()),
                    ..Event::new(EventKind::Followup, &stamp)
                });
            }
            Op::Done => {
                if let Some(f) = c.followups.iter().find(|f| f.done.is_none()) {
                    doc.set_followup_done(&f.id, &When::Zoned(at));
                    doc.push_event(&Event {
                        followup: Some(f.id.clone()),
                        ..Event::new(EventKind::FollowupDone, &stamp)
                    });
                }
            }
            Op::Advance | Op::Reopen => {}
        }
        doc.render()
    }

    fn merged(base: Option<&str>, ours: &str, theirs: &str) -> Merged {
        merge(path(), base, ours, theirs, &zone()).unwrap()
    }

    fn canon_events(text: &str) -> BTreeSet<String> {
        let values: toml::Table = toml::from_str(text).unwrap();
        array(&values, "event")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_hand_edit_both_sides_inherited_is_no_decision_of_the_merge() {
        // The history says severity became high; someone then wrote `low` by hand. Each
        // branch only adds a note.
        let base = BASE.replace("severity = \"medium\"", "severity = \"low\"")
            + "\n[[event]]\nat = 2026-11-23T09:05:00+09:00\nby = \"andrea\"\nkind = \"set\"\nkey = \"severity\"\nfrom = \"medium\"\nto = \"high\"\n";
        let ours = apply(&base, &Op::Note("ours".into()), 10, "ann", "");
        let theirs = apply(&base, &Op::Note("theirs".into()), 20, "bob", "");
        let m = merged(Some(&base), &ours, &theirs);
        assert!(m.decisions.is_empty(), "{}", m.text);
        assert!(!m.text.contains("kind = \"merge\""), "{}", m.text);
    }

    #[test]
    fn notes_and_follow_ups_from_both_sides_are_all_kept_in_time_order() {
        let ours = apply(BASE, &Op::Note("ours first".into()), 0, "ann", "");
        let ours = apply(&ours, &Op::Followup, 20, "ann", "aaaa11");
        let theirs = apply(BASE, &Op::Note("theirs".into()), 10, "bob", "");
        let theirs = apply(&theirs, &Op::Followup, 30, "bob", "bbbb22");
        let m = merged(Some(BASE), &ours, &theirs);
        assert!(m.contradictions.is_empty(), "{}", m.text);
        let c = read(&m.text);
        let texts: Vec<&str> = c.events.iter().filter_map(|e| e.text.as_deref()).collect();
        assert_eq!(texts, ["ours first", "theirs"]);
        let kinds: Vec<&str> = c.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["opened", "note", "note", "followup", "followup"]);
        let fids: Vec<&str> = c.followups.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(fids, ["aaaa11", "bbbb22"]);
        assert!(
            m.text.starts_with("# Logged from the phone queue\n"),
            "{}",
            m.text
        );
        assert!(
            m.text
                .contains("severity = \"medium\"   # as the customer put it\n")
        );
        assert_eq!(
            merged(None, &ours, &theirs).text,
            m.text,
            "no base needed here"
        );
    }

    #[test]
    fn a_key_both_sides_set_goes_to_the_later_change_and_the_merge_says_so() {
        let ours = apply(BASE, &Op::Set("severity", Some("high")), 5, "ann", "");
        let theirs = apply(BASE, &Op::Set("severity", Some("low")), 3, "bob", "");
        for (a, b) in [(&ours, &theirs), (&theirs, &ours)] {
            let m = merged(Some(BASE), a, b);
            let c = read(&m.text);
            assert_eq!(c.severity.unwrap().as_str(), "high");
            assert!(
                m.text
                    .contains("severity = \"high\"   # as the customer put it\n")
            );
            let last = c.events.last().unwrap();
            assert_eq!(last.kind, EventKind::Merge);
            assert_eq!(last.key.as_deref(), Some("severity"));
            assert_eq!(last.to, Some(FieldValue::Text("high".into())));
            assert_eq!(last.from, Some(FieldValue::Text("low".into())));
            assert_eq!(last.at, c.events[c.events.len() - 2].at);
            assert_eq!(
                m.decisions,
                [Decision {
                    key: "severity".into(),
                    kept: "high".into(),
                    over: "low".into()
                }]
            );
        }
    }

    #[test]
    fn hand_edits_to_different_keys_are_both_kept() {
        let ours = BASE.replace("severity = \"medium\"", "severity = \"high\"");
        let theirs = BASE
            .replace(
                "category = \"billing\"",
                "category = \"delivery\"  # moved by hand",
            )
            .replace("[[event]]", "legacy = 7\n\n[[event]]");
        let m = merged(Some(BASE), &ours, &theirs);
        assert!(m.contradictions.is_empty());
        assert!(
            m.text
                .contains("severity = \"high\"   # as the customer put it\n")
        );
        assert!(
            m.text
                .contains("category = \"delivery\"  # moved by hand\n"),
            "their line comes with its comment: {}",
            m.text
        );
        assert!(m.text.contains("legacy = 7\n"), "{}", m.text);
    }

    #[test]
    fn a_true_contradiction_leaves_markers_around_that_key_alone() {
        let ours = apply(
            &BASE.replace("severity = \"medium\"", "severity = \"high\""),
            &Op::Note("ours".into()),
            1,
            "ann",
            "",
        );
        let theirs = apply(BASE, &Op::Set("severity", Some("low")), 2, "bob", "");
        let m = merged(Some(BASE), &ours, &theirs);
        assert_eq!(m.contradictions, ["severity"]);
        assert!(
            m.text.contains(
                "<<<<<<< ours\nseverity = \"high\"   # as the customer put it\n||||||| base\nseverity = \"medium\"   # as the customer put it\n=======\nseverity = \"low\"   # as the customer put it\n>>>>>>> theirs\n"
            ),
            "{}",
            m.text
        );
        let sides = conflict::split(&m.text).unwrap();
        let c = read(&sides.theirs);
        assert_eq!(c.events.len(), 3, "the rest is merged");
        assert_eq!(
            merged(sides.base.as_deref(), &sides.ours, &sides.theirs),
            m,
            "resolving again gives the same contradiction"
        );
    }

    #[test]
    fn a_follow_up_done_on_both_sides_keeps_the_earlier_time() {
        let base = apply(BASE, &Op::Followup, 0, "ann", "aaaa11");
        let ours = apply(&base, &Op::Done, 30, "ann", "");
        let theirs = apply(&base, &Op::Done, 20, "bob", "");
        let c = read(&merged(Some(&base), &ours, &theirs).text);
        assert_eq!(c.followups.len(), 1);
        assert_eq!(
            c.followups[0].done.unwrap().to_string(),
            "2026-11-23T10:20:00+09:00"
        );
        assert_eq!(c.events.len(), 4, "both done events are history");
        let c = read(&merged(Some(&base), &base, &theirs).text);
        assert!(c.followups[0].done.is_some(), "done on one side is done");
    }

    #[test]
    fn sides_that_are_not_the_same_complaint_are_refused() {
        let other = BASE.replace("k7m2qd4xw9a3hf5t", "zzzzqd4xw9a3hf5t");
        let err = merge(path(), None, BASE, &other, &zone()).unwrap_err();
        assert!(err.to_string().contains("different complaints"), "{err}");
        let err = merge(path(), None, BASE, "title = 3", &zone()).unwrap_err();
        assert!(
            err.to_string()
                .contains("theirs side does not read as a complaint: line 1"),
            "{err}"
        );
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            "[a-z]{1,6}( [a-z]{1,6}){0,2}".prop_map(Op::Note),
            (
                prop::sample::select(vec![
                    "severity",
                    "assignee",
                    "resolution.action",
                    "fields.region"
                ]),
                prop::sample::select(vec![Some("high"), Some("low"), Some("mark"), None]),
            )
                .prop_map(|(k, v)| {
                    let v = if k == "severity" {
                        v.filter(|v| *v != "mark").or(Some("low"))
                    } else {
                        v
                    };
                    Op::Set(k, v)
                }),
            Just(Op::Advance),
            Just(Op::Reopen),
            Just(Op::Followup),
            Just(Op::Done),
        ]
    }

    /// The branches' files after `ops`, each op on branch 0 or 1 at a minute that never goes
    /// back (so two ops, one per branch, can share an instant).
    fn branches(ops: &[(usize, u8, bool, Op)]) -> [String; 2] {
        let mut files = [BASE.to_string(), BASE.to_string()];
        let mut minute = 0;
        for (i, (branch, step, other_author, op)) in ops.iter().enumerate() {
            minute += i64::from(*step);
            let by = if *other_author { "bob" } else { "ann" };
            let fid = format!("f{branch}{i:02}x");
            files[*branch] = apply(&files[*branch], op, minute, by, &fid);
        }
        files
    }

    /// What every merge of two branches must give: exactly the union of their events (plus the
    /// merge's decisions) in time order, every follow-up, and a header that is what the latest
    /// change of each key says.
    fn check_union(m: &Merged, a: &str, b: &str) -> std::result::Result<(), TestCaseError> {
        prop_assert!(m.contradictions.is_empty(), "{}", m.text);
        let c = read(&m.text);
        let union: BTreeSet<String> = canon_events(a).union(&canon_events(b)).cloned().collect();
        let values: toml::Table = toml::from_str(&m.text).unwrap();
        let all: Vec<String> = array(&values, "event")
            .iter()
            .map(ToString::to_string)
            .collect();
        let merged: BTreeSet<String> = all.iter().cloned().collect();
        // An event is written as often as the side that has it wrote it, ours first.
        let counts = |text: &str| {
            let values: toml::Table = toml::from_str(text).unwrap();
            let mut counts = std::collections::BTreeMap::new();
            for e in array(&values, "event") {
                *counts.entry(e.to_string()).or_insert(0) += 1;
            }
            counts
        };
        let (in_a, in_b) = (counts(a), counts(b));
        let written: usize = union
            .iter()
            .map(|e| in_a.get(e).or(in_b.get(e)).unwrap())
            .sum();
        prop_assert_eq!(all.len(), written + m.decisions.len(), "no event twice");
        prop_assert!(merged.is_superset(&union), "every event is kept");
        let decided = merged.difference(&union).count();
        prop_assert_eq!(decided, m.decisions.len(), "only decisions are new");
        prop_assert!(
            c.events
                .iter()
                .filter(|e| e.kind == EventKind::Merge)
                .count()
                >= decided
        );
        let times: Vec<Timestamp> = c.events.iter().map(|e| e.at.instant(&zone())).collect();
        prop_assert!(times.windows(2).all(|w| w[0] <= w[1]), "time order");
        prop_assert_eq!(
            Some(c.stage.as_str()),
            c.stage_from_events().or(Some("new"))
        );
        for key in ["severity", "assignee", "resolution.action", "fields.region"] {
            if let Some(last) = c.events.iter().rev().find(|e| e.changes_key(key)) {
                prop_assert_eq!(&KeyPath::parse(key).unwrap().get(&c), &last.to, "{}", key);
            }
        }
        let (ca, cb) = (read(a), read(b));
        let sides: Vec<&Followup> = ca.followups.iter().chain(&cb.followups).collect();
        let ids: BTreeSet<&str> = sides.iter().map(|f| f.id.as_str()).collect();
        prop_assert_eq!(c.followups.len(), ids.len());
        for f in &c.followups {
            let done_somewhere = sides.iter().any(|g| g.id == f.id && g.done.is_some());
            prop_assert_eq!(f.done.is_some(), done_somewhere);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn a_merge_of_two_branches_holds_exactly_the_union_of_their_events(
            ops in prop::collection::vec((0usize..2, 0u8..3, any::<bool>(), op()), 0..14)
        ) {
            let [a, b] = branches(&ops);
            let m = merged(Some(BASE), &a, &b);
            check_union(&m, &a, &b)?;
            // Either side may be ours.
            let swapped = merged(Some(BASE), &b, &a);
            check_union(&swapped, &b, &a)?;
            // Without the base (a plain text merge read back by `resolve`), the same result.
            let baseless = merged(None, &a, &b);
            prop_assert_eq!(&baseless.text, &m.text);
            // Merging the result with either branch again changes nothing.
            prop_assert_eq!(&merged(Some(&a), &m.text, &a).text, &m.text);
            check_union(&merged(Some(&b), &b, &m.text), &b, &m.text)?;
        }
    }
}
