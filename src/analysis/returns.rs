//! The complaints return a regulator asks for, over a period: `gripe report --return fca` (the
//! FCA's DISP 1 Annex 1 figures) and `--return cfpb` (timeliness of company responses).
//!
//! Definitions (each counted on the regime's calendar, dates in its zone):
//! - FCA: the complaints running under `fca_disp` or `fca_psd`. A complaint is *received* on
//!   the day its clock counts from (after close of business or on a non-business day: the next
//!   business day) and *closed* at its first summary resolution or final response letter, or
//!   when it entered the workflow's closed stage without one, whichever came first. Opened and
//!   closed count those received and closed in the period; outstanding at the start those
//!   received before it and not closed before it, outstanding at the end those received by its
//!   end and not closed by then. Of the closed: within 3 business days (by close of business of
//!   the 3rd business day after receipt), within 8 weeks (by the end of the day 8 weeks after),
//!   after 8 weeks. Upheld counts `resolution.upheld` yes, partial and no among the closed (the
//!   upheld share counts partial as upheld, over those answered); redress sums
//!   `resolution.redress` per currency. Both also by product group (`category`) and by cause
//!   (`resolution.root_cause`).
//! - CFPB: the complaints running under `cfpb` sent to the company in the period (the
//!   `referred` event, else the day opened). Timely: a holding or final response within 15
//!   days (or the CFPB's own verdict on the letter); untimely: late, or none and the 15 days
//!   passed; pending: none yet, within the 15 days. The timely share is timely over timely and
//!   untimely; days to respond run from the day sent to the day of the first response (the
//!   median is the lower middle value, DOMAIN.md).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::analysis::history::History;
use crate::analysis::regulatory::RegState;
use crate::analysis::regulatory::disp_deadlines;
use crate::analysis::regulatory::first_event;
use crate::analysis::regulatory::regime_clocks;
use crate::model::complaint::Complaint;
use crate::model::complaint::EventKind;
use crate::model::config::Config;
use crate::model::regime::Letter;
use crate::model::regime::Money;
use crate::model::regime::Regime;
use crate::time::calendar::Calendar;
use crate::time::when::Timestamp;

/// Which return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ReturnKind {
    Fca,
    Cfpb,
}

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct Period {
    pub(crate) start: NaiveDate,
    pub(crate) end: NaiveDate,
}

impl Period {
    /// Reads `2026-H1`, `2026-Q3`, `2026-03`, `2026` or `2026-01-01..2026-06-30`.
    pub(crate) fn parse(s: &str) -> Result<Period, String> {
        let s = s.trim();
        let bad = || {
            format!(
                "`{s}` is not a period: 2026-H1, 2026-Q3, 2026-03, 2026 or 2026-01-01..2026-06-30"
            )
        };
        let date = |d: &str| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| bad());
        let month_end = |year: i32, month: u32| {
            let (y, m) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
        };
        let months = |year: i32, first: u32, last: u32| {
            Some(Period {
                start: NaiveDate::from_ymd_opt(year, first, 1)?,
                end: month_end(year, last)?,
            })
        };
        if let Some((a, b)) = s.split_once("..") {
            let (start, end) = (date(a)?, date(b)?);
            if end < start {
                return Err(format!("{s}: the period ends before it starts"));
            }
            return Ok(Period { start, end });
        }
        let (year, part) = s.split_once('-').unwrap_or((s, ""));
        let year: i32 = year
            .parse()
            .ok()
            .filter(|y| (1900..=9999).contains(y))
            .ok_or_else(bad)?;
        let period = match part {
            "" => months(year, 1, 12),
            "H1" | "h1" => months(year, 1, 6),
            "H2" | "h2" => months(year, 7, 12),
            q if q.len() == 2 && q.to_ascii_uppercase().starts_with('Q') => {
                let n: u32 = q[1..].parse().map_err(|_| bad())?;
                (1..=4)
                    .contains(&n)
                    .then(|| months(year, 3 * n - 2, 3 * n))
                    .flatten()
            }
            m => m
                .parse::<u32>()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .and_then(|m| months(year, m, m)),
        };
        period.ok_or_else(bad)
    }

    fn holds(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// Counts with their share of a whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub(crate) struct Share {
    pub(crate) count: u64,
    /// Of the whole it is part of; `None` when that is zero.
    pub(crate) percent: Option<f64>,
}

fn share(count: u64, of: u64) -> Share {
    Share {
        count,
        percent: (of > 0).then(|| 100.0 * count as f64 / of as f64),
    }
}

