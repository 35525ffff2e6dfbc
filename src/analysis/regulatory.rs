//! Regulatory clocks: each regime's deadlines for one complaint, and whether the letters sent
//! met them.
//!
//! Unlike the SLA clocks they never pause, count on the regime's calendar, and only a letter
//! (`gripe respond`, a `response` event) stops them. The rules, regime by regime (business
//! days skip the calendar's weekends and holidays; "the end of a day" is its last second in the
//! calendar's zone; calendar-day deadlines stay where they fall, weekend or not):
//!
//! - `fca_disp`: received after close of business or on a non-business day counts as received
//!   the next business day. `summary_resolution` closes at close of business on the 3rd
//!   business day after that day: met by a summary resolution (or final) letter by then, else
//!   `lapsed`, which is no breach. `final_response` is due by the end of the day 8 weeks after
//!   that day, met by a final response or a holding response, or by the summary resolution.
//! - `fca_psd`: `final_response` by the end of the 15th business day after receipt (late
//!   receipt moves as for DISP); a holding reply sent by then extends it to the 35th.
//! - `cfpb`: from the day the complaint was sent to the company (a `referred` event, else the
//!   day it was opened), `company_response` within 15 days (a holding or final response) and
//!   `closure` within 60 (a final response).
//! - `asic_rg271`: `acknowledgement` by the end of the next business day, `response` (final)
//!   within 30 calendar days.
//! - `housing_ombudsman`: stage 1 from receipt (late receipt moves), stage 2 from `gripe
//!   escalate`: acknowledgement in 5 working days, the stage's response in 10 (stage 1) or 20
//!   (stage 2) working days after the acknowledgement was sent (after its deadline while not
//!   sent); one extension letter sent in time adds 10 working days.
//!
//! A letter carrying the CFPB's own verdict (`timely`, as its portal records it) is judged by
//! it for the 15-day company response, not by its date.

use chrono::Days;
use chrono::NaiveDate;
use serde::Serialize;

use crate::model::complaint::Complaint;
use crate::model::complaint::EventKind;
use crate::model::config::Regulatory;
use crate::model::regime::Letter;
use crate::model::regime::Regime;
use crate::time::calendar::Calendar;
use crate::time::when::Timestamp;
use crate::time::when::Zone;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RegState {
    /// No letter yet, the deadline to come.
    Running,
    /// The letter went in time.
    Met,
    /// The summary resolution window closed without one: no breach, a final response is due.
    Lapsed,
    /// The deadline passed without the letter, or the letter went late.
    Breached,
    /// Running on a deadline a holding reply or an extension letter moved.
    Extended,
}

impl RegState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RegState::Running => "running",
            RegState::Met => "met",
            RegState::Lapsed => "lapsed",
            RegState::Breached => "breached",
            RegState::Extended => "extended",
        }
    }
}

/// One regulatory deadline of one complaint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RegClock {
    pub(crate) regime: Regime,
    /// `summary_resolution`, `final_response`, `company_response`, `stage1_acknowledgement`...
    pub(crate) name: &'static str,
    pub(crate) state: RegState,
    pub(crate) deadline: Timestamp,
    /// When the letter that stopped it was sent.
    pub(crate) stopped: Option<Timestamp>,
    /// Seconds from now (or from the letter, once sent) to the deadline; negative when past.
    pub(crate) remaining_s: i64,
}

impl RegClock {
    /// Still waiting for its letter: running, extended, or breached with no letter yet.
    pub(crate) fn is_open(&self) -> bool {
        self.stopped.is_none() && self.state != RegState::Lapsed
    }

    /// A breach nobody has answered yet: what `check --fail-on regulatory-breach` reports.
    pub(crate) fn is_open_breach(&self) -> bool {
        self.is_open() && self.state == RegState::Breached
    }

    /// `fca_disp final response`.
    pub(crate) fn label(&self) -> String {
        format!("{} {}", self.regime, self.name.replace('_', " "))
    }
}

/// A letter sent.
#[derive(Debug, Clone, Copy)]
struct Sent {
    at: Timestamp,
    letter: Letter,
    timely: Option<bool>,
}

/// Every regulatory clock of `c` at `now`, regime by regime in the order of its regimes.
pub(crate) fn clocks(
    c: &Complaint,
    regulatory: &Regulatory,
    team: &Calendar,
    now: &Timestamp,
) -> Vec<RegClock> {
    regulatory
        .of(c)
        .into_iter()
        .flat_map(|regime| regime_clocks(c, regime, regulatory.calendar(regime, team), now))
        .collect()
}

