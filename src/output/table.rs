//! Aligned columns for people: no borders, a bold header, two spaces between columns.
//!
//! A table is built a row at a time ([`Stream`]), which keeps each row's cells as one line of
//! text, in memory up to [`IN_MEMORY`] bytes and past that in a temporary file, and the widest
//! cell of each column. At the end the rows go through comfy-table in slices of [`SLICE`]
//! (several slices at once, on every core), every column fixed at its widest cell, so a listing
//! of any length lines up as one table would, and memory stays flat.

use std::borrow::Cow;
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

/// The rows of a [`Stream`]: each an [`encode`]d row followed by [`ROW_END`].
enum Kept {
    Memory(Vec<u8>),
    File(BufWriter<std::fs::File>),
}

/// A row of `cells` as a table keeps it: each cell printable and painted (`style(column)` gives
/// a cell's colour, if it has one), followed by [`CELL_END`]; and the width of each cell, in
/// terminal columns, for the widths of the columns ([`widen`]).
pub(crate) fn encode(
    painter: Painter,
    cells: &[String],
    style: impl Fn(usize) -> Option<Style>,
) -> (Vec<u8>, Vec<usize>) {
    let mut row = Vec::new();
    let mut widths = Vec::with_capacity(cells.len());
    for (j, cell) in cells.iter().enumerate() {
        let text = super::printable(cell);
        widths.push(width(&text));
        match style(j) {
            Some(style) => row.extend_from_slice(painter.paint(&text, style).as_bytes()),
            None => row.extend_from_slice(text.as_bytes()),
        }
        row.push(CELL_END);
    }
    (row, widths)
}

/// Widens each of `widths` to the one of `more` in its column.
pub(crate) fn widen(widths: &mut Vec<usize>, more: &[usize]) {
    for (j, &w) in more.iter().enumerate() {
        match widths.get_mut(j) {
            Some(have) => *have = (*have).max(w),
            None => widths.push(w),
        }
    }
}

impl Stream {
    pub(crate) fn new(headers: &[String], painter: Painter, right: &[usize]) -> Stream {
        Stream {
            painter,
            headers: headers.to_vec(),
            right: right.to_vec(),
            widths: Vec::new(),
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
        let (mut row, widths) = encode(self.painter, cells, style);
        widen(&mut self.widths, &widths);
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
        let mut writer = Writer::new(out, &self.headers, self.painter, &self.right, &self.widths);
        loop {
            let mut row = Vec::new();
            if source.read_until(ROW_END, &mut row)? == 0 {
                return writer.finish();
            }
            row.pop();
            writer.row(row)?;
        }
    }
}

/// Writes a table whose column widths are known: the header, then [`encode`]d rows as they
/// come, through comfy-table [`SLICE`] rows at a time, as many slices at once as there are
/// cores.
pub(crate) struct Writer<'o> {
    out: &'o mut dyn Write,
    header: Vec<String>,
    widths: Vec<usize>,
    right: Vec<usize>,
    pending: Vec<Vec<u8>>,
    /// Whether the header is still to be written.
    first: bool,
}

impl<'o> Writer<'o> {
    /// A table under `headers` whose rows' cells are at most `widths` wide.
    pub(crate) fn new(
        out: &'o mut dyn Write,
        headers: &[String],
        painter: Painter,
        right: &[usize],
        widths: &[usize],
    ) -> Writer<'o> {
        let mut all: Vec<usize> = headers.iter().map(|h| width(h)).collect();
        widen(&mut all, widths);
        Writer {
            out,
            header: headers.iter().map(|h| painter.bold(h)).collect(),
            widths: all,
            right: right.to_vec(),
            pending: Vec::new(),
            first: true,
        }
    }

    /// Adds an [`encode`]d row, writing the rows so far once there are enough of them.
    pub(crate) fn row(&mut self, row: Vec<u8>) -> io::Result<()> {
        self.pending.push(row);
        if self.pending.len() >= SLICE * rayon::current_num_threads().max(1) {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the rows not yet written (the header alone, for a table without rows).
    pub(crate) fn finish(self) -> io::Result<()> {
        self.finish_into().map(|_| ())
    }

    /// [`Writer::finish`], giving back the output for what comes after the table.
    pub(crate) fn finish_into(mut self) -> io::Result<&'o mut dyn Write> {
        if !self.pending.is_empty() || self.first {
            self.flush()?;
        }
        Ok(self.out)
    }

    fn flush(&mut self) -> io::Result<()> {
        let layout = Layout {
            widths: &self.widths,
            right: &self.right,
        };
        let header = self.first.then_some(&self.header);
        let slices: Vec<&[Vec<u8>]> = match self.pending.is_empty() {
            true => vec![&[]],
            false => self.pending.chunks(SLICE).collect(),
        };
        let texts: Vec<String> = slices
            .par_iter()
            .enumerate()
            .map(|(n, rows)| layout.render(header.filter(|_| n == 0), rows))
            .collect();
        for text in texts {
            self.out.write_all(text.as_bytes())?;
        }
        self.pending.clear();
        self.first = false;
        Ok(())
    }
}

