//! Tests of word moderation.

use super::*;

#[test]
fn moderation_hides_shows_and_merges_by_group() {
    let mut s = seminar(0);
    let hide = |w: &str| Command::HideWord { item: "ord".into(), word: w.into() };
    let merge = |w: &str, into: &str| Command::MergeWords { item: "ord".into(), word: w.into(), into: into.into() };
    run(&mut s, F, hide("Tråkigt")).unwrap();
    assert!(s.items[2].moderation.hidden.contains("tråkigt"));
    assert_eq!(run(&mut s, F, hide("tråkigt")).unwrap(), vec![], "hiding twice stores nothing");
    run(&mut s, F, Command::ShowWord { item: "ord".into(), word: "tråkigt".into() }).unwrap();
    assert!(!s.items[2].moderation.hidden.contains("tråkigt"));

    run(&mut s, F, merge("digitaliseringen", "digitalisering")).unwrap();
    run(&mut s, F, merge("digitalt", "digitaliseringen")).unwrap();
    // Merging into a variant lands in its group, and a group merged elsewhere takes its variants along.
    assert_eq!(s.items[2].moderation.group("digitalt"), "digitalisering");
    run(&mut s, F, merge("digitalisering", "it")).unwrap();
    assert_eq!(s.items[2].moderation.group("digitaliseringen"), "it");
    assert_eq!(s.items[2].moderation.group("digitalt"), "it");
    assert_eq!(s.decide(F, merge("it", "digitalt"), 0), Err(DomainError::MergeCycle));
    run(&mut s, F, Command::UnmergeWord { item: "ord".into(), word: "digitalt".into() }).unwrap();
    assert_eq!(s.items[2].moderation.group("digitalt"), "digitalt");
    assert!(matches!(
        s.decide(F, Command::HideWord { item: "hot".into(), word: "x".into() }, 0),
        Err(DomainError::WrongKind { .. })
    ));
}
