//! What each audience may see of a session. The reveal rule lives here: before a round is revealed (or
//! while its item shows results live), the public view carries only how many answered, never any part
//! of the tally. Moderation is applied here, through the words kind (`kinds::words`): hidden and filtered words never
//! reach the public view.

use super::catalogue::{Scale, Suggestion, Text};
use super::item::Results;
use super::kinds::words::{CloudContext, CONSOLE_WORDS};
use super::kinds::{ItemKind, TallyView};
use super::session::{Action, CatalogueRef, Consensus, Occasion, PastConsensus, Phase, Session};
use super::spread::Spread;
use super::summary::{ordered_plan, summarise, Summary};
use serde::Serialize;
use std::collections::BTreeMap;

/// Who a view is rendered for. Each audience's view is built once per change and shared by all of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Facilitator,
    /// Screens: everything participants may see, every item.
    Public,
    /// Participants: the public view of the items a phone shows or answers (the current item and any
    /// item open for answers), or of every item while the summary is shared, which refers to them all.
    /// A 32-indicator workshop's frame is then about a tenth of the screen's.
    Phone,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
pub struct SessionView<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub catalogue: Option<&'a CatalogueRef>,
    /// Participants connected now (a live figure, passed in by the caller).
    pub participants: usize,
    /// For the facilitator: the names of who runs the consoles open now (empty: a key link's holder),
    /// so two facilitators driving one session see each other (a live figure, set by the caller).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub consoles: Option<&'a [&'a str]>,
    /// For the facilitator: new phones joining and how many the server flagged (live figures, set by the
    /// caller), and how many are left out of the counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub joins: Option<JoinsView>,
    /// While answers need the room word: its number for everyone (a phone asks again when it changes),
    /// and the word itself for the facilitator only (the screen fetches it with the facilitator's rights).
    pub room_word: Option<RoomWordView<'a>>,
    pub current: Option<&'a str>,
    pub profanity_filter: bool,
    pub summary_shared: bool,
    pub occasion: Option<&'a Occasion>,
    /// The summary and the action plan: always for the facilitator, for others once shared.
    pub summary: Option<Summary>,
    pub actions: Option<Vec<&'a Action>>,
    /// The session's scales; for phones only those of the items in the view.
    pub scales: BTreeMap<&'a str, &'a Scale>,
    pub areas: Vec<AreaView<'a>>,
    pub items: Vec<ItemView<'a>>,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
pub struct RoomWordView<'a> {
    pub number: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub word: Option<&'a str>,
}

/// New participants as the facilitator's console shows them, to spot ballot stuffing. Counts only: the
/// console acts on them with `leave_out_flagged` and `count_all_again`, so no frame lists thousands of
/// participant numbers.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
pub struct JoinsView {
    /// New participants in the last minute, as of this frame.
    pub last_minute: u32,
    /// Participants who joined in a burst of new phones from one network (counted in memory, the
    /// address never kept) and still count: those `leave_out_flagged` would leave out.
    pub flagged: u32,
    /// Participants left out of every count.
    pub left_out: u32,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
pub struct AreaView<'a> {
    pub id: &'a str,
    pub name: &'a Text,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
pub struct ItemView<'a> {
    pub id: &'a str,
    pub area: Option<&'a str>,
    pub title: &'a Text,
    pub description: &'a Text,
    #[serde(flatten)]
    pub kind: &'a ItemKind,
    pub results: Results,
    pub phase: Phase,
    pub rounds: Vec<RoundView<'a>>,
    pub consensus: Option<&'a Consensus>,
    /// Who locked it, as an account id: for the facilitator only (the organisation's members drive together).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub locked_by: Option<&'a str>,
    pub history: &'a [PastConsensus],
    /// Catalogue suggestions for the action plan and earlier ids: for the facilitator only, to keep
    /// every phone's frame small.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub suggestions: Option<&'a [Suggestion]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub replaces: Option<&'a [String]>,
    /// Notes for the facilitator (the presenter view): for the facilitator only, never phones or screens.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub notes: Option<&'a str>,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Serialize)]
pub struct RoundView<'a> {
    pub number: u32,
    pub open: bool,
    pub revealed: bool,
    pub voted: u32,
    pub tally: Option<TallyView<'a>>,
    pub spread: Option<Spread>,
}

