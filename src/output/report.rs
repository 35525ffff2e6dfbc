//! The report as a page of text: for the terminal ([`terminal`]) or as markdown for a CI job
//! summary ([`markdown`]). The two differ only in how a [`Page`] writes headings, tables, lists
//! and emphasis; what is said, and in what order, is written once.

use std::fmt::Write as _;

use super::Painter;
use super::Rows;
use super::change;
use super::chart;
use super::colour;
use super::count;
use super::late;
use super::markdown as md;
use super::mean;
use super::of;
use super::percent;
use super::table;
use super::truncate;
use crate::analysis::report::DurationStats;
use crate::analysis::report::Report;
use crate::time::duration::human_seconds;

/// How many needs-action items the terminal page shows; markdown shows them all.
const TERMINAL_ACTIONS: usize = 15;

/// The report for the terminal, coloured when `painter` says so.
pub(crate) fn terminal(r: &Report, painter: Painter) -> String {
    render(r, Page::terminal(painter))
}

/// The report as GitHub-flavoured markdown.
pub(crate) fn markdown(r: &Report) -> String {
    render(r, Page::markdown())
}

/// The warning that some files were left out of the report, if any were.
pub(crate) fn unreadable_warning(r: &Report) -> Option<String> {
    let n = r.unreadable_files;
    (n > 0).then(|| {
        let (verb, them) = if n == 1 {
            ("is", "it")
        } else {
            ("are", "them")
        };
        format!(
            "{} could not be read and {verb} not counted; `gripe check` names {them}",
            count(n, "complaint file")
        )
    })
}

/// How many things need action, and on how many complaints when some have several.
pub(crate) fn needs_action_count(r: &Report) -> String {
    let actions = &r.needs_action;
    let items = count(actions.total, "item");
    if actions.complaints == actions.total {
        items
    } else {
        format!("{items} on {}", count(actions.complaints, "complaint"))
    }
}

/// A page being written, in one of the two styles.
struct Page {
    text: String,
    painter: Painter,
    markdown: bool,
}

impl Page {
    fn terminal(painter: Painter) -> Page {
        Page {
            text: String::new(),
            painter,
            markdown: false,
        }
    }

    fn markdown() -> Page {
        Page {
            text: String::new(),
            painter: Painter { color: false },
            markdown: true,
        }
    }

    fn line(&mut self, line: &str) {
        let _ = writeln!(self.text, "{line}");
    }

    fn title(&mut self, title: &str) {
        let line = if self.markdown {
            format!("## {title}")
        } else {
            self.painter.bold(title)
        };
        self.line(&line);
    }

    fn heading(&mut self, title: &str) {
        let line = if self.markdown {
            format!("\n### {title}\n")
        } else {
            format!("\n{}", self.painter.bold(title))
        };
        self.line(&line);
    }

    /// A line that stands out: bold in markdown, red on the terminal.
    fn warning(&mut self, text: &str) {
        let line = if self.markdown {
            format!("\n**{text}**")
        } else {
            format!("\n{}", self.painter.red(text))
        };
        self.line(&line);
    }

    fn table(&mut self, rows: &Rows, right: &[usize]) {
        if self.markdown {
            self.text.push_str(&md::render(rows));
        } else {
            for line in table::render(rows, self.painter, right).lines() {
                let _ = writeln!(self.text, "  {line}");
            }
        }
    }

    /// `label: value`, as a list item or as a dim label in a column `width` wide.
    fn field(&mut self, label: &str, width: usize, value: &str) {
        let line = if self.markdown {
            format!("- {label}: {value}")
        } else {
            format!(
                "  {}  {value}",
                self.painter.dim(&format!("{label:<width$}"))
            )
        };
        self.line(&line);
    }

    /// A sentence in place of an empty table.
    fn empty(&mut self, text: &str) {
        let indent = if self.markdown { "" } else { "  " };
        self.line(&format!("{indent}{text}"));
    }

