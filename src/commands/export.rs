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

use super::spool;
use super::write_json;
use crate::cli::ExportArgs;
use crate::cli::ExportFormat;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::keys::KeyPath;
use crate::model::keys::keys_with_fields;
use crate::model::privacy::redact_complaint;
use crate::output::csv;
use crate::output::json;
use crate::store::exchange;
use crate::time::when::Timestamp;

/// What `export` keeps of each complaint beside its piece of output: its place (oldest first)
/// and, for CSV, the names of its custom fields (the header has a column for each name any
/// exported complaint has).
struct Key {
    opened: Timestamp,
    id: Box<str>,
    fields: Box<[String]>,
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.id
    }
}

pub(crate) fn run(args: &ExportArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let zone = ctx.calendar()?.zone;
    let shape = match args.format {
        ExportFormat::Json => json::Shape::Document {
            schema: exchange::SCHEMA,
        },
        _ => json::Shape::Lines,
    };
    // Each complaint's piece is made as it is read; for CSV, its row under its own custom
    // fields, put under the header's columns when it is written.
    let detector = &ctx.store()?.config.privacy.detector;
    let mut spooled = spool(ctx, &args.filter.to_input(), |mut loaded, piece| {
        if args.anonymised {
            redact_complaint(&mut loaded.complaint, detector, true);
        }
        let c = &loaded.complaint;
        let fields: Box<[String]> = match args.format {
            ExportFormat::Csv => {
                let fields: BTreeSet<&String> = c.fields.keys().collect();
                let row = row(c, &keys_with_fields(fields.clone()));
                serde_json::to_writer(&mut *piece, &row).expect("strings serialize");
                fields.into_iter().cloned().collect()
            }
            _ => {
                shape.encode_into(&exchange::record(c), piece);
                Box::default()
            }
        };
        Some(Key {
            opened: c.opened.instant(&zone),
            id: c.id.as_str().into(),
            fields,
        })
    })?;
    let pieces = &mut spooled.pieces;
    pieces.sort_by(|a, b| (&a.opened, &a.id).cmp(&(&b.opened, &b.id)));
    match args.format {
        ExportFormat::Jsonl | ExportFormat::Json => write_json(out, shape, pieces, None)?,
        ExportFormat::Csv => {
            let fields: BTreeSet<&String> = pieces.keys().flat_map(|key| &key.fields).collect();
            let keys = keys_with_fields(fields.clone());
            let mut csv = csv::Stream::new(out);
            csv.row(&headers(&keys)).map_err(Error::Output)?;
            // Before the custom fields: the fixed columns (id, opened, opened_by, stage and
            // the other keys); after them, the four counts.
            let fixed = headers(&keys_with_fields(BTreeSet::new())).len() - 4;
            let fields: Vec<&String> = fields.into_iter().collect();
            pieces
                .write_each(|key, piece| {
                    let own: Vec<String> = serde_json::from_slice(piece)?;
                    let (head, rest) = own.split_at(fixed);
                    let (values, tail) = rest.split_at(key.fields.len());
                    let mut row = head.to_vec();
                    row.extend(
                        fields
                            .iter()
                            .map(|name| match key.fields.binary_search(name) {
                                Ok(at) => values[at].clone(),
                                Err(_) => String::new(),
                            }),
                    );
                    row.extend_from_slice(tail);
                    csv.row(&row)
                })
                .map_err(Error::Output)?;
            csv.finish().map_err(Error::Output)?;
        }
    }
    spooled.finish()
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
