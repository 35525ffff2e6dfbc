//! The model: what a complaint is ([`complaint`]), its ids ([`id`]), its workflow stages
//! ([`stage`]), the dotted key paths that address its fields ([`keys`]), and the team's settings
//! in `gripe.toml` ([`config`], [`policy`]), and the
//! nesting limit every TOML text is checked against before parsing ([`nesting`]).
//!
//! Uses `time` and `error` only; knows nothing of files, folders, clap or output.

pub mod complaint;
pub(crate) mod config;
pub mod id;
pub mod keys;
pub(crate) mod nesting;
pub(crate) mod policy;
pub(crate) mod privacy;
pub(crate) mod regime;
pub(crate) mod stage;
