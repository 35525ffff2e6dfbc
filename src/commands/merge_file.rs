//! `gripe merge-file BASE OURS THEIRS [PATH]`: the git merge driver for complaint files, which
//! `gripe git setup` registers and git runs as `gripe merge-file %O %A %B %P`.
//!
//! The result is written over OURS, as git expects. Exit 0 when the merge is clean; exit 1 with
//! conflict markers around the keys that are true contradictions. A file gripe cannot merge by
//! its rules (not a complaint, two different complaints) is merged by git's own line-by-line
//! merge instead, so the driver is never worse than git without it.

use std::path::PathBuf;

use super::say;
use crate::cli::MergeFileArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::git;
use crate::store::Replace;
use crate::store::Store;
use crate::store::merge::merge;
use crate::store::merge::zone_for;
use crate::store::write_atomic;

pub(crate) fn run(args: &MergeFileArgs, ctx: &Ctx) -> Result<()> {
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })
    };
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let shown = args.path.clone().unwrap_or_else(|| args.ours.clone());
    // The team's zone, from the gripe.toml above the file; the merge must not need one.
    let folder = ctx.cwd.join(&shown);
    let timezone = folder
        .parent()
        .and_then(|dir| Store::discover(dir, None).ok())
        .and_then(|store| store.config.timezone);
    // Git passes an empty ancestor when both branches added the file.
    let base = Some(base.as_str()).filter(|b| !b.trim().is_empty());
    match merge(&shown, base, &ours, &theirs, &zone_for(timezone)) {
        Ok(merged) => {
            write_atomic(&args.ours, merged.text.as_bytes(), Replace::Always)?;
            for d in &merged.decisions {
                say(&format!(
                    "gripe: {}: both branches changed {}; kept the later change, {} (over {})",
                    shown.display(),
                    d.key,
                    d.kept,
                    d.over
                ));
            }
            if merged.contradictions.is_empty() {
                Ok(())
            } else {
                Err(Error::MergeConflicts {
                    path: shown,
                    keys: merged.contradictions,
                })
            }
        }
        Err(error @ Error::Unmergeable { .. }) => {
            say(&format!("gripe: {error}; merging it line by line instead"));
            if git::merge_text(&args.ours, &args.base, &args.theirs)? {
                Ok(())
            } else {
                Err(Error::MergeConflicts {
                    path: shown,
                    keys: Vec::new(),
                })
            }
        }
        Err(error) => Err(error),
    }
}
