//! The command line: clap types only. Doc comments are the `--help` text. Commands turn these
//! into plain requests once; domain modules never see clap.

use std::path::PathBuf;

use clap::Args;
use clap::Parser;
use clap::Subcommand;
use clap::ValueEnum;

use crate::filter::FilterInput;
use crate::output::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (an empty result is success)
  1  `gripe check` found problems of a --fail-on kind
  2  usage error: bad flag, value or date, or a step the workflow refuses
  3  no complaint matches the id, or the prefix matches several
  4  invalid complaint or config file(s), or rows an import could not import
  5  write refused or failed: conflict markers, lock held, file changed meanwhile, disk

Environment:
  GRIPE_DIR   the complaint folder (like --dir)
  GRIPE_USER  the author of changes (else git config user.name, else $USER)
  GRIPE_NOW   the current time, RFC 3339 (for tests and reproducible reports)
  NO_COLOR    turns colour off";

/// gripe: log customer complaints in one line, walk them through service recovery, and see
/// where they cluster. Each complaint is a TOML file in git.
#[derive(Debug, Parser)]
#[command(name = "gripe", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// The complaint folder (default: found from here upwards, like git finds .git)
    #[arg(long, global = true, env = "GRIPE_DIR", value_name = "PATH")]
    pub dir: Option<PathBuf>,

    /// When to use colour
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create complaints/ and a commented gripe.toml here
    #[command(after_help = "Examples:\n  gripe init\n  gripe --dir support/complaints init")]
    Init,

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
markers), overdue (follow-ups), sla (breached clocks of open complaints), promises (broken
promises of unresolved complaints). Exit 1 when a finding of a --fail-on kind exists, 4 when
files cannot be read at all, 0 otherwise.")]
    Check(CheckArgs),

    /// Bring complaints in from a CSV file of another system, or from a gripe export
    #[command(after_help = "Examples:
  gripe import complaints.csv --preset cfpb --dry-run     # what would be created or updated
  gripe import complaints.csv --preset cfpb
  gripe import tickets.csv --map external_ref=Ticket,title=Subject,opened=Created,channel=Source
  gripe import backup.jsonl                                # a `gripe export`, ids and history kept

Importing the same file again creates nothing and changes nothing; a row whose values changed
updates its complaint with `set` events. Rows that cannot be imported are listed with their row
number (the header is row 1) and the command exits 4; with --strict nothing is written then.

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

    /// Open the complaint file in $EDITOR; on save it is validated, and reopened on error
    #[command(
        after_help = "Example:\n  gripe edit k7m2\n\nUses $VISUAL, else $EDITOR, else vi. \
Needs a terminal, unless GRIPE_EDITOR names the editor command explicitly."
    )]
    Edit(EditArgs),
}

/// The author of a change.
#[derive(Debug, Args)]
pub struct AuthorArgs {
    /// Who made the change (default: GRIPE_USER, git config user.name, $USER)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// What went wrong, in a few words
    pub title: Option<String>,
    /// Customer name or reference
    #[arg(long)]
    pub customer: Option<String>,
    /// How to reach the customer (prefer a reference over raw personal data)
    #[arg(long)]
    pub contact: Option<String>,
    /// How the complaint came in: email, phone, chat, social, web, in-person, letter, other
    #[arg(long)]
    pub channel: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    /// low, medium, high or critical
    #[arg(long, default_value = "medium")]
    pub severity: String,
    /// The part of the product or service that failed
    #[arg(long)]
    pub component: Option<String>,
    #[arg(long)]
    pub assignee: Option<String>,
    /// A tag (repeat the flag or separate with commas)
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// The date given to the customer (a date, or a span like 3bd)
    #[arg(long, value_name = "DATE")]
    pub promise: Option<String>,
    /// An id in another system (CRM ticket, regulator's reference)
    #[arg(long = "ref", value_name = "EXT")]
    pub external_ref: Option<String>,
    /// The first note: what the customer said ("-" reads it from stdin)
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
    #[command(flatten)]
    pub author: AuthorArgs,
}

#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only complaints in these stages
    #[arg(long, value_name = "STAGE", help_heading = "Filter")]
    pub stage: Vec<String>,
    /// Only complaints that are not closed
    #[arg(long, conflicts_with = "closed", help_heading = "Filter")]
    pub open: bool,
    /// Only closed complaints
    #[arg(long, help_heading = "Filter")]
    pub closed: bool,
    #[arg(long, value_name = "SEVERITY", help_heading = "Filter")]
    pub severity: Vec<String>,
    #[arg(long, value_name = "CATEGORY", help_heading = "Filter")]
    pub category: Vec<String>,
    #[arg(long, value_name = "CHANNEL", help_heading = "Filter")]
    pub channel: Vec<String>,
    #[arg(long, value_name = "COMPONENT", help_heading = "Filter")]
    pub component: Vec<String>,
    #[arg(long, value_name = "NAME", help_heading = "Filter")]
    pub assignee: Vec<String>,
    #[arg(long, value_name = "TAG", help_heading = "Filter")]
    pub tag: Vec<String>,
    /// Customer name or contact contains this text
    #[arg(long, value_name = "TEXT", help_heading = "Filter")]
    pub customer: Option<String>,
    /// A custom field equals a value
    #[arg(long, value_name = "KEY=VALUE", help_heading = "Filter")]
    pub field: Vec<String>,
    /// Opened on or after this date (or a span back from now: 30d, 12w)
    #[arg(long, value_name = "DATE", help_heading = "Filter")]
    pub since: Option<String>,
    /// Opened on or before this date
    #[arg(long, value_name = "DATE", help_heading = "Filter")]
    pub until: Option<String>,
    /// Text anywhere: title, customer, notes, resolution, fields
    #[arg(long, value_name = "TEXT", help_heading = "Filter")]
    pub grep: Option<String>,
}

