//! `gripe export`: the JSON contract, the CSV columns, and the round trip through
//! `gripe import`.

use serde::Deserialize;

use crate::harness::Gripe;
use crate::harness::json;

/// Complaints with every kind of content: header keys, customer, resolution, custom fields of
/// every type, follow-ups, notes, stage changes, a reopen, and imported CFPB rows.
fn varied() -> Gripe {
    let mut g = Gripe::new().now("2026-11-20T09:00:00+09:00");
    let a = g.open(&[
        "Charged twice",
        "--customer",
        "Acme Corp",
        "--contact",
        "ops@acme.example",
        "--channel",
        "phone",
        "--category",
        "billing",
        "--severity",
        "high",
        "--component",
        "checkout-v2",
        "--assignee",
        "mark",
        "--tag",
        "refund,repeat",
        "--promise",
        "3bd",
        "--ref",
        "ZD-1",
        "-m",
        "Customer called.\nTwo lines, \"quoted\".",
    ]);
    g.set_now("2026-11-20T10:00:00+09:00");
    g.run(&["advance", &a, "-m", "Apologised"]).ok();
    g.run(&[
        "set",
        &a,
        "fields.due=2026-12-01",
        "fields.code=\"2026-12-01\"",
        "fields.count=42",
        "fields.ratio=2.5",
        "fields.vip=true",
        "resolution.action=refunded",
        "resolution.avoidable=true",
    ])
    .ok();
    g.run(&[
        "followup", &a, "--in", "3bd", "Ask", "about", "the", "refund",
    ])
    .ok();
    g.run(&["advance", &a, "--to", "resolved", "--no-followup"])
        .ok();
    g.set_now("2026-11-21T10:00:00+09:00");
    g.run(&["reopen", &a, "-m", "Refund bounced"]).ok();
    let b = g.open(&["=SUM(A1) in the title", "--category", "delivery"]);
    g.run(&["note", &b, "Courier says Tuesday"]).ok();
    g.run(&["followup", &b, "--on", "2026-11-25", "Call", "back"])
        .ok();
    g.run(&["followup", "done", &b, "-m", "Delivered"]).ok();
    g.run(&[
        "import",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cfpb-sample.csv"),
        "--preset",
        "cfpb",
        "--dry-run",
    ])
    .ok();
    g.write(
        "few.csv",
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/cfpb-sample.csv"
        ))
        .unwrap()
        .lines()
        .take(40)
        .collect::<Vec<_>>()
        .join("\n"),
    );
    g.run(&["import", "few.csv", "--preset", "cfpb"]).ok();
    g.set_now("2026-11-23T09:00:00+09:00");
    g
}

/// The complaint files below complaints/, relative to it.
fn relative_files(g: &Gripe) -> Vec<String> {
    g.files()
        .iter()
        .map(|p| {
            p.strip_prefix(g.path().join("complaints"))
                .unwrap()
                .display()
                .to_string()
        })
        .collect()
}

