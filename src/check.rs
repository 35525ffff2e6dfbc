//! The findings of `gripe check`: files that cannot be read or hold conflict markers,
//! complaints whose content is inconsistent, and the commitments that are late.
//!
//! Kinds: `invalid` (a file that does not parse, an unknown stage, a header that disagrees with
//! its events, a duplicate id, a value outside the vocabulary, a stage entered without what it
//! requires), `conflicts` (git conflict markers), `layout` (a file not at `YYYY/MM/<id>.toml`
//! for its opening month and id: it still counts, but git sees a move as a delete and an add,
//! so an edit of the old path on another branch merges into a second copy), `overdue`
//! (follow-ups not done by their due time), `sla` (breached clocks of open complaints) and
//! `promises` (broken promises of complaints not yet resolved).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::calendar::Calendar;
use crate::complaint::Complaint;
use crate::config::Config;
use crate::duration::human_seconds;
use crate::error::Error;
use crate::keys::is_set;
use crate::sla::ClockState;
use crate::status::FollowupState;
use crate::status::PromiseState;
use crate::status::Status;
use crate::store::Loaded;
use crate::store::Scan;
use crate::store::Store;
use crate::when::Timestamp;
use crate::when::When;
use crate::when::Zone;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    Conflicts,
    Invalid,
    Layout,
    Overdue,
    Sla,
    Promises,
}

impl FindingKind {
    pub const ALL: [FindingKind; 6] = [
        FindingKind::Conflicts,
        FindingKind::Invalid,
        FindingKind::Layout,
        FindingKind::Overdue,
        FindingKind::Sla,
        FindingKind::Promises,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Conflicts => "conflicts",
            FindingKind::Invalid => "invalid",
            FindingKind::Layout => "layout",
            FindingKind::Overdue => "overdue",
            FindingKind::Sla => "sla",
            FindingKind::Promises => "promises",
        }
    }

    /// The kinds a `--fail-on` list names; `all` is every kind.
    pub fn parse_list(names: &[String]) -> Result<Vec<FindingKind>, String> {
        let mut kinds = Vec::new();
        for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            if name == "all" {
                return Ok(FindingKind::ALL.to_vec());
            }
            let kind = FindingKind::ALL
                .into_iter()
                .find(|k| k.as_str() == name)
                .ok_or_else(|| {
                    format!("`{name}` is not a kind of finding: invalid, conflicts, layout, overdue, sla, promises or all")
                })?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        Ok(kinds)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub path: PathBuf,
    pub line: Option<usize>,
    pub id: Option<String>,
    pub message: String,
}

/// What `check` found, and how many files could not be read at all.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub unreadable: usize,
}

pub fn check(scan: &Scan, store: &Store, calendar: &Calendar, now: &Timestamp) -> Report {
    let config = &store.config;
    let mut report = Report::default();
    for error in &scan.errors {
        let (kind, path, line, message) = match error {
            Error::ConflictMarkers { location } => (
                FindingKind::Conflicts,
                location.path.clone(),
                Some(location.line),
                "git conflict markers; `gripe resolve` merges both sides".to_string(),
            ),
            Error::InvalidFile {
                location, message, ..
            } => (
                FindingKind::Invalid,
                location.path.clone(),
                Some(location.line),
                message.clone(),
            ),
            Error::Read { path, source } => {
                report.unreadable += 1;
                (
                    FindingKind::Invalid,
                    path.clone(),
                    None,
                    format!("cannot be read: {source}"),
                )
            }
            other => (
                FindingKind::Invalid,
                PathBuf::new(),
                None,
                other.to_string(),
            ),
        };
        report.findings.push(Finding {
            kind,
            path,
            line,
            id: None,
            message,
        });
    }
    let mut by_id: BTreeMap<&str, Vec<&Loaded>> = BTreeMap::new();
    for loaded in &scan.complaints {
        by_id.entry(&loaded.complaint.id).or_default().push(loaded);
    }
    for loaded in &scan.complaints {
        let mut found = |kind, message: String| {
            report.findings.push(Finding {
                kind,
                path: loaded.path.clone(),
                line: None,
                id: Some(loaded.complaint.id.clone()),
                message,
            });
        };
        for other in &by_id[loaded.complaint.id.as_str()] {
            if other.path != loaded.path {
                found(
                    FindingKind::Invalid,
                    format!("duplicate id: {} holds the same id", other.path.display()),
                );
            }
        }
        for message in inconsistencies(&loaded.complaint, config, &calendar.zone) {
            found(FindingKind::Invalid, message);
        }
        if let Some(message) = misplaced(loaded, store, &calendar.zone) {
            found(FindingKind::Layout, message);
        }
        for (kind, message) in late(&loaded.complaint, config, calendar, now) {
            found(kind, message);
        }
    }
    report
        .findings
        .sort_by(|a, b| (a.kind, &a.path, a.line).cmp(&(b.kind, &b.path, b.line)));
    report
}

