//! `gripe list`: one line per complaint, newest first, with where each stands: its next
//! follow-up and what is late (follow-ups, SLA clocks, promises).

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::ShortAt;
use super::spool;
use super::with_short_id;
use super::write_json;
use crate::analysis::regulatory::RegClock;
use crate::analysis::regulatory::RegState;
use crate::analysis::report::actions;
use crate::analysis::sla::Clock;
use crate::analysis::sla::ClockState;
use crate::analysis::status::FollowupState;
use crate::analysis::status::PromiseState;
use crate::analysis::status::Status;
use crate::cli::ListArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Severity;
use crate::model::config::Config;
use crate::model::id::ShortIds;
use crate::model::regime::Regime;
use anstyle::Style;

use crate::output::Format;
use crate::output::Rows;
use crate::output::colour;
use crate::output::csv;
use crate::output::json;
use crate::output::markdown;
use crate::output::table;
use crate::output::truncate;
use crate::store::Loaded;
use crate::time::calendar::Calendar;
use crate::time::when::Timestamp;
use crate::time::when::When;
use crate::time::when::Zone;
use crate::time::when::format_timestamp;

/// A complaint with where it stands now.
pub(crate) struct Listed<'a> {
    pub(crate) loaded: &'a Loaded,
    pub(crate) status: Status,
}

impl<'a> Listed<'a> {
    pub(crate) fn new(
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
pub(crate) struct ComplaintJson<'a> {
    pub(crate) short_id: &'a str,
    pub(crate) path: String,
    #[serde(flatten)]
    pub(crate) complaint: &'a Complaint,
    pub(crate) status: StatusJson<'a>,
}

#[derive(Serialize)]
pub(crate) struct StatusJson<'a> {
    next_followup: Option<NextFollowupJson<'a>>,
    promise: Option<PromiseJson>,
    sla: SlaJson,
    /// `REGIME.CLOCK`, for the regimes the complaint runs under.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    regulatory: BTreeMap<&'static str, BTreeMap<&'static str, RegClockJson>>,
    flags: Vec<&'static str>,
}

#[derive(Serialize)]
struct RegClockJson {
    state: RegState,
    deadline: String,
    remaining_s: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    letter_sent: Option<String>,
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
    pub(crate) fn new(listed: &'a Listed<'a>, short_id: &'a str, zone: &Zone) -> ComplaintJson<'a> {
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
                regulatory: regulatory_json(&status.regulatory),
                flags: status.flags(),
            },
        }
    }
}

fn regulatory_json(
    clocks: &[RegClock],
) -> BTreeMap<&'static str, BTreeMap<&'static str, RegClockJson>> {
    let mut out: BTreeMap<_, BTreeMap<_, _>> = BTreeMap::new();
    for clock in clocks {
        out.entry(clock.regime.as_str()).or_default().insert(
            clock.name,
            RegClockJson {
                state: clock.state,
                deadline: format_timestamp(&clock.deadline),
                remaining_s: clock.remaining_s,
                letter_sent: clock.stopped.as_ref().map(format_timestamp),
            },
        );
    }
    out
}

/// One complaint of `list`: what its columns show, kept small so a list of every complaint
/// does not hold every file; with `json`, its whole JSON object (without `short_id`, which is
/// only known once every id has been read).
pub(crate) struct Line {
    pub(crate) id: String,
    pub(crate) opened: When,
    pub(crate) stage: String,
    pub(crate) severity: Option<Severity>,
    pub(crate) channel: Option<String>,
    pub(crate) category: Option<String>,
    pub(crate) component: Option<String>,
    pub(crate) assignee: Option<String>,
    pub(crate) customer: Option<String>,
    pub(crate) title: String,
    pub(crate) next: Option<(When, FollowupState)>,
    pub(crate) promised_by: Option<When>,
    pub(crate) promise: Option<PromiseState>,
    pub(crate) clocks: [ClockState; 2],
    /// The clock that matters now: acknowledging until that is done, then resolving.
    pub(crate) current_clock: (&'static str, ClockState),
    pub(crate) flags: Vec<&'static str>,
}

impl Line {
    pub(crate) fn new(listed: &Listed<'_>, zone: &Zone) -> Line {
        let c = &listed.loaded.complaint;
        let status = &listed.status;
        Line {
            id: c.id.clone(),
            opened: c.opened,
            stage: c.stage.clone(),
            severity: c.severity,
            channel: c.channel.clone(),
            category: c.category.clone(),
            component: c.component.clone(),
            assignee: c.assignee.clone(),
            customer: c.customer.label().map(ToString::to_string),
            title: c.title.clone(),
            next: status
                .next_followup(c, zone)
                .map(|(f, state)| (f.due, state)),
            promised_by: c.promised_by,
            promise: status.promise.as_ref().map(|p| p.state),
            clocks: [status.clocks[0].state, status.clocks[1].state],
            current_clock: match &status.clocks {
                [ack, _] if ack.stopped.is_none() => ("ack", ack.state),
                [_, resolve] => ("resolve", resolve.state),
            },
            flags: status.flags(),
        }
    }
}

/// What `list` keeps of each complaint it lists, beside its piece of output: its place (newest
/// first) and, for a terminal table, the widths of its cells.
struct Key {
    opened: Reverse<Timestamp>,
    id: Box<str>,
    widths: [u16; PEOPLE_HEADERS.len()],
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.id
    }
}

