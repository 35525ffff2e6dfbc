//! Data safety: files gripe cannot read are never written, hand edits and comments survive,
//! files written by hand in every allowed form are read, and writes leave nothing behind.

use crate::harness::Gripe;

const HAND_MADE: &str = r#"# Logged by hand during the outage; see the incident doc.
id = "h4nd0000000000aa"
title = "Order page crashed at payment"   # customer sent a screenshot
opened = "2026-11-20 10:15"               # a quoted local time
opened_by = "lin"

# The customer is a key account.
stage = "acknowledged"
severity = "critical"
legacy_priority = "P1"   # not a gripe key: kept as is

[customer]
name = "Acme Corp"

[resolution]
action = "manual order"

[fields]
region = "Kansai"
first_seen = 2026-11-19
retries = 3

[[event]]
at = 2026-11-20T10:15:00
kind = "opened"

[[event]]
at = 2026-11-20
by = "lin"
kind = "stage"
from = "new"
to = "acknowledged"
"#;

#[test]
fn a_hand_written_file_in_every_allowed_date_form_reads() {
    let g = Gripe::new();
    g.write("complaints/2026/11/h4nd0000000000aa.toml", HAND_MADE);
    let doc = crate::harness::json(&g.run(&["show", "h4nd", "--format", "json"]));
    let c = &doc["complaint"];
    assert_eq!(c["opened"], "2026-11-20T10:15:00");
    assert_eq!(c["fields"]["first_seen"], "2026-11-19");
    assert_eq!(c["fields"]["retries"], 3);
    assert_eq!(c["event"][1]["at"], "2026-11-20");
    let list = g.run(&["list", "--format", "csv"]).ok().to_string();
    assert!(
        list.contains(",2026-11-20T10:15:00,acknowledged,critical,"),
        "{list}"
    );
}

#[test]
fn edits_keep_every_comment_unknown_key_and_untouched_line() {
    let g = Gripe::new();
    let path = g.write("complaints/2026/11/h4nd0000000000aa.toml", HAND_MADE);
    g.run(&[
        "set",
        "h4nd",
        "severity=high",
        "resolution.root_cause=payment provider timeout",
    ])
    .ok();
    g.run(&["note", "h4nd", "Provider confirmed the outage"])
        .ok();
    let text = std::fs::read_to_string(&path).unwrap();
    let expected_head = HAND_MADE
        .replace("severity = \"critical\"", "severity = \"high\"")
        .replace(
            "action = \"manual order\"\n",
            "action = \"manual order\"\nroot_cause = \"payment provider timeout\"\n",
        );
    assert!(
        text.starts_with(&expected_head),
        "everything but the two changes is as it was:\n{text}"
    );
    assert!(
        text[expected_head.len()..].starts_with(
            "\n[[event]]\nat = 2026-11-23T09:00:00+09:00\nby = \"andrea\"\nkind = \"set\""
        ),
        "{text}"
    );
}

#[test]
fn a_file_that_does_not_parse_is_named_with_line_and_column_and_never_written() {
    let g = Gripe::new();
    let good = g.open(&["Fine complaint"]);
    let bad = "id = \"bad0000000000000\"\ntitle = \"Broken\nopened = 2026-11-20T10:00:00+09:00\n";
    let path = g.write("complaints/2026/11/bad0000000000000.toml", bad);
    let run = g.run(&["list", "--format", "csv"]);
    let err = run.fails(4).to_string();
    assert!(
        err.starts_with("gripe: error: complaints/2026/11/bad0000000000000.toml:2:"),
        "{err}"
    );
    assert!(
        err.contains("1 complaint file(s) could not be read"),
        "{err}"
    );
    assert!(
        run.stdout.contains("Fine complaint"),
        "a bad file never stops a scan"
    );
    let err = g.run(&["note", "bad0", "hello"]).fails(4).to_string();
    assert!(err.contains("bad0000000000000.toml:2:"), "{err}");
    assert!(err.contains("hint: fix the file by hand"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
    g.run(&["note", &good, "still works"]).ok();
}

#[test]
fn wrong_types_and_missing_keys_are_named_too() {
    let g = Gripe::new();
    g.write(
        "complaints/a.toml",
        "id = \"aaaa000000000000\"\ntitle = 42\nopened = 2026-11-20\nstage = \"new\"\n",
    );
    g.write(
        "complaints/b.toml",
        "id = \"bbbb000000000000\"\ntitle = \"x\"\nstage = \"new\"\n",
    );
    g.write("complaints/c.toml", "id = \"cccc000000000000\"\ntitle = \"x\"\nopened = 2026-11-20\nstage = \"new\"\nseverity = \"hgh\"\n");
    g.write(
        "complaints/d.toml",
        "id = \"../../etc\"\ntitle = \"x\"\nopened = 2026-11-20\nstage = \"new\"\n",
    );
    let err = g.run(&["list"]).fails(4).to_string();
    assert!(
        err.contains("complaints/a.toml:2:9: invalid type: integer `42`, expected a string"),
        "{err}"
    );
    assert!(
        err.contains("complaints/b.toml:1:1: missing field `opened`"),
        "{err}"
    );
    assert!(
        err.contains("complaints/c.toml:5:12: unknown variant `hgh`"),
        "{err}"
    );
    assert!(
        err.contains("complaints/d.toml:1:7: id `../../etc` must be"),
        "{err}"
    );
}

#[test]
fn conflict_markers_refuse_writes_with_exit_five_and_point_to_resolve() {
    let g = Gripe::new();
    let id = g.open(&["Merged badly"]);
    let path = g.file(&id);
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "severity = \"medium\"\n",
        "<<<<<<< HEAD\nseverity = \"high\"\n=======\nseverity = \"low\"\n>>>>>>> branch\n",
    );
    std::fs::write(&path, &text).unwrap();
    let err = g.run(&["note", &id, "hello"]).fails(5).to_string();
    assert!(
        err.contains(&format!(
            "{}:8:1: holds git conflict markers",
            path.strip_prefix(g.path()).unwrap().display()
        )),
        "{err}"
    );
    assert!(err.contains("hint: run `gripe resolve"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    g.run(&["list"]).fails(4);
}

#[test]
fn writes_leave_no_temp_files_and_keep_the_file_mode() {
    let g = Gripe::new();
    let id = g.open(&["x"]);
    for i in 0..5 {
        g.run(&["note", &id, &format!("note {i}")]).ok();
    }
    let files = g.files();
    assert_eq!(files.len(), 1, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }
}
