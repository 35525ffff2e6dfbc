//! gripe: a command-line complaint tracker that keeps each customer complaint as a TOML file in
//! a git repository.
//!
//! `main` calls [`main_with_env`]; `run` parses the command line (`cli`) and dispatches to one
//! module per subcommand in `commands`. The layers, each a folder, from the bottom: [`error`]
//! and [`time`]; [`model`]; [`store`]; [`analysis`], `import` and `git`; `output`; `cli`;
//! `commands`. A module uses only those below it (ARCHITECTURE.md, checked by a test).

#![allow(rustdoc::private_intra_doc_links)] // built with --document-private-items

pub mod analysis;
pub(crate) mod cli;
pub(crate) mod commands;
pub mod error;
pub(crate) mod git;
pub(crate) mod import;
pub mod model;
pub(crate) mod output;
pub mod store;
pub mod time;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::io::Write;

use clap::Parser;

use crate::cli::Cli;
use crate::cli::ColorChoice;
use crate::commands::context::Ctx;
use crate::commands::context::Env;
use crate::error::Error;
use crate::error::Result;
use crate::output::Painter;

/// Runs gripe with `args` and the process environment, printing errors once to stderr;
/// returns the exit code.
pub fn main_with_env(args: Vec<OsString>) -> u8 {
    cli::complete::answer_if_asked();
    let env = Env::from_process();
    let stdout = std::io::stdout();
    // Listings write hundreds of megabytes: 64 KiB at a time, not the default 8 KiB.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = run(args, env, &mut out).and_then(|()| out.flush().map_err(Error::Output));
    match result {
        Ok(()) => error::EXIT_OK,
        Err(error) => {
            output::print_error(&error);
            error.exit_code()
        }
    }
}

/// Parses `args` and runs the command, writing data to `out`.
pub(crate) fn run(args: Vec<OsString>, env: Env, out: &mut dyn Write) -> Result<()> {
    let cli = Cli::try_parse_from(args)?;
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !env.no_color && !env.term_dumb && std::io::stdout().is_terminal(),
    };
    let now = time::when::now_from_env(env.gripe_now.as_deref())?;
    let cwd = std::env::current_dir().map_err(|source| Error::Read {
        path: ".".into(),
        source,
    })?;
    let ctx = Ctx::new(cwd, now, Painter { color }, env, cli.dir);
    commands::dispatch(cli.command, &ctx, out)
}
