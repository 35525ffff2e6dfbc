//! Comma-separated values with a header row (RFC 4180 quoting), safe to open in a spreadsheet:
//! a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`
//! so it is never run as a formula (the OWASP rule). Cells that are plain numbers, such as `-3`,
//! are left as they are.

use std::io;
use std::io::Write;

use super::Rows;

pub(crate) fn render(rows: &Rows) -> String {
    let mut bytes = Vec::new();
    let mut stream = Stream::new(&mut bytes);
    for row in std::iter::once(&rows.headers).chain(&rows.rows) {
        stream.row(row).expect("writing to memory cannot fail");
    }
    stream.finish().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("cells are strings")
}

/// CSV written a row at a time, as the rows are made.
pub(crate) struct Stream<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
}

impl<'w> Stream<'w> {
    pub(crate) fn new(out: &'w mut dyn Write) -> Stream<'w> {
        Stream {
            writer: csv::Writer::from_writer(out),
        }
    }

    pub(crate) fn row(&mut self, row: &[String]) -> io::Result<()> {
        self.writer
            .write_record(row.iter().map(|cell| neutralise(cell)))
            .map_err(|e| match e.into_kind() {
                // The writer's own error, such as a closed pipe, as it was.
                csv::ErrorKind::Io(e) => e,
                other => io::Error::other(format!("{other:?}")),
            })
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// One record, as [`Stream`] writes it, added to `into` (a piece of a listing made apart from
/// the writing).
pub(crate) fn record(row: &[String], into: &mut Vec<u8>) {
    let mut stream = Stream::new(into);
    stream
        .row(row)
        .and_then(|()| stream.finish())
        .expect("writing to memory cannot fail");
}

/// The cell as a spreadsheet will not evaluate it.
pub(crate) fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for risky in ["=SUM(A1)", "+1+1", "-1+1", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralise(risky), format!("'{risky}"));
        }
        assert_eq!(neutralise("-3"), "-3");
        assert_eq!(neutralise("plain, text"), "plain, text");
    }

    #[test]
    fn cells_with_commas_quotes_and_newlines_are_quoted() {
        let mut rows = Rows::new(&["a", "b"]);
        rows.push(vec!["x, \"y\"".into(), "1\n2".into()]);
        assert_eq!(render(&rows), "a,b\n\"x, \"\"y\"\"\",\"1\n2\"\n");
    }
}
