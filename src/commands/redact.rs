//! `gripe redact`: replace personal data in one complaint with `[redacted:KIND]`, in place: the
//! file keeps its layout and comments, and a `redacted` event records the kinds and counts,
//! never the values.

use std::io::Write;

use regex::Regex;

use super::emit;
use crate::cli::RedactArgs;
use crate::commands::change::Change;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::privacy::Detector;
use crate::model::privacy::Found;
use crate::model::privacy::Tally;
use crate::model::privacy::apply;
use crate::model::privacy::excerpt;
use crate::model::privacy::mask;
use crate::model::privacy::redacted;
use crate::model::privacy::without_overlaps;
use crate::store::document::ComplaintDoc;

/// What to redact, checked before any file is read.
pub(crate) struct Selection {
    /// Detected kinds to redact (empty: none).
    kinds: Vec<String>,
    pattern: Option<Regex>,
    /// The key whose value goes (`customer.phone`): the table, if any, and the name.
    field: Option<(Option<String>, String)>,
}

impl Selection {
    fn from_args(args: &RedactArgs, detector: &Detector) -> Result<Selection> {
        let known: Vec<&str> = detector.kinds().collect();
        let mut kinds = Vec::new();
        for kind in args.kind.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
            if kind == "all" {
                kinds = known.iter().map(ToString::to_string).collect();
                break;
            }
            if !known.contains(&kind) {
                return Err(Error::usage_hint(
                    format!("`{kind}` is not a kind of personal data"),
                    format!("one of {}, or all", known.join(", ")),
                ));
            }
            kinds.push(kind.to_string());
        }
        let pattern = args
            .pattern
            .as_deref()
            .map(|p| {
                Regex::new(p)
                    .ok()
                    .filter(|re| !re.is_match(""))
                    .ok_or_else(|| {
                        Error::usage(format!(
                            "--pattern `{p}` is not a regular expression that matches some text"
                        ))
                    })
            })
            .transpose()?;
        let field = args
            .field
            .as_deref()
            .map(|f| match f.trim().split_once('.') {
                Some((table, name)) => (Some(table.to_string()), name.to_string()),
                None => (None, f.trim().to_string()),
            });
        Ok(Selection {
            kinds,
            pattern,
            field,
        })
    }
}

/// One value that is (or would be) redacted: where, of what kind, and a masked excerpt.
struct Redaction {
    place: String,
    kind: String,
    excerpt: String,
}

/// Redacts what `selection` names in the open file; returns what it redacted.
fn redact(doc: &mut ComplaintDoc, selection: &Selection, detector: &Detector) -> Vec<Redaction> {
    let field = selection.field.as_ref().map(|(table, name)| {
        let key = match table {
            Some(table) => format!("{table}.{name}"),
            None => name.clone(),
        };
        let value = doc.item(table.as_deref(), name).and_then(|item| {
            item.as_str()
                .map(String::from)
                .or_else(|| item.as_integer().map(|i| i.to_string()))
        });
        (key, name.clone(), value)
    });
    let mut done = Vec::new();
    doc.rewrite_texts(&mut |place, text| {
        let mut pieces = Vec::new();
        let mut note = |kind: &str, shown: String| {
            done.push(Redaction {
                place: place.to_string(),
                kind: kind.to_string(),
                excerpt: shown,
            });
        };
        if let Some((key, label, _)) = &field
            && place.key == key
        {
            note(label, mask(label, text));
            pieces.push((text.to_string(), redacted(label)));
            return pieces;
        }
        if !place.scanned() {
            return pieces;
        }
        if let Some((_, label, Some(value))) = &field {
            let piece = (value.clone(), redacted(label));
            if apply(text, std::slice::from_ref(&piece)) != text {
                note(label, mask(label, value));
                pieces.push(piece);
            }
        }
        let mut found: Vec<Found> = detector
            .find(text)
            .into_iter()
            .filter(|f| selection.kinds.iter().any(|k| k == f.kind))
            .collect();
        if let Some(re) = &selection.pattern {
            found.extend(re.find_iter(text).map(|m| Found {
                range: m.range(),
                kind: "pattern",
            }));
            found = without_overlaps(found);
        }
        for (i, f) in found.iter().enumerate() {
            note(f.kind, excerpt(text, &found, i));
            pieces.push((text[f.range.clone()].to_string(), redacted(f.kind)));
        }
        pieces
    });
    done
}

/// What was redacted, as the `redacted` event says it: kinds and counts.
fn summary(done: &[Redaction]) -> String {
    let mut tally = Tally::default();
    for r in done {
        tally.add(&r.kind, 1);
    }
    format!("redacted {tally}")
}

pub(crate) fn run(args: &RedactArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let detector = &store.config.privacy.detector;
    let selection = Selection::from_args(args, detector)?;
    let change = Change::begin(ctx, &args.id, &args.change)?;
    let done = if args.dry_run {
        store
            .prepare(&change.target.path, |doc, _| {
                Ok(redact(doc, &selection, detector))
            })?
            .result
    } else {
        change.edit(|doc, _| {
            let done = redact(doc, &selection, detector);
            if !done.is_empty() {
                doc.push_event(&Event {
                    text: Some(summary(&done)),
                    ..Event::new(EventKind::Redacted, &change.stamp)
                });
            }
            Ok(done)
        })?
    };
    let mut listing = String::new();
    for r in &done {
        listing.push_str(&format!("{}\t{}\t{}\n", r.kind, r.place, r.excerpt));
    }
    emit(out, &listing)?;
    if done.is_empty() {
        change.say("nothing to redact");
        return Ok(());
    }
    let summary = summary(&done);
    if args.dry_run {
        change.say(&format!("would be {summary}; nothing changed (--dry-run)"));
        return Ok(());
    }
    change.finish(&summary, &format!("{summary} on {}", change.short()))
}
