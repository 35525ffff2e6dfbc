//! A complaint as it was at an earlier moment, rebuilt from its own history: the events after
//! that moment are undone (a `set` event's old value goes back into the header, the stage is
//! the one the remaining events end in), follow-ups scheduled later disappear and ones done
//! later are open again. This is what `gripe report --as-of` reads, so a report "as of" a date
//! equals the report that date would have shown.

use crate::model::complaint::Complaint;
use crate::model::complaint::EventKind;
use crate::model::keys::KeyPath;
use crate::model::stage::Workflow;
use crate::time::when::Timestamp;
use crate::time::when::Zone;

/// `c` as it was at `t`, or `None` if it was not opened yet.
pub(crate) fn as_of(
    c: &Complaint,
    t: &Timestamp,
    workflow: &Workflow,
    zone: &Zone,
) -> Option<Complaint> {
    if c.opened.instant(zone) > *t {
        return None;
    }
    let mut past = c.clone();
    let (kept, undone): (Vec<_>, Vec<_>) = past
        .events
        .drain(..)
        .partition(|e| e.at.instant(zone) <= *t);
    let mut undone = undone;
    undone.sort_by_key(|e| std::cmp::Reverse(e.at.instant(zone)));
    for event in &undone {
        match event.kind {
            // A merge decision undone gives back the value it was kept over.
            EventKind::Set | EventKind::Merge => {
                if let Some(key) = event.key.as_deref().and_then(|k| KeyPath::parse(k).ok()) {
                    key.apply(&mut past, event.from.clone());
                }
            }
            EventKind::Followup => {
                let id = event.followup.as_deref();
                past.followups.retain(|f| Some(f.id.as_str()) != id);
            }
            EventKind::FollowupDone => {
                let id = event.followup.as_deref();
                if let Some(f) = past
                    .followups
                    .iter_mut()
                    .find(|f| Some(f.id.as_str()) == id)
                {
                    f.done = None;
                }
            }
            _ => {}
        }
    }
    for f in &mut past.followups {
        if f.done.is_some_and(|d| d.instant(zone) > *t) {
            f.done = None;
        }
    }
    past.events = kept;
    past.stage = past
        .stage_from_events()
        .unwrap_or(workflow.first())
        .to_string();
    Some(past)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_changes_are_undone() {
        let c: Complaint = toml::from_str(
            r#"
id = "aaaa000000000000"
title = "t"
opened = 2026-11-02T09:00:00Z
stage = "resolved"
severity = "high"
[resolution]
action = "refund"
[[followup]]
id = "f00001"
due = 2026-11-05
done = 2026-11-06T10:00:00Z
[[event]]
at = 2026-11-02T09:00:00Z
kind = "opened"
[[event]]
at = 2026-11-02T10:00:00Z
kind = "followup"
followup = "f00001"
[[event]]
at = 2026-11-03T10:00:00Z
kind = "set"
key = "severity"
from = "low"
to = "high"
[[event]]
at = 2026-11-04T10:00:00Z
kind = "set"
key = "resolution.action"
to = "refund"
[[event]]
at = 2026-11-04T10:00:00Z
kind = "stage"
from = "new"
to = "resolved"
"#,
        )
        .unwrap();
        let zone = Zone::Fixed(chrono::FixedOffset::east_opt(0).unwrap());
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
        let w = Workflow::default();
        assert!(as_of(&c, &t("2026-11-01T00:00:00Z"), &w, &zone).is_none());
        let early = as_of(&c, &t("2026-11-02T12:00:00Z"), &w, &zone).unwrap();
        assert_eq!(early.stage, "new");
        assert_eq!(early.severity.map(|s| s.as_str()), Some("low"));
        assert_eq!(early.resolution.action, None);
        assert_eq!(early.followups[0].done, None);
        assert_eq!(early.events.len(), 2);
        let before_followup = as_of(&c, &t("2026-11-02T09:30:00Z"), &w, &zone).unwrap();
        assert!(before_followup.followups.is_empty());
        assert_eq!(as_of(&c, &t("2026-11-07T00:00:00Z"), &w, &zone).unwrap(), c);
    }
}
