//! Email in: `gripe open --email FILE|-` and `gripe import --format mbox|maildir`.
//!
//! Each message becomes a complaint, or a note on the complaint it replies to: its In-Reply-To
//! or References name a Message-ID gripe holds (a complaint's `external_ref = "email:<id>"`, or
//! a note's `message_id`), or with `--thread-by-subject` its subject is a complaint's title. A
//! reply to a complaint past the workflow's `reopen_to` stage reopens it, saying why. A message
//! gripe holds already changes nothing, so importing a mailbox twice adds nothing; auto-replies
//! and bounces are skipped and counted. Messages are taken in date order. New complaints are
//! written together ([`crate::store::Store::create_all`]); notes on complaints already in the
//! folder go through [`crate::store::Store::edit`], one file at a time.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::io::Read;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;

use super::emit;
use super::gather;
use super::say;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Location;
use crate::error::Result;
use crate::import::mail;
use crate::import::mail::Automatic;
use crate::import::mail::Mail;
use crate::model::complaint::Complaint;
use crate::model::complaint::Customer;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::Resolution;
use crate::model::complaint::Severity;
use crate::model::complaint::Stamp;
use crate::model::id;
use crate::model::privacy::Tally;
use crate::model::privacy::redact_complaint;
use crate::model::privacy::redact_text;
use crate::output::count;
use crate::output::progress::Progress;
use crate::store::Depth;
use crate::store::Replace;
use crate::store::Store;
use crate::store::document::ComplaintDoc;
use crate::store::write_atomic;
use crate::time::when::Timestamp;
use crate::time::when::When;
use crate::time::when::Zone;

/// The prefix of the `external_ref` of a complaint that came by email.
const REF: &str = "email:";

/// What every new complaint from mail gets besides what the message says.
#[derive(Debug, Default, Clone)]
pub(crate) struct Defaults {
    pub(crate) severity: Option<Severity>,
    pub(crate) category: Option<String>,
    pub(crate) component: Option<String>,
    pub(crate) assignee: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) regimes: Option<Vec<String>>,
}

/// How the messages are taken in.
pub(crate) struct Options<'a> {
    pub(crate) thread_by_subject: bool,
    pub(crate) attachments: Option<&'a Path>,
    pub(crate) defaults: Defaults,
    pub(crate) dry_run: bool,
    /// Redact personal data found in the texts (`--redact`), before anything is written.
    pub(crate) redact: bool,
}

/// Where a complaint a message belongs to is.
#[derive(Debug, Clone, PartialEq)]
enum Place {
    /// In the folder already.
    Folder { path: PathBuf, id: String },
    /// Made by this intake, not written yet: its place among the new ones.
    New(usize),
}

/// What happened to one message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// A new complaint, with its id.
    Opened(String),
    /// A note on the complaint with this id.
    Noted(String),
    /// gripe holds this message already, in the complaint with this id.
    Known(String),
    /// Not a complaint: why.
    Skipped(Automatic),
    /// It cannot be taken in: why (nothing of it is written).
    Rejected(String),
}

/// The messages' complaints, and where each Message-ID gripe knows lives.
struct Intake<'a> {
    store: &'a Store,
    stamp: Stamp,
    zone: Zone,
    options: &'a Options<'a>,
    ids: HashMap<String, Place>,
    subjects: HashMap<String, Place>,
    created: Vec<Complaint>,
    /// Notes for complaints in the folder, by file, in order, with the bytes they add.
    notes: BTreeMap<PathBuf, Vec<Event>>,
    /// The size each file in the folder will have with its notes, as far as it is known.
    sizes: HashMap<PathBuf, u64>,
    /// The size of each new complaint's file, with its notes so far.
    new_sizes: Vec<u64>,
    attachments: Vec<(String, mail::Attachment)>,
    /// What `--redact` redacted.
    redacted: Tally,
}

