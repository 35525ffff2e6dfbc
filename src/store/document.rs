//! Reading a complaint file, and editing it key by key without disturbing anything else.
//!
//! Reads check for git conflict markers first, then parse; every failure names the file, line
//! and column. Edits go through `toml_edit`, so a person's comments, spacing, key order and
//! unknown keys survive: a changed value keeps the comment after it, new keys are appended after
//! a blank line, new tables go before the history, new follow-ups after the last follow-up, and
//! new events at the end of the file. New files are written in the canonical layout of DESIGN.md
//! section 3: one key per line, a blank line between keys that change independently.

use std::path::Path;

use toml_edit::DocumentMut;
use toml_edit::Item;
use toml_edit::Table;
use toml_edit::TableLike;
use toml_edit::Value;

use crate::error::Error;
use crate::error::Location;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Event;
use crate::model::complaint::FieldValue;
use crate::model::complaint::Followup;
use crate::model::id;
use crate::model::keys::KeyPath;
use crate::model::keys::is_header_key;
use crate::model::keys::keys_of;
use crate::model::nesting::MAX_DEPTH;
use crate::model::privacy::Place;
use crate::model::privacy::apply;
use crate::model::privacy::message_reference;
use crate::store::conflict::Marker;
use crate::store::reader::Outcome;
use crate::time::when::When;

/// The byte offset of every line start.
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .filter(move |i| *i < text.len())
}

/// Whether a line (from its start) opens, divides or closes a git conflict (`=======` alone is
/// left out: outside a conflict it is text).
fn is_marker_line(line: &str) -> bool {
    Marker::of(line).is_some_and(|m| m != Marker::Separator)
}

/// The byte offset of the first line that is a git conflict marker, if any. Every marker that
/// counts starts with `<`, `|` or `>`, which complaint text seldom holds, so one vectorised
/// search for those finds the few places to look at.
pub(crate) fn find_conflict_marker(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'<', b'|', b'>', bytes)
        .filter(|&i| i == 0 || bytes[i - 1] == b'\n')
        .find(|&i| is_marker_line(&text[i..]))
}

fn invalid(path: &Path, text: &str, offset: usize, message: &str) -> Error {
    Error::InvalidFile {
        location: Location::at_offset(path, text, offset),
        message: message.trim().to_string(),
        hint: Some(format!(
            "fix the file by hand (`gripe edit {}` validates as you save); gripe never rewrites a file it cannot read",
            path.file_stem().unwrap_or_default().to_string_lossy()
        )),
    }
}

/// Reads a complaint from the text of its file.
pub fn read_complaint(path: &Path, text: &str) -> Result<Complaint> {
    if let Some(offset) = find_conflict_marker(text) {
        return Err(Error::ConflictMarkers {
            location: Location::at_offset(path, text, offset),
        });
    }
    parse_complaint(path, text)
}

/// Parses text known to hold no conflict markers: with the fast readers when they can, else
/// exactly (and with the precise error) through serde.
fn parse_complaint(path: &Path, text: &str) -> Result<Complaint> {
    let complaint = match crate::store::reader::read(text) {
        Outcome::Read(complaint) => *complaint,
        Outcome::TooDeep(offset) => {
            return Err(invalid(
                path,
                text,
                offset,
                &format!(
                    "arrays or tables nested more than {MAX_DEPTH} levels deep; gripe does not read this file"
                ),
            ));
        }
        Outcome::Unsure => {
            let mut complaint: Complaint = toml::from_str(text)
                .map_err(|e| invalid(path, text, e.span().map_or(0, |s| s.start), e.message()))?;
            complaint.misplaced = misplaced_keys(text);
            complaint
        }
    };
    if !id::is_canonical(&complaint.id) || complaint.id.len() < id::MIN_PREFIX {
        let offset = text.find(&complaint.id).unwrap_or(0);
        return Err(invalid(
            path,
            text,
            offset,
            &format!(
                "id `{}` must be at least {} characters of lowercase base32 (0-9, a-z without i, l, o, u)",
                complaint.id,
                id::MIN_PREFIX
            ),
        ));
    }
    Ok(complaint)
}

/// The header keys that sit inside a `[[followup]]` or `[[event]]` table of `text` (which
/// parses), as `assignee in a [[followup]] table`.
fn misplaced_keys(text: &str) -> Vec<String> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for array in ["followup", "event"] {
        let Some(toml::Value::Array(items)) = table.get(array) else {
            continue;
        };
        for key in items
            .iter()
            .filter_map(toml::Value::as_table)
            .flat_map(toml::Table::keys)
            .filter(|key| is_header_key(key))
        {
            found.push(format!("{key} in a [[{array}]] table"));
        }
    }
    found
}

