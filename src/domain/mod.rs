//! The pure core: catalogues, items, sessions, rounds, answers, tallies, spread, words and consensus.
//! No I/O, no clock, no async runtime: time and random values are inputs.

pub mod access;
pub mod catalogue;
pub mod item;
pub mod kinds;
pub mod occasion;
pub mod session;
pub mod spread;
pub mod summary;
pub mod trend;
pub mod view;
pub mod words;

pub use catalogue::{Catalogue, Scale, Text};
pub use item::{Agenda, ItemSpec, Results};
pub use kinds::{Answer, ItemKind, RawAnswer};
pub use session::{Actor, Command, DomainError, Event, ParticipantNo, Phase, Session, SessionSpec};
pub use spread::{Spread, Tally};
