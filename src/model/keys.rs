//! The keys a person can change with `gripe set` and name in requirements and filters: header
//! fields, `customer.*`, `resolution.*` and `fields.*`, with the type each one holds.

use std::fmt;

use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::FieldValue;
use crate::model::complaint::Severity;
use crate::model::regime::Money;
use crate::model::regime::parse_regimes;
use crate::time::calendar::Calendar;
use crate::time::when::Direction;
use crate::time::when::Timestamp;
use crate::time::when::When;
use crate::time::when::parse_user_when;

/// What a key holds, which decides how a typed value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueKind {
    Text,
    Severity,
    Tags,
    When,
    Bool,
    /// Names of regimes (`fca_disp,fca_psd`; `none` for an empty list).
    Regimes,
    /// yes, no or partial.
    Upheld,
    /// An amount with its currency.
    Money,
    /// Custom fields: a number, bool or date when it reads as one exactly, else text.
    Any,
}

const HEADER: [(&str, ValueKind); 10] = [
    ("title", ValueKind::Text),
    ("severity", ValueKind::Severity),
    ("channel", ValueKind::Text),
    ("category", ValueKind::Text),
    ("component", ValueKind::Text),
    ("assignee", ValueKind::Text),
    ("tags", ValueKind::Tags),
    ("promised_by", ValueKind::When),
    ("external_ref", ValueKind::Text),
    ("regimes", ValueKind::Regimes),
];
const CUSTOMER: [&str; 3] = ["name", "contact", "email"];

/// Whether `name` is a key of the header (the top of a complaint file) and nothing else: the
/// keys `set` can change there, and those only gripe writes.
pub(crate) fn is_header_key(name: &str) -> bool {
    matches!(name, "opened" | "opened_by" | "stage") || HEADER.iter().any(|(key, _)| *key == name)
}
const RESOLUTION: [(&str, ValueKind); 8] = [
    ("fair_outcome", ValueKind::Text),
    ("action", ValueKind::Text),
    ("extra_mile", ValueKind::Text),
    ("root_cause", ValueKind::Text),
    ("avoidable", ValueKind::Bool),
    ("satisfied", ValueKind::Bool),
    ("upheld", ValueKind::Upheld),
    ("redress", ValueKind::Money),
];

