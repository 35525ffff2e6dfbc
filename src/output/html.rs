//! The report as one self-contained HTML page, to share with people who never open a terminal
//! and to keep as a CI artifact: no script, no network, no external fonts or stylesheets. The
//! charts are inline SVG ([`svg`]), each with a title, a description and its numbers as a
//! table; the palette is colour-blind safe, the layout narrows to a phone and prints.
//!
//! The markup is also well-formed XML (void elements closed, numeric character references
//! only), so a test can hold it to a strict parser. Every number the JSON report has is shown
//! on an element carrying a hook: `data-json` is its JSON pointer in `gripe report --format
//! json` and `data-value` its exact JSON value, whatever the text shows (`10m` for `600`).

mod svg;

use std::fmt::Write as _;

use serde::Serialize;

use crate::analysis::report::ACTION_KINDS;
use crate::analysis::report::DURATION_BUCKETS;
use crate::analysis::report::DurationStats;
use crate::analysis::report::OTHER;
use crate::analysis::report::Report;
use crate::analysis::report::TopGroup;
use crate::analysis::trends::Dim;
use crate::time::duration::human_seconds;

/// Escapes text for HTML and XML, in content and in quoted attributes.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Not allowed in XML; nothing a person wrote needs them on a page.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The attributes that tie a shown number to the JSON report: ` data-json="/a/0"
/// data-value="42"`.
fn hook(pointer: &str, value: &impl Serialize) -> String {
    format!(
        " data-json=\"{}\" data-value=\"{}\"",
        esc(pointer),
        esc(&serde_json::to_string(value).expect("values serialize"))
    )
}