impl<'a> Intake<'a> {
    /// Scans the folder once for the Message-IDs (and, with `--thread-by-subject`, titles) it
    /// holds.
    fn new(ctx: &'a Ctx, options: &'a Options<'a>, by: Option<&str>) -> Result<Intake<'a>> {
        let store = ctx.store()?;
        if let Some(allowed) = store.config.vocabulary.allowed("channel")
            && !allowed.iter().any(|c| c == "email")
        {
            return Err(Error::usage_hint(
                "gripe.toml [vocabulary] channels does not allow `email`",
                "add \"email\" to the channels of gripe.toml",
            ));
        }
        let by_subject = options.thread_by_subject;
        let ((ids, subjects), bad) = gather(
            store,
            Depth::Full,
            || (Vec::new(), Vec::new()),
            |(ids, subjects), loaded| {
                let c = &loaded.complaint;
                let place = Place::Folder {
                    path: loaded.path.clone(),
                    id: c.id.clone(),
                };
                let own = c.external_ref.as_deref().and_then(|r| r.strip_prefix(REF));
                if let Some(id) = own {
                    ids.push((id.to_string(), place.clone()));
                }
                for e in &c.events {
                    if let Some(id) = &e.message_id {
                        ids.push((id.clone(), place.clone()));
                    }
                }
                if by_subject
                    && own.is_some()
                    && let Some(key) = subject_key(&c.title, c.customer.email.as_deref())
                {
                    subjects.push((key, place));
                }
            },
            |mut a, b| {
                a.0.extend(b.0);
                a.1.extend(b.1);
                a
            },
        );
        if bad > 0 {
            // A reply could belong to a complaint in a file that cannot be read.
            return Err(Error::BadFiles { count: bad });
        }
        Ok(Intake {
            store,
            stamp: ctx.stamp(by)?,
            zone: ctx.calendar()?.zone,
            options,
            ids: ids.into_iter().collect(),
            subjects: subjects.into_iter().collect(),
            created: Vec::new(),
            notes: BTreeMap::new(),
            sizes: HashMap::new(),
            new_sizes: Vec::new(),
            attachments: Vec::new(),
            redacted: Tally::default(),
        })
    }

    fn id_of(&self, place: &Place) -> String {
        match place {
            Place::Folder { id, .. } => id.clone(),
            Place::New(i) => self.created[*i].id.clone(),
        }
    }

    /// Takes one message in.
    fn take(&mut self, m: Mail) -> Result<Outcome> {
        if let Some(place) = self.ids.get(&m.message_id) {
            return Ok(Outcome::Known(self.id_of(place)));
        }
        if let Some(why) = &m.automatic {
            return Ok(Outcome::Skipped(why.clone()));
        }
        let parent = m
            .parents
            .iter()
            .find_map(|p| self.ids.get(p))
            .or_else(|| {
                self.options
                    .thread_by_subject
                    .then(|| subject_key(&m.title, m.from_email.as_deref()))
                    .flatten()
                    .and_then(|key| self.subjects.get(&key))
            })
            .cloned();
        let max = self.store.config.max_file_size;
        let id = match parent {
            Some(place) => {
                let mut note = Event::new(EventKind::Note, &self.stamp);
                note.at = When::Zoned(m.date);
                note.by = Some(m.sender());
                note.text = Some(m.note());
                note.message_id = Some(m.message_id.clone());
                if self.options.redact
                    && let Some(text) = &mut note.text
                {
                    redact_text(
                        text,
                        &self.store.config.privacy.detector,
                        &mut self.redacted,
                    );
                }
                let adds = crate::store::document::event_table(&note).to_string().len() as u64;
                match &place {
                    Place::Folder { path, .. } => {
                        let size = match self.sizes.get(path) {
                            Some(size) => *size,
                            None => std::fs::metadata(path).map_or(0, |m| m.len()),
                        };
                        if size + adds > max {
                            return Ok(Outcome::Rejected(too_big(size + adds, max)));
                        }
                        self.sizes.insert(path.clone(), size + adds);
                        self.notes.entry(path.clone()).or_default().push(note)
                    }
                    Place::New(i) => {
                        let c = &mut self.created[*i];
                        not_before_opening(&mut note, c.opened, &self.zone);
                        c.events.push(note);
                        let mut size = self.new_sizes[*i] + adds;
                        if size > max {
                            // The running size is an upper bound: only the file knows.
                            size = ComplaintDoc::render_new(c).len() as u64;
                            if size > max {
                                c.events.pop();
                                return Ok(Outcome::Rejected(too_big(size, max)));
                            }
                        }
                        self.new_sizes[*i] = size;
                    }
                }
                self.ids.insert(m.message_id.clone(), place.clone());
                let id = self.id_of(&place);
                self.keep_attachments(&id, m.attachments);
                return Ok(Outcome::Noted(id));
            }
            None => match self.open(&m)? {
                Ok(id) => {
                    self.keep_attachments(&id, m.attachments);
                    id
                }
                Err(size) => return Ok(Outcome::Rejected(too_big(size, max))),
            },
        };
        Ok(Outcome::Opened(id))
    }

    /// A new complaint from `m`, unless its file would be larger than `max_file_size`: then
    /// the size it would have.
    fn open(&mut self, m: &Mail) -> Result<std::result::Result<String, u64>> {
        let mut complaint = self.draft(m)?;
        if self.options.redact {
            let detector = &self.store.config.privacy.detector;
            for (kind, n) in redact_complaint(&mut complaint, detector, false).0 {
                self.redacted.add(&kind, n);
            }
        }
        let max = self.store.config.max_file_size;
        // A file is at most a few KB of keys and tables beside its texts, each written at
        // most six times its length (an escape per character); only a complaint that could
        // come near the limit is rendered to know.
        let texts: usize = complaint.title.len()
            + complaint
                .events
                .iter()
                .filter_map(|e| e.text.as_ref())
                .map(String::len)
                .sum::<usize>();
        let mut size = 4096 + 6 * texts as u64;
        if size > max {
            size = ComplaintDoc::render_new(&complaint).len() as u64;
            if size > max {
                return Ok(Err(size));
            }
        }
        self.new_sizes.push(size);
        let id = complaint.id.clone();
        let place = Place::New(self.created.len());
        self.ids.insert(m.message_id.clone(), place.clone());
        if self.options.thread_by_subject
            && let Some(key) = subject_key(&m.title, m.from_email.as_deref())
        {
            self.subjects.entry(key).or_insert(place);
        }
        self.created.push(complaint);
        Ok(Ok(id))
    }

    /// The complaint `m` makes.
    fn draft(&self, m: &Mail) -> Result<Complaint> {
        let config = &self.store.config;
        let d = &self.options.defaults;
        let mut opened = Event::new(EventKind::Opened, &self.stamp);
        opened.at = When::Zoned(m.date);
        opened.text = Some(m.note()).filter(|t| !t.is_empty());
        let complaint = Complaint {
            id: id::new_complaint_id()?,
            title: m.title.clone(),
            opened: When::Zoned(m.date),
            opened_by: Some(self.stamp.by.clone()),
            stage: config.workflow.first().to_string(),
            severity: Some(d.severity.unwrap_or(Severity::Medium)),
            channel: Some("email".into()),
            category: d.category.clone(),
            component: d.component.clone(),
            assignee: d.assignee.clone(),
            tags: d.tags.clone(),
            promised_by: None,
            external_ref: Some(format!("{REF}{}", m.message_id)),
            regimes: d.regimes.clone(),
            customer: Customer {
                name: m.from_name.clone(),
                contact: None,
                email: m.from_email.clone(),
            },
            resolution: Resolution::default(),
            fields: Default::default(),
            followups: Vec::new(),
            events: vec![opened],
            misplaced: Vec::new(),
        };
        Ok(complaint)
    }

    fn keep_attachments(&mut self, id: &str, attachments: Vec<mail::Attachment>) {
        if self.options.attachments.is_some() {
            for a in attachments {
                self.attachments.push((id.to_string(), a));
            }
        }
    }

    /// Writes what was taken in: the new complaints, then the notes (reopening a complaint a
    /// reply came to after it was resolved), then the attachments. Returns how many were
    /// reopened, and the files written.
    fn write(self) -> Result<(usize, Vec<PathBuf>)> {
        let store = self.store;
        // Each text was redacted as its message was taken in, before its size was counted.
        if !self.redacted.0.is_empty() {
            say(&format!(
                "gripe: --redact: redacted {} in the incoming mail",
                self.redacted
            ));
        }
        let zone = self.zone;
        if self.options.dry_run {
            return Ok((0, Vec::new()));
        }
        // Attachments first: if one cannot be saved, nothing else is written, and the next run
        // tries again.
        if let Some(dir) = self.options.attachments {
            save_attachments(dir, &self.attachments)?;
        }
        let progress = Progress::new(self.created.len() as u64, "writing");
        let mut written = store.create_all(&self.created, &zone, || progress.step())?;
        progress.finish();
        let mut reopened = 0;
        for (path, notes) in &self.notes {
            reopened += store.edit(path, |doc, c| Ok(self.add_notes(doc, c, notes)))?;
            written.push(path.clone());
        }
        Ok((reopened, written))
    }

    /// Adds `notes` to a complaint in the folder, each recorded no earlier than the opening.
    /// The first reply sent after the complaint was resolved (or closed) reopens it, if the
    /// workflow can reopen it from there: an old reply found in a mailbox imported late does
    /// not. Returns 1 when it reopened it.
    fn add_notes(&self, doc: &mut ComplaintDoc, c: &Complaint, notes: &[Event]) -> usize {
        let zone = &self.zone;
        let workflow = &self.store.config.workflow;
        let opened = c.opened.instant(zone);
        let stage = workflow.index(&c.stage);
        let can_reopen = stage.is_some_and(|i| i >= workflow.resolved && i > workflow.reopen_to);
        let since = c.last_stage_event().map_or(opened, |e| e.at.instant(zone));
        let mut notes: Vec<Event> = notes.to_vec();
        for note in &mut notes {
            not_before_opening(note, c.opened, zone);
        }
        notes.sort_by_key(|n| n.at.instant(zone));
        let mut reopened = 0;
        for note in &notes {
            if can_reopen && reopened == 0 && note.at.instant(zone) > since {
                let target = workflow.name(workflow.reopen_to).to_string();
                let mut event =
                    Event::stage_change(EventKind::Reopened, &self.stamp, &c.stage, &target);
                event.at = note.at;
                // Who replied is the note's `by`; the text stays free of addresses.
                event.text = Some(format!(
                    "reopened: a reply came by email to this {} complaint",
                    c.stage
                ));
                doc.set_stage(&target);
                doc.push_event(&event);
                reopened = 1;
            }
            doc.push_event(note);
        }
        reopened
    }
}

/// Why a message is refused for the size of the file it would make.
fn too_big(size: u64, max: u64) -> String {
    format!(
        "its complaint file would be {size} bytes, over max_file_size ({max} bytes) in gripe.toml"
    )
}

/// How `--thread-by-subject` matches a message to a complaint: the same title from the same
/// sender, never `(no subject)`.
fn subject_key(title: &str, sender: Option<&str>) -> Option<String> {
    (title != "(no subject)").then(|| {
        format!(
            "{}\u{0}{}",
            title.to_lowercase(),
            sender.unwrap_or_default().to_lowercase()
        )
    })
}

/// Saves each attachment as `DIR/<complaint id>/<file name>`, never over a file there: a
/// different file of the same name is saved with the start of its SHA-256 added
/// (`invoice-3f2a9c1e.pdf`), so every name on disk holds the bytes the note lists for it.
fn save_attachments(dir: &Path, attachments: &[(String, mail::Attachment)]) -> Result<()> {
    for (id, a) in attachments {
        let folder = dir.join(id);
        std::fs::create_dir_all(&folder).map_err(|source| Error::Write {
            path: folder.clone(),
            source,
        })?;
        let plain = folder.join(&a.name);
        let path = match std::fs::read(&plain) {
            Err(_) => plain,
            Ok(bytes) if bytes == a.bytes => continue,
            Ok(_) => {
                let (stem, ext) = match a.name.rsplit_once('.') {
                    Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
                    _ => (a.name.as_str(), String::new()),
                };
                folder.join(format!("{stem}-{}{ext}", &a.sha256[..8]))
            }
        };
        if !path.exists() {
            write_atomic(&path, &a.bytes, Replace::Never)?;
        }
    }
    Ok(())
}

/// `gripe open --email FILE|-`: one message, from a file or standard input (a mail client's
/// pipe command or a mail filter). Returns the file written and what was done, to commit.
pub(crate) fn open(
    source: &Path,
    options: &Options<'_>,
    by: Option<&str>,
    ctx: &Ctx,
    out: &mut dyn Write,
) -> Result<Option<(PathBuf, String)>> {
    let store = ctx.store()?;
    let max = store.config.max_email_size;
    let raw = if source == Path::new("-") {
        read_limited(std::io::stdin(), Path::new("<stdin>"), max)?
    } else {
        let file = std::fs::File::open(source).map_err(|e| Error::Read {
            path: source.to_path_buf(),
            source: e,
        })?;
        read_limited(file, source, max)?
    };
    let with_bytes = options.attachments.is_some();
    let m = mail::read(&raw, max, ctx.now, &ctx.now, with_bytes)
        .map_err(|message| invalid(source, message))?;
    let mut intake = Intake::new(ctx, options, by)?;
    let outcome = intake.take(m)?;
    let (reopened, written) = intake.write()?;
    let short = |id: &str| store.short_id(id);
    let action = match &outcome {
        Outcome::Opened(id) => {
            emit(out, &format!("{}\n", short(id)))?;
            say(&format!("opened {} from email", short(id)));
            format!("open {} from email", short(id))
        }
        Outcome::Noted(id) => {
            emit(out, &format!("{}\n", short(id)))?;
            let reopen = if reopened > 0 { "; reopened it" } else { "" };
            say(&format!("{}: reply added as a note{reopen}", short(id)));
            format!("email reply on {}", short(id))
        }
        Outcome::Known(id) => {
            emit(out, &format!("{}\n", short(id)))?;
            say(&format!(
                "{}: this message is there already; nothing written",
                short(id)
            ));
            return Ok(None);
        }
        Outcome::Skipped(why) => {
            say(&format!("not a complaint: {why}; nothing written"));
            return Ok(None);
        }
        Outcome::Rejected(why) => return Err(invalid(source, why.clone())),
    };
    Ok(written.into_iter().next().map(|path| (path, action)))
}

fn invalid(path: &Path, message: String) -> Error {
    Error::InvalidFile {
        location: Location::at_offset(path, "", 0),
        message,
        hint: Some(
            "gripe takes one RFC 5322 message (an .eml file), as a mail client saves it".into(),
        ),
    }
}

/// Reads at most `max + 1` bytes of `input` (named `path` in errors), so an oversize message
/// is refused without reading it whole.
fn read_limited(input: impl Read, path: &Path, max: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    input
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(bytes)
}

/// A mailbox's message: where it is (for messages and rejects), its bytes and when it
/// arrived.
pub(crate) struct Raw {
    pub(crate) label: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) arrival: Timestamp,
}

