//! Property: whatever a complaint holds, the file gripe writes reads back as the same complaint.

use gripe::model::complaint::Complaint;
use gripe::model::complaint::Customer;
use gripe::model::complaint::Event;
use gripe::model::complaint::EventKind;
use gripe::model::complaint::FieldValue;
use gripe::model::complaint::Followup;
use gripe::model::complaint::Resolution;
use gripe::model::complaint::Severity;
use gripe::store::document::ComplaintDoc;
use gripe::store::document::read_complaint;
use gripe::time::when::When;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ,.'\"#=\\[\\]{}-]{1,40}",
        "\\PC{1,30}",
        "([a-z ]{0,10}\n){1,4}[a-z\"]{0,5}",
        Just("ends with quotes \"\"".to_string()),
        Just("tab\tand\u{7}bell and \\ backslash".to_string()),
        Just("\"\"\"triple\"\"\"".to_string()),
    ]
}

fn when() -> impl Strategy<Value = When> {
    let date = (1990i32..2100, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
    let time = (0u32..24, 0u32..60, 0u32..60)
        .prop_map(|(h, m, s)| chrono::NaiveTime::from_hms_opt(h, m, s).unwrap());
    prop_oneof![
        date.clone().prop_map(When::Date),
        (date.clone(), time.clone()).prop_map(|(d, t)| When::Local(d.and_time(t))),
        (date, time, -14 * 4..=14 * 4i32).prop_map(|(d, t, quarter_hours)| {
            let offset = chrono::FixedOffset::east_opt(quarter_hours * 900).unwrap();
            When::Zoned(d.and_time(t).and_local_timezone(offset).unwrap())
        }),
    ]
}

fn field_value() -> impl Strategy<Value = FieldValue> {
    prop_oneof![
        any::<bool>().prop_map(FieldValue::Bool),
        any::<i64>().prop_map(FieldValue::Integer),
        (-1e12f64..1e12).prop_map(FieldValue::Float),
        text().prop_map(FieldValue::Text),
        when().prop_map(FieldValue::When),
        prop::collection::vec(text().prop_map(FieldValue::Text), 0..3).prop_map(FieldValue::List),
    ]
}

fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::of(s)
}

fn event() -> impl Strategy<Value = Event> {
    let kind = prop::sample::select(EventKind::KNOWN.to_vec());
    (
        when(),
        opt(text()),
        kind,
        opt(text()),
        opt("[a-z]{1,8}"),
        opt(field_value()),
        opt(field_value()),
        opt("[0-9a-z]{6}"),
        any::<bool>(),
        opt("[a-z]{1,12}"),
        opt(any::<bool>()),
        opt("[a-z0-9.@-]{3,20}"),
    )
        .prop_map(
            |(at, by, kind, text, key, from, to, followup, forced, letter, timely, message_id)| {
                Event {
                    at,
                    by,
                    kind,
                    text,
                    key,
                    from,
                    to,
                    followup,
                    forced,
                    letter,
                    timely,
                    message_id,
                }
            },
        )
}

