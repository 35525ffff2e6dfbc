//! Regulators' timetables a team may have to meet beside its own SLAs (DOMAIN.md, "Outside
//! rules"): the regimes gripe knows, and the letters that meet their clocks.
//!
//! A regime is switched on for the whole team in gripe.toml (`[regulatory] regimes = [...]`) or
//! for one complaint (`regimes = [...]` at the top of its file). Its clocks never pause, run on
//! the regime's calendar, and are met only by a letter recorded with `gripe respond`: a stage
//! change fulfils none of them. `analysis::regulatory` counts them.

use std::fmt;

use serde::Deserialize;
use serde::Serialize;

/// A regulator's timetable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Regime {
    /// UK FCA DISP 1: summary resolution in 3 business days, else a final response in 8 weeks.
    FcaDisp,
    /// UK payment services and e-money: 15 business days, or 35 after a holding reply.
    FcaPsd,
    /// US CFPB portal: company response in 15 days of being sent the complaint, closure in 60.
    Cfpb,
    /// Australia ASIC RG 271 internal dispute resolution: acknowledge in 1 business day,
    /// respond in 30 calendar days.
    AsicRg271,
    /// UK Housing Ombudsman Complaint Handling Code: two stages, each acknowledged in 5 working
    /// days and answered in 10 (stage 1) or 20 (stage 2) after that, extendable once by 10.
    HousingOmbudsman,
}

impl Regime {
    pub(crate) const ALL: [Regime; 5] = [
        Regime::FcaDisp,
        Regime::FcaPsd,
        Regime::Cfpb,
        Regime::AsicRg271,
        Regime::HousingOmbudsman,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Regime::FcaDisp => "fca_disp",
            Regime::FcaPsd => "fca_psd",
            Regime::Cfpb => "cfpb",
            Regime::AsicRg271 => "asic_rg271",
            Regime::HousingOmbudsman => "housing_ombudsman",
        }
    }

    /// The regime named `name`, or an error that lists them.
    pub(crate) fn parse(name: &str) -> Result<Regime, String> {
        Regime::ALL
            .into_iter()
            .find(|r| r.as_str() == name.trim())
            .ok_or_else(|| {
                format!(
                    "`{}` is not a regime gripe knows (one of {})",
                    name.trim(),
                    Regime::names()
                )
            })
    }

    pub(crate) fn names() -> String {
        Regime::ALL.map(Regime::as_str).join(", ")
    }

    /// The letters that count under this regime.
    pub(crate) fn letters(self) -> &'static [Letter] {
        match self {
            Regime::FcaDisp => &[Letter::Summary, Letter::Holding, Letter::Final],
            Regime::FcaPsd | Regime::Cfpb => &[Letter::Holding, Letter::Final],
            Regime::AsicRg271 => &[Letter::Acknowledgement, Letter::Final],
            Regime::HousingOmbudsman => {
                &[Letter::Acknowledgement, Letter::Final, Letter::Extension]
            }
        }
    }

    /// Whether the regime has a second stage that `gripe escalate` starts.
    pub(crate) fn has_stage_two(self) -> bool {
        self == Regime::HousingOmbudsman
    }

    /// Whether a complaint received after close of business, or on a day that is not a
    /// business day, counts as received on the next business day.
    pub(crate) fn moves_late_receipt(self) -> bool {
        matches!(
            self,
            Regime::FcaDisp | Regime::FcaPsd | Regime::HousingOmbudsman
        )
    }
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a letter to the customer was, as `gripe respond --kind` records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Letter {
    /// The complaint was received and is being handled.
    Acknowledgement,
    /// FCA DISP's summary resolution communication: resolved by the third business day.
    Summary,
    /// Not resolved yet, with the reasons and when to expect an answer (DISP's "8-week
    /// letter", the payment services holding reply, the CFPB's "in progress" response).
    Holding,
    /// The final response.
    Final,
    /// More time taken, once, with the reasons (Housing Ombudsman code).
    Extension,
}

impl Letter {
    pub(crate) const KNOWN: [Letter; 5] = [
        Letter::Acknowledgement,
        Letter::Summary,
        Letter::Holding,
        Letter::Final,
        Letter::Extension,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Letter::Acknowledgement => "acknowledgement",
            Letter::Summary => "summary",
            Letter::Holding => "holding",
            Letter::Final => "final",
            Letter::Extension => "extension",
        }
    }

    /// The letter named `name` as files write it; `None` for a kind gripe does not know (a
    /// newer gripe's, or a person's), which counts for no clock and is kept as written.
    pub(crate) fn named(name: &str) -> Option<Letter> {
        Letter::KNOWN.into_iter().find(|l| l.as_str() == name)
    }
}