/// Renders the session for an audience, as its live frames show it. `code` is the join code; `online` the
/// participants connected now. The facilitator's clouds list at most [`CONSOLE_WORDS`] groups besides the
/// hidden and filtered ones.
pub fn render<'a>(session: &'a Session, code: &'a str, online: usize, audience: Audience) -> SessionView<'a> {
    render_listing(session, code, online, audience, CONSOLE_WORDS)
}

/// The facilitator's view with every group of every cloud: what an export keeps.
pub fn render_whole<'a>(session: &'a Session, code: &'a str) -> SessionView<'a> {
    render_listing(session, code, 0, Audience::Facilitator, usize::MAX)
}

fn render_listing<'a>(
    session: &'a Session,
    code: &'a str,
    online: usize,
    audience: Audience,
    words_listed: usize,
) -> SessionView<'a> {
    let spec = &session.spec;
    let facilitator = audience == Audience::Facilitator;
    let summary = (facilitator || session.summary_shared).then(|| summarise(session));
    let actions = summary.as_ref().map(|summary| ordered_plan(session, summary));
    let shown = |index: usize| {
        audience != Audience::Phone
            || session.summary_shared
            || session.current == Some(index)
            || session.items[index].rounds.last().is_some_and(|round| round.open)
    };
    let included = || spec.items.iter().zip(&session.items).enumerate().filter(move |(index, _)| shown(*index));
    let scales = if audience == Audience::Phone {
        included()
            .filter_map(|(_, (item, _))| spec.scales.get_key_value(item.kind.scale_name()?))
            .map(|(id, scale)| (id.as_str(), scale))
            .collect()
    } else {
        spec.scales.iter().map(|(id, scale)| (id.as_str(), scale)).collect()
    };
    SessionView {
        code,
        title: &spec.title,
        catalogue: spec.catalogue.as_ref(),
        participants: online,
        consoles: None,
        joins: None,
        room_word: session
            .room_word
            .as_ref()
            .map(|room| RoomWordView { number: room.number, word: facilitator.then_some(room.word.as_str()) }),
        current: session.current.map(|i| spec.items[i].id.as_str()),
        profanity_filter: session.profanity_filter,
        summary_shared: session.summary_shared,
        occasion: session.occasion.as_ref(),
        summary,
        actions,
        scales,
        areas: spec.areas.iter().map(|a| AreaView { id: &a.id, name: &a.name }).collect(),
        items: included()
            .map(|(_, (item, state))| ItemView {
                id: &item.id,
                area: item.area.as_deref(),
                title: &item.title,
                description: &item.description,
                kind: &item.kind,
                results: item.results,
                phase: state.phase(),
                rounds: state
                    .rounds
                    .iter()
                    .map(|round| {
                        let visible = facilitator || round.revealed || item.results == Results::Live;
                        let cloud = CloudContext {
                            moderation: &state.moderation,
                            filter_on: session.profanity_filter,
                            facilitator,
                            spellings: &round.spellings,
                            listed: words_listed,
                        };
                        let tally = visible.then(|| round.tally.view(cloud));
                        let spread = visible.then(|| round.tally.spread()).flatten();
                        RoundView {
                            number: round.number,
                            open: round.open,
                            revealed: round.revealed,
                            voted: round.voters(),
                            tally,
                            spread,
                        }
                    })
                    .collect(),
                consensus: state.consensus.as_ref(),
                locked_by: state.consensus.as_ref().and_then(|c| c.by.as_deref()).filter(|_| facilitator),
                history: &state.history,
                suggestions: (facilitator && !item.suggestions.is_empty()).then_some(item.suggestions.as_slice()),
                replaces: (facilitator && !item.replaces.is_empty()).then_some(item.replaces.as_slice()),
                notes: item.notes.as_deref().filter(|_| facilitator),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(view: &SessionView) -> Vec<String> {
        view.items.iter().map(|item| item.id.to_string()).collect()
    }

    #[test]
    fn phones_see_the_current_and_open_items_and_every_item_once_the_summary_is_shared() {
        use crate::domain::catalogue::{Catalogue, BUILT_IN};
        use crate::domain::session::{Actor, Command, SessionSpec};
        let catalogue: Catalogue = serde_json::from_str(BUILT_IN[0].1).unwrap();
        let mut session = Session::new(SessionSpec::workshop(&catalogue, "Test").unwrap());
        let run = |session: &mut Session, command: Command| {
            for event in session.decide(Actor::Facilitator, command, 7).unwrap() {
                session.apply(&event);
            }
        };
        let phone = |session: &Session| serde_json::to_value(render(session, "123456", 3, Audience::Phone)).unwrap();
        let before = phone(&session);
        assert_eq!(before["items"], serde_json::json!([]), "nothing to show before the first item");
        assert_eq!(before["scales"], serde_json::json!({}));
        assert_eq!(before["areas"].as_array().unwrap().len(), 4, "areas are small and name the current item's area");

        let first = session.spec.items[0].id.clone();
        let second = session.spec.items[1].id.clone();
        run(&mut session, Command::Open { item: first.clone() });
        run(&mut session, Command::Open { item: second.clone() });
        assert_eq!(ids(&render(&session, "123456", 3, Audience::Phone)), [first.clone(), second.clone()]);
        run(&mut session, Command::Close { item: first.clone() });
        let view = render(&session, "123456", 3, Audience::Phone);
        assert_eq!(ids(&view), std::slice::from_ref(&second), "the closed item is neither current nor open");
        assert_eq!(view.scales.len(), 1, "the current item's scale");
        let public = render(&session, "123456", 3, Audience::Public);
        assert_eq!(public.items.len(), 32, "screens see every item");
        let phone_item = serde_json::to_value(&view.items[0]).unwrap();
        let public_item = serde_json::to_value(public.items.iter().find(|i| i.id == second).unwrap()).unwrap();
        assert_eq!(phone_item, public_item, "an item looks the same to phones and screens");
        let phone_bytes = serde_json::to_vec(&view).unwrap().len();
        let public_bytes = serde_json::to_vec(&public).unwrap().len();
        assert!(phone_bytes * 5 < public_bytes, "phone view {phone_bytes} bytes, screen view {public_bytes}");

        run(&mut session, Command::ShareSummary { shared: true });
        let shared = render(&session, "123456", 3, Audience::Phone);
        assert_eq!(shared.items.len(), 32, "the shared summary refers to every indicator");
        assert!(shared.summary.is_some());
    }

    #[test]
    fn notes_for_the_facilitator_reach_only_the_facilitator_in_every_state() {
        use crate::domain::catalogue::{Catalogue, BUILT_IN};
        use crate::domain::session::{Actor, Command, SessionSpec};
        const SECRET: &str = "Fråga först om styrdokumentet är antaget";
        let mut catalogue: Catalogue = serde_json::from_str(BUILT_IN[0].1).unwrap();
        catalogue.areas[0].indicators[0].notes = Some(SECRET.into());
        let mut session = Session::new(SessionSpec::workshop(&catalogue, "Test").unwrap());
        let first = session.spec.items[0].id.clone();
        assert_eq!(session.spec.items[0].notes.as_deref(), Some(SECRET), "the catalogue's notes reach the item");
        let check = |session: &Session, when: &str| {
            for audience in [Audience::Facilitator, Audience::Public, Audience::Phone] {
                let text = serde_json::to_string(&render(session, "123456", 3, audience)).unwrap();
                let shown = text.contains(SECRET);
                assert_eq!(shown, audience == Audience::Facilitator, "{when}: notes shown to {audience:?}: {shown}");
                assert_eq!(text.contains("\"notes\""), audience == Audience::Facilitator, "{when}: {audience:?}");
            }
        };
        check(&session, "before the first item");
        let commands = [
            Command::Open { item: first.clone() },
            Command::Reveal { item: first.clone() },
            Command::ShareSummary { shared: true },
        ];
        for command in commands {
            let when = format!("{command:?}");
            for event in session.decide(Actor::Facilitator, command, 7).unwrap() {
                session.apply(&event);
            }
            check(&session, &when);
        }
    }
}
