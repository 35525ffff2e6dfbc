//! `gripe followup`: schedule a follow-up (`--in 3bd` or `--on DATE`), mark one done, or list a
//! complaint's follow-ups. Every change is an event.

use std::io::Write;

use super::emit;
use super::emit_json;
use super::message_arg;
use super::text_arg;
use crate::analysis::status::FollowupState;
use crate::cli::FollowupAction;
use crate::cli::FollowupArgs;
use crate::cli::FollowupDoneArgs;
use crate::cli::FollowupListArgs;
use crate::commands::change::Change;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::FieldValue;
use crate::model::complaint::Followup;
use crate::model::complaint::Stamp;
use crate::model::id;
use crate::output::Format;
use crate::output::Rows;
use crate::output::csv;
use crate::output::json;
use crate::output::markdown;
use crate::output::table;
use crate::store::document::ComplaintDoc;
use crate::time::duration::Span;
use crate::time::when::Direction;
use crate::time::when::When;
use crate::time::when::parse_user_when;

pub(crate) fn run(args: &FollowupArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    match &args.action {
        Some(FollowupAction::Done(done_args)) => done(done_args, ctx),
        Some(FollowupAction::List(list_args)) => list(list_args, ctx, out),
        None => schedule_command(args, ctx),
    }
}

fn schedule_command(args: &FollowupArgs, ctx: &Ctx) -> Result<()> {
    let calendar = ctx.calendar()?;
    let id = args.id.as_deref().expect("clap requires the id");
    let note = text_arg(&args.text.text(), "follow-up text")?;
    let due = match (&args.within, &args.on) {
        (Some(span), _) => {
            span.parse::<Span>()
                .map_err(|e| Error::usage(format!("--in {e}")))?;
            parse_user_when(span, &ctx.now, &calendar, Direction::Ahead)?
        }
        (None, Some(date)) => {
            let due = parse_user_when(date, &ctx.now, &calendar, Direction::Ahead)?;
            if due.deadline(&calendar.zone) < ctx.now {
                return Err(Error::usage_hint(
                    format!("--on {date} is in the past"),
                    "a follow-up is something still to do; give a future date",
                ));
            }
            due
        }
        (None, None) => unreachable!("clap requires --in or --on"),
    };
    let change = Change::begin(ctx, id, &args.change)?;
    let fid = change.edit(|doc, c| schedule(doc, c, due, &note, &change.stamp))?;
    change.finish(
        &format!("follow-up {fid} due {due}"),
        &format!("follow-up {fid} on {}", change.short()),
    )
}

/// Adds a follow-up with a fresh id to the document and records it; returns the id.
pub(crate) fn schedule(
    doc: &mut ComplaintDoc,
    complaint: &Complaint,
    due: When,
    note: &str,
    stamp: &Stamp,
) -> Result<String> {
    let fid = loop {
        let fid = id::random(id::FOLLOWUP_ID_LEN)?;
        if !complaint.followups.iter().any(|f| f.id == fid) {
            break fid;
        }
    };
    doc.push_followup(&Followup {
        id: fid.clone(),
        due,
        note: Some(note.to_string()),
        done: None,
    });
    doc.push_event(&Event {
        followup: Some(fid.clone()),
        to: Some(FieldValue::When(due)),
        text: Some(note.to_string()),
        ..Event::new(EventKind::Followup, stamp)
    });
    Ok(fid)
}

fn done(args: &FollowupDoneArgs, ctx: &Ctx) -> Result<()> {
    ctx.store()?; // no folder is said before stdin is read
    let message = message_arg(args.message.as_deref())?;
    let change = Change::begin(ctx, &args.id, &args.change)?;
    let (resolved, stamp) = (&change.target, &change.stamp);
    let now = When::Zoned(stamp.at);
    let fid = change.edit(|doc, c| {
        let pending: Vec<&Followup> = c.followups.iter().filter(|f| f.done.is_none()).collect();
        let list = |fs: &[&Followup]| {
            fs.iter()
                .map(|f| format!("{} (due {})", f.id, f.due))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let target = match &args.fid {
            None => match pending.as_slice() {
                [one] => *one,
                [] => {
                    return Err(Error::usage_hint(
                        format!("{} has no open follow-up", resolved.short),
                        format!(
                            "schedule one with: gripe followup {} --in 3bd TEXT",
                            resolved.short
                        ),
                    ));
                }
                many => {
                    return Err(Error::usage_hint(
                        format!(
                            "{} has {} open follow-ups: {}",
                            resolved.short,
                            many.len(),
                            list(many)
                        ),
                        format!("name one: gripe followup done {} FID", resolved.short),
                    ));
                }
            },
            Some(prefix) => {
                let prefix = prefix.trim().to_lowercase();
                let matching: Vec<&Followup> = c
                    .followups
                    .iter()
                    .filter(|f| f.id.starts_with(&prefix))
                    .collect();
                match matching.as_slice() {
                    [] => {
                        return Err(Error::NoFollowup {
                            complaint: resolved.short.clone(),
                            prefix,
                        });
                    }
                    [one] if one.done.is_some() => {
                        return Err(Error::usage(format!(
                            "follow-up {} of {} was already done",
                            one.id, resolved.short
                        )));
                    }
                    [one] => *one,
                    many => {
                        return Err(Error::AmbiguousFollowup {
                            complaint: resolved.short.clone(),
                            prefix,
                            candidates: many.iter().map(|f| f.id.clone()).collect(),
                        });
                    }
                }
            }
        };
        doc.set_followup_done(&target.id, &now);
        doc.push_event(&Event {
            followup: Some(target.id.clone()),
            text: message,
            ..Event::new(EventKind::FollowupDone, stamp)
        });
        Ok(target.id.clone())
    })?;
    change.finish(
        &format!("follow-up {fid} done"),
        &format!("follow-up {fid} done on {}", change.short()),
    )
}

/// The body of `gripe.followups/1`.
#[derive(serde::Serialize)]
struct Followups<'a> {
    id: &'a str,
    followups: Vec<serde_json::Value>,
}

fn list(args: &FollowupListArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let zone = ctx.calendar()?.zone;
    let resolved = store.resolve(&args.id)?;
    let c = store.load(&resolved.path)?.complaint;
    let states: Vec<FollowupState> = c
        .followups
        .iter()
        .map(|f| FollowupState::of(f, &zone, &ctx.now))
        .collect();
    let mut rows = Rows::new(&["ID", "DUE", "STATE", "DONE", "NOTE"]);
    for (f, state) in c.followups.iter().zip(&states) {
        rows.push(vec![
            f.id.clone(),
            f.due.human(&zone),
            state.as_str().to_string(),
            f.done.map(|d| d.human(&zone)).unwrap_or_default(),
            f.note.clone().unwrap_or_default(),
        ]);
    }
    let text = match args.format {
        Format::Table => table::render(&rows, ctx.painter, &[]),
        Format::Csv => csv::render(&rows),
        Format::Markdown => markdown::render(&rows),
        Format::Json | Format::Jsonl => {
            let items: Vec<serde_json::Value> = c
                .followups
                .iter()
                .zip(&states)
                .map(|(f, state)| {
                    let mut v = json::value(f);
                    v["state"] = json::value(state);
                    v
                })
                .collect();
            if args.format == Format::Json {
                let body = Followups {
                    id: &c.id,
                    followups: items,
                };
                return emit_json(out, "gripe.followups/1", &body);
            } else {
                json::lines(items)
            }
        }
    };
    emit(out, &text)
}
