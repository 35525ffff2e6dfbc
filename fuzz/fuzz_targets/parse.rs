//! The parsers of what people type: durations, dates, keys and values, dimensions, day lists and
//! id prefixes. None may panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T09:00:00+09:00").unwrap();
    let calendar =
        gripe::time::calendar::Calendar::standard(gripe::time::when::Zone::Fixed(*now.offset()));
    if let Ok(span) = s.parse::<gripe::time::duration::Span>() {
        let _ = calendar.add(&now, &span);
        let _ = calendar.subtract(&now, &span);
    }
    let _ = s.parse::<gripe::time::when::When>();
    for direction in [
        gripe::time::when::Direction::Ahead,
        gripe::time::when::Direction::Back,
    ] {
        let _ = gripe::time::when::parse_user_when(s, &now, &calendar, direction);
    }
    if let Some((key, value)) = s.split_once('=')
        && let Ok(key) = gripe::model::keys::KeyPath::parse(key)
    {
        let _ = key.parse_value(value, &now, &calendar);
    }
    let _ = gripe::model::keys::infer_field_value(s);
    let _ = gripe::analysis::trends::Dim::parse(s);
    let _ = gripe::analysis::trends::Every::parse(s);
    let _ = gripe::time::calendar::parse_days(s);
    let _ = gripe::model::id::normalize_prefix(s);
});
