//! Import speed: `gripe import --preset cfpb` of 100,000 CSV rows into an empty folder, against
//! a baseline measured in the same run: reading the same file with the csv crate alone (every
//! record parsed into strings, nothing else).
//!
//! The rows are the CFPB sample (tests/data/cfpb-sample.csv) resampled in order, each with a
//! new `Complaint ID`, so the file has the sample's layout, quoting, multi-line narratives and
//! date spread; and the mess of real exports, so that repairs and date detection are timed
//! too: every tenth row has a blank `Issue` (its title repaired from `Sub-issue` or
//! `Product`), and every third row writes `Date received` as `MM/DD/YYYY`. Run with `cargo bench --bench import`; `GRIPE_BENCH_ROWS` changes the count.
//! The figures go to BENCHMARKS.md by hand.

use std::path::Path;
use std::process::Command;
use std::time::Duration;
use std::time::Instant;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cfpb-sample.csv");
const TARGET: Duration = Duration::from_secs(30);

fn main() {
    let rows: usize = std::env::var("GRIPE_BENCH_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("a temp folder");
    let csv = dir.path().join("cfpb-100k.csv");
    write_resampled(&csv, rows);
    let size = std::fs::metadata(&csv).expect("the file").len();
    println!("{rows} rows, {:.1} MB", size as f64 / 1e6);

    let (baseline, parsed) = time(|| parse_only(&csv));
    assert_eq!(parsed, rows);
    println!(
        "baseline, csv crate parse only:  {:>7.2} s",
        baseline.as_secs_f64()
    );

    let project = dir.path().join("project");
    std::fs::create_dir(&project).expect("a project folder");
    gripe(&project, &["init"]);
    let (import, _) = time(|| {
        gripe(
            &project,
            &["import", csv.to_str().unwrap(), "--preset", "cfpb"],
        )
    });
    let files = walkdir::WalkDir::new(project.join("complaints"))
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "toml"))
        })
        .count();
    assert_eq!(files, rows, "one file per row");
    println!(
        "gripe import (empty folder):     {:>7.2} s  ({:.0}x baseline, target {} s)",
        import.as_secs_f64(),
        import.as_secs_f64() / baseline.as_secs_f64(),
        TARGET.as_secs()
    );
    let (again, _) = time(|| {
        gripe(
            &project,
            &["import", csv.to_str().unwrap(), "--preset", "cfpb"],
        )
    });
    println!(
        "gripe import again (no change):  {:>7.2} s  ({:.0}x baseline)",
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

/// The sample's rows, round and round, each with a new Complaint ID.
fn write_resampled(path: &Path, rows: usize) {
    let mut reader = csv::Reader::from_path(SAMPLE).expect("the CFPB sample");
    let headers = reader.headers().expect("a header").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .expect("a CFPB column")
    };
    let (id_column, issue, received) = (
        column("Complaint ID"),
        column("Issue"),
        column("Date received"),
    );
    let sample: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let mut writer = csv::Writer::from_path(path).expect("a file to write");
    writer.write_record(&headers).expect("write");
    for i in 0..rows {
        let id = (90_000_000 + i).to_string();
        let record = &sample[i % sample.len()];
        let date = &record[received];
        let us = format!("{}/{}/{}", &date[5..7], &date[8..10], &date[..4]);
        let cells = record.iter().enumerate().map(|(c, cell)| match c {
            c if c == id_column => id.as_str(),
            c if c == issue && i % 10 == 0 => "",
            c if c == received && i % 3 == 0 => us.as_str(),
            _ => cell,
        });
        writer.write_record(cells).expect("write");
    }
    writer.flush().expect("flush");
}

/// Reads every record of the file into strings: the least any importer has to do.
fn parse_only(path: &Path) -> usize {
    let mut reader = csv::Reader::from_path(path).expect("the file");
    let mut record = csv::StringRecord::new();
    let mut count = 0;
    while reader.read_record(&mut record).expect("a row") {
        count += 1;
    }
    count
}

fn gripe(cwd: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_gripe"))
        .args(args)
        .current_dir(cwd)
        .env("GRIPE_USER", "bench")
        .env("GRIPE_NOW", "2026-11-23T09:00:00+09:00")
        .output()
        .expect("gripe runs");
    assert!(
        out.status.success(),
        "gripe {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
