//! One email message as gripe takes it in: who sent it and when, what it is about, the
//! customer's own words, what it replies to, and whether it is a complaint at all.
//!
//! MIME, RFC 2047 encoded words and charsets are `mail-parser`'s work; HTML-only mail is turned
//! into text by `html2text`. What gripe adds: the subject made into a title (reply and forward
//! prefixes dropped, control characters and terminal escapes removed), a Date header that is
//! missing or absurd replaced by the arrival time (saying so), quoted history and the
//! signature folded below a marker, attachments listed with their SHA-256, and auto-replies
//! and bounces told apart from complaints.

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::Datelike;
use chrono::FixedOffset;
use chrono::TimeZone;
use mail_parser::Address;
use mail_parser::HeaderValue;
use mail_parser::MessageParser;
use mail_parser::MimeHeaders;
use regex::Regex;
use sha2::Digest;
use sha2::Sha256;

use crate::time::when::Timestamp;

/// How deep multiparts may nest before a message is refused as hostile.
const MAX_DEPTH: usize = 16;
/// Characters of a title at most.
const MAX_TITLE: usize = 200;
/// Where the quoted history and signature start, below the customer's own words.
pub(crate) const FOLD: &str = "--- quoted history and signature ---";

/// A message, read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mail {
    /// The Message-ID without `<>`; a content hash (`sha256:…`) for a message without one.
    pub(crate) message_id: String,
    /// The Message-IDs it replies to: In-Reply-To first, then References from the latest.
    pub(crate) parents: Vec<String>,
    /// The title: the subject, decoded, without `Re:`/`Fwd:`/`AW:` prefixes.
    pub(crate) title: String,
    pub(crate) from_name: Option<String>,
    pub(crate) from_email: Option<String>,
    /// When it was sent: the Date header, or the arrival time when that is missing or absurd.
    pub(crate) date: Timestamp,
    /// Why the Date header was not used, when it was not.
    pub(crate) date_note: Option<String>,
    /// The body as text: the sender's own words first, then [`FOLD`] and the rest.
    pub(crate) body: String,
    pub(crate) attachments: Vec<Attachment>,
    /// Why it is not a complaint (an auto-reply, a bounce), if it is not.
    pub(crate) automatic: Option<Automatic>,
}

/// A message a machine sent: what kind (`auto-reply`, `bounce`), and what told it apart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Automatic {
    pub(crate) kind: &'static str,
    pub(crate) detail: String,
}

impl Automatic {
    fn new(kind: &'static str, detail: impl Into<String>) -> Automatic {
        Automatic {
            kind,
            detail: detail.into(),
        }
    }
}

/// `an auto-reply (X-Autoreply)`.
impl std::fmt::Display for Automatic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let article = match self.kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
            true => "an",
            false => "a",
        };
        write!(f, "{article} {} ({})", self.kind, self.detail)
    }
}

/// An attachment: what the note lists, and its bytes for `--attachments DIR`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attachment {
    pub(crate) name: String,
    pub(crate) mime: String,
    pub(crate) sha256: String,
    /// How many bytes it has.
    pub(crate) size: usize,
    /// Its bytes, when they are to be saved (empty otherwise).
    pub(crate) bytes: Vec<u8>,
}

impl Mail {
    /// The opening note or reply note: the body, and the attachments listed below it.
    pub(crate) fn note(&self) -> String {
        let mut text = self.body.trim_end().to_string();
        if !self.attachments.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str("Attachments:");
            for a in &self.attachments {
                text.push_str(&format!(
                    "\n- {} ({}, {}, sha256 {})",
                    a.name,
                    a.mime,
                    size(a.size),
                    a.sha256
                ));
            }
        }
        if let Some(note) = &self.date_note {
            text.push_str(&format!("\n\n({note})"));
        }
        text
    }

    /// Who sent it, for the `by` of a note: the address, else the name.
    pub(crate) fn sender(&self) -> String {
        self.from_email
            .clone()
            .or(self.from_name.clone())
            .unwrap_or_else(|| "(unknown sender)".into())
    }
}