fn complaint() -> impl Strategy<Value = Complaint> {
    let header = (
        "[0-9a-hjkmnp-tv-z]{16}",
        text(),
        when(),
        opt(text()),
        "[a-z-]{1,12}",
        opt(prop::sample::select(Severity::ALL.to_vec())),
        (opt(text()), opt(text()), opt(text()), opt(text())),
        prop::collection::vec("[a-z-]{1,8}", 0..3),
        opt(when()),
        opt(text()),
        opt(prop::collection::vec("[a-z_]{1,12}", 0..3)),
    );
    let resolution = (
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(any::<bool>()),
        opt(any::<bool>()),
        opt(text()),
        opt(text()),
    )
        .prop_map(
            |(
                fair_outcome,
                action,
                extra_mile,
                root_cause,
                avoidable,
                satisfied,
                upheld,
                redress,
            )| {
                Resolution {
                    fair_outcome,
                    action,
                    extra_mile,
                    root_cause,
                    avoidable,
                    satisfied,
                    upheld,
                    redress,
                }
            },
        );
    let followup =
        ("[0-9a-z]{6}", when(), opt(text()), opt(when())).prop_map(|(id, due, note, done)| {
            Followup {
                id,
                due,
                note,
                done,
            }
        });
    (
        header,
        (opt(text()), opt(text())),
        resolution,
        prop::collection::btree_map("[a-z_][a-z0-9_-]{0,10}", field_value(), 0..4),
        prop::collection::vec(followup, 0..3),
        prop::collection::vec(event(), 0..5),
    )
        .prop_map(
            |(h, (name, contact), resolution, fields, followups, events)| {
                let (
                    id,
                    title,
                    opened,
                    opened_by,
                    stage,
                    severity,
                    (channel, category, component, assignee),
                    mut tags,
                    promised_by,
                    external_ref,
                    regimes,
                ) = h;
                tags.dedup();
                Complaint {
                    id,
                    title,
                    opened,
                    opened_by,
                    stage,
                    severity,
                    channel,
                    category,
                    component,
                    assignee,
                    tags,
                    promised_by,
                    external_ref,
                    regimes,
                    customer: Customer {
                        name,
                        contact,
                        email: None,
                    },
                    resolution,
                    fields,
                    followups,
                    events,
                    misplaced: Vec::new(),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_written_complaint_reads_back_the_same(c in complaint()) {
        let path = std::path::Path::new("c.toml");
        let text = ComplaintDoc::render_new(&c);
        let back = read_complaint(path, &text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(back, c);
    }

    #[test]
    fn gripes_own_files_take_the_line_reader_and_read_as_serde_reads_them(c in complaint()) {
        let text = ComplaintDoc::render_new(&c);
        let exact: Complaint = toml::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        match gripe::store::reader::read_lines(&text) {
            Some(fast) => prop_assert_eq!(fast, exact),
            None => prop_assert!(false, "gripe's own files take the line reader:\n{}", text),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Files edited by hand read the same through the line reader, the event reader and serde,
    /// or a fast reader steps aside; none of them reads what serde refuses.
    #[test]
    fn hand_edited_files_read_the_same_through_every_reader(
        c in complaint(),
        edits in prop::collection::vec(hand_edit(), 1..6),
    ) {
        let text = edited(&ComplaintDoc::render_new(&c), &edits);
        let exact = toml::from_str::<Complaint>(&text).map_err(|e| e.to_string());
        if let Some(lines) = gripe::store::reader::read_lines(&text) {
            prop_assert_eq!(Ok(lines), exact.clone(), "{}", text);
        }
        if let gripe::store::reader::Outcome::Read(fast) = gripe::store::reader::read(&text) {
            prop_assert_eq!(Ok(*fast), exact, "{}", text);
        }
    }
}

/// Every sample complaint and example reads the same through both readers; hand-written ones
/// may take the exact path, but never read differently.
#[test]
fn both_readers_agree_on_every_sample_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut fast_count = 0;
    let mut lines_count = 0;
    let mut files = 0;
    for dir in ["complaints", "examples/complaints"] {
        for entry in walk(&root.join(dir)) {
            let text = std::fs::read_to_string(&entry).unwrap();
            let exact: Complaint = toml::from_str(&text).unwrap();
            files += 1;
            if let gripe::store::reader::Outcome::Read(fast) = gripe::store::reader::read(&text) {
                assert_eq!(*fast, exact, "{}", entry.display());
                fast_count += 1;
            }
            if let Some(lines) = gripe::store::reader::read_lines(&text) {
                assert_eq!(lines, exact, "{}", entry.display());
                lines_count += 1;
            }
        }
    }
    assert!(
        files > 40 && fast_count >= files - 2,
        "{fast_count} of {files} took the fast path"
    );
    assert!(
        lines_count >= files - 4,
        "{lines_count} of {files} took the line reader"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    out
}

/// One hand edit of one line of a complaint file: what people do to files in an editor, and
/// some of what breaks them.
#[derive(Debug, Clone)]
enum HandEdit {
    Indent,
    SpacedEquals,
    Comment(String),
    CrLf,
    LoneCr,
    BlankLineBefore,
    Literal,
    Duplicate,
    Insert(usize, char),
    /// A `[customer]`, `[resolution]` or `[fields]` table written as `name = { … }`.
    Inline,
    /// The same table written as dotted keys, `name.key = …`.
    Dotted,
}

fn hand_edit() -> impl Strategy<Value = (usize, HandEdit)> {
    let edit = prop_oneof![
        Just(HandEdit::Indent),
        Just(HandEdit::SpacedEquals),
        "[ -~\u{7}\u{e9}\t]{0,8}".prop_map(HandEdit::Comment),
        Just(HandEdit::CrLf),
        Just(HandEdit::LoneCr),
        Just(HandEdit::BlankLineBefore),
        Just(HandEdit::Literal),
        Just(HandEdit::Duplicate),
        Just(HandEdit::Inline),
        Just(HandEdit::Dotted),
        (
            any::<usize>(),
            prop::sample::select("\"'[]=#\\\r\n., {}0e+:_".chars().collect::<Vec<_>>())
        )
            .prop_map(|(at, ch)| HandEdit::Insert(at, ch)),
    ];
    (any::<usize>(), edit)
}

/// The name of a `[name]` header line.
fn table_name(line: &str) -> Option<String> {
    let name = line.strip_prefix('[')?.strip_suffix(']')?;
    (!name.starts_with('[')).then(|| name.to_string())
}

/// Replaces the header at `lines[at]` and the keys under it (up to a blank line or the next
/// header) by one inline table or by dotted keys, as people write them.
fn table_without_header(lines: &mut [String], at: usize, name: String, inline: bool) {
    let mut pairs: Vec<String> = Vec::new();
    let mut open_string = false;
    for line in lines.iter_mut().skip(at + 1) {
        if !open_string && (line.trim().is_empty() || line.starts_with('[')) {
            break;
        }
        let body = std::mem::take(line);
        let quotes = body.matches("\"\"\"").count();
        match pairs.last_mut() {
            Some(last) if open_string => last.push_str(&body),
            _ => pairs.push(body),
        }
        open_string ^= quotes % 2 == 1;
    }
    let pairs: Vec<&str> = pairs.iter().map(|p| p.trim_end_matches('\n')).collect();
    lines[at] = if inline {
        format!("{name} = {{ {} }}\n", pairs.join(", "))
    } else {
        pairs.iter().map(|p| format!("{name}.{p}\n")).collect()
    };
}

/// `text` with `edits` made to its lines.
fn edited(text: &str, edits: &[(usize, HandEdit)]) -> String {
    let mut lines: Vec<String> = text.lines().map(|l| format!("{l}\n")).collect();
    for (at, edit) in edits {
        let i = at % lines.len();
        let body = lines[i].trim_end_matches('\n').to_string();
        if let (HandEdit::Inline | HandEdit::Dotted, Some(name)) = (edit, table_name(&body)) {
            let inline = matches!(edit, HandEdit::Inline);
            table_without_header(&mut lines, i, name, inline);
            continue;
        }
        lines[i] = match edit {
            HandEdit::Indent => format!(" \t{body}\n"),
            HandEdit::SpacedEquals => format!("{}\n", body.replacen(" = ", "\t=  ", 1)),
            HandEdit::Comment(c) => format!("{body} #{c}\n"),
            HandEdit::CrLf => format!("{body}\r\n"),
            HandEdit::LoneCr => format!("{body}\r"),
            HandEdit::BlankLineBefore => format!("\n{body}\n"),
            HandEdit::Literal => {
                let quoted = body
                    .split_once(" = \"")
                    .and_then(|(key, rest)| Some((key, rest.strip_suffix('"')?)));
                match quoted {
                    Some((key, s)) if !s.contains(['\\', '\'', '"']) => format!("{key} = '{s}'\n"),
                    _ => format!("{body}\n"),
                }
            }
            HandEdit::Duplicate => format!("{body}\n{body}\n"),
            HandEdit::Insert(at, ch) => {
                let mut chars: Vec<char> = body.chars().collect();
                chars.insert(at % (chars.len() + 1), *ch);
                format!("{}\n", chars.into_iter().collect::<String>())
            }
            // Not on a table's header line: the line stays as it is.
            HandEdit::Inline | HandEdit::Dotted => format!("{body}\n"),
        };
    }
    lines.concat()
}
