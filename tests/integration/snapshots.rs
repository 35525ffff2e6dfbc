//! Snapshots of every human-facing output, on the repository's own sample with a fixed clock:
//! `cargo insta review` shows a change before it is accepted. The JSON documents are pinned too,
//! byte for byte, so that a change in how they are written (not only what they hold) shows.

use std::path::Path;

use crate::harness::Gripe;
use crate::harness::Run;

/// The sample's last day, so the figures do not move.
const NOW: &str = "2026-11-26T17:00:00+00:00";

/// stdout of gripe run in the repository's root, on its sample, which must succeed. Paths
/// are shown relative to the root, so the snapshots hold wherever the repository is cloned.
fn on_sample(args: &[&str]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let g = Gripe::bare().now(NOW);
    g.run_in(root, args, None).ok().to_string()
}

/// A failed run as a person sees it: exit code, then what it printed.
fn failure(run: &Run) -> String {
    format!("exit {}\n{}{}", run.code, run.stdout, run.stderr)
}

#[test]
fn list() {
    insta::assert_snapshot!(on_sample(&["list"]));
    insta::assert_snapshot!(
        "list_open_markdown",
        on_sample(&["list", "--open", "--format", "markdown"])
    );
    insta::assert_snapshot!(
        "list_json",
        on_sample(&["list", "--open", "--format", "json"])
    );
    insta::assert_snapshot!("list_csv", on_sample(&["list", "--format", "csv"]));
    insta::assert_snapshot!("list_jsonl", on_sample(&["list", "--format", "jsonl"]));
    insta::assert_snapshot!(
        "list_empty_json",
        on_sample(&["list", "--category", "nothing-here", "--format", "json"])
    );
}

/// Export in every format, pinned byte for byte: the streaming writers must give what the
/// whole-output ones gave.
#[test]
fn export() {
    insta::assert_snapshot!("export_jsonl", on_sample(&["export"]));
    insta::assert_snapshot!("export_json", on_sample(&["export", "--format", "json"]));
    insta::assert_snapshot!("export_csv", on_sample(&["export", "--format", "csv"]));
    insta::assert_snapshot!(
        "export_empty_json",
        on_sample(&["export", "--category", "nothing-here", "--format", "json"])
    );
}

#[test]
fn show() {
    insta::assert_snapshot!(on_sample(&["show", "ge39"]));
    insta::assert_snapshot!(
        "show_json",
        on_sample(&["show", "ge39", "--format", "json"])
    );
}

#[test]
fn report() {
    insta::assert_snapshot!("report_terminal", on_sample(&["report"]));
    insta::assert_snapshot!(
        "report_markdown",
        on_sample(&["report", "--format", "markdown"])
    );
    insta::assert_snapshot!("report_json", on_sample(&["report", "--format", "json"]));
    insta::assert_snapshot!(
        "report_as_of",
        on_sample(&["report", "--as-of", "2026-10-01"])
    );
}

#[test]
fn trends() {
    insta::assert_snapshot!("trends_table", on_sample(&["trends", "--by", "category"]));
    insta::assert_snapshot!(
        "trends_heat_map",
        on_sample(&["trends", "--by", "hour,assignee"])
    );
    insta::assert_snapshot!(
        "trends_spike",
        on_sample(&[
            "trends",
            "--by",
            "component",
            "--every",
            "week",
            "--since",
            "2026-09-01",
            "--until",
            "2026-10-18",
        ])
    );
    insta::assert_snapshot!(
        "trends_json",
        on_sample(&["trends", "--by", "channel", "--format", "json"])
    );
}

#[test]
fn due() {
    insta::assert_snapshot!(on_sample(&["due"]));
    insta::assert_snapshot!("due_json", on_sample(&["due", "--format", "json"]));
}

#[test]
fn check() {
    insta::assert_snapshot!(on_sample(&["check"]));
    insta::assert_snapshot!("check_json", on_sample(&["check", "--format", "json"]));
}

#[test]
fn error_messages() {
    let g = Gripe::new().now(NOW);
    let a = g.open(&["Parcel left in the rain", "--customer", "Ines"]);
    g.write(
        "complaints/broken.toml",
        "title = \"half\nopened = 2026-11-01\n",
    );
    g.write(
        "complaints/conflicted.toml",
        "<<<<<<< ours\ntitle = \"a\"\n=======\ntitle = \"b\"\n>>>>>>> theirs\n",
    );
    let errors = [
        g.run(&["show", "zzzz"]),
        g.run(&["show", "zz"]),
        g.run(&["followup", &a, "--on", "2026-02-30", "call"]),
        g.run(&["advance", &a, "--to", "nowhere"]),
        g.run(&["list", "--bogus"]),
        g.run(&["check"]),
        g.run(&["git", "setup", "--check"]),
    ];
    let text = errors
        .iter()
        .map(failure)
        .collect::<Vec<_>>()
        .join("\n")
        .replace(&a, "ID");
    insta::assert_snapshot!(text);
}
