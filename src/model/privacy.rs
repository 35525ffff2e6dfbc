//! Personal data in complaint text: the detectors that `check`, `redact`, `forget`, `export
//! --anonymised` and `import --redact` share, and the team's `[privacy]` settings (its own
//! patterns, the values it allows, how long closed complaints are kept).
//!
//! The detectors are compiled once into a [`RegexSet`], so text with nothing in it (nearly all
//! text) is read once whatever the number of patterns. A candidate is kept only when it passes
//! its kind's check: a card number must be Luhn-valid, an IBAN must pass its mod-97 checksum, a
//! phone number needs a phone's count of digits, and none may run on into a longer number or
//! word. Text that is already masked (`XXXX`, `****1234`, `[redacted:card]`) has no digits or
//! `@` where a detector needs them, so it is never a finding.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use chrono::Months;
use chrono::NaiveDate;
use regex::Regex;
use regex::RegexSet;

use crate::model::complaint::Complaint;
use crate::model::complaint::FieldValue;

/// The built-in kinds of personal data, in the order they are documented.
pub(crate) const BUILT_IN: [&str; 6] = ["email", "phone", "card", "iban", "nino", "ssn"];

/// What a candidate of a built-in kind must pass to be a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Email,
    Phone,
    Card,
    Iban,
    Nino,
    Ssn,
    /// A team's own pattern: every match is a finding.
    Team,
}

const EMAIL: &str = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}";
/// International (`+44 20 7946 0958`, `0044 20 7946 0958`, `+1 (415) 555-0100`), national
/// with a trunk zero (`020 7946 0958`, `(0161) 496 0000`, `07700900123`) and North American
/// (`415-555-0100`, `(415)555-0100`, `1-800-555-0199`).
const PHONE: &str = concat!(
    r"(?:\+|00)[1-9][0-9]{0,2}(?:[ .-]?\(?[0-9]{1,5}\)?){2,6}",
    r"|\(?0[1-9][0-9]{1,3}\)?(?:[ .-]?[0-9]{3,4}){1,2}[ .-]?[0-9]{3,4}",
    r"|(?:1[ .-])?(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[ .-])[0-9]{3}[ .-][0-9]{4}",
);
const CARD: &str = r"[0-9](?:[ -]?[0-9]){12,18}";
const IBAN: &str = r"[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}";
const NINO: &str = r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]";
const SSN: &str = r"[0-9]{3}-[0-9]{2}-[0-9]{4}";

#[derive(Debug, Clone)]
struct Pattern {
    kind: String,
    rule: Rule,
    regex: Regex,
}

/// The compiled detectors of a team: the built-in kinds, the team's own patterns, and the
/// values it allows (its own support address, say).
#[derive(Debug, Clone)]
pub(crate) struct Detector {
    set: RegexSet,
    patterns: Vec<Pattern>,
    /// Allowed values, lower case; one starting with `@` allows a whole mail domain.
    allow: Vec<String>,
}

/// One piece of personal data in a text: where it is and of what kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found<'d> {
    pub(crate) range: Range<usize>,
    pub(crate) kind: &'d str,
}

impl Default for Detector {
    fn default() -> Detector {
        Detector::new(&BTreeMap::new(), &[]).expect("the built-in patterns compile")
    }
}