/// The clocks of one regime of `c` at `now`, counted on `calendar`.
pub(crate) fn regime_clocks(
    c: &Complaint,
    regime: Regime,
    calendar: &Calendar,
    now: &Timestamp,
) -> Vec<RegClock> {
    let mut out = Vec::new();
    Clocks {
        regime,
        calendar,
        now,
        out: &mut out,
    }
    .run(c, &letters(c, calendar, now));
    out
}

/// When a `fca_disp` complaint received on `day` must be answered: the summary resolution
/// window's close (close of business on the 3rd business day after) and the final response's
/// deadline (the end of the day 8 weeks after).
pub(crate) fn disp_deadlines(cal: &Calendar, day: NaiveDate) -> (Timestamp, Timestamp) {
    (
        cal.close_of(cal.business_days_after(day, 3)),
        cal.end_of(day + Days::new(56)),
    )
}

/// The letters of `c` sent by `now`, in the order they were sent.
fn letters(c: &Complaint, calendar: &Calendar, now: &Timestamp) -> Vec<Sent> {
    let mut sent: Vec<Sent> = c
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Response)
        .filter_map(|e| {
            let letter = e.letter_kind()?;
            let at = e.at.instant(&calendar.zone);
            (at <= *now).then_some(Sent {
                at,
                letter,
                timely: e.timely,
            })
        })
        .collect();
    sent.sort_by_key(|s| s.at);
    sent
}

/// When the first event of `kind` happened, by `now`.
pub(crate) fn first_event(
    c: &Complaint,
    kind: EventKind,
    zone: &Zone,
    now: &Timestamp,
) -> Option<Timestamp> {
    c.events
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.at.instant(zone))
        .filter(|at| at <= now)
        .min()
}

struct Clocks<'a> {
    regime: Regime,
    calendar: &'a Calendar,
    now: &'a Timestamp,
    out: &'a mut Vec<RegClock>,
}

/// What a clock waits for.
struct Rule<'r> {
    name: &'static str,
    deadline: Timestamp,
    met_by: &'r [Letter],
    /// The window closes without a breach.
    lapses: bool,
    /// A letter of this kind sent by the deadline moves it here.
    extension: Option<(Letter, Timestamp)>,
    /// Whether a regulator's own verdict on a letter (`timely`) decides this clock: the CFPB's
    /// covers its 15-day company response only.
    verdict: bool,
}

