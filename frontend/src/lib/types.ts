//! Wire types of docs/protocol.md as the frontend reads them: what the server sends and what a client
//! may send. The enumerations come straight from the server's types (`protocol.ts`, generated from the
//! Rust types); the shapes below refine them for narrowing by kind, and `protocolCheck.ts` holds them to
//! the generated ones, so the build fails when the two drift apart. Declarations only, no behaviour.

import type { ActionStatus, Code, Phase, Results, Role } from './protocol';

export type { ActionStatus, Code, Phase, Results, Role };

/** A text in both languages, as the server sends it in a `state`. */
export interface Text {
  sv: string;
  en: string;
}

/**
 * A text in an item set or a catalogue: a pair, or a plain string used for both languages.
 * The client also tolerates a plain string (or an empty `{}`) wherever the server sends a text.
 */
export type TextIn = Text | string;

/** The kinds of item (protocol, "Item set format"). */
export type Kind = 'scale' | 'choice' | 'points' | 'words';

/**
 * A participant's answer by kind: a scale level (1..n) or "not relevant"; for a choice the
 * chosen option indices (0-based); for points one whole number per option.
 */
export type Answer = number | 'not_relevant' | number[];

export interface ScaleLevel {
  level: number;
  label: Text;
  /** Catalogue scales define every level; a seminar's scale may leave it out. */
  definition?: Text | null;
}

export interface Scale {
  levels: ScaleLevel[];
  /** Only a scale that has it offers "not relevant". */
  not_relevant?: { label: Text; definition?: Text | null } | null;
}

/** Scale tally: `counts[i]` is the number of ballots on level `i + 1`. */
export interface ScaleTally {
  counts: number[];
  not_relevant: number;
}

/** Choice tally: `counts[i]` is how many chose option `i` (with `multiple`, a ballot may count in several). */
export interface ChoiceTally {
  counts: number[];
}

/** Points tally: the sum of points per option, and how many people gave it any. */
export interface PointsTally {
  totals: number[];
  supporters: number[];
}

/** One word group of a words tally; the last three fields come to the facilitator only. */
export interface WordGroup {
  /** The normalised form: the group's key, which moderation commands name. */
  text: string;
  /** The most common spelling people used, when it differs from `text` (screens and the facilitator only). */
  display?: string;
  count: number;
  /** Hidden by the facilitator or by the filter. */
  hidden?: boolean;
  /** The profanity filter matches it. */
  filtered?: boolean;
  /** Words merged into this group. */
  variants?: string[];
}

/**
 * Words tally: groups most frequent first; `total` counts the words in them. Screens and phones get at
 * most 100 shown groups. The facilitator's console gets the most frequent groups and every hidden or
 * filtered one, `total` counting all, and `more` says how many rarer groups were left out.
 */
export interface WordsTally {
  words: WordGroup[];
  total: number;
  more?: number;
}

export type Tally = ScaleTally | ChoiceTally | PointsTally | WordsTally;

/** Statistics over the level ballots; all but `n` and `not_relevant` are null when `n` is 0. */
export interface Spread {
  n: number;
  not_relevant: number;
  median: number | null;
  q1: number | null;
  q3: number | null;
  iqr: number | null;
  mode_share: number | null;
  within_one: number | null;
  consensus: number | null;
  two_camps: boolean | null;
  suggested: number | null;
}

export interface Round<T extends Tally = Tally> {
  number: number;
  open: boolean;
  revealed: boolean;
  /** Participants who answered (not-relevant ones included; for words: sent at least one). */
  voted: number;
  /** Null for participants and screens until the round is revealed, unless results are live. */
  tally: T | null;
  /** Scale items only. */
  spread: Spread | null;
}

export interface Consensus {
  level: number;
  note: string;
  dissent: string | null;
  /** Milliseconds since the Unix epoch. */
  locked_at: number;
}

export interface ReopenedConsensus extends Consensus {
  reopened_at: number;
}

/** A suggested action from the catalogue, for groups whose locked level is at most `up_to`. */
export interface Suggestion {
  up_to: number;
  text: TextIn;
}

