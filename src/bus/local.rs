//! One process, no other nodes: every session runs here, and nothing needs to be passed on.

use crate::live::{Bus, LiveError, Location, SessionHandle};
use async_trait::async_trait;

/// The bus of a single node: it claims everything and forwards nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalBus;

#[async_trait]
impl Bus for LocalBus {
    async fn claim_new(&self, _code: &str) -> Result<bool, LiveError> {
        Ok(true)
    }

    async fn locate(&self, _code: &str) -> Result<Location, LiveError> {
        Ok(Location::Here)
    }

    async fn release(&self, _code: &str) {}

    fn serve(&self, _handle: &SessionHandle, _cursor: Option<String>) {}

    async fn leave(&self) {}
}