impl Detector {
    /// The built-in detectors, the team's `patterns` (kind name to regular expression) and its
    /// allowed values. The error says which pattern does not compile, or which name is taken.
    pub(crate) fn new(
        team: &BTreeMap<String, String>,
        allow: &[String],
    ) -> Result<Detector, String> {
        let built_in = [
            (Rule::Email, EMAIL),
            (Rule::Phone, PHONE),
            (Rule::Card, CARD),
            (Rule::Iban, IBAN),
            (Rule::Nino, NINO),
            (Rule::Ssn, SSN),
        ];
        let mut patterns: Vec<Pattern> = BUILT_IN
            .iter()
            .zip(built_in)
            .map(|(kind, (rule, source))| Pattern {
                kind: (*kind).to_string(),
                rule,
                regex: Regex::new(source).expect("a built-in pattern compiles"),
            })
            .collect();
        for (kind, source) in team {
            if BUILT_IN.contains(&kind.as_str()) {
                return Err(format!(
                    "privacy.patterns: `{kind}` is a built-in kind; give the pattern another name"
                ));
            }
            if kind.is_empty()
                || !kind
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
            {
                return Err(format!(
                    "privacy.patterns: `{kind}` is not a kind name (lower-case letters, digits, `_`, `-`)"
                ));
            }
            let regex = Regex::new(source).map_err(|e| {
                let why = e.to_string();
                let why = why.lines().last().unwrap_or_default().trim().to_string();
                format!("privacy.patterns.{kind}: `{source}` is not a regular expression: {why}")
            })?;
            if regex.is_match("") {
                return Err(format!(
                    "privacy.patterns.{kind}: `{source}` matches empty text, so it would match everywhere"
                ));
            }
            patterns.push(Pattern {
                kind: kind.clone(),
                rule: Rule::Team,
                regex,
            });
        }
        let set = RegexSet::new(patterns.iter().map(|p| p.regex.as_str()))
            .map_err(|e| format!("privacy.patterns: {e}"))?;
        Ok(Detector {
            set,
            patterns,
            allow: allow.iter().map(|a| a.trim().to_lowercase()).collect(),
        })
    }

    /// Every kind this detector finds: the built-in ones, then the team's.
    pub(crate) fn kinds(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|p| p.kind.as_str())
    }

    /// The personal data in `text`, in order and not overlapping (where two candidates
    /// overlap, the one that starts first, else the longer, is kept).
    pub(crate) fn find(&self, text: &str) -> Vec<Found<'_>> {
        let matched = self.set.matches(text);
        if !matched.matched_any() {
            return Vec::new();
        }
        let mut found = Vec::new();
        for i in matched.iter() {
            let pattern = &self.patterns[i];
            let mut at = 0;
            while let Some(m) = pattern.regex.find_at(text, at) {
                match accept(pattern.rule, text, m.range()) {
                    Some(range) => {
                        at = range.end;
                        if !self.allowed(&text[range.clone()]) {
                            found.push(Found {
                                range,
                                kind: &pattern.kind,
                            });
                        }
                    }
                    // A candidate that is no finding may hide one that starts inside it
                    // (`18/11/2026 020 7946 0958`): look again from its next character.
                    None => {
                        at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8)
                    }
                }
                if at >= text.len() {
                    break;
                }
            }
        }
        without_overlaps(found)
    }

    fn allowed(&self, value: &str) -> bool {
        let value = value.to_lowercase();
        self.allow
            .iter()
            .any(|a| *a == value || (a.starts_with('@') && value.ends_with(a.as_str())))
    }
}

/// `found` in order, without overlaps: where two overlap, the one that starts first, else the
/// longer, is kept.
pub(crate) fn without_overlaps(mut found: Vec<Found<'_>>) -> Vec<Found<'_>> {
    found.sort_by_key(|f| (f.range.start, Reverse(f.range.end)));
    let mut kept: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if kept.last().is_none_or(|k| f.range.start >= k.range.end) {
            kept.push(f);
        }
    }
    kept
}

/// The part of a candidate `range` of `text` that is personal data under `rule`, if any.
fn accept(rule: Rule, text: &str, range: Range<usize>) -> Option<Range<usize>> {
    if matches!(rule, Rule::Card | Rule::Phone | Rule::Iban) {
        // The pattern may take what follows into the number (a CVV, an expiry, a word in
        // capitals, a second number): give back groups from the end until the rest passes.
        let mut end = range.end;
        loop {
            let candidate = range.start..end;
            if let Some(found) = accept_whole(rule, text, candidate.clone()) {
                return Some(found);
            }
            let cut = text[candidate].rfind([' ', '-', '.'])?;
            end = range.start + cut;
            if end == range.start {
                return None;
            }
        }
    }
    accept_whole(rule, text, range)
}

