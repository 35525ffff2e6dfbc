//! The repository's own sample complaints and examples must always load, so they cannot rot.

use std::path::Path;

use crate::harness::Gripe;
use crate::harness::json;

/// Complaint files below `dir` (every `*.toml` but a config).
fn toml_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        toml_files(&p)
                    } else {
                        usize::from(
                            p.extension().is_some_and(|x| x == "toml")
                                && !p.ends_with("gripe.toml"),
                        )
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn loads_every_file(folder: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let g = Gripe::bare();
    let run = g.run(&["--dir", root.to_str().unwrap(), "list", "--format", "json"]);
    assert_eq!(run.stderr, "", "{folder} loads without errors");
    let count = json(&run)["count"].as_u64().unwrap() as usize;
    let files = toml_files(&root.join("complaints"));
    assert!(files > 0, "{folder} has complaints");
    assert_eq!(
        count, files,
        "every file in {folder}/complaints is a complaint"
    );
}

#[test]
fn every_sample_complaint_in_the_repository_loads() {
    loads_every_file(".");
}

#[test]
fn every_example_complaint_and_config_loads() {
    loads_every_file("examples");
}