fn size(bytes: usize) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// Reads one message. `arrival` stands in for a Date header that is missing or absurd (later
/// than a day after `now`, or before 1990); `max_size` refuses a larger message unread. The
/// attachments' bytes are kept only `with_bytes` (to be saved); their size and hash always.
pub(crate) fn read(
    raw: &[u8],
    max_size: u64,
    arrival: Timestamp,
    now: &Timestamp,
    with_bytes: bool,
) -> Result<Mail, String> {
    if raw.len() as u64 > max_size {
        return Err(format!(
            "the message is over the limit of {} ([email] max_size in gripe.toml)",
            size(usize::try_from(max_size).unwrap_or(usize::MAX))
        ));
    }
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or("it is not an email message: no headers")?;
    if message.from().is_none() && message.subject().is_none() {
        return Err("it is not an email message: no From and no Subject header".into());
    }
    let depth = depth(&message, 0, 0);
    if depth > MAX_DEPTH {
        return Err(format!(
            "its parts nest {depth} levels deep, more than the {MAX_DEPTH} a real message needs"
        ));
    }
    let (from_name, from_email) = from(message.from());
    let ids = |value: &HeaderValue<'_>| -> Vec<String> {
        match value {
            HeaderValue::Text(t) => vec![clean_id(t)],
            HeaderValue::TextList(list) => list.iter().map(|t| clean_id(t)).collect(),
            _ => Vec::new(),
        }
    };
    let mut parents = ids(message.in_reply_to());
    parents.extend(ids(message.references()).into_iter().rev());
    parents.retain(|p| !p.is_empty());
    parents.dedup();
    let message_id = match message.message_id().map(clean_id) {
        Some(id) if !id.is_empty() => id,
        _ => {
            // The same message saved with CRLF or LF line ends, or with the blank line an
            // mbox adds after it, is the same message.
            let mut normal: Vec<u8> = Vec::with_capacity(raw.len());
            for line in raw.split(|b| *b == b'\n') {
                normal.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
                normal.push(b'\n');
            }
            while normal.last().is_some_and(u8::is_ascii_whitespace) {
                normal.pop();
            }
            format!("sha256:{}", &hex(&Sha256::digest(&normal))[..32])
        }
    };
    // A message cannot have arrived after now, nor been sent after it arrived.
    let arrival = arrival.min(*now);
    let raw_date = message.header_raw("Date").unwrap_or_default();
    let (date, date_note) = match message.date() {
        Some(d) if d.is_valid() => match timestamp(d).filter(|_| plausible(raw_date, d)) {
            Some(t) if t.year() >= 1990 && t <= *now => (t, None),
            _ => (
                arrival,
                Some(format!(
                    "the Date header says {}, which cannot be right; the time it arrived is used",
                    clean_line(raw_date.trim())
                )),
            ),
        },
        _ => (
            arrival,
            Some("the message has no readable Date header; the time it arrived is used".into()),
        ),
    };
    let title = title(message.subject().unwrap_or_default());
    let body = fold(&clean_text(&body(&message)));
    let attachments = message
        .attachments()
        .enumerate()
        .map(|(i, part)| {
            let contents = part.contents();
            Attachment {
                name: file_name(part.attachment_name(), i + 1),
                mime: part
                    .content_type()
                    .map(|ct| match ct.subtype() {
                        Some(sub) => format!("{}/{sub}", ct.ctype()),
                        None => ct.ctype().to_string(),
                    })
                    .map_or_else(|| "application/octet-stream".into(), |t| clean_line(&t)),
                sha256: hex(&Sha256::digest(contents)),
                size: contents.len(),
                bytes: if with_bytes {
                    contents.to_vec()
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    Ok(Mail {
        automatic: automatic(&message, from_email.as_deref()),
        message_id,
        parents,
        title,
        from_name,
        from_email,
        date,
        date_note,
        body,
        attachments,
    })
}

/// Whether the parsed date is what the header says: mail-parser reads a year as two digits
/// (`0099` as 1999) and wraps an impossible offset, so the four-digit year and the offset are
/// checked against the header as written.
fn plausible(raw: &str, d: &mail_parser::DateTime) -> bool {
    // A four-digit year stands between spaces (or after a comma); an offset follows + or -.
    static YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[\s,])(\d{4})(?:\s|$)").expect("the year pattern compiles")
    });
    let year_ok = YEAR
        .captures(raw)
        .and_then(|c| c[1].parse::<u16>().ok())
        .is_none_or(|year| year == d.year);
    year_ok && d.tz_hour <= 14 && d.tz_minute < 60
}

