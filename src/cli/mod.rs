//! The command line: clap types only. Doc comments are the `--help` text. Commands turn these
//! into plain requests once; domain modules never see clap.
//! Also the shell completions ([`complete`]). Uses `analysis` (the filter request) and `output`
//! (the format names); nothing below uses it.

pub(crate) mod complete;

use std::path::PathBuf;

use clap::Args;
use clap::Parser;
use clap::Subcommand;
use clap::ValueEnum;

use crate::analysis::filter::FilterInput;
use crate::cli::complete::complaint_ids;
use crate::output::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (an empty result is success)
  1  `gripe check` found problems of a --fail-on kind; `gripe git setup --check`: not set up
  2  usage error: bad flag, value or date, or a step the workflow refuses
  3  no complaint matches the id, or the prefix matches several
  4  invalid complaint or config file(s), one id in two files, or an import that wrote nothing
     because of bad rows (--strict, --dry-run)
  5  write refused or failed: conflict markers, lock held, file changed meanwhile, disk
  6  a tool gripe runs failed: git, the editor
  7  `gripe import` skipped rows it could not import (and imported the rest)

Environment:
  GRIPE_DIR   the complaint folder (like --dir)
  GRIPE_USER  the author of changes (else git config user.name, else $USER)
  GRIPE_NOW   the current time, RFC 3339 (for tests and reproducible reports)
  NO_COLOR    turns colour off";

/// The variable that names the complaint folder, like `--dir`.
pub(crate) const DIR_VAR: &str = "GRIPE_DIR";

/// gripe: log customer complaints in one line, walk them through service recovery, and see
/// where they cluster. Each complaint is a TOML file in git.
#[derive(Debug, Parser)]
#[command(name = "gripe", version, after_help = EXIT_CODES, max_term_width = 100)]
pub(crate) struct Cli {
    /// The complaint folder (default: found from here upwards, like git finds .git)
    #[arg(long, global = true, env = DIR_VAR, value_name = "PATH")]
    pub(crate) dir: Option<PathBuf>,

    /// When to use colour
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub(crate) color: ColorChoice,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create complaints/ and a commented gripe.toml here
    #[command(
        after_help = "Examples:\n  gripe init\n  gripe init --git    # also `gripe git setup`\n  gripe --dir support/complaints init"
    )]
    Init(InitArgs),

    /// Log a complaint in one line; prints its short id
    #[command(after_help = "Examples:
  gripe open \"Charged twice for order 4411\" --customer \"Acme Corp\" --channel phone \\
      --category billing --severity high -m \"Customer called, upset; listened fully.\"
  echo \"Long narrative...\" | gripe open \"Parcel never arrived\" -m -
  gripe open            # on a terminal: opens $EDITOR on a template")]
    Open(OpenArgs),

    /// One line per complaint, newest first
    #[command(after_help = "Examples:
  gripe list --open --assignee mark
  gripe list --category billing --since 30d --format csv > billing.csv")]
    List(ListArgs),

    /// The whole complaint: header, resolution, follow-ups and timeline
    #[command(after_help = "Examples:\n  gripe show k7m2\n  gripe show k7m2 --format json")]
    Show(ShowArgs),

    /// Append a note to the timeline
    #[command(
        visible_alias = "annotate",
        after_help = "Examples:
  gripe note k7m2 Called back, refund confirmed by the bank
  gripe note k7m2 - < call-summary.txt"
    )]
    Note(NoteArgs),

    /// Move a complaint to the next stage, or forward to --to STAGE
    #[command(after_help = "Examples:
  gripe advance k7m2 -m \"Apologized and promised a refund by Friday\"
  gripe advance k7m2 --to resolved
  gripe advance k7m2 --to closed --force   # skips entry requirements; recorded as forced")]
    Advance(AdvanceArgs),

    /// Change header fields, customer.*, resolution.* or fields.*; each change is an event
    #[command(after_help = "Examples:
  gripe set k7m2 severity=high assignee=mark
  gripe set k7m2 resolution.action=\"refunded 4,400 yen\" resolution.avoidable=true
  gripe set k7m2 fields.region=Kansai
  gripe set k7m2 component=            # an empty value removes the key")]
    Set(SetArgs),

    /// Move a complaint back to investigating; counted as a reopen
    #[command(
        after_help = "Example:\n  gripe reopen k7m2 -m \"Refund bounced; customer called again\""
    )]
    Reopen(ReopenArgs),

    /// Record a letter sent to the customer: what meets a regulator's clock
    #[command(after_help = "Examples:
  gripe respond k7m2 --kind holding -m \"Still investigating; we will answer by 15 February\"
  gripe respond k7m2 --kind final --sent 2026-12-22T15:00 -m \"Upheld; refund of GBP 120 made\"