interface ItemBase<T extends Tally> {
  id: string;
  /** The catalogue area, or null (every seminar item). */
  area: string | null;
  /** Catalogue items may carry suggested actions per level (protocol, "Summary and action plan"). */
  suggestions?: Suggestion[];
  /** Ids this indicator had in earlier catalogue versions. */
  replaces?: string[];
  /** Facilitator only: notes for the presenter view (never sent to phones or screens). */
  notes?: string;
  results: Results;
  title: Text;
  description: Text;
  phase: Phase;
  rounds: Round<T>[];
  consensus: Consensus | null;
  /** Facilitator only: the signed-in member who locked it. */
  locked_by?: string;
  history: ReopenedConsensus[];
}

export interface ScaleItem extends ItemBase<ScaleTally> {
  kind: 'scale';
  /** Key of the item's scale in `session.scales`. */
  scale: string;
}

export interface ChoiceItem extends ItemBase<ChoiceTally> {
  kind: 'choice';
  options: Text[];
  multiple: boolean;
}

export interface PointsItem extends ItemBase<PointsTally> {
  kind: 'points';
  options: Text[];
  budget: number;
  /** A prioritisation (start_prioritisation): the indicator id behind each option. */
  targets?: string[];
}

export interface WordsItem extends ItemBase<WordsTally> {
  kind: 'words';
  max_words: number;
  max_chars: number;
}

export type Item = ScaleItem | ChoiceItem | PointsItem | WordsItem;

export interface Area {
  id: string;
  name: Text;
}

/** One indicator of the summary: its locked level (null while open), note and dissent. */
export interface IndicatorSummary {
  id: string;
  area: string | null;
  title: Text;
  level: number | null;
  note: string | null;
  dissent: string | null;
  /** Tastle–Wierman consensus of the first round (0–1), when it had level answers. */
  first_consensus: number | null;
  first_n: number;
  rounds: number;
  replaces: string[];
}

export interface AreaSummary {
  id: string;
  name: Text;
  /** Mean locked level over the area's locked indicators; null when none is locked. */
  average: number | null;
  locked: number;
  indicators: number;
}

/** One indicator of the latest prioritisation, most points first. */
export interface Priority {
  item: string;
  points: number;
  supporters: number;
}

export interface Summary {
  /** The highest level of the scale, for drawing the radar chart. */
  top: number;
  indicators: IndicatorSummary[];
  areas: AreaSummary[];
  /** Up to five indicator ids, lowest first-round consensus first. */
  disagreements: string[];
  /** Indicators without a locked level. */
  open: number;
  priorities: Priority[];
}

/** One action of the action plan, on a scale item. */
export interface PlanAction {
  id: string;
  item: string;
  text: string;
  owner: string;
  /** `YYYY-MM-DD` or null. */
  due: string | null;
  status: ActionStatus;
}

/** A finished assessment (protocol: `occasion`). */
export interface Occasion {
  organisation: string;
  field: string | null;
  /** `YYYY-MM-DD`. */
  date: string;
  /** Milliseconds since the Unix epoch. */
  finished_at: number;
}

export interface Session {
  code: string;
  title: string | null;
  /** The catalogue a workshop was started from; null for a seminar. */
  catalogue: { id: string; version: string } | null;
  /** Participants connected now. */
  participants: number;
  /** Facilitator only: who runs the consoles open now, by name ('' for a key link's holder). */
  consoles?: string[];
  /**
   * Facilitator only: new phones in the last minute, how many flagged as a burst from one network still
   * count, and how many are left out.
   */
  joins?: { last_minute: number; flagged: number; left_out: number };
  /** While answers need the room word: its number; the word itself for the facilitator only. */
  room_word?: { number: number; word?: string } | null;
  current: string | null;
  /** Whether the word filter is on. */
  profanity_filter: boolean;
  /** Whether participants and screens see the summary and the plan. */
  summary_shared?: boolean;
  /** The summary: always for the facilitator, for others once shared; else null. */
  summary?: Summary | null;
  /** The action plan in priority order; null like `summary`. */
  actions?: PlanAction[] | null;
  /** Set once the facilitator has finished the assessment. */
  occasion?: Occasion | null;
  /** Scales by key; a scale item names its own. */
  scales: Record<string, Scale>;
  areas: Area[];
  items: Item[];
}

/** This participant's answer in the latest round of an item: `answer`, or for words `words`. */
export interface OwnBallot {
  round: number;
  answer?: Answer;
  /** A words item: the words sent, as stored (normalised). */
  words?: string[];
}

// ---- server → client ----

export interface WelcomeMsg {
  type: 'welcome';
  id: number;
  role: Role;
  code: string;
  token?: string;
  ballots?: Record<string, OwnBallot>;
}

