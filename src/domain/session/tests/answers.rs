//! Tests of ballots and words: what is accepted and how it is counted.

use super::*;

#[test]
fn a_changed_ballot_replaces_the_earlier_one() {
    let mut s = session(1);
    run(&mut s, F, open("L1")).unwrap();
    run(&mut s, P1, vote("L1", 1, level(2))).unwrap();
    run(&mut s, P1, vote("L1", 1, RawAnswer::Word("not_relevant".into()))).unwrap();
    let tally = scale_tally(&s, 0, 0);
    assert_eq!((tally.n(), tally.not_relevant), (0, 1));
}

#[test]
fn a_resent_identical_vote_stores_nothing_new() {
    let mut s = session(1);
    run(&mut s, F, open("L1")).unwrap();
    run(&mut s, P1, vote("L1", 1, level(2))).unwrap();
    assert_eq!(s.decide(P1, vote("L1", 1, level(2)), 0), Ok(vec![]));
}

#[test]
fn votes_outside_an_open_round_or_the_scale_are_refused() {
    let mut s = session(1);
    assert!(matches!(s.decide(P1, vote("L1", 1, level(3)), 0), Err(DomainError::RoundClosed { .. })));
    run(&mut s, F, open("L1")).unwrap();
    assert_eq!(s.decide(P1, vote("L1", 1, level(0)), 0), Err(DomainError::InvalidAnswer));
    assert_eq!(s.decide(P1, vote("L1", 1, level(6)), 0), Err(DomainError::InvalidAnswer));
    assert_eq!(s.decide(P1, vote("L1", 1, level(-300)), 0), Err(DomainError::InvalidAnswer));
    assert_eq!(s.decide(P1, vote("L1", 1, RawAnswer::List(vec![3])), 0), Err(DomainError::InvalidAnswer));
    assert!(matches!(s.decide(P1, vote("L1", 2, level(3)), 0), Err(DomainError::RoundClosed { .. })));
    assert_eq!(s.decide(P1, vote("X9", 1, level(3)), 0), Err(DomainError::UnknownItem("X9".into())));
    run(&mut s, F, Command::Close { item: "L1".into() }).unwrap();
    assert!(matches!(s.decide(P1, vote("L1", 1, level(3)), 0), Err(DomainError::RoundClosed { .. })));
}

#[test]
fn choice_ballots_count_per_option_and_multiple_choice_counts_each() {
    let mut s = seminar(3);
    run(&mut s, F, open("hot")).unwrap();
    run(&mut s, F, open("many")).unwrap();
    run(&mut s, Actor::Participant(1), vote("hot", 1, RawAnswer::List(vec![1]))).unwrap();
    run(&mut s, Actor::Participant(2), vote("hot", 1, RawAnswer::List(vec![1]))).unwrap();
    run(&mut s, Actor::Participant(2), vote("hot", 1, RawAnswer::List(vec![0]))).unwrap();
    assert_eq!(s.items[0].rounds[0].tally, choice_tally(&[1, 1]));
    assert_eq!(
        s.decide(Actor::Participant(3), vote("hot", 1, RawAnswer::List(vec![0, 1])), 0),
        Err(DomainError::InvalidAnswer)
    );
    run(&mut s, Actor::Participant(1), vote("many", 1, RawAnswer::List(vec![0, 2]))).unwrap();
    run(&mut s, Actor::Participant(2), vote("many", 1, RawAnswer::List(vec![2]))).unwrap();
    assert_eq!(s.items[1].rounds[0].tally, choice_tally(&[1, 0, 2]));
    assert_eq!(s.items[1].rounds[0].voters(), 2);
}

#[test]
fn points_add_up_per_option_with_supporters() {
    let mut s = seminar(2);
    run(&mut s, F, open("prio")).unwrap();
    run(&mut s, Actor::Participant(1), vote("prio", 1, RawAnswer::List(vec![10, 0]))).unwrap();
    run(&mut s, Actor::Participant(2), vote("prio", 1, RawAnswer::List(vec![4, 6]))).unwrap();
    let points = PointsTally { totals: vec![14, 6], supporters: vec![2, 1] };
    assert_eq!(s.items[3].rounds[0].tally, RoundTally::Points(points));
    let over = vote("prio", 1, RawAnswer::List(vec![6, 6]));
    assert_eq!(s.decide(Actor::Participant(1), over, 0), Err(DomainError::InvalidAnswer));
}

