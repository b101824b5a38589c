//! Words for word clouds: normalising what people type, checking it, and the profanity filter.
//! Swedish letters are letters: å, ä and ö are never folded into a and o.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Why a submitted word was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordError {
    #[error("the word is empty")]
    Empty,
    #[error("the word is longer than {0} characters")]
    TooLong(u16),
    #[error("a word needs at least one letter or digit")]
    NoLetters,
    #[error("a word may not contain < > {{ or }}")]
    Markup,
}

/// Characters that change how text is shown but not what it says: zero-width spaces and joiners,
/// direction marks and overrides (which can make a word read backwards), the soft hyphen, the BOM.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// How a word is shown: as written, with case kept, but otherwise cleaned like `normalize` (NFKC, invisible
/// and control characters removed, spaces collapsed), so "Babels Torn " and "Babels Torn" are one spelling.
pub fn spelling(raw: &str) -> String {
    clean(raw).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clean(raw: &str) -> String {
    nfkc(raw)
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect()
}

/// The form words are grouped and stored in: Unicode NFKC, lower case, invisible and control characters
/// removed, whitespace trimmed and collapsed to single spaces. Letters keep their diacritics.
pub fn normalize(raw: &str) -> String {
    let cleaned = clean(raw);
    // Lower-casing can leave text that is no longer in NFKC form, so compose once more after it.
    let lowered = cleaned.to_lowercase();
    nfkc(&lowered).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` in NFKC form, borrowed when it already is: most words people type are (the quick check is
/// exact when it says yes), and composing them again cost most of taking a word.
fn nfkc(text: &str) -> Cow<'_, str> {
    match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        IsNormalized::No | IsNormalized::Maybe => Cow::Owned(text.nfkc().collect()),
    }
}

/// Normalises a submitted word and checks it against the limits of its item.
pub fn accept(raw: &str, max_chars: u16) -> Result<String, WordError> {
    let word = normalize(raw);
    if word.is_empty() {
        return Err(WordError::Empty);
    }
    if word.chars().count() > max_chars as usize {
        return Err(WordError::TooLong(max_chars));
    }
    if word.contains(['<', '>', '{', '}']) {
        return Err(WordError::Markup);
    }
    if !word.chars().any(char::is_alphanumeric) {
        return Err(WordError::NoLetters);
    }
    Ok(word)
}

struct WordList {
    exact: HashSet<String>,
    stems: Vec<String>,
}

fn word_list() -> &'static WordList {
    static LIST: OnceLock<WordList> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut list = WordList { exact: HashSet::new(), stems: Vec::new() };
        let lines = include_str!("profanity/sv.txt").lines().chain(include_str!("profanity/en.txt").lines());
        for line in lines.map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            match line.strip_suffix('*') {
                Some(stem) => list.stems.push(normalize(stem)),
                None => {
                    list.exact.insert(normalize(line));
                }
            }
        }
        list
    })
}

/// True if any whole word of a normalised phrase is on the Swedish or English list.
pub fn is_profane(normalized: &str) -> bool {
    let list = word_list();
    normalized
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|token| !token.is_empty())
        .any(|token| list.exact.contains(token) || list.stems.iter().any(|stem| token.starts_with(stem.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn case_spaces_and_compatibility_forms_group_together() {
        assert_eq!(normalize("Framtid"), "framtid");
        assert_eq!(normalize("  framtid "), "framtid");
        assert_eq!(normalize("FRAMTID"), "framtid");
        assert_eq!(normalize("digital \t  FRAMTID"), "digital framtid");
        // NFKC: full-width letters and ligatures become their plain forms.
        assert_eq!(normalize("ＦＲＡＭＴＩＤ"), "framtid");
        assert_eq!(normalize("ﬁlter"), "filter");
    }

    #[test]
    fn a_spelling_keeps_case_but_is_cleaned_like_the_word() {
        assert_eq!(spelling("  Babels \u{200B}Torn "), "Babels Torn");
        assert_eq!(spelling("ＡＩ"), "AI");
        assert_eq!(normalize(&spelling("Digital  FRAMTID")), normalize("Digital  FRAMTID"));
    }

    #[test]
    fn swedish_letters_are_never_folded() {
        assert_ne!(normalize("får"), normalize("far"));
        assert_ne!(normalize("Möjlighet"), normalize("mojlighet"));
        assert_eq!(normalize("ÅÄÖ"), "åäö");
        // "å" typed as a + combining ring is the same word as the precomposed å.
        assert_eq!(normalize("fa\u{030A}r"), "får");
    }

    #[test]
    fn invisible_and_direction_characters_are_removed() {
        assert_eq!(normalize("fram\u{200B}tid"), "framtid");
        assert_eq!(normalize("\u{202E}dittmarf"), "dittmarf");
        assert_eq!(normalize("\u{FEFF}ja\u{0007}"), "ja");
    }

    #[test]
    fn empty_long_symbol_only_and_markup_words_are_refused() {
        assert_eq!(accept("   ", 40), Err(WordError::Empty));
        assert_eq!(accept("\u{200B}", 40), Err(WordError::Empty));
        assert_eq!(accept(&"å".repeat(41), 40), Err(WordError::TooLong(40)));
        assert_eq!(accept(&"å".repeat(40), 40), Ok("å".repeat(40)));
        assert_eq!(accept("🎉🎉🎉", 40), Err(WordError::NoLetters));
        assert_eq!(accept("<script>", 40), Err(WordError::Markup));
        assert_eq!(accept("Glädje 🎉", 40), Ok("glädje 🎉".into()));
    }

    #[test]
    fn the_filter_catches_swear_words_in_both_languages() {
        for word in ["fuck", "fucking", "jävla", "jävla skit", "helvete", "bullshit", "kuken"] {
            assert!(is_profane(&normalize(word)), "{word} should be caught");
        }
    }

    #[test]
    fn the_filter_leaves_ordinary_swedish_words_alone() {
        for word in
            ["slut", "bra", "fart", "prick", "kiss", "fan", "Fittja", "skit bra", "hell", "kukumber", "dam", "rolig"]
        {
            assert!(!is_profane(&normalize(word)), "{word} should not be caught");
        }
    }

    proptest! {
        #[test]
        fn normalising_twice_changes_nothing(raw in "\\PC{0,30}") {
            let once = normalize(&raw);
            prop_assert_eq!(normalize(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }

        /// Text already in NFKC form is not composed again; the outcome is what composing every time gives,
        /// for any text (letters of many scripts, combining marks, compatibility forms).
        #[test]
        fn skipping_text_already_composed_gives_what_composing_always_gives(
            raw in "[a-zA-ZåäöÅÄÖ \u{0300}-\u{036F}\u{FB00}-\u{FB06}\u{FF21}-\u{FF5A}\u{1100}-\u{11FF}\u{AC00}-\u{AC20}]{0,20}|\\PC{0,30}"
        ) {
            let always = |raw: &str| {
                let cleaned: String = raw
                    .nfkc()
                    .filter(|c| !is_invisible(*c))
                    .map(|c| if c.is_whitespace() { ' ' } else { c })
                    .filter(|c| !c.is_control())
                    .collect();
                let lowered: String = cleaned.to_lowercase().nfkc().collect();
                lowered.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            prop_assert_eq!(normalize(&raw), always(&raw));
        }
    }
}