Kinds: acknowledgement, summary (FCA summary resolution), holding (FCA 8-week letter, payment
services holding reply, CFPB in-progress response), final, extension (Housing Ombudsman, once
per stage). A stage change meets no regulatory clock; only a letter does.")]
    Respond(RespondArgs),

    /// Take a complaint to stage 2 of a two-stage procedure (Housing Ombudsman code)
    #[command(
        after_help = "Example:\n  gripe escalate k7m2 -m \"Customer unhappy with the stage 1 response\""
    )]
    Escalate(EscalateArgs),

    /// Close a complaint (needs resolution.satisfied to be answered)
    #[command(
        after_help = "Example:\n  gripe set k7m2 resolution.satisfied=true && gripe close k7m2"
    )]
    Close(CloseArgs),

    /// Schedule a follow-up, mark one done, or list them
    #[command(
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true,
        after_help = "Examples:
  gripe followup k7m2 --in 3bd Ask whether the refund arrived
  gripe followup k7m2 --on 2026-12-01 Call back about the replacement
  gripe followup done k7m2 -m \"Refund arrived; customer happy\"
  gripe followup list k7m2

Durations: 30m, 4h, 3d, 2w, and business time 8bh, 3bd (gripe.toml business_hours, holidays)."
    )]
    Followup(FollowupArgs),

    /// The agenda: overdue, today's and upcoming follow-ups, promises and SLA deadlines
    #[command(after_help = "Examples:
  gripe due                       # the next 7 days, across all complaints
  gripe due --mine --within 2d
  gripe due --format ics > followups.ics    # subscribe from any calendar")]
    Due(DueArgs),

    /// Validate every file and report what needs attention; the CI gate
    #[command(after_help = "Examples:
  gripe check                              # fails (exit 1) on invalid files and conflicts
  gripe check --fail-on overdue,sla        # also fails on overdue follow-ups and SLA breaches
  gripe check --fail-on all --format markdown >> \"$GITHUB_STEP_SUMMARY\"

