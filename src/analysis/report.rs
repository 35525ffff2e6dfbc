//! The team's dashboard: what is open, what needs action now, volume and its top groups, the
//! service-recovery metrics of DOMAIN.md, spikes and the busiest hour. Pure functions from
//! complaints and a report time to numbers; reading files and rendering are elsewhere.
//!
//! Each complaint is first reduced to what the report needs from it (as of the
//! report time) and folded into an [`Accumulator`]; accumulators from several threads merge.
//! Nothing else of a complaint is kept, so a report over a million files stays small.
//!
//! Definitions beyond DOMAIN.md: "the period" of the top groups is the 30 days up to the report
//! time, against the 30 days before; volume is per ISO week, the last 12 weeks; a reopen counts
//! when a complaint goes back from `resolved` or a later stage; first-contact resolution counts
//! notes as customer-facing contacts.
//!
//! Beyond the JSON contract the report carries [`Charts`], the shapes the HTML report draws:
//! opened per week by category, opened by weekday and hour, and how durations spread. They come
//! from the same single scan and are buckets, never lists of complaints.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::io;

use chrono::Datelike;
use chrono::Duration;
use chrono::NaiveDate;
use chrono::Timelike;
use serde::Serialize;

use crate::analysis::overflow;
use crate::analysis::overflow::Overflow;
use crate::analysis::overflow::spill_counts;
use crate::analysis::overflow::spill_values;
use crate::analysis::regulatory::RegState;
use crate::analysis::sla::ClockKind;
use crate::analysis::sla::ClockState;
use crate::analysis::status::FollowupState;
use crate::analysis::status::PromiseState;
use crate::analysis::status::Status;
use crate::analysis::trends::Every;
use crate::analysis::trends::spike;
use crate::model::complaint::Complaint;
use crate::model::complaint::Customer;
use crate::model::complaint::EventKind;
use crate::model::complaint::Severity;
use crate::model::config::Config;
use crate::model::policy::SpikeRule;
use crate::model::regime::Regime;
use crate::time::calendar::Calendar;
use crate::time::duration::human_seconds;
use crate::time::when::Timestamp;
use crate::time::when::When;
use crate::time::when::Zone;

/// Weeks of volume shown.
pub(crate) const WEEKS: usize = 12;
/// Days in the period that top groups compare with the one before.
pub(crate) const TOP_DAYS: i64 = 30;
/// How many items a list of the report holds unless `--top` says otherwise.
pub(crate) const DEFAULT_TOP: usize = 20;
/// The command that lists every complaint that needs action, for the report to point to.
pub(crate) const ALL_ACTIONS: &str = "gripe list --needs-action";
/// How many of each top group.
const TOP: usize = 5;
/// The dimensions spikes are looked for in.
pub(crate) const SPIKE_DIMS: [&str; 4] = ["category", "channel", "component", "assignee"];
/// At most how many series the weekly series by category has, [`OTHER`] included.
const SERIES_CATEGORIES: usize = 6;
/// The label of the smaller categories folded together in the weekly series by category.
pub(crate) const OTHER: &str = "(other)";

/// What the report is about: when, and the rules it counts by.
pub(crate) struct Scope<'a> {
    /// The Monday of each week the report looks at, oldest first: the volume weeks, after the
    /// weeks spike detection compares them with.
    weeks: Vec<NaiveDate>,
    pub(crate) config: &'a Config,
    pub(crate) calendar: &'a Calendar,
    pub(crate) as_of: Timestamp,
    /// A complaint resolved within this long of opening counts as resolved at first contact;
    /// `None` means on the same day.
    pub(crate) first_contact_within: Option<Duration>,
    /// Customers with two or more complaints within this long before the report are repeats.
    pub(crate) repeat_window: Duration,
    /// How many items a list of the report holds at most (`--top`; 0 for all).
    pub(crate) top: usize,
    /// Where the durations and the customers go past what the threads keep in memory.
    overflow: [Overflow; 3],
}

impl<'a> Scope<'a> {
    pub(crate) fn new(
        config: &'a Config,
        calendar: &'a Calendar,
        as_of: Timestamp,
        first_contact_within: Option<Duration>,
        repeat_window: Duration,
    ) -> Scope<'a> {
        let this_week = Every::Week.start(calendar.zone.local(&as_of).date());
        let weeks = (0..WEEKS + config.spikes.window)
            .rev()
            .map(|back| this_week - Duration::weeks(back as i64))
            .collect();
        Scope {
            weeks,
            config,
            calendar,
            as_of,
            first_contact_within,
            repeat_window,
            top: DEFAULT_TOP,
            overflow: Default::default(),
        }
    }

    fn zone(&self) -> &Zone {
        &self.calendar.zone
    }

    /// The Monday of each of the last `count` weeks (at most [`WEEKS`] plus the spike
    /// window), oldest first.
    fn weeks(&self, count: usize) -> &[NaiveDate] {
        &self.weeks[self.weeks.len() - count..]
    }
}

/// One thing that needs someone now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Action {
    pub(crate) kind: &'static str,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) assignee: Option<String>,
    /// How late, or how long unacknowledged, in seconds.
    pub(crate) late_s: i64,
    pub(crate) detail: String,
}

