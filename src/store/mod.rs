//! The complaint folder on disk: finding it, listing and reading its files, resolving ids, and
//! writing files safely.
//!
//! The folder is found the way git finds `.git`: from the current directory upwards, the first
//! folder holding `gripe.toml` or a `complaints/` folder; `--dir` and `GRIPE_DIR` override.
//! Every `*.toml` below it counts, wherever a person moved it; hidden files (gripe's temp files
//! among them) do not. Writes go to a temp file in the same folder, are fsynced, and renamed over
//! the old file only if that file did not change meanwhile. Many new files at once (an import)
//! share one flush of the file system instead of one per file ([`Store::create_all`]).
//!
//! The store layer also holds what works on one file: [`reader`] (the fast path that reads a
//! file without building a TOML tree), [`document`] (editing a file in place, keeping a person's
//! comments), [`conflict`] (git's conflict markers), [`merge`] (the three-way merge of two
//! edits), [`lock`] (the folder's write lock) and [`exchange`] (the JSON record of export and
//! import). Uses `model`, `time` and `error`; never `analysis`, `output` or clap.

pub mod conflict;
pub mod document;
pub(crate) mod exchange;
pub(crate) mod lock;
pub mod merge;
pub mod reader;

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;

use rayon::prelude::*;

use crate::error::Error;
use crate::error::Location;
use crate::error::Result;
use crate::model::complaint::Complaint;
use crate::model::config::CONFIG_FILE;
use crate::model::config::Config;
use crate::model::config::DEFAULT_DIR;
use crate::model::id;
use crate::model::id::ShortIds;
use crate::store::document::ComplaintDoc;
use crate::store::document::read_complaint;
use crate::store::document::read_partial;
use crate::time::when::Zone;

#[derive(Debug)]
pub(crate) struct Store {
    /// The complaint folder, relative to the current directory when it is below it.
    pub(crate) dir: PathBuf,
    pub(crate) config: Config,
    /// The folder with every symbolic link resolved: a complaint file must be inside it.
    real_dir: PathBuf,
}

/// A complaint and the file it came from.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub(crate) path: PathBuf,
    pub(crate) complaint: Complaint,
}

/// An edit made and checked but not yet written ([`Store::prepare`]).
pub(crate) struct Prepared<T> {
    pub(crate) before: String,
    pub(crate) after: String,
    pub(crate) result: T,
}

/// How much of each file a scan reads into the complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Depth {
    /// The top-level keys only: not the customer, resolution, custom fields or history.
    Top,
    /// The header, customer, resolution and custom fields: not the follow-ups and events.
    Header,
    /// Everything.
    Full,
}

/// Walks `dir` and its subfolders (in parallel), skipping hidden entries and following no
/// links, and keeps what `keep` makes of each entry that is not a folder (given its name).
/// `walkdir`, which walks one folder after another, was measured in its place: 4% slower for a
/// scan and twice as slow for finding one complaint by prefix (BENCHMARKS.md), so the walk
/// stays gripe's own.
fn visit<T, F>(dir: &Path, keep: &F) -> Vec<T>
where
    T: Send,
    F: Fn(&fs::DirEntry, &[u8], fs::FileType) -> Option<T> + Sync,
{
    let (mut kept, subfolders) = read_folder(dir, keep);
    let deeper: Vec<T> = subfolders
        .par_iter()
        .flat_map_iter(|sub| visit(sub, keep))
        .collect();
    kept.extend(deeper);
    kept
}

/// One folder of a walk ([`visit`]): what `keep` makes of each entry that is not a folder, and
/// the subfolders, both in no particular order.
fn read_folder<T, F>(dir: &Path, keep: &F) -> (Vec<T>, Vec<PathBuf>)
where
    F: Fn(&fs::DirEntry, &[u8], fs::FileType) -> Option<T>,
{
    let Ok(entries) = fs::read_dir(dir) else {
        return (Vec::new(), Vec::new());
    };
    let mut kept = Vec::new();
    let mut subfolders = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.as_encoded_bytes();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if name.first() == Some(&b'.') {
            continue;
        }
        if kind.is_dir() {
            subfolders.push(entry.path());
        } else if let Some(item) = keep(&entry, name, kind) {
            kept.push(item);
        }
    }
    (kept, subfolders)
}

