//! `gripe init`, finding the complaint folder, gripe.toml, and who the author is.

use crate::harness::Gripe;

#[test]
fn init_creates_the_folder_and_a_commented_config_and_is_idempotent() {
    let g = Gripe::bare();
    let err = g.run(&["init"]).ok().to_string();
    assert_eq!(err, "");
    let config = std::fs::read_to_string(g.path().join("gripe.toml")).unwrap();
    assert!(
        config.starts_with("# gripe team configuration."),
        "{config}"
    );
    assert!(g.path().join("complaints").is_dir());
    std::fs::write(g.path().join("gripe.toml"), "dir = \"complaints\"\n").unwrap();
    let again = g.run(&["init"]);
    assert!(again.ok().is_empty());
    assert!(again.stderr.contains("already set up"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(g.path().join("gripe.toml")).unwrap(),
        "dir = \"complaints\"\n",
        "init never overwrites a config"
    );
    assert_eq!(
        std::fs::read_to_string(g.path().join("complaints/.gitignore")).unwrap(),
        "# temp files of interrupted gripe writes; safe to delete\n.*.tmp\n"
    );

    // A gripe.toml that names another folder: init makes that one.
    let g = Gripe::bare();
    std::fs::write(g.path().join("gripe.toml"), "dir = \"tickets\"\n").unwrap();
    let run = g.run(&["init"]);
    run.ok();
    assert!(run.stderr.contains("tickets/"), "{}", run.stderr);
    assert!(g.path().join("tickets").is_dir());
    assert!(!g.path().join("complaints").exists());
    g.open(&["Lands in tickets"]);
}

#[test]
fn the_folder_is_found_from_a_subfolder_like_git_finds_dot_git() {
    let g = Gripe::new();
    let id = g.open(&["Parcel never arrived"]);
    let deep = g.path().join("docs/notes");
    std::fs::create_dir_all(&deep).unwrap();
    let run = g.run_in(&deep, &["list", "--format", "csv"], None);
    assert!(run.ok().contains("Parcel never arrived"), "{}", run.stdout);
    assert!(g.run_in(&deep, &["show", &id], None).ok().contains(&id));
}

#[test]
fn without_a_complaint_folder_gripe_says_how_to_make_one() {
    let g = Gripe::bare();
    let err = g.run(&["list"]).fails(2).to_string();
    assert!(
        err.starts_with("gripe: error: no complaint folder in "),
        "{err}"
    );
    assert!(err.contains("hint: run `gripe init`"), "{err}");
}

#[test]
fn dir_flag_and_gripe_dir_point_at_another_folder() {
    let g = Gripe::bare();
    std::fs::create_dir_all(g.path().join("support/tickets")).unwrap();
    let run = g.run(&["--dir", "support/tickets", "open", "Rude driver"]);
    let id = run.ok().trim().to_string();
    assert!(
        run.stderr.contains("support/tickets/2026/11/"),
        "{}",
        run.stderr
    );
    let g = g.env("GRIPE_DIR", "support/tickets");
    assert!(g.run(&["show", &id]).ok().contains("Rude driver"));
    let err = g.run(&["--dir", "nowhere", "list"]).fails(2).to_string();
    assert!(err.contains("--dir"), "{err}");
}

#[test]
fn custom_stages_from_gripe_toml_drive_advance() {
    let g = Gripe::new();
    std::fs::write(
        g.path().join("gripe.toml"),
        r#"[workflow]
stages = ["new", "acknowledged", "investigating", "waiting-on-customer", "resolved", "done"]
requires = {}
"#,
    )
    .unwrap();
    let id = g.open(&["Wrong colour sent"]);
    for expected in [
        "acknowledged",
        "investigating",
        "waiting-on-customer",
        "resolved",
        "done",
    ] {
        let run = g.run(&["advance", &id]);
        run.ok();
        assert!(
            run.stderr.contains(&format!("→ {expected}\n")),
            "{}",
            run.stderr
        );
    }
    let err = g.run(&["advance", &id]).fails(2).to_string();
    assert!(err.contains("is already done"), "{err}");
}

#[test]
fn vocabulary_lists_refuse_values_outside_them() {
    let g = Gripe::new();
    std::fs::write(
        g.path().join("gripe.toml"),
        "[vocabulary]\ncategories = [\"billing\", \"delivery\"]\n",
    )
    .unwrap();
    let err = g
        .run(&["open", "x", "--category", "bilIing"])
        .fails(2)
        .to_string();
    assert_eq!(
        err,
        "gripe: error: `bilIing` is not an allowed category (gripe.toml [vocabulary])\nhint: one of: billing, delivery\n"
    );
    let id = g.open(&["x", "--category", "billing", "--channel", "pigeon"]);
    g.run(&["set", &id, "category=quality"]).fails(2);
    g.run(&["set", &id, "category=delivery"]).ok();
}

#[test]
fn a_bad_config_is_named_with_its_line_and_nothing_runs() {
    let g = Gripe::new();
    std::fs::write(
        g.path().join("gripe.toml"),
        "dir = \"complaints\"\ntimezone = \"Mars/Base\"\n",
    )
    .unwrap();
    let err = g.run(&["list"]).fails(4).to_string();
    assert!(
        err.starts_with("gripe: error: gripe.toml:2:1: `Mars/Base` is not an IANA time zone"),
        "{err}"
    );
}

#[test]
fn the_author_is_by_then_gripe_user_then_git_then_user() {
    let g = Gripe::new();
    let author = |g: &Gripe, extra: &[&str]| {
        let mut args = vec!["open", "x"];
        args.extend_from_slice(extra);
        let id = g.run(&args).ok().trim().to_string();
        let json = crate::harness::json(&g.run(&["show", &id, "--format", "json"]));
        json["complaint"]["opened_by"].as_str().unwrap().to_string()
    };
    assert_eq!(author(&g, &["--by", "mark"]), "mark");
    assert_eq!(author(&g, &[]), "andrea");
    // Without GRIPE_USER: git's user.name from the (temporary) global config, then $USER.
    let g = g.env("GRIPE_USER", "").env("USER", "priya");
    assert_eq!(author(&g, &[]), "priya");
    std::fs::write(g.path().join(".gitconfig"), "[user]\n\tname = Lin Chen\n").unwrap();
    assert_eq!(author(&g, &[]), "Lin Chen");
}

#[test]
fn gripe_now_must_be_a_datetime() {
    let g = Gripe::new().now("next tuesday");
    let err = g.run(&["list"]).fails(2).to_string();
    assert!(
        err.contains("GRIPE_NOW=`next tuesday` is not a datetime"),
        "{err}"
    );
}

#[test]
fn help_lists_the_exit_codes_and_every_subcommand_has_examples() {
    let g = Gripe::bare();
    let help = g.run(&["--help"]).ok().to_string();
    assert!(help.contains("5  write refused"), "{help}");
    for sub in [
        "init", "open", "list", "show", "note", "advance", "set", "reopen", "close", "edit",
    ] {
        let text = g.run(&[sub, "--help"]).ok().to_string();
        assert!(
            text.contains("Example"),
            "{sub} --help has examples:\n{text}"
        );
    }
}

#[test]
fn usage_errors_exit_two() {
    let g = Gripe::new();
    g.run(&["frobnicate"]).fails(2);
    g.run(&["list", "--format", "yaml"]).fails(2);
    g.run(&["list", "--since", "last week"]).fails(2);
    g.run(&["list", "--stage", "limbo"]).fails(2);
}
