//! `list` and `show`: filters, formats and the JSON contract.

use serde::Deserialize;

use crate::harness::Gripe;
use crate::harness::json;

/// Three complaints on three days, in different states.
fn three() -> (Gripe, [String; 3]) {
    let mut g = Gripe::new().now("2026-11-20T09:00:00+09:00");
    let a = g.open(&[
        "Charged twice",
        "--category",
        "billing",
        "--channel",
        "phone",
        "--severity",
        "high",
        "--assignee",
        "mark",
        "--tag",
        "refund",
        "--customer",
        "Acme Corp",
        "--contact",
        "ops@acme.example",
        "--component",
        "checkout-v2",
    ]);
    g.set_now("2026-11-21T14:00:00+09:00");
    let b = g.open(&[
        "Parcel lost",
        "--category",
        "delivery",
        "--channel",
        "email",
        "--assignee",
        "priya",
        "-m",
        "Tracking shows delivered to the wrong town",
    ]);
    g.run(&[
        "set",
        &b,
        "fields.region=Kansai",
        "resolution.action=resent",
        "resolution.satisfied=true",
    ])
    .ok();
    g.run(&["close", &b]).ok();
    g.set_now("2026-11-22T18:30:00+09:00");
    let c = g.open(&[
        "Rude | abrupt agent",
        "--category",
        "service",
        "--severity",
        "low",
        "--customer",
        "Ben, \"the\" builder",
    ]);
    g.set_now("2026-11-23T09:00:00+09:00");
    (g, [a, b, c])
}

fn titles(g: &Gripe, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "--format", "json"];
    all.extend_from_slice(args);
    json(&g.run(&all))["complaints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn list_is_newest_first_as_a_table() {
    let (g, [a, b, c]) = three();
    let out = g.run(&["list"]).ok().to_string();
    assert_eq!(
        out,
        format!(
            "ID    OPENED      STAGE   SEV     CATEGORY  ASSIGNEE  CUSTOMER            TITLE                NEXT  PROMISE  SLA           FLAGS\n\
             {c}  2026-11-22  new     low     service             Ben, \"the\" builder  Rude | abrupt agent                 ack running\n\
             {b}  2026-11-21  closed  medium  delivery  priya                         Parcel lost                         resolve met\n\
             {a}  2026-11-20  new     high    billing   mark      Acme Corp           Charged twice                       ack breached  ack-late\n"
        )
    );
}

#[test]
fn every_filter_flag_narrows_the_list() {
    let (g, _) = three();
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec![],
            vec!["Rude | abrupt agent", "Parcel lost", "Charged twice"],
        ),
        (vec!["--open"], vec!["Rude | abrupt agent", "Charged twice"]),
        (vec!["--closed"], vec!["Parcel lost"]),
        (
            vec!["--stage", "closed,new"],
            vec!["Rude | abrupt agent", "Parcel lost", "Charged twice"],
        ),
        (vec!["--severity", "high"], vec!["Charged twice"]),
        (
            vec!["--category", "billing", "--category", "service"],
            vec!["Rude | abrupt agent", "Charged twice"],
        ),
        (vec!["--channel", "email"], vec!["Parcel lost"]),
        (vec!["--component", "checkout-v2"], vec!["Charged twice"]),
        (vec!["--assignee", "priya"], vec!["Parcel lost"]),
        (vec!["--tag", "refund"], vec!["Charged twice"]),
        (vec!["--customer", "ACME"], vec!["Charged twice"]),
        (vec!["--customer", "ops@"], vec!["Charged twice"]),
        (vec!["--field", "region=Kansai"], vec!["Parcel lost"]),
        (
            vec!["--since", "2026-11-21"],
            vec!["Rude | abrupt agent", "Parcel lost"],
        ),
        (
            vec!["--until", "2026-11-21"],
            vec!["Parcel lost", "Charged twice"],
        ),
        // A span in days counts from the start of that day.
        (vec!["--since", "1d"], vec!["Rude | abrupt agent"]),
        (
            vec!["--since", "2d"],
            vec!["Rude | abrupt agent", "Parcel lost"],
        ),
        (vec!["--grep", "WRONG TOWN"], vec!["Parcel lost"]),
        (
            vec!["--open", "--severity", "high", "--category", "billing"],
            vec!["Charged twice"],
        ),
        (vec!["--assignee", "nobody"], vec![]),
    ];
    for (args, expected) in cases {
        assert_eq!(titles(&g, &args), expected, "list {args:?}");
    }
}

