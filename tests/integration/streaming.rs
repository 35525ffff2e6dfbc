//! The streamed listings write what the whole-output writers wrote before them, byte for byte,
//! on a backlog of generated complaints, some in the layout gripe writes and some as people
//! type them (tests/data/backlog, see its README). The expected outputs were written by the
//! build before streaming (commit ec7e21d), not by the code under test.

use std::path::Path;

use crate::harness::Gripe;

const NOW: &str = "2026-11-26T17:00:00+00:00";

#[test]
fn every_listing_format_is_what_the_whole_output_writers_wrote() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let backlog = "tests/data/backlog/complaints";
    let g = Gripe::bare().now(NOW);
    let cases: [(&str, &[&str]); 12] = [
        ("list", &["list"]),
        ("list-open-json", &["list", "--open", "--format", "json"]),
        ("list-csv", &["list", "--format", "csv"]),
        ("list-jsonl", &["list", "--format", "jsonl"]),
        ("list-markdown", &["list", "--format", "markdown"]),
        ("export-jsonl", &["export", "--format", "jsonl"]),
        ("export-json", &["export", "--format", "json"]),
        ("export-csv", &["export", "--format", "csv"]),
        ("due", &["due", "--within", "30d"]),
        ("due-json", &["due", "--within", "30d", "--format", "json"]),
        ("due-csv", &["due", "--within", "30d", "--format", "csv"]),
        ("due-ics", &["due", "--within", "30d", "--format", "ics"]),
    ];
    for (name, args) in cases {
        let expected =
            std::fs::read_to_string(root.join(format!("tests/data/backlog/expected/{name}.out")))
                .unwrap();
        let args: Vec<&str> = ["--dir", backlog].iter().chain(args).copied().collect();
        let run = g.run_in(root, &args, None);
        assert!(
            run.stdout == expected,
            "gripe {} differs from tests/data/backlog/expected/{name}.out",
            args.join(" ")
        );
        assert!(expected.lines().count() > 3, "{name} shows something");
    }
}
