//! `gripe open`: every flag, stdin, the editor template, and the canonical file it writes.

use crate::harness::Gripe;

#[test]
fn open_with_every_flag_writes_the_canonical_file() {
    let g = Gripe::new();
    let short = g.open(&[
        "Charged twice for order 4411",
        "--customer",
        "Acme Corp",
        "--contact",
        "ops@acme.example",
        "--channel",
        "email",
        "--category",
        "billing",
        "--severity",
        "high",
        "--component",
        "checkout-v2",
        "--assignee",
        "mark",
        "--tag",
        "refund",
        "--tag",
        "repeat-customer,refund",
        "--promise",
        "2026-11-26",
        "--ref",
        "ZD-88120",
        "-m",
        "Customer called, upset; listened fully before answering.",
    ]);
    assert_eq!(short.len(), 4, "the shortest unique prefix: {short}");
    let path = g.file(&short);
    let id = path.file_stem().unwrap().to_string_lossy().to_string();
    assert_eq!(id.len(), 16);
    assert!(id.starts_with(&short));
    assert!(
        path.ends_with(format!("complaints/2026/11/{id}.toml")),
        "{}",
        path.display()
    );
    let expected = format!(
        r#"id = "{id}"
title = "Charged twice for order 4411"
opened = 2026-11-23T09:00:00+09:00
opened_by = "andrea"

stage = "new"

severity = "high"

channel = "email"

category = "billing"

component = "checkout-v2"

assignee = "mark"

tags = ["refund", "repeat-customer"]

promised_by = 2026-11-26

external_ref = "ZD-88120"

[customer]
name = "Acme Corp"
contact = "ops@acme.example"

[[event]]
at = 2026-11-23T09:00:00+09:00
by = "andrea"
kind = "opened"
text = "Customer called, upset; listened fully before answering."
"#
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
}

#[test]
fn open_prints_only_the_short_id_on_stdout_and_the_file_on_stderr() {
    let g = Gripe::new();
    let run = g.run(&["open", "Parcel never arrived"]);
    let id = run.ok().trim();
    assert_eq!(run.stdout, format!("{id}\n"));
    assert!(
        run.stderr
            .starts_with(&format!("opened {id} in complaints/2026/11/{id}")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_minimal_open_has_medium_severity_and_no_empty_keys() {
    let g = Gripe::new();
    let id = g.open(&["Kettle leaks"]);
    let text = g.read(&id);
    assert!(
        text.contains("\nstage = \"new\"\n\nseverity = \"medium\"\n\n[[event]]"),
        "{text}"
    );
    assert!(!text.contains("[customer]"), "{text}");
    assert!(!text.contains("text ="), "no note, no text: {text}");
}

#[test]
fn the_first_note_can_come_from_stdin_and_keeps_its_lines() {
    let g = Gripe::new();
    let run = g.run_stdin(
        &["open", "Stolen parcel", "-m", "-"],
        "Neighbour saw someone take it.\n\nCustomer has a police reference.\n",
    );
    let id = run.ok().trim().to_string();
    let text = g.read(&id);
    assert!(
        text.contains("text = \"\"\"\nNeighbour saw someone take it.\n\nCustomer has a police reference.\"\"\"\n"),
        "{text}"
    );
    let show = g.run(&["show", &id]).ok().to_string();
    assert!(
        show.contains(
            "      Neighbour saw someone take it.\n\n      Customer has a police reference.\n"
        ),
        "{show}"
    );
}

#[test]
fn promises_accept_spans_counted_in_business_days() {
    // Friday 2026-11-20; 3 business days later is Wednesday the 25th.
    let g = Gripe::new().now("2026-11-20T15:00:00+09:00");
    let id = g.open(&["Refund late", "--promise", "3bd"]);
    assert!(g.read(&id).contains("promised_by = 2026-11-25\n"));
    let err = g
        .run(&["open", "x", "--promise", "next week"])
        .fails(2)
        .to_string();
    assert!(
        err.starts_with("gripe: error: `next week` is not a date"),
        "{err}"
    );
    g.run(&["open", "x", "--severity", "urgent"]).fails(2);
}

#[test]
fn without_a_title_or_a_terminal_open_refuses_instead_of_waiting() {
    let g = Gripe::new();
    let err = g.run(&["open"]).fails(2).to_string();
    assert!(
        err.starts_with("gripe: error: a title is required"),
        "{err}"
    );
    assert_eq!(g.files().len(), 0);
}

#[test]
fn without_a_title_the_editor_template_is_filled_in() {
    let g = Gripe::new();
    let script = g.write(
        "fill.sh",
        "#!/bin/sh\nsed -i -e 's/^title = \"\"/title = \"Blender arrived broken\"/' -e 's/^category = \"\"/category = \"quality\"/' \"$1\"\n",
    );
    let g = g.env("GRIPE_EDITOR", &format!("sh {}", script.display()));
    let id = g
        .run(&["open", "--customer", "cust-118"])
        .ok()
        .trim()
        .to_string();
    let text = g.read(&id);
    assert!(
        text.contains("title = \"Blender arrived broken\""),
        "{text}"
    );
    assert!(text.contains("category = \"quality\""), "{text}");
    assert!(
        text.contains("[customer]\nname = \"cust-118\""),
        "flags prefill the template: {text}"
    );
}

#[test]
fn leaving_the_template_title_empty_logs_nothing() {
    let g = Gripe::new().env("GRIPE_EDITOR", "true");
    let run = g.run(&["open"]);
    assert_eq!(run.ok(), "");
    assert!(run.stderr.contains("nothing logged"), "{}", run.stderr);
    assert_eq!(g.files().len(), 0);
}
