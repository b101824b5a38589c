// Generated from Samsyn's Rust types by `SAMSYN_WRITE_TYPES=1 cargo test --lib typescript`; do not edit.
// A test fails when this file differs from what the server's types say.

export type Action = { id: string, item: string, text: string, owner: string, 
/**
 * A date, `YYYY-MM-DD`.
 */
due: string | null, status: ActionStatus, };

export type ActionStatus = "todo" | "doing" | "done";

export type AnswerWire = number | string | Array<number> | Array<number>;

export type AreaLine = { id: string, name: Text, 
/**
 * The mean locked level of the area at each occasion.
 */
averages: Array<number | null>, };

export type AreaSummary = { id: string, name: Text, 
/**
 * Mean locked level of the area's indicators, over the locked ones.
 */
average: number | null, locked: number, indicators: number, };

export type AreaView = { id: string, name: Text, };

export type BallotWire = { round: number, answer?: AnswerWire, words?: Array<string>, };

export type CatalogueRef = { id: string, version: string, };

export type Code = "bad_message" | "too_large" | "not_joined" | "already_joined" | "unknown_session" | "forbidden" | "unauthorized" | "unknown_item" | "round_closed" | "invalid_answer" | "invalid_transition" | "invalid_level" | "text_too_long" | "invalid_word" | "duplicate_word" | "too_many_words" | "invalid_items" | "item_in_use" | "invalid_field" | "unknown_catalogue" | "unknown_invitation" | "not_comparable" | "rate_limited" | "wrong_room_word" | "left_out" | "timeout" | "internal" | "unavailable";

export type Command = { "type": "vote", item: string, round: number, answer: RawAnswer, 
/**
 * The room word as the phone typed it, while the session has one.
 */
room_word?: string, } | { "type": "word", item: string, round: number, text: string, room_word?: string, } | { "type": "open", item: string, } | { "type": "close", item: string, } | { "type": "reveal", item: string, } | { "type": "revote", item: string, } | { "type": "lock", item: string, level: number, note?: string, dissent?: string | null, } | { "type": "reopen", item: string, } | { "type": "goto", item: string | null, } | { "type": "hide_word", item: string, word: string, } | { "type": "show_word", item: string, word: string, } | { "type": "merge_words", item: string, word: string, into: string, } | { "type": "unmerge_word", item: string, word: string, } | { "type": "set_filter", enabled: boolean, } | { "type": "share_summary", shared: boolean, } | { "type": "finish", organisation: string, field?: string | null, date: string, } | { "type": "set_action", 
/**
 * The action to change; a new one when absent.
 */
action?: string | null, item: string, text: string, owner?: string, due?: string | null, status?: ActionStatus, } | { "type": "remove_action", action: string, } | { "type": "start_prioritisation", max_level: number, budget?: number, } | { "type": "set_room_word", word?: string | null, } | { "type": "leave_out", participants: Array<number>, } | { "type": "count_again", participants: Array<number>, } | { "type": "leave_out_flagged", } | { "type": "count_all_again" };

export type Consensus = { level: number, note: string, dissent: string | null, 
/**
 * Milliseconds since the Unix epoch.
 */
locked_at: number, };

export type Hello = { role: Role, code: string, token?: string | null, key?: string | null, };

export type IndicatorLine = { 
/**
 * Its id in the newest occasion that has it.
 */
id: string, area: string | null, title: Text, 
/**
 * Its id at each occasion (`None`: not in that occasion's catalogue version).
 */
ids: Array<string | null>, 
/**
 * The locked level at each occasion (`None`: not there, or not locked).
 */
levels: Array<number | null>, };

export type IndicatorSummary = { id: string, area: string | null, title: Text, level: number | null, note: string | null, dissent: string | null, 
/**
 * Tastle–Wierman consensus of the first round, if it was revealed and had level answers.
 */
first_consensus: number | null, first_n: number, rounds: number, replaces: Array<string>, };

