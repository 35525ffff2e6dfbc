//! Shell integration: completions (complaint ids included), the manual page, help with
//! examples for every subcommand, colour, and quiet success on a closed pipe.

use std::io::Read;
use std::process::Command;
use std::process::Stdio;

use crate::harness::Gripe;

#[test]
fn every_subcommand_has_help_with_examples() {
    let g = Gripe::bare();
    let help = g.run(&["--help"]).ok().to_string();
    let commands: Vec<&str> = help
        .split("Commands:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 18, "{commands:?}");
    for command in commands {
        let text = g.run(&[command, "--help"]).ok().to_string();
        assert!(
            text.contains("Example"),
            "`gripe {command} --help` has examples:\n{text}"
        );
    }
}

#[test]
fn completion_scripts_exist_for_the_common_shells_and_call_gripe_back() {
    let g = Gripe::bare();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = g.run(&["completions", shell]).ok().to_string();
        assert!(script.contains("GRIPE_COMPLETE"), "{shell}:\n{script}");
    }
    let err = g.run(&["completions", "tcsh"]).fails(2).to_string();
    assert!(err.contains("one of: bash"), "{err}");
}

#[test]
fn complaint_ids_complete_with_their_titles() {
    let g = Gripe::new();
    let id = g.open(&["Parcel never arrived"]);
    let run = g.run_with_env(
        &[("GRIPE_COMPLETE", "fish")],
        &["--", "gripe", "show", &id[..2]],
    );
    let out = run.ok();
    let line = out.lines().find(|l| l.starts_with(&id)).expect(out);
    assert!(line.ends_with("\tParcel never arrived"), "{line}");
    let run = g.run_with_env(&[("GRIPE_COMPLETE", "fish")], &["--", "gripe", "tre"]);
    assert!(run.ok().starts_with("trends\t"), "{}", run.stdout);
}

#[test]
fn the_manual_page_is_roff_from_the_same_definitions() {
    let g = Gripe::bare();
    let man = g.run(&["man"]).ok().to_string();
    assert!(man.contains(".TH gripe 1"), "{man}");
    assert!(man.contains("trends"), "subcommands are listed");
}

#[test]
fn a_closed_pipe_is_a_quiet_success() {
    let g = Gripe::new();
    // Far more than a pipe buffer holds, so gripe is still writing when the reader goes.
    for i in 0..600 {
        g.write(
            &format!("complaints/x/{i}.toml"),
            &format!(
                "id = \"p1pe{i:012}\"\ntitle = \"{}\"\nopened = 2026-11-20\nstage = \"new\"\n",
                "x".repeat(200)
            ),
        );
    }
    for args in [
        &["list", "--format", "csv"][..],
        &["list", "--format", "json"],
        &["list", "--format", "jsonl"],
        &["export"],
        &["export", "--format", "json"],
        &["export", "--format", "csv"],
    ] {
        closed_pipe_is_quiet(&g, args);
    }
}

fn closed_pipe_is_quiet(g: &Gripe, args: &[&str]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gripe"))
        .args(args)
        .current_dir(g.path())
        .env("GRIPE_NOW", crate::harness::NOW)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is closed now, like `gripe list | head -c 10`.
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{args:?}: {status} {err}");
    assert_eq!(err, "", "{args:?}");
}

/// Regression: a message printed to a closed stderr panicked (`eprintln!`); messages are for
/// people, so with nobody to read them gripe carries on and exits as it would.
#[test]
fn a_closed_stderr_changes_nothing_about_the_outcome() {
    let g = Gripe::new();
    let id = g.open(&["x"]);
    for (args, code) in [
        (vec!["note", id.as_str(), "hello"], 0),
        (vec!["note", "zzzz", "hi"], 3),
    ] {
        let status = Command::new(env!("CARGO_BIN_EXE_gripe"))
            .args(&args)
            .current_dir(g.path())
            .env("GRIPE_NOW", crate::harness::NOW)
            .env("GRIPE_USER", "andrea")
            .stdout(Stdio::null())
            .stderr(closed_pipe())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(code), "{args:?}");
    }
    assert!(g.read(&id).contains("text = \"hello\""));
}

/// The write end of a pipe whose read end is already closed.
fn closed_pipe() -> Stdio {
    let mut fds = [0; 2];
    // SAFETY: pipe fills two descriptors we then own; the read end is closed at once.
    unsafe {
        assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
        libc::close(fds[0]);
        std::os::fd::FromRawFd::from_raw_fd(fds[1])
    }
}
