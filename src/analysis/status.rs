//! Where a complaint stands against what was promised, at a given moment: its follow-ups
//! (open, overdue, done, done late), the promise given to the customer (kept, broken, at risk)
//! and its two SLA clocks.
//!
//! A promise is kept when the complaint reaches `resolved` (or a later stage) by the promised
//! date, broken otherwise; it is at risk when it falls due within a day and the complaint is not
//! resolved yet. A date without a time means the end of that day in the team's zone.

use chrono::Duration;
use serde::Serialize;

use crate::analysis::history::History;
use crate::analysis::regulatory::RegClock;
use crate::analysis::sla::Clock;
use crate::analysis::sla::clocks;
use crate::model::complaint::Complaint;
use crate::model::complaint::EventKind;
use crate::model::complaint::FieldValue;
use crate::model::complaint::Followup;
use crate::model::config::Config;
use crate::time::calendar::Calendar;
use crate::time::when::Timestamp;
use crate::time::when::When;
use crate::time::when::Zone;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum FollowupState {
    Open,
    Overdue,
    Done,
    DoneLate,
}

impl FollowupState {
    pub(crate) fn of(followup: &Followup, zone: &Zone, now: &Timestamp) -> FollowupState {
        let due = followup.due.deadline(zone);
        match &followup.done {
            Some(done) if done.instant(zone) <= due => FollowupState::Done,
            Some(_) => FollowupState::DoneLate,
            None if due < *now => FollowupState::Overdue,
            None => FollowupState::Open,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FollowupState::Open => "open",
            FollowupState::Overdue => "overdue",
            FollowupState::Done => "done",
            FollowupState::DoneLate => "done late",
        }
    }

    pub(crate) fn is_pending(self) -> bool {
        matches!(self, FollowupState::Open | FollowupState::Overdue)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PromiseState {
    /// Resolved by the promised date.
    Kept,
    /// Resolved after it, or not resolved and the date has passed.
    Broken,
    /// Not resolved, and due within a day.
    AtRisk,
    /// Not resolved, and more than a day to go.
    Pending,
}

impl PromiseState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PromiseState::Kept => "kept",
            PromiseState::Broken => "broken",
            PromiseState::AtRisk => "at risk",
            PromiseState::Pending => "pending",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Promise {
    /// The date the customer was last given.
    pub(crate) by: When,
    pub(crate) deadline: Timestamp,
    /// The first date the customer was given (what the kept rate counts against).
    pub(crate) first: When,
    pub(crate) state: PromiseState,
    /// Whether the complaint has reached `resolved`: a promise still to keep when not.
    pub(crate) resolved: bool,
}

impl Promise {
    /// The promise of `c`, if it has one, judged at `now` by the first resolution after the
    /// promise was given (so a promise renewed after a reopen needs a new resolution).
    pub(crate) fn of(
        c: &Complaint,
        history: &History,
        resolved: usize,
        zone: &Zone,
        now: &Timestamp,
    ) -> Option<Promise> {
        let by = c.promised_by?;
        let given = c
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Set && e.key.as_deref() == Some("promised_by"))
            .map(|e| e.at.instant(zone))
            .max()
            .unwrap_or(history.opened);
        let resolved_at = history.first_reaching_since(resolved, &given);
        let deadline = by.deadline(zone);
        let state = match resolved_at {
            Some(at) if at <= deadline => PromiseState::Kept,
            Some(_) => PromiseState::Broken,
            None if deadline < *now => PromiseState::Broken,
            None if deadline - *now <= Duration::days(1) => PromiseState::AtRisk,
            None => PromiseState::Pending,
        };
        Some(Promise {
            by,
            deadline,
            first: first_promise(c).unwrap_or(by),
            state,
            resolved: resolved_at.is_some(),
        })
    }
}

/// The first promised date: the value before the first change of `promised_by`, or what that
/// change set when there was none before.
fn first_promise(c: &Complaint) -> Option<When> {
    let as_when = |v: &Option<FieldValue>| match v {
        Some(FieldValue::When(w)) => Some(*w),
        Some(FieldValue::Text(s)) => s.parse().ok(),
        _ => None,
    };
    let first = c
        .events
        .iter()
        .find(|e| e.kind == EventKind::Set && e.key.as_deref() == Some("promised_by"))?;
    as_when(&first.from).or_else(|| as_when(&first.to))
}

/// Everything `list`, `show`, `due` and `check` say about where a complaint stands.
#[derive(Debug, Clone)]
pub(crate) struct Status {
    pub(crate) history: History,
    pub(crate) clocks: [Clock; 2],
    /// The clocks of the regulators' timetables the complaint runs under.
    pub(crate) regulatory: Vec<RegClock>,
    pub(crate) promise: Option<Promise>,
    /// The state of each follow-up, in file order.
    pub(crate) followups: Vec<FollowupState>,
    pub(crate) closed: bool,
}

impl Status {
    pub(crate) fn new(
        c: &Complaint,
        config: &Config,
        calendar: &Calendar,
        now: &Timestamp,
    ) -> Status {
        let workflow = &config.workflow;
        let zone = &calendar.zone;
        let history = History::new(c, workflow, zone);
        let clocks = clocks(&history, c.severity, workflow, &config.sla, calendar, now);
        let promise = Promise::of(c, &history, workflow.resolved, zone, now);
        Status {
            regulatory: crate::analysis::regulatory::clocks(c, &config.regulatory, calendar, now),
            clocks,
            promise,
            followups: c
                .followups
                .iter()
                .map(|f| FollowupState::of(f, zone, now))
                .collect(),
            closed: workflow.is_closed(&c.stage),
            history,
        }
    }

