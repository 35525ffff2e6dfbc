//! `gripe edit`: the complaint file in `$EDITOR`, like `crontab -e`: on save it is validated,
//! and on error the editor reopens with the error at the top. Changes to header fields made by
//! hand are recorded as events, so the history stays the source of truth.

use std::path::Path;
use std::process::Command;

use crate::analysis::check::inconsistencies;
use crate::cli::EditArgs;
use crate::commands::change::Change;
use crate::commands::context::Ctx;
use crate::commands::say;
use crate::error::Error;
use crate::error::Location;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::Stamp;
use crate::model::keys::KeyPath;
use crate::model::keys::keys_of;
use crate::store::Store;
use crate::store::document::ComplaintDoc;
use crate::store::document::read_complaint;
use crate::store::replace_read_file;
use crate::time::when::Zone;

const NOTE_PREFIX: &str = "# gripe: ";

pub(crate) fn run(args: &EditArgs, ctx: &Ctx) -> Result<()> {
    let change = Change::begin(ctx, &args.id, &args.change)?;
    let (store, path, stamp) = (change.store, &change.target.path, &change.stamp);
    let Some(editor) = ctx.editor() else {
        return Err(Error::usage_hint(
            "gripe edit needs a terminal to show the editor on",
            "use `gripe set`, `gripe note` or `gripe advance` in scripts, or set GRIPE_EDITOR",
        ));
    };
    let original = store.read_text(path)?;
    let before = read_complaint(path, &original).ok();
    let zone = ctx.calendar()?.zone;
    let edited = with_editor(&editor, &original, |text| {
        validate(store, &zone, path, before.as_ref(), text, stamp)
    })?;
    let Some((changes, text)) = edited.filter(|(_, t)| *t != original) else {
        change.say("no changes");
        return Ok(());
    };
    if let Err(error) = replace_read_file(path, text.as_bytes(), original.as_bytes()) {
        return Err(match error {
            Error::ChangedMeanwhile { path, kept: None } => Error::ChangedMeanwhile {
                path,
                kept: keep(&text),
            },
            error => error,
        });
    }
    change.finish(
        &format!(
            "saved {} ({changes} field change(s) recorded)",
            path.display()
        ),
        &format!("edit {}", change.short()),
    )
}

/// Keeps `text` in a temp file that outlives gripe, for a person to copy from.
fn keep(text: &str) -> Option<std::path::PathBuf> {
    let mut file = tempfile::Builder::new()
        .prefix("gripe-")
        .suffix(".toml")
        .tempfile()
        .ok()?;
    std::io::Write::write_all(&mut file, text.as_bytes()).ok()?;
    file.keep().ok().map(|(_, path)| path)
}

/// What an edited file must be: a readable complaint, with the same id, in a known stage, with
/// values the team's vocabulary allows; and, with the changes recorded as events, nothing that
/// `gripe check` would call invalid that it did not already (a stage entered without what it
/// requires, an opening after the first event). Gives the text to save, with an event recorded
/// for each change the person made by hand, and how many there were.
fn validate(
    store: &Store,
    zone: &Zone,
    path: &Path,
    before: Option<&Complaint>,
    text: &str,
    stamp: &Stamp,
) -> Result<(usize, String)> {
    let (mut doc, after) = ComplaintDoc::parse(path, text)?;
    let at = |needle: &str| Location::at_offset(path, text, text.find(needle).unwrap_or(0));
    let invalid = |needle: &str, message: String, hint: String| Error::InvalidFile {
        location: at(needle),
        message,
        hint: Some(hint),
    };
    if let Some(before) = before
        && before.id != after.id
    {
        return Err(invalid(
            "id",
            format!("the id cannot change (it was `{}`)", before.id),
            "the id names the complaint everywhere; open a new complaint instead".into(),
        ));
    }
    store.check_stage(path, text, &after)?;
    for key in ["channel", "category", "component"] {
        let key_path = KeyPath::parse(key).expect("known key");
        let value = key_path.get(&after).map(|v| v.to_string());
        let old = before.and_then(|b| key_path.get(b)).map(|v| v.to_string());
        if let Some(value) = value.filter(|v| Some(v) != old.as_ref())
            && let Err(e) = store.config.vocabulary.check(key, &value)
        {
            return Err(invalid(
                &format!("{key} ="),
                e.to_string(),
                e.hints().join("; "),
            ));
        }
    }
    let changes = before
        .map(|b| record_changes(&mut doc, b, &after, stamp))
        .unwrap_or(0);
    let recorded = doc.render();
    store.check_size(path, &recorded)?;
    // Only a file that read before the edit has problems to compare with; mending one that
    // did not (conflict markers, a syntax error) is not held to the rest of `check`.
    let Some(before) = before else {
        return Ok((changes, recorded));
    };
    let saved = read_complaint(path, &recorded)?;
    let known = inconsistencies(before, &store.config, zone);
    if let Some(problem) = inconsistencies(&saved, &store.config, zone)
        .into_iter()
        .find(|p| !known.contains(p))
    {
        let key = if before.opened != after.opened {
            "opened"
        } else {
            "stage"
        };
        return Err(invalid(
            key,
            problem,
            "fix it in the file; `gripe advance --force` records a stage entered without what it requires".into(),
        ));
    }
    Ok((changes, recorded))
}

