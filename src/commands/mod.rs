//! One module per subcommand, each with `run(args, ctx, out)`; [`dispatch`] picks one.
//! Shared here: reading text arguments, scanning with error reporting, writing output.

pub(crate) mod advance;
pub(crate) mod change;
pub(crate) mod check;
pub(crate) mod context;
pub(crate) mod due;
pub(crate) mod edit;
pub(crate) mod export;
pub(crate) mod followup;
pub(crate) mod forget;
pub(crate) mod git;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod list;
pub(crate) mod mail;
pub(crate) mod merge_file;
pub(crate) mod note;
pub(crate) mod open;
pub(crate) mod purge;
pub(crate) mod redact;
pub(crate) mod reopen;
pub(crate) mod report;
pub(crate) mod resolve;
pub(crate) mod respond;
pub(crate) mod set;
pub(crate) mod show;
pub(crate) mod trends;

use std::borrow::Cow;
use std::io::Read;
use std::io::Write;
use std::path::Path;

use crate::analysis::filter::Filter;
use crate::analysis::filter::FilterInput;
use crate::cli::Command;
use crate::cli::CommitArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::git::Repo;
use crate::model::complaint::Complaint;
use crate::model::id::ShortIds;
use crate::output::json;
use crate::output::printable;
use crate::output::spool::Batch;
use crate::output::spool::Sorted;
use crate::output::spool::Spool;
use crate::output::truncate;
use crate::store::Depth;
use crate::store::Loaded;
use crate::store::Reading;
use crate::store::Store;
use crate::store::Wanted;

pub(crate) fn dispatch(command: Command, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    match command {
        Command::Init(args) => init::run(&args, ctx),
        Command::Open(args) => open::run(&args, ctx, out),
        Command::List(args) => list::run(&args, ctx, out),
        Command::Show(args) => show::run(&args, ctx, out),
        Command::Note(args) => note::run(&args, ctx),
        Command::Advance(args) => advance::run(&args, ctx),
        Command::Set(args) => set::run(&args, ctx),
        Command::Reopen(args) => reopen::run(&args, ctx),
        Command::Respond(args) => respond::run(&args, ctx),
        Command::Escalate(args) => respond::escalate(&args, ctx),
        Command::Close(args) => advance::close(&args, ctx),
        Command::Edit(args) => edit::run(&args, ctx),
        Command::Completions(args) => crate::cli::complete::write_script(&args.shell, out),
        Command::Man => crate::cli::complete::write_man(out),
        Command::Followup(args) => followup::run(&args, ctx, out),
        Command::Due(args) => due::run(&args, ctx, out),
        Command::Check(args) => check::run(&args, ctx, out),
        Command::Trends(args) => trends::run(&args, ctx, out),
        Command::Report(args) => report::run(&args, ctx, out),
        Command::Resolve(args) => resolve::run(&args, ctx),
        Command::Git(args) => git::run(&args, ctx, out),
        Command::MergeFile(args) => merge_file::run(&args, ctx),
        Command::Import(args) => import::run(&args, ctx, out),
        Command::Export(args) => export::run(&args, ctx, out),
        Command::Redact(args) => redact::run(&args, ctx, out),
        Command::Forget(args) => forget::run(&args, ctx, out),
        Command::Purge(args) => purge::run(&args, ctx, out),
    }
}

/// The work tree to commit a change in, when the person asked for commits (`--commit`, or
/// `commit = true` in gripe.toml, unless `--no-commit`). Called before anything is written, so
/// a change is never made that cannot be committed as asked.
pub(crate) fn commit_repo(ctx: &Ctx, args: &CommitArgs) -> Result<Option<Repo>> {
    let store = ctx.store()?;
    if args.no_commit || !(args.commit || store.config.commit) {
        return Ok(None);
    }
    let repo = Repo::find(&ctx.cwd.join(&store.dir))?;
    if repo.is_none() {
        return Err(Error::usage_hint(
            format!(
                "--commit: {} is not in a git repository",
                store.dir.display()
            ),
            "run `git init` first, or leave out --commit (and `commit = true` in gripe.toml)",
        ));
    }
    Ok(repo)
}

/// Commits the file a command just wrote, and nothing else, with a message such as
/// `gripe: note on k7m2 "Charged twice"`; does nothing without a repository to commit in.
pub(crate) fn commit(ctx: &Ctx, repo: Option<&Repo>, path: &Path, action: &str) -> Result<()> {
    let Some(repo) = repo else {
        return Ok(());
    };
    let title = ctx.store()?.load(path)?.complaint.title;
    let message = format!("gripe: {action} \"{}\"", truncate(title.trim(), 60));
    let committed = repo
        .commit_file(&ctx.cwd.join(path), &message)
        .map_err(|e| Error::External {
            what: format!("committing {} (the change is saved)", path.display()),
            message: e.to_string(),
        })?;
    if committed {
        say(&format!("committed: {message}"));
    }
    Ok(())
}

