//! `gripe reopen`: move a resolved or closed complaint back to investigating (the workflow's
//! `reopen_to`); counted as a reopen in the metrics.

use super::text_arg;
use crate::cli::ReopenArgs;
use crate::commands::change::Change;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;

pub(crate) fn run(args: &ReopenArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let workflow = &store.config.workflow;
    let message = text_arg(&args.message, "message")?;
    let change = Change::begin(ctx, &args.id, &args.change)?;
    let short = change.short();
    let target = workflow.name(workflow.reopen_to).to_string();
    let from = change.edit(|doc, c| {
        let current = workflow.index(&c.stage);
        if current.is_some_and(|i| i <= workflow.reopen_to) {
            return Err(Error::usage_hint(
                format!(
                    "{short} is {}: it is still being worked on, so there is nothing to reopen",
                    c.stage
                ),
                format!("add what happened with: gripe note {short} ..."),
            ));
        }
        let mut event = Event::stage_change(EventKind::Reopened, &change.stamp, &c.stage, &target);
        event.text = Some(message);
        doc.set_stage(&target);
        doc.push_event(&event);
        Ok(c.stage.clone())
    })?;
    change.finish(
        &format!("reopened, {from} → {target}"),
        &format!("reopen {short}"),
    )
}
