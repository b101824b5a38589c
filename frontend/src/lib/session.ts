//! Pure questions about a session snapshot: which item, which round, what may happen next.
//! No DOM, no socket; the phase rules mirror the command table in docs/protocol.md.

import type { Area, IndicatorSummary, Item, Kind, Phase, Round, Scale, ScaleLevel, Session, Summary, Tally } from './types';

export function itemById(session: Session | null, id: string | null | undefined): Item | null {
  if (!session || id == null) return null;
  return session.items.find((i) => i.id === id) ?? null;
}

export function currentItem(session: Session | null): Item | null {
  return itemById(session, session?.current);
}

export function latestRound(item: Item | null): Round | null {
  if (!item || item.rounds.length === 0) return null;
  return item.rounds[item.rounds.length - 1] as Round;
}

/** The round a participant may vote in now, if any. */
export function openRound(item: Item | null): Round | null {
  const round = latestRound(item);
  return round && round.open ? round : null;
}

/** Rounds whose tally everyone may see, oldest first. */
export function revealedRounds(item: Item | null): Round[] {
  return item ? (item.rounds as Round[]).filter((r) => r.revealed && r.tally !== null) : [];
}

/**
 * Rounds whose tally this client has, oldest first. For participants and screens the server
 * sends a tally only once it may be seen (revealed, or results live), so this is exactly
 * what they may show.
 */
export function visibleRounds<T extends Tally>(rounds: readonly Round<T>[]): Round<T>[] {
  return rounds.filter((r) => r.tally !== null);
}

export function areaOf(session: Session, item: Item): Area | null {
  if (item.area === null) return null;
  return session.areas.find((a) => a.id === item.area) ?? null;
}

/** The scale a scale item is answered on, or null (another kind, or a scale the state lacks). */
export function scaleOf(session: Session, item: Item | null): Scale | null {
  if (!item || item.kind !== 'scale') return null;
  return session.scales[item.scale] ?? null;
}

export interface AreaGroup {
  area: Area | null;
  items: Item[];
}

/**
 * Items grouped by area, in the session's order; items of an unknown area (or none) come
 * last. A session without areas (a seminar) is one group with `area` null.
 */
export function itemsByArea(session: Session): AreaGroup[] {
  if (session.areas.length === 0) return session.items.length > 0 ? [{ area: null, items: session.items }] : [];
  const groups: AreaGroup[] = session.areas.map((area) => ({
    area,
    items: session.items.filter((i) => i.area === area.id),
  }));
  const known = new Set(session.areas.map((a) => a.id));
  const rest = session.items.filter((i) => i.area === null || !known.has(i.area));
  if (rest.length > 0) groups.push({ area: null, items: rest });
  return groups.filter((g) => g.items.length > 0);
}

/** The item after `id` in the agenda, or null at the end. */
export function nextItem(session: Session, id: string | null): Item | null {
  if (id === null) return session.items[0] ?? null;
  const index = session.items.findIndex((i) => i.id === id);
  if (index < 0) return null;
  return session.items[index + 1] ?? null;
}

/**
 * The items whose open round "next" closes before it moves on from `from` to `to`: the item
 * left behind and the one everyone sees now. A seminar must not leave a question open for
 * answers while the room has moved on to the next one (two open at once, nobody told).
 */
export function closedByNext(session: Session, from: Item, to: Item): Item[] {
  const left = [from, itemById(session, session.current)].filter((i): i is Item => !!i && i.id !== to.id && i.phase === 'voting');
  return left.filter((i, n) => left.findIndex((j) => j.id === i.id) === n);
}

export type Action = 'open' | 'close' | 'reveal' | 'revote' | 'lock' | 'reopen';

const ALLOWED: Record<Action, readonly Phase[]> = {
  open: ['pending'],
  close: ['voting'],
  reveal: ['voting', 'closed'],
  revote: ['closed', 'revealed'],
  lock: ['pending', 'closed', 'revealed'],
  reopen: ['locked'],
};

/** Only scale items can be locked (and so reopened). */
const SCALE_ONLY: readonly Action[] = ['lock', 'reopen'];