impl Clocks<'_> {
    fn run(mut self, c: &Complaint, all: &[Sent]) {
        let cal = self.calendar;
        let opened = c.opened.instant(&cal.zone);
        let days = |date: NaiveDate, n: u64| date + Days::new(n);
        let late = self.regime.moves_late_receipt();
        match self.regime {
            Regime::FcaDisp => {
                let day = cal.receipt_day(&opened, late);
                let (window, eight_weeks) = disp_deadlines(cal, day);
                let summary = self.judge(
                    all,
                    Rule {
                        name: "summary_resolution",
                        deadline: window,
                        met_by: &[Letter::Summary, Letter::Final],
                        lapses: true,
                        extension: None,
                        verdict: false,
                    },
                );
                let mut last = self.judge(
                    all,
                    Rule {
                        name: "final_response",
                        deadline: eight_weeks,
                        met_by: &[Letter::Holding, Letter::Final],
                        lapses: false,
                        extension: None,
                        verdict: false,
                    },
                );
                if summary.state == RegState::Met {
                    last.state = RegState::Met;
                    last.stopped = summary.stopped;
                    last.remaining_s = summary
                        .stopped
                        .map_or(last.remaining_s, |at| (last.deadline - at).num_seconds());
                }
                self.out.extend([summary, last]);
            }
            Regime::FcaPsd => {
                let day = cal.receipt_day(&opened, late);
                let clock = self.judge(
                    all,
                    Rule {
                        name: "final_response",
                        deadline: cal.end_of(cal.business_days_after(day, 15)),
                        met_by: &[Letter::Final],
                        lapses: false,
                        extension: Some((
                            Letter::Holding,
                            cal.end_of(cal.business_days_after(day, 35)),
                        )),
                        verdict: false,
                    },
                );
                self.out.push(clock);
            }
            Regime::Cfpb => {
                let sent =
                    first_event(c, EventKind::Referred, &cal.zone, self.now).unwrap_or(opened);
                let day = cal.receipt_day(&sent, late);
                let response = self.judge(
                    all,
                    Rule {
                        name: "company_response",
                        deadline: cal.end_of(days(day, 15)),
                        met_by: &[Letter::Holding, Letter::Final],
                        lapses: false,
                        extension: None,
                        verdict: true,
                    },
                );
                let closure = self.judge(
                    all,
                    Rule {
                        name: "closure",
                        deadline: cal.end_of(days(day, 60)),
                        met_by: &[Letter::Final],
                        lapses: false,
                        extension: None,
                        verdict: false,
                    },
                );
                self.out.extend([response, closure]);
            }
            Regime::AsicRg271 => {
                let day = cal.receipt_day(&opened, late);
                let ack = self.judge(
                    all,
                    Rule {
                        name: "acknowledgement",
                        deadline: cal.end_of(cal.business_days_after(day, 1)),
                        met_by: &[Letter::Acknowledgement],
                        lapses: false,
                        extension: None,
                        verdict: false,
                    },
                );
                let response = self.judge(
                    all,
                    Rule {
                        name: "response",
                        deadline: cal.end_of(days(day, 30)),
                        met_by: &[Letter::Final],
                        lapses: false,
                        extension: None,
                        verdict: false,
                    },
                );
                self.out.extend([ack, response]);
            }
            Regime::HousingOmbudsman => {
                let escalated = first_event(c, EventKind::Escalated, &cal.zone, self.now);
                let (one, two): (Vec<Sent>, Vec<Sent>) = all
                    .iter()
                    .partition(|s| escalated.is_none_or(|at| s.at < at));
                self.housing_stage(1, &opened, &one, 10);
                if let Some(at) = escalated {
                    self.housing_stage(2, &at, &two, 20);
                }
            }
        }
    }

    /// One stage of the Housing Ombudsman code, started at `start`.
    fn housing_stage(&mut self, stage: u8, start: &Timestamp, letters: &[Sent], respond_in: u32) {
        const NAMES: [[&str; 2]; 2] = [
            ["stage1_acknowledgement", "stage1_response"],
            ["stage2_acknowledgement", "stage2_response"],
        ];
        let [ack_name, response_name] = NAMES[usize::from(stage - 1)];
        let cal = self.calendar;
        let day = cal.receipt_day(start, self.regime.moves_late_receipt());
        let ack = self.judge(
            letters,
            Rule {
                name: ack_name,
                deadline: cal.end_of(cal.business_days_after(day, 5)),
                met_by: &[Letter::Acknowledgement],
                lapses: false,
                extension: None,
                verdict: false,
            },
        );
        let from = cal.zone.local(&ack.stopped.unwrap_or(ack.deadline)).date();
        let response = self.judge(
            letters,
            Rule {
                name: response_name,
                deadline: cal.end_of(cal.business_days_after(from, respond_in)),
                met_by: &[Letter::Final],
                lapses: false,
                extension: Some((
                    Letter::Extension,
                    cal.end_of(cal.business_days_after(from, respond_in + 10)),
                )),
                verdict: false,
            },
        );
        self.out.extend([ack, response]);
    }

    /// Where a clock stands, from the letters it may count.
    fn judge(&self, letters: &[Sent], rule: Rule<'_>) -> RegClock {
        let mut deadline = rule.deadline;
        let mut extended = false;
        if let Some((kind, later)) = rule.extension
            && letters
                .iter()
                .any(|s| s.letter == kind && s.at <= rule.deadline)
        {
            deadline = later;
            extended = true;
        }
        let answer = letters.iter().find(|s| rule.met_by.contains(&s.letter));
        let (state, stopped) = match answer {
            Some(s)
                if s.timely
                    .filter(|_| rule.verdict)
                    .unwrap_or(s.at <= deadline) =>
            {
                (RegState::Met, Some(s.at))
            }
            Some(s) if rule.lapses => (RegState::Lapsed, Some(s.at)),
            Some(s) => (RegState::Breached, Some(s.at)),
            None if *self.now > deadline && rule.lapses => (RegState::Lapsed, None),
            None if *self.now > deadline => (RegState::Breached, None),
            None if extended => (RegState::Extended, None),
            None => (RegState::Running, None),
        };
        RegClock {
            regime: self.regime,
            name: rule.name,
            state,
            deadline,
            stopped,
            remaining_s: (deadline - stopped.unwrap_or(*self.now)).num_seconds(),
        }
    }
}

