//! The workload: the seminar the generator creates, and what each simulated phone will do and when.
//! Pure: randomness comes in as a seeded generator, so a seed reproduces a run's plan.

use rand::rngs::SmallRng;
use rand::Rng;
use serde_json::{json, Value};
use std::time::Duration;

/// The choice item everyone votes on (results live, so phones and the screen see the counts).
pub const CHOICE: &str = "hot";
/// The word-cloud item a share of the phones send words to.
pub const WORDS: &str = "ord";
/// A scale item that stays pending: it is on the agenda, like the next question of a real seminar.
pub const SCALE: &str = "redo";
/// Words per participant on the word-cloud item (its `max_words`).
pub const WORDS_EACH: usize = 3;
/// When the facilitator opens the word cloud, as a share of the vote window after the choice opened.
pub const WORDS_OPEN_AT: f64 = 0.3;

/// How often each option of the choice is picked: skewed, like a real audience.
const OPTION_WEIGHTS: [f64; 4] = [0.46, 0.29, 0.17, 0.08];

/// Word-cloud vocabulary, in normalised form. Fewer than 100 words, so the public view (at most 100
/// groups) always lists every word and can be checked against the facilitator's. None is on the filter lists.
const VOCABULARY: [&str; 40] = [
    "framtid",
    "möjligheter",
    "effektivitet",
    "trygghet",
    "förändring",
    "välfärdsteknik",
    "samverkan",
    "digitalisering",
    "tillgänglighet",
    "innovation",
    "kompetens",
    "stress",
    "osäkerhet",
    "utveckling",
    "spännande",
    "nödvändigt",
    "integritet",
    "självständighet",
    "kostnader",
    "tid",
    "ansvar",
    "ledarskap",
    "delaktighet",
    "distans",
    "e-tjänster",
    "automatisering",
    "ai",
    "data",
    "säkerhet",
    "enkelhet",
    "krångel",
    "hopp",
    "oro",
    "nyfikenhet",
    "lärande",
    "frihet",
    "ensamhet",
    "kvalitet",
    "jämlikhet",
    "åtkomst",
];

/// The body of `POST /api/sessions`: a seminar with a choice, a word cloud and a scale item.
pub fn session_body() -> Value {
    json!({
        "title": "samsyn-load",
        "items": [
            {"id": CHOICE, "kind": "choice",
             "title": {"sv": "Är digitaliseringen ett hot eller en möjlighet?",
                       "en": "Is digitalisation a threat or an opportunity?"},
             "options": [{"sv": "Möjlighet", "en": "Opportunity"}, {"sv": "Både och", "en": "Both"},
                         {"sv": "Hot", "en": "Threat"}, {"sv": "Vet inte", "en": "Don't know"}],
             "multiple": false, "results": "live"},
            {"id": WORDS, "kind": "words", "title": "Vilket ord kommer du att tänka på?",
             "max_words": WORDS_EACH, "max_chars": 40, "results": "live"},
            {"id": SCALE, "kind": "scale", "title": "Hur redo är vi?",
             "scale": {"levels": [{"level": 1, "label": "Inte alls"}, {"level": 2, "label": "2"},
                                  {"level": 3, "label": "3"}, {"level": 4, "label": "4"},
                                  {"level": 5, "label": "Helt"}]},
             "results": "after_reveal"}
        ]
    })
}

/// The knobs of the workload, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    pub window: Duration,
    pub change_share: f64,
    pub words_share: f64,
    pub stall_share: f64,
    pub stall_secs: f64,
    pub reconnect_share: f64,
}

/// Which item's opening an action waits for; its delay counts from that moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Choice,
    Words,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Vote for an option of the choice item; with `drop_after_send`, lose the connection right after
    /// sending, before the ack can arrive, then reconnect and resend it.
    Vote { option: u8, drop_after_send: bool },
    /// Send one word (as typed: maybe capitalised or padded) to the word cloud.
    Word { text: String },
    /// Stop reading the socket for this long, like a phone whose screen went dark.
    Stall(Duration),
    /// Lose the connection, then reconnect with the resume token.
    Drop,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub clock: Clock,
    pub after: Duration,
    pub step: Step,
}

