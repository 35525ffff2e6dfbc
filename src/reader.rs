//! A fast reader of complaint files: one pass over the events of `toml_parser` (the lexer and
//! grammar the `toml` crate itself is built on), filling the [`Complaint`] read model directly,
//! with no document tree and no serde in between. It is several times faster than
//! `toml::from_str`, which matters when a report reads 100,000 files.
//!
//! It reads exactly what gripe writes and what people usually write by hand. Anything it does
//! not expect (a dotted key, an inline table, a table defined twice, a key given twice, a value
//! of the wrong type, a syntax error, a missing required key) makes it give up and return
//! `None`; the caller then reads the file with serde, which gives the same complaint or the
//! precise error. Tests check that both readers agree.

use std::borrow::Cow;
use std::collections::BTreeMap;

use toml_parser::ErrorSink;
use toml_parser::ParseError;
use toml_parser::Raw;
use toml_parser::Source;
use toml_parser::Span;
use toml_parser::decoder::Encoding;
use toml_parser::decoder::IntegerRadix;
use toml_parser::decoder::ScalarKind;
use toml_parser::parser::EventReceiver;

use crate::complaint::Complaint;
use crate::complaint::Customer;
use crate::complaint::Event;
use crate::complaint::EventKind;
use crate::complaint::FieldValue;
use crate::complaint::Followup;
use crate::complaint::Resolution;
use crate::complaint::Severity;
use crate::keys::is_header_key;
use crate::when::When;

thread_local! {
    /// The token buffer, reused from file to file on each scanning thread.
    static TOKENS: std::cell::RefCell<Vec<toml_parser::lexer::Token>> = const {
        std::cell::RefCell::new(Vec::new())
    };
}

/// How deeply arrays and inline tables may nest. Complaint files need two levels; a hostile
/// file nested thousands deep would otherwise exhaust the stack of any recursive parser.
pub const MAX_DEPTH: usize = 32;

/// What the fast reader made of a file.
#[derive(Debug)]
pub enum Outcome {
    Read(Box<Complaint>),
    /// Arrays or inline tables nest deeper than [`MAX_DEPTH`] at this byte offset: no parser
    /// may be given the file.
    TooDeep(usize),
    /// Something the fast reader does not handle: the exact reader must decide.
    Unsure,
}

/// Reads `text` as a complaint.
pub fn read(text: &str) -> Outcome {
    TOKENS.with_borrow_mut(|tokens| {
        tokens.clear();
        tokens.extend(Source::new(text).lex());
        if let Some(offset) = too_deep(tokens) {
            return Outcome::TooDeep(offset);
        }
        let mut receiver = Receiver::new(text);
        let mut failed = Failed(false);
        toml_parser::parser::parse_document(tokens, &mut receiver, &mut failed);
        if failed.0 || receiver.failed {
            return Outcome::Unsure;
        }
        receiver
            .finish()
            .map_or(Outcome::Unsure, |c| Outcome::Read(Box::new(c)))
    })
}

/// The offset where `text` nests deeper than [`MAX_DEPTH`], if it does: the check to make
/// before giving any other TOML text (gripe.toml) to a recursive parser.
pub fn nesting_too_deep(text: &str) -> Option<usize> {
    let tokens: Vec<_> = Source::new(text).lex().collect();
    too_deep(&tokens)
}

/// The offset where brackets first nest deeper than [`MAX_DEPTH`], if they do. Brackets inside
/// strings are part of string tokens, so they do not count.
fn too_deep(tokens: &[toml_parser::lexer::Token]) -> Option<usize> {
    use toml_parser::lexer::TokenKind;
    let mut depth = 0usize;
    for token in tokens {
        match token.kind() {
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(token.span().start());
                }
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    None
}

/// Records that the grammar found an error.
struct Failed(bool);

impl ErrorSink for Failed {
    fn report_error(&mut self, _error: ParseError) {
        self.0 = true;
    }
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Root,
    Customer,
    Resolution,
    Fields,
    Followup,
    Event,
    /// A table gripe does not know (the exact reader keeps it).
    Other,
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
}

struct Receiver<'i> {
    src: &'i str,
    failed: bool,
    table: Table,
    /// The names of the table headers seen, to refuse one defined twice.
    tables_seen: Vec<Table>,
    /// Set while reading a `[...]` or `[[...]]` header: whether it is an array of tables.
    header: Option<bool>,
    header_keys: Vec<Cow<'i, str>>,
    /// The key being assigned to, once it is complete.
    key: Option<Cow<'i, str>>,
    key_parts: usize,
    /// Keys assigned in the current table, to refuse one given twice.
    keys_seen: Vec<Cow<'i, str>>,
    arrays: Vec<Vec<Value<'i>>>,
    parts: Parts,
}

