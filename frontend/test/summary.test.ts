//! The pure rules behind the summary, the prioritisation, the action plan and the exports:
//! radar geometry, suggestions per level, the gap rule, dates, field errors, file names.

import { describe, expect, it } from 'vitest';
import { formatIsoDate } from '../src/lib/format';
import { filenameFromDisposition, withCsp } from '../src/lib/http';
import {
  DEFAULT_MAX_LEVEL,
  actionTargets,
  defaultTarget,
  fieldOfError,
  fittingSuggestions,
  gapCandidates,
  isIsoDate,
  isOverdue,
  oneLine,
  statusCounts,
  suggestionsFor,
  suggestionsOfItemSet,
  todayIso,
} from '../src/lib/plan';
import { RADAR_FRAME, axisAngle, canDrawRadar, pointsAttr, radarAxes, radarLabel, radarPoint, radarPolygon, radarRings } from '../src/lib/radar';
import { indicatorsByArea, showsSummary } from '../src/lib/session';
import type { PlanAction, Suggestion } from '../src/lib/types';
import { indicator, item, pointsItem, round, session, summary } from './fixtures';

const f = RADAR_FRAME;

describe('radar geometry', () => {
  it('starts the first axis straight up and goes clockwise', () => {
    expect(axisAngle(0, 4)).toBeCloseTo(-Math.PI / 2);
    // Four areas: up, right, down, left.
    expect(radarAxes(4)).toEqual([
      { x: f.cx, y: f.cy - f.r },
      { x: f.cx + f.r, y: f.cy },
      { x: f.cx, y: f.cy + f.r },
      { x: f.cx - f.r, y: f.cy },
    ]);
  });

  it('puts the top level on the outer ring and scales values linearly', () => {
    expect(radarPoint(0, 4, 5, 5)).toEqual({ x: f.cx, y: f.cy - f.r });
    expect(radarPoint(1, 4, 2.5, 5)).toEqual({ x: f.cx + f.r / 2, y: f.cy });
  });

  it('puts a missing value in the centre and clamps values to the scale', () => {
    expect(radarPoint(2, 4, null, 5)).toEqual({ x: f.cx, y: f.cy });
    expect(radarPoint(2, 4, 9, 5)).toEqual(radarPoint(2, 4, 5, 5));
    expect(radarPoint(2, 4, -1, 5)).toEqual({ x: f.cx, y: f.cy });
    expect(radarPoint(0, 4, 3, 0)).toEqual({ x: f.cx, y: f.cy });
  });

  it('draws one ring per level and one point per area, rounded to a tenth', () => {
    const rings = radarRings(4, 5);
    expect(rings).toHaveLength(5);
    expect(rings.every((r) => r.length === 4)).toBe(true);
    const poly = radarPolygon([1, 2, 3, null], 5);
    expect(poly).toHaveLength(4);
    expect(pointsAttr(poly)).toBe(`${f.cx},${f.cy - 23} ${f.cx + 46},${f.cy} ${f.cx},${f.cy + 69} ${f.cx},${f.cy}`);
    for (const p of radarPolygon([1.234, 2, 3, 4, 5], 5)) {
      expect(Math.round(p.x * 10)).toBe(p.x * 10);
      expect(Math.round(p.y * 10)).toBe(p.y * 10);
    }
  });

  it('anchors labels away from the circle and stacks them outwards', () => {
    const [top, right, bottom, left] = [0, 1, 2, 3].map((i) => radarLabel(i, 4));
    expect(top.anchor).toBe('middle');
    expect(top.dy).toBeLessThan(-1);
    expect(right.anchor).toBe('start');
    expect(left.anchor).toBe('end');
    expect(bottom.dy).toBeGreaterThan(0);
    expect(radarLabel(0, 4, 1).dy).toBeGreaterThan(top.dy);
    // Every label stays inside the frame.
    for (const l of [top, right, bottom, left]) {
      expect(l.x).toBeGreaterThan(0);
      expect(l.x).toBeLessThan(f.width);
      expect(l.y + l.dy * 13).toBeGreaterThan(0);
      expect(l.y + (l.dy + 1.15) * 13).toBeLessThan(f.height);
    }
  });

  it('needs three areas to enclose anything', () => {
    expect(canDrawRadar(4, 5)).toBe(true);
    expect(canDrawRadar(2, 5)).toBe(false);
    expect(canDrawRadar(4, 0)).toBe(false);
  });
});