/// A settable key: a header key (`table` is `None`) or a key inside `[customer]`,
/// `[resolution]` or `[fields]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPath {
    pub(crate) table: Option<&'static str>,
    pub(crate) name: String,
    pub(crate) kind: ValueKind,
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.table {
            Some(table) => write!(f, "{table}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl KeyPath {
    pub fn parse(input: &str) -> Result<KeyPath> {
        let s = input.trim();
        let unknown = || {
            Error::usage_hint(
                format!("`{s}` is not a key gripe can set"),
                "keys: title, severity, channel, category, component, assignee, tags, promised_by, \
                 external_ref, regimes, customer.name, customer.contact, customer.email, resolution.fair_outcome, \
                 resolution.action, resolution.extra_mile, resolution.root_cause, \
                 resolution.avoidable, resolution.satisfied, resolution.upheld, \
                 resolution.redress, fields.NAME",
            )
        };
        match s.split_once('.') {
            None => {
                if let Some((name, kind)) = HEADER.iter().find(|(k, _)| *k == s) {
                    return Ok(KeyPath {
                        table: None,
                        name: (*name).to_string(),
                        kind: *kind,
                    });
                }
                Err(match s {
                    "stage" => Error::usage_hint(
                        "the stage is changed by the workflow, not by `set`",
                        "use `gripe advance ID [--to STAGE]`, `gripe reopen ID` or `gripe close ID`",
                    ),
                    "id" | "opened" | "opened_by" => {
                        Error::usage(format!("`{s}` is fixed when a complaint is opened"))
                    }
                    _ => unknown(),
                })
            }
            Some(("customer", name)) if CUSTOMER.contains(&name) => Ok(KeyPath {
                table: Some("customer"),
                name: name.to_string(),
                kind: ValueKind::Text,
            }),
            Some(("resolution", name)) => RESOLUTION
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, kind)| KeyPath {
                    table: Some("resolution"),
                    name: name.to_string(),
                    kind: *kind,
                })
                .ok_or_else(unknown),
            Some(("fields", name)) if is_bare_key(name) => Ok(KeyPath {
                table: Some("fields"),
                name: name.to_string(),
                kind: ValueKind::Any,
            }),
            Some(("fields", _)) => Err(Error::usage_hint(
                format!("`{s}` is not a custom field name"),
                "custom field names use letters, digits, `_` and `-`",
            )),
            _ => Err(unknown()),
        }
    }

    /// The key's current value in `complaint`.
    pub(crate) fn get(&self, complaint: &Complaint) -> Option<FieldValue> {
        let text = |s: &Option<String>| s.clone().map(FieldValue::Text);
        let r = &complaint.resolution;
        match (self.table, self.name.as_str()) {
            (None, "title") => Some(FieldValue::Text(complaint.title.clone())),
            (None, "severity") => complaint
                .severity
                .map(|s| FieldValue::Text(s.as_str().to_string())),
            (None, "channel") => text(&complaint.channel),
            (None, "category") => text(&complaint.category),
            (None, "component") => text(&complaint.component),
            (None, "assignee") => text(&complaint.assignee),
            (None, "tags") => (!complaint.tags.is_empty()).then(|| {
                FieldValue::List(
                    complaint
                        .tags
                        .iter()
                        .cloned()
                        .map(FieldValue::Text)
                        .collect(),
                )
            }),
            (None, "promised_by") => complaint.promised_by.map(FieldValue::When),
            (None, "external_ref") => text(&complaint.external_ref),
            (None, "regimes") => complaint.regimes.as_ref().map(|names| {
                FieldValue::List(names.iter().cloned().map(FieldValue::Text).collect())
            }),
            (Some("customer"), "name") => text(&complaint.customer.name),
            (Some("customer"), "contact") => text(&complaint.customer.contact),
            (Some("customer"), "email") => text(&complaint.customer.email),
            (Some("resolution"), "fair_outcome") => text(&r.fair_outcome),
            (Some("resolution"), "action") => text(&r.action),
            (Some("resolution"), "extra_mile") => text(&r.extra_mile),
            (Some("resolution"), "root_cause") => text(&r.root_cause),
            (Some("resolution"), "avoidable") => r.avoidable.map(FieldValue::Bool),
            (Some("resolution"), "satisfied") => r.satisfied.map(FieldValue::Bool),
            (Some("resolution"), "upheld") => text(&r.upheld),
            (Some("resolution"), "redress") => text(&r.redress),
            (Some("fields"), name) => complaint.fields.get(name).cloned(),
            _ => None,
        }
    }

    /// Sets the key in `complaint` to `value`, or removes it with `None`: the inverse of
    /// [`KeyPath::get`], for values of the key's kind as [`KeyPath::parse_value`] reads them (a
    /// value of another kind leaves the key unset).
    pub(crate) fn apply(&self, complaint: &mut Complaint, value: Option<FieldValue>) {
        let text = value.as_ref().map(ToString::to_string);
        let when = match value {
            Some(FieldValue::When(w)) => Some(w),
            _ => None,
        };
        let flag = match value {
            Some(FieldValue::Bool(b)) => Some(b),
            _ => None,
        };
        let r = &mut complaint.resolution;
        match (self.table, self.name.as_str()) {
            (None, "title") => {
                if let Some(title) = text {
                    complaint.title = title;
                }
            }
            (None, "severity") => complaint.severity = text.as_deref().and_then(Severity::parse),
            (None, "channel") => complaint.channel = text,
            (None, "category") => complaint.category = text,
            (None, "component") => complaint.component = text,
            (None, "assignee") => complaint.assignee = text,
            (None, "tags") => {
                complaint.tags = match value {
                    Some(FieldValue::List(items)) => {
                        items.iter().map(ToString::to_string).collect()
                    }
                    other => other.iter().map(ToString::to_string).collect(),
                }
            }
            (None, "promised_by") => {
                complaint.promised_by = when.or_else(|| text.and_then(|t| t.parse().ok()));
            }
            (None, "external_ref") => complaint.external_ref = text,
            (None, "regimes") => {
                complaint.regimes = match value {
                    Some(FieldValue::List(items)) => {
                        Some(items.iter().map(ToString::to_string).collect())
                    }
                    other => other.map(|v| vec![v.to_string()]),
                }
            }
            (Some("customer"), "name") => complaint.customer.name = text,
            (Some("customer"), "contact") => complaint.customer.contact = text,
            (Some("customer"), "email") => complaint.customer.email = text,
            (Some("resolution"), "fair_outcome") => r.fair_outcome = text,
            (Some("resolution"), "action") => r.action = text,
            (Some("resolution"), "extra_mile") => r.extra_mile = text,
            (Some("resolution"), "root_cause") => r.root_cause = text,
            (Some("resolution"), "avoidable") => r.avoidable = flag,
            (Some("resolution"), "satisfied") => r.satisfied = flag,
            (Some("resolution"), "upheld") => r.upheld = text,
            (Some("resolution"), "redress") => r.redress = text,
            (Some("fields"), name) => match value {
                Some(v) => {
                    complaint.fields.insert(name.to_string(), v);
                }
                None => {
                    complaint.fields.remove(name);
                }
            },
            _ => {}
        }
    }

    /// Reads a typed value for this key; an empty value means "remove the key".
    pub fn parse_value(
        &self,
        input: &str,
        now: &Timestamp,
        calendar: &Calendar,
    ) -> Result<Option<FieldValue>> {
        let s = input.trim();
        if s.is_empty() {
            if self.table.is_none() && self.name == "title" {
                return Err(Error::usage("a complaint always has a title"));
            }
            return Ok(None);
        }
        let value = match self.kind {
            ValueKind::Text => FieldValue::Text(s.to_string()),
            ValueKind::Severity => {
                let severity = Severity::from_user(s)?;
                FieldValue::Text(severity.as_str().to_string())
            }
            ValueKind::Tags => {
                FieldValue::List(split_list(s).into_iter().map(FieldValue::Text).collect())
            }
            ValueKind::When => {
                FieldValue::When(parse_user_when(s, now, calendar, Direction::Ahead)?)
            }
            ValueKind::Bool => FieldValue::Bool(parse_bool(s).ok_or_else(|| {
                Error::usage_hint(
                    format!("{self} must be true or false, not `{s}`"),
                    "yes/no and y/n are accepted too",
                )
            })?),
            ValueKind::Regimes => FieldValue::List(
                parse_regimes(s)
                    .map_err(|e| {
                        Error::usage_hint(e, "`regimes=none` runs a complaint under none")
                    })?
                    .into_iter()
                    .map(|r| FieldValue::Text(r.as_str().to_string()))
                    .collect(),
            ),
            ValueKind::Upheld => match s.to_ascii_lowercase().as_str() {
                word @ ("yes" | "no" | "partial") => FieldValue::Text(word.to_string()),
                _ => {
                    return Err(Error::usage_hint(
                        format!("{self} must be yes, no or partial, not `{s}`"),
                        "partial: upheld in part",
                    ));
                }
            },
            ValueKind::Money => {
                Money::parse(s).map_err(|e| {
                    Error::usage_hint(
                        format!("{self}: {e}"),
                        "write an amount with its currency: `GBP 120.00`, `£120`, `120.50 EUR`",
                    )
                })?;
                FieldValue::Text(s.to_string())
            }
            ValueKind::Any => infer_field_value(s),
        };
        Ok(Some(value))
    }
}