/// What is wrong inside one complaint.
fn inconsistencies(c: &Complaint, config: &Config, zone: &Zone) -> Vec<String> {
    let workflow = &config.workflow;
    let mut out = Vec::new();
    let Some(current) = workflow.index(&c.stage) else {
        out.push(format!(
            "stage `{}` is not in the workflow ({})",
            c.stage,
            workflow.stages.join(", ")
        ));
        return out;
    };
    let from_events = c.stage_from_events().unwrap_or(workflow.first());
    if from_events != c.stage {
        out.push(format!(
            "the header says stage `{}` but the events end in `{from_events}`",
            c.stage
        ));
    }
    for key in ["category", "channel", "component"] {
        let value = match key {
            "category" => &c.category,
            "channel" => &c.channel,
            _ => &c.component,
        };
        if let (Some(value), Some(allowed)) = (value, config.vocabulary.allowed(key))
            && !allowed.contains(value)
        {
            out.push(format!(
                "{key} `{value}` is not in the vocabulary of gripe.toml"
            ));
        }
    }
    for (stage, keys) in workflow.requires.range(..=current) {
        let forced = c.events.iter().any(|e| {
            e.forced
                && e.to_stage()
                    .and_then(|s| workflow.index(s))
                    .is_some_and(|i| i >= *stage)
        });
        for key in keys.iter().filter(|k| !is_set(c, k)) {
            if !forced {
                out.push(format!(
                    "in `{}` without {key}, which `{}` requires",
                    c.stage,
                    workflow.name(*stage)
                ));
            }
        }
    }
    let opened = c.opened.instant(zone);
    if let Some(early) = c.events.iter().find(|e| e.at.instant(zone) < opened) {
        out.push(format!(
            "a {} event at {} comes before the complaint was opened ({})",
            early.kind.as_str(),
            early.at,
            c.opened
        ));
    }
    for (i, f) in c.followups.iter().enumerate() {
        if c.followups[..i].iter().any(|g| g.id == f.id) {
            out.push(format!("follow-up id `{}` is used twice", f.id));
        }
    }
    out
}

/// Where a file should be, when it is elsewhere: `YYYY/MM/<id>.toml` below the folder, by the
/// opening date as written or in the team's zone (either is where gripe would have put it).
fn misplaced(loaded: &Loaded, store: &Store, zone: &Zone) -> Option<String> {
    let c = &loaded.complaint;
    let as_written = match c.opened {
        When::Zoned(t) => Zone::Fixed(*t.offset()),
        _ => *zone,
    };
    let expected = store.path_for(c, &as_written);
    if loaded.path == expected || loaded.path == store.path_for(c, zone) {
        return None;
    }
    Some(format!(
        "outside the layout: expected at {} (opening month and id); move it there with `git mv`",
        expected.display()
    ))
}

/// The commitments of one complaint that are late.
fn late(
    c: &Complaint,
    config: &Config,
    calendar: &Calendar,
    now: &Timestamp,
) -> Vec<(FindingKind, String)> {
    let zone = &calendar.zone;
    let status = Status::new(c, config, calendar, now);
    let mut out = Vec::new();
    for (f, state) in c.followups.iter().zip(&status.followups) {
        if *state == FollowupState::Overdue {
            out.push((
                FindingKind::Overdue,
                format!(
                    "follow-up {} was due {} ({} ago): {}",
                    f.id,
                    f.due,
                    human_seconds((*now - f.due.deadline(zone)).num_seconds()),
                    f.note.as_deref().unwrap_or_default()
                ),
            ));
        }
    }
    for clock in status.open_clocks() {
        if clock.state == ClockState::Breached {
            out.push((
                FindingKind::Sla,
                format!(
                    "{} SLA of {} breached {} ago",
                    clock.kind.as_str(),
                    clock.target,
                    clock
                        .deadline
                        .map(|d| human_seconds((*now - d).num_seconds()))
                        .unwrap_or_default()
                ),
            ));
        }
    }
    if let Some(promise) = status.pending_promise()
        && promise.state == PromiseState::Broken
    {
        out.push((
            FindingKind::Promises,
            format!("promised by {}, still not resolved", promise.by),
        ));
    }
    out
}
