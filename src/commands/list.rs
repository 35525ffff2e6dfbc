//! `gripe list`: one line per complaint, newest first, with where each stands: its next
//! follow-up and what is late (follow-ups, SLA clocks, promises).

use std::io::Write;

use serde::Serialize;

use super::emit;
use super::select;
use crate::calendar::Calendar;
use crate::cli::ListArgs;
use crate::complaint::Complaint;
use crate::config::Config;
use crate::context::Ctx;
use crate::error::Result;
use crate::id::ShortIds;
use crate::output::Format;
use crate::output::Painter;
use crate::output::Rows;
use crate::output::csv;
use crate::output::json;
use crate::output::markdown;
use crate::output::table;
use crate::output::truncate;
use crate::sla::Clock;
use crate::sla::ClockState;
use crate::status::FollowupState;
use crate::status::PromiseState;
use crate::status::Status;
use crate::store::Loaded;
use crate::when::Timestamp;
use crate::when::Zone;
use crate::when::format_timestamp;

/// A complaint with where it stands now.
pub struct Listed<'a> {
    pub loaded: &'a Loaded,
    pub status: Status,
}

impl<'a> Listed<'a> {
    pub fn new(
        loaded: &'a Loaded,
        config: &Config,
        calendar: &Calendar,
        now: &Timestamp,
    ) -> Listed<'a> {
        Listed {
            status: Status::new(&loaded.complaint, config, calendar, now),
            loaded,
        }
    }
}

/// A complaint in JSON: its short id and file, every field of the file, then its status.
#[derive(Serialize)]
pub struct ComplaintJson<'a> {
    pub short_id: &'a str,
    pub path: String,
    #[serde(flatten)]
    pub complaint: &'a Complaint,
    pub status: StatusJson<'a>,
}

#[derive(Serialize)]
pub struct StatusJson<'a> {
    next_followup: Option<NextFollowupJson<'a>>,
    promise: Option<PromiseJson>,
    sla: SlaJson,
    flags: Vec<&'static str>,
}

#[derive(Serialize)]
struct NextFollowupJson<'a> {
    id: &'a str,
    due: String,
    state: FollowupState,
}

#[derive(Serialize)]
struct PromiseJson {
    by: String,
    first: String,
    state: PromiseState,
}

#[derive(Serialize)]
struct SlaJson {
    acknowledge: ClockJson,
    resolve: ClockJson,
}

#[derive(Serialize)]
struct ClockJson {
    state: ClockState,
    target: String,
    deadline: Option<String>,
    elapsed_s: i64,
    remaining_s: i64,
}

impl ClockJson {
    fn new(clock: &Clock) -> ClockJson {
        ClockJson {
            state: clock.state,
            target: clock.target.to_string(),
            deadline: clock.deadline.as_ref().map(format_timestamp),
            elapsed_s: clock.elapsed_s,
            remaining_s: clock.remaining_s(),
        }
    }
}

