//! Fast readers of complaint files, filling the [`Complaint`] read model directly, with no
//! document tree and no serde in between: several times faster than `toml::from_str`, which
//! matters when a report reads 100,000 files.
//!
//! Two readers share one [`Builder`] (what each table and key means, which types they take):
//! - [`lines`] reads the layout gripe writes (and most hand-written files) line by line, with
//!   no general TOML lexer: one `key = value` per line, bare keys and table names, one-line
//!   values.
//! - [`events`] reads anything else through the events of `toml_parser` (the lexer and grammar
//!   the `toml` crate itself is built on).
//!
//! Each gives up on what it does not expect (the line reader on any line outside its layout;
//! the event reader on a dotted key or an inline table, which the line reader takes for the
//! tables gripe knows, on one line: `customer = { name = "A" }`, `customer.name = "A"`; both on
//! a table defined twice, a key given twice, a value of
//! the wrong type, a syntax error, a missing required key). The line reader then hands the file
//! to the event reader, and that one to serde, which gives the same complaint or the precise
//! error. Tests and the `read` fuzz target check that every reader agrees with serde.

mod events;
mod lines;

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::model::complaint::Complaint;
use crate::model::complaint::Customer;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::FieldValue;
use crate::model::complaint::Followup;
use crate::model::complaint::Resolution;
use crate::model::complaint::Severity;
use crate::model::keys::is_header_key;
use crate::time::when::When;

/// What the fast readers made of a file.
#[derive(Debug)]
pub enum Outcome {
    Read(Box<Complaint>),
    /// Arrays or inline tables nest deeper than [`crate::model::nesting::MAX_DEPTH`] at this byte offset: no parser
    /// may be given the file.
    TooDeep(usize),
    /// Something the fast readers do not handle: the exact reader must decide.
    Unsure,
}

/// Reads `text` as a complaint: line by line when it can, else through `toml_parser`.
pub fn read(text: &str) -> Outcome {
    match read_lines(text) {
        Some(complaint) => Outcome::Read(Box::new(complaint)),
        None => events::read(text),
    }
}

/// Reads `text` with the line reader alone; None where it steps aside. Public so that tests
/// and the fuzz target can hold it to serde on its own.
pub fn read_lines(text: &str) -> Option<Complaint> {
    lines::read(text)
}

/// A value as the file holds it.
#[derive(Debug)]
enum Value<'i> {
    Text(Cow<'i, str>),
    Bool(bool),
    Integer(i64),
    Float(f64),
    Date(When),
    Array(Vec<Value<'i>>),
}

impl Value<'_> {
    fn text(self) -> Option<String> {
        match self {
            Value::Text(s) => Some(s.into_owned()),
            _ => None,
        }
    }

    /// A list of texts (`tags`, `regimes`).
    fn texts(self) -> Option<Vec<String>> {
        match self {
            Value::Array(items) => items.into_iter().map(Value::text).collect(),
            _ => None,
        }
    }

    fn flag(self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// A date or time: a TOML datetime, or a string of one of the forms gripe reads.
    fn when(self) -> Option<When> {
        match self {
            Value::Date(w) => Some(w),
            Value::Text(s) => s.parse().ok(),
            _ => None,
        }
    }

    fn field(self) -> Option<FieldValue> {
        Some(match self {
            Value::Text(s) => FieldValue::Text(s.into_owned()),
            Value::Bool(b) => FieldValue::Bool(b),
            Value::Integer(i) => FieldValue::Integer(i),
            Value::Float(f) => FieldValue::Float(f),
            Value::Date(w) => FieldValue::When(w),
            Value::Array(items) => {
                FieldValue::List(items.into_iter().map(Value::field).collect::<Option<_>>()?)
            }
        })
    }
}

/// Which table the keys being read belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Table {
    #[default]
    Root,
    Customer,
    Resolution,
    Fields,
    Followup,
    Event,
    /// A table gripe does not know (the exact reader keeps it).
    Other,
}

impl Table {
    /// The table of a `[name]` (or, with `array`, `[[name]]`) header.
    fn named(array: bool, name: &str) -> Table {
        match (array, name) {
            (false, "customer") => Table::Customer,
            (false, "resolution") => Table::Resolution,
            (false, "fields") => Table::Fields,
            (true, "followup") => Table::Followup,
            (true, "event") => Table::Event,
            _ => Table::Other,
        }
    }
}

