//! GitHub-flavoured markdown tables, for CI job summaries.

use super::Rows;

pub(crate) fn render(rows: &Rows) -> String {
    let mut text = header(&rows.headers);
    for cells in &rows.rows {
        text.push_str(&row(cells));
    }
    text
}

/// A table's header row and the line under it; the rows may follow one by one ([`row`]).
pub(crate) fn header(headers: &[String]) -> String {
    format!("{}|{}\n", row(headers), "---|".repeat(headers.len()))
}

/// One row of a table.
pub(crate) fn row(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
    format!("| {} |\n", cells.join(" | "))
}

/// A cell on one line, with the characters markdown would read as table syntax escaped, and
/// control characters shown as escapes (a summary is often read in a terminal first).
pub(crate) fn escape(cell: &str) -> String {
    let cell = cell
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\\', "\\\\")
        .replace('|', "\\|");
    super::printable(&cell).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_and_newlines_stay_inside_their_cell() {
        let mut rows = Rows::new(&["a", "b"]);
        rows.push(vec!["x|y".into(), "1\n2".into()]);
        assert_eq!(render(&rows), "| a | b |\n|---|---|\n| x\\|y | 1 2 |\n");
        let mut rows = Rows::new(&["t"]);
        rows.push(vec!["a\u{1b}]0;owned\u{7}b".into()]);
        assert_eq!(render(&rows), "| t |\n|---|\n| a\\u{1b}]0;owned\\u{7}b |\n");
    }
}
