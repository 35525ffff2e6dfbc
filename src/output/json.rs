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

/// `item` as pretty JSON, indented as an element of [`write_array`]'s array (as [`write`]
/// would indent it there). Made apart from the writing, so streaming commands make their
/// elements in parallel.
pub(crate) fn pretty<T: Serialize>(item: &T) -> Vec<u8> {
    let flat = serde_json::to_vec_pretty(item).expect("values serialize");
    let mut indented = Vec::with_capacity(flat.len() + flat.len() / 8);
    // Strings in JSON never hold a raw line break, so every one is the formatter's.
    for (i, line) in flat.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            indented.extend_from_slice(b"\n    ");
        }
        indented.extend_from_slice(line);
    }
    indented
}

/// The two JSON outputs of a listing: one compact document per line (`jsonl`), or one pretty
/// document, `{"schema": ..., "count": N, "complaints": [...]}` (`json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape<'s> {
    Lines,
    Document { schema: &'s str },
}

impl Shape<'_> {
    /// One item as this shape writes it.
    pub(crate) fn encode<T: Serialize>(self, item: &T) -> Vec<u8> {
        match self {
            Shape::Lines => serde_json::to_vec(item).expect("values serialize"),
            Shape::Document { .. } => pretty(item),
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
                    items[..n]
                        .iter()
                        .try_for_each(|item| element(&pretty(item)))
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
                    element(&pretty(&serde_json::json!({ "i": i })))
                })
            },
        );
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
        assert!(made < 20, "{made} elements made after the writer failed");
    }
}