/// Upheld answers among closed complaints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub(crate) struct Upheld {
    pub(crate) yes: u64,
    pub(crate) partial: u64,
    pub(crate) no: u64,
    /// Closed with no `resolution.upheld`.
    pub(crate) unanswered: u64,
    /// (yes + partial) over yes, partial and no, in percent.
    pub(crate) upheld_percent: Option<f64>,
}

impl Upheld {
    /// How many were upheld in full or in part.
    pub(crate) fn upheld(&self) -> u64 {
        self.yes + self.partial
    }

    fn add(&mut self, answer: Option<&str>) {
        match answer
            .map(str::trim)
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("yes") => self.yes += 1,
            Some("partial") => self.partial += 1,
            Some("no") => self.no += 1,
            _ => self.unanswered += 1,
        }
    }

    fn merge(&mut self, other: &Upheld) {
        self.yes += other.yes;
        self.partial += other.partial;
        self.no += other.no;
        self.unanswered += other.unanswered;
    }

    fn finish(mut self) -> Upheld {
        let answered = self.upheld() + self.no;
        self.upheld_percent = share(self.upheld(), answered).percent;
        self
    }
}

/// Redress per currency, as `GBP 120.00`.
#[derive(Debug, Clone, Default, PartialEq)]
struct Redress(BTreeMap<String, i64>);

impl Redress {
    fn add(&mut self, money: Option<Money>) {
        if let Some(m) = money {
            *self.0.entry(m.currency).or_default() += m.minor;
        }
    }

    fn merge(&mut self, other: &Redress) {
        for (currency, minor) in &other.0 {
            *self.0.entry(currency.clone()).or_default() += minor;
        }
    }

    fn amounts(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|(currency, minor)| {
                Money {
                    currency: currency.clone(),
                    minor: *minor,
                }
                .to_string()
            })
            .collect()
    }
}

/// One product group's or cause's line of the FCA return.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct GroupLine {
    pub(crate) group: String,
    pub(crate) opened: u64,
    pub(crate) closed: u64,
    pub(crate) upheld: Upheld,
    pub(crate) redress: Vec<String>,
}

#[derive(Debug, Clone, Default)]
struct Group {
    opened: u64,
    closed: u64,
    upheld: Upheld,
    redress: Redress,
}

impl Group {
    fn merge(&mut self, other: &Group) {
        self.opened += other.opened;
        self.closed += other.closed;
        self.upheld.merge(&other.upheld);
        self.redress.merge(&other.redress);
    }
}

/// Running totals of the FCA return.
#[derive(Debug, Clone, Default)]
pub(crate) struct FcaAcc {
    outstanding_start: u64,
    outstanding_end: u64,
    within_3_business_days: u64,
    within_8_weeks: u64,
    after_8_weeks: u64,
    all: Group,
    by_product: BTreeMap<String, Group>,
    by_cause: BTreeMap<String, Group>,
    unreadable_redress: u64,
}

/// Running totals of the CFPB return.
#[derive(Debug, Clone, Default)]
pub(crate) struct CfpbAcc {
    sent: u64,
    timely: u64,
    untimely: u64,
    pending: u64,
    closed: u64,
    days_to_respond: Vec<i64>,
}

#[derive(Debug, Clone)]
pub(crate) enum Acc {
    Fca(Box<FcaAcc>),
    Cfpb(CfpbAcc),
}

/// What the return is computed from, besides the complaints.
pub(crate) struct ReturnScope<'a> {
    pub(crate) kind: ReturnKind,
    pub(crate) period: Period,
    pub(crate) config: &'a Config,
    pub(crate) team: &'a Calendar,
    /// Letters and stage changes after this are not counted.
    pub(crate) now: Timestamp,
}

impl Acc {
    pub(crate) fn new(kind: ReturnKind) -> Acc {
        match kind {
            ReturnKind::Fca => Acc::Fca(Box::default()),
            ReturnKind::Cfpb => Acc::Cfpb(CfpbAcc::default()),
        }
    }

    pub(crate) fn add(&mut self, c: &Complaint, scope: &ReturnScope<'_>) {
        let regimes = scope.config.regulatory.of(c);
        match self {
            Acc::Fca(acc) => {
                if let Some(regime) = regimes
                    .into_iter()
                    .find(|r| matches!(r, Regime::FcaDisp | Regime::FcaPsd))
                {
                    acc.add(
                        c,
                        scope,
                        scope.config.regulatory.calendar(regime, scope.team),
                    );
                }
            }
            Acc::Cfpb(acc) => {
                if regimes.contains(&Regime::Cfpb) {
                    acc.add(c, scope);
                }
            }
        }
    }

