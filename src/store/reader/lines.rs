//! The quickest reader: the layout gripe writes, line by line, with no general TOML lexer.
//!
//! Each line must be blank, a comment, a `[name]` or `[[name]]` header with a bare name, or
//! `key = value` with a bare key and a value that ends on the same line: a basic string
//! (TOML 1.0 escapes), a literal string, a decimal integer, a boolean, a date or date-time in
//! the forms [`When::parse_canonical`] reads, or a one-line array of those. People also write
//! the tables gripe knows inside the top-level table, and it reads those too: a one-line inline
//! table (`customer = { name = "A", contact = "a@b" }`) or dotted keys (`customer.name = "A"`).
//! Lines end in `\n` or `\r\n`. Anything else (a multi-line array, a quoted key, a key of
//! three parts, an inline table nested or spanning lines, a float, an escape of TOML 1.1, a
//! space inside brackets or around a dot) makes it step aside, so whatever it
//! accepts is TOML with exactly the meaning it gives it; the [`events`](super::events) reader
//! then decides.

use std::borrow::Cow;

use super::Builder;
use super::Value;
use crate::model::complaint::Complaint;
use crate::time::when::When;

/// Reads `text`; None where it steps aside.
pub(super) fn read(text: &str) -> Option<Complaint> {
    let mut builder = Builder::default();
    let mut c = Cursor(text);
    while !c.0.is_empty() {
        read_line(&mut builder, &mut c)?;
        if builder.failed {
            return None;
        }
    }
    builder.finish()
}

/// Feeds one line (a value's multi-line string with it) to the builder, through its line end.
fn read_line<'i>(builder: &mut Builder<'i>, c: &mut Cursor<'i>) -> Option<()> {
    c.skip_blanks();
    match c.peek() {
        None | Some(b'#' | b'\r' | b'\n') => {}
        Some(b'[') => {
            let array = c.eat("[[");
            if !array {
                c.eat("[");
            }
            let name = c.bare();
            if name.is_empty() || !c.eat(if array { "]]" } else { "]" }) {
                return None;
            }
            builder.table(array, name);
        }
        Some(_) => {
            let key = c.bare();
            if key.is_empty() {
                return None;
            }
            if c.eat(".") {
                let (sub, value) = pair_after(c.bare(), c)?;
                builder.begin_within(key, false);
                builder.assign(Cow::Borrowed(sub), value);
                builder.end_within();
            } else {
                c.skip_blanks();
                if !c.eat("=") {
                    return None;
                }
                c.skip_blanks();
                if c.peek() == Some(b'{') {
                    inline_table(builder, key, c)?;
                } else {
                    builder.assign(Cow::Borrowed(key), value(c)?);
                }
            }
        }
    }
    c.skip_blanks();
    c.line_end()
}

/// The ` = value` after a bare `key` already read.
fn pair_after<'i>(key: &'i str, c: &mut Cursor<'i>) -> Option<(&'i str, Value<'i>)> {
    c.skip_blanks();
    if key.is_empty() || !c.eat("=") {
        return None;
    }
    c.skip_blanks();
    Some((key, value(c)?))
}

/// `{ key = value, … }` on one line, the value of `name` in the top-level table: TOML 1.0's
/// form, with no trailing comma and no table inside.
fn inline_table<'i>(builder: &mut Builder<'i>, name: &'i str, c: &mut Cursor<'i>) -> Option<()> {
    let start = c.0;
    c.eat("{");
    builder.begin_within(name, true);
    c.skip_blanks();
    if !c.eat("}") {
        loop {
            c.skip_blanks();
            let (key, value) = pair_after(c.bare(), c)?;
            builder.assign(Cow::Borrowed(key), value);
            c.skip_blanks();
            if c.eat("}") {
                break;
            }
            if !c.eat(",") {
                return None;
            }
        }
    }
    builder.end_within();
    let taken = &start.as_bytes()[..start.len() - c.0.len()];
    (!taken.contains(&b'\n')).then_some(())
}

/// A value: a string, an array, or a bare word (boolean, number, date).
fn value<'i>(c: &mut Cursor<'i>) -> Option<Value<'i>> {
    match c.peek()? {
        b'[' => array(c),
        _ => scalar(c),
    }
}

/// A one-line array of scalars, trailing comma allowed.
fn array<'i>(c: &mut Cursor<'i>) -> Option<Value<'i>> {
    c.eat("[");
    let mut items = Vec::new();
    loop {
        c.skip_blanks();
        if c.eat("]") {
            return Some(Value::Array(items));
        }
        items.push(scalar(c)?);
        c.skip_blanks();
        if !c.eat(",") && c.peek() != Some(b']') {
            return None;
        }
    }
}

