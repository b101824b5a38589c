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

#[test]
fn the_live_console_lists_the_most_frequent_groups_and_every_hidden_one_and_an_export_lists_all() {
    use crate::domain::kinds::words::CONSOLE_WORDS;
    use crate::domain::view::{render, render_whole, Audience};
    let typists = CONSOLE_WORDS as u32 + 10;
    let mut s = seminar(typists);
    run(&mut s, F, open("ord")).unwrap();
    for p in 1..=typists {
        run(&mut s, Actor::Participant(p), word("ord", "vanlig")).unwrap();
        run(&mut s, Actor::Participant(p), word("ord", &format!("w{p}"))).unwrap();
    }
    // Ties go alphabetically, so "w99" is the rarest group of all: hidden, it is listed anyway.
    run(&mut s, F, Command::HideWord { item: "ord".into(), word: "w99".into() }).unwrap();
    let cloud = |view: serde_json::Value| view["items"][2]["rounds"][0]["tally"].clone();

    let live = cloud(serde_json::to_value(render(&s, "123456", 0, Audience::Facilitator)).unwrap());
    let words = live["words"].as_array().unwrap();
    assert_eq!(words.len(), CONSOLE_WORDS + 1, "the most frequent, and the hidden one beyond them");
    assert_eq!(words[0]["text"], "vanlig");
    assert_eq!(words[CONSOLE_WORDS]["text"], "w99");
    assert_eq!(words[CONSOLE_WORDS]["hidden"], true);
    let groups = typists as usize + 1;
    assert_eq!(live["more"], groups - words.len(), "the groups left out are counted");
    assert_eq!(live["total"], 2 * typists, "every use counts in the total");

    let export = cloud(serde_json::to_value(render_whole(&s, "123456")).unwrap());
    assert_eq!(export["words"].as_array().unwrap().len(), groups, "an export lists every group");
    assert!(export.get("more").is_none());
    let screen = cloud(serde_json::to_value(render(&s, "123456", 0, Audience::Public)).unwrap());
    assert!(screen.get("more").is_none(), "the screen's cloud says nothing of moderation");
}
