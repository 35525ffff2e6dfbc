//! Personal data: detection in `check`, `redact`, `forget` (with real git and `git
//! filter-repo`), retention and `purge`, `export --anonymised` and `import --redact`.
//!
//! The values are the ones published for tests and fiction, so no real person's data is here:
//! Ofcom's drama numbers (020 7946 0xxx, 07700 900xxx), the North American 555-01xx range, the
//! card number 4111 1111 1111 1111 that card networks publish for testing, the IBAN of the
//! SWIFT IBAN registry's example (GB82 WEST 1234 5698 7654 32), and example.com addresses
//! (RFC 2606).

use crate::harness::Gripe;
use crate::harness::json;

/// A complaint written by hand, comments and all, with personal data in the customer table
/// (where it belongs) and in the texts (where it does not).
const HANDMADE: &str = r#"# Logged from the phone queue; see the call recording.
id = "pd0000000000000a"
title = "Refund to card 4111 1111 1111 1111 never arrived"
opened = 2026-11-20T09:00:00+00:00
stage = "acknowledged"   # apologised on the call
severity = "high"
category = "billing"

[customer]
name = "Jane Example"
contact = "jane@example.com"

[fields]
account = "ACC-12345678"
order = "4111111111111112"    # an order number: not Luhn-valid, not a card

[[event]]
at = 2026-11-20T09:00:00+00:00
by = "andrea"
kind = "opened"
text = """
Customer called from 07700 900123 on 2026-11-20; wants the refund to
GB82 WEST 1234 5698 7654 32. Copied support@ourco.example."""

# the customer's own words, kept as said
[[event]]
at = 2026-11-20T09:05:00+00:00
by = "andrea"
kind = "stage"
from = "new"
to = "acknowledged"
text = "Apologised; will call back on +44 20 7946 0958 or write to jane@example.com"
"#;

fn handmade() -> Gripe {
    let g = Gripe::new().now("2026-11-21T10:00:00Z");
    let config = std::fs::read_to_string(g.path().join("gripe.toml")).unwrap();
    let config = config.replace("# patterns = {", "patterns = {").replace(
        "# allow = [\"support@example.com\"]",
        "allow = [\"support@ourco.example\"]",
    );
    g.write("gripe.toml", &config);
    g.write("complaints/2026/11/pd0000000000000a.toml", HANDMADE);
    g
}

fn pii_findings(g: &Gripe) -> Vec<(String, u64, String)> {
    let report = json(&g.run(&["check", "--fail-on", "none", "--format", "json"]));
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "pii")
        .map(|f| {
            let message = f["message"].as_str().unwrap().to_string();
            let kind = message.split(' ').next().unwrap().to_string();
            (kind, f["line"].as_u64().unwrap_or(0), message)
        })
        .collect()
}

#[test]
fn check_finds_personal_data_in_the_texts_masked_and_by_line() {
    let g = handmade();
    let found = pii_findings(&g);
    let kinds: Vec<(&str, u64)> = found.iter().map(|(k, l, _)| (k.as_str(), *l)).collect();
    assert_eq!(
        kinds,
        vec![
            ("card", 3),
            ("account", 14),
            ("phone", 22),
            ("iban", 23),
            ("phone", 32),
            ("email", 32),
        ],
        "{found:#?}"
    );
    // Never the value itself; the customer's own contact and the allowed address are no finding.
    for (_, _, message) in &found {
        for value in [
            "4111 1111 1111 1111",
            "07700 900123",
            "GB82 WEST",
            "jane@example.com",
            "7946 0958",
            "ACC-12345678",
        ] {
            assert!(!message.contains(value), "{message}");
        }
    }
    assert!(found[0].2.contains("**** **** **** 1111"), "{}", found[0].2);
    let run = g.run(&["check", "--fail-on", "pii"]);
    run.fails(1);
    assert!(run.stdout.contains("6 pii"), "{}", run.stdout);
    g.run(&["check", "--fail-on", "pii", "--no-pii"]).ok();
}

