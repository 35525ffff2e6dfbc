//! Reading gripe's own export for import: `gripe export --format jsonl` (one record per line)
//! or `--format json` (the `gripe.export/1` envelope). Each record is a whole complaint in the
//! [`crate::store::exchange`] form and keeps its id, so an export imported into an empty folder gives
//! the same complaints. A record whose id is not a complaint id, whose stage is not in the
//! workflow, or whose values the team's vocabulary refuses is a row error; rows are numbered by
//! line for JSONL and by position in the `complaints` array for JSON.

use serde_json::Value;

use super::Incoming;
use super::Keys;
use super::Row;
use super::RowError;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::config::Vocabulary;
use crate::model::id;
use crate::model::keys::KeyPath;
use crate::model::stage::Workflow;
use crate::store::exchange;

/// The records of a JSONL export.
pub(crate) fn read_lines(
    text: &str,
    workflow: &Workflow,
    vocabulary: &Vocabulary,
) -> Vec<Result<Incoming, RowError>> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let row = Row::new(index + 1);
            let value: Value = serde_json::from_str(line)
                .map_err(|e| RowError::new(row, format!("not JSON: {e}")))?;
            incoming(row, value, workflow, vocabulary)
        })
        .collect()
}

/// The records of a JSON export; the error is for a document that is not one.
pub(crate) fn read_document(
    text: &str,
    workflow: &Workflow,
    vocabulary: &Vocabulary,
) -> Result<Vec<Result<Incoming, RowError>>> {
    let not_an_export = |why: String| {
        Error::usage_hint(
            format!("the file is not a gripe export: {why}"),
            format!(
                "a JSON import reads what `gripe export --format json` writes ({}); for one complaint per line use --format jsonl",
                exchange::SCHEMA
            ),
        )
    };
    let mut document: Value =
        serde_json::from_str(text).map_err(|e| not_an_export(e.to_string()))?;
    match document.get("schema").and_then(Value::as_str) {
        Some(exchange::SCHEMA) => {}
        Some(other) => return Err(not_an_export(format!("its schema is `{other}`"))),
        None => return Err(not_an_export("it has no `schema`".into())),
    }
    let Some(Value::Array(records)) = document.get_mut("complaints").map(Value::take) else {
        return Err(not_an_export("it has no `complaints` array".into()));
    };
    Ok(records
        .into_iter()
        .enumerate()
        .map(|(index, value)| incoming(Row::new(index + 1), value, workflow, vocabulary))
        .collect())
}

fn incoming(
    row: Row,
    value: Value,
    workflow: &Workflow,
    vocabulary: &Vocabulary,
) -> Result<Incoming, RowError> {
    let fail = |message: String| RowError::new(row, message);
    let complaint: Complaint = exchange::from_json(value).map_err(fail)?;
    if !id::is_canonical(&complaint.id) || complaint.id.len() < id::MIN_PREFIX {
        return Err(fail(format!("`{}` is not a complaint id", complaint.id)));
    }
    if workflow.index(&complaint.stage).is_none() {
        return Err(fail(format!(
            "stage `{}` is not in the workflow ({})",
            complaint.stage,
            workflow.stages.join(", ")
        )));
    }
    for key in ["channel", "category", "component"] {
        let key = KeyPath::parse(key).expect("a header key");
        vocabulary
            .check_key(&key, key.get(&complaint).as_ref())
            .map_err(|e| fail(e.to_string()))?;
    }
    Ok(Incoming {
        row,
        complaint,
        keys: Keys::All,
        notes: Vec::new(),
    })
}