/// What every slice of one table shares.
struct Layout<'t> {
    widths: &'t [usize],
    right: &'t [usize],
}

impl Layout<'_> {
    /// One slice of rows (each a row's bytes, [`CELL_END`] after each cell) as lines of text,
    /// with the header above them if given. A slice whose cells are each one line is padded
    /// here ([`Layout::pad`]); comfy-table lays out the others (a cell of several lines).
    fn render(&self, header: Option<&Vec<String>>, rows: &[Vec<u8>]) -> String {
        let one_line = |text: &[u8]| !text.iter().any(|&b| b == b'\n' || b == b'\t');
        if rows.iter().all(|row| one_line(row))
            && header.is_none_or(|h| h.iter().all(|cell| one_line(cell.as_bytes())))
        {
            return self.pad(header, rows);
        }
        self.comfy(header, rows)
    }

    /// [`Layout::render`] for cells of one line each: each cell padded to its column's width
    /// (at least 1), two spaces between columns, no trailing spaces; what comfy-table gives for
    /// such cells, measured without the colours' escapes.
    fn pad(&self, header: Option<&Vec<String>>, rows: &[Vec<u8>]) -> String {
        let mut text = String::new();
        let mut line = |cells: &mut dyn Iterator<Item = &str>| {
            let start = text.len();
            for (i, cell) in cells.enumerate() {
                let Some(&widest) = self.widths.get(i) else {
                    break;
                };
                let room = widest.max(1).saturating_sub(width(&strip_colour(cell)));
                let gap = if i + 1 == self.widths.len() { 0 } else { 2 };
                if self.right.contains(&i) {
                    text.extend(std::iter::repeat_n(' ', room));
                    text.push_str(cell);
                    text.extend(std::iter::repeat_n(' ', gap));
                } else {
                    text.push_str(cell);
                    text.extend(std::iter::repeat_n(' ', room + gap));
                }
            }
            let kept = text[start..].trim_end().len();
            text.truncate(start + kept);
            text.push('\n');
        };
        if let Some(header) = header {
            line(&mut header.iter().map(String::as_str));
        }
        for row in rows {
            line(&mut cells(row).iter().map(AsRef::as_ref));
        }
        text
    }

    /// [`Layout::render`] through comfy-table, for cells of several lines.
    fn comfy(&self, header: Option<&Vec<String>>, rows: &[Vec<u8>]) -> String {
        let mut table = Table::new();
        table
            .load_style(NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled);
        if let Some(header) = header {
            table.set_header(header.clone());
        }
        for row in rows {
            table.add_row(cells(row).into_iter().map(Cow::into_owned));
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

/// The cells of an [`encode`]d row.
fn cells(row: &[u8]) -> Vec<Cow<'_, str>> {
    let mut cells: Vec<Cow<'_, str>> = row
        .split(|&b| b == CELL_END)
        .map(String::from_utf8_lossy)
        .collect();
    // Each cell ends with CELL_END: the piece after the last is empty.
    cells.pop();
    cells
}

/// `text` without the colours [`Painter::paint`] puts in: every escape in a cell is one of
/// those (`ESC [ … m`), as [`printable`](super::printable) shows the cell's own as text.
fn strip_colour(text: &str) -> Cow<'_, str> {
    if !text.contains('\x1b') {
        return Cow::Borrowed(text);
    }
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        plain.push_str(&rest[..at]);
        rest = rest[at..].find('m').map_or("", |end| &rest[at + end + 1..]);
    }
    plain.push_str(rest);
    Cow::Owned(plain)
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

    /// Cells of one line are padded by gripe exactly as comfy-table lays them out: empty
    /// columns, wide characters, colours, right alignment, spaces inside and at the ends.
    #[test]
    fn padding_one_line_cells_matches_comfy_table() {
        let texts = ["", "k7m2", "日本語 x", " lead", "trail ", "a  b", "é́", "99"];
        for color in [false, true] {
            let painter = Painter { color };
            let headers: Vec<String> = ["ID", "N", "", "TITLE"]
                .iter()
                .map(|h| painter.bold(h))
                .collect();
            let mut widths = vec![0; headers.len()];
            let mut rows = Vec::new();
            for n in 0..texts.len() * 3 {
                let cells: Vec<String> = (0..headers.len())
                    .map(|j| match j {
                        2 => String::new(),
                        _ => texts[(n * (j + 1)) % texts.len()].to_string(),
                    })
                    .collect();
                let style = |j| (j == n % 4).then_some(crate::output::colour::CYAN);
                let (row, cell_widths) = encode(painter, &cells, style);
                widen(&mut widths, &cell_widths);
                rows.push(row);
            }
            widen(&mut widths, &[2, 1, 0, 5]);
            for right in [vec![], vec![1], vec![0, 3]] {
                let layout = Layout {
                    widths: &widths,
                    right: &right,
                };
                assert_eq!(
                    layout.pad(Some(&headers), &rows),
                    layout.comfy(Some(&headers), &rows),
                    "colour {color}, right {right:?}"
                );
                assert_eq!(layout.pad(None, &[]), layout.comfy(None, &[]));
            }
        }
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
