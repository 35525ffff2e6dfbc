//! The model: what a complaint is ([`complaint`]), its ids ([`id`]), its workflow stages
//! ([`stage`]), the dotted key paths that address its fields ([`keys`]), and the team's settings
//! in `gripe.toml` ([`config`]).
//!
//! Uses `time` and `error` only; knows nothing of files, folders, clap or output.

pub mod complaint;
pub mod config;
pub mod id;
pub mod keys;
pub mod stage;
