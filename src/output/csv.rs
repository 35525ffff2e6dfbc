//! Comma-separated values with a header row (RFC 4180 quoting), safe to open in a spreadsheet:
//! a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`
//! so it is never run as a formula (the OWASP rule). Cells that are plain numbers, such as `-3`,
//! are left as they are.

use super::Rows;

pub(crate) fn render(rows: &Rows) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, row: &[String]| {
        w.write_record(row.iter().map(|cell| neutralise(cell)))
            .expect("writing to memory cannot fail");
    };
    write(&mut writer, &rows.headers);
    for row in &rows.rows {
        write(&mut writer, row);
    }
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("cells are strings")
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
