//! The complaint as gripe reads it from a file: header, customer, resolution, custom fields,
//! follow-ups and the event history.
//!
//! This is the read model only. Edits never serialize it back: they go key by key through
//! `store::document::ComplaintDoc`, so a person's comments, spacing and unknown keys survive.
//! Unknown keys are ignored here; unknown event kinds are kept as [`EventKind::Other`].

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::Serialize;

use crate::model::regime::Letter;
use crate::time::when::Timestamp;
use crate::time::when::When;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Complaint {
    pub id: String,
    pub title: String,
    pub opened: When,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_by: Option<String>,
    pub stage: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_by: Option<When>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ref: Option<String>,
    /// The regulators' timetables this complaint runs under, instead of the team's
    /// `[regulatory] regimes` (an empty list: none). Names as written; `check` reports unknown
    /// ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regimes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Customer::is_empty")]
    pub customer: Customer,
    #[serde(default, skip_serializing_if = "Resolution::is_empty")]
    pub resolution: Resolution,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldValue>,
    #[serde(default, rename = "followup", skip_serializing_if = "Vec::is_empty")]
    pub followups: Vec<Followup>,
    #[serde(default, rename = "event", skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Header keys found inside a `[[followup]]` or `[[event]]` table, where they mean nothing
    /// (a plain text merge can put a line there): `assignee in a [[followup]] table`. Not data
    /// of the complaint; `gripe check` reports them.
    #[serde(skip)]
    pub misplaced: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// A severity a person typed, or the error that lists the severities.
    pub(crate) fn from_user(s: &str) -> crate::error::Result<Severity> {
        Severity::parse(s).ok_or_else(|| {
            let all: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
            crate::error::Error::usage_hint(
                format!("`{s}` is not a severity"),
                format!("one of {}", all.join(", ")),
            )
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Customer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The address a complaint that came by email came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Customer {
    pub(crate) fn is_empty(&self) -> bool {
        self.name.is_none() && self.contact.is_none() && self.email.is_none()
    }

    /// How one name or contact is told from another: case and surrounding spaces do not
    /// count. The report's repeat complainants and `gripe forget` both go by it.
    pub(crate) fn normal(value: &str) -> String {
        value.trim().to_lowercase()
    }

    /// How the customer is shown in one line: the name, else the contact, else the email.
    pub(crate) fn label(&self) -> Option<&str> {
        self.name
            .as_deref()
            .or(self.contact.as_deref())
            .or(self.email.as_deref())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Resolution {
    /// What the customer said would be a fair outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fair_outcome: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_mile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avoidable: Option<bool>,
    /// Asked after resolution; absent until asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfied: Option<bool>,
    /// Whether the complaint was upheld: `yes`, `no` or `partial` (what a regulator's return
    /// counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upheld: Option<String>,
    /// Redress paid, an amount with its currency: `GBP 120.00`, `£120`, `120.00 USD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redress: Option<String>,
}

impl Resolution {
    pub(crate) fn is_empty(&self) -> bool {
        *self == Resolution::default()
    }
}

/// A custom field's value, or the old and new value of a `set` event.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Bool(bool),
    Integer(i64),
    Float(f64),
    Text(String),
    When(When),
    List(Vec<FieldValue>),
}

/// The key of a tagged date or time in the exchange form (`gripe export`):
/// `{"datetime": "2026-11-26"}`.
pub(crate) const DATETIME: &str = "datetime";

thread_local! {
    /// Whether the [`FieldValue`]s being serialized on this thread are inside [`DatesTagged`].
    static TAGGING: Cell<bool> = const { Cell::new(false) };
}

/// A value that serializes as itself, but with every [`FieldValue`] in it that is a date or a
/// time as `{"datetime": "..."}` (plain JSON has no dates, and text that merely looks like a
/// date must come back as text).
pub(crate) struct DatesTagged<'a, T>(pub(crate) &'a T);

impl<T: Serialize> Serialize for DatesTagged<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// Puts the tagging back as it was, however the serialization ends.
        struct Restore(bool);
        impl Drop for Restore {
            fn drop(&mut self) {
                TAGGING.set(self.0);
            }
        }
        let _restore = Restore(TAGGING.replace(true));
        self.0.serialize(serializer)
    }
}

/// As itself (a date as its text), or tagged inside [`DatesTagged`].
impl Serialize for FieldValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            FieldValue::Bool(b) => serializer.serialize_bool(*b),
            FieldValue::Integer(i) => serializer.serialize_i64(*i),
            FieldValue::Float(f) => serializer.serialize_f64(*f),
            FieldValue::Text(text) => serializer.serialize_str(text),
            FieldValue::When(when) if TAGGING.get() => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(DATETIME, when)?;
                map.end()
            }
            FieldValue::When(when) => when.serialize(serializer),
            FieldValue::List(items) => serializer.collect_seq(items),
        }
    }
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<FieldValue, D::Error> {
        deserializer.deserialize_any(FieldValueVisitor)
    }
}

