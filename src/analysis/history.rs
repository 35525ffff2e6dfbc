//! A complaint's stage history, read from its events: when it first reached a stage, how long it
//! spent in each, how often it was reopened, and which stage it was in at any moment.
//!
//! Everything here comes from the file alone, never from git, so it works in shallow CI clones
//! and replays the past for `--as-of` reports.

use crate::model::complaint::Complaint;
use crate::model::complaint::EventKind;
use crate::model::stage::Workflow;
use crate::time::when::Timestamp;
use crate::time::when::Zone;

/// One stage change: when, to which stage (`None` for a stage not in the workflow), and whether
/// it was a reopen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Transition {
    pub(crate) at: Timestamp,
    pub(crate) to: Option<usize>,
    pub(crate) reopen: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct History {
    pub(crate) opened: Timestamp,
    /// The stage before the first transition (the workflow's first stage unless the first event
    /// says otherwise).
    pub(crate) initial: Option<usize>,
    /// Stage changes in time order (events at the same instant keep their file order).
    pub(crate) transitions: Vec<Transition>,
}

impl History {
    pub(crate) fn new(c: &Complaint, workflow: &Workflow, zone: &Zone) -> History {
        let mut changes: Vec<(Timestamp, &crate::model::complaint::Event)> = c
            .events
            .iter()
            .filter(|e| e.changes_stage())
            .map(|e| (e.at.instant(zone), e))
            .collect();
        changes.sort_by_key(|(at, _)| *at);
        let initial = changes
            .first()
            .and_then(|(_, e)| e.from.as_ref())
            .and_then(|f| f.as_text())
            .map_or(Some(0), |stage| workflow.index(stage));
        History {
            opened: c.opened.instant(zone),
            initial,
            transitions: changes
                .into_iter()
                .map(|(at, e)| Transition {
                    at,
                    to: e.to_stage().and_then(|s| workflow.index(s)),
                    reopen: e.kind == EventKind::Reopened,
                })
                .collect(),
        }
    }

    /// When the complaint first reached stage `index` or any later stage (`opened` if it started
    /// there).
    pub(crate) fn first_reaching(&self, index: usize) -> Option<Timestamp> {
        if self.initial.is_some_and(|i| i >= index) {
            return Some(self.opened);
        }
        self.transitions
            .iter()
            .find(|t| t.to.is_some_and(|to| to >= index))
            .map(|t| t.at)
    }

    /// When the complaint first reached stage `index` or later at or after `since` (a reopened
    /// complaint is judged by its next resolution, not an earlier one).
    pub(crate) fn first_reaching_since(
        &self,
        index: usize,
        since: &Timestamp,
    ) -> Option<Timestamp> {
        // Changes at the very instant `since` count as already made.
        let before = self
            .transitions
            .iter()
            .take_while(|t| t.at <= *since)
            .count();
        if self.stage_at(since).is_some_and(|s| s >= index) {
            return Some(*since);
        }
        self.transitions[before..]
            .iter()
            .find(|t| t.to.is_some_and(|to| to >= index))
            .map(|t| t.at)
    }

    /// The stage at instant `t` (the initial stage before the first change).
    pub(crate) fn stage_at(&self, t: &Timestamp) -> Option<usize> {
        self.transitions
            .iter()
            .take_while(|tr| tr.at <= *t)
            .last()
            .map_or(self.initial, |tr| tr.to)
    }

    /// The stages from `opened` until `until`, as (start, end, stage) segments.
    pub(crate) fn segments(&self, until: &Timestamp) -> Vec<(Timestamp, Timestamp, Option<usize>)> {
        let mut segments = Vec::new();
        let (mut start, mut stage) = (self.opened, self.initial);
        for t in &self.transitions {
            if t.at >= *until {
                break;
            }
            if t.at > start {
                segments.push((start, t.at, stage));
                start = t.at;
            }
            stage = t.to;
        }
        if *until > start {
            segments.push((start, *until, stage));
        }
        segments
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complaint(text: &str) -> Complaint {
        toml::from_str(text).unwrap()
    }

    const REOPENED: &str = r#"
id = "aaaa000000000000"
title = "t"
opened = 2026-11-02T09:00:00Z
stage = "investigating"
[[event]]
at = 2026-11-02T10:00:00Z
kind = "stage"
from = "new"
to = "acknowledged"
[[event]]
at = 2026-11-04T10:00:00Z
kind = "stage"
from = "acknowledged"
to = "resolved"
[[event]]
at = 2026-11-05T10:00:00Z
kind = "note"
[[event]]
at = 2026-11-06T10:00:00Z
kind = "reopened"
from = "resolved"
to = "investigating"
"#;

    fn t(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn first_reaching_counts_any_later_stage() {
        let h = History::new(
            &complaint(REOPENED),
            &Workflow::default(),
            &Zone::Fixed(t("2026-11-01T00:00:00Z").offset().to_owned()),
        );
        assert_eq!(h.first_reaching(1), Some(t("2026-11-02T10:00:00Z")));
        assert_eq!(h.first_reaching(2), Some(t("2026-11-04T10:00:00Z")));
        assert_eq!(h.first_reaching(3), Some(t("2026-11-04T10:00:00Z")));
        assert_eq!(h.first_reaching(5), None);
        assert_eq!(
            h.first_reaching_since(3, &t("2026-11-05T00:00:00Z")),
            Some(t("2026-11-05T00:00:00Z"))
        );
        assert_eq!(
            h.first_reaching_since(3, &t("2026-11-06T12:00:00Z")),
            None,
            "reopened since"
        );
        assert_eq!(h.transitions.iter().filter(|t| t.reopen).count(), 1);
    }

    #[test]
    fn stage_at_and_segments_replay_the_past() {
        let h = History::new(
            &complaint(REOPENED),
            &Workflow::default(),
            &Zone::Fixed(t("2026-11-01T00:00:00Z").offset().to_owned()),
        );
        assert_eq!(h.stage_at(&t("2026-11-02T09:30:00Z")), Some(0));
        assert_eq!(h.stage_at(&t("2026-11-05T00:00:00Z")), Some(3));
        assert_eq!(h.stage_at(&t("2026-11-07T00:00:00Z")), Some(2));
        let segments = h.segments(&t("2026-11-05T00:00:00Z"));
        let stages: Vec<Option<usize>> = segments.iter().map(|s| s.2).collect();
        assert_eq!(stages, [Some(0), Some(1), Some(3)]);
        assert_eq!(segments[2].1, t("2026-11-05T00:00:00Z"));
    }
}
