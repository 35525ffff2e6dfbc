//! `gripe show`: one complaint, readable: header, customer, resolution, custom fields,
//! follow-ups and the timeline of events.

use std::fmt::Write as _;
use std::io::Write;

use super::emit;
use super::emit_json;
use super::list::ComplaintJson;
use super::list::Layout;
use super::list::Line;
use super::list::Listed;
use super::list::rows;
use crate::analysis::regulatory::RegClock;
use crate::analysis::regulatory::RegState;
use crate::analysis::sla::Clock;
use crate::analysis::sla::ClockState;
use crate::analysis::status::FollowupState;
use crate::analysis::status::Status;
use crate::cli::ShowArgs;
use crate::commands::context::Ctx;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::id::ShortIds;
use crate::model::keys::keys_of;
use crate::output::Format;
use crate::output::Painter;
use crate::output::Rows;
use crate::output::colour;
use crate::output::csv;
use crate::output::json;
use crate::output::markdown;
use crate::output::printable;
use crate::output::table;
use crate::time::duration::human_seconds;
use crate::time::when::Timestamp;
use crate::time::when::When;
use crate::time::when::Zone;

/// The body of `gripe.complaint/1`.
#[derive(serde::Serialize)]
struct Shown<'a> {
    complaint: ComplaintJson<'a>,
}

pub(crate) fn run(args: &ShowArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let zone = calendar.zone;
    let resolved = store.resolve(&args.id)?;
    let loaded = store.load(&resolved.path)?;
    let listed = Listed::new(&loaded, &store.config, &calendar, &ctx.now);
    let text = match args.format {
        Format::Json => {
            let body = Shown {
                complaint: ComplaintJson::new(&listed, &resolved.short, &zone),
            };
            return emit_json(out, "gripe.complaint/1", &body);
        }
        Format::Jsonl => json::lines([ComplaintJson::new(&listed, &resolved.short, &zone)]),
        Format::Csv => csv::render(&rows(
            &[Line::new(&listed, &zone)],
            &ShortIds::new([resolved.id.as_str()]),
            &zone,
            Layout::Data,
        )),
        Format::Markdown => render_markdown(&listed, &resolved.short, &zone, &ctx.now),
        Format::Table => render_text(&listed, &resolved.short, &zone, &ctx.now, ctx.painter),
    };
    emit(out, &text)
}

/// Where the promise stands: `2026-11-26 (at risk; first given as 2026-11-24)`.
fn promise_line(status: &Status) -> Option<String> {
    status.promise.as_ref().map(|p| {
        let moved = if p.first == p.by {
            String::new()
        } else {
            format!("; first given as {}", p.first)
        };
        format!("{} ({}{moved})", p.by, p.state.as_str())
    })
}

/// Where an SLA clock stands, in words.
fn clock_line(clock: &Clock, zone: &Zone, now: &Timestamp) -> String {
    let target = clock.target;
    match clock.state {
        ClockState::Met => format!(
            "met in {} (target {target})",
            human_seconds(clock.elapsed_s)
        ),
        ClockState::Breached if clock.stopped.is_some() => format!(
            "missed: took {}, due {} (target {target})",
            human_seconds(clock.elapsed_s),
            clock
                .deadline
                .map(|d| When::Zoned(d).human(zone))
                .unwrap_or_default()
        ),
        ClockState::Breached => format!(
            "breached {} ago (target {target})",
            clock
                .deadline
                .map(|d| human_seconds((*now - d).num_seconds()))
                .unwrap_or_default()
        ),
        ClockState::Running => format!(
            "due {} (target {target})",
            clock
                .deadline
                .map(|d| When::Zoned(d).human(zone))
                .unwrap_or_default()
        ),
        ClockState::Paused => format!(
            "paused while waiting on the customer ({} of {target} used)",
            human_seconds(clock.elapsed_s)
        ),
    }
}

/// Where a regulatory clock stands, in words.
fn regulatory_line(clock: &RegClock, zone: &Zone) -> String {
    let human = |t: &Timestamp| When::Zoned(*t).human(zone);
    let due = human(&clock.deadline);
    let left = human_seconds(clock.remaining_s.abs());
    match (clock.state, clock.stopped) {
        (RegState::Met, Some(sent)) => format!("met: letter sent {}, due {due}", human(&sent)),
        (RegState::Met, None) => format!("met, due {due}"),
        (RegState::Running, _) => format!("due {due} (in {left})"),
        (RegState::Extended, _) => format!("extended: due {due} (in {left})"),
        (RegState::Lapsed, _) => format!("lapsed {due}, no summary resolution by then"),
        (RegState::Breached, Some(sent)) => {
            format!("missed: letter sent {}, due {due}", human(&sent))
        }
        (RegState::Breached, None) => format!("breached: due {due}, {left} ago, no letter sent"),
    }
}

