//! Ids and unique prefixes: never act on a guessed complaint.

use crate::harness::Gripe;

fn hand_written(id: &str, title: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = \"{title}\"\nopened = 2026-11-20T10:00:00+09:00\nstage = \"new\"\n"
    )
}

fn two_with_one_prefix() -> Gripe {
    let g = Gripe::new();
    g.write(
        "complaints/2026/11/k7m2aaaaaaaaaaaa.toml",
        &hand_written("k7m2aaaaaaaaaaaa", "First"),
    );
    g.write(
        "complaints/2026/11/k7m2bbbbbbbbbbbb.toml",
        &hand_written("k7m2bbbbbbbbbbbb", "Second"),
    );
    g
}

#[test]
fn every_command_accepts_a_unique_prefix_of_four_or_more() {
    let g = Gripe::new();
    let a = g.open(&["One"]);
    let b = g.open(&["Two"]);
    assert_ne!(a, b);
    assert!(g.run(&["show", &a]).ok().contains("One"));
    g.run(&["note", &b, "called back"]).ok();
    g.run(&["set", &b, "severity=low"]).ok();
    g.run(&["advance", &b]).ok();
    assert!(g.read(&b).contains("kind = \"note\""));
    assert!(!g.read(&a).contains("kind = \"note\""));
}

#[test]
fn an_ambiguous_prefix_lists_the_candidates_and_changes_nothing() {
    let g = two_with_one_prefix();
    let before = g.read("k7m2a");
    let err = g.run(&["note", "k7m2", "hello"]).fails(3).to_string();
    assert_eq!(
        err,
        "gripe: error: `k7m2` matches 2 complaints: k7m2aaaaaaaaaaaa (complaints/2026/11/k7m2aaaaaaaaaaaa.toml), k7m2bbbbbbbbbbbb (complaints/2026/11/k7m2bbbbbbbbbbbb.toml)\nhint: type more characters of the id to pick one\n"
    );
    assert_eq!(g.read("k7m2a"), before);
    assert!(g.run(&["show", "k7m2b"]).ok().contains("Second"));
}

#[test]
fn list_shows_the_shortest_unique_prefixes() {
    let g = two_with_one_prefix();
    g.write(
        "complaints/2026/11/zz99cccccccccccc.toml",
        &hand_written("zz99cccccccccccc", "Third"),
    );
    let out = g.run(&["list"]).ok().to_string();
    let ids: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(ids, ["k7m2a", "k7m2b", "zz99"]);
}

#[test]
fn an_unknown_prefix_says_so() {
    let g = two_with_one_prefix();
    let err = g.run(&["show", "zzzz"]).fails(3).to_string();
    assert!(
        err.starts_with("gripe: error: no complaint matches `zzzz`\n"),
        "{err}"
    );
}

#[test]
fn short_or_path_like_ids_are_usage_errors() {
    let g = two_with_one_prefix();
    let err = g.run(&["show", "k7m"]).fails(2).to_string();
    assert!(err.contains("too short"), "{err}");
    let err = g.run(&["show", "../../etc/passwd"]).fails(2).to_string();
    assert!(err.contains("is not a complaint id"), "{err}");
}

#[test]
fn prefixes_forgive_case_and_look_alike_letters() {
    let g = Gripe::new();
    g.write(
        "complaints/2026/11/k7m2100000000000.toml",
        &hand_written("k7m2100000000000", "Typed"),
    );
    assert!(g.run(&["show", "K7M2LO"]).ok().contains("Typed"));
}

#[test]
fn two_files_with_one_id_are_never_guessed_between() {
    let g = Gripe::new();
    g.write(
        "complaints/2026/11/k7m2aaaaaaaaaaaa.toml",
        &hand_written("k7m2aaaaaaaaaaaa", "A"),
    );
    g.write(
        "complaints/old/k7m2aaaaaaaaaaaa.toml",
        &hand_written("k7m2aaaaaaaaaaaa", "A copy"),
    );
    let err = g.run(&["show", "k7m2"]).fails(4).to_string();
    assert!(
        err.starts_with("gripe: error: complaint k7m2aaaaaaaaaaaa is in 2 files: ")
            && err.contains("complaints/old/k7m2aaaaaaaaaaaa.toml")
            && err.contains("hint: keep one of the files and delete the other"),
        "{err}"
    );
}

#[test]
fn files_not_named_after_their_id_are_found_by_reading_them() {
    let g = Gripe::new();
    g.write(
        "complaints/imported/from-crm.toml",
        &hand_written("q3w4e5r6t7y8z9x0", "Imported by hand"),
    );
    assert!(g.run(&["show", "q3w4"]).ok().contains("Imported by hand"));
    g.run(&["note", "q3w4", "it works"]).ok();
    assert!(
        std::fs::read_to_string(g.path().join("complaints/imported/from-crm.toml"))
            .unwrap()
            .contains("it works")
    );
}
