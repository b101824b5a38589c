//! What each audience may see of a session. The reveal rule lives here: before a round is revealed,
//! the public view carries only how many voted, never any part of the tally.

use super::catalogue::{Scale, Text};
use super::session::{Consensus, PastConsensus, Phase, Session};
use super::spread::{Spread, Tally};
use serde::Serialize;

/// Who a view is rendered for. Participants and screens share one public view, so it can be built once per change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Facilitator,
    Public,
}

#[derive(Debug, Serialize)]
pub struct SessionView<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub catalogue: &'a super::session::CatalogueRef,
    /// Participants connected now (a live figure, passed in by the caller).
    pub participants: usize,
    pub current: Option<&'a str>,
    pub scale: &'a Scale,
    pub areas: Vec<AreaView<'a>>,
    pub items: Vec<ItemView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct AreaView<'a> {
    pub id: &'a str,
    pub name: &'a Text,
}

#[derive(Debug, Serialize)]
pub struct ItemView<'a> {
    pub id: &'a str,
    pub area: &'a str,
    pub title: &'a Text,
    pub description: &'a Text,
    pub phase: Phase,
    pub rounds: Vec<RoundView<'a>>,
    pub consensus: Option<&'a Consensus>,
    pub history: &'a [PastConsensus],
}

#[derive(Debug, Serialize)]
pub struct RoundView<'a> {
    pub number: u32,
    pub open: bool,
    pub revealed: bool,
    pub voted: u32,
    pub tally: Option<&'a Tally>,
    pub spread: Option<Spread>,
}

/// Renders the session for an audience. `code` is the join code; `online` the participants connected now.
pub fn render<'a>(
    session: &'a Session,
    code: &'a str,
    online: usize,
    audience: Audience,
) -> SessionView<'a> {
    let spec = &session.spec;
    SessionView {
        code,
        title: &spec.title,
        catalogue: &spec.catalogue,
        participants: online,
        current: session.current.map(|i| spec.items[i].id.as_str()),
        scale: &spec.scale,
        areas: spec
            .areas
            .iter()
            .map(|a| AreaView {
                id: &a.id,
                name: &a.name,
            })
            .collect(),
        items: spec
            .items
            .iter()
            .zip(&session.items)
            .map(|(item, state)| ItemView {
                id: &item.id,
                area: &item.area,
                title: &item.title,
                description: &item.description,
                phase: state.phase(),
                rounds: state
                    .rounds
                    .iter()
                    .map(|round| {
                        let visible = audience == Audience::Facilitator || round.revealed;
                        RoundView {
                            number: round.number,
                            open: round.open,
                            revealed: round.revealed,
                            voted: round.tally.voters(),
                            tally: visible.then_some(&round.tally),
                            spread: visible.then(|| round.tally.spread()),
                        }
                    })
                    .collect(),
                consensus: state.consensus.as_ref(),
                history: &state.history,
            })
            .collect(),
    }
}
