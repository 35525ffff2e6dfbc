//! Aligned columns for people: no borders, a bold header, two spaces between columns.
//!
//! A table is built a row at a time ([`Stream`]), which keeps each row's cells as one line of
//! text, in memory up to [`IN_MEMORY`] bytes and past that in a temporary file, and the widest
//! cell of each column. At the end the rows go through comfy-table in slices of [`SLICE`]
//! (several slices at once, on every core), every column fixed at its widest cell, so a listing
//! of any length lines up as one table would, and memory stays flat.

use std::io;
use std::io::BufRead;
use std::io::BufReader;
use std::io::BufWriter;
use std::io::Seek;
use std::io::Write;

use anstyle::Style;
use comfy_table::CellAlignment;
use comfy_table::ColumnConstraint;
use comfy_table::ContentArrangement;
use comfy_table::Table;
use comfy_table::Width;
use comfy_table::presets::NOTHING;
use rayon::prelude::*;
use unicode_width::UnicodeWidthStr;

use super::Painter;
use super::Rows;

/// How many rows go through comfy-table at once.
const SLICE: usize = 1024;

/// How many bytes of rows a table keeps in memory before it moves them to a temporary file.
const IN_MEMORY: usize = 1 << 20;

/// Between the cells of a kept row, and after each row. Cells are made
/// [`printable`](super::printable) first, which shows every control character but line breaks
/// and tabs as an escape, so no cell holds either of these two bytes.
const CELL_END: u8 = 0x1f;
const ROW_END: u8 = 0x1e;

/// Renders rows as aligned columns. Columns listed in `right` are right-aligned (numbers).
/// The rows are in memory already, so the table keeps its copy there too, however long.
pub(crate) fn render(rows: &Rows, painter: Painter, right: &[usize]) -> String {
    let mut table = Stream::new(&rows.headers, painter, right);
    table.in_memory = usize::MAX;
    for (i, row) in rows.rows.iter().enumerate() {
        table
            .push(row, |j| rows.style(i, j))
            .expect("a table kept in memory writes no file");
    }
    let mut text = Vec::new();
    table.write(&mut text).expect("writing to memory succeeds");
    String::from_utf8(text).expect("the cells are text")
}

/// A table whose rows are added one by one and written at the end.
pub(crate) struct Stream {
    painter: Painter,
    headers: Vec<String>,
    right: Vec<usize>,
    /// The widest line of each column so far, in terminal columns.
    widths: Vec<usize>,
    rows: Kept,
    /// How many bytes of rows stay in memory before they move to a temporary file.
    in_memory: usize,
}

/// The rows of a [`Stream`]: each row's cells, printable and painted, each followed by
/// [`CELL_END`], and the row by [`ROW_END`].
enum Kept {
    Memory(Vec<u8>),
    File(BufWriter<std::fs::File>),
}

impl Stream {
    pub(crate) fn new(headers: &[String], painter: Painter, right: &[usize]) -> Stream {
        Stream {
            painter,
            headers: headers.to_vec(),
            right: right.to_vec(),
            widths: headers.iter().map(|h| width(h)).collect(),
            rows: Kept::Memory(Vec::new()),
            in_memory: IN_MEMORY,
        }
    }

    /// Adds a row of `cells`; `style(column)` gives a cell's colour, if it has one. Fails only
    /// when the temporary file cannot be written.
    pub(crate) fn push(
        &mut self,
        cells: &[String],
        style: impl Fn(usize) -> Option<Style>,
    ) -> io::Result<()> {
        let mut row = Vec::new();
        for (j, cell) in cells.iter().enumerate() {
            let text = super::printable(cell);
            match self.widths.get_mut(j) {
                Some(w) => *w = (*w).max(width(&text)),
                None => self.widths.push(width(&text)),
            }
            match style(j) {
                Some(style) => row.extend_from_slice(self.painter.paint(&text, style).as_bytes()),
                None => row.extend_from_slice(text.as_bytes()),
            }
            row.push(CELL_END);
        }
        row.push(ROW_END);
        match &mut self.rows {
            Kept::Memory(kept) if kept.len() + row.len() <= self.in_memory => {
                kept.extend_from_slice(&row);
            }
            Kept::Memory(kept) => {
                let mut file = BufWriter::new(tempfile::tempfile()?);
                file.write_all(kept)?;
                file.write_all(&row)?;
                self.rows = Kept::File(file);
            }
            Kept::File(file) => file.write_all(&row)?,
        }
        Ok(())
    }

