//! Analysis: pure functions from complaints to typed results. A complaint's status, SLA clocks
//! and history ([`status`], [`sla`], [`history`], [`replay`]), the follow-up agenda
//! ([`agenda`]), filters ([`filter`]), the folder's health ([`check`]), and the aggregations
//! ([`trends`], [`report`]).
//!
//! Uses `model`, `time` and `store` (to scan); never prints, never sees clap or `output`. The
//! results are plain data that `output` renders.

pub mod agenda;
pub mod check;
pub mod filter;
pub mod history;
pub mod replay;
pub mod report;
pub mod sla;
pub mod status;
pub mod trends;