fn scalar<'i>(c: &mut Cursor<'i>) -> Option<Value<'i>> {
    let quote = match c.peek()? {
        q @ (b'"' | b'\'') => q,
        _ => return word(c),
    };
    let text = if c.0.as_bytes().get(1..3) == Some(&[quote, quote]) {
        multi_line_string(c, quote)?
    } else {
        string(c, quote)?
    };
    Some(Value::Text(text))
}

/// A one-line string: basic (`"`, with escapes) or literal (`'`). Borrowed from the file unless
/// it holds an escape.
fn string<'i>(c: &mut Cursor<'i>, quote: u8) -> Option<Cow<'i, str>> {
    let s = c.0;
    let bytes = s.as_bytes();
    let mut decoded = Decoded::new(1);
    let mut i = 1;
    loop {
        match *bytes.get(i)? {
            b if b == quote => break,
            b'\\' if quote == b'"' => i = decoded.escape(s, i)?,
            b if is_control(b) => return None,
            _ => i += 1,
        }
    }
    c.0 = &s[i + 1..];
    Some(decoded.finish(s, 1, i))
}

/// A multi-line string (`"""` or `'''`): a line end right after the opening quotes is not part
/// of it, and up to two quotes may sit against the closing three. Carriage returns and
/// line-ending backslashes are left to the other reader.
fn multi_line_string<'i>(c: &mut Cursor<'i>, quote: u8) -> Option<Cow<'i, str>> {
    let s = c.0;
    let bytes = s.as_bytes();
    let start = if bytes.get(3) == Some(&b'\n') { 4 } else { 3 };
    let mut decoded = Decoded::new(start);
    let mut i = start;
    loop {
        match *bytes.get(i)? {
            b if b == quote => {
                let run = bytes[i..].iter().take_while(|b| **b == quote).count();
                if run >= 3 {
                    if run > 5 {
                        return None;
                    }
                    c.0 = &s[i + run..];
                    return Some(decoded.finish(s, start, i + run - 3));
                }
                i += run;
            }
            b'\\' if quote == b'"' => i = decoded.escape(s, i)?,
            b'\n' => i += 1,
            b if is_control(b) => return None,
            _ => i += 1,
        }
    }
}

/// A string's text as escapes are decoded: nothing is copied until the first escape.
struct Decoded {
    out: Option<String>,
    /// Where the text not yet copied starts.
    from: usize,
}

impl Decoded {
    fn new(start: usize) -> Decoded {
        Decoded {
            out: None,
            from: start,
        }
    }

    /// Decodes the escape whose backslash is at `at` in `s`; gives where the text goes on.
    fn escape(&mut self, s: &str, at: usize) -> Option<usize> {
        let (ch, len) = escape(&s.as_bytes()[at + 1..])?;
        let out = self.out.get_or_insert_with(String::new);
        out.push_str(&s[self.from..at]);
        out.push(ch);
        self.from = at + 1 + len;
        Some(self.from)
    }

    /// The string's value, which spans `start..end` of `s`.
    fn finish(self, s: &str, start: usize, end: usize) -> Cow<'_, str> {
        match self.out {
            Some(mut out) => {
                out.push_str(&s[self.from..end]);
                Cow::Owned(out)
            }
            None => Cow::Borrowed(&s[start..end]),
        }
    }
}

/// The character an escape (after its backslash) stands for, and how many bytes it takes.
fn escape(after: &[u8]) -> Option<(char, usize)> {
    let simple = match *after.first()? {
        b'"' => '"',
        b'\\' => '\\',
        b'n' => '\n',
        b't' => '\t',
        b'r' => '\r',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'u' => return Some((unicode(after.get(1..5)?)?, 5)),
        b'U' => return Some((unicode(after.get(1..9)?)?, 9)),
        _ => return None,
    };
    Some((simple, 1))
}

/// The character of a `\u` or `\U` escape's hex digits (all of them hex digits, no sign).
fn unicode(hex: &[u8]) -> Option<char> {
    hex.iter()
        .try_fold(0u32, |n, d| Some(n * 16 + char::from(*d).to_digit(16)?))
        .and_then(char::from_u32)
}

/// A boolean, a decimal number, or a date or date-time; it must end where the value ends.
fn word<'i>(c: &mut Cursor<'i>) -> Option<Value<'i>> {
    let len =
        c.0.bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b':' | b'.')))
            .unwrap_or(c.0.len());
    let (word, rest) = c.0.split_at(len);
    if !matches!(
        rest.bytes().next(),
        None | Some(b' ' | b'\t' | b',' | b']' | b'\r' | b'\n')
    ) {
        return None;
    }
    c.0 = rest;
    match word {
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    if word.as_bytes().get(4) == Some(&b'-')
        && let Some(when) = When::parse_canonical(word)
    {
        return Some(Value::Date(when));
    }
    number(word)
}