impl FilterArgs {
    pub fn to_input(&self) -> FilterInput {
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
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Show at most N complaints
    #[arg(short = 'n', long, value_name = "N")]
    pub limit: Option<usize>,
    #[arg(long, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Complaint id or unique prefix (4+ characters)
    pub id: String,
    #[arg(long, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// Complaint id or unique prefix
    pub id: String,
    /// The note ("-" reads it from stdin); several words need no quotes
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
    #[command(flatten)]
    pub author: AuthorArgs,
}

#[derive(Debug, Args)]
pub struct AdvanceArgs {
    /// Complaint id or unique prefix
    pub id: String,
    /// Jump forward to this stage
    #[arg(long, value_name = "STAGE")]
    pub to: Option<String>,
    /// A note on the move: what was done, what was said
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
    /// Skip the stages' entry requirements (recorded in the event)
    #[arg(long)]
    pub force: bool,
    /// Do not schedule the follow-up that resolving a complaint schedules
    #[arg(long)]
    pub no_followup: bool,
    #[command(flatten)]
    pub author: AuthorArgs,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Complaint id or unique prefix
    pub id: String,
    /// KEY=VALUE pairs; an empty VALUE removes the key
    #[arg(required = true, num_args = 1.., value_name = "KEY=VALUE")]
    pub assignments: Vec<String>,
    /// A note on why
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
    #[command(flatten)]
    pub author: AuthorArgs,
}

#[derive(Debug, Args)]
pub struct ReopenArgs {
    /// Complaint id or unique prefix
    pub id: String,
    /// Why it is reopened
    #[arg(short = 'm', long = "message", value_name = "TEXT", required = true)]
    pub message: String,
    #[command(flatten)]
    pub author: AuthorArgs,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// Complaint id or unique prefix
    pub id: String,
    /// A closing note: root cause, what the team learned
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
    /// Close even if requirements are missing (recorded in the event)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub author: AuthorArgs,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Complaint id or unique prefix
    pub id: String,
    #[command(flatten)]
    pub author: AuthorArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").required(true).args(["within", "on"])))]
pub struct FollowupArgs {
    #[command(subcommand)]
    pub action: Option<FollowupAction>,
    /// Complaint id or unique prefix
    #[arg(required = true)]
    pub id: Option<String>,
    /// Due after this long: 30m, 4h, 3d, 2w, 8bh, 3bd
    #[arg(long = "in", value_name = "DURATION")]
    pub within: Option<String>,
    /// Due on this date (or date and time)
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// What to check with the customer ("-" reads it from stdin)
    #[arg(num_args = 1.., value_name = "TEXT", required = true)]
    pub text: Vec<String>,
    #[command(flatten)]
    pub author: AuthorArgs,
}

#[derive(Debug, Subcommand)]
pub enum FollowupAction {
    /// Mark a follow-up done (the only open one when FID is left out)
    Done(FollowupDoneArgs),
    /// The follow-ups of one complaint
    List(FollowupListArgs),
}

#[derive(Debug, Args)]
pub struct FollowupDoneArgs {
    /// Complaint id or unique prefix
    pub id: String,
    /// Follow-up id or unique prefix
    pub fid: Option<String>,
    /// What the customer said
    #[arg(short = 'm', long = "message", value_name = "TEXT")]
    pub message: Option<String>,
    #[command(flatten)]
    pub author: AuthorArgs,
}

#[derive(Debug, Args)]
pub struct FollowupListArgs {
    /// Complaint id or unique prefix
    pub id: String,
    #[arg(long, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Comma-separated values with a header row; needs --preset or --map
    Csv,
    /// A `gripe export --format json` document
    Json,
    /// One complaint per line, as `gripe export --format jsonl` writes them
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// The US CFPB Consumer Complaint Database, in the layout of its CSV downloads
    Cfpb,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import
    pub file: PathBuf,
    /// The file's format (default: from its extension: .csv, .json, .jsonl or .ndjson)
    #[arg(long)]
    pub format: Option<ImportFormat>,
    /// A known CSV layout
    #[arg(long, conflicts_with = "map")]
    pub preset: Option<Preset>,
    /// Which CSV column fills in what: FIELD=COLUMN pairs, separated by commas or repeated
    #[arg(long, value_name = "FIELD=COLUMN", value_delimiter = ',')]
    pub map: Vec<String>,
    /// Show what would be created and updated, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write nothing if any row cannot be imported
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub author: AuthorArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One complaint per line (what `gripe import` reads back)
    Jsonl,
    /// One document with a versioned `schema` (gripe.export/1)
    Json,
    /// One row per complaint, every field a column; spreadsheet-safe
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, default_value = "jsonl")]
    pub format: ExportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DueFormat {
    Table,
    Json,
    Csv,
    /// An iCalendar feed: one event per follow-up, promise and SLA deadline
    Ics,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// How far ahead to look
    #[arg(long, value_name = "DURATION", default_value = "7d")]
    pub within: String,
    /// Only complaints assigned to me (the author gripe would record)
    #[arg(long)]
    pub mine: bool,
    #[arg(long, default_value = "table")]
    pub format: DueFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Kinds of finding that make the exit code 1: invalid, conflicts, overdue, sla, promises, all
    #[arg(
        long,
        value_name = "KINDS",
        default_value = "invalid,conflicts",
        value_delimiter = ','
    )]
    pub fail_on: Vec<String>,
    #[arg(long, default_value = "table")]
    pub format: CheckFormat,
}