/// Durations for a median, a percentile and a histogram: at most [`overflow::IN_MEMORY`] here,
/// the others in the scope's [`Overflow`] for them.
#[derive(Debug, Clone, Default, PartialEq)]
struct Durations {
    seconds: Vec<i64>,
    count: u64,
    buckets: [u64; DURATION_BUCKETS.len()],
    /// Complaints not there yet (not acknowledged, not resolved).
    missing: u64,
}

impl Durations {
    fn add(&mut self, seconds: Option<i64>, overflow: &Overflow) {
        let Some(seconds) = seconds else {
            self.missing += 1;
            return;
        };
        self.count += 1;
        self.buckets[bucket(&DURATION_BUCKETS, seconds)] += 1;
        self.seconds.push(seconds);
        spill_values(&mut self.seconds, overflow);
    }

    fn merge(&mut self, other: Durations, overflow: &Overflow) {
        self.seconds.extend(other.seconds);
        spill_values(&mut self.seconds, overflow);
        self.count += other.count;
        add_slice(&mut self.buckets, &other.buckets);
        self.missing += other.missing;
    }
}

/// A share: how many of how many.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Ratio {
    hits: u64,
    of: u64,
}

impl Ratio {
    fn count(&mut self, hit: Option<bool>) {
        if let Some(hit) = hit {
            self.of += 1;
            self.hits += u64::from(hit);
        }
    }

    fn merge(&mut self, other: Ratio) {
        self.hits += other.hits;
        self.of += other.of;
    }

    fn value(&self) -> Option<f64> {
        (self.of > 0).then(|| self.hits as f64 / self.of as f64)
    }
}

