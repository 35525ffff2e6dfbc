//! `gripe report` and `gripe trends`: every metric on hand-made data whose answers are worked
//! out here, `--as-of` against a snapshot of the past, the JSON contract, and the clusters the
//! repository's sample data holds.

use serde::Deserialize;

use crate::harness::Gripe;
use crate::harness::json;

/// Friday 2026-11-27 12:00 UTC; business hours Mon-Fri 09:00-18:00 (the defaults).
const NOW: &str = "2026-11-27T12:00:00Z";

/// Four complaints with known timings (all UTC):
/// - c1 medium, opened Mon 23 10:00, acknowledged 10:30, one note, resolved 15:00, closed;
///   satisfied; follow-up due 25th done on the 25th; promised by the 24th. Customer c-1.
/// - c2 high, opened Mon 23 09:00, acknowledged 14:00 (5h against 4h), resolved Wed 25 09:00,
///   reopened Thu 26 10:00, resolved again 16:00; not satisfied; follow-up due 26th done on
///   the 27th (late); promised by the 24th, moved on Tue to the 26th. Customer c-1 again.
/// - c3 low, opened Tue 24 11:00, never acknowledged; follow-up due 26th not done. Customer c-2.
/// - c4 medium, opened Wed 25 16:00, acknowledged 16:10, investigating; promised by Dec 1st.
pub fn four() -> Gripe {
    let g = Gripe::new().now(NOW);
    g.write(
        "complaints/2026/11/c1aa000000000000.toml",
        r#"id = "c1aa000000000000"
title = "Charged twice"
opened = 2026-11-23T10:00:00Z
stage = "closed"
severity = "medium"
category = "billing"
channel = "phone"
component = "checkout"
assignee = "mark"
promised_by = 2026-11-24
[customer]
contact = "c-1"
[resolution]
action = "refunded"
satisfied = true
[[followup]]
id = "f1aaaa"
due = 2026-11-25
done = 2026-11-25T10:00:00Z
[[event]]
at = 2026-11-23T10:00:00Z
kind = "opened"
[[event]]
at = 2026-11-23T10:30:00Z
kind = "stage"
from = "new"
to = "acknowledged"
[[event]]
at = 2026-11-23T11:00:00Z
kind = "note"
text = "Called the bank"
[[event]]
at = 2026-11-23T15:00:00Z
kind = "stage"
from = "acknowledged"
to = "resolved"
[[event]]
at = 2026-11-23T15:01:00Z
kind = "followup"
followup = "f1aaaa"
[[event]]
at = 2026-11-25T10:00:00Z
kind = "followup-done"
followup = "f1aaaa"
[[event]]
at = 2026-11-25T10:05:00Z
kind = "stage"
from = "resolved"
to = "closed"
"#,
    );
    g.write(
        "complaints/2026/11/c2aa000000000000.toml",
        r#"id = "c2aa000000000000"
title = "Parcel lost"
opened = 2026-11-23T09:00:00Z
stage = "resolved"
severity = "high"
category = "delivery"
channel = "email"
component = "courier"
assignee = "priya"
promised_by = 2026-11-26
[customer]
contact = "c-1"
[resolution]
action = "resent"
satisfied = false
[[followup]]
id = "f2aaaa"
due = 2026-11-26
done = 2026-11-27T09:00:00Z
[[event]]
at = 2026-11-23T09:00:00Z
kind = "opened"
[[event]]
at = 2026-11-23T14:00:00Z
kind = "stage"
from = "new"
to = "acknowledged"
[[event]]
at = 2026-11-24T10:00:00Z
kind = "set"
key = "promised_by"
from = 2026-11-24
to = 2026-11-26
[[event]]
at = 2026-11-25T09:00:00Z
kind = "stage"
from = "acknowledged"
to = "resolved"
[[event]]
at = 2026-11-25T09:01:00Z
kind = "followup"
followup = "f2aaaa"
[[event]]
at = 2026-11-26T10:00:00Z
kind = "reopened"
from = "resolved"
to = "investigating"
[[event]]
at = 2026-11-26T16:00:00Z
kind = "stage"
from = "investigating"
to = "resolved"
[[event]]
at = 2026-11-27T09:00:00Z
kind = "followup-done"
followup = "f2aaaa"
"#,
    );
    g.write(
        "complaints/2026/11/c3aa000000000000.toml",
        r#"id = "c3aa000000000000"
title = "Rude driver"
opened = 2026-11-24T11:00:00Z
stage = "new"
severity = "low"
category = "delivery"
channel = "letter"
component = "courier"
[customer]
contact = "c-2"
[[followup]]
id = "f3aaaa"
due = 2026-11-26
[[event]]
at = 2026-11-24T11:00:00Z
kind = "opened"
"#,
    );
    g.write(
        "complaints/2026/11/c4aa000000000000.toml",
        r#"id = "c4aa000000000000"
title = "Kettle leaks"
opened = 2026-11-25T16:00:00Z
stage = "investigating"
severity = "medium"
category = "quality"
channel = "chat"
assignee = "mark"
promised_by = 2026-12-01
[customer]
contact = "c-3"
[[event]]
at = 2026-11-25T16:00:00Z
kind = "opened"
[[event]]
at = 2026-11-25T16:10:00Z
kind = "stage"
from = "new"
to = "acknowledged"
[[event]]
at = 2026-11-25T16:20:00Z
kind = "stage"
from = "acknowledged"
to = "investigating"
"#,
    );
    g
}