    /// The follow-up due first among those not done.
    pub(crate) fn next_followup<'c>(
        &self,
        c: &'c Complaint,
        zone: &Zone,
    ) -> Option<(&'c Followup, FollowupState)> {
        c.followups
            .iter()
            .zip(&self.followups)
            .filter(|(_, s)| s.is_pending())
            .min_by_key(|(f, _)| f.due.deadline(zone))
            .map(|(f, s)| (f, *s))
    }

    /// Short words for what is late or close to it: `overdue` (a follow-up), `ack-late` and
    /// `resolve-late` (breached SLA clocks of an open complaint), `promise-broken`,
    /// `promise-at-risk`, `regulatory-breach` (a regulator's deadline passed with no letter).
    pub(crate) fn flags(&self) -> Vec<&'static str> {
        let mut flags = Vec::new();
        if self.followups.contains(&FollowupState::Overdue) {
            flags.push("overdue");
        }
        for clock in self.open_clocks() {
            if clock.state == crate::analysis::sla::ClockState::Breached {
                flags.push(match clock.kind {
                    crate::analysis::sla::ClockKind::Acknowledge => "ack-late",
                    crate::analysis::sla::ClockKind::Resolve => "resolve-late",
                });
            }
        }
        if self.regulatory.iter().any(RegClock::is_open_breach) {
            flags.push("regulatory-breach");
        }
        match self.pending_promise().map(|p| p.state) {
            Some(PromiseState::Broken) => flags.push("promise-broken"),
            Some(PromiseState::AtRisk) => flags.push("promise-at-risk"),
            _ => {}
        }
        flags
    }

    /// The promise when it is still to keep: the complaint is neither resolved nor closed.
    pub(crate) fn pending_promise(&self) -> Option<&Promise> {
        self.promise
            .as_ref()
            .filter(|p| !p.resolved && !self.closed)
    }

    /// The clocks still running or breached while the complaint is open: what needs action.
    pub(crate) fn open_clocks(&self) -> impl Iterator<Item = &Clock> {
        self.clocks
            .iter()
            .filter(move |clock| !self.closed && clock.stopped.is_none())
    }
}
