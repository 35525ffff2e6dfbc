//! Terminal charts drawn with text: sparklines, bars and heat-map shading. Each works without
//! colour; colour only adds to it.

use anstyle::Ansi256Color;
use anstyle::Style;

use super::Painter;

const TICKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// One character per value, its height scaled to the largest value; zero is the lowest tick.
pub(crate) fn sparkline(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if max == 0 || v == 0 {
                TICKS[0]
            } else {
                let level = (v * 7).div_ceil(max) as usize;
                TICKS[level.min(7)]
            }
        })
        .collect()
}

/// A horizontal bar of `value` against `max`, at most `width` characters, in eighths.
pub(crate) fn bar(value: u64, max: u64, width: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let eighths = (value as f64 / max as f64 * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(EIGHTHS[eighths % 8]);
    }
    s
}

/// A count in a heat map: with colour, on a background from pale to deep by its share of the
/// largest count; without colour, the number alone. Zero is a dot.
pub(crate) fn heat(value: u64, max: u64, painter: Painter) -> (String, Option<Style>) {
    if value == 0 {
        return ("·".to_string(), None);
    }
    if !painter.color {
        return (value.to_string(), None);
    }
    // A colour-blind-safe sequential ramp (light yellow to dark blue) of the 256-colour palette.
    const RAMP: [u8; 6] = [230, 187, 151, 115, 67, 24];
    let level = ((value as f64 / max.max(1) as f64) * (RAMP.len() - 1) as f64).round() as usize;
    let fg = if level >= 4 { 231 } else { 16 };
    let style = Style::new()
        .bg_color(Some(Ansi256Color(RAMP[level]).into()))
        .fg_color(Some(Ansi256Color(fg).into()));
    (format!(" {value} "), Some(style))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_largest_value() {
        assert_eq!(sparkline(&[0, 1, 4, 8]), "▁▂▅█");
        assert_eq!(sparkline(&[0, 0]), "▁▁");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn bars_are_drawn_in_eighths() {
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██");
        assert_eq!(bar(1, 16, 4), "▎");
        assert_eq!(bar(3, 0, 4), "");
    }
}