#[test]
fn every_metric_matches_the_answer_worked_out_by_hand() {
    let g = four();
    let r = json(&g.run(&["report", "--format", "json"]));
    assert_eq!(r["schema"], "gripe.report/2");
    assert_eq!(r["as_of"], "2026-11-27T12:00:00Z");
    assert_eq!(r["complaints"], 4);
    assert_eq!(
        r["open"],
        serde_json::json!({
            "total": 3,
            "by_stage": {"investigating": 1, "new": 1, "resolved": 1},
            "by_severity": {"high": 1, "low": 1, "medium": 1},
            "by_age": {"<1d": 0, "1-3d": 1, "3-7d": 2, "7-30d": 0, ">30d": 0},
        })
    );
    let m = &r["metrics"];
    // Acknowledged after 30m, 5h and 10m; c3 never.
    assert_eq!(
        m["time_to_acknowledge"],
        serde_json::json!({"count": 3, "median_s": 1800, "p90_s": 18000, "missing": 1})
    );
    // Resolved after 5h and (first) 48h.
    assert_eq!(
        m["time_to_resolve"],
        serde_json::json!({"count": 2, "median_s": 18000, "p90_s": 172800, "missing": 2})
    );
    // Acknowledge: c1, c4 met; c2 late (5h > 4h); c3 open past 2bd. Resolve: c1 (5h of 5bd)
    // and c2 (18 business hours of 3bd) met; c3 and c4 still within their time.
    assert_eq!(
        m["sla_attainment"],
        serde_json::json!({"acknowledge": 0.5, "resolve": 1.0})
    );
    // c1 resolved the day it opened after one note; c2 neither.
    assert_eq!(m["first_contact_resolution"], 0.5);
    // Of c1 and c2 (ever resolved), c2 was reopened.
    assert_eq!(m["reopen_rate"], 0.5);
    // Due by now: c1's done on time, c2's done late, c3's not done.
    assert_eq!(m["followup_on_time_rate"], 1.0 / 3.0);
    // c1 kept its promise; c2 broke its first one (24th, resolved on the 25th); c4's is not due.
    assert_eq!(m["promise_kept_rate"], 0.5);
    assert_eq!(m["satisfaction_rate"], 0.5);
    // c-1 complained twice; c-2 and c-3 once.
    assert_eq!(m["repeat_complainant_rate"], 1.0 / 3.0);
    let actions: Vec<(String, String)> = r["needs_action"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap().into(),
                a["short_id"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("overdue-followup".to_string(), "c3aa".to_string()),
            ("sla-acknowledge".to_string(), "c3aa".to_string()),
            ("not-acknowledged".to_string(), "c3aa".to_string()),
        ]
    );
    assert_eq!(r["needs_action"]["items"][0]["late_s"], 12 * 3600 + 1);
    assert_eq!(r["needs_action"]["total"], 3);
    assert_eq!(r["needs_action"]["complaints"], 1);
    assert_eq!(
        r["needs_action"]["by_kind"],
        serde_json::json!({"overdue-followup": 1, "sla-acknowledge": 1, "not-acknowledged": 1})
    );
    assert_eq!(r["needs_action"]["all"], "gripe list --needs-action");
    // --top keeps the most urgent; the totals stay whole.
    let one = json(&g.run(&["report", "--format", "json", "--top", "1"]));
    assert_eq!(one["needs_action"]["items"].as_array().unwrap().len(), 1);
    assert_eq!(one["needs_action"]["items"][0]["kind"], "overdue-followup");
    assert_eq!(one["needs_action"]["total"], 3);
    for format in ["table", "markdown"] {
        let page = g.run(&["report", "--top", "1", "--format", format]);
        assert!(
            page.ok()
                .contains("… and 2 more, the most urgent first: gripe list --needs-action"),
            "{}",
            page.stdout
        );
    }
    let list = g.run(&["list", "--needs-action", "--format", "csv"]);
    let ids: Vec<&str> = list
        .ok()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["c3aa000000000000"]);
}

