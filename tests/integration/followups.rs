//! Follow-ups, promises and SLA clocks: `followup`, `due` (and its iCalendar feed) and the
//! `check` gate, with a fixed clock in a team time zone.

use crate::harness::Gripe;
use crate::harness::json;

/// A team in Tokyo, Mon-Fri 09:00-18:00, with Monday 2026-11-23 a holiday. Now is Friday
/// 2026-11-20 15:00 in Tokyo.
fn tokyo() -> Gripe {
    let g = Gripe::new().now("2026-11-20T06:00:00Z");
    std::fs::write(
        g.path().join("gripe.toml"),
        "timezone = \"Asia/Tokyo\"\nholidays = [2026-11-23]\n",
    )
    .unwrap();
    g
}

fn due_json(g: &Gripe, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["due", "--format", "json"];
    all.extend_from_slice(args);
    json(&g.run(&all))["items"].as_array().unwrap().clone()
}

fn followup_due(g: &Gripe, id: &str) -> String {
    let doc = json(&g.run(&["show", id, "--format", "json"]));
    doc["complaint"]["followup"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["due"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn business_days_skip_the_weekend_and_the_holiday() {
    let g = tokyo();
    let id = g.open(&["Refund missing"]);
    g.run(&["followup", &id, "--in", "1bd", "Check the refund arrived"])
        .ok();
    // Friday 15:00 + 9 business hours: Friday has 3 left, Monday is a holiday, Tuesday 15:00.
    assert_eq!(followup_due(&g, &id), "2026-11-24");
    g.run(&["followup", &id, "--in", "4bh", "Call the courier"])
        .ok();
    assert_eq!(followup_due(&g, &id), "2026-11-24T10:00:00+09:00");
    g.run(&[
        "followup",
        &id,
        "--in",
        "3d",
        "Calendar days ignore business hours",
    ])
    .ok();
    assert_eq!(followup_due(&g, &id), "2026-11-23");
    g.run(&["followup", &id, "--in", "30m", "Soon"]).ok();
    assert_eq!(followup_due(&g, &id), "2026-11-20T15:30:00+09:00");
}

#[test]
fn scheduling_writes_the_followup_and_an_event() {
    let g = tokyo();
    let id = g.open(&["Refund missing"]);
    let run = g.run(&[
        "followup",
        &id,
        "--on",
        "2026-11-27",
        "Ask",
        "whether",
        "the",
        "refund",
        "arrived",
    ]);
    run.ok();
    let text = g.read(&id);
    let fid = text.split("[[followup]]\nid = \"").nth(1).unwrap()[..6].to_string();
    assert!(
        run.stderr
            .contains(&format!("follow-up {fid} due 2026-11-27")),
        "{}",
        run.stderr
    );
    assert!(text.contains(&format!(
        "[[followup]]\nid = \"{fid}\"\ndue = 2026-11-27\nnote = \"Ask whether the refund arrived\"\n"
    )), "{text}");
    assert!(text.ends_with(&format!(
        "at = 2026-11-20T15:00:00+09:00\nby = \"andrea\"\nkind = \"followup\"\nto = 2026-11-27\nfollowup = \"{fid}\"\ntext = \"Ask whether the refund arrived\"\n"
    )), "events are stamped in the team's zone: {text}");
}

#[test]
fn bad_followup_requests_are_usage_errors() {
    let g = tokyo();
    let id = g.open(&["x"]);
    g.run(&["followup", &id, "call back"]).fails(2);
    g.run(&["followup", &id, "--in", "3x", "call back"])
        .fails(2);
    g.run(&[
        "followup",
        &id,
        "--in",
        "3d",
        "--on",
        "2026-12-01",
        "call back",
    ])
    .fails(2);
    let err = g
        .run(&["followup", &id, "--on", "2026-11-01", "call back"])
        .fails(2)
        .to_string();
    assert!(err.contains("is in the past"), "{err}");
    g.run(&["followup", &id, "--in", "3d"]).fails(2);
}

#[test]
fn a_followup_due_friday_evening_follows_the_team_clock_not_utc() {
    let mut g = tokyo();
    let id = g.open(&["Oven door glass cracked"]);
    g.run(&[
        "followup",
        &id,
        "--on",
        "2026-11-27T19:30",
        "Call after work hours as agreed",
    ])
    .ok();
    g.run(&[
        "followup",
        &id,
        "--on",
        "2026-11-27",
        "Confirm the engineer's visit",
    ])
    .ok();
    let groups = |g: &Gripe| -> Vec<String> {
        due_json(g, &[])
            .iter()
            .filter(|i| i["kind"] == "follow-up")
            .map(|i| {
                format!(
                    "{} {}",
                    i["group"].as_str().unwrap(),
                    i["due"].as_str().unwrap()
                )
            })
            .collect()
    };
    // Friday 17:00 in Tokyo (08:00 UTC): both are due today.
    g.set_now("2026-11-27T08:00:00Z");
    assert_eq!(
        groups(&g),
        ["today 2026-11-27T19:30:00+09:00", "today 2026-11-27"]
    );
    // 20:00 in Tokyo: the evening call is late; the dated one still has until midnight.
    g.set_now("2026-11-27T11:00:00Z");
    assert_eq!(
        groups(&g),
        ["overdue 2026-11-27T19:30:00+09:00", "today 2026-11-27"]
    );
    // Saturday 00:30 in Tokyo, still Friday in UTC: both are overdue.
    g.set_now("2026-11-27T15:30:00Z");
    assert_eq!(
        groups(&g),
        ["overdue 2026-11-27T19:30:00+09:00", "overdue 2026-11-27"]
    );
}

#[test]
fn due_groups_overdue_today_and_upcoming_within_the_window() {
    let mut g = tokyo();
    let a = g.open(&["A", "--assignee", "mark", "--customer", "Acme"]);
    let b = g.open(&["B", "--assignee", "andrea"]);
    g.run(&["followup", &a, "--on", "2026-11-21", "late one"])
        .ok();
    g.run(&["followup", &a, "--on", "2026-11-24", "today's"])
        .ok();
    g.run(&["followup", &b, "--on", "2026-11-27", "in three days"])
        .ok();
    g.run(&["followup", &b, "--on", "2026-12-10", "beyond the window"])
        .ok();
    g.set_now("2026-11-24T01:00:00Z");
    let out = g.run(&["due"]).ok().to_string();
    assert!(out.starts_with("Overdue ("), "{out}");
    let overdue = &out[..out.find("\nToday").unwrap()];
    assert!(overdue.contains("late one"), "{out}");
    assert!(
        out.contains("Today (3)\n"),
        "today's follow-up and two SLA deadlines: {out}"
    );
    assert!(out.contains("Upcoming within 7d ("), "{out}");
    assert!(!out.contains("beyond the window"), "{out}");
    let texts = |items: Vec<serde_json::Value>| -> Vec<String> {
        items
            .iter()
            .filter(|i| i["kind"] == "follow-up")
            .map(|i| i["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        texts(due_json(&g, &[])),
        ["late one", "today's", "in three days"]
    );
    assert_eq!(texts(due_json(&g, &["--within", "30d"])).len(), 4);
    assert_eq!(texts(due_json(&g, &["--mine"])), ["in three days"]);
    assert_eq!(
        texts(due_json(&g, &["--assignee", "mark"])),
        ["late one", "today's"]
    );
    let csv = g.run(&["due", "--format", "csv"]).ok().to_string();
    assert!(csv.starts_with("group,kind,due,deadline,id,title,customer,assignee,followup,text\noverdue,follow-up,2026-11-21,2026-11-21T23:59:59+09:00,"), "{csv}");
}

#[test]
fn due_lists_promises_and_sla_deadlines_too() {
    let g = tokyo();
    let id = g.open(&[
        "Broken kettle",
        "--severity",
        "high",
        "--promise",
        "2026-11-25",
    ]);
    let items = due_json(&g, &[]);
    let kinds: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["kind"].as_str().unwrap(), i["due"].as_str().unwrap()))
        .collect();
    // High: acknowledge within 4h (calendar time), resolve within 3 business days.
    assert_eq!(
        kinds,
        [
            ("sla-acknowledge", "2026-11-20T19:00:00+09:00"),
            ("promise", "2026-11-25"),
            ("sla-resolve", "2026-11-26T15:00:00+09:00"),
        ]
    );
    assert_eq!(items[0]["short_id"], id);
    g.run(&["advance", &id]).ok();
    let kinds: Vec<String> = due_json(&g, &[])
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        ["promise", "sla-resolve"],
        "acknowledging stops that clock"
    );
}

/// One property of a parsed iCalendar event.
struct Property {
    value: String,
    params: Vec<(String, Vec<String>)>,
}

#[test]
fn the_ics_feed_parses_back_with_a_real_icalendar_parser() {
    let g = tokyo();
    let id = g.open(&[
        "Lost parcel, customer; \"angry\"",
        "--customer",
        "Acme, Inc.",
    ]);
    g.run(&[
        "followup",
        &id,
        "--on",
        "2026-11-24",
        "Call back, then email",
    ])
    .ok();
    g.run(&["followup", &id, "--in", "2h", "Chase the courier"])
        .ok();
    let ics = g
        .run(&["due", "--format", "ics", "--within", "14d"])
        .ok()
        .to_string();
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = parser
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    assert!(parser.next().is_none());
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| -> Property {
        let p = e
            .properties
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        Property {
            value: p.value.clone().unwrap_or_default(),
            params: p.params.clone().unwrap_or_default(),
        }
    };
    let events = &calendar.events;
    assert_eq!(
        events.len(),
        4,
        "two follow-ups and two SLA deadlines:\n{ics}"
    );
    let summaries: Vec<String> = events.iter().map(|e| prop(e, "SUMMARY").value).collect();
    assert!(
        summaries.contains(&format!(
            "Follow up: Lost parcel\\, customer\\; \"angry\" ({id})"
        )),
        "{summaries:?}"
    );
    let dated = events
        .iter()
        .find(|e| {
            prop(e, "DESCRIPTION")
                .value
                .starts_with("Call back\\, then email")
        })
        .unwrap();
    let start = prop(dated, "DTSTART");
    assert_eq!(start.value, "20261124");
    assert_eq!(
        start.params,
        vec![("VALUE".to_string(), vec!["DATE".to_string()])]
    );
    let timed = events
        .iter()
        .find(|e| prop(e, "DESCRIPTION").value.starts_with("Chase"))
        .unwrap();
    assert_eq!(prop(timed, "DTSTART").value, "20261120T080000Z");
    let uids: std::collections::BTreeSet<String> =
        events.iter().map(|e| prop(e, "UID").value).collect();
    assert_eq!(uids.len(), 4, "stable, distinct UIDs");
    assert!(
        ics.lines().all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );
}

#[test]
fn done_marks_the_only_open_followup_or_the_named_one() {
    let g = tokyo();
    let id = g.open(&["x"]);
    let err = g.run(&["followup", "done", &id]).fails(2).to_string();
    assert!(err.contains("has no open follow-up"), "{err}");
    g.run(&["followup", &id, "--in", "1d", "first"]).ok();
    g.run(&["followup", "done", &id, "-m", "Customer happy"])
        .ok();
    let text = g.read(&id);
    assert!(
        text.contains("done = 2026-11-20T15:00:00+09:00\n"),
        "{text}"
    );
    assert!(
        text.ends_with("kind = \"followup-done\"\nfollowup = \"")
            || text.contains("kind = \"followup-done\"\nfollowup = \""),
        "{text}"
    );
    assert!(text.ends_with("text = \"Customer happy\"\n"), "{text}");
    g.run(&["followup", &id, "--in", "1d", "second"]).ok();
    g.run(&["followup", &id, "--in", "2d", "third"]).ok();
    let err = g.run(&["followup", "done", &id]).fails(2).to_string();
    assert!(err.contains("has 2 open follow-ups"), "{err}");
    let list = json(&g.run(&["followup", "list", &id, "--format", "json"]));
    let fids: Vec<String> = list["followups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    let states: Vec<&str> = list["followups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["done", "open", "open"]);
    g.run(&["followup", "done", &id, &fids[2][..3]]).ok();
    let err = g
        .run(&["followup", "done", &id, &fids[0]])
        .fails(2)
        .to_string();
    assert!(err.contains("already done"), "{err}");
    let err = g
        .run(&["followup", "done", &id, "zzzz"])
        .fails(3)
        .to_string();
    assert_eq!(
        err,
        format!(
            "gripe: error: {id} has no follow-up matching `zzzz`\nhint: `gripe followup list {id}` shows its follow-ups\n"
        )
    );
    let table = g.run(&["followup", "list", &id]).ok().to_string();
    assert!(
        table.starts_with("ID      DUE         STATE  DONE              NOTE\n"),
        "{table}"
    );
}

#[test]
fn resolving_schedules_the_default_followup_unless_told_not_to_and_closing_completes_it() {
    let g = tokyo();
    let a = g.open(&["A"]);
    g.run(&["set", &a, "resolution.action=refunded"]).ok();
    let run = g.run(&["advance", &a, "--to", "resolved"]);
    run.ok();
    assert!(
        run.stderr
            .ends_with("due 2026-11-26 (skip with --no-followup)\n"),
        "3bd from Friday 15:00 skips the holiday, said once: {}",
        run.stderr
    );
    assert!(g.read(&a).contains("note = \"Ask whether the fix held and whether the customer is satisfied with the resolution\""));
    let b = g.open(&["B"]);
    g.run(&["set", &b, "resolution.action=refunded"]).ok();
    g.run(&["advance", &b, "--to", "resolved", "--no-followup"])
        .ok();
    assert!(!g.read(&b).contains("[[followup]]"));
    g.run(&["set", &a, "resolution.satisfied=true"]).ok();
    let run = g.run(&["close", &a]);
    run.ok();
    assert!(
        run.stderr.contains("marked done with the close"),
        "{}",
        run.stderr
    );
    assert!(
        g.read(&a)
            .ends_with("kind = \"followup-done\"\nfollowup = \"")
            || g.read(&a)
                .contains("text = \"done when the complaint was closed\"")
    );
    assert!(
        due_json(&g, &[])
            .iter()
            .all(|i| i["short_id"] != a.as_str())
    );
}

#[test]
fn a_promise_is_kept_broken_or_at_risk_and_changes_record_both_dates() {
    let mut g = tokyo();
    let id = g.open(&["Sofa delivery", "--promise", "2026-11-24"]);
    let status =
        |g: &Gripe| json(&g.run(&["show", &id, "--format", "json"]))["complaint"]["status"].clone();
    assert_eq!(status(&g)["promise"]["state"], "pending");
    assert!(
        g.run(&["list"])
            .ok()
            .contains("2026-11-24 pending  ack running"),
        "the list table shows the promise and the clock that runs"
    );
    g.set_now("2026-11-24T02:00:00Z");
    assert_eq!(status(&g)["promise"]["state"], "at-risk");
    assert_eq!(status(&g)["flags"], serde_json::json!(["promise-at-risk"]));
    g.run(&[
        "set",
        &id,
        "promised_by=2026-11-26",
        "-m",
        "Told the customer before the date: the depot is closed",
    ])
    .ok();
    assert!(
        g.read(&id)
            .contains("key = \"promised_by\"\nfrom = 2026-11-24\nto = 2026-11-26\n")
    );
    let promise = status(&g)["promise"].clone();
    assert_eq!(
        (promise["by"].as_str(), promise["first"].as_str()),
        (Some("2026-11-26"), Some("2026-11-24"))
    );
    g.set_now("2026-11-27T02:00:00Z");
    assert_eq!(status(&g)["promise"]["state"], "broken");
    g.run(&["check", "--fail-on", "promises"]).fails(1);
    g.run(&["set", &id, "resolution.action=delivered"]).ok();
    g.run(&["advance", &id, "--to", "resolved"]).ok();
    assert_eq!(
        status(&g)["promise"]["state"],
        "broken",
        "resolved after the date"
    );
    g.run(&["check", "--fail-on", "promises"]).ok();
}

#[test]
fn a_promise_renewed_after_a_reopen_needs_a_new_resolution() {
    let mut g = tokyo();
    let id = g.open(&["Refund", "--promise", "2026-11-24"]);
    g.set_now("2026-11-20T07:00:00Z");
    g.run(&["set", &id, "resolution.action=refunded"]).ok();
    g.run(&["advance", &id, "--to", "resolved"]).ok();
    g.set_now("2026-11-20T08:00:00Z");
    g.run(&["reopen", &id, "-m", "refund bounced"]).ok();
    let state = |g: &Gripe| {
        json(&g.run(&["show", &id, "--format", "json"]))["complaint"]["status"]["promise"]["state"]
            .clone()
    };
    assert_eq!(state(&g), "kept", "the first promise was kept");
    g.set_now("2026-11-20T09:00:00Z");
    g.run(&["set", &id, "promised_by=2026-11-25"]).ok();
    assert_eq!(state(&g), "pending");
    g.set_now("2026-11-26T02:00:00Z");
    assert_eq!(state(&g), "broken");
    g.run(&["check", "--fail-on", "promises"]).fails(1);
}

#[test]
fn sla_clocks_show_in_show_and_list_and_pause_while_waiting() {
    let mut g = Gripe::new().now("2026-11-20T06:00:00Z");
    std::fs::write(
        g.path().join("gripe.toml"),
        r#"timezone = "Asia/Tokyo"
[workflow]
stages = ["new", "acknowledged", "investigating", "waiting", "resolved", "following-up", "closed"]
[sla]
resolve = { medium = "2bd" }
pause_in = ["waiting"]
"#,
    )
    .unwrap();
    let id = g.open(&["Warranty question"]);
    g.run(&["advance", &id, "--to", "waiting"]).ok();
    g.set_now("2026-11-30T06:00:00Z");
    let out = g.run(&["show", &id]).ok().to_string();
    assert!(
        out.contains("sla acknowledge  met in 0m (target 1bd)\n"),
        "{out}"
    );
    assert!(
        out.contains("sla resolve      paused while waiting on the customer (0m of 2bd used)\n"),
        "{out}"
    );
    g.run(&["advance", &id, "--to", "investigating"]).fails(2);
    g.run(&["reopen", &id, "-m", "customer replied"]).ok();
    g.set_now("2026-12-01T06:00:00Z");
    let status = json(&g.run(&["list", "--format", "json"]))["complaints"][0]["status"].clone();
    assert_eq!(
        status["sla"]["resolve"]["elapsed_s"],
        9 * 3600,
        "only Monday counts"
    );
    assert_eq!(status["sla"]["resolve"]["state"], "running");
}

#[test]
fn check_exits_one_only_for_the_kinds_it_fails_on() {
    let mut g = tokyo();
    let late = g.open(&[
        "Late follow-up",
        "--severity",
        "critical",
        "--promise",
        "2026-11-21",
    ]);
    g.run(&["followup", &late, "--on", "2026-11-21", "call"])
        .ok();
    g.set_now("2026-11-25T06:00:00Z");
    let json_check = |g: &Gripe, fail_on: &str, code: i32| -> serde_json::Value {
        let run = g.run(&["check", "--fail-on", fail_on, "--format", "json"]);
        assert_eq!(
            run.code, code,
            "--fail-on {fail_on}: {}{}",
            run.stdout, run.stderr
        );
        serde_json::from_str(&run.stdout).unwrap()
    };
    let report = json_check(&g, "invalid,conflicts", 0);
    assert_eq!(report["schema"], "gripe.check/1");
    assert_eq!(
        report["counts"],
        serde_json::json!({"conflicts": 0, "invalid": 0, "layout": 0, "overdue": 1, "sla": 2, "promises": 1, "pii": 0, "retention": 0, "regulatory-breach": 0})
    );
    assert_eq!(report["failed"], false);
    json_check(&g, "overdue", 1);
    json_check(&g, "sla", 1);
    json_check(&g, "promises", 1);
    json_check(&g, "all", 1);
    json_check(&g, "none", 0);
    let err = g.run(&["check", "--fail-on", ""]).fails(2).to_string();
    assert!(err.contains("say --fail-on none"), "{err}");
    g.run(&["check"]).ok();
    g.write(
        "complaints/2026/11/bad0000000000000.toml",
        "id = \"bad0000000000000\"\ntitle = \n",
    );
    let report = json_check(&g, "invalid", 1);
    assert_eq!(
        report["findings"][0]["path"],
        "complaints/2026/11/bad0000000000000.toml"
    );
    assert_eq!(report["findings"][0]["line"], 2);
    json_check(&g, "overdue", 1);
    std::fs::remove_file(g.path().join("complaints/2026/11/bad0000000000000.toml")).unwrap();
    let path = g.file(&late);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "stage = \"new\"\n",
            "<<<<<<< HEAD\nstage = \"new\"\n=======\nstage = \"closed\"\n>>>>>>> theirs\n",
        ),
    )
    .unwrap();
    let report = json_check(&g, "conflicts", 1);
    assert_eq!(report["counts"]["conflicts"], 1);
    json_check(&g, "sla", 0);
    g.run(&["check", "--fail-on", "nonsense"]).fails(2);
}

