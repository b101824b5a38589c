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
}

export type LocalEvent =
  | { type: 'connection'; status: ConnectionStatus; error?: ErrorMsg }
  | { type: 'sent'; id: number; command: Command }
  | { type: 'dismiss_error' };

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
        return { ...state, pending, ballots };
      }
      if (command.type === 'word') {
        // The ack says what was stored; a server that leaves it out stored our normalised text.
        const word = event.word ?? normaliseWord(command.text);
        const words = storedWords(state.ballots, command.item, command.round);
        const next = words.includes(word) ? words : [...words, word];
        return { ...state, pending, ballots: { ...state.ballots, [command.item]: { round: command.round, words: next } } };
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
      return {
        ...state,
        pending,
        error: { id: event.id, code: event.code, message: event.message, command },
        errorCount: state.errorCount + 1,
      };
    }

    case 'connection': {
      if (event.status === 'failed' && event.error) {
        const { id, code, message } = event.error;
        return { ...state, connection: 'failed', fatal: { id, code, message } };
      }
      // A new connection must see a welcome before a state is trusted again.
      const fresh = event.status === 'open' ? state.fresh : false;
      return { ...state, connection: event.status, fresh };
    }

    case 'sent':
      return { ...state, pending: { ...state.pending, [event.id]: event.command } };

    case 'dismiss_error':
      return state.error ? { ...state, error: null } : state;

    default:
      return state;
  }
}

export type VoteStatus = 'none' | 'sending' | 'received';

export interface OwnVote {
  answer: Answer | null;
  status: VoteStatus;
}

/**
 * What this participant answered in round `round` of `itemId`: the newest vote still in
 * flight wins over the acknowledged one, so the button pressed last shows as selected.
 */
export function ownVote(state: ClientState, itemId: string, round: number): OwnVote {
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
}

/** The words this participant sent in round `round` of a words item. */
export function ownWords(state: ClientState, itemId: string, round: number): OwnWords {
  const sending = Object.entries(state.pending)
    .map(([key, command]) => ({ id: Number(key), command }))
    .filter(({ command: c }) => c.type === 'word' && c.item === itemId && c.round === round)
    .sort((a, b) => a.id - b.id)
    .map(({ command }) => (command as { text: string }).text);
  return { stored: storedWords(state.ballots, itemId, round), sending };
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
