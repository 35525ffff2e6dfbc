//! `gripe report`: the team's dashboard, as a terminal page, JSON (`gripe.report/2`, a contract
//! scripts rely on), markdown for CI job summaries, or a self-contained HTML page with charts.
//! `--as-of` replays every complaint's history to the report time.

use std::io::Write;

use chrono::Duration;

use super::bad_files;
use super::emit;
use super::emit_json;
use super::gather;
use super::reading;
use super::say;
use crate::analysis::filter::Filter;
use crate::analysis::replay::as_of;
use crate::analysis::report::Accumulator;
use crate::analysis::report::Scope;
use crate::analysis::report::TOP_DAYS;
use crate::analysis::report::finish;
use crate::analysis::returns;
use crate::analysis::returns::Acc;
use crate::analysis::returns::Period;
use crate::analysis::returns::ReturnKind;
use crate::analysis::returns::ReturnScope;
use crate::cli::ReportArgs;
use crate::cli::ReportFormat;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::output;
use crate::output::html;
use crate::time::when::Direction;
use crate::time::when::Timestamp;
use crate::time::when::parse_user_when;

pub(crate) fn run(args: &ReportArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let config = &store.config;
    let report_time = match &args.as_of {
        Some(date) => parse_user_when(date, &ctx.now, &calendar, Direction::Back)
            .map_err(|e| Error::usage(format!("--as-of: {e}")))?
            .deadline(&calendar.zone),
        None => ctx.now,
    };
    if let Some(regulator) = &args.regulator {
        return complaints_return(args, ctx, regulator, report_time, out);
    }
    if args.format == ReportFormat::Csv {
        return Err(Error::usage_hint(
            "the dashboard has no csv format",
            "csv is for a return: gripe report --return fca --period 2026-H1 --format csv",
        ));
    }
    let seconds =
        |span: &crate::time::duration::Span| Duration::seconds(calendar.span_seconds(span));
    let mut scope = Scope::new(
        config,
        &calendar,
        report_time,
        config.first_contact_within.as_ref().map(seconds),
        seconds(&config.repeat_window),
    );
    scope.top = args.top;
    let filter = Filter::new(
        &args.filter.to_input(),
        &config.workflow,
        &report_time,
        &calendar,
    )?;
    let ((acc, newest), bad) = fold_as_of(
        ctx,
        &filter,
        report_time,
        || (Accumulator::default(), None),
        |(acc, newest), read, then| {
            *newest = (*newest).max(Some(read.opened.date(&calendar.zone)));
            if let Some(complaint) = then {
                acc.add(complaint, &scope);
            }
        },
        |(a, newest), (b, newer)| (a.merge(b, &scope), newest.max(newer)),
    )?;
    let period_start = calendar.zone.local(&report_time).date() - Duration::days(TOP_DAYS);
    if let Some(newest) = newest.filter(|n| *n < period_start) {
        say(&format!(
            "hint: newest complaint {newest}: try --as-of {newest}"
        ));
    }
    // Short ids are unique among every complaint, not only the ones counted.
    let short_ids = store.short_ids_for(acc.action_ids());
    let mut report =
        finish(acc, &scope, &|id| short_ids.get(id).to_string()).map_err(|source| {
            Error::Write {
                path: std::env::temp_dir(),
                source,
            }
        })?;
    report.unreadable_files = bad as u64;
    let text = match args.format {
        ReportFormat::Json => {
            return emit_json(out, "gripe.report/2", &report).and_then(|()| bad_files(bad));
        }
        ReportFormat::Table => output::report::terminal(&report, ctx.painter),
        ReportFormat::Markdown => output::report::markdown(&report),
        ReportFormat::Html => html::render(&report),
        ReportFormat::Csv => unreachable!("refused above"),
    };
    emit(out, &text)?;
    bad_files(bad)
}

/// `gripe report --return fca|cfpb --period P`.
fn complaints_return(
    args: &ReportArgs,
    ctx: &Ctx,
    regulator: &str,
    now: Timestamp,
    out: &mut dyn Write,
) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let config = &store.config;
    let period = Period::parse(args.period.as_deref().unwrap_or_default())
        .map_err(|e| Error::usage(format!("--period: {e}")))?;
    let kind = match regulator {
        "fca" => ReturnKind::Fca,
        _ => ReturnKind::Cfpb,
    };
    if args.format == ReportFormat::Html {
        return Err(Error::usage_hint(
            "a return has no html format",
            "--format table, markdown, csv or json",
        ));
    }
    let scope = ReturnScope {
        kind,
        period,
        config,
        team: &calendar,
        now,
    };
    let filter = Filter::new(&args.filter.to_input(), &config.workflow, &now, &calendar)?;
    let (acc, bad) = fold_as_of(
        ctx,
        &filter,
        now,
        || Acc::new(kind),
        |acc, _, then| {
            if let Some(complaint) = then {
                acc.add(complaint, &scope);
            }
        },
        Acc::merge,
    )?;
    let figures = returns::finish(acc, &scope);
    let text = match args.format {
        ReportFormat::Json => {
            return emit_json(out, "gripe.return/1", &figures).and_then(|()| bad_files(bad));
        }
        ReportFormat::Csv => output::returns::csv(&figures),
        ReportFormat::Markdown => output::returns::page(&figures, ctx.painter, true),
        _ => output::returns::page(&figures, ctx.painter, false),
    };
    emit(out, &text)?;
    bad_files(bad)
}

/// Folds the folder for a report as of `time` (`now` unless `--as-of` is earlier): `add` gets
/// each complaint as read and, if `filter` passes it, as it stood at `time` (its history
/// replayed to then; one opened later is not counted). A header filter is tried on the header
/// first, unless the history is replayed: the header as of then may differ from the header now.
fn fold_as_of<A: Send>(
    ctx: &Ctx,
    filter: &Filter,
    time: Timestamp,
    init: impl Fn() -> A + Sync + Send,
    add: impl Fn(&mut A, &Complaint, Option<&Complaint>) + Sync + Send,
    merge: impl Fn(A, A) -> A + Sync + Send,
) -> Result<(A, usize)> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let workflow = &store.config.workflow;
    let replaying = time < ctx.now;
    let wanted = |c: &Complaint| filter.matches(c, workflow, &calendar);
    Ok(gather(
        store,
        reading(filter, &wanted, !replaying),
        init,
        |acc, loaded| {
            let read = &loaded.complaint;
            let replayed;
            let then = match replaying {
                true => match as_of(read, &time, workflow, &calendar.zone) {
                    Some(c) => {
                        replayed = c;
                        Some(&replayed)
                    }
                    None => None,
                },
                false => Some(read),
            };
            add(acc, read, then.filter(|c| wanted(c)));
        },
        merge,
    ))
}