/// A complaint file of a folder, and whether it is a symbolic link (the only kind that needs a
/// second look before it is read).
fn complaint_file(
    entry: &fs::DirEntry,
    name: &[u8],
    kind: fs::FileType,
) -> Option<(PathBuf, bool)> {
    (name.ends_with(b".toml") && (kind.is_file() || kind.is_symlink()))
        .then(|| (entry.path(), kind.is_symlink()))
}

/// Folds the complaint files of `dir` and of its subfolders, as [`Store::fold`] does: the
/// folder's files in parallel, in name order (so the folding, and the order of what is kept,
/// is the same from run to run), then its subfolders, also in parallel and in name order.
fn fold_folder<A: Send>(
    dir: &Path,
    init: &(impl Fn() -> A + Sync),
    merge: &(impl Fn(A, A) -> A + Sync),
    one: &(impl Fn((A, Vec<u8>), (PathBuf, bool)) -> (A, Vec<u8>) + Sync),
) -> A {
    let (mut files, mut subfolders) = read_folder(dir, &complaint_file);
    files.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    subfolders.sort_unstable();
    let here = files
        .into_par_iter()
        .fold(|| (init(), Vec::new()), one)
        .map(|(acc, _)| acc)
        .reduce(init, merge);
    let below = subfolders
        .par_iter()
        .map(|sub| fold_folder(sub, init, merge, one))
        .reduce(init, merge);
    merge(here, below)
}

/// What a scan reads of each file: everything up to `depth`; with a `first_look`, a file is
/// read at that smaller depth first, and only a complaint `wanted` at first look is read to
/// `depth` (the others are passed on as first read). `gripe list --open` reads the header of
/// every file but the history of open complaints only.
pub(crate) struct Reading<'f> {
    pub(crate) depth: Depth,
    pub(crate) first_look: Option<(Depth, Wanted<'f>)>,
}

/// Which complaints a first look lets through.
pub(crate) type Wanted<'f> = &'f (dyn Fn(&Complaint) -> bool + Sync);

/// How many of the complaints a scan has looked at so far were wanted: past half, a first look
/// costs more than it saves (on these files a look costs about two thirds of a whole read).
#[derive(Default)]
struct Share {
    looked: AtomicUsize,
    wanted: AtomicUsize,
}

impl Share {
    fn count(&self, wanted: bool) {
        self.looked.fetch_add(1, Ordering::Relaxed);
        if wanted {
            self.wanted.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Whether more than half were wanted, once there are enough to tell.
    fn mostly_wanted(&self) -> bool {
        let looked = self.looked.load(Ordering::Relaxed);
        looked >= 64 && self.wanted.load(Ordering::Relaxed) * 2 > looked
    }
}

impl From<Depth> for Reading<'_> {
    fn from(depth: Depth) -> Self {
        Reading {
            depth,
            first_look: None,
        }
    }
}

/// Reads a file into a reused buffer and checks it is text: no more than `limit` bytes
/// (`max_file_size`) and UTF-8, or an error naming the file and where it goes wrong.
fn read_into<'b>(path: &Path, buffer: &'b mut Vec<u8>, limit: u64) -> Result<&'b str> {
    buffer.clear();
    // Room for a typical file at once: read_to_end then takes one read and one at the end,
    // not a run of small probing reads as the buffer grows (five per file with a new buffer).
    buffer.reserve(16 * 1024);
    fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(buffer))
        .map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
    if buffer.len() as u64 > limit {
        return Err(Error::InvalidFile {
            location: Location {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
            },
            message: format!("larger than max_file_size ({limit} bytes); gripe does not read it"),
            hint: Some(
                "complaint files are a few KB; raise max_file_size in gripe.toml if this one is meant to be so big"
                    .into(),
            ),
        });
    }
    std::str::from_utf8(buffer).map_err(|e| {
        let valid = std::str::from_utf8(&buffer[..e.valid_up_to()]).unwrap_or_default();
        Error::InvalidFile {
            location: Location::at_offset(path, valid, valid.len()),
            message: "not valid UTF-8 text".into(),
            hint: Some(
                "save the file as UTF-8 (gripe writes UTF-8; another program changed it)".into(),
            ),
        }
    })
}