fn timestamp(d: &mail_parser::DateTime) -> Option<Timestamp> {
    let seconds = (i32::from(d.tz_hour) * 60 + i32::from(d.tz_minute)) * 60;
    let offset = FixedOffset::east_opt(if d.tz_before_gmt { -seconds } else { seconds })?;
    offset
        .with_ymd_and_hms(
            i32::from(d.year),
            u32::from(d.month),
            u32::from(d.day),
            u32::from(d.hour),
            u32::from(d.minute),
            u32::from(d.second),
        )
        .single()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A Message-ID without its angle brackets and spaces.
fn clean_id(id: &str) -> String {
    clean_line(id.trim().trim_start_matches('<').trim_end_matches('>'))
        .trim()
        .to_string()
}

/// How deep the parts of `message` nest below the part `part`.
fn depth(message: &mail_parser::Message<'_>, part: u32, level: usize) -> usize {
    if level > MAX_DEPTH {
        return level;
    }
    match message.part(part).and_then(|p| p.sub_parts()) {
        Some(children) => children
            .iter()
            .map(|&child| depth(message, child, level + 1))
            .max()
            .unwrap_or(level),
        None => level,
    }
}

fn from(address: Option<&Address<'_>>) -> (Option<String>, Option<String>) {
    let Some(first) = address.and_then(Address::first) else {
        return (None, None);
    };
    let keep = |s: Option<&str>| {
        s.map(clean_line)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    (keep(first.name()), keep(first.address()))
}

/// The body as text: every text/plain part of the message's text body, in order (a client
/// that puts an image between two paragraphs sends two); else the HTML made readable.
fn body(message: &mail_parser::Message<'_>) -> String {
    let plain: Vec<&str> = message
        .text_bodies()
        .filter(|part| part.is_text() && !part.is_text_html())
        .filter_map(|part| part.text_contents())
        .collect();
    if !plain.is_empty() {
        return plain.join("\n\n");
    }
    message
        .html_bodies()
        .find_map(|part| part.text_contents())
        .map(readable)
        .unwrap_or_default()
}

/// HTML as text: html2text lays out lists, tables and links; HTML nested deeper than a page
/// ever is (which would make its layout take minutes) goes through mail-parser's plainer
/// converter instead.
fn readable(html: &str) -> String {
    const MAX_NESTING: usize = 200;
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let bytes = html.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'<' {
            match bytes.get(i + 1) {
                Some(b'/') => depth = depth.saturating_sub(1),
                Some(c) if c.is_ascii_alphabetic() => depth += 1,
                _ => {}
            }
            deepest = deepest.max(depth);
        }
    }
    if deepest > MAX_NESTING {
        return mail_parser::decoders::html::html_to_text(html);
    }
    html2text::from_read(html.as_bytes(), 78).unwrap_or_else(|_| html.to_string())
}

static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:(?:\[external\]\s*)?(?:re|fw|fwd|aw|wg|sv|vs|antw|antwort|tr|rif|r|réf|ref|odp|ynt|回复|答复|转发)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    )
        .expect("the prefix pattern compiles")
});

/// The subject as a title: one line of printable text without reply and forward prefixes.
fn title(subject: &str) -> String {
    let line = clean_line(subject);
    let words: Vec<&str> = line.split_whitespace().collect();
    let joined = words.join(" ");
    let bare = PREFIX.replace(&joined, "").trim().to_string();
    let mut title: String = bare.chars().take(MAX_TITLE).collect();
    if title.is_empty() {
        title = "(no subject)".into();
    }
    title
}

