//! The streamed listings write what the whole-output writers wrote before them, byte for byte,
//! on a backlog of generated complaints, some in the layout gripe writes and some as people
//! type them (tests/data/backlog, see its README). The expected outputs were written by the
//! build before streaming (commit ec7e21d), not by the code under test; when the regulatory
//! and email keys came, the empty columns `regimes`, `customer.email`, `resolution.upheld` and
//! `resolution.redress` were put into `export-csv.out` with Python's csv module, not with
//! gripe.

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

/// A file whose header reads but whose history is broken is a bad file of the scan, never a
/// listed complaint that goes missing when it is read again: `--limit` gives as many rows as
/// it says, and the JSON count is the number of elements.
#[test]
fn a_file_broken_below_its_header_is_left_out_before_counting() {
    let g = Gripe::new();
    for title in ["one", "two", "three"] {
        g.open(&[title, "--channel", "email"]);
    }
    g.write(
        "complaints/2026/11/zzzzbroken000000.toml",
        "id = \"zzzzbroken000000\"\ntitle = \"broken\"\nopened = 2026-11-26T12:00:00Z\n\
         stage = \"new\"\n\n[[event]]\nkind = \"note\"\n",
    );
    let run = g.run(&["list", "--limit", "2", "--format", "csv"]);
    assert_eq!(run.code, 4, "a bad file exits 4: {}", run.stderr);
    assert_eq!(
        run.stdout.lines().count(),
        3,
        "a header and two rows:\n{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("zzzzbroken000000.toml"),
        "{}",
        run.stderr
    );
    for command in [&["list"][..], &["export"][..]] {
        let args: Vec<&str> = command
            .iter()
            .copied()
            .chain(["--format", "json"])
            .collect();
        let run = g.run(&args);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let listed = doc["complaints"].as_array().unwrap().len();
        assert_eq!(doc["count"], listed, "{command:?}");
        assert_eq!(listed, 3, "{command:?}");
    }
}

/// When most complaints pass a filter's first look (`list --open` on a backlog), the scan
/// reads each file whole at once instead of looking first; what it lists and which files it
/// calls bad must not change with that: a closed complaint broken below its header is still
/// passed over by `--open`, an open one is still a bad file, and the other way round.
#[test]
fn a_first_look_skipped_for_speed_changes_nothing_listed() {
    let g = Gripe::new();
    for n in 0..150 {
        g.write(
            &format!("complaints/2026/11/a{n:015}.toml"),
            &format!(
                "id = \"a{n:015}\"\ntitle = \"open {n}\"\nopened = 2026-11-20T12:00:00Z\nstage = \"new\"\n"
            ),
        );
    }
    let broken = |id: &str, stage: &str| {
        g.write(
            &format!("complaints/2026/11/{id}.toml"),
            &format!(
                "id = \"{id}\"\ntitle = \"broken\"\nopened = 2026-11-21T12:00:00Z\nstage = \"{stage}\"\n\n[[event]]\nkind = \"note\"\n"
            ),
        );
    };
    broken("zzzz000000000001", "closed");
    broken("zzzz000000000002", "new");
    // (filter, the broken file that is bad, the one passed over, complaints listed)
    let cases = [
        ("--open", "zzzz000000000002", "zzzz000000000001", 150),
        ("--stage=closed", "zzzz000000000001", "zzzz000000000002", 0),
    ];
    for (filter, bad, passed_over, listed) in cases {
        let run = g.run(&["list", filter, "--format", "json"]);
        assert_eq!(run.code, 4, "{filter}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{bad}.toml")),
            "{filter}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains(passed_over),
            "{filter}: {}",
            run.stderr
        );
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(doc["count"], listed, "{filter}");
    }
}
