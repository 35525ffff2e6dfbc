//! The layering of ARCHITECTURE.md, checked on the source: a top-level module (a folder counts
//! as one) names another through `crate::name`, and those arrows may not close a circle, nor
//! point from a lower layer up to a higher one.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::Path;

/// The layers from the bottom up: a module may use those of a lower rank, and of its own rank
/// only where the table below allows it.
const RANKS: [(&str, u8); 10] = [
    ("error", 0),
    ("time", 1),
    ("model", 2),
    ("store", 3),
    ("git", 4),
    ("import", 4),
    ("analysis", 4),
    ("output", 5),
    ("cli", 6),
    ("commands", 7),
];

/// Which top-level modules each top-level module names, read from every file under `src/`.
fn arrows() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let from = first.to_str().unwrap().trim_end_matches(".rs").to_owned();
        if from == "lib" || from == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for (at, _) in text.match_indices("crate::") {
            let rest = &text[at + "crate::".len()..];
            let to: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            assert!(
                !to.is_empty(),
                "{}: `crate::` must name its module, not a group",
                relative.display()
            );
            if to != from {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

fn rank(module: &str) -> u8 {
    RANKS
        .iter()
        .find(|(name, _)| *name == module)
        .unwrap_or_else(|| {
            panic!(
                "`{module}` is a new top-level module: give it a layer in RANKS and ARCHITECTURE.md"
            )
        })
        .1
}

/// The arrows that do not point to a lower layer; a circle always has one.
fn upward(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    graph
        .iter()
        .flat_map(|(from, tos)| tos.iter().map(move |to| (from, to)))
        .filter(|(from, to)| rank(to) >= rank(from))
        .map(|(from, to)| format!("{from} -> {to}"))
        .collect()
}

#[test]
fn every_arrow_points_down_a_layer() {
    let graph = arrows();
    assert!(
        graph["commands"].contains("analysis"),
        "the scan found too little: {graph:?}"
    );
    let upward = upward(&graph);
    assert!(
        upward.is_empty(),
        "arrows that point up or sideways: {upward:?}\nall: {graph:#?}"
    );
}

#[test]
fn a_circle_or_a_sideways_arrow_is_refused() {
    let graph = |arrows: &[(&str, &str)]| {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in arrows {
            graph
                .entry(from.to_string())
                .or_default()
                .insert(to.to_string());
        }
        graph
    };
    assert!(upward(&graph(&[("output", "analysis"), ("analysis", "store")])).is_empty());
    assert_eq!(
        upward(&graph(&[("output", "analysis"), ("analysis", "output")])),
        ["analysis -> output"]
    );
    assert_eq!(upward(&graph(&[("import", "git")])), ["import -> git"]);
}