Kinds: invalid (unreadable or inconsistent files, duplicate ids), conflicts (git conflict
markers), layout (files not at YYYY/MM/<id>.toml for their opening month), overdue (follow-ups), sla (breached clocks of open complaints), promises (broken
promises of unresolved complaints), pii (email addresses, phone, card and account numbers,
IBANs, NI and SSN numbers, and gripe.toml [privacy] patterns, written outside [customer]; shown
masked), retention (closed complaints kept past gripe.toml [privacy] retain),
regulatory-breach (a regulator's deadline passed with its letter not sent). Exit 1 when a
finding of a --fail-on kind exists, 4 when files cannot be read at all, 0 otherwise.")]
    Check(CheckArgs),

    /// The team's dashboard: open work, what needs action, volume, trends and recovery metrics
    #[command(after_help = "Examples:
  gripe report
  gripe report --category billing --since 90d
  gripe report --as-of 2026-10-31             # as it would have been that day
  gripe report --format json | jq .metrics
  gripe report --format markdown >> \"$GITHUB_STEP_SUMMARY\"
  gripe report --format html > report.html    # one page with charts, to share or keep
  gripe report --return fca --period 2026-H1 --format csv   # the FCA complaints return
  gripe report --return cfpb --period 2026-Q3

Metrics follow DOMAIN.md: medians and p90 by the nearest-rank method; rates are fractions
(null when there is nothing to measure). Top groups compare the last 30 days with the 30
before; volume covers the last 12 ISO weeks.")]
    Report(ReportArgs),

    /// Where complaints cluster: counts by one or two dimensions, over time, with spikes
    #[command(after_help = "Examples:
  gripe trends --by category                       # totals with bars
  gripe trends --by hour,assignee                  # a heat map: who gets complaints when
  gripe trends --by component --every week --since 12w   # a series per component, spikes flagged
  gripe trends --by fields.region --every month --format csv

Dimensions: category, channel, component, severity, assignee, stage, tag, customer, fields.KEY,
hour and weekday (of opening, in the team's time zone). Missing values count as (none).
A spike: the latest period is at least --spike-threshold times the mean of the previous
--spike-window periods, and at least --spike-min-count (gripe.toml [trends]; defaults 2.0, 8, 5).")]
    Trends(TrendsArgs),

    /// Mend complaint files that hold git conflict markers by merging both sides
    #[command(after_help = "Examples:
  gripe resolve                # every complaint file with conflict markers
  gripe resolve k7m2 --commit

For a merge made without gripe's merge driver (on a hosting service, or in a clone where
`gripe git setup` was not run): both sides are read back from the markers (with the base when
git wrote diff3-style markers) and merged as the driver would. A file in the middle of a git
merge is staged once mended. Exit 5 when a file cannot be mended: both sides changed one key and
one of the changes was made by hand; everything else is merged and the markers are left around
that key alone.")]
    Resolve(ResolveArgs),

    /// Set up git for complaint files: the merge driver that merges them event by event
    #[command(after_help = "Examples:
  gripe git setup             # .gitattributes and this clone's git config; run once per clone
  gripe git setup --check     # exit 1 when the driver is missing or its gripe has moved")]
    Git(GitArgs),

    /// The git merge driver for one complaint file; git runs it, `gripe git setup` registers it
    #[command(hide = true)]
    MergeFile(MergeFileArgs),

    /// Print the shell completion script (complaint ids complete too)
    #[command(after_help = "Examples:
  echo 'source <(gripe completions bash)' >> ~/.bashrc
  echo 'source <(gripe completions zsh)' >> ~/.zshrc
  gripe completions fish > ~/.config/fish/completions/gripe.fish
  gripe completions powershell >> $PROFILE

The script calls gripe back for each completion, so ids of the complaint folder you are in
complete with their titles, and new commands complete without regenerating it.")]
    Completions(CompletionsArgs),

    /// Print the manual page (roff), made from the same definitions as --help
    #[command(
        after_help = "Examples:\n  gripe man | man -l -\n  gripe man > /usr/local/share/man/man1/gripe.1"
    )]
    Man,

    /// Bring complaints in from a CSV file of another system, or from a gripe export
    #[command(after_help = "Examples:
  gripe import complaints.csv --preset cfpb --dry-run     # what would be created or updated
  gripe import complaints.csv --preset cfpb --rejects rejects.csv   # then fix and import rejects.csv
  gripe import tickets.csv --map external_ref=Ticket,title=Subject|Category,opened=Created,channel=Source
  gripe import export.csv --map ... --date-format \"%d/%m/%Y %H:%M\" --timezone Europe/Paris
  gripe import backup.jsonl                                # a `gripe export`, ids and history kept

Importing the same file again creates nothing and changes nothing; a row whose values changed
updates its complaint with `set` events. A blank cell takes the next column of `A|B` (title:
else `(no title)`), and the complaint says so. Rows that cannot be imported are listed with
their row number (the header is row 1), the rest is imported, and the command exits 7; with
--strict nothing is written then (exit 4). Dates: ISO 8601, MM/DD/YYYY, DD/MM/YYYY, DD-MM-YYYY,
two-digit years, 12-hour clocks with AM/PM, Excel serial numbers; the form is decided per column.

--map targets: opened, note (the first note), acknowledged and closed (dates of stage events),
and the keys of `gripe set`: title, severity, channel, category, component, assignee, tags,
promised_by, external_ref, customer.name, customer.contact, resolution.*, fields.NAME.
title and external_ref are required. Dates: YYYY-MM-DD, RFC 3339, MM/DD/YYYY [HH:MM[:SS]].")]
    Import(ImportArgs),

    /// Write complaints out, every field, as JSON lines, JSON or CSV
    #[command(after_help = "Examples:
  gripe export > backup.jsonl                  # everything; `gripe import backup.jsonl` restores it
  gripe export --closed --since 90d --format csv > closed.csv
  gripe export --category billing --format json")]
    Export(ExportArgs),

    /// Replace personal data in one complaint with [redacted:KIND], keeping the file's layout
    #[command(after_help = "Examples:
  gripe redact k7m2 --kind all --dry-run     # what would change, masked
  gripe redact k7m2 --kind email,card
  gripe redact k7m2 --field customer.phone
  gripe redact k7m2 --pattern 'ORD-[0-9]{6}'

Only free text is searched by --kind and --pattern (title, notes, resolution, custom fields,
follow-up notes); --field also redacts the key's history and every text that repeats its value.
A `redacted` event records the kinds and counts, never the values. Git history still holds the
old text: see `gripe forget` for removing it.")]
    Redact(RedactArgs),

    /// Carry out an erasure request: pseudonymise a customer and redact their data everywhere
    #[command(after_help = "Examples:
  gripe forget --customer \"Jane Doe\" --request DSAR-2026-014 --dry-run
  gripe forget --contact cust-4471 --request DSAR-2026-015 --received 2026-12-01

