//! `gripe due`: the agenda across all complaints: overdue, today's and upcoming follow-ups,
//! promises and SLA deadlines, as a table, JSON, CSV or an iCalendar feed.

use std::cell::Cell;
use std::io::Write;
use std::path::Path;

use chrono::Utc;
use icalendar::Component as _;
use icalendar::EventLike as _;
use serde::Serialize;

use super::emit;
use super::in_order;
use super::select;
use crate::analysis::agenda::Agenda;
use crate::analysis::agenda::Group;
use crate::analysis::agenda::Item;
use crate::analysis::agenda::ItemKind;
use crate::cli::DueArgs;
use crate::cli::DueFormat;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::id::ShortIds;
use crate::output::Painter;
use crate::output::csv;
use crate::output::json;
use crate::output::table;
use crate::output::truncate;
use crate::store::Store;
use crate::time::duration::Span;
use crate::time::when::Timestamp;
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
    let agenda = Agenda {
        config: &store.config,
        calendar: &calendar,
        now: &ctx.now,
        within: calendar.add(&ctx.now, &span) - ctx.now,
    };
    let me = args.mine.then(|| ctx.author(None));
    let workflow = &store.config.workflow;
    // Only complaints that can have something due (open ones, and any with a follow-up not
    // done), and of those only each item's place in the agenda and the file: a complaint is
    // read again when its items' turn to be written comes.
    let selection = select(ctx, &args.filter.to_input(), |loaded| {
        let c = &loaded.complaint;
        let mine = me.as_ref().is_none_or(|me| c.assignee.as_ref() == Some(me));
        let pending = !workflow.is_closed(&c.stage) || c.followups.iter().any(|f| f.done.is_none());
        if !(mine && pending) {
            return None;
        }
        let places: Box<[_]> = agenda.of(&loaded).iter().map(Item::order).collect();
        let id = Box::<str>::from(c.id.as_str());
        (!places.is_empty()).then(|| (id, loaded.path.into_boxed_path(), places))
    })?;
    // Unique among every complaint in the folder, not only the ones due.
    let short_ids = store.short_ids_for(selection.items.iter().map(|(id, _, _)| id.as_ref()));
    let places = places(&selection.items);
    let entries = Entries { places: &places };
    let zone = calendar.zone;
    let now = ctx.now;
    let unreadable = &selection.unreadable_now;
    match args.format {
        DueFormat::Table => {
            if entries.places.is_empty() {
                emit(out, &format!("Nothing due within {span}.\n"))?;
                return selection.finish();
            }
            for (n, group) in entries.groups().enumerate() {
                let title = group_title(group.places[0].0, group.places.len(), ctx.painter, &span);
                let mut table =
                    table::Stream::new(&PEOPLE_HEADERS.map(String::from), ctx.painter, &[]);
                let separator = if n > 0 { "\n" } else { "" };
                writeln!(out, "{separator}{title}")
                    .and_then(|()| {
                        group.write_each(
                            store,
                            &agenda,
                            unreadable,
                            |item| people_row(item, &short_ids, &zone),
                            |row| table.push(&row, |_| None),
                        )
                    })
                    .and_then(|()| table.write(out))
                    .map_err(Error::Output)?;
            }
        }
        DueFormat::Csv => {
            let mut csv = csv::Stream::new(out);
            csv.row(&DATA_HEADERS.map(String::from))
                .map_err(Error::Output)?;
            entries
                .write_each(store, &agenda, unreadable, data_row, |row| csv.row(&row))
                .map_err(Error::Output)?;
            csv.finish().map_err(Error::Output)?;
        }
        DueFormat::Json => {
            let head = [
                ("as_of", format_timestamp(&ctx.now).into()),
                ("within", span.to_string().into()),
            ];
            json::write_array(out, "gripe.due/1", &head, "items", |element| {
                entries.write_each(
                    store,
                    &agenda,
                    unreadable,
                    |item| json::pretty(&ItemJson::new(item, &short_ids)),
                    |item| element(&item),
                )
            })
            .map_err(Error::Output)?;
        }
        DueFormat::Ics => {
            let (head, tail) = ics_frame();
            out.write_all(head.as_bytes())
                .and_then(|()| {
                    entries.write_each(
                        store,
                        &agenda,
                        unreadable,
                        |item| ics_event(item, &short_ids, &now),
                        |event| out.write_all(event.as_bytes()),
                    )
                })
                .and_then(|()| out.write_all(tail.as_bytes()))
                .map_err(Error::Output)?;
        }
    }
    selection.finish()
}

