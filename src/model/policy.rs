//! What the team promised and watches for, as configured in gripe.toml: the SLA targets per
//! severity (`[sla]`, counted by `analysis::sla`) and the spike rule (`[spikes]`, applied by
//! `analysis::trends`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::Serialize;

use crate::model::complaint::Severity;
use crate::model::stage::Workflow;
use crate::time::duration::Span;
use crate::time::duration::Unit;

/// `[sla]` in gripe.toml, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SlaConfig {
    #[serde(default)]
    pub(crate) acknowledge: BTreeMap<Severity, Span>,
    #[serde(default)]
    pub(crate) resolve: BTreeMap<Severity, Span>,
    pub(crate) followup_after_resolve: Option<Span>,
    #[serde(default)]
    pub(crate) pause_in: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sla {
    pub(crate) acknowledge: BTreeMap<Severity, Span>,
    pub(crate) resolve: BTreeMap<Severity, Span>,
    pub(crate) followup_after_resolve: Span,
    /// Stages (by index) in which the clocks stop.
    pub(crate) pause_in: Vec<usize>,
}

pub(crate) fn span(amount: u32, unit: Unit) -> Span {
    Span { amount, unit }
}

impl Sla {
    /// The targets of DESIGN.md section 5, overridden by what the team configured.
    pub(crate) fn from_config(config: SlaConfig, workflow: &Workflow) -> Result<Sla, String> {
        let mut acknowledge = BTreeMap::from([
            (Severity::Critical, span(1, Unit::Hours)),
            (Severity::High, span(4, Unit::Hours)),
            (Severity::Medium, span(1, Unit::BusinessDays)),
            (Severity::Low, span(2, Unit::BusinessDays)),
        ]);
        let mut resolve = BTreeMap::from([
            (Severity::Critical, span(1, Unit::Days)),
            (Severity::High, span(3, Unit::BusinessDays)),
            (Severity::Medium, span(5, Unit::BusinessDays)),
            (Severity::Low, span(10, Unit::BusinessDays)),
        ]);
        acknowledge.extend(config.acknowledge);
        resolve.extend(config.resolve);
        let pause_in = config
            .pause_in
            .iter()
            .map(|stage| {
                workflow.index(stage).ok_or_else(|| {
                    format!(
                        "sla.pause_in names `{stage}`, which is not a stage ({})",
                        workflow.stages.join(", ")
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Sla {
            acknowledge,
            resolve,
            followup_after_resolve: config
                .followup_after_resolve
                .unwrap_or(span(3, Unit::BusinessDays)),
            pause_in,
        })
    }
}

/// The spike rule of DOMAIN.md, with its defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct SpikeRule {
    pub(crate) threshold: f64,
    pub(crate) window: usize,
    pub(crate) min_count: u64,
}

impl Default for SpikeRule {
    fn default() -> SpikeRule {
        SpikeRule {
            threshold: 2.0,
            window: 8,
            min_count: 5,
        }
    }
}
