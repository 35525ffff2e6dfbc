//! Email import speed: `gripe import --format mbox` of 10,000 messages into an empty folder,
//! against a baseline measured in the same run: the same mbox split and every message parsed
//! by mail-parser alone.
//!
//! The messages are the public ones in tests/data/mail, round and round, each with its own
//! Message-ID and date: plain text in several charsets, HTML-only mail, multiparts with
//! attachments, list mail and a bounce (skipped), and one in three a reply to an earlier
//! message (a note, not a complaint). Run with `cargo bench --bench mail`;
//! `GRIPE_BENCH_MESSAGES` changes the count. Prints the time and peak memory of the import; the
//! figures go to BENCHMARKS.md by hand.

#[path = "support/rusage.rs"]
mod rusage;
use rusage::wait_with_rusage;

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use std::time::Instant;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mail");
const TARGET: Duration = Duration::from_secs(20);
const TEMPLATES: [&str; 7] = [
    "rfc2822-a2-message1.eml",
    "outlook-utf8-q.eml",
    "thunderbird-html-only.eml",
    "rfc2049-appendix-a.eml",
    "utf8-b-subject.eml",
    "shapelib-list.eml",
    "rfc3464-simple-dsn.eml",
];

fn main() {
    let count: usize = std::env::var("GRIPE_BENCH_MESSAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("a temp folder");
    let mbox = dir.path().join("support.mbox");
    write_mbox(&mbox, count);
    let size = std::fs::metadata(&mbox).expect("the mbox").len();
    println!("{count} messages, {:.1} MB", size as f64 / 1e6);

    let (baseline, parsed) = time(|| parse_only(&mbox));
    assert_eq!(parsed, count);
    println!(
        "baseline, mail-parser parse only:  {:>7.2} s",
        baseline.as_secs_f64()
    );
    let project = dir.path().join("project");
    std::fs::create_dir(&project).expect("a project folder");
    gripe(&project, &["init"]);
    let (import, rss) = time(|| gripe(&project, &["import", mbox.to_str().unwrap()]));
    println!(
        "gripe import --format mbox:        {:>7.2} s  ({:.1}x baseline, {:.1} MiB peak, target {} s)",
        import.as_secs_f64(),
        import.as_secs_f64() / baseline.as_secs_f64(),
        rss as f64 / 1024.0,
        TARGET.as_secs()
    );
    let files = walkdir::WalkDir::new(project.join("complaints"))
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "toml"))
        })
        .count();
    println!("  {files} complaints; the other messages are notes or skipped");
    assert!(files > count / 3 && files < count, "{files} complaints");
    let (again, _) = time(|| gripe(&project, &["import", mbox.to_str().unwrap()]));
    println!(
        "gripe import again (no change):    {:>7.2} s  ({:.1}x baseline)",
        again.as_secs_f64(),
        again.as_secs_f64() / baseline.as_secs_f64()
    );
    assert!(
        import < TARGET,
        "import took {import:?}, over the {TARGET:?} target"
    );
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

/// The templates round and round, each message given a Message-ID and a date a minute after
/// the one before; every third one a reply to the message two before it.
fn write_mbox(path: &Path, count: usize) {
    let templates: Vec<String> = TEMPLATES
        .iter()
        .map(|name| std::fs::read_to_string(Path::new(DATA).join(name)).expect("a message"))
        .collect();
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z").expect("a date");
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("the mbox"));
    for i in 0..count {
        let date = start + chrono::Duration::minutes(i as i64);
        let template = &templates[i % templates.len()];
        // The template's own Message-ID, Date, In-Reply-To and References give way to ours.
        let body: String = template
            .split_inclusive('\n')
            .filter(|line| {
                let lower = line.to_ascii_lowercase();
                !["message-id:", "date:", "in-reply-to:", "references:"]
                    .iter()
                    .any(|h| lower.starts_with(h))
            })
            .collect();
        let mut headers = format!(
            "Message-ID: <bench-{i}@example.com>\nDate: {}\n",
            date.to_rfc2822()
        );
        if i % 3 == 2 {
            headers.push_str(&format!(
                "In-Reply-To: <bench-{}@example.com>\nReferences: <bench-{}@example.com>\n",
                i - 2,
                i - 2
            ));
        }
        write!(
            out,
            "From bench@example.com {}\n{headers}{}\n",
            date.format("%a %b %e %H:%M:%S %Y"),
            body.replace("\nFrom ", "\n>From ")
        )
        .expect("write");
    }
    out.flush().expect("flush");
}

/// Splits the mbox and parses every message: the least any importer has to do.
fn parse_only(path: &Path) -> usize {
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("the mbox"));
    let parser = mail_parser::MessageParser::default();
    let mut count = 0;
    for message in mail_parser::mailbox::mbox::MessageIterator::new(file) {
        let message = message.expect("a message");
        if parser.parse(message.contents()).is_some() {
            count += 1;
        }
    }
    count
}

/// Runs gripe and returns its peak resident set size in KB. The child is reaped by `wait4`,
/// which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn gripe(cwd: &Path, args: &[&str]) -> i64 {
    let child = Command::new(env!("CARGO_BIN_EXE_gripe"))
        .args(args)
        .current_dir(cwd)
        .env("GRIPE_USER", "bench")
        .env("GRIPE_NOW", "2026-12-07T12:00:00Z")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("gripe runs");
    let (status, rss) = wait_with_rusage(child.id() as libc::pid_t);
    assert!(status == 0, "gripe {args:?} failed with {status}");
    rss
}
