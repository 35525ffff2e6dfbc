//! `gripe due`: the agenda across all complaints: overdue, today's and upcoming follow-ups,
//! promises and SLA deadlines, as a table, JSON, CSV or an iCalendar feed.

use std::io::Write;

use chrono::Utc;
use icalendar::Component as _;
use icalendar::EventLike as _;
use serde::Serialize;

use super::emit;
use super::emit_json;
use super::select;
use crate::analysis::agenda::Group;
use crate::analysis::agenda::Item;
use crate::analysis::agenda::agenda;
use crate::cli::DueArgs;
use crate::cli::DueFormat;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::id::ShortIds;
use crate::output::Painter;
use crate::output::Rows;
use crate::output::csv;
use crate::output::json;
use crate::output::table;
use crate::output::truncate;
use crate::store::Depth;
use crate::time::duration::Span;
use crate::time::when::When;
use crate::time::when::Zone;
use crate::time::when::format_timestamp;

pub(crate) fn run(args: &DueArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let span: Span = args
        .within
        .parse()
        .map_err(|e| Error::usage(format!("--within {e}")))?;
    let within = calendar.add(&ctx.now, &span) - ctx.now;
    let me = args.mine.then(|| ctx.author(None));
    let workflow = &store.config.workflow;
    // Only complaints that can have something due: open ones, and any with a follow-up not done.
    let selection = select(ctx, &args.filter.to_input(), Depth::Full, |loaded| {
        let c = &loaded.complaint;
        let mine = me.as_ref().is_none_or(|me| c.assignee.as_ref() == Some(me));
        let pending = !workflow.is_closed(&c.stage) || c.followups.iter().any(|f| f.done.is_none());
        (mine && pending).then_some(loaded)
    })?;
    let short_ids = selection.short_ids();
    let items = agenda(&selection.items, &store.config, &calendar, &ctx.now, within);
    let zone = calendar.zone;
    let text = match args.format {
        DueFormat::Table => render_table(&items, &short_ids, &zone, ctx.painter, &span),
        DueFormat::Csv => csv::render(&rows(&items, &short_ids, &zone, false)),
        DueFormat::Json => {
            let body = Agenda {
                as_of: format_timestamp(&ctx.now),
                within: span.to_string(),
                items: items.iter().map(|i| ItemJson::new(i, &short_ids)).collect(),
            };
            return emit_json(out, "gripe.due/1", &body).and_then(|()| selection.finish());
        }
        DueFormat::Ics => ics(&items, &short_ids, &ctx.now),
    };
    emit(out, &text)?;
    selection.finish()
}

/// The body of `gripe.due/1`.
#[derive(Serialize)]
struct Agenda<'a> {
    as_of: String,
    within: String,
    items: Vec<ItemJson<'a>>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    group: Group,
    kind: crate::analysis::agenda::ItemKind,
    due: String,
    deadline: String,
    id: &'a str,
    short_id: &'a str,
    title: &'a str,
    customer: Option<&'a str>,
    assignee: Option<&'a str>,
    followup: Option<&'a str>,
    text: Option<&'a str>,
}

impl<'a> ItemJson<'a> {
    fn new(item: &'a Item<'a>, short_ids: &ShortIds) -> ItemJson<'a> {
        let c = item.complaint();
        ItemJson {
            group: item.group,
            kind: item.kind,
            due: item.due.to_string(),
            deadline: format_timestamp(&item.deadline),
            id: &c.id,
            short_id: short_ids.get(&c.id),
            title: &c.title,
            customer: c.customer.label(),
            assignee: c.assignee.as_deref(),
            followup: item.followup,
            text: item.text.as_deref(),
        }
    }
}

