//! `gripe edit` with a scripted editor (GRIPE_EDITOR): validation on save, the editor reopened
//! on error, and hand changes recorded as events.

use crate::harness::Gripe;

/// An editor script that runs `steps[n]` (a shell command on "$1") on its n-th start.
fn editor(g: &Gripe, steps: &[&str]) -> String {
    let mut script = String::from(
        "#!/bin/sh\nn=$(cat \"$0.count\" 2>/dev/null || echo 0)\necho $((n + 1)) > \"$0.count\"\ncp \"$1\" \"$0.seen.$n\"\ncase $n in\n",
    );
    for (i, step) in steps.iter().enumerate() {
        script.push_str(&format!("  {i}) {step} ;;\n"));
    }
    script.push_str("esac\n");
    let path = g.write("editor.sh", &script);
    format!("sh {}", path.display())
}

#[test]
fn a_hand_edit_is_saved_with_its_comment_and_recorded_as_events() {
    let g = Gripe::new();
    let id = g.open(&["Late parcel", "--severity", "low"]);
    let ed = editor(
        &g,
        &[
            r#"sed -i -e 's/^severity = "low"/severity = "high" # key account/' -e 's/^stage = "new"/stage = "acknowledged"/' "$1""#,
        ],
    );
    let g = g.env("GRIPE_EDITOR", &ed);
    let run = g.run(&["edit", &id]);
    run.ok();
    assert!(
        run.stderr.contains("2 field change(s) recorded"),
        "{}",
        run.stderr
    );
    let text = g.read(&id);
    assert!(
        text.contains("severity = \"high\" # key account\n"),
        "{text}"
    );
    assert!(text.ends_with(
        "kind = \"set\"\nkey = \"severity\"\nfrom = \"low\"\nto = \"high\"\ntext = \"edited by hand\"\n"
    ), "{text}");
    assert!(
        text.contains(
            "kind = \"stage\"\nfrom = \"new\"\nto = \"acknowledged\"\ntext = \"edited by hand\""
        ),
        "{text}"
    );
}

#[test]
fn an_invalid_save_reopens_the_editor_with_the_error_on_top() {
    let g = Gripe::new();
    let id = g.open(&["Late parcel"]);
    let ed = editor(
        &g,
        &[
            r#"sed -i 's/^severity = "medium"/severity = "hgh"/' "$1""#,
            r#"sed -i 's/^severity = "hgh"/severity = "high"/' "$1""#,
        ],
    );
    let g = g.env("GRIPE_EDITOR", &ed);
    let run = g.run(&["edit", &id]);
    run.ok();
    assert!(
        run.stderr.contains("unknown variant `hgh`"),
        "{}",
        run.stderr
    );
    let second = std::fs::read_to_string(g.path().join("editor.sh.seen.1")).unwrap();
    assert!(
        second.starts_with("# gripe: error: line 10, column 12: unknown variant `hgh`"),
        "{second}"
    );
    let text = g.read(&id);
    assert!(text.contains("severity = \"high\"\n"), "{text}");
    assert!(
        !text.contains("# gripe:"),
        "the error notes are not saved: {text}"
    );
}

