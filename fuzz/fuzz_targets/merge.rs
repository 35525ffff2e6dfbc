//! The three-way merge of one complaint file: never panics, and a clean merge reads back as a
//! complaint. The input is base, ours and theirs separated by NUL bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\0');
    let (Some(base), Some(ours), Some(theirs)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let path = std::path::Path::new("fuzz.toml");
    let zone = gripe::store::merge::zone_for(None);
    for base in [Some(base), None] {
        if let Ok(merged) = gripe::store::merge::merge(path, base, ours, theirs, &zone)
            && merged.contradictions.is_empty()
        {
            gripe::store::document::read_complaint(path, &merged.text)
                .expect("a clean merge reads back as a complaint");
        }
    }
    let _ = gripe::store::conflict::split(text);
});
