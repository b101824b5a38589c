//! The client's picture of a session: a pure reducer over server messages and local events.
//! No DOM, no socket, no clock: every view renders from this state alone.

import { normaliseWord } from './answers';
import type { ConnectionStatus } from './socket';
import type { Answer, Command, ErrorMsg, OwnBallot, Role, ServerMsg, Session } from './types';

export interface ErrorInfo {
  /** The request id, or null when the server could not read the message. */
  id: number | null;
  code: string;
  message: string;
  /** The command that failed, when the client knows it. */
  command?: Command;
}

export interface ClientState {
  connection: ConnectionStatus;
  role: Role | null;
  token: string | null;
  session: Session | null;
  /** Version of `session`; compared only within one connection. */
  version: number | null;
  /**
   * Set by a welcome: the next `state` is taken whatever its version, because after a
   * reconnect the server may have restarted and counted versions from scratch.
   */
  fresh: boolean;
  /** This participant's acknowledged answer (or words) in the latest round of each item. */
  ballots: Record<string, OwnBallot>;
  /** Commands sent and not yet answered, by request id. */
  pending: Record<number, Command>;
  /** The latest command error, shown until dismissed or replaced. */
  error: ErrorInfo | null;
  /** Counts errors, so that a repeated identical error is announced again. */
  errorCount: number;
  /** Why the server refused to let this client join; set with connection `failed`. */
  fatal: ErrorInfo | null;
  /**
   * The server held the hello back (`rate_limited`: many new phones from this network just joined);
   * the client tries again by itself. Cleared once joined.
   */
  crowded: boolean;
  /**
   * Answers (votes and words, without a room word) waiting for the room word: made while the phone did
   * not know the word, or refused with `wrong_room_word`. Sent once the person has typed it; oldest first.
   */
  held: Command[];
  /**
   * The facilitator left this participant out of the counts: an answer was refused with `left_out`.
   * Until an answer is accepted again (counted again), what the phone sent no longer counts.
   */
  leftOut: boolean;
}

export type LocalEvent =
  | { type: 'connection'; status: ConnectionStatus; error?: ErrorMsg }
  | { type: 'sent'; id: number; command: Command }
  | { type: 'dismiss_error' }
  /** Keep an answer until the room word is known. */
  | { type: 'hold'; command: Command }
  /** The first `count` held answers were sent (or are no longer wanted). */
  | { type: 'released'; count: number };

export type ClientEvent = ServerMsg | LocalEvent;

export const initialState: ClientState = {
  connection: 'connecting',
  role: null,
  token: null,
  session: null,
  version: null,
  fresh: false,
  ballots: {},
  pending: {},
  error: null,
  errorCount: 0,
  fatal: null,
  crowded: false,
  held: [],
  leftOut: false,
};

function without<T>(record: Record<number, T>, id: number): Record<number, T> {
  const next = { ...record };
  delete next[id];
  return next;
}

/** Words this participant has stored in `round` of `itemId`, as the server stored them. */
function storedWords(ballots: Record<string, OwnBallot>, itemId: string, round: number): string[] {
  const ballot = ballots[itemId];
  return ballot && ballot.round === round ? (ballot.words ?? []) : [];
}

/** An answer as it waits for the room word: without the word it was sent with. */
function bare(command: Command): Command {
  if (command.type !== 'vote' && command.type !== 'word') return command;
  const { room_word: _, ...rest } = command;
  return rest;
}

/**
 * `held` with `command` kept too. A vote replaces a held vote on the same round, unless `older` (a vote
 * refused after the person chose again): then the newer choice stays. A word already held is kept once.
 */
function holding(held: Command[], command: Command, older = false): Command[] {
  const c = bare(command);
  if (c.type === 'vote') {
    const same = (h: Command) => h.type === 'vote' && h.item === c.item && h.round === c.round;
    if (older && held.some(same)) return held;
    return [...held.filter((h) => !same(h)), c];
  }
  if (c.type === 'word') {
    const text = normaliseWord(c.text);
    if (held.some((h) => h.type === 'word' && h.item === c.item && h.round === c.round && normaliseWord(h.text) === text)) return held;
    return [...held, c];
  }
  return held;
}

/** Word errors that may follow a resend after a reconnect of a word that was in fact stored. */
const WORD_RESEND_ERRORS = new Set(['duplicate_word', 'too_many_words']);