#[test]
fn saving_the_same_invalid_text_again_gives_up_keeps_the_edit_and_the_file() {
    let g = Gripe::new();
    let id = g.open(&["Late parcel"]);
    let before = g.read(&id);
    let ed = editor(
        &g,
        &[r#"sed -i 's/^stage = "new"/stage = "limbo"/' "$1""#, "true"],
    );
    let g = g.env("GRIPE_EDITOR", &ed);
    let err = g.run(&["edit", &id]).fails(4).to_string();
    assert!(err.contains("`limbo` is not a stage"), "{err}");
    let kept = err
        .lines()
        .find_map(|l| l.strip_prefix("hint: your edit is kept in "))
        .expect(&err);
    assert!(
        std::fs::read_to_string(kept)
            .unwrap()
            .contains("stage = \"limbo\"")
    );
    assert_eq!(g.read(&id), before);
}

#[test]
fn an_edit_cannot_skip_what_a_stage_requires_or_open_after_the_history() {
    let g = Gripe::new();
    let id = g.open(&["Late parcel"]);
    let before = g.read(&id);
    for (step, expected) in [
        (
            r#"sed -i 's/^stage = "new"/stage = "closed"/' "$1""#,
            "in `closed` without resolution.action, which `resolved` requires",
        ),
        (
            r#"sed -i 's/^opened = .*/opened = 2030-01-01T00:00:00Z/' "$1""#,
            "the opened event at 2026-11-23T09:00:00+09:00 comes before the complaint was opened",
        ),
    ] {
        let ed = editor(&g, &[step, "true"]);
        std::fs::remove_file(g.path().join("editor.sh.count")).ok();
        let run = g.run_with_env(&[("GRIPE_EDITOR", &ed)], &["edit", &id]);
        let err = run.fails(4).to_string();
        assert!(err.contains(expected), "{expected} in\n{err}");
        assert_eq!(g.read(&id), before);
    }
}

#[test]
fn an_edit_that_lost_a_race_is_kept_and_the_error_says_where() {
    let g = Gripe::new();
    let id = g.open(&["Late parcel"]);
    let file = g.file(&id);
    // The editor changes the title, and meanwhile another gripe adds a note.
    let ed = editor(
        &g,
        &[&format!(
            r#"sed -i 's/^title = .*/title = "Late parcel, twice"/' "$1"; GRIPE_EDITOR= '{}' --dir '{}' note {id} meanwhile"#,
            env!("CARGO_BIN_EXE_gripe"),
            g.path().join("complaints").display()
        )],
    );
    let err = g
        .run_with_env(&[("GRIPE_EDITOR", &ed)], &["edit", &id])
        .fails(5)
        .to_string();
    let kept = err
        .lines()
        .find_map(|l| l.strip_prefix("hint: your edit is kept in "))
        .and_then(|l| l.split(':').next())
        .expect(&err);
    assert!(
        std::fs::read_to_string(kept)
            .unwrap()
            .contains("title = \"Late parcel, twice\""),
        "{err}"
    );
    let now = std::fs::read_to_string(file).unwrap();
    assert!(now.contains("meanwhile") && !now.contains("twice"), "{now}");
}

#[test]
fn the_id_cannot_be_edited_away() {
    let g = Gripe::new();
    let id = g.open(&["Late parcel"]);
    let ed = editor(
        &g,
        &[
            r#"sed -i 's/^id = .*/id = "aaaaaaaaaaaaaaaa"/' "$1""#,
            "true",
        ],
    );
    let err = g
        .env("GRIPE_EDITOR", &ed)
        .run(&["edit", &id])
        .fails(4)
        .to_string();
    assert!(err.contains("the id cannot change"), "{err}");
}

#[test]
fn quitting_without_changes_changes_nothing() {
    let g = Gripe::new();
    let id = g.open(&["Late parcel"]);
    let before = g.read(&id);
    let g = g.env("GRIPE_EDITOR", "true");
    let run = g.run(&["edit", &id]);
    run.ok();
    assert!(run.stderr.contains("no changes"), "{}", run.stderr);
    assert_eq!(g.read(&id), before);
}

#[test]
fn without_a_terminal_edit_refuses_rather_than_hang() {
    let g = Gripe::new().env("EDITOR", "vi");
    let id = g.open(&["Late parcel"]);
    let err = g.run(&["edit", &id]).fails(2).to_string();
    assert!(err.contains("needs a terminal"), "{err}");
}

#[test]
fn mending_a_file_that_did_not_read_is_not_held_to_the_rest_of_check() {
    let g = Gripe::new();
    // Closed without resolution.satisfied (check calls that invalid), and conflict markers.
    let file = g.write(
        "complaints/2026/11/aaaa000000000001.toml",
        "id = \"aaaa000000000001\"\ntitle = \"t\"\nopened = 2026-11-20T09:00:00Z\nstage = \"closed\"\n\
         <<<<<<< HEAD\nseverity = \"high\"\n=======\nseverity = \"low\"\n>>>>>>> theirs\n",
    );
    let ed = editor(
        &g,
        &[
            r#"sed -i -e '/^<<<<<<</d' -e '/^=======/d' -e '/^>>>>>>>/d' -e '/severity = "low"/d' "$1""#,
        ],
    );
    let run = g.run_with_env(&[("GRIPE_EDITOR", &ed)], &["edit", "aaaa"]);
    run.ok();
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.contains("severity = \"high\"\n") && !text.contains("<<<<<<<"),
        "{text}"
    );
}
