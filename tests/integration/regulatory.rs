//! Regulatory clocks and returns through the binary: the issue's worked example, the GOV.UK
//! bank holiday feed as a calendar, replay with `--as-of`, letters, escalation, the FCA return
//! on hand-made complaints and the CFPB return on the real CFPB sample.
//!
//! Expected dates and counts are worked out here with plain date arithmetic (chrono's dates and
//! a holiday list), not with gripe's calendar, and the issue's own figures are written in as
//! given.

use std::collections::BTreeSet;

use chrono::Datelike;
use chrono::Duration;
use chrono::NaiveDate;

use crate::harness::Gripe;
use crate::harness::json;

/// The worked example's calendar: London, close of business 17:00, three holidays.
const UK: &str = r#"
[calendars.uk]
timezone = "Europe/London"
close_of_business = "17:00"
holidays = [2026-12-25, 2026-12-28, 2027-01-01]

[regulatory]
regimes = ["fca_disp", "fca_psd"]
calendar = "uk"
"#;

fn with_config(extra: &str, now: &str) -> Gripe {
    let g = Gripe::new().now(now);
    let config = std::fs::read_to_string(g.path().join("gripe.toml")).unwrap();
    g.write("gripe.toml", &format!("{config}{extra}"));
    g
}

/// `status.regulatory` of a complaint: (regime, clock) -> (state, deadline).
fn clocks(g: &Gripe, id: &str) -> Vec<(String, String, String, String)> {
    let shown = json(&g.run(&["show", id, "--format", "json"]));
    let mut out = Vec::new();
    let regulatory = &shown["complaint"]["status"]["regulatory"];
    for (regime, clocks) in regulatory.as_object().into_iter().flatten() {
        for (clock, c) in clocks.as_object().unwrap() {
            out.push((
                regime.clone(),
                clock.clone(),
                c["state"].as_str().unwrap().to_string(),
                c["deadline"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

fn row(regime: &str, clock: &str, state: &str, deadline: &str) -> (String, String, String, String) {
    (regime.into(), clock.into(), state.into(), deadline.into())
}

#[test]
fn the_worked_example_runs_end_to_end() {
    let mut g = with_config(UK, "2026-12-18T17:30:00Z");
    let id = g.open(&["Card payment refused twice", "--customer", "Jo"]);
    g.set_now("2026-12-21T09:00:00Z");
    assert_eq!(
        clocks(&g, &id),
        [
            row(
                "fca_disp",
                "final_response",
                "running",
                "2027-02-15T23:59:59Z"
            ),
            row(
                "fca_disp",
                "summary_resolution",
                "running",
                "2026-12-24T17:00:00Z"
            ),
            row(
                "fca_psd",
                "final_response",
                "running",
                "2027-01-14T23:59:59Z"
            ),
        ]
    );
    // A stage change meets no regulatory clock.
    g.run(&["advance", &id, "--to", "investigating", "--force"])
        .ok();
    g.set_now("2026-12-29T09:00:00Z");
    let states: Vec<String> = clocks(&g, &id).into_iter().map(|c| c.2).collect();
    assert_eq!(states, ["running", "lapsed", "running"]);
    let listed = g.run(&["list", "--due-within", "15bd"]);
    assert!(listed.ok().contains(&id[..4]), "{}", listed.stdout);
    assert!(!g.run(&["list", "--breached"]).ok().contains(&id[..4]));
    // The 8-week letter, sent on 4 January: DISP is met, payment services extended to 35 days.
    g.set_now("2027-01-04T11:00:00Z");
    g.run(&[
        "respond",
        &id,
        "--kind",
        "holding",
        "-m",
        "Still investigating with the card scheme; final answer by 11 February",
    ])
    .ok();
    assert_eq!(
        clocks(&g, &id),
        [
            row("fca_disp", "final_response", "met", "2027-02-15T23:59:59Z"),
            row(
                "fca_disp",
                "summary_resolution",
                "lapsed",
                "2026-12-24T17:00:00Z"
            ),
            row(
                "fca_psd",
                "final_response",
                "extended",
                "2027-02-11T23:59:59Z"
            ),
        ]
    );
    let ics = g.run(&["due", "--within", "6w", "--format", "ics"]);
    assert!(
        ics.ok()
            .contains("SUMMARY:fca_psd deadline\\, final response:"),
        "{}",
        ics.stdout
    );
    // On 12 February the extended deadline has passed: CI fails on it, the list shows it.
    g.set_now("2027-02-12T09:00:00Z");
    let check = g.run(&["check", "--fail-on", "regulatory-breach"]);
    check.fails(1);
    assert!(
        check
            .stdout
            .contains("fca_psd final response was due 2027-02-11 23:59"),
        "{}",
        check.stdout
    );
    assert!(g.run(&["list", "--breached"]).ok().contains(&id[..4]));
    // The final response, late: the clock is breached but answered, and CI passes again.
    g.run(&["respond", &id, "--kind", "final", "-m", "Refund of GBP 40"])
        .ok();
    g.run(&["check", "--fail-on", "regulatory-breach"]).ok();
    let psd = clocks(&g, &id).pop().unwrap();
    assert_eq!(psd.2, "breached");
}

#[test]
fn the_report_replays_the_clocks_as_of_a_date() {
    let mut g = with_config(UK, "2026-12-18T17:30:00Z");
    g.open(&["Card payment refused twice"]);
    g.set_now("2027-03-01T09:00:00Z");
    let rows = |as_of: &str| {
        let report = json(&g.run(&["report", "--as-of", as_of, "--format", "json"]));
        let psd = report["regulatory"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["regime"] == "fca_psd")
            .unwrap()
            .clone();
        (psd["running"].clone(), psd["breached"].clone())
    };
    assert_eq!(
        rows("2027-01-14"),
        (1.into(), 0.into()),
        "due by the end of the 14th"
    );
    assert_eq!(rows("2027-01-15"), (0.into(), 1.into()));
    let report = g.run(&["report", "--as-of", "2027-01-15"]);
    assert!(
        report.ok().contains("regulatory-breach"),
        "breaches lead what needs action:\n{}",
        report.stdout
    );
}

/// The business days after `day`, over Monday to Friday less `holidays`: the test's own
/// arithmetic.
fn business_days_after(day: NaiveDate, n: u32, holidays: &BTreeSet<NaiveDate>) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d += Duration::days(1);
        if d.weekday().num_days_from_monday() < 5 && !holidays.contains(&d) {
            left -= 1;
        }
    }
    d
}

#[test]
fn the_govuk_bank_holiday_feed_is_a_calendar() {
    let root = env!("CARGO_MANIFEST_DIR");
    let feed = std::fs::read_to_string(format!(
        "{root}/tests/data/regulatory/england-and-wales.ics"
    ))
    .unwrap();
    let holidays: BTreeSet<NaiveDate> = feed
        .lines()
        .filter_map(|l| l.strip_prefix("DTSTART;VALUE=DATE:"))
        .map(|d| NaiveDate::parse_from_str(d.trim(), "%Y%m%d").unwrap())
        .collect();
    assert_eq!(holidays.len(), 65);
    let config = r#"
[calendars.england]
timezone = "Europe/London"
holidays_file = "england-and-wales.ics"

[regulatory]
regimes = ["fca_disp", "fca_psd"]
calendar = "england"
"#;
    // Thursday 18 April 2019, 17:30 in London (BST): after close, before Good Friday and
    // Easter Monday, so received on Tuesday 23 April.
    let g = with_config(config, "2019-04-18T16:30:00Z");
    g.write("england-and-wales.ics", &feed);
    let id = g.open(&["Transfer never arrived"]);
    let received = business_days_after(NaiveDate::from_ymd_opt(2019, 4, 18).unwrap(), 1, &holidays);
    assert_eq!(received, NaiveDate::from_ymd_opt(2019, 4, 23).unwrap());
    let summary = business_days_after(received, 3, &holidays);
    let psd = business_days_after(received, 15, &holidays);
    let disp = received + Duration::days(56);
    assert_eq!(
        clocks(&g, &id),
        [
            row(
                "fca_disp",
                "final_response",
                "running",
                &format!("{disp}T23:59:59+01:00")
            ),
            row(
                "fca_disp",
                "summary_resolution",
                "running",
                &format!("{summary}T17:00:00+01:00")
            ),
            row(
                "fca_psd",
                "final_response",
                "running",
                &format!("{psd}T23:59:59+01:00")
            ),
        ]
    );
    // A file that is not iCalendar is refused, naming the key and the file.
    g.write(
        "england-and-wales.ics",
        "Date,Holiday\n2019-04-19,Good Friday\n",
    );
    let err = g.run(&["list"]).fails(4).to_string();
    assert!(
        err.contains("calendars.england.holidays_file")
            && err.contains("england-and-wales.ics is not an iCalendar file"),
        "{err}"
    );
}

#[test]
fn letters_and_escalation_follow_each_regimes_rules() {
    let config = r#"
[calendars.uk]
timezone = "Europe/London"
holidays = [2026-12-25, 2026-12-28, 2027-01-01]

[regulatory]
regimes = ["housing_ombudsman"]
calendar = "uk"
"#;
    let mut g = with_config(config, "2026-11-30T10:00:00Z");
    let id = g.open(&["Damp in the bedroom not fixed"]);
    let file = g.file(&id);
    // A letter the regime does not know is refused, with what it takes, and nothing written.
    let before = std::fs::read_to_string(&file).unwrap();
    let err = g
        .run(&["respond", &id, "--kind", "summary", "-m", "x"])
        .fails(2)
        .to_string();
    assert!(
        err.contains("runs under housing_ombudsman, which takes no summary letter")
            && err.contains("they take: acknowledgement, extension, final"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    g.set_now("2026-12-02T10:00:00Z");
    g.run(&[
        "respond",
        &id,
        "--kind",
        "acknowledgement",
        "-m",
        "We have your complaint",
    ])
    .ok();
    g.set_now("2026-12-10T10:00:00Z");
    g.run(&[
        "respond",
        &id,
        "--kind",
        "extension",
        "-m",
        "Surveyor needed; 10 more days",
    ])
    .ok();
    let err = g
        .run(&["respond", &id, "--kind", "extension", "-m", "again"])
        .fails(2)
        .to_string();
    assert!(
        err.contains("already has an extension for this stage"),
        "{err}"
    );
    let stage1 = clocks(&g, &id);
    assert_eq!(
        stage1,
        [
            row(
                "housing_ombudsman",
                "stage1_acknowledgement",
                "met",
                "2026-12-07T23:59:59Z"
            ),
            // 20 working days after 2 December, over Christmas and New Year.
            row(
                "housing_ombudsman",
                "stage1_response",
                "extended",
                "2027-01-04T23:59:59Z"
            ),
        ]
    );
    g.set_now("2026-12-30T10:00:00Z");
    g.run(&["respond", &id, "--kind", "final", "-m", "Repairs booked"])
        .ok();
    g.set_now("2027-01-04T09:00:00Z");
    g.run(&[
        "escalate",
        &id,
        "-m",
        "Customer says the repair did not hold",
    ])
    .ok();
    assert!(
        g.run(&["escalate", &id, "-m", "again"])
            .fails(2)
            .contains("at stage 2 already")
    );
    let all = clocks(&g, &id);
    assert_eq!(all.len(), 4);
    assert_eq!(
        all[2],
        row(
            "housing_ombudsman",
            "stage2_acknowledgement",
            "running",
            "2027-01-11T23:59:59Z"
        )
    );
    // The stage 2 extension is a new stage's one: allowed once more.
    g.run(&[
        "respond",
        &id,
        "--kind",
        "extension",
        "-m",
        "More time for stage 2",
    ])
    .ok();
    // A complaint of its own regime: escalate is refused where no regime has a stage 2.
    let other = g.open(&["Billing error", "--regime", "fca_disp"]);
    assert!(
        g.run(&["escalate", &other, "-m", "x"])
            .fails(2)
            .contains("which has no second stage")
    );
    assert!(
        g.run(&["open", "Bad", "--regime", "fca"])
            .fails(2)
            .contains("`fca` is not a regime gripe knows (one of fca_disp, fca_psd, cfpb, asic_rg271, housing_ombudsman)")
    );
    assert!(
        g.run(&["set", &other, "regimes=ombudsman"])
            .fails(2)
            .contains("`ombudsman` is not a regime")
    );
    g.run(&["set", &other, "regimes=none"]).ok();
    assert!(clocks(&g, &other).is_empty());
}

#[test]
fn config_errors_name_the_key_and_the_fix() {
    let cases = [
        (
            "[regulatory]\nregimes = [\"fca\"]\n",
            "regulatory.regimes: `fca` is not a regime gripe knows",
        ),
        (
            "[regulatory]\nregimes = [\"fca_disp\"]\ncalendar = \"uk\"\n",
            "calendar `uk` is not defined; add a [calendars.uk] table",
        ),
        (
            "[calendars.uk]\ntimezone = \"Europe/London\"\n[regulatory]\nregimes = [\"fca_disp\"]\n[regulatory.fca_psd]\ncalendar = \"ukk\"\n",
            "calendar `ukk` is not defined; add a [calendars.ukk] table or use one of: uk",
        ),
        (
            "[regulatory.fca_dsip]\ncalendar = \"uk\"\n",
            "unknown field `fca_dsip`",
        ),
        (
            "[calendars.uk]\ntimezone = \"Europe/London\"\nclose_of_business = \"5pm\"\n",
            "`5pm` is not a time of day like 09:00",
        ),
    ];
    for (extra, message) in cases {
        let g = with_config(extra, "2026-12-01T10:00:00Z");
        let err = g.run(&["list"]).fails(4).to_string();
        assert!(
            err.starts_with("gripe: error: gripe.toml:") && err.contains(message),
            "{extra}: {err}"
        );
    }
}

/// One hand-made complaint of the return test: when it was received and answered.
struct Case {
    id: &'static str,
    opened: &'static str,
    /// (kind, when) of the closing letter.
    letter: Option<(&'static str, &'static str)>,
    /// Closed in the workflow without a letter, at this time.
    closed_stage: Option<&'static str>,
    category: &'static str,
    cause: &'static str,
    upheld: Option<&'static str>,
    redress: Option<&'static str>,
    regimes: Option<&'static str>,
}

const CASES: [Case; 10] = [
    // Received before the half-year, answered in it.
    Case {
        id: "ra00000000000001",
        opened: "2025-12-15T10:00:00Z",
        letter: Some(("final", "2026-01-20T10:00:00Z")),
        closed_stage: None,
        category: "cards",
        cause: "fraud rule",
        upheld: Some("yes"),
        redress: Some("GBP 50"),
        regimes: None,
    },
    Case {
        id: "ra00000000000002",
        opened: "2026-02-02T09:00:00Z",
        letter: Some(("summary", "2026-02-04T16:00:00Z")),
        closed_stage: None,
        category: "cards",
        cause: "fraud rule",
        upheld: Some("no"),
        redress: None,
        regimes: None,
    },
    // Easter 2026 (3 and 6 April) lies inside its 3 business days.
    Case {
        id: "ra00000000000003",
        opened: "2026-03-31T12:00:00Z",
        letter: Some(("final", "2026-04-08T10:00:00Z")),
        closed_stage: None,
        category: "loans",
        cause: "staff error",
        upheld: Some("partial"),
        redress: Some("£120.50"),
        regimes: None,
    },
    // Friday 17:30 in London: received on Monday, so 8 weeks end on 8 June, not 5 June.
    Case {
        id: "ra00000000000004",
        opened: "2026-04-10T16:30:00Z",
        letter: Some(("final", "2026-06-08T20:00:00Z")),
        closed_stage: None,
        category: "loans",
        cause: "staff error",
        upheld: Some("yes"),
        redress: Some("200.00 GBP"),
        regimes: None,
    },
    Case {
        id: "ra00000000000005",
        opened: "2026-06-20",
        letter: None,
        closed_stage: None,
        category: "cards",
        cause: "",
        upheld: None,
        redress: None,
        regimes: None,
    },
    Case {
        id: "ra00000000000006",
        opened: "2026-06-29T10:00:00Z",
        letter: None,
        closed_stage: Some("2026-07-02T10:00:00Z"),
        category: "loans",
        cause: "",
        upheld: None,
        redress: None,
        regimes: None,
    },
    Case {
        id: "ra00000000000007",
        opened: "2026-07-05T10:00:00Z",
        letter: None,
        closed_stage: None,
        category: "cards",
        cause: "",
        upheld: None,
        redress: None,
        regimes: None,
    },
    Case {
        id: "ra00000000000008",
        opened: "2025-11-02T10:00:00Z",
        letter: Some(("final", "2025-12-01T10:00:00Z")),
        closed_stage: None,
        category: "cards",
        cause: "",
        upheld: Some("yes"),
        redress: None,
        regimes: None,
    },
    Case {
        id: "ra00000000000009",
        opened: "2026-03-01T10:00:00Z",
        letter: Some(("final", "2026-03-02T10:00:00Z")),
        closed_stage: None,
        category: "cards",
        cause: "",
        upheld: Some("yes"),
        redress: None,
        regimes: Some("[\"cfpb\"]"),
    },
    Case {
        id: "ra0000000000000a",
        opened: "2026-01-05T10:00:00Z",
        letter: Some(("final", "2026-03-10T10:00:00Z")),
        closed_stage: None,
        category: "cards",
        cause: "staff error",
        upheld: Some("no"),
        redress: None,
        regimes: None,
    },
];

fn case_file(c: &Case) -> String {
    let mut text = format!(
        "# hand-made for the return test\nid = \"{}\"\ntitle = \"Case {}\"\nopened = {}\nstage = \"{}\"\ncategory = \"{}\"\n",
        c.id,
        &c.id[14..],
        c.opened,
        if c.closed_stage.is_some() {
            "closed"
        } else {
            "investigating"
        },
        c.category
    );
    if let Some(r) = c.regimes {
        text.push_str(&format!("regimes = {r}\n"));
    }
    text.push_str("\n[resolution]\n");
    if !c.cause.is_empty() {
        text.push_str(&format!("root_cause = \"{}\"\n", c.cause));
    }
    if let Some(u) = c.upheld {
        text.push_str(&format!("upheld = \"{u}\"\n"));
    }
    if let Some(r) = c.redress {
        text.push_str(&format!("redress = \"{r}\"\n"));
    }
    text.push_str(&format!(
        "\n[[event]]\nat = {}\nby = \"ann\"\nkind = \"opened\"\n\n[[event]]\nat = {}\nby = \"ann\"\nkind = \"stage\"\nfrom = \"new\"\nto = \"investigating\"\nforced = true\n",
        c.opened, c.opened
    ));
    if let Some((kind, at)) = c.letter {
        text.push_str(&format!(
            "\n[[event]]\nat = {at}\nby = \"ann\"\nkind = \"response\"\nletter = \"{kind}\"\ntext = \"our answer\"\n"
        ));
    }
    if let Some(at) = c.closed_stage {
        text.push_str(&format!(
            "\n[[event]]\nat = {at}\nby = \"ann\"\nkind = \"stage\"\nfrom = \"investigating\"\nto = \"closed\"\nforced = true\n"
        ));
    }
    text
}

/// A folder under `fca_disp` on a London calendar with the 2025-26 holidays, holding
/// [`CASES`], on 10 July 2026.
fn fca_cases() -> Gripe {
    let config = r#"
[calendars.uk]
timezone = "Europe/London"
holidays = [2025-12-25, 2025-12-26, 2026-01-01, 2026-04-03, 2026-04-06, 2026-05-04, 2026-05-25]

[regulatory]
regimes = ["fca_disp"]
calendar = "uk"
"#;
    let g = with_config(config, "2026-07-10T12:00:00Z");
    for c in &CASES {
        let month = &c.opened[..7].replace('-', "/");
        g.write(&format!("complaints/{month}/{}.toml", c.id), &case_file(c));
    }
    g
}

#[test]
fn the_fca_return_counts_what_plain_date_arithmetic_counts() {
    let holidays: BTreeSet<NaiveDate> = [
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2025-12-25",
        "2025-12-26",
        "2026-01-01",
    ]
    .iter()
    .map(|d| d.parse().unwrap())
    .collect();
    let g = fca_cases();
    // The expected figures, case by case, in London time (BST from 29 March to 25 October
    // 2026, GMT before).
    let london = |t: &str| -> chrono::NaiveDateTime {
        if t.len() == 10 {
            return NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap();
        }
        let utc = chrono::DateTime::parse_from_rfc3339(t).unwrap().naive_utc();
        let bst = utc
            >= NaiveDate::from_ymd_opt(2026, 3, 29)
                .unwrap()
                .and_hms_opt(1, 0, 0)
                .unwrap()
            && utc
                < NaiveDate::from_ymd_opt(2026, 10, 25)
                    .unwrap()
                    .and_hms_opt(1, 0, 0)
                    .unwrap();
        utc + Duration::hours(i64::from(bst))
    };
    let (start, end) = (
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
    );
    let business = |d: NaiveDate| d.weekday().num_days_from_monday() < 5 && !holidays.contains(&d);
    let mut expect = [0u64; 7]; // opened, closed, out at start, out at end, 3bd, 8w, after
    let mut upheld = [0u64; 3]; // yes, partial, no
    for c in CASES.iter().filter(|c| c.regimes.is_none()) {
        let at = london(c.opened);
        let received = if business(at.date())
            && at.time() <= chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap()
        {
            at.date()
        } else {
            business_days_after(at.date(), 1, &holidays)
        };
        let closed = c.letter.map(|(_, t)| t).or(c.closed_stage).map(london);
        let closed_day = closed.map(|t| t.date());
        expect[0] += u64::from(start <= received && received <= end);
        expect[2] += u64::from(received < start && closed_day.is_none_or(|d| d >= start));
        expect[3] += u64::from(received <= end && closed_day.is_none_or(|d| d > end));
        if let Some(t) = closed.filter(|t| start <= t.date() && t.date() <= end) {
            expect[1] += 1;
            let three = business_days_after(received, 3, &holidays)
                .and_hms_opt(17, 0, 0)
                .unwrap();
            let eight = (received + Duration::days(56))
                .and_hms_opt(23, 59, 59)
                .unwrap();
            let slot = if t <= three {
                4
            } else if t <= eight {
                5
            } else {
                6
            };
            expect[slot] += 1;
            match c.upheld {
                Some("yes") => upheld[0] += 1,
                Some("partial") => upheld[1] += 1,
                Some("no") => upheld[2] += 1,
                _ => {}
            }
        }
    }
    assert_eq!(
        expect,
        [6, 5, 1, 2, 1, 3, 1],
        "the cases cover every bucket"
    );
    let r = json(&g.run(&[
        "report", "--return", "fca", "--period", "2026-H1", "--format", "json",
    ]));
    assert_eq!(r["schema"], "gripe.return/1");
    assert_eq!(
        r["period"],
        serde_json::json!({"start": "2026-01-01", "end": "2026-06-30"})
    );
    let got = [
        &r["opened"],
        &r["closed"],
        &r["outstanding_at_start"],
        &r["outstanding_at_end"],
        &r["closed_within_3_business_days"]["count"],
        &r["closed_within_8_weeks"]["count"],
        &r["closed_after_8_weeks"]["count"],
    ]
    .map(|v| v.as_u64().unwrap());
    assert_eq!(got, expect);
    assert_eq!(r["closed_within_8_weeks"]["percent"], 60.0);
    assert_eq!(
        [
            &r["upheld"]["yes"],
            &r["upheld"]["partial"],
            &r["upheld"]["no"]
        ]
        .map(|v| v.as_u64().unwrap()),
        upheld
    );
    assert_eq!(r["upheld"]["upheld_percent"], 60.0);
    assert_eq!(r["redress"], serde_json::json!(["GBP 370.50"]));
    let loans = r["by_product_group"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["group"] == "loans")
        .unwrap();
    assert_eq!(
        (loans["opened"].as_u64(), loans["closed"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(loans["redress"], serde_json::json!(["GBP 320.50"]));
    // The same period written as dates, and the other formats.
    let csv = g.run(&[
        "report",
        "--return",
        "fca",
        "--period",
        "2026-01-01..2026-06-30",
        "--format",
        "csv",
    ]);
    assert!(
        csv.ok()
            .starts_with("section,group,measure,value\ncomplaints,,opened,6\n"),
        "{}",
        csv.stdout
    );
    assert!(
        csv.stdout.contains("\ncause,staff error,closed,3\n"),
        "{}",
        csv.stdout
    );
    let md = g.run(&[
        "report", "--return", "fca", "--period", "2026-H1", "--format", "markdown",
    ]);
    assert!(
        md.ok()
            .starts_with("## FCA complaints return, 2026-01-01 to 2026-06-30\n")
    );
    assert!(
        g.run(&["report", "--return", "fca", "--period", "2026-H1"])
            .ok()
            .contains("within 3 business days")
    );
    assert!(
        g.run(&["report", "--return", "fca", "--period", "2026-H3"])
            .fails(2)
            .contains("--period: `2026-H3` is not a period")
    );
    assert!(
        g.run(&["report", "--return", "fca"])
            .fails(2)
            .contains("--period")
    );
}

#[test]
fn the_cfpb_samples_timely_share_is_the_cfpbs_own() {
    let sample = crate::import::cfpb_sample();
    let mut reader = csv::Reader::from_path(&sample).unwrap();
    let headers = reader.headers().unwrap().clone();
    let timely = headers
        .iter()
        .position(|h| h == "Timely response?")
        .unwrap();
    let (mut yes, mut all) = (0u64, 0u64);
    for record in reader.records() {
        let record = record.unwrap();
        all += 1;
        yes += u64::from(&record[timely] == "Yes");
    }
    assert_eq!((yes, all), (2014, 2025));
    let g = with_config(
        "[regulatory]\nregimes = [\"cfpb\"]\n",
        "2023-12-01T12:00:00Z",
    );
    g.run(&["import", &sample, "--preset", "cfpb"]).ok();
    let r = json(&g.run(&[
        "report",
        "--return",
        "cfpb",
        "--period",
        "2012-01-01..2023-12-31",
        "--format",
        "json",
    ]));
    assert_eq!(r["sent_to_company"], all);
    assert_eq!(
        (r["timely"].as_u64(), r["untimely"].as_u64()),
        (Some(yes), Some(all - yes))
    );
    let share = 100.0 * yes as f64 / all as f64;
    assert!((r["timely_percent"].as_f64().unwrap() - share).abs() < 1e-9);
    // The CFPB dates the response by the day it sent the complaint on (it publishes no
    // response date), so the days to respond are 0.
    assert_eq!(r["median_days_to_respond"], 0);
}

#[test]
fn human_output_is_pinned() {
    let g = with_config(UK, "2027-01-05T09:00:00Z");
    g.write(
        "complaints/2026/12/wx00000000000001.toml",
        r#"id = "wx00000000000001"
title = "Card payment refused twice"
opened = 2026-12-18T17:30:00Z
stage = "investigating"   # waiting on the card scheme

[customer]
name = "Jo Example"

[[event]]
at = 2026-12-18T17:30:00Z
by = "ann"
kind = "opened"

[[event]]
at = 2026-12-21T09:30:00Z
by = "ann"
kind = "stage"
from = "new"
to = "investigating"
forced = true

[[event]]
at = 2027-01-04T11:00:00Z
by = "ann"
kind = "response"
letter = "holding"
text = "Still investigating with the card scheme; final answer by 11 February"
"#,
    );
    insta::assert_snapshot!("regulatory_show", g.run(&["show", "wx00"]).ok());
    insta::assert_snapshot!("regulatory_due", g.run(&["due", "--within", "6w"]).ok());
    let report = g.run(&["report"]);
    let section = report
        .ok()
        .split("\n\n")
        .find(|part| part.starts_with("Regulatory clocks"))
        .unwrap()
        .to_string();
    insta::assert_snapshot!("regulatory_report_section", section);

    let g = fca_cases();
    insta::assert_snapshot!(
        "regulatory_return_fca",
        g.run(&["report", "--return", "fca", "--period", "2026-H1"])
            .ok()
    );
}

#[test]
fn review_findings_stay_fixed() {
    // A letter cannot be dated before the complaint; a date alone for today means now.
    let mut g = with_config(UK, "2026-12-18T17:30:00Z");
    let id = g.open(&["Same-day answer"]);
    g.set_now("2026-12-18T18:00:00Z");
    let err = g
        .run(&[
            "respond",
            &id,
            "--kind",
            "final",
            "--sent",
            "2026-11-01",
            "-m",
            "x",
        ])
        .fails(2)
        .to_string();
    assert!(err.contains("--sent 2026-11-01 is before"), "{err}");
    g.run(&[
        "respond",
        &id,
        "--kind",
        "summary",
        "--sent",
        "2026-12-18",
        "-m",
        "Resolved on the phone",
    ])
    .ok();
    g.run(&["check"]).ok();
    let shown = json(&g.run(&["show", &id, "--format", "json"]));
    let summary = &shown["complaint"]["status"]["regulatory"]["fca_disp"];
    assert_eq!(
        summary["summary_resolution"]["letter_sent"],
        "2026-12-18T18:00:00Z"
    );
    // Met by the summary resolution, the final response's margin stops counting down.
    g.set_now("2026-12-30T18:00:00Z");
    let later = json(&g.run(&["show", &id, "--format", "json"]));
    assert_eq!(
        later["complaint"]["status"]["regulatory"]["fca_disp"]["final_response"]["remaining_s"],
        summary["final_response"]["remaining_s"]
    );

    // --due-within counts business days on the regime's calendar (Christmas off), not the
    // team's.
    let mut g = with_config(UK, "2026-12-22T12:00:00Z");
    let id = g.open(&["Christmas week"]);
    g.set_now("2026-12-23T12:00:00Z");
    assert!(
        g.run(&["list", "--due-within", "3bd"])
            .ok()
            .contains(&id[..4])
    );

    // A letter kind gripe does not know is kept as written.
    let g = with_config(UK, "2026-12-21T10:00:00Z");
    g.write(
        "complaints/2026/12/ap00000000000001.toml",
        "id = \"ap00000000000001\"\ntitle = \"t\"\nopened = 2026-12-21T09:00:00Z\nstage = \"new\"\n\n[[event]]\nat = 2026-12-21T09:00:00Z\nkind = \"opened\"\n\n[[event]]\nat = 2026-12-21T09:30:00Z\nkind = \"response\"\nletter = \"apology\"\n",
    );
    assert!(g.run(&["show", "ap00"]).ok().contains("apology letter"));
    let exported = g.run(&["export"]);
    assert!(
        exported.ok().contains("\"letter\":\"apology\""),
        "{}",
        exported.stdout
    );
}

#[test]
fn a_return_as_of_a_date_leaves_out_what_came_later() {
    let g = fca_cases();
    let r = json(&g.run(&[
        "report",
        "--return",
        "fca",
        "--period",
        "2026-H1",
        "--as-of",
        "2026-01-04",
        "--format",
        "json",
    ]));
    // By 4 January only the complaint received on 15 December was in, not yet answered.
    assert_eq!(
        [
            &r["opened"],
            &r["closed"],
            &r["outstanding_at_start"],
            &r["outstanding_at_end"]
        ]
        .map(|v| v.as_u64().unwrap()),
        [0, 0, 1, 1]
    );
}