#[test]
fn check_finds_inconsistent_files() {
    let g = tokyo();
    let id = g.open(&["Dup"]);
    let text = g.read(&id);
    g.write("complaints/elsewhere/copy.toml", &text);
    g.write("complaints/2026/11/aaaa000000000000.toml", "id = \"aaaa000000000000\"\ntitle = \"x\"\nopened = 2026-11-20T10:00:00+09:00\nstage = \"resolved\"\ncategory = \"bilin\"\n[[event]]\nat = 2026-11-19T10:00:00+09:00\nkind = \"note\"\n");
    std::fs::write(
        g.path().join("gripe.toml"),
        "timezone = \"Asia/Tokyo\"\n[vocabulary]\ncategories = [\"billing\"]\n",
    )
    .unwrap();
    let out = g.run(&["check"]);
    let text = out.fails(1).to_string();
    assert_eq!(text, "");
    let findings = out.stdout;
    for expected in [
        "duplicate id: complaints/elsewhere/copy.toml holds the same id",
        "the header says stage `resolved` but the events end in `new`",
        "category `bilin` is not in the vocabulary",
        "in `resolved` without resolution.action, which `resolved` requires",
        "the note event at 2026-11-19T10:00:00+09:00 comes before the complaint was opened",
        "outside the layout: expected at complaints/2026/11/",
    ] {
        assert!(findings.contains(expected), "{expected} in\n{findings}");
    }
    assert!(
        findings.ends_with(
            "FAIL: 3 complaint files, findings: 6 invalid, 1 layout (failing on: invalid, conflicts)\n"
        ),
        "{findings}"
    );
    let md = g.run(&["check", "--format", "markdown"]).stdout;
    assert!(
        md.starts_with("### gripe check\n\nFAIL: 3 complaint files"),
        "{md}"
    );
    assert!(md.contains("| KIND | ID | FILE | FINDING |"), "{md}");
}