/// Reads only the top of a complaint, before its history. With `with_tables`, the header with
/// its customer, resolution and custom fields: everything before the first `[[followup]]` or
/// `[[event]]`, which is what filters and most trends need. Without, only the top-level keys
/// before the first table, which is enough for `trends --by category` and the like. One pass
/// over the lines finds the cut and any conflict marker. Falls back to reading the whole file
/// when the cut cannot be trusted (another table after the history starts) or does not parse,
/// so what it returns never differs from [`read_complaint`] but for what was left out.
pub fn read_partial(path: &Path, text: &str, with_tables: bool) -> Result<Complaint> {
    let mut cut = None;
    let mut only_history = true;
    for i in line_starts(text) {
        let line = &text[i..];
        if is_marker_line(line) {
            return Err(Error::ConflictMarkers {
                location: Location::at_offset(path, text, i),
            });
        }
        if line.starts_with('[') {
            let history = line.starts_with("[[event]]") || line.starts_with("[[followup]]");
            match cut {
                None if history || !with_tables => cut = Some(i),
                Some(_) if !history && with_tables => only_history = false,
                _ => {}
            }
        }
    }
    if let (Some(cut), true) = (cut, only_history)
        && let Ok(complaint) = parse_complaint(path, &text[..cut])
    {
        return Ok(complaint);
    }
    let mut complaint = parse_complaint(path, text)?;
    complaint.events.clear();
    complaint.followups.clear();
    if !with_tables {
        complaint.customer = Default::default();
        complaint.resolution = Default::default();
        complaint.fields.clear();
    }
    Ok(complaint)
}

/// A complaint file open for editing.
#[derive(Clone)]
pub struct ComplaintDoc {
    doc: DocumentMut,
}

