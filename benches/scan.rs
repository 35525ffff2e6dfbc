//! End-to-end benchmark of the commands that scan every complaint, against a plain read of the
//! same files measured in the same run (these machines are noisy, so only ratios mean much).
//!
//! ```sh
//! cargo bench --bench scan                    # 100,000 complaints
//! GRIPE_BENCH_COUNT=1000000 cargo bench --bench scan
//! ```
//!
//! The data is written once by `examples/generate.rs` into `target/bench-data/<count>/` and
//! reused. Each command runs `GRIPE_BENCH_RUNS` times (default 5) after one warm-up run; the
//! median wall time and the peak memory (max RSS) are reported. The baseline walks the folder
//! and reads every file in full with as many threads as gripe uses, doing nothing with the bytes;
//! it runs in a child process, as gripe does, started the same way.

use std::path::Path;
use std::path::PathBuf;
use std::process::Command;
use std::process::Stdio;
use std::time::Duration;
use std::time::Instant;

use rayon::prelude::*;

const NOW: &str = "2026-11-26T09:00:00+00:00";

/// Set in the child process that does the plain read (to "parallel" or "sequential").
const PLAIN_READ: &str = "GRIPE_BENCH_PLAIN_READ";

fn main() {
    // The plain read runs in a process of its own: Linux counts the peak memory of the process
    // that starts a child in the child's own peak (at exec), so the list of a million paths
    // held here would be counted in every gripe run measured after it.
    if let Ok(mode) = std::env::var(PLAIN_READ) {
        let dir = PathBuf::from(std::env::args_os().last().expect("the folder to read"));
        assert!(plain_read(&dir, mode == "parallel") > 0, "nothing read");
        return;
    }
    let count: usize = std::env::var("GRIPE_BENCH_COUNT")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100_000);
    let runs: usize = std::env::var("GRIPE_BENCH_RUNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(5);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(count.to_string());
    let dir = root.join("complaints");
    ensure_data(&dir, count);
    let gripe = env!("CARGO_BIN_EXE_gripe");
    println!(
        "{count} complaints in {}, {} threads, median of {runs} runs after a warm-up",
        dir.display(),
        rayon::current_num_threads()
    );

    let dir_ref = &dir;
    let read_all = |parallel: bool| {
        move || {
            let start = Instant::now();
            let status = Command::new(std::env::current_exe().expect("the bench's own path"))
                .env(PLAIN_READ, if parallel { "parallel" } else { "sequential" })
                .arg(dir_ref)
                .status()
                .expect("the plain read starts");
            assert!(status.success(), "the plain read failed");
            (start.elapsed(), 0)
        }
    };
    let baseline = median(runs, read_all(true));
    let sequential = median(runs, read_all(false));
    println!(
        "{:<34} {:>8.3} s  {:>6}  {:>8}",
        "baseline: walk and read every file",
        baseline.0.as_secs_f64(),
        "1.00x",
        "-"
    );
    println!(
        "{:<34} {:>8.3} s  {:>5.2}x  {:>8}  (the same on one thread, as `cat` reads)",
        "sequential read",
        sequential.0.as_secs_f64(),
        sequential.0.as_secs_f64() / baseline.0.as_secs_f64(),
        "-"
    );

    let commands: [(&str, &[&str], f64); 5] = [
        (
            "gripe trends --by category",
            &["trends", "--by", "category"],
            2.0,
        ),
        (
            "gripe trends --by hour,assignee",
            &["trends", "--by", "hour,assignee"],
            2.0,
        ),
        (
            "gripe trends --by component --every week",
            &["trends", "--by", "component", "--every", "week"],
            2.0,
        ),
        (
            "gripe list --open --format csv",
            &["list", "--open", "--format", "csv"],
            2.0,
        ),
        ("gripe report", &["report"], 3.0),
    ];
    // DESIGN.md sets the targets for 100,000 complaints; at other counts the figures are shown
    // without a verdict.
    let judged = count == 100_000;
    let verdict = |ok: bool| match (judged, ok) {
        (false, _) => "figures only",
        (true, true) => "met",
        (true, false) => "MISSED",
    };
    let mut all_within = true;
    for (name, args, target) in commands {
        let (time, rss_kb) = median(runs, || run(gripe, &dir, args));
        let ratio = time.as_secs_f64() / baseline.0.as_secs_f64();
        let mb = rss_kb as f64 / 1024.0;
        let ok = ratio <= target && mb < 50.0;
        all_within &= ok;
        println!(
            "{name:<34} {:>8.3} s  {ratio:>5.2}x  {mb:>6.1} MB  target {target}x, 50 MB: {}",
            time.as_secs_f64(),
            verdict(ok)
        );
    }
    // A single complaint by prefix: DESIGN.md section 9 asks for under 100 ms at 100,000.
    let prefix = first_id(&dir);
    let (time, rss_kb) = median(runs, || run(gripe, &dir, &["show", &prefix]));
    let ok = time.as_millis() < 100;
    all_within &= ok;
    println!(
        "{:<34} {:>8.3} s  {:>6}  {:>6.1} MB  target 100 ms: {}",
        format!("gripe show {prefix}"),
        time.as_secs_f64(),
        "",
        rss_kb as f64 / 1024.0,
        verdict(ok)
    );
    println!(
        "{}",
        match (judged, all_within) {
            (false, _) =>
                "the targets are set for 100,000 complaints; every command ran to the end",
            (true, true) => "all targets met",
            (true, false) => "some targets missed",
        }
    );
}

