//! `gripe note` (alias `annotate`): append a note to a complaint's timeline.

use super::text_arg;
use crate::cli::NoteArgs;
use crate::commands::change::Change;
use crate::commands::context::Ctx;
use crate::error::Result;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;

pub(crate) fn run(args: &NoteArgs, ctx: &Ctx) -> Result<()> {
    ctx.store()?; // no folder is said before stdin is read
    let text = text_arg(&args.text.text(), "note")?;
    let change = Change::begin(ctx, &args.id, &args.change)?;
    change.edit(|doc, _| {
        let mut event = Event::new(EventKind::Note, &change.stamp);
        event.text = Some(text);
        doc.push_event(&event);
        Ok(())
    })?;
    change.finish("note added", &format!("note on {}", change.short()))
}
