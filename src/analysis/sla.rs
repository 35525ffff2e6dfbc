//! SLA clocks: time to acknowledge and time to resolve, against a target per severity.
//!
//! A target in business units (`4bh`, `3bd`) is counted in business time; a calendar target
//! (`1h`, `1d`) in wall-clock time. A clock pauses while the complaint sits in one of the
//! `pause_in` stages (waiting on the customer), if the team configures any. Each clock knows its
//! deadline, the time left or overrun, and whether it was met.

use std::collections::BTreeMap;

use crate::analysis::history::History;
use crate::model::complaint::Severity;
use crate::model::policy::Sla;
use crate::model::stage::Workflow;
use crate::time::calendar::Calendar;
use crate::time::duration::Span;
use crate::time::when::Timestamp;

/// Which clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ClockKind {
    Acknowledge,
    Resolve,
}

impl ClockKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ClockKind::Acknowledge => "acknowledge",
            ClockKind::Resolve => "resolve",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ClockState {
    /// Stopped within the target.
    Met,
    /// Stopped after the target, or still running past it.
    Breached,
    /// Running, within the target.
    Running,
    /// Stopped for now: the complaint waits on the customer.
    Paused,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Clock {
    pub(crate) kind: ClockKind,
    pub(crate) target: Span,
    /// Clock time used so far (business seconds for business targets).
    pub(crate) elapsed_s: i64,
    pub(crate) target_s: i64,
    /// When the target runs (or ran) out; `None` while paused short of it.
    pub(crate) deadline: Option<Timestamp>,
    /// When the clock stopped (the complaint reached the stage), if it did.
    pub(crate) stopped: Option<Timestamp>,
    pub(crate) state: ClockState,
}

impl Clock {
    /// Clock time left (negative when overrun).
    pub(crate) fn remaining_s(&self) -> i64 {
        self.target_s - self.elapsed_s
    }
}

/// Both clocks of a complaint with `severity` (medium when unset) and `history`, at `now`.
pub(crate) fn clocks(
    history: &History,
    severity: Option<Severity>,
    workflow: &Workflow,
    sla: &Sla,
    calendar: &Calendar,
    now: &Timestamp,
) -> [Clock; 2] {
    let severity = severity.unwrap_or(Severity::Medium);
    let run = |kind: ClockKind, reach: usize, targets: &BTreeMap<Severity, Span>| {
        let target = targets[&severity];
        clock(
            kind,
            history,
            history.first_reaching(reach),
            target,
            &sla.pause_in,
            calendar,
            now,
        )
    };
    [
        run(
            ClockKind::Acknowledge,
            workflow.acknowledged,
            &sla.acknowledge,
        ),
        run(ClockKind::Resolve, workflow.resolved, &sla.resolve),
    ]
}

fn clock(
    kind: ClockKind,
    history: &History,
    stopped: Option<Timestamp>,
    target: Span,
    pause_in: &[usize],
    calendar: &Calendar,
    now: &Timestamp,
) -> Clock {
    let business = target.unit.is_business();
    let measure = |a: &Timestamp, b: &Timestamp| {
        if business {
            calendar.business_seconds_between(a, b)
        } else {
            (*b - *a).num_seconds()
        }
    };
    let target_s = calendar.span_seconds(&target);
    let until = stopped.unwrap_or(*now);
    let mut elapsed = 0;
    let mut deadline = None;
    let mut paused_now = false;
    // Whether the clock ran on past its deadline: a business clock that reaches its target at
    // close of business stays at the target overnight, yet the deadline has passed.
    let mut ran_past = false;
    for (start, end, stage) in history.segments(&until) {
        let paused = stage.is_some_and(|s| pause_in.contains(&s));
        paused_now = paused;
        if paused {
            continue;
        }
        let length = measure(&start, &end);
        if deadline.is_none() && elapsed + length >= target_s {
            deadline = Some(calendar.advance(&start, target_s - elapsed, business));
        }
        ran_past |= deadline.is_some_and(|d| end > d);
        elapsed += length;
    }
    let overrun = elapsed > target_s || ran_past;
    let state = match stopped {
        Some(_) if overrun => ClockState::Breached,
        Some(_) => ClockState::Met,
        None if overrun => ClockState::Breached,
        None if paused_now => ClockState::Paused,
        None => {
            deadline = deadline.or(Some(calendar.advance(now, target_s - elapsed, business)));
            ClockState::Running
        }
    };
    Clock {
        kind,
        target,
        elapsed_s: elapsed,
        target_s,
        deadline,
        stopped,
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::complaint::Complaint;
    use crate::model::policy::{SlaConfig, span};
    use crate::time::duration::Unit;
    use crate::time::when::Zone;

    fn t(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn setup(events: &str) -> (History, Workflow, Calendar) {
        let text = format!(
            "id = \"aaaa000000000000\"\ntitle = \"t\"\nopened = 2026-11-20T17:00:00Z\nstage = \"new\"\n{events}"
        );
        let c: Complaint = toml::from_str(&text).unwrap();
        let stages = r#"stages = ["new", "acknowledged", "investigating", "waiting", "resolved", "following-up", "closed"]"#;
        let workflow = Workflow::from_config(toml::from_str(stages).unwrap()).unwrap();
        let calendar = Calendar::standard(Zone::Fixed(*t("2026-11-20T00:00:00Z").offset()));
        (
            History::new(&c, &workflow, &calendar.zone),
            workflow,
            calendar,
        )
    }

    fn sla(workflow: &Workflow, pause: &[&str]) -> Sla {
        let config = SlaConfig {
            pause_in: pause.iter().map(ToString::to_string).collect(),
            ..Default::default()
        };
        Sla::from_config(config, workflow).unwrap()
    }

    #[test]
    fn a_business_day_target_skips_the_weekend() {
        // Opened Friday 17:00, medium: acknowledge within 1bd = Monday 17:00.
        let (h, w, cal) = setup("");
        let [ack, _] = clocks(
            &h,
            None,
            &w,
            &sla(&w, &[]),
            &cal,
            &t("2026-11-23T10:00:00Z"),
        );
        assert_eq!(ack.state, ClockState::Running);
        assert_eq!(ack.deadline, Some(t("2026-11-23T17:00:00Z")));
        assert_eq!(ack.elapsed_s, 2 * 3600);
        let [ack, _] = clocks(
            &h,
            None,
            &w,
            &sla(&w, &[]),
            &cal,
            &t("2026-11-23T17:30:00Z"),
        );
        assert_eq!(ack.state, ClockState::Breached);
    }

    #[test]
    fn a_business_clock_that_reaches_its_target_at_close_is_breached_once_the_deadline_passes() {
        // Opened Friday 17:00 with 1bh to acknowledge: the deadline is Friday 18:00, close of
        // business, and the clock then stands at its target all weekend.
        let ack_in_1bh = |w: &Workflow| {
            let config = SlaConfig {
                acknowledge: BTreeMap::from([(Severity::Medium, span(1, Unit::BusinessHours))]),
                ..Default::default()
            };
            Sla::from_config(config, w).unwrap()
        };
        let (h, w, cal) = setup("");
        let at = |now: &str| clocks(&h, None, &w, &ack_in_1bh(&w), &cal, &t(now))[0].clone();
        let friday = at("2026-11-20T17:59:00Z");
        assert_eq!(friday.state, ClockState::Running);
        assert_eq!(friday.deadline, Some(t("2026-11-20T18:00:00Z")));
        let saturday = at("2026-11-21T12:00:00Z");
        assert_eq!(saturday.state, ClockState::Breached);
        assert_eq!(saturday.remaining_s(), 0, "no business time passed since");

        let acknowledged = |at: &str| {
            let (h, w, cal) = setup(&format!(
                "[[event]]\nat = {at}\nkind = \"stage\"\nfrom = \"new\"\nto = \"acknowledged\"\n"
            ));
            let now = t("2026-11-23T12:00:00Z");
            clocks(&h, None, &w, &ack_in_1bh(&w), &cal, &now)[0].state
        };
        assert_eq!(acknowledged("2026-11-20T17:59:00Z"), ClockState::Met);
        assert_eq!(acknowledged("2026-11-20T18:00:00Z"), ClockState::Met);
        assert_eq!(acknowledged("2026-11-21T10:00:00Z"), ClockState::Breached);

        // Waiting on the customer does not undo a deadline that passed before the wait.
        let resolve_when_waiting_from = |at: &str| {
            let (h, w, cal) = setup(&format!(
                "[[event]]\nat = {at}\nkind = \"stage\"\nfrom = \"new\"\nto = \"waiting\"\n"
            ));
            let config = SlaConfig {
                resolve: BTreeMap::from([(Severity::Medium, span(1, Unit::BusinessHours))]),
                pause_in: vec!["waiting".into()],
                ..Default::default()
            };
            let sla = Sla::from_config(config, &w).unwrap();
            clocks(&h, None, &w, &sla, &cal, &t("2026-11-23T12:00:00Z"))[1].state
        };
        assert_eq!(
            resolve_when_waiting_from("2026-11-20T17:05:00Z"),
            ClockState::Paused,
            "5 minutes of 1bh used"
        );
        assert_eq!(
            resolve_when_waiting_from("2026-11-21T10:00:00Z"),
            ClockState::Breached,
            "the deadline, Friday 18:00, passed before the wait"
        );
    }

    #[test]
    fn a_calendar_target_counts_every_hour() {
        let (h, w, cal) = setup(
            "[[event]]\nat = 2026-11-20T19:00:00Z\nkind = \"stage\"\nfrom = \"new\"\nto = \"acknowledged\"\n",
        );
        let [ack, _] = clocks(
            &h,
            Some(Severity::Critical),
            &w,
            &sla(&w, &[]),
            &cal,
            &t("2026-11-23T10:00:00Z"),
        );
        assert_eq!(ack.state, ClockState::Breached, "2h against a 1h target");
        assert_eq!(ack.deadline, Some(t("2026-11-20T18:00:00Z")));
        let [ack, _] = clocks(
            &h,
            Some(Severity::High),
            &w,
            &sla(&w, &[]),
            &cal,
            &t("2026-11-23T10:00:00Z"),
        );
        assert_eq!(ack.state, ClockState::Met);
    }

    #[test]
    fn the_resolve_clock_pauses_while_waiting_on_the_customer() {
        // Business hours Mon-Fri 09-18. Waiting all of Monday and Tuesday.
        let (h, w, cal) = setup(
            "[[event]]\nat = 2026-11-20T17:30:00Z\nkind = \"stage\"\nfrom = \"new\"\nto = \"waiting\"\n\
             [[event]]\nat = 2026-11-25T09:00:00Z\nkind = \"stage\"\nfrom = \"waiting\"\nto = \"investigating\"\n",
        );
        let now = t("2026-11-25T12:00:00Z");
        let [_, resolve] = clocks(&h, None, &w, &sla(&w, &["waiting"]), &cal, &now);
        assert_eq!(resolve.elapsed_s, 30 * 60 + 3 * 3600);
        assert_eq!(resolve.state, ClockState::Running);
        let [_, unpaused] = clocks(&h, None, &w, &sla(&w, &[]), &cal, &now);
        assert_eq!(unpaused.elapsed_s, 3600 + 9 * 3600 * 2 + 3 * 3600);
        let [_, paused] = clocks(
            &h,
            None,
            &w,
            &sla(&w, &["waiting"]),
            &cal,
            &t("2026-11-24T12:00:00Z"),
        );
        assert_eq!((paused.state, paused.deadline), (ClockState::Paused, None));
    }
}