/// Whether `c`'s regimes know letters of `letter`'s kind: what `gripe respond` requires.
pub(crate) fn knows_letter(regimes: &[Regime], letter: Letter) -> bool {
    regimes.iter().any(|r| r.letters().contains(&letter))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Config;
    use crate::time::when::Zone;
    use crate::time::when::format_timestamp;

    /// The issue's worked example: London, close of business 17:00, three holidays.
    const UK: &str = r#"
[calendars.uk]
timezone = "Europe/London"
close_of_business = "17:00"
holidays = [2026-12-25, 2026-12-28, 2027-01-01]

[regulatory]
regimes = ["fca_disp", "fca_psd"]
calendar = "uk"
"#;

    fn t(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn complaint(opened: &str, events: &str) -> Complaint {
        let text = format!(
            "id = \"aaaa000000000000\"\ntitle = \"t\"\nopened = {opened}\nstage = \"new\"\n{events}"
        );
        toml::from_str(&text).unwrap()
    }

    fn letter(at: &str, kind: &str) -> String {
        format!("[[event]]\nat = {at}\nkind = \"response\"\nletter = \"{kind}\"\n")
    }

    fn at(config: &str, c: &Complaint, now: &str) -> Vec<(String, RegState, String)> {
        let config = Config::parse(std::path::Path::new("gripe.toml"), config).unwrap();
        let team = config.calendar(Zone::Fixed(*t("2026-12-01T00:00:00Z").offset()));
        clocks(c, &config.regulatory, &team, &t(now))
            .into_iter()
            .map(|k| (k.label(), k.state, format_timestamp(&k.deadline)))
            .collect()
    }

    fn row(label: &str, state: RegState, deadline: &str) -> (String, RegState, String) {
        (label.to_string(), state, deadline.to_string())
    }

    #[test]
    fn the_worked_example_friday_after_close_counts_from_monday() {
        let c = complaint("2026-12-18T17:30:00Z", "");
        assert_eq!(
            at(UK, &c, "2026-12-21T09:00:00Z"),
            [
                row(
                    "fca_disp summary resolution",
                    RegState::Running,
                    "2026-12-24T17:00:00Z"
                ),
                row(
                    "fca_disp final response",
                    RegState::Running,
                    "2027-02-15T23:59:59Z"
                ),
                row(
                    "fca_psd final response",
                    RegState::Running,
                    "2027-01-14T23:59:59Z"
                ),
            ]
        );
        let held = complaint(
            "2026-12-18T17:30:00Z",
            &letter("2027-01-05T10:00:00Z", "holding"),
        );
        let states = at(UK, &held, "2027-01-20T09:00:00Z");
        assert_eq!(
            states[0].1,
            RegState::Lapsed,
            "no summary resolution: lapsed, not breached"
        );
        assert_eq!(
            states[1].1,
            RegState::Met,
            "the 8-week letter meets DISP's final response"
        );
        assert_eq!(
            states[2],
            row(
                "fca_psd final response",
                RegState::Extended,
                "2027-02-11T23:59:59Z"
            )
        );
        assert_eq!(
            at(UK, &held, "2027-02-12T00:00:00Z")[2].1,
            RegState::Breached
        );
    }

    #[test]
    fn receipt_exactly_at_close_of_business_counts_that_day() {
        let c = complaint("2026-12-18T17:00:00Z", "");
        assert_eq!(
            at(UK, &c, "2026-12-18T17:00:00Z")[0].2,
            "2026-12-23T17:00:00Z"
        );
        let c = complaint("2026-12-18T17:00:01Z", "");
        assert_eq!(
            at(UK, &c, "2026-12-18T17:00:01Z")[0].2,
            "2026-12-24T17:00:00Z"
        );
        // Received on a holiday (Thursday 24th is a working day; Monday 28th is not).
        let c = complaint("2026-12-28T10:00:00Z", "");
        assert_eq!(
            at(UK, &c, "2026-12-28T10:00:00Z")[0].2,
            "2027-01-04T17:00:00Z"
        );
    }

    #[test]
    fn a_summary_resolution_in_the_window_meets_both_disp_clocks() {
        let c = complaint(
            "2026-12-18T17:30:00Z",
            &letter("2026-12-24T16:59:00Z", "summary"),
        );
        let states: Vec<RegState> = at(UK, &c, "2027-03-01T00:00:00Z")
            .into_iter()
            .map(|r| r.1)
            .collect();
        assert_eq!(states[..2], [RegState::Met, RegState::Met]);
        assert_eq!(
            states[2],
            RegState::Breached,
            "fca_psd needs a final response"
        );
        let late = complaint(
            "2026-12-18T17:30:00Z",
            &letter("2026-12-24T17:01:00Z", "summary"),
        );
        let states: Vec<RegState> = at(UK, &late, "2027-03-01T00:00:00Z")
            .into_iter()
            .map(|r| r.1)
            .collect();
        assert_eq!(states[..2], [RegState::Lapsed, RegState::Breached]);
    }

    #[test]
    fn calendar_day_deadlines_stay_on_the_weekend() {
        let cfpb =
            "timezone = \"America/New_York\"\n[regulatory]\nregimes = [\"cfpb\", \"asic_rg271\"]\n";
        // Sent to the company Friday 2026-12-04: 15 days is Saturday the 19th, 60 is
        // Tuesday 2027-02-02; ASIC's 30 days from Friday is Sunday 2027-01-03.
        let c = complaint(
            "2026-12-02",
            "[[event]]\nat = 2026-12-04\nkind = \"referred\"\n",
        );
        let rows = at(cfpb, &c, "2026-12-05T12:00:00Z");
        assert_eq!(rows[0].2, "2026-12-19T23:59:59-05:00");
        assert_eq!(rows[1].2, "2027-02-02T23:59:59-05:00");
        assert_eq!(
            rows[2].2, "2026-12-03T23:59:59-05:00",
            "acknowledge by the next business day"
        );
        assert_eq!(
            rows[3].2, "2027-01-01T23:59:59-05:00",
            "30 days from the 2nd"
        );
        assert_eq!(rows[2].1, RegState::Breached);
    }

    #[test]
    fn a_regulators_verdict_wins_over_the_dates() {
        let cfpb = "timezone = \"UTC\"\n[regulatory]\nregimes = [\"cfpb\"]\n";
        let c = complaint(
            "2026-12-02",
            "[[event]]\nat = 2026-12-02\nkind = \"response\"\nletter = \"final\"\ntimely = false\n",
        );
        let rows = at(cfpb, &c, "2026-12-05T12:00:00Z");
        assert_eq!(
            (rows[0].1, rows[1].1),
            (RegState::Breached, RegState::Met),
            "the verdict is on the 15-day response; closure goes by its date"
        );
    }

    #[test]
    fn housing_ombudsman_stages_count_from_the_acknowledgement_and_extend_once() {
        let ho = "[calendars.uk]\ntimezone = \"Europe/London\"\nholidays = [2026-12-25, 2026-12-28, 2027-01-01]\n[regulatory]\nregimes = [\"housing_ombudsman\"]\ncalendar = \"uk\"\n";
        // Received Monday 2026-11-30 10:00; acknowledged Wednesday 2 December.
        let events = letter("2026-12-02T10:00:00Z", "acknowledgement");
        let c = complaint("2026-11-30T10:00:00Z", &events);
        let rows = at(ho, &c, "2026-12-03T00:00:00Z");
        assert_eq!(
            rows[0],
            row(
                "housing_ombudsman stage1 acknowledgement",
                RegState::Met,
                "2026-12-07T23:59:59Z"
            )
        );
        assert_eq!(
            rows[1],
            row(
                "housing_ombudsman stage1 response",
                RegState::Running,
                "2026-12-16T23:59:59Z"
            )
        );
        let extended = format!("{events}{}", letter("2026-12-10T10:00:00Z", "extension"));
        let c = complaint("2026-11-30T10:00:00Z", &extended);
        let rows = at(ho, &c, "2026-12-17T00:00:00Z");
        // 20 working days after 2 December, over Christmas and New Year: 4 January.
        assert_eq!(
            rows[1],
            row(
                "housing_ombudsman stage1 response",
                RegState::Extended,
                "2027-01-04T23:59:59Z"
            )
        );
        // Escalated on 4 January 2027: stage 2 acknowledges by the 11th, answers 20 days later.
        let escalated = format!(
            "{extended}{}[[event]]\nat = 2027-01-04T09:00:00Z\nkind = \"escalated\"\n",
            letter("2026-12-30T10:00:00Z", "final")
        );
        let c = complaint("2026-11-30T10:00:00Z", &escalated);
        let rows = at(ho, &c, "2027-01-05T00:00:00Z");
        assert_eq!(rows[1].1, RegState::Met);
        assert_eq!(
            rows[2],
            row(
                "housing_ombudsman stage2 acknowledgement",
                RegState::Running,
                "2027-01-11T23:59:59Z"
            )
        );
        assert_eq!(
            rows[3],
            row(
                "housing_ombudsman stage2 response",
                RegState::Running,
                "2027-02-08T23:59:59Z"
            )
        );
    }

    #[test]
    fn a_complaint_can_choose_its_own_regimes() {
        let c = complaint("2026-12-18T17:30:00Z", "regimes = [\"fca_psd\"]\n");
        assert_eq!(at(UK, &c, "2026-12-21T09:00:00Z").len(), 1);
        let c = complaint("2026-12-18T17:30:00Z", "regimes = []\n");
        assert!(at(UK, &c, "2026-12-21T09:00:00Z").is_empty());
    }
}