export function reduce(state: ClientState, event: ClientEvent): ClientState {
  switch (event.type) {
    case 'welcome':
      return {
        ...state,
        role: event.role,
        token: event.token ?? state.token,
        // The server's record replaces ours; pending votes are resent and acked again.
        ballots: { ...(event.ballots ?? {}) },
        fresh: true,
        fatal: null,
      };

    case 'state': {
      const accept = state.fresh || state.version === null || event.version >= state.version;
      if (!accept) return state;
      return { ...state, session: event.session, version: event.version, fresh: false };
    }

    case 'ack': {
      const command = state.pending[event.id];
      if (!command) return state;
      const pending = without(state.pending, event.id);
      if (command.type === 'vote') {
        const ballots = { ...state.ballots, [command.item]: { round: command.round, answer: command.answer } };
        return { ...state, pending, ballots, leftOut: false };
      }
      if (command.type === 'word') {
        // The ack says what was stored; a server that leaves it out stored our normalised text.
        const word = event.word ?? normaliseWord(command.text);
        const words = storedWords(state.ballots, command.item, command.round);
        const next = words.includes(word) ? words : [...words, word];
        return { ...state, pending, ballots: { ...state.ballots, [command.item]: { round: command.round, words: next } }, leftOut: false };
      }
      return { ...state, pending };
    }

    case 'error': {
      const command = event.id !== null ? state.pending[event.id] : undefined;
      const pending = event.id !== null && command ? without(state.pending, event.id) : state.pending;
      // A word resent after a reconnect may have been stored before the connection broke: the
      // welcome's ballots then already list it, and its "duplicate" is no news to anyone.
      if (
        command?.type === 'word' &&
        WORD_RESEND_ERRORS.has(event.code) &&
        storedWords(state.ballots, command.item, command.round).includes(normaliseWord(command.text))
      ) {
        return { ...state, pending };
      }
      // An answer refused for the room word waits for the right one instead of being lost.
      const held =
        event.code === 'wrong_room_word' && (command?.type === 'vote' || command?.type === 'word')
          ? holding(state.held, command, true)
          : state.held;
      return {
        ...state,
        pending,
        held,
        leftOut: state.leftOut || event.code === 'left_out',
        error: { id: event.id, code: event.code, message: event.message, command },
        errorCount: state.errorCount + 1,
      };
    }

    case 'connection': {
      if (event.status === 'failed' && event.error) {
        const { id, code, message } = event.error;
        return { ...state, connection: 'failed', fatal: { id, code, message }, crowded: false };
      }
      // A new connection must see a welcome before a state is trusted again.
      const fresh = event.status === 'open' ? state.fresh : false;
      const waiting = event.status === 'connecting' || event.status === 'reconnecting';
      const crowded = waiting && (event.error?.code === 'rate_limited' || (state.crowded && !event.error));
      return { ...state, connection: event.status, fresh, crowded };
    }

    case 'sent':
      return { ...state, pending: { ...state.pending, [event.id]: event.command } };

    case 'dismiss_error':
      return state.error ? { ...state, error: null } : state;

    case 'hold':
      return { ...state, held: holding(state.held, event.command) };

    case 'released':
      return event.count > 0 ? { ...state, held: state.held.slice(event.count) } : state;

    default:
      return state;
  }
}

/** `held`: chosen, waiting for the room word before it is sent. */
export type VoteStatus = 'none' | 'sending' | 'received' | 'held';

export interface OwnVote {
  answer: Answer | null;
  status: VoteStatus;
}

/**
 * What this participant answered in round `round` of `itemId`: the newest vote still in
 * flight wins over the acknowledged one, so the button pressed last shows as selected.
 */
export function ownVote(state: ClientState, itemId: string, round: number): OwnVote {
  // A choice waiting for the room word is the newest: made after anything still in flight.
  const held = state.held.find((c) => c.type === 'vote' && c.item === itemId && c.round === round);
  if (held?.type === 'vote') return { answer: held.answer, status: 'held' };
  let newest: { id: number; answer: Answer } | null = null;
  for (const [key, command] of Object.entries(state.pending)) {
    const id = Number(key);
    if (command.type === 'vote' && command.item === itemId && command.round === round) {
      if (newest === null || id > newest.id) newest = { id, answer: command.answer };
    }
  }
  if (newest) return { answer: newest.answer, status: 'sending' };
  const ballot = state.ballots[itemId];
  if (ballot && ballot.round === round && ballot.answer !== undefined) return { answer: ballot.answer, status: 'received' };
  return { answer: null, status: 'none' };
}

export interface OwnWords {
  /** Stored by the server, as stored (normalised), in the order sent. */
  stored: string[];
  /** Sent and not yet answered, as typed, oldest first. */
  sending: string[];
  /** Waiting for the room word, as typed, oldest first. */
  held: string[];
}

/** The words this participant sent in round `round` of a words item. */
export function ownWords(state: ClientState, itemId: string, round: number): OwnWords {
  const sending = Object.entries(state.pending)
    .map(([key, command]) => ({ id: Number(key), command }))
    .filter(({ command: c }) => c.type === 'word' && c.item === itemId && c.round === round)
    .sort((a, b) => a.id - b.id)
    .map(({ command }) => (command as { text: string }).text);
  const held = state.held.flatMap((c) => (c.type === 'word' && c.item === itemId && c.round === round ? [c.text] : []));
  return { stored: storedWords(state.ballots, itemId, round), sending, held };
}

/** Commands that change an item's phase or what everyone is shown. */
const STEP_COMMANDS = new Set(['open', 'close', 'reveal', 'revote', 'lock', 'reopen', 'goto']);

/** True while a facilitator command that moves `itemId` on waits for its answer. */
export function busyWith(state: ClientState, itemId: string | null): boolean {
  return Object.values(state.pending).some((c) => STEP_COMMANDS.has(c.type) && 'item' in c && c.item === itemId);
}

/** True while a moderation command on `word` of `itemId` (or the filter, for word null) waits. */
export function moderating(state: ClientState, itemId: string, word: string | null): boolean {
  return Object.values(state.pending).some((c) => {
    if (word === null) return c.type === 'set_filter';
    if (c.type === 'hide_word' || c.type === 'show_word' || c.type === 'unmerge_word') return c.item === itemId && c.word === word;
    if (c.type === 'merge_words') return c.item === itemId && (c.word === word || c.into === word);
    return false;
  });
}
