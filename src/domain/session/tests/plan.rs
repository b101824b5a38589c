//! Tests of agenda edits.

use super::*;

#[test]
fn an_agenda_edit_keeps_answered_items_and_their_rounds() {
    let mut s = seminar(1);
    run(&mut s, F, open("hot")).unwrap();
    run(&mut s, P1, vote("hot", 1, RawAnswer::List(vec![1]))).unwrap();
    let mut agenda = s.agenda();
    agenda.items.reverse();
    agenda.items.retain(|i| i.id != "prio");
    agenda.items.iter_mut().find(|i| i.id == "hot").unwrap().title = text("Hot eller möjlighet – igen?");
    run(&mut s, F, Command::SetAgenda(agenda.clone())).unwrap();
    let index = s.item_index("hot").unwrap();
    assert_eq!(index, 2);
    assert_eq!(s.current, Some(index), "the current item follows its id");
    assert_eq!(s.items[index].rounds[0].tally, choice_tally(&[0, 1]));
    assert_eq!(s.spec.items.len(), 3);

    let mut removed = agenda.clone();
    removed.items.retain(|i| i.id != "hot");
    assert_eq!(s.decide(F, Command::SetAgenda(removed), 0), Err(DomainError::ItemInUse("hot".into())));
    let mut changed = agenda;
    let hot = changed.items.iter_mut().find(|i| i.id == "hot").unwrap();
    hot.kind = ItemKind::Words(WordsKind { max_words: 3, max_chars: 40 });
    assert_eq!(s.decide(F, Command::SetAgenda(changed), 0), Err(DomainError::ItemInUse("hot".into())));
}
