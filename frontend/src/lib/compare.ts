//! Pure formatting of a comparison between two occasions: which way an indicator moved (with an
//! arrow and words, never colour alone), changes of area averages, counts, and the facilitator
//! key of a saved session. No DOM, no Preact.

import type { AreaChange, CompareResult, IndicatorChange } from './types';

export type Direction = 'up' | 'down' | 'same' | 'none';

export interface Movement {
  direction: Direction;
  /** Levels moved, always ≥ 0. */
  steps: number;
  /** ↑ ↓ → or – (decoration beside the words). */
  arrow: string;
}

const ARROWS: Record<Direction, string> = { up: '↑', down: '↓', same: '→', none: '–' };

/** How far and which way a level moved; `none` when either occasion has no locked level. */
export function movement(then: number | null, now: number | null): Movement {
  if (then === null || now === null) return { direction: 'none', steps: 0, arrow: ARROWS.none };
  const d = now - then;
  const direction: Direction = d > 0 ? 'up' : d < 0 ? 'down' : 'same';
  return { direction, steps: Math.abs(d), arrow: ARROWS[direction] };
}

/** The movement of an indicator, trusting the server's `moved` when it gives one. */
export function indicatorMovement(change: IndicatorChange): Movement {
  const m = movement(change.then, change.now);
  if (change.moved === null || m.direction === 'none') return m;
  const direction: Direction = change.moved > 0 ? 'up' : change.moved < 0 ? 'down' : 'same';
  return { direction, steps: Math.abs(change.moved), arrow: ARROWS[direction] };
}

/** Change of an area average, rounded to two decimals (null when either side has none). */
export function areaDelta(change: AreaChange): number | null {
  if (change.then === null || change.now === null) return null;
  return Math.round((change.now - change.then) * 100) / 100;
}

/** Which way an area average moved, and by how much (two decimals). */
export function areaMovement(change: AreaChange): { direction: Direction; delta: number | null; arrow: string } {
  const delta = areaDelta(change);
  const direction: Direction = delta === null ? 'none' : delta > 0 ? 'up' : delta < 0 ? 'down' : 'same';
  return { direction, delta, arrow: ARROWS[direction] };
}

export interface MoveCounts {
  up: number;
  down: number;
  same: number;
  none: number;
}

export function moveCounts(indicators: readonly IndicatorChange[]): MoveCounts {
  const counts: MoveCounts = { up: 0, down: 0, same: 0, none: 0 };
  for (const i of indicators) counts[indicatorMovement(i).direction]++;
  return counts;
}

/** Whether the "then" occasion was recorded on a later date than "now" (the two are likely swapped). */
export function looksSwapped(result: CompareResult): boolean {
  const a = result.then.occasion?.date;
  const b = result.now.occasion?.date;
  return !!a && !!b && a > b;
}

/** The facilitator key in a saved facilitator link (`/facilitate/482913#key=…`), or null. */
export function keyFromLink(link: string): string | null {
  const hash = link.indexOf('#');
  if (hash < 0) return null;
  const key = new URLSearchParams(link.slice(hash + 1)).get('key');
  return key ? key : null;
}
