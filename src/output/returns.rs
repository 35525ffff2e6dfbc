//! A regulator's complaints return as text: sections of tables for the terminal and markdown,
//! and one long CSV (`section,group,measure,value`) that a spreadsheet pivots.

use super::Painter;
use super::Rows;
use super::csv;
use super::markdown as md;
use super::table;
use crate::analysis::returns::Figures;
use crate::analysis::returns::GroupLine;
use crate::analysis::returns::Return;
use crate::analysis::returns::Share;

/// One figure: its section, the group it is about (empty for the whole), what it measures and
/// its value as written.
struct Figure {
    section: &'static str,
    group: String,
    measure: &'static str,
    value: String,
}

fn percent(p: Option<f64>) -> String {
    p.map_or(String::new(), |p| format!("{p:.1}"))
}

/// Every figure of the return, in order; without the figures by group unless `by_group`.
fn figures(r: &Return, by_group: bool) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut put = |section, group: &str, measure, value: String| {
        out.push(Figure {
            section,
            group: group.to_string(),
            measure,
            value,
        });
    };
    match &r.figures {
        Figures::Fca(f) => {
            put("complaints", "", "opened", f.opened.to_string());
            put("complaints", "", "closed", f.closed.to_string());
            put(
                "complaints",
                "",
                "outstanding_at_start",
                f.outstanding_at_start.to_string(),
            );
            put(
                "complaints",
                "",
                "outstanding_at_end",
                f.outstanding_at_end.to_string(),
            );
            let shares: [(&'static str, &'static str, &Share); 3] = [
                (
                    "within_3_business_days",
                    "within_3_business_days_percent",
                    &f.closed_within_3_business_days,
                ),
                (
                    "within_8_weeks",
                    "within_8_weeks_percent",
                    &f.closed_within_8_weeks,
                ),
                (
                    "after_8_weeks",
                    "after_8_weeks_percent",
                    &f.closed_after_8_weeks,
                ),
            ];
            for (count, share, s) in shares {
                put("closed", "", count, s.count.to_string());
                put("closed", "", share, percent(s.percent));
            }
            let u = &f.upheld;
            put("upheld", "", "yes", u.yes.to_string());
            put("upheld", "", "partial", u.partial.to_string());
            put("upheld", "", "no", u.no.to_string());
            put("upheld", "", "unanswered", u.unanswered.to_string());
            put("upheld", "", "upheld_percent", percent(u.upheld_percent));
            for amount in &f.redress {
                put("redress", "", "paid", amount.clone());
            }
            if f.unreadable_redress > 0 {
                put(
                    "redress",
                    "",
                    "unreadable",
                    f.unreadable_redress.to_string(),
                );
            }
            let groups = [
                ("product_group", &f.by_product_group),
                ("cause", &f.by_cause),
            ];
            for (section, lines) in groups.into_iter().filter(|_| by_group) {
                for line in lines {
                    put(section, &line.group, "opened", line.opened.to_string());
                    put(section, &line.group, "closed", line.closed.to_string());
                    put(
                        section,
                        &line.group,
                        "upheld",
                        line.upheld.upheld().to_string(),
                    );
                    put(
                        section,
                        &line.group,
                        "upheld_percent",
                        percent(line.upheld.upheld_percent),
                    );
                    for amount in &line.redress {
                        put(section, &line.group, "redress", amount.clone());
                    }
                }
            }
        }
        Figures::Cfpb(f) => {
            put(
                "responses",
                "",
                "sent_to_company",
                f.sent_to_company.to_string(),
            );
            put("responses", "", "timely", f.timely.to_string());
            put("responses", "", "untimely", f.untimely.to_string());
            put("responses", "", "pending", f.pending.to_string());
            put("responses", "", "timely_percent", percent(f.timely_percent));
            put(
                "responses",
                "",
                "median_days_to_respond",
                f.median_days_to_respond
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            );
            put("responses", "", "closed", f.closed.to_string());
        }
    }
    out
}

/// The return as one CSV table.
pub(crate) fn csv(r: &Return) -> String {
    let mut rows = Rows::new(&["section", "group", "measure", "value"]);
    for f in figures(r, true) {
        rows.push(vec![
            f.section.to_string(),
            f.group,
            f.measure.to_string(),
            f.value,
        ]);
    }
    csv::render(&rows)
}

/// The return as a page: for the terminal, or as markdown.
pub(crate) fn page(r: &Return, painter: Painter, markdown: bool) -> String {
    let title = format!(
        "{} complaints return, {} to {}",
        match r.kind {
            crate::analysis::returns::ReturnKind::Fca => "FCA",
            crate::analysis::returns::ReturnKind::Cfpb => "CFPB",
        },
        r.period.start,
        r.period.end
    );
    let mut text = if markdown {
        format!("## {title}\n")
    } else {
        format!("{}\n", painter.bold(&title))
    };
    let mut section = |heading: &str, rows: &Rows, right: &[usize]| {
        if markdown {
            text.push_str(&format!("\n### {heading}\n\n{}", md::render(rows)));
        } else {
            text.push_str(&format!("\n{}\n", painter.bold(heading)));
            for line in table::render(rows, painter, right).lines() {
                text.push_str(&format!("  {line}\n"));
            }
        }
    };
    // The whole-return sections as MEASURE VALUE; the groups' tables follow.
    let mut current: Option<(&str, Rows)> = None;
    for f in figures(r, false) {
        if current.as_ref().is_none_or(|(s, _)| *s != f.section) {
            if let Some((s, rows)) = current.take() {
                section(&heading(s), &rows, &[1]);
            }
            current = Some((f.section, Rows::new(&["MEASURE", "VALUE"])));
        }
        if let Some((_, rows)) = current.as_mut() {
            rows.push(vec![f.measure.replace('_', " "), f.value]);
        }
    }
    if let Some((s, rows)) = current.take() {
        section(&heading(s), &rows, &[1]);
    }
    if let Figures::Fca(f) = &r.figures {
        for (name, lines) in [
            ("By product group", &f.by_product_group),
            ("By cause", &f.by_cause),
        ] {
            section(name, &group_rows(lines), &[1, 2, 3, 4]);
        }
    }
    text
}

fn heading(section: &str) -> String {
    let mut s = section.replace('_', " ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

fn group_rows(lines: &[GroupLine]) -> Rows {
    let mut rows = Rows::new(&["GROUP", "OPENED", "CLOSED", "UPHELD", "UPHELD %", "REDRESS"]);
    for line in lines {
        rows.push(vec![
            line.group.clone(),
            line.opened.to_string(),
            line.closed.to_string(),
            line.upheld.upheld().to_string(),
            percent(line.upheld.upheld_percent),
            line.redress.join(", "),
        ]);
    }
    rows
}
