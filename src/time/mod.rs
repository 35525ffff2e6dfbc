//! Time: instants and zones ([`when`]), business calendars ([`calendar`]), and spans of time
//! ([`duration`]), with the user's ways of writing them (`3bd`, `next monday`, `2026-11-26`).
//!
//! The lowest layer beside `error`: it knows nothing of complaints. Everything above may use it.

pub mod calendar;
pub mod duration;
pub mod when;