/** Whether the server accepts `action` in `phase` for an item of `kind` (protocol, facilitator commands). */
export function allowed(action: Action, phase: Phase, kind: Kind = 'scale'): boolean {
  if (kind !== 'scale' && SCALE_ONLY.includes(action)) return false;
  return ALLOWED[action].includes(phase);
}

export type NextStep = Action | 'next';

/** The one obvious thing to do next for an item of `kind` in `phase`. */
export function primaryStep(phase: Phase, kind: Kind = 'scale'): NextStep {
  switch (phase) {
    case 'pending':
      return 'open';
    case 'voting':
      return 'close';
    case 'closed':
      return 'reveal';
    case 'revealed':
      return kind === 'scale' ? 'lock' : 'next';
    case 'locked':
      return 'next';
  }
}

/**
 * The level to pre-select in the lock form: the newest round's suggestion, or none when that
 * round split into two camps (the median of two camps is a level nobody chose).
 */
export function suggestedLevel(item: Item | null): number | null {
  if (!item || item.kind !== 'scale') return null;
  for (let i = item.rounds.length - 1; i >= 0; i--) {
    const spread = item.rounds[i].spread;
    if (spread?.two_camps) return null;
    if (spread?.suggested != null) return spread.suggested;
  }
  return null;
}

/**
 * The two camps of a split round, lower level first, by the rule of the server's `two_camps`
 * flag: two levels at least two steps apart, each with at least a quarter of the ballots and at
 * least two, every level between them with fewer than both. Of several such pairs, the one whose
 * smaller camp is largest (then the widest). `counts[i]` is the number on level i + 1.
 */
export function campLevels(counts: readonly number[]): [number, number] | null {
  const n = counts.reduce((a, b) => a + b, 0);
  let best: [number, number] | null = null;
  let bestMin = 0;
  for (let a = 0; a < counts.length; a++) {
    for (let b = a + 2; b < counts.length; b++) {
      const lo = Math.min(counts[a], counts[b]);
      if (lo < 2 || lo * 4 < n) continue;
      if (counts.slice(a + 1, b).some((c) => c >= lo)) continue;
      if (!best || lo > bestMin || (lo === bestMin && b - a > best[1] - best[0])) {
        best = [a + 1, b + 1];
        bestMin = lo;
      }
    }
  }
  return best;
}

export function scaleLevel(scale: Scale, level: number): ScaleLevel | null {
  return scale.levels.find((l) => l.level === level) ?? null;
}

/** Levels from lowest to highest, whatever order the server sent. */
export function sortedLevels(scale: Scale): ScaleLevel[] {
  return [...scale.levels].sort((a, b) => a.level - b.level);
}

/** Count of ballots on `level` in a tally (`counts[i]` is level `i + 1`). */
export function countAt(counts: readonly number[], level: number): number {
  return counts[level - 1] ?? 0;
}

/**
 * Whether participants and screens show the shared summary now: it is shared and no item is
 * being voted on or showing its result (a prioritisation, say), which goes first until the
 * facilitator stops showing it.
 */
export function showsSummary(session: Session): boolean {
  if (!session.summary_shared || !session.summary) return false;
  const current = session.current === null ? null : session.items.find((i) => i.id === session.current);
  return !current || current.phase === 'pending' || current.phase === 'locked';
}

export interface AreaIndicators {
  area: Area | null;
  indicators: IndicatorSummary[];
}

/** Indicators grouped by the session's areas, in order; those of no known area last. */
export function indicatorsByArea(summary: Summary, areas: readonly Area[]): AreaIndicators[] {
  const known = new Set(areas.map((a) => a.id));
  const groups: AreaIndicators[] = areas.map((area) => ({
    area,
    indicators: summary.indicators.filter((i) => i.area === area.id),
  }));
  const rest = summary.indicators.filter((i) => i.area === null || !known.has(i.area));
  if (rest.length > 0) groups.push({ area: null, indicators: rest });
  return groups.filter((g) => g.indicators.length > 0);
}
