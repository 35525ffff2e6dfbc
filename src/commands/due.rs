//! `gripe due`: the agenda across all complaints: overdue, today's and upcoming follow-ups,
//! promises and SLA deadlines, as a table, JSON, CSV or an iCalendar feed.

use std::io::Write;

use chrono::Utc;
use icalendar::Component as _;
use icalendar::EventLike as _;
use serde::Serialize;

use super::ShortAt;
use super::emit;
use super::spool_each;
use super::with_short_id;
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
    let zone = calendar.zone;
    let now = ctx.now;
    let painter = ctx.painter;
    // An iCalendar event folds its lines at 75 bytes, so a short id cannot be put in after
    // the event is made: the feed takes the short ids of the whole folder's ids first (its
    // file names; only the ids are held).
    let folder_ids = (args.format == DueFormat::Ics)
        .then(|| ShortIds::new(store.index().into_iter().map(|(id, _)| id)));
    // Only complaints that can have something due (open ones, and any with a follow-up not
    // done). Each item's piece of output is made as its file is read, with the whole id where
    // the short id goes (short ids are known once the ids due are); only the keys are held.
    let mut spooled = spool_each(ctx, &args.filter.to_input(), |loaded, piece, put| {
        let c = &loaded.complaint;
        let mine = me.as_ref().is_none_or(|me| c.assignee.as_ref() == Some(me));
        let pending = !workflow.is_closed(&c.stage) || c.followups.iter().any(|f| f.done.is_none());
        if !(mine && pending) {
            return;
        }
        for (n, item) in agenda.of(&loaded).iter().enumerate() {
            piece.clear();
            let mut widths = [0; PEOPLE_HEADERS.len()];
            match args.format {
                DueFormat::Table => {
                    let (row, cell_widths) =
                        table::encode(painter, &people_row(item, &c.id, &zone), |_| None);
                    piece.extend(row);
                    // The id's column is as wide as the short ids, known later.
                    for (j, (w, cell)) in widths.iter_mut().zip(cell_widths).enumerate() {
                        if j != ID_COLUMN {
                            *w = u16::try_from(cell).unwrap_or(u16::MAX);
                        }
                    }
                }
                DueFormat::Csv => csv::record(&data_row(item), piece),
                DueFormat::Json => json::pretty_into(&ItemJson::new(item, &c.id), piece),
                DueFormat::Ics => {
                    let short = folder_ids
                        .as_ref()
                        .map_or(c.id.as_str(), |ids| ids.get(&c.id));
                    piece.extend(ics_event(item, short, &now).as_bytes());
                }
            }
            let (group, deadline) = item.order();
            let key = Key {
                group,
                deadline,
                id: c.id.as_str().into(),
                n,
                widths,
            };
            put(key, piece);
        }
    })?;
    let pieces = &mut spooled.pieces;
    pieces
        .sort_by(|a, b| (a.group, a.deadline, &a.id, a.n).cmp(&(b.group, b.deadline, &b.id, b.n)));
    // Unique among every complaint in the folder, not only the ones due.
    let short_ids = store.short_ids_for(pieces.keys().map(|key| key.id.as_ref()));
    // Where the short id goes: in a table row the id's cell is the first place the id is
    // written; in JSON, `short_id` comes after the whole `id`.
    match args.format {
        DueFormat::Table => {
            if pieces.len() == 0 {
                emit(out, &format!("Nothing due within {span}.\n"))?;
                return spooled.finish();
            }
            let mut counts = [0; 3];
            let mut widths = [[0usize; PEOPLE_HEADERS.len()]; 3];
            for key in pieces.keys() {
                let g = key.group as usize;
                counts[g] += 1;
                for (widest, &w) in widths[g].iter_mut().zip(&key.widths) {
                    *widest = (*widest).max(usize::from(w));
                }
                widths[g][ID_COLUMN] = widths[g][ID_COLUMN].max(short_ids.get(&key.id).len());
            }
            let headers = PEOPLE_HEADERS.map(String::from);
            // One table per group, each under its title.
            let mut idle: Option<&mut dyn Write> = Some(out);
            let mut table: Option<(Group, table::Writer)> = None;
            pieces
                .write_each(|key, piece| {
                    if table.as_ref().is_none_or(|(g, _)| *g != key.group) {
                        let (out, separator) = match table.take() {
                            Some((_, done)) => (done.finish_into()?, "\n"),
                            None => (idle.take().expect("the output"), ""),
                        };
                        let g = key.group as usize;
                        let title = group_title(key.group, counts[g], painter, &span);
                        writeln!(out, "{separator}{title}")?;
                        let writer = table::Writer::new(out, &headers, painter, &[], &widths[g]);
                        table = Some((key.group, writer));
                    }
                    let (_, writer) = table.as_mut().expect("a table for the group");
                    writer
                        .row(with_short_id(piece, &key.id, &short_ids, ShortAt::First).into_owned())
                })
                .and_then(|()| table.map_or(Ok(()), |(_, writer)| writer.finish()))
                .map_err(Error::Output)?;
        }
        DueFormat::Csv => {
            let mut header = Vec::new();
            csv::record(&DATA_HEADERS.map(String::from), &mut header);
            out.write_all(&header)
                .and_then(|()| pieces.write_each(|_, piece| out.write_all(piece)))
                .map_err(Error::Output)?;
        }
        DueFormat::Json => {
            let head = [
                ("as_of", format_timestamp(&ctx.now).into()),
                ("within", span.to_string().into()),
            ];
            json::write_array(out, "gripe.due/1", &head, "items", |element| {
                pieces.write_each(|key, piece| {
                    element(&with_short_id(
                        piece,
                        &key.id,
                        &short_ids,
                        ShortAt::AfterFirst,
                    ))
                })
            })
            .map_err(Error::Output)?;
        }
        DueFormat::Ics => {
            let (head, tail) = ics_frame();
            out.write_all(head.as_bytes())
                .and_then(|()| pieces.write_each(|_, piece| out.write_all(piece)))
                .and_then(|()| out.write_all(tail.as_bytes()))
                .map_err(Error::Output)?;
        }
    }
    spooled.finish()
}