/// A JSON pointer to `parts` (RFC 6901: `~` and `/` in a part are escaped).
fn pointer(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// `value` shown as `text` in a `tag` with other attributes `attrs`, hooked to `pointer`.
fn hooked(tag: &str, attrs: &str, pointer: &str, value: &impl Serialize, text: &str) -> String {
    format!(
        "<{tag}{attrs}{}>{}</{tag}>",
        hook(pointer, value),
        esc(text)
    )
}

fn span(pointer: &str, value: &impl Serialize, text: &str) -> String {
    hooked("span", "", pointer, value, text)
}

const NUM: &str = " class=\"num\"";
const BIG: &str = " class=\"big\"";

fn duration(seconds: Option<i64>) -> String {
    seconds.map_or("–".to_string(), human_seconds)
}

/// A rate as a percentage, hooked.
fn rate(pointer: &str, rate: Option<f64>) -> String {
    hooked("span", BIG, pointer, &rate, &super::percent(rate))
}

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --line: #d4d4d4; --soft: #f4f5f7;
  --accent: #0072B2; --alert: #B3470A; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.5rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1rem; margin: 0 0 .25rem; color: var(--ink); }
p { margin: .25rem 0 .75rem; }
.sub, .note, figcaption, .empty { color: var(--muted); }
.empty { font-style: italic; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: .75rem 0 1.5rem; font-size: .875rem; }
a { color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .75rem; margin: 0; }
.card { background: var(--soft); border-radius: .5rem; padding: .6rem .9rem; }
.card dt { font-size: .875rem; color: var(--muted); }
.card dd { margin: 0; font-variant-numeric: tabular-nums; }
.card .detail { display: block; font-size: .8125rem; color: var(--muted); }
.big { font-size: 1.6rem; font-weight: 700; line-height: 1.3; }
.card.alert { background: #fbeee6; }
.warning { background: #fbeee6; border-left: 4px solid #b35806; padding: .5em 1em; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(19rem, 1fr)); gap: 1rem 2rem; align-items: start; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
.num { text-align: right; white-space: nowrap; }
.scroll, .chart { overflow-x: auto; }
.kind { font-weight: 600; white-space: nowrap; }
.actions td:nth-child(5) { min-width: 14rem; }
.actions td:nth-child(6) { min-width: 16rem; color: var(--muted); }
code { font: .9em ui-monospace, "DejaVu Sans Mono", monospace; }
.meter { display: inline-block; height: .7rem; background: var(--accent); vertical-align: baseline; }
.dist th { width: 40%; font-weight: normal; }
.dist td:last-child { width: 45%; }
figure { margin: 0 0 1.5rem; }
figure svg { display: block; width: 100%; height: auto; }
/* On a phone wide charts scroll sideways rather than shrink their text out of reach. */
figure.wide svg { min-width: 40rem; }
figure.heat svg { min-width: 36rem; }
svg text { font-family: inherit; fill: var(--ink); font-size: 12px; }
svg text.tick { fill: var(--muted); font-size: 11px; }
svg text.value { font-size: 12px; }
svg text.on-dark { fill: #fff; }
svg text.mark { fill: var(--alert); font-size: 14px; }
svg text.cell { font-size: 12px; }
svg .grid line { stroke: #e4e4e4; }
svg line.axis { stroke: var(--ink); }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: .25rem 0 .5rem; font-size: .875rem; }
.swatch { display: inline-block; width: .85rem; height: .85rem; margin-right: .35rem; border-radius: 2px; vertical-align: -.1rem; box-shadow: inset 0 0 0 1px rgba(0, 0, 0, .25); }
details { margin-top: .25rem; font-size: .875rem; }
summary { cursor: pointer; color: var(--accent); }
details table { margin-top: .5rem; }
.spikes { padding-left: 0; list-style: none; }
.spikes li { padding: .25rem 0; }
.flag { color: var(--alert); }
footer { margin-top: 3rem; font-size: .8125rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: .75rem; }
@media (max-width: 40rem) {
  main { padding: 1rem .75rem 2rem; }
  h1 { font-size: 1.4rem; }
  .big { font-size: 1.3rem; }
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .5rem; }
  /* Each action becomes a block: what, id, assignee and lateness on a line, then the rest. */
  .actions thead { display: none; }
  .actions, .actions tbody, .actions tr { display: block; }
  .actions tr { border-bottom: 1px solid var(--line); padding: .5rem 0; }
  .actions td { display: inline; border: 0; padding: 0 .75rem 0 0; }
  .actions td:nth-child(5), .actions td:nth-child(6) { display: block; min-width: 0; padding-top: .25rem; }
}
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav, details { display: none; }
  figure, tr, .card, .dist { break-inside: avoid; }
  h2 { break-after: avoid; }
  .scroll, .chart { overflow: visible; }
  figure.wide svg, figure.heat svg { min-width: 0; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

const SECTIONS: [(&str, &str); 7] = [
    ("action", "Needs action"),
    ("open", "Open work"),
    ("volume", "Volume"),
    ("clusters", "When complaints arrive"),
    ("durations", "How long it takes"),
    ("top", "Top groups"),
    ("spikes", "Spikes"),
];

/// The whole page.
pub(crate) fn render(r: &Report) -> String {
    let mut s = String::new();
    let title = format!("Complaints report, as of {}", r.as_of);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n\
         <meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <meta name=\"generator\" content=\"gripe {}\"/>\n<title>{}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<main>\n<header>\n<h1>Complaints report</h1>\n\
         <p class=\"sub\">As of {} · {} complaints counted · {} {} could not be read</p>\n\
         <nav aria-label=\"Sections\"><ul>",
        env!("CARGO_PKG_VERSION"),
        esc(&title),
        hooked(
            "time",
            &format!(" datetime=\"{}\"", esc(&r.as_of)),
            "/as_of",
            &r.as_of,
            &r.as_of
        ),
        span("/complaints", &r.complaints, &r.complaints.to_string()),
        span(
            "/unreadable_files",
            &r.unreadable_files,
            &r.unreadable_files.to_string()
        ),
        if r.unreadable_files == 1 {
            "file"
        } else {
            "files"
        },
    );
    for (id, name) in SECTIONS {
        let _ = write!(s, "<li><a href=\"#{id}\">{name}</a></li>");
    }
    s.push_str("</ul></nav>\n</header>\n");
    if let Some(warning) = super::report::unreadable_warning(r) {
        let _ = writeln!(
            s,
            "<p class=\"warning\" role=\"alert\">Warning: {}</p>",
            esc(&warning)
        );
    }
    summary(&mut s, r);
    needs_action(&mut s, r);
    regulatory(&mut s, r);
    open(&mut s, r);
    volume(&mut s, r);
    clusters(&mut s, r);
    durations(&mut s, r);
    top(&mut s, r);
    spikes(&mut s, r);
    s.push_str(
        "<footer><p>Made by <code>gripe report --format html</code>. Durations are medians and \
         90th percentiles by the nearest-rank method; rates are shares of the complaints with \
         something to measure, with the counts behind them. Weeks are ISO weeks in the team's \
         time zone.</p></footer>\n</main>\n</body>\n</html>\n",
    );
    s
}

fn section(s: &mut String, id: &str, heading: &str) {
    let _ = write!(
        s,
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{heading}</h2>\n"
    );
}

/// One card of the summary: a label, a main value and a line of detail.
fn card(s: &mut String, class: &str, label: &str, value: &str, detail: &str) {
    let _ = writeln!(
        s,
        "<div class=\"card{class}\"><dt>{label}</dt><dd>{value}<span class=\"detail\">{detail}</span></dd></div>"
    );
}

/// `count measured, missing not yet` for a duration card.
fn duration_card(s: &mut String, key: &str, label: &str, d: &DurationStats, missing: &str) {
    let at = |field: &str| pointer(&["metrics", key, field]);
    let value = hooked(
        "span",
        BIG,
        &at("median_s"),
        &d.median_s,
        &duration(d.median_s),
    );
    let detail = format!(
        "median · p90 {}</span><span class=\"detail\">{} measured, {} {missing}",
        span(&at("p90_s"), &d.p90_s, &duration(d.p90_s)),
        span(&at("count"), &d.count, &d.count.to_string()),
        span(&at("missing"), &d.missing, &d.missing.to_string()),
    );
    card(s, "", label, &value, &detail);
}

/// A rate in the summary, with the counts behind it.
struct Rate {
    label: &'static str,
    pointer: &'static str,
    rate: Option<f64>,
    /// The key of the counts in `metrics.counts`.
    counts_key: &'static str,
    counts: [u64; 2],
    /// What the counts count.
    of_what: &'static str,
}

fn summary(s: &mut String, r: &Report) {
    let m = &r.metrics;
    let c = &m.counts;
    s.push_str("<section aria-label=\"At a glance\">\n<dl class=\"cards\">\n");
    card(
        s,
        "",
        "Open complaints",
        &hooked(
            "span",
            BIG,
            "/open/total",
            &r.open.total,
            &r.open.total.to_string(),
        ),
        "not closed",
    );
    card(
        s,
        if r.needs_action.total == 0 {
            ""
        } else {
            " alert"
        },
        "Needs action now",
        &hooked(
            "span",
            " class=\"big\"",
            "/needs_action/total",
            &r.needs_action.total,
            &r.needs_action.total.to_string(),
        ),
        &format!(
            "<a href=\"#action\">on {} complaint(s): overdue, broken or unacknowledged</a>",
            span(
                "/needs_action/complaints",
                &r.needs_action.complaints,
                &r.needs_action.complaints.to_string()
            )
        ),
    );
    duration_card(
        s,
        "time_to_acknowledge",
        "Time to acknowledge",
        &m.time_to_acknowledge,
        "not acknowledged yet",
    );
    duration_card(
        s,
        "time_to_resolve",
        "Time to resolve",
        &m.time_to_resolve,
        "not resolved yet",
    );
    let rates = [
        Rate {
            label: "SLA met: acknowledge",
            pointer: "/metrics/sla_attainment/acknowledge",
            rate: m.sla_attainment.acknowledge,
            counts_key: "sla_acknowledge",
            counts: c.sla_acknowledge,
            of_what: "complaints",
        },
        Rate {
            label: "SLA met: resolve",
            pointer: "/metrics/sla_attainment/resolve",
            rate: m.sla_attainment.resolve,
            counts_key: "sla_resolve",
            counts: c.sla_resolve,
            of_what: "complaints",
        },
        Rate {
            label: "First-contact resolution",
            pointer: "/metrics/first_contact_resolution",
            rate: m.first_contact_resolution,
            counts_key: "first_contact_resolution",
            counts: c.first_contact_resolution,
            of_what: "resolved",
        },
        Rate {
            label: "Reopened",
            pointer: "/metrics/reopen_rate",
            rate: m.reopen_rate,
            counts_key: "reopened",
            counts: c.reopened,
            of_what: "resolved",
        },
        Rate {
            label: "Follow-ups on time",
            pointer: "/metrics/followup_on_time_rate",
            rate: m.followup_on_time_rate,
            counts_key: "followups_on_time",
            counts: c.followups_on_time,
            of_what: "due",
        },
        Rate {
            label: "Promises kept",
            pointer: "/metrics/promise_kept_rate",
            rate: m.promise_kept_rate,
            counts_key: "promises_kept",
            counts: c.promises_kept,
            of_what: "due",
        },
        Rate {
            label: "Satisfied",
            pointer: "/metrics/satisfaction_rate",
            rate: m.satisfaction_rate,
            counts_key: "satisfied",
            counts: c.satisfied,
            of_what: "asked",
        },
        Rate {
            label: "Repeat complainants",
            pointer: "/metrics/repeat_complainant_rate",
            rate: m.repeat_complainant_rate,
            counts_key: "repeat_complainants",
            counts: c.repeat_complainants,
            of_what: "customers",
        },
    ];
    for r in rates {
        let count = |i: usize| {
            span(
                &pointer(&["metrics", "counts", r.counts_key, &i.to_string()]),
                &r.counts[i],
                &r.counts[i].to_string(),
            )
        };
        let detail = format!("{} of {} {}", count(0), count(1), r.of_what);
        card(s, "", r.label, &rate(r.pointer, r.rate), &detail);
    }
    s.push_str("</dl>\n</section>\n");
}

/// What a kind of action is called on the page.
fn kind_label(kind: &str) -> &str {
    match kind {
        "overdue-followup" => "Overdue follow-up",
        "promise-broken" => "Broken promise",
        "promise-at-risk" => "Promise at risk",
        "sla-acknowledge" => "SLA breach: acknowledge",
        "sla-resolve" => "SLA breach: resolve",
        "not-acknowledged" => "Not acknowledged",
        "regulatory-breach" => "Regulatory breach",
        other => other,
    }
}

/// The regulators' clocks, when any complaint runs under a regime.
fn regulatory(s: &mut String, r: &Report) {
    if r.regulatory.is_empty() {
        return;
    }
    section(s, "regulatory", "Regulatory clocks");
    s.push_str(
        "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Regime</th>\
         <th scope=\"col\">Clock</th><th scope=\"col\" class=\"num\">Running</th>\
         <th scope=\"col\" class=\"num\">Due within 7 days</th>\
         <th scope=\"col\" class=\"num\">Breached</th><th scope=\"col\" class=\"num\">Met</th>\
         <th scope=\"col\" class=\"num\">Met late</th><th scope=\"col\" class=\"num\">Lapsed</th>\
         </tr></thead>\n<tbody>\n",
    );
    for (i, row) in r.regulatory.iter().enumerate() {
        let i = i.to_string();
        let cell = |field: &str, n: u64| {
            format!(
                "<td class=\"num\">{}</td>",
                span(&pointer(&["regulatory", &i, field]), &n, &n.to_string())
            )
        };
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\">{}</th><td>{}</td>{}{}{}{}{}{}</tr>",
            esc(row.regime.as_str()),
            esc(&row.clock.replace('_', " ")),
            cell("running", row.running),
            cell("due_this_week", row.due_this_week),
            cell("breached", row.breached),
            cell("met", row.met),
            cell("missed", row.missed),
            cell("lapsed", row.lapsed),
        );
    }
    s.push_str(
        "</tbody></table></div>\n<p>Breached: <code>gripe list --breached</code> · due soon: \
         <code>gripe list --due-within 7d</code></p>\n</section>\n",
    );
}

fn needs_action(s: &mut String, r: &Report) {
    section(s, "action", "Needs action now");
    let all = format!(
        "<p>Every complaint that needs action: {}</p>\n</section>\n",
        hooked(
            "code",
            "",
            "/needs_action/all",
            &r.needs_action.all,
            r.needs_action.all
        )
    );
    if r.needs_action.items.is_empty() {
        s.push_str("<p class=\"empty\">Nothing overdue, broken or unacknowledged.</p>\n");
        s.push_str(&all);
        return;
    }
    let counts: Vec<String> = ACTION_KINDS
        .iter()
        .filter_map(|k| r.needs_action.by_kind.get(k).map(|n| (k, n)))
        .map(|(k, n)| {
            format!(
                "{} {}",
                esc(kind_label(k)),
                span(&pointer(&["needs_action", "by_kind", k]), n, &n.to_string())
            )
        })
        .collect();
    let actions = &r.needs_action;
    let _ = writeln!(
        s,
        "<p>{}. The {} most urgent below.</p>",
        counts.join(" · "),
        actions.items.len(),
    );
    s.push_str(
        "<div class=\"scroll\"><table class=\"actions\">\n<thead><tr><th scope=\"col\">What</th>\
         <th scope=\"col\">Complaint</th><th scope=\"col\">Assignee</th>\
         <th scope=\"col\" class=\"num\">Late</th><th scope=\"col\">Title</th>\
         <th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n",
    );
    for (i, a) in r.needs_action.items.iter().enumerate() {
        let at = |field: &str| pointer(&["needs_action", "items", &i.to_string(), field]);
        let _ = writeln!(
            s,
            "<tr>{}<td{}><code title=\"{}\"{}>{}</code></td>{}{}{}{}</tr>",
            hooked(
                "td",
                " class=\"kind\"",
                &at("kind"),
                &a.kind,
                kind_label(a.kind)
            ),
            hook(&at("short_id"), &a.short_id),
            esc(&a.id),
            hook(&at("id"), &a.id),
            esc(&a.short_id),
            hooked(
                "td",
                "",
                &at("assignee"),
                &a.assignee,
                a.assignee.as_deref().unwrap_or("–")
            ),
            hooked("td", NUM, &at("late_s"), &a.late_s, &super::late(a.late_s)),
            hooked("td", "", &at("title"), &a.title, &a.title),
            hooked("td", "", &at("detail"), &a.detail, &a.detail),
        );
    }
    s.push_str("</tbody></table></div>\n");
    s.push_str(&all);
}

fn open(s: &mut String, r: &Report) {
    section(s, "open", "Open work");
    let _ = writeln!(
        s,
        "<p>{} complaints are open.</p>\n<div class=\"grid\">",
        span("/open/total", &r.open.total, &r.open.total.to_string())
    );
    for breakdown in r.open.breakdowns() {
        let max = breakdown.counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let _ = write!(
            s,
            "<table class=\"dist\"><caption>{}</caption><tbody>",
            match breakdown.key {
                "by_stage" => "By stage",
                "by_severity" => "By severity",
                _ => "By age",
            }
        );
        for (name, n) in &breakdown.counts {
            let width = (n * 100).checked_div(max).unwrap_or(0);
            let _ = write!(
                s,
                "<tr><th scope=\"row\">{}</th>{}<td><span class=\"meter\" style=\"width: {width}%\"></span></td></tr>",
                esc(name),
                hooked(
                    "td",
                    NUM,
                    &pointer(&["open", breakdown.key, name]),
                    n,
                    &n.to_string()
                ),
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("</div>\n</section>\n");
}

/// A colour key for the series of a chart, and any `more` items.
fn legend(items: &[(&str, &str)], more: &str) -> String {
    let mut s = String::from("<ul class=\"legend\">");
    for (name, colour) in items {
        let _ = write!(
            s,
            "<li><span class=\"swatch\" style=\"background: {colour}\"></span>{}</li>",
            esc(name)
        );
    }
    s.push_str(more);
    s.push_str("</ul>");
    s
}

/// A chart's numbers as a table, folded away under the chart.
fn data_table(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut s = String::from(
        "<details><summary>The numbers as a table</summary><div class=\"scroll\"><table><thead><tr>",
    );
    for (i, h) in headers.iter().enumerate() {
        let class = if i == 0 { "" } else { " class=\"num\"" };
        let _ = write!(s, "<th scope=\"col\"{class}>{}</th>", esc(h));
    }
    s.push_str("</tr></thead><tbody>");
    for row in rows {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(s, "<th scope=\"row\">{}</th>", esc(cell));
            } else {
                let _ = write!(s, "<td class=\"num\">{}</td>", esc(cell));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div></details>");
    s
}

/// A chart with its caption, colour key and data table.
fn figure(s: &mut String, class: &str, caption: &str, chart: &str, key: &str, table: &str) {
    let _ = writeln!(
        s,
        "<figure class=\"{class}\">\n<figcaption><h3>{}</h3></figcaption>\n{key}\n<div class=\"chart\">{chart}</div>\n{table}\n</figure>",
        esc(caption)
    );
}

/// The volume weeks as the charts write them.
struct Weeks<'a> {
    labels: &'a [String],
    /// `W48` for `2026-W48`, under the columns.
    short: Vec<String>,
    /// `2026-W37 to 2026-W48`.
    span: String,
}

fn volume(s: &mut String, r: &Report) {
    let v = &r.volume;
    let weeks = Weeks {
        labels: &v.weeks,
        short: v
            .weeks
            .iter()
            .map(|w| {
                w.split_once('-')
                    .map_or(w.as_str(), |(_, wk)| wk)
                    .to_string()
            })
            .collect(),
        span: format!(
            "{} to {}",
            v.weeks.first().map(String::as_str).unwrap_or_default(),
            v.weeks.last().map(String::as_str).unwrap_or_default()
        ),
    };
    section(s, "volume", "Volume");
    let _ = writeln!(
        s,
        "<p>Weeks {}: {} opened, {} closed.</p>",
        esc(&weeks.span),
        v.opened.iter().sum::<u64>(),
        v.closed.iter().sum::<u64>()
    );
    opened_and_closed(s, r, &weeks);
    by_category(s, r, &weeks);
    s.push_str("</section>\n");
}

/// Opened and closed side by side per week, the weeks with a spike marked.
fn opened_and_closed(s: &mut String, r: &Report, weeks: &Weeks<'_>) {
    let v = &r.volume;
    let mut marks: Vec<(usize, String)> = Vec::new();
    for spike in &r.spikes {
        if let Some(i) = weeks.labels.iter().position(|w| *w == spike.week) {
            let what = format!(
                "spike: {} {}, {} complaints",
                spike.dimension, spike.value, spike.count
            );
            match marks.iter_mut().find(|(at, _)| *at == i) {
                Some((_, text)) => *text = format!("{text}; {what}"),
                None => marks.push((i, what)),
            }
        }
    }
    let (opened, closed) = (svg::PALETTE[0], svg::PALETTE[1]);
    let chart = svg::columns(&svg::Columns {
        id: "chart-volume",
        title: "Complaints opened and closed per week",
        desc: &format!(
            "Weeks {}. Opened: {}. Closed: {}.{}",
            weeks.span,
            joined(&weeks.short, &v.opened),
            joined(&weeks.short, &v.closed),
            if marks.is_empty() {
                String::new()
            } else {
                format!(" Spikes flagged in {} week(s).", marks.len())
            }
        ),
        width: 800.0,
        labels: weeks.labels,
        short_labels: Some(&weeks.short),
        labels_json: Some("/volume/weeks"),
        layers: &[
            svg::Layer {
                name: "opened",
                colour: opened,
                values: &v.opened,
                json: Some("/volume/opened"),
            },
            svg::Layer {
                name: "closed",
                colour: closed,
                values: &v.closed,
                json: Some("/volume/closed"),
            },
        ],
        stacked: false,
        totals_json: None,
        marks: &marks,
    });
    let key = legend(
        &[("opened", opened), ("closed", closed)],
        if marks.is_empty() {
            ""
        } else {
            "<li><span class=\"flag\">▲</span> a spike that week (<a href=\"#spikes\">Spikes</a>)</li>"
        },
    );
    let rows: Vec<Vec<String>> = weeks
        .labels
        .iter()
        .zip(v.opened.iter().zip(&v.closed))
        .map(|(w, (o, c))| vec![w.clone(), o.to_string(), c.to_string()])
        .collect();
    let table = data_table(&["Week".into(), "Opened".into(), "Closed".into()], &rows);
    figure(
        s,
        "wide",
        "Opened and closed per week",
        &chart,
        &key,
        &table,
    );
}

/// Opened per week, stacked by category; the stacks add up to the opened counts.
fn by_category(s: &mut String, r: &Report, weeks: &Weeks<'_>) {
    let series = &r.charts.opened_by_category;
    let colours: Vec<&str> = series
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if c.name == OTHER {
                svg::GREY
            } else {
                svg::PALETTE[i % svg::PALETTE.len()]
            }
        })
        .collect();
    let layers: Vec<svg::Layer<'_>> = series
        .iter()
        .zip(&colours)
        .map(|(c, colour)| svg::Layer {
            name: &c.name,
            colour,
            values: &c.counts,
            json: None,
        })
        .collect();
    let totals: Vec<String> = series
        .iter()
        .map(|c| format!("{} {}", c.name, c.total()))
        .collect();
    let chart = svg::columns(&svg::Columns {
        id: "chart-categories",
        title: "Complaints opened per week by category",
        desc: &format!(
            "Weeks {}, stacked by category; over the weeks: {}.",
            weeks.span,
            if totals.is_empty() {
                "none".to_string()
            } else {
                totals.join(", ")
            }
        ),
        width: 800.0,
        labels: weeks.labels,
        short_labels: Some(&weeks.short),
        labels_json: None,
        layers: &layers,
        stacked: true,
        totals_json: Some("/volume/opened"),
        marks: &[],
    });
    let key: Vec<(&str, &str)> = series
        .iter()
        .zip(&colours)
        .map(|(c, colour)| (c.name.as_str(), *colour))
        .collect();
    let mut headers = vec!["Week".to_string()];
    headers.extend(series.iter().map(|c| c.name.clone()));
    let rows: Vec<Vec<String>> = weeks
        .labels
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut row = vec![w.clone()];
            row.extend(series.iter().map(|c| c.counts[i].to_string()));
            row
        })
        .collect();
    figure(
        s,
        "wide",
        "Opened per week by category",
        &chart,
        &legend(&key, ""),
        &data_table(&headers, &rows),
    );
}

/// `label count` pairs for a chart description.
fn joined(labels: &[String], values: &[u64]) -> String {
    labels
        .iter()
        .zip(values)
        .map(|(l, n)| format!("{l} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn clusters(s: &mut String, r: &Report) {
    section(s, "clusters", "When complaints arrive");
    match &r.peak_hour {
        Some(p) => {
            let _ = writeln!(
                s,
                "<p>Busiest hour: {}:00 to {}:59, with {} of {} complaints; {} of them assigned to {}.</p>",
                span("/peak_hour/hour", &p.hour, &p.hour),
                esc(&p.hour),
                span("/peak_hour/count", &p.count, &p.count.to_string()),
                span("/peak_hour/total", &p.total, &p.total.to_string()),
                span(
                    "/peak_hour/assignee_count",
                    &p.assignee_count,
                    &p.assignee_count.to_string()
                ),
                span("/peak_hour/assignee", &p.assignee, &p.assignee),
            );
        }
        None => {
            let _ = writeln!(
                s,
                "{}",
                hooked(
                    "p",
                    " class=\"empty\"",
                    "/peak_hour",
                    &r.peak_hour,
                    "No complaint has a time of day yet."
                )
            );
        }
    }
    let days = Dim::Weekday.all_values();
    let hours = Dim::Hour.all_values();
    let values: Vec<&[u64]> = r.charts.weekday_hours.iter().map(|h| &h[..]).collect();
    let chart = svg::heat(&svg::Heat {
        id: "chart-heat",
        title: "Complaints opened by weekday and hour of day",
        desc: &format!(
            "A grid of weekdays (rows, Monday first) by hour of day (columns, 00 to 23) in the \
             team's time zone, each cell shaded and labelled with its count. Per weekday: {}.",
            joined(
                &days,
                &values.iter().map(|d| d.iter().sum()).collect::<Vec<u64>>()
            )
        ),
        rows: &days,
        columns: &hours,
        values: &values,
        total_json: r.peak_hour.as_ref().map(|_| "/peak_hour/total"),
    });
    let mut headers = vec!["Day".to_string()];
    headers.extend(hours.iter().cloned());
    let rows: Vec<Vec<String>> = days
        .iter()
        .zip(&values)
        .map(|(d, counts)| {
            let mut row = vec![d.clone()];
            row.extend(counts.iter().map(u64::to_string));
            row
        })
        .collect();
    figure(
        s,
        "heat",
        "Opened by weekday and hour",
        &chart,
        "<p class=\"note\">Darker is more; complaints logged with a date but no time are left out.</p>",
        &data_table(&headers, &rows),
    );
    s.push_str("</section>\n");
}

fn durations(s: &mut String, r: &Report) {
    section(s, "durations", "How long it takes");
    s.push_str("<div class=\"grid\">\n");
    let labels: Vec<String> = DURATION_BUCKETS
        .iter()
        .map(|(l, _)| (*l).to_string())
        .collect();
    let m = &r.metrics;
    let shapes = [
        (
            "acknowledge",
            "Time to acknowledge",
            &m.time_to_acknowledge,
            &r.charts.time_to_acknowledge,
        ),
        (
            "resolve",
            "Time to resolve",
            &m.time_to_resolve,
            &r.charts.time_to_resolve,
        ),
    ];
    for (what, caption, stats, counts) in shapes {
        let chart = svg::columns(&svg::Columns {
            id: &format!("chart-{what}"),
            title: caption,
            desc: &format!(
                "{} complaints by how long they took to be {what}d: {}. Median {}, 90th \
                 percentile {}; {} not {what}d yet.",
                stats.count,
                joined(&labels, counts),
                duration(stats.median_s),
                duration(stats.p90_s),
                stats.missing
            ),
            width: 440.0,
            labels: &labels,
            short_labels: None,
            labels_json: None,
            layers: &[svg::Layer {
                name: "complaints",
                colour: svg::PALETTE[0],
                values: counts,
                json: None,
            }],
            stacked: false,
            totals_json: None,
            marks: &[],
        });
        let key = format!(
            "<p class=\"note\">Median {}, p90 {}; {} not {what}d yet.</p>",
            esc(&duration(stats.median_s)),
            esc(&duration(stats.p90_s)),
            stats.missing
        );
        let rows: Vec<Vec<String>> = labels
            .iter()
            .zip(counts.iter())
            .map(|(l, n)| vec![l.clone(), n.to_string()])
            .collect();
        let table = data_table(&["Took".into(), "Complaints".into()], &rows);
        figure(s, "small", caption, &chart, &key, &table);
    }
    s.push_str("</div>\n</section>\n");
}

fn top(s: &mut String, r: &Report) {
    section(s, "top", "Top groups");
    let days = r.top.period_days.to_string();
    let _ = writeln!(
        s,
        "<p>The last {} days against the {days} days before.</p>\n<div class=\"grid\">",
        span("/top/period_days", &r.top.period_days, &days)
    );
    let lists: [(&str, &str, &[TopGroup]); 3] = [
        ("category", "Category", &r.top.category),
        ("channel", "Channel", &r.top.channel),
        ("component", "Component", &r.top.component),
    ];
    for (key, caption, groups) in lists {
        let _ = write!(
            s,
            "<table><caption>{caption}</caption><thead><tr><th scope=\"col\">Name</th>\
             <th scope=\"col\" class=\"num\">Now</th><th scope=\"col\" class=\"num\">Before</th>\
             <th scope=\"col\" class=\"num\">Change</th></tr></thead><tbody>"
        );
        if groups.is_empty() {
            s.push_str("<tr><td colspan=\"4\" class=\"empty\">none in this period</td></tr>");
        }
        for (i, g) in groups.iter().enumerate() {
            let at = |field: &str| pointer(&["top", key, &i.to_string(), field]);
            let _ = write!(
                s,
                "<tr>{}{}{}{}</tr>",
                hooked("th", " scope=\"row\"", &at("value"), &g.value, &g.value),
                hooked("td", NUM, &at("count"), &g.count, &g.count.to_string()),
                hooked(
                    "td",
                    NUM,
                    &at("previous"),
                    &g.previous,
                    &g.previous.to_string()
                ),
                hooked(
                    "td",
                    NUM,
                    &at("change"),
                    &g.change,
                    &super::change(g.change)
                ),
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("</div>\n</section>\n");
}

fn spikes(s: &mut String, r: &Report) {
    section(s, "spikes", "Spikes");
    s.push_str(
        "<p class=\"note\">A week whose count for a category, channel, component or assignee \
         is far above its mean over the weeks before.</p>\n",
    );
    if r.spikes.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"empty\">No spikes in the last {} weeks.</p>",
            r.volume.weeks.len()
        );
    } else {
        s.push_str("<ul class=\"spikes\">\n");
        for (i, spike) in r.spikes.iter().enumerate() {
            let at = |field: &str| pointer(&["spikes", &i.to_string(), field]);
            let ratio = match spike.ratio {
                Some(x) => format!(
                    "{}× the mean of {}",
                    span(&at("ratio"), &spike.ratio, &format!("{x:.1}")),
                    span(&at("mean"), &spike.mean, &super::mean(spike.mean)),
                ),
                None => format!(
                    "{} (a mean of {})",
                    span(&at("ratio"), &spike.ratio, "from nothing"),
                    span(&at("mean"), &spike.mean, &super::mean(spike.mean)),
                ),
            };
            let _ = writeln!(
                s,
                "<li><span class=\"flag\" aria-hidden=\"true\">▲</span> <strong>{} {}</strong> in week {}: {} complaints, {ratio}</li>",
                span(&at("dimension"), &spike.dimension, spike.dimension),
                span(&at("value"), &spike.value, &spike.value),
                span(&at("week"), &spike.week, &spike.week),
                span(&at("count"), &spike.count, &spike.count.to_string()),
            );
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            esc("<b>\"Tom & Jerry's\"</b>\u{7}"),
            "&lt;b&gt;&quot;Tom &amp; Jerry&#39;s&quot;&lt;/b&gt;\u{FFFD}"
        );
    }

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(
            pointer(&["open", "by_stage", "a/b~c"]),
            "/open/by_stage/a~1b~0c"
        );
        assert_eq!(
            hook("/x", &Some(0.5)),
            " data-json=\"/x\" data-value=\"0.5\""
        );
    }
}
