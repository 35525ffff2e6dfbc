//! Rendering: one renderer per format. Commands build rows or JSON values; these functions turn
//! them into text. The shape of the output never depends on whether stdout is a terminal; only
//! colour does, and that is decided once at start-up and passed in as a [`Painter`].

pub(crate) mod chart;
pub(crate) mod csv;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod progress;
pub(crate) mod report;
pub(crate) mod returns;
pub(crate) mod spool;
pub(crate) mod table;

use std::borrow::Cow;
use std::io::Write;

use anstyle::Style;

use crate::error::Error;
use crate::time::duration::human_seconds;

/// The output formats of reading commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON document with a versioned `schema`.
    Json,
    /// One JSON object per line, no envelope.
    Jsonl,
    /// Comma-separated values with a header row; spreadsheet-safe.
    Csv,
    /// A GitHub-flavoured markdown table, for CI job summaries.
    Markdown,
}

/// The colours gripe uses.
pub(crate) mod colour {
    use anstyle::AnsiColor;
    use anstyle::Style;

    pub(crate) const BOLD: Style = Style::new().bold();
    pub(crate) const DIM: Style = Style::new().dimmed();
    pub(crate) const RED: Style = AnsiColor::Red.on_default();
    pub(crate) const YELLOW: Style = AnsiColor::Yellow.on_default();
    pub(crate) const GREEN: Style = AnsiColor::Green.on_default();
    pub(crate) const CYAN: Style = AnsiColor::Cyan.on_default();

    /// A severity, coloured by how urgent it is.
    pub(crate) fn severity(severity: &str) -> Style {
        match severity {
            "critical" => RED.bold(),
            "high" => RED,
            "medium" => YELLOW,
            _ => DIM,
        }
    }
}

/// Applies colour when it is on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Painter {
    pub(crate) color: bool,
}

impl Painter {
    pub(crate) fn paint(&self, text: &str, style: Style) -> String {
        if self.color && !text.is_empty() {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub(crate) fn bold(&self, text: &str) -> String {
        self.paint(text, colour::BOLD)
    }

    pub(crate) fn dim(&self, text: &str) -> String {
        self.paint(text, colour::DIM)
    }

    pub(crate) fn red(&self, text: &str) -> String {
        self.paint(text, colour::RED)
    }

    pub(crate) fn yellow(&self, text: &str) -> String {
        self.paint(text, colour::YELLOW)
    }

    pub(crate) fn cyan(&self, text: &str) -> String {
        self.paint(text, colour::CYAN)
    }

    /// A severity, coloured by how urgent it is.
    pub(crate) fn severity(&self, severity: &str) -> String {
        self.paint(severity, colour::severity(severity))
    }
}

/// A table of strings: the common input of the table, csv and markdown renderers. Cells hold
/// plain text; a table paints the cells given a colour after escaping their text, so colour
/// never hides a control character from a complaint.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Rows {
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
    /// The colours of cells in a table, by (row, column); other renderers ignore them.
    styles: std::collections::BTreeMap<(usize, usize), Style>,
}

impl Rows {
    pub(crate) fn new(headers: &[&str]) -> Rows {
        Rows::with_headers(headers.iter().map(ToString::to_string).collect())
    }

    pub(crate) fn with_headers(headers: Vec<String>) -> Rows {
        Rows {
            headers,
            ..Rows::default()
        }
    }

    pub(crate) fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Colours cell `column` of the last row in a table.
    pub(crate) fn paint(&mut self, column: usize, style: Style) {
        if let Some(row) = self.rows.len().checked_sub(1) {
            self.styles.insert((row, column), style);
        }
    }

    /// The colour of a cell, if it has one.
    pub(crate) fn style(&self, row: usize, column: usize) -> Option<Style> {
        self.styles.get(&(row, column)).copied()
    }
}

/// A mean count, with enough digits that a ratio to it can be checked: `0.125`, `0.5`, `2.5`.
pub(crate) fn mean(x: f64) -> String {
    if x < 1.0 {
        let digits = format!("{x:.3}");
        digits
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        format!("{x:.1}")
    }
}

/// `n` and the noun, plural unless `n` is 1: `1 complaint`, `3 complaints`.
pub(crate) fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Shortens `text` to `max` characters, marking the cut with an ellipsis, on one line.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A rate as a whole percentage (`43%`); a dash when there is nothing to measure.
pub(crate) fn percent(rate: Option<f64>) -> String {
    rate.map_or("–".to_string(), |r| format!("{:.0}%", r * 100.0))
}

/// The counts behind a rate: `12 of 28`.
pub(crate) fn of(counts: [u64; 2]) -> String {
    format!("{} of {}", counts[0], counts[1])
}

/// A change against the previous period: `+167%`, `-33%`, or `new` when there was none before.
pub(crate) fn change(change: Option<f64>) -> String {
    match change {
        Some(c) if c > 0.0 => format!("+{:.0}%", c * 100.0),
        Some(c) => format!("{:.0}%", c * 100.0),
        None => "new".into(),
    }
}

/// How late something is (`5d 7h`), or how long until it is due (`in 3h`).
pub(crate) fn late(seconds: i64) -> String {
    if seconds > 0 {
        human_seconds(seconds)
    } else {
        format!("in {}", human_seconds(-seconds))
    }
}

/// Prints an error once, as `gripe: error: ...` and its `hint: ...` lines.
pub(crate) fn print_error(error: &Error) {
    match error {
        Error::Clap(e) => {
            let _ = e.print();
        }
        Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        // `check` has already printed its findings.
        Error::Findings { .. } => {}
        _ => {
            let mut stderr = std::io::stderr();
            let _ = writeln!(stderr, "gripe: error: {}", printable(&error.to_string()));
            for hint in error.hints() {
                let _ = writeln!(stderr, "hint: {hint}");
            }
        }
    }
}

/// Makes text safe to print on a terminal: control characters other than newline and tab are
/// shown as escapes, so a complaint cannot move the cursor or change colours.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    let escaped = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_one_line_and_marks_the_cut() {
        assert_eq!(truncate("a\nb", 10), "a b");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }

    #[test]
    fn means_keep_the_digits_a_ratio_needs_and_counts_agree_in_number() {
        assert_eq!(mean(0.125), "0.125");
        assert_eq!(mean(0.5), "0.5");
        assert_eq!(mean(0.0), "0");
        assert_eq!(mean(2.54), "2.5");
        assert_eq!(count(1, "complaint"), "1 complaint");
        assert_eq!(count(0, "complaint"), "0 complaints");
    }

    #[test]
    fn control_characters_are_escaped_for_the_terminal() {
        assert_eq!(printable("a\u{1b}[31mb\nc"), "a\\u{1b}[31mb\nc");
    }
}

/// A writer for tests of the streaming writers.
#[cfg(test)]
pub(crate) mod failing {
    use std::io;
    use std::io::Write;

    /// A writer that fails after a few bytes, as a closed pipe or a full disk does.
    pub(crate) struct Failing(pub(crate) usize);

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.0 < buf.len() {
                return Err(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            self.0 -= buf.len();
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}