#[test]
fn words_are_normalised_and_limited_per_participant() {
    let mut s = seminar(2);
    run(&mut s, F, open("ord")).unwrap();
    let events = run(&mut s, P1, word("ord", "  FRAMTID ")).unwrap();
    assert!(matches!(&events[0], Event::WordAdded { word, .. } if word == "framtid"));
    assert_eq!(s.decide(P1, word("ord", "Framtid"), 0), Err(DomainError::DuplicateWord));
    run(&mut s, P1, word("ord", "får")).unwrap();
    assert_eq!(s.decide(P1, word("ord", "far"), 0), Err(DomainError::TooManyWords(2)));
    assert_eq!(
        s.decide(Actor::Participant(2), word("ord", "<b>"), 0),
        Err(DomainError::InvalidWord(WordError::Markup))
    );
    let long = "a".repeat(21);
    assert_eq!(
        s.decide(Actor::Participant(2), word("ord", &long), 0),
        Err(DomainError::InvalidWord(WordError::TooLong(20)))
    );
    run(&mut s, Actor::Participant(2), word("ord", "framtid")).unwrap();
    let RoundTally::Words(tally) = &s.items[2].rounds[0].tally else { panic!() };
    let counts = tally.counts();
    assert_eq!(counts.get("framtid"), Some(&2));
    assert_eq!(counts.get("får"), Some(&1));
    assert_eq!(s.items[2].rounds[0].voters(), 2);
    assert_eq!(s.decide(P1, vote("ord", 1, level(1)), 0), Err(DomainError::InvalidAnswer));
    assert_eq!(s.decide(P1, word("hot", "x"), 0), Err(DomainError::InvalidAnswer));
}

proptest! {
    /// Whatever participants send, the tally counts each participant's latest answer exactly once.
    #[test]
    fn tally_counts_add_up_to_voters(votes in proptest::collection::vec((1u32..=8, 0i64..=6), 0..80)) {
        let mut s = session(8);
        run(&mut s, F, open("L1")).unwrap();
        let mut latest = BTreeMap::new();
        for (p, value) in votes {
            let answer = if value == 6 { RawAnswer::Word("not_relevant".into()) } else { level(value) };
            if run(&mut s, Actor::Participant(p), vote("L1", 1, answer)).is_ok() {
                latest.insert(p, value);
            }
        }
        let tally = scale_tally(&s, 0, 0);
        prop_assert_eq!(tally.voters() as usize, latest.len());
        for level in 1..=5i64 {
            let expected = latest.values().filter(|v| **v == level).count();
            prop_assert_eq!(tally.counts[level as usize - 1] as usize, expected);
        }
    }

    /// Word limits hold whatever a participant sends, in any order.
    #[test]
    fn no_participant_ever_has_more_than_the_limit_or_a_repeat(sent in proptest::collection::vec("[a-cå ]{0,4}", 0..30)) {
        let mut s = seminar(1);
        run(&mut s, F, open("ord")).unwrap();
        for text in sent {
            let _ = run(&mut s, P1, word("ord", &text));
        }
        let words = s.items[2].rounds[0].words.get(&1).cloned().unwrap_or_default();
        prop_assert!(words.len() <= 2);
        let mut unique = words.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), words.len());
    }
}

#[test]
fn the_cloud_shows_the_most_common_spelling_to_screens_but_not_to_phones() {
    use crate::domain::view::{render, Audience};
    let mut s = seminar(4);
    run(&mut s, F, open("ord")).unwrap();
    let events = run(&mut s, P1, word("ord", "framtid")).unwrap();
    assert!(matches!(&events[0], Event::WordAdded { spelling: None, .. }), "no spelling stored when it is the word");
    for (p, written) in [(2, "Babels torn"), (3, "babels torn"), (4, "Babels  Torn ")] {
        run(&mut s, Actor::Participant(p), word("ord", written)).unwrap();
    }
    run(&mut s, Actor::Participant(2), word("ord", "AI")).unwrap();
    let words_of = |s: &Session, audience| {
        let view = serde_json::to_value(render(s, "123456", 4, audience)).unwrap();
        let item = view["items"].as_array().unwrap().iter().find(|i| i["id"] == "ord").cloned().unwrap();
        item["rounds"][0]["tally"]["words"].clone()
    };
    for audience in [Audience::Public, Audience::Facilitator] {
        let words = words_of(&s, audience);
        assert_eq!(words[0]["text"], "babels torn");
        assert_eq!(words[0]["display"], "Babels torn", "a three-way tie goes to the first seen");
        let by_text = |t: &str| words.as_array().unwrap().iter().find(|w| w["text"] == t).cloned().unwrap();
        assert_eq!(by_text("ai")["display"], "AI");
        assert!(by_text("framtid").get("display").is_none(), "no display where it equals the text");
    }
    // The item is open, so phones get it as the screen has it, spellings included: a phone's view is the
    // public view of its items, nothing less.
    let phone = serde_json::to_string(&render(&s, "123456", 4, Audience::Phone)).unwrap();
    assert!(phone.contains(r#""text":"babels torn","display":"Babels torn""#), "{phone}");
    // Moderation stays keyed on the normalised word and the group keeps its spelling.
    run(&mut s, F, Command::MergeWords { item: "ord".into(), word: "ai".into(), into: "babels torn".into() }).unwrap();
    assert_eq!(words_of(&s, Audience::Public)[0]["display"], "Babels torn");
}