/// Every settable key of these complaints in canonical order: the header, customer and
/// resolution keys, then each custom field any of them has, by name.
pub(crate) fn keys_of<'a>(complaints: impl IntoIterator<Item = &'a Complaint>) -> Vec<KeyPath> {
    let fields: std::collections::BTreeSet<&String> = complaints
        .into_iter()
        .flat_map(|c| c.fields.keys())
        .collect();
    keys_with_fields(fields)
}

/// Every settable key in canonical order, with these custom fields (sorted, once each).
pub(crate) fn keys_with_fields(fields: std::collections::BTreeSet<&String>) -> Vec<KeyPath> {
    let header = HEADER.iter().map(|(name, kind)| KeyPath {
        table: None,
        name: (*name).to_string(),
        kind: *kind,
    });
    let customer = CUSTOMER.iter().map(|name| KeyPath {
        table: Some("customer"),
        name: (*name).to_string(),
        kind: ValueKind::Text,
    });
    let resolution = RESOLUTION.iter().map(|(name, kind)| KeyPath {
        table: Some("resolution"),
        name: (*name).to_string(),
        kind: *kind,
    });
    header
        .chain(customer)
        .chain(resolution)
        .chain(fields.into_iter().map(|name| KeyPath {
            table: Some("fields"),
            name: name.clone(),
            kind: ValueKind::Any,
        }))
        .collect()
}

