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

use std::collections::BTreeSet;
use std::path::Path;

use super::in_order;
use super::select;
use super::stream_json;
use crate::cli::ExportArgs;
use crate::cli::ExportFormat;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::keys::KeyPath;
use crate::model::keys::keys_with_fields;
use crate::output::csv;
use crate::output::json;
use crate::store::exchange;

pub(crate) fn run(args: &ExportArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let zone = ctx.calendar()?.zone;
    // Only what sorting needs, and for CSV the custom fields' names of its header, are kept; each
    // complaint is read again when its turn to be written comes.
    let csv_header = args.format == ExportFormat::Csv;
    let mut selection = select(ctx, &args.filter.to_input(), |loaded| {
        let c = &loaded.complaint;
        let fields: Box<[String]> = match csv_header {
            true => c.fields.keys().cloned().collect(),
            false => Box::default(),
        };
        // Boxed: no spare capacity kept for each of many complaints.
        let id = Box::<str>::from(c.id.as_str());
        Some((
            (c.opened.instant(&zone), id),
            loaded.path.into_boxed_path(),
            fields,
        ))
    })?;
    selection.items.sort_by(|a, b| a.0.cmp(&b.0));
    let paths: Vec<&Path> = selection.items.iter().map(|(_, p, _)| p.as_ref()).collect();
    match args.format {
        ExportFormat::Jsonl | ExportFormat::Json => {
            let shape = match args.format {
                ExportFormat::Json => json::Shape::Document {
                    schema: exchange::SCHEMA,
                },
                _ => json::Shape::Lines,
            };
            stream_json(
                out,
                shape,
                store,
                &paths,
                &selection.unreadable_now,
                |loaded, shape| shape.encode(&exchange::to_json(&loaded.complaint)),
            )?;
        }
        ExportFormat::Csv => {
            let fields: BTreeSet<&String> =
                selection.items.iter().flat_map(|(_, _, f)| f).collect();
            let keys = keys_with_fields(fields);
            let mut csv = csv::Stream::new(out);
            csv.row(&headers(&keys)).map_err(Error::Output)?;
            in_order(
                store,
                &paths,
                &selection.unreadable_now,
                |loaded, _| row(&loaded.complaint, &keys),
                |row| csv.row(&row),
            )
            .map_err(Error::Output)?;
            csv.finish().map_err(Error::Output)?;
        }
    }
    selection.finish()
}

/// The CSV header for `keys` (title first).
fn headers(keys: &[KeyPath]) -> Vec<String> {
    let mut headers: Vec<String> = ["id", "title", "opened", "opened_by", "stage"]
        .map(String::from)
        .into();
    headers.extend(keys[1..].iter().map(ToString::to_string));
    headers.extend(["events", "followups", "followups_open", "last_event"].map(String::from));
    headers
}

/// A complaint's CSV row under `keys` (see the module doc for the order).
fn row(c: &Complaint, keys: &[KeyPath]) -> Vec<String> {
    let (title, rest) = keys.split_first().expect("title is the first key");
    let value = |key: &KeyPath| key.get(c).map(|v| v.to_string()).unwrap_or_default();
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
    row
}
