//! The test harness: runs the real `gripe` binary in a temporary folder with a fixed clock, a
//! fixed author and an otherwise empty environment.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command;
use std::process::Stdio;

pub const NOW: &str = "2026-11-23T09:00:00+09:00";

pub struct Gripe {
    dir: tempfile::TempDir,
    /// gripe's own temp folder (`TMPDIR`): editor files and locks, gone with the test.
    tmp: tempfile::TempDir,
    now: String,
    user: String,
    env: BTreeMap<String, String>,
}

/// What one run of gripe did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts exit 0 and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Asserts the exit code and returns stderr.
    #[track_caller]
    pub fn fails(&self, code: i32) -> &str {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stderr
    }
}

impl Gripe {
    /// An empty folder (no `gripe init`).
    pub fn bare() -> Gripe {
        Gripe {
            dir: tempfile::tempdir().expect("temp dir"),
            tmp: tempfile::tempdir().expect("temp dir"),
            now: NOW.to_string(),
            user: "andrea".to_string(),
            env: BTreeMap::new(),
        }
    }

    /// A folder after `gripe init`.
    pub fn new() -> Gripe {
        let g = Gripe::bare();
        g.run(&["init"]).ok();
        g
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn now(mut self, now: &str) -> Gripe {
        self.now = now.to_string();
        self
    }

    pub fn set_now(&mut self, now: &str) {
        self.now = now.to_string();
    }

    pub fn env(mut self, key: &str, value: &str) -> Gripe {
        self.env.insert(key.to_string(), value.to_string());
        self
    }

    fn command(&self, args: &[&str], cwd: &Path) -> Command {
        self.command_of(env!("CARGO_BIN_EXE_gripe"), args, cwd)
    }

    /// A program run like gripe: in `cwd`, with the clean environment of the tests.
    fn command_of(&self, program: &str, args: &[&str], cwd: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(cwd)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("TMPDIR", self.tmp.path())
            .env("TZ", "UTC")
            .env("GRIPE_NOW", &self.now)
            .env("GRIPE_USER", &self.user)
            .env("GIT_CONFIG_NOSYSTEM", "1");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(self.path(), args, None)
    }

    /// Runs with extra environment variables for this run only.
    pub fn run_with_env(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let mut cmd = self.command(args, self.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.stdin(Stdio::null()).output().expect("gripe runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        }
    }

    pub fn run_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.run_in(self.path(), args, Some(stdin))
    }

    pub fn run_in(&self, cwd: &Path, args: &[&str], stdin: Option<&str>) -> Run {
        self.spawn(self.command(args, cwd), stdin)
    }

    /// Runs git in `cwd` with the same environment (so a merge driver it starts gets it too).
    pub fn git_in(&self, cwd: &Path, args: &[&str]) -> Run {
        self.spawn(self.command_of("git", args, cwd), None)
    }

    /// Runs git in the folder and returns its stdout, asserting success.
    #[track_caller]
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(self.path(), args).ok().to_string()
    }

    fn spawn(&self, mut cmd: Command, stdin: Option<&str>) -> Run {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("gripe runs");
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(stdin.unwrap_or("").as_bytes()).ok();
        drop(pipe);
        let out = child.wait_with_output().expect("gripe finishes");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        }
    }

    /// Runs `gripe open` with `args` and returns the short id it printed.
    pub fn open(&self, args: &[&str]) -> String {
        let mut all = vec!["open"];
        all.extend_from_slice(args);
        self.run(&all).ok().trim().to_string()
    }

    /// The only file of the complaint whose id starts with `prefix`.
    pub fn file(&self, prefix: &str) -> PathBuf {
        let files: Vec<PathBuf> = self
            .files()
            .into_iter()
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .collect();
        assert_eq!(files.len(), 1, "one file for {prefix}: {files:?}");
        files[0].clone()
    }

    pub fn read(&self, prefix: &str) -> String {
        std::fs::read_to_string(self.file(prefix)).expect("complaint file")
    }

    /// Every file below complaints/, hidden ones included, sorted.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = walkdir(self.path().join("complaints"));
        files.sort();
        files
    }

    /// Writes a file relative to the folder, creating parents.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

fn walkdir(dir: PathBuf) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walkdir(path));
        } else if path.extension().is_some_and(|e| e == "toml" || e == "tmp") {
            out.push(path);
        }
    }
    out
}

/// The JSON of a `gripe ... --format json` run.
pub fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(run.ok()).expect("valid JSON")
}