/// One line: control characters (newlines, terminal escapes, NUL) become spaces, and the
/// direction overrides that make a name read backwards go.
fn clean_line(s: &str) -> String {
    strip_escapes(s)
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text: line ends made `\n`, NUL and other control characters but tab and newline removed,
/// terminal escape sequences removed.
fn clean_text(s: &str) -> String {
    strip_escapes(&s.replace("\r\n", "\n"))
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

static ESCAPE: LazyLock<Regex> = LazyLock::new(|| {
    // CSI and OSC sequences, and any other ESC + one character.
    Regex::new(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.)?")
        .expect("the escape pattern compiles")
});

fn strip_escapes(s: &str) -> Cow<'_, str> {
    ESCAPE.replace_all(s, "")
}

static QUOTE_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:on\s.+\s+wrote:|am\s.+\s+schrieb\s.+:|le\s.+\s+a\s+écrit\s*:|-+\s*original message\s*-+|-+\s*forwarded message\s*-+|begin forwarded message:|_{20,})\s*$",
    )
    .expect("the quote pattern compiles")
});

/// The customer's own words first; from the first quoted line, quote introduction
/// ("On … wrote:", over one or two lines), forwarded or original message, or signature
/// delimiter on, the rest goes below [`FOLD`].
fn fold(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let starts = |i: usize| {
        let line = lines[i].trim_end();
        let joined = lines
            .get(i + 1)
            .map(|next| format!("{} {}", line.trim(), next.trim()));
        line.trim_start().starts_with('>')
            || line == "--"
            || lines[i] == "-- "
            || QUOTE_INTRO.is_match(line.trim())
            || (line.trim_start().to_lowercase().starts_with("on ")
                && joined.is_some_and(|j| QUOTE_INTRO.is_match(&j)))
    };
    let Some(cut) = (0..lines.len()).find(|&i| starts(i)) else {
        return body.trim().to_string();
    };
    let own = lines[..cut].join("\n").trim().to_string();
    let rest = lines[cut..].join("\n").trim_end().to_string();
    if own.is_empty() {
        return format!("{FOLD}\n{rest}");
    }
    format!("{own}\n\n{FOLD}\n{rest}")
}

