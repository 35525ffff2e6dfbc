//! `gripe init`: create the complaint folder and a commented gripe.toml, and with `--git` set up
//! the merge driver too. Idempotent: what exists is left as it is.

use std::path::PathBuf;

use super::git;
use super::say;
use crate::cli::InitArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::model::config::CONFIG_FILE;
use crate::model::config::Config;
use crate::model::config::DEFAULT_DIR;
use crate::model::config::TEMPLATE;
use crate::store::Replace;
use crate::store::write_atomic;

/// What git should not see in the complaint folder: the temp files of writes that were
/// interrupted (gripe never reads them either).
const GITIGNORE: &str = "# temp files of interrupted gripe writes; safe to delete\n.*.tmp\n";

pub(crate) fn run(args: &InitArgs, ctx: &Ctx) -> Result<()> {
    let config_path = PathBuf::from(CONFIG_FILE);
    // A gripe.toml already here names the folder, unless --dir or GRIPE_DIR says otherwise.
    let configured = match ctx.cwd.join(&config_path) {
        path if path.is_file() => Some(PathBuf::from(Config::load(&config_path)?.dir)),
        _ => None,
    };
    let dir = ctx
        .dir_override
        .clone()
        .or(configured)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DIR));
    let mut created = Vec::new();
    if !ctx.cwd.join(&config_path).exists() {
        let dir_setting = dir.to_string_lossy().replace('\\', "/");
        let text = TEMPLATE.replace(
            &format!("dir = \"{DEFAULT_DIR}\""),
            &format!("dir = {}", toml_edit::Value::from(dir_setting.as_str())),
        );
        write_atomic(&ctx.cwd.join(&config_path), text.as_bytes(), Replace::Never)?;
        created.push(CONFIG_FILE.to_string());
    }
    let abs_dir = ctx.cwd.join(&dir);
    if !abs_dir.is_dir() {
        std::fs::create_dir_all(&abs_dir).map_err(|source| Error::Write {
            path: dir.clone(),
            source,
        })?;
        // Git does not keep empty folders; the scanner skips hidden files.
        write_atomic(&abs_dir.join(".gitkeep"), b"", Replace::Always)?;
        write_atomic(
            &abs_dir.join(".gitignore"),
            GITIGNORE.as_bytes(),
            Replace::Never,
        )?;
        created.push(format!("{}/", dir.display()));
    }
    if created.is_empty() {
        say(&format!(
            "gripe is already set up here ({CONFIG_FILE}, {}/)",
            dir.display()
        ));
    } else {
        say(&format!(
            "created {}; log a complaint with: gripe open \"What went wrong\"",
            created.join(" and ")
        ));
    }
    if args.git {
        git::setup(ctx)?;
    }
    Ok(())
}