/// Where each item of the agenda goes: its group and deadline, its complaint's id and file, and
/// its place among that complaint's items (what [`Agenda::of`] gives when the file is read
/// again). Sorted, they are the agenda's order.
#[derive(Clone, Copy)]
struct Entries<'e, 's> {
    places: &'e [Place<'s>],
}

/// One item's place: group, deadline, id, its place among its complaint's items, file.
type Place<'s> = (Group, Timestamp, &'s str, usize, &'s Path);

/// One complaint kept by the scan: its id, its file and its items' places (boxed: no spare
/// capacity kept for each of many complaints).
type Kept = (Box<str>, Box<Path>, Box<[(Group, Timestamp)]>);

/// The places of every item of the `kept` complaints, in the agenda's order.
fn places(kept: &[Kept]) -> Vec<Place<'_>> {
    let mut places = Vec::new();
    for (id, path, items) in kept {
        for (n, (group, deadline)) in items.iter().enumerate() {
            places.push((*group, *deadline, id.as_ref(), n, path.as_ref()));
        }
    }
    places.sort_unstable();
    places
}

impl<'e, 's> Entries<'e, 's> {
    /// The entries of each group in turn, in the agenda's order (the places are sorted by
    /// group first).
    fn groups(self) -> impl Iterator<Item = Entries<'e, 's>> {
        self.places
            .chunk_by(|a, b| a.0 == b.0)
            .map(|places| Entries { places })
    }

    /// Reads the complaint of each entry again, in order ([`in_order`]), and writes what `make`
    /// makes of its item (an item its file no longer has is left out).
    fn write_each<T: Send, E>(
        self,
        store: &Store,
        agenda: &Agenda<'_>,
        unreadable: &Cell<usize>,
        make: impl Fn(&Item<'_>) -> T + Sync,
        mut write: impl FnMut(T) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let paths: Vec<&Path> = self.places.iter().map(|p| p.4).collect();
        in_order(
            store,
            &paths,
            unreadable,
            |loaded, at| agenda.of(&loaded).get(self.places[at].3).map(&make),
            |made| made.map_or(Ok(()), &mut write),
        )
    }
}

#[derive(Serialize)]
struct ItemJson<'a> {
    group: Group,
    kind: ItemKind,
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

/// The columns of `due` for people.
const PEOPLE_HEADERS: [&str; 7] = ["DUE", "KIND", "ID", "TITLE", "CUSTOMER", "ASSIGNEE", "NOTE"];

/// The columns of `due --format csv`.
const DATA_HEADERS: [&str; 10] = [
    "group", "kind", "due", "deadline", "id", "title", "customer", "assignee", "followup", "text",
];

fn people_row(item: &Item<'_>, short_ids: &ShortIds, zone: &Zone) -> Vec<String> {
    let c = item.complaint();
    vec![
        item.due.human(zone),
        item.kind.as_str().to_string(),
        short_ids.get(&c.id).to_string(),
        truncate(&c.title, 40),
        truncate(c.customer.label().unwrap_or_default(), 20),
        c.assignee.clone().unwrap_or_default(),
        truncate(item.text.as_deref().unwrap_or_default(), 50),
    ]
}

fn data_row(item: &Item<'_>) -> Vec<String> {
    let c = item.complaint();
    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
    vec![
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
    ]
}

/// The line above a group's table: `Overdue (3)`, `Upcoming within 7d (2)`.
fn group_title(group: Group, count: usize, p: Painter, span: &Span) -> String {
    match group {
        Group::Overdue => p.red(&format!("{} ({count})", group.title())),
        Group::Today => p.yellow(&format!("{} ({count})", group.title())),
        Group::Upcoming => p.bold(&format!("{} within {span} ({count})", group.title())),
    }
}

/// The iCalendar feed's text before its events and after them: a calendar of no events, cut
/// where its events go.
fn ics_frame() -> (String, String) {
    let mut calendar = icalendar::Calendar::new();
    calendar.name("gripe: follow-ups and deadlines");
    let text = calendar.done().to_string();
    let end = text.rfind("END:VCALENDAR").unwrap_or(text.len());
    let (head, tail) = text.split_at(end);
    (head.to_string(), tail.to_string())
}

/// One item as an iCalendar event: all-day for dates, with a stable UID so a calendar that
/// subscribes updates items instead of duplicating them.
fn ics_event(item: &Item<'_>, short_ids: &ShortIds, now: &Timestamp) -> String {
    let c = item.complaint();
    let short = short_ids.get(&c.id);
    let what = match item.kind {
        ItemKind::Followup => "Follow up",
        ItemKind::Promise => "Promise due",
        ItemKind::Acknowledge => "SLA deadline to acknowledge",
        ItemKind::Resolve => "SLA deadline to resolve",
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
        .timestamp(now.with_timezone(&Utc))
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
    event.done().to_string()
}
