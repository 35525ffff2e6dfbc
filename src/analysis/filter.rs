//! The FILTER shared by every command that reads many complaints.
//!
//! Flags combine with AND; the values of one flag (repeated, or separated by commas) with OR.
//! Matches are exact except `--customer` and `--grep`, which look for the text anywhere,
//! ignoring case.

use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Severity;
use crate::model::keys::KeyPath;
use crate::model::keys::split_list;
use crate::model::stage::Workflow;
use crate::store::Depth;
use crate::time::calendar::Calendar;
use crate::time::when::Direction;
use crate::time::when::Timestamp;
use crate::time::when::parse_user_when;

/// The filter flags as typed, before they are checked.
#[derive(Debug, Default, Clone)]
pub(crate) struct FilterInput {
    pub(crate) stage: Vec<String>,
    pub(crate) open: bool,
    pub(crate) closed: bool,
    pub(crate) severity: Vec<String>,
    pub(crate) category: Vec<String>,
    pub(crate) channel: Vec<String>,
    pub(crate) component: Vec<String>,
    pub(crate) assignee: Vec<String>,
    pub(crate) tag: Vec<String>,
    pub(crate) customer: Option<String>,
    pub(crate) field: Vec<String>,
    pub(crate) since: Option<String>,
    pub(crate) until: Option<String>,
    pub(crate) grep: Option<String>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Filter {
    stages: Vec<String>,
    /// `Some(true)`: only open complaints; `Some(false)`: only closed ones.
    open: Option<bool>,
    severities: Vec<Severity>,
    categories: Vec<String>,
    channels: Vec<String>,
    components: Vec<String>,
    assignees: Vec<String>,
    tags: Vec<String>,
    customer: Option<String>,
    fields: Vec<(KeyPath, String)>,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    grep: Option<String>,
}

fn all(values: &[String]) -> Vec<String> {
    values.iter().flat_map(|v| split_list(v)).collect()
}

impl Filter {
    pub(crate) fn new(
        input: &FilterInput,
        workflow: &Workflow,
        now: &Timestamp,
        calendar: &Calendar,
    ) -> Result<Filter> {
        let stages = all(&input.stage);
        if let Some(bad) = stages.iter().find(|s| workflow.index(s).is_none()) {
            return Err(Error::usage_hint(
                format!("--stage {bad}: no such stage"),
                format!("stages: {}", workflow.stages.join(", ")),
            ));
        }
        let severities = all(&input.severity)
            .iter()
            .map(|s| {
                Severity::parse(s).ok_or_else(|| {
                    Error::usage_hint(
                        format!("--severity {s}: no such severity"),
                        "one of low, medium, high, critical",
                    )
                })
            })
            .collect::<Result<_>>()?;
        let fields = input
            .field
            .iter()
            .map(|kv| {
                let (key, value) = kv.split_once('=').ok_or_else(|| {
                    Error::usage_hint(
                        format!("--field {kv}: expected KEY=VALUE"),
                        "for example --field region=Kansai",
                    )
                })?;
                let key = key.trim();
                let key = key.strip_prefix("fields.").unwrap_or(key);
                Ok((
                    KeyPath::parse(&format!("fields.{key}"))?,
                    value.trim().to_string(),
                ))
            })
            .collect::<Result<_>>()?;
        let date = |flag: &str, value: &Option<String>, end: bool| -> Result<Option<Timestamp>> {
            value
                .as_deref()
                .map(|v| {
                    let when = parse_user_when(v, now, calendar, Direction::Back).map_err(|e| {
                        Error::usage_hint(
                            format!("{flag} {v}: {e}"),
                            "use a date like 2026-11-01 or a span back from now like 30d or 12w",
                        )
                    })?;
                    Ok(if end {
                        when.deadline(&calendar.zone)
                    } else {
                        when.instant(&calendar.zone)
                    })
                })
                .transpose()
        };
        let open = match (input.open, input.closed) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        };
        let since = date("--since", &input.since, false)?;
        let until = date("--until", &input.until, true)?;
        if let (Some(s), Some(u)) = (since, until)
            && s > u
        {
            return Err(Error::usage(format!(
                "--since {} is after --until {}: nothing could match",
                input.since.as_deref().unwrap_or_default(),
                input.until.as_deref().unwrap_or_default()
            )));
        }
        Ok(Filter {
            stages,
            open,
            severities,
            categories: all(&input.category),
            channels: all(&input.channel),
            components: all(&input.component),
            assignees: all(&input.assignee),
            tags: all(&input.tag),
            customer: input.customer.as_deref().map(str::to_lowercase),
            fields,
            since,
            until,
            grep: input.grep.as_deref().map(str::to_lowercase),
        })
    }