/// The short id of some complaint, as `gripe list` shows it: the shortest prefix, four
/// characters at least, that no other complaint's id shares (at a million complaints four
/// characters are seldom enough). The ids are compared as the walk goes, not kept.
fn first_id(dir: &Path) -> String {
    let mut first: Option<String> = None;
    let mut shared = 0;
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let Some(id) = entry.path().file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        match &first {
            None => first = Some(id.to_string()),
            Some(f) => {
                let common = f
                    .bytes()
                    .zip(id.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                shared = shared.max(common);
            }
        }
    }
    let first = first.expect("a complaint file");
    first[..(shared + 1).clamp(4, first.len())].to_string()
}

/// Writes `count` complaints with the generator example, unless they are there already.
fn ensure_data(dir: &Path, count: usize) {
    let marker = dir.with_file_name("complete");
    if marker.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    eprintln!("generating {count} complaints in {} (once)", dir.display());
    let status = Command::new(env!("CARGO"))
        .args([
            "run",
            "--release",
            "--quiet",
            "--example",
            "generate",
            "--",
            "--count",
        ])
        .arg(count.to_string())
        .arg("--out")
        .arg(dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs the generator");
    assert!(status.success(), "the generator failed");
    std::fs::write(marker, "").expect("marker written");
}

/// The baseline: every `*.toml` below `dir`, read in full, in parallel (or on one thread).
fn plain_read(dir: &Path, parallel: bool) -> usize {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "toml"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let read = |p: &PathBuf| std::fs::read(p).map_or(0, |b| b.len());
    if parallel {
        files.par_iter().map(read).sum()
    } else {
        files.iter().map(read).sum()
    }
}

/// Runs gripe once; its wall time and peak memory in KB.
// The child is waited for with wait4, which also reports its peak memory.
#[allow(clippy::zombie_processes)]
fn run(gripe: &str, dir: &Path, args: &[&str]) -> (Duration, i64) {
    let start = Instant::now();
    let child = Command::new(gripe)
        .arg("--dir")
        .arg(dir)
        .args(args)
        .env("GRIPE_NOW", NOW)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gripe starts");
    let (status, rss) = wait_with_rusage(child.id() as libc::pid_t);
    let elapsed = start.elapsed();
    assert!(status == 0, "gripe {args:?} failed with {status}");
    (elapsed, rss)
}

/// Waits for a child and reads its peak resident set size (Linux reports it in KB).
fn wait_with_rusage(pid: libc::pid_t) -> (i32, i64) {
    let mut status = 0;
    // SAFETY: rusage is plain old data that wait4 fills in; pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

/// Runs `f` once to warm up, then `runs` times; the median time and the largest memory.
fn median(runs: usize, mut f: impl FnMut() -> (Duration, i64)) -> (Duration, i64) {
    f();
    let mut results: Vec<(Duration, i64)> = (0..runs.max(1)).map(|_| f()).collect();
    let rss = results.iter().map(|r| r.1).max().unwrap_or(0);
    results.sort_by_key(|r| r.0);
    (results[results.len() / 2].0, rss)
}