export type ItemView = { id: string, area: string | null, title: Text, description: Text, results: Results, phase: Phase, rounds: Array<RoundView>, consensus: Consensus | null, 
/**
 * Who locked it, as an account id: for the facilitator only (the organisation's members drive together).
 */
locked_by?: string, history: Array<PastConsensus>, 
/**
 * Catalogue suggestions for the action plan and earlier ids: for the facilitator only, to keep
 * every phone's frame small.
 */
suggestions?: Array<Suggestion>, replaces?: Array<string>, 
/**
 * Notes for the facilitator (the presenter view): for the facilitator only, never phones or screens.
 */
notes?: string, } & ({ "kind": "scale", scale: string, } | { "kind": "choice", options: Array<Text>, multiple: boolean, } | { "kind": "words", max_words: number, max_chars: number, } | { "kind": "points", options: Array<Text>, budget: number, targets?: Array<string>, });

export type JoinsView = { 
/**
 * New participants in the last minute, as of this frame.
 */
last_minute: number, 
/**
 * Participants who joined in a burst of new phones from one network (counted in memory, the
 * address never kept) and still count: those `leave_out_flagged` would leave out.
 */
flagged: number, 
/**
 * Participants left out of every count.
 */
left_out: number, };

export type Level = { level: number, label: Text, definition: Text, };

export type NotRelevant = { label: Text, definition: Text, };

export type Occasion = { organisation: string, 
/**
 * Field of operation, e.g. Äldreomsorg.
 */
field: string | null, 
/**
 * The date of the assessment, `YYYY-MM-DD`.
 */
date: string, finished_at: number, };

export type PastConsensus = { reopened_at: number, level: number, note: string, dissent: string | null, 
/**
 * Milliseconds since the Unix epoch.
 */
locked_at: number, };

export type Phase = "pending" | "voting" | "closed" | "revealed" | "locked";

export type PlanAction = { id: string, text: string, 
/**
 * The indicator it is for, by id in its catalogue (followed across versions through `replaces`).
 */
indicator: string | null, catalogue: string | null, owner: string, 
/**
 * `YYYY-MM-DD`.
 */
due: string | null, 
/**
 * The roadmap's quarter, `YYYY-Qn`.
 */
quarter: string | null, status: PlanStatus, 
/**
 * The latest progress note.
 */
note: string, 
/**
 * The workshop it came from (join code), if any.
 */
session: string | null, created_at: number, updated_at: number, 
/**
 * Oldest first; the first step is its creation.
 */
history: Array<PlanStep>, };

export type PlanStatus = "planned" | "started" | "done" | "dropped";

export type PlanStep = { at: number, by: string, status: PlanStatus, note: string, };

export type Priority = { item: string, points: number, supporters: number, };

export type RawAnswer = number | string | Array<number>;

export type Results = "live" | "after_reveal";

export type Role = "participant" | "screen" | "facilitator";

export type RoomWordView = { number: number, word?: string, };

export type RoundView = { number: number, open: boolean, revealed: boolean, voted: number, tally: TallyView | null, spread: Spread | null, };

export type Scale = { levels: Array<Level>, not_relevant: NotRelevant | null, };

export type ServerMsg = { "type": "welcome", id: number, role: Role, code: string, token?: string, ballots?: { [key in string]: BallotWire }, } | { "type": "ack", id: number, 
/**
 * The word as stored, for a `word` command.
 */
word?: string, } | { "type": "error", id: number | null, code: Code, message: string, };