/// Where an item goes in the agenda (group, deadline, then its complaint and its place among
/// that complaint's items), and the widths of its table row's cells.
struct Key {
    group: Group,
    deadline: Timestamp,
    id: Box<str>,
    n: usize,
    widths: [u16; PEOPLE_HEADERS.len()],
}

/// The column of `due`'s table that holds the short id.
const ID_COLUMN: usize = 2;

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
    fn new(item: &'a Item<'a>, short_id: &'a str) -> ItemJson<'a> {
        let c = item.complaint();
        ItemJson {
            group: item.group,
            kind: item.kind,
            due: item.due.to_string(),
            deadline: format_timestamp(&item.deadline),
            id: &c.id,
            short_id,
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

fn people_row(item: &Item<'_>, short_id: &str, zone: &Zone) -> Vec<String> {
    let c = item.complaint();
    vec![
        item.due.human(zone),
        item.kind.as_str().to_string(),
        short_id.to_string(),
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
fn ics_event(item: &Item<'_>, short: &str, now: &Timestamp) -> String {
    let c = item.complaint();
    let what = match item.kind {
        ItemKind::Followup => "Follow up".to_string(),
        ItemKind::Promise => "Promise due".to_string(),
        ItemKind::Acknowledge => "SLA deadline to acknowledge".to_string(),
        ItemKind::Resolve => "SLA deadline to resolve".to_string(),
        ItemKind::Regulatory => item.clock.map_or_else(
            || "Regulatory deadline".to_string(),
            |(regime, clock)| format!("{regime} deadline, {}", clock.replace('_', " ")),
        ),
    };
    let part = match (item.followup, item.clock) {
        (Some(f), _) => format!("-{f}"),
        (None, Some((regime, clock))) => format!("-{regime}-{clock}"),
        (None, None) => String::new(),
    };
    let uid = format!("{}-{}{part}@gripe", c.id, item.kind.as_str());
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