#[test]
fn an_empty_result_is_success_with_headers() {
    let (g, _) = three();
    assert_eq!(
        g.run(&["list", "--assignee", "nobody"]).ok(),
        "ID  OPENED  STAGE  SEV  CATEGORY  ASSIGNEE  CUSTOMER  TITLE  NEXT  PROMISE  SLA  FLAGS\n"
    );
    assert_eq!(
        g.run(&["list", "--assignee", "nobody", "--format", "jsonl"])
            .ok(),
        ""
    );
}

#[test]
fn csv_has_whole_values_and_quotes_what_needs_it() {
    let (g, [a, b, c]) = three();
    let ids: Vec<String> = json(&g.run(&["list", "--format", "json"]))["complaints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids[0].starts_with(&c) && ids[1].starts_with(&b) && ids[2].starts_with(&a));
    assert_eq!(
        g.run(&["list", "--format", "csv"]).ok(),
        format!(
            "id,opened,stage,severity,channel,category,component,assignee,customer,title,next_followup,promised_by,promise,sla_acknowledge,sla_resolve,flags\n\
             {},2026-11-22T18:30:00+09:00,new,low,,service,,,\"Ben, \"\"the\"\" builder\",Rude | abrupt agent,,,,running,running,\n\
             {},2026-11-21T14:00:00+09:00,closed,medium,email,delivery,,priya,,Parcel lost,,,,met,met,\n\
             {},2026-11-20T09:00:00+09:00,new,high,phone,billing,checkout-v2,mark,Acme Corp,Charged twice,,,,breached,running,ack-late\n",
            ids[0], ids[1], ids[2]
        )
    );
}

#[test]
fn markdown_escapes_pipes() {
    let (g, _) = three();
    let md = g
        .run(&["list", "--format", "markdown", "--severity", "low"])
        .ok()
        .to_string();
    assert!(md.starts_with("| ID | OPENED | STAGE | SEV | CATEGORY | ASSIGNEE | CUSTOMER | TITLE | NEXT | PROMISE | SLA | FLAGS |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n"), "{md}");
    assert!(md.contains("| Rude \\| abrupt agent |"), "{md}");
}

/// The JSON contract of `list`: an unknown key here fails the test, so a change is deliberate.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ListJson {
    schema: String,
    count: usize,
    complaints: Vec<ComplaintJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ComplaintJson {
    short_id: String,
    path: String,
    id: String,
    title: String,
    opened: String,
    opened_by: Option<String>,
    stage: String,
    severity: Option<String>,
    channel: Option<String>,
    category: Option<String>,
    component: Option<String>,
    assignee: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    promised_by: Option<String>,
    external_ref: Option<String>,
    customer: Option<serde_json::Map<String, serde_json::Value>>,
    resolution: Option<serde_json::Map<String, serde_json::Value>>,
    fields: Option<serde_json::Map<String, serde_json::Value>>,
    followup: Option<Vec<serde_json::Value>>,
    event: Vec<EventJson>,
    status: StatusJson,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct StatusJson {
    next_followup: Option<serde_json::Value>,
    promise: Option<serde_json::Value>,
    sla: SlaJson,
    flags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SlaJson {
    acknowledge: ClockJson,
    resolve: ClockJson,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ClockJson {
    state: String,
    target: String,
    deadline: Option<String>,
    elapsed_s: i64,
    remaining_s: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct EventJson {
    at: String,
    by: Option<String>,
    kind: String,
    text: Option<String>,
    key: Option<String>,
    from: Option<serde_json::Value>,
    to: Option<serde_json::Value>,
    followup: Option<String>,
    forced: Option<bool>,
}

#[test]
fn list_json_is_a_versioned_envelope_with_a_fixed_shape() {
    let (g, _) = three();
    let out = g.run(&["list", "--format", "json"]);
    let list: ListJson = serde_json::from_str(out.ok()).expect("the list/1 contract");
    assert_eq!(list.schema, "gripe.list/1");
    assert_eq!(list.count, 3);
    assert_eq!(list.complaints[1].event.len(), 5);
    assert!(list.complaints[1].path.starts_with("complaints/2026/11/"));
    let lines = g.run(&["list", "--format", "jsonl"]).ok().to_string();
    assert_eq!(lines.lines().count(), 3);
    for line in lines.lines() {
        let _: ComplaintJson = serde_json::from_str(line).expect("one complaint per line");
    }
}

#[test]
fn show_prints_the_header_and_a_readable_timeline() {
    let (g, [_, b, _]) = three();
    let out = g.run(&["show", &b]).ok().to_string();
    let id = json(&g.run(&["show", &b, "--format", "json"]))["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        out,
        format!(
            "{b}  Parcel lost
id                    {id}
file                  complaints/2026/11/{id}.toml
opened                2026-11-21 14:00 by andrea (1d 19h ago)
stage                 closed (since 2026-11-21 14:00)
severity              medium
channel               email
category              delivery
assignee              priya
resolution.action     resent
resolution.satisfied  true
fields.region         Kansai
sla acknowledge       met in 0m (target 1bd)
sla resolve           met in 0m (target 5bd)

Timeline
  2026-11-21 14:00  andrea  opened
      Tracking shows delivered to the wrong town
  2026-11-21 14:00  andrea  set fields.region: (none) → Kansai
  2026-11-21 14:00  andrea  set resolution.action: (none) → resent
  2026-11-21 14:00  andrea  set resolution.satisfied: (none) → true
  2026-11-21 14:00  andrea  stage new → closed
"
        )
    );
}

#[test]
fn show_json_is_the_complaint_envelope() {
    let (g, [a, _, _]) = three();
    let doc = json(&g.run(&["show", &a, "--format", "json"]));
    assert_eq!(doc["schema"], "gripe.complaint/1");
    let c: ComplaintJson =
        serde_json::from_value(doc["complaint"].clone()).expect("complaint shape");
    assert_eq!(c.short_id, a);
    assert_eq!(c.customer.unwrap()["contact"], "ops@acme.example");
    let csv = g.run(&["show", &a, "--format", "csv"]).ok().to_string();
    assert_eq!(csv.lines().count(), 2);
    let md = g
        .run(&["show", &a, "--format", "markdown"])
        .ok()
        .to_string();
    assert!(md.starts_with(&format!("## {a}: Charged twice\n")), "{md}");
}

#[test]
fn colour_is_only_on_when_asked_or_on_a_terminal() {
    let (g, _) = three();
    assert!(!g.run(&["list"]).ok().contains('\u{1b}'));
    let coloured = g.run(&["list", "--color", "always"]).ok().to_string();
    assert!(
        coloured.contains("\u{1b}[36m") && !coloured.contains("\\u{1b}"),
        "gripe's own colours are colours, not escaped text: {coloured:?}"
    );
    assert!(!g.run(&["list", "--color", "never"]).ok().contains('\u{1b}'));
}

#[test]
fn limit_keeps_the_newest() {
    let (g, _) = three();
    assert_eq!(titles(&g, &["-n", "1"]), ["Rude | abrupt agent"]);
}