/// The builder: the parts of a complaint as they are read.
#[derive(Default)]
struct Parts {
    id: Option<String>,
    title: Option<String>,
    opened: Option<When>,
    opened_by: Option<String>,
    stage: Option<String>,
    severity: Option<Severity>,
    channel: Option<String>,
    category: Option<String>,
    component: Option<String>,
    assignee: Option<String>,
    tags: Option<Vec<String>>,
    promised_by: Option<When>,
    external_ref: Option<String>,
    regimes: Option<Vec<String>>,
    customer: Customer,
    resolution: Resolution,
    fields: BTreeMap<String, FieldValue>,
    followups: Vec<PartialFollowup>,
    events: Vec<PartialEvent>,
}

#[derive(Default)]
struct PartialFollowup {
    id: Option<String>,
    due: Option<When>,
    note: Option<String>,
    done: Option<When>,
}

#[derive(Default)]
struct PartialEvent {
    at: Option<When>,
    by: Option<String>,
    kind: Option<EventKind>,
    text: Option<String>,
    key: Option<String>,
    from: Option<FieldValue>,
    to: Option<FieldValue>,
    followup: Option<String>,
    forced: Option<bool>,
    letter: Option<String>,
    timely: Option<bool>,
    message_id: Option<String>,
}

/// What each table and key of a complaint file means: both readers feed it headers and
/// `key = value` pairs, and it gives up (sets `failed`) on anything the exact reader must judge.
#[derive(Default)]
struct Builder<'i> {
    failed: bool,
    table: Table,
    /// The tables defined so far by a header or an inline table, to refuse one defined twice.
    tables_seen: Vec<Table>,
    /// The tables given keys by dotted keys (`customer.name = …`) in the top-level table: more
    /// dotted keys may add to them, a header or an inline table may not define them again.
    dotted: Vec<Table>,
    /// While the keys of `name = { … }` or `name.key = …` are stored: how many keys gripe does
    /// not read had been seen before (such a key there is for the exact reader).
    within: Option<usize>,
    /// The keys of the current table that gripe does not read, to refuse one given twice (a key
    /// it reads is refused twice by its filled slot).
    keys_seen: Vec<Cow<'i, str>>,
    parts: Parts,
}

impl<'i> Builder<'i> {
    /// Starts the table of a `[name]` (or, with `array`, `[[name]]`) header. Every table gripe
    /// knows has a one-part name; give "" for any other.
    fn table(&mut self, array: bool, name: &str) {
        self.keys_seen.clear();
        self.table = Table::named(array, name);
        match self.table {
            Table::Followup => self.parts.followups.push(PartialFollowup::default()),
            Table::Event => {
                // Room for a typical history at once, rather than growing (and copying) the
                // vector three times on the way.
                if self.parts.events.capacity() == 0 {
                    self.parts.events.reserve(16);
                }
                self.parts.events.push(PartialEvent::default());
            }
            _ => {}
        }
        // Tables gripe does not know, and known ones defined twice, are for the exact reader.
        let again = self.tables_seen.contains(&self.table) || self.dotted.contains(&self.table);
        if self.table == Table::Other || (!array && again) {
            self.failed = true;
        }
        if !array {
            self.tables_seen.push(self.table);
        }
    }

    /// Starts the keys of the table `name` given in the top-level table without its header:
    /// as an inline table (`name = { … }`, which defines the whole table) or, with `inline`
    /// false, one dotted key (`name.key = …`; several may add to the same table). The keys
    /// then go through [`assign`](Self::assign) as usual, up to [`end_within`](Self::end_within).
    fn begin_within(&mut self, name: &str, inline: bool) {
        let table = Table::named(false, name);
        let known = matches!(table, Table::Customer | Table::Resolution | Table::Fields);
        let defined = self.tables_seen.contains(&table) || (inline && self.dotted.contains(&table));
        if self.table != Table::Root || self.within.is_some() || !known || defined {
            self.failed = true;
            return;
        }
        if inline {
            self.tables_seen.push(table);
        } else if !self.dotted.contains(&table) {
            self.dotted.push(table);
        }
        self.table = table;
        self.within = Some(self.keys_seen.len());
    }

    /// Back to the top-level table after [`begin_within`](Self::begin_within).
    fn end_within(&mut self) {
        if let Some(before) = self.within.take() {
            self.failed |= self.keys_seen.len() != before;
            self.table = Table::Root;
        }
    }

