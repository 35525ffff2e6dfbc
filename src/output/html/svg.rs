//! Charts as inline SVG for the HTML report: columns (side by side or stacked) and a heat map.
//! Drawn as text, with no script. Each chart is an image (`role="img"`) named by its `<title>`
//! and `<desc>` and scaled by its `viewBox`; it writes its numbers on itself, so it still reads
//! printed in black and white. A number taken from the JSON report carries its hook.

use std::fmt::Write as _;

use super::esc;
use super::hook;

/// The Okabe-Ito colours, which people with any common colour blindness tell apart; those with
/// at least 3:1 contrast against white come first.
pub(crate) const PALETTE: [&str; 6] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
];

/// The colour of what is not one group of its own (the rest folded together).
pub(crate) const GREY: &str = "#8A8A8A";

/// A sequential ramp from pale to deep blue for the heat map (a single hue reads the same
/// with colour blindness); the last two are dark enough for white text.
const RAMP: [&str; 6] = [
    "#E3EEF8", "#C3DCEF", "#95C1E2", "#5F9FD0", "#2F78B5", "#0C4D8C",
];
const ZERO: &str = "#F3F3F3";

const HEIGHT: f64 = 260.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 8.0;
/// Room above the plot for markers and the labels of full-height columns.
const TOP: f64 = 34.0;
const BOTTOM: f64 = 26.0;

/// One series of a column chart.
pub(crate) struct Layer<'a> {
    pub(crate) name: &'a str,
    pub(crate) colour: &'a str,
    pub(crate) values: &'a [u64],
    /// The JSON pointer of `values` in the report, if it is there.
    pub(crate) json: Option<&'a str>,
}

pub(crate) struct Columns<'a> {
    /// Unique in the page: the title and description are named after it.
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) desc: &'a str,
    /// The width of the view box; the height is fixed, and the page scales both.
    pub(crate) width: f64,
    /// One per column.
    pub(crate) labels: &'a [String],
    /// What is written under the columns, when shorter than the labels.
    pub(crate) short_labels: Option<&'a [String]>,
    /// The JSON pointer of `labels` in the report, if they are there.
    pub(crate) labels_json: Option<&'a str>,
    pub(crate) layers: &'a [Layer<'a>],
    /// Layers stacked with each column's total above it, rather than side by side.
    pub(crate) stacked: bool,
    /// The JSON pointer of the stacked totals in the report, if they are there.
    pub(crate) totals_json: Option<&'a str>,
    /// Columns marked above the plot, with what the mark means.
    pub(crate) marks: &'a [(usize, String)],
}

/// The hook of item `i` of the array at `pointer`, if there is one.
fn item_hook(pointer: Option<&str>, i: usize, value: &impl serde::Serialize) -> String {
    pointer.map_or_else(String::new, |p| hook(&format!("{p}/{i}"), value))
}

/// The top of the value axis and its step: a round number at or above `max`, in at most five
/// steps of 1, 2 or 5 times a power of ten.
fn scale(max: u64) -> (u64, u64) {
    let mut magnitude = 1;
    loop {
        for step in [magnitude, 2 * magnitude, 5 * magnitude] {
            if max.div_ceil(step) <= 5 {
                return (max.div_ceil(step).max(1) * step, step);
            }
        }
        magnitude *= 10;
    }
}

/// The opening tag of a chart, with its title and description.
fn open(id: &str, width: f64, height: f64, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" id=\"{id}\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\n",
        esc(title),
        esc(desc)
    )
}

