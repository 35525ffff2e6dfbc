//! `gripe note` (alias `annotate`): append a note to a complaint's timeline.

use super::commit;
use super::commit_repo;
use super::say;
use super::text_arg;
use crate::cli::NoteArgs;
use crate::commands::context::Ctx;
use crate::error::Result;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;

pub fn run(args: &NoteArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let text = text_arg(&args.text.text(), "note")?;
    let resolved = store.resolve(&args.id)?;
    let repo = commit_repo(ctx, &args.change.commit)?;
    let stamp = ctx.stamp(args.change.by.as_deref())?;
    store.edit(&resolved.path, |doc, _| {
        let mut event = Event::new(EventKind::Note, &stamp);
        event.text = Some(text);
        doc.push_event(&event);
        Ok(())
    })?;
    say(&format!("{}: note added", resolved.short));
    commit(
        ctx,
        repo.as_ref(),
        &resolved.path,
        &format!("note on {}", resolved.short),
    )
}