In every complaint of that customer the name and the contact become stable pseudonyms
(erased-<tag>, one per distinct name and contact, so counts, trends and repeat-complainant
figures stay the same), the other customer fields are removed, and their values and every detected piece of personal data are redacted
from the texts. A `forgotten` event records the request. gripe never rewrites git history: it
prints the commits that still hold the old text and the `git filter-repo` command, with a
replacement file it writes, that removes it (then force-push and have every clone re-cloned).")]
    Forget(ForgetArgs),

    /// Delete (or --anonymise) closed complaints kept past gripe.toml [privacy] retain
    #[command(after_help = "Examples:
  gripe purge --past-retention --dry-run
  gripe purge --past-retention --anonymise     # keep anonymous records for the trends

An anonymised record keeps the id, dates, stages, severity, category, channel, component, tags,
root cause and the satisfaction answer; the customer, texts, custom fields and names go.")]
    Purge(PurgeArgs),

    /// Open the complaint file in $EDITOR; on save it is validated, and reopened on error
    #[command(
        after_help = "Example:\n  gripe edit k7m2\n\nUses $VISUAL, else $EDITOR, else vi. \
Needs a terminal, unless GRIPE_EDITOR names the editor command explicitly."
    )]
    Edit(EditArgs),
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Also set up gripe's merge driver for this git repository (`gripe git setup`)
    #[arg(long)]
    pub(crate) git: bool,
}

/// The text of a note or follow-up: the words after the id, or `-m TEXT` as the other
/// commands take their notes.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub(crate) struct TextArgs {
    /// The text ("-" reads it from stdin); several words need no quotes
    #[arg(num_args = 1.., value_name = "TEXT")]
    pub(crate) words: Vec<String>,
    /// The text as an option instead, as `open`, `advance` and `close` take theirs
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub(crate) message: Option<String>,
}

impl TextArgs {
    /// The text as given, either way.
    pub(crate) fn text(&self) -> String {
        self.message.clone().unwrap_or_else(|| self.words.join(" "))
    }
}

/// Who makes a change, and whether to commit it.
#[derive(Debug, Args)]
pub(crate) struct ChangeArgs {
    /// Who made the change (default: GRIPE_USER, git config user.name, $USER)
    #[arg(long, value_name = "NAME")]
    pub(crate) by: Option<String>,
    #[command(flatten)]
    pub(crate) commit: CommitArgs,
}

/// Whether to commit a change in git.
#[derive(Debug, Args)]
pub(crate) struct CommitArgs {
    /// Commit the changed file alone, with a message saying what changed (the default with
    /// `commit = true` in gripe.toml)
    #[arg(long)]
    pub(crate) commit: bool,
    /// Do not commit, even with `commit = true` in gripe.toml
    #[arg(long, conflicts_with = "commit")]
    pub(crate) no_commit: bool,
}

#[derive(Debug, Args)]
pub(crate) struct OpenArgs {
    /// What went wrong, in a few words
    pub(crate) title: Option<String>,
    /// Customer name or reference
    #[arg(long)]
    pub(crate) customer: Option<String>,
    /// How to reach the customer (prefer a reference over raw personal data)
    #[arg(long)]
    pub(crate) contact: Option<String>,
    /// How the complaint came in: email, phone, chat, social, web, in-person, letter, other
    #[arg(long)]
    pub(crate) channel: Option<String>,
    #[arg(long)]
    pub(crate) category: Option<String>,
    /// low, medium, high or critical
    #[arg(long, default_value = "medium")]
    pub(crate) severity: String,
    /// The part of the product or service that failed
    #[arg(long)]
    pub(crate) component: Option<String>,
    #[arg(long)]
    pub(crate) assignee: Option<String>,
    /// A tag (repeat the flag or separate with commas)
    #[arg(long, value_name = "TAG")]
    pub(crate) tag: Vec<String>,
    /// The date given to the customer (a date, or a span like 3bd)
    #[arg(long, value_name = "DATE")]
    pub(crate) promise: Option<String>,
    /// An id in another system (CRM ticket, regulator's reference)
    #[arg(long = "ref", value_name = "EXT")]
    pub(crate) external_ref: Option<String>,
    /// A regulator's timetable this complaint runs under instead of the team's (repeat or
    /// separate with commas; `none` for none): fca_disp, fca_psd, cfpb, asic_rg271,
    /// housing_ombudsman
    #[arg(long, value_name = "REGIME")]
    pub(crate) regime: Vec<String>,
    /// The first note: what the customer said ("-" reads it from stdin)
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub(crate) message: Option<String>,
    /// Log it from an email message instead (an .eml file, or "-" for standard input, as a
    /// mail client's pipe command gives it): title, customer, date and note come from the
    /// message; a reply to a complaint gripe holds becomes a note on it
    #[arg(long, value_name = "FILE", conflicts_with_all = ["title", "customer", "contact", "message", "external_ref", "promise"])]
    pub(crate) email: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) mail: MailArgs,
    /// With --email: redact personal data found in the message's texts (addresses in quoted
    /// history, phone and card numbers) before anything is written
    #[arg(long, requires = "email")]
    pub(crate) redact: bool,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

