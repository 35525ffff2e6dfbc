//! What every command gets: the current directory, the clock, the environment, colour, and the
//! complaint store (found on first use, so `gripe init` and `--help` need none).

use std::cell::OnceCell;
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::error::Result;
use crate::git;
use crate::model::complaint::Stamp;
use crate::output::Painter;
use crate::store::Store;
use crate::time::calendar::Calendar;
use crate::time::when::Timestamp;
use crate::time::when::Zone;

/// The environment variables gripe reads, read once at start-up.
#[derive(Debug, Clone, Default)]
pub(crate) struct Env {
    pub(crate) gripe_now: Option<String>,
    pub(crate) gripe_user: Option<String>,
    pub(crate) user: Option<String>,
    pub(crate) visual: Option<String>,
    pub(crate) editor: Option<String>,
    pub(crate) gripe_editor: Option<String>,
    pub(crate) no_color: bool,
    pub(crate) term_dumb: bool,
}

impl Env {
    pub(crate) fn from_process() -> Env {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Env {
            gripe_now: var("GRIPE_NOW"),
            gripe_user: var("GRIPE_USER"),
            user: var("USER").or_else(|| var("USERNAME")),
            visual: var("VISUAL"),
            editor: var("EDITOR"),
            gripe_editor: var("GRIPE_EDITOR"),
            no_color: var("NO_COLOR").is_some(),
            term_dumb: var("TERM").is_some_and(|t| t == "dumb"),
        }
    }
}

pub(crate) struct Ctx {
    pub(crate) cwd: PathBuf,
    pub(crate) now: Timestamp,
    pub(crate) painter: Painter,
    pub(crate) env: Env,
    pub(crate) dir_override: Option<PathBuf>,
    store: OnceCell<Store>,
}

impl Ctx {
    pub(crate) fn new(
        cwd: PathBuf,
        now: Timestamp,
        painter: Painter,
        env: Env,
        dir_override: Option<PathBuf>,
    ) -> Ctx {
        Ctx {
            cwd,
            now,
            painter,
            env,
            dir_override,
            store: OnceCell::new(),
        }
    }

    pub(crate) fn store(&self) -> Result<&Store> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let store = Store::discover(&self.cwd, self.dir_override.as_deref())?;
        Ok(self.store.get_or_init(|| store))
    }

    /// The team's calendar (the clock's zone when gripe.toml sets none).
    pub(crate) fn calendar(&self) -> Result<Calendar> {
        Ok(self
            .store()?
            .config
            .calendar(Zone::Fixed(*self.now.offset())))
    }

    /// Who makes a change now, and when: the time in the team's zone (so files read in local
    /// time), the author as [`Ctx::author`] finds it.
    pub(crate) fn stamp(&self, by: Option<&str>) -> Result<Stamp> {
        Ok(Stamp {
            at: self.calendar()?.zone.in_zone(&self.now),
            by: self.author(by),
        })
    }

    /// The author of a change: `--by`, else `GRIPE_USER`, else `git config user.name`, else
    /// `$USER`.
    pub(crate) fn author(&self, by: Option<&str>) -> String {
        by.map(str::trim)
            .filter(|b| !b.is_empty())
            .map(ToString::to_string)
            .or_else(|| self.env.gripe_user.clone())
            .or_else(|| git::user_name(&self.cwd))
            .or_else(|| self.env.user.clone())
            .unwrap_or_else(|| "unknown".to_string())
    }

    /// The editor command when one may be started: `GRIPE_EDITOR` always (scripted editing);
    /// `$VISUAL`, `$EDITOR` or `vi` only with a terminal to show it on.
    pub(crate) fn editor(&self) -> Option<String> {
        if let Some(editor) = &self.env.gripe_editor {
            return Some(editor.clone());
        }
        let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
        terminal.then(|| {
            self.env
                .visual
                .clone()
                .or_else(|| self.env.editor.clone())
                .unwrap_or_else(|| "vi".to_string())
        })
    }
}