    /// A list item; `alert` ones are red on the terminal.
    fn item(&mut self, text: &str, alert: bool) {
        let line = match (self.markdown, alert) {
            (true, _) => format!("- {text}"),
            (false, true) => format!("  {}", self.painter.red(text)),
            (false, false) => format!("  {text}"),
        };
        self.line(&line);
    }

    /// The commands that explore further.
    fn explore(&mut self, commands: &[&str]) {
        let line = if self.markdown {
            let quoted: Vec<String> = commands.iter().map(|c| format!("`{c}`")).collect();
            format!("- explore: {}", quoted.join(", "))
        } else {
            format!(
                "  {}",
                self.painter
                    .dim(&format!("explore: {}", commands.join(" · ")))
            )
        };
        self.line(&line);
    }

    /// Text cut to `max` characters on the terminal, whole in markdown.
    fn fit(&self, text: &str, max: usize) -> String {
        if self.markdown {
            text.to_string()
        } else {
            truncate(text, max)
        }
    }

    /// A chart drawn in characters, kept as code in markdown.
    fn glyphs(&self, chart: String) -> String {
        if self.markdown {
            format!("`{chart}`")
        } else {
            chart
        }
    }
}

fn render(r: &Report, mut page: Page) -> String {
    page.title(&format!(
        "gripe report, as of {} ({})",
        r.as_of,
        count(r.complaints, "complaint")
    ));
    if let Some(warning) = unreadable_warning(r) {
        page.warning(&format!("warning: {warning}"));
    }
    open(r, &mut page);
    needs_action(r, &mut page);
    volume(r, &mut page);
    top(r, &mut page);
    regulatory(r, &mut page);
    service_recovery(r, &mut page);
    clusters(r, &mut page);
    page.text
}

/// The regulators' clocks, when any complaint runs under a regime.
fn regulatory(r: &Report, page: &mut Page) {
    if r.regulatory.is_empty() {
        return;
    }
    let breached: u64 = r.regulatory.iter().map(|row| row.breached).sum();
    page.heading(&format!(
        "Regulatory clocks: {} running, {} due within 7 days, {breached} breached",
        r.regulatory.iter().map(|row| row.running).sum::<u64>(),
        r.regulatory
            .iter()
            .map(|row| row.due_this_week)
            .sum::<u64>(),
    ));
    let mut rows = Rows::new(&[
        "REGIME", "CLOCK", "RUNNING", "DUE 7D", "BREACHED", "MET", "LATE", "LAPSED",
    ]);
    for row in &r.regulatory {
        rows.push(vec![
            row.regime.to_string(),
            row.clock.replace('_', " "),
            row.running.to_string(),
            row.due_this_week.to_string(),
            row.breached.to_string(),
            row.met.to_string(),
            row.missed.to_string(),
            row.lapsed.to_string(),
        ]);
        if row.breached > 0 {
            rows.paint(4, colour::RED);
        }
    }
    page.table(&rows, &[2, 3, 4, 5, 6, 7]);
    page.explore(&["gripe list --breached", "gripe list --due-within 7d"]);
}

fn open(r: &Report, page: &mut Page) {
    page.heading(&format!("Open: {}", r.open.total));
    for breakdown in r.open.breakdowns() {
        let value = breakdown
            .counts
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(" · ");
        page.field(&breakdown.key.replace('_', " "), 11, &value);
    }
}

fn needs_action(r: &Report, page: &mut Page) {
    page.heading(&format!("Needs action now: {}", needs_action_count(r)));
    let items = &r.needs_action.items;
    if items.is_empty() {
        page.empty("nothing overdue, broken or unacknowledged");
        return;
    }
    let mut actions = Rows::new(&["WHAT", "ID", "ASSIGNEE", "LATE", "TITLE", "DETAIL"]);
    let shown = if page.markdown {
        items.len()
    } else {
        items.len().min(TERMINAL_ACTIONS)
    };
    for a in items.iter().take(shown) {
        actions.push(vec![
            a.kind.to_string(),
            a.short_id.clone(),
            a.assignee.clone().unwrap_or_default(),
            late(a.late_s),
            page.fit(&a.title, 40),
            page.fit(&a.detail, 50),
        ]);
        actions.paint(0, colour::RED);
    }
    page.table(&actions, &[3]);
    if r.needs_action.total > shown as u64 {
        let more = format!(
            "… and {} more, the most urgent first: {}",
            r.needs_action.total - shown as u64,
            r.needs_action.all
        );
        let line = format!("  {}", page.painter.dim(&more));
        page.line(&line);
    }
}

