//! One change to one complaint, as `note`, `set`, `advance`, `reopen`, `followup` and `edit`
//! make it: the complaint the id names, the repository to commit in when the change is
//! committed, and who makes it when, all found before anything is written.

use crate::cli::ChangeArgs;
use crate::commands::commit;
use crate::commands::commit_repo;
use crate::commands::context::Ctx;
use crate::commands::say;
use crate::error::Result;
use crate::git::Repo;
use crate::model::complaint::Complaint;
use crate::model::complaint::Stamp;
use crate::store::Resolved;
use crate::store::Store;
use crate::store::document::ComplaintDoc;

pub(crate) struct Change<'c> {
    ctx: &'c Ctx,
    pub(crate) store: &'c Store,
    pub(crate) target: Resolved,
    pub(crate) stamp: Stamp,
    repo: Option<Repo>,
}

impl<'c> Change<'c> {
    /// Resolves `id`, then finds the repository (refusing `--commit` outside one) and the stamp.
    pub(crate) fn begin(ctx: &'c Ctx, id: &str, args: &ChangeArgs) -> Result<Change<'c>> {
        let store = ctx.store()?;
        let target = store.resolve(id)?;
        let repo = commit_repo(ctx, &args.commit)?;
        let stamp = ctx.stamp(args.by.as_deref())?;
        Ok(Change {
            ctx,
            store,
            target,
            stamp,
            repo,
        })
    }

    /// The complaint's short id, for messages.
    pub(crate) fn short(&self) -> &str {
        &self.target.short
    }

    /// Edits the complaint's file, as [`Store::edit`] does.
    pub(crate) fn edit<T>(
        &self,
        change: impl FnOnce(&mut ComplaintDoc, &Complaint) -> Result<T>,
    ) -> Result<T> {
        self.store.edit(&self.target.path, change)
    }

    /// Says `<short>: what` on stderr.
    pub(crate) fn say(&self, what: &str) {
        say(&format!("{}: {what}", self.target.short));
    }

    /// Commits the file with the message `action`, when the change is committed.
    pub(crate) fn commit(&self, action: &str) -> Result<()> {
        commit(self.ctx, self.repo.as_ref(), &self.target.path, action)
    }

    /// Says what was `done` and commits the file with the message `action`.
    pub(crate) fn finish(&self, done: &str, action: &str) -> Result<()> {
        self.say(done);
        self.commit(action)
    }
}