/// [`accept`] for a candidate taken as it is.
fn accept_whole(rule: Rule, text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let value = &text[range.clone()];
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    // A number that runs on into a longer number or a word is something else (a reference,
    // a product code), and so is one joined to more digits by a separator (`2026-11-18`).
    let runs_on = alnum(before)
        || alnum(after)
        || joined_digit(text[..range.start].chars().rev())
        || joined_digit(text[range.end..].chars());
    match rule {
        Rule::Email | Rule::Team => Some(range),
        // Card numbers start with 2 to 6 (Mastercard, Amex, Visa, Mastercard, Discover and
        // UnionPay): an order number or a timestamp starting with 1 is no card.
        Rule::Card => {
            let network = value.starts_with(['2', '3', '4', '5', '6']);
            (!runs_on && network && (13..=19).contains(&digits) && luhn(value)).then_some(range)
        }
        Rule::Phone => {
            let separated = value.bytes().any(|b| !b.is_ascii_digit());
            let fits = if value.starts_with('+') {
                (8..=15).contains(&digits)
            } else if value.starts_with("00") {
                (10..=17).contains(&digits)
            } else if separated {
                (10..=11).contains(&digits)
            } else {
                digits == 11
            };
            (!runs_on && fits).then_some(range)
        }
        Rule::Iban => (!alnum(before) && !alnum(after) && iban_valid(value)).then_some(range),
        Rule::Nino => {
            let prefix = &value[..2];
            let barred = ["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"].contains(&prefix);
            (!runs_on && !barred).then_some(range)
        }
        Rule::Ssn => {
            let area: u32 = value[..3].parse().ok()?;
            let group = &value[4..6];
            let serial = &value[7..];
            let valid = area != 0 && area != 666 && area < 900 && group != "00" && serial != "0000";
            (!runs_on && valid).then_some(range)
        }
    }
}

/// Whether the characters next to a match, going away from it, join it to more digits by one
/// separator: `-`, `/`, `.` or `:` followed by a digit.
fn joined_digit(mut side: impl Iterator<Item = char>) -> bool {
    matches!(side.next(), Some('-' | '/' | '.' | ':'))
        && side.next().is_some_and(|c| c.is_ascii_digit())
}

/// The Luhn checksum of the digits of `value` holds.
fn luhn(value: &str) -> bool {
    let mut sum = 0;
    for (i, d) in value
        .bytes()
        .rev()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
        .enumerate()
    {
        sum += if i % 2 == 1 {
            let twice = d * 2;
            if twice > 9 { twice - 9 } else { twice }
        } else {
            d
        };
    }
    sum % 10 == 0
}

/// `value` (spaces allowed) is an IBAN whose mod-97 check digits hold (ISO 13616).
fn iban_valid(value: &str) -> bool {
    let compact: Vec<u8> = value.bytes().filter(|b| *b != b' ').collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder: u32 = 0;
    for b in tail.iter().chain(head) {
        let n = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return false,
        };
        remainder = if n >= 10 {
            (remainder * 100 + n) % 97
        } else {
            (remainder * 10 + n) % 97
        };
    }
    remainder == 1
}

/// `value` with its letters and digits starred, keeping its shape and a few characters that
/// identify nobody: an address keeps its first letter and top-level domain
/// (`j***@***.com`); card numbers and IBANs their last four, everything else its last two.
pub(crate) fn mask(kind: &str, value: &str) -> String {
    if (kind == "email" || kind != "card" && value.contains('@'))
        && let Some((local, domain)) = value.split_once('@')
    {
        let first: String = local.chars().take(1).collect();
        let tld = domain.rsplit('.').next().unwrap_or_default();
        return format!("{first}***@***.{tld}");
    }
    let keep = if kind == "card" || kind == "iban" {
        4
    } else {
        2
    };
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen + keep > total { c } else { '*' }
        })
        .collect()
}

