//! What "Compare occasions" offers and how it asks for each (pure): a signed-in member picks among
//! the workshops of their organisation, compared by code alone (the sign-in cookie is the access);
//! the sessions saved in this browser stay on offer with their keys, for anonymous use.

import type { OrgSession } from '../lib/account';
import { keyFromLink } from '../lib/compare';
import type { SavedSession } from './saved';

export interface CompareChoice {
  code: string;
  title: string;
  /** ms since the epoch. */
  created: number;
  /** `org`: the organisation's, by code alone; `browser`: saved here, with its key. */
  source: 'org' | 'browser';
  /** The facilitator key of a session saved in this browser; null for the organisation's. */
  key: string | null;
}

/**
 * The organisation's workshops, newest first, then the sessions saved in this browser that the
 * organisation's list does not hold (newest first). Seminars are no occasions: left out.
 */
export function compareChoices(orgSessions: readonly OrgSession[] | null, saved: readonly SavedSession[]): CompareChoice[] {
  const org: CompareChoice[] = (orgSessions ?? [])
    .filter((s) => s.kind === 'workshop')
    .map((s) => ({ code: s.code, title: s.title, created: s.created_at, source: 'org' as const, key: null }))
    .sort((a, b) => b.created - a.created);
  const known = new Set(org.map((c) => c.code));
  const browser: CompareChoice[] = saved
    .filter((s) => !known.has(s.code))
    .map((s) => ({ code: s.code, title: s.title, created: s.created, source: 'browser' as const, key: keyFromLink(s.facilitator) }))
    .sort((a, b) => b.created - a.created);
  return [...org, ...browser];
}

/** One side of `POST /api/compare`: the code, with the key only for a session saved in this browser. */
export function compareSide(choices: readonly CompareChoice[], code: string): { code: string; key?: string } | { missingKey: string } {
  const choice = choices.find((c) => c.code === code);
  if (!choice || choice.source === 'org') return { code };
  return choice.key ? { code, key: choice.key } : { missingKey: code };
}

/** The first pick: the newest as "now" and the one before it as "then". */
export function defaultPair(choices: readonly CompareChoice[]): { then: string; now: string } {
  // The organisation's list is newest first; so is the browser's. Take the two newest of all.
  const byDate = [...choices].sort((a, b) => b.created - a.created);
  return { now: byDate[0]?.code ?? '', then: byDate[1]?.code ?? '' };
}

/**
 * Keeps a pick valid as the choices change: each code if still offered; else "now" the newest and
 * "then" the newest other. Two equal picks stay as they are (the form says to pick two).
 */
export function keepPair(choices: readonly CompareChoice[], then: string, now: string): { then: string; now: string } {
  const codes = new Set(choices.map((c) => c.code));
  const nowOk = codes.has(now) ? now : defaultPair(choices).now;
  const others = [...choices]
    .sort((a, b) => b.created - a.created)
    .map((c) => c.code)
    .filter((c) => c !== nowOk);
  const thenOk = codes.has(then) ? then : (others[0] ?? '');
  return { then: thenOk, now: nowOk };
}