/// How email is taken in.
#[derive(Debug, Args)]
pub(crate) struct MailArgs {
    /// Save each message's attachments in DIR/<complaint id>/ (the note always lists them,
    /// with their SHA-256)
    #[arg(long, value_name = "DIR")]
    pub(crate) attachments: Option<PathBuf>,
    /// Also thread a message to the complaint whose title is its subject, when its
    /// In-Reply-To and References name no message gripe holds
    #[arg(long)]
    pub(crate) thread_by_subject: bool,
}

#[derive(Debug, Args)]
pub(crate) struct FilterArgs {
    /// Only complaints in these stages
    #[arg(long, value_name = "STAGE", help_heading = "Filter")]
    pub(crate) stage: Vec<String>,
    /// Only complaints that are not closed
    #[arg(long, conflicts_with = "closed", help_heading = "Filter")]
    pub(crate) open: bool,
    /// Only closed complaints
    #[arg(long, help_heading = "Filter")]
    pub(crate) closed: bool,
    #[arg(long, value_name = "SEVERITY", help_heading = "Filter")]
    pub(crate) severity: Vec<String>,
    #[arg(long, value_name = "CATEGORY", help_heading = "Filter")]
    pub(crate) category: Vec<String>,
    #[arg(long, value_name = "CHANNEL", help_heading = "Filter")]
    pub(crate) channel: Vec<String>,
    #[arg(long, value_name = "COMPONENT", help_heading = "Filter")]
    pub(crate) component: Vec<String>,
    #[arg(long, value_name = "NAME", help_heading = "Filter")]
    pub(crate) assignee: Vec<String>,
    #[arg(long, value_name = "TAG", help_heading = "Filter")]
    pub(crate) tag: Vec<String>,
    /// Customer name or contact contains this text
    #[arg(long, value_name = "TEXT", help_heading = "Filter")]
    pub(crate) customer: Option<String>,
    /// A custom field equals a value
    #[arg(long, value_name = "KEY=VALUE", help_heading = "Filter")]
    pub(crate) field: Vec<String>,
    /// Opened on or after this date (or a span back from now: 30d, 12w)
    #[arg(long, value_name = "DATE", help_heading = "Filter")]
    pub(crate) since: Option<String>,
    /// Opened on or before this date
    #[arg(long, value_name = "DATE", help_heading = "Filter")]
    pub(crate) until: Option<String>,
    /// Text anywhere: title, customer, notes, resolution, fields
    #[arg(long, value_name = "TEXT", help_heading = "Filter")]
    pub(crate) grep: Option<String>,
}

