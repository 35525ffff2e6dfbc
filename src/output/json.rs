//! JSON output. Documents carry a versioned `schema` first (`gripe.list/1`): a stable contract
//! that scripts rely on, changed only by bumping the version.

use serde::Serialize;
use serde_json::Map;
use serde_json::Value;

/// `{"schema": schema, ...fields}` as pretty JSON with a final newline.
pub fn envelope(schema: &str, fields: Vec<(&str, Value)>) -> String {
    let mut map = Map::new();
    map.insert("schema".into(), Value::String(schema.to_string()));
    for (key, value) in fields {
        map.insert(key.to_string(), value);
    }
    let mut text =
        serde_json::to_string_pretty(&Value::Object(map)).expect("JSON values serialize");
    text.push('\n');
    text
}

/// One compact JSON document per line.
pub fn lines<T: Serialize>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|item| serde_json::to_string(&item).expect("values serialize") + "\n")
        .collect()
}

/// A value as JSON.
pub fn value<T: Serialize>(item: &T) -> Value {
    serde_json::to_value(item).expect("values serialize")
}

/// The name a unit enum variant has in JSON (`"at-risk"`), for other formats to show.
pub fn name<T: Serialize>(variant: &T) -> String {
    value(variant).as_str().unwrap_or_default().to_string()
}