/// A text argument; `-` reads it from stdin. Empty text is refused.
pub(crate) fn text_arg(value: &str, what: &str) -> Result<String> {
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

/// An optional `-m` message: `-` reads it from stdin; given but empty is refused.
pub(crate) fn message_arg(message: Option<&str>) -> Result<Option<String>> {
    message.map(|m| text_arg(m, "message")).transpose()
}

/// Folds every complaint into accumulators as [`Store::fold`] does, reporting each file that
/// cannot be read on stderr; returns the result and how many files were bad (for
/// [`bad_files`] once the output is written).
pub(crate) fn gather<'f, A: Send>(
    store: &Store,
    reading: impl Into<Reading<'f>>,
    init: impl Fn() -> A + Sync + Send,
    add: impl Fn(&mut A, Loaded) + Sync + Send,
    merge: impl Fn(A, A) -> A + Sync + Send,
) -> (A, usize) {
    let (acc, errors) = store.fold(
        reading,
        || (init(), Vec::new()),
        |(acc, _), loaded| add(acc, loaded),
        |(a, mut errors), (b, more)| {
            errors.extend(more);
            (merge(a, b), errors)
        },
        |(_, errors), error| errors.push(error),
    );
    // In the order of their files, whatever order the threads found them in.
    let mut errors = errors;
    errors.sort_by(|a, b| a.file().cmp(&b.file()));
    for error in &errors {
        say(&format!("gripe: error: {error}"));
    }
    (acc, errors.len())
}

/// Success, or the error for `count` bad files already reported.
pub(crate) fn bad_files(count: usize) -> Result<()> {
    match count {
        0 => Ok(()),
        count => Err(Error::BadFiles { count }),
    }
}

/// Writes command output to stdout.
pub(crate) fn emit(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes()).map_err(Error::Output)
}

/// Writes a JSON document with its `schema` (see [`json::Envelope`]) to stdout.
pub(crate) fn emit_json<T: serde::Serialize>(
    out: &mut dyn Write,
    schema: &str,
    body: &T,
) -> Result<()> {
    json::write(out, schema, body).map_err(Error::Output)
}

/// Tells the person what happened, on stderr (stdout carries only data).
pub(crate) fn say(message: &str) {
    // A closed stderr (`2>&-`, a pipe that went away) must not stop gripe: messages are
    // for people, and there is nobody to read them.
    let _ = writeln!(std::io::stderr(), "{}", printable(message));
}

/// What a command keeps of the complaints that pass its filter. Files that cannot be read are
/// reported on stderr and counted; the caller decides what they mean for it.
pub(crate) struct Selection<T> {
    pub(crate) items: Vec<T>,
    pub(crate) bad_files: usize,
}

/// Reads every complaint in parallel and keeps `keep(complaint)` of those that pass `filter`
/// (`None` from `keep` drops it too). Only what `keep` returns is held, so memory follows what
/// the command shows, not how many files there are.
pub(crate) fn select<T: Send>(
    ctx: &Ctx,
    filter: &FilterInput,
    keep: impl Fn(Loaded) -> Option<T> + Sync + Send,
) -> Result<Selection<T>> {
    let (items, bad_files) = scan(
        ctx,
        filter,
        Vec::new,
        |items, loaded| {
            if let Some(item) = keep(loaded) {
                items.push(item);
            }
        },
        |mut items, more| {
            items.extend(more);
            items
        },
    )?;
    Ok(Selection { items, bad_files })
}

/// Folds the complaints that pass `filter` as [`gather`] does. Files are read whole (after a
/// first look at what the filter needs), so that a file broken anywhere is a bad file of the
/// scan and never a selected complaint: a count or a `--limit` then holds when the complaints
/// are written.
fn scan<A: Send>(
    ctx: &Ctx,
    filter: &FilterInput,
    init: impl Fn() -> A + Sync + Send,
    add: impl Fn(&mut A, Loaded) + Sync + Send,
    merge: impl Fn(A, A) -> A + Sync + Send,
) -> Result<(A, usize)> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let workflow = &store.config.workflow;
    let filter = Filter::new(filter, workflow, &ctx.now, &calendar)?;
    let wanted = |c: &Complaint| filter.matches(c, workflow, &calendar);
    Ok(gather(
        store,
        reading(&filter, &wanted, true),
        init,
        |acc, loaded| {
            if filter.matches(&loaded.complaint, workflow, &calendar) {
                add(acc, loaded);
            }
        },
        merge,
    ))
}

/// How a scan for `filter` reads: each file whole, but first only its header where `filter`
/// asks about the header alone and `header_first`, so only the complaints `wanted` passes
/// there are read whole.
pub(crate) fn reading<'f>(filter: &Filter, wanted: Wanted<'f>, header_first: bool) -> Reading<'f> {
    Reading {
        depth: Depth::Full,
        first_look: filter
            .first_look()
            .filter(|_| header_first)
            .map(|depth| (depth, wanted)),
    }
}

