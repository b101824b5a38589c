//! The bus: how sessions are shared between nodes, behind [`crate::live::Bus`]. [`LocalBus`] is the
//! default (one process: every session runs here); [`RedisBus`] lets several nodes serve one session
//! through Redis (docs/decisions/0001-several-nodes.md). Depends on live and the protocol; live never
//! depends on it.

mod local;
mod redis;

pub use crate::live::{Bus, Location};
pub use local::LocalBus;
pub use redis::RedisBus;
