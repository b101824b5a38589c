//! Samsyn's integration tests, one module per story, compiled into one binary that links the crate once.
//!
//! The tests of this binary run in parallel threads of one process. Those that measure time or memory,
//! start many processes or load the machine hold [`common::alone`] so that no other of them runs beside.

mod common;

mod abuse;
mod accounts;
mod cluster;
mod corpus;
mod crash;
mod flood;
mod frontend;
mod history;
mod load;
mod matrix;
mod oidc;
mod reconnect;
mod restart;
mod results;
mod room;
mod seminar;
mod sigterm;
mod slow_clients;
mod soak;
mod store_contract;
mod upgrade;
mod websocket;
mod workshop;