/// Whether the key is set to something (an empty string or list counts as unset).
pub(crate) fn is_set(complaint: &Complaint, key: &str) -> bool {
    KeyPath::parse(key)
        .ok()
        .and_then(|k| k.get(complaint))
        .is_some_and(|v| match v {
            FieldValue::Text(s) => !s.trim().is_empty(),
            FieldValue::List(items) => !items.is_empty(),
            _ => true,
        })
}

fn is_bare_key(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Splits `a, b,c` into trimmed, non-empty items without repeats.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        if !items.iter().any(|i| i == item) {
            items.push(item.to_string());
        }
    }
    items
}

pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" => Some(true),
        "false" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// A custom field's value: a bool, integer, float or date when the text is exactly that value
/// written canonically (so `01234` stays text), else the text as given. A value in double quotes
/// is always text.
pub fn infer_field_value(s: &str) -> FieldValue {
    if let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return FieldValue::Text(inner.to_string());
    }
    match s {
        "true" => return FieldValue::Bool(true),
        "false" => return FieldValue::Bool(false),
        _ => {}
    }
    if let Ok(i) = s.parse::<i64>()
        && i.to_string() == s
    {
        return FieldValue::Integer(i);
    }
    if let Ok(f) = s.parse::<f64>()
        && f.is_finite()
        && f.to_string() == s
    {
        return FieldValue::Float(f);
    }
    if s.len() >= 10
        && s.as_bytes()[0].is_ascii_digit()
        && let Ok(w) = s.parse::<When>()
        && w.to_string() == s
    {
        return FieldValue::When(w);
    }
    FieldValue::Text(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_values_are_typed_only_when_they_read_back_the_same() {
        assert_eq!(infer_field_value("42"), FieldValue::Integer(42));
        assert_eq!(infer_field_value("01234"), FieldValue::Text("01234".into()));
        assert_eq!(infer_field_value("2.5"), FieldValue::Float(2.5));
        assert_eq!(infer_field_value("true"), FieldValue::Bool(true));
        assert!(matches!(
            infer_field_value("2026-11-23"),
            FieldValue::When(_)
        ));
        assert_eq!(infer_field_value("\"42\""), FieldValue::Text("42".into()));
        assert_eq!(
            infer_field_value("Kansai"),
            FieldValue::Text("Kansai".into())
        );
    }

    #[test]
    fn apply_is_the_inverse_of_get_for_every_key() {
        let text: Complaint = toml::from_str(
            "id = \"k7m2qd4xw9a3hf5t\"\ntitle = \"t\"\nopened = 2026-11-23\nstage = \"new\"\n",
        )
        .unwrap();
        let mut c = text.clone();
        let now: Timestamp = "2026-11-23T09:00:00+09:00".parse().unwrap();
        let calendar = crate::model::config::Config::default()
            .calendar(crate::time::when::Zone::Fixed(*now.offset()));
        let values = [
            ("title", "Charged twice"),
            ("severity", "high"),
            ("channel", "phone"),
            ("category", "billing"),
            ("component", "checkout"),
            ("assignee", "mark"),
            ("tags", "a, b"),
            ("promised_by", "2026-11-26"),
            ("external_ref", "ZD-1"),
            ("customer.name", "Acme"),
            ("customer.contact", "ops@acme.example"),
            ("resolution.fair_outcome", "refund"),
            ("resolution.action", "refunded"),
            ("resolution.extra_mile", "voucher"),
            ("resolution.root_cause", "retry bug"),
            ("resolution.avoidable", "true"),
            ("resolution.satisfied", "false"),
            ("fields.region", "Kansai"),
        ];
        for (key, input) in values {
            let key = KeyPath::parse(key).unwrap();
            let value = key.parse_value(input, &now, &calendar).unwrap();
            key.apply(&mut c, value.clone());
            assert_eq!(key.get(&c), value, "{key}");
        }
        for (key, _) in values.iter().skip(1) {
            let key = KeyPath::parse(key).unwrap();
            key.apply(&mut c, None);
            assert_eq!(key.get(&c), None, "{key}");
        }
        assert_eq!(
            c,
            Complaint {
                title: "Charged twice".into(),
                ..text
            }
        );
    }

    #[test]
    fn keys_outside_the_schema_are_refused_with_the_list() {
        assert!(KeyPath::parse("fields.region").is_ok());
        assert!(KeyPath::parse("resolution.satisfied").is_ok());
        for bad in ["stage", "id", "resolution.bogus", "fields.a b", "owner"] {
            assert!(KeyPath::parse(bad).is_err(), "{bad}");
        }
    }
}