#[test]
fn the_masked_narratives_of_the_real_cfpb_sample_hold_no_finding() {
    // 2,025 real consumer complaints; the CFPB masks names, dates and numbers with XXXX before
    // it publishes them, so a detector that fires here fires on masks or on ordinary numbers.
    let g = Gripe::new();
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cfpb-sample.csv");
    g.run(&["import", sample, "--preset", "cfpb"]).ok();
    let masked = g
        .files()
        .iter()
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("XXXX"))
        .count();
    assert!(masked > 100, "{masked} files with masks");
    assert_eq!(pii_findings(&g), vec![]);
}

#[test]
fn redact_rewrites_in_place_keeping_comments_and_records_kinds_never_values() {
    let g = handmade();
    let before = g.read("pd00");
    let dry = g.run(&["redact", "pd00", "--kind", "card,iban,email", "--dry-run"]);
    dry.ok();
    assert_eq!(g.read("pd00"), before, "--dry-run changes nothing");
    assert!(
        dry.stdout
            .contains("card\ttitle\tRefund to card **** **** **** 1111"),
        "{}",
        dry.stdout
    );
    assert!(!dry.stdout.contains("4111 1111"), "{}", dry.stdout);
    assert!(
        dry.stderr
            .contains("would be redacted 1 card, 1 email, 1 iban"),
        "{}",
        dry.stderr
    );

    g.run(&["redact", "pd00", "--kind", "card,iban,email"]).ok();
    let after = g.read("pd00");
    for gone in ["4111 1111 1111 1111", "GB82 WEST"] {
        assert!(!after.contains(gone), "{after}");
    }
    // The customer's own contact stays (that is where it belongs); the note's copy goes.
    assert!(after.contains("contact = \"jane@example.com\""), "{after}");
    assert!(after.contains("or write to [redacted:email]\""), "{after}");
    assert!(after.contains("title = \"Refund to card [redacted:card] never arrived\""));
    // Every other line is as it was, comments included.
    let kept: Vec<&str> = before
        .lines()
        .filter(|l| !l.contains("4111 1111") && !l.contains("GB82") && !l.contains("write to"))
        .collect();
    let after_lines: Vec<&str> = after.lines().collect();
    for line in kept {
        assert!(after_lines.contains(&line), "lost: {line}\n{after}");
    }
    assert!(
        after.ends_with("kind = \"redacted\"\ntext = \"redacted 1 card, 1 email, 1 iban\"\n"),
        "{after}"
    );
    // What is left of the kinds asked for is nothing.
    let left: Vec<String> = pii_findings(&g).into_iter().map(|(k, ..)| k).collect();
    assert_eq!(left, vec!["account", "phone", "phone"]);
}

#[test]
fn redact_a_field_takes_its_value_from_the_history_and_every_text() {
    let g = Gripe::new();
    let id = g.open(&["Parcel lost", "--customer", "Sam", "-m", "Lost parcel"]);
    g.run(&["set", &id, "customer.contact=sam@example.com"])
        .ok();
    g.run(&["note", &id, "Emailed sam@example.com the tracking link"])
        .ok();
    g.run(&["redact", &id, "--field", "customer.contact"]).ok();
    let text = g.read(&id);
    assert!(!text.contains("sam@example.com"), "{text}");
    assert_eq!(text.matches("[redacted:contact]").count(), 3, "{text}");
    let shown = json(&g.run(&["show", &id, "--format", "json"]));
    assert_eq!(
        shown["complaint"]["customer"]["contact"], "[redacted:contact]",
        "{shown}"
    );
}

#[test]
fn bad_privacy_input_is_one_clear_error() {
    let g = Gripe::new();
    let id = g.open(&["Parcel lost", "-m", "x"]);
    let run = g.run(&["redact", &id, "--kind", "postcode"]);
    assert!(
        run.fails(2)
            .contains("`postcode` is not a kind of personal data"),
        "{}",
        run.stderr
    );
    let run = g.run(&["redact", &id]);
    run.fails(2);
    let run = g.run(&["forget", "--customer", "Nobody"]);
    run.fails(3);
    let run = g.run(&["purge", "--past-retention"]);
    assert!(run.fails(2).contains("no retention"), "{}", run.stderr);
    let config = std::fs::read_to_string(g.path().join("gripe.toml")).unwrap();
    g.write(
        "gripe.toml",
        &config.replace("# retain = \"3y\"", "retain = \"3 years\""),
    );
    let run = g.run(&["check"]);
    let line = config
        .lines()
        .position(|l| l == "[privacy]")
        .map(|i| i + 1)
        .unwrap();
    assert!(
        run.fails(4).contains(&format!(
            "gripe.toml:{line}:2: privacy.retain: `3 years` is not a span"
        )),
        "{}",
        run.stderr
    );
}

