//! The parsers of what people type: durations, dates, keys and values, dimensions, day lists and
//! id prefixes. None may panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T09:00:00+09:00").unwrap();
    let calendar = gripe::calendar::Calendar::standard(gripe::when::Zone::Fixed(*now.offset()));
    if let Ok(span) = s.parse::<gripe::duration::Span>() {
        let _ = calendar.add(&now, &span);
        let _ = calendar.subtract(&now, &span);
    }
    let _ = s.parse::<gripe::when::When>();
    for direction in [gripe::when::Direction::Ahead, gripe::when::Direction::Back] {
        let _ = gripe::when::parse_user_when(s, &now, &calendar, direction);
    }
    if let Some((key, value)) = s.split_once('=')
        && let Ok(key) = gripe::keys::KeyPath::parse(key)
    {
        let _ = key.parse_value(value, &now, &calendar);
    }
    let _ = gripe::keys::infer_field_value(s);
    let _ = gripe::trends::Dim::parse(s);
    let _ = gripe::trends::Every::parse(s);
    let _ = gripe::calendar::parse_days(s);
    let _ = gripe::id::normalize_prefix(s);
});