/// The report's running totals: one per thread, merged at the end.
#[derive(Debug, Default)]
pub(crate) struct Accumulator {
    complaints: u64,
    open_total: u64,
    by_stage: HashMap<String, u64>,
    by_severity: BTreeMap<Option<Severity>, u64>,
    by_age: [u64; 5],
    /// The most urgent actions, at most `2 * top` between trims ([`Accumulator::trim`]).
    actions: Vec<Action>,
    action_total: u64,
    action_complaints: u64,
    action_kinds: BTreeMap<&'static str, u64>,
    opened_weeks: Vec<u64>,
    closed_weeks: Vec<u64>,
    top_now: HashMap<(usize, String), u64>,
    top_before: HashMap<(usize, String), u64>,
    acknowledge: Durations,
    resolve: Durations,
    sla_acknowledge: Ratio,
    sla_resolve: Ratio,
    first_contact: Ratio,
    reopen: Ratio,
    followups_on_time: Ratio,
    promises_kept: Ratio,
    satisfied: Ratio,
    customers: HashMap<String, u64>,
    /// Complaints opened per (dimension, value) and week, over the spike weeks.
    spike_weeks: HashMap<(usize, String), Vec<u64>>,
    /// Complaints opened per (hour, assignee).
    hours: HashMap<(u32, String), u64>,
    /// Complaints opened per weekday (Monday first) and hour.
    weekday_hours: [[u64; 24]; 7],
    /// Regulatory clocks by regime and clock.
    regulatory: BTreeMap<(Regime, &'static str), RegulatoryRow>,
}

/// Buckets by upper limit in seconds (exclusive); the last one takes everything above.
type Buckets<const N: usize> = [(&'static str, i64); N];

const AGE_BUCKETS: Buckets<5> = [
    ("<1d", 86_400),
    ("1-3d", 3 * 86_400),
    ("3-7d", 7 * 86_400),
    ("7-30d", 30 * 86_400),
    (">30d", i64::MAX),
];

/// The buckets of the time to acknowledge and to resolve: near-logarithmic, so that minutes
/// and weeks both show.
pub(crate) const DURATION_BUCKETS: Buckets<8> = [
    ("<15m", 15 * 60),
    ("15m-1h", 3_600),
    ("1-4h", 4 * 3_600),
    ("4-24h", 86_400),
    ("1-3d", 3 * 86_400),
    ("3-7d", 7 * 86_400),
    ("7-30d", 30 * 86_400),
    (">30d", i64::MAX),
];

/// Adds `b` to `a`, element by element.
fn add_slice(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// The index of the bucket `seconds` falls in.
fn bucket<const N: usize>(buckets: &Buckets<N>, seconds: i64) -> usize {
    buckets
        .iter()
        .position(|(_, limit)| seconds < *limit)
        .unwrap_or(N - 1)
}

fn week_index(weeks: &[NaiveDate], date: NaiveDate) -> Option<usize> {
    let monday = Every::Week.start(date);
    weeks.iter().position(|w| *w == monday)
}

/// What needs someone now on the open complaint `c`, as of `now`: overdue follow-ups, broken
/// or at-risk promises, breached SLA clocks, and not being acknowledged yet.
pub(crate) fn actions(
    c: &Complaint,
    status: &Status,
    config: &Config,
    zone: &Zone,
    now: &Timestamp,
) -> Vec<Action> {
    let mut out = Vec::new();
    let mut act = |kind, late_s: i64, detail: String| {
        out.push(Action {
            kind,
            id: c.id.clone(),
            title: c.title.clone(),
            assignee: c.assignee.clone(),
            late_s,
            detail,
        });
    };
    for (f, state) in c.followups.iter().zip(&status.followups) {
        if *state == FollowupState::Overdue {
            act(
                "overdue-followup",
                (*now - f.due.deadline(zone)).num_seconds(),
                format!(
                    "follow-up {} due {}: {}",
                    f.id,
                    f.due.human(zone),
                    f.note.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    if let Some(promise) = status.pending_promise() {
        match promise.state {
            PromiseState::Broken => act(
                "promise-broken",
                (*now - promise.deadline).num_seconds(),
                format!("promised by {}", promise.by),
            ),
            PromiseState::AtRisk => act(
                "promise-at-risk",
                (*now - promise.deadline).num_seconds(),
                format!("promised by {}", promise.by),
            ),
            _ => {}
        }
    }
    for clock in status.regulatory.iter().filter(|c| c.is_open_breach()) {
        act(
            "regulatory-breach",
            -clock.remaining_s,
            format!(
                "{} due {}, no letter sent",
                clock.label(),
                When::Zoned(zone.in_zone(&clock.deadline)).human(zone)
            ),
        );
    }
    for clock in status.open_clocks() {
        if clock.state == ClockState::Breached {
            act(
                match clock.kind {
                    ClockKind::Acknowledge => "sla-acknowledge",
                    ClockKind::Resolve => "sla-resolve",
                },
                clock.deadline.map_or(0, |d| (*now - d).num_seconds()),
                format!("{} within {} breached", clock.kind.as_str(), clock.target),
            );
        }
    }
    if c.stage == config.workflow.first() {
        act(
            "not-acknowledged",
            (*now - status.history.opened).num_seconds(),
            format!(
                "opened {} ago, nobody has spoken to the customer",
                human_seconds((*now - status.history.opened).num_seconds())
            ),
        );
    }
    out
}

/// The kinds of action, the most urgent first.
pub(crate) const ACTION_KINDS: [&str; 7] = [
    "regulatory-breach",
    "overdue-followup",
    "promise-broken",
    "sla-acknowledge",
    "sla-resolve",
    "not-acknowledged",
    "promise-at-risk",
];

/// The order of urgency: by kind, then the latest first, then by id.
fn urgency(a: &Action, b: &Action) -> std::cmp::Ordering {
    let rank = |k: &str| ACTION_KINDS.iter().position(|x| *x == k).unwrap_or(9);
    (rank(a.kind), std::cmp::Reverse(a.late_s), &a.id).cmp(&(
        rank(b.kind),
        std::cmp::Reverse(b.late_s),
        &b.id,
    ))
}

impl Accumulator {
    /// Adds complaint `c`, already as of the report time.
    pub(crate) fn add(&mut self, c: &Complaint, scope: &Scope<'_>) {
        let config = scope.config;
        let workflow = &config.workflow;
        let zone = scope.zone();
        let now = &scope.as_of;
        let status = Status::new(c, config, scope.calendar, now);
        let history = &status.history;
        let opened = history.opened;
        self.complaints += 1;

        // Open complaints: by stage, severity and age; what needs action.
        if !status.closed {
            self.open_total += 1;
            *self.by_stage.entry(c.stage.clone()).or_default() += 1;
            *self.by_severity.entry(c.severity).or_default() += 1;
            self.by_age[bucket(&AGE_BUCKETS, (*now - opened).num_seconds())] += 1;
            let actions = actions(c, &status, config, zone, now);
            if !actions.is_empty() {
                self.action_total += actions.len() as u64;
                self.action_complaints += 1;
                for a in &actions {
                    *self.action_kinds.entry(a.kind).or_default() += 1;
                }
                self.actions.extend(actions);
                self.trim(scope.top);
            }
        }

        // Volume: opened and closed per week.
        let weeks = scope.weeks(WEEKS);
        self.opened_weeks.resize(WEEKS, 0);
        self.closed_weeks.resize(WEEKS, 0);
        if let Some(i) = week_index(weeks, c.opened.date(zone)) {
            self.opened_weeks[i] += 1;
        }
        let closed_at = status
            .closed
            .then(|| {
                history
                    .transitions
                    .iter()
                    .rev()
                    .find(|t| t.to == Some(workflow.closed))
                    .map(|t| t.at)
            })
            .flatten();
        if let Some(i) = closed_at.and_then(|t| week_index(weeks, zone.local(&t).date())) {
            self.closed_weeks[i] += 1;
        }

        // Top groups and spikes.
        let values = [&c.category, &c.channel, &c.component, &c.assignee];
        let age_days = (*now - opened).num_days();
        let spike_weeks = scope.weeks(WEEKS + config.spikes.window);
        let week = week_index(spike_weeks, c.opened.date(zone));
        for (dim, value) in values.iter().enumerate() {
            let value = (*value)
                .clone()
                .unwrap_or_else(|| crate::analysis::trends::NONE.to_string());
            if dim < 3 {
                if age_days < TOP_DAYS {
                    *self.top_now.entry((dim, value.clone())).or_default() += 1;
                } else if age_days < 2 * TOP_DAYS {
                    *self.top_before.entry((dim, value.clone())).or_default() += 1;
                }
            }
            if let Some(w) = week {
                let series = self
                    .spike_weeks
                    .entry((dim, value))
                    .or_insert_with(|| vec![0; spike_weeks.len()]);
                series[w] += 1;
            }
        }
        if c.opened.has_time() {
            let local = zone.local(&opened);
            let hour = local.hour();
            let assignee = c
                .assignee
                .clone()
                .unwrap_or_else(|| crate::analysis::trends::NONE.into());
            *self.hours.entry((hour, assignee)).or_default() += 1;
            self.weekday_hours[local.weekday().num_days_from_monday() as usize][hour as usize] += 1;
        }

        // Service-recovery metrics.
        let acknowledged = history.first_reaching(workflow.acknowledged);
        let resolved = history.first_reaching(workflow.resolved);
        let since_opened = |t: Option<Timestamp>| t.map(|t| (t - opened).num_seconds());
        let [to_acknowledge, to_resolve, customers] = &scope.overflow;
        self.acknowledge
            .add(since_opened(acknowledged), to_acknowledge);
        self.resolve.add(since_opened(resolved), to_resolve);
        for clock in &status.clocks {
            let verdict = match clock.state {
                ClockState::Met => Some(true),
                ClockState::Breached => Some(false),
                ClockState::Running | ClockState::Paused => None,
            };
            match clock.kind {
                ClockKind::Acknowledge => self.sla_acknowledge.count(verdict),
                ClockKind::Resolve => self.sla_resolve.count(verdict),
            }
        }
        let reopened = history.transitions.iter().any(|t| {
            t.reopen
                && history
                    .stage_at(&(t.at - Duration::seconds(1)))
                    .is_some_and(|s| s >= workflow.resolved)
        });
        if let Some(resolved_at) = resolved {
            self.reopen.count(Some(reopened));
            let quick = match scope.first_contact_within {
                Some(within) => resolved_at - opened <= within,
                None => zone.local(&resolved_at).date() == c.opened.date(zone),
            };
            let contacts = c
                .events
                .iter()
                .filter(|e| e.kind == EventKind::Note && e.at.instant(zone) < resolved_at)
                .count();
            self.first_contact
                .count(Some(quick && !reopened && contacts <= 1));
        }
        for (f, state) in c.followups.iter().zip(&status.followups) {
            if f.due.deadline(zone) <= *now {
                self.followups_on_time
                    .count(Some(*state == FollowupState::Done));
            }
        }
        if let Some(promise) = &status.promise {
            let first_deadline = promise.first.deadline(zone);
            if first_deadline <= *now || resolved.is_some() {
                self.promises_kept
                    .count(Some(resolved.is_some_and(|r| r <= first_deadline)));
            }
        }
        self.satisfied.count(c.resolution.satisfied);
        let week = *now + Duration::days(7);
        for clock in &status.regulatory {
            let row = self
                .regulatory
                .entry((clock.regime, clock.name))
                .or_insert_with(|| RegulatoryRow::new(clock.regime, clock.name));
            match clock.state {
                _ if clock.is_open_breach() => row.breached += 1,
                RegState::Breached => row.missed += 1,
                RegState::Met => row.met += 1,
                RegState::Lapsed => row.lapsed += 1,
                RegState::Running | RegState::Extended => {
                    row.running += 1;
                    row.due_this_week += u64::from(clock.deadline <= week);
                }
            }
        }
        if let Some(customer) = customer_key(c)
            && *now - opened <= scope.repeat_window
        {
            *self.customers.entry(customer).or_default() += 1;
            spill_counts(&mut self.customers, customers);
        }
    }

    /// Keeps the `top` most urgent actions once twice as many have gathered (all with 0).
    /// The ids of the complaints whose actions are kept (the report shows some of them).
    pub(crate) fn action_ids(&self) -> impl Iterator<Item = &str> {
        self.actions.iter().map(|a| a.id.as_str())
    }

    fn trim(&mut self, top: usize) {
        if top > 0 && self.actions.len() >= 2 * top {
            self.actions.sort_by(urgency);
            self.actions.truncate(top);
        }
    }

    pub(crate) fn merge(mut self, other: Accumulator, scope: &Scope<'_>) -> Accumulator {
        fn add_map<K: std::hash::Hash + Eq>(a: &mut HashMap<K, u64>, b: HashMap<K, u64>) {
            for (k, n) in b {
                *a.entry(k).or_default() += n;
            }
        }
        fn add_vec(a: &mut Vec<u64>, b: &[u64]) {
            a.resize(a.len().max(b.len()), 0);
            add_slice(a, b);
        }
        self.complaints += other.complaints;
        self.open_total += other.open_total;
        add_map(&mut self.by_stage, other.by_stage);
        for (k, n) in other.by_severity {
            *self.by_severity.entry(k).or_default() += n;
        }
        add_slice(&mut self.by_age, &other.by_age);
        self.actions.extend(other.actions);
        self.action_total += other.action_total;
        self.action_complaints += other.action_complaints;
        for (kind, n) in other.action_kinds {
            *self.action_kinds.entry(kind).or_default() += n;
        }
        add_vec(&mut self.opened_weeks, &other.opened_weeks);
        add_vec(&mut self.closed_weeks, &other.closed_weeks);
        add_map(&mut self.top_now, other.top_now);
        add_map(&mut self.top_before, other.top_before);
        let [to_acknowledge, to_resolve, customers] = &scope.overflow;
        self.acknowledge.merge(other.acknowledge, to_acknowledge);
        self.resolve.merge(other.resolve, to_resolve);
        self.sla_acknowledge.merge(other.sla_acknowledge);
        self.sla_resolve.merge(other.sla_resolve);
        self.first_contact.merge(other.first_contact);
        self.reopen.merge(other.reopen);
        self.followups_on_time.merge(other.followups_on_time);
        self.promises_kept.merge(other.promises_kept);
        self.satisfied.merge(other.satisfied);
        add_map(&mut self.customers, other.customers);
        spill_counts(&mut self.customers, customers);
        for (k, series) in other.spike_weeks {
            add_vec(self.spike_weeks.entry(k).or_default(), &series);
        }
        add_map(&mut self.hours, other.hours);
        for (key, row) in other.regulatory {
            let mine = self
                .regulatory
                .entry(key)
                .or_insert_with(|| RegulatoryRow::new(key.0, key.1));
            mine.running += row.running;
            mine.due_this_week += row.due_this_week;
            mine.breached += row.breached;
            mine.missed += row.missed;
            mine.met += row.met;
            mine.lapsed += row.lapsed;
        }
        for (a, b) in self.weekday_hours.iter_mut().zip(&other.weekday_hours) {
            add_slice(a, b);
        }
        self
    }
}

/// The customer's identity for repeat detection: the contact, else the email, else the name.
fn customer_key(c: &Complaint) -> Option<String> {
    c.customer
        .contact
        .as_deref()
        .or(c.customer.email.as_deref())
        .or(c.customer.name.as_deref())
        .map(Customer::normal)
        .filter(|s| !s.is_empty())
}

/// The nearest-rank percentile `p` (0-100) of sorted values: exact and reproducible; the
/// median of an even count is the lower middle value.
pub(crate) fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (u64::from(p) * sorted.len() as u64).div_ceil(100).max(1) as usize;
    Some(sorted[rank - 1])
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Report {
    pub(crate) as_of: String,
    pub(crate) complaints: u64,
    /// Complaint files that could not be read, so are not counted (each is named on stderr).
    pub(crate) unreadable_files: u64,
    pub(crate) open: Open,
    pub(crate) needs_action: NeedsAction,
    pub(crate) volume: Volume,
    pub(crate) top: Top,
    pub(crate) metrics: Metrics,
    pub(crate) spikes: Vec<SpikeJson>,
    pub(crate) peak_hour: Option<PeakHour>,
    /// Regulatory clocks, one row per regime and clock; absent when no complaint runs under a
    /// regime.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) regulatory: Vec<RegulatoryRow>,
    /// What the HTML report draws; not part of the JSON contract.
    #[serde(skip)]
    pub(crate) charts: Charts,
}

/// The shapes behind the HTML report's charts, beyond what the JSON holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Charts {
    /// Complaints opened per volume week by category: the largest categories over those weeks
    /// first, the rest folded into [`OTHER`]. Per week they add up to `volume.opened`.
    pub(crate) opened_by_category: Vec<Series>,
    /// Complaints opened per weekday (Monday first) and hour of day in the team's zone; the
    /// ones opened on a date without a time of day are not in it. They add up to
    /// `peak_hour.total`.
    pub(crate) weekday_hours: [[u64; 24]; 7],
    /// How many complaints took how long to be acknowledged, per [`DURATION_BUCKETS`]; they add
    /// up to `time_to_acknowledge.count`.
    pub(crate) time_to_acknowledge: Vec<u64>,
    /// The same for the time to resolve.
    pub(crate) time_to_resolve: Vec<u64>,
}

/// A named series of counts, one per period.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    pub(crate) name: String,
    pub(crate) counts: Vec<u64>,
}

impl Series {
    pub(crate) fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Open {
    pub(crate) total: u64,
    pub(crate) by_stage: BTreeMap<String, u64>,
    pub(crate) by_severity: BTreeMap<String, u64>,
    pub(crate) by_age: BTreeMap<String, u64>,
    /// The stages in workflow order (`by_stage` is a map; this keeps the order for people).
    #[serde(skip)]
    pub(crate) stage_order: Vec<String>,
}

/// One way of splitting the open complaints: its JSON key (`by_stage`) and its counts in the
/// order people read them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Breakdown<'a> {
    pub(crate) key: &'static str,
    pub(crate) counts: Vec<(&'a str, u64)>,
}

impl Open {
    /// By stage in workflow order, by severity most urgent first, by age youngest first.
    pub(crate) fn breakdowns(&self) -> [Breakdown<'_>; 3] {
        let severities = Severity::ALL
            .iter()
            .rev()
            .map(|s| s.as_str())
            .chain([crate::analysis::trends::NONE]);
        fn in_order<'a>(map: &'a BTreeMap<String, u64>, keys: Vec<&str>) -> Vec<(&'a str, u64)> {
            keys.into_iter()
                .filter_map(|k| map.get_key_value(k).map(|(k, n)| (k.as_str(), *n)))
                .collect()
        }
        [
            Breakdown {
                key: "by_stage",
                counts: in_order(
                    &self.by_stage,
                    self.stage_order.iter().map(String::as_str).collect(),
                ),
            },
            Breakdown {
                key: "by_severity",
                counts: in_order(&self.by_severity, severities.collect()),
            },
            Breakdown {
                key: "by_age",
                counts: in_order(
                    &self.by_age,
                    AGE_BUCKETS.iter().map(|(label, _)| *label).collect(),
                ),
            },
        ]
    }
}

/// How one regulatory clock stands across the complaints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct RegulatoryRow {
    pub(crate) regime: Regime,
    pub(crate) clock: &'static str,
    /// Waiting for the letter, deadline to come (extended ones too).
    pub(crate) running: u64,
    /// Of those, due within 7 days of the report time.
    pub(crate) due_this_week: u64,
    /// Deadline passed, letter still not sent.
    pub(crate) breached: u64,
    /// The letter went, late.
    pub(crate) missed: u64,
    pub(crate) met: u64,
    pub(crate) lapsed: u64,
}

impl RegulatoryRow {
    fn new(regime: Regime, clock: &'static str) -> RegulatoryRow {
        RegulatoryRow {
            regime,
            clock,
            running: 0,
            due_this_week: 0,
            breached: 0,
            missed: 0,
            met: 0,
            lapsed: 0,
        }
    }
}

/// What needs action: the most urgent items (at most `--top`), and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct NeedsAction {
    /// Items in all, on `complaints` complaints.
    pub(crate) total: u64,
    pub(crate) complaints: u64,
    /// Items in all of each kind.
    pub(crate) by_kind: BTreeMap<&'static str, u64>,
    /// The command that lists every complaint that needs action.
    pub(crate) all: &'static str,
    pub(crate) items: Vec<ActionJson>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ActionJson {
    pub(crate) kind: &'static str,
    pub(crate) id: String,
    pub(crate) short_id: String,
    pub(crate) title: String,
    pub(crate) assignee: Option<String>,
    pub(crate) late_s: i64,
    pub(crate) detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Volume {
    pub(crate) weeks: Vec<String>,
    pub(crate) opened: Vec<u64>,
    pub(crate) closed: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TopGroup {
    pub(crate) value: String,
    pub(crate) count: u64,
    pub(crate) previous: u64,
    /// `(count - previous) / previous`; `null` when there were none before.
    pub(crate) change: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Top {
    pub(crate) period_days: i64,
    pub(crate) category: Vec<TopGroup>,
    pub(crate) channel: Vec<TopGroup>,
    pub(crate) component: Vec<TopGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct DurationStats {
    pub(crate) count: u64,
    pub(crate) median_s: Option<i64>,
    pub(crate) p90_s: Option<i64>,
    /// Complaints not acknowledged (or resolved) yet, left out of the median.
    pub(crate) missing: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SlaAttainment {
    pub(crate) acknowledge: Option<f64>,
    pub(crate) resolve: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Metrics {
    pub(crate) time_to_acknowledge: DurationStats,
    pub(crate) time_to_resolve: DurationStats,
    pub(crate) sla_attainment: SlaAttainment,
    pub(crate) first_contact_resolution: Option<f64>,
    pub(crate) reopen_rate: Option<f64>,
    pub(crate) followup_on_time_rate: Option<f64>,
    pub(crate) promise_kept_rate: Option<f64>,
    pub(crate) satisfaction_rate: Option<f64>,
    pub(crate) repeat_complainant_rate: Option<f64>,
    /// The counts behind the rates, for people who want "of how many".
    pub(crate) counts: MetricCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct MetricCounts {
    pub(crate) sla_acknowledge: [u64; 2],
    pub(crate) sla_resolve: [u64; 2],
    pub(crate) first_contact_resolution: [u64; 2],
    pub(crate) reopened: [u64; 2],
    pub(crate) followups_on_time: [u64; 2],
    pub(crate) promises_kept: [u64; 2],
    pub(crate) satisfied: [u64; 2],
    pub(crate) repeat_complainants: [u64; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SpikeJson {
    pub(crate) dimension: &'static str,
    pub(crate) value: String,
    pub(crate) week: String,
    pub(crate) count: u64,
    pub(crate) mean: f64,
    pub(crate) ratio: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PeakHour {
    /// The hour of day (`09` is 09:00 to 09:59) with the most complaints.
    pub(crate) hour: String,
    pub(crate) count: u64,
    pub(crate) total: u64,
    /// The assignee with the most complaints in that hour.
    pub(crate) assignee: String,
    pub(crate) assignee_count: u64,
}

fn ratio_counts(r: &Ratio) -> [u64; 2] {
    [r.hits, r.of]
}

/// The volume weeks of each category's spike series, largest first, beyond
/// [`SERIES_CATEGORIES`] folded into one.
fn opened_by_category(spike_weeks: &HashMap<(usize, String), Vec<u64>>) -> Vec<Series> {
    // Category is the first of SPIKE_DIMS.
    let mut series: Vec<Series> = spike_weeks
        .iter()
        .filter(|((dim, _), _)| *dim == 0)
        .map(|((_, name), counts)| Series {
            name: name.clone(),
            counts: counts[counts.len().saturating_sub(WEEKS)..].to_vec(),
        })
        .filter(|s| s.total() > 0)
        .collect();
    series.sort_by(|a, b| {
        (std::cmp::Reverse(a.total()), &a.name).cmp(&(std::cmp::Reverse(b.total()), &b.name))
    });
    if series.len() > SERIES_CATEGORIES {
        let mut other = vec![0; WEEKS];
        for s in series.split_off(SERIES_CATEGORIES - 1) {
            add_slice(&mut other, &s.counts);
        }
        series.push(Series {
            name: OTHER.to_string(),
            counts: other,
        });
    }
    series
}

/// The median and 90th percentile of `d` and of the durations in `overflow`.
fn stats(d: &Durations, overflow: &Overflow) -> io::Result<DurationStats> {
    let file = overflow.take()?;
    let nearest = |p| overflow::percentile(&d.seconds, file.as_ref(), d.count, p);
    Ok(DurationStats {
        count: d.count,
        median_s: nearest(50)?,
        p90_s: nearest(90)?,
        missing: d.missing,
    })
}

/// The finished report. `short` gives the short id of a complaint. Fails only if the
/// temporary file of the durations or customers cannot be read back.
pub(crate) fn finish(
    acc: Accumulator,
    scope: &Scope<'_>,
    short: &dyn Fn(&str) -> String,
) -> io::Result<Report> {
    let workflow = &scope.config.workflow;
    let zone = scope.zone();
    let mut by_stage = BTreeMap::new();
    let mut stage_order = Vec::new();
    for stage in workflow.stages.iter().chain(acc.by_stage.keys()) {
        if let Some(n) = acc.by_stage.get(stage)
            && !by_stage.contains_key(stage)
        {
            by_stage.insert(stage.clone(), *n);
            stage_order.push(stage.clone());
        }
    }
    let by_severity = acc
        .by_severity
        .iter()
        .rev()
        .map(|(s, n)| {
            (
                s.map_or(crate::analysis::trends::NONE.to_string(), |s| {
                    s.as_str().to_string()
                }),
                *n,
            )
        })
        .collect();
    let by_age = AGE_BUCKETS
        .iter()
        .zip(acc.by_age)
        .map(|((label, _), n)| ((*label).to_string(), n))
        .collect();
    let mut actions = acc.actions;
    actions.sort_by(urgency);
    if scope.top > 0 {
        actions.truncate(scope.top);
    }
    let top = |dim: usize| {
        let mut groups: Vec<TopGroup> = acc
            .top_now
            .iter()
            .filter(|((d, _), _)| *d == dim)
            .map(|((_, value), n)| {
                let previous = acc
                    .top_before
                    .get(&(dim, value.clone()))
                    .copied()
                    .unwrap_or(0);
                TopGroup {
                    value: value.clone(),
                    count: *n,
                    previous,
                    change: (previous > 0).then(|| (*n as f64 - previous as f64) / previous as f64),
                }
            })
            .collect();
        groups.sort_by(|a, b| {
            (std::cmp::Reverse(a.count), &a.value).cmp(&(std::cmp::Reverse(b.count), &b.value))
        });
        groups.truncate(TOP);
        groups
    };
    let rule: SpikeRule = scope.config.spikes;
    let spike_weeks = scope.weeks(WEEKS + rule.window).to_vec();
    let mut spikes: Vec<SpikeJson> = Vec::new();
    for ((dim, value), series) in &acc.spike_weeks {
        for end in rule.window..series.len() {
            if let Some(s) = spike(&series[end - rule.window..=end], &rule) {
                spikes.push(SpikeJson {
                    dimension: SPIKE_DIMS[*dim],
                    value: value.clone(),
                    week: Every::Week.label(spike_weeks[end]),
                    count: s.latest,
                    mean: s.mean,
                    ratio: s.ratio,
                });
            }
        }
    }
    spikes
        .sort_by(|a, b| (&b.week, &a.dimension, &a.value).cmp(&(&a.week, &b.dimension, &b.value)));
    let total_hours: u64 = acc.hours.values().sum();
    let mut per_hour: BTreeMap<u32, u64> = BTreeMap::new();
    for ((hour, _), n) in &acc.hours {
        *per_hour.entry(*hour).or_default() += n;
    }
    let peak_hour = per_hour
        .iter()
        .max_by_key(|(hour, n)| (**n, std::cmp::Reverse(**hour)))
        .map(|(hour, n)| {
            let (assignee, assignee_count) = acc
                .hours
                .iter()
                .filter(|((h, _), _)| h == hour)
                .max_by(|a, b| (a.1, &b.0.1).cmp(&(b.1, &a.0.1)))
                .map(|((_, who), n)| (who.clone(), *n))
                .unwrap_or_default();
            PeakHour {
                hour: format!("{hour:02}"),
                count: *n,
                total: total_hours,
                assignee,
                assignee_count,
            }
        });
    let charts = Charts {
        opened_by_category: opened_by_category(&acc.spike_weeks),
        weekday_hours: acc.weekday_hours,
        time_to_acknowledge: acc.acknowledge.buckets.to_vec(),
        time_to_resolve: acc.resolve.buckets.to_vec(),
    };
    let [to_acknowledge, to_resolve, customers] = &scope.overflow;
    let (customers, repeaters) = overflow::repeats(&acc.customers, customers.take()?.as_ref())?;
    let repeat = Ratio {
        hits: repeaters,
        of: customers,
    };
    Ok(Report {
        as_of: crate::time::when::format_timestamp(&zone.in_zone(&scope.as_of)),
        complaints: acc.complaints,
        unreadable_files: 0,
        open: Open {
            total: acc.open_total,
            by_stage,
            by_severity,
            by_age,
            stage_order,
        },
        needs_action: NeedsAction {
            total: acc.action_total,
            complaints: acc.action_complaints,
            by_kind: acc.action_kinds,
            all: ALL_ACTIONS,
            items: actions
                .into_iter()
                .map(|a| ActionJson {
                    kind: a.kind,
                    short_id: short(&a.id),
                    id: a.id,
                    title: a.title,
                    assignee: a.assignee,
                    late_s: a.late_s,
                    detail: a.detail,
                })
                .collect(),
        },
        volume: Volume {
            weeks: scope
                .weeks(WEEKS)
                .iter()
                .map(|w| Every::Week.label(*w))
                .collect(),
            opened: if acc.opened_weeks.is_empty() {
                vec![0; WEEKS]
            } else {
                acc.opened_weeks
            },
            closed: if acc.closed_weeks.is_empty() {
                vec![0; WEEKS]
            } else {
                acc.closed_weeks
            },
        },
        top: Top {
            period_days: TOP_DAYS,
            category: top(0),
            channel: top(1),
            component: top(2),
        },
        metrics: Metrics {
            time_to_acknowledge: stats(&acc.acknowledge, to_acknowledge)?,
            time_to_resolve: stats(&acc.resolve, to_resolve)?,
            sla_attainment: SlaAttainment {
                acknowledge: acc.sla_acknowledge.value(),
                resolve: acc.sla_resolve.value(),
            },
            first_contact_resolution: acc.first_contact.value(),
            reopen_rate: acc.reopen.value(),
            followup_on_time_rate: acc.followups_on_time.value(),
            promise_kept_rate: acc.promises_kept.value(),
            satisfaction_rate: acc.satisfied.value(),
            repeat_complainant_rate: repeat.value(),
            counts: MetricCounts {
                sla_acknowledge: ratio_counts(&acc.sla_acknowledge),
                sla_resolve: ratio_counts(&acc.sla_resolve),
                first_contact_resolution: ratio_counts(&acc.first_contact),
                reopened: ratio_counts(&acc.reopen),
                followups_on_time: ratio_counts(&acc.followups_on_time),
                promises_kept: ratio_counts(&acc.promises_kept),
                satisfied: ratio_counts(&acc.satisfied),
                repeat_complainants: ratio_counts(&repeat),
            },
        },
        spikes,
        peak_hour,
        regulatory: acc.regulatory.into_values().collect(),
        charts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank_and_the_median_is_the_lower_middle() {
        let v = [10, 20, 30, 40];
        assert_eq!(percentile(&v, 50), Some(20));
        assert_eq!(percentile(&v, 90), Some(40));
        assert_eq!(percentile(&[10, 20, 30], 50), Some(20));
        assert_eq!(percentile(&(1..=10).collect::<Vec<_>>(), 90), Some(9));
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[7], 90), Some(7));
    }

    #[test]
    fn durations_fall_in_the_bucket_below_their_upper_limit() {
        let (mut d, overflow) = (Durations::default(), Overflow::default());
        for s in [0, 899, 900, 3_599, 3_600, 86_399, 86_400, 40 * 86_400] {
            d.add(Some(s), &overflow);
        }
        d.add(None, &overflow);
        assert_eq!(d.buckets, [2, 2, 1, 1, 1, 0, 0, 1]);
        assert_eq!((d.count, d.missing), (8, 1));
        assert_eq!(bucket(&AGE_BUCKETS, i64::MAX), AGE_BUCKETS.len() - 1);
    }

    #[test]
    fn durations_past_what_a_thread_keeps_give_the_percentiles_of_all_of_them() {
        // Two threads' durations, each more than one keeps in memory, merged.
        let overflow = Overflow::default();
        let (mut a, mut b) = (Durations::default(), Durations::default());
        let all: Vec<i64> = (0..50_000i64).map(|i| (i * 7_919) % 100_003).collect();
        for (i, s) in all.iter().enumerate() {
            let d = if i % 3 == 0 { &mut a } else { &mut b };
            d.add(Some(*s), &overflow);
        }
        a.merge(b, &overflow);
        assert!(
            a.seconds.len() < overflow::IN_MEMORY,
            "the rest went to the file"
        );
        let mut sorted = all.clone();
        sorted.sort_unstable();
        let stats = stats(&a, &overflow).unwrap();
        assert_eq!(stats.count, 50_000);
        assert_eq!(stats.median_s, percentile(&sorted, 50));
        assert_eq!(stats.p90_s, percentile(&sorted, 90));
    }

    #[test]
    fn small_categories_fold_into_other_and_the_weeks_still_add_up() {
        let mut spike_weeks = HashMap::new();
        let window = 8;
        for (i, name) in ["a", "b", "c", "d", "e", "f", "g"].iter().enumerate() {
            let mut counts = vec![0; WEEKS + window];
            // One complaint in the last week each, and more the earlier the name.
            counts[WEEKS + window - 1] = 1;
            counts[window] = 7 - i as u64;
            spike_weeks.insert((0, name.to_string()), counts);
        }
        // Older than the volume weeks: not in the series.
        let mut old = vec![0; WEEKS + window];
        old[0] = 9;
        spike_weeks.insert((0, "old".to_string()), old);
        // Another dimension.
        spike_weeks.insert((1, "email".to_string()), vec![5; WEEKS + window]);
        let series = opened_by_category(&spike_weeks);
        let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "e", OTHER]);
        assert!(series.iter().all(|s| s.counts.len() == WEEKS));
        assert_eq!(series[5].counts[0], 2 + 1);
        assert_eq!(series.iter().map(|s| s.counts[WEEKS - 1]).sum::<u64>(), 7);
    }
}
