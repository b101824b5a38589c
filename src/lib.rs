//! Samsyn: a self-hostable real-time polling and consensus service. The binary in `main.rs` is a thin shell over [`app::run`].
#![forbid(unsafe_code)]

pub mod app;
pub mod cluster;
pub mod config;
pub mod domain;
pub mod live;
pub mod metrics;
pub mod store;
pub mod web;
