//! The general fast reader: one pass over the events of `toml_parser`, the lexer and grammar
//! the `toml` crate itself is built on. It reads any layout of the keys and tables gripe knows.

use std::borrow::Cow;

use toml_parser::ErrorSink;
use toml_parser::ParseError;
use toml_parser::Raw;
use toml_parser::Source;
use toml_parser::Span;
use toml_parser::decoder::Encoding;
use toml_parser::decoder::IntegerRadix;
use toml_parser::decoder::ScalarKind;
use toml_parser::parser::EventReceiver;

use super::Builder;
use super::Outcome;
use super::Value;
use crate::model::nesting::too_deep;
use crate::time::when::When;

thread_local! {
    /// The token buffer, reused from file to file on each scanning thread.
    static TOKENS: std::cell::RefCell<Vec<toml_parser::lexer::Token>> = const {
        std::cell::RefCell::new(Vec::new())
    };
}

/// Reads `text` as a complaint through the events of `toml_parser`.
pub(super) fn read(text: &str) -> Outcome {
    TOKENS.with_borrow_mut(|tokens| {
        tokens.clear();
        tokens.extend(Source::new(text).lex());
        if let Some(offset) = too_deep(tokens) {
            return Outcome::TooDeep(offset);
        }
        let mut receiver = Receiver::new(text);
        let mut failed = Failed(false);
        toml_parser::parser::parse_document(tokens, &mut receiver, &mut failed);
        if failed.0 {
            return Outcome::Unsure;
        }
        receiver
            .builder
            .finish()
            .map_or(Outcome::Unsure, |c| Outcome::Read(Box::new(c)))
    })
}

/// Records that the grammar found an error.
struct Failed(bool);

impl ErrorSink for Failed {
    fn report_error(&mut self, _error: ParseError) {
        self.0 = true;
    }
}

/// Turns the grammar's events into headers and `key = value` pairs for the [`Builder`].
struct Receiver<'i> {
    src: &'i str,
    /// Set while reading a `[...]` or `[[...]]` header: whether it is an array of tables.
    header: Option<bool>,
    header_keys: Vec<Cow<'i, str>>,
    /// The key being assigned to, once it is complete.
    key: Option<Cow<'i, str>>,
    key_parts: usize,
    arrays: Vec<Vec<Value<'i>>>,
    builder: Builder<'i>,
}

impl<'i> Receiver<'i> {
    fn new(src: &'i str) -> Receiver<'i> {
        Receiver {
            src,
            header: None,
            header_keys: Vec::new(),
            key: None,
            key_parts: 0,
            arrays: Vec::new(),
            builder: Builder::default(),
        }
    }

    fn raw(&self, span: Span, encoding: Option<Encoding>) -> Raw<'i> {
        Raw::new_unchecked(&self.src[span.start()..span.end()], encoding, span)
    }

    /// Gives up when `decode` finds the text at `span` (a comment, a line end) invalid.
    fn check(&mut self, span: Span, decode: fn(&Raw<'i>, &mut dyn ErrorSink)) {
        let mut failed = Failed(false);
        decode(&self.raw(span, None), &mut failed);
        self.builder.failed |= failed.0;
    }

    fn decode_key(&mut self, span: Span, encoding: Option<Encoding>) -> Cow<'i, str> {
        let mut out = Cow::Borrowed("");
        let mut failed = Failed(false);
        self.raw(span, encoding).decode_key(&mut out, &mut failed);
        self.builder.failed |= failed.0;
        out
    }

    fn decode_scalar(&mut self, span: Span, encoding: Option<Encoding>) -> Option<Value<'i>> {
        let mut out = Cow::Borrowed("");
        let mut failed = Failed(false);
        let kind = self
            .raw(span, encoding)
            .decode_scalar(&mut out, &mut failed);
        if failed.0 {
            return None;
        }
        match kind {
            ScalarKind::String => Some(Value::Text(out)),
            ScalarKind::Boolean(b) => Some(Value::Bool(b)),
            ScalarKind::Integer(IntegerRadix::Dec) => out.parse().ok().map(Value::Integer),
            ScalarKind::Float => {
                let f: f64 = out.parse().ok()?;
                f.is_finite().then_some(Value::Float(f))
            }
            ScalarKind::DateTime => When::parse_canonical(&out)
                .or_else(|| {
                    let dt: toml::value::Datetime = out.parse().ok()?;
                    When::from_toml_datetime(&dt)
                })
                .map(Value::Date),
            ScalarKind::Integer(_) => None,
        }
    }

    /// Starts the table whose header was just read.
    fn start_table(&mut self, array: bool) {
        let name = match self.header_keys.as_slice() {
            [one] => one.as_ref(),
            _ => "",
        };
        self.builder.table(array, name);
    }

    /// Stores the value of the key just read.
    fn assign(&mut self, value: Value<'i>) {
        match self.key.take() {
            Some(key) => self.builder.assign(key, value),
            None => self.builder.failed = true,
        }
    }
}

impl<'i> EventReceiver for Receiver<'i> {
    fn std_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.header = Some(false);
        self.header_keys.clear();
    }

    fn std_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.header = None;
        self.start_table(false);
    }

    fn array_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.header = Some(true);
        self.header_keys.clear();
    }

    fn array_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.header = None;
        self.start_table(true);
    }

    fn inline_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.builder.failed = true;
        false
    }

    fn array_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.arrays.push(Vec::new());
        true
    }

    fn array_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        let Some(items) = self.arrays.pop() else {
            self.builder.failed = true;
            return;
        };
        let value = Value::Array(items);
        match self.arrays.last_mut() {
            Some(outer) => outer.push(value),
            None => self.assign(value),
        }
    }

    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, _error: &mut dyn ErrorSink) {
        let key = self.decode_key(span, encoding);
        if self.header.is_some() {
            self.header_keys.push(key);
        } else {
            self.key_parts += 1;
            self.key = Some(key);
        }
    }

    fn key_val_sep(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        // Dotted keys (`customer.name = ...`) are left to the exact reader.
        if self.key_parts != 1 {
            self.builder.failed = true;
        }
        self.key_parts = 0;
    }

    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, _error: &mut dyn ErrorSink) {
        let Some(value) = self.decode_scalar(span, encoding) else {
            self.builder.failed = true;
            return;
        };
        match self.arrays.last_mut() {
            Some(items) => items.push(value),
            None => self.assign(value),
        }
    }

    fn comment(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        // The grammar does not look inside comments; a control character there makes the
        // file invalid TOML, which the exact reader reports.
        self.check(span, Raw::decode_comment);
    }

    fn newline(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        // Nearly every line ends in a plain `\n`; only anything else needs a closer look.
        if self.src.as_bytes().get(span.start()..span.end()) != Some(b"\n") {
            self.check(span, Raw::decode_newline);
        }
    }

    fn error(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.builder.failed = true;
    }
}
