//! The findings of `gripe check`: files that cannot be read or hold conflict markers,
//! complaints whose content is inconsistent, and the commitments that are late.
//!
//! Kinds: `invalid` (a file that does not parse, an unknown stage, a header that disagrees with
//! its events, a duplicate id, a value outside the vocabulary, a stage entered without what it
//! requires), `conflicts` (git conflict markers), `layout` (a file not at `YYYY/MM/<id>.toml`
//! for its opening month and id: it still counts, but git sees a move as a delete and an add,
//! so an edit of the old path on another branch merges into a second copy), `overdue`
//! (follow-ups not done by their due time), `sla` (breached clocks of open complaints) and
//! `promises` (broken promises of complaints not yet resolved), `pii` and `retention` (personal
//! data, and closed complaints kept too long) and `regulatory-breach` (a regulator's deadline
//! passed with its letter not sent).

use std::path::PathBuf;

use serde::Serialize;

use crate::analysis::sla::ClockState;
use crate::analysis::status::FollowupState;
use crate::analysis::status::PromiseState;
use crate::analysis::status::Status;
use crate::error::Error;
use chrono::NaiveDate;

use crate::model::complaint::Complaint;
use crate::model::complaint::EventKind;
use crate::model::config::Config;
use crate::model::keys::is_set;
use crate::model::privacy::Detector;
use crate::model::privacy::excerpt;
use crate::model::privacy::line_of;
use crate::model::privacy::visit_texts;
use crate::store::Loaded;
use crate::store::Store;
use crate::time::calendar::Calendar;
use crate::time::duration::human_seconds;
use crate::time::when::Timestamp;
use crate::time::when::When;
use crate::time::when::Zone;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FindingKind {
    Conflicts,
    Invalid,
    Layout,
    Overdue,
    Sla,
    Promises,
    Pii,
    Retention,
    /// A regulator's deadline passed and its letter was not sent.
    #[serde(rename = "regulatory-breach")]
    RegulatoryBreach,
}

