//! Working with git, in real repositories: `gripe git setup`, the merge driver on branches that
//! change one complaint, `gripe resolve` after a merge made without the driver, `--commit`, and
//! `check`'s layout finding.

use std::path::Path;

use crate::harness::Gripe;
use crate::harness::json;

/// A folder after `gripe init` and `git init`, with an identity to commit as.
fn repo() -> Gripe {
    let g = Gripe::new();
    init_git(&g, g.path());
    g
}

fn init_git(g: &Gripe, dir: &Path) {
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["config", "user.name", "Test Person"],
        &["config", "user.email", "test@example.com"],
        &["config", "commit.gpgsign", "false"],
    ] {
        g.git_in(dir, args).ok();
    }
}

fn commit_all(g: &Gripe, message: &str) {
    g.git(&["add", "-A"]);
    g.git(&["commit", "-q", "-m", message]);
}

/// A repository with the merge driver set up and one complaint committed; returns its id.
fn with_complaint(setup: bool) -> (Gripe, String) {
    let mut g = repo();
    if setup {
        g.run(&["git", "setup"]).ok();
    }
    g.set_now("2026-11-23T09:00:00+09:00");
    let id = g.open(&[
        "Charged twice for order 4411",
        "--customer",
        "Acme Corp",
        "--category",
        "billing",
    ]);
    commit_all(&g, "open");
    (g, id)
}

/// Works on a branch `andrea` with `theirs`, then on main with `ours`, committing each, and
/// merges the branch into main (with `config` such as `merge.conflictStyle=diff3`).
fn diverge_and_merge(
    g: &mut Gripe,
    config: &[&str],
    theirs: impl FnOnce(&mut Gripe),
    ours: impl FnOnce(&mut Gripe),
) -> crate::harness::Run {
    g.git(&["checkout", "-q", "-b", "andrea"]);
    theirs(g);
    commit_all(g, "andrea's work");
    g.git(&["checkout", "-q", "main"]);
    ours(g);
    commit_all(g, "main's work");
    let mut args: Vec<&str> = config.iter().flat_map(|c| ["-c", c]).collect();
    args.extend(["merge", "--no-edit", "andrea"]);
    g.git_in(g.path(), &args)
}

/// The complaint as `show --format json` gives it.
fn complaint(g: &Gripe, id: &str) -> serde_json::Value {
    json(&g.run(&["show", id, "--format", "json"]))["complaint"].clone()
}

fn texts(c: &serde_json::Value) -> Vec<String> {
    c["event"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] != "merge")
        .filter_map(|e| e["text"].as_str().map(ToString::to_string))
        .collect()
}

