//! `gripe trends`: counts by one or two dimensions, optionally per period, with spikes; as
//! bars, a heat map or sparklines for people, and in long form (`period`, one column per
//! dimension, `count`) for scripts.

use std::io::Write;

use serde_json::Map;
use serde_json::Value;

use super::bad_files;
use super::emit;
use super::emit_json;
use super::gather;
use super::say;
use crate::analysis::filter::Filter;
use crate::analysis::trends::Counts;
use crate::analysis::trends::Dim;
use crate::analysis::trends::Every;
use crate::analysis::trends::Group;
use crate::analysis::trends::Trends;
use crate::analysis::trends::build;
use crate::cli::TrendsArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::policy::SpikeRule;
use crate::output::Format;
use crate::output::Painter;
use crate::output::Rows;
use crate::output::chart;
use crate::output::colour;
use crate::output::csv;
use crate::output::json;
use crate::output::markdown;
use crate::output::table;
use crate::store::Depth;

pub(crate) fn run(args: &TrendsArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let zone = calendar.zone;
    let dims = args
        .by
        .split(',')
        .map(Dim::parse)
        .collect::<std::result::Result<Vec<Dim>, String>>()
        .map_err(|e| Error::usage(format!("--by: {e}")))?;
    if dims.len() == 2 && dims[0].name() == dims[1].name() {
        return Err(Error::usage_hint(
            format!("--by names {} twice", dims[0].name()),
            "give two different dimensions, for example --by hour,assignee",
        ));
    }
    if dims.is_empty() || dims.len() > 2 {
        return Err(Error::usage_hint(
            "--by takes one or two dimensions",
            "for example --by category, or --by hour,assignee",
        ));
    }
    let every = args
        .every
        .as_deref()
        .map(Every::parse)
        .transpose()
        .map_err(|e| Error::usage(format!("--every: {e}")))?;
    let config_rule = store.config.spikes;
    let rule = SpikeRule {
        threshold: args.spike_threshold.unwrap_or(config_rule.threshold),
        window: args.spike_window.unwrap_or(config_rule.window),
        min_count: args.spike_min_count.unwrap_or(config_rule.min_count),
    };
    if !(rule.threshold > 0.0 && rule.window > 0) {
        return Err(Error::usage(
            "--spike-threshold and --spike-window must be above zero",
        ));
    }
    let workflow = &store.config.workflow;
    let mut filter = Filter::new(&args.filter.to_input(), workflow, &ctx.now, &calendar)?;
    // Whole periods only: a series that began mid-week would count a part of a week as if it
    // were a whole one, and drag the trailing mean of the spike rule down.
    if let (Some(every), (Some(since), _)) = (every, filter.range()) {
        let start = every.start(zone.local(&since).date());
        filter.widen_since(zone.start_of_day(start));
    }
    let depth = match filter.depth() {
        Depth::Top if dims.iter().any(Dim::needs_tables) => Depth::Header,
        depth => depth,
    };
    let ((counts, newest), bad) = gather(
        store,
        depth,
        || (Counts::default(), None),
        |(counts, newest), loaded| {
            *newest = (*newest).max(Some(loaded.complaint.opened.date(&zone)));
            if filter.matches(&loaded.complaint, workflow, &calendar) {
                counts.add(&loaded.complaint, &dims, every, &zone);
            }
        },
        |(a, newest), (b, newer)| (a.merge(b), newest.max(newer)),
    );
    // Periods run from --since (or the first complaint) to --until (or today), so the latest
    // period is the current one.
    let (since, until) = filter.range();
    let today = zone.local(&ctx.now).date();
    let last = until.map_or(today, |u| zone.local(&u).date());
    let shown_from = since
        .map(|s| zone.local(&s).date())
        .or(every.map(|e| e.start(last)));
    if let (Some(newest), Some(from)) = (newest, shown_from)
        && newest < from
    {
        let earlier = since.map_or(String::new(), |s| {
            format!("--since {} ", newest - (last - zone.local(&s).date()))
        });
        say(&format!(
            "hint: newest complaint {newest}: try {earlier}--until {newest}"
        ));
    }
    let trends = build(
        counts,
        dims,
        every,
        since.map(|s| zone.local(&s).date()),
        Some(last),
        rule,
    );
    let text = match args.format {
        Format::Table => render_table(&trends, args.top, ctx.painter),
        Format::Markdown => render_markdown(&trends, args.top),
        Format::Csv => csv::render(&long_rows(&trends)),
        Format::Jsonl => json::lines(long_objects(&trends)),
        Format::Json => {
            let body = TrendsJson {
                by: trends.dims.iter().map(|d| d.name()).collect(),
                every: trends.every,
                periods: period_labels(&trends),
                spike_rule: trends.rule,
                rows: long_objects(&trends),
                spikes: spikes(&trends),
            };
            return emit_json(out, "gripe.trends/1", &body).and_then(|()| bad_files(bad));
        }
    };
    emit(out, &text)?;
    bad_files(bad)
}

