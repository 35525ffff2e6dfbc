//! The integration tests: the real `gripe` binary, run in temporary folders with a fixed clock
//! and a clean environment.

mod harness;

mod edit;
mod export;
mod followups;
mod ids;
mod import;
mod open;
mod reading;
mod roundtrip;
mod safety;
mod samples;
mod setup;
mod workflow;