/// The messages of an mbox file, with the arrival time of its `From ` separator lines.
pub(crate) fn mbox(path: &Path, now: &Timestamp) -> Result<Vec<Raw>> {
    let mut file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // Anything before the first `From ` line would be lost without a word: an mbox starts
    // with one (an empty file is an empty mailbox).
    let mut start = [0u8; 5];
    let read = file.read(&mut start).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if read > 0 && start[..read] != b"From "[..read] {
        return Err(invalid(
            path,
            "it is not an mbox: it does not start with a `From ` line".into(),
        ));
    }
    let reader = std::io::BufReader::new((&start[..read]).chain(file));
    let mut out = Vec::new();
    for (i, message) in mail_parser::mailbox::mbox::MessageIterator::new(reader).enumerate() {
        let message = message
            .map_err(|_| invalid(path, format!("message {} cannot be read as mbox", i + 1)))?;
        let arrival = chrono::DateTime::from_timestamp(
            i64::try_from(message.internal_date()).unwrap_or(0),
            0,
        )
        .filter(|_| message.internal_date() > 0)
        .map_or(*now, |t| t.fixed_offset());
        out.push(Raw {
            label: format!("message {}", i + 1),
            bytes: message.unwrap_contents(),
            arrival,
        });
    }
    Ok(out)
}

