//! Aligned columns for people: no borders, a bold header, two spaces between columns.

use comfy_table::CellAlignment;
use comfy_table::ContentArrangement;
use comfy_table::Table;
use comfy_table::presets::NOTHING;

use super::Painter;
use super::Rows;

/// Renders rows as aligned columns. Columns listed in `right` are right-aligned (numbers).
pub(crate) fn render(rows: &Rows, painter: Painter, right: &[usize]) -> String {
    let mut table = Table::new();
    table
        .load_style(NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(rows.headers.iter().map(|h| painter.bold(h)));
    for (i, row) in rows.rows.iter().enumerate() {
        table.add_row(row.iter().enumerate().map(|(j, cell)| {
            let text = super::printable(cell);
            match rows.style(i, j) {
                Some(style) => painter.paint(&text, style),
                None => text,
            }
        }));
    }
    let last = rows.headers.len().saturating_sub(1);
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if i == last { 0 } else { 2 }));
        if right.contains(&i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut text: String = table
        .lines()
        .map(|line| line.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_without_borders_or_trailing_spaces() {
        let mut rows = Rows::new(&["ID", "N", "TITLE"]);
        rows.push(vec!["k7m2".into(), "5".into(), "Charged twice".into()]);
        rows.push(vec!["a1b2c".into(), "12".into(), "Late".into()]);
        let text = render(&rows, Painter { color: false }, &[1]);
        assert_eq!(
            text,
            "ID      N  TITLE\nk7m2    5  Charged twice\na1b2c  12  Late\n"
        );
    }
}