const sugg = (up_to: number, sv: string): Suggestion => ({ up_to, text: { sv, en: sv } });

describe('suggested actions', () => {
  const list = [sugg(4, 'följ upp'), sugg(2, 'ta fram'), sugg(3, 'koppla')];

  it('keep those meant for the locked level or above, closest fit first', () => {
    expect(fittingSuggestions(list, 3).map((s) => s.up_to)).toEqual([3, 4]);
    expect(fittingSuggestions(list, 1).map((s) => s.up_to)).toEqual([2, 3, 4]);
    expect(fittingSuggestions(list, 5)).toEqual([]);
    expect(fittingSuggestions(undefined, 2)).toEqual([]);
  });

  it('offer every suggestion for an indicator without a locked level', () => {
    expect(fittingSuggestions(list, null)).toHaveLength(3);
  });

  it('come from the state when it has them, else from the item set', () => {
    const fromSet = suggestionsOfItemSet({
      items: [
        { id: 'L1', suggestions: [sugg(2, 'a'), { up_to: 'x' }] },
        { id: 'L2' },
        { id: 'L3', suggestions: [{ up_to: 3, text: 'vanlig sträng' }] },
        'junk',
      ],
    });
    expect(Object.keys(fromSet)).toEqual(['L1', 'L3']);
    expect(fromSet.L1).toHaveLength(1);
    expect(suggestionsFor(item('L1'), fromSet)).toEqual(fromSet.L1);
    expect(suggestionsFor(item('L1', { suggestions: [sugg(5, 'egen')] }), fromSet)[0].up_to).toBe(5);
    expect(suggestionsFor(null, fromSet)).toEqual([]);
    expect(suggestionsOfItemSet(null)).toEqual({});
  });
});

describe('the gap rule of a prioritisation', () => {
  it('takes locked indicators at or below the level, in agenda order', () => {
    const s = summary([indicator('L1', 2), indicator('L2', 5), indicator('L3', null), indicator('I1', 1)]);
    expect(gapCandidates(s, 3).map((i) => i.id)).toEqual(['L1', 'I1']);
    expect(gapCandidates(s, 1).map((i) => i.id)).toEqual(['I1']);
    expect(DEFAULT_MAX_LEVEL).toBe(3);
  });

  it('keeps the twelve lowest when there are more', () => {
    const many = Array.from({ length: 14 }, (_, i) => indicator(`L${i + 1}`, i < 2 ? 3 : 1));
    const chosen = gapCandidates(summary(many), 3).map((i) => i.id);
    expect(chosen).toHaveLength(12);
    expect(chosen).not.toContain('L1');
    expect(chosen).not.toContain('L2');
    expect(chosen[0]).toBe('L3');
  });
});

describe('the action plan form', () => {
  const s = summary([indicator('L1', 2), indicator('L2', null), indicator('I1', 1), indicator('I2', 4)], {
    priorities: [
      { item: 'I1', points: 30, supporters: 3 },
      { item: 'L1', points: 10, supporters: 2 },
    ],
  });
  const action = (id: string, item: string, over: Partial<PlanAction> = {}): PlanAction => ({
    id,
    item,
    text: 'Gör',
    owner: '',
    due: null,
    status: 'todo',
    ...over,
  });

  it('offers prioritised indicators first, then locked, then open ones', () => {
    expect(actionTargets(s).map((i) => i.id)).toEqual(['I1', 'L1', 'I2', 'L2']);
  });

  it('starts on the first prioritised indicator without an action', () => {
    expect(defaultTarget(s, [])).toBe('I1');
    expect(defaultTarget(s, [action('a1', 'I1')])).toBe('L1');
    expect(defaultTarget(s, [action('a1', 'I1'), action('a2', 'L1')])).toBe('I2');
    expect(defaultTarget(summary([]), [])).toBeNull();
  });

  it('sends texts on one line', () => {
    expect(oneLine('  Inventera\n nätet\t på  boendena ')).toBe('Inventera nätet på boendena');
  });

  it('finds the field an invalid_field message names', () => {
    const fields = ['text', 'owner', 'due'] as const;
    expect(fieldOfError('due: a date is written YYYY-MM-DD', fields)).toBe('due');
    expect(fieldOfError('text: must be 1 to 1000 characters on one line', fields)).toBe('text');
    expect(fieldOfError('organisation: must be 1 to 200 characters', fields)).toBeNull();
    expect(fieldOfError('there is no action "a9"', fields)).toBeNull();
    expect(fieldOfError('a plan has at most 200 actions', fields)).toBeNull();
  });

  it('knows overdue actions and counts statuses', () => {
    expect(isOverdue(action('a', 'L1', { due: '2026-01-01' }), '2026-11-23')).toBe(true);
    expect(isOverdue(action('a', 'L1', { due: '2026-01-01', status: 'done' }), '2026-11-23')).toBe(false);
    expect(isOverdue(action('a', 'L1', { due: '2026-11-23' }), '2026-11-23')).toBe(false);
    expect(isOverdue(action('a', 'L1'), '2026-11-23')).toBe(false);
    expect(statusCounts([action('a', 'L1'), action('b', 'L1', { status: 'done' })])).toEqual({ todo: 1, doing: 0, done: 1 });
  });
});