/// Reads whichever type the value has, without trying types one after another (as an untagged
/// enum would, building an error for each miss).
struct FieldValueVisitor;

impl<'de> serde::de::Visitor<'de> for FieldValueVisitor {
    type Value = FieldValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean, date or list")
    }

    fn visit_bool<E>(self, v: bool) -> Result<FieldValue, E> {
        Ok(FieldValue::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<FieldValue, E> {
        Ok(FieldValue::Integer(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<FieldValue, E> {
        i64::try_from(v)
            .map(FieldValue::Integer)
            .map_err(|_| E::custom(format!("{v} is too large")))
    }

    fn visit_f64<E>(self, v: f64) -> Result<FieldValue, E> {
        Ok(FieldValue::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<FieldValue, E> {
        Ok(FieldValue::Text(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<FieldValue, E> {
        Ok(FieldValue::Text(v))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<FieldValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(FieldValue::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<FieldValue, A::Error> {
        When::from_map(map).map(FieldValue::When)
    }
}

impl FieldValue {
    /// The TOML value gripe writes for this field.
    pub(crate) fn to_toml(&self) -> toml_edit::Value {
        match self {
            FieldValue::Bool(b) => (*b).into(),
            FieldValue::Integer(i) => (*i).into(),
            FieldValue::Float(f) => (*f).into(),
            FieldValue::Text(s) => s.as_str().into(),
            FieldValue::When(w) => w.to_toml(),
            FieldValue::List(items) => {
                toml_edit::Value::Array(items.iter().map(FieldValue::to_toml).collect())
            }
        }
    }

    pub(crate) fn as_text(&self) -> Option<&str> {
        match self {
            FieldValue::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::Integer(i) => write!(f, "{i}"),
            FieldValue::Float(x) => write!(f, "{x}"),
            FieldValue::Text(s) => f.write_str(s),
            FieldValue::When(w) => write!(f, "{w}"),
            FieldValue::List(items) => {
                let parts: Vec<String> = items.iter().map(ToString::to_string).collect();
                f.write_str(&parts.join(", "))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Followup {
    pub id: String,
    pub due: When,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<When>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Opened,
    Note,
    Stage,
    Set,
    Followup,
    FollowupDone,
    Reopened,
    /// A decision the merge of two branches made: both changed `key`, and the later change
    /// (`to`) was kept over the other (`from`).
    Merge,
    /// Personal data was redacted (`gripe redact`): the kinds and counts, never the values.
    Redacted,
    /// An erasure request was carried out (`gripe forget`): its reference and date.
    Forgotten,
    /// The complaint was stripped to an anonymous record past its retention (`gripe purge
    /// --anonymise`).
    Anonymised,
    /// A letter was sent to the customer (`gripe respond`): which one is in `letter`.
    Response,
    /// The complaint was passed to the team by a regulator (the CFPB's `Date sent to company`):
    /// the moment a regulator's clock may start from.
    Referred,
    /// The customer took the complaint to the next stage of a two-stage procedure (`gripe
    /// escalate`).
    Escalated,
    /// A kind written by a newer gripe, kept and shown as is.
    #[serde(other)]
    Other,
}

impl EventKind {
    /// Every kind gripe writes.
    pub const KNOWN: [EventKind; 14] = [
        EventKind::Opened,
        EventKind::Note,
        EventKind::Stage,
        EventKind::Set,
        EventKind::Followup,
        EventKind::FollowupDone,
        EventKind::Reopened,
        EventKind::Merge,
        EventKind::Redacted,
        EventKind::Forgotten,
        EventKind::Anonymised,
        EventKind::Response,
        EventKind::Referred,
        EventKind::Escalated,
    ];

    /// The kind named `kind`, as serde reads it (kebab-case; anything else is `Other`).
    pub(crate) fn named(kind: &str) -> EventKind {
        EventKind::KNOWN
            .into_iter()
            .find(|k| k.as_str() == kind)
            .unwrap_or(EventKind::Other)
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EventKind::Opened => "opened",
            EventKind::Note => "note",
            EventKind::Stage => "stage",
            EventKind::Set => "set",
            EventKind::Followup => "followup",
            EventKind::FollowupDone => "followup-done",
            EventKind::Reopened => "reopened",
            EventKind::Merge => "merge",
            EventKind::Redacted => "redacted",
            EventKind::Forgotten => "forgotten",
            EventKind::Anonymised => "anonymised",
            EventKind::Response => "response",
            EventKind::Referred => "referred",
            EventKind::Escalated => "escalated",
            EventKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Event {
    pub at: When,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// For `set` events: the key that changed (`severity`, `resolution.action`, `fields.region`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Stage before (`stage`, `reopened`) or value before (`set`; absent when it was unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<FieldValue>,
    /// Stage after, or value after (`set`; absent when it was removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<FieldValue>,
    /// The id of the follow-up a `followup` or `followup-done` event is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followup: Option<String>,
    /// True when a stage's entry requirements were skipped with `--force`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
    /// For `response` events: which letter was sent, as written (see [`Event::letter_kind`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    /// For `response` events: a regulator's own verdict on whether the letter was in time,
    /// where its date is not known exactly (an import from the regulator's portal). It wins
    /// over the dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timely: Option<bool>,
    /// The Message-ID of the email a note came from (without `<>`), so replies thread to it
    /// and a mailbox imported twice adds nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

/// Who makes a change, and when: what every event records.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub at: Timestamp,
    pub by: String,
}

impl Event {
    /// An event of `kind` stamped with who and when, with nothing else set yet.
    pub fn new(kind: EventKind, stamp: &Stamp) -> Event {
        Event {
            at: When::Zoned(stamp.at),
            by: Some(stamp.by.clone()),
            kind,
            text: None,
            key: None,
            from: None,
            to: None,
            followup: None,
            forced: false,
            letter: None,
            timely: None,
            message_id: None,
        }
    }

    /// The letter of a `response` event, when it is a kind gripe knows.
    pub(crate) fn letter_kind(&self) -> Option<Letter> {
        self.letter.as_deref().and_then(Letter::named)
    }

    /// A stage change (`stage` or `reopened`) from one stage to another.
    pub fn stage_change(kind: EventKind, stamp: &Stamp, from: &str, to: &str) -> Event {
        Event {
            from: Some(FieldValue::Text(from.to_string())),
            to: Some(FieldValue::Text(to.to_string())),
            ..Event::new(kind, stamp)
        }
    }

    /// Whether this event records a change of `key`: a `set` or `merge` event naming it, or a
    /// stage change when `key` is `stage`.
    pub(crate) fn changes_key(&self, key: &str) -> bool {
        match self.kind {
            EventKind::Set | EventKind::Merge => self.key.as_deref() == Some(key),
            _ => key == "stage" && self.changes_stage(),
        }
    }

    /// Whether this event moves the complaint to another stage: `stage` and `reopened` events,
    /// and a merge that kept one branch's stage over the other's.
    pub(crate) fn changes_stage(&self) -> bool {
        match self.kind {
            EventKind::Stage | EventKind::Reopened => true,
            EventKind::Merge => self.key.as_deref() == Some("stage"),
            _ => false,
        }
    }

    /// The stage this event moves to, for stage-changing events.
    pub(crate) fn to_stage(&self) -> Option<&str> {
        if self.changes_stage() {
            self.to.as_ref().and_then(FieldValue::as_text)
        } else {
            None
        }
    }
}

impl Complaint {
    /// The stage the events end in: the last stage change, or `None` when nothing moved it.
    pub(crate) fn stage_from_events(&self) -> Option<&str> {
        self.events.iter().rev().find_map(Event::to_stage)
    }

    /// The event that moved the complaint into its current stage, if any.
    pub(crate) fn last_stage_event(&self) -> Option<&Event> {
        self.events.iter().rev().find(|e| e.changes_stage())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_kind_reads_back_by_its_name_as_serde_reads_it() {
        for kind in EventKind::KNOWN {
            assert_eq!(EventKind::named(kind.as_str()), kind);
            let read: EventKind = serde_json::from_value(kind.as_str().into()).unwrap();
            assert_eq!(read, kind);
        }
        assert_eq!(EventKind::named("apologised"), EventKind::Other);
    }

    #[test]
    fn a_merge_decision_about_the_stage_is_a_stage_change() {
        let stamp = Stamp {
            at: chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00+09:00").unwrap(),
            by: "gripe".into(),
        };
        let mut decision = Event::stage_change(EventKind::Merge, &stamp, "resolved", "closed");
        decision.key = Some("stage".into());
        assert_eq!(decision.to_stage(), Some("closed"));
        assert!(decision.changes_key("stage"));
        decision.key = Some("severity".into());
        assert_eq!(decision.to_stage(), None);
        assert!(decision.changes_key("severity") && !decision.changes_key("stage"));
    }
}
