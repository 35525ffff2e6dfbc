//! `gripe import`: the CFPB sample against figures computed without gripe, idempotent
//! re-imports, updates, malformed files, `--map` and `--dry-run`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use chrono::NaiveDate;
use serde_json::Value;
use serde_json::json;

use crate::harness::Gripe;

/// The CFPB sample, copied into the repository so that a clean clone has it.
pub fn cfpb_sample() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cfpb-sample.csv").to_string()
}

/// The sample where the team keeps it, next to the repository, when it is there: the copy in
/// tests/data must be the same file.
const SHARED_SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/cfpb-sample.csv"
);

/// The header of the CFPB layout.
const CFPB_HEADER: &str = "Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID";

/// What tests/cfpb_figures.py computes from the CSV alone.
fn independent_figures(csv: &str) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cfpb_figures.py");
    let out = Command::new("python3")
        .args([script, csv])
        .output()
        .expect("python3 runs tests/cfpb_figures.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

/// The same figures, from what gripe exported after importing the CSV.
fn figures_from_export(jsonl: &str) -> Value {
    let mut count = 0;
    let mut by: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    let mut waits = Vec::new();
    let day = |v: &Value| NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap();
    for line in jsonl.lines() {
        let c: Value = serde_json::from_str(line).unwrap();
        count += 1;
        let text = |v: &Value| v.as_str().unwrap().to_string();
        for (name, value) in [
            ("by_category", text(&c["category"])),
            ("by_channel", text(&c["channel"])),
            ("by_company", text(&c["fields"]["company"])),
            ("by_month", c["opened"].as_str().unwrap()[..7].to_string()),
            ("by_stage", text(&c["stage"])),
        ] {
            *by.entry(name).or_default().entry(value).or_default() += 1;
        }
        let acknowledged = c["event"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "stage" && e["to"] == "acknowledged");
        if let Some(event) = acknowledged {
            waits.push((day(&event["at"]) - day(&c["opened"])).num_seconds());
        }
    }
    waits.sort_unstable();
    let mut by_seconds: BTreeMap<String, u64> = BTreeMap::new();
    for w in &waits {
        *by_seconds.entry(w.to_string()).or_default() += 1;
    }
    let mut figures = json!({
        "count": count,
        "time_to_acknowledge": {
            "count": waits.len(),
            "median_s": waits[(waits.len() - 1) / 2],
            "p90_s": waits[(waits.len() * 9).div_ceil(10) - 1],
            "by_seconds": by_seconds,
        },
    });
    for (name, counts) in by {
        figures[name] = json!(counts);
    }
    figures
}

fn imported_sample() -> Gripe {
    let g = Gripe::new();
    let run = g.run(&["import", &cfpb_sample(), "--preset", "cfpb"]);
    run.ok();
    assert!(
        run.stderr
            .ends_with("cfpb-sample.csv: 2025 imported (2025 created, 0 updated, 0 unchanged), 5 repaired, 0 skipped\n"),
        "{}",
        run.stderr
    );
    g
}

/// Every complaint file and its text.
fn snapshot(g: &Gripe) -> BTreeMap<PathBuf, String> {
    g.files()
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

#[test]
fn the_sample_in_the_repository_is_the_shared_sample() {
    if let Ok(shared) = std::fs::read(SHARED_SAMPLE) {
        assert!(std::fs::read(cfpb_sample()).unwrap() == shared);
    }
}

#[test]
fn cfpb_import_matches_figures_computed_independently_from_the_csv() {
    let g = imported_sample();
    let export = g.run(&["export", "--format", "jsonl"]);
    let ours = figures_from_export(export.ok());
    let theirs = independent_figures(&cfpb_sample());
    assert_eq!(ours, theirs);
    assert_eq!(theirs["count"], 2025);
    assert_eq!(theirs["by_channel"]["postal-mail"], 56);
    assert_eq!(theirs["by_stage"]["acknowledged"], 588);
    let listed = crate::harness::json(&g.run(&["list", "--format", "json"]));
    assert_eq!(listed["count"], 2025);
}

/// What `gripe trends --by DIM --format json` counted, as {value: count}.
fn trend_counts(g: &Gripe, by: &str) -> BTreeMap<String, u64> {
    let doc = crate::harness::json(&g.run(&["trends", "--by", by, "--format", "json"]));
    doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[by].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn as_counts(figures: &Value) -> BTreeMap<String, u64> {
    figures
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

/// Real narratives (long, multi-line, full of quotes and symbols) still take the line reader,
/// and read there exactly as serde reads them.
#[test]
fn imported_cfpb_files_take_the_line_reader() {
    let g = imported_sample();
    let mut multi_line = 0;
    for (path, text) in snapshot(&g) {
        let exact: gripe::model::complaint::Complaint = toml::from_str(&text).unwrap();
        let lines = gripe::store::reader::read_lines(&text);
        assert_eq!(lines, Some(exact), "{}", path.display());
        multi_line += usize::from(text.contains("\"\"\"\n"));
    }
    assert!(multi_line > 50, "{multi_line} files with multi-line text");
}

#[test]
fn cfpb_trends_and_report_agree_with_figures_computed_from_the_csv() {
    let g = imported_sample();
    let theirs = independent_figures(&cfpb_sample());
    assert_eq!(
        trend_counts(&g, "category"),
        as_counts(&theirs["by_category"])
    );
    assert_eq!(
        trend_counts(&g, "channel"),
        as_counts(&theirs["by_channel"])
    );
    assert_eq!(
        trend_counts(&g, "fields.company"),
        as_counts(&theirs["by_company"])
    );
    // Per month: the months in the file, each with its count (months without any are zero).
    let doc = crate::harness::json(&g.run(&[
        "trends",
        "--by",
        "stage",
        "--every",
        "month",
        "--until",
        "2023-09-30",
        "--format",
        "json",
    ]));
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    for row in doc["rows"].as_array().unwrap() {
        *months
            .entry(row["period"].as_str().unwrap().to_string())
            .or_default() += row["count"].as_u64().unwrap();
    }
    months.retain(|_, n| *n > 0);
    assert_eq!(months, as_counts(&theirs["by_month"]));
    // Dates only: every complaint is opened at an unknown hour.
    assert_eq!(
        trend_counts(&g, "hour"),
        BTreeMap::from([("(none)".to_string(), 2025)])
    );
    let report = crate::harness::json(&g.run(&["report", "--format", "json"]));
    assert_eq!(report["complaints"], 2025);
    let ack = &report["metrics"]["time_to_acknowledge"];
    let expected = &theirs["time_to_acknowledge"];
    assert_eq!(ack["count"], expected["count"]);
    assert_eq!(ack["median_s"], expected["median_s"]);
    assert_eq!(ack["p90_s"], expected["p90_s"]);
    assert_eq!(ack["missing"], 0);
}

#[test]
fn cfpb_import_gives_no_invalid_findings_and_keeps_the_odd_dates_visible() {
    let g = imported_sample();
    let run = g.run(&["check", "--format", "json"]);
    run.ok();
    let report = crate::harness::json(&run);
    let invalid: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] != "sla")
        .collect();
    assert!(invalid.is_empty(), "{invalid:?}");
    // The five rows the CFPB dates as sent the day before they were received.
    let export = g.run(&["export", "--grep", "before the complaint was opened"]);
    let records: Vec<Value> = export
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut refs: Vec<&str> = records
        .iter()
        .map(|r| r["external_ref"].as_str().unwrap())
        .collect();
    refs.sort_unstable();
    assert_eq!(
        refs,
        [
            "cfpb:465921",
            "cfpb:482494",
            "cfpb:511503",
            "cfpb:511520",
            "cfpb:512558"
        ]
    );
    let record = records
        .iter()
        .find(|r| r["external_ref"] == "cfpb:482494")
        .unwrap();
    // Sent to the company, and answered, at the opening too (the regulatory clocks count
    // from the referral).
    assert_eq!(record["event"][1]["kind"], "referred");
    assert_eq!(record["event"][1]["at"], "2013-08-07");
    assert_eq!(record["event"][2]["kind"], "response");
    assert_eq!(record["event"][2]["at"], "2013-08-07");
    let ack = &record["event"][3];
    assert_eq!(ack["at"], "2013-08-07");
    assert_eq!(
        ack["text"],
        "Date sent to company is 2013-08-06, before the complaint was opened (2013-08-07); recorded at 2013-08-07"
    );
}

#[test]
fn a_cfpb_row_becomes_this_file() {
    let g = Gripe::new();
    let csv = format!(
        "{CFPB_HEADER}\n2019-04-05,\"Credit card or prepaid card\",General-purpose credit card or charge card,Fees or interest,\"Charged too much interest\",\"They charged me \"\"interest\"\".\n\nTwice.\",,\"CITIBANK, N.A.\",NY,01234,\"Older American, Servicemember\",Consent provided,Postal mail,2019-04-08,Closed with monetary relief,Yes,N/A,3201234\n"
    );
    g.write("in.csv", &csv);
    g.run(&["import", "in.csv", "--preset", "cfpb"]).ok();
    let files = g.files();
    assert_eq!(files.len(), 1);
    let path = files[0]
        .strip_prefix(g.path())
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(path.starts_with("complaints/2019/04/"), "{path}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let id = &text[6..22];
    assert_eq!(
        text,
        format!(
            r#"id = "{id}"
title = "Fees or interest"
opened = 2019-04-05
opened_by = "import"

stage = "closed"

channel = "postal-mail"

category = "credit-card-or-prepaid-card"

external_ref = "cfpb:3201234"

[resolution]
action = "Closed with monetary relief"

[fields]
company = "CITIBANK, N.A."
consent = "Consent provided"
disputed = "N/A"
state = "NY"
sub_issue = "Charged too much interest"
sub_product = "General-purpose credit card or charge card"
tags = "Older American, Servicemember"
timely = "Yes"
zip = "01234"

[[event]]
at = 2019-04-05
by = "import"
kind = "opened"
text = """
They charged me "interest".

Twice."""

[[event]]
at = 2019-04-08
by = "import"
kind = "referred"

[[event]]
at = 2019-04-08
by = "import"
kind = "response"
letter = "final"
timely = true
text = "Closed with monetary relief"

[[event]]
at = 2019-04-08
by = "import"
kind = "stage"
from = "new"
to = "acknowledged"

[[event]]
at = 2019-04-08
by = "import"
kind = "stage"
from = "acknowledged"
to = "closed"
forced = true
"#
        )
    );
}

#[test]
fn reimporting_the_same_file_creates_nothing_and_writes_nothing() {
    let g = imported_sample();
    let before = snapshot(&g);
    let run = g.run(&["import", &cfpb_sample(), "--preset", "cfpb"]);
    run.ok();
    assert!(
        run.stderr
            .ends_with("cfpb-sample.csv: 2025 imported (0 created, 0 updated, 2025 unchanged), 5 repaired, 0 skipped\n"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
    assert!(snapshot(&g) == before, "no file changed");
}

#[test]
fn a_changed_row_updates_its_complaint_with_set_events_and_moves_it_forward() {
    let mut g = Gripe::new();
    let row = |response: &str, company: &str, state: &str| {
        format!(
            "{CFPB_HEADER}\n2023-09-01,Debt collection,I do not know,Attempts to collect debt not owed,Debt is not yours,,,{company},{state},,,,Web,2023-09-02,{response},Yes,,7654321\n"
        )
    };
    g.write("a.csv", &row("In progress", "\"ACME, INC.\"", "TX"));
    g.run(&["import", "a.csv", "--preset", "cfpb"]).ok();
    let first = snapshot(&g);
    let text = first.values().next().unwrap();
    assert!(text.contains("stage = \"acknowledged\""), "{text}");
    assert!(text.contains("action = \"In progress\""), "{text}");

    g.set_now("2026-11-24T10:00:00+09:00");
    g.write(
        "a.csv",
        &row("Closed with explanation", "\"ACME, INC.\"", ""),
    );
    let run = g.run(&["import", "a.csv", "--preset", "cfpb", "--dry-run"]);
    let path = first
        .keys()
        .next()
        .unwrap()
        .strip_prefix(g.path())
        .unwrap()
        .display()
        .to_string();
    assert_eq!(
        run.ok(),
        format!(
            "update  cfpb:7654321  {path}  set fields.state, resolution.action; stage closed\n"
        )
    );
    assert!(snapshot(&g) == first, "a dry run writes nothing");

    let run = g.run(&["import", "a.csv", "--preset", "cfpb", "--by", "mark"]);
    run.ok();
    assert!(
        run.stderr
            .ends_with(": 1 imported (0 created, 1 updated, 0 unchanged), 0 repaired, 0 skipped\n"),
        "{}",
        run.stderr
    );
    let text = snapshot(&g).into_values().next().unwrap();
    assert!(text.contains("\nstage = \"closed\"\n"), "{text}");
    assert!(!text.contains("state = \"TX\""), "{text}");
    assert!(
        text.ends_with(
            r#"
[[event]]
at = 2023-09-02
by = "import"
kind = "stage"
from = "acknowledged"
to = "closed"
forced = true

[[event]]
at = 2026-11-24T10:00:00+09:00
by = "mark"
kind = "set"
key = "fields.state"
from = "TX"
text = "imported from a.csv, row 2"

[[event]]
at = 2026-11-24T10:00:00+09:00
by = "mark"
kind = "set"
key = "resolution.action"
from = "In progress"
to = "Closed with explanation"
text = "imported from a.csv, row 2"
"#
        ),
        "the history stays in time order: {text}"
    );
    let run = g.run(&["import", "a.csv", "--preset", "cfpb"]);
    assert!(
        run.stderr
            .ends_with(": 1 imported (0 created, 0 updated, 1 unchanged), 0 repaired, 0 skipped\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_csv_gives_row_numbered_errors_and_strict_writes_nothing() {
    let g = Gripe::new();
    let good = |id: u32| {
        format!(
            "2019-04-05,Mortgage,,Trouble paying,,,,Bank,CA,,,,Web,2019-04-05,Closed,Yes,N/A,{id}"
        )
    };
    let csv = [
        CFPB_HEADER.to_string(),
        good(1),
        // Row 3: a quote inside an unquoted cell that is never doubled.
        "2019-04-05,Mortgage,,Trouble \"paying,,,,Bank,CA,,,,Web,2019-04-05,Closed,Yes,N/A,2".into(),
        // Row 4: a cell short.
        "2019-04-05,Mortgage,,Trouble paying,,,,Bank,CA,,,Web,2019-04-05,Closed,Yes,N/A,3".into(),
        // Row 5: no such day.
        "13/45/2019,Mortgage,,Trouble paying,,,,Bank,CA,,,,Web,2019-04-05,Closed,Yes,N/A,4".into(),
        good(5),
        // Row 7: the same complaint again.
        good(5),
        // Row 8: a narrative over two lines, then a date in the US form.
        "04/06/2019,Mortgage,,Trouble paying,,\"Two\nlines\",,Bank,CA,,,,Web,04/07/2019,In progress,Yes,N/A,6".into(),
        // Row 9, on line 10: no title.
        "2019-04-05,Mortgage,,,,,,Bank,CA,,,,Web,2019-04-05,Closed,Yes,N/A,7".into(),
    ]
    .join("\n")
        + "\n";
    g.write("bad.csv", &csv);
    let run = g.run(&["import", "bad.csv", "--preset", "cfpb", "--strict"]);
    let err = run.fails(4);
    let expected_rows = [
        "gripe: error: row 3: unbalanced quotes: a quoted cell is not closed, or a quote inside a cell is not doubled",
        "gripe: error: row 4: 17 cells, but the header has 18 columns",
        "gripe: error: row 5: bad date \"13/45/2019\" in Date received",
        "gripe: error: row 7: external_ref `cfpb:5` is on row 6 already",
        "gripe: error: row 9 (line 10): Issue is empty",
    ];
    assert_eq!(
        err,
        format!(
            "{}\ngripe: error: 5 row(s) could not be imported; nothing was written\nhint: fix the rows named above and import again; without --strict the good rows are imported and the bad ones listed\n",
            expected_rows.join("\n")
        )
    );
    assert!(g.files().is_empty(), "{:?}", g.files());

    assert!(!g.path().join("rejects.csv").exists());

    // Without --strict the title is repaired (from Product, Sub-issue being blank too), the
    // rest is skipped into the rejects file, and the exit status says rows were skipped.
    let run = g.run(&[
        "import",
        "bad.csv",
        "--preset",
        "cfpb",
        "--rejects",
        "rejects.csv",
    ]);
    let err = run.fails(7);
    assert!(err.starts_with(&expected_rows[..4].join("\n")), "{err}");
    assert!(
        err.contains("gripe: note: row 9 (line 10): title was blank; used Product\n"),
        "{err}"
    );
    assert!(
        err.contains("bad.csv: 4 imported (4 created, 0 updated, 0 unchanged), 1 repaired, 4 skipped (see rejects.csv)\ngripe: error: 4 row(s) could not be imported; the other rows were imported\n"),
        "{err}"
    );
    let refs = |g: &Gripe| {
        let export = g.run(&["export", "--format", "csv"]);
        let mut refs: Vec<String> = export
            .ok()
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(12).unwrap().to_string())
            .collect();
        refs.sort_unstable();
        refs
    };
    assert_eq!(refs(&g), ["cfpb:1", "cfpb:5", "cfpb:6", "cfpb:7"]);
    let opened = g
        .files()
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .find(|text| text.contains("external_ref = \"cfpb:7\""))
        .unwrap();
    assert!(opened.contains("title = \"Mortgage\""), "{opened}");
    assert!(
        opened.contains("text = \"imported: title was blank; used Product\""),
        "{opened}"
    );

    // The rejects file: the header and each skipped row as they were, and why.
    let rejects = std::fs::read_to_string(g.path().join("rejects.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rejects,
        format!(
            "{},reason\n{},\"unbalanced quotes: a quoted cell is not closed, or a quote inside a cell is not doubled\"\n{},\"17 cells, but the header has 18 columns\"\n{},\"bad date \"\"13/45/2019\"\" in Date received\"\n{},external_ref `cfpb:5` is on row 6 already\n",
            lines[0], lines[2], lines[3], lines[4], lines[6]
        )
    );

    // Fixed there, the rows import; the row that was a duplicate is one still, and a second
    // import of the fixed file changes nothing.
    let fixed = rejects
        .replace("Trouble \"paying", "Trouble paying")
        .replace("Bank,CA,,,Web", "Bank,CA,,,,Web")
        .replace("13/45/2019", "2019-04-05")
        .replace(",\"unbalanced quotes: a quoted cell is not closed, or a quote inside a cell is not doubled\"", ",")
        .replace(",\"17 cells, but the header has 18 columns\"", ",")
        .replace(",\"bad date \"\"13/45/2019\"\" in Date received\"", ",");
    g.write("fixed.csv", &fixed);
    let run = g.run(&["import", "fixed.csv", "--preset", "cfpb"]);
    assert!(
        run.stderr
            .ends_with(": 4 imported (3 created, 0 updated, 1 unchanged), 0 repaired, 0 skipped\n"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        refs(&g),
        [
            "cfpb:1", "cfpb:2", "cfpb:3", "cfpb:4", "cfpb:5", "cfpb:6", "cfpb:7"
        ]
    );
    let again = g.run(&["import", "fixed.csv", "--preset", "cfpb"]);
    assert!(
        again
            .stderr
            .ends_with(": 4 imported (0 created, 0 updated, 4 unchanged), 0 repaired, 0 skipped\n"),
        "{}",
        again.stderr
    );
    assert_eq!(refs(&g).len(), 7);
}

#[test]
fn map_imports_any_csv_with_us_dates_slugs_and_fields_as_given() {
    let g = Gripe::new();
    g.write(
        "tickets.csv",
        "Ticket,Subject,Created,Source,Kind,Zip,Region,Priority,Who,Closed at\n\
         T-1,  Parcel lost  ,11/20/2026 14:05,Social Media!,Delivery / Courier,01234,N/A,high,Ann,11/21/2026\n\
         T-2,Wrong size,2026-11-21,e-mail,,,,,,\n",
    );
    let run = g.run(&[
        "import",
        "tickets.csv",
        "--map",
        "external_ref=Ticket,title=Subject,opened=Created,channel=Source",
        "--map",
        "category=Kind,fields.zip=Zip,fields.region=Region,severity=Priority,customer.name=Who,closed=Closed at",
    ]);
    run.ok();
    let export = g.run(&["export"]);
    let records: Vec<Value> = export
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let first = &records[0];
    assert_eq!(first["external_ref"], "T-1");
    assert_eq!(first["title"], "Parcel lost");
    assert_eq!(first["opened"], "2026-11-20T14:05:00+09:00");
    assert_eq!(first["channel"], "social-media");
    assert_eq!(first["category"], "delivery-courier");
    assert_eq!(first["severity"], "high");
    assert_eq!(first["customer"]["name"], "Ann");
    assert_eq!(first["fields"], json!({"region": "N/A", "zip": "01234"}));
    assert_eq!(first["stage"], "closed");
    assert_eq!(first["event"][1]["from"], "new");
    assert_eq!(first["event"][1]["at"], "2026-11-21");
    let second = &records[1];
    assert_eq!(second["channel"], "e-mail");
    assert_eq!(second["stage"], "new");
    assert!(second.get("fields").is_none() && second.get("severity").is_none());

    for (map, message) in [
        (
            "title=Subject",
            "the mapping gives no column for external_ref",
        ),
        (
            "external_ref=Ticket,title=Nope",
            "the file has no column `Nope`",
        ),
        (
            "external_ref=Ticket,title=Subject,stage=Kind",
            "`stage` is not something an import can fill in",
        ),
        (
            "external_ref=Ticket,title=Subject,title=Kind",
            "title is mapped twice",
        ),
        ("external_ref", "--map `external_ref` is not FIELD=COLUMN"),
    ] {
        let err = g
            .run(&["import", "tickets.csv", "--map", map])
            .fails(2)
            .to_string();
        assert!(
            err.starts_with(&format!("gripe: error: {message}")),
            "{map}: {err}"
        );
    }
    let err = g.run(&["import", "tickets.csv"]).fails(2).to_string();
    assert!(
        err.contains("a CSV import needs --preset or --map"),
        "{err}"
    );
    let err = g
        .run(&["import", "tickets.txt", "--preset", "cfpb"])
        .fails(2)
        .to_string();
    assert!(
        err.contains("cannot tell the format of tickets.txt"),
        "{err}"
    );
}

#[test]
fn the_vocabulary_of_gripe_toml_refuses_rows_outside_it() {
    let g = Gripe::new();
    g.write(
        "gripe.toml",
        "[vocabulary]\nchannels = [\"web\", \"phone\"]\n",
    );
    g.write("t.csv", "id,title,channel\n1,A,Web\n2,B,Postal mail\n");
    let run = g.run(&[
        "import",
        "t.csv",
        "--map",
        "external_ref=id,title=title,channel=channel",
    ]);
    let err = run.fails(7);
    assert!(
        err.starts_with("gripe: error: row 3: `postal-mail` is not an allowed channel (gripe.toml [vocabulary])\n"),
        "{err}"
    );
    assert_eq!(g.files().len(), 1);
}

#[test]
fn a_dry_run_lists_what_it_would_create_and_writes_nothing() {
    let g = Gripe::new();
    g.write(
        "t.csv",
        "id,title,opened\n1,Charged twice,2026-11-20\n2,\"=HYPERLINK(\"\"x\"\")\",2026-11-21\n",
    );
    let run = g.run(&[
        "import",
        "t.csv",
        "--map",
        "external_ref=id,title=title,opened=opened",
        "--dry-run",
    ]);
    assert_eq!(
        run.ok(),
        "create  1  2026-11-20  new  Charged twice\ncreate  2  2026-11-21  new  =HYPERLINK(\"x\")\n"
    );
    assert_eq!(
        run.stderr,
        "dry run, nothing written: 2 to create, 0 to update, 0 unchanged\n"
    );
    assert!(g.files().is_empty());
}

#[test]
fn an_unreadable_complaint_file_stops_an_import_before_it_writes() {
    let g = Gripe::new();
    g.write("complaints/2026/11/broken.toml", "id = \"x\"\ntitle = \n");
    g.write("t.csv", "id,title\n1,Charged twice\n");
    let err = g
        .run(&["import", "t.csv", "--map", "external_ref=id,title=title"])
        .fails(4)
        .to_string();
    assert!(
        err.contains("gripe: nothing was imported: a file gripe cannot read may hold a complaint the import would duplicate\n"),
        "{err}"
    );
    assert_eq!(g.files().len(), 1);
}

/// Nine real rows of NYC 311 Service Requests (tests/data/README.md): local New York times on
/// a 12-hour clock, midnight written `12:00:00 AM`, quoted cells with commas and quotes.
#[test]
fn an_open_data_export_with_a_12_hour_clock_imports_in_the_team_zone() {
    let g = Gripe::new();
    g.write(
        "gripe.toml",
        "dir = \"complaints\"\ntimezone = \"America/New_York\"\n",
    );
    let csv = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/nyc311-sample.csv");
    let run = g.run(&[
        "import",
        csv,
        "--map",
        "external_ref=Unique Key,title=Descriptor|Complaint Type,opened=Created Date,closed=Closed Date,category=Complaint Type,channel=Open Data Channel Type,fields.agency=Agency,fields.borough=Borough",
    ]);
    run.ok();
    assert!(
        run.stderr.ends_with(
            "nyc311-sample.csv: 9 imported (9 created, 0 updated, 0 unchanged), 0 repaired, 0 skipped\n"
        ),
        "{}",
        run.stderr
    );
    // Computed with Python's zoneinfo from the CSV alone (tests/data/README.md).
    let expected: BTreeMap<String, u64> = [
        ("00", 1),
        ("09", 2),
        ("10", 1),
        ("15", 2),
        ("18", 1),
        ("19", 1),
        ("21", 1),
    ]
    .into_iter()
    .map(|(h, n)| (h.to_string(), n))
    .collect();
    assert_eq!(trend_counts(&g, "hour"), expected);
    let export = crate::harness::json(&g.run(&["export", "--format", "json"]));
    let by_ref = |r: &str| {
        export["complaints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["external_ref"] == r)
            .unwrap()
            .clone()
    };
    let first = by_ref("42254749");
    assert_eq!(first["opened"], "2019-04-18T21:55:45-04:00");
    assert_eq!(first["title"], "Banging/Pounding");
    assert_eq!(first["stage"], "closed");
    let closed = first["event"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(closed["at"], "2019-04-19T03:45:24-04:00");
    // December is standard time, midnight is 00:00.
    assert_eq!(by_ref("34961688")["opened"], "2016-12-08T15:45:20-05:00");
    assert_eq!(by_ref("18556060")["opened"], "2010-08-25T00:00:00-04:00");
    assert_eq!(by_ref("16296482")["fields"]["agency"], "DOB");
    // Old data, today's clock: the report and trends say where the data ends.
    let report = g.run(&["report"]);
    assert!(
        report
            .stderr
            .ends_with("hint: newest complaint 2020-05-21: try --as-of 2020-05-21\n"),
        "{}",
        report.stderr
    );
    let trends = g.run(&["trends", "--by", "category", "--since", "90d"]);
    assert!(
        trends.stderr.ends_with(
            "hint: newest complaint 2020-05-21: try --since 2020-02-21 --until 2020-05-21\n"
        ),
        "{}",
        trends.stderr
    );
    let then = g.run(&["report", "--as-of", "2020-05-21"]);
    assert!(!then.stderr.contains("hint"), "{}", then.stderr);
    // Imported again: nothing changes.
    let again = g.run(&[
        "import",
        csv,
        "--map",
        "external_ref=Unique Key,title=Descriptor|Complaint Type,opened=Created Date,closed=Closed Date,category=Complaint Type,channel=Open Data Channel Type,fields.agency=Agency,fields.borough=Borough",
    ]);
    assert!(
        again
            .stderr
            .ends_with("(0 created, 0 updated, 9 unchanged), 0 repaired, 0 skipped\n"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_column_that_reads_month_first_and_day_first_stops_the_import_until_told() {
    let g = Gripe::new();
    g.write(
        "t.csv",
        "id,title,opened\n1,A,05/01/2022 12:00:03 AM\n2,B,06/02/2022 01:00:00 PM\n3,C,2022-06-03\n",
    );
    let map = "external_ref=id,title=title,opened=opened";
    let err = g
        .run(&["import", "t.csv", "--map", map])
        .fails(2)
        .to_string();
    assert_eq!(
        err,
        "gripe: error: the dates in opened can be read month first or day first: \"05/01/2022 12:00:03 AM\", \"06/02/2022 01:00:00 PM\"\n\
         hint: say which, and nothing is imported until you do: --date-format \"%m/%d/%Y %I:%M:%S %p\" or --date-format \"%d/%m/%Y %I:%M:%S %p\"\n"
    );
    assert!(g.files().is_empty());
    g.run(&[
        "import",
        "t.csv",
        "--map",
        map,
        "--date-format",
        "%d/%m/%Y %I:%M:%S %p",
        "--timezone",
        "Europe/London",
    ])
    .ok();
    let export = g.run(&["export", "--format", "csv"]);
    let mut opened: Vec<String> = export
        .ok()
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .collect();
    opened.sort();
    assert_eq!(
        opened,
        ["2022-01-05T00:00:03Z", "2022-02-06T13:00:00Z", "2022-06-03"]
    );
}

#[test]
fn blank_titles_and_stage_dates_before_the_opening_are_repaired_and_said() {
    let g = Gripe::new();
    g.write(
        "gripe.toml",
        "dir = \"complaints\"\ntimezone = \"America/New_York\"\n",
    );
    g.write(
        "t.csv",
        "id,subject,kind,opened,closed\n\
         1,,Billing,2022-03-13 02:30,2022-03-12\n\
         2,,,2022-11-06 01:30,\n\
         3,Fine,Billing,2022-11-07 09:00,2022-11-08\n",
    );
    let map = "external_ref=id,title=subject|kind,opened=opened,closed=closed";
    let strict = g.run(&["import", "t.csv", "--map", map, "--strict"]);
    let err = strict.fails(4);
    assert!(
        err.starts_with(
            "gripe: error: row 2: subject is empty\ngripe: error: row 3: subject is empty\n"
        ),
        "{err}"
    );
    assert!(g.files().is_empty());

    let run = g.run(&["import", "t.csv", "--map", map]);
    run.ok();
    let notes = [
        "gripe: note: row 2: title was blank; used kind",
        "gripe: note: row 2: opened 2022-03-13 02:30 is a time the clocks skipped in America/New_York; read as 2022-03-13T03:30:00-04:00",
        "gripe: note: row 2: closed is 2022-03-12, before the complaint was opened (2022-03-13T03:30:00-04:00); recorded at 2022-03-13T03:30:00-04:00",
        "gripe: note: row 3: title was blank; it is \"(no title)\"",
        "gripe: note: row 3: opened 2022-11-06 01:30 happened twice in America/New_York (the clocks went back); read as the first, 2022-11-06T01:30:00-04:00",
    ];
    assert!(run.stderr.starts_with(&notes.join("\n")), "{}", run.stderr);
    assert!(
        run.stderr.ends_with(
            "t.csv: 3 imported (3 created, 0 updated, 0 unchanged), 2 repaired, 0 skipped\n"
        ),
        "{}",
        run.stderr
    );
    // The report never sees a negative time to close.
    let report =
        crate::harness::json(&g.run(&["report", "--as-of", "2022-11-30", "--format", "json"]));
    let text = report.to_string();
    assert!(!text.contains(":-"), "a negative duration: {text}");
    let one = g
        .files()
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .find(|t| t.contains("external_ref = \"1\""))
        .unwrap();
    assert!(one.contains("title = \"Billing\""), "{one}");
    assert!(
        one.contains("text = \"\"\"\nimported: title was blank; used kind\nimported: opened 2022-03-13 02:30 is a time the clocks skipped"),
        "{one}"
    );
}