/// A decimal integer or a finite float in TOML's forms without underscores: `-17`, `0.5`,
/// `6.02e23`.
fn number(word: &str) -> Option<Value<'_>> {
    let unsigned = word.strip_prefix(['+', '-']).unwrap_or(word);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let ok = digits(whole)
        && (whole == "0" || !whole.starts_with('0'))
        && fraction.is_none_or(digits)
        && exponent.is_none_or(digits);
    if !ok {
        return None;
    }
    if fraction.is_none() && exponent.is_none() {
        return word.parse().ok().map(Value::Integer);
    }
    let float: f64 = word.parse().ok()?;
    float.is_finite().then_some(Value::Float(float))
}

/// The characters TOML allows in no string or comment: controls other than tab.
fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// What is left of the text.
struct Cursor<'i>(&'i str);

impl<'i> Cursor<'i> {
    fn peek(&self) -> Option<u8> {
        self.0.bytes().next()
    }

    fn eat(&mut self, token: &str) -> bool {
        match self.0.strip_prefix(token) {
            Some(rest) => {
                self.0 = rest;
                true
            }
            None => false,
        }
    }

    fn skip_blanks(&mut self) {
        self.0 = self.0.trim_start_matches([' ', '\t']);
    }

    /// A bare key or table name (possibly empty).
    fn bare(&mut self) -> &'i str {
        let len = self
            .0
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
            .unwrap_or(self.0.len());
        let (bare, rest) = self.0.split_at(len);
        self.0 = rest;
        bare
    }

    /// A comment, if any, then the line end (`\n`, `\r\n`, or the end of the text).
    fn line_end(&mut self) -> Option<()> {
        let len = memchr::memchr(b'\n', self.0.as_bytes()).unwrap_or(self.0.len());
        let (line, rest) = self.0.split_at(len);
        let line = if rest.is_empty() {
            line
        } else {
            line.strip_suffix('\r').unwrap_or(line)
        };
        let fine = match line.strip_prefix('#') {
            Some(comment) => !comment.bytes().any(is_control),
            None => line.is_empty(),
        };
        self.0 = rest.get(1..).unwrap_or("");
        fine.then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "id = \"aaaa000000000000\"\ntitle = \"t\"\nopened = 2026-11-02\nstage = \"new\"\n";

    fn field_x(line: &str) -> Option<String> {
        read(&format!("{HEAD}{line}")).and_then(|c| c.fields.get("x").map(|v| format!("{v:?}")))
    }

    #[test]
    fn it_reads_the_values_gripe_writes_and_people_type() {
        let read_x = |v: &str| field_x(&format!("[fields]\nx = {v}\n"));
        assert_eq!(
            read_x("\"a\\\"b\\u00e9\\n\"").unwrap(),
            "Text(\"a\\\"bé\\n\")"
        );
        assert_eq!(read_x("'C:\\path'").unwrap(), "Text(\"C:\\\\path\")");
        assert_eq!(read_x("-17").unwrap(), "Integer(-17)");
        assert_eq!(read_x("6.5e-1").unwrap(), "Float(0.65)");
        assert_eq!(read_x("true # yes").unwrap(), "Bool(true)");
        assert!(read_x("[\"a\", 'b',]").unwrap().starts_with("List("));
        assert!(
            read_x("2026-11-02T10:00:00+01:00")
                .unwrap()
                .starts_with("When(")
        );
        assert_eq!(
            read_x("\"\"\"\none \"two\"\n\\tthree\"\"\"\"").unwrap(),
            "Text(\"one \\\"two\\\"\\n\\tthree\\\"\")"
        );
        assert_eq!(read_x("'''a\nb''' # c").unwrap(), "Text(\"a\\nb\")");
        assert!(
            read(&HEAD.replace('\n', "\r\n")).is_some(),
            "CRLF line ends"
        );
    }

    #[test]
    fn it_steps_aside_for_anything_outside_its_layout() {
        for surprise in [
            "x = 0x10",
            "x = 017",
            "x = 1_000",
            "x = 1.",
            "x = .5",
            "x = 1e400",
            "x = inf",
            "x = \"\"\"a \\\n  b\"\"\"",
            "x = \"\"\"a\r\nb\"\"\"",
            "x = \"\"\"a\"\"\"\"\"\"",
            "x = \"\\e\"",
            "x = \"\\u+123\"",
            "x = \"\\uD800\"",
            "x = [1,\n2]",
            "x = [[1]]",
            "x = { a = 1 }",
            "x.y.z = 1",
            "x . y = 1",
            "x = 2026-11-02 10:00:00Z",
            "x = 2026-11-02T10:00:00.5Z",
            "x = 2026-02-30",
            "x = 1#c",
            "x = \"a\"b",
            "\"x\" = 1",
            "x.y = 1",
            "x =\n1",
            "x = \"tab\tok\" # bell \u{7}",
            "x = 'bell \u{7}'",
            "x = 1\r",
            "[ fields ]",
            "[fields.sub]",
        ] {
            assert_eq!(
                field_x(&format!("[fields]\n{surprise}")),
                None,
                "{surprise}"
            );
        }
    }
}