/// The messages of a Maildir (its `cur` and `new`), with the file times as arrival times.
pub(crate) fn maildir(path: &Path, now: &Timestamp) -> Result<Vec<Raw>> {
    if !path.join("cur").is_dir() && !path.join("new").is_dir() {
        return Err(Error::usage_hint(
            format!(
                "{} is not a Maildir: it has no cur or new folder",
                path.display()
            ),
            "give the Maildir's own folder, the one that holds cur/, new/ and tmp/",
        ));
    }
    let mut out = Vec::new();
    for sub in ["cur", "new"] {
        let Ok(entries) = std::fs::read_dir(path.join(sub)) else {
            continue;
        };
        // Each message file with its time (a move to cur/ keeps it), from one look at it.
        let mut files: Vec<(PathBuf, Option<std::time::SystemTime>)> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .filter_map(|p| {
                let meta = std::fs::metadata(&p).ok().filter(|m| m.is_file())?;
                Some((p, meta.modified().ok()))
            })
            .collect();
        files.sort();
        for (file, modified) in files {
            // A mail client or sync tool may move a message from new/ to cur/ (adding its
            // flags to the name) while gripe reads: it is looked for there, and one that is
            // gone is left for the next run.
            let Some((file, bytes)) = read_message(path, &file)? else {
                continue;
            };
            let arrival = modified
                .map(|t| chrono::DateTime::<chrono::Utc>::from(t).fixed_offset())
                .unwrap_or(*now);
            out.push(Raw {
                label: file.display().to_string(),
                bytes,
                arrival,
            });
        }
    }
    Ok(out)
}

