//! JSON output. Documents carry a versioned `schema` first (`gripe.list/1`): a stable contract
//! that scripts rely on, changed only by bumping the version.

use std::io;
use std::io::Write;

use serde::Serialize;
use serde_json::Value;

/// A JSON document: its `schema` first (the contract's name and version, `gripe.list/1`), then
/// the fields of `body`, written straight to the writer.
#[derive(Serialize)]
pub(crate) struct Envelope<'a, T> {
    pub(crate) schema: &'a str,
    #[serde(flatten)]
    pub(crate) body: &'a T,
}

/// Writes `{"schema": schema, ...body}` as pretty JSON with a final newline.
pub(crate) fn write<T: Serialize>(out: &mut dyn Write, schema: &str, body: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Envelope { schema, body })?;
    out.write_all(b"\n")
}

/// Writes `{"schema": schema, <head>, "<key>": [...]}` as [`write`] would (`head` holds the keys
/// and scalar values before the array, such as `"count"`), with the
/// array's elements handed over one by one while it is written, so a document of any length
/// is never held whole. `fill` gets the function that writes one element, already pretty JSON
/// indented for its place ([`pretty`]); it must give `count` of them.
pub(crate) fn write_array<E: From<io::Error>>(
    out: &mut dyn Write,
    schema: &str,
    head: &[(&str, Value)],
    key: &str,
    fill: impl FnOnce(&mut dyn FnMut(&[u8]) -> Result<(), E>) -> Result<(), E>,
) -> Result<(), E> {
    let quote = |text: &str| serde_json::to_string(text).expect("strings serialize");
    write!(out, "{{\n  \"schema\": {}", quote(schema))?;
    for (name, value) in head {
        write!(out, ",\n  {}: {value}", quote(name))?;
    }
    write!(out, ",\n  {}: [", quote(key))?;
    let mut first = true;
    fill(&mut |element: &[u8]| {
        out.write_all(if first { b"\n    " } else { b",\n    " })?;
        first = false;
        out.write_all(element)?;
        Ok(())
    })?;
    out.write_all(if first { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
    Ok(())
}

/// Appends `item` to `out` as pretty JSON, indented as an element of [`write_array`]'s array
/// (as [`write`] would indent it there). Made apart from the writing, so streaming commands
/// make their elements in parallel.
pub(crate) fn pretty_into<T: Serialize>(item: &T, out: &mut Vec<u8>) {
    let mut serializer = serde_json::Serializer::with_formatter(out, Element::default());
    item.serialize(&mut serializer).expect("values serialize");
}

/// serde_json's pretty formatter (two spaces a level) for a value that sits one level inside a
/// document's array: its lines start two levels in.
#[derive(Default)]
struct Element {
    /// The levels the value is inside, beyond the two of its place.
    depth: usize,
    /// Whether the array or object being written has a value yet.
    has_value: bool,
}

impl Element {
    /// A line break and the indentation of the current level.
    fn indent(&self, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
        out.write_all(b"\n    ")?;
        (0..self.depth).try_for_each(|_| out.write_all(b"  "))
    }

    /// Where an array's value or an object's key starts.
    fn line(&self, out: &mut (impl Write + ?Sized), first: bool) -> io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        self.indent(out)
    }

    fn open(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.indent(out)?;
        }
        out.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Element {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.line(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.line(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The two JSON outputs of a listing: one compact document per line (`jsonl`), or one pretty
/// document, `{"schema": ..., "count": N, "complaints": [...]}` (`json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape<'s> {
    Lines,
    Document { schema: &'s str },
}

impl Shape<'_> {
    /// Appends one item to `out` as this shape writes it.
    pub(crate) fn encode_into<T: Serialize>(self, item: &T, out: &mut Vec<u8>) {
        match self {
            Shape::Lines => serde_json::to_writer(out, item).expect("values serialize"),
            Shape::Document { .. } => pretty_into(item, out),
        }
    }
}

/// One compact JSON document per line.
pub(crate) fn lines<T: Serialize>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|item| serde_json::to_string(&item).expect("values serialize") + "\n")
        .collect()
}

/// A value as JSON.
pub(crate) fn value<T: Serialize>(item: &T) -> Value {
    serde_json::to_value(item).expect("values serialize")
}

/// The name a unit enum variant has in JSON (`"at-risk"`), for other formats to show.
pub(crate) fn name<T: Serialize>(variant: &T) -> String {
    value(variant).as_str().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed document is the one serde writes whole, byte for byte.
    #[test]
    fn a_streamed_array_is_what_serde_writes() {
        #[derive(Serialize)]
        struct Body<'a> {
            count: usize,
            items: &'a [Value],
        }
        let items = [
            serde_json::json!({"a": 1, "b": [1, 2, {"c": "x\ny"}], "d": {}, "e": []}),
            serde_json::json!("text \"quoted\""),
            serde_json::json!([]),
        ];
        for n in [0, 1, 3] {
            let mut whole = Vec::new();
            write(
                &mut whole,
                "t/1",
                &Body {
                    count: n,
                    items: &items[..n],
                },
            )
            .unwrap();
            let mut streamed = Vec::new();
            write_array::<io::Error>(
                &mut streamed,
                "t/1",
                &[("count", n.into())],
                "items",
                |element| {
                    items[..n].iter().try_for_each(|item| {
                        let mut bytes = Vec::new();
                        pretty_into(item, &mut bytes);
                        element(&bytes)
                    })
                },
            )
            .unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }

    #[test]
    fn a_writer_that_fails_mid_stream_stops_the_elements() {
        use crate::output::failing::Failing;
        let mut made = 0;
        let result = write_array::<io::Error>(
            &mut Failing(200),
            "t/1",
            &[("count", 1000.into())],
            "items",
            |element| {
                (0..1000).try_for_each(|i| {
                    made += 1;
                    let mut bytes = Vec::new();
                    pretty_into(&serde_json::json!({ "i": i }), &mut bytes);
                    element(&bytes)
                })
            },
        );
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
        assert!(made < 20, "{made} elements made after the writer failed");
    }
}