/// What a listing made of the complaints that pass its filter, while it read them: each one's
/// piece of output with its sort key ([`spool`]), and how many files were bad.
pub(crate) struct Spooled<K> {
    pub(crate) pieces: Sorted<K>,
    pub(crate) bad_files: usize,
}

/// Reads every complaint in parallel, as [`select`] does, and for each that passes `filter`
/// has `make` write its piece of output into the buffer it is given and return its sort key
/// (`None` leaves it out). The pieces are kept in a [`Spool`], so each file is read once and
/// only the keys are held in memory; sorted, they are written in order.
pub(crate) fn spool<K: Send>(
    ctx: &Ctx,
    filter: &FilterInput,
    make: impl Fn(Loaded, &mut Vec<u8>) -> Option<K> + Sync + Send,
) -> Result<Spooled<K>> {
    spool_each(ctx, filter, |loaded, piece, put| {
        piece.clear();
        if let Some(key) = make(loaded, piece) {
            put(key, piece);
        }
    })
}

/// [`spool`] for commands that make any number of pieces of one complaint (`due`, one per
/// item): `make` gets a buffer and hands each piece it makes in it to `put` with its key.
pub(crate) fn spool_each<K: Send>(
    ctx: &Ctx,
    filter: &FilterInput,
    make: impl Fn(Loaded, &mut Vec<u8>, &mut dyn FnMut(K, &[u8])) + Sync + Send,
) -> Result<Spooled<K>> {
    let spool = Spool::default();
    let ((batch, _), bad_files) = scan(
        ctx,
        filter,
        || (Batch::default(), Vec::new()),
        |(batch, piece), loaded| {
            make(loaded, piece, &mut |key, bytes| {
                spool.add(batch, key, bytes)
            });
        },
        |(a, piece), (b, _)| (spool.merge(a, b), piece),
    )?;
    let pieces = spool.finish(batch).map_err(Error::Output)?;
    Ok(Spooled { pieces, bad_files })
}

impl<K> Spooled<K> {
    /// Success, or the error for the bad files already reported.
    pub(crate) fn finish(&self) -> Result<()> {
        bad_files(self.bad_files)
    }
}

/// Writes spooled pieces of JSON as `shape` (one per line, or the elements of a document's
/// `complaints` array, with their `count`); with `short_ids`, each with its complaint's short
/// id ([`with_short_id`]; the key gives the whole id).
pub(crate) fn write_json<K: AsRef<str>>(
    out: &mut dyn Write,
    shape: json::Shape<'_>,
    pieces: &Sorted<K>,
    short_ids: Option<&ShortIds>,
) -> Result<()> {
    fn piece<'b>(bytes: &'b [u8], id: &str, short_ids: Option<&ShortIds>) -> Cow<'b, [u8]> {
        match short_ids {
            Some(short_ids) => with_short_id(bytes, id, short_ids, ShortAt::First),
            None => Cow::Borrowed(bytes),
        }
    }
    match shape {
        json::Shape::Lines => pieces.write_each(|key, bytes| {
            out.write_all(&piece(bytes, key.as_ref(), short_ids))?;
            out.write_all(b"\n")
        }),
        json::Shape::Document { schema } => {
            let head = [("count", pieces.len().into())];
            json::write_array(out, schema, &head, "complaints", |element| {
                pieces.write_each(|key, bytes| element(&piece(bytes, key.as_ref(), short_ids)))
            })
        }
    }
    .map_err(Error::Output)
}

/// Where a piece of output made with a complaint's whole id has its short id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShortAt {
    /// The first place the id is written (the short id comes first in every piece of a
    /// listing that has one).
    First,
    /// Every place after the first, which holds the whole id (`due --format json`: its `id`
    /// comes before its `short_id`).
    AfterFirst,
}

/// A piece of output made with a complaint's whole `id` where its short id goes, with the
/// short id put there.
pub(crate) fn with_short_id<'p>(
    piece: &'p [u8],
    id: &str,
    short_ids: &ShortIds,
    at: ShortAt,
) -> Cow<'p, [u8]> {
    let short = short_ids.get(id);
    let found = memchr::memmem::find_iter(piece, id.as_bytes());
    let places: Vec<usize> = match at {
        ShortAt::First => found.take(1).collect(),
        ShortAt::AfterFirst => found.skip(1).collect(),
    };
    if places.is_empty() || short.len() >= id.len() {
        return Cow::Borrowed(piece);
    }
    let mut shortened = Vec::with_capacity(piece.len());
    let mut copied = 0;
    for start in places {
        shortened.extend_from_slice(&piece[copied..start]);
        shortened.extend_from_slice(short.as_bytes());
        copied = start + id.len();
    }
    shortened.extend_from_slice(&piece[copied..]);
    Cow::Owned(shortened)
}