export interface StateMsg {
  type: 'state';
  version: number;
  session: Session;
}

export interface AckMsg {
  type: 'ack';
  id: number;
  /** The ack of a `word`: the word as stored. */
  word?: string;
}

export interface ErrorMsg {
  type: 'error';
  id: number | null;
  /** Every code is in `protocol.ts`; a newer server may send one this page does not know yet. */
  code: Code | (string & {});
  message: string;
}

export type ServerMsg = WelcomeMsg | StateMsg | AckMsg | ErrorMsg;

// ---- client → server ----

export type Hello =
  | { role: 'participant'; code: string; token?: string }
  | { role: 'screen'; code: string }
  /** Without `key`, the sign-in cookie (sent with the upgrade) speaks for a member of the session's organisation. */
  | { role: 'facilitator'; code: string; key?: string };

/** A command without its request id; the socket client assigns the id. */
export type Command =
  | { type: 'vote'; item: string; round: number; answer: Answer; room_word?: string }
  | { type: 'word'; item: string; round: number; text: string; room_word?: string }
  | { type: 'open' | 'close' | 'reveal' | 'revote' | 'reopen'; item: string }
  | { type: 'lock'; item: string; level: number; note: string; dissent?: string | null }
  | { type: 'goto'; item: string | null }
  | { type: 'hide_word' | 'show_word' | 'unmerge_word'; item: string; word: string }
  | { type: 'merge_words'; item: string; word: string; into: string }
  | { type: 'set_filter'; enabled: boolean }
  | { type: 'share_summary'; shared: boolean }
  | { type: 'start_prioritisation'; max_level: number; budget: number }
  | {
      type: 'set_action';
      /** The action to replace; left out to add one. */
      action?: string;
      item: string;
      text: string;
      owner: string;
      due: string | null;
      status: ActionStatus;
    }
  | { type: 'remove_action'; action: string }
  | { type: 'finish'; organisation: string; field: string | null; date: string }
  | { type: 'set_room_word'; word: string | null }
  | { type: 'leave_out' | 'count_again'; participants: number[] }
  | { type: 'leave_out_flagged' | 'count_all_again' };

export type CommandType = Command['type'];

// ---- HTTP ----

export interface CatalogueSummary {
  id: string;
  version: string;
  title: Text;
  indicators: number;
  built_in?: boolean;
}

export interface CreatedSession {
  code: string;
  facilitator_key: string;
  links: { facilitator: string; join: string; screen: string };
}

/** `{"code": …, "message": …}` of an HTTP error. */
export interface HttpError {
  code: string;
  message: string;
}

export interface LevelDef {
  level: number;
  label: TextIn;
  definition?: TextIn;
}

export interface ScaleDef {
  levels: LevelDef[];
  not_relevant?: { label: TextIn; definition?: TextIn };
}

interface ItemDefBase {
  /** 1–32 of `A–Z a–z 0–9 - _`; optional on import. */
  id?: string;
  title: TextIn;
  description?: TextIn;
  /** Notes for the facilitator (at most 2,000 characters): the presenter view shows them; never phones or screens. */
  notes?: string;
  results?: Results;
}

/** One item of an item set, by kind (protocol, "Item set format"). */
export type ItemDef =
  | (ItemDefBase & { kind: 'scale'; scale: ScaleDef })
  | (ItemDefBase & { kind: 'choice'; options: TextIn[]; multiple?: boolean })
  | (ItemDefBase & { kind: 'words'; max_words?: number; max_chars?: number })
  | (ItemDefBase & { kind: 'points'; options: TextIn[]; budget?: number });

/** The export and import format of a session's items. */
export interface ItemSet {
  format: 'samsyn-items';
  version: 1;
  title?: string | null;
  items: ItemDef[];
}

// ---- comparing occasions (POST /api/compare) ----

export interface CompareSide {
  title: string;
  catalogue: { id: string; version: string } | null;
  occasion: Occasion | null;
}

export interface IndicatorChange {
  id: string;
  /** The indicator's id in the earlier occasion, when it differs. */
  then_id: string | null;
  area: string | null;
  title: Text;
  then: number | null;
  now: number | null;
  /** now − then, when both are locked. */
  moved: number | null;
}

export interface AreaChange {
  id: string;
  name: Text;
  then: number | null;
  now: number | null;
}

export interface CompareResult {
  then: CompareSide;
  now: CompareSide;
  comparison: { indicators: IndicatorChange[]; areas: AreaChange[] };
}