impl FindingKind {
    pub(crate) const ALL: [FindingKind; 9] = [
        FindingKind::Conflicts,
        FindingKind::Invalid,
        FindingKind::Layout,
        FindingKind::Overdue,
        FindingKind::Sla,
        FindingKind::Promises,
        FindingKind::Pii,
        FindingKind::Retention,
        FindingKind::RegulatoryBreach,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FindingKind::Conflicts => "conflicts",
            FindingKind::Invalid => "invalid",
            FindingKind::Layout => "layout",
            FindingKind::Overdue => "overdue",
            FindingKind::Sla => "sla",
            FindingKind::Promises => "promises",
            FindingKind::Pii => "pii",
            FindingKind::Retention => "retention",
            FindingKind::RegulatoryBreach => "regulatory-breach",
        }
    }

    /// The kinds a `--fail-on` list names; `all` is every kind.
    pub(crate) fn parse_list(names: &[String]) -> Result<Vec<FindingKind>, String> {
        let names: Vec<&str> = names
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        // An empty list is more likely an unset variable in a CI script than a wish never to
        // fail, so that wish is spelled out.
        if names.is_empty() {
            return Err(
                "no kinds given; to report without ever failing, say --fail-on none".into(),
            );
        }
        let mut kinds = Vec::new();
        for name in names {
            if name == "all" {
                return Ok(FindingKind::ALL.to_vec());
            }
            if name == "none" {
                continue;
            }
            let kind = FindingKind::ALL
                .into_iter()
                .find(|k| k.as_str() == name)
                .ok_or_else(|| {
                    format!("`{name}` is not a kind of finding: invalid, conflicts, layout, overdue, sla, promises, pii, retention, regulatory-breach, all or none")
                })?;
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        Ok(kinds)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Finding {
    pub(crate) kind: FindingKind,
    pub(crate) path: PathBuf,
    pub(crate) line: Option<usize>,
    pub(crate) id: Option<String>,
    pub(crate) message: String,
}

/// What `check` found, and how many files could not be read at all. Gathered file by file
/// (on several threads, then merged), so a check of many files holds only its findings.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub(crate) findings: Vec<Finding>,
    pub(crate) unreadable: usize,
    pub(crate) files: usize,
    /// Every complaint's id and file, for duplicate ids and short ids.
    pub(crate) ids: Vec<(String, PathBuf)>,
}

impl Report {
    /// A file that could not be read as a complaint.
    pub(crate) fn fail(&mut self, error: Error) {
        self.files += 1;
        let (kind, path, line, message) = match error {
            Error::ConflictMarkers { location } => (
                FindingKind::Conflicts,
                location.path,
                Some(location.line),
                "git conflict markers; `gripe resolve` merges both sides".to_string(),
            ),
            Error::InvalidFile {
                location, message, ..
            } => (
                FindingKind::Invalid,
                location.path,
                Some(location.line),
                message,
            ),
            Error::Read { path, source } => {
                self.unreadable += 1;
                (
                    FindingKind::Invalid,
                    path,
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
        self.findings.push(Finding {
            kind,
            path,
            line,
            id: None,
            message,
        });
    }

    /// Checks one complaint; `detector` looks for personal data outside `[customer]` (`None`:
    /// not looked for).
    pub(crate) fn add(
        &mut self,
        mut loaded: Loaded,
        store: &Store,
        calendar: &Calendar,
        now: &Timestamp,
        detector: Option<&Detector>,
    ) {
        self.files += 1;
        let config = &store.config;
        if let Some(detector) = detector {
            self.personal_data(&mut loaded, store, detector);
        }
        let c = &loaded.complaint;
        let found = inconsistencies(c, config, &calendar.zone)
            .into_iter()
            .map(|m| (FindingKind::Invalid, m))
            .chain(misplaced(&loaded, store, &calendar.zone).map(|m| (FindingKind::Layout, m)))
            .chain(late(c, config, calendar, now))
            .chain(
                past_retention(c, config, &calendar.zone, now).map(|(closed, expired)| {
                    (
                        FindingKind::Retention,
                        format!(
                            "closed on {closed}, kept past the {} retention of gripe.toml [privacy] (since {expired}); `gripe purge --past-retention` removes it",
                            config.privacy.retain.as_ref().map(ToString::to_string).unwrap_or_default()
                        ),
                    )
                }),
            );
        for (kind, message) in found {
            self.findings.push(Finding {
                kind,
                path: loaded.path.clone(),
                line: None,
                id: Some(c.id.clone()),
                message,
            });
        }
        self.ids.push((loaded.complaint.id, loaded.path));
    }

    /// Personal data in the complaint's free text: each finding with its kind, place and a
    /// masked excerpt, on the line of the file where the value is written.
    fn personal_data(&mut self, loaded: &mut Loaded, store: &Store, detector: &Detector) {
        let mut found = Vec::new();
        visit_texts(&mut loaded.complaint, &mut |place, text| {
            if !place.scanned() {
                return;
            }
            let all = detector.find(text);
            for (i, f) in all.iter().enumerate() {
                found.push((
                    text[f.range.clone()].to_string(),
                    format!("{} in {place}: \"{}\"", f.kind, excerpt(text, &all, i)),
                ));
            }
        });
        if found.is_empty() {
            return;
        }
        // Only files with findings are read again, for the lines.
        let text = store.read_text(&loaded.path).unwrap_or_default();
        for (value, message) in found {
            self.findings.push(Finding {
                kind: FindingKind::Pii,
                path: loaded.path.clone(),
                line: line_of(&text, &value),
                id: Some(loaded.complaint.id.clone()),
                message,
            });
        }
    }

    pub(crate) fn merge(mut self, other: Report) -> Report {
        self.findings.extend(other.findings);
        self.unreadable += other.unreadable;
        self.files += other.files;
        self.ids.extend(other.ids);
        self
    }

    /// Adds what only all files together show (duplicate ids) and puts findings in order.
    pub(crate) fn finish(mut self) -> Report {
        self.ids.sort();
        for pair in self.ids.windows(2) {
            let [(a, path_a), (b, path_b)] = pair else {
                continue;
            };
            if a == b {
                for (path, other) in [(path_a, path_b), (path_b, path_a)] {
                    self.findings.push(Finding {
                        kind: FindingKind::Invalid,
                        path: path.clone(),
                        line: None,
                        id: Some(a.clone()),
                        message: format!("duplicate id: {} holds the same id", other.display()),
                    });
                }
            }
        }
        self.findings
            .sort_by(|a, b| (a.kind, &a.path, a.line).cmp(&(b.kind, &b.path, b.line)));
        self.findings.dedup();
        self
    }
}

/// What is wrong inside one complaint.
pub(crate) fn inconsistencies(c: &Complaint, config: &Config, zone: &Zone) -> Vec<String> {
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
    for name in c.regimes.iter().flatten() {
        if let Err(e) = crate::model::regime::Regime::parse(name) {
            out.push(format!("regimes: {e}"));
        }
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
    for stray in &c.misplaced {
        out.push(format!(
            "{stray}, where it means nothing (a plain text merge puts lines there); delete it, or move it to the top if it is the value to keep"
        ));
    }
    let opened = c.opened.instant(zone);
    if let Some(early) = c.events.iter().find(|e| e.at.instant(zone) < opened) {
        out.push(format!(
            "the {} event at {} comes before the complaint was opened ({})",
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

/// When a closed complaint is past the team's retention (gripe.toml `[privacy] retain`): the
/// day it was closed and the first day past retention. An anonymised record is never past it:
/// it holds nothing personal.
pub(crate) fn past_retention(
    c: &Complaint,
    config: &Config,
    zone: &Zone,
    now: &Timestamp,
) -> Option<(NaiveDate, NaiveDate)> {
    let retain = config.privacy.retain.as_ref()?;
    let workflow = &config.workflow;
    if !workflow.is_closed(&c.stage) || c.events.iter().any(|e| e.kind == EventKind::Anonymised) {
        return None;
    }
    // Without the event that closed it (a file edited by hand) the day is unknown, and a
    // complaint is never removed on a guess; `check` reports the disagreement as invalid.
    let closed = c
        .events
        .iter()
        .rev()
        .find(|e| e.to_stage() == Some(c.stage.as_str()))?
        .at
        .date(zone);
    let expired = retain.expires(closed);
    (zone.local(now).date() >= expired).then_some((closed, expired))
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
    for clock in status.regulatory.iter().filter(|c| c.is_open_breach()) {
        out.push((
            FindingKind::RegulatoryBreach,
            format!(
                "{} was due {} ({} ago) and no letter was sent (`gripe respond` records one)",
                clock.label(),
                When::Zoned(zone.in_zone(&clock.deadline)).human(zone),
                human_seconds(-clock.remaining_s),
            ),
        ));
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