/// Customers with contacts, some with several complaints (repeat complainants), one file
/// edited by hand.
fn customers() -> Gripe {
    let g = Gripe::new();
    let people = [
        ("Jane Example", "cust-1", "billing"),
        ("Jane Example", "cust-1", "delivery"),
        ("Jane Example", "cust-1", "billing"),
        ("Bob Example", "cust-2", "billing"),
        ("Bob Example", "cust-2", "service"),
        ("Ann Example", "cust-3", "delivery"),
    ];
    for (name, contact, category) in people {
        let id = g.open(&[
            "Charged twice",
            "--customer",
            name,
            "--category",
            category,
            "-m",
            &format!("{name} called; reply to {}@example.com", contact),
        ]);
        g.run(&["set", &id, &format!("customer.contact={contact}")])
            .ok();
    }
    g
}

fn figures(g: &Gripe) -> (serde_json::Value, serde_json::Value, Vec<u64>) {
    let trends = json(&g.run(&["trends", "--by", "category", "--format", "json"]));
    let report = json(&g.run(&["report", "--format", "json"]));
    let repeat = serde_json::json!([
        report["metrics"]["repeat_complainant_rate"],
        report["metrics"]["counts"]["repeat_complainants"]
    ]);
    let by_customer = json(&g.run(&["trends", "--by", "customer", "--format", "json"]));
    let mut counts: Vec<u64> = by_customer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .collect();
    counts.sort();
    (trends["rows"].clone(), repeat, counts)
}

#[test]
fn forget_pseudonymises_everywhere_and_keeps_trends_and_repeat_figures() {
    let g = customers();
    let jane = g
        .files()
        .into_iter()
        .find(|p| std::fs::read_to_string(p).unwrap().contains("Jane"))
        .unwrap();
    let text = std::fs::read_to_string(&jane).unwrap();
    std::fs::write(&jane, format!("# checked by hand\n{text}")).unwrap();
    let id = jane.file_stem().unwrap().to_str().unwrap()[..4].to_string();
    g.run(&["note", &id, "JANE EXAMPLE rang again; she reopened nothing"])
        .ok();
    // One more of hers, under another spelling of the name but with her contact.
    let other = g.open(&[
        "Refund late",
        "--customer",
        "J. Example",
        "--category",
        "billing",
        "-m",
        "x",
    ]);
    g.run(&["set", &other, "customer.contact=cust-1"]).ok();
    let before = figures(&g);
    assert_eq!(before.2, vec![1, 1, 2, 3], "{before:?}");
    let run = g.run(&[
        "forget",
        "--customer",
        "jane example",
        "--request",
        "DSAR-9",
    ]);
    assert!(
        run.ok()
            .starts_with("forgot jane example in 4 complaints: "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("not in a git repository"),
        "{}",
        run.stdout
    );
    assert_eq!(figures(&g), before);
    let mut pseudonyms = std::collections::BTreeSet::new();
    for path in g.files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let lower = text.to_lowercase();
        assert!(
            !lower.contains("jane") && !lower.contains("cust-1@"),
            "{text}"
        );
        if text.contains("kind = \"forgotten\"") {
            let contact = text.lines().find(|l| l.starts_with("contact = ")).unwrap();
            pseudonyms.insert(contact.to_string());
            assert!(
                text.contains("erasure request DSAR-9 received 2026-11-23"),
                "{text}"
            );
        }
    }
    assert_eq!(
        pseudonyms.len(),
        1,
        "one pseudonym for one contact: {pseudonyms:?}"
    );
    assert!(
        std::fs::read_to_string(&jane)
            .unwrap()
            .starts_with("# checked by hand\n")
    );
    // The other customers' addresses are still findings; the forgotten one's are not.
    let left = pii_findings(&g);
    assert_eq!(left.len(), 3, "{left:#?}");
    g.run(&["check", "--fail-on", "invalid,conflicts,layout"])
        .ok();
}

