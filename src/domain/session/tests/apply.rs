//! Tests of applying, replaying and compacting events, and their stored form.

use super::*;

#[test]
fn replaying_events_rebuilds_the_same_session() {
    let mut s = seminar(2);
    let mut log: Vec<Event> =
        (0..2).map(|p| Event::ParticipantJoined { participant: p + 1, token: format!("token-{p}") }).collect();
    let steps = [
        (F, open("hot")),
        (P1, vote("hot", 1, RawAnswer::List(vec![1]))),
        (Actor::Participant(2), vote("hot", 1, RawAnswer::List(vec![0]))),
        (F, Command::Reveal { item: "hot".into() }),
        (F, open("ord")),
        (P1, word("ord", "Framtid")),
        (F, Command::MergeWords { item: "ord".into(), word: "framtiden".into(), into: "framtid".into() }),
        (F, Command::SetFilter { enabled: false }),
    ];
    for (actor, command) in steps {
        log.extend(run(&mut s, actor, command).unwrap());
    }
    let rebuilt = Session::replay(seminar(0).spec, &log);
    assert_eq!(rebuilt.items, s.items);
    assert_eq!(rebuilt.version, s.version);
    assert!(!rebuilt.profanity_filter);
    assert_eq!(rebuilt.participant("token-1"), Some(2));
    let own = rebuilt.answers_of(1);
    assert_eq!(own["hot"].answer, Some(Answer::Options(vec![1])));
    assert_eq!(own["ord"].words, vec!["framtid".to_string()]);
}

#[test]
fn a_compacted_log_rebuilds_the_outcome_without_who_answered_what() {
    let mut s = seminar(3);
    let steps = [
        (F, open("hot")),
        (P1, vote("hot", 1, RawAnswer::List(vec![1]))),
        (Actor::Participant(2), vote("hot", 1, RawAnswer::List(vec![0]))),
        (F, Command::Reveal { item: "hot".into() }),
        (F, Command::Revote { item: "hot".into() }),
        (Actor::Participant(3), vote("hot", 2, RawAnswer::List(vec![1]))),
        (F, open("ord")),
        (P1, word("ord", "Framtid")),
        (Actor::Participant(2), word("ord", "framtiden")),
        (F, Command::MergeWords { item: "ord".into(), word: "framtiden".into(), into: "framtid".into() }),
        (F, Command::HideWord { item: "ord".into(), word: "tråkigt".into() }),
        (F, Command::SetFilter { enabled: false }),
        (F, Command::ShareSummary { shared: true }),
    ];
    for (actor, command) in steps {
        run(&mut s, actor, command).unwrap();
    }
    let mut workshop = session(2);
    run(&mut workshop, F, open("L1")).unwrap();
    run(&mut workshop, P1, vote("L1", 1, level(2))).unwrap();
    run(&mut workshop, F, Command::Reveal { item: "L1".into() }).unwrap();
    let lock = |level| Command::Lock { item: "L1".into(), level, note: "n".into(), dissent: Some("d".into()) };
    run(&mut workshop, F, lock(2)).unwrap();
    run(&mut workshop, F, Command::Reopen { item: "L1".into() }).unwrap();
    run(&mut workshop, F, Command::Revote { item: "L1".into() }).unwrap();

    for original in [s, workshop] {
        let initial = Session::new(SessionSpec { items: vec![], scales: BTreeMap::new(), ..original.spec.clone() });
        let rebuilt = Session::replay(initial.spec, &original.compacted());
        assert_eq!(rebuilt.spec, original.spec);
        assert_eq!(rebuilt.current, original.current);
        assert_eq!(
            (rebuilt.profanity_filter, rebuilt.summary_shared),
            (original.profanity_filter, original.summary_shared)
        );
        assert_eq!(rebuilt.participant_count(), 0, "no resume tokens are kept");
        for (a, b) in rebuilt.items.iter().zip(&original.items) {
            assert_eq!(
                (a.phase(), &a.consensus, &a.history, &a.moderation),
                (b.phase(), &b.consensus, &b.history, &b.moderation)
            );
            assert_eq!(a.rounds.len(), b.rounds.len());
            for (x, y) in a.rounds.iter().zip(&b.rounds) {
                assert_eq!(
                    (x.number, x.open, x.revealed, &x.tally, x.voters(), &x.spellings),
                    (y.number, y.open, y.revealed, &y.tally, y.voters(), &y.spellings)
                );
                assert!(x.ballots.is_empty() && x.words.is_empty());
            }
        }
    }
}

#[test]
fn events_survive_a_json_round_trip() {
    let event = Event::BallotCast { item: "L1".into(), round: 2, participant: 7, answer: Answer::NotRelevant };
    let json = serde_json::to_string(&event).unwrap();
    assert_eq!(json, r#"{"type":"ballot_cast","item":"L1","round":2,"participant":7,"answer":"not_relevant"}"#);
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
    // A word stored before spellings were kept still reads, as its own spelling; one that needs none stores none.
    let old = r#"{"type":"word_added","item":"ord","round":1,"participant":2,"word":"framtid"}"#;
    let event = serde_json::from_str::<Event>(old).unwrap();
    assert!(matches!(&event, Event::WordAdded { spelling: None, .. }));
    assert_eq!(serde_json::to_string(&event).unwrap(), old);
    let event = Event::WordAdded {
        item: "ord".into(),
        round: 1,
        participant: 2,
        word: "ai".into(),
        spelling: Some("AI".into()),
    };
    let json = serde_json::to_string(&event).unwrap();
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
    let agenda = seminar(0).agenda();
    let event = Event::AgendaSet { scales: agenda.scales, items: agenda.items };
    let json = serde_json::to_string(&event).unwrap();
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
}