/// A complaint found by id prefix.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub(crate) id: String,
    /// Its shortest unique prefix, for messages.
    pub(crate) short: String,
    pub(crate) path: PathBuf,
}

impl Store {
    /// Finds the complaint folder for `cwd`, or uses `dir_override` (`--dir`, `GRIPE_DIR`):
    /// a folder holding gripe.toml is a project root, any other folder is the complaint folder
    /// itself (with the gripe.toml of its parent, if there is one).
    pub(crate) fn discover(cwd: &Path, dir_override: Option<&Path>) -> Result<Store> {
        let (root, dir) = match dir_override {
            Some(path) => {
                let path = cwd.join(path);
                if path.join(CONFIG_FILE).is_file() {
                    (Some(path), None)
                } else if path.is_dir() {
                    let parent = path.parent().filter(|p| p.join(CONFIG_FILE).is_file());
                    (parent.map(Path::to_path_buf), Some(path))
                } else {
                    return Err(Error::usage_hint(
                        format!("--dir {}: no such folder", path.display()),
                        "create it with `gripe init`, or point --dir (GRIPE_DIR) at an existing complaint folder",
                    ));
                }
            }
            None => {
                let found = cwd
                    .ancestors()
                    .find(|d| d.join(CONFIG_FILE).is_file() || d.join(DEFAULT_DIR).is_dir());
                match found {
                    Some(root) => (Some(root.to_path_buf()), None),
                    None => {
                        return Err(Error::usage_hint(
                            format!(
                                "no complaint folder in {} or any folder above it",
                                cwd.display()
                            ),
                            "run `gripe init` to create one here, or pass --dir PATH",
                        ));
                    }
                }
            }
        };
        let config_path = root.as_ref().map(|r| r.join(CONFIG_FILE));
        let config = match &config_path {
            Some(p) if p.is_file() => Config::load(&shorten(cwd, p, root.as_deref()))?,
            _ => Config::default(),
        };
        let dir =
            dir.unwrap_or_else(|| root.as_ref().expect("a root when no dir").join(&config.dir));
        Ok(Store {
            real_dir: fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone()),
            dir: shorten(cwd, &dir, root.as_deref()),
            config,
        })
    }

    /// Every complaint file below the folder, in a stable order.
    pub(crate) fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = visit(&self.dir, &complaint_file)
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        // Byte order is stable and much cheaper than comparing paths component by component.
        files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        files
    }

    /// Refuses a symbolic link that leads out of the complaint folder (or nowhere): gripe
    /// reads and writes only the team's complaint files.
    fn check_link(&self, path: &Path) -> Result<()> {
        match fs::canonicalize(path) {
            Ok(target) if target.starts_with(&self.real_dir) => Ok(()),
            Ok(target) => Err(Error::InvalidFile {
                location: Location {
                    path: path.to_path_buf(),
                    line: 1,
                    column: 1,
                },
                message: format!(
                    "a symbolic link to {}, outside the complaint folder; gripe does not follow it",
                    target.display()
                ),
                hint: Some("replace the link with the file itself, or remove it".into()),
            }),
            Err(source) => Err(Error::Read {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Reads a complaint file as text, with the checks every read makes.
    fn read_checked<'b>(
        &self,
        path: &Path,
        link: bool,
        buffer: &'b mut Vec<u8>,
    ) -> Result<&'b str> {
        if link {
            self.check_link(path)?;
        }
        read_into(path, buffer, self.config.max_file_size)
    }

    /// Reads one file found outside a walk (which would have said whether it is a link), with
    /// the checks every read makes, into `buffer`.
    fn read_one<'b>(&self, path: &Path, buffer: &'b mut Vec<u8>) -> Result<&'b str> {
        let link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        self.read_checked(path, link, buffer)
    }

    /// Reads one file (the caller reads it again before writing).
    pub(crate) fn read_text(&self, path: &Path) -> Result<String> {
        self.read_one(path, &mut Vec::new())
            .map(ToString::to_string)
    }

    pub(crate) fn load(&self, path: &Path) -> Result<Loaded> {
        let mut buffer = Vec::new();
        let text = self.read_one(path, &mut buffer)?;
        Ok(Loaded {
            path: path.to_path_buf(),
            complaint: read_complaint(path, text)?,
        })
    }

    /// Reads every complaint file in parallel, to `depth`, and folds each complaint into a
    /// per-thread accumulator (`add`) or its error into it (`fail`); `merge` joins the
    /// accumulators. Nothing but the accumulators is kept, so memory stays flat however many
    /// files there are, and a bad file never stops the scan. The walk goes folder by folder:
    /// only the names of the folders being read are held, never a list of every file.
    pub(crate) fn fold<'f, A: Send>(
        &self,
        reading: impl Into<Reading<'f>>,
        init: impl Fn() -> A + Sync + Send,
        add: impl Fn(&mut A, Loaded) + Sync + Send,
        merge: impl Fn(A, A) -> A + Sync + Send,
        fail: impl Fn(&mut A, Error) + Sync + Send,
    ) -> A {
        let reading = reading.into();
        let parse = |path: &Path, text: &str, depth: Depth| match depth {
            Depth::Top => read_partial(path, text, false),
            Depth::Header => read_partial(path, text, true),
            Depth::Full => read_complaint(path, text),
        };
        let share = Share::default();
        let one = |(mut acc, mut buffer): (A, Vec<u8>), (path, link): (PathBuf, bool)| {
            let read = self.read_checked(&path, link, &mut buffer);
            let complaint = read.and_then(|text| match reading.first_look {
                // Most complaints pass the first look (`list --open` on a backlog): reading
                // each to `depth` at once is cheaper than looking first. What comes out is
                // the same either way, so this only changes the cost: a file that does not
                // read to `depth` gets its first look, and one not wanted there is passed on
                // as first read, as a first look would have passed it.
                Some((look, wanted)) if share.mostly_wanted() => {
                    match parse(&path, text, reading.depth) {
                        Ok(complaint) => {
                            share.count(wanted(&complaint));
                            Ok(complaint)
                        }
                        Err(error) => {
                            let first = parse(&path, text, look)?;
                            if wanted(&first) {
                                Err(error)
                            } else {
                                Ok(first)
                            }
                        }
                    }
                }
                Some((look, wanted)) => {
                    let first = parse(&path, text, look)?;
                    let keep = wanted(&first);
                    share.count(keep);
                    if keep {
                        parse(&path, text, reading.depth)
                    } else {
                        Ok(first)
                    }
                }
                None => parse(&path, text, reading.depth),
            });
            match complaint {
                Ok(complaint) => add(&mut acc, Loaded { path, complaint }),
                Err(error) => fail(&mut acc, error),
            }
            (acc, buffer)
        };
        fold_folder(&self.dir, &init, &merge, &one)
    }

    /// Every complaint id with its file, sorted. Files named after their id are not opened;
    /// others are read for their `id`, and skipped if they cannot be.
    pub(crate) fn index(&self) -> Vec<(String, PathBuf)> {
        self.ids_starting_with("")
    }

    /// The ids that start with `start`, with their files, sorted: one walk over the file names
    /// that keeps only those (a file not named after its id is read for it). Single-complaint
    /// commands ask for the ids that share the first [`id::MIN_PREFIX`] characters of theirs,
    /// which is all that decides a match and a shortest unique prefix.
    pub(crate) fn ids_starting_with(&self, start: &str) -> Vec<(String, PathBuf)> {
        let mut ids = self.names(&self.dir, &|id| id.starts_with(start), &|id, path| {
            (id, path())
        });
        ids.sort();
        ids
    }

    /// The shortest unique prefixes of `ids` among every complaint in the folder, from one walk
    /// over the file names that keeps only the ids sharing the first [`id::MIN_PREFIX`]
    /// characters of one of them (all that decides their prefixes): a report shows a few ids
    /// and need not hold every id of a million complaints to shorten them.
    pub(crate) fn short_ids_for<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> ShortIds {
        let starts: HashSet<&str> = ids
            .into_iter()
            .map(|id| id.get(..id::MIN_PREFIX).unwrap_or(id))
            .collect();
        let wanted = |id: &str| starts.contains(id.get(..id::MIN_PREFIX).unwrap_or(id));
        ShortIds::new(self.names(&self.dir, &wanted, &|id, _| id))
    }

    /// What `keep` makes of the id (and the file, if it asks for it) of each complaint whose id
    /// is `wanted`: file names are compared before anything is allocated for them; a file not
    /// named after its id is read for it.
    fn names<T: Send>(
        &self,
        dir: &Path,
        wanted: &(dyn Fn(&str) -> bool + Sync),
        keep: &(dyn Fn(String, &dyn Fn() -> PathBuf) -> T + Sync),
    ) -> Vec<T> {
        visit(dir, &|entry, name, kind| {
            let stem = std::str::from_utf8(name.strip_suffix(b".toml")?).ok()?;
            if !(kind.is_file() || kind.is_symlink()) {
                return None;
            }
            if id::is_canonical(stem) && stem.len() >= id::MIN_PREFIX {
                return wanted(stem).then(|| keep(stem.to_string(), &|| entry.path()));
            }
            let loaded = self.load(&entry.path()).ok()?;
            let path = loaded.path;
            wanted(&loaded.complaint.id).then(|| keep(loaded.complaint.id, &|| path.clone()))
        })
    }

    /// The complaint whose id starts with `prefix`: never a guess. An unknown prefix, or one
    /// that several ids (or two files with one id) share, is an error listing the candidates.
    pub(crate) fn resolve(&self, prefix: &str) -> Result<Resolved> {
        let prefix = id::normalize_prefix(prefix)?;
        let near = self.ids_starting_with(&prefix[..id::MIN_PREFIX]);
        let matches: Vec<&(String, PathBuf)> = near
            .iter()
            .filter(|(id, _)| id.starts_with(&prefix))
            .collect();
        match matches.as_slice() {
            [] => Err(Error::NotFound { prefix }),
            [(id, path)] => Ok(Resolved {
                id: id.clone(),
                short: self.short_id_among(id, &near),
                path: path.clone(),
            }),
            many if many.iter().all(|(id, _)| *id == many[0].0) => Err(Error::DuplicateId {
                id: many[0].0.clone(),
                paths: many.iter().map(|(_, path)| path.clone()).collect(),
            }),
            many => Err(Error::Ambiguous {
                prefix,
                candidates: many
                    .iter()
                    .map(|(id, path)| format!("{id} ({})", path.display()))
                    .collect(),
            }),
        }
    }

    /// The shortest unique prefix of `id`, looking only at the ids that could share it.
    pub(crate) fn short_id(&self, id: &str) -> String {
        let near = self.ids_starting_with(&id[..id::MIN_PREFIX.min(id.len())]);
        self.short_id_among(id, &near)
    }

    fn short_id_among(&self, id: &str, near: &[(String, PathBuf)]) -> String {
        ShortIds::new(near.iter().map(|(id, _)| id.as_str()))
            .get(id)
            .to_string()
    }

    /// The path a new complaint is written to: `YYYY/MM/<id>.toml` by its opening month.
    pub(crate) fn path_for(&self, complaint: &Complaint, zone: &Zone) -> PathBuf {
        let date = complaint.opened.date(zone);
        self.dir
            .join(date.format("%Y").to_string())
            .join(date.format("%m").to_string())
            .join(format!("{}.toml", complaint.id))
    }

    /// Refuses a complaint file gripe would then refuse to read: one over `max_file_size`.
    pub(crate) fn check_size(&self, path: &Path, text: &str) -> Result<()> {
        let limit = self.config.max_file_size;
        if text.len() as u64 <= limit {
            return Ok(());
        }
        Err(Error::usage_hint(
            format!(
                "{}: would be {} bytes, over max_file_size ({limit} bytes); nothing was written",
                path.display(),
                text.len()
            ),
            "shorten the text, or raise max_file_size in gripe.toml",
        ))
    }

    /// Refuses a complaint in a stage the workflow does not have: gripe cannot tell what
    /// any change would mean for it, so the file is the person's to fix first.
    pub(crate) fn check_stage(&self, path: &Path, text: &str, complaint: &Complaint) -> Result<()> {
        let workflow = &self.config.workflow;
        if workflow.index(&complaint.stage).is_some() {
            return Ok(());
        }
        let offset = text.find("\nstage").map_or(0, |i| i + 1);
        Err(Error::InvalidFile {
            location: crate::error::Location::at_offset(path, text, offset),
            message: format!("`{}` is not a stage", complaint.stage),
            hint: Some(format!(
                "stages: {}; fix it by hand (`gripe edit` validates as you save)",
                workflow.stages.join(", ")
            )),
        })
    }

    /// Writes a new complaint file; never replaces an existing file.
    pub(crate) fn create(&self, complaint: &Complaint, zone: &Zone) -> Result<PathBuf> {
        let path = self.path_for(complaint, zone);
        let text = ComplaintDoc::render_new(complaint);
        self.check_size(&path, &text)?;
        read_complaint(&path, &text)?;
        write_atomic(&path, text.as_bytes(), Replace::Never)?;
        Ok(path)
    }

    /// Writes many new complaint files at once, as safely as [`Store::create`] writes one but
    /// without a disk flush per file (which costs milliseconds each on a real disk):
    ///
    /// 1. every file is rendered and written to a hidden temp file next to its place (in
    ///    parallel; `done` is called after each one);
    /// 2. one flush of the whole file system makes all of them durable;
    /// 3. each temp file is renamed into place, never over an existing file;
    /// 4. a second flush makes the renames durable.
    ///
    /// A crash at any point leaves every complaint file whole or absent: a rename only ever
    /// moves a file whose content is already on disk. What a crash can leave behind is hidden
    /// `.*.tmp` files, which gripe never reads. On an error before step 3 nothing is created
    /// and the temp files are removed.
    ///
    /// Unlike [`Store::create`], the text is not read back before it is written: it is what
    /// [`ComplaintDoc::render_new`] makes of a [`Complaint`], whose round trip the tests prove
    /// for any complaint, and reading 100,000 files back would add a fifth to an import.
    pub(crate) fn create_all(
        &self,
        complaints: &[Complaint],
        zone: &Zone,
        done: impl Fn() + Sync,
    ) -> Result<Vec<PathBuf>> {
        // Folders first, once: a complaint folder has a few of them, by month.
        let folders: std::collections::BTreeSet<PathBuf> = complaints
            .iter()
            .map(|c| parent_of(&self.path_for(c, zone)).to_path_buf())
            .collect();
        for folder in &folders {
            fs::create_dir_all(folder).map_err(|source| Error::Write {
                path: folder.clone(),
                source,
            })?;
        }
        let staged: Vec<(tempfile::TempPath, PathBuf)> = complaints
            .par_iter()
            .map(|complaint| {
                let path = self.path_for(complaint, zone);
                let text = ComplaintDoc::render_new(complaint);
                self.check_size(&path, &text)?;
                let temp = temp_file_with(&path, text.as_bytes(), Place::New)?;
                done();
                Ok((temp.into_temp_path(), path))
            })
            .collect::<Result<_>>()?;
        sync_all_written(&self.dir, staged.iter().map(|(temp, _)| temp.as_ref()))?;
        let created = staged
            .into_par_iter()
            .map(|(temp, path)| {
                temp.persist_noclobber(&path).map_err(|e| Error::Write {
                    path: path.clone(),
                    source: e.error,
                })?;
                Ok(path)
            })
            .collect::<Result<Vec<PathBuf>>>()?;
        sync_all_written(&self.dir, folders.iter().map(PathBuf::as_path))?;
        Ok(created)
    }

    /// Edits the file at `path`: `change` gets the open document and the complaint as it is now
    /// and makes its edits; the result is checked to read back as a complaint and written
    /// atomically, unless the file changed on disk meanwhile.
    pub(crate) fn edit<T>(
        &self,
        path: &Path,
        change: impl FnOnce(&mut ComplaintDoc, &Complaint) -> Result<T>,
    ) -> Result<T> {
        let _lock = crate::store::lock::lock(path)?;
        let edited = self.prepare(path, change)?;
        if edited.after != edited.before {
            write_atomic(
                path,
                edited.after.as_bytes(),
                Replace::IfUnchanged(edited.before.as_bytes()),
            )?;
        }
        Ok(edited.result)
    }

    /// Makes the edit [`Store::edit`] would make, checked, without writing it: for a change
    /// to many files that writes none unless every one of them can be made.
    pub(crate) fn prepare<T>(
        &self,
        path: &Path,
        change: impl FnOnce(&mut ComplaintDoc, &Complaint) -> Result<T>,
    ) -> Result<Prepared<T>> {
        let before = self.read_text(path)?;
        let (mut doc, complaint) = ComplaintDoc::parse(path, &before)?;
        self.check_stage(path, &before, &complaint)?;
        let result = change(&mut doc, &complaint)?;
        let after = doc.render();
        if after != before {
            self.check_size(path, &after)?;
            read_complaint(path, &after)?;
        }
        Ok(Prepared {
            before,
            after,
            result,
        })
    }
}

