//! Notes, stages, `set`, reopen and close: every change appends an event that explains it.

use crate::harness::Gripe;
use crate::harness::json;

fn events(g: &Gripe, id: &str) -> Vec<serde_json::Value> {
    json(&g.run(&["show", id, "--format", "json"]))["complaint"]["event"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn note_and_annotate_append_a_note_event_by_the_author_at_now() {
    let mut g = Gripe::new();
    let id = g.open(&["Late delivery"]);
    g.set_now("2026-11-23T10:30:00+09:00");
    g.run(&["note", &id, "Courier", "says", "Tuesday"]).ok();
    g.run_stdin(
        &["annotate", &id, "-", "--by", "mark"],
        "Customer accepted a voucher.\n",
    )
    .ok();
    let text = g.read(&id);
    assert!(text.ends_with(
        "\n[[event]]\nat = 2026-11-23T10:30:00+09:00\nby = \"andrea\"\nkind = \"note\"\ntext = \"Courier says Tuesday\"\n\n[[event]]\nat = 2026-11-23T10:30:00+09:00\nby = \"mark\"\nkind = \"note\"\ntext = \"Customer accepted a voucher.\"\n"
    ), "{text}");
    let err = g
        .run_stdin(&["note", &id, "-"], "  \n")
        .fails(2)
        .to_string();
    assert!(err.contains("the note is empty"), "{err}");
}

/// `-m` gives a note or a follow-up its text, as it does for open, advance and close; the text
/// is given one way, not both, and not left out.
#[test]
fn note_and_followup_take_their_text_with_m_too() {
    let g = Gripe::new();
    let id = g.open(&["Late delivery"]);
    g.run(&["note", &id, "-m", "Called back"]).ok();
    g.run(&["followup", &id, "--in", "1d", "-m", "Check the parcel came"])
        .ok();
    let text = g.read(&id);
    assert!(
        text.contains("kind = \"note\"\ntext = \"Called back\"\n"),
        "{text}"
    );
    assert!(
        text.contains("note = \"Check the parcel came\"\n"),
        "{text}"
    );
    let both = g
        .run(&["note", &id, "words", "-m", "option"])
        .fails(2)
        .to_string();
    assert!(both.contains("cannot be used with"), "{both}");
    let neither = g.run(&["note", &id]).fails(2).to_string();
    assert!(
        neither.contains("required arguments were not provided"),
        "{neither}"
    );
    let neither = g.run(&["followup", &id, "--in", "1d"]).fails(2).to_string();
    assert!(
        neither.contains("required arguments were not provided"),
        "{neither}"
    );
    assert_eq!(g.read(&id), text, "nothing written by the refused runs");
}

#[test]
fn advance_moves_one_stage_and_records_from_to_and_the_message() {
    let g = Gripe::new();
    let id = g.open(&["Rude agent"]);
    let run = g.run(&["advance", &id, "-m", "Apologised and took ownership"]);
    run.ok();
    assert_eq!(run.stderr, format!("{id}: new → acknowledged\n"));
    let text = g.read(&id);
    assert!(text.contains("\nstage = \"acknowledged\"\n"), "{text}");
    assert!(text.ends_with("kind = \"stage\"\nfrom = \"new\"\nto = \"acknowledged\"\ntext = \"Apologised and took ownership\"\n"), "{text}");
}

#[test]
fn advance_to_jumps_forward_but_never_back() {
    let g = Gripe::new();
    let id = g.open(&["Wrong size"]);
    g.run(&["advance", &id, "--to", "investigating"]).ok();
    let err = g
        .run(&["advance", &id, "--to", "acknowledged"])
        .fails(2)
        .to_string();
    assert!(err.contains("only moves forward"), "{err}");
    assert!(
        err.contains(&format!("hint: to move it back: gripe reopen {id}")),
        "{err}"
    );
    let err = g
        .run(&["advance", &id, "--to", "limbo"])
        .fails(2)
        .to_string();
    assert!(err.contains("`limbo` is not a stage"), "{err}");
    g.run(&["advance", &id, "--to", "investigating"]).fails(2);
}

#[test]
fn entering_a_stage_needs_its_requirements_unless_forced_and_the_event_says_so() {
    let g = Gripe::new();
    let id = g.open(&["Double charge"]);
    let before = g.read(&id);
    let err = g
        .run(&["advance", &id, "--to", "closed"])
        .fails(2)
        .to_string();
    assert_eq!(
        err,
        format!(
            "gripe: error: {id} cannot enter closed: missing resolution.action (which resolved requires) and resolution.satisfied (which closed requires)\nhint: gripe set {id} resolution.action=...   (or --force to skip what resolved requires; the event records it)\n"
        )
    );
    assert_eq!(g.read(&id), before, "a refused step writes nothing");
    g.run(&["advance", &id, "--to", "resolved", "--force"]).ok();
    assert!(g.read(&id).contains("to = \"resolved\"\nforced = true\n"));
    g.run(&["set", &id, "resolution.satisfied=yes"]).ok();
    g.run(&["advance", &id]).ok();
    let last = events(&g, &id).last().unwrap().clone();
    assert_eq!(last["to"], "following-up");
    assert!(
        last.get("forced").is_none(),
        "not forced when nothing is missing"
    );
}

#[test]
fn set_changes_every_kind_of_key_and_records_old_and_new_values() {
    let g = Gripe::new();
    let id = g.open(&["Damaged sofa", "--severity", "low", "--assignee", "mark"]);
    g.run(&[
        "set",
        &id,
        "severity=High",
        "assignee=",
        "tags=damage, furniture",
        "promised_by=2026-11-30",
        "customer.name=Ben Ortiz",
        "resolution.fair_outcome=a replacement sofa",
        "resolution.avoidable=no",
        "fields.order=01234",
        "fields.items=3",
        "-m",
        "Customer sent photos",
    ])
    .ok();
    let text = g.read(&id);
    for line in [
        "severity = \"high\"",
        "tags = [\"damage\", \"furniture\"]",
        "promised_by = 2026-11-30",
        "[customer]\nname = \"Ben Ortiz\"",
        "[resolution]\nfair_outcome = \"a replacement sofa\"\navoidable = false",
        "[fields]\norder = \"01234\"\nitems = 3",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    assert!(
        !text.contains("assignee ="),
        "an empty value removes the key:\n{text}"
    );
    let sets: Vec<(String, serde_json::Value, serde_json::Value)> = events(&g, &id)
        .into_iter()
        .filter(|e| e["kind"] == "set")
        .map(|e| {
            (
                e["key"].as_str().unwrap().to_string(),
                e["from"].clone(),
                e["to"].clone(),
            )
        })
        .collect();
    let null = serde_json::Value::Null;
    assert_eq!(
        sets,
        vec![
            ("severity".into(), "low".into(), "high".into()),
            ("assignee".into(), "mark".into(), null.clone()),
            (
                "tags".into(),
                null.clone(),
                serde_json::json!(["damage", "furniture"])
            ),
            ("promised_by".into(), null.clone(), "2026-11-30".into()),
            ("customer.name".into(), null.clone(), "Ben Ortiz".into()),
            (
                "resolution.fair_outcome".into(),
                null.clone(),
                "a replacement sofa".into()
            ),
            ("resolution.avoidable".into(), null.clone(), false.into()),
            ("fields.order".into(), null.clone(), "01234".into()),
            ("fields.items".into(), null, 3.into()),
        ]
    );
    assert_eq!(events(&g, &id)[1]["text"], "Customer sent photos");
}

#[test]
fn setting_a_value_it_already_has_records_nothing() {
    let g = Gripe::new();
    let id = g.open(&["x", "--severity", "high"]);
    let before = g.read(&id);
    let run = g.run(&["set", &id, "severity=high"]);
    run.ok();
    assert!(run.stderr.contains("nothing changed"));
    assert_eq!(g.read(&id), before);
}

#[test]
fn set_refuses_bad_keys_and_values_with_the_fix() {
    let g = Gripe::new();
    let id = g.open(&["x"]);
    let before = g.read(&id);
    for (args, message) in [
        (vec!["stage=closed"], "the stage is changed by the workflow"),
        (vec!["owner=mark"], "`owner` is not a key gripe can set"),
        (vec!["severity=urgent"], "`urgent` is not a severity"),
        (
            vec!["resolution.satisfied=maybe"],
            "resolution.satisfied must be true or false",
        ),
        (vec!["promised_by=soonish"], "`soonish` is not a date"),
        (vec!["title="], "a complaint always has a title"),
        (vec!["severity"], "`severity` is not KEY=VALUE"),
        (vec!["id=abcd"], "`id` is fixed"),
    ] {
        let mut all = vec!["set", id.as_str()];
        all.extend(args);
        let err = g.run(&all).fails(2).to_string();
        assert!(err.contains(message), "{message}: {err}");
    }
    assert_eq!(g.read(&id), before);
}

#[test]
fn reopen_goes_back_to_investigating_and_needs_a_reason() {
    let g = Gripe::new();
    let id = g.open(&["Refund bounced"]);
    let err = g.run(&["reopen", &id, "-m", "again"]).fails(2).to_string();
    assert!(err.contains("nothing to reopen"), "{err}");
    g.run(&["set", &id, "resolution.action=refunded"]).ok();
    g.run(&["advance", &id, "--to", "resolved"]).ok();
    g.run(&["reopen", &id]).fails(2);
    let run = g.run(&["reopen", &id, "-m", "Refund bounced; customer called again"]);
    run.ok();
    assert_eq!(
        run.stderr,
        format!("{id}: reopened, resolved → investigating\n")
    );
    assert!(g.read(&id).ends_with(
        "kind = \"reopened\"\nfrom = \"resolved\"\nto = \"investigating\"\ntext = \"Refund bounced; customer called again\"\n"
    ));
}

#[test]
fn close_needs_the_satisfaction_question_answered() {
    let g = Gripe::new();
    let id = g.open(&["Broken kettle"]);
    g.run(&["set", &id, "resolution.action=replaced the kettle"])
        .ok();
    g.run(&["advance", &id, "--to", "following-up"]).ok();
    let err = g.run(&["close", &id]).fails(2).to_string();
    assert!(err.contains("missing resolution.satisfied"), "{err}");
    g.run(&[
        "set",
        &id,
        "resolution.satisfied=false",
        "resolution.root_cause=bad batch",
    ])
    .ok();
    g.run(&["close", &id, "-m", "Customer still unhappy with the wait"])
        .ok();
    assert!(g.read(&id).contains("\nstage = \"closed\"\n"));
    let err = g.run(&["advance", &id]).fails(2).to_string();
    assert!(err.contains("is already closed"), "{err}");
}
