//! Reading a complaint file: never panics, and the fast readers (the line reader on its own,
//! and with the event reader behind it) agree with the exact (serde)
//! reader whenever it does not step aside; the partial readers agree with the whole read.
#![no_main]

use gripe::model::complaint::Complaint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = std::path::Path::new("fuzz.toml");
    if let Some(lines) = gripe::store::reader::read_lines(text) {
        let exact: Complaint =
            toml::from_str(text).expect("the line reader read what serde refuses");
        assert_eq!(lines, exact);
    }
    if let gripe::store::reader::Outcome::Read(fast) = gripe::store::reader::read(text) {
        let exact: Complaint =
            toml::from_str(text).expect("the fast reader read what serde refuses");
        assert_eq!(*fast, exact);
    }
    let whole = gripe::store::document::read_complaint(path, text);
    for with_tables in [false, true] {
        let part = gripe::store::document::read_partial(path, text, with_tables);
        if let (Ok(whole), Ok(part)) = (&whole, &part) {
            assert_eq!(whole.id, part.id);
            assert_eq!(whole.stage, part.stage);
            assert_eq!(whole.opened, part.opened);
            if with_tables {
                assert_eq!(whole.fields, part.fields);
            }
        }
        if whole.is_ok() {
            assert!(
                part.is_ok(),
                "a file that reads whole reads in part: {part:?}"
            );
        }
    }
});
