//! `gripe report`: the team's dashboard, as a terminal page, JSON (`gripe.report/1`, a contract
//! scripts rely on), markdown for CI job summaries, or a self-contained HTML page with charts.
//! `--as-of` replays every complaint's history to the report time.

use std::fmt::Write as _;
use std::io::Write;

use chrono::Duration;

use super::bad_files;
use super::emit;
use super::gather;
use crate::analysis::filter::Filter;
use crate::analysis::replay::as_of;
use crate::analysis::report::Accumulator;
use crate::analysis::report::Report;
use crate::analysis::report::Scope;
use crate::analysis::report::finish;
use crate::cli::ReportArgs;
use crate::cli::ReportFormat;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::id::ShortIds;
use crate::output::Painter;
use crate::output::Rows;
use crate::output::change;
use crate::output::chart;
use crate::output::colour;
use crate::output::html;
use crate::output::json;
use crate::output::late;
use crate::output::markdown;
use crate::output::of;
use crate::output::percent;
use crate::output::table;
use crate::output::truncate;
use crate::store::Depth;
use crate::store::Reading;
use crate::store::Wanted;
use crate::time::duration::human_seconds;
use crate::time::when::Direction;
use crate::time::when::parse_user_when;

pub fn run(args: &ReportArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let config = &store.config;
    let report_time = match &args.as_of {
        Some(date) => parse_user_when(date, &ctx.now, &calendar, Direction::Back)
            .map_err(|e| Error::usage(format!("--as-of: {e}")))?
            .deadline(&calendar.zone),
        None => ctx.now,
    };
    let replaying = report_time < ctx.now;
    let seconds =
        |span: &crate::time::duration::Span| Duration::seconds(calendar.span_seconds(span));
    let scope = Scope::new(
        config,
        &calendar,
        report_time,
        config.first_contact_within.as_ref().map(seconds),
        seconds(&config.repeat_window),
    );
    let workflow = &config.workflow;
    let filter = Filter::new(&args.filter.to_input(), workflow, &report_time, &calendar)?;
    // A header filter is tried on the header first, unless the history is replayed: the header
    // as of then may differ from the header now.
    let wanted = |c: &Complaint| filter.matches(c, workflow, &calendar);
    let reading = Reading {
        depth: Depth::Full,
        first_look: filter
            .first_look()
            .filter(|_| !replaying)
            .map(|depth| (depth, &wanted as Wanted<'_>)),
    };
    // Short ids are unique among every complaint, not only the ones counted.
    let ((acc, all_ids), bad) = gather(
        store,
        reading,
        || (Accumulator::default(), Vec::new()),
        |(acc, all_ids), loaded| {
            all_ids.push(loaded.complaint.id.clone());
            let past;
            let complaint = if replaying {
                match as_of(&loaded.complaint, &report_time, workflow, &calendar.zone) {
                    Some(c) => {
                        past = c;
                        &past
                    }
                    None => return,
                }
            } else {
                &loaded.complaint
            };
            if filter.matches(complaint, workflow, &calendar) {
                acc.add(complaint, &scope);
            }
        },
        |(a, mut ids), (b, more)| {
            ids.extend(more);
            (a.merge(b), ids)
        },
    );
    let short_ids = ShortIds::new(all_ids.iter().map(String::as_str));
    let mut report = finish(acc, &scope, &|id| short_ids.get(id).to_string());
    report.unreadable_files = bad as u64;
    let text = match args.format {
        ReportFormat::Json => {
            let mut value = json::value(&report);
            let fields = match &mut value {
                serde_json::Value::Object(map) => std::mem::take(map).into_iter().collect(),
                _ => Vec::new(),
            };
            json::envelope(
                "gripe.report/1",
                fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect(),
            )
        }
        ReportFormat::Table => render(&report, ctx.painter, false),
        ReportFormat::Markdown => render(&report, Painter { color: false }, true),
        ReportFormat::Html => html::render(&report),
    };
    emit(out, &text)?;
    bad_files(bad)
}

/// The report as a page: for the terminal, or (`md`) as markdown for a CI job summary.
fn render(r: &Report, p: Painter, md: bool) -> String {
    let mut s = String::new();
    let heading = |s: &mut String, title: &str| {
        if md {
            let _ = writeln!(s, "\n### {title}\n");
        } else {
            let _ = writeln!(s, "\n{}", p.bold(title));
        }
    };
    let rows = |s: &mut String, rows: &Rows, right: &[usize]| {
        if md {
            s.push_str(&markdown::render(rows));
        } else {
            for line in table::render(rows, p, right).lines() {
                let _ = writeln!(s, "  {line}");
            }
        }
    };
    let title = format!(
        "gripe report, as of {} ({})",
        r.as_of,
        crate::output::count(r.complaints, "complaint")
    );
    if md {
        let _ = writeln!(s, "## {title}");
    } else {
        let _ = writeln!(s, "{}", p.bold(&title));
    }
    if let Some(warning) = r.unreadable_warning() {
        let line = format!("warning: {warning}");
        let _ = writeln!(
            s,
            "\n{}",
            if md {
                format!("**{line}**")
            } else {
                p.red(&line)
            }
        );
    }

    heading(&mut s, &format!("Open: {}", r.open.total));
    for breakdown in r.open.breakdowns() {
        let label = breakdown.key.replace('_', " ");
        let value = breakdown
            .counts
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(" · ");
        if md {
            let _ = writeln!(s, "- {label}: {value}");
        } else {
            let _ = writeln!(s, "  {}  {value}", p.dim(&format!("{label:<11}")));
        }
    }

    heading(
        &mut s,
        &format!("Needs action now: {}", r.needs_action_count()),
    );
    if r.needs_action.is_empty() {
        let _ = writeln!(
            s,
            "{}nothing overdue, broken or unacknowledged",
            if md { "" } else { "  " }
        );
    } else {
        let mut actions = Rows::new(&["WHAT", "ID", "ASSIGNEE", "LATE", "TITLE", "DETAIL"]);
        let shown = if md { r.needs_action.len() } else { 15 };
        for a in r.needs_action.iter().take(shown) {
            actions.push(vec![
                a.kind.to_string(),
                a.short_id.clone(),
                a.assignee.clone().unwrap_or_default(),
                late(a.late_s),
                if md {
                    a.title.clone()
                } else {
                    truncate(&a.title, 40)
                },
                if md {
                    a.detail.clone()
                } else {
                    truncate(&a.detail, 50)
                },
            ]);
            actions.paint(0, colour::RED);
        }
        rows(&mut s, &actions, &[3]);
        if r.needs_action.len() > shown {
            let _ = writeln!(
                s,
                "  {}",
                p.dim(&format!(
                    "… and {} more (gripe due, gripe check --fail-on all)",
                    r.needs_action.len() - shown
                ))
            );
        }
    }

    let weeks = &r.volume.weeks;
    heading(
        &mut s,
        &format!(
            "Volume, weeks {} to {}",
            weeks.first().map(String::as_str).unwrap_or_default(),
            weeks.last().map(String::as_str).unwrap_or_default()
        ),
    );
    let mut volume = Rows::new(&["", "TREND", "TOTAL", "THIS WEEK"]);
    for (label, series) in [("opened", &r.volume.opened), ("closed", &r.volume.closed)] {
        volume.push(vec![
            label.to_string(),
            if md {
                format!("`{}`", chart::sparkline(series))
            } else {
                chart::sparkline(series)
            },
            series.iter().sum::<u64>().to_string(),
            series.last().copied().unwrap_or(0).to_string(),
        ]);
        volume.paint(1, colour::CYAN);
    }
    rows(&mut s, &volume, &[2, 3]);

    heading(
        &mut s,
        &format!(
            "Top, last {} days against the {} before",
            r.top.period_days, r.top.period_days
        ),
    );
    let mut top = Rows::new(&[
        "CATEGORY",
        "N",
        "CHANGE",
        "CHANNEL",
        "N",
        "CHANGE",
        "COMPONENT",
        "N",
        "CHANGE",
    ]);
    let lists = [&r.top.category, &r.top.channel, &r.top.component];
    let depth = lists.iter().map(|l| l.len()).max().unwrap_or(0);
    for i in 0..depth {
        let mut row = Vec::new();
        for list in lists {
            match list.get(i) {
                Some(g) => row.extend([g.value.clone(), g.count.to_string(), change(g.change)]),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        top.push(row);
    }
    if depth == 0 {
        let _ = writeln!(
            s,
            "{}no complaints in the last {} days",
            if md { "" } else { "  " },
            r.top.period_days
        );
    } else {
        rows(&mut s, &top, &[1, 2, 4, 5, 7, 8]);
    }

    heading(&mut s, "Service recovery");
    let m = &r.metrics;
    let c = &m.counts;
    let duration =
        |d: &crate::analysis::report::DurationStats, missing: &str| match (d.median_s, d.p90_s) {
            (Some(median), Some(p90)) => format!(
                "median {}, p90 {} ({} measured, {} {missing})",
                human_seconds(median),
                human_seconds(p90),
                d.count,
                d.missing
            ),
            _ => format!("none yet ({} {missing})", d.missing),
        };
    let metrics = [
        (
            "time to acknowledge",
            duration(&m.time_to_acknowledge, "not acknowledged"),
        ),
        (
            "time to resolve",
            duration(&m.time_to_resolve, "not resolved"),
        ),
        (
            "SLA attainment",
            format!(
                "acknowledge {} ({}), resolve {} ({})",
                percent(m.sla_attainment.acknowledge),
                of(c.sla_acknowledge),
                percent(m.sla_attainment.resolve),
                of(c.sla_resolve)
            ),
        ),
        (
            "first-contact resolution",
            format!(
                "{} ({})",
                percent(m.first_contact_resolution),
                of(c.first_contact_resolution)
            ),
        ),
        (
            "reopen rate",
            format!("{} ({})", percent(m.reopen_rate), of(c.reopened)),
        ),
        (
            "follow-ups on time",
            format!(
                "{} ({})",
                percent(m.followup_on_time_rate),
                of(c.followups_on_time)
            ),
        ),
        (
            "promises kept",
            format!("{} ({})", percent(m.promise_kept_rate), of(c.promises_kept)),
        ),
        (
            "satisfied",
            format!(
                "{} ({} asked)",
                percent(m.satisfaction_rate),
                of(c.satisfied)
            ),
        ),
        (
            "repeat complainants",
            format!(
                "{} ({} customers)",
                percent(m.repeat_complainant_rate),
                of(c.repeat_complainants)
            ),
        ),
    ];
    for (label, value) in metrics {
        if md {
            let _ = writeln!(s, "- {label}: {value}");
        } else {
            let _ = writeln!(s, "  {}  {value}", p.dim(&format!("{label:<24}")));
        }
    }

    heading(&mut s, "Where complaints cluster");
    let indent = if md { "- " } else { "  " };
    if let Some(peak) = &r.peak_hour {
        let _ = writeln!(
            s,
            "{indent}busiest hour {}:00-{}:59: {} of {} complaints, {} of them assigned to {}",
            peak.hour, peak.hour, peak.count, peak.total, peak.assignee_count, peak.assignee
        );
    }
    if r.spikes.is_empty() {
        let _ = writeln!(s, "{indent}no spikes in the last {} weeks", weeks.len());
    }
    for spike in &r.spikes {
        let ratio = spike.ratio.map_or("from nothing".to_string(), |x| {
            format!("{x:.1}x the mean of {}", crate::output::mean(spike.mean))
        });
        let line = format!(
            "spike: {} {} in week {}: {} complaints, {ratio}",
            spike.dimension, spike.value, spike.week, spike.count
        );
        let _ = writeln!(s, "{indent}{}", if md { line } else { p.red(&line) });
    }
    let _ = writeln!(
        s,
        "{indent}{}",
        if md {
            "explore: `gripe trends --by hour,assignee`, `gripe trends --by component --every week`"
                .to_string()
        } else {
            p.dim("explore: gripe trends --by hour,assignee · gripe trends --by component --every week")
        }
    );
    s
}
