//! `gripe export`: the selected complaints with every field, for other tools or as a backup.
//!
//! `jsonl` (the default) and `json` hold whole complaints, history included, in the
//! [`crate::store::exchange`] form that `gripe import` reads back exactly; `json` wraps them in the
//! `gripe.export/1` envelope. `csv` has one row per complaint in a stable column order: `id`,
//! `title`, `opened`, `opened_by`, `stage`, the other header keys in the order of the file,
//! `customer.*`, `resolution.*`, one `fields.KEY` column per custom field any exported complaint
//! has (sorted by name), then `events`, `followups`, `followups_open` (counts) and
//! `last_event` (when the latest event happened). Complaints come oldest first.

use std::io::Write;

use super::emit;
use super::emit_json;
use super::select;
use crate::cli::ExportArgs;
use crate::cli::ExportFormat;
use crate::commands::context::Ctx;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::keys::keys_of;
use crate::output::Rows;
use crate::output::csv;
use crate::output::json;
use crate::store::exchange;

/// The body of `gripe.export/1`.
#[derive(serde::Serialize)]
struct Records {
    count: usize,
    complaints: Vec<serde_json::Value>,
}

pub(crate) fn run(args: &ExportArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let zone = ctx.calendar()?.zone;
    let selection = select(ctx, &args.filter.to_input(), |loaded| {
        Some(loaded.complaint)
    })?;
    let mut complaints: Vec<&Complaint> = selection.items.iter().collect();
    complaints
        .sort_by(|a, b| (a.opened.instant(&zone), &a.id).cmp(&(b.opened.instant(&zone), &b.id)));
    let text = match args.format {
        ExportFormat::Jsonl => json::lines(complaints.iter().map(|c| exchange::to_json(c))),
        ExportFormat::Json => {
            let body = Records {
                count: complaints.len(),
                complaints: complaints.iter().map(|c| exchange::to_json(c)).collect(),
            };
            return emit_json(out, exchange::SCHEMA, &body).and_then(|()| selection.finish());
        }
        ExportFormat::Csv => csv::render(&rows(&complaints)),
    };
    emit(out, &text)?;
    selection.finish()
}

/// One row per complaint, every field a column (see the module doc for the order).
fn rows(complaints: &[&Complaint]) -> Rows {
    let keys = keys_of(complaints.iter().copied());
    let (title, rest) = keys.split_first().expect("title is the first key");
    let key_names: Vec<String> = rest.iter().map(ToString::to_string).collect();
    let mut headers = vec!["id", "title", "opened", "opened_by", "stage"];
    headers.extend(key_names.iter().map(String::as_str));
    headers.extend(["events", "followups", "followups_open", "last_event"]);
    let mut rows = Rows::new(&headers);
    for c in complaints {
        let value = |key: &crate::model::keys::KeyPath| {
            key.get(c).map(|v| v.to_string()).unwrap_or_default()
        };
        let mut row = vec![
            c.id.clone(),
            value(title),
            c.opened.to_string(),
            c.opened_by.clone().unwrap_or_default(),
            c.stage.clone(),
        ];
        row.extend(rest.iter().map(value));
        row.extend([
            c.events.len().to_string(),
            c.followups.len().to_string(),
            c.followups
                .iter()
                .filter(|f| f.done.is_none())
                .count()
                .to_string(),
            c.events
                .last()
                .map(|e| e.at.to_string())
                .unwrap_or_default(),
        ]);
        rows.push(row);
    }
    rows
}