/// The body of `gripe.trends/1`.
#[derive(serde::Serialize)]
struct TrendsJson {
    by: Vec<String>,
    every: Option<Every>,
    periods: Vec<String>,
    spike_rule: SpikeRule,
    rows: Vec<Value>,
    spikes: Vec<Value>,
}

fn period_labels(t: &Trends) -> Vec<String> {
    match t.every {
        Some(every) => t.periods.iter().map(|p| every.label(*p)).collect(),
        None => Vec::new(),
    }
}

fn dim_names(t: &Trends) -> Vec<String> {
    t.dims.iter().map(Dim::name).collect()
}

/// The long form: a `period` column with `--every`, one column per dimension, then `count`.
fn long_rows(t: &Trends) -> Rows {
    let mut headers: Vec<String> = Vec::new();
    if t.every.is_some() {
        headers.push("period".into());
    }
    headers.extend(dim_names(t));
    headers.push("count".into());
    let mut rows = Rows::with_headers(headers);
    let labels = period_labels(t);
    for group in &t.groups {
        if t.every.is_some() {
            for (label, n) in labels.iter().zip(&group.series) {
                let mut row = vec![label.clone()];
                row.extend(group.key.iter().cloned());
                row.push(n.to_string());
                rows.push(row);
            }
        } else {
            let mut row = group.key.clone();
            row.push(group.total.to_string());
            rows.push(row);
        }
    }
    rows
}

fn long_objects(t: &Trends) -> Vec<Value> {
    let rows = long_rows(t);
    rows.rows
        .iter()
        .map(|row| {
            let mut object = Map::new();
            for (header, cell) in rows.headers.iter().zip(row) {
                let value = if header == "count" {
                    Value::from(cell.parse::<u64>().expect("counts are numbers"))
                } else {
                    Value::from(cell.as_str())
                };
                object.insert(header.clone(), value);
            }
            Value::Object(object)
        })
        .collect()
}

fn spikes(t: &Trends) -> Vec<Value> {
    let period = t
        .every
        .zip(t.periods.last())
        .map(|(every, p)| every.label(*p));
    t.groups
        .iter()
        .filter_map(|g| g.spike.map(|s| (g, s)))
        .map(|(g, s)| {
            let mut object = Map::new();
            object.insert("period".into(), json::value(&period));
            for (name, value) in dim_names(t).into_iter().zip(&g.key) {
                object.insert(name, Value::from(value.as_str()));
            }
            object.insert("latest".into(), s.latest.into());
            object.insert("mean".into(), json::value(&s.mean));
            object.insert("ratio".into(), json::value(&s.ratio));
            Value::Object(object)
        })
        .collect()
}

/// The spike marker of a group: `▲ 3.2x` (or `▲ new` when there was nothing before).
fn spike_label(group: &Group) -> String {
    match group.spike {
        Some(s) => match s.ratio {
            Some(r) => format!("▲ {r:.1}x"),
            None => "▲ new".into(),
        },
        None => String::new(),
    }
}

/// Groups beyond `top` (0: none cut), and how many were cut.
fn shown(t: &Trends, top: usize) -> (&[Group], usize) {
    if top == 0 || t.groups.len() <= top || t.dims.first().is_some_and(Dim::is_ordinal) {
        (&t.groups, 0)
    } else {
        (&t.groups[..top], t.groups.len() - top)
    }
}

fn title(t: &Trends) -> String {
    let total: u64 = if t.dims.first() == Some(&Dim::Tag) {
        0
    } else {
        t.groups.iter().map(|g| g.total).sum()
    };
    let names = dim_names(t).join(" and ");
    let mut title = format!("Complaints by {names}");
    if let (Some(every), Some(first), Some(last)) = (t.every, t.periods.first(), t.periods.last()) {
        title.push_str(&format!(
            ", per {}, {} to {}",
            json::name(&every),
            every.label(*first),
            every.label(*last)
        ));
    }
    if total > 0 {
        title.push_str(&format!(" ({total})"));
    }
    title
}

fn render_table(t: &Trends, top: usize, p: Painter) -> String {
    let mut text = format!("{}\n", p.bold(&title(t)));
    let (groups, cut) = shown(t, top);
    if t.groups.is_empty() {
        text.push_str("No complaints match.\n");
        return text;
    }
    let body = match (t.every.is_some(), t.dims.len()) {
        (true, _) => series_rows(t, groups),
        (false, 1) => total_rows(t, groups),
        (false, _) => heat_rows(t, p),
    };
    // Numbers are right-aligned: in a heat map every column after the first holds counts.
    let first_number = if t.every.is_none() && t.dims.len() == 2 {
        1
    } else {
        t.dims.len()
    };
    let right: Vec<usize> = (first_number..body.headers.len()).collect();
    text.push_str(&table::render(&body, p, &right));
    if cut > 0 {
        text.push_str(&p.dim(&format!("… and {cut} more groups (--top 0 shows all)\n")));
    }
    if t.every.is_some() {
        let spiking = t.groups.iter().filter(|g| g.spike.is_some()).count();
        text.push_str(&format!(
            "{}\n",
            p.dim(&format!(
                "{spiking} spike(s): latest period ≥ {}x the mean of up to {} periods before it and ≥ {}",
                t.rule.threshold, t.rule.window, t.rule.min_count
            ))
        ));
    }
    text
}