/// Everything one phone does, in order.
pub fn phone_plan(workload: &Workload, rng: &mut SmallRng) -> Vec<Action> {
    let window = workload.window.as_secs_f64();
    let at = |clock: Clock, secs: f64| (clock, secs.max(0.0));
    // (clock, seconds after that item opened, nominal seconds after the choice opened, step)
    let mut steps: Vec<(Clock, f64, f64, Step)> = Vec::new();

    // Arrival times: Beta(2, 4) over the window, so most vote in the first third and a tail follows.
    let vote_at = window * beta_2_4(rng);
    let option = weighted(rng, &OPTION_WEIGHTS);
    let reconnects = rng.random_bool(workload.reconnect_share);
    let drop_after_send = reconnects && rng.random_bool(0.5);
    let (clock, after) = at(Clock::Choice, vote_at);
    steps.push((clock, after, vote_at, Step::Vote { option, drop_after_send }));
    if rng.random_bool(workload.change_share) {
        let change_at = vote_at + (window - vote_at) * rng.random_range(0.2..0.9);
        let mut other = weighted(rng, &OPTION_WEIGHTS);
        while other == option {
            other = weighted(rng, &OPTION_WEIGHTS);
        }
        steps.push((Clock::Choice, change_at, change_at, Step::Vote { option: other, drop_after_send: false }));
    }
    if rng.random_bool(workload.words_share) {
        let open = window * WORDS_OPEN_AT;
        let mut after = (window - open) * rng.random_range(0.0..0.6);
        for word in pick_words(rng) {
            steps.push((Clock::Words, after, open + after, Step::Word { text: typed(rng, word) }));
            after += window * rng.random_range(0.03..0.1);
        }
    }
    if reconnects && !drop_after_send {
        let drop_at = window * rng.random_range(0.05..0.9);
        steps.push((Clock::Choice, drop_at, drop_at, Step::Drop));
    }
    if rng.random_bool(workload.stall_share) {
        let stall_at = window * rng.random_range(0.0..0.8);
        let length = Duration::from_secs_f64(workload.stall_secs * rng.random_range(0.4..1.0));
        steps.push((Clock::Choice, stall_at, stall_at, Step::Stall(length)));
    }
    steps.sort_by(|a, b| a.2.total_cmp(&b.2));
    steps
        .into_iter()
        .map(|(clock, after, _, step)| Action { clock, after: Duration::from_secs_f64(after), step })
        .collect()
}

/// A Beta(2, 4) sample: the second smallest of five uniform numbers. Mode 0.25, mean 0.33.
fn beta_2_4(rng: &mut SmallRng) -> f64 {
    let mut u: [f64; 5] = std::array::from_fn(|_| rng.random());
    u.sort_by(f64::total_cmp);
    u[1]
}

fn weighted(rng: &mut SmallRng, weights: &[f64]) -> u8 {
    let mut x = rng.random::<f64>() * weights.iter().sum::<f64>();
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i as u8;
        }
        x -= w;
    }
    (weights.len() - 1) as u8
}

/// Three different words, the common ones more often (weights 1/rank).
fn pick_words(rng: &mut SmallRng) -> Vec<&'static str> {
    let weights: Vec<f64> = (0..VOCABULARY.len()).map(|rank| 1.0 / (rank as f64 + 1.0)).collect();
    let mut chosen: Vec<&str> = Vec::with_capacity(WORDS_EACH);
    while chosen.len() < WORDS_EACH {
        let word = VOCABULARY[weighted(rng, &weights) as usize];
        if !chosen.contains(&word) {
            chosen.push(word);
        }
    }
    chosen
}

/// A word as a person might type it; the server normalises all of these to the same word.
fn typed(rng: &mut SmallRng, word: &str) -> String {
    match rng.random_range(0..10) {
        0..=5 => word.to_string(),
        6 | 7 => {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
        8 => word.to_uppercase(),
        _ => format!("  {word} "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn workload() -> Workload {
        Workload {
            window: Duration::from_secs(10),
            change_share: 0.2,
            words_share: 1.0 / 3.0,
            stall_share: 0.02,
            stall_secs: 5.0,
            reconnect_share: 0.02,
        }
    }

    #[test]
    fn every_phone_votes_once_and_some_change_and_send_three_words() {
        let mut rng = SmallRng::seed_from_u64(7);
        let plans: Vec<Vec<Action>> = (0..3000).map(|_| phone_plan(&workload(), &mut rng)).collect();
        let votes = |p: &Vec<Action>| p.iter().filter(|a| matches!(a.step, Step::Vote { .. })).count();
        assert!(plans.iter().all(|p| (1..=2).contains(&votes(p))));
        let changers = plans.iter().filter(|p| votes(p) == 2).count();
        assert!((450..750).contains(&changers), "{changers}");
        let words = |p: &Vec<Action>| p.iter().filter(|a| matches!(a.step, Step::Word { .. })).count();
        assert!(plans.iter().all(|p| words(p) == 0 || words(p) == WORDS_EACH));
        let first_option = |p: &Vec<Action>| match p.iter().find(|a| matches!(a.step, Step::Vote { .. })) {
            Some(Action { step: Step::Vote { option, .. }, .. }) => *option,
            _ => unreachable!(),
        };
        let popular = plans.iter().filter(|p| first_option(p) == 0).count();
        assert!(popular > 1100, "{popular}");
    }

    #[test]
    fn typed_words_stay_the_same_word() {
        let mut rng = SmallRng::seed_from_u64(1);
        for _ in 0..50 {
            let text = typed(&mut rng, "åtkomst");
            assert_eq!(text.trim().to_lowercase(), "åtkomst");
        }
    }
}