#[test]
fn the_replacement_file_of_forget_removes_every_trace_from_git_history() {
    if g_filter_repo_missing() {
        eprintln!("skipped: `git filter-repo` is not installed (apt-get install git-filter-repo)");
        return;
    }
    let g = customers();
    g.git(&["init", "-q"]);
    let as_someone = |args: &[&str]| {
        let mut all = vec!["-c", "user.name=t", "-c", "user.email=t@example.com"];
        all.extend_from_slice(args);
        g.git(&all);
    };
    as_someone(&["add", "-A"]);
    as_someone(&["commit", "-qm", "complaints"]);
    let run = g.run(&["forget", "--contact", "cust-2"]);
    let out = run.ok();
    assert!(
        out.contains("git history still holds the old text in 1 commit:"),
        "{out}"
    );
    let command = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("2. rewrite history:"))
        .unwrap()
        .trim()
        .to_string();
    let file = command.split_whitespace().nth(3).unwrap().to_string();
    assert!(file.starts_with(".git/gripe/forget-"), "{command}");
    let replacements = std::fs::read_to_string(g.path().join(&file)).unwrap();
    assert!(
        replacements.contains(r"regex:(?i)\bBob\ Example\b==>erased-"),
        "{replacements}"
    );
    as_someone(&["commit", "-qam", "forget"]);
    g.git(&["filter-repo", "--replace-text", &file, "--force"]);
    let history = g.git(&["log", "-p", "--all"]);
    for value in ["Bob Example", "cust-2"] {
        assert!(!history.contains(value), "{value} still in history");
    }
    assert!(history.contains("Jane Example"), "other customers stay");
}

