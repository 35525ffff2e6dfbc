//! `gripe reopen`: move a resolved or closed complaint back to investigating (the workflow's
//! `reopen_to`); counted as a reopen in the metrics.

use super::commit;
use super::commit_repo;
use super::say;
use super::text_arg;
use crate::cli::ReopenArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;

pub fn run(args: &ReopenArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let workflow = &store.config.workflow;
    let message = text_arg(&args.message, "message")?;
    let resolved = store.resolve(&args.id)?;
    let repo = commit_repo(ctx, &args.change.commit)?;
    let stamp = ctx.stamp(args.change.by.as_deref())?;
    let target = workflow.name(workflow.reopen_to).to_string();
    let from = store.edit(&resolved.path, |doc, c| {
        let current = workflow.index(&c.stage);
        if current.is_some_and(|i| i <= workflow.reopen_to) {
            return Err(Error::usage_hint(
                format!(
                    "{} is {}: it is still being worked on, so there is nothing to reopen",
                    resolved.short, c.stage
                ),
                format!("add what happened with: gripe note {} ...", resolved.short),
            ));
        }
        let mut event = Event::stage_change(EventKind::Reopened, &stamp, &c.stage, &target);
        event.text = Some(message);
        doc.set_stage(&target);
        doc.push_event(&event);
        Ok(c.stage.clone())
    })?;
    say(&format!("{}: reopened, {from} → {target}", resolved.short));
    commit(
        ctx,
        repo.as_ref(),
        &resolved.path,
        &format!("reopen {}", resolved.short),
    )
}
