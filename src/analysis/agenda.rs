//! The agenda behind `gripe due`: every follow-up not done, every promise not yet met and every
//! running SLA deadline and every regulator's deadline still waiting for its letter, grouped into overdue, today and upcoming.

use chrono::Duration;
use serde::Serialize;

use crate::analysis::sla::ClockKind;
use crate::analysis::status::Status;
use crate::model::complaint::Complaint;
use crate::model::config::Config;
use crate::model::regime::Regime;
use crate::store::Loaded;
use crate::time::calendar::Calendar;
use crate::time::when::Timestamp;
use crate::time::when::When;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Group {
    Overdue,
    Today,
    Upcoming,
}

impl Group {
    pub(crate) fn title(self) -> &'static str {
        match self {
            Group::Overdue => "Overdue",
            Group::Today => "Today",
            Group::Upcoming => "Upcoming",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum ItemKind {
    #[serde(rename = "follow-up")]
    Followup,
    #[serde(rename = "promise")]
    Promise,
    #[serde(rename = "sla-acknowledge")]
    Acknowledge,
    #[serde(rename = "sla-resolve")]
    Resolve,
    /// A regulator's deadline; the item's text names the regime and the clock.
    #[serde(rename = "regulatory")]
    Regulatory,
}

impl ItemKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ItemKind::Followup => "follow-up",
            ItemKind::Promise => "promise",
            ItemKind::Acknowledge => "sla-acknowledge",
            ItemKind::Resolve => "sla-resolve",
            ItemKind::Regulatory => "regulatory",
        }
    }
}

/// One thing due, on one complaint.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    pub(crate) group: Group,
    pub(crate) kind: ItemKind,
    /// The moment it is late after (the end of the day for a date).
    pub(crate) deadline: Timestamp,
    /// As written: a date, or a time.
    pub(crate) due: When,
    pub(crate) loaded: &'a Loaded,
    pub(crate) followup: Option<&'a str>,
    /// The regime and clock of a regulatory item.
    pub(crate) clock: Option<(Regime, &'static str)>,
    pub(crate) text: Option<String>,
}

impl Item<'_> {
    pub(crate) fn complaint(&self) -> &Complaint {
        &self.loaded.complaint
    }

    /// Where the item goes in the agenda (with its complaint's id, then its place among that
    /// complaint's items): overdue first, then today's, then upcoming, soonest first in each.
    pub(crate) fn order(&self) -> (Group, Timestamp) {
        (self.group, self.deadline)
    }
}

/// The agenda as of `now`: what is due by `now + within`, and what is already late.
#[derive(Clone, Copy)]
pub(crate) struct Agenda<'c> {
    pub(crate) config: &'c Config,
    pub(crate) calendar: &'c Calendar,
    pub(crate) now: &'c Timestamp,
    pub(crate) within: Duration,
}

impl Agenda<'_> {
    /// What one complaint has on the agenda, in a fixed order: follow-ups, the promise, the SLA
    /// clocks. [`Item::order`] sorts the agenda of many.
    pub(crate) fn of<'a>(&self, loaded: &'a Loaded) -> Vec<Item<'a>> {
        let Agenda {
            config,
            calendar,
            now,
            within,
        } = *self;
        let zone = &calendar.zone;
        let today = zone.local(now).date();
        let horizon = *now + within;
        let group = |deadline: &Timestamp| {
            if deadline < now {
                Some(Group::Overdue)
            } else if zone.local(deadline).date() == today {
                Some(Group::Today)
            } else if *deadline <= horizon {
                Some(Group::Upcoming)
            } else {
                None
            }
        };
        let c = &loaded.complaint;
        let mut items = Vec::new();
        let status = Status::new(c, config, calendar, now);
        let mut push = |kind, due: When, deadline: Timestamp, followup, clock, text| {
            if let Some(group) = group(&deadline) {
                items.push(Item {
                    group,
                    kind,
                    deadline,
                    due,
                    loaded,
                    followup,
                    clock,
                    text,
                });
            }
        };
        for (f, state) in c.followups.iter().zip(&status.followups) {
            if state.is_pending() {
                push(
                    ItemKind::Followup,
                    f.due,
                    f.due.deadline(zone),
                    Some(f.id.as_str()),
                    None,
                    f.note.clone(),
                );
            }
        }
        if let Some(promise) = status.pending_promise() {
            push(
                ItemKind::Promise,
                promise.by,
                promise.deadline,
                None,
                None,
                Some(format!("promised by {}", promise.by)),
            );
        }
        for clock in status.open_clocks() {
            if let Some(deadline) = clock.deadline {
                let kind = match clock.kind {
                    ClockKind::Acknowledge => ItemKind::Acknowledge,
                    ClockKind::Resolve => ItemKind::Resolve,
                };
                push(
                    kind,
                    When::Zoned(zone.in_zone(&deadline)),
                    deadline,
                    None,
                    None,
                    Some(format!("{} within {}", clock.kind.as_str(), clock.target)),
                );
            }
        }
        for clock in status.regulatory.iter().filter(|c| c.is_open()) {
            push(
                ItemKind::Regulatory,
                When::Zoned(zone.in_zone(&clock.deadline)),
                clock.deadline,
                None,
                Some((clock.regime, clock.name)),
                Some(format!("{} ({})", clock.label(), clock.state.as_str())),
            );
        }
        items
    }
}
