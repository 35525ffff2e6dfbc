//! Writes N realistic complaint files for benchmarks and demos:
//!
//! ```sh
//! cargo run --release --example generate -- --count 100000 --out /tmp/bench/complaints
//! ```
//!
//! The files are what gripe itself writes (the canonical layout, through gripe's own writer):
//! complaints opened over the two years before `--end`, more of them in business hours, in every
//! stage, with the events of their service recovery (acknowledged, investigated, resolved,
//! followed up, closed), notes, follow-ups, promises, custom fields and repeat customers. The
//! same `--seed` gives the same files.
//!
//! `--open-share 0.8` leaves that share of the complaints open (not closed), in any stage before
//! `closed`, as in a team with a large backlog; without it, complaints older than a month are
//! closed. `--hand-written 1.0` writes that share of the files the way a person edits them
//! (DESIGN.md section 3: "readers also accept quoted strings and local dates", comments and
//! spacing kept): a comment at the top and after some values, padded `=`, quoted datetimes,
//! literal strings, the customer as an inline table and indented event keys. gripe reads both
//! the same; hand-written files take the general TOML path of the reader.

use std::path::PathBuf;

use chrono::DateTime;
use chrono::Duration;
use chrono::FixedOffset;
use chrono::Timelike;
use gripe::model::complaint::Complaint;
use gripe::model::complaint::Customer;
use gripe::model::complaint::Event;
use gripe::model::complaint::EventKind;
use gripe::model::complaint::FieldValue;
use gripe::model::complaint::Followup;
use gripe::model::complaint::Resolution;
use gripe::model::complaint::Severity;
use gripe::model::complaint::Stamp;
use gripe::store::document::ComplaintDoc;
use gripe::time::when::When;

const CATEGORIES: [(&str, u32); 5] = [
    ("billing", 30),
    ("delivery", 35),
    ("quality", 20),
    ("service", 10),
    ("website", 5),
];
const CHANNELS: [(&str, u32); 7] = [
    ("email", 30),
    ("phone", 25),
    ("chat", 20),
    ("web", 12),
    ("social", 8),
    ("letter", 3),
    ("in-person", 2),
];
const COMPONENTS: [&str; 12] = [
    "checkout",
    "payments",
    "courier-dpd",
    "courier-evri",
    "warehouse",
    "mobile-app",
    "returns-portal",
    "website-search",
    "kettle-k200",
    "toaster-t4",
    "blender-b300",
    "customer-service",
];
const AGENTS: [&str; 8] = [
    "andrea", "mark", "priya", "tomasz", "lin", "sofia", "omar", "grace",
];
const OPENINGS: [&str; 6] = [
    "Customer called, upset; listened to the end before answering.",
    "Email came in overnight; the customer had already tried chat twice.",
    "Posted publicly first, then messaged us; moved the conversation to a private channel.",
    "Wrote a long letter with photos of the damage and the delivery note.",
    "Chat transcript attached; the customer asked for a manager twice.",
    "Second contact about the same order this month.",
];
const NOTES: [&str; 9] = [
    "Checked the order history: two captures on the card, one refund pending.",
    "Courier confirms the parcel was scanned at the depot but never loaded.",
    "Asked the customer for photos; they sent them within the hour.",
    "Warehouse says the batch had a packing fault; three other orders affected.",
    "Called back as promised; customer calmer, wants a replacement not a refund.",
    "Escalated to payments; they see a retry loop in the logs for this order.",
    "Customer asked what would be fair: a refund of the delivery fee and an apology.",
    "Left a voicemail and sent an email summary of where things stand.",
    // What a hurried agent pastes in: personal data outside [customer], for `gripe check`.
    "Customer asked for a call back on 07700 900461 or at r.khan@example.net; card 4242 4242 4242 4242.",
];
const ACTIONS: [&str; 6] = [
    "refunded the duplicate charge",
    "sent a replacement by next-day delivery",
    "rebooked the delivery for a Saturday slot",
    "refunded the order in full",
    "repaired under warranty at no cost",
    "credited the account and corrected the invoice",
];
const EXTRAS: [&str; 4] = [
    "waived the delivery fee on the next order",
    "sent a handwritten apology card",
    "added a 10% voucher",
    "upgraded to premium delivery for a year",
];
const CAUSES: [&str; 5] = [
    "payment retry bug",
    "courier capacity at peak",
    "packing fault in one batch",
    "agent unaware of the refund policy",
    "stock shown as available when it was not",
];

struct Args {
    count: usize,
    out: PathBuf,
    seed: u64,
    end: DateTime<FixedOffset>,
    open_share: Option<f64>,
    hand_written: f64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        count: 1000,
        out: PathBuf::from("complaints"),
        seed: 42,
        end: DateTime::parse_from_rfc3339("2026-11-26T09:00:00+00:00").expect("valid"),
        open_share: None,
        hand_written: 0.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--count" => args.count = value()?.parse().map_err(|e| format!("--count: {e}"))?,
            "--out" => args.out = PathBuf::from(value()?),
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--end" => {
                args.end =
                    DateTime::parse_from_rfc3339(&value()?).map_err(|e| format!("--end: {e}"))?
            }
            "--open-share" => args.open_share = Some(share(&flag, &value()?)?),
            "--hand-written" => args.hand_written = share(&flag, &value()?)?,
            "-h" | "--help" => {
                return Err(
                    "usage: generate [--count N] [--out DIR] [--seed N] [--end RFC3339] \
                     [--open-share 0..1] [--hand-written 0..1]"
                        .into(),
                );
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

fn share(flag: &str, value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("{flag}: {value:?} is not a share between 0 and 1")),
    }
}

