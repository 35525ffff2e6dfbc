//! Shell integration: completion scripts that call gripe back (so complaint ids complete, with
//! their titles), and the manual page. Both come from the clap definitions in `cli.rs`, the
//! same ones `--help` prints.

use std::ffi::OsStr;
use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::engine::ArgValueCompleter;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::Shells;

use crate::cli::Cli;
use crate::cli::DIR_VAR;
use crate::error::Error;
use crate::error::Result;
use crate::store::Store;

/// The variable that asks gripe to complete instead of run.
pub(crate) const VAR: &str = "GRIPE_COMPLETE";

/// How many matching ids get a title (each costs a file read).
const TITLED: usize = 40;

/// When `GRIPE_COMPLETE` is set, the shell is asking for completions: answer and exit.
pub(crate) fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(VAR)
        .complete();
}

/// The completion script for `shell`.
pub(crate) fn write_script(shell: &str, out: &mut dyn Write) -> Result<()> {
    let shells = Shells::builtins();
    let completer = shells.completer(shell).ok_or_else(|| {
        Error::usage_hint(
            format!("`{shell}` is not a shell gripe completes for"),
            format!("one of: {}", shells.names().collect::<Vec<_>>().join(", ")),
        )
    })?;
    completer
        .write_registration(VAR, "gripe", "gripe", "gripe", out)
        .map_err(Error::Output)
}

/// The manual page, in roff.
pub(crate) fn write_man(out: &mut dyn Write) -> Result<()> {
    clap_mangen::Man::new(Cli::command())
        .render(out)
        .map_err(Error::Output)
}

/// Completes a complaint id from the folder the shell is in (or `--dir`'s variable), with the
/// titles when few enough match.
pub(crate) fn complaint_ids() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| -> Vec<CompletionCandidate> {
        let Some(prefix) = current.to_str().map(str::to_lowercase) else {
            return Vec::new();
        };
        let Ok(cwd) = std::env::current_dir() else {
            return Vec::new();
        };
        let dir = std::env::var_os(DIR_VAR).map(PathBuf::from);
        let Ok(store) = Store::discover(&cwd, dir.as_deref()) else {
            return Vec::new();
        };
        let matches = store.ids_starting_with(&prefix);
        let titled = matches.len() <= TITLED;
        matches
            .into_iter()
            .map(|(id, path)| {
                let title = titled
                    .then(|| store.load(&path).ok())
                    .flatten()
                    .map(|loaded| loaded.complaint.title);
                CompletionCandidate::new(id).help(title.map(Into::into))
            })
            .collect()
    })
}