impl<'i> Receiver<'i> {
    fn new(src: &'i str) -> Receiver<'i> {
        Receiver {
            src,
            failed: false,
            table: Table::Root,
            tables_seen: Vec::new(),
            header: None,
            header_keys: Vec::new(),
            key: None,
            key_parts: 0,
            keys_seen: Vec::new(),
            arrays: Vec::new(),
            parts: Parts::default(),
        }
    }

    fn raw(&self, span: Span, encoding: Option<Encoding>) -> Raw<'i> {
        Raw::new_unchecked(&self.src[span.start()..span.end()], encoding, span)
    }

    /// Gives up when `decode` finds the text at `span` (a comment, a line end) invalid.
    fn check(&mut self, span: Span, decode: fn(&Raw<'i>, &mut dyn ErrorSink)) {
        let mut failed = Failed(false);
        decode(&self.raw(span, None), &mut failed);
        self.failed |= failed.0;
    }

    fn decode_key(&mut self, span: Span, encoding: Option<Encoding>) -> Cow<'i, str> {
        let mut out = Cow::Borrowed("");
        let mut failed = Failed(false);
        self.raw(span, encoding).decode_key(&mut out, &mut failed);
        self.failed |= failed.0;
        out
    }

    fn decode_scalar(&mut self, span: Span, encoding: Option<Encoding>) -> Option<Value<'i>> {
        let mut out = Cow::Borrowed("");
        let mut failed = Failed(false);
        let kind = self
            .raw(span, encoding)
            .decode_scalar(&mut out, &mut failed);
        if failed.0 {
            return None;
        }
        match kind {
            ScalarKind::String => Some(Value::Text(out)),
            ScalarKind::Boolean(b) => Some(Value::Bool(b)),
            ScalarKind::Integer(IntegerRadix::Dec) => out.parse().ok().map(Value::Integer),
            ScalarKind::Float => {
                let f: f64 = out.parse().ok()?;
                f.is_finite().then_some(Value::Float(f))
            }
            ScalarKind::DateTime => When::parse_canonical(&out)
                .or_else(|| {
                    let dt: toml::value::Datetime = out.parse().ok()?;
                    When::from_toml_datetime(&dt)
                })
                .map(Value::Date),
            ScalarKind::Integer(_) => None,
        }
    }

    fn start_table(&mut self, array: bool) {
        // Every table gripe knows has a one-part name; anything else is another table.
        let name = match self.header_keys.as_slice() {
            [one] => one.as_ref(),
            _ => "",
        };
        self.keys_seen.clear();
        self.table = match (array, name) {
            (false, "customer") => Table::Customer,
            (false, "resolution") => Table::Resolution,
            (false, "fields") => Table::Fields,
            (true, "followup") => {
                self.parts.followups.push(PartialFollowup::default());
                Table::Followup
            }
            (true, "event") => {
                self.parts.events.push(PartialEvent::default());
                Table::Event
            }
            _ => Table::Other,
        };
        // Tables gripe does not know, and known ones defined twice, are for the exact reader.
        if self.table == Table::Other || (!array && self.tables_seen.contains(&self.table)) {
            self.failed = true;
        }
        if !array {
            self.tables_seen.push(self.table);
        }
    }

    /// Stores a complete `key = value`.
    fn assign(&mut self, value: Value<'i>) {
        let Some(key) = self.key.take() else {
            self.failed = true;
            return;
        };
        if self.keys_seen.contains(&key) {
            self.failed = true;
            return;
        }
        self.keys_seen.push(key.clone());
        let ok = self.store(&key, value);
        self.failed |= !ok;
    }

    /// Puts `value` where `key` of the current table goes; false when the type is wrong.
    fn store(&mut self, key: &str, value: Value<'i>) -> bool {
        fn set<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
            let ok = value.is_some();
            *slot = value;
            ok
        }
        let p = &mut self.parts;
        match self.table {
            Table::Root => match key {
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
                "tags" => {
                    let tags = match value {
                        Value::Array(items) => items.into_iter().map(Value::text).collect(),
                        _ => None,
                    };
                    set(&mut p.tags, tags)
                }
                "promised_by" => set(&mut p.promised_by, value.when()),
                "external_ref" => set(&mut p.external_ref, value.text()),
                // The tables gripe knows cannot also be plain keys.
                "customer" | "resolution" | "fields" | "followup" | "event" => false,
                _ => true,
            },
            Table::Customer => match key {
                "name" => set(&mut p.customer.name, value.text()),
                "contact" => set(&mut p.customer.contact, value.text()),
                _ => true,
            },
            Table::Resolution => {
                let r = &mut p.resolution;
                match key {
                    "fair_outcome" => set(&mut r.fair_outcome, value.text()),
                    "action" => set(&mut r.action, value.text()),
                    "extra_mile" => set(&mut r.extra_mile, value.text()),
                    "root_cause" => set(&mut r.root_cause, value.text()),
                    "avoidable" => set(&mut r.avoidable, value.flag()),
                    "satisfied" => set(&mut r.satisfied, value.flag()),
                    _ => true,
                }
            }
            Table::Fields => match value.field() {
                Some(v) => p.fields.insert(key.to_string(), v).is_none(),
                None => false,
            },
            Table::Followup => {
                let f = p.followups.last_mut().expect("a follow-up table is open");
                match key {
                    "id" => set(&mut f.id, value.text()),
                    "due" => set(&mut f.due, value.when()),
                    "note" => set(&mut f.note, value.text()),
                    "done" => set(&mut f.done, value.when()),
                    // A header key out of place: the exact reader notes it.
                    _ => !is_header_key(key),
                }
            }
            Table::Event => {
                let e = p.events.last_mut().expect("an event table is open");
                match key {
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
                    _ => !is_header_key(key),
                }
            }
            Table::Other => false,
        }
    }

    fn finish(self) -> Option<Complaint> {
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
                    })
                })
                .collect::<Option<_>>()?,
            misplaced: Vec::new(),
        })
    }
}

