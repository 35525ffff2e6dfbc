//! `gripe respond`: record a letter sent to the customer, the only thing that meets a
//! regulator's clock; and `gripe escalate`: start stage 2 of a two-stage procedure.

use super::text_arg;
use crate::analysis::regulatory::first_event;
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
use crate::time::when::Timestamp;
use crate::time::when::When;
use crate::time::when::Zone;
use crate::time::when::parse_user_when;

pub(crate) fn run(args: &RespondArgs, ctx: &Ctx) -> Result<()> {
    ctx.store()?; // no folder is said before stdin is read
    let text = text_arg(&args.text.text(), "letter")?;
    let letter = Letter::named(&args.kind).ok_or_else(|| {
        Error::usage_hint(
            format!("`{}` is not a kind of letter", args.kind),
            "acknowledgement, summary, holding, final or extension",
        )
    })?;
    let calendar = ctx.calendar()?;
    let zone = calendar.zone;
    let today = zone.local(&ctx.now).date();
    // A date alone says the letter went that day: today, that is now; an earlier day, the
    // moment the day began.
    let sent = args
        .sent
        .as_deref()
        .map(|s| parse_user_when(s, &ctx.now, &calendar, Direction::Back))
        .transpose()?
        .map(|w| match w {
            When::Date(d) if d == today => When::Zoned(zone.in_zone(&ctx.now)),
            other => other,
        });
    if let Some(sent) = &sent
        && sent.instant(&zone) > ctx.now
    {
        return Err(Error::usage_hint(
            format!("--sent {sent} is in the future"),
            "record a letter once it is sent",
        ));
    }
    let change = Change::begin(ctx, &args.id, &args.change)?;
    let short = change.short().to_string();
    change.edit(|doc, c| {
        let at = sent.map_or(ctx.now, |s| s.instant(&zone));
        if at < c.opened.instant(&zone) {
            return Err(Error::usage_hint(
                format!(
                    "--sent {} is before {short} was opened ({})",
                    sent.map(|s| s.to_string()).unwrap_or_default(),
                    c.opened
                ),
                "a letter answers the complaint, so it goes after it; give the time it was sent, such as --sent 2026-12-18T18:00",
            ));
        }
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
        if letter == Letter::Extension && extended_in_its_stage(c, &at, &zone) {
            return Err(Error::usage_hint(
                format!("{short} already has an extension for this stage"),
                "the Housing Ombudsman code allows one extension per stage; agree more time with the customer and record it as a note",
            ));
        }
        let mut event = Event::new(EventKind::Response, &change.stamp);
        if let Some(sent) = sent {
            event.at = sent;
        }
        event.letter = Some(letter.as_str().to_string());
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

/// Whether the stage of the procedure a letter sent at `at` belongs to (stage 1 before the
/// complaint was escalated, stage 2 from then) has an extension letter already, by the times
/// the letters were sent.
fn extended_in_its_stage(c: &Complaint, at: &Timestamp, zone: &Zone) -> bool {
    let escalated = first_event(
        c,
        EventKind::Escalated,
        zone,
        &Timestamp::MAX_UTC.fixed_offset(),
    );
    let stage_two = |t: &Timestamp| escalated.is_some_and(|e| *t >= e);
    c.events
        .iter()
        .filter(|e| e.kind == EventKind::Response && e.letter_kind() == Some(Letter::Extension))
        .any(|e| stage_two(&e.at.instant(zone)) == stage_two(at))
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
    fn one_extension_per_stage_by_when_the_letters_went() {
        let c = |events: &str| -> Complaint {
            toml::from_str(&format!(
                "id = \"aaaa000000000000\"\ntitle = \"t\"\nopened = 2026-12-01T00:00:00Z\nstage = \"new\"\n{events}"
            ))
            .unwrap()
        };
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
        let zone = Zone::Fixed(*t("2026-12-01T00:00:00Z").offset());
        let ext =
            "[[event]]\nat = 2026-12-02T00:00:00Z\nkind = \"response\"\nletter = \"extension\"\n";
        let esc = "[[event]]\nat = 2026-12-03T00:00:00Z\nkind = \"escalated\"\n";
        let stage_one = t("2026-12-02T12:00:00Z");
        let stage_two = t("2026-12-04T00:00:00Z");
        assert!(!extended_in_its_stage(&c(""), &stage_one, &zone));
        assert!(extended_in_its_stage(&c(ext), &stage_one, &zone));
        let escalated = c(&format!("{ext}{esc}"));
        assert!(!extended_in_its_stage(&escalated, &stage_two, &zone));
        assert!(
            extended_in_its_stage(&escalated, &stage_one, &zone),
            "a letter backdated into stage 1 meets stage 1's extension"
        );
    }
}