#[test]
fn check_exits_four_when_a_file_cannot_be_read_at_all() {
    let g = tokyo();
    g.open(&["fine"]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        g.path().join("gone.toml"),
        g.path().join("complaints/dangling.toml"),
    )
    .unwrap();
    let run = g.run(&["check", "--format", "json"]);
    run.fails(4);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["unreadable"], 1);
}

#[test]
fn check_gives_short_ids_that_work_beside_files_it_cannot_read() {
    let g = Gripe::new();
    g.write(
        "complaints/2026/11/abcd000000000000.toml",
        "id = \"abcd000000000000\n",
    );
    g.write(
        "complaints/2026/11/abcd100000000000.toml",
        "id = \"abcd100000000000\"\ntitle = \"Never acknowledged\"\nopened = 2026-11-01T09:00:00Z\nstage = \"new\"\n",
    );
    let run = g.run(&["check", "--fail-on", "all"]);
    run.fails(1);
    let out = &run.stdout;
    let short = out
        .lines()
        .find(|l| l.starts_with("sla"))
        .and_then(|l| l.split_whitespace().nth(1))
        .expect(out)
        .to_string();
    assert_eq!(short, "abcd1", "{out}");
    assert!(g.run(&["show", &short]).ok().contains("Never acknowledged"));
}

#[test]
fn a_follow_up_without_text_is_refused_by_a_usage_that_says_the_text_is_needed() {
    let g = Gripe::new();
    let id = g.open(&["Parcel lost", "-m", "x"]);
    let run = g.run(&["followup", &id, "--in", "2d"]);
    let said = run.fails(2);
    assert!(said.contains("<TEXT|--message <TEXT>>"), "{said}");
    assert!(!said.contains("[TEXT]"), "{said}");
    g.run(&["followup", &id, "--in", "2d", "-m", "Ask again"])
        .ok();
}