/// The text around `found[index]`, with every finding in it masked, on one line: what a
/// person needs to see where the value is, never the value.
pub(crate) fn excerpt(text: &str, found: &[Found], index: usize) -> String {
    const AROUND: usize = 24;
    let target = &found[index];
    let mut start = target.range.start.saturating_sub(AROUND);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (target.range.end + AROUND).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    // A finding cut by the window is widened into it whole, so no part of a value shows.
    for f in found {
        if f.range.start < start && f.range.end > start {
            start = f.range.start;
        }
        if f.range.start < end && f.range.end > end {
            end = f.range.end;
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for f in found
        .iter()
        .filter(|f| f.range.start >= start && f.range.end <= end)
    {
        out.push_str(&text[at..f.range.start]);
        out.push_str(&mask(f.kind, &text[f.range.clone()]));
        at = f.range.end;
    }
    out.push_str(&text[at..end]);
    if end < text.len() {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a value becomes when it is redacted.
pub(crate) fn redacted(kind: &str) -> String {
    format!("[redacted:{kind}]")
}

/// `text` with every finding replaced by [`redacted`] of its kind.
pub(crate) fn replace(text: &str, found: &[Found]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in found {
        out.push_str(&text[at..f.range.start]);
        out.push_str(&redacted(f.kind));
        at = f.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `text` with each piece (what, with what) replaced, in order, wherever it stands alone (not
/// inside a longer word or number: the name `Ed` is not in `opened`), whatever its case.
pub(crate) fn apply(text: &str, pieces: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (what, with) in pieces.iter().filter(|(what, _)| !what.is_empty()) {
        out = replace_word(&out, what, with);
    }
    out
}

fn replace_word(text: &str, what: &str, with: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let starts_word = word(what.chars().next());
    let ends_word = word(what.chars().next_back());
    let (hay, needle) = (text.as_bytes(), what.as_bytes());
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied) = (0, 0);
    while i + needle.len() <= hay.len() {
        let end = i + needle.len();
        if hay[i..end].eq_ignore_ascii_case(needle)
            && text.is_char_boundary(i)
            && text.is_char_boundary(end)
            && !(starts_word && word(text[..i].chars().next_back()))
            && !(ends_word && word(text[end..].chars().next()))
        {
            out.push_str(&text[copied..i]);
            out.push_str(with);
            i = end;
            copied = end;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Where a text is in a complaint: the key it is the value of (`title`, `resolution.action`,
/// `fields.note`, `customer.name`, `event.text`, `followup.note`), or for the old and new value
/// of a `set` event, the key the event changed, with `history` set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place<'a> {
    pub(crate) key: &'a str,
    pub(crate) history: bool,
}

impl Place<'_> {
    /// Free text that is not meant to hold personal data, which detection reads: the title,
    /// the external reference, tags, the resolution, custom fields, follow-up notes and event
    /// texts.
    pub(crate) fn scanned(&self) -> bool {
        self.key == "title"
            || self.key.starts_with("resolution.")
            || self.key.starts_with("fields.")
            || self.key == "external_ref"
            || self.key == "tags"
            || (!self.history && (self.key == "event.text" || self.key == "followup.note"))
    }

    /// The customer's own fields, meant for personal data.
    pub(crate) fn personal(&self) -> bool {
        self.key.starts_with("customer.")
    }
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.key, self.history) {
            (key, true) => write!(f, "a set event of {key}"),
            ("event.text", _) => f.write_str("an event text"),
            ("followup.note", _) => f.write_str("a follow-up note"),
            (key, _) => f.write_str(key),
        }
    }
}

/// Whether a value is the reference of a complaint that came by email (`external_ref =
/// "email:<Message-ID>"`): a Message-ID reads like an address but names a message, not a
/// person, and threading needs it as it is, so no privacy command looks at it.
pub(crate) fn message_reference(key: &str, text: &str) -> bool {
    key == "external_ref" && text.starts_with("email:")
}

/// Calls `each` with every text of `c` and its place: the title, customer fields, resolution,
/// custom fields (an integer as its digits: it becomes text if `each` changes it), follow-up
/// notes, event texts, and the values `set` events recorded.
pub(crate) fn visit_texts(c: &mut Complaint, each: &mut dyn FnMut(Place, &mut String)) {
    let top = |key| Place {
        key,
        history: false,
    };
    each(top("title"), &mut c.title);
    if let Some(reference) = c
        .external_ref
        .as_mut()
        .filter(|r| !message_reference("external_ref", r))
    {
        each(top("external_ref"), reference);
    }
    for tag in &mut c.tags {
        each(top("tags"), tag);
    }
    for (key, value) in [
        ("customer.name", &mut c.customer.name),
        ("customer.contact", &mut c.customer.contact),
        ("customer.email", &mut c.customer.email),
        ("resolution.fair_outcome", &mut c.resolution.fair_outcome),
        ("resolution.action", &mut c.resolution.action),
        ("resolution.extra_mile", &mut c.resolution.extra_mile),
        ("resolution.root_cause", &mut c.resolution.root_cause),
    ] {
        if let Some(text) = value {
            each(top(key), text);
        }
    }
    for (name, value) in &mut c.fields {
        let key = format!("fields.{name}");
        let place = Place {
            key: &key,
            history: false,
        };
        visit_value(place, value, each);
    }
    for followup in &mut c.followups {
        if let Some(note) = &mut followup.note {
            each(top("followup.note"), note);
        }
    }
    for event in &mut c.events {
        if let Some(text) = &mut event.text {
            each(top("event.text"), text);
        }
        if let Some(key) = &event.key {
            let place = Place { key, history: true };
            for value in [&mut event.from, &mut event.to].into_iter().flatten() {
                visit_value(place, value, each);
            }
        }
    }
}

fn visit_value(place: Place, value: &mut FieldValue, each: &mut dyn FnMut(Place, &mut String)) {
    match value {
        FieldValue::Text(text) => each(place, text),
        FieldValue::Integer(i) => {
            let mut text = i.to_string();
            each(place, &mut text);
            if text != i.to_string() {
                *value = FieldValue::Text(text);
            }
        }
        FieldValue::List(items) => {
            for item in items {
                visit_value(place, item, each);
            }
        }
        _ => {}
    }
}

/// How many values of each kind a change redacted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tally(pub(crate) BTreeMap<String, usize>);

impl Tally {
    pub(crate) fn add(&mut self, kind: &str, n: usize) {
        if n > 0 {
            *self.0.entry(kind.to_string()).or_default() += n;
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, n)| format!("{n} {k}")).collect();
        f.write_str(&parts.join(", "))
    }
}

/// Replaces what `detector` finds in `text`, counting each kind in `tally`.
pub(crate) fn redact_text(text: &mut String, detector: &Detector, tally: &mut Tally) {
    let found = detector.find(text);
    for f in &found {
        tally.add(f.kind, 1);
    }
    if !found.is_empty() {
        *text = replace(text, &found);
    }
}

/// Redacts what `detector` finds in the free text of `c` and returns how many of each kind.
/// With `drop_customer` the customer goes too: the `[customer]` fields, the values `set` events
/// recorded for them, and the customer's name and contact wherever a text repeats them.
pub(crate) fn redact_complaint(
    c: &mut Complaint,
    detector: &Detector,
    drop_customer: bool,
) -> Tally {
    let mut tally = Tally::default();
    let customer: Vec<(&str, String)> = if drop_customer {
        [
            ("name", &c.customer.name),
            ("contact", &c.customer.contact),
            ("email", &c.customer.email),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key, value.clone()?)))
        .filter(|(_, value)| !value.trim().is_empty())
        .collect()
    } else {
        Vec::new()
    };
    visit_texts(c, &mut |place, text| {
        if place.personal() {
            if drop_customer && place.history {
                tally.add(place.key.trim_start_matches("customer."), 1);
                *text = redacted(place.key.trim_start_matches("customer."));
            }
            return;
        }
        // What the detector finds goes first: a contact can be part of an address.
        if place.scanned() {
            redact_text(text, detector, &mut tally);
        }
        if place.scanned() {
            for (key, value) in &customer {
                let replaced = replace_word(text, value, &redacted(key));
                if replaced != *text {
                    tally.add(key, 1);
                    *text = replaced;
                }
            }
        }
    });
    if drop_customer {
        c.customer = Default::default();
    }
    tally
}

/// How long a closed complaint is kept: `3y`, `18mo`, `26w` or `90d` after it was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Retention {
    months: u32,
    days: u64,
    text: String,
}

impl Retention {
    pub(crate) fn parse(text: &str) -> Result<Retention, String> {
        let t = text.trim();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let (number, unit) = t.split_at(digits);
        let n: u32 = number.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            format!("privacy.retain: `{text}` is not a span like 3y, 18mo or 90d")
        })?;
        let (months, days) = match unit.trim() {
            "y" => (n.saturating_mul(12), 0),
            "mo" => (n, 0),
            "w" => (0, u64::from(n) * 7),
            "d" => (0, u64::from(n)),
            _ => {
                return Err(format!(
                    "privacy.retain: `{text}` is not a span like 3y, 18mo, 26w or 90d"
                ));
            }
        };
        Ok(Retention {
            months,
            days,
            text: t.to_string(),
        })
    }

    /// The first day a complaint closed on `closed` is past retention.
    pub(crate) fn expires(&self, closed: NaiveDate) -> NaiveDate {
        closed
            .checked_add_months(Months::new(self.months))
            .and_then(|d| d.checked_add_days(chrono::Days::new(self.days)))
            .unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for Retention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The line (from 1) of the first place `value` is written in a complaint file's `text`
/// outside its `[customer]` table and its comment lines, if it is written as is.
pub(crate) fn line_of(text: &str, value: &str) -> Option<usize> {
    let mut in_customer = false;
    for (i, line) in text.lines().enumerate() {
        let head = line.trim_start();
        if head.starts_with('[') {
            in_customer = head.trim_end().starts_with("[customer]");
        }
        if !in_customer && !head.starts_with('#') && line.contains(value) {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, String)> {
        Detector::default()
            .find(text)
            .into_iter()
            .map(|f| (&text[f.range], f.kind.to_string()))
            .collect()
    }

    fn pairs<'a>(expected: &[(&'a str, &str)]) -> Vec<(&'a str, String)> {
        expected.iter().map(|(v, k)| (*v, k.to_string())).collect()
    }

    #[test]
    fn finds_each_kind_in_running_text() {
        let text = "Mail jane.doe@example.co.uk or call +44 20 7946 0958, or 020 7946 0958; \
                    US (415) 555-0100. Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, \
                    NI AB 12 34 56 C, SSN 123-45-6789.";
        assert_eq!(
            kinds(text),
            pairs(&[
                ("jane.doe@example.co.uk", "email"),
                ("+44 20 7946 0958", "phone"),
                ("020 7946 0958", "phone"),
                ("(415) 555-0100", "phone"),
                ("4111 1111 1111 1111", "card"),
                ("GB82 WEST 1234 5698 7654 32", "iban"),
                ("AB 12 34 56 C", "nino"),
                ("123-45-6789", "ssn"),
            ])
        );
    }

    #[test]
    fn numbers_that_are_not_personal_data_are_not_findings() {
        for text in [
            // A Luhn-invalid 16-digit order number is not a card.
            "order 4111111111111112 shipped",
            "order 1234-5678-9012-3456",
            // Dates and times are not phone numbers.
            "on 2026-11-18, at 2026-11-18T09:42:10+00:00, or 18/11/2026 10:30",
            "refund of 1,234.56 on 12.11.2026",
            // An IBAN whose check digits fail, a barred NI prefix, an impossible SSN.
            "GB83 WEST 1234 5698 7654 32",
            "GB 12 34 56 C, QQ 12 34 56 C",
            "000-12-3456 and 666-12-3456",
            // Masked already.
            "card ****1234, XXXX-XXXX-XXXX-1234, [redacted:card], j***@***.com",
            // Part of a longer number or code.
            "ticket A4111111111111111",
        ] {
            assert_eq!(kinds(text), vec![], "{text}");
        }
    }

    #[test]
    fn a_number_that_follows_or_precedes_another_does_not_hide_it() {
        assert_eq!(
            kinds("card 4111 1111 1111 1111 123, exp 4111111111111111 1226"),
            pairs(&[
                ("4111 1111 1111 1111", "card"),
                ("4111111111111111", "card")
            ])
        );
        assert_eq!(
            kinds("cards 4111111111111111 5500000000000004"),
            pairs(&[("4111111111111111", "card"), ("5500000000000004", "card")])
        );
        assert_eq!(
            kinds("phone 07700 900123 4111111111111111"),
            pairs(&[("07700 900123", "phone"), ("4111111111111111", "card")])
        );
        assert_eq!(
            kinds("called 18/11/2026 020 7946 0958"),
            pairs(&[("020 7946 0958", "phone")])
        );
        assert_eq!(
            kinds("ring (415)555-0100, 1-800-555-0199 or 0044 20 7946 0958"),
            pairs(&[
                ("(415)555-0100", "phone"),
                ("1-800-555-0199", "phone"),
                ("0044 20 7946 0958", "phone")
            ])
        );
        // Luhn-valid, but no card network starts with 1; a zero-padded order number.
        assert_eq!(
            kinds("ref 1234567812345670 at 1731924130122, order 00012345678"),
            vec![]
        );
    }

    #[test]
    fn an_iban_followed_by_a_word_in_capitals_is_found_without_it() {
        assert_eq!(
            kinds("pay GB82WEST12345698765432 TODAY"),
            pairs(&[("GB82WEST12345698765432", "iban")])
        );
    }

    #[test]
    fn team_patterns_and_allowed_values() {
        let team = BTreeMap::from([("account".to_string(), "ACC-[0-9]{8}".to_string())]);
        let allow = [
            "support@ourco.example".to_string(),
            "@partner.example".to_string(),
        ];
        let detector = Detector::new(&team, &allow).unwrap();
        let text =
            "ACC-12345678 wrote from Support@ourco.example, cc bob@partner.example and eve@x.org";
        let found: Vec<(&str, &str)> = detector
            .find(text)
            .into_iter()
            .map(|f| (&text[f.range], f.kind))
            .collect();
        assert_eq!(
            found,
            vec![("ACC-12345678", "account"), ("eve@x.org", "email")]
        );
        assert!(
            Detector::new(&BTreeMap::from([("email".into(), "x".into())]), &[])
                .unwrap_err()
                .contains("built-in")
        );
        assert!(
            Detector::new(&BTreeMap::from([("a".into(), "(".into())]), &[])
                .unwrap_err()
                .starts_with("privacy.patterns.a: `(` is not a regular expression")
        );
    }

    #[test]
    fn masks_keep_the_shape_and_never_the_value() {
        assert_eq!(mask("email", "jane.doe@example.co.uk"), "j***@***.uk");
        assert_eq!(mask("card", "4111 1111 1111 1111"), "**** **** **** 1111");
        assert_eq!(mask("phone", "+44 20 7946 0958"), "+** ** **** **58");
        let text = "Please call me on 07700 900123 or write to jane@example.com today";
        let detector = Detector::default();
        let found = detector.find(text);
        assert_eq!(
            excerpt(text, &found, 0),
            "Please call me on ***** ****23 or write to j***@***.com…"
        );
        assert_eq!(
            replace(text, &found),
            "Please call me on [redacted:phone] or write to [redacted:email] today"
        );
    }

    #[test]
    fn retention_spans() {
        let day = NaiveDate::from_ymd_opt(2023, 2, 28).unwrap();
        assert_eq!(
            Retention::parse("3y").unwrap().expires(day),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert_eq!(
            Retention::parse("90d").unwrap().expires(day),
            NaiveDate::from_ymd_opt(2023, 5, 29).unwrap()
        );
        assert!(Retention::parse("3 years").is_err());
        assert!(Retention::parse("0y").is_err());
    }

    #[test]
    fn the_line_of_a_value_skips_the_customer_table() {
        let text = "title = \"x\"\n# a@b.example\n[customer]\ncontact = \"a@b.example\"\n\n[[event]]\ntext = \"a@b.example\"\n";
        assert_eq!(line_of(text, "a@b.example"), Some(7));
        assert_eq!(line_of(text, "nobody"), None);
    }
}
