//! The room word and participants left out of the counts.

use super::*;

fn vote_with(item: &str, answer: i64, room_word: &str) -> Command {
    Command::Vote { item: item.into(), round: 1, answer: level(answer), room_word: Some(room_word.into()) }
}

fn set_word(word: Option<&str>) -> Command {
    Command::SetRoomWord { word: word.map(str::to_string) }
}

#[test]
fn with_a_room_word_only_answers_that_carry_it_count_and_a_new_word_turns_the_old_away() {
    let mut s = session(3);
    run(&mut s, F, open("L1")).unwrap();
    run(&mut s, F, set_word(Some("Kanel"))).unwrap();
    assert_eq!(s.room_word.as_ref().map(|r| (r.word.as_str(), r.number)), Some(("Kanel", 1)));
    assert_eq!(run(&mut s, P1, vote("L1", 1, level(3))), Err(DomainError::WrongRoomWord), "no word");
    assert_eq!(run(&mut s, P1, vote_with("L1", 3, "kaffe")), Err(DomainError::WrongRoomWord));
    assert!(run(&mut s, P1, vote_with("L1", 3, " kanel ")).is_ok(), "any case, spaces around");
    run(&mut s, F, set_word(Some("Bulle"))).unwrap();
    assert_eq!(s.room_word.as_ref().unwrap().number, 2);
    let p2 = Actor::Participant(2);
    assert_eq!(run(&mut s, p2, vote_with("L1", 4, "kanel")), Err(DomainError::WrongRoomWord), "the old word");
    assert!(run(&mut s, p2, vote_with("L1", 4, "BULLE")).is_ok());
    let words = Command::Word { item: "ord".into(), round: 1, text: "framtid".into(), room_word: None };
    let mut seminar = seminar(1);
    run(&mut seminar, F, open("ord")).unwrap();
    run(&mut seminar, F, set_word(Some("kanel"))).unwrap();
    assert_eq!(run(&mut seminar, P1, words), Err(DomainError::WrongRoomWord), "words need it too");

    run(&mut s, F, set_word(None)).unwrap();
    assert!(run(&mut s, Actor::Participant(3), vote("L1", 1, level(2))).is_ok(), "no word needed any more");
    assert_eq!(scale_tally(&s, 0, 0).counts, vec![0, 1, 1, 1, 0]);
    run(&mut s, F, set_word(Some("saffran"))).unwrap();
    assert_eq!(s.room_word.as_ref().unwrap().number, 3, "a word after none takes no old number");
    for bad in ["", "a", "två ord", "<b>", "x".repeat(25).as_str()] {
        assert!(matches!(run(&mut s, F, set_word(Some(bad))), Err(DomainError::InvalidField(_))), "{bad:?}");
    }
    assert_eq!(run(&mut s, P1, set_word(None)), Err(DomainError::Forbidden), "only the facilitator sets it");
    let replayed = Session::replay(s.spec.clone(), &s.compacted());
    let word = |s: &Session| s.room_word.as_ref().map(|r| r.word.clone());
    assert_eq!(word(&replayed), word(&s), "compaction keeps the word");
}

