//! Reading a CSV file for import: RFC 4180 quoting (cells may hold commas, quotes and line
//! breaks), a header row, and a row-numbered error for each row that is not well-formed, so
//! that one bad row never hides the others.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1, the first complaint row
//! 2. A row is refused when its quotes do not balance (a quoted cell that is not closed, or a
//! bare quote inside a cell that is not doubled), when it has a different number of cells than
//! the header, or when it is not UTF-8. Cells are kept exactly as written (`N/A` is text, not a
//! missing value); trimming and meaning are the mapping's business.

use std::ops::Range;

use csv::StringRecord;

use super::Row;
use super::RowError;

/// The rows of a CSV file.
#[derive(Debug)]
pub(crate) struct CsvRows {
    /// The column names, trimmed.
    pub(crate) headers: Vec<String>,
    /// Each row after the header: where it is and its cells, or what is wrong with it.
    pub(crate) rows: Vec<Result<(Row, StringRecord), RowError>>,
    /// Where each row is in the file, as bytes, the header first: `spans[n - 1]` is row `n`,
    /// with its line break.
    pub(crate) spans: Vec<Range<usize>>,
}

/// Reads every row of `bytes`; the error is for a file without a readable header row.
pub(crate) fn read(bytes: &[u8]) -> Result<CsvRows, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => return Err("the file is empty: a CSV import needs a header row".into()),
        Some(Err(e)) => return Err(format!("the header row cannot be read: {e}")),
        Some(Ok(header)) => header,
    };
    let headers: Vec<String> = StringRecord::from_byte_record(header)
        .map_err(|_| "the header row is not UTF-8".to_string())?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut starts = Vec::new();
    let mut raw = Vec::new();
    for (index, record) in records.enumerate() {
        let position = match &record {
            Ok(record) => record.position(),
            Err(e) => e.position(),
        };
        let row = Row {
            number: index + 2,
            line: position.map(csv::Position::line),
        };
        // The reader places a record of a CRLF file at the LF before it: its bytes start after.
        let start = position.map_or(0, |p| p.byte() as usize);
        let skip = bytes.get(start..).map_or(0, |b| {
            b.iter().take_while(|&&c| c == b'\r' || c == b'\n').count()
        });
        starts.push(start + skip);
        raw.push(match record {
            Ok(record) => Ok((row, record)),
            Err(e) => Err(RowError::new(row, format!("cannot be read: {e}"))),
        });
    }
    let ends = starts.iter().skip(1).copied().chain([bytes.len()]);
    let spans: Vec<Range<usize>> = std::iter::once(0)
        .chain(starts.iter().copied())
        .zip(starts.iter().copied().chain([bytes.len()]))
        .map(|(start, end)| start..end)
        .collect();
    let rows = raw
        .into_iter()
        .zip(starts.iter().copied().zip(ends))
        .map(|(record, (start, end))| {
            let (row, record) = record?;
            let quotes = bytes
                .get(start..end)
                .map_or(0, |b| b.iter().filter(|&&c| c == b'"').count());
            if quotes % 2 == 1 {
                return Err(RowError::new(
                    row,
                    "unbalanced quotes: a quoted cell is not closed, or a quote inside a cell is not doubled".into(),
                ));
            }
            if record.len() != headers.len() {
                return Err(RowError::new(
                    row,
                    format!(
                        "{} cells, but the header has {} columns",
                        record.len(),
                        headers.len()
                    ),
                ));
            }
            let record = StringRecord::from_byte_record(record)
                .map_err(|_| RowError::new(row, "not UTF-8 text".into()))?;
            Ok((row, record))
        })
        .collect();
    Ok(CsvRows {
        headers,
        rows,
        spans,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        read(text.as_bytes())
            .unwrap()
            .rows
            .into_iter()
            .map(|r| match r {
                Ok((row, record)) => {
                    format!("{row}: {}", record.iter().collect::<Vec<_>>().join("|"))
                }
                Err(e) => e.to_string(),
            })
            .collect()
    }

    #[test]
    fn quoted_cells_hold_commas_quotes_and_line_breaks() {
        assert_eq!(
            messages("a,b\n\"x, \"\"y\"\"\",\"1\n2\"\nN/A,\n"),
            ["row 2: x, \"y\"|1\n2", "row 3 (line 4): N/A|"]
        );
    }

    #[test]
    fn bad_rows_are_numbered_and_do_not_hide_the_others() {
        assert_eq!(
            messages("a,b\n1,2\n3\n4,5\"x\n6,7\n8,\"9\n"),
            [
                "row 2: 1|2",
                "row 3: 1 cells, but the header has 2 columns",
                "row 4: unbalanced quotes: a quoted cell is not closed, or a quote inside a cell is not doubled",
                "row 5: 6|7",
                "row 6: unbalanced quotes: a quoted cell is not closed, or a quote inside a cell is not doubled",
            ]
        );
    }

    #[test]
    fn every_row_keeps_its_bytes_for_a_rejects_file() {
        let text = "a,b\r\n1,\"x\ny\"\r\n3\r\n4,5";
        let rows = read(text.as_bytes()).unwrap();
        let spans: Vec<&str> = rows.spans.iter().map(|s| &text[s.clone()]).collect();
        assert_eq!(spans, ["a,b\r\n", "1,\"x\ny\"\r\n", "3\r\n", "4,5"]);
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_column() {
        let rows = read("\u{feff}Complaint ID,b\n1,2\n".as_bytes()).unwrap();
        assert_eq!(rows.headers, ["Complaint ID", "b"]);
    }
}