fn pick<'a>(rng: &mut fastrand::Rng, weighted: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = weighted.iter().map(|(_, w)| w).sum();
    let mut n = rng.u32(0..total);
    for (value, weight) in weighted {
        if n < *weight {
            return value;
        }
        n -= weight;
    }
    weighted[0].0
}

fn id(rng: &mut fastrand::Rng, len: usize) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    (0..len)
        .map(|_| ALPHABET[rng.usize(0..32)] as char)
        .collect()
}

fn complaint(
    rng: &mut fastrand::Rng,
    n: usize,
    customers: usize,
    end: DateTime<FixedOffset>,
    open_share: Option<f64>,
) -> Complaint {
    // Opened within two years before `end`, mostly in business hours.
    let day = rng.i64(0..730);
    let hour = if rng.u8(0..10) < 8 {
        rng.u32(9..18)
    } else {
        rng.u32(0..24)
    };
    let opened = (end - Duration::days(day))
        .with_hour(hour)
        .and_then(|t| t.with_minute(rng.u32(0..60)))
        .and_then(|t| t.with_second(rng.u32(0..60)))
        .unwrap_or(end);
    let opened = opened.min(end - Duration::minutes(5));
    let agent = AGENTS[rng.usize(0..AGENTS.len())];
    let by = |who: &str, at| Stamp {
        at,
        by: who.to_string(),
    };
    let severity = match rng.u8(0..20) {
        0 => Severity::Critical,
        1..=4 => Severity::High,
        5..=15 => Severity::Medium,
        _ => Severity::Low,
    };
    let customer = rng.usize(0..customers);
    let mut events = vec![Event {
        text: Some(OPENINGS[rng.usize(0..OPENINGS.len())].to_string()),
        ..Event::new(EventKind::Opened, &by(agent, opened))
    }];
    let mut at = opened;
    let mut stage = "new";
    let mut resolution = Resolution::default();
    let mut followups = Vec::new();
    // How far along this complaint got: older ones further, unless a share is to stay open.
    let reach = match open_share {
        Some(share) if rng.f64() < share => rng.u8(1..6),
        Some(_) => 6,
        None if day > 30 => 6,
        None => rng.u8(1..7),
    };
    let step = |rng: &mut fastrand::Rng, at: &mut DateTime<FixedOffset>, max_minutes: i64| {
        *at = (*at + Duration::minutes(rng.i64(5..max_minutes))).min(end);
        *at
    };
    let advance = |events: &mut Vec<Event>, stage: &mut &str, to: &'static str, at| {
        events.push(Event::stage_change(
            EventKind::Stage,
            &by(agent, at),
            stage,
            to,
        ));
        *stage = to;
    };
    if reach >= 2 {
        let t = step(rng, &mut at, 600);
        advance(&mut events, &mut stage, "acknowledged", t);
    }
    for _ in 0..rng.usize(0..4) {
        let t = step(rng, &mut at, 3000);
        events.push(Event {
            text: Some(NOTES[rng.usize(0..NOTES.len())].to_string()),
            ..Event::new(EventKind::Note, &by(agent, t))
        });
    }
    if reach >= 3 {
        let t = step(rng, &mut at, 1500);
        advance(&mut events, &mut stage, "investigating", t);
    }
    if reach >= 4 {
        let action = ACTIONS[rng.usize(0..ACTIONS.len())];
        let t = step(rng, &mut at, 8000);
        events.push(Event {
            key: Some("resolution.action".into()),
            to: Some(FieldValue::Text(action.into())),
            ..Event::new(EventKind::Set, &by(agent, t))
        });
        resolution.action = Some(action.into());
        if rng.bool() {
            resolution.extra_mile = Some(EXTRAS[rng.usize(0..EXTRAS.len())].into());
        }
        advance(&mut events, &mut stage, "resolved", t);
        let fid = id(rng, 6);
        let due = When::Date((t + Duration::days(3)).date_naive());
        events.push(Event {
            followup: Some(fid.clone()),
            to: Some(FieldValue::When(due)),
            text: Some("Ask whether the fix held".into()),
            ..Event::new(EventKind::Followup, &by(agent, t))
        });
        let mut followup = Followup {
            id: fid.clone(),
            due,
            note: Some("Ask whether the fix held".into()),
            done: None,
        };
        if reach >= 5 {
            let t = step(rng, &mut at, 6000);
            advance(&mut events, &mut stage, "following-up", t);
        }
        if reach >= 6 {
            let t = step(rng, &mut at, 5000);
            followup.done = Some(When::Zoned(t));
            events.push(Event {
                followup: Some(fid),
                text: Some("Customer confirmed the fix held.".into()),
                ..Event::new(EventKind::FollowupDone, &by(agent, t))
            });
            resolution.satisfied = Some(rng.u8(0..5) > 0);
            resolution.root_cause = Some(CAUSES[rng.usize(0..CAUSES.len())].into());
            resolution.avoidable = Some(rng.bool());
            advance(&mut events, &mut stage, "closed", t);
        }
        followups.push(followup);
    }
    Complaint {
        id: id(rng, 16),
        title: format!(
            "{} problem with order NW-{}",
            pick(rng, &CATEGORIES),
            10000 + n
        ),
        opened: When::Zoned(opened),
        opened_by: Some(agent.into()),
        stage: stage.into(),
        severity: Some(severity),
        channel: Some(pick(rng, &CHANNELS).into()),
        category: Some(pick(rng, &CATEGORIES).into()),
        component: Some(COMPONENTS[rng.usize(0..COMPONENTS.len())].into()),
        assignee: Some(agent.into()),
        tags: if rng.u8(0..4) == 0 {
            vec!["refund".into()]
        } else {
            Vec::new()
        },
        promised_by: (rng.u8(0..3) == 0)
            .then(|| When::Date((opened + Duration::days(rng.i64(1..8))).date_naive())),
        external_ref: None,
        regimes: None,
        customer: Customer {
            name: Some(format!("Customer {customer}")),
            email: None,
            contact: Some(format!("cust-{customer}")),
        },
        resolution,
        fields: [
            (
                "order".to_string(),
                FieldValue::Text(format!("NW-{}", 10000 + n)),
            ),
            (
                "region".to_string(),
                FieldValue::Text(
                    ["north", "south", "east", "west", "london"][rng.usize(0..5)].into(),
                ),
            ),
        ]
        .into_iter()
        .collect(),
        followups,
        events,
        misplaced: Vec::new(),
    }
}

