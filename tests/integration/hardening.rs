//! Data safety under pressure: concurrent writers, writers killed mid-write, a full disk, a
//! read-only folder, and hostile files. Whatever happens, a complaint file is the old one or
//! the new one, never torn, and every bad input is one clear error with its exit code.

use std::os::unix::process::CommandExt;
use std::process::Command;
use std::process::Stdio;

use crate::harness::Gripe;

fn notes(text: &str) -> usize {
    text.matches("kind = \"note\"").count()
}

fn gripe(g: &Gripe, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gripe"));
    cmd.args(args)
        .current_dir(g.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GRIPE_NOW", crate::harness::NOW)
        .env("GRIPE_USER", "andrea")
        .env("TMPDIR", g.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn many_concurrent_writers_on_one_complaint_lose_nothing() {
    let g = Gripe::new();
    let id = g.open(&["Busy complaint"]);
    let children: Vec<_> = (0..24)
        .map(|i| {
            let args: Vec<String> = match i % 3 {
                0 => vec!["note".into(), id.clone(), format!("note {i}")],
                1 => vec![
                    "followup".into(),
                    id.clone(),
                    "--in".into(),
                    "3d".into(),
                    format!("call {i}"),
                ],
                _ => vec!["set".into(), id.clone(), format!("fields.writer{i}={i}")],
            };
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            gripe(&g, &args).spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = g.read(&id);
    assert_eq!(notes(&text), 8, "{text}");
    assert_eq!(text.matches("[[followup]]").count(), 8);
    assert_eq!(text.matches("kind = \"set\"").count(), 8);
    g.run(&["check"]).ok();
}

#[test]
fn a_lock_held_too_long_refuses_with_exit_five_and_readers_never_wait() {
    let g = Gripe::new();
    let id = g.open(&["Locked"]);
    // A first write creates the complaint's lock file; then the test holds every lock.
    assert!(
        gripe(&g, &["note", &id, "first"])
            .status()
            .unwrap()
            .success()
    );
    let uid = std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m));
    let locks = g.path().join(format!("gripe-locks-{}", uid.unwrap()));
    let held: Vec<std::fs::File> = std::fs::read_dir(locks)
        .unwrap()
        .map(|e| {
            let f = std::fs::File::open(e.unwrap().path()).unwrap();
            f.lock().unwrap();
            f
        })
        .collect();
    assert!(!held.is_empty());
    let before = g.read(&id);
    let out = gripe(&g, &["note", &id, "second"])
        .env("GRIPE_LOCK_TIMEOUT", "0.3")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.contains("another gripe has been writing it for 0.3s; nothing was written"),
        "{err}"
    );
    assert_eq!(g.read(&id), before);
    let show = gripe(&g, &["show", &id]).output().unwrap();
    assert!(show.status.success(), "reading takes no lock");
    drop(held);
    assert!(
        gripe(&g, &["note", &id, "second"])
            .status()
            .unwrap()
            .success()
    );
}

#[test]
fn a_writer_killed_at_any_moment_leaves_the_old_file_or_the_new_one() {
    let g = Gripe::new();
    let id = g.open(&["Crash test"]);
    let long = "x".repeat(20_000);
    let mut seen = 0;
    for i in 0..40u64 {
        let mut child = gripe(&g, &["note", &id, &long]).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_micros((i * 397) % 15_000));
        let _ = child.kill();
        let _ = child.wait();
        let text = g.read(&id);
        let n = notes(&text);
        assert!(n == seen || n == seen + 1, "{seen} then {n} notes");
        seen = n;
        // Each state reads as a complaint.
        assert_eq!(
            g.run(&["show", &id, "--format", "json"]).code,
            0,
            "after kill {i}"
        );
    }
    // Interrupted writes may leave hidden temp files; no scan ever counts them.
    let listed = crate::harness::json(&g.run(&["list", "--format", "json"]));
    assert_eq!(listed["count"], 1);
    g.run(&["check"]).ok();
}

/// Runs gripe with a file-size limit, as on a full disk: writes fail with EFBIG.
#[test]
fn a_full_disk_is_a_clear_error_and_changes_nothing() {
    let g = Gripe::new();
    let id = g.open(&["Disk test"]);
    let before = g.read(&id);
    let mut cmd = gripe(&g, &["note", &id, "this note does not fit"]);
    // SAFETY: between fork and exec only async-signal-safe calls: signal and setrlimit.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 64,
                rlim_max: 64,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.starts_with("gripe: error: cannot write complaints/2026/11/"),
        "{err}"
    );
    assert_eq!(g.read(&id), before);
    let leftovers: Vec<_> = walk_all(&g.path().join("complaints"));
    assert_eq!(
        leftovers.len(),
        3,
        "the complaint, .gitkeep and .gitignore, no temp file: {leftovers:?}"
    );
}