export type SessionView = { code: string, title: string, catalogue: CatalogueRef | null, 
/**
 * Participants connected now (a live figure, passed in by the caller).
 */
participants: number, 
/**
 * For the facilitator: the names of who runs the consoles open now (empty: a key link's holder),
 * so two facilitators driving one session see each other (a live figure, set by the caller).
 */
consoles?: Array<string>, 
/**
 * For the facilitator: new phones joining and how many the server flagged (live figures, set by the
 * caller), and how many are left out of the counts.
 */
joins?: JoinsView, 
/**
 * While answers need the room word: its number for everyone (a phone asks again when it changes),
 * and the word itself for the facilitator only (the screen fetches it with the facilitator's rights).
 */
room_word: RoomWordView | null, current: string | null, profanity_filter: boolean, summary_shared: boolean, occasion: Occasion | null, 
/**
 * The summary and the action plan: always for the facilitator, for others once shared.
 */
summary: Summary | null, actions: Array<Action> | null, 
/**
 * The session's scales; for phones only those of the items in the view.
 */
scales: { [key in string]: Scale }, areas: Array<AreaView>, items: Array<ItemView>, };

export type Spread = { n: number, not_relevant: number, median: number | null, q1: number | null, q3: number | null, iqr: number | null, 
/**
 * Share (0–1) of ballots on the most common level.
 */
mode_share: number | null, 
/**
 * Share (0–1) of ballots within ±1 level of the median.
 */
within_one: number | null, 
/**
 * Tastle–Wierman consensus, 0–1.
 */
consensus: number | null, two_camps: boolean, 
/**
 * The level pre-selected when locking: the median rounded half down.
 */
suggested: number | null, };

export type Suggestion = { up_to: number, text: Text, };

export type Summary = { 
/**
 * The highest level of the scale the indicators share, for drawing the radar chart.
 */
top: number, indicators: Array<IndicatorSummary>, areas: Array<AreaSummary>, 
/**
 * Indicator ids, lowest first-round consensus first.
 */
disagreements: Array<string>, 
/**
 * Scale items without a locked level.
 */
open: number, 
/**
 * Indicator ids in priority order, from the latest prioritisation vote with answers (empty if none).
 */
priorities: Array<Priority>, };

export type Tally = { counts: Array<number>, not_relevant: number, };

export type TallyView = Tally | { counts: Array<number>, } | { totals: Array<number>, supporters: Array<number>, } | { words: Array<WordView>, total: number, 
/**
 * For the facilitator's live console: groups left out of `words` (rarer than the
 * [`CONSOLE_WORDS`] most frequent, neither hidden nor filtered); their uses still count in `total`.
 */
more?: number, };

export type Text = { sv: string, en: string, };

export type Trend = { 
/**
 * Oldest first.
 */
occasions: Array<TrendOccasion>, 
/**
 * The highest level of the scales, for drawing.
 */
top: number, indicators: Array<IndicatorLine>, areas: Array<AreaLine>, };

export type TrendOccasion = { code: string, title: string, 
/**
 * The date of the assessment, `YYYY-MM-DD`.
 */
date: string, 
/**
 * The unit (verksamhetsområde) assessed, if one was named.
 */
field: string | null, 
/**
 * The catalogue and version the occasion used.
 */
catalogue: string | null, version: string | null, };

export type WordView = { 
/**
 * The normalised form: the group's key, which moderation commands name.
 */
text: string, 
/**
 * The most common spelling people used (ties: the first seen), only where it differs from `text`, so
 * the frames grow only by the words that need it.
 */
display?: string, count: number, 
/**
 * Moderation details, for the facilitator only.
 */
hidden?: boolean, filtered?: boolean, variants?: Array<string>, };

/** Every error code, for checks that each has a message. */
export const CODES: readonly Code[] = [
  'bad_message',
  'too_large',
  'not_joined',
  'already_joined',
  'unknown_session',
  'forbidden',
  'unauthorized',
  'unknown_item',
  'round_closed',
  'invalid_answer',
  'invalid_transition',
  'invalid_level',
  'text_too_long',
  'invalid_word',
  'duplicate_word',
  'too_many_words',
  'invalid_items',
  'item_in_use',
  'invalid_field',
  'unknown_catalogue',
  'unknown_invitation',
  'not_comparable',
  'rate_limited',
  'wrong_room_word',
  'left_out',
  'timeout',
  'internal',
  'unavailable',
];
