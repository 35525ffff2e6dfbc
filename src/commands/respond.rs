//! `gripe respond`: record a letter sent to the customer, the only thing that meets a
//! regulator's clock; and `gripe escalate`: start stage 2 of a two-stage procedure.

use super::text_arg;
use crate::analysis::regulatory::knows_letter;
use crate::cli::EscalateArgs;
use crate::cli::RespondArgs;
use crate::commands::change::Change;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::regime::Letter;
use crate::model::regime::Regime;
use crate::time::when::Direction;
use crate::time::when::parse_user_when;

pub(crate) fn run(args: &RespondArgs, ctx: &Ctx) -> Result<()> {
    ctx.store()?; // no folder is said before stdin is read
    let text = text_arg(&args.text.text(), "letter")?;
    let letter = Letter::named(&args.kind);
    let calendar = ctx.calendar()?;
    let sent = args
        .sent
        .as_deref()
        .map(|s| parse_user_when(s, &ctx.now, &calendar, Direction::Back))
        .transpose()?;
    if let Some(sent) = &sent
        && sent.instant(&calendar.zone) > ctx.now
    {
        return Err(Error::usage_hint(
            format!("--sent {sent} is in the future"),
            "record a letter once it is sent",
        ));
    }
    let change = Change::begin(ctx, &args.id, &args.change)?;
    let short = change.short().to_string();
    change.edit(|doc, c| {
        let regimes = change.store.config.regulatory.of(c);
        if !knows_letter(&regimes, letter) {
            return Err(Error::usage_hint(
                format!(
                    "{short} runs under {}, which takes no {letter} letter",
                    names(&regimes)
                ),
                takes(&regimes),
            ));
        }
        if letter == Letter::Extension && extended_in_this_stage(c) {
            return Err(Error::usage_hint(
                format!("{short} already has an extension for this stage"),
                "the Housing Ombudsman code allows one extension per stage; agree more time with the customer and record it as a note",
            ));
        }
        let mut event = Event::new(EventKind::Response, &change.stamp);
        if let Some(sent) = sent {
            event.at = sent;
        }
        event.letter = Some(letter);
        event.text = Some(text);
        doc.push_event(&event);
        Ok(())
    })?;
    change.finish(
        &format!("{letter} letter recorded"),
        &format!("{letter} letter to {short}"),
    )
}

pub(crate) fn escalate(args: &EscalateArgs, ctx: &Ctx) -> Result<()> {
    let change = Change::begin(ctx, &args.id, &args.change)?;
    let short = change.short().to_string();
    change.edit(|doc, c| {
        let regimes = change.store.config.regulatory.of(c);
        if !regimes.iter().any(|r| r.has_stage_two()) {
            return Err(Error::usage_hint(
                format!(
                    "{short} runs under {}, which has no second stage",
                    names(&regimes)
                ),
                format!(
                    "only housing_ombudsman has one; `gripe set {short} regimes=housing_ombudsman` if it applies"
                ),
            ));
        }
        if c.events.iter().any(|e| e.kind == EventKind::Escalated) {
            return Err(Error::usage(format!("{short} is at stage 2 already")));
        }
        let mut event = Event::new(EventKind::Escalated, &change.stamp);
        event.text = Some(args.message.clone());
        doc.push_event(&event);
        Ok(())
    })?;
    change.finish("escalated to stage 2", &format!("escalate {short}"))
}

/// Whether an extension letter was sent since the complaint last changed stage of its
/// procedure (since it was opened, or escalated).
fn extended_in_this_stage(c: &Complaint) -> bool {
    c.events
        .iter()
        .rev()
        .take_while(|e| e.kind != EventKind::Escalated)
        .any(|e| e.kind == EventKind::Response && e.letter == Some(Letter::Extension))
}

fn names(regimes: &[Regime]) -> String {
    if regimes.is_empty() {
        "no regime".to_string()
    } else {
        regimes
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What the regimes take, as the hint of a refused letter.
fn takes(regimes: &[Regime]) -> String {
    if regimes.is_empty() {
        return "set the team's regimes in gripe.toml [regulatory], or this complaint's with `gripe set ID regimes=fca_disp`".into();
    }
    let mut letters: Vec<&str> = regimes
        .iter()
        .flat_map(|r| r.letters())
        .map(|l| l.as_str())
        .collect();
    letters.sort_unstable();
    letters.dedup();
    format!("they take: {}", letters.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_extension_per_stage() {
        let c = |events: &str| -> Complaint {
            toml::from_str(&format!(
                "id = \"aaaa000000000000\"\ntitle = \"t\"\nopened = 2026-12-01\nstage = \"new\"\n{events}"
            ))
            .unwrap()
        };
        let ext = "[[event]]\nat = 2026-12-02\nkind = \"response\"\nletter = \"extension\"\n";
        let esc = "[[event]]\nat = 2026-12-03\nkind = \"escalated\"\n";
        assert!(!extended_in_this_stage(&c("")));
        assert!(extended_in_this_stage(&c(ext)));
        assert!(!extended_in_this_stage(&c(&format!("{ext}{esc}"))));
        assert!(extended_in_this_stage(&c(&format!("{ext}{esc}{ext}"))));
    }
}