fn walk_all(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk_all(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A read-only folder, made real with a read-only tmpfs in a private mount namespace (so it
/// works for root too, whom permissions do not stop).
#[test]
fn a_read_only_folder_is_a_clear_error_and_changes_nothing() {
    let g = Gripe::new();
    let id = g.open(&["Read-only test"]);
    let script = format!(
        "set -e
mkdir -p ro
mount -t tmpfs tmpfs ro
cp -r gripe.toml complaints ro/
mount -o remount,ro ro
cd ro
GRIPE_NOW={now} GRIPE_USER=andrea TMPDIR=/tmp '{bin}' note {id} hello 2>../err || echo $? > ../code
cd ..
cmp ro/complaints/2026/11/*.toml complaints/2026/11/*.toml && echo unchanged > same
umount ro",
        now = crate::harness::NOW,
        bin = env!("CARGO_BIN_EXE_gripe"),
    );
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
        .current_dir(g.path())
        .output()
        .expect("unshare (util-linux) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |name: &str| std::fs::read_to_string(g.path().join(name)).unwrap_or_default();
    assert_eq!(read("code").trim(), "5");
    assert!(
        read("err").contains("Read-only file system"),
        "{}",
        read("err")
    );
    assert_eq!(read("same").trim(), "unchanged");
}

#[test]
fn hostile_files_get_one_clear_error_each_and_nothing_is_written() {
    let g = Gripe::new();
    std::fs::write(g.path().join("gripe.toml"), "max_file_size = \"4KB\"\n").unwrap();
    let head =
        |id: &str| format!("id = \"{id}\"\ntitle = \"t\"\nopened = 2026-11-20\nstage = \"new\"\n");
    let mut bad_utf8 = head("aaaa000000000001").into_bytes();
    bad_utf8.extend_from_slice(b"note = \"caf\xe9\"\n");
    std::fs::create_dir_all(g.path().join("complaints/h")).unwrap();
    std::fs::write(
        g.path().join("complaints/h/aaaa000000000001.toml"),
        &bad_utf8,
    )
    .unwrap();
    g.write(
        "complaints/h/aaaa000000000002.toml",
        &format!(
            "{}notes = \"{}\"\n",
            head("aaaa000000000002"),
            "x".repeat(5000)
        ),
    );
    g.write(
        "complaints/h/aaaa000000000003.toml",
        &format!(
            "{}[fields]\nx = {}{}\n",
            head("aaaa000000000003"),
            "[".repeat(40),
            "]".repeat(40)
        ),
    );
    g.write(
        "complaints/h/aaaa000000000004.toml",
        &format!("{}title = \"again\"\n", head("aaaa000000000004")),
    );
    g.write(
        "complaints/h/aaaa000000000005.toml",
        "id = \"aaaa000000000005\"\ntitle = \"t\"\nopened = 2026-02-30\nstage = \"new\"\n",
    );
    g.write(
        "complaints/h/aaaa000000000006.toml",
        &head("aaaa000000000006").replace("stage = \"new\"", "stage = 7"),
    );
    let outside = g.write("secret.toml", &head("aaaa000000000007"));
    std::os::unix::fs::symlink(
        &outside,
        g.path().join("complaints/h/aaaa000000000007.toml"),
    )
    .unwrap();
    let run = g.run(&["list"]);
    let err = run.fails(4).to_string();
    for expected in [
        "aaaa000000000001.toml:5:12: not valid UTF-8 text",
        "aaaa000000000002.toml:1:1: larger than max_file_size (4096 bytes)",
        "aaaa000000000003.toml:6:37: arrays or tables nested more than 32 levels deep",
        "aaaa000000000004.toml:5:1: duplicate key",
        "aaaa000000000005.toml:3:10:",
        "aaaa000000000006.toml:4:9: invalid type: integer `7`, expected a string",
        "aaaa000000000007.toml:1:1: a symbolic link to",
        "7 complaint file(s) could not be read",
    ] {
        assert!(err.contains(expected), "{expected} in\n{err}");
    }
    let before: Vec<String> = (1..=6)
        .map(|i| {
            String::from_utf8_lossy(
                &std::fs::read(
                    g.path()
                        .join(format!("complaints/h/aaaa00000000000{i}.toml")),
                )
                .unwrap(),
            )
            .into_owned()
        })
        .collect();
    for i in 1..=7 {
        let code = g
            .run(&["note", &format!("aaaa00000000000{i}"), "hello"])
            .code;
        assert!(code == 4 || code == 3, "note on a hostile file {i}: {code}");
    }
    for (i, text) in before.iter().enumerate() {
        let now = String::from_utf8_lossy(
            &std::fs::read(
                g.path()
                    .join(format!("complaints/h/aaaa00000000000{}.toml", i + 1)),
            )
            .unwrap(),
        )
        .into_owned();
        assert_eq!(&now, text);
    }
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        head("aaaa000000000007")
    );
}

#[test]
fn control_characters_are_kept_in_the_file_and_escaped_on_the_terminal() {
    let g = Gripe::new();
    let id = g.open(&["Escape \u{1b}[31mred\u{1b}[0m title"]);
    g.run(&["note", &id, "bell\u{7} and \u{1b}]0;owned\u{7}"])
        .ok();
    let text = g.read(&id);
    assert!(text.contains("\\u001B[31mred"), "{text}");
    let show = g.run(&["show", &id]).ok().to_string();
    assert!(
        !show.contains('\u{1b}') && !show.contains('\u{7}'),
        "{show:?}"
    );
    assert!(show.contains("\\u{1b}[31mred"), "{show}");
    for args in [
        &["list", "--color", "always"][..],
        &["show", &id, "--color", "always"],
    ] {
        let out = g.run(args).ok().to_string();
        assert!(
            out.contains("\\u{1b}[31mred") && !out.contains("\u{1b}[31mred"),
            "a title's escape codes stay escaped next to gripe's colours: {out:?}"
        );
    }
    let json = crate::harness::json(&g.run(&["show", &id, "--format", "json"]));
    assert_eq!(
        json["complaint"]["title"], "Escape \u{1b}[31mred\u{1b}[0m title",
        "data stays as it is"
    );
}

#[test]
fn dates_out_of_range_and_unknown_stages_are_refused() {
    let g = Gripe::new();
    let err = g
        .run(&["open", "x", "--promise", "1066-10-14"])
        .fails(2)
        .to_string();
    assert!(err.contains("out of range"), "{err}");
    let id = g.open(&["x"]);
    g.run(&["set", &id, "promised_by=2026-13-01"]).fails(2);
    let err = g
        .run_with_env(
            &[("GRIPE_NOW", "9999-12-31T23:00:00Z")],
            &["followup", &id, "--in", "1d", "call"],
        )
        .fails(2)
        .to_string();
    assert!(
        err.contains("is out of range (years 1900 to 9000)"),
        "{err}"
    );
    let path = g.file(&id);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("stage = \"new\"", "stage = \"limbo\"");
    std::fs::write(&path, &text).unwrap();
    for args in [
        &["advance", &id][..],
        &["note", &id, "hello"],
        &["set", &id, "severity=high"],
        &["followup", &id, "--in", "3d", "call back"],
    ] {
        let err = g.run(args).fails(4).to_string();
        assert!(
            err.contains(":6:1: `limbo` is not a stage") && err.contains("stages: new, "),
            "{args:?}: {err}"
        );
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn writes_that_would_pass_max_file_size_are_refused() {
    let g = Gripe::new();
    std::fs::write(g.path().join("gripe.toml"), "max_file_size = \"4KB\"\n").unwrap();
    let id = g.open(&["Long story"]);
    let path = g.file(&id);
    let before = std::fs::read_to_string(&path).unwrap();
    let long = "x".repeat(4000);
    let err = g.run(&["note", &id, &long]).fails(2).to_string();
    assert!(
        err.contains("would be")
            && err.contains("over max_file_size (4096 bytes); nothing was written"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    g.run(&["note", &id, "short"]).ok();
    let err = g
        .run(&["open", "Longer", "-m", &"y".repeat(5000)])
        .fails(2)
        .to_string();
    assert!(err.contains("over max_file_size"), "{err}");
    g.write(
        "big.csv",
        &format!(
            "Ticket,Subject,Body\nT1,Fine,ok\nT2,Huge,{}\n",
            "z".repeat(5000)
        ),
    );
    let err = g
        .run(&[
            "import",
            "big.csv",
            "--map",
            "external_ref=Ticket,title=Subject,note=Body",
        ])
        .fails(2)
        .to_string();
    assert!(err.contains("over max_file_size"), "{err}");
    assert_eq!(
        g.run(&["list", "--format", "jsonl"]).ok().lines().count(),
        1,
        "the import wrote nothing, not even the good row"
    );
    g.run(&["list"]).ok();
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let g = Gripe::new();
    g.open(&[
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "--customer",
        "@SUM(A1)",
        "--assignee",
        "+mark",
    ]);
    let csv = g.run(&["list", "--format", "csv"]).ok().to_string();
    assert!(
        csv.contains(
            ",'+mark,'@SUM(A1),\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","
        ),
        "{csv}"
    );
}

/// Regression: an array nested 100,000 deep overflowed the stack of the TOML parsers and
/// killed gripe (found by hand while hardening); now it is refused before any parser sees it.
#[test]
fn a_file_nested_a_hundred_thousand_deep_is_refused_not_a_crash() {
    let g = Gripe::new();
    g.write(
        "complaints/deep.toml",
        &format!(
            "id = \"aaaa000000000000\"\ntitle = \"t\"\nopened = 2026-11-20\nstage = \"new\"\nx = {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    let err = g.run(&["list"]).fails(4).to_string();
    assert!(
        err.contains("deep.toml:5:37: arrays or tables nested more than 32 levels deep"),
        "{err}"
    );
    let err = g.run(&["check"]).fails(1).to_string();
    assert_eq!(err, "");
}

/// Found by the `read` fuzz target: the fast reader did not look inside comments, so it read a
/// file with a control character in a comment that every other TOML reader refuses.
#[test]
fn a_control_character_in_a_comment_is_refused_like_any_toml_reader_does() {
    let g = Gripe::new();
    g.write(
        "complaints/2026/11/aaaa000000000001.toml",
        "# Written by hand\u{1c}\nid = \"aaaa000000000001\"\ntitle = \"t\"\nopened = 2026-11-20\nstage = \"new\"\n",
    );
    let err = g.run(&["show", "aaaa"]).fails(4).to_string();
    assert!(
        err.contains("aaaa000000000001.toml:1:18: invalid comment character"),
        "{err}"
    );
}
