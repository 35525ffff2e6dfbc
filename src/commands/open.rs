//! `gripe open`: log a complaint in one line, or on a template in `$EDITOR`. Prints the short id
//! on stdout so scripts can capture it.

use std::io::Write;

use serde::Deserialize;

use super::commit;
use super::commit_repo;
use super::edit::with_editor;
use super::emit;
use super::mail;
use super::message_arg;
use super::say;
use crate::cli::OpenArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Customer;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::Resolution;
use crate::model::complaint::Severity;
use crate::model::complaint::Stamp;
use crate::model::id;
use crate::model::keys::split_list;
use crate::model::regime::parse_regimes;
use crate::time::when::Direction;
use crate::time::when::When;
use crate::time::when::parse_user_when;

/// What a new complaint says, from flags or from the editor template.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Draft {
    title: Option<String>,
    customer: Option<String>,
    contact: Option<String>,
    channel: Option<String>,
    category: Option<String>,
    severity: Option<String>,
    component: Option<String>,
    assignee: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    promise: Option<String>,
    #[serde(rename = "ref")]
    external_ref: Option<String>,
    note: Option<String>,
    #[serde(default)]
    regimes: Vec<String>,
}

pub(crate) fn run(args: &OpenArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let repo = commit_repo(ctx, &args.change.commit)?;
    if let Some(source) = &args.email {
        let vocabulary = &store.config.vocabulary;
        for (key, value) in [("category", &args.category), ("component", &args.component)] {
            if let Some(value) = value {
                vocabulary.check(key, value)?;
            }
        }
        let options = mail::Options {
            thread_by_subject: args.mail.thread_by_subject,
            attachments: args.mail.attachments.as_deref(),
            defaults: mail::Defaults {
                severity: Some(Severity::from_user(&args.severity)?),
                category: args.category.clone(),
                component: args.component.clone(),
                assignee: args.assignee.clone(),
                tags: split_list(&args.tag.join(",")),
                regimes: regimes_of(&args.regime)?,
            },
            dry_run: false,
            redact: args.redact,
        };
        return match mail::open(source, &options, args.change.by.as_deref(), ctx, out)? {
            Some((path, action)) => commit(ctx, repo.as_ref(), &path, &action),
            None => Ok(()),
        };
    }
    let mut draft = Draft {
        title: args.title.clone(),
        customer: args.customer.clone(),
        contact: args.contact.clone(),
        channel: args.channel.clone(),
        category: args.category.clone(),
        severity: Some(args.severity.clone()),
        component: args.component.clone(),
        assignee: args.assignee.clone(),
        tags: split_list(&args.tag.join(",")),
        promise: args.promise.clone(),
        external_ref: args.external_ref.clone(),
        note: message_arg(args.message.as_deref())?,
        regimes: args.regime.clone(),
    };
    if draft.title.is_none() {
        let Some(editor) = ctx.editor() else {
            return Err(Error::usage_hint(
                "a title is required",
                "gripe open \"What went wrong\" [--customer ...]; without a title, gripe opens $EDITOR only on a terminal",
            ));
        };
        let template = template(&draft);
        let edited = with_editor(&editor, &template, |text| {
            let draft: Draft =
                toml::from_str(text).map_err(|e| Error::usage(e.message().to_string()))?;
            complaint_from(&draft, ctx, &ctx.stamp(None)?)?;
            Ok(draft)
        })?;
        match edited {
            Some(d) if d.title.as_deref().is_some_and(|t| !t.trim().is_empty()) => draft = d,
            _ => {
                say("nothing logged: the title was left empty");
                return Ok(());
            }
        }
    }
    let stamp = ctx.stamp(args.change.by.as_deref())?;
    let complaint = complaint_from(&draft, ctx, &stamp)?;
    let calendar = ctx.calendar()?;
    let path = store.create(&complaint, &calendar.zone)?;
    let short = store.short_id(&complaint.id);
    emit(out, &format!("{short}\n"))?;
    say(&format!("opened {short} in {}", path.display()));
    commit(ctx, repo.as_ref(), &path, &format!("open {short}"))
}