/// A Maildir message's bytes, where it is now: at `file`, or moved to `cur/` under its unique
/// name with flags; `None` when it is gone.
fn read_message(maildir: &Path, file: &Path) -> Result<Option<(PathBuf, Vec<u8>)>> {
    match std::fs::read(file) {
        Ok(bytes) => return Ok(Some((file.to_path_buf(), bytes))),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::Read {
                path: file.to_path_buf(),
                source: e,
            });
        }
        Err(_) => {}
    }
    let unique = file
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .split(':')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .unwrap_or_default();
    let moved = std::fs::read_dir(maildir.join("cur"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.split(':').next() == Some(unique.as_str())
            }) && p != file
        });
    Ok(moved.and_then(|p| std::fs::read(&p).ok().map(|bytes| (p, bytes))))
}

/// `gripe import --format mbox|maildir`: every message in date order.
pub(crate) fn import(
    source: &Path,
    raws: Vec<Raw>,
    options: &Options<'_>,
    rejects: Option<&Path>,
    by: Option<&str>,
    ctx: &Ctx,
) -> Result<()> {
    // The folder first: one that cannot take email in refuses before any message is read.
    let mut intake = Intake::new(ctx, options, by)?;
    let max = ctx.store()?.config.max_email_size;
    let total = raws.len();
    let mut mails = Vec::new();
    let mut rejected: Vec<(usize, String)> = Vec::new();
    // A message's bytes are kept past its reading only for the rejects file.
    let mut raws = raws;
    let with_bytes = options.attachments.is_some();
    for (i, raw) in raws.iter_mut().enumerate() {
        match mail::read(&raw.bytes, max, raw.arrival, &ctx.now, with_bytes) {
            Ok(m) => {
                if rejects.is_none() {
                    raw.bytes = Vec::new();
                }
                mails.push((m, i));
            }
            Err(why) => rejected.push((i, why)),
        }
    }
    let (mut opened, mut noted, mut known) = (0, 0, 0);
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for (m, i) in in_thread_order(mails) {
        match intake.take(m)? {
            Outcome::Opened(_) => opened += 1,
            Outcome::Noted(_) => noted += 1,
            Outcome::Known(_) => known += 1,
            Outcome::Skipped(why) => {
                *skipped.entry(why.kind.to_string()).or_default() += 1;
            }
            Outcome::Rejected(why) => rejected.push((i, why)),
        }
    }
    rejected.sort_by_key(|(i, _)| *i);
    for (i, why) in &rejected {
        say(&format!(
            "gripe: {}: {}: {why}",
            source.display(),
            raws[*i].label
        ));
    }
    let rejected: Vec<(&Raw, String)> = rejected
        .into_iter()
        .map(|(i, why)| (&raws[i], why))
        .collect();
    let (reopened, _) = intake.write()?;
    if let Some(path) = rejects {
        write_rejects(path, &rejected)?;
    }
    let skipped_total: usize = skipped.values().sum();
    let kinds: Vec<String> = skipped.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let written = if options.dry_run {
        " (--dry-run: nothing written)"
    } else {
        ""
    };
    say(&format!(
        "imported {}: {}: {} opened, {} added as notes ({} reopened), {} there already, {} not complaints{}, {} rejected{written}",
        source.display(),
        count(total as u64, "message"),
        opened,
        noted,
        reopened,
        known,
        skipped_total,
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", kinds.join(", "))
        },
        rejected.len()
    ));
    if rejected.is_empty() {
        Ok(())
    } else {
        Err(Error::BadRows {
            count: rejected.len(),
            written: true,
        })
    }
}

