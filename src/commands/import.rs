//! `gripe import`: bring complaints in from a CSV file of another system (through a preset or
//! a `--map`), or from a gripe export (JSON lines or JSON), idempotently.
//!
//! The file is read, the form of each date column decided, and every row checked first; then
//! the folder is scanned once and each row matched to what is there ([`crate::import::plan`]).
//! Rows that cannot be imported are reported one line each with their row number (and written
//! to `--rejects FILE` as they were, with a reason); without `--strict` the good rows are
//! written and the command exits 7, with `--strict` nothing is written and it exits 4.
//! `--dry-run` prints the plan and writes nothing. New
//! complaints are written together with one flush of the disk ([`crate::store::Store::create_all`]);
//! updates go through [`crate::store::Store::edit`] as `set` events by the person importing,
//! each saying which file and row it came from.

use std::collections::HashSet;
use std::io::Write;
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;

use super::emit;
use super::gather;
use super::mail;
use super::say;
use super::set;
use crate::cli::ImportArgs;
use crate::cli::ImportFormat;
use crate::cli::Preset;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::import;
use crate::import::Incoming;
use crate::import::MatchBy;
use crate::import::Plan;
use crate::import::RowError;
use crate::import::Update;
use crate::import::csv_rows;
use crate::import::mapping;
use crate::import::mapping::Mapping;
use crate::import::mapping::RowContext;
use crate::import::records;
use crate::model::complaint::Complaint;
use crate::model::complaint::FieldValue;
use crate::model::complaint::Stamp;
use crate::model::privacy::Tally;
use crate::model::privacy::redact_complaint;
use crate::output::printable;
use crate::output::progress::Progress;
use crate::store::Depth;
use crate::store::Replace;
use crate::store::document::ComplaintDoc;
use crate::store::write_atomic;
use crate::time::when::Zone;

/// What a file's rows become: a complaint each, or why not.
type Rows = Vec<std::result::Result<Incoming, RowError>>;

/// How many notes on adjusted rows are printed; the rest are counted.
const MAX_NOTES: usize = 10;

pub(crate) fn run(args: &ImportArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let format = match args.format {
        Some(format) => format,
        None => format_of(&args.file)?,
    };
    let mailbox = matches!(format, ImportFormat::Mbox | ImportFormat::Maildir);
    if !mailbox && (args.mail.attachments.is_some() || args.mail.thread_by_subject) {
        return Err(Error::usage_hint(
            "--attachments and --thread-by-subject are for email",
            "import a mailbox with --format mbox or --format maildir",
        ));
    }
    let read = || {
        std::fs::read(&args.file).map_err(|source| Error::Read {
            path: args.file.clone(),
            source,
        })
    };
    let (mut rows, by, spans, bytes) = match format {
        ImportFormat::Mbox | ImportFormat::Maildir => return mail_import(args, format, ctx),
        ImportFormat::Csv => {
            let bytes = read()?;
            let (rows, spans) = csv_incoming(args, &bytes, ctx)?;
            (rows, MatchBy::ExternalRef, spans, bytes)
        }
        ImportFormat::Json | ImportFormat::Jsonl => {
            let bytes = read()?;
            if args.rejects.is_some() {
                return Err(Error::usage_hint(
                    "--rejects is for CSV files",
                    "a JSON import names each record it cannot import, by line",
                ));
            }
            (
                json_incoming(args, format, &bytes, ctx)?,
                MatchBy::Id,
                Vec::new(),
                bytes,
            )
        }
    };
    if args.redact {
        let detector = &store.config.privacy.detector;
        let mut tally = Tally::default();
        for incoming in rows.iter_mut().flatten() {
            for (kind, n) in redact_complaint(&mut incoming.complaint, detector, false).0 {
                tally.add(&kind, n);
            }
        }
        if !tally.0.is_empty() {
            say(&format!(
                "gripe: --redact: redacted {tally} in the incoming texts"
            ));
        }
    }
    // Only complaints an incoming row could match are kept: memory follows the file, not the
    // folder.
    let incoming = rows.iter().filter_map(|r| r.as_ref().ok());
    let refs: HashSet<String> = incoming
        .clone()
        .filter_map(|i| i.complaint.external_ref.clone())
        .collect();
    let ids: HashSet<String> = incoming.map(|i| i.complaint.id.clone()).collect();
    let (existing, bad_files) = gather(
        store,
        Depth::Full,
        Vec::new,
        |kept, loaded| {
            let c = &loaded.complaint;
            if ids.contains(&c.id) || c.external_ref.as_ref().is_some_and(|r| refs.contains(r)) {
                kept.push(loaded);
            }
        },
        |mut a, b| {
            a.extend(b);
            a
        },
    );
    if bad_files > 0 {
        say(
            "gripe: nothing was imported: a file gripe cannot read may hold a complaint the import would duplicate",
        );
        return Err(Error::BadFiles { count: bad_files });
    }
    let plan = import::plan(rows, &existing, by, &store.config.workflow);
    drop(existing);
    for error in &plan.errors {
        say(&format!("gripe: error: {error}"));
    }
    let notes: Vec<&String> = plan.create.iter().flat_map(|i| &i.notes).collect();
    for note in notes.iter().take(MAX_NOTES) {
        say(&format!("gripe: note: {note}"));
    }
    if notes.len() > MAX_NOTES {
        say(&format!(
            "gripe: note: and {} more like these (each event's text says so)",
            notes.len() - MAX_NOTES
        ));
    }
    let bad = plan.errors.len();
    let refused = Error::BadRows {
        count: bad,
        written: false,
    };
    if args.strict && bad > 0 {
        if let Some(path) = &args.rejects {
            write_rejects(path, &bytes, &spans, &plan.errors)?;
        }
        return Err(refused);
    }
    if args.dry_run {
        emit(out, &describe(&plan))?;
        say(&format!(
            "dry run, nothing written: {} to create, {} to update, {} unchanged",
            plan.create.len(),
            plan.update.len(),
            plan.unchanged
        ));
        return if bad > 0 { Err(refused) } else { Ok(()) };
    }
    if let Some(path) = &args.rejects {
        write_rejects(path, &bytes, &spans, &plan.errors)?;
    }
    let Plan {
        create,
        update,
        unchanged,
        repaired,
        ..
    } = plan;
    let progress = Progress::new((create.len() + update.len()) as u64, "writing");
    let new: Vec<Complaint> = create.into_iter().map(|i| i.complaint).collect();
    store.create_all(&new, &ctx.calendar()?.zone, || progress.step())?;
    let stamp = ctx.stamp(args.by.as_deref())?;
    let source = args.file.file_name().unwrap_or_default().to_string_lossy();
    for u in &update {
        let why = format!("imported from {source}, {}", u.row);
        store.edit(&u.path, |doc, c| {
            apply(doc, c, u, &stamp, &why);
            Ok(())
        })?;
        progress.step();
    }
    progress.finish();
    let skipped = match (&args.rejects, bad) {
        (_, 0) => "0 skipped".to_string(),
        (Some(path), _) => format!("{bad} skipped (see {})", path.display()),
        (None, _) => format!("{bad} skipped (named above)"),
    };
    say(&format!(
        "imported {}: {} imported ({} created, {} updated, {unchanged} unchanged), {repaired} repaired, {skipped}",
        args.file.display(),
        new.len() + update.len() + unchanged,
        new.len(),
        update.len()
    ));
    match bad {
        0 => Ok(()),
        count => Err(Error::BadRows {
            count,
            written: true,
        }),
    }
}

