//! Running git: finding the work tree a folder is in, reading and writing its local config,
//! asking which merge driver applies to a path, staging and committing one file, and git's own
//! plain-text merge for files gripe cannot merge.
//!
//! gripe runs the `git` binary rather than reading `.git` itself, so it sees exactly what the
//! person's git sees: worktrees, includes, hooks and identity. Reports never call this module:
//! they read the files alone, so they work in shallow CI clones.

use std::ffi::OsStr;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command;
use std::process::Output;

use crate::error::Error;
use crate::error::Result;

/// A git work tree (a clone or a `git worktree`).
#[derive(Debug, Clone)]
pub(crate) struct Repo {
    /// The top folder of the work tree.
    pub(crate) top: PathBuf,
}

/// Runs git in `dir`; an error only when git cannot be started.
fn git<I, S>(dir: &Path, args: I) -> Result<Output>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| Error::External {
            what: "running git".into(),
            message: e.to_string(),
        })
}

/// The trimmed standard output of a git command that succeeded.
fn stdout_of(output: &Output) -> Option<String> {
    let text = String::from_utf8_lossy(&output.stdout).trim().to_string();
    (output.status.success() && !text.is_empty()).then_some(text)
}

/// The error for a git command that failed, with what git said.
fn failed(what: &str, output: &Output) -> Error {
    let said = String::from_utf8_lossy(&output.stderr);
    let said = said.trim();
    Error::External {
        what: what.to_string(),
        message: if said.is_empty() {
            format!("git exited with {}", output.status)
        } else {
            said.lines().collect::<Vec<_>>().join("; ")
        },
    }
}

/// `git config user.name` as seen from `dir`, if set (and git is there).
pub(crate) fn user_name(dir: &Path) -> Option<String> {
    stdout_of(&git(dir, ["config", "user.name"]).ok()?)
}

/// Git's own line-by-line three-way merge of `current` (rewritten in place, with diff3-style
/// markers on conflicts) with `base` and `other`; true when it merged cleanly.
pub(crate) fn merge_text(current: &Path, base: &Path, other: &Path) -> Result<bool> {
    let dir = current.parent().unwrap_or(Path::new("."));
    let output = git(
        dir,
        [
            OsStr::new("merge-file"),
            OsStr::new("--diff3"),
            OsStr::new("-L"),
            OsStr::new("ours"),
            OsStr::new("-L"),
            OsStr::new("base"),
            OsStr::new("-L"),
            OsStr::new("theirs"),
            current.as_os_str(),
            base.as_os_str(),
            other.as_os_str(),
        ],
    )?;
    // The exit status is the number of conflicts; negative (above 127) on errors.
    match output.status.code() {
        Some(0) => Ok(true),
        Some(1..=127) => Ok(false),
        _ => Err(failed("git merge-file", &output)),
    }
}

impl Repo {
    /// The work tree `dir` is in, or `None` outside any.
    pub(crate) fn find(dir: &Path) -> Result<Option<Repo>> {
        let output = git(dir, ["rev-parse", "--show-toplevel"])?;
        Ok(stdout_of(&output).map(|top| Repo {
            top: PathBuf::from(top),
        }))
    }

    fn run<I, S>(&self, args: I) -> Result<Output>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        git(&self.top, args)
    }

    /// A value of the repository's config, if set.
    pub(crate) fn config(&self, key: &str) -> Result<Option<String>> {
        Ok(stdout_of(&self.run(["config", "--get", key])?))
    }

    /// Sets a value in the repository's own config (`.git/config`, shared by its worktrees).
    pub(crate) fn set_config(&self, key: &str, value: &str) -> Result<()> {
        let output = self.run(["config", "--local", key, value])?;
        if output.status.success() {
            Ok(())
        } else {
            Err(failed(&format!("git config {key}"), &output))
        }
    }

    /// The value of attribute `attribute` for `path` (which need not exist), if it is set.
    pub(crate) fn attribute(&self, attribute: &str, path: &Path) -> Result<Option<String>> {
        let output = self.run([
            OsStr::new("check-attr"),
            OsStr::new(attribute),
            OsStr::new("--"),
            path.as_os_str(),
        ])?;
        let line = stdout_of(&output).unwrap_or_default();
        let value = line.rsplit(": ").next().unwrap_or_default();
        Ok(match value {
            "" | "unspecified" | "unset" => None,
            value => Some(value.to_string()),
        })
    }

    /// Whether `path` is in the middle of a merge (its conflict is not yet marked resolved).
    pub(crate) fn is_unmerged(&self, path: &Path) -> Result<bool> {
        let output = self.run([
            OsStr::new("ls-files"),
            OsStr::new("--unmerged"),
            OsStr::new("--"),
            path.as_os_str(),
        ])?;
        Ok(stdout_of(&output).is_some())
    }

    /// Stages `path` as it is in the work tree.
    pub(crate) fn stage(&self, path: &Path) -> Result<()> {
        let output = self.run([OsStr::new("add"), OsStr::new("--"), path.as_os_str()])?;
        if output.status.success() {
            Ok(())
        } else {
            Err(failed("git add", &output))
        }
    }

    /// The repository's own folder (`.git`, shared by its worktrees): never committed, never
    /// pushed.
    pub(crate) fn git_dir(&self) -> Result<PathBuf> {
        let output = self.run(["rev-parse", "--git-common-dir"])?;
        let dir = stdout_of(&output).ok_or_else(|| failed("git rev-parse", &output))?;
        Ok(self.top.join(dir))
    }

    /// The commits, on any branch or tag, that add or remove `text` below `path` (git's
    /// pickaxe), newest first, each as `<short hash> <date> <subject>`.
    pub(crate) fn commits_touching(&self, text: &str, path: &Path) -> Result<Vec<String>> {
        let mut pickaxe = std::ffi::OsString::from("-S");
        pickaxe.push(text);
        let output = self.run([
            OsStr::new("log"),
            OsStr::new("--all"),
            OsStr::new("--format=%h %as %s"),
            &pickaxe,
            OsStr::new("--"),
            path.as_os_str(),
        ])?;
        if !output.status.success() {
            return Err(failed("git log", &output));
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(String::from)
            .collect())
    }

    /// Commits `path` alone, as it is in the work tree: whatever else is staged stays staged
    /// and out of the commit. False when the file has nothing to commit.
    pub(crate) fn commit_file(&self, path: &Path, message: &str) -> Result<bool> {
        // git takes its index lock without waiting, so gripes committing at once in one
        // repository take turns here instead of failing on `index.lock`.
        let _turn = crate::store::lock::lock(&self.top)?;
        self.stage(path)?;
        let unchanged = self.run([
            OsStr::new("diff"),
            OsStr::new("--cached"),
            OsStr::new("--quiet"),
            OsStr::new("--"),
            path.as_os_str(),
        ])?;
        if unchanged.status.success() {
            return Ok(false);
        }
        let output = self.run([
            OsStr::new("commit"),
            OsStr::new("--quiet"),
            OsStr::new("--only"),
            OsStr::new("-m"),
            OsStr::new(message),
            OsStr::new("--"),
            path.as_os_str(),
        ])?;
        if output.status.success() {
            Ok(true)
        } else {
            Err(failed("git commit", &output))
        }
    }
}
