//! The one error type of gripe and the one place that maps errors to exit codes.
//!
//! Every variant carries what a person needs to fix the problem: the file, line and column, the
//! offending value, the candidates of an ambiguous prefix. `main` prints an error once, as
//! `gripe: error: ...` followed by `hint: ...` lines, and exits with [`Error::exit_code`].

use std::fmt;
use std::path::Path;
use std::path::PathBuf;

/// Exit status when the command did what was asked (an empty result is success).
pub(crate) const EXIT_OK: u8 = 0;
/// Exit status of `gripe check` when it found problems of a `--fail-on` kind, of the merge driver
/// when it left conflict markers, and of `gripe git setup --check` when the driver is not set up.
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit status of a usage error: a bad flag, value, date, or a request the workflow refuses.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit status when no complaint matches an id, or a prefix matches more than one.
pub(crate) const EXIT_NOT_FOUND: u8 = 3;
/// Exit status when complaint or config files cannot be read or parsed.
pub(crate) const EXIT_INVALID: u8 = 4;
/// Exit status when a write was refused or failed: conflict markers, a held lock, a file that
/// changed meanwhile, a read-only folder or a full disk.
pub(crate) const EXIT_WRITE_REFUSED: u8 = 5;

/// Exit status when a tool gripe runs failed or could not be started: git, the editor, the
/// system's random source, gripe's own executable for the merge driver.
pub(crate) const EXIT_EXTERNAL: u8 = 6;