impl<'i> EventReceiver for Receiver<'i> {
    fn std_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.header = Some(false);
        self.header_keys.clear();
    }

    fn std_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.header = None;
        self.start_table(false);
    }

    fn array_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.header = Some(true);
        self.header_keys.clear();
    }

    fn array_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.header = None;
        self.start_table(true);
    }

    fn inline_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.failed = true;
        false
    }

    fn array_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.arrays.push(Vec::new());
        true
    }

    fn array_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        let Some(items) = self.arrays.pop() else {
            self.failed = true;
            return;
        };
        let value = Value::Array(items);
        match self.arrays.last_mut() {
            Some(outer) => outer.push(value),
            None => self.assign(value),
        }
    }

    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, _error: &mut dyn ErrorSink) {
        let key = self.decode_key(span, encoding);
        if self.header.is_some() {
            self.header_keys.push(key);
        } else {
            self.key_parts += 1;
            self.key = Some(key);
        }
    }

    fn key_val_sep(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        // Dotted keys (`customer.name = ...`) are left to the exact reader.
        if self.key_parts != 1 {
            self.failed = true;
        }
        self.key_parts = 0;
    }

    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, _error: &mut dyn ErrorSink) {
        let Some(value) = self.decode_scalar(span, encoding) else {
            self.failed = true;
            return;
        };
        match self.arrays.last_mut() {
            Some(items) => items.push(value),
            None => self.assign(value),
        }
    }

    fn comment(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        // The grammar does not look inside comments; a control character there makes the
        // file invalid TOML, which the exact reader reports.
        self.check(span, Raw::decode_comment);
    }

    fn newline(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        // Nearly every line ends in a plain `\n`; only anything else needs a closer look.
        if self.src.as_bytes().get(span.start()..span.end()) != Some(b"\n") {
            self.check(span, Raw::decode_newline);
        }
    }

    fn error(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.failed = true;
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
        for surprise in [
            "customer.name = \"x\"\n",
            "title = \"again\"\n",
            "[customer]\nname = \"a\"\n[customer]\ncontact = \"b\"\n",
            "customer = { name = \"x\" }\n",
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