pub(crate) fn columns(c: &Columns<'_>) -> String {
    let n = c.labels.len().max(1);
    let value = |layer: &Layer<'_>, i: usize| layer.values.get(i).copied().unwrap_or(0);
    let totals: Vec<u64> = (0..n)
        .map(|i| c.layers.iter().map(|l| value(l, i)).sum())
        .collect();
    let max = if c.stacked {
        totals.iter().copied().max()
    } else {
        c.layers.iter().flat_map(|l| l.values.iter().copied()).max()
    };
    let (top, step) = scale(max.unwrap_or(0));
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: u64| TOP + plot_h - v as f64 / top as f64 * plot_h;
    let band = (c.width - LEFT - RIGHT) / n as f64;
    let mut s = open(c.id, c.width, HEIGHT, c.title, c.desc);

    s.push_str("<g class=\"grid\">");
    for tick in (0..=top).step_by(step as usize) {
        let _ = write!(
            s,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            c.width - RIGHT,
            LEFT - 6.0,
            y(tick) + 4.0,
            y = y(tick),
        );
    }
    s.push_str("</g>\n");

    for (i, label) in c.labels.iter().enumerate() {
        let x0 = LEFT + band * i as f64;
        let centre = x0 + band / 2.0;
        let bar = |s: &mut String, x: f64, w: f64, low: u64, high: u64, layer: &Layer<'_>| {
            if high > low {
                let _ = write!(
                    s,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" \
                     fill=\"{}\"><title>{}, {}: {}</title></rect>",
                    y(high),
                    y(low) - y(high),
                    layer.colour,
                    esc(layer.name),
                    esc(label),
                    high - low
                );
            }
        };
        if c.stacked {
            let w = band * 0.6;
            let mut base = 0;
            for layer in c.layers {
                bar(
                    &mut s,
                    x0 + (band - w) / 2.0,
                    w,
                    base,
                    base + value(layer, i),
                    layer,
                );
                base += value(layer, i);
            }
            let _ = write!(
                s,
                "<text class=\"value\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\"{}>{base}</text>",
                y(base) - 4.0,
                item_hook(c.totals_json, i, &base)
            );
        } else {
            let group = band * 0.8;
            let w = group / c.layers.len().max(1) as f64;
            for (j, layer) in c.layers.iter().enumerate() {
                let x = x0 + (band - group) / 2.0 + w * j as f64;
                let v = value(layer, i);
                bar(&mut s, x, w, 0, v, layer);
                let _ = write!(
                    s,
                    "<text class=\"value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\"{}>{v}</text>",
                    x + w / 2.0,
                    y(v) - 4.0,
                    item_hook(layer.json, i, &v)
                );
            }
        }
        let shown = c.short_labels.and_then(|l| l.get(i)).unwrap_or(label);
        let _ = writeln!(
            s,
            "<text class=\"tick\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\"{}>{}</text>",
            HEIGHT - BOTTOM + 17.0,
            item_hook(c.labels_json, i, label),
            esc(shown)
        );
    }
    for (i, what) in c.marks {
        let _ = writeln!(
            s,
            "<text class=\"mark\" x=\"{:.1}\" y=\"16\" text-anchor=\"middle\">▲<title>{}</title></text>",
            LEFT + band * (*i as f64 + 0.5),
            esc(what)
        );
    }
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/></svg>",
        c.width - RIGHT,
        y(0),
        y(0)
    );
    s
}

pub(crate) struct Heat<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) desc: &'a str,
    pub(crate) rows: &'a [String],
    pub(crate) columns: &'a [String],
    /// One slice per row, one count per column.
    pub(crate) values: &'a [&'a [u64]],
    /// The JSON pointer of the grand total in the report, if it is there.
    pub(crate) total_json: Option<&'a str>,
}

const CELL_W: f64 = 26.0;
const CELL_H: f64 = 24.0;
const HEAT_LEFT: f64 = 40.0;
const HEAT_TOP: f64 = 20.0;
/// Room for the row totals on the right and the column totals below.
const TOTALS: f64 = 40.0;

/// The shade of a count against the largest: the ramp index, `None` for zero.
fn shade(value: u64, max: u64) -> Option<usize> {
    (value > 0).then(|| {
        let level = (value * RAMP.len() as u64).div_ceil(max.max(1)) as usize;
        level.clamp(1, RAMP.len()) - 1
    })
}