/// `path` as messages show it: relative to `cwd` when it is below `cwd`, or when `cwd` is inside
/// the project (`root`) as git shows paths; else absolute.
fn shorten(cwd: &Path, path: &Path, root: Option<&Path>) -> PathBuf {
    if let Ok(rel) = path.strip_prefix(cwd) {
        return if rel.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            rel.to_path_buf()
        };
    }
    match root {
        Some(root) if cwd.starts_with(root) => {
            pathdiff::diff_paths(path, cwd).unwrap_or_else(|| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// Replaces a file the caller read earlier (`expected`) without holding it open meanwhile
/// (an editor session, a merge): under the file's lock, and only if it still holds what was
/// read.
pub(crate) fn replace_read_file(path: &Path, bytes: &[u8], expected: &[u8]) -> Result<()> {
    let _lock = crate::store::lock::lock(path)?;
    write_atomic(path, bytes, Replace::IfUnchanged(expected))
}

/// Deletes a file the caller read earlier (`expected`): under the file's lock, and only if it
/// still holds what was read.
pub(crate) fn remove_read_file(path: &Path, expected: &[u8]) -> Result<()> {
    let _lock = crate::store::lock::lock(path)?;
    let write_error = |source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if fs::read(path).map_err(write_error)? != expected {
        return Err(Error::ChangedMeanwhile {
            path: path.to_path_buf(),
            kept: None,
        });
    }
    fs::remove_file(path).map_err(write_error)?;
    sync_dir(parent_of(path));
    Ok(())
}

/// What an atomic write may replace.
pub(crate) enum Replace<'a> {
    /// Only create; fail if the file exists.
    Never,
    /// Replace the file only if it still holds these bytes.
    IfUnchanged(&'a [u8]),
    /// Create or replace.
    Always,
}

/// Writes `bytes` to `path` through a temp file in the same folder, fsynced, then renamed into
/// place; on any failure the temp file is removed and the old file is untouched.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], replace: Replace<'_>) -> Result<()> {
    let write_error = |source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let temp = temp_file_with(path, bytes, Place::Unknown)?;
    temp.as_file().sync_all().map_err(write_error)?;
    match replace {
        Replace::Never => {
            temp.persist_noclobber(path)
                .map_err(|e| write_error(e.error))?;
        }
        Replace::IfUnchanged(expected) => {
            let current = fs::read(path).map_err(write_error)?;
            if current != expected {
                return Err(Error::ChangedMeanwhile {
                    path: path.to_path_buf(),
                    kept: None,
                });
            }
            temp.persist(path).map_err(|e| write_error(e.error))?;
        }
        Replace::Always => {
            temp.persist(path).map_err(|e| write_error(e.error))?;
        }
    }
    sync_dir(parent_of(path));
    Ok(())
}

/// The folder of `path` (`.` for a bare file name).
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// What the writer of a temp file knows about the place it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Nothing: its folder may be missing, and a file may be there, whose mode is kept.
    Unknown,
    /// A new file, in a folder that exists (saves two look-ups per file in a bulk write).
    New,
}

/// A hidden temp file next to `path` holding `bytes` (not yet flushed to disk), with the mode
/// the file at `path` has, or the usual mode of a new file. The temp file is removed when the
/// result is dropped without being persisted.
fn temp_file_with(path: &Path, bytes: &[u8], place: Place) -> Result<tempfile::NamedTempFile> {
    let write_error = |source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let parent = parent_of(path);
    if place == Place::Unknown {
        fs::create_dir_all(parent).map_err(write_error)?;
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(write_error)?;
    temp.write_all(bytes).map_err(write_error)?;
    set_readable_permissions(temp.as_file(), path, place).map_err(write_error)?;
    Ok(temp)
}

/// Temp files are created private; the complaint keeps the old file's mode, or gets the usual
/// mode of a new file.
#[cfg(unix)]
fn set_readable_permissions(file: &fs::File, path: &Path, place: Place) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let new_file = 0o644;
    let mode = match place {
        Place::New => new_file,
        Place::Unknown => fs::metadata(path).map_or(new_file, |m| m.permissions().mode() & 0o777),
    };
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_readable_permissions(_file: &fs::File, _path: &Path, _place: Place) -> std::io::Result<()> {
    Ok(())
}

/// Makes the rename itself durable (best effort: not every platform can sync a folder).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Makes everything written so far to `paths` (files, or folders after renames in them)
/// durable. On Linux that is one `syncfs` of the file system holding `dir`, which costs about
/// as much as a single fsync; elsewhere each path is flushed in turn.
#[cfg(target_os = "linux")]
fn sync_all_written<'a>(dir: &Path, _paths: impl Iterator<Item = &'a Path>) -> Result<()> {
    let sync = || rustix::fs::syncfs(fs::File::open(dir)?).map_err(std::io::Error::from);
    sync().map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

#[cfg(not(target_os = "linux"))]
fn sync_all_written<'a>(_dir: &Path, paths: impl Iterator<Item = &'a Path>) -> Result<()> {
    for path in paths {
        if path.is_dir() {
            sync_dir(path);
        } else {
            let sync = || fs::File::open(path)?.sync_all();
            sync().map_err(|source| Error::Write {
                path: path.to_path_buf(),
                source,
            })?;
        }
    }
    Ok(())
}
