//! Analysis: pure functions from complaints to typed results. A complaint's status, SLA clocks
//! and history ([`status`], [`sla`], [`history`], [`replay`]), the follow-up agenda
//! ([`agenda`]), filters ([`filter`]), the folder's health ([`check`]), and the aggregations
//! ([`trends`], [`report`], which keeps what outgrows its memory in an [`overflow`] file).
//!
//! Uses `model`, `time` and `store` (to scan); never prints, never sees clap or `output`. The
//! results are plain data that `output` renders.

pub(crate) mod agenda;
pub(crate) mod check;
pub(crate) mod filter;
pub(crate) mod history;
pub(crate) mod overflow;
pub(crate) mod regulatory;
pub(crate) mod replay;
pub(crate) mod report;
pub(crate) mod returns;
pub(crate) mod sla;
pub(crate) mod status;
pub mod trends;
