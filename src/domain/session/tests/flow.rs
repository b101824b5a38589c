//! Tests of the item flow: open, close, reveal, re-vote, lock and reopen.

use super::*;

#[test]
fn the_workshop_flow_runs_from_pending_to_locked() {
    let mut s = session(3);
    assert_eq!(s.items[0].phase(), Phase::Pending);
    run(&mut s, F, open("L1")).unwrap();
    assert_eq!(s.items[0].phase(), Phase::Voting);
    assert_eq!(s.current, Some(0));
    for p in 1..=3 {
        run(&mut s, Actor::Participant(p), vote("L1", 1, level(p as i64 + 1))).unwrap();
    }
    run(&mut s, F, Command::Reveal { item: "L1".into() }).unwrap();
    assert_eq!(s.items[0].phase(), Phase::Revealed);
    assert_eq!(scale_tally(&s, 0, 0).counts, vec![0, 1, 1, 1, 0]);
    run(&mut s, F, Command::Revote { item: "L1".into() }).unwrap();
    assert_eq!(s.items[0].rounds.len(), 2);
    assert_eq!(s.items[0].phase(), Phase::Voting);
    run(&mut s, F, Command::Close { item: "L1".into() }).unwrap();
    let lock =
        Command::Lock { item: "L1".into(), level: 3, note: " Enig ".into(), dissent: Some("  ".into()), by: None };
    run(&mut s, F, lock).unwrap();
    assert_eq!(s.items[0].phase(), Phase::Locked);
    let consensus = s.items[0].consensus.as_ref().unwrap();
    assert_eq!((consensus.level, consensus.note.as_str(), consensus.dissent.as_deref()), (3, "Enig", None));
    run(&mut s, F, Command::Reopen { item: "L1".into() }).unwrap();
    assert_eq!(s.items[0].phase(), Phase::Closed);
    assert_eq!(s.items[0].history.len(), 1);
    // The first round and its tally are kept beside the second.
    assert_eq!(scale_tally(&s, 0, 0).n(), 3);
}

#[test]
fn transitions_out_of_order_are_refused() {
    let mut s = session(0);
    let refused = |s: &Session, c: Command| matches!(s.decide(F, c, 0), Err(DomainError::InvalidTransition { .. }));
    assert!(refused(&s, Command::Reveal { item: "L1".into() }));
    assert!(refused(&s, Command::Close { item: "L1".into() }));
    assert!(refused(&s, Command::Revote { item: "L1".into() }));
    assert!(refused(&s, Command::Reopen { item: "L1".into() }));
    run(&mut s, F, open("L1")).unwrap();
    assert!(refused(&s, open("L1")));
    assert!(refused(&s, Command::Lock { item: "L1".into(), level: 3, note: String::new(), dissent: None, by: None }));
    let lock = Command::Lock { item: "L2".into(), level: 9, note: String::new(), dissent: None, by: None };
    assert_eq!(s.decide(F, lock, 0), Err(DomainError::InvalidLevel(9)));
    let long = "å".repeat(MAX_TEXT_CHARS + 1);
    let lock = Command::Lock { item: "L2".into(), level: 2, note: long, dissent: None, by: None };
    assert_eq!(s.decide(F, lock, 0), Err(DomainError::TextTooLong));
}

#[test]
fn only_scale_items_can_be_locked() {
    let s = seminar(0);
    let lock = Command::Lock { item: "hot".into(), level: 1, note: String::new(), dissent: None, by: None };
    assert_eq!(s.decide(F, lock, 0), Err(DomainError::WrongKind { action: "lock", kind: "choice" }));
}