/// The format a file's extension names.
fn format_of(path: &Path) -> Result<ImportFormat> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv") => Ok(ImportFormat::Csv),
        Some("json") => Ok(ImportFormat::Json),
        Some("jsonl" | "ndjson") => Ok(ImportFormat::Jsonl),
        Some("mbox" | "mbx") => Ok(ImportFormat::Mbox),
        _ if path.join("cur").is_dir() || path.join("new").is_dir() => Ok(ImportFormat::Maildir),
        _ => Err(Error::usage_hint(
            format!("cannot tell the format of {} from its name", path.display()),
            "say it with --format csv, json, jsonl, mbox or maildir",
        )),
    }
}

/// `--format mbox` and `--format maildir`: the messages of a mailbox, taken in by
/// [`mail::import`].
fn mail_import(args: &ImportArgs, format: ImportFormat, ctx: &Ctx) -> Result<()> {
    if args.preset.is_some() || !args.map.is_empty() || args.strict {
        return Err(Error::usage_hint(
            "--preset, --map and --strict are for CSV and JSON files",
            "a mailbox needs none of them: gripe import --format mbox FILE",
        ));
    }
    let raws = match format {
        ImportFormat::Mbox => mail::mbox(&args.file, &ctx.now)?,
        _ => mail::maildir(&args.file, &ctx.now)?,
    };
    let options = mail::Options {
        thread_by_subject: args.mail.thread_by_subject,
        attachments: args.mail.attachments.as_deref(),
        defaults: mail::Defaults::default(),
        dry_run: args.dry_run,
        redact: args.redact,
    };
    mail::import(
        &args.file,
        raws,
        &options,
        args.rejects.as_deref(),
        args.by.as_deref(),
        ctx,
    )
}