/// The messages in date order, except that a message comes after the messages of the same
/// import it replies to, whatever their dates (a sender's clock can be wrong), so a reply
/// never opens a complaint of its own because its original sorts later.
fn in_thread_order(mut mails: Vec<(Mail, usize)>) -> Vec<(Mail, usize)> {
    mails.sort_by_key(|(m, i)| (m.date, *i));
    let index: HashMap<String, usize> = mails
        .iter()
        .enumerate()
        .map(|(k, (m, _))| (m.message_id.clone(), k))
        .collect();
    let mut order = Vec::with_capacity(mails.len());
    let mut state = vec![0u8; mails.len()]; // 0 new, 1 on the way, 2 placed
    for start in 0..mails.len() {
        // Depth first over the parents, without recursion: a thread can be long.
        let mut stack = vec![(start, false)];
        while let Some((k, parents_done)) = stack.pop() {
            if state[k] == 2 || (state[k] == 1 && !parents_done) {
                continue;
            }
            if parents_done {
                state[k] = 2;
                order.push(k);
                continue;
            }
            state[k] = 1;
            stack.push((k, true));
            for parent in &mails[k].0.parents {
                if let Some(&p) = index.get(parent)
                    && state[p] == 0
                {
                    stack.push((p, false));
                }
            }
        }
    }
    let mut slots: Vec<Option<(Mail, usize)>> = mails.into_iter().map(Some).collect();
    order.into_iter().filter_map(|k| slots[k].take()).collect()
}