    /// Writes the header and every row, each line without trailing spaces.
    pub(crate) fn write(self, out: &mut dyn Write) -> io::Result<()> {
        let mut source: Box<dyn BufRead> = match self.rows {
            Kept::Memory(kept) => Box::new(io::Cursor::new(kept)),
            Kept::File(file) => {
                let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.rewind()?;
                Box::new(BufReader::new(file))
            }
        };
        let layout = Layout {
            widths: &self.widths,
            right: &self.right,
        };
        let header: Vec<String> = self.headers.iter().map(|h| self.painter.bold(h)).collect();
        // Enough slices for every core, read in turn, rendered at once.
        let batch = rayon::current_num_threads().max(1);
        let mut first = true;
        loop {
            let mut slices = Vec::new();
            while slices.len() < batch {
                let slice = read_slice(&mut *source)?;
                if slice.is_empty() {
                    break;
                }
                slices.push(slice);
            }
            if slices.is_empty() && !first {
                return Ok(());
            }
            let done = slices.len() < batch;
            if slices.is_empty() {
                // A table without rows: its header alone.
                slices.push(Vec::new());
            }
            let texts: Vec<String> = slices
                .par_iter()
                .enumerate()
                .map(|(n, rows)| layout.render((first && n == 0).then_some(&header), rows))
                .collect();
            for text in texts {
                out.write_all(text.as_bytes())?;
            }
            first = false;
            if done {
                return Ok(());
            }
        }
    }
}

/// What every slice of one table shares.
struct Layout<'t> {
    widths: &'t [usize],
    right: &'t [usize],
}

impl Layout<'_> {
    /// One slice of rows (each a row's bytes, [`CELL_END`] after each cell) as lines of text,
    /// with the header above them if given.
    fn render(&self, header: Option<&Vec<String>>, rows: &[Vec<u8>]) -> String {
        let mut table = Table::new();
        table
            .load_style(NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled);
        if let Some(header) = header {
            table.set_header(header.clone());
        }
        for row in rows {
            // Each cell ends with CELL_END: the piece after the last is empty.
            let cells = row.split(|&b| b == CELL_END);
            let cells: Vec<&[u8]> = cells.collect();
            let cells = &cells[..cells.len().saturating_sub(1)];
            table.add_row(
                cells
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned()),
            );
        }
        let last = self.widths.len().saturating_sub(1);
        for (i, column) in table.column_iter_mut().enumerate() {
            let padding = if i == last { 0 } else { 2 };
            column.set_padding((0, padding));
            let fixed = (self.widths[i].max(1) + usize::from(padding)).min(usize::from(u16::MAX));
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(fixed as u16)));
            if self.right.contains(&i) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        let mut text = String::new();
        for line in table.lines() {
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }
}

/// The next [`SLICE`] rows of `source` (fewer at its end), each without its [`ROW_END`].
fn read_slice(source: &mut dyn BufRead) -> io::Result<Vec<Vec<u8>>> {
    let mut rows = Vec::new();
    while rows.len() < SLICE {
        let mut row = Vec::new();
        if source.read_until(ROW_END, &mut row)? == 0 {
            break;
        }
        row.pop();
        rows.push(row);
    }
    Ok(rows)
}

/// How many terminal columns the widest line of `text` takes.
fn width(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
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

    /// Rows past the first slice line up with the first: the widest cell anywhere sets its
    /// column, wide characters count twice, and only the first slice has the header.
    #[test]
    fn a_long_table_lines_up_across_its_slices() {
        let mut table = Stream::new(
            &["ID".into(), "TITLE".into()],
            Painter { color: false },
            &[],
        );
        for n in 0..SLICE + 2 {
            let title = if n == SLICE + 1 {
                "日本語".to_string()
            } else {
                "x".to_string()
            };
            table.push(&[format!("{n}"), title], |_| None).unwrap();
        }
        let mut out = Vec::new();
        table.write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), SLICE + 3);
        assert_eq!(lines[0], "ID    TITLE");
        assert_eq!(lines[1], "0     x");
        assert_eq!(lines[SLICE + 1], "1024  x");
        assert_eq!(lines[SLICE + 2], "1025  日本語");
        assert_eq!(text.matches("TITLE").count(), 1);
    }

    /// Rows past the memory limit go to a temporary file and come back in order; a writer that
    /// fails part way (a closed pipe) ends the writing with its error.
    #[test]
    fn a_table_past_its_memory_limit_reads_back_in_order_and_stops_on_a_failing_writer() {
        let long = "y".repeat(1000);
        let rows = IN_MEMORY / 1000 + SLICE;
        let fill = || {
            let mut table =
                Stream::new(&["N".into(), "TEXT".into()], Painter { color: false }, &[0]);
            for n in 0..rows {
                table
                    .push(&[n.to_string(), long.clone()], |_| None)
                    .unwrap();
            }
            table
        };
        let table = fill();
        assert!(matches!(table.rows, Kept::File(_)), "spilled to a file");
        let mut out = Vec::new();
        table.write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let numbers: Vec<usize> = text
            .lines()
            .skip(1)
            .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(numbers, (0..rows).collect::<Vec<_>>());
        let failed = fill().write(&mut crate::output::failing::Failing(5000));
        assert_eq!(failed.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
    }
}
