//! One module per subcommand, each with `run(args, ctx, out)`; [`dispatch`] picks one.
//! Shared here: reading text arguments, scanning with error reporting, writing output.

pub mod advance;
pub mod check;
pub mod due;
pub mod edit;
pub mod export;
pub mod followup;
pub mod import;
pub mod init;
pub mod list;
pub mod note;
pub mod open;
pub mod reopen;
pub mod set;
pub mod show;

use std::io::Read;
use std::io::Write;

use crate::cli::Command;
use crate::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::filter::Filter;
use crate::filter::FilterInput;
use crate::output::printable;
use crate::store::Loaded;

pub fn dispatch(command: Command, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    match command {
        Command::Init => init::run(ctx),
        Command::Open(args) => open::run(&args, ctx, out),
        Command::List(args) => list::run(&args, ctx, out),
        Command::Show(args) => show::run(&args, ctx, out),
        Command::Note(args) => note::run(&args, ctx),
        Command::Advance(args) => advance::run(&args, ctx),
        Command::Set(args) => set::run(&args, ctx),
        Command::Reopen(args) => reopen::run(&args, ctx),
        Command::Close(args) => advance::close(&args, ctx),
        Command::Edit(args) => edit::run(&args, ctx),
        Command::Followup(args) => followup::run(&args, ctx, out),
        Command::Due(args) => due::run(&args, ctx, out),
        Command::Check(args) => check::run(&args, ctx, out),
        Command::Import(args) => import::run(&args, ctx, out),
        Command::Export(args) => export::run(&args, ctx, out),
    }
}

/// A text argument; `-` reads it from stdin. Empty text is refused.
pub fn text_arg(value: &str, what: &str) -> Result<String> {
    let text = if value == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| Error::Read {
                path: "<stdin>".into(),
                source,
            })?;
        text
    } else {
        value.to_string()
    };
    let text = text.trim_end().to_string();
    if text.trim().is_empty() {
        return Err(Error::usage(format!("the {what} is empty")));
    }
    Ok(text)
}

/// Writes command output to stdout.
pub fn emit(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes()).map_err(Error::Output)
}

/// Tells the person what happened, on stderr (stdout carries only data).
pub fn say(message: &str) {
    eprintln!("{}", printable(message));
}

/// Every complaint that passes `filter`, plus the ids of all complaints (for short ids). Files
/// that cannot be read are reported on stderr as they are found and counted; the caller
/// finishes its output and then returns [`finish`]'s error.
pub struct Selection {
    pub complaints: Vec<Loaded>,
    pub all_ids: Vec<String>,
    pub bad_files: usize,
}

pub fn select(ctx: &Ctx, filter: &FilterInput) -> Result<Selection> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let workflow = &store.config.workflow;
    let filter = Filter::new(filter, workflow, &ctx.now, &calendar)?;
    let scan = store.scan();
    for error in &scan.errors {
        say(&format!("gripe: error: {error}"));
    }
    let all_ids = scan
        .complaints
        .iter()
        .map(|l| l.complaint.id.clone())
        .collect();
    let complaints = scan
        .complaints
        .into_iter()
        .filter(|l| filter.matches(&l.complaint, workflow, &calendar))
        .collect();
    Ok(Selection {
        complaints,
        all_ids,
        bad_files: scan.errors.len(),
    })
}

impl Selection {
    /// Success, or the error for the bad files already reported.
    pub fn finish(&self) -> Result<()> {
        match self.bad_files {
            0 => Ok(()),
            count => Err(Error::BadFiles { count }),
        }
    }
}
