//! The integration tests: the real `gripe` binary, run in temporary folders with a fixed clock
//! and a clean environment.

mod harness;

mod architecture;
mod edit;
mod export;
mod followups;
mod git;
mod hardening;
mod html;
mod ids;
mod import;
mod mail;
mod open;
mod privacy;
mod reading;
mod regulatory;
mod reports;
mod roundtrip;
mod safety;
mod samples;
mod setup;
mod shell;
mod snapshots;
mod streaming;
mod workflow;