    pub(crate) fn merge(self, other: Acc) -> Acc {
        match (self, other) {
            (Acc::Fca(mut a), Acc::Fca(b)) => {
                a.outstanding_start += b.outstanding_start;
                a.outstanding_end += b.outstanding_end;
                a.within_3_business_days += b.within_3_business_days;
                a.within_8_weeks += b.within_8_weeks;
                a.after_8_weeks += b.after_8_weeks;
                a.all.merge(&b.all);
                for (k, g) in &b.by_product {
                    a.by_product.entry(k.clone()).or_default().merge(g);
                }
                for (k, g) in &b.by_cause {
                    a.by_cause.entry(k.clone()).or_default().merge(g);
                }
                a.unreadable_redress += b.unreadable_redress;
                Acc::Fca(a)
            }
            (Acc::Cfpb(mut a), Acc::Cfpb(b)) => {
                a.sent += b.sent;
                a.timely += b.timely;
                a.untimely += b.untimely;
                a.pending += b.pending;
                a.closed += b.closed;
                a.days_to_respond.extend(b.days_to_respond);
                Acc::Cfpb(a)
            }
            (a, _) => a,
        }
    }
}

impl FcaAcc {
    fn add(&mut self, c: &Complaint, scope: &ReturnScope<'_>, cal: &Calendar) {
        let period = &scope.period;
        let zone = &cal.zone;
        let received = cal.receipt_day(&c.opened.instant(zone), true);
        let letter = c
            .events
            .iter()
            .filter(|e| {
                e.kind == EventKind::Response
                    && matches!(e.letter_kind(), Some(Letter::Summary | Letter::Final))
            })
            .map(|e| e.at.instant(zone))
            .min();
        let workflow = &scope.config.workflow;
        let history = History::new(c, workflow, zone);
        let stage_closed = history
            .transitions
            .iter()
            .find(|t| t.to == Some(workflow.closed))
            .map(|t| t.at);
        let closed_at = [letter, stage_closed]
            .into_iter()
            .flatten()
            .filter(|t| *t <= scope.now)
            .min();
        let closed_day = closed_at.map(|t| zone.local(&t).date());
        if received < period.start && closed_day.is_none_or(|d| d >= period.start) {
            self.outstanding_start += 1;
        }
        if received <= period.end && closed_day.is_none_or(|d| d > period.end) {
            self.outstanding_end += 1;
        }
        let product = c.category.clone().unwrap_or_else(|| "(none)".into());
        let cause = c
            .resolution
            .root_cause
            .clone()
            .unwrap_or_else(|| "(none)".into());
        let opened = period.holds(received);
        let closed = closed_day.is_some_and(|d| period.holds(d));
        let redress = match c.resolution.redress.as_deref().map(Money::parse) {
            Some(Ok(m)) => Some(m),
            Some(Err(_)) => {
                if closed {
                    self.unreadable_redress += 1;
                }
                None
            }
            None => None,
        };
        for group in [
            &mut self.all,
            self.by_product.entry(product).or_default(),
            self.by_cause.entry(cause).or_default(),
        ] {
            group.opened += u64::from(opened);
            if closed {
                group.closed += 1;
                group.upheld.add(c.resolution.upheld.as_deref());
                group.redress.add(redress.clone());
            }
        }
        if let (true, Some(at)) = (closed, closed_at) {
            let (window, eight_weeks) = disp_deadlines(cal, received);
            if at <= window {
                self.within_3_business_days += 1;
            } else if at <= eight_weeks {
                self.within_8_weeks += 1;
            } else {
                self.after_8_weeks += 1;
            }
        }
    }
}

impl CfpbAcc {
    fn add(&mut self, c: &Complaint, scope: &ReturnScope<'_>) {
        let cal = scope.config.regulatory.calendar(Regime::Cfpb, scope.team);
        let zone = &cal.zone;
        let sent = first_event(c, EventKind::Referred, zone, &scope.now)
            .unwrap_or_else(|| c.opened.instant(zone));
        let sent_day = zone.local(&sent).date();
        if !scope.period.holds(sent_day) {
            return;
        }
        self.sent += 1;
        let all = regime_clocks(c, Regime::Cfpb, cal, &scope.now);
        let mine = |name: &str| all.iter().find(|k| k.name == name);
        if let Some(response) = mine("company_response") {
            match response.state {
                RegState::Met => self.timely += 1,
                RegState::Breached => self.untimely += 1,
                _ => self.pending += 1,
            }
            if let Some(at) = response.stopped {
                self.days_to_respond
                    .push((zone.local(&at).date() - sent_day).num_days());
            }
        }
        self.closed += u64::from(mine("closure").is_some_and(|k| k.stopped.is_some()));
    }
}

