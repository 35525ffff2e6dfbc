//! `gripe advance` and `gripe close`: move a complaint forward through the workflow, checking
//! the entry requirements of every stage it enters or passes (unless `--force`, which the event
//! records).

use super::followup::schedule;
use super::message_arg;
use crate::cli::AdvanceArgs;
use crate::cli::ChangeArgs;
use crate::cli::CloseArgs;
use crate::commands::change::Change;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::time::when::Direction;
use crate::time::when::When;
use crate::time::when::span_from;

pub(crate) fn run(args: &AdvanceArgs, ctx: &Ctx) -> Result<()> {
    move_forward(
        ctx,
        Move {
            id: &args.id,
            to: args.to.as_deref(),
            message: args.message.as_deref(),
            force: args.force,
            follow_up: !args.no_followup,
            change: &args.change,
        },
    )
}

pub(crate) fn close(args: &CloseArgs, ctx: &Ctx) -> Result<()> {
    let workflow = &ctx.store()?.config.workflow;
    move_forward(
        ctx,
        Move {
            id: &args.id,
            to: Some(workflow.name(workflow.closed)),
            message: args.message.as_deref(),
            force: args.force,
            follow_up: false,
            change: &args.change,
        },
    )
}

/// The question a follow-up after resolving asks (DOMAIN.md: not "anything else I can do?").
const FOLLOWUP_NOTE: &str =
    "Ask whether the fix held and whether the customer is satisfied with the resolution";

/// A move forward as asked on the command line.
struct Move<'a> {
    id: &'a str,
    /// The target stage; the next one when `None`.
    to: Option<&'a str>,
    message: Option<&'a str>,
    force: bool,
    /// Whether resolving schedules the default follow-up.
    follow_up: bool,
    change: &'a ChangeArgs,
}

fn move_forward(ctx: &Ctx, request: Move<'_>) -> Result<()> {
    let Move {
        id,
        to,
        message,
        force,
        follow_up,
        change,
    } = request;
    let store = ctx.store()?;
    let workflow = &store.config.workflow;
    let message = message_arg(message)?;
    let target = to
        .map(|t| {
            workflow.index(t).ok_or_else(|| {
                Error::usage_hint(
                    format!("`{t}` is not a stage"),
                    format!("stages: {}", workflow.stages.join(", ")),
                )
            })
        })
        .transpose()?;
    let change = Change::begin(ctx, id, change)?;
    let (resolved, stamp) = (&change.target, &change.stamp);
    let calendar = ctx.calendar()?;
    let (from, to, followup) = change.edit(|doc, c| {
        let current = workflow.index(&c.stage).ok_or_else(|| {
            Error::usage_hint(
                format!("{} is in stage `{}`, which is not in the workflow", resolved.short, c.stage),
                format!("stages: {}; fix it with `gripe edit {}`", workflow.stages.join(", "), resolved.short),
            )
        })?;
        let last = workflow.stages.len() - 1;
        let target = match target {
            None if current == last => {
                return Err(Error::usage_hint(
                    format!("{} is already {}", resolved.short, c.stage),
                    format!("to work on it again: gripe reopen {} -m \"why\"", resolved.short),
                ));
            }
            None => current + 1,
            Some(t) if t == current => {
                return Err(Error::usage(format!(
                    "{} is already {}",
                    resolved.short, c.stage
                )));
            }
            Some(t) if t < current => {
                return Err(Error::usage_hint(
                    format!(
                        "{} is {}; `advance` only moves forward, to a later stage than that",
                        resolved.short, c.stage
                    ),
                    format!("to move it back: gripe reopen {} -m \"why\"", resolved.short),
                ));
            }
            Some(t) => t,
        };
        let missing = workflow.missing_requirements(c, current, target);
        if !missing.is_empty() && !force {
            let (stage, key) = &missing[0];
            let list: Vec<String> = missing
                .iter()
                .map(|(stage, key)| format!("{key} (which {stage} requires)"))
                .collect();
            return Err(Error::usage_hint(
                format!(
                    "{} cannot enter {}: missing {}",
                    resolved.short,
                    workflow.name(target),
                    list.join(" and ")
                ),
                format!(
                    "gripe set {} {key}=...   (or --force to skip what {stage} requires; the event records it)",
                    resolved.short
                ),
            ));
        }
        let mut event = Event::stage_change(
            EventKind::Stage,
            stamp,
            &c.stage,
            workflow.name(target),
        );
        event.text = message;
        event.forced = !missing.is_empty();
        doc.set_stage(workflow.name(target));
        doc.push_event(&event);
        // Closing means the satisfaction question was answered: that is what an open
        // follow-up was for, so it is done now, and the event says so.
        let mut completed = Vec::new();
        if target == workflow.closed {
            for f in c.followups.iter().filter(|f| f.done.is_none()) {
                doc.set_followup_done(&f.id, &When::Zoned(stamp.at));
                doc.push_event(&Event {
                    followup: Some(f.id.clone()),
                    text: Some("done when the complaint was closed".into()),
                    ..Event::new(EventKind::FollowupDone, stamp)
                });
                completed.push(f.id.clone());
            }
        }
        let resolves = current < workflow.resolved && workflow.resolved <= target;
        let followup = if follow_up && resolves && target < workflow.closed {
            let due = span_from(
                &ctx.now,
                &store.config.sla.followup_after_resolve,
                &calendar,
                Direction::Ahead,
            );
            let fid = schedule(doc, c, due, FOLLOWUP_NOTE, stamp)?;
            Some(format!("follow-up {fid} due {due} (skip with --no-followup)"))
        } else if !completed.is_empty() {
            Some(format!("follow-up {} marked done with the close", completed.join(", ")))
        } else {
            None
        };
        Ok((c.stage.clone(), workflow.name(target).to_string(), followup))
    })?;
    let action = if workflow.is_closed(&to) {
        format!("close {}", resolved.short)
    } else {
        format!("advance {} to {to}", resolved.short)
    };
    change.say(&format!("{from} → {to}"));
    if let Some(followup) = followup {
        change.say(&followup);
    }
    change.commit(&action)
}