/// The regimes `--regime` names, checked; `None` when none was given (the team's apply).
fn regimes_of(given: &[String]) -> Result<Option<Vec<String>>> {
    if given.iter().all(|g| g.trim().is_empty()) {
        return Ok(None);
    }
    let regimes = parse_regimes(&given.join(","))
        .map_err(|e| Error::usage_hint(e, "`--regime none` opens a complaint under no regime"))?;
    Ok(Some(
        regimes.iter().map(|r| r.as_str().to_string()).collect(),
    ))
}

fn complaint_from(draft: &Draft, ctx: &Ctx, stamp: &Stamp) -> Result<Complaint> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let vocabulary = &store.config.vocabulary;
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(ToString::to_string)
    };
    let title = clean(&draft.title).ok_or_else(|| Error::usage("the title is empty"))?;
    for (key, value) in [
        ("channel", &draft.channel),
        ("category", &draft.category),
        ("component", &draft.component),
    ] {
        if let Some(value) = clean(value) {
            vocabulary.check(key, &value)?;
        }
    }
    let severity = match clean(&draft.severity) {
        None => Severity::Medium,
        Some(s) => Severity::from_user(&s)?,
    };
    let promised_by = clean(&draft.promise)
        .map(|p| parse_user_when(&p, &ctx.now, &calendar, Direction::Ahead))
        .transpose()?;
    let mut opened = Event::new(EventKind::Opened, stamp);
    opened.text = clean(&draft.note);
    Ok(Complaint {
        id: id::new_complaint_id()?,
        title,
        opened: When::Zoned(stamp.at),
        opened_by: Some(stamp.by.clone()),
        stage: store.config.workflow.first().to_string(),
        severity: Some(severity),
        channel: clean(&draft.channel),
        category: clean(&draft.category),
        component: clean(&draft.component),
        assignee: clean(&draft.assignee),
        tags: draft.tags.clone(),
        promised_by,
        external_ref: clean(&draft.external_ref),
        regimes: regimes_of(&draft.regimes)?,
        customer: Customer {
            name: clean(&draft.customer),
            contact: clean(&draft.contact),
            email: None,
        },
        resolution: Resolution::default(),
        fields: Default::default(),
        followups: Vec::new(),
        events: vec![opened],
        misplaced: Vec::new(),
    })
}

/// The editor template, filled in with what the flags already said.
fn template(draft: &Draft) -> String {
    let s = |v: &Option<String>| toml_edit::Value::from(v.as_deref().unwrap_or("")).to_string();
    let tags = toml_edit::Value::Array(draft.tags.iter().map(String::as_str).collect());
    format!(
        "# New complaint. Fill in what you know, save and quit to log it.\n\
         # Leave the title empty to cancel. Lines starting with # are ignored.\n\
         title = {}\n\
         customer = {}\n\
         contact = {}    # prefer a customer reference over raw personal data\n\
         channel = {}    # email, phone, chat, social, web, in-person, letter, other\n\
         category = {}\n\
         severity = {}   # low, medium, high, critical\n\
         component = {}  # the part of the product or service that failed\n\
         assignee = {}\n\
         tags = {}\n\
         promise = {}    # the date given to the customer: 2026-12-01, or a span like 3bd\n\
         ref = {}        # the id in another system\n\
         # What the customer said, in their words:\n\
         note = \"\"\"\n{}\"\"\"\n",
        s(&draft.title),
        s(&draft.customer),
        s(&draft.contact),
        s(&draft.channel),
        s(&draft.category),
        s(&draft.severity),
        s(&draft.component),
        s(&draft.assignee),
        tags,
        s(&draft.promise),
        s(&draft.external_ref),
        draft
            .note
            .as_deref()
            .map(|n| format!(
                "{}\n",
                n.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"")
            ))
            .unwrap_or_default(),
    )
}
