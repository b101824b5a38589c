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
    assert_eq!(own["hot"].answer, Some(Answer::Choice(ChoiceAnswer { options: vec![1] })));
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
    let lock =
        |level| Command::Lock { item: "L1".into(), level, note: "n".into(), dissent: Some("d".into()), by: None };
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
    let answer = Answer::Scale(ScaleAnswer::NotRelevant);
    let event = Event::BallotCast { item: "L1".into(), round: 2, participant: 7, answer };
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

/// Events as earlier releases stored them, one of every kind and of every answer, tally and item kind:
/// each must read and write back to the very same text. A change to the stored format fails here, where
/// the round trip above (which writes before it reads) would not notice.
#[test]
fn every_stored_event_reads_and_writes_back_to_the_same_text() {
    let stored = [
        r#"{"type":"participant_joined","participant":1,"token":"3f1c"}"#,
        r#"{"type":"round_opened","item":"L1","round":1}"#,
        r#"{"type":"ballot_cast","item":"L1","round":1,"participant":1,"answer":3}"#,
        r#"{"type":"ballot_cast","item":"L1","round":1,"participant":2,"answer":"not_relevant"}"#,
        r#"{"type":"ballot_cast","item":"val","round":1,"participant":1,"answer":{"options":[0,2]}}"#,
        r#"{"type":"ballot_cast","item":"prio1","round":1,"participant":1,"answer":{"points":[60,40]}}"#,
        r#"{"type":"word_added","item":"ord","round":1,"participant":1,"word":"framtid"}"#,
        r#"{"type":"word_added","item":"ord","round":1,"participant":2,"word":"ai","spelling":"AI"}"#,
        r#"{"type":"round_closed","item":"L1","round":1}"#,
        r#"{"type":"round_revealed","item":"L1","round":1}"#,
        r#"{"type":"consensus_locked","item":"L1","level":4,"note":"Beslut finns","dissent":null,"at":1700000000000}"#,
        r#"{"type":"consensus_reopened","item":"L1","at":1700000000001}"#,
        r#"{"type":"current_set","item":"L2"}"#,
        r#"{"type":"current_set","item":null}"#,
        r#"{"type":"word_hidden","item":"ord","word":"tråkigt"}"#,
        r#"{"type":"word_shown","item":"ord","word":"tråkigt"}"#,
        r#"{"type":"words_merged","item":"ord","word":"möjligheter","into":"framtid"}"#,
        r#"{"type":"word_unmerged","item":"ord","word":"möjligheter"}"#,
        r#"{"type":"filter_set","enabled":false}"#,
        r#"{"type":"summary_shared","shared":true}"#,
        r#"{"type":"occasion_recorded","occasion":{"organisation":"Exempelby kommun","field":null,"date":"2026-11-20","finished_at":1700000000002}}"#,
        r#"{"type":"action_set","action":{"id":"a1","item":"L1","text":"Ta fram en plan","owner":"Anna","due":"2027-03-31","status":"doing"}}"#,
        r#"{"type":"action_removed","id":"a1"}"#,
        r#"{"type":"round_tallied","item":"L1","round":1,"tally":{"scale":{"counts":[1,0,2,3,1],"not_relevant":1}},"voters":8}"#,
        r#"{"type":"round_tallied","item":"val","round":1,"tally":{"choice":[3,5]},"voters":8}"#,
        r#"{"type":"round_tallied","item":"prio1","round":1,"tally":{"points":{"totals":[300,500],"supporters":[4,6]}},"voters":8}"#,
        r#"{"type":"round_tallied","item":"ord","round":1,"tally":{"words":{"ai":2,"framtid":3}},"voters":4,"spellings":{"ai":[["AI",2]],"framtid":[["framtid",3]]}}"#,
        concat!(
            r#"{"type":"agenda_set","scales":{"lika":{"levels":[{"level":1,"label":{"sv":"Ej planerad","en":"Not planned"},"definition":{"sv":"","en":""}}],"not_relevant":null}},"items":["#,
            r#"{"id":"L1","area":"ledning","title":{"sv":"Styrdokument","en":"Steering document"},"description":{"sv":"","en":""},"kind":"scale","scale":"lika","results":"after_reveal"},"#,
            r#"{"id":"val","area":null,"title":{"sv":"Hot eller möjlighet?","en":"Threat or opportunity?"},"description":{"sv":"","en":""},"kind":"choice","options":[{"sv":"Hot","en":"Threat"},{"sv":"Möjlighet","en":"Opportunity"}],"multiple":false,"results":"live"},"#,
            r#"{"id":"ord","area":null,"title":{"sv":"Ett ord","en":"One word"},"description":{"sv":"","en":""},"kind":"words","max_words":3,"max_chars":40,"results":"live"},"#,
            r#"{"id":"prio1","area":null,"title":{"sv":"Prioritera","en":"Prioritise"},"description":{"sv":"","en":""},"kind":"points","options":[{"sv":"A","en":"A"},{"sv":"B","en":"B"}],"budget":100,"targets":["L1","L2"],"results":"after_reveal"}"#,
            r#"]}"#
        ),
    ];
    for text in stored {
        let event: Event = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(serde_json::to_string(&event).unwrap(), text, "written back differently");
    }
}