#[test]
fn git_setup_is_idempotent_and_check_says_whether_it_is_in_place() {
    let g = repo();
    let err = g.run(&["git", "setup", "--check"]).fails(1).to_string();
    assert!(
        err.contains("the gripe merge driver is not set up: no `complaints/**/*.toml merge=gripe` line in .gitattributes"),
        "{err}"
    );
    assert!(err.contains("hint: run `gripe git setup`"), "{err}");

    let run = g.run(&["git", "setup"]);
    run.ok();
    assert!(
        run.stderr.contains("commit it so every clone"),
        "{}",
        run.stderr
    );
    let attributes = std::fs::read_to_string(g.path().join(".gitattributes")).unwrap();
    assert!(
        attributes.ends_with("\ncomplaints/**/*.toml merge=gripe\n"),
        "{attributes}"
    );
    let driver = g.git(&["config", "merge.gripe.driver"]);
    let exe = Path::new(env!("CARGO_BIN_EXE_gripe"))
        .canonicalize()
        .unwrap();
    assert_eq!(
        driver.trim(),
        format!("'{}' merge-file %O %A %B %P", exe.display())
    );

    let again = g.run(&["git", "setup"]);
    again.ok();
    assert!(again.stderr.contains("already set up"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(g.path().join(".gitattributes")).unwrap(),
        attributes
    );
    let ok = g.run(&["git", "setup", "--check"]);
    assert_eq!(
        ok.ok(),
        format!(
            "ok: git sends complaints/**/*.toml to the gripe merge driver\nok: merge.gripe.driver runs {}\n",
            exe.display()
        )
    );

    // The gripe that set it up has moved away.
    g.git(&[
        "config",
        "merge.gripe.driver",
        "'/opt/old/gripe' merge-file %O %A %B %P",
    ]);
    let err = g.run(&["git", "setup", "--check"]).fails(1).to_string();
    assert!(
        err.contains("merge.gripe.driver runs /opt/old/gripe, which is not there any more"),
        "{err}"
    );
    g.run(&["git", "setup"]).ok();
    g.run(&["git", "setup", "--check"]).ok();

    let fresh = Gripe::bare();
    init_git(&fresh, fresh.path());
    fresh.run(&["init", "--git"]).ok();
    fresh.run(&["git", "setup", "--check"]).ok();

    let outside = Gripe::new();
    let err = outside.run(&["git", "setup"]).fails(2).to_string();
    assert!(
        err.contains("complaints is not in a git repository"),
        "{err}"
    );
}

#[test]
fn two_branches_that_change_one_complaint_and_open_others_merge_with_nothing_lost() {
    let (mut g, id) = with_complaint(true);
    let (mut other, mut third) = (String::new(), String::new());
    let merge = diverge_and_merge(
        &mut g,
        &[],
        |g| {
            g.set_now("2026-11-23T10:00:00+09:00");
            g.run(&["note", &id, "Bank confirms two captures"]).ok();
            g.run(&["followup", &id, "--in", "2d", "Check the refund arrived"])
                .ok();
            g.run(&["advance", &id, "-m", "Apologised, refund by Thursday"])
                .ok();
            other = g.open(&["Parcel never arrived"]);
        },
        |g| {
            g.set_now("2026-11-23T10:30:00+09:00");
            g.run(&["note", &id, "Customer called again, upset"]).ok();
            g.run(&["followup", &id, "--in", "3d", "Call back about the fee"])
                .ok();
            g.run(&["advance", &id, "--by", "mark"]).ok();
            g.run(&["set", &id, "assignee=mark"]).ok();
            third = g.open(&["Rude driver"]);
        },
    );
    merge.ok();
    assert_eq!(
        g.git(&["status", "--porcelain"]),
        "",
        "merged and committed"
    );
    let c = complaint(&g, &id);
    assert_eq!(
        texts(&c),
        [
            "Bank confirms two captures",
            "Check the refund arrived",
            "Apologised, refund by Thursday",
            "Customer called again, upset",
            "Call back about the fee",
        ]
    );
    assert_eq!(c["followup"].as_array().unwrap().len(), 2);
    assert_eq!(c["stage"], "acknowledged");
    assert_eq!(c["assignee"], "mark");
    assert_eq!(c["event"].as_array().unwrap().len(), 8);
    for short in [&other, &third] {
        g.run(&["show", short]).ok();
    }
    g.run(&["check"]).ok();
    let text = g.read(&id);
    assert!(!text.contains("<<<<<<<"), "{text}");
}

#[test]
fn a_key_both_branches_set_goes_to_the_later_change_and_the_merge_records_it() {
    let (mut g, id) = with_complaint(true);
    let merge = diverge_and_merge(
        &mut g,
        &[],
        |g| {
            g.set_now("2026-11-23T11:00:00+09:00");
            g.run(&["set", &id, "severity=critical"]).ok();
        },
        |g| {
            g.set_now("2026-11-23T10:00:00+09:00");
            g.run(&["set", &id, "severity=low"]).ok();
        },
    );
    merge.ok();
    assert!(
        merge
            .stderr
            .contains("both branches changed severity; kept the later change, critical (over low)"),
        "{}",
        merge.stderr
    );
    let c = complaint(&g, &id);
    assert_eq!(c["severity"], "critical");
    let last = c["event"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "merge");
    assert_eq!(last["key"], "severity");
    assert_eq!(last["from"], "low");
    assert_eq!(last["to"], "critical");
    assert_eq!(last["by"], "gripe");
    assert_eq!(last["at"], "2026-11-23T11:00:00+09:00");
    let shown = g.run(&["show", &id]).ok().to_string();
    assert!(
        shown.contains("gripe   merge kept severity = critical over low"),
        "{shown}"
    );
    g.run(&["check"]).ok();
}

#[test]
fn hand_edits_to_different_keys_on_two_branches_are_both_kept() {
    let (mut g, id) = with_complaint(true);
    let path = g.file(&id);
    let edit = |from: &str, to: &str| {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{text}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    diverge_and_merge(
        &mut g,
        &[],
        |g| {
            edit(
                "severity = \"medium\"",
                "severity = \"high\"  # key account, raised by hand",
            );
            g.set_now("2026-11-23T10:00:00+09:00");
            g.run(&["note", &id, "from andrea's branch"]).ok();
        },
        |g| {
            edit("category = \"billing\"", "category = \"payments\"");
            g.set_now("2026-11-23T10:05:00+09:00");
            g.run(&["note", &id, "from main"]).ok();
        },
    )
    .ok();
    let text = g.read(&id);
    assert!(
        text.contains("severity = \"high\"  # key account, raised by hand\n"),
        "{text}"
    );
    assert!(text.contains("category = \"payments\"\n"), "{text}");
    assert_eq!(
        texts(&complaint(&g, &id)),
        ["from andrea's branch", "from main"]
    );
}

#[test]
fn a_true_contradiction_leaves_markers_around_that_key_alone_and_writes_refuse_the_file() {
    let (mut g, id) = with_complaint(true);
    let path = g.file(&id);
    let merge = diverge_and_merge(
        &mut g,
        &[],
        |g| {
            let text = std::fs::read_to_string(&path).unwrap();
            let by_hand = text.replace("severity = \"medium\"", "severity = \"high\"");
            std::fs::write(&path, by_hand).unwrap();
            g.set_now("2026-11-23T10:00:00+09:00");
            g.run(&["note", &id, "from andrea"]).ok();
        },
        |g| {
            g.set_now("2026-11-23T10:05:00+09:00");
            g.run(&["set", &id, "severity=low"]).ok();
        },
    );
    assert_eq!(merge.code, 1, "{}{}", merge.stdout, merge.stderr);
    assert!(
        merge.stderr.contains(
            "both branches changed severity by hand; conflict markers are left around it only"
        ),
        "{}",
        merge.stderr
    );
    let text = g.read(&id);
    assert!(
        text.contains(
            "<<<<<<< ours\nseverity = \"low\"\n||||||| base\nseverity = \"medium\"\n=======\nseverity = \"high\"\n>>>>>>> theirs\n"
        ),
        "{text}"
    );
    assert_eq!(text.matches("<<<<<<<").count(), 1, "{text}");
    assert!(
        text.contains("text = \"from andrea\""),
        "the rest is merged: {text}"
    );

    let check = g.run(&["check"]);
    check.fails(1);
    assert!(check.stdout.contains("conflicts"), "{}", check.stdout);
    let err = g.run(&["note", &id, "more"]).fails(5).to_string();
    assert!(err.contains("holds git conflict markers"), "{err}");
    assert!(err.contains("hint: run `gripe resolve"), "{err}");
    let err = g.run(&["resolve", &id]).fails(5).to_string();
    assert!(
        err.contains("both sides changed severity and gripe cannot tell which to keep"),
        "{err}"
    );
    assert!(
        err.contains("hint: keep one side between the markers"),
        "{err}"
    );
    assert_eq!(g.read(&id), text, "nothing more to write");

    // A person picks one side; then everything works again.
    let fixed = text.replace(
        "<<<<<<< ours\nseverity = \"low\"\n||||||| base\nseverity = \"medium\"\n=======\nseverity = \"high\"\n>>>>>>> theirs\n",
        "severity = \"high\"\n",
    );
    std::fs::write(g.file(&id), fixed).unwrap();
    g.run(&["note", &id, "kept high"]).ok();
    g.git(&["add", "-A"]);
    g.git(&["commit", "-q", "--no-edit"]);
}

/// Two branches that both add to one complaint, merged by plain git (no driver) in `style`.
fn merged_without_the_driver(style: &str) -> (Gripe, String, String) {
    let (mut g, id) = with_complaint(false);
    let mut other = String::new();
    let style = format!("merge.conflictStyle={style}");
    let merge = diverge_and_merge(
        &mut g,
        &[&style],
        |g| {
            g.set_now("2026-11-23T10:00:00+09:00");
            g.run(&["note", &id, "from andrea"]).ok();
            g.run(&["followup", &id, "--in", "2d", "Check the refund"])
                .ok();
            g.run(&["set", &id, "severity=high"]).ok();
        },
        |g| {
            g.set_now("2026-11-23T10:30:00+09:00");
            g.run(&["advance", &id, "-m", "Apologised"]).ok();
            g.run(&["set", &id, "severity=critical", "assignee=mark"])
                .ok();
            other = g.open(&["Rude driver"]);
        },
    );
    assert_eq!(merge.code, 1, "git leaves markers: {}", merge.stdout);
    assert!(g.read(&id).contains("<<<<<<< "), "{}", g.read(&id));
    (g, id, other)
}

fn assert_mended(g: &Gripe, id: &str) {
    let c = complaint(g, id);
    assert_eq!(texts(&c), ["from andrea", "Check the refund", "Apologised"]);
    assert_eq!(c["stage"], "acknowledged");
    assert_eq!(c["severity"], "critical", "the later change");
    assert_eq!(c["assignee"], "mark");
    assert_eq!(c["followup"].as_array().unwrap().len(), 1);
    assert_eq!(
        c["event"].as_array().unwrap().last().unwrap()["kind"],
        "merge"
    );
    g.run(&["check"]).ok();
}

#[test]
fn a_merge_made_without_the_driver_is_mended_by_resolve_in_every_marker_style() {
    for style in ["merge", "diff3", "zdiff3"] {
        let (g, id, other) = merged_without_the_driver(style);
        let err = g.run(&["list"]).fails(4).to_string();
        assert!(err.contains("holds git conflict markers"), "{err}");
        let run = g.run(&["resolve"]);
        run.ok();
        assert!(
            run.stderr
                .contains("merged both sides of the conflict; both changed severity, kept the later change, critical (over high)"),
            "{style}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("staged; `git commit` finishes the merge"),
            "{}",
            run.stderr
        );
        assert_mended(&g, &id);
        assert_eq!(
            g.git(&["diff", "--name-only", "--diff-filter=U"]),
            "",
            "{style}: nothing left unmerged"
        );
        g.git(&["commit", "-q", "--no-edit"]);
        g.run(&["show", &other]).ok();
        g.run(&["resolve"]).ok();
    }
}

#[test]
fn markers_committed_by_a_hosting_service_are_mended_and_committed_by_resolve() {
    let (g, id, _) = merged_without_the_driver("merge");
    // What a web merge that "resolves" by committing both sides leaves behind.
    commit_all(
        &g,
        "Merge branch 'andrea' (conflicts committed as they were)",
    );
    let run = g.run(&["resolve", &id[..4], "--commit"]);
    run.ok();
    assert_mended(&g, &id);
    assert_eq!(
        g.git(&["log", "-1", "--format=%s"]).trim(),
        format!("gripe: resolve conflicts in {id} \"Charged twice for order 4411\"")
    );
    assert_eq!(g.git(&["status", "--porcelain"]), "");
}

#[test]
fn resolve_refuses_markers_it_cannot_read_and_names_the_line() {
    let (g, id) = with_complaint(false);
    let path = g.file(&id);
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replace(
        "severity = \"medium\"\n",
        "<<<<<<< HEAD\nseverity = \"high\"\n=======\nseverity = \"low\"\n",
    );
    std::fs::write(&path, &broken).unwrap();
    let err = g.run(&["resolve"]).fails(4).to_string();
    assert!(
        err.contains(":8:1: a conflict block that is never closed with >>>>>>>"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    std::fs::write(&path, &text).unwrap();
    let run = g.run(&["resolve"]);
    run.ok();
    assert!(
        run.stderr
            .contains("no complaint file holds conflict markers"),
        "{}",
        run.stderr
    );
}

#[test]
fn commit_commits_the_changed_file_alone_and_leaves_what_else_is_staged() {
    let g = repo();
    let id = g.open(&["Charged twice", "--commit"]);
    assert_eq!(
        g.git(&["log", "-1", "--format=%s"]).trim(),
        format!("gripe: open {id} \"Charged twice\"")
    );
    std::fs::write(g.path().join("notes.txt"), "mine, staged\n").unwrap();
    g.git(&["add", "notes.txt"]);
    let run = g.run(&["note", &id, "Bank confirms", "--commit"]);
    run.ok();
    assert!(
        run.stderr
            .contains(&format!("committed: gripe: note on {id} \"Charged twice\"")),
        "{}",
        run.stderr
    );
    let file = g
        .file(&id)
        .strip_prefix(g.path())
        .unwrap()
        .display()
        .to_string();
    assert_eq!(
        g.git(&["show", "--name-only", "--format=%s", "HEAD"]),
        format!("gripe: note on {id} \"Charged twice\"\n\n{file}\n")
    );
    assert_eq!(g.git(&["diff", "--cached", "--name-only"]), "notes.txt\n");

    // commit = true in gripe.toml commits every change; --no-commit skips it.
    std::fs::write(g.path().join("gripe.toml"), "commit = true\n").unwrap();
    g.run(&["set", &id, "severity=high", "assignee=mark"]).ok();
    assert_eq!(
        g.git(&["log", "-1", "--format=%s"]).trim(),
        format!("gripe: set severity, assignee on {id} \"Charged twice\"")
    );
    g.run(&["set", &id, "severity=high"]).ok();
    g.run(&["note", &id, "draft", "--no-commit"]).ok();
    g.run(&["advance", &id]).ok();
    assert_eq!(
        g.git(&["log", "--format=%s", "-3"]),
        format!(
            "gripe: advance {id} to acknowledged \"Charged twice\"\ngripe: set severity, assignee on {id} \"Charged twice\"\ngripe: note on {id} \"Charged twice\"\n"
        ),
        "nothing to commit commits nothing; --no-commit leaves the note uncommitted, until the next commit of the file"
    );
    assert_eq!(g.git(&["diff", "--cached", "--name-only"]), "notes.txt\n");
}

#[test]
fn gripes_committing_at_once_take_turns_and_every_change_is_committed() {
    let g = repo();
    let ids: Vec<String> = (0..8)
        .map(|i| g.open(&[&format!("Complaint {i}"), "--commit"]))
        .collect();
    std::thread::scope(|scope| {
        for id in &ids {
            let g = &g;
            scope.spawn(move || g.run(&["note", id, "called back", "--commit"]).ok().len());
        }
    });
    assert_eq!(
        g.git(&["status", "--porcelain", "--untracked-files=no"]),
        "",
        "nothing left staged or uncommitted"
    );
    let log = g.git(&["log", "--format=%s"]);
    for id in &ids {
        assert!(
            log.contains(&format!("gripe: note on {id} ")),
            "{id} in\n{log}"
        );
    }
}

#[test]
fn commit_outside_git_is_refused_before_anything_is_written() {
    let g = Gripe::new();
    let id = g.open(&["Charged twice"]);
    let before = g.read(&id);
    let err = g
        .run(&["note", &id, "hello", "--commit"])
        .fails(2)
        .to_string();
    assert!(
        err.contains("--commit: complaints is not in a git repository"),
        "{err}"
    );
    assert_eq!(g.read(&id), before);
    g.run(&["open", "Another", "--commit"]).fails(2);
    assert_eq!(g.files().len(), 1);
}

#[test]
fn commit_works_in_a_git_worktree() {
    let g = Gripe::bare();
    let main = g.path().join("main");
    std::fs::create_dir_all(&main).unwrap();
    g.run_in(&main, &["init"], None).ok();
    init_git(&g, &main);
    let id = g
        .run_in(&main, &["open", "Charged twice", "--commit"], None)
        .ok()
        .trim()
        .to_string();
    g.git_in(
        &main,
        &["worktree", "add", "-q", "-b", "feature", "../feature"],
    )
    .ok();
    let feature = g.path().join("feature");
    let run = g.run_in(
        &feature,
        &["note", &id, "from the worktree", "--commit"],
        None,
    );
    run.ok();
    let log = |dir: &Path, rev: &str| {
        g.git_in(dir, &["log", "-1", "--format=%s", rev])
            .ok()
            .trim()
            .to_string()
    };
    assert_eq!(
        log(&feature, "HEAD"),
        format!("gripe: note on {id} \"Charged twice\"")
    );
    assert_eq!(
        log(&main, "main"),
        format!("gripe: open {id} \"Charged twice\"")
    );
    assert_eq!(g.git_in(&feature, &["status", "--porcelain"]).ok(), "");
}

#[test]
fn check_reports_a_file_outside_the_layout_without_failing_unless_asked() {
    let g = Gripe::new();
    let id = g.open(&["Charged twice"]);
    let text = g.read(&id);
    let path = g.file(&id);
    std::fs::remove_file(&path).unwrap();
    g.write("complaints/misc/charged-twice.toml", &text);
    let run = g.run(&["check"]);
    assert!(run.ok().contains("findings: 1 layout"), "{}", run.stdout);
    let report = json(&g.run(&["check", "--format", "json"]));
    let expected = path.strip_prefix(g.path()).unwrap().display().to_string();
    assert_eq!(report["findings"][0]["kind"], "layout");
    assert_eq!(
        report["findings"][0]["message"],
        format!(
            "outside the layout: expected at {expected} (opening month and id); move it there with `git mv`"
        )
    );
    g.run(&["check", "--fail-on", "layout"]).fails(1);
}

#[test]
fn a_team_of_five_on_branches_for_two_rounds_never_meets_a_conflict() {
    let (mut g, shared) = with_complaint(true);
    let second = g.open(&["Wrong colour sent"]);
    commit_all(&g, "second complaint");
    let people = ["ana", "ben", "chen", "dita", "emil"];
    let mut opened = Vec::new();
    for round in 0..2 {
        for (i, person) in people.iter().enumerate() {
            if round == 0 {
                g.git(&["checkout", "-q", "-b", person, "main"]);
            } else {
                g.git(&["checkout", "-q", person]);
                g.git(&["merge", "-q", "--no-edit", "main"]);
            }
            // Everyone works in the same hour, minutes apart, in an order unlike the merges.
            let minute = (i * 7 + round * 3) % 60;
            g.set_now(&format!("2026-11-2{}T10:{minute:02}:00+09:00", 4 + round));
            let by = ["--by", person];
            let note = format!("{person}'s note, round {round}");
            g.run(&[&["note", &shared, &note][..], &by].concat()).ok();
            let assignee = format!("assignee={person}-{round}");
            g.run(&[&["set", &second, &assignee][..], &by].concat())
                .ok();
            g.run(&[&["followup", &shared, "--in", "2d", &note][..], &by].concat())
                .ok();
            if i % 2 == round {
                g.run(&[&["advance", &second][..], &by].concat()).ok();
            }
            opened.push(g.open(&[&format!("{person}'s own complaint, round {round}")]));
            commit_all(&g, &format!("{person}, round {round}"));
        }
        g.git(&["checkout", "-q", "main"]);
        for person in people {
            let merge = g.git_in(g.path(), &["merge", "--no-edit", person]);
            merge.ok();
        }
    }
    let c = complaint(&g, &shared);
    assert_eq!(c["followup"].as_array().unwrap().len(), 10);
    let notes = c["event"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "note")
        .count();
    assert_eq!(notes, 10);
    let times: Vec<&str> = c["event"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    // Every branch reassigned it; the latest change was emil's, in the second round.
    let c = complaint(&g, &second);
    assert_eq!(c["assignee"], "emil-1");
    assert_eq!(c["stage"], "investigating");
    for id in &opened {
        g.run(&["show", id]).ok();
    }
    g.run(&["check"]).ok();
    g.run(&["resolve"]).ok();
    let run = g.run(&["resolve"]);
    assert!(
        run.stderr
            .contains("no complaint file holds conflict markers")
    );
}

/// What git's plain text merge made of two branches that each set the assignee and added a
/// follow-up: one side's header line landed inside the other side's follow-up table.
#[test]
fn a_header_line_a_text_merge_put_inside_a_table_is_reported_by_check() {
    let g = Gripe::new();
    g.write(
        "complaints/2026/11/kjx71ymaths8rq0y.toml",
        "id = \"kjx71ymaths8rq0y\"\ntitle = \"Shared complaint\"\nopened = 2026-11-20T10:00:00Z\n\
         stage = \"new\"\nassignee = \"bob\"\n\n[[followup]]\nid = \"qzcgne\"\ndue = 2026-11-23\n\
         note = \"bob fu\"\n\nassignee = \"alice\"\n\n[[event]]\nat = 2026-11-20T10:00:00Z\nkind = \"opened\"\n",
    );
    let listed = g.run(&["list", "--format", "json"]);
    assert_eq!(json(&listed)["complaints"][0]["assignee"], "bob");
    let run = g.run(&["check"]);
    run.fails(1);
    assert!(
        run.stdout
            .contains("assignee in a [[followup]] table, where it means nothing"),
        "{}",
        run.stdout
    );
}

#[test]
fn git_failing_is_not_a_usage_error() {
    let g = repo();
    // Another git holds the config's lock, so `git config` fails: gripe says so with the
    // exit status of a failed tool, not of a bad flag.
    std::fs::write(g.path().join(".git/config.lock"), "").unwrap();
    let err = g.run(&["git", "setup"]).fails(6).to_string();
    assert!(err.starts_with("gripe: error: git config"), "{err}");
    assert!(err.contains("could not lock config file"), "{err}");
}
