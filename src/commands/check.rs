//! `gripe check`: validate every file and report what needs attention; exit 1 when a finding of
//! a `--fail-on` kind exists (the CI gate), 4 when files cannot be read at all.

use std::io::Write;

use super::emit;
use super::emit_json;
use crate::analysis::check::Finding;
use crate::analysis::check::FindingKind;
use crate::analysis::check::Report;
use crate::cli::CheckArgs;
use crate::cli::CheckFormat;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::id::ShortIds;
use crate::output::Rows;
use crate::output::markdown;
use crate::output::table;
use crate::store::Depth;
use crate::time::when::format_timestamp;

/// The body of `gripe.check/1`.
#[derive(serde::Serialize)]
struct CheckJson<'a> {
    as_of: String,
    files: usize,
    unreadable: usize,
    fail_on: Vec<&'static str>,
    failed: bool,
    counts: Counts<'a>,
    findings: &'a [Finding],
}

/// How many findings of each kind, as an object in the order of [`FindingKind::ALL`].
struct Counts<'a>(&'a [(FindingKind, usize)]);

impl serde::Serialize for Counts<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(kind, n)| (kind.as_str(), n)))
    }
}

pub(crate) fn run(args: &CheckArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let fail_on = FindingKind::parse_list(&args.fail_on)
        .map_err(|e| Error::usage(format!("--fail-on: {e}")))?;
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let now = ctx.now;
    let detector = (!args.no_pii).then_some(&store.config.privacy.detector);
    let report = store
        .fold(
            Depth::Full,
            Report::default,
            |report, loaded| report.add(loaded, store, &calendar, &now, detector),
            Report::merge,
            Report::fail,
        )
        .finish();
    let files = report.files;
    // Files that could not be read still hold ids a prefix must not clash with: their names.
    let unreadable = report
        .findings
        .iter()
        .filter(|f| f.id.is_none())
        .filter_map(|f| f.path.file_stem()?.to_str())
        .filter(|stem| crate::model::id::is_canonical(stem));
    let short_ids = ShortIds::new(
        report
            .ids
            .iter()
            .map(|(id, _)| id.as_str())
            .chain(unreadable),
    );
    let failing: usize = report
        .findings
        .iter()
        .filter(|f| fail_on.contains(&f.kind))
        .count();
    let counts: Vec<(FindingKind, usize)> = FindingKind::ALL
        .into_iter()
        .map(|k| (k, report.findings.iter().filter(|f| f.kind == k).count()))
        .collect();
    let summary = summary(files, &counts, &fail_on, failing);
    match args.format {
        CheckFormat::Table => {
            let mut text = String::new();
            if !report.findings.is_empty() {
                text.push_str(&table::render(
                    &rows(&report.findings, &short_ids, true),
                    ctx.painter,
                    &[],
                ));
                text.push('\n');
            }
            text.push_str(&summary);
            text.push('\n');
            emit(out, &text)?;
        }
        CheckFormat::Markdown => {
            let mut text = format!("### gripe check\n\n{summary}\n");
            if !report.findings.is_empty() {
                text.push('\n');
                text.push_str(&markdown::render(&rows(
                    &report.findings,
                    &short_ids,
                    false,
                )));
            }
            emit(out, &text)?;
        }
        CheckFormat::Json => {
            let body = CheckJson {
                as_of: format_timestamp(&ctx.now),
                files,
                unreadable: report.unreadable,
                fail_on: fail_on.iter().map(|k| k.as_str()).collect(),
                failed: failing > 0,
                counts: Counts(&counts),
                findings: &report.findings,
            };
            emit_json(out, "gripe.check/1", &body)?;
        }
    }
    if report.unreadable > 0 {
        return Err(Error::BadFiles {
            count: report.unreadable,
        });
    }
    if failing > 0 {
        return Err(Error::Findings { count: failing });
    }
    Ok(())
}

fn summary(
    files: usize,
    counts: &[(FindingKind, usize)],
    fail_on: &[FindingKind],
    failing: usize,
) -> String {
    let found: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    let fail_on: Vec<&str> = fail_on.iter().map(|k| k.as_str()).collect();
    let verdict = if failing > 0 { "FAIL" } else { "ok" };
    if found.is_empty() {
        format!(
            "{verdict}: {}, no findings",
            crate::output::count(files as u64, "complaint file")
        )
    } else {
        format!(
            "{verdict}: {}, findings: {} (failing on: {})",
            crate::output::count(files as u64, "complaint file"),
            found.join(", "),
            fail_on.join(", ")
        )
    }
}

fn rows(findings: &[Finding], short_ids: &ShortIds, for_terminal: bool) -> Rows {
    let mut rows = Rows::new(&["KIND", "ID", "FILE", "FINDING"]);
    for f in findings {
        let place = match f.line {
            Some(line) => format!("{}:{line}", f.path.display()),
            None => f.path.display().to_string(),
        };
        let message = if for_terminal {
            crate::output::truncate(&f.message, 90)
        } else {
            f.message.clone()
        };
        rows.push(vec![
            f.kind.as_str().to_string(),
            f.id.as_deref()
                .map(|id| short_ids.get(id).to_string())
                .unwrap_or_default(),
            place,
            message,
        ]);
    }
    rows
}