#[test]
fn leaving_participants_out_sets_their_answers_aside_and_counting_them_again_restores_them() {
    let mut s = seminar(4);
    let mut log: Vec<Event> =
        (0..4).map(|p| Event::ParticipantJoined { participant: p + 1, token: format!("token-{p}") }).collect();
    let mut go = |s: &mut Session, actor: Actor, command: Command| {
        let events = run(s, actor, command)?;
        log.extend(events.iter().cloned());
        Ok::<_, DomainError>(events)
    };
    go(&mut s, F, open("hot")).unwrap();
    go(&mut s, F, open("ord")).unwrap();
    for p in 1..=4 {
        let answer = RawAnswer::List(vec![if p <= 3 { 0 } else { 1 }]);
        go(&mut s, Actor::Participant(p), Command::Vote { item: "hot".into(), round: 1, answer, room_word: None })
            .unwrap();
        go(&mut s, Actor::Participant(p), word("ord", "framtid")).unwrap();
    }
    let before =
        (s.items[0].rounds[0].tally.clone(), s.items[2].rounds[0].tally.clone(), s.items[0].rounds[0].voters());
    assert_eq!(before.0, choice_tally(&[3, 1]));

    go(&mut s, F, Command::LeaveOut { participants: vec![2, 3, 3] }).unwrap();
    assert_eq!(s.items[0].rounds[0].tally, choice_tally(&[1, 1]), "two stuffed ballots out");
    assert_eq!(s.items[0].rounds[0].voters(), 2);
    let RoundTally::Words(cloud) = &s.items[2].rounds[0].tally else { panic!("words") };
    assert_eq!(cloud.counts().get("framtid"), Some(&2));
    let again = Command::Vote { item: "hot".into(), round: 1, answer: RawAnswer::List(vec![1]), room_word: None };
    assert_eq!(go(&mut s, Actor::Participant(2), again), Err(DomainError::LeftOut));
    assert_eq!(go(&mut s, F, Command::LeaveOut { participants: vec![2] }), Ok(vec![]), "already out");
    assert!(matches!(go(&mut s, F, Command::LeaveOut { participants: vec![9] }), Err(DomainError::InvalidField(_))));
    assert!(matches!(go(&mut s, F, Command::LeaveOut { participants: vec![] }), Err(DomainError::InvalidField(_))));
    assert_eq!(go(&mut s, P1, Command::LeaveOut { participants: vec![2] }), Err(DomainError::Forbidden));

    go(&mut s, F, Command::CountAgain { participants: vec![2, 3] }).unwrap();
    let after = (s.items[0].rounds[0].tally.clone(), s.items[2].rounds[0].tally.clone(), s.items[0].rounds[0].voters());
    assert_eq!(after, before, "counted again exactly as before");
    assert!(s.left_out.is_empty());
    go(&mut s, F, Command::LeaveOut { participants: vec![4] }).unwrap();
    let replayed = Session::replay(s.spec.clone(), &log);
    assert_eq!(replayed.items[0].rounds[0].tally, choice_tally(&[3, 0]), "the log rebuilds it");
    assert_eq!(replayed.left_out, s.left_out);
}

#[test]
fn the_flagged_are_left_out_in_one_command_and_everyone_is_counted_again_in_one() {
    let mut s = seminar(5);
    run(&mut s, F, open("hot")).unwrap();
    for p in 1..=5 {
        let answer = RawAnswer::List(vec![i64::from(p > 3)]);
        run(&mut s, Actor::Participant(p), Command::Vote { item: "hot".into(), round: 1, answer, room_word: None })
            .unwrap();
    }
    run(&mut s, F, Command::LeaveOut { participants: vec![1] }).unwrap();
    // 1 is out already and 9 never joined: the server's flags are taken as they are, neither refused.
    let flagged = Command::LeaveOutFlagged { flagged: vec![3, 1, 2, 9, 2] };
    assert_eq!(run(&mut s, F, flagged.clone()), Ok(vec![Event::ParticipantsLeftOut { participants: vec![2, 3] }]));
    assert_eq!(s.items[0].rounds[0].tally, choice_tally(&[0, 2]));
    assert_eq!(run(&mut s, F, flagged), Ok(vec![]), "nobody flagged still counts");
    assert_eq!(run(&mut s, F, Command::LeaveOutFlagged { flagged: vec![] }), Ok(vec![]), "nobody flagged");
    assert_eq!(run(&mut s, Actor::Participant(4), Command::CountAllAgain), Err(DomainError::Forbidden));

    assert_eq!(
        run(&mut s, F, Command::CountAllAgain),
        Ok(vec![Event::ParticipantsCountedAgain { participants: vec![1, 2, 3] }])
    );
    assert_eq!(s.items[0].rounds[0].tally, choice_tally(&[3, 2]), "every answer back");
    assert_eq!(run(&mut s, F, Command::CountAllAgain), Ok(vec![]), "nobody left out");
}

#[test]
fn phones_and_screens_see_no_version_change_when_someone_changes_an_answer_before_the_reveal() {
    let mut s = session(2);
    run(&mut s, F, open("L1")).unwrap();
    run(&mut s, P1, vote("L1", 1, level(2))).unwrap();
    let (version, public) = (s.version, s.public_version);
    for answer in [3, 4, 5, 1] {
        run(&mut s, P1, vote("L1", 1, level(answer))).unwrap();
    }
    assert_eq!(s.version, version + 4, "every change is stored");
    assert_eq!(s.public_version, public, "but none shows");
    run(&mut s, Actor::Participant(2), vote("L1", 1, level(2))).unwrap();
    assert_eq!(s.public_version, public + 1, "a new voter shows (the count of voters rises)");
}
