//! The pure core: catalogues, sessions, rounds, ballots, tallies, spread and consensus. No I/O, no clock, no async runtime: time and random values are inputs.

pub mod catalogue;
pub mod session;
pub mod spread;
pub mod view;

pub use catalogue::{Catalogue, Scale, Text};
pub use session::{
    Actor, Answer, Command, DomainError, Event, ParticipantNo, Phase, Session, SessionSpec,
};
pub use spread::{Spread, Tally};