/// The complaints the rows of a CSV file describe, through the preset or `--map`.
fn csv_incoming(args: &ImportArgs, bytes: &[u8], ctx: &Ctx) -> Result<(Rows, Vec<Range<usize>>)> {
    let store = ctx.store()?;
    let mut calendar = ctx.calendar()?;
    if let Some(tz) = args.timezone {
        calendar.zone = Zone::Named(tz);
    }
    let table =
        csv_rows::read(bytes).map_err(|e| Error::usage(format!("{}: {e}", args.file.display())))?;
    let mut mapping = match args.preset {
        Some(Preset::Cfpb) => Mapping::preset(&mapping::CFPB, &table.headers)?,
        None if !args.map.is_empty() => Mapping::from_pairs(&args.map, &table.headers)?,
        None => {
            return Err(Error::usage_hint(
                "a CSV import needs --preset or --map",
                "--preset cfpb, or --map external_ref=COLUMN,title=COLUMN,... (see gripe import --help)",
            ));
        }
    };
    mapping.detect_dates(&table.rows, args.date_format.as_deref())?;
    let row_ctx = RowContext {
        workflow: &store.config.workflow,
        vocabulary: &store.config.vocabulary,
        calendar: &calendar,
        now: &ctx.now,
        strict: args.strict,
    };
    let rows = table
        .rows
        .into_par_iter()
        .map(|row| {
            let (row, cells) = row?;
            mapping.incoming(row, &cells, &row_ctx)
        })
        .collect();
    Ok((rows, table.spans))
}

/// Writes the rows that could not be imported to `path`: the header and each row as the file
/// had them, each with a `reason` cell added at its end.
fn write_rejects(
    path: &Path,
    bytes: &[u8],
    spans: &[Range<usize>],
    errors: &[RowError],
) -> Result<()> {
    let mut text = Vec::new();
    let mut line = |number: usize, reason: &str| {
        let Some(span) = spans.get(number - 1) else {
            return;
        };
        let row = &bytes[span.clone()];
        let row = row.strip_suffix(b"\n").unwrap_or(row);
        let row = row.strip_suffix(b"\r").unwrap_or(row);
        text.extend_from_slice(row);
        text.push(b',');
        let mut cell = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        cell.write_record([reason])
            .and_then(|()| cell.flush().map_err(Into::into))
            .expect("writing to memory does not fail");
        text.extend_from_slice(&cell.into_inner().expect("written to memory"));
    };
    line(1, "reason");
    for error in errors {
        line(error.row.number, &error.message);
    }
    write_atomic(path, &text, Replace::Always)
}

/// The complaints of a gripe export.
fn json_incoming(args: &ImportArgs, format: ImportFormat, bytes: &[u8], ctx: &Ctx) -> Result<Rows> {
    if args.preset.is_some() || !args.map.is_empty() {
        return Err(Error::usage_hint(
            "--preset and --map are for CSV files",
            "a JSON import reads what `gripe export` writes, as it is",
        ));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::usage(format!("{} is not UTF-8 text", args.file.display())))?;
    let config = &ctx.store()?.config;
    let (workflow, vocabulary) = (&config.workflow, &config.vocabulary);
    Ok(match format {
        ImportFormat::Jsonl => records::read_lines(text, workflow, vocabulary),
        _ => records::read_document(text, workflow, vocabulary)?,
    })
}

/// Makes an update's changes in the open file of `current`; `why` is the text of each event.
fn apply(doc: &mut ComplaintDoc, current: &Complaint, update: &Update, stamp: &Stamp, why: &str) {
    // Stage moves first: they are dated from the row (in the past), the `set` events now, so
    // the history stays in time order.
    let mut stage = current.stage.as_str();
    for event in &update.moves {
        // A stage the file left meanwhile is not moved from.
        if event.from.as_ref().and_then(FieldValue::as_text) != Some(stage) {
            break;
        }
        let Some(to) = event.to_stage() else { break };
        doc.set_stage(to);
        doc.push_event(event);
        stage = to;
    }
    for (key, value) in &update.changes {
        set::record(
            doc,
            current,
            key,
            value.clone(),
            stamp,
            Some(why.to_string()),
        );
    }
}

/// The plan, one line per complaint to create or update, for `--dry-run`.
fn describe(plan: &Plan) -> String {
    let mut text = String::new();
    for incoming in &plan.create {
        let c = &incoming.complaint;
        text.push_str(&printable(&format!(
            "create  {}  {}  {}  {}\n",
            c.external_ref.as_deref().unwrap_or(&c.id),
            c.opened,
            c.stage,
            c.title
        )));
    }
    for update in &plan.update {
        let mut what: Vec<String> = Vec::new();
        if !update.changes.is_empty() {
            let keys: Vec<String> = update.changes.iter().map(|(k, _)| k.to_string()).collect();
            what.push(format!("set {}", keys.join(", ")));
        }
        if let Some(stage) = update.moves.last().and_then(|e| e.to_stage()) {
            what.push(format!("stage {stage}"));
        }
        text.push_str(&printable(&format!(
            "update  {}  {}  {}\n",
            update.label,
            update.path.display(),
            what.join("; ")
        )));
    }
    text
}