#[test]
fn volume_and_top_groups_count_by_week_and_period() {
    let g = four();
    let r = json(&g.run(&["report", "--format", "json"]));
    let weeks = r["volume"]["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 12);
    assert_eq!(weeks.last().unwrap(), "2026-W48");
    assert_eq!(r["volume"]["opened"].as_array().unwrap().last().unwrap(), 4);
    assert_eq!(r["volume"]["closed"].as_array().unwrap().last().unwrap(), 1);
    assert_eq!(
        r["top"]["category"][0],
        serde_json::json!({"value": "delivery", "count": 2, "previous": 0, "change": null})
    );
}

#[test]
fn filters_narrow_the_report() {
    let g = four();
    let r = json(&g.run(&["report", "--format", "json", "--category", "delivery"]));
    assert_eq!(r["complaints"], 2);
    assert_eq!(r["metrics"]["time_to_acknowledge"]["count"], 1);
}

/// The contract: these keys and no others.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ReportJson {
    schema: String,
    as_of: String,
    complaints: u64,
    unreadable_files: u64,
    open: serde_json::Value,
    needs_action: NeedsActionJson,
    volume: serde_json::Value,
    top: serde_json::Value,
    metrics: MetricsJson,
    spikes: Vec<serde_json::Value>,
    peak_hour: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct NeedsActionJson {
    total: u64,
    complaints: u64,
    by_kind: std::collections::BTreeMap<String, u64>,
    all: String,
    items: Vec<ActionJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ActionJson {
    kind: String,
    id: String,
    short_id: String,
    title: String,
    assignee: Option<String>,
    late_s: i64,
    detail: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct MetricsJson {
    time_to_acknowledge: DurationJson,
    time_to_resolve: DurationJson,
    sla_attainment: SlaJson,
    first_contact_resolution: Option<f64>,
    reopen_rate: Option<f64>,
    followup_on_time_rate: Option<f64>,
    promise_kept_rate: Option<f64>,
    satisfaction_rate: Option<f64>,
    repeat_complainant_rate: Option<f64>,
    counts: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct DurationJson {
    count: u64,
    median_s: Option<i64>,
    p90_s: Option<i64>,
    missing: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SlaJson {
    acknowledge: Option<f64>,
    resolve: Option<f64>,
}

#[test]
fn the_report_json_contract_holds_and_is_null_when_there_is_nothing_to_measure() {
    let g = four();
    let _: ReportJson = serde_json::from_str(g.run(&["report", "--format", "json"]).ok()).unwrap();
    let empty = Gripe::new();
    let r: ReportJson =
        serde_json::from_str(empty.run(&["report", "--format", "json"]).ok()).unwrap();
    assert_eq!(r.complaints, 0);
    assert_eq!(r.metrics.first_contact_resolution, None);
    assert_eq!(r.metrics.time_to_acknowledge.median_s, None);
}

#[test]
fn as_of_equals_the_report_the_files_gave_on_that_date() {
    // Work happens over three days; the folder is copied at the end of day two.
    let mut g = Gripe::new().now("2026-11-23T09:00:00Z");
    let a = g.open(&[
        "Double charge",
        "--severity",
        "high",
        "--promise",
        "2026-11-25",
        "--category",
        "billing",
    ]);
    let b = g.open(&["Lost parcel", "--category", "delivery"]);
    g.set_now("2026-11-23T10:00:00Z");
    g.run(&["advance", &a, "-m", "sorry"]).ok();
    g.run(&["set", &b, "severity=low"]).ok();
    g.run(&["followup", &a, "--on", "2026-11-24", "call"]).ok();
    g.set_now("2026-11-24T15:00:00Z");
    g.run(&["set", &a, "resolution.action=refund", "category=payments"])
        .ok();
    g.run(&["advance", &a, "--to", "resolved"]).ok();
    let c = g.open(&["Rude driver", "--customer", "Acme"]);
    g.set_now("2026-11-24T18:00:00Z");
    let snapshot = Gripe::bare().now("2026-11-24T18:00:00Z");
    copy_dir(g.path(), snapshot.path());
    // Day three changes everything the report looks at.
    g.set_now("2026-11-25T11:00:00Z");
    let fid = json(&g.run(&["followup", "list", &a, "--format", "json"]))["followups"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    g.run(&["followup", "done", &a, &fid, "--by", "mark"]).ok();
    g.run(&[
        "set",
        &a,
        "resolution.satisfied=yes",
        "severity=low",
        "promised_by=2026-11-30",
    ])
    .ok();
    g.run(&["close", &a]).ok();
    g.run(&["advance", &b, "--to", "investigating"]).ok();
    g.run(&["reopen", &a, "-m", "charged again"]).ok();
    g.run(&["note", &c, "called"]).ok();
    g.open(&["New one"]);
    g.set_now("2026-11-26T09:00:00Z");
    let past = g.run(&[
        "report",
        "--format",
        "json",
        "--as-of",
        "2026-11-24T18:00:00Z",
    ]);
    let then = snapshot.run(&["report", "--format", "json"]);
    assert_eq!(json(&past), json(&then));
    let now = json(&g.run(&["report", "--format", "json"]));
    assert_ne!(
        now["metrics"],
        json(&then)["metrics"],
        "the present differs"
    );
    // A date means the end of that day.
    let day = json(&g.run(&["report", "--format", "json", "--as-of", "2026-11-24"]));
    assert_eq!(day["complaints"], 3);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn trends_read_every_date_form_and_count_unknown_hours_as_none() {
    let g = Gripe::new().now(NOW);
    let file = |name: &str, opened: &str, category: &str| {
        g.write(
            &format!("complaints/hand/{name}.toml"),
            &format!("id = \"{name}\"\ntitle = \"t\"\nopened = {opened}\nstage = \"new\"\ncategory = \"{category}\"\n"),
        );
    };
    file("aaaa000000000001", "2026-11-23T09:15:00Z", "billing");
    file("aaaa000000000002", "2026-11-23T09:45:00", "billing");
    file("aaaa000000000003", "\"2026-11-24 09:05\"", "delivery");
    file("aaaa000000000004", "2026-11-24", "delivery");
    file("aaaa000000000005", "\"2026-11-25\"", "quality");
    file("aaaa000000000006", "2026-11-25T18:30:00+09:00", "quality");
    let csv = g
        .run(&["trends", "--by", "hour", "--format", "csv"])
        .ok()
        .to_string();
    assert_eq!(csv, "hour,count\n09,4\n(none),2\n");
    let csv = g
        .run(&["trends", "--by", "weekday,category", "--format", "csv"])
        .ok()
        .to_string();
    assert_eq!(
        csv,
        "weekday,category,count\nmon,billing,2\ntue,delivery,2\nwed,quality,2\n"
    );
}

#[test]
fn trends_in_long_form_with_periods_and_spikes() {
    let g = Gripe::new().now("2026-11-27T12:00:00Z");
    // One billing complaint a week for five weeks, then six in the last week; delivery has
    // no category at all once.
    let mut n = 0;
    let mut file = |opened: &str, category: Option<&str>| {
        n += 1;
        let category = category
            .map(|c| format!("category = \"{c}\"\n"))
            .unwrap_or_default();
        g.write(
            &format!("complaints/x/{n}.toml"),
            &format!("id = \"bbbb0000000000{n:02}\"\ntitle = \"t\"\nopened = {opened}\nstage = \"new\"\n{category}"),
        );
    };
    for day in [
        "2026-10-20",
        "2026-10-27",
        "2026-11-03",
        "2026-11-10",
        "2026-11-17",
    ] {
        file(&format!("{day}T10:00:00Z"), Some("billing"));
    }
    for hour in 10..16 {
        file(&format!("2026-11-24T{hour}:00:00Z"), Some("billing"));
    }
    file("2026-11-25T10:00:00Z", None);
    let weekly = |since: &str, more: &[&str]| {
        let mut args = vec![
            "trends", "--by", "category", "--every", "week", "--since", since,
        ];
        args.extend_from_slice(more);
        g.run(&args)
    };
    let out = weekly("2026-10-19", &["--format", "csv"]).ok().to_string();
    assert_eq!(
        out,
        "period,category,count\n\
         2026-W43,billing,1\n2026-W44,billing,1\n2026-W45,billing,1\n2026-W46,billing,1\n2026-W47,billing,1\n2026-W48,billing,6\n\
         2026-W43,(none),0\n2026-W44,(none),0\n2026-W45,(none),0\n2026-W46,(none),0\n2026-W47,(none),0\n2026-W48,(none),1\n"
    );
    let doc = json(&weekly("2026-10-19", &["--format", "json"]));
    assert_eq!(doc["schema"], "gripe.trends/1");
    assert_eq!(doc["by"], serde_json::json!(["category"]));
    assert_eq!(
        doc["spike_rule"],
        serde_json::json!({"threshold": 2.0, "window": 8, "min_count": 5})
    );
    assert_eq!(
        doc["spikes"],
        serde_json::json!([{"period": "2026-W48", "category": "billing", "latest": 6, "mean": 1.0, "ratio": 6.0}])
    );
    assert_eq!(
        doc["rows"][5],
        serde_json::json!({"period": "2026-W48", "category": "billing", "count": 6})
    );
    let strict = json(&weekly(
        "2026-10-19",
        &["--format", "json", "--spike-threshold", "7"],
    ));
    assert_eq!(strict["spikes"], serde_json::json!([]));
    let table = weekly("2026-10-19", &[]).ok().to_string();
    assert!(table.contains("▲ 6.0x"), "{table}");
    // A --since in the middle of a week (Wednesday of W43) counts W43 whole, so the first
    // week is not a part-week that would drag the mean down.
    let mid = weekly("2026-10-21", &["--format", "csv"]).ok().to_string();
    assert!(
        mid.starts_with("period,category,count\n2026-W43,billing,1\n"),
        "{mid}"
    );
    let lines = g
        .run(&["trends", "--by", "category", "--format", "jsonl"])
        .ok()
        .to_string();
    assert_eq!(
        lines,
        "{\"category\":\"billing\",\"count\":11}\n{\"category\":\"(none)\",\"count\":1}\n"
    );
    let md = g
        .run(&["trends", "--by", "category", "--format", "markdown"])
        .ok()
        .to_string();
    assert!(
        md.starts_with("### Complaints by category (12)\n\n| CATEGORY | COUNT | SHARE |"),
        "{md}"
    );
}

#[test]
fn trends_refuse_bad_dimensions_and_periods() {
    let g = Gripe::new();
    let err = g.run(&["trends", "--by", "colour"]).fails(2).to_string();
    assert!(err.contains("`colour` is not a dimension"), "{err}");
    g.run(&["trends", "--by", "a,b,c"]).fails(2);
    g.run(&["trends", "--by", "category", "--every", "fortnight"])
        .fails(2);
    g.run(&["trends", "--by", "fields.bad key"]).fails(2);
    let err = g
        .run(&["trends", "--by", "category,category"])
        .fails(2)
        .to_string();
    assert!(err.contains("--by names category twice"), "{err}");
    let err = g
        .run(&[
            "trends",
            "--by",
            "category",
            "--since",
            "2026-11-10",
            "--until",
            "2026-11-01",
        ])
        .fails(2)
        .to_string();
    assert!(err.contains("is after --until"), "{err}");
}

#[test]
fn the_sample_data_shows_its_two_planted_clusters() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let g = Gripe::bare().now("2026-11-26T09:00:00Z");
    let dir = root.to_str().unwrap();
    let r = json(&g.run(&["--dir", dir, "report", "--format", "json"]));
    assert_eq!(r["peak_hour"]["hour"], "09");
    assert_eq!(r["peak_hour"]["assignee"], "tomasz");
    assert!(r["peak_hour"]["assignee_count"].as_u64().unwrap() >= 7);
    let spikes = r["spikes"].as_array().unwrap();
    assert!(
        spikes
            .iter()
            .any(|s| s["dimension"] == "component" && s["value"] == "checkout-v2"),
        "{spikes:?}"
    );
    let heat = g
        .run(&[
            "--dir",
            dir,
            "trends",
            "--by",
            "hour,assignee",
            "--format",
            "csv",
        ])
        .ok()
        .to_string();
    let cell = heat
        .lines()
        .find(|l| l.starts_with("09,tomasz,"))
        .expect("a 9am tomasz cell");
    assert!(cell.trim_end_matches(char::is_numeric).len() < cell.len());
    let n: u64 = cell.rsplit(',').next().unwrap().parse().unwrap();
    assert!(n >= 7, "{heat}");
    let text = g.run(&["--dir", dir, "report"]).ok().to_string();
    assert!(text.contains("busiest hour 09:00-09:59"), "{text}");
    assert!(text.contains("spike: component checkout-v2"), "{text}");
}

/// Regression: with a filter, short ids in the report were made unique among the filtered
/// complaints only, so `k7m2` could name two complaints of the folder.
#[test]
fn short_ids_in_a_filtered_report_are_unique_in_the_whole_folder() {
    let g = Gripe::new().now(NOW);
    for (id, category) in [
        ("k7m2aaaaaaaaaaaa", "billing"),
        ("k7m2bbbbbbbbbbbb", "delivery"),
    ] {
        g.write(
            &format!("complaints/2026/11/{id}.toml"),
            &format!("id = \"{id}\"\ntitle = \"t\"\nopened = 2026-11-20T10:00:00Z\nstage = \"new\"\ncategory = \"{category}\"\n"),
        );
    }
    let r = json(&g.run(&["report", "--format", "json", "--category", "billing"]));
    assert_eq!(r["complaints"], 1);
    assert_eq!(r["needs_action"]["items"][0]["short_id"], "k7m2a");
}

#[test]
fn a_report_says_in_itself_when_files_were_left_out() {
    let g = Gripe::new();
    g.open(&["Counted"]);
    g.write("complaints/2026/11/zzzzzzzzzzzzzzzz.toml", "id = \"zzzz\n");
    let run = g.run(&["report"]);
    run.fails(4);
    assert!(
        run.stdout
            .contains("warning: 1 complaint file could not be read and is not counted"),
        "{}",
        run.stdout
    );
    let run = g.run(&["report", "--format", "json"]);
    run.fails(4);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        (doc["complaints"].as_u64(), doc["unreadable_files"].as_u64()),
        (Some(1), Some(1))
    );
    let run = g.run(&["report", "--format", "html"]);
    assert!(
        run.stdout.contains("<p class=\"warning\" role=\"alert\">"),
        "{}",
        run.stdout
    );
}
