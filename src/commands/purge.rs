//! `gripe purge --past-retention`: delete the closed complaints kept longer than gripe.toml
//! `[privacy] retain`, or with `--anonymise` keep each as an anonymous record, so that reports
//! over the years stay whole.

use std::io::Write;

use super::bad_files;
use super::emit;
use super::say;
use super::select;
use crate::analysis::check::past_retention;
use crate::analysis::filter::FilterInput;
use crate::cli::PurgeArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::FieldValue;
use crate::model::complaint::Followup;
use crate::model::complaint::Resolution;
use crate::model::complaint::Stamp;
use crate::model::config::Config;
use crate::model::keys::KeyPath;
use crate::model::keys::is_set;
use crate::model::privacy::redact_complaint;
use crate::store::document::ComplaintDoc;
use crate::store::document::read_complaint;
use crate::store::remove_read_file;
use crate::store::replace_read_file;

/// What an anonymised record holds in place of a text the workflow requires.
const ANONYMISED: &str = "[anonymised]";

pub(crate) fn run(args: &PurgeArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let config = &store.config;
    let Some(retain) = &config.privacy.retain else {
        return Err(Error::usage_hint(
            "gripe.toml sets no retention, so nothing is past it",
            "add `retain = \"3y\"` (how long after closing) under [privacy] in gripe.toml",
        ));
    };
    let now = ctx.now;
    let found = select(ctx, &FilterInput::default(), |loaded| {
        past_retention(&loaded.complaint, config, &calendar.zone, &now)
            .map(|(closed, _)| (loaded.path, loaded.complaint, closed))
    })?;
    let mut items = found.items;
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let ids = store.short_ids_for(items.iter().map(|(_, c, _)| c.id.as_str()));
    let stamp = ctx.stamp(args.by.as_deref())?;
    let verb = if args.anonymise {
        "anonymised"
    } else {
        "deleted"
    };
    let mut listing = String::new();
    for (path, c, closed) in &items {
        if !args.dry_run {
            let before = store.read_text(path)?;
            if args.anonymise {
                // The record is made from the file as it is now, which is what it replaces.
                let current = read_complaint(path, &before)?;
                let after = ComplaintDoc::render_new(&anonymous(&current, config, &stamp));
                read_complaint(path, &after)?;
                replace_read_file(path, after.as_bytes(), before.as_bytes())?;
            } else {
                remove_read_file(path, before.as_bytes())?;
            }
        }
        listing.push_str(&format!(
            "{}\t{}\tclosed {closed}\n",
            ids.get(&c.id),
            path.display()
        ));
    }
    emit(out, &listing)?;
    let count = crate::output::count(items.len() as u64, "closed complaint");
    if args.dry_run {
        say(&format!(
            "would have {verb} {count} past the {retain} retention; nothing changed (--dry-run)"
        ));
    } else if !items.is_empty() {
        say(&format!(
            "{verb} {count} past the {retain} retention; commit the change with git (its history still holds them: see `gripe forget --help`)"
        ));
    } else {
        say(&format!(
            "no closed complaint is past the {retain} retention"
        ));
    }
    bad_files(found.bad_files)?;
    Ok(())
}

/// The anonymous record of `c`: its id, dates, stages and the team's own classification
/// (severity, category, channel, component, tags, root cause, whether it was avoidable and the
/// customer satisfied), with no customer, no texts, no custom fields and no names. A text the
/// workflow requires of a stage it reached is kept as `[anonymised]`, so the record still
/// passes `gripe check`.
pub(crate) fn anonymous(c: &Complaint, config: &Config, stamp: &Stamp) -> Complaint {
    let detector = &config.privacy.detector;
    let mut record = Complaint {
        id: c.id.clone(),
        title: ANONYMISED.to_string(),
        opened: c.opened,
        opened_by: None,
        stage: c.stage.clone(),
        severity: c.severity,
        channel: c.channel.clone(),
        category: c.category.clone(),
        component: c.component.clone(),
        assignee: None,
        tags: c.tags.clone(),
        promised_by: c.promised_by,
        external_ref: None,
        regimes: c.regimes.clone(),
        customer: Default::default(),
        resolution: Resolution {
            root_cause: c.resolution.root_cause.clone(),
            avoidable: c.resolution.avoidable,
            satisfied: c.resolution.satisfied,
            upheld: c.resolution.upheld.clone(),
            redress: c.resolution.redress.clone(),
            ..Resolution::default()
        },
        fields: Default::default(),
        followups: c
            .followups
            .iter()
            .map(|f| Followup {
                note: None,
                ..f.clone()
            })
            .collect(),
        events: c
            .events
            .iter()
            .filter(|e| {
                e.changes_stage()
                    || matches!(
                        e.kind,
                        EventKind::Opened | EventKind::Followup | EventKind::FollowupDone
                    )
            })
            .map(|e| Event {
                by: None,
                text: None,
                ..e.clone()
            })
            .collect(),
        misplaced: Vec::new(),
    };
    for key in config.workflow.requires.values().flatten() {
        if is_set(c, key)
            && !is_set(&record, key)
            && let Ok(path) = KeyPath::parse(key)
        {
            let value = match path.get(c) {
                Some(FieldValue::Bool(b)) => FieldValue::Bool(b),
                Some(FieldValue::When(w)) => FieldValue::When(w),
                // Each record stands for a customer of its own: it must not make one repeat
                // complainant of every anonymised complaint.
                _ if key.starts_with("customer.") => {
                    FieldValue::Text(format!("anonymised-{}", c.id))
                }
                _ => FieldValue::Text(ANONYMISED.into()),
            };
            path.apply(&mut record, Some(value));
        }
    }
    // What is kept is the team's own words (a root cause, tags), which can still hold what a
    // hurried agent typed.
    redact_complaint(&mut record, detector, false);
    record.events.push(Event {
        text: Some("anonymised past the retention of gripe.toml [privacy]".into()),
        ..Event::new(EventKind::Anonymised, stamp)
    });
    record
}
