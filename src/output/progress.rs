//! A progress bar on stderr for long jobs (an import of many rows). It is drawn only when
//! stderr is a terminal, so pipes, CI logs and tests never see it, and it is cleared when the
//! job ends, leaving only the summary line.

use std::io::IsTerminal;

use indicatif::ProgressBar;
use indicatif::ProgressDrawTarget;
use indicatif::ProgressStyle;

/// Jobs smaller than this finish before a bar would be worth drawing.
const MIN_LEN: u64 = 500;

/// Counts steps of a job of known length; cheap to call from many threads.
#[derive(Clone)]
pub(crate) struct Progress(ProgressBar);

impl Progress {
    /// A bar for `len` steps, labelled `what` (`writing`).
    pub(crate) fn new(len: u64, what: &str) -> Progress {
        if len < MIN_LEN || !std::io::stderr().is_terminal() {
            return Progress(ProgressBar::hidden());
        }
        let style = ProgressStyle::with_template("{msg:>8} [{bar:40}] {pos}/{len} ({eta} left)")
            .expect("a valid template")
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
            .with_style(style)
            .with_message(what.to_string());
        Progress(bar)
    }

    pub(crate) fn step(&self) {
        self.0.inc(1);
    }

    pub(crate) fn finish(&self) {
        self.0.finish_and_clear();
    }
}