    /// The `--since` and `--until` bounds on opening.
    pub(crate) fn range(&self) -> (Option<Timestamp>, Option<Timestamp>) {
        (self.since, self.until)
    }

    /// Moves `--since` back to `start` (the beginning of its period, so a series has no
    /// partial first period).
    pub(crate) fn widen_since(&mut self, start: Timestamp) {
        self.since = self.since.map(|s| s.min(start));
    }

    /// How much of a file to read first to decide whether the rest is worth reading: `None`
    /// when the filter needs the whole file, or lets everything through (a first look would
    /// only read the header twice).
    pub(crate) fn first_look(&self) -> Option<Depth> {
        let depth = self.depth();
        (*self != Filter::default() && depth != Depth::Full).then_some(depth)
    }

    /// How much of each file matching needs: everything for `--grep` (it searches notes), the
    /// tables for `--customer` and `--field`, else the top-level keys.
    pub(crate) fn depth(&self) -> Depth {
        if self.grep.is_some() {
            Depth::Full
        } else if self.customer.is_some() || !self.fields.is_empty() {
            Depth::Header
        } else {
            Depth::Top
        }
    }

    pub(crate) fn matches(&self, c: &Complaint, workflow: &Workflow, calendar: &Calendar) -> bool {
        let one_of = |wanted: &[String], value: &Option<String>| {
            wanted.is_empty() || value.as_ref().is_some_and(|v| wanted.contains(v))
        };
        if !self.stages.is_empty() && !self.stages.contains(&c.stage) {
            return false;
        }
        if let Some(open) = self.open
            && workflow.is_closed(&c.stage) == open
        {
            return false;
        }
        if !self.severities.is_empty() && !c.severity.is_some_and(|s| self.severities.contains(&s))
        {
            return false;
        }
        if !(one_of(&self.categories, &c.category)
            && one_of(&self.channels, &c.channel)
            && one_of(&self.components, &c.component)
            && one_of(&self.assignees, &c.assignee))
        {
            return false;
        }
        if !self.tags.is_empty() && !c.tags.iter().any(|t| self.tags.contains(t)) {
            return false;
        }
        if let Some(wanted) = &self.customer {
            let hit = [&c.customer.name, &c.customer.contact]
                .into_iter()
                .flatten()
                .any(|v| v.to_lowercase().contains(wanted));
            if !hit {
                return false;
            }
        }
        for (key, wanted) in &self.fields {
            if key.get(c).is_none_or(|v| v.to_string() != *wanted) {
                return false;
            }
        }
        if self.since.is_some() || self.until.is_some() {
            let opened = c.opened.instant(&calendar.zone);
            if self.since.is_some_and(|s| opened < s) || self.until.is_some_and(|u| opened > u) {
                return false;
            }
        }
        if let Some(needle) = &self.grep
            && !searchable_text(c).any(|t| t.to_lowercase().contains(needle))
        {
            return false;
        }
        true
    }
}

/// Every piece of text `--grep` looks in.
fn searchable_text(c: &Complaint) -> impl Iterator<Item = String> + '_ {
    let header = [
        Some(&c.id),
        Some(&c.title),
        c.external_ref.as_ref(),
        c.customer.name.as_ref(),
        c.customer.contact.as_ref(),
        c.resolution.fair_outcome.as_ref(),
        c.resolution.action.as_ref(),
        c.resolution.extra_mile.as_ref(),
        c.resolution.root_cause.as_ref(),
        c.category.as_ref(),
        c.component.as_ref(),
    ]
    .into_iter()
    .flatten()
    .cloned();
    header
        .chain(c.tags.iter().cloned())
        .chain(c.fields.values().map(ToString::to_string))
        .chain(c.events.iter().filter_map(|e| e.text.clone()))
        .chain(c.followups.iter().filter_map(|f| f.note.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::when::Zone;

    #[test]
    fn only_a_filter_with_something_to_decide_takes_a_first_look() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-26T09:00:00Z").unwrap();
        let calendar = Calendar::standard(Zone::Fixed(*now.offset()));
        let filter = |input: FilterInput| {
            Filter::new(&input, &Workflow::default(), &now, &calendar).unwrap()
        };
        assert_eq!(filter(FilterInput::default()).first_look(), None);
        let open = FilterInput {
            open: true,
            ..FilterInput::default()
        };
        assert_eq!(filter(open).first_look(), Some(Depth::Top));
        let grep = FilterInput {
            grep: Some("refund".into()),
            ..FilterInput::default()
        };
        assert_eq!(
            filter(grep).first_look(),
            None,
            "--grep needs the whole file"
        );
    }
}