pub(crate) fn run(args: &ListArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let zone = calendar.zone;
    let now = ctx.now;
    let painter = ctx.painter;
    // `--due-within`'s end for each regime: a span of business days counts on each regime's
    // own calendar.
    let horizons: Vec<(Regime, Timestamp)> = args.due_within.map_or_else(Vec::new, |span| {
        Regime::ALL
            .into_iter()
            .map(|r| {
                (
                    r,
                    store
                        .config
                        .regulatory
                        .calendar(r, &calendar)
                        .add(&now, &span),
                )
            })
            .collect()
    });
    let shape = match args.format {
        Format::Json => json::Shape::Document {
            schema: "gripe.list/1",
        },
        _ => json::Shape::Lines,
    };
    // Each complaint's piece of output is made as it is read, with its whole id where its
    // short id goes (short ids are known once the listed ids are); only the keys are held.
    let mut spooled = spool(ctx, &args.filter.to_input(), |loaded, piece| {
        let listed = Listed::new(&loaded, &store.config, &calendar, &now);
        let c = &loaded.complaint;
        if args.needs_action
            && (listed.status.closed
                || actions(c, &listed.status, &store.config, &zone, &now).is_empty())
        {
            return None;
        }
        let due_soon = |clock: &RegClock| {
            horizons.iter().any(|(regime, horizon)| {
                *regime == clock.regime
                    && clock.is_open()
                    && !clock.is_open_breach()
                    && clock.deadline <= *horizon
            })
        };
        if (args.breached || args.due_within.is_some())
            && !listed
                .status
                .regulatory
                .iter()
                .any(|clock| (args.breached && clock.is_open_breach()) || due_soon(clock))
        {
            return None;
        }
        let mut widths = [0; PEOPLE_HEADERS.len()];
        match args.format {
            Format::Json | Format::Jsonl => {
                shape.encode_into(&ComplaintJson::new(&listed, &c.id, &zone), piece);
            }
            Format::Csv => csv::record(&Line::new(&listed, &zone).data_row(), piece),
            Format::Markdown => {
                let line = Line::new(&listed, &zone);
                let (cells, _) = line.cells(&c.id, &zone, Layout::Document);
                piece.extend(markdown::row(&cells).as_bytes());
            }
            Format::Table => {
                let line = Line::new(&listed, &zone);
                let (cells, styles) = line.cells(&c.id, &zone, Layout::Terminal);
                let style = |j| styles.iter().find(|(c, _)| *c == j).map(|(_, s)| *s);
                let (row, cell_widths) = table::encode(painter, &cells, style);
                piece.extend(row);
                // The id's column is as wide as the short ids, known later.
                for (w, cell) in widths.iter_mut().zip(cell_widths).skip(1) {
                    *w = u16::try_from(cell).unwrap_or(u16::MAX);
                }
            }
        }
        Some(Key {
            opened: Reverse(c.opened.instant(&zone)),
            id: c.id.as_str().into(),
            widths,
        })
    })?;
    let pieces = &mut spooled.pieces;
    pieces.sort_by(|a, b| (&a.opened, &a.id).cmp(&(&b.opened, &b.id)));
    if let Some(limit) = args.limit {
        pieces.truncate(limit);
    }
    // Unique among every complaint in the folder, not only the ones listed; CSV shows whole ids.
    let short_ids = match args.format {
        Format::Csv => ShortIds::new(Vec::<String>::new()),
        _ => store.short_ids_for(pieces.keys().map(|key| key.id.as_ref())),
    };
    match args.format {
        Format::Json | Format::Jsonl => write_json(out, shape, pieces, Some(&short_ids))?,
        Format::Csv => {
            let mut header = Vec::new();
            csv::record(&DATA_HEADERS.map(String::from), &mut header);
            out.write_all(&header)
                .and_then(|()| pieces.write_each(|_, piece| out.write_all(piece)))
                .map_err(Error::Output)?;
        }
        Format::Markdown => {
            out.write_all(markdown::header(&PEOPLE_HEADERS.map(String::from)).as_bytes())
                .and_then(|()| {
                    pieces.write_each(|key, piece| {
                        out.write_all(&with_short_id(piece, &key.id, &short_ids, ShortAt::First))
                    })
                })
                .map_err(Error::Output)?;
        }
        Format::Table => {
            let mut widths = vec![0; PEOPLE_HEADERS.len()];
            for key in pieces.keys() {
                for (widest, &w) in widths.iter_mut().zip(&key.widths) {
                    *widest = (*widest).max(usize::from(w));
                }
                widths[0] = widths[0].max(short_ids.get(&key.id).len());
            }
            let headers = PEOPLE_HEADERS.map(String::from);
            let mut table = table::Writer::new(out, &headers, painter, &[], &widths);
            pieces
                .write_each(|key, piece| {
                    table
                        .row(with_short_id(piece, &key.id, &short_ids, ShortAt::First).into_owned())
                })
                .and_then(|()| table.finish())
                .map_err(Error::Output)?;
        }
    }
    spooled.finish()
}

