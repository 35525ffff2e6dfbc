//! `gripe set`: change header fields, `customer.*`, `resolution.*` or `fields.*`. Each change is
//! recorded as a `set` event with the old and new value; a value that is already set is left
//! alone and records nothing.

use super::commit;
use super::commit_repo;
use super::message_arg;
use super::say;
use crate::cli::SetArgs;
use crate::complaint::Event;
use crate::complaint::EventKind;
use crate::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::keys::KeyPath;

pub fn run(args: &SetArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let mut changes = Vec::new();
    for assignment in &args.assignments {
        let (key, value) = assignment.split_once('=').ok_or_else(|| {
            Error::usage_hint(
                format!("`{assignment}` is not KEY=VALUE"),
                "for example: gripe set k7m2 severity=high resolution.action=\"refunded\"",
            )
        })?;
        let key = KeyPath::parse(key)?;
        let value = key.parse_value(value, &ctx.now, &calendar)?;
        if key.table.is_none()
            && let Some(text) = value.as_ref().and_then(|v| v.as_text())
        {
            store.config.vocabulary.check(&key.name, text)?;
        }
        changes.push((key, value));
    }
    let message = message_arg(args.message.as_deref())?;
    let resolved = store.resolve(&args.id)?;
    let repo = commit_repo(ctx, &args.change.commit)?;
    let stamp = ctx.stamp(args.change.by.as_deref())?;
    let changed = store.edit(&resolved.path, |doc, c| {
        let mut changed = Vec::new();
        for (key, value) in changes {
            let old = key.get(c);
            if old == value {
                continue;
            }
            doc.set(&key, value.as_ref());
            doc.push_event(&Event {
                key: Some(key.to_string()),
                from: old,
                to: value,
                text: if changed.is_empty() {
                    message.clone()
                } else {
                    None
                },
                ..Event::new(EventKind::Set, &stamp)
            });
            changed.push(key.to_string());
        }
        Ok(changed)
    })?;
    if changed.is_empty() {
        say(&format!("{}: nothing changed", resolved.short));
        return Ok(());
    }
    say(&format!("{}: set {}", resolved.short, changed.join(", ")));
    commit(
        ctx,
        repo.as_ref(),
        &resolved.path,
        &format!("set {} on {}", changed.join(", "), resolved.short),
    )
}