impl fmt::Display for Letter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The regimes of a `regimes=` value: names separated by commas, or `none`.
pub(crate) fn parse_regimes(s: &str) -> Result<Vec<Regime>, String> {
    if s.trim().eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    crate::model::keys::split_list(s)
        .iter()
        .map(|name| Regime::parse(name))
        .collect()
}

/// An amount of money in a currency, in its minor units (pence, cents): what
/// `resolution.redress` holds, summed by the complaints return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Money {
    /// An ISO 4217 code: `GBP`, `USD`.
    pub(crate) currency: String,
    pub(crate) minor: i64,
}

impl Money {
    /// Reads `GBP 120.00`, `120.00 GBP`, `£120`, `$1,200.50`, `€5`, `A$30`.
    pub(crate) fn parse(text: &str) -> Result<Money, String> {
        const SYMBOLS: [(&str, &str); 6] = [
            ("A$", "AUD"),
            ("AU$", "AUD"),
            ("US$", "USD"),
            ("£", "GBP"),
            ("€", "EUR"),
            ("$", "USD"),
        ];
        let t = text.trim();
        let code = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase());
        let (currency, amount) =
            if let Some((symbol, iso)) = SYMBOLS.iter().find(|(symbol, _)| t.starts_with(symbol)) {
                (iso.to_string(), &t[symbol.len()..])
            } else {
                match t.split_once(' ') {
                    Some((a, b)) if code(a.trim()) => (a.trim().to_string(), b),
                    Some((a, b)) if code(b.trim()) => (b.trim().to_string(), a),
                    _ => {
                        return Err(format!(
                            "`{t}` has no currency (a code such as GBP, or £, € or $)"
                        ));
                    }
                }
            };
        let amount = amount.trim();
        let (whole, cents) = amount.split_once('.').unwrap_or((amount, ""));
        let grouped = whole.split(',').enumerate().all(|(i, group)| {
            !group.is_empty()
                && group.bytes().all(|b| b.is_ascii_digit())
                && (i == 0 || group.len() == 3)
        });
        let whole: String = whole.chars().filter(|c| *c != ',').collect();
        let valid_cents = cents.len() <= 2 && cents.bytes().all(|b| b.is_ascii_digit());
        let bad = || format!("`{amount}` is not an amount like 120 or 1,200.50");
        if !grouped || !valid_cents || (amount.contains('.') && cents.is_empty()) {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let cents: i64 = format!("{cents:0<2}").parse().map_err(|_| bad())?;
        let minor = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .ok_or_else(bad)?;
        Ok(Money { currency, minor })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}.{:02}",
            self.currency,
            self.minor / 100,
            self.minor % 100
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for regime in Regime::ALL {
            assert_eq!(Regime::parse(regime.as_str()), Ok(regime));
            let read: Regime = serde_json::from_value(regime.as_str().into()).unwrap();
            assert_eq!(read, regime);
        }
        assert!(
            Regime::parse("fca")
                .unwrap_err()
                .contains("fca_disp, fca_psd")
        );
        for letter in Letter::KNOWN {
            assert_eq!(Letter::named(letter.as_str()), Some(letter));
        }
        assert_eq!(Letter::named("apology"), None);
        assert_eq!(
            parse_regimes("fca_disp, cfpb"),
            Ok(vec![Regime::FcaDisp, Regime::Cfpb])
        );
        assert_eq!(parse_regimes("none"), Ok(vec![]));
    }

    #[test]
    fn money_reads_codes_and_symbols() {
        let m = |s: &str| Money::parse(s).map(|m| m.to_string());
        assert_eq!(m("GBP 120.00").unwrap(), "GBP 120.00");
        assert_eq!(m("120.5 EUR").unwrap(), "EUR 120.50");
        assert_eq!(m("£1,200").unwrap(), "GBP 1200.00");
        assert_eq!(m("$3.07").unwrap(), "USD 3.07");
        assert_eq!(m("A$30").unwrap(), "AUD 30.00");
        for bad in [
            "120",
            "GBP",
            "GBP 1,20",
            "GBP 1.234",
            "£-5",
            "£12.",
            "gbp 5",
        ] {
            assert!(m(bad).is_err(), "{bad}");
        }
    }
}