/// A safe file name: the base name only, no control characters, no leading dot; the `n`th
/// attachment without a name is `attachment-n`.
fn file_name(name: Option<&str>, n: usize) -> String {
    let unnamed = format!("attachment-{n}");
    let base = name
        .unwrap_or(&unnamed)
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = clean_line(base)
        .chars()
        .map(|c| {
            if matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        return unnamed;
    }
    // File systems allow 255 bytes; room is left for the hash a clash adds.
    let mut name = String::new();
    for c in cleaned.chars() {
        if name.len() + c.len_utf8() > 200 {
            break;
        }
        name.push(c);
    }
    name
}

/// Why a message is not a complaint: an auto-reply, a bulk or list message, or a delivery
/// report.
fn automatic(message: &mail_parser::Message<'_>, from: Option<&str>) -> Option<Automatic> {
    let text = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_ascii_lowercase())
    };
    if let Some(v) = text("Auto-Submitted").filter(|v| {
        v.split(|c: char| c == '(' || c == ';' || c.is_whitespace())
            .next()
            .is_some_and(|token| token != "no")
    }) {
        return Some(Automatic::new(
            "automatic message",
            format!("Auto-Submitted: {v}"),
        ));
    }
    for header in ["X-Autoreply", "X-Autorespond", "X-Autoresponse"] {
        if text(header).is_some() {
            return Some(Automatic::new("auto-reply", header));
        }
    }
    if let Some(v) = text("Precedence").filter(|v| matches!(v.as_str(), "bulk" | "junk" | "list")) {
        return Some(Automatic::new("bulk message", format!("Precedence: {v}")));
    }
    let report = message.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|r| r.eq_ignore_ascii_case("delivery-status"))
    });
    if report {
        return Some(Automatic::new("delivery status notification", "a bounce"));
    }
    let receipt = message.content_type().is_some_and(|ct| {
        ct.subtype()
            .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|r| r.eq_ignore_ascii_case("disposition-notification"))
    });
    if receipt {
        return Some(Automatic::new("read receipt", "disposition notification"));
    }
    let local = from.and_then(|f| f.split('@').next()).unwrap_or_default();
    if local.eq_ignore_ascii_case("mailer-daemon") || local.eq_ignore_ascii_case("postmaster") {
        return Some(Automatic::new("bounce", format!("from {local}")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        chrono::DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z").unwrap()
    }

    fn read_ok(raw: &str) -> Mail {
        read(raw.as_bytes(), 1 << 20, now(), &now(), true).unwrap()
    }

    #[test]
    fn titles_lose_reply_prefixes_and_control_characters() {
        assert_eq!(title("Re: RE: Fwd: AW: Refund"), "Refund");
        assert_eq!(title("Re[2]: Refund"), "Refund");
        assert_eq!(title("Refund\r\n\x1b[31mnow\x1b[0m"), "Refund now");
        assert_eq!(title("Recall of parcel"), "Recall of parcel");
        assert_eq!(title("   "), "(no subject)");
    }

    #[test]
    fn quoted_history_and_signature_fold_below_the_marker() {
        let body = "The kettle broke.\nPlease help.\n\nOn Mon, 7 Dec 2026 at 10:00, Support <s@example.com>\nwrote:\n> We are sorry\n";
        assert_eq!(
            fold(body),
            format!(
                "The kettle broke.\nPlease help.\n\n{FOLD}\nOn Mon, 7 Dec 2026 at 10:00, Support <s@example.com>\nwrote:\n> We are sorry"
            )
        );
        assert_eq!(
            fold("Thanks\n-- \nJane"),
            format!("Thanks\n\n{FOLD}\n-- \nJane")
        );
        assert_eq!(fold("No quote here."), "No quote here.");
    }

    #[test]
    fn an_absurd_or_missing_date_gives_way_to_the_arrival_time() {
        let m = read_ok(
            "From: a@example.com\nSubject: x\nDate: Mon, 7 Dec 2099 10:00:00 +0000\n\nhi\n",
        );
        assert_eq!(m.date, now());
        assert!(m.date_note.unwrap().contains("cannot be right"));
        let m = read_ok("From: a@example.com\nSubject: x\n\nhi\n");
        assert!(m.date_note.unwrap().contains("no readable Date"));
        let m = read_ok(
            "From: a@example.com\nSubject: x\nDate: Mon, 7 Dec 2026 10:00:00 +0900\n\nhi\n",
        );
        assert_eq!(m.date.to_rfc3339(), "2026-12-07T10:00:00+09:00");
        assert_eq!(m.date_note, None);
    }

    #[test]
    fn a_message_without_an_id_gets_a_content_hash_and_nuls_go() {
        let m = read_ok("From: a@example.com\nSubject: x\n\nhi\0 there\n");
        assert!(m.message_id.starts_with("sha256:"), "{}", m.message_id);
        let crlf = read_ok("From: a@example.com\r\nSubject: x\r\n\r\nhi\0 there\r\n\r\n");
        assert_eq!(
            crlf.message_id, m.message_id,
            "line ends and trailing blank lines do not count"
        );
        assert_eq!(m.body, "hi there");
    }

    #[test]
    fn oversize_and_nonsense_are_refused() {
        let big = format!("From: a@example.com\nSubject: x\n\n{}", "a".repeat(2000));
        assert!(
            read(big.as_bytes(), 1000, now(), &now(), false)
                .unwrap_err()
                .contains("over the limit")
        );
        assert!(read(b"just some words\n", 1000, now(), &now(), false).is_err());
    }

    #[test]
    fn automatic_messages_are_told_apart() {
        let m = read_ok(
            "From: a@example.com\nSubject: Out of office\nAuto-Submitted: auto-replied\n\naway\n",
        );
        assert_eq!(
            m.automatic.unwrap().to_string(),
            "an automatic message (Auto-Submitted: auto-replied)"
        );
        let m = read_ok("From: MAILER-DAEMON@example.com\nSubject: Undelivered\n\nfailed\n");
        assert_eq!(m.automatic.unwrap().kind, "bounce");
        let m = read_ok("From: a@example.com\nSubject: x\nAuto-Submitted: no\n\nhi\n");
        assert_eq!(m.automatic, None);
    }

    #[test]
    fn attachment_names_are_made_safe() {
        assert_eq!(file_name(Some("../../etc/passwd"), 1), "passwd");
        assert_eq!(file_name(Some(".bashrc"), 1), "bashrc");
        assert_eq!(file_name(Some("a\x1b[2Jb.pdf"), 1), "ab.pdf");
        assert_eq!(file_name(None, 2), "attachment-2");
        assert_eq!(file_name(Some(".."), 3), "attachment-3");
    }
}
