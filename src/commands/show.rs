//! `gripe show`: one complaint, readable: header, customer, resolution, custom fields,
//! follow-ups and the timeline of events.

use std::fmt::Write as _;
use std::io::Write;

use super::emit;
use super::list::ComplaintJson;
use super::list::rows;
use crate::cli::ShowArgs;
use crate::complaint::Complaint;
use crate::complaint::Event;
use crate::complaint::EventKind;
use crate::context::Ctx;
use crate::duration::human_seconds;
use crate::error::Result;
use crate::id::ShortIds;
use crate::keys::keys_of;
use crate::output::Format;
use crate::output::Painter;
use crate::output::Rows;
use crate::output::csv;
use crate::output::json;
use crate::output::markdown;
use crate::output::printable;
use crate::store::Loaded;
use crate::when::Timestamp;
use crate::when::When;
use crate::when::Zone;

pub fn run(args: &ShowArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let zone = ctx.calendar()?.zone;
    let resolved = store.resolve(&args.id)?;
    let loaded = store.load(&resolved.path)?;
    let text = match args.format {
        Format::Json => json::envelope(
            "gripe.complaint/1",
            vec![(
                "complaint",
                json::value(&ComplaintJson::new(&loaded, &resolved.short)),
            )],
        ),
        Format::Jsonl => json::lines([ComplaintJson::new(&loaded, &resolved.short)]),
        Format::Csv => csv::render(&rows(
            std::slice::from_ref(&loaded),
            &ShortIds::new([resolved.id.as_str()]),
            &zone,
            ctx.painter,
            true,
        )),
        Format::Markdown => render_markdown(&loaded.complaint, &resolved.short, &zone),
        Format::Table => render_text(&loaded, &resolved.short, &zone, &ctx.now, ctx.painter),
    };
    emit(out, &text)
}

/// A time as people read it in the team's zone: `2026-11-23 09:14`, or the date alone.
fn local(when: &When, zone: &Zone) -> String {
    match when {
        When::Date(d) => d.to_string(),
        other => zone
            .local(&other.instant(zone))
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    }
}

/// Every field the complaint has, as (label, value) pairs in file order.
fn fields(c: &Complaint) -> Vec<(String, String)> {
    keys_of([c])
        .into_iter()
        .filter_map(|key| {
            key.get(c).map(|value| {
                let label = match key.table {
                    None => key.name.replace('_', " "),
                    Some(table) => format!("{table}.{}", key.name),
                };
                (label, value.to_string())
            })
        })
        .collect()
}

/// What an event says in one line, after its time and author.
fn summary(e: &Event) -> String {
    let value = |v: &Option<crate::complaint::FieldValue>| {
        v.as_ref().map_or("(none)".to_string(), ToString::to_string)
    };
    match e.kind {
        EventKind::Stage | EventKind::Reopened => format!(
            "{} {} → {}{}",
            if e.kind == EventKind::Reopened {
                "reopened"
            } else {
                "stage"
            },
            value(&e.from),
            value(&e.to),
            if e.forced { " (forced)" } else { "" }
        ),
        EventKind::Set => format!(
            "set {}: {} → {}",
            e.key.as_deref().unwrap_or("?"),
            value(&e.from),
            value(&e.to)
        ),
        EventKind::Followup | EventKind::FollowupDone => format!(
            "{} {}",
            e.kind.as_str(),
            e.followup.as_deref().unwrap_or_default()
        ),
        kind => kind.as_str().to_string(),
    }
}

fn render_text(loaded: &Loaded, short: &str, zone: &Zone, now: &Timestamp, p: Painter) -> String {
    let c = &loaded.complaint;
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", p.cyan(short), p.bold(&printable(&c.title)));
    let opened_at = c.opened.instant(zone);
    let mut header = vec![
        ("id".to_string(), c.id.clone()),
        ("file".to_string(), loaded.path.display().to_string()),
        (
            "opened".to_string(),
            format!(
                "{}{} ({} ago)",
                local(&c.opened, zone),
                c.opened_by
                    .as_deref()
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default(),
                human_seconds((*now - opened_at).num_seconds())
            ),
        ),
        (
            "stage".to_string(),
            match c.last_stage_event() {
                Some(e) => format!("{} (since {})", c.stage, local(&e.at, zone)),
                None => c.stage.clone(),
            },
        ),
    ];
    header.extend(fields(c).into_iter().filter(|(label, _)| label != "title"));
    let width = header
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    for (label, value) in &header {
        let value = if label == "severity" {
            p.severity(value)
        } else {
            printable(value)
        };
        let _ = writeln!(
            s,
            "{}  {}",
            p.dim(&format!("{label:width$}")),
            indent_rest(&value, width + 2)
        );
    }
    if !c.followups.is_empty() {
        let _ = writeln!(s, "\n{}", p.bold("Follow-ups"));
        for f in &c.followups {
            let state = match &f.done {
                Some(done) => p.green(&format!("done {}", local(done, zone))),
                None if f.due.deadline(zone) < *now => p.red("overdue"),
                None => p.yellow("open"),
            };
            let _ = writeln!(
                s,
                "  {}  due {}  {}  {}",
                f.id,
                local(&f.due, zone),
                state,
                printable(f.note.as_deref().unwrap_or_default())
            );
        }
    }
    if !c.events.is_empty() {
        let _ = writeln!(s, "\n{}", p.bold("Timeline"));
        let by_width = c
            .events
            .iter()
            .map(|e| e.by.as_deref().unwrap_or_default().chars().count())
            .max()
            .unwrap_or(0);
        for e in &c.events {
            let _ = writeln!(
                s,
                "  {}  {:by_width$}  {}",
                p.dim(&local(&e.at, zone)),
                e.by.as_deref().unwrap_or_default(),
                summary(e)
            );
            if let Some(text) = &e.text {
                for line in printable(text).lines() {
                    let _ = writeln!(s, "{}", format!("      {line}").trim_end());
                }
            }
        }
    }
    s
}

/// Continues the lines of a multi-line value under its first line.
fn indent_rest(value: &str, indent: usize) -> String {
    value
        .lines()
        .collect::<Vec<_>>()
        .join(&format!("\n{:indent$}", ""))
}

fn render_markdown(c: &Complaint, short: &str, zone: &Zone) -> String {
    let mut s = format!("## {short}: {}\n\n", markdown::escape(&c.title));
    let mut header = Rows::new(&["field", "value"]);
    header.push(vec!["id".into(), c.id.clone()]);
    header.push(vec!["opened".into(), local(&c.opened, zone)]);
    header.push(vec!["stage".into(), c.stage.clone()]);
    for (label, value) in fields(c).into_iter().filter(|(l, _)| l != "title") {
        header.push(vec![label, value]);
    }
    s.push_str(&markdown::render(&header));
    if !c.events.is_empty() {
        let mut timeline = Rows::new(&["at", "by", "event", "text"]);
        for e in &c.events {
            timeline.push(vec![
                local(&e.at, zone),
                e.by.clone().unwrap_or_default(),
                summary(e),
                e.text.clone().unwrap_or_default(),
            ]);
        }
        s.push('\n');
        s.push_str(&markdown::render(&timeline));
    }
    s
}