impl ComplaintDoc {
    /// Parses a file for editing; refuses files with conflict markers or that do not read as a
    /// complaint, so gripe never overwrites what it does not understand.
    pub(crate) fn parse(path: &Path, text: &str) -> Result<(ComplaintDoc, Complaint)> {
        let complaint = read_complaint(path, text)?;
        let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
            invalid(path, text, e.span().map_or(0, |s| s.start), e.message())
        })?;
        Ok((ComplaintDoc { doc }, complaint))
    }

    /// The canonical text of a new complaint file.
    pub fn render_new(complaint: &Complaint) -> String {
        let mut doc = DocumentMut::new();
        let root = doc.as_table_mut();
        root.insert("id", Item::Value(complaint.id.as_str().into()));
        root.insert("title", Item::Value(complaint.title.as_str().into()));
        root.insert("opened", Item::Value(complaint.opened.to_toml()));
        if let Some(by) = &complaint.opened_by {
            root.insert("opened_by", Item::Value(by.as_str().into()));
        }
        let mut edit = ComplaintDoc { doc };
        edit.set_header_key("stage", Some(complaint.stage.as_str().into()));
        // The title, first of the keys, is already written above.
        for key in keys_of([complaint]).iter().skip(1) {
            if let Some(value) = key.get(complaint) {
                edit.set(key, Some(&value));
            }
        }
        for followup in &complaint.followups {
            edit.push_followup(followup);
        }
        for event in &complaint.events {
            edit.push_event(event);
        }
        edit.render()
    }

    /// Sets (or with `None` removes) a key, keeping the comment after an existing value.
    pub(crate) fn set(&mut self, key: &KeyPath, value: Option<&FieldValue>) {
        let value = value.map(|v| Item::Value(v.to_toml()));
        self.set_item(key.table, &key.name, value);
    }

    /// The item at a header key (`table` is `None`) or at a key of a table, as written.
    pub(crate) fn item(&self, table: Option<&str>, key: &str) -> Option<&Item> {
        match table {
            None => self.doc.get(key),
            Some(table) => self.doc.get(table)?.as_table_like()?.get(key),
        }
    }

    /// Sets (or with `None` removes) the item at a header key or a key of a table, creating the
    /// table before the history when it is new. A value that replaces a value keeps its
    /// comment, unless it brings its own.
    pub(crate) fn set_item(&mut self, table: Option<&str>, key: &str, item: Option<Item>) {
        match table {
            None => set_in(self.doc.as_table_mut(), key, item, "\n"),
            Some(table) => {
                let root = self.doc.as_table_mut();
                if item.is_none() && !root.contains_key(table) {
                    return;
                }
                let entry = root.entry(table).or_insert_with(|| {
                    let mut t = Table::new();
                    t.decor_mut().set_prefix("\n");
                    Item::Table(t)
                });
                if let Some(t) = entry.as_table_like_mut() {
                    set_in(t, key, item, "");
                }
            }
        }
    }

    /// The tables of an array of tables (`followup`, `event`) as written, comments included.
    pub(crate) fn tables(&self, key: &str) -> Vec<Table> {
        self.doc
            .get(key)
            .and_then(Item::as_array_of_tables)
            .map(|a| a.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Replaces an array of tables (`followup`, `event`) with `tables`, in that order; tables
    /// taken from another file are placed like new ones.
    pub(crate) fn replace_tables(&mut self, key: &str, tables: Vec<Table>) {
        let root = self.doc.as_table_mut();
        if tables.is_empty() {
            root.remove(key);
            return;
        }
        let mut array = toml_edit::ArrayOfTables::new();
        for mut table in tables {
            table.set_position(None);
            array.push(table);
        }
        root.insert(key, Item::ArrayOfTables(array));
    }

    /// Sets the stage in the header (the caller appends the event that explains it).
    pub(crate) fn set_stage(&mut self, stage: &str) {
        self.set_header_key("stage", Some(stage.into()));
    }

    fn set_header_key(&mut self, key: &str, value: Option<Value>) {
        set_in(self.doc.as_table_mut(), key, value.map(Item::Value), "\n");
    }

    pub(crate) fn push_followup(&mut self, followup: &Followup) {
        let mut t = Table::new();
        t.insert("id", Item::Value(followup.id.as_str().into()));
        t.insert("due", Item::Value(followup.due.to_toml()));
        if let Some(note) = &followup.note {
            t.insert("note", Item::Value(note.as_str().into()));
        }
        if let Some(done) = &followup.done {
            t.insert("done", Item::Value(done.to_toml()));
        }
        self.push_table("followup", t);
    }

    /// Records that follow-up `id` was done at `when`; false when there is no such follow-up.
    pub(crate) fn set_followup_done(&mut self, id: &str, when: &When) -> bool {
        let Some(list) = self
            .doc
            .get_mut("followup")
            .and_then(Item::as_array_of_tables_mut)
        else {
            return false;
        };
        for t in list.iter_mut() {
            if t.get("id").and_then(Item::as_str) == Some(id) {
                t.insert("done", Item::Value(when.to_toml()));
                return true;
            }
        }
        false
    }

    pub(crate) fn push_event(&mut self, event: &Event) {
        self.push_table("event", event_table(event));
    }

    fn push_table(&mut self, key: &str, mut table: Table) {
        table.decor_mut().set_prefix("\n");
        let item = self
            .doc
            .as_table_mut()
            .entry(key)
            .or_insert_with(|| Item::ArrayOfTables(Default::default()));
        if let Some(list) = item.as_array_of_tables_mut() {
            list.push(table);
        }
    }

    /// Rewrites text values in place. `rewrite` gets every string value (an integer as its
    /// digits) with its place, and returns the pieces to replace in it (what, with what). A
    /// changed value keeps its comment, and its quoting when the pieces are written in the file
    /// as they read (no escapes in them); an integer becomes a string.
    pub(crate) fn rewrite_texts(&mut self, rewrite: &mut Rewrite<'_>) {
        for (key, item) in self.doc.as_table_mut().iter_mut() {
            let key = key.get().to_string();
            match item {
                Item::ArrayOfTables(list) => {
                    for table in list.iter_mut() {
                        let changed = table.get("key").and_then(Item::as_str).map(String::from);
                        for (name, item) in table.iter_mut() {
                            let own = format!("{key}.{}", name.get());
                            let place = match &changed {
                                Some(changed) if name.get() == "from" || name.get() == "to" => {
                                    Place {
                                        key: changed,
                                        history: true,
                                    }
                                }
                                _ => Place {
                                    key: &own,
                                    history: false,
                                },
                            };
                            rewrite_item(place, item, rewrite);
                        }
                    }
                }
                item if item
                    .as_str()
                    .is_some_and(|text| message_reference(&key, text)) => {}
                item => rewrite_item(
                    Place {
                        key: &key,
                        history: false,
                    },
                    item,
                    rewrite,
                ),
            }
        }
    }

    /// The file's new text.
    pub(crate) fn render(mut self) -> String {
        place_new_tables(self.doc.as_table_mut());
        let mut text = self.doc.to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }
}

/// What [`ComplaintDoc::rewrite_texts`] calls for each text.
pub(crate) type Rewrite<'r> = dyn FnMut(Place, &str) -> Vec<(String, String)> + 'r;

fn rewrite_item(place: Place, item: &mut Item, rewrite: &mut Rewrite<'_>) {
    match item {
        Item::Value(value) => rewrite_value(place, value, rewrite),
        Item::Table(table) => {
            for (name, item) in table.iter_mut() {
                let key = format!("{}.{}", place.key, name.get());
                let inner = Place { key: &key, ..place };
                rewrite_item(inner, item, rewrite);
            }
        }
        _ => {}
    }
}

fn rewrite_value(place: Place, value: &mut Value, rewrite: &mut Rewrite<'_>) {
    let (old, raw) = match value {
        Value::String(s) => (
            s.value().clone(),
            s.as_repr()
                .and_then(|r| r.as_raw().as_str())
                .map(String::from),
        ),
        Value::Integer(i) => (i.value().to_string(), None),
        Value::Array(items) => {
            for item in items.iter_mut() {
                rewrite_value(place, item, rewrite);
            }
            return;
        }
        Value::InlineTable(table) => {
            for (name, item) in table.iter_mut() {
                let key = format!("{}.{}", place.key, name.get());
                rewrite_value(Place { key: &key, ..place }, item, rewrite);
            }
            return;
        }
        _ => return,
    };
    let pieces = rewrite(place, &old);
    let new = apply(&old, &pieces);
    if new == old {
        return;
    }
    let mut replaced = raw
        .map(|raw| apply(&raw, &pieces))
        .and_then(|raw| raw.parse::<Value>().ok())
        .filter(|v| v.as_str() == Some(new.as_str()))
        .unwrap_or_else(|| Value::from(new.as_str()));
    *replaced.decor_mut() = value.decor().clone();
    *value = replaced;
}

/// An `[[event]]` table in the order gripe writes its keys.
pub(crate) fn event_table(event: &Event) -> Table {
    let mut t = Table::new();
    t.decor_mut().set_prefix("\n");
    t.insert("at", Item::Value(event.at.to_toml()));
    if let Some(by) = &event.by {
        t.insert("by", Item::Value(by.as_str().into()));
    }
    t.insert("kind", Item::Value(event.kind.as_str().into()));
    let optional = [
        ("key", event.key.clone().map(FieldValue::Text)),
        ("from", event.from.clone()),
        ("to", event.to.clone()),
        ("followup", event.followup.clone().map(FieldValue::Text)),
        ("forced", event.forced.then_some(FieldValue::Bool(true))),
        ("letter", event.letter.clone().map(FieldValue::Text)),
        ("timely", event.timely.map(FieldValue::Bool)),
        ("message_id", event.message_id.clone().map(FieldValue::Text)),
        ("text", event.text.clone().map(FieldValue::Text)),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            t.insert(key, Item::Value(value.to_toml()));
        }
    }
    t
}