fn rows(items: &[Item<'_>], short_ids: &ShortIds, zone: &Zone, for_people: bool) -> Rows {
    let mut rows = if for_people {
        Rows::new(&["DUE", "KIND", "ID", "TITLE", "CUSTOMER", "ASSIGNEE", "NOTE"])
    } else {
        Rows::new(&[
            "group", "kind", "due", "deadline", "id", "title", "customer", "assignee", "followup",
            "text",
        ])
    };
    for item in items {
        let c = item.complaint();
        let text = |v: Option<&str>| v.unwrap_or_default().to_string();
        if for_people {
            rows.push(vec![
                item.due.human(zone),
                item.kind.as_str().to_string(),
                short_ids.get(&c.id).to_string(),
                truncate(&c.title, 40),
                truncate(c.customer.label().unwrap_or_default(), 20),
                text(c.assignee.as_deref()),
                truncate(item.text.as_deref().unwrap_or_default(), 50),
            ]);
        } else {
            rows.push(vec![
                json::name(&item.group),
                item.kind.as_str().to_string(),
                item.due.to_string(),
                format_timestamp(&item.deadline),
                c.id.clone(),
                c.title.clone(),
                text(c.customer.label()),
                text(c.assignee.as_deref()),
                text(item.followup),
                text(item.text.as_deref()),
            ]);
        }
    }
    rows
}

fn render_table(
    items: &[Item<'_>],
    short_ids: &ShortIds,
    zone: &Zone,
    p: Painter,
    span: &Span,
) -> String {
    if items.is_empty() {
        return format!("Nothing due within {span}.\n");
    }
    let mut out = String::new();
    for group in [Group::Overdue, Group::Today, Group::Upcoming] {
        let in_group: Vec<Item<'_>> = items.iter().filter(|i| i.group == group).cloned().collect();
        if in_group.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let title = match group {
            Group::Overdue => p.red(&format!("{} ({})", group.title(), in_group.len())),
            Group::Today => p.yellow(&format!("{} ({})", group.title(), in_group.len())),
            Group::Upcoming => p.bold(&format!(
                "{} within {span} ({})",
                group.title(),
                in_group.len()
            )),
        };
        out.push_str(&format!("{title}\n"));
        out.push_str(&table::render(
            &rows(&in_group, short_ids, zone, true),
            p,
            &[],
        ));
    }
    out
}

/// An iCalendar feed: one event per item, all-day for dates, with stable UIDs so a calendar that
/// subscribes updates items instead of duplicating them.
fn ics(items: &[Item<'_>], short_ids: &ShortIds, now: &crate::time::when::Timestamp) -> String {
    let mut calendar = icalendar::Calendar::new();
    calendar.name("gripe: follow-ups and deadlines");
    let stamp = now.with_timezone(&Utc);
    for item in items {
        let c = item.complaint();
        let short = short_ids.get(&c.id);
        let what = match item.kind {
            crate::analysis::agenda::ItemKind::Followup => "Follow up",
            crate::analysis::agenda::ItemKind::Promise => "Promise due",
            crate::analysis::agenda::ItemKind::Acknowledge => "SLA deadline to acknowledge",
            crate::analysis::agenda::ItemKind::Resolve => "SLA deadline to resolve",
        };
        let uid = format!(
            "{}-{}{}@gripe",
            c.id,
            item.kind.as_str(),
            item.followup.map(|f| format!("-{f}")).unwrap_or_default()
        );
        let mut description = Vec::new();
        if let Some(text) = &item.text {
            description.push(text.clone());
        }
        if let Some(customer) = c.customer.label() {
            description.push(format!("Customer: {customer}"));
        }
        if let Some(assignee) = &c.assignee {
            description.push(format!("Assignee: {assignee}"));
        }
        description.push(format!("gripe show {short}"));
        let mut event = icalendar::Event::new();
        event
            .uid(&uid)
            .timestamp(stamp)
            .summary(&format!("{what}: {} ({short})", c.title))
            .description(&description.join("\n"))
            .categories([item.kind.as_str()]);
        match item.due {
            When::Date(date) => {
                event.starts(date).ends(date.succ_opt().unwrap_or(date));
            }
            _ => {
                let start = item.deadline.with_timezone(&Utc);
                event
                    .starts(start)
                    .ends(start + chrono::Duration::minutes(15));
            }
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}