describe('dates', () => {
  it('default to today in local time', () => {
    expect(todayIso(new Date(2026, 10, 23, 23, 59))).toBe('2026-11-23');
    expect(todayIso(new Date(2027, 0, 5, 0, 1))).toBe('2027-01-05');
  });

  it('are checked as calendar dates', () => {
    expect(isIsoDate('2027-06-30')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-13-01')).toBe(false);
    expect(isIsoDate('27-06-30')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });

  it('are shown per language without shifting a day', () => {
    expect(formatIsoDate('sv', '2027-06-30')).toBe('30 juni 2027');
    expect(formatIsoDate('en', '2027-06-30')).toBe('30 Jun 2027');
    expect(formatIsoDate('sv', 'nonsense')).toBe('nonsense');
  });
});

describe('what participants and screens show', () => {
  const shared = summary([indicator('L1', 2)]);

  it('shows the summary once shared and nothing is being voted on', () => {
    expect(showsSummary(session({ summary_shared: true, summary: shared }))).toBe(true);
    expect(showsSummary(session({ summary_shared: false, summary: null }))).toBe(false);
    expect(showsSummary(session({ summary_shared: true, summary: null }))).toBe(false);
    expect(showsSummary(session())).toBe(false);
  });

  it('lets a vote in progress or its result (a prioritisation) go first', () => {
    const prio = pointsItem('prio1', { targets: ['L1', 'I1'], phase: 'voting', rounds: [round()] });
    const items = [item('L1', { phase: 'locked' }), prio];
    expect(showsSummary(session({ summary_shared: true, summary: shared, items, current: 'prio1' }))).toBe(false);
    const closed = { ...prio, phase: 'closed' as const };
    expect(showsSummary(session({ summary_shared: true, summary: shared, items: [items[0], closed], current: 'prio1' }))).toBe(false);
    const revealed = { ...prio, phase: 'revealed' as const };
    expect(showsSummary(session({ summary_shared: true, summary: shared, items: [items[0], revealed], current: 'prio1' }))).toBe(false);
    expect(showsSummary(session({ summary_shared: true, summary: shared, items: [items[0], revealed], current: null }))).toBe(true);
    expect(showsSummary(session({ summary_shared: true, summary: shared, items, current: 'L1' }))).toBe(true);
  });

  it('groups the summary by area, unknown areas last', () => {
    const s = summary([indicator('L1', 2), indicator('I1', 1), indicator('X1', 3), indicator('L2', null)]);
    expect(indicatorsByArea(s, session().areas).map((g) => [g.area?.id ?? null, g.indicators.map((i) => i.id)])).toEqual([
      ['L', ['L1', 'L2']],
      ['I', ['I1']],
      [null, ['X1']],
    ]);
  });
});

describe('export files', () => {
  it('take the server’s file name, never a path', () => {
    expect(filenameFromDisposition('attachment; filename="samsyn-482913.csv"')).toBe('samsyn-482913.csv');
    expect(filenameFromDisposition("attachment; filename*=UTF-8''rapport%20%C3%A5r.html")).toBe('rapport år.html');
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('.._.._etc_passwd');
    expect(filenameFromDisposition('inline')).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });

  it('give the report its own content security policy when opened from a blob', () => {
    const html = '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>R</title></head><body></body></html>';
    const out = withCsp(html);
    expect(out).toContain(`<head><meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(out.indexOf('Content-Security-Policy')).toBeLessThan(out.indexOf('<title>'));
    expect(withCsp('<p>no head</p>').startsWith('<meta http-equiv="Content-Security-Policy"')).toBe(true);
  });
});
