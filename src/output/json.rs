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
