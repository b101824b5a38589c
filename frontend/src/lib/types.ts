//! Wire types of docs/protocol.md: what the server sends and what a client may send.
//! Pure declarations; no imports, no behaviour.

/** Every text from the server comes in both languages. */
export interface Text {
  sv: string;
  en: string;
}

export type Role = 'participant' | 'screen' | 'facilitator';

/** A level of the scale (1–5) or the separate "not relevant". */
export type Answer = number | 'not_relevant';

export type Phase = 'pending' | 'voting' | 'closed' | 'revealed' | 'locked';

export interface ScaleLevel {
  level: number;
  label: Text;
  definition: Text;
}

export interface Scale {
  levels: ScaleLevel[];
  /** The design allows a scale without "not relevant", so the client tolerates its absence. */
  not_relevant?: { label: Text; definition: Text } | null;
}

export interface Tally {
  /** `counts[i]` is the number of ballots on level `i + 1`. */
  counts: number[];
  not_relevant: number;
}

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

export interface Round {
  number: number;
  open: boolean;
  revealed: boolean;
  /** Ballots cast, not-relevant ones included. */
  voted: number;
  /** Null for participants and screens until the round is revealed. */
  tally: Tally | null;
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

export interface Item {
  id: string;
  area: string;
  title: Text;
  description: Text;
  phase: Phase;
  rounds: Round[];
  consensus: Consensus | null;
  history: ReopenedConsensus[];
}

export interface Area {
  id: string;
  name: Text;
}

export interface Session {
  code: string;
  title: string | null;
  catalogue: { id: string; version: string };
  /** Participants connected now. */
  participants: number;
  current: string | null;
  scale: Scale;
  areas: Area[];
  items: Item[];
}

export interface OwnBallot {
  round: number;
  answer: Answer;
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
}

export interface ErrorMsg {
  type: 'error';
  id: number | null;
  code: string;
  message: string;
}

export type ServerMsg = WelcomeMsg | StateMsg | AckMsg | ErrorMsg;

// ---- client → server ----

export type Hello =
  | { role: 'participant'; code: string; token?: string }
  | { role: 'screen'; code: string }
  | { role: 'facilitator'; code: string; key: string };

/** A command without its request id; the socket client assigns the id. */
export type Command =
  | { type: 'vote'; item: string; round: number; answer: Answer }
  | { type: 'open' | 'close' | 'reveal' | 'revote' | 'reopen'; item: string }
  | { type: 'lock'; item: string; level: number; note: string; dissent?: string | null }
  | { type: 'goto'; item: string | null };

export type CommandType = Command['type'];

// ---- HTTP ----

export interface CatalogueSummary {
  id: string;
  version: string;
  title: Text;
  indicators: number;
}

export interface CreatedSession {
  code: string;
  facilitator_key: string;
  links: { facilitator: string; join: string; screen: string };
}