impl<'a> ComplaintJson<'a> {
    pub fn new(listed: &'a Listed<'a>, short_id: &'a str, zone: &Zone) -> ComplaintJson<'a> {
        let c = &listed.loaded.complaint;
        let status = &listed.status;
        ComplaintJson {
            short_id,
            path: listed.loaded.path.display().to_string().replace('\\', "/"),
            complaint: c,
            status: StatusJson {
                next_followup: status
                    .next_followup(c, zone)
                    .map(|(f, state)| NextFollowupJson {
                        id: &f.id,
                        due: f.due.to_string(),
                        state,
                    }),
                promise: status.promise.as_ref().map(|p| PromiseJson {
                    by: p.by.to_string(),
                    first: p.first.to_string(),
                    state: p.state,
                }),
                sla: SlaJson {
                    acknowledge: ClockJson::new(&status.clocks[0]),
                    resolve: ClockJson::new(&status.clocks[1]),
                },
                flags: status.flags(),
            },
        }
    }
}

pub fn run(args: &ListArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let mut selection = select(ctx, &args.filter.to_input())?;
    let short_ids = ShortIds::new(selection.all_ids.iter().map(String::as_str));
    let zone = calendar.zone;
    selection.complaints.sort_by(|a, b| {
        let key = |l: &Loaded| l.complaint.opened.instant(&zone);
        key(b)
            .cmp(&key(a))
            .then_with(|| a.complaint.id.cmp(&b.complaint.id))
    });
    if let Some(limit) = args.limit {
        selection.complaints.truncate(limit);
    }
    let listed: Vec<Listed<'_>> = selection
        .complaints
        .iter()
        .map(|l| Listed::new(l, &store.config, &calendar, &ctx.now))
        .collect();
    let json_of = |l: &'_ Listed<'_>| {
        json::value(&ComplaintJson::new(
            l,
            short_ids.get(&l.loaded.complaint.id),
            &zone,
        ))
    };
    let text = match args.format {
        Format::Json => json::envelope(
            "gripe.list/1",
            vec![
                ("count", listed.len().into()),
                (
                    "complaints",
                    listed.iter().map(json_of).collect::<Vec<_>>().into(),
                ),
            ],
        ),
        Format::Jsonl => json::lines(listed.iter().map(json_of)),
        Format::Csv => csv::render(&rows(&listed, &short_ids, &zone, ctx.painter, Layout::Data)),
        Format::Markdown => markdown::render(&rows(
            &listed,
            &short_ids,
            &zone,
            Painter { color: false },
            Layout::Document,
        )),
        Format::Table => table::render(
            &rows(&listed, &short_ids, &zone, ctx.painter, Layout::Terminal),
            ctx.painter,
            &[],
        ),
    };
    emit(out, &text)?;
    selection.finish()
}

/// Who reads the rows of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Scripts (CSV): whole ids, untruncated text, every status field.
    Data,
    /// People at a terminal: short ids, text cut to fit a line, colour.
    Terminal,
    /// People reading a document (markdown): short ids, whole text.
    Document,
}

/// The columns of `list` for `layout`, painted by `paint`.
pub fn rows(
    listed: &[Listed<'_>],
    short_ids: &ShortIds,
    zone: &Zone,
    paint: Painter,
    layout: Layout,
) -> Rows {
    let full = layout == Layout::Data;
    let cut = |text: &str, max: usize| {
        if layout == Layout::Terminal {
            truncate(text, max)
        } else {
            text.to_string()
        }
    };
    let mut rows = if full {
        Rows::new(&[
            "id",
            "opened",
            "stage",
            "severity",
            "channel",
            "category",
            "component",
            "assignee",
            "customer",
            "title",
            "next_followup",
            "promised_by",
            "promise",
            "sla_acknowledge",
            "sla_resolve",
            "flags",
        ])
    } else {
        Rows::new(&[
            "ID", "OPENED", "STAGE", "SEV", "CATEGORY", "ASSIGNEE", "CUSTOMER", "TITLE", "NEXT",
            "FLAGS",
        ])
    };
    for Listed { loaded, status } in listed {
        let c = &loaded.complaint;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let severity = c.severity.map(|s| s.as_str()).unwrap_or_default();
        let customer = c.customer.label().unwrap_or_default().to_string();
        let next = status.next_followup(c, zone);
        let flags = status.flags().join(",");
        if full {
            rows.push(vec![
                c.id.clone(),
                c.opened.to_string(),
                c.stage.clone(),
                severity.to_string(),
                text(&c.channel),
                text(&c.category),
                text(&c.component),
                text(&c.assignee),
                customer,
                c.title.clone(),
                next.map(|(f, _)| f.due.to_string()).unwrap_or_default(),
                c.promised_by.map(|p| p.to_string()).unwrap_or_default(),
                status
                    .promise
                    .as_ref()
                    .map(|p| {
                        json::value(&p.state)
                            .as_str()
                            .unwrap_or_default()
                            .to_string()
                    })
                    .unwrap_or_default(),
                json::value(&status.clocks[0].state)
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                json::value(&status.clocks[1].state)
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                flags,
            ]);
        } else {
            let next = match next {
                Some((f, FollowupState::Overdue)) => paint.red(&f.due.date(zone).to_string()),
                Some((f, _)) => f.due.date(zone).to_string(),
                None => String::new(),
            };
            rows.push(vec![
                paint.cyan(short_ids.get(&c.id)),
                c.opened.date(zone).to_string(),
                c.stage.clone(),
                paint.severity(severity),
                text(&c.category),
                text(&c.assignee),
                cut(&customer, 20),
                cut(&c.title, 48),
                next,
                paint.red(&flags),
            ]);
        }
    }
    rows
}
