//! The workflow: the ordered stages a complaint moves through, the roles some stages play in
//! the metrics, and what a complaint needs before it may enter a stage.
//!
//! The defaults follow the service-recovery sequence of DOMAIN.md and need no config. A team may
//! rename or add stages in gripe.toml `[workflow]`; metrics then use the stages named as
//! `acknowledged`, `resolved` and `closed`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::complaint::Complaint;

pub(crate) const DEFAULT_STAGES: [&str; 6] = [
    "new",
    "acknowledged",
    "investigating",
    "resolved",
    "following-up",
    "closed",
];

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Workflow {
    pub(crate) stages: Vec<String>,
    pub(crate) acknowledged: usize,
    pub(crate) resolved: usize,
    pub(crate) closed: usize,
    pub(crate) reopen_to: usize,
    /// Keys each stage requires before a complaint may enter it (`resolution.action`).
    pub(crate) requires: BTreeMap<usize, Vec<String>>,
}

/// `[workflow]` in gripe.toml, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WorkflowConfig {
    stages: Option<Vec<String>>,
    acknowledged: Option<String>,
    resolved: Option<String>,
    closed: Option<String>,
    reopen_to: Option<String>,
    requires: Option<BTreeMap<String, Vec<String>>>,
}

impl Default for Workflow {
    fn default() -> Workflow {
        Workflow::from_config(WorkflowConfig::default()).expect("the default workflow is valid")
    }
}

impl Workflow {
    pub(crate) fn from_config(config: WorkflowConfig) -> Result<Workflow, String> {
        let stages: Vec<String> = config
            .stages
            .unwrap_or_else(|| DEFAULT_STAGES.iter().map(ToString::to_string).collect());
        if stages.len() < 2 {
            return Err("workflow.stages needs at least two stages".into());
        }
        for (i, s) in stages.iter().enumerate() {
            if stages[..i].contains(s) {
                return Err(format!("workflow.stages lists `{s}` twice"));
            }
        }
        let find = |role: &str, name: Option<String>, default: &str| -> Result<usize, String> {
            let name = name.unwrap_or_else(|| default.to_string());
            stages.iter().position(|s| *s == name).ok_or_else(|| {
                format!(
                    "workflow.{role} = `{name}` is not one of workflow.stages ({})",
                    stages.join(", ")
                )
            })
        };
        let last = stages.last().expect("at least two stages").clone();
        let acknowledged = find("acknowledged", config.acknowledged, "acknowledged")?;
        let resolved = find("resolved", config.resolved, "resolved")?;
        let closed = find("closed", config.closed, &last)?;
        let reopen_to = find("reopen_to", config.reopen_to, "investigating")?;
        if !(acknowledged < resolved && resolved <= closed && reopen_to < resolved) {
            return Err(
                "workflow stages must come in the order acknowledged, reopen_to, resolved, closed"
                    .into(),
            );
        }
        let requires = match config.requires {
            Some(map) => map
                .into_iter()
                .map(|(stage, keys)| {
                    let i = stages.iter().position(|s| *s == stage).ok_or_else(|| {
                        format!("workflow.requires names `{stage}`, which is not a stage")
                    })?;
                    Ok((i, keys))
                })
                .collect::<Result<_, String>>()?,
            None => BTreeMap::from([
                (resolved, vec!["resolution.action".to_string()]),
                (closed, vec!["resolution.satisfied".to_string()]),
            ]),
        };
        Ok(Workflow {
            stages,
            acknowledged,
            resolved,
            closed,
            reopen_to,
            requires,
        })
    }

    pub(crate) fn index(&self, stage: &str) -> Option<usize> {
        self.stages.iter().position(|s| s == stage)
    }

    pub(crate) fn first(&self) -> &str {
        &self.stages[0]
    }

    pub(crate) fn name(&self, index: usize) -> &str {
        &self.stages[index]
    }

    /// Whether a complaint in `stage` counts as closed (unknown stages count as open).
    pub(crate) fn is_closed(&self, stage: &str) -> bool {
        self.index(stage) == Some(self.closed)
    }

    /// The keys missing for `complaint` to pass through every stage after `from` up to and
    /// including `to`, each with the stage that requires it.
    pub(crate) fn missing_requirements(
        &self,
        complaint: &Complaint,
        from: usize,
        to: usize,
    ) -> Vec<(String, String)> {
        self.requires
            .range(from + 1..=to)
            .flat_map(|(stage, keys)| {
                keys.iter()
                    .filter(|key| !crate::model::keys::is_set(complaint, key))
                    .map(|key| (self.stages[*stage].clone(), key.clone()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_workflow_is_the_service_recovery_sequence() {
        let w = Workflow::default();
        assert_eq!(w.stages, DEFAULT_STAGES);
        assert_eq!(
            (w.acknowledged, w.reopen_to, w.resolved, w.closed),
            (1, 2, 3, 5)
        );
        assert_eq!(w.requires[&3], ["resolution.action"]);
    }

    #[test]
    fn custom_stages_need_their_roles_to_exist_in_order() {
        let config: WorkflowConfig = toml::from_str(
            r#"stages = ["new", "acknowledged", "investigating", "waiting", "resolved", "done"]"#,
        )
        .unwrap();
        let w = Workflow::from_config(config).unwrap();
        assert_eq!(w.name(w.closed), "done");

        let config: WorkflowConfig = toml::from_str(r#"stages = ["open", "shut"]"#).unwrap();
        let err = Workflow::from_config(config).unwrap_err();
        assert!(
            err.contains("workflow.acknowledged = `acknowledged`"),
            "{err}"
        );
    }
}
