//! The seam between one node and several: which node runs a session's actor, and how the others reach
//! it. Defined here, where it is used; `crate::bus` holds the implementations (one process in memory,
//! or several nodes over Redis). The registry calls it the same way either way and never asks which.

use super::{LiveError, SessionHandle};
use async_trait::async_trait;

/// Where a stored session is served from.
pub enum Location {
    /// This node runs it: load it from the store and start its actor here.
    Here,
    /// Another node runs it; this handle forwards requests there and relays its frames.
    Relayed(SessionHandle),
}

#[async_trait]
pub trait Bus: Send + Sync + 'static {
    /// Claims the code of a session being created, so this node runs it. `false`: the code is in use
    /// elsewhere; pick another.
    async fn claim_new(&self, code: &str) -> Result<bool, LiveError>;

    /// Where the stored session `code` is to be served from. `Here` means this node now holds it.
    async fn locate(&self, code: &str) -> Result<Location, LiveError>;

    /// Gives up the claim on a session that was located `Here` but could not be loaded.
    async fn release(&self, code: &str);

    /// The session's actor now runs here: keep the claim while it does, take the requests other nodes
    /// forward to it (resuming after `cursor`, the last forwarded request whose events are stored) and
    /// pass its frames on to them.
    fn serve(&self, handle: &SessionHandle, cursor: Option<String>);

    /// Gives up every claim on a clean shutdown, so other nodes take the sessions over at once.
    async fn leave(&self);
}
