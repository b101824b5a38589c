//! Tests of who may send which command.

use super::*;

#[test]
fn participants_and_screens_cannot_drive_the_session() {
    let s = seminar(1);
    for actor in [P1, Actor::Screen] {
        assert_eq!(s.decide(actor, open("hot"), 0), Err(DomainError::Forbidden));
        assert_eq!(s.decide(actor, Command::Goto { item: None }, 0), Err(DomainError::Forbidden));
        assert_eq!(s.decide(actor, Command::SetFilter { enabled: false }, 0), Err(DomainError::Forbidden));
        let hide = Command::HideWord { item: "ord".into(), word: "x".into() };
        assert_eq!(s.decide(actor, hide, 0), Err(DomainError::Forbidden));
        assert_eq!(s.decide(actor, Command::SetAgenda(Agenda::default()), 0), Err(DomainError::Forbidden));
    }
    assert_eq!(s.decide(Actor::Screen, vote("hot", 1, level(0)), 0), Err(DomainError::Forbidden));
    assert_eq!(s.decide(F, vote("hot", 1, level(0)), 0), Err(DomainError::Forbidden));
    assert_eq!(s.decide(F, word("ord", "hej"), 0), Err(DomainError::Forbidden));
}