    /// Stores a complete `key = value` of the current table.
    fn assign(&mut self, key: Cow<'i, str>, value: Value<'i>) {
        let ok = self.store(key, value);
        self.failed |= !ok;
    }

    /// Puts `value` where `key` of the current table goes; false when the type is wrong or the
    /// key was given before.
    fn store(&mut self, key: Cow<'i, str>, value: Value<'i>) -> bool {
        /// A key gripe reads: given twice, its slot is already filled.
        fn set<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
            if slot.is_some() {
                return false;
            }
            let ok = value.is_some();
            *slot = value;
            ok
        }
        /// A key gripe does not read (the exact reader keeps it): remembered, to refuse it
        /// given twice.
        fn other<'i>(seen: &mut Vec<Cow<'i, str>>, key: Cow<'i, str>) -> bool {
            if seen.contains(&key) {
                return false;
            }
            seen.push(key);
            true
        }
        let seen = &mut self.keys_seen;
        let p = &mut self.parts;
        let name = key.as_ref();
        match self.table {
            Table::Root => match name {
                "id" => set(&mut p.id, value.text()),
                "title" => set(&mut p.title, value.text()),
                "opened" => set(&mut p.opened, value.when()),
                "opened_by" => set(&mut p.opened_by, value.text()),
                "stage" => set(&mut p.stage, value.text()),
                "severity" => {
                    let severity = value
                        .text()
                        .and_then(|s| Severity::ALL.into_iter().find(|v| v.as_str() == s));
                    set(&mut p.severity, severity)
                }
                "channel" => set(&mut p.channel, value.text()),
                "category" => set(&mut p.category, value.text()),
                "component" => set(&mut p.component, value.text()),
                "assignee" => set(&mut p.assignee, value.text()),
                "tags" => set(&mut p.tags, value.texts()),
                "promised_by" => set(&mut p.promised_by, value.when()),
                "external_ref" => set(&mut p.external_ref, value.text()),
                "regimes" => set(&mut p.regimes, value.texts()),
                // The tables gripe knows cannot also be plain keys.
                "customer" | "resolution" | "fields" | "followup" | "event" => false,
                _ => other(seen, key),
            },
            Table::Customer => match name {
                "name" => set(&mut p.customer.name, value.text()),
                "contact" => set(&mut p.customer.contact, value.text()),
                "email" => set(&mut p.customer.email, value.text()),
                _ => other(seen, key),
            },
            Table::Resolution => {
                let r = &mut p.resolution;
                match name {
                    "fair_outcome" => set(&mut r.fair_outcome, value.text()),
                    "action" => set(&mut r.action, value.text()),
                    "extra_mile" => set(&mut r.extra_mile, value.text()),
                    "root_cause" => set(&mut r.root_cause, value.text()),
                    "avoidable" => set(&mut r.avoidable, value.flag()),
                    "satisfied" => set(&mut r.satisfied, value.flag()),
                    "upheld" => set(&mut r.upheld, value.text()),
                    "redress" => set(&mut r.redress, value.text()),
                    _ => other(seen, key),
                }
            }
            Table::Fields => match value.field() {
                Some(v) => p.fields.insert(key.into_owned(), v).is_none(),
                None => false,
            },
            Table::Followup => {
                let f = p.followups.last_mut().expect("a follow-up table is open");
                match name {
                    "id" => set(&mut f.id, value.text()),
                    "due" => set(&mut f.due, value.when()),
                    "note" => set(&mut f.note, value.text()),
                    "done" => set(&mut f.done, value.when()),
                    // A header key out of place: the exact reader notes it.
                    _ => !is_header_key(name) && other(seen, key),
                }
            }
            Table::Event => {
                let e = p.events.last_mut().expect("an event table is open");
                match name {
                    "at" => set(&mut e.at, value.when()),
                    "by" => set(&mut e.by, value.text()),
                    "kind" => {
                        let kind = value.text().map(|k| EventKind::named(&k));
                        set(&mut e.kind, kind)
                    }
                    "text" => set(&mut e.text, value.text()),
                    "key" => set(&mut e.key, value.text()),
                    "from" => set(&mut e.from, value.field()),
                    "to" => set(&mut e.to, value.field()),
                    "followup" => set(&mut e.followup, value.text()),
                    "forced" => set(&mut e.forced, value.flag()),
                    "letter" => set(&mut e.letter, value.text()),
                    "timely" => set(&mut e.timely, value.flag()),
                    "message_id" => set(&mut e.message_id, value.text()),
                    _ => !is_header_key(name) && other(seen, key),
                }
            }
            Table::Other => false,
        }
    }

    /// The complaint, unless something was given up on or a required key is missing.
    fn finish(self) -> Option<Complaint> {
        if self.failed {
            return None;
        }
        let p = self.parts;
        Some(Complaint {
            id: p.id?,
            title: p.title?,
            opened: p.opened?,
            opened_by: p.opened_by,
            stage: p.stage?,
            severity: p.severity,
            channel: p.channel,
            category: p.category,
            component: p.component,
            assignee: p.assignee,
            tags: p.tags.unwrap_or_default(),
            promised_by: p.promised_by,
            external_ref: p.external_ref,
            regimes: p.regimes,
            customer: p.customer,
            resolution: p.resolution,
            fields: p.fields,
            followups: p
                .followups
                .into_iter()
                .map(|f| {
                    Some(Followup {
                        id: f.id?,
                        due: f.due?,
                        note: f.note,
                        done: f.done,
                    })
                })
                .collect::<Option<_>>()?,
            events: p
                .events
                .into_iter()
                .map(|e| {
                    Some(Event {
                        at: e.at?,
                        by: e.by,
                        kind: e.kind?,
                        text: e.text,
                        key: e.key,
                        from: e.from,
                        to: e.to,
                        followup: e.followup,
                        forced: e.forced.unwrap_or(false),
                        letter: e.letter,
                        timely: e.timely,
                        message_id: e.message_id,
                    })
                })
                .collect::<Option<_>>()?,
            misplaced: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_reader_gives_up_where_the_exact_reader_must_decide() {
        let head =
            "id = \"aaaa000000000000\"\ntitle = \"t\"\nopened = 2026-11-02\nstage = \"new\"\n";
        assert!(matches!(read(head), Outcome::Read(_)));
        for by_hand in [
            "customer = { name = \"x\", contact = 'y' }\n[fields]\nn = 1\n",
            "customer.name = \"x\"\nfields.n = 1\ncustomer.contact = \"y\"\n",
            "resolution = {}\n",
        ] {
            let text = format!("{head}{by_hand}");
            let exact: Complaint = toml::from_str(&text).unwrap();
            match read(&text) {
                Outcome::Read(fast) => assert_eq!(*fast, exact, "{by_hand}"),
                other => panic!("{by_hand}: {other:?}"),
            }
        }
        for surprise in [
            "title = \"again\"\n",
            "[customer]\nname = \"a\"\n[customer]\ncontact = \"b\"\n",
            "customer.name = \"x\"\n[customer]\ncontact = \"y\"\n",
            "customer = { name = \"x\" }\ncustomer.contact = \"y\"\n",
            "customer = { name = \"x\", extra = 1 }\n",
            "customer = { name = { first = \"x\" } }\n",
            "customer = { name = \"x\", }\n",
            "customer = { name = \'\'\'a\nb\'\'\' }\n",
            "event.at = 2026-11-02\n",
            "[resolution]\ncustomer.name = \"x\"\n",
            "[fields]\nn = 0x10\n",
            "severity = \"High\"\n",
            "[[event]]\nkind = \"note\"\n",
            "[event]\nat = 2026-11-02\n",
            "x = [1, \n",
            "[stuff]\nkey = 1\n",
            "[[followup]]\nid = \"f1\"\ndue = 2026-11-03\nassignee = \"x\"\n",
            "# a control character \u{1c} in a comment\n",
        ] {
            assert!(
                matches!(read(&format!("{head}{surprise}")), Outcome::Unsure),
                "{surprise}"
            );
        }
        assert!(
            matches!(read("title = \"t\"\n"), Outcome::Unsure),
            "missing keys"
        );
        let deep = format!("{head}[fields]\nx = {}{}\n", "[".repeat(40), "]".repeat(40));
        assert!(matches!(read(&deep), Outcome::TooDeep(_)));
        let quoted = format!("{head}title2 = \"{}\"\n", "[".repeat(40));
        assert!(
            matches!(read(&quoted), Outcome::Read(_)),
            "brackets in strings do not nest"
        );
    }
}