/// Appends a `set` event for each header, customer, resolution or custom field the person
/// changed, and a `stage` event if they moved the stage; returns how many.
fn record_changes(
    doc: &mut ComplaintDoc,
    before: &Complaint,
    after: &Complaint,
    stamp: &Stamp,
) -> usize {
    let mut count = 0;
    if before.stage != after.stage {
        let mut event = Event::stage_change(EventKind::Stage, stamp, &before.stage, &after.stage);
        event.text = Some("edited by hand".into());
        doc.push_event(&event);
        count += 1;
    }
    for path in keys_of([before, after]) {
        let (old, new) = (path.get(before), path.get(after));
        if old != new {
            doc.push_event(&Event {
                key: Some(path.to_string()),
                from: old,
                to: new,
                text: Some("edited by hand".into()),
                ..Event::new(EventKind::Set, stamp)
            });
            count += 1;
        }
    }
    count
}

/// Runs `editor` on `initial` until `validate` accepts the text. On an error the editor reopens
/// with the error in comments at the top; saving nothing new after an error gives up, keeping
/// the rejected text in a file whose path the error names. `None` means the person left the
/// text exactly as it was first shown.
pub(crate) fn with_editor<T>(
    editor: &str,
    initial: &str,
    mut validate: impl FnMut(&str) -> Result<T>,
) -> Result<Option<T>> {
    let temp = tempfile::Builder::new()
        .prefix("gripe-")
        .suffix(".toml")
        .tempfile()
        .map_err(|source| Error::Write {
            path: std::env::temp_dir(),
            source,
        })?;
    let path = temp.path().to_path_buf();
    let mut shown = initial.to_string();
    // The text last rejected, and why.
    let mut rejected: Option<(String, String)> = None;
    loop {
        std::fs::write(&path, &shown).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        run_editor(editor, &path)?;
        let saved = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let body = strip_notes(&saved);
        if rejected.is_none() && body == initial {
            return Ok(None);
        }
        if let Some((text, reason)) = &rejected
            && *text == body
        {
            return Err(Error::EditRejected {
                reason: reason.clone(),
                kept: temp.keep().map_or(path, |(_, p)| p),
            });
        }
        match validate(&body) {
            Ok(value) => return Ok(Some(value)),
            Err(error) => {
                let lines = 2;
                let message = shifted(&error, lines);
                say(&format!("gripe: error: {message}"));
                shown = format!(
                    "{NOTE_PREFIX}error: {message}\n{NOTE_PREFIX}fix it and save to try again, or quit without saving to give up\n{body}"
                );
                rejected = Some((body, message));
            }
        }
    }
}

/// The error's message with its line number moved down by the note lines above the text.
fn shifted(error: &Error, lines: usize) -> String {
    match error {
        Error::InvalidFile {
            location, message, ..
        } => format!(
            "line {}, column {}: {message}",
            location.line + lines,
            location.column
        ),
        other => other.to_string(),
    }
}

fn strip_notes(text: &str) -> String {
    let mut rest = text;
    while rest.starts_with(NOTE_PREFIX) {
        rest = rest.split_once('\n').map_or("", |(_, r)| r);
    }
    rest.to_string()
}

/// Runs the editor command through the shell, so `code --wait` and the like work.
fn run_editor(editor: &str, path: &Path) -> Result<()> {
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg("gripe-editor")
        .arg(path)
        .status()
        .map_err(|e| Error::External {
            what: format!("starting the editor `{editor}`"),
            message: e.to_string(),
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::External {
            what: format!("the editor `{editor}`"),
            message: format!("it exited with {status}; nothing was saved"),
        })
    }
}