/// The rejected messages as an mbox, each with an `X-Gripe-Rejected` header saying why: fix
/// them there and import the file again.
fn write_rejects(path: &Path, rejected: &[(&Raw, String)]) -> Result<()> {
    let mut out = Vec::new();
    for (raw, why) in rejected {
        out.extend_from_slice(b"From gripe-rejects Thu Jan  1 00:00:00 1970\n");
        out.extend_from_slice(format!("X-Gripe-Rejected: {}\n", why.replace('\n', " ")).as_bytes());
        // mboxrd: a line of `>`s then `From ` gets one more `>`, so it is not a separator.
        for line in raw.bytes.split_inclusive(|b| *b == b'\n') {
            let quotes = line.iter().take_while(|b| **b == b'>').count();
            if line[quotes..].starts_with(b"From ") {
                out.push(b'>');
            }
            out.extend_from_slice(line);
        }
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    write_atomic(path, &out, Replace::Always)
}

/// A reply dated before its complaint was opened (a sender's clock) is recorded at the opening,
/// as `check` expects, with its own date kept in its text.
fn not_before_opening(note: &mut Event, opened: When, zone: &Zone) {
    if note.at.instant(zone) < opened.instant(zone) {
        let dated = note.at;
        note.text = note
            .text
            .take()
            .map(|t| format!("{t}\n\n(dated {dated}, before the complaint was opened)"));
        note.at = opened;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_maildir_message_moved_to_cur_while_reading_is_found_there() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("cur/1700000000.M1P2.host:2,S"), b"moved").unwrap();
        let gone = dir.path().join("new/1700000000.M1P2.host");
        let (path, bytes) = read_message(dir.path(), &gone).unwrap().unwrap();
        assert_eq!(bytes, b"moved");
        assert!(path.ends_with("cur/1700000000.M1P2.host:2,S"));
        assert!(
            read_message(dir.path(), &dir.path().join("new/other"))
                .unwrap()
                .is_none()
        );
    }
}