fn volume(r: &Report, page: &mut Page) {
    let weeks = &r.volume.weeks;
    page.heading(&format!(
        "Volume, weeks {} to {}",
        weeks.first().map(String::as_str).unwrap_or_default(),
        weeks.last().map(String::as_str).unwrap_or_default()
    ));
    let mut volume = Rows::new(&["", "TREND", "TOTAL", "THIS WEEK"]);
    for (label, series) in [("opened", &r.volume.opened), ("closed", &r.volume.closed)] {
        volume.push(vec![
            label.to_string(),
            page.glyphs(chart::sparkline(series)),
            series.iter().sum::<u64>().to_string(),
            series.last().copied().unwrap_or(0).to_string(),
        ]);
        volume.paint(1, colour::CYAN);
    }
    page.table(&volume, &[2, 3]);
}

fn top(r: &Report, page: &mut Page) {
    let days = r.top.period_days;
    page.heading(&format!("Top, last {days} days against the {days} before"));
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
        page.empty(&format!("no complaints in the last {days} days"));
    } else {
        page.table(&top, &[1, 2, 4, 5, 7, 8]);
    }
}

/// A duration metric: its median and 90th percentile, and how many it was measured on.
fn duration(d: &DurationStats, missing: &str) -> String {
    match (d.median_s, d.p90_s) {
        (Some(median), Some(p90)) => format!(
            "median {}, p90 {} ({} measured, {} {missing})",
            human_seconds(median),
            human_seconds(p90),
            d.count,
            d.missing
        ),
        _ => format!("none yet ({} {missing})", d.missing),
    }
}

fn service_recovery(r: &Report, page: &mut Page) {
    page.heading("Service recovery");
    let m = &r.metrics;
    let c = &m.counts;
    let rate = |rate: Option<f64>, counts: [u64; 2]| format!("{} ({})", percent(rate), of(counts));
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
                "acknowledge {}, resolve {}",
                rate(m.sla_attainment.acknowledge, c.sla_acknowledge),
                rate(m.sla_attainment.resolve, c.sla_resolve)
            ),
        ),
        (
            "first-contact resolution",
            rate(m.first_contact_resolution, c.first_contact_resolution),
        ),
        ("reopen rate", rate(m.reopen_rate, c.reopened)),
        (
            "follow-ups on time",
            rate(m.followup_on_time_rate, c.followups_on_time),
        ),
        ("promises kept", rate(m.promise_kept_rate, c.promises_kept)),
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
        page.field(label, 24, &value);
    }
}

fn clusters(r: &Report, page: &mut Page) {
    page.heading("Where complaints cluster");
    if let Some(peak) = &r.peak_hour {
        page.item(
            &format!(
                "busiest hour {}:00-{}:59: {} of {} complaints, {} of them assigned to {}",
                peak.hour, peak.hour, peak.count, peak.total, peak.assignee_count, peak.assignee
            ),
            false,
        );
    }
    if r.spikes.is_empty() {
        page.item(
            &format!("no spikes in the last {} weeks", r.volume.weeks.len()),
            false,
        );
    }
    for spike in &r.spikes {
        let ratio = spike.ratio.map_or("from nothing".to_string(), |x| {
            format!("{x:.1}x the mean of {}", mean(spike.mean))
        });
        page.item(
            &format!(
                "spike: {} {} in week {}: {} complaints, {ratio}",
                spike.dimension, spike.value, spike.week, spike.count
            ),
            true,
        );
    }
    page.explore(&[
        "gripe trends --by hour,assignee",
        "gripe trends --by component --every week",
    ]);
}