fn g_filter_repo_missing() -> bool {
    !std::process::Command::new("git")
        .args(["filter-repo", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn closed_at(g: &mut Gripe, day: &str, category: &str) -> String {
    g.set_now(&format!("{day}T10:00:00Z"));
    let id = g.open(&[
        "Charged twice",
        "--customer",
        "Old Customer",
        "--category",
        category,
        "-m",
        "old@example.com called",
    ]);
    g.run(&[
        "set",
        &id,
        "resolution.action=refunded",
        "resolution.satisfied=true",
    ])
    .ok();
    g.run(&["advance", &id, "--to", "closed"]).ok();
    id
}

fn with_retention(g: &Gripe) {
    let config = std::fs::read_to_string(g.path().join("gripe.toml")).unwrap();
    g.write(
        "gripe.toml",
        &config.replace("# retain = \"3y\"", "retain = \"3y\""),
    );
}

#[test]
fn purge_anonymises_or_deletes_exactly_what_is_past_retention() {
    let mut g = Gripe::new();
    with_retention(&g);
    let past = closed_at(&mut g, "2022-03-01", "billing");
    let recent = closed_at(&mut g, "2024-06-01", "delivery");
    g.set_now("2021-01-04T10:00:00Z");
    let open = g.open(&["Still open", "--category", "billing", "-m", "x"]);
    g.set_now("2026-11-23T10:00:00Z");
    let check = json(&g.run(&["check", "--fail-on", "none", "--format", "json"]));
    let retained: Vec<&str> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "retention")
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(retained.len(), 1);
    assert!(retained[0].starts_with(&past), "{retained:?}");
    g.run(&["check", "--fail-on", "retention"]).fails(1);
    let trends = g
        .run(&["trends", "--by", "category", "--format", "json"])
        .ok()
        .to_string();
    let files = g.files();
    let dry = g.run(&["purge", "--past-retention", "--anonymise", "--dry-run"]);
    assert!(dry.ok().starts_with(&format!("{past}\t")), "{}", dry.stdout);
    assert_eq!(g.files(), files);

    g.run(&["purge", "--past-retention", "--anonymise"]).ok();
    let record = g.read(&past);
    for gone in ["Old Customer", "old@example.com", "refunded", "Charged"] {
        assert!(!record.contains(gone), "{gone}: {record}");
    }
    assert!(record.contains("category = \"billing\""), "{record}");
    assert!(record.contains("kind = \"anonymised\""), "{record}");
    assert_eq!(
        g.run(&["trends", "--by", "category", "--format", "json"])
            .ok(),
        trends,
        "trends over the years stay whole"
    );
    g.run(&["check", "--fail-on", "all"]).fails(1); // the open one is late, nothing else
    let check = json(&g.run(&["check", "--fail-on", "none", "--format", "json"]));
    assert_eq!(check["counts"]["retention"], 0);
    assert_eq!(check["counts"]["invalid"], 0);
    assert!(g.read(&recent).contains("Old Customer"));
    assert!(g.read(&open).contains("Still open"));

    // Without --anonymise the complaint goes.
    let mut g = Gripe::new();
    with_retention(&g);
    let past = closed_at(&mut g, "2022-03-01", "billing");
    closed_at(&mut g, "2024-06-01", "delivery");
    g.set_now("2026-11-23T10:00:00Z");
    g.run(&["purge", "--past-retention"]).ok();
    assert_eq!(g.files().len(), 1);
    g.run(&["show", &past]).fails(3);
}

#[test]
fn export_anonymised_and_import_redact_leave_no_personal_data() {
    let g = handmade();
    let export = g.run(&["export", "--anonymised"]).ok().to_string();
    for gone in [
        "Jane Example",
        "jane@example.com",
        "4111 1111 1111 1111",
        "07700 900123",
        "ACC-12345678",
    ] {
        assert!(!export.contains(gone), "{gone} in {export}");
    }
    assert!(
        export.contains("[redacted:card]") && !export.contains("\"customer\""),
        "{export}"
    );
    assert!(
        export.contains("4111111111111112"),
        "the order number is no card: {export}"
    );

    let g = Gripe::new();
    g.write(
        "in.csv",
        "id,title,narrative\nT-1,Refund missing,\"Call me on 020 7946 0123 or mail a.person@example.org\"\n",
    );
    let run = g.run(&[
        "import",
        "in.csv",
        "--map",
        "external_ref=id,title=title,note=narrative",
        "--redact",
    ]);
    run.ok();
    assert!(
        run.stderr.contains("redacted 1 email, 1 phone"),
        "{}",
        run.stderr
    );
    let file = std::fs::read_to_string(&g.files()[0]).unwrap();
    assert!(
        file.contains("Call me on [redacted:phone] or mail [redacted:email]"),
        "{file}"
    );
    // Importing the same file again changes nothing.
    let again = g.run(&[
        "import",
        "in.csv",
        "--map",
        "external_ref=id,title=title,note=narrative",
        "--redact",
    ]);
    again.ok();
    let said = format!("{}{}", again.stdout, again.stderr);
    assert!(said.contains("0 created, 0 updated, 1 unchanged"), "{said}");
}

#[test]
fn forget_touches_only_free_text_and_takes_the_whole_customer_table() {
    let g = Gripe::new();
    // A short name that is part of keys and values (`opened`, `medium`), and a customer table
    // written by hand with a date, a flag and an inline table.
    let id = g.open(&[
        "Ed says the kettle leaks",
        "--customer",
        "Ed",
        "--severity",
        "medium",
        "-m",
        "Ed called; ED wants a refund, not a repair (opened by phone)",
    ]);
    let path = g.file(&id);
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "[customer]\nname = \"Ed\"\n",
        "[customer]\nname = \"Ed\"\nsince = 2019-05-01\nvulnerable = true\naddress = { street = \"1 Example Road\", postcode = \"AB1 2CD\" }\n",
    );
    std::fs::write(&path, text).unwrap();
    g.run(&["forget", "--customer", "ed"]).ok();
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("kind = \"opened\""), "{after}");
    assert!(after.contains("severity = \"medium\""), "{after}");
    for gone in [
        "Example Road",
        "AB1 2CD",
        "2019-05-01",
        "vulnerable",
        "Ed ",
        "ED ",
    ] {
        assert!(!after.contains(gone), "{gone}: {after}");
    }
    assert!(after.contains("(opened by phone)"), "{after}");
    assert!(after.contains(" says the kettle leaks\""), "{after}");
    g.run(&["check"]).ok();
}

#[test]
fn redact_with_a_pattern_and_kinds_that_overlap_redacts_both() {
    let g = Gripe::new();
    let id = g.open(&["Order ORD-123456 from jane@example.com", "-m", "x"]);
    let run = g.run(&[
        "redact",
        &id,
        "--kind",
        "email",
        "--pattern",
        "ORD-[0-9]+|jane",
    ]);
    run.ok();
    let text = g.read(&id);
    assert!(
        text.contains("title = \"Order [redacted:pattern] from [redacted:email]\""),
        "{text}"
    );
}