/// Exit status of an import that imported what it could and skipped rows it could not (named
/// on stderr, and in `--rejects FILE`).
pub const EXIT_SKIPPED: u8 = 7;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A place in a file, for messages: `path:line:column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The location of byte offset `offset` in `text`, with 1-based line and column (in chars).
    pub(crate) fn at_offset(path: &Path, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location {
            path: path.to_path_buf(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A command-line problem that clap already formatted (its text is printed as is).
    #[error("{0}")]
    Clap(#[from] clap::Error),

    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },

    #[error("no complaint matches `{prefix}`")]
    NotFound { prefix: String },

    #[error("`{prefix}` matches {} complaints: {}", candidates.len(), candidates.join(", "))]
    Ambiguous {
        prefix: String,
        candidates: Vec<String>,
    },

    #[error("{complaint} has no follow-up matching `{prefix}`")]
    NoFollowup { complaint: String, prefix: String },

    #[error("`{prefix}` matches {} follow-ups of {complaint}: {}", candidates.len(), candidates.join(", "))]
    AmbiguousFollowup {
        complaint: String,
        prefix: String,
        candidates: Vec<String>,
    },

    /// Two files hold a complaint with the same id (a copied file, or a bad merge).
    #[error("complaint {id} is in {} files: {}", paths.len(), paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    DuplicateId { id: String, paths: Vec<PathBuf> },

    #[error("{location}: {message}")]
    InvalidFile {
        location: Location,
        message: String,
        hint: Option<String>,
    },

    /// The sides of a merge cannot be merged by gripe's rules: a side is not a complaint, the
    /// sides are different complaints, or both changed a whole table.
    #[error("{path}: cannot merge: {reason}", path = path.display())]
    Unmergeable { path: PathBuf, reason: String },

    #[error("{location}: holds git conflict markers")]
    ConflictMarkers { location: Location },

    /// `gripe resolve` merged all it could, but both sides changed these keys and one of the
    /// changes was made by hand; they are left between conflict markers.
    #[error("{location}: both sides changed {} and gripe cannot tell which to keep; everything else is merged", keys.join(", "))]
    Contradiction {
        location: Location,
        keys: Vec<String>,
    },

    /// The merge driver left conflict markers: around keys both branches changed by hand, or
    /// (no keys) where git's line-by-line merge of a file gripe cannot read left them.
    #[error("{}", merge_conflicts(path, keys))]
    MergeConflicts { path: PathBuf, keys: Vec<String> },

    /// `gripe resolve` could not mend several files; each was already reported.
    #[error("{count} file(s) still hold conflict markers")]
    Unresolved { count: usize },

    /// `gripe git setup --check` found the merge driver missing or broken.
    #[error("the gripe merge driver is not set up: {}", problems.join("; "))]
    NotSetUp { problems: Vec<String> },

    #[error("{path}: changed on disk while gripe was editing it; nothing was written", path = path.display())]
    ChangedMeanwhile {
        path: PathBuf,
        /// Where the text that was not written was kept (an edit made in an editor).
        kept: Option<PathBuf>,
    },

    #[error("{path}: another gripe has been writing it for {}s; nothing was written", waited.as_secs_f64(), path = path.display())]
    Locked {
        path: PathBuf,
        waited: std::time::Duration,
    },

    #[error("cannot read {path}: {source}", path = path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot write {path}: {source}", path = path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    /// Some files of a bulk scan could not be read; each was already reported on stderr.
    #[error("{count} complaint file(s) could not be read")]
    BadFiles { count: usize },

    /// Rows of an import that could not be imported; each was already reported on stderr.
    #[error("{count} row(s) could not be imported; {}", if *written {
        "the other rows were imported"
    } else {
        "nothing was written"
    })]
    BadRows { count: usize, written: bool },

    /// `gripe check` found problems of a kind it was asked to fail on (already reported).
    #[error("{count} finding(s) of a --fail-on kind")]
    Findings { count: usize },

    #[error("{what} failed: {message}")]
    External { what: String, message: String },

    /// `gripe edit` gave up: the person saved the same invalid text twice.
    #[error("the edited text is still invalid, so nothing was saved: {reason}")]
    EditRejected { reason: String, kept: PathBuf },

    /// Writing to stdout failed; a closed pipe (`gripe list | head`) is a quiet success.
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
}

impl Error {
    /// The file an error is about, if it is about one.
    pub(crate) fn file(&self) -> Option<&std::path::Path> {
        match self {
            Error::InvalidFile { location, .. }
            | Error::ConflictMarkers { location }
            | Error::Contradiction { location, .. } => Some(&location.path),
            Error::Read { path, .. }
            | Error::Write { path, .. }
            | Error::Unmergeable { path, .. }
            | Error::MergeConflicts { path, .. }
            | Error::ChangedMeanwhile { path, .. }
            | Error::Locked { path, .. } => Some(path),
            _ => None,
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn usage_hint(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// The exit status for this error; the table is documented in the README and `--help`.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Error::Clap(e) if !e.use_stderr() => EXIT_OK,
            Error::Clap(_) | Error::Usage { .. } => EXIT_USAGE,
            Error::NotFound { .. }
            | Error::Ambiguous { .. }
            | Error::NoFollowup { .. }
            | Error::AmbiguousFollowup { .. } => EXIT_NOT_FOUND,
            Error::InvalidFile { .. }
            | Error::DuplicateId { .. }
            | Error::Read { .. }
            | Error::BadFiles { .. }
            | Error::Unmergeable { .. }
            | Error::BadRows { written: false, .. }
            | Error::EditRejected { .. } => EXIT_INVALID,
            Error::ConflictMarkers { .. }
            | Error::Contradiction { .. }
            | Error::Unresolved { .. }
            | Error::ChangedMeanwhile { .. }
            | Error::Locked { .. }
            | Error::Write { .. } => EXIT_WRITE_REFUSED,
            Error::Findings { .. } | Error::MergeConflicts { .. } | Error::NotSetUp { .. } => {
                EXIT_FINDINGS
            }
            Error::External { .. } => EXIT_EXTERNAL,
            Error::BadRows { written: true, .. } => EXIT_SKIPPED,
            Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
            Error::Output(_) => EXIT_WRITE_REFUSED,
        }
    }

    /// Lines that tell the person how to fix the problem, printed after the error.
    pub(crate) fn hints(&self) -> Vec<String> {
        match self {
            Error::Usage { hint, .. } | Error::InvalidFile { hint, .. } => {
                hint.iter().cloned().collect()
            }
            Error::NotFound { .. } => {
                vec!["`gripe list` shows every complaint with its short id".to_string()]
            }
            Error::Ambiguous { .. } => {
                vec!["type more characters of the id to pick one".to_string()]
            }
            Error::NoFollowup { complaint, .. } => vec![format!(
                "`gripe followup list {complaint}` shows its follow-ups"
            )],
            Error::AmbiguousFollowup {
                complaint,
                candidates,
                ..
            } if candidates.iter().all(|c| *c == candidates[0]) => vec![format!(
                "two follow-ups share one id; give one of them another in the file (`gripe edit {complaint}`)"
            )],
            Error::AmbiguousFollowup { .. } => {
                vec!["type more characters of the follow-up id to pick one".to_string()]
            }
            Error::DuplicateId { .. } => vec![
                "keep one of the files and delete the other (`git log` on each shows where it came from); `gripe check` lists every duplicate".to_string(),
            ],
            Error::ConflictMarkers { location } => vec![format!(
                "run `gripe resolve {}` to merge both sides, or remove the markers by hand",
                stem(&location.path)
            )],
            Error::ChangedMeanwhile {
                kept: Some(kept), ..
            } => vec![format!(
                "your edit is kept in {}: run `gripe edit` again and copy your changes in",
                kept.display()
            )],
            Error::ChangedMeanwhile { kept: None, .. } => {
                vec!["run the command again: it will apply to the new content".to_string()]
            }
            Error::Locked { .. } => vec![
                "try again in a moment; a lock is released when its gripe ends, even if it crashed"
                    .to_string(),
            ],
            Error::Unmergeable { .. } => vec![
                "fix the file by hand: keep the lines you want between the markers and delete the marker lines".to_string(),
            ],
            Error::Contradiction { location, .. } => vec![
                "keep one side between the markers and delete the marker lines, then `gripe check`".to_string(),
                format!("(`gripe edit {}` checks the file as you save)", stem(&location.path)),
            ],
            Error::MergeConflicts { .. } => vec![
                "when git stops, keep one side between the markers and delete the marker lines; `gripe resolve` explains".to_string(),
            ],
            Error::Unresolved { .. } => {
                vec!["the messages above say why; fix those files by hand, then `gripe check`".to_string()]
            }
            Error::NotSetUp { .. } => vec!["run `gripe git setup` in this clone".to_string()],
            Error::EditRejected { kept, .. } => {
                vec![format!("your edit is kept in {}", kept.display())]
            }
            Error::BadRows { written, .. } => vec![if *written {
                "fix the rows named above (--rejects FILE collects them) and import them again: what was imported stays as it is".to_string()
            } else {
                "fix the rows named above and import again; without --strict the good rows are imported and the bad ones listed".to_string()
            }],
            Error::BadFiles { .. } => {
                vec!["fix the files named above; `gripe check` lists every problem".to_string()]
            }
            _ => Vec::new(),
        }
    }
}

fn merge_conflicts(path: &Path, keys: &[String]) -> String {
    match keys {
        [] => format!(
            "{}: git's line-by-line merge left conflict markers",
            path.display()
        ),
        [key] => format!(
            "{}: both branches changed {key} by hand; conflict markers are left around it only",
            path.display()
        ),
        keys => format!(
            "{}: both branches changed {} by hand; conflict markers are left around those keys only",
            path.display(),
            keys.join(", ")
        ),
    }
}

/// A complaint file's name without `.toml`: its id when gripe named it.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_error_has_its_documented_exit_code() {
        let location = Location {
            path: PathBuf::from("c.toml"),
            line: 1,
            column: 1,
        };
        let io = || std::io::Error::other("x");
        let cases = [
            (Error::usage("bad"), EXIT_USAGE),
            (
                Error::NotFound {
                    prefix: "abcd".into(),
                },
                EXIT_NOT_FOUND,
            ),
            (
                Error::Ambiguous {
                    prefix: "abcd".into(),
                    candidates: vec![],
                },
                EXIT_NOT_FOUND,
            ),
            (
                Error::InvalidFile {
                    location: location.clone(),
                    message: "x".into(),
                    hint: None,
                },
                EXIT_INVALID,
            ),
            (
                Error::Read {
                    path: "p".into(),
                    source: io(),
                },
                EXIT_INVALID,
            ),
            (Error::BadFiles { count: 1 }, EXIT_INVALID),
            (
                Error::BadRows {
                    count: 1,
                    written: false,
                },
                EXIT_INVALID,
            ),
            (
                Error::BadRows {
                    count: 1,
                    written: true,
                },
                EXIT_SKIPPED,
            ),
            (
                Error::External {
                    what: "git".into(),
                    message: "m".into(),
                },
                EXIT_EXTERNAL,
            ),
            (
                Error::ConflictMarkers {
                    location: location.clone(),
                },
                EXIT_WRITE_REFUSED,
            ),
            (
                Error::Locked {
                    path: "p".into(),
                    waited: std::time::Duration::from_secs(1),
                },
                EXIT_WRITE_REFUSED,
            ),
            (
                Error::ChangedMeanwhile {
                    path: "p".into(),
                    kept: None,
                },
                EXIT_WRITE_REFUSED,
            ),
            (
                Error::Write {
                    path: "p".into(),
                    source: io(),
                },
                EXIT_WRITE_REFUSED,
            ),
            (Error::Findings { count: 1 }, EXIT_FINDINGS),
            (
                Error::MergeConflicts {
                    path: "p".into(),
                    keys: vec!["severity".into()],
                },
                EXIT_FINDINGS,
            ),
            (Error::NotSetUp { problems: vec![] }, EXIT_FINDINGS),
            (
                Error::Unmergeable {
                    path: "p".into(),
                    reason: "x".into(),
                },
                EXIT_INVALID,
            ),
            (
                Error::Contradiction {
                    location: location.clone(),
                    keys: vec!["severity".into()],
                },
                EXIT_WRITE_REFUSED,
            ),
            (Error::Unresolved { count: 2 }, EXIT_WRITE_REFUSED),
        ];
        for (error, code) in cases {
            assert_eq!(error.exit_code(), code, "{error:?}");
        }
    }

    #[test]
    fn location_counts_lines_and_columns_from_one() {
        let text = "a = 1\nbé = x\n";
        let loc = Location::at_offset(Path::new("f.toml"), text, text.find('x').unwrap());
        assert_eq!((loc.line, loc.column), (2, 6));
    }
}