/// The return, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Return {
    #[serde(rename = "return")]
    pub(crate) kind: ReturnKind,
    pub(crate) period: Period,
    #[serde(flatten)]
    pub(crate) figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum Figures {
    Fca(Box<FcaReturn>),
    Cfpb(CfpbReturn),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FcaReturn {
    pub(crate) opened: u64,
    pub(crate) closed: u64,
    pub(crate) outstanding_at_start: u64,
    pub(crate) outstanding_at_end: u64,
    pub(crate) closed_within_3_business_days: Share,
    pub(crate) closed_within_8_weeks: Share,
    pub(crate) closed_after_8_weeks: Share,
    pub(crate) upheld: Upheld,
    pub(crate) redress: Vec<String>,
    /// Closed complaints whose `resolution.redress` is not an amount with a currency (left
    /// out of the sums; `gripe check` does not judge it).
    pub(crate) unreadable_redress: u64,
    pub(crate) by_product_group: Vec<GroupLine>,
    pub(crate) by_cause: Vec<GroupLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CfpbReturn {
    /// Complaints sent to the company in the period.
    pub(crate) sent_to_company: u64,
    pub(crate) timely: u64,
    pub(crate) untimely: u64,
    pub(crate) pending: u64,
    /// Timely over timely and untimely, in percent.
    pub(crate) timely_percent: Option<f64>,
    pub(crate) median_days_to_respond: Option<i64>,
    /// Closed by a final response.
    pub(crate) closed: u64,
}

pub(crate) fn finish(acc: Acc, scope: &ReturnScope<'_>) -> Return {
    let figures = match acc {
        Acc::Fca(a) => {
            let lines = |groups: &BTreeMap<String, Group>| {
                let mut lines: Vec<GroupLine> = groups
                    .iter()
                    .filter(|(_, g)| g.opened > 0 || g.closed > 0)
                    .map(|(name, g)| GroupLine {
                        group: name.clone(),
                        opened: g.opened,
                        closed: g.closed,
                        upheld: g.upheld.finish(),
                        redress: g.redress.amounts(),
                    })
                    .collect();
                lines.sort_by(|a, b| {
                    (std::cmp::Reverse(a.closed + a.opened), &a.group)
                        .cmp(&(std::cmp::Reverse(b.closed + b.opened), &b.group))
                });
                lines
            };
            Figures::Fca(Box::new(FcaReturn {
                opened: a.all.opened,
                closed: a.all.closed,
                outstanding_at_start: a.outstanding_start,
                outstanding_at_end: a.outstanding_end,
                closed_within_3_business_days: share(a.within_3_business_days, a.all.closed),
                closed_within_8_weeks: share(a.within_8_weeks, a.all.closed),
                closed_after_8_weeks: share(a.after_8_weeks, a.all.closed),
                upheld: a.all.upheld.finish(),
                redress: a.all.redress.amounts(),
                unreadable_redress: a.unreadable_redress,
                by_product_group: lines(&a.by_product),
                by_cause: lines(&a.by_cause),
            }))
        }
        Acc::Cfpb(mut a) => {
            a.days_to_respond.sort_unstable();
            Figures::Cfpb(CfpbReturn {
                sent_to_company: a.sent,
                timely: a.timely,
                untimely: a.untimely,
                pending: a.pending,
                timely_percent: share(a.timely, a.timely + a.untimely).percent,
                median_days_to_respond: crate::analysis::report::percentile(&a.days_to_respond, 50),
                closed: a.closed,
            })
        }
    };
    Return {
        kind: scope.kind,
        period: scope.period,
        figures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_regulators_write_them() {
        let p = |s: &str| Period::parse(s).map(|p| (p.start.to_string(), p.end.to_string()));
        let pair = |a: &str, b: &str| Ok((a.to_string(), b.to_string()));
        assert_eq!(p("2026-H1"), pair("2026-01-01", "2026-06-30"));
        assert_eq!(p("2026-H2"), pair("2026-07-01", "2026-12-31"));
        assert_eq!(p("2024-Q1"), pair("2024-01-01", "2024-03-31"));
        assert_eq!(p("2024-02"), pair("2024-02-01", "2024-02-29"));
        assert_eq!(p("2026"), pair("2026-01-01", "2026-12-31"));
        assert_eq!(
            p("2026-01-01..2026-06-30"),
            pair("2026-01-01", "2026-06-30")
        );
        for bad in [
            "2026-H3",
            "2026-Q5",
            "2026-13",
            "H1",
            "2026-06-30..2026-01-01",
            "",
        ] {
            assert!(p(bad).is_err(), "{bad}");
        }
    }
}
