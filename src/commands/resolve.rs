//! `gripe resolve [ID...]`: mend complaint files that already hold git conflict markers (a merge
//! made without gripe's merge driver: on a hosting service, or in a clone without `gripe git
//! setup`), the way the driver would have merged them.
//!
//! Both sides are read back from the markers, with the base when git wrote diff3-style markers
//! (else the base is what both sides share), and merged by [`crate::store::merge`]. The result is
//! written atomically; a file in the middle of a git merge is then staged, so `git commit`
//! finishes the merge. When both sides changed one key and one change was made by hand, the
//! rest is still merged and written, the markers stay around that key alone, and the exit
//! status is 5. Files whose markers or sides cannot be read are left untouched.

use std::path::Path;
use std::path::PathBuf;

use super::commit;
use super::commit_repo;
use super::say;
use crate::cli::ResolveArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Location;
use crate::error::Result;
use crate::git::Repo;
use crate::model::id::ShortIds;
use crate::output::print_error;
use crate::store::Store;
use crate::store::conflict;
use crate::store::document::find_conflict_marker;
use crate::store::merge::Decision;
use crate::store::merge::merge;
use crate::store::merge::zone_for;
use crate::store::replace_read_file;
use crate::time::when::Zone;

pub(crate) fn run(args: &ResolveArgs, ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let commit_to = commit_repo(ctx, &args.commit)?;
    let repo = match &commit_to {
        Some(repo) => Some(repo.clone()),
        None => Repo::find(&ctx.cwd.join(&store.dir))?,
    };
    let paths: Vec<PathBuf> = if args.ids.is_empty() {
        store
            .files()
            .into_iter()
            .filter(|p| {
                store
                    .read_text(p)
                    .is_ok_and(|t| find_conflict_marker(&t).is_some())
            })
            .collect()
    } else {
        args.ids
            .iter()
            .map(|id| store.resolve(id).map(|r| r.path))
            .collect::<Result<_>>()?
    };
    if paths.is_empty() {
        say("no complaint file holds conflict markers");
        return Ok(());
    }
    let index = store.index();
    let short_ids = ShortIds::new(index.iter().map(|(id, _)| id.as_str()));
    let zone = zone_for(store.config.timezone);
    let mut errors = Vec::new();
    for path in paths {
        let decisions = match mend(store, &path, &zone) {
            Ok(Some(decisions)) => decisions,
            Ok(None) => {
                say(&format!("{}: no conflict markers", path.display()));
                continue;
            }
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        let id = store.load(&path)?.complaint.id;
        let short = short_ids.get(&id);
        let mut message = format!("{short}: merged both sides of the conflict");
        for d in &decisions {
            message.push_str(&format!(
                "; both changed {}, kept the later change, {} (over {})",
                d.key, d.kept, d.over
            ));
        }
        say(&message);
        let absolute = ctx.cwd.join(&path);
        match &repo {
            Some(repo) if repo.is_unmerged(&absolute)? => {
                repo.stage(&absolute)?;
                say(&format!("{short}: staged; `git commit` finishes the merge"));
            }
            _ => commit(
                ctx,
                commit_to.as_ref(),
                &path,
                &format!("resolve conflicts in {short}"),
            )?,
        }
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        count => {
            for error in &errors {
                print_error(error);
            }
            Err(Error::Unresolved { count })
        }
    }
}

/// Merges the sides of one file's conflict and writes the result; `None` when the file holds no
/// markers, else the decisions the merge made.
fn mend(store: &Store, path: &Path, zone: &Zone) -> Result<Option<Vec<Decision>>> {
    let text = store.read_text(path)?;
    if find_conflict_marker(&text).is_none() {
        return Ok(None);
    }
    let sides = conflict::split(&text).map_err(|bad| Error::InvalidFile {
        location: Location {
            path: path.to_path_buf(),
            line: bad.line,
            column: 1,
        },
        message: bad.message,
        hint: Some(
            "these are not conflict markers as git writes them; fix the file by hand".into(),
        ),
    })?;
    let merged = merge(
        path,
        sides.base.as_deref(),
        &sides.ours,
        &sides.theirs,
        zone,
    )?;
    if merged.text != text {
        replace_read_file(path, merged.text.as_bytes(), text.as_bytes())?;
    }
    if !merged.contradictions.is_empty() {
        let offset = find_conflict_marker(&merged.text).unwrap_or(0);
        return Err(Error::Contradiction {
            location: Location::at_offset(path, &merged.text, offset),
            keys: merged.contradictions,
        });
    }
    Ok(Some(merged.decisions))
}
