//! Comparing two occasions: which way indicators and areas moved, said with arrows and words.

import { describe, expect, it } from 'vitest';
import { areaDelta, areaMovement, indicatorMovement, keyFromLink, looksSwapped, moveCounts, movement } from '../src/lib/compare';
import { translate } from '../src/lib/i18n';
import type { CompareResult, IndicatorChange } from '../src/lib/types';
import { cmp } from '../src/start/compareStrings';

const t = (s: string) => ({ sv: s, en: s });
const change = (id: string, then: number | null, now: number | null, over: Partial<IndicatorChange> = {}): IndicatorChange => ({
  id,
  then_id: null,
  area: 'L',
  title: t(id),
  then,
  now,
  moved: then !== null && now !== null ? now - then : null,
  ...over,
});

describe('movement of an indicator', () => {
  it('says up, down, same or none, with an arrow', () => {
    expect(movement(2, 4)).toEqual({ direction: 'up', steps: 2, arrow: '↑' });
    expect(movement(4, 3)).toEqual({ direction: 'down', steps: 1, arrow: '↓' });
    expect(movement(3, 3)).toEqual({ direction: 'same', steps: 0, arrow: '→' });
    expect(movement(null, 3)).toEqual({ direction: 'none', steps: 0, arrow: '–' });
    expect(movement(3, null).direction).toBe('none');
  });

  it('trusts the server’s moved, and needs both levels', () => {
    expect(indicatorMovement(change('L1', 1, 3)).steps).toBe(2);
    expect(indicatorMovement(change('L1', 3, 1)).direction).toBe('down');
    expect(indicatorMovement(change('L1', null, 3, { moved: null })).direction).toBe('none');
  });

  it('is put in words, not colour alone', () => {
    expect(translate('sv', cmp.move_up, { steps: 2 })).toBe('upp 2 nivåer');
    expect(translate('sv', cmp.move_down, { steps: 1 })).toBe('ned 1 nivå');
    expect(translate('en', cmp.move_up, { steps: 1 })).toBe('up 1 level');
    expect(translate('en', cmp.move_same)).toBe('unchanged');
  });

  it('is counted', () => {
    const list = [change('L1', 1, 3), change('L2', 3, 3), change('L3', 4, 2), change('L4', null, 2), change('L5', 2, 5)];
    expect(moveCounts(list)).toEqual({ up: 2, down: 1, same: 1, none: 1 });
  });
});

describe('movement of an area average', () => {
  it('is rounded to two decimals', () => {
    expect(areaDelta({ id: 'L', name: t('L'), then: 2.5, now: 3.25 })).toBe(0.75);
    expect(areaDelta({ id: 'L', name: t('L'), then: 2 / 3, now: 1 })).toBe(0.33);
    expect(areaDelta({ id: 'L', name: t('L'), then: null, now: 3 })).toBeNull();
    expect(areaMovement({ id: 'L', name: t('L'), then: 3, now: 2.5 })).toEqual({ direction: 'down', delta: -0.5, arrow: '↓' });
    expect(areaMovement({ id: 'L', name: t('L'), then: 3, now: 3 }).direction).toBe('same');
  });
});

describe('the two occasions', () => {
  const side = (date: string | null) => ({
    title: 'x',
    catalogue: { id: 'lika', version: '2026.1' },
    occasion: date ? { organisation: 'Exempelby', field: null, date, finished_at: 0 } : null,
  });
  const result = (a: string | null, b: string | null): CompareResult => ({
    then: side(a),
    now: side(b),
    comparison: { indicators: [], areas: [] },
  });

  it('look swapped when "then" is dated after "now"', () => {
    expect(looksSwapped(result('2026-11-23', '2024-11-20'))).toBe(true);
    expect(looksSwapped(result('2024-11-20', '2026-11-23'))).toBe(false);
    expect(looksSwapped(result(null, '2026-11-23'))).toBe(false);
  });

  it('are reached with the key in a saved facilitator link', () => {
    expect(keyFromLink('/facilitate/482913#key=9f2c')).toBe('9f2c');
    expect(keyFromLink('/facilitate/482913')).toBeNull();
    expect(keyFromLink('/facilitate/482913#key=')).toBeNull();
  });
});
