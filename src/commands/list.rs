//! `gripe list`: one line per complaint, newest first.

use std::io::Write;

use serde::Serialize;

use super::emit;
use super::select;
use crate::cli::ListArgs;
use crate::complaint::Complaint;
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
use crate::store::Loaded;
use crate::when::Zone;

/// A complaint in JSON: its short id and file, then every field of the file.
#[derive(Serialize)]
pub struct ComplaintJson<'a> {
    pub short_id: &'a str,
    pub path: String,
    #[serde(flatten)]
    pub complaint: &'a Complaint,
}

impl<'a> ComplaintJson<'a> {
    pub fn new(loaded: &'a Loaded, short_id: &'a str) -> ComplaintJson<'a> {
        ComplaintJson {
            short_id,
            path: loaded.path.display().to_string().replace('\\', "/"),
            complaint: &loaded.complaint,
        }
    }
}

pub fn run(args: &ListArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
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
    let complaints = &selection.complaints;
    let text = match args.format {
        Format::Json => json::envelope(
            "gripe.list/1",
            vec![
                ("count", complaints.len().into()),
                (
                    "complaints",
                    json::value(
                        &complaints
                            .iter()
                            .map(|l| ComplaintJson::new(l, short_ids.get(&l.complaint.id)))
                            .collect::<Vec<_>>(),
                    ),
                ),
            ],
        ),
        Format::Jsonl => json::lines(
            complaints
                .iter()
                .map(|l| ComplaintJson::new(l, short_ids.get(&l.complaint.id))),
        ),
        Format::Csv => csv::render(&rows(complaints, &short_ids, &zone, ctx.painter, true)),
        Format::Markdown => markdown::render(&rows(
            complaints,
            &short_ids,
            &zone,
            Painter { color: false },
            false,
        )),
        Format::Table => table::render(
            &rows(complaints, &short_ids, &zone, ctx.painter, false),
            ctx.painter,
            &[],
        ),
    };
    emit(out, &text)?;
    selection.finish()
}

/// The columns of `list`. For CSV (`full`), whole ids and untruncated text; for people, short
/// ids and titles cut to fit a line, painted by `paint`.
pub fn rows(
    complaints: &[Loaded],
    short_ids: &ShortIds,
    zone: &Zone,
    paint: Painter,
    full: bool,
) -> Rows {
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
        ])
    } else {
        Rows::new(&[
            "ID", "OPENED", "STAGE", "SEV", "CATEGORY", "ASSIGNEE", "CUSTOMER", "TITLE",
        ])
    };
    for loaded in complaints {
        let c = &loaded.complaint;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let severity = c.severity.map(|s| s.as_str()).unwrap_or_default();
        let customer = c.customer.label().unwrap_or_default().to_string();
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
            ]);
        } else {
            rows.push(vec![
                paint.cyan(short_ids.get(&c.id)),
                c.opened.date(zone).to_string(),
                c.stage.clone(),
                paint.severity(severity),
                text(&c.category),
                text(&c.assignee),
                truncate(&customer, 24),
                truncate(&c.title, 60),
            ]);
        }
    }
    rows
}