/// The same complaint as a person would type it: every rewrite is one DESIGN.md allows a
/// reader to meet (comments, spacing, quoted datetimes, literal strings, inline tables).
fn by_hand(rng: &mut fastrand::Rng, text: &str) -> String {
    const REMARKS: [&str; 4] = [
        "# typed in after the call",
        "# checked with the team lead",
        "# see the order system",
        "# per the customer's email",
    ];
    let mut out = String::with_capacity(text.len() + 256);
    out.push_str("# Complaint file, kept by hand as well as by gripe.\n");
    let mut lines = text.lines().peekable();
    let mut in_event = false;
    let mut in_text = false;
    while let Some(line) = lines.next() {
        if in_text {
            // The inside of a multi-line string is the person's words: left as it is.
            in_text = !line.ends_with("\"\"\"");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if line == "[customer]" {
            // `[customer]` and its keys become one inline table.
            let mut pairs = Vec::new();
            while let Some(next) = lines.next_if(|l| !l.is_empty() && !l.starts_with('[')) {
                pairs.push(next.to_string());
            }
            out.push_str(&format!("customer = {{ {} }}\n", pairs.join(", ")));
            continue;
        }
        if line.starts_with('[') {
            in_event = line == "[[event]]";
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let Some((key, value)) = line.split_once(" = ") else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let value = if value.len() >= 19 && value.as_bytes()[4] == b'-' && value.contains('T') {
            format!("\"{value}\"")
        } else if value.starts_with('"')
            && !value.starts_with("\"\"\"")
            && !value.contains(['\\', '\''])
            && rng.u8(0..2) == 0
        {
            format!("'{}'", &value[1..value.len() - 1])
        } else {
            value.to_string()
        };
        in_text =
            value == "\"\"\"" || (value.starts_with("\"\"\"") && !value[3..].ends_with("\"\"\""));
        let indent = if in_event { "  " } else { "" };
        let pad = " ".repeat(rng.usize(1..4));
        out.push_str(&format!("{indent}{key}{pad}= {value}"));
        if !value.starts_with("\"\"\"") && rng.u8(0..6) == 0 {
            out.push_str("   ");
            out.push_str(REMARKS[rng.usize(0..REMARKS.len())]);
        }
        out.push('\n');
    }
    out
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut rng = fastrand::Rng::with_seed(args.seed);
    let customers = (args.count * 7 / 10).max(1);
    for n in 0..args.count {
        let c = complaint(&mut rng, n, customers, args.end, args.open_share);
        let date = match c.opened {
            When::Zoned(t) => t.date_naive(),
            _ => unreachable!("generated complaints have times"),
        };
        let path = args
            .out
            .join(date.format("%Y").to_string())
            .join(date.format("%m").to_string())
            .join(format!("{}.toml", c.id));
        let text = ComplaintDoc::render_new(&c);
        let text = if rng.f64() < args.hand_written {
            by_hand(&mut rng, &text)
        } else {
            text
        };
        // Benchmark data, not a team's records: plain writes, no fsync.
        let written = std::fs::create_dir_all(path.parent().expect("a folder"))
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            eprintln!("{}: {e}", path.display());
            std::process::exit(5);
        }
    }
    eprintln!("wrote {} complaints to {}", args.count, args.out.display());
}
