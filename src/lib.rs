//! Samsyn: a self-hostable real-time polling and consensus service. The binary in `main.rs` is a thin shell over [`app::run`].
#![forbid(unsafe_code)]

pub mod accounts;
pub mod admin;
pub mod app;
pub mod bus;
pub mod clock;
pub mod config;
pub mod domain;
pub mod live;
pub mod metrics;
pub mod protocol;
pub mod store;
pub mod web;