fn headers(t: &Trends, more: &[&str]) -> Vec<String> {
    dim_names(t)
        .iter()
        .map(|n| n.to_uppercase())
        .chain(more.iter().map(ToString::to_string))
        .collect()
}

/// One dimension: count, share and a bar.
fn total_rows(t: &Trends, groups: &[Group]) -> Rows {
    let sum: u64 = t.groups.iter().map(|g| g.total).sum();
    let max = t.groups.iter().map(|g| g.total).max().unwrap_or(0);
    let mut rows = Rows::with_headers(headers(t, &["COUNT", "SHARE", ""]));
    for g in groups {
        let mut row = g.key.clone();
        row.push(g.total.to_string());
        row.push(format!(
            "{:.0}%",
            g.total as f64 * 100.0 / sum.max(1) as f64
        ));
        row.push(chart::bar(g.total, max, 30));
        rows.push(row);
        rows.paint(rows.headers.len() - 1, colour::CYAN);
    }
    rows
}

/// With periods: total, a sparkline of the series, the latest period, its trailing mean and
/// the spike marker.
fn series_rows(t: &Trends, groups: &[Group]) -> Rows {
    let mut rows = Rows::with_headers(headers(t, &["TOTAL", "TREND", "LATEST", "MEAN", "SPIKE"]));
    for g in groups {
        let latest = g.series.last().copied().unwrap_or(0);
        let before = &g.series[..g.series.len().saturating_sub(1)];
        let window = &before[before.len().saturating_sub(t.rule.window)..];
        let mean = window.iter().sum::<u64>() as f64 / window.len().max(1) as f64;
        let mut row = g.key.clone();
        row.push(g.total.to_string());
        let trend = row.len();
        row.push(chart::sparkline(&g.series));
        row.push(latest.to_string());
        row.push(crate::output::mean(mean));
        row.push(spike_label(g));
        rows.push(row);
        rows.paint(trend, colour::CYAN);
        rows.paint(trend + 3, colour::RED);
    }
    rows
}

/// Two dimensions: the first down, the second across, each cell shaded by its count.
fn heat_rows(t: &Trends, p: Painter) -> Rows {
    let mut columns: Vec<(String, u64)> = Vec::new();
    for g in &t.groups {
        match columns.iter_mut().find(|(v, _)| *v == g.key[1]) {
            Some((_, n)) => *n += g.total,
            None => columns.push((g.key[1].clone(), g.total)),
        }
    }
    if t.dims[1].is_ordinal() {
        let order = t.dims[1].all_values();
        columns.sort_by_key(|(v, _)| order.iter().position(|o| o == v).unwrap_or(usize::MAX));
    } else {
        columns.sort_by(|a, b| {
            (
                a.0 == crate::analysis::trends::NONE,
                std::cmp::Reverse(a.1),
                &a.0,
            )
                .cmp(&(
                    b.0 == crate::analysis::trends::NONE,
                    std::cmp::Reverse(b.1),
                    &b.0,
                ))
        });
    }
    let mut row_keys: Vec<String> = Vec::new();
    for g in &t.groups {
        if !row_keys.contains(&g.key[0]) {
            row_keys.push(g.key[0].clone());
        }
    }
    let max = t.groups.iter().map(|g| g.total).max().unwrap_or(0);
    let mut headers = vec![t.dims[0].name().to_uppercase()];
    headers.extend(columns.iter().map(|(v, _)| v.clone()));
    headers.push("TOTAL".into());
    let mut rows = Rows::with_headers(headers);
    let mut styles = Vec::new();
    for key in &row_keys {
        let mut row = vec![key.clone()];
        let mut total = 0;
        for (column, _) in &columns {
            let n = t
                .groups
                .iter()
                .find(|g| &g.key[0] == key && &g.key[1] == column)
                .map_or(0, |g| g.total);
            total += n;
            let (text, style) = chart::heat(n, max, p);
            styles.push(style);
            row.push(text);
        }
        row.push(total.to_string());
        rows.push(row);
        for (column, style) in styles.drain(..).enumerate() {
            if let Some(style) = style {
                rows.paint(column + 1, style);
            }
        }
    }
    rows
}

fn render_markdown(t: &Trends, top: usize) -> String {
    let plain = Painter { color: false };
    let (groups, cut) = shown(t, top);
    let body = match (t.every.is_some(), t.dims.len()) {
        (true, _) => series_rows(t, groups),
        (false, 1) => total_rows(t, groups),
        (false, _) => heat_rows(t, plain),
    };
    let mut text = format!("### {}\n\n{}", title(t), markdown::render(&body));
    if cut > 0 {
        text.push_str(&format!("\n… and {cut} more groups.\n"));
    }
    text
}
