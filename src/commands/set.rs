//! `gripe set`: change header fields, `customer.*`, `resolution.*` or `fields.*`. Each change is
//! recorded as a `set` event with the old and new value; a value that is already set is left
//! alone and records nothing.

use super::message_arg;
use crate::cli::SetArgs;
use crate::commands::change::Change;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::FieldValue;
use crate::model::complaint::Stamp;
use crate::model::keys::KeyPath;
use crate::store::document::ComplaintDoc;

pub(crate) fn run(args: &SetArgs, ctx: &Ctx) -> Result<()> {
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
        store.config.vocabulary.check_key(&key, value.as_ref())?;
        changes.push((key, value));
    }
    let message = message_arg(args.message.as_deref())?;
    let change = Change::begin(ctx, &args.id, &args.change)?;
    let changed = change.edit(|doc, c| {
        let mut changed = Vec::new();
        for (key, value) in changes {
            // The message explains the first change; the others are part of the same edit.
            let text = changed.is_empty().then(|| message.clone()).flatten();
            if record(doc, c, &key, value, &change.stamp, text) {
                changed.push(key.to_string());
            }
        }
        Ok(changed)
    })?;
    if changed.is_empty() {
        change.say("nothing changed");
        return Ok(());
    }
    let changed = changed.join(", ");
    change.finish(
        &format!("set {changed}"),
        &format!("set {changed} on {}", change.short()),
    )
}

/// Sets `key` to `value` (`None` removes it) in the open file of `current`, and records the
/// change as a `set` event with the old and the new value and `text`. Returns false, and
/// changes nothing, when the key already holds that value.
pub(crate) fn record(
    doc: &mut ComplaintDoc,
    current: &Complaint,
    key: &KeyPath,
    value: Option<FieldValue>,
    stamp: &Stamp,
    text: Option<String>,
) -> bool {
    let old = key.get(current);
    if old == value {
        return false;
    }
    doc.set(key, value.as_ref());
    doc.push_event(&Event {
        key: Some(key.to_string()),
        from: old,
        to: value,
        text,
        ..Event::new(EventKind::Set, stamp)
    });
    true
}
