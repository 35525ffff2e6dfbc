//! `gripe git setup [--check]`: gripe's merge driver for complaint files in this clone.
//!
//! Setup writes one line to the work tree's `.gitattributes` (commit it, so every clone sends
//! complaint files to the driver) and registers the driver in the repository's own git config
//! (`.git/config`, shared by its worktrees; each clone runs setup once). It is idempotent. The
//! driver is registered with the absolute path of the gripe that ran setup, so git finds it
//! whatever PATH a merge runs with; `--check` notices when that gripe is gone.

use std::io::Write;
use std::path::Path;
use std::path::PathBuf;

use super::emit;
use super::say;
use crate::cli::GitAction;
use crate::cli::GitArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::git::Repo;
use crate::store::Replace;
use crate::store::write_atomic;

const DRIVER_KEY: &str = "merge.gripe.driver";
const NAME_KEY: &str = "merge.gripe.name";
const NAME: &str = "gripe: merges complaint files event by event";
const ATTRIBUTES: &str = ".gitattributes";

pub(crate) fn run(args: &GitArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    match &args.action {
        GitAction::Setup(setup) if setup.check => check(ctx, out),
        GitAction::Setup(_) => setup(ctx),
    }
}

/// The repository and where the complaint folder is in it.
struct Place {
    repo: Repo,
    /// The complaint folder, absolute.
    dir: PathBuf,
    /// The `.gitattributes` line that sends its files to the driver.
    line: String,
    /// The files it covers, as people read it (`complaints/**/*.toml`).
    pattern: String,
}

fn place(ctx: &Ctx) -> Result<Place> {
    let store = ctx.store()?;
    let dir = ctx.cwd.join(&store.dir);
    let Some(repo) = Repo::find(&dir)? else {
        return Err(Error::usage_hint(
            format!("{} is not in a git repository", store.dir.display()),
            "run `git init` first (gripe works without git too)",
        ));
    };
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let dir = canonical(&dir);
    let rel = dir
        .strip_prefix(canonical(&repo.top))
        .map_err(|_| {
            Error::usage(format!(
                "{} is outside the work tree {}",
                store.dir.display(),
                repo.top.display()
            ))
        })?
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let pattern = if rel.is_empty() {
        "*.toml".to_string()
    } else {
        format!("{rel}/**/*.toml")
    };
    // Git reads a pattern with spaces or quotes when it is quoted C-style.
    let written = if pattern.contains([' ', '\t', '"', '\\']) {
        format!("\"{}\"", pattern.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        pattern.clone()
    };
    Ok(Place {
        repo,
        dir,
        line: format!("{written} merge=gripe"),
        pattern,
    })
}

/// The driver command git runs: this gripe, by absolute path, quoted for the shell.
fn driver_command(exe: &Path) -> String {
    let quoted = exe.to_string_lossy().replace('\'', "'\\''");
    format!("'{quoted}' merge-file %O %A %B %P")
}

/// The program a driver command runs, read back from its shell quoting.
fn driver_program(command: &str) -> Option<PathBuf> {
    let command = command.trim_start();
    let Some(mut rest) = command.strip_prefix('\'') else {
        return command.split_whitespace().next().map(PathBuf::from);
    };
    let mut program = String::new();
    loop {
        let end = rest.find('\'')?;
        program.push_str(&rest[..end]);
        match rest[end..].strip_prefix("'\\''") {
            Some(after) => {
                program.push('\'');
                rest = after;
            }
            None => return Some(PathBuf::from(program)),
        }
    }
}

fn this_gripe() -> Result<PathBuf> {
    let exe = std::env::current_exe().map_err(|e| Error::External {
        what: "finding the gripe program".into(),
        message: e.to_string(),
    })?;
    Ok(exe.canonicalize().unwrap_or(exe))
}

/// Writes the `.gitattributes` line and registers the driver, where either is missing.
pub(crate) fn setup(ctx: &Ctx) -> Result<()> {
    let place = place(ctx)?;
    let mut done = Vec::new();
    let path = place.repo.top.join(ATTRIBUTES);
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(Error::Read { path, source }),
    };
    let old = existing.as_deref().unwrap_or_default();
    if !old.lines().any(|l| l.trim() == place.line) {
        let mut text = old.to_string();
        if !text.is_empty() {
            text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
        }
        text.push_str(
            "# Complaint files merge event by event with gripe's merge driver (gripe git setup).\n",
        );
        text.push_str(&place.line);
        text.push('\n');
        let replace = match &existing {
            Some(old) => Replace::IfUnchanged(old.as_bytes()),
            None => Replace::Never,
        };
        write_atomic(&path, text.as_bytes(), replace)?;
        done.push(format!(
            "wrote `{}` to {}; commit it so every clone merges complaint files with gripe",
            place.line,
            path.display()
        ));
    }
    let exe = this_gripe()?;
    let command = driver_command(&exe);
    if place.repo.config(NAME_KEY)?.as_deref() != Some(NAME) {
        place.repo.set_config(NAME_KEY, NAME)?;
    }
    if place.repo.config(DRIVER_KEY)?.as_deref() != Some(command.as_str()) {
        place.repo.set_config(DRIVER_KEY, &command)?;
        done.push(format!(
            "registered the merge driver {} in this clone's git config (every clone runs `gripe git setup` once)",
            exe.display()
        ));
    }
    if done.is_empty() {
        say("the gripe merge driver is already set up here");
    }
    for line in done {
        say(&line);
    }
    Ok(())
}

fn check(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let place = place(ctx)?;
    let mut report = String::new();
    let mut problems = Vec::new();
    let probe = place
        .dir
        .join("2000")
        .join("01")
        .join("0000000000000000.toml");
    match place.repo.attribute("merge", &probe)?.as_deref() {
        Some("gripe") => report.push_str(&format!(
            "ok: git sends {} to the gripe merge driver\n",
            place.pattern
        )),
        Some(other) => problems.push(format!(
            "git sends {} to the merge driver `{other}`, not `gripe`",
            place.pattern
        )),
        None => problems.push(format!(
            "no `{}` line in .gitattributes (or it is not committed in this clone)",
            place.line
        )),
    }
    match place.repo.config(DRIVER_KEY)? {
        None => problems.push(format!("{DRIVER_KEY} is not in this clone's git config")),
        Some(command) => match driver_program(&command) {
            Some(program) if program.is_file() => {
                let this = this_gripe()?;
                let other = if program == this {
                    String::new()
                } else {
                    format!(
                        " (not this gripe, {}; `gripe git setup` switches to it)",
                        this.display()
                    )
                };
                report.push_str(&format!(
                    "ok: {DRIVER_KEY} runs {}{other}\n",
                    program.display()
                ));
            }
            Some(program) => problems.push(format!(
                "{DRIVER_KEY} runs {}, which is not there any more",
                program.display()
            )),
            None => problems.push(format!("{DRIVER_KEY} is empty")),
        },
    }
    emit(out, &report)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::NotSetUp { problems })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_driver_command_quotes_the_program_and_reads_back() {
        for program in ["/usr/bin/gripe", "/home/o'neil/my tools/gripe"] {
            let command = driver_command(Path::new(program));
            assert!(command.ends_with(" merge-file %O %A %B %P"), "{command}");
            assert_eq!(driver_program(&command), Some(PathBuf::from(program)));
        }
        assert_eq!(
            driver_program("gripe merge-file %O %A %B"),
            Some(PathBuf::from("gripe"))
        );
    }
}