/// Sets `key` in a table (or inline table). A new value keeps the spacing and comment of the
/// value it replaces, unless it brings its own (a value copied from another version of the
/// file, comment and all). A new key gets `new_key_prefix` before it (a blank line between
/// independent header keys).
fn set_in(table: &mut dyn TableLike, key: &str, item: Option<Item>, new_key_prefix: &str) {
    match (table.get_mut(key), item) {
        (Some(old), Some(mut item)) => {
            if let (Some(old), Some(value)) = (old.as_value(), item.as_value_mut())
                && value.decor().prefix().is_none()
                && value.decor().suffix().is_none()
            {
                *value.decor_mut() = old.decor().clone();
            }
            *old = item;
        }
        (Some(_), None) => {
            table.remove(key);
        }
        (None, Some(item)) => {
            let is_first = table.is_empty();
            table.insert(key, item);
            if !is_first && let Some(mut k) = table.key_mut(key) {
                k.leaf_decor_mut().set_prefix(new_key_prefix);
            }
        }
        (None, None) => {}
    }
}

/// Gives tables added by this edit a place in the file: other tables just before the history,
/// follow-ups after the last follow-up (else before the first event), events at the very end.
/// Existing tables keep their order.
fn place_new_tables(root: &mut Table) {
    let is_history = |key: &str| key == "followup" || key == "event";
    let (mut first_history, mut last, mut last_followup, mut first_event) =
        (None::<isize>, 0isize, None::<isize>, None::<isize>);
    for (key, item) in root.iter() {
        for pos in tables_of(item).filter_map(Table::position) {
            last = last.max(pos);
            if is_history(key) {
                first_history = Some(first_history.map_or(pos, |f| f.min(pos)));
            }
            if key == "followup" {
                last_followup = Some(last_followup.map_or(pos, |l| l.max(pos)));
            }
            if key == "event" {
                first_event = Some(first_event.map_or(pos, |f| f.min(pos)));
            }
        }
    }
    for (key, item) in root.iter_mut() {
        let new_position = match key.get() {
            "followup" => last_followup
                .map(|l| 4 * l + 1)
                .or(first_event.map(|f| 4 * f - 2))
                .unwrap_or(4 * last + 2),
            "event" => 4 * last + 3,
            _ => first_history.map_or(4 * last + 1, |f| 4 * f - 3),
        };
        for table in tables_of_mut(item) {
            let position = table.position().map_or(new_position, |p| 4 * p);
            table.set_position(Some(position));
        }
    }
}