/// Who reads the rows of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Scripts (CSV): whole ids, untruncated text, every status field.
    Data,
    /// People at a terminal: short ids, text cut to fit a line, colour.
    Terminal,
    /// People reading a document (markdown): short ids, whole text.
    Document,
}

/// The columns of `list` for `layout`, painted by `paint`.
/// The columns of `list` for scripts (CSV), in order.
const DATA_HEADERS: [&str; 16] = [
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
];

impl Line {
    /// The line under [`DATA_HEADERS`]: whole ids, untruncated text, every status field.
    fn data_row(&self) -> Vec<String> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            self.id.clone(),
            self.opened.to_string(),
            self.stage.clone(),
            self.severity
                .map(|s| s.as_str())
                .unwrap_or_default()
                .to_string(),
            text(&self.channel),
            text(&self.category),
            text(&self.component),
            text(&self.assignee),
            text(&self.customer),
            self.title.clone(),
            self.next
                .map(|(due, _)| due.to_string())
                .unwrap_or_default(),
            self.promised_by.map(|p| p.to_string()).unwrap_or_default(),
            self.promise.map(|p| json::name(&p)).unwrap_or_default(),
            json::name(&self.clocks[0]),
            json::name(&self.clocks[1]),
            self.flags.join(","),
        ]
    }
}

/// The columns of `list` for people (a terminal or a document), in order.
const PEOPLE_HEADERS: [&str; 12] = [
    "ID", "OPENED", "STAGE", "SEV", "CATEGORY", "ASSIGNEE", "CUSTOMER", "TITLE", "NEXT", "PROMISE",
    "SLA", "FLAGS",
];

impl Line {
    /// The line under [`PEOPLE_HEADERS`], with `short` as its id, and the colours of its cells
    /// by column: cut to fit a terminal line for [`Layout::Terminal`], whole for a document.
    fn cells(
        &self,
        short: &str,
        zone: &Zone,
        layout: Layout,
    ) -> (Vec<String>, Vec<(usize, Style)>) {
        let cut = |text: &str, max: usize| match layout {
            Layout::Terminal => truncate(text, max),
            _ => text.to_string(),
        };
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let severity = self.severity.map(|s| s.as_str()).unwrap_or_default();
        let cells = vec![
            short.to_string(),
            self.opened.date(zone).to_string(),
            self.stage.clone(),
            severity.to_string(),
            text(&self.category),
            text(&self.assignee),
            cut(&text(&self.customer), 20),
            cut(&self.title, 40),
            self.next
                .map(|(due, _)| due.date(zone).to_string())
                .unwrap_or_default(),
            match (self.promised_by, self.promise) {
                (Some(by), Some(state)) => format!("{} {}", by.date(zone), state.as_str()),
                _ => String::new(),
            },
            format!(
                "{} {}",
                self.current_clock.0,
                json::name(&self.current_clock.1)
            ),
            self.flags.join(","),
        ];
        let mut styles = vec![(0, colour::CYAN), (3, colour::severity(severity))];
        if matches!(self.next, Some((_, FollowupState::Overdue))) {
            styles.push((8, colour::RED));
        }
        match self.promise {
            Some(PromiseState::Broken) => styles.push((9, colour::RED)),
            Some(PromiseState::AtRisk) => styles.push((9, colour::YELLOW)),
            _ => {}
        }
        styles.push((11, colour::RED));
        (cells, styles)
    }
}

/// The rows of `list` for `layout` (`show` prints one complaint's).
pub(crate) fn rows(lines: &[Line], short_ids: &ShortIds, zone: &Zone, layout: Layout) -> Rows {
    if layout == Layout::Data {
        let mut rows = Rows::new(&DATA_HEADERS);
        for l in lines {
            rows.push(l.data_row());
        }
        return rows;
    }
    let mut rows = Rows::new(&PEOPLE_HEADERS);
    for l in lines {
        let (cells, styles) = l.cells(short_ids.get(&l.id), zone, layout);
        rows.push(cells);
        for (column, style) in styles {
            rows.paint(column, style);
        }
    }
    rows
}
