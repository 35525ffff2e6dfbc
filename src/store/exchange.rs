//! The exchange form of a complaint: the JSON record `gripe export --format json|jsonl` writes
//! and `gripe import` reads back, so that an export imported into an empty folder gives the same
//! complaints, ids, events and follow-ups included.
//!
//! A record is the complaint as `gripe list --format json` shows it (every key of the file,
//! `followup` and `event` arrays), without the short id, path and status, and with one
//! difference: a custom field, or the old or new value of an event, that is a date or a time is
//! written as `{"datetime": "2026-11-26"}`. Plain JSON has no dates, and text that merely looks
//! like a date must come back as text. Keys gripe does not know are not exported.

use serde_json::Map;
use serde_json::Value;

use crate::model::complaint::Complaint;
use crate::model::complaint::DATETIME;
use crate::model::complaint::DatesTagged;
use crate::model::complaint::FieldValue;

/// The schema of `gripe export --format json`.
pub(crate) const SCHEMA: &str = "gripe.export/1";

/// The record of one complaint, serialized straight to its writer (no JSON tree in between):
/// the complaint as it serializes, with its dates in custom fields and event values tagged.
pub(crate) fn record(complaint: &Complaint) -> DatesTagged<'_, Complaint> {
    DatesTagged(complaint)
}

/// The record of one complaint as a JSON value.
#[cfg(test)]
fn to_json(complaint: &Complaint) -> Value {
    serde_json::to_value(record(complaint)).expect("complaints serialize")
}

/// The complaint a record describes; the error says what is wrong with it.
pub(crate) fn from_json(mut record: Value) -> Result<Complaint, String> {
    let object = record
        .as_object_mut()
        .ok_or("a complaint record is a JSON object")?;
    let fields = match object.remove("fields") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(fields)) => fields,
        Some(_) => return Err("`fields` must be an object".into()),
    };
    // Event values are taken out before serde reads the rest, as serde would read a tagged
    // date as an object and a date-like text as a date.
    let mut event_values = Vec::new();
    if let Some(events) = object.get_mut("event").and_then(Value::as_array_mut) {
        for event in events.iter_mut().filter_map(Value::as_object_mut) {
            let mut take = |key: &str| event.remove(key).filter(|v| !v.is_null());
            event_values.push((take("from"), take("to")));
        }
    }
    let mut complaint: Complaint = serde_json::from_value(record).map_err(|e| e.to_string())?;
    for (name, value) in fields {
        let value = decode(&value).map_err(|e| format!("fields.{name}: {e}"))?;
        complaint.fields.insert(name, value);
    }
    for (event, (from, to)) in complaint.events.iter_mut().zip(event_values) {
        event.from = from.as_ref().map(decode).transpose()?;
        event.to = to.as_ref().map(decode).transpose()?;
    }
    Ok(complaint)
}

fn decode(value: &Value) -> Result<FieldValue, String> {
    Ok(match value {
        Value::Bool(b) => FieldValue::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => FieldValue::Integer(i),
            None => FieldValue::Float(n.as_f64().ok_or_else(|| format!("{n} is too large"))?),
        },
        Value::String(s) => FieldValue::Text(s.clone()),
        Value::Array(items) => {
            FieldValue::List(items.iter().map(decode).collect::<Result<_, _>>()?)
        }
        Value::Object(map) => match (map.len(), map.get(DATETIME).and_then(Value::as_str)) {
            (1, Some(text)) => FieldValue::When(text.parse()?),
            _ => {
                return Err(format!(
                    "{value} is not a value (a date is {{\"{DATETIME}\": \"2026-11-26\"}})"
                ));
            }
        },
        Value::Null => return Err("null is not a value (leave the key out)".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::document::read_complaint;

    #[test]
    fn dates_and_date_like_text_come_back_as_they_were() {
        let complaint = read_complaint(
            std::path::Path::new("c.toml"),
            r#"id = "k7m2qd4xw9a3hf5t"
title = "Charged twice"
opened = 2026-11-23T09:14:02+09:00
stage = "new"

[fields]
due = 2026-11-26
looks_like_a_date = "2026-11-26"
count = 3
ratio = 2.5
flags = [true, "x", 2026-11-27T10:00:00]

[[event]]
at = 2026-11-23T09:20:00+09:00
kind = "set"
key = "promised_by"
to = 2026-11-26
"#,
        )
        .unwrap();
        let record = to_json(&complaint);
        assert_eq!(
            record["fields"]["due"],
            serde_json::json!({"datetime": "2026-11-26"})
        );
        assert_eq!(record["fields"]["looks_like_a_date"], "2026-11-26");
        assert_eq!(
            record["event"][0]["to"],
            serde_json::json!({"datetime": "2026-11-26"})
        );
        let line = serde_json::to_string(&record).unwrap();
        let back = from_json(serde_json::from_str(&line).unwrap()).unwrap();
        assert_eq!(back, complaint);
    }

    #[test]
    fn records_that_are_not_complaints_say_why() {
        assert!(from_json(serde_json::json!([1])).is_err());
        let err =
            from_json(serde_json::json!({"id": "k7m2", "title": "t", "stage": "new"})).unwrap_err();
        assert!(err.contains("opened"), "{err}");
        let err = from_json(serde_json::json!({
            "id": "k7m2", "title": "t", "opened": "2026-11-23", "stage": "new",
            "fields": {"a": {"when": "x"}}
        }))
        .unwrap_err();
        assert!(err.starts_with("fields.a: "), "{err}");
    }
}