impl FilterArgs {
    pub(crate) fn to_input(&self) -> FilterInput {
        FilterInput {
            stage: self.stage.clone(),
            open: self.open,
            closed: self.closed,
            severity: self.severity.clone(),
            category: self.category.clone(),
            channel: self.channel.clone(),
            component: self.component.clone(),
            assignee: self.assignee.clone(),
            tag: self.tag.clone(),
            customer: self.customer.clone(),
            field: self.field.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            grep: self.grep.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
    /// Show at most N complaints
    #[arg(short = 'n', long, value_name = "N")]
    pub(crate) limit: Option<usize>,
    /// Only open complaints that need someone now: an overdue follow-up, a broken or at-risk
    /// promise, a breached SLA clock, or not acknowledged yet (what `gripe report` counts)
    #[arg(long)]
    pub(crate) needs_action: bool,
    /// Only complaints with a regulator's deadline passed and its letter not sent
    #[arg(long)]
    pub(crate) breached: bool,
    /// Only complaints with a regulator's deadline within this span (3bd, 2d, 12h) and its
    /// letter not sent yet; with --breached, either
    #[arg(long, value_name = "SPAN")]
    pub(crate) due_within: Option<crate::time::duration::Span>,
    #[arg(long, default_value = "table")]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// Complaint id or unique prefix (4+ characters)
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    #[arg(long, default_value = "table")]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
#[command(mut_arg("words", |a| a.help("The note (\"-\" reads it from stdin); several words need no quotes")))]
pub(crate) struct NoteArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    #[command(flatten)]
    pub(crate) text: TextArgs,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct AdvanceArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    /// Jump forward to this stage
    #[arg(long, value_name = "STAGE")]
    pub(crate) to: Option<String>,
    /// A note on the move: what was done, what was said
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub(crate) message: Option<String>,
    /// Skip the stages' entry requirements (recorded in the event)
    #[arg(long)]
    pub(crate) force: bool,
    /// Do not schedule the follow-up that resolving a complaint schedules
    #[arg(long)]
    pub(crate) no_followup: bool,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct SetArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    /// KEY=VALUE pairs; an empty VALUE removes the key
    #[arg(required = true, num_args = 1.., value_name = "KEY=VALUE")]
    pub(crate) assignments: Vec<String>,
    /// A note on why
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub(crate) message: Option<String>,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RespondArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    /// Which letter was sent
    #[arg(long, value_name = "KIND", value_parser = ["acknowledgement", "summary", "holding", "final", "extension"])]
    pub(crate) kind: String,
    /// When it was sent, if not now (a date, a time, or a span back like 2h)
    #[arg(long, value_name = "WHEN")]
    pub(crate) sent: Option<String>,
    #[command(flatten)]
    pub(crate) text: TextArgs,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct EscalateArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    /// Why the customer escalated
    #[arg(short = 'm', long = "message", value_name = "TEXT", required = true)]
    pub(crate) message: String,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ReopenArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    /// Why it is reopened
    #[arg(short = 'm', long = "message", value_name = "TEXT", required = true)]
    pub(crate) message: String,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct CloseArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    /// A closing note: root cause, what the team learned
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub(crate) message: Option<String>,
    /// Close even if requirements are missing (recorded in the event)
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct EditArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ResolveArgs {
    /// Complaint ids or unique prefixes (default: every file that holds conflict markers)
    #[arg(value_name = "ID", add = complaint_ids())]
    pub(crate) ids: Vec<String>,
    #[command(flatten)]
    pub(crate) commit: CommitArgs,
}

#[derive(Debug, Args)]
pub(crate) struct GitArgs {
    #[command(subcommand)]
    pub(crate) action: GitAction,
}

#[derive(Debug, Subcommand)]
pub(crate) enum GitAction {
    /// Write .gitattributes and this clone's git config for gripe's merge driver (idempotent)
    Setup(GitSetupArgs),
}

#[derive(Debug, Args)]
pub(crate) struct GitSetupArgs {
    /// Only say whether the merge driver is in place (exit 1 when it is not)
    #[arg(long)]
    pub(crate) check: bool,
}

/// What git passes a merge driver: `gripe merge-file %O %A %B %P`.
#[derive(Debug, Args)]
pub(crate) struct MergeFileArgs {
    /// The common ancestor's version (%O); empty when there is none
    pub(crate) base: PathBuf,
    /// Our version (%A); the result is written here
    pub(crate) ours: PathBuf,
    /// Their version (%B)
    pub(crate) theirs: PathBuf,
    /// The file's path in the work tree (%P), for messages and the team's time zone
    pub(crate) path: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").required(true).args(["within", "on"])))]
#[command(mut_arg("words", |a| a.help("What to check with the customer (\"-\" reads it from stdin)")))]
pub(crate) struct FollowupArgs {
    #[command(subcommand)]
    pub(crate) action: Option<FollowupAction>,
    /// Complaint id or unique prefix
    #[arg(required = true, add = complaint_ids())]
    pub(crate) id: Option<String>,
    /// Due after this long: 30m, 4h, 3d, 2w, 8bh, 3bd
    #[arg(long = "in", value_name = "DURATION")]
    pub(crate) within: Option<String>,
    /// Due on this date (or date and time)
    #[arg(long, value_name = "DATE")]
    pub(crate) on: Option<String>,
    #[command(flatten)]
    pub(crate) text: TextArgs,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum FollowupAction {
    /// Mark a follow-up done (the only open one when FID is left out)
    Done(FollowupDoneArgs),
    /// The follow-ups of one complaint
    List(FollowupListArgs),
}

#[derive(Debug, Args)]
pub(crate) struct FollowupDoneArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    /// Follow-up id or unique prefix
    pub(crate) fid: Option<String>,
    /// What the customer said
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub(crate) message: Option<String>,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct FollowupListArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    #[arg(long, default_value = "table")]
    pub(crate) format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImportFormat {
    /// Comma-separated values with a header row; needs --preset or --map
    Csv,
    /// A `gripe export --format json` document
    Json,
    /// One complaint per line, as `gripe export --format jsonl` writes them
    Jsonl,
    /// A mailbox file: every message a complaint, or a note on the complaint it replies to
    Mbox,
    /// A Maildir folder (its cur/ and new/), as fetchmail, getmail or an IMAP sync tool keep it
    Maildir,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Preset {
    /// The US CFPB Consumer Complaint Database, in the layout of its CSV downloads
    Cfpb,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The file to import
    pub(crate) file: PathBuf,
    /// The file's format (default: from its extension: .csv, .json, .jsonl or .ndjson)
    #[arg(long)]
    pub(crate) format: Option<ImportFormat>,
    /// A known CSV layout
    #[arg(long, conflicts_with = "map")]
    pub(crate) preset: Option<Preset>,
    /// Which CSV column fills in what: FIELD=COLUMN pairs, separated by commas or repeated
    #[arg(long, value_name = "FIELD=COLUMN", value_delimiter = ',')]
    pub(crate) map: Vec<String>,
    /// Show what would be created and updated, and write nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Repair nothing, and write nothing if any row cannot be imported as it is
    #[arg(long)]
    pub(crate) strict: bool,
    /// Write the rows that cannot be imported to FILE: the CSV rows as they were, and a
    /// `reason` column; fix them there and import FILE again
    #[arg(long, value_name = "FILE")]
    pub(crate) rejects: Option<PathBuf>,
    /// How the file writes its dates, as a strftime format such as "%d/%m/%Y %H:%M", for the
    /// columns it reads (gripe asks for it when it cannot tell month from day)
    #[arg(long, value_name = "FORMAT")]
    pub(crate) date_format: Option<String>,
    /// The zone of the file's times that have no offset, such as America/New_York (default:
    /// `timezone` in gripe.toml, else the machine's)
    #[arg(long, value_name = "ZONE")]
    pub(crate) timezone: Option<chrono_tz::Tz>,
    /// Who makes the changes to complaints that exist already (default: GRIPE_USER, git config
    /// user.name, $USER)
    #[arg(long, value_name = "NAME")]
    pub(crate) by: Option<String>,
    /// Redact personal data found in the imported texts (titles, narratives, custom fields)
    /// before anything is written
    #[arg(long)]
    pub(crate) redact: bool,
    #[command(flatten)]
    pub(crate) mail: MailArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// One complaint per line (what `gripe import` reads back)
    Jsonl,
    /// One document with a versioned `schema` (gripe.export/1)
    Json,
    /// One row per complaint, every field a column; spreadsheet-safe
    Csv,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
    #[arg(long, default_value = "jsonl")]
    pub(crate) format: ExportFormat,
    /// Leave out the customer and redact personal data found in every text, for sharing
    #[arg(long)]
    pub(crate) anonymised: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(true).args(["kind", "pattern", "field"])))]
pub(crate) struct RedactArgs {
    /// Complaint id or unique prefix
    #[arg(add = complaint_ids())]
    pub(crate) id: String,
    /// Kinds of personal data to redact: email, phone, card, iban, nino, ssn, the names of
    /// gripe.toml [privacy] patterns, or all
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    pub(crate) kind: Vec<String>,
    /// Redact what this regular expression matches in the complaint's texts
    #[arg(long, value_name = "REGEX")]
    pub(crate) pattern: Option<String>,
    /// Redact the value of this key (customer.phone, fields.account), in its history and
    /// wherever a text repeats it
    #[arg(long, value_name = "KEY")]
    pub(crate) field: Option<String>,
    /// Show, masked, what would be redacted, and change nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    #[command(flatten)]
    pub(crate) change: ChangeArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["customer", "contact"])))]
pub(crate) struct ForgetArgs {
    /// The customer's name, as in customer.name (case and surrounding spaces do not matter)
    #[arg(long, value_name = "NAME")]
    pub(crate) customer: Option<String>,
    /// The customer's contact, as in customer.contact
    #[arg(long, value_name = "REF")]
    pub(crate) contact: Option<String>,
    /// The erasure request's own reference, recorded in each complaint
    #[arg(long, value_name = "REF")]
    pub(crate) request: Option<String>,
    /// When the request was received (default: today)
    #[arg(long, value_name = "DATE")]
    pub(crate) received: Option<String>,
    /// Where to write the replacements for `git filter-repo` (default: inside .git, which is
    /// never committed or pushed)
    #[arg(long, value_name = "FILE")]
    pub(crate) replacements: Option<PathBuf>,
    /// List the complaints it would change, and change nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Who carried out the request (default: GRIPE_USER, git config user.name, $USER)
    #[arg(long, value_name = "NAME")]
    pub(crate) by: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct PurgeArgs {
    /// Remove closed complaints kept longer than gripe.toml [privacy] retain (required: purge
    /// removes nothing else)
    #[arg(long, required = true)]
    pub(crate) past_retention: bool,
    /// Keep each as an anonymous record (dates, stages, category, channel, component, root
    /// cause) instead of deleting it, so reports over the years stay whole
    #[arg(long)]
    pub(crate) anonymise: bool,
    /// List what would be removed, and change nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Who purged (recorded in anonymised records)
    #[arg(long, value_name = "NAME")]
    pub(crate) by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DueFormat {
    Table,
    Json,
    Csv,
    /// An iCalendar feed: one event per follow-up, promise and SLA deadline
    Ics,
}

#[derive(Debug, Args)]
pub(crate) struct DueArgs {
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
    /// How far ahead to look
    #[arg(long, value_name = "DURATION", default_value = "7d")]
    pub(crate) within: String,
    /// Only complaints assigned to me (the author gripe would record)
    #[arg(long)]
    pub(crate) mine: bool,
    #[arg(long, default_value = "table")]
    pub(crate) format: DueFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Kinds of finding that make the exit code 1: invalid, conflicts, layout, overdue, sla,
    /// promises, pii, retention, regulatory-breach, all, or none (report only)
    #[arg(
        long,
        value_name = "KINDS",
        default_value = "invalid,conflicts",
        value_delimiter = ','
    )]
    pub(crate) fail_on: Vec<String>,
    #[arg(long, default_value = "table")]
    pub(crate) format: CheckFormat,
    /// Do not look for personal data (no pii findings)
    #[arg(long)]
    pub(crate) no_pii: bool,
}

#[derive(Debug, Args)]
pub(crate) struct TrendsArgs {
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
    /// One or two dimensions, separated by a comma
    #[arg(long = "by", value_name = "DIM[,DIM]")]
    pub(crate) by: String,
    /// Count per period: day, week or month (from the start of the period holding --since)
    #[arg(long, value_name = "PERIOD")]
    pub(crate) every: Option<String>,
    /// A spike is at least this many times the trailing mean
    #[arg(long, value_name = "X")]
    pub(crate) spike_threshold: Option<f64>,
    /// How many previous periods the trailing mean covers
    #[arg(long, value_name = "N")]
    pub(crate) spike_window: Option<usize>,
    /// A spike needs at least this many complaints in the latest period
    #[arg(long, value_name = "N")]
    pub(crate) spike_min_count: Option<u64>,
    /// Show at most N groups in table and markdown output (0: all)
    #[arg(long, value_name = "N", default_value_t = 25)]
    pub(crate) top: usize,
    #[arg(long, default_value = "table")]
    pub(crate) format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// A page for the terminal.
    Table,
    /// `gripe.report/2`, a stable contract for scripts.
    Json,
    /// Markdown, for CI job summaries.
    Markdown,
    /// One self-contained HTML page with charts, to share or keep as a CI artifact.
    Html,
    /// Comma-separated values (a return only).
    Csv,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
    /// Report as of this date (the end of that day) or time, replaying the history
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,
    /// List at most N items of what needs action, the most urgent first (0 for all); the
    /// total is always given, and `gripe list --needs-action` lists every complaint
    #[arg(long, value_name = "N", default_value_t = crate::analysis::report::DEFAULT_TOP)]
    pub(crate) top: usize,
    /// Instead of the dashboard, the complaints return for a regulator: fca (opened, closed,
    /// outstanding, closed within 3 business days / 8 weeks, upheld, redress) or cfpb
    /// (timely responses, days to respond); needs --period
    #[arg(long = "return", value_name = "REGULATOR", value_parser = ["fca", "cfpb"], requires = "period")]
    pub(crate) regulator: Option<String>,
    /// The return's period: 2026-H1, 2026-Q3, 2026-03, 2026 or 2026-01-01..2026-06-30
    #[arg(long, value_name = "PERIOD", requires = "regulator")]
    pub(crate) period: Option<String>,
    #[arg(long, default_value = "table")]
    pub(crate) format: ReportFormat,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    pub(crate) shell: String,
}