/// A grid of counts, each cell shaded by its count and showing it, with the totals of each
/// row and column.
pub(crate) fn heat(h: &Heat<'_>) -> String {
    let width = HEAT_LEFT + CELL_W * h.columns.len() as f64 + TOTALS;
    let height = HEAT_TOP + CELL_H * h.rows.len() as f64 + TOTALS * 0.6;
    let max = h
        .values
        .iter()
        .flat_map(|r| r.iter())
        .copied()
        .max()
        .unwrap_or(0);
    let mut s = open(h.id, width, height, h.title, h.desc);
    let total_x = HEAT_LEFT + CELL_W * h.columns.len() as f64 + 6.0;
    let total_y = HEAT_TOP + CELL_H * h.rows.len() as f64 + 16.0;
    for (j, column) in h.columns.iter().enumerate() {
        let x = HEAT_LEFT + CELL_W * (j as f64 + 0.5);
        let total: u64 = h
            .values
            .iter()
            .map(|r| r.get(j).copied().unwrap_or(0))
            .sum();
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text class=\"tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{total}</text>",
            HEAT_TOP - 6.0,
            esc(column),
            total_y
        );
    }
    let _ = writeln!(
        s,
        "<text class=\"tick\" x=\"{total_x:.1}\" y=\"{:.1}\">all</text>\
         <text class=\"tick\" x=\"{:.1}\" y=\"{total_y:.1}\" text-anchor=\"end\">all</text>",
        HEAT_TOP - 6.0,
        HEAT_LEFT - 6.0,
    );
    for (i, (row, values)) in h.rows.iter().zip(h.values).enumerate() {
        let y = HEAT_TOP + CELL_H * i as f64;
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            HEAT_LEFT - 6.0,
            y + CELL_H / 2.0 + 4.0,
            esc(row)
        );
        for (j, (column, n)) in h.columns.iter().zip(values.iter()).enumerate() {
            let x = HEAT_LEFT + CELL_W * j as f64;
            let level = shade(*n, max);
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\">\
                 <title>{} {}: {n}</title></rect>",
                x + 1.0,
                y + 1.0,
                CELL_W - 2.0,
                CELL_H - 2.0,
                level.map_or(ZERO, |l| RAMP[l]),
                esc(row),
                esc(column)
            );
            if let Some(level) = level {
                let _ = write!(
                    s,
                    "<text class=\"cell{}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{n}</text>",
                    if level >= RAMP.len() - 2 {
                        " on-dark"
                    } else {
                        ""
                    },
                    x + CELL_W / 2.0,
                    y + CELL_H / 2.0 + 4.0
                );
            }
        }
        let _ = writeln!(
            s,
            "<text class=\"tick\" x=\"{total_x:.1}\" y=\"{:.1}\">{}</text>",
            y + CELL_H / 2.0 + 4.0,
            values.iter().sum::<u64>()
        );
    }
    let total: u64 = h.values.iter().flat_map(|r| r.iter()).sum();
    let _ = write!(
        s,
        "<text class=\"tick\" x=\"{total_x:.1}\" y=\"{total_y:.1}\"{}>{total}</text></svg>",
        h.total_json.map_or_else(String::new, |p| hook(p, &total))
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_on_a_round_number_in_at_most_five_steps() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(4), (4, 1));
        assert_eq!(scale(7), (8, 2));
        assert_eq!(scale(11), (15, 5));
        assert_eq!(scale(38), (40, 10));
        assert_eq!(scale(1234), (1500, 500));
    }

    #[test]
    fn every_count_above_zero_is_shaded_and_the_largest_is_the_deepest() {
        assert_eq!(shade(0, 9), None);
        assert_eq!(shade(1, 90), Some(0));
        assert_eq!(shade(9, 9), Some(RAMP.len() - 1));
    }
}
