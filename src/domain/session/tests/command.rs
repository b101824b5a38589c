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

/// One command of every kind, for rules that must hold for each.
fn one_of_each() -> Vec<Command> {
    let item = || "hot".to_string();
    let some_word = || "x".to_string();
    vec![
        vote("hot", 1, RawAnswer::List(vec![0])),
        word("ord", "hej"),
        open("hot"),
        Command::Close { item: item() },
        Command::Reveal { item: item() },
        Command::Revote { item: item() },
        Command::Lock { item: item(), level: 1, note: String::new(), dissent: None, by: None },
        Command::Reopen { item: item() },
        Command::Goto { item: None },
        Command::HideWord { item: item(), word: some_word() },
        Command::ShowWord { item: item(), word: some_word() },
        Command::MergeWords { item: item(), word: some_word(), into: "y".into() },
        Command::UnmergeWord { item: item(), word: some_word() },
        Command::SetFilter { enabled: false },
        Command::SetAgenda(Agenda::default()),
        Command::ShareSummary { shared: true },
        Command::Finish { organisation: "Org".into(), field: None, date: "2024-05-01".into() },
        Command::SetAction {
            id: None,
            item: item(),
            text: "t".into(),
            owner: String::new(),
            due: None,
            status: ActionStatus::Todo,
        },
        Command::RemoveAction { id: "a1".into() },
        Command::StartPrioritisation { max_level: 2, budget: 10 },
    ]
}

#[test]
fn participants_only_answer_the_facilitator_only_drives_and_screens_only_watch() {
    let s = seminar(1);
    for command in one_of_each() {
        let answers = matches!(command, Command::Vote { .. } | Command::Word { .. });
        assert_eq!(command.allowed(P1), answers, "{command:?}");
        assert_eq!(command.allowed(F), !answers, "{command:?}");
        assert!(!command.allowed(Actor::Screen), "{command:?}");
        for actor in [F, P1, Actor::Screen] {
            if !command.allowed(actor) {
                assert_eq!(s.decide(actor, command.clone(), 0), Err(DomainError::Forbidden), "{actor:?} {command:?}");
            }
        }
    }
}