/// The status lines of `show`: promise and SLA clocks, as (label, value).
fn status_lines(status: &Status, zone: &Zone, now: &Timestamp) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    if let Some(promise) = promise_line(status) {
        lines.push(("promise".to_string(), promise));
    }
    for clock in &status.clocks {
        lines.push((
            format!("sla {}", clock.kind.as_str()),
            clock_line(clock, zone, now),
        ));
    }
    for clock in &status.regulatory {
        lines.push((clock.label(), regulatory_line(clock, zone)));
    }
    lines
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
    let value = |v: &Option<crate::model::complaint::FieldValue>| match v {
        None => "(none)".to_string(),
        Some(crate::model::complaint::FieldValue::List(items)) if items.is_empty() => {
            "[]".to_string()
        }
        Some(v) => v.to_string(),
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
        EventKind::Merge => format!(
            "merge kept {} = {} over {}",
            e.key.as_deref().unwrap_or("?"),
            value(&e.to),
            value(&e.from)
        ),
        EventKind::Followup | EventKind::FollowupDone => format!(
            "{} {}",
            e.kind.as_str(),
            e.followup.as_deref().unwrap_or_default()
        ),
        EventKind::Response => format!(
            "{} letter{}",
            e.letter.as_deref().unwrap_or("unnamed"),
            match e.timely {
                Some(true) => " (timely, by the regulator's record)",
                Some(false) => " (untimely, by the regulator's record)",
                None => "",
            }
        ),
        EventKind::Referred => "referred by the regulator".to_string(),
        EventKind::Escalated => "escalated to stage 2".to_string(),
        kind => kind.as_str().to_string(),
    }
}

fn render_text(
    listed: &Listed<'_>,
    short: &str,
    zone: &Zone,
    now: &Timestamp,
    p: Painter,
) -> String {
    let loaded = listed.loaded;
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
                c.opened.human(zone),
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
                Some(e) => format!("{} (since {})", c.stage, e.at.human(zone)),
                None => c.stage.clone(),
            },
        ),
    ];
    // The title is the heading, and the promise has its own line below.
    header.extend(
        fields(c)
            .into_iter()
            .filter(|(label, _)| label != "title" && label != "promised by"),
    );
    header.extend(status_lines(&listed.status, zone, now));
    let width = header
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    for (label, value) in &header {
        let value = match label.as_str() {
            "severity" => p.severity(value),
            _ if value.contains("breached")
                || value.contains("broken")
                || value.contains("missed") =>
            {
                p.red(value)
            }
            _ if value.contains("at risk") => p.yellow(value),
            _ => printable(value).into_owned(),
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
        let mut rows = Rows::new(&["ID", "DUE", "STATE", "NOTE"]);
        for (f, state) in c.followups.iter().zip(&listed.status.followups) {
            let (state, style) = match (&f.done, state) {
                (Some(done), FollowupState::Done) => {
                    (format!("done {}", done.human(zone)), colour::GREEN)
                }
                (Some(done), _) => (format!("done late {}", done.human(zone)), colour::YELLOW),
                (None, FollowupState::Overdue) => ("overdue".to_string(), colour::RED),
                (None, _) => ("open".to_string(), colour::YELLOW),
            };
            rows.push(vec![
                f.id.clone(),
                f.due.human(zone),
                state,
                f.note.clone().unwrap_or_default(),
            ]);
            rows.paint(2, style);
        }
        for line in table::render(&rows, p, &[]).lines() {
            let _ = writeln!(s, "  {line}");
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
                p.dim(&e.at.human(zone)),
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

fn render_markdown(listed: &Listed<'_>, short: &str, zone: &Zone, now: &Timestamp) -> String {
    let c = &listed.loaded.complaint;
    let mut s = format!("## {short}: {}\n\n", markdown::escape(&c.title));
    let mut header = Rows::new(&["field", "value"]);
    header.push(vec!["id".into(), c.id.clone()]);
    header.push(vec!["opened".into(), c.opened.human(zone)]);
    header.push(vec!["stage".into(), c.stage.clone()]);
    for (label, value) in fields(c)
        .into_iter()
        .filter(|(l, _)| l != "title")
        .chain(status_lines(&listed.status, zone, now))
    {
        header.push(vec![label, value]);
    }
    s.push_str(&markdown::render(&header));
    if !c.events.is_empty() {
        let mut timeline = Rows::new(&["at", "by", "event", "text"]);
        for e in &c.events {
            timeline.push(vec![
                e.at.human(zone),
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