fn tables_of(item: &Item) -> Box<dyn Iterator<Item = &Table> + '_> {
    match item {
        Item::Table(t) => Box::new(std::iter::once(t)),
        Item::ArrayOfTables(a) => Box::new(a.iter()),
        _ => Box::new(std::iter::empty()),
    }
}

fn tables_of_mut(item: &mut Item) -> Box<dyn Iterator<Item = &mut Table> + '_> {
    match item {
        Item::Table(t) => Box::new(std::iter::once(t)),
        Item::ArrayOfTables(a) => Box::new(a.iter_mut()),
        _ => Box::new(std::iter::empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_markers_count_only_at_the_start_of_a_line() {
        assert_eq!(find_conflict_marker("<<<<<<< HEAD\nx = 1\n"), Some(0));
        assert_eq!(find_conflict_marker("x = 1\r\n>>>>>>> theirs\r\n"), Some(7));
        assert_eq!(find_conflict_marker("a = \"x\"\n|||||||\n"), Some(8));
        for clean in [
            "x = \"<<<<<<< HEAD\"\n",
            "x = 1 # a | b > c < d\n",
            "=======\n",
            "<<<<<<<< eight\n",
            "<<<<<<",
        ] {
            assert_eq!(find_conflict_marker(clean), None, "{clean}");
        }
    }

    const HAND_WRITTEN: &str = r#"# Logged from the phone queue
id = "k7m2qd4xw9a3hf5t"
title = "Charged twice"
opened = 2026-11-23T09:14:02+09:00
stage = "new"
severity = "high"   # the customer is a key account
legacy_ticket = 42

[[event]]
at = 2026-11-23T09:14:02+09:00
kind = "opened"
"#;

    fn parse(text: &str) -> ComplaintDoc {
        ComplaintDoc::parse(Path::new("c.toml"), text).unwrap().0
    }

    #[test]
    fn a_changed_value_keeps_its_comment_and_the_rest_of_the_file() {
        let mut doc = parse(HAND_WRITTEN);
        let key = KeyPath::parse("severity").unwrap();
        doc.set(&key, Some(&FieldValue::Text("low".into())));
        let text = doc.render();
        assert_eq!(
            text,
            HAND_WRITTEN.replace("\"high\"   #", "\"low\"   #"),
            "only the value changed"
        );
    }

    #[test]
    fn new_tables_go_before_the_history_and_new_events_at_the_end() {
        let mut doc = parse(HAND_WRITTEN);
        doc.set(
            &KeyPath::parse("resolution.action").unwrap(),
            Some(&FieldValue::Text("refund".into())),
        );
        doc.push_event(&Event {
            at: "2026-11-24T10:00:00+09:00".parse().unwrap(),
            by: Some("mark".into()),
            kind: crate::model::complaint::EventKind::Note,
            text: Some("line one\nline two".into()),
            key: None,
            from: None,
            to: None,
            followup: None,
            forced: false,
            letter: None,
            timely: None,
            message_id: None,
        });
        doc.push_followup(&Followup {
            id: "q7x2ab".into(),
            due: "2026-11-26".parse().unwrap(),
            note: Some("check the refund".into()),
            done: None,
        });
        let text = doc.render();
        let order: Vec<usize> = [
            "[resolution]",
            "[[followup]]",
            "[[event]]\nat = 2026-11-23",
            "kind = \"note\"",
        ]
        .iter()
        .map(|s| text.find(s).unwrap_or_else(|| panic!("{s} in\n{text}")))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(
            text.contains("text = \"\"\"\nline one\nline two\"\"\""),
            "{text}"
        );
        let reread = read_complaint(Path::new("c.toml"), &text).unwrap();
        assert_eq!(reread.events[1].text.as_deref(), Some("line one\nline two"));
    }
}