#[test]
fn a_jsonl_export_imported_into_an_empty_folder_gives_the_same_complaints() {
    let a = varied();
    let export = a.run(&["export"]).ok().to_string();
    assert_eq!(export.lines().count(), 2 + 39, "{export}");
    let b = Gripe::new();
    b.write("all.jsonl", &export);
    let run = b.run(&["import", "all.jsonl"]);
    run.ok();
    assert!(
        run.stderr.ends_with(
            "all.jsonl: 41 imported (41 created, 0 updated, 0 unchanged), 0 repaired, 0 skipped\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(b.run(&["export"]).ok(), export);
    assert_eq!(relative_files(&b), relative_files(&a));
    assert_eq!(
        b.run(&["list", "--format", "json"]).ok(),
        a.run(&["list", "--format", "json"]).ok()
    );
    // A date and a text that looks like one stay what they were.
    let charged = export
        .lines()
        .find(|l| l.contains("Charged twice"))
        .unwrap();
    assert!(charged.contains(r#""code":"2026-12-01","count":42,"due":{"datetime":"2026-12-01"},"ratio":2.5,"vip":true"#), "{charged}");

    let again = b.run(&["import", "all.jsonl"]);
    again.ok();
    assert!(
        again.stderr.ends_with(
            ": 41 imported (0 created, 0 updated, 41 unchanged), 0 repaired, 0 skipped\n"
        ),
        "{}",
        again.stderr
    );
}

#[test]
fn a_json_export_round_trips_too_and_updates_what_changed_since() {
    let a = varied();
    let document = a.run(&["export", "--format", "json"]).ok().to_string();
    let b = Gripe::new();
    b.write("all.json", &document);
    b.run(&["import", "all.json"]).ok();
    assert_eq!(b.run(&["export"]).ok(), a.run(&["export"]).ok());

    let listed = json(&b.run(&["list", "--grep", "Charged twice", "--format", "json"]));
    let id = listed["complaints"][0]["id"].as_str().unwrap().to_string();
    b.run(&["set", &id, "severity=low", "fields.extra=x"]).ok();
    let run = b.run(&["import", "all.json"]);
    run.ok();
    assert!(
        run.stderr.ends_with(
            ": 41 imported (0 created, 1 updated, 40 unchanged), 0 repaired, 0 skipped\n"
        ),
        "{}",
        run.stderr
    );
    let text = b.read(&id);
    assert!(
        text.contains("\nseverity = \"high\"\n") && !text.contains("\nextra = "),
        "{text}"
    );
    assert!(
        text.contains(
            "key = \"fields.extra\"\nfrom = \"x\"\ntext = \"imported from all.json, row 40\"\n"
        ),
        "{text}"
    );
}

#[test]
fn records_that_collide_with_the_folder_are_refused() {
    let a = varied();
    let export = a.run(&["export"]).ok().to_string();
    let b = Gripe::new();
    // The same external_ref under a new id would be a second copy of one complaint.
    let line = export
        .lines()
        .find(|l| l.contains("\"external_ref\":\"ZD-1\""))
        .unwrap();
    let renamed = format!("{}{}", "{\"id\":\"zzzzzzzzzzzzzzzz\"", &line[24..]);
    b.write(
        "two.jsonl",
        &format!("{line}\n{renamed}\nnot json\n{{\"id\":\"UPPER\"}}\n"),
    );
    let err = b
        .run(&["import", "two.jsonl", "--strict"])
        .fails(4)
        .to_string();
    assert!(err.starts_with("gripe: error: row 3: not JSON: expected ident at line 1 column 2\ngripe: error: row 4: "), "{err}");
    assert!(b.files().is_empty());
    b.write("one.jsonl", line);
    b.run(&["import", "one.jsonl"]).ok();
    b.write("renamed.jsonl", &renamed);
    let err = b.run(&["import", "renamed.jsonl"]).fails(7).to_string();
    assert!(
        err.starts_with("gripe: error: row 1: external_ref `ZD-1` belongs to complaints/2026/11/"),
        "{err}"
    );
    let err = b
        .run(&["import", "one.jsonl", "--preset", "cfpb"])
        .fails(2)
        .to_string();
    assert!(
        err.contains("--preset and --map are for CSV files"),
        "{err}"
    );
}

#[test]
fn the_export_json_envelope_is_a_stable_contract() {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Export {
        schema: String,
        count: usize,
        complaints: Vec<serde_json::Value>,
    }
    let g = varied();
    let run = g.run(&["export", "--format", "json", "--category", "billing"]);
    let export: Export = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(export.schema, "gripe.export/1");
    assert_eq!((export.count, export.complaints.len()), (1, 1));
    let keys: Vec<&str> = export.complaints[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "title",
            "opened",
            "opened_by",
            "stage",
            "severity",
            "channel",
            "category",
            "component",
            "assignee",
            "tags",
            "promised_by",
            "external_ref",
            "customer",
            "resolution",
            "fields",
            "followup",
            "event"
        ]
    );
    assert_eq!(
        json(&g.run(&["export", "--format", "json", "--category", "nothing"]))["count"],
        0
    );
}

#[test]
fn export_csv_has_a_stable_column_order_and_spreadsheet_safe_cells() {
    let mut g = Gripe::new().now("2026-11-20T09:00:00+09:00");
    let a = g.open(&["=SUM(A1)", "--category", "billing", "--tag", "a,b"]);
    // `+1` is a number, which no spreadsheet runs as a formula.
    g.run(&["set", &a, "fields.zone=+1", "fields.region=Kansai"])
        .ok();
    g.set_now("2026-11-21T09:00:00+09:00");
    let b = g.open(&["Late, \"very\" late", "--customer", "@home"]);
    g.run(&["set", &b, "fields.area=north"]).ok();
    g.run(&["followup", &b, "--on", "2026-11-25", "Call"]).ok();
    let full = |prefix: &str| {
        g.file(prefix)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string()
    };
    let run = g.run(&["export", "--format", "csv"]);
    assert_eq!(
        run.ok(),
        format!(
            "id,title,opened,opened_by,stage,severity,channel,category,component,assignee,tags,promised_by,external_ref,regimes,customer.name,customer.contact,customer.email,resolution.fair_outcome,resolution.action,resolution.extra_mile,resolution.root_cause,resolution.avoidable,resolution.satisfied,resolution.upheld,resolution.redress,fields.area,fields.region,fields.zone,events,followups,followups_open,last_event\n\
             {},'=SUM(A1),2026-11-20T09:00:00+09:00,andrea,new,medium,,billing,,,\"a, b\",,,,,,,,,,,,,,,,Kansai,+1,3,0,0,2026-11-20T09:00:00+09:00\n\
             {},\"Late, \"\"very\"\" late\",2026-11-21T09:00:00+09:00,andrea,new,medium,,,,,,,,,'@home,,,,,,,,,,,north,,,3,1,1,2026-11-21T09:00:00+09:00\n",
            full(&a),
            full(&b)
        )
    );
}
