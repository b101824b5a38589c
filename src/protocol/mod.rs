//! The wire protocol of docs/protocol.md, defined once: what clients send, what the server answers, and
//! the `state` frames it pushes. Depends on the domain and serde only; the web edge, the session actors
//! and the bus all speak it, none of them defines it.

pub mod code;
pub mod messages;
pub mod state;
#[cfg(test)]
mod typescript;

pub use code::Code;
pub use state::{state_frame, Frame, Live, Version};
