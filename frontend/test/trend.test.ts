//! The organisation page's history and living plan without a browser: reading the trend, which
//! occasions the radar draws and how each looks, the line chart's geometry (a null breaks a line,
//! a new indicator starts where it appears), label spreading, the roadmap's quarters, the plan
//! forms' bodies and which field a refusal names, and the requests.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../src/lib/http';
import type { PlanAction } from '../src/lib/protocol';
import {
  addBody,
  editBody,
  fieldsOf,
  groupByQuarter,
  isQuarter,
  makeSeminar,
  parsePlan,
  planCsvHref,
  planFieldOfMessage,
  planIcsHref,
  quarterOf,
  statusBody,
} from '../src/lib/roadmap';
import {
  LINE_FRAME,
  axisDates,
  drawnOccasions,
  earlierIds,
  fetchTrend,
  lastPoint,
  lineRuns,
  missingReason,
  parseTrend,
  pathOf,
  reportHref,
  seriesLook,
  spreadLabels,
  trendCsvHref,
  xAt,
  yAt,
} from '../src/lib/trend';

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

const TREND = {
  occasions: [
    { code: '111111', title: 'LIKA 2024', date: '2024-11-20', field: 'Äldreomsorg', catalogue: 'lika', version: '2026.1' },
    { code: '222222', title: 'LIKA 2026', date: '2026-11-23', field: null, catalogue: 'lika', version: '2028.1' },
  ],
  top: 5,
  indicators: [
    { id: 'L1-ny', area: 'L', title: { sv: 'Strategi', en: 'Strategy' }, ids: ['L1', 'L1-ny'], levels: [2, 4] },
    { id: 'L9', area: 'L', title: { sv: 'Ny', en: 'New' }, ids: [null, 'L9'], levels: [null, 3] },
    { id: 'K1', area: 'K', title: { sv: 'Kompetens', en: 'Skills' }, ids: ['K1', 'K1'], levels: [3, null] },
  ],
  areas: [
    { id: 'L', name: { sv: 'Ledning', en: 'Leadership' }, averages: [2, 3.5] },
    { id: 'K', name: { sv: 'Kompetens', en: 'Skills' }, averages: [3, null] },
  ],
};

describe('the trend answer', () => {
  it('keeps every series as long as the occasions, and tells a renamed indicator’s earlier id', () => {
    const t = parseTrend({ ...TREND, indicators: [...TREND.indicators, { id: 'X', area: null, title: 'x', ids: [], levels: [1, 2, 3] }] })!;
    expect(t.occasions.map((o) => o.code)).toEqual(['111111', '222222']);
    expect(t.top).toBe(5);
    const x = t.indicators.find((l) => l.id === 'X')!;
    expect(x.levels).toEqual([1, 2]);
    expect(x.ids).toEqual([null, null]);
    expect(earlierIds(t.indicators[0])).toEqual(['L1']);
    expect(earlierIds(t.indicators[2])).toEqual([]);
  });

  it('tells a cell not in that catalogue version from one not locked', () => {
    const t = parseTrend(TREND)!;
    expect(missingReason(t.indicators[1], 0)).toBe('absent');
    expect(missingReason(t.indicators[2], 1)).toBe('open');
    expect(missingReason(t.indicators[0], 0)).toBeNull();
  });

  it('refuses what is not a trend', () => {
    expect(parseTrend(null)).toBeNull();
    expect(parseTrend({ occasions: 'x' })).toBeNull();
    expect(parseTrend({ occasions: [] })).toEqual({ occasions: [], top: 5, indicators: [], areas: [] });
  });
});

describe('the radar of occasions', () => {
  it('draws at most six, the newest', () => {
    expect(drawnOccasions(2)).toEqual([0, 1]);
    expect(drawnOccasions(9)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(drawnOccasions(0)).toEqual([]);
  });

  it('emphasises the newest and tells every other apart by tone, dash and marker', () => {
    const looks = [0, 1, 2, 3, 4, 5].map((i) => seriesLook(i, 6));
    expect(looks[5]).toEqual({ tone: 0, dash: null, marker: 'circle', newest: true });
    expect(looks.filter((l) => l.newest)).toHaveLength(1);
    for (const key of ['tone', 'dash', 'marker'] as const) expect(new Set(looks.map((l) => l[key])).size).toBe(6);
    // The one before the newest always looks the same, however many are drawn.
    expect(seriesLook(0, 2)).toEqual(seriesLook(4, 6));
  });
});

describe('the line chart of an area over time', () => {
  const f = LINE_FRAME;
  it('spreads the occasions over the width and puts level 1 at the bottom, the top level at the top', () => {
    expect(xAt(0, 3)).toBe(f.left);
    expect(xAt(2, 3)).toBe(f.width - f.right);
    expect(xAt(0, 1)).toBe(f.left + (f.width - f.left - f.right) / 2);
    expect(yAt(1, 5)).toBe(f.height - f.bottom);
    expect(yAt(5, 5)).toBe(f.top);
    expect(yAt(9, 5)).toBe(f.top);
    expect(yAt(3, 5)).toBe(Math.round((f.top + (f.height - f.top - f.bottom) / 2) * 10) / 10);
  });

  it('starts a new indicator where it appears and breaks a line at an occasion without a level', () => {
    const late = lineRuns([null, null, 3, 4], 5);
    expect(late).toHaveLength(1);
    expect(late[0].map((p) => p.i)).toEqual([2, 3]);
    expect(late[0][0].x).toBe(xAt(2, 4));
    const gap = lineRuns([2, null, 4], 5);
    expect(gap.map((r) => r.map((p) => p.value))).toEqual([[2], [4]]);
    expect(lineRuns([null, null], 5)).toEqual([]);
    expect(pathOf(late[0])).toBe(`M${xAt(2, 4)},${yAt(3, 5)} L${xAt(3, 4)},${yAt(4, 5)}`);
    expect(lastPoint([1, 2, null], 5)?.i).toBe(1);
    expect(lastPoint([null], 5)).toBeNull();
  });

  it('moves end labels apart without leaving the chart', () => {
    expect(spreadLabels([50, 50, 50], 10, 0, 200)).toEqual([50, 60, 70]);
    expect(spreadLabels([195, 195], 10, 0, 200)).toEqual([190, 200]);
    expect(spreadLabels([80, 20], 10, 0, 200)).toEqual([80, 20]);
    expect(spreadLabels([], 10, 0, 200)).toEqual([]);
  });

  it('names the years on the axis when each occasion has its own, else whole dates', () => {
    expect(axisDates(['2024-11-20', '2026-11-23'])).toEqual(['2024', '2026']);
    expect(axisDates(['2026-03-01', '2026-11-23'])).toEqual(['2026-03-01', '2026-11-23']);
  });
});

describe('the trend requests', () => {
  it('asks for one unit by name or all, and links the CSV, the report and the console', async () => {
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push(url);
      return new Response(JSON.stringify(TREND), { status: 200 });
    });
    const res = await fetchTrend('org 1', 'Äldreomsorg');
    expect(res.ok).toBe(true);
    await fetchTrend('org1', null);
    expect(calls).toEqual(['/api/organisations/org%201/trend?field=%C3%84ldreomsorg', '/api/organisations/org1/trend']);
    expect(trendCsvHref('o', null, 'en')).toBe('/api/organisations/o/trend.csv?lang=en');
    expect(trendCsvHref('o', 'IFO', 'sv')).toBe('/api/organisations/o/trend.csv?lang=sv&field=IFO');
    expect(reportHref('123456', 'sv')).toBe('/api/sessions/123456/report.html?lang=sv');
  });
});

function action(over: Partial<PlanAction>): PlanAction {
  return {
    id: 'a',
    text: 'Gör något',
    indicator: null,
    catalogue: null,
    owner: '',
    due: null,
    quarter: null,
    status: 'planned',
    note: '',
    session: null,
    created_at: 0,
    updated_at: 0,
    history: [],
    ...over,
  };
}

describe('the roadmap', () => {
  it('groups by quarter in time order, the actions without one last, keeping the order within', () => {
    const plan = [
      action({ id: '1', quarter: null }),
      action({ id: '2', quarter: '2027-Q4' }),
      action({ id: '3', quarter: '2027-Q1' }),
      action({ id: '4', quarter: '2026-Q4' }),
      action({ id: '5', quarter: '2027-Q1', status: 'done' }),
      action({ id: '6', quarter: '2027-q1' }),
      action({ id: '7', quarter: 'sommaren' }),
    ];
    const groups = groupByQuarter(plan);
    expect(groups.map((g) => g.quarter)).toEqual(['2026-Q4', '2027-Q1', '2027-Q4', null]);
    expect(groups[1].actions.map((a) => a.id)).toEqual(['3', '5', '6']);
    expect(groups[3].actions.map((a) => a.id)).toEqual(['1', '7']);
    expect(groupByQuarter([])).toEqual([]);
  });

  it('knows a quarter and the quarter of a date', () => {
    expect(isQuarter('2027-Q2')).toBe(true);
    expect(isQuarter('2027-q4')).toBe(true);
    expect(isQuarter('2027-Q5')).toBe(false);
    expect(isQuarter('27-Q1')).toBe(false);
    expect(quarterOf('2027-05-31')).toBe('2027-Q2');
    expect(quarterOf('2027-12-01')).toBe('2027-Q4');
    expect(quarterOf('31/12')).toBeNull();
  });

  it('reads the plan, skipping what is not an action', () => {
    const plan = parsePlan([{ id: 'x', text: 'T', status: 'started', history: [{ at: 5, by: 'Anna', status: 'done', note: 'n' }] }, 'junk', { text: 'no id' }])!;
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatchObject({ id: 'x', status: 'started', indicator: null, quarter: null, history: [{ at: 5, by: 'Anna', status: 'done', note: 'n' }] });
    expect(parsePlan({})).toBeNull();
  });

  it('finds the field a refusal names', () => {
    expect(planFieldOfMessage('due: a date such as 2027-03-31')).toBe('due');
    expect(planFieldOfMessage('quarter: a quarter such as 2027-Q2')).toBe('quarter');
    expect(planFieldOfMessage('action: the plan has no action "x"')).toBeNull();
    expect(planFieldOfMessage('something else')).toBeNull();
  });

  it('sends only what was filled in when adding, and only what changed (null clears) when editing', () => {
    expect(addBody({ text: ' Utbilda ', indicator: '', owner: 'Bo', due: '', quarter: '2027-q2', note: '' })).toEqual({
      text: 'Utbilda',
      owner: 'Bo',
      quarter: '2027-Q2',
    });
    const before = action({ indicator: 'L1', due: '2027-06-30', quarter: '2027-Q2', owner: 'Bo' });
    const f = fieldsOf(before);
    expect(editBody(before, f)).toEqual({});
    expect(editBody(before, { ...f, due: '', quarter: '2027-q3', owner: '' })).toEqual({ due: null, quarter: '2027-Q3', owner: '' });
    expect(statusBody('started', '  ')).toEqual({ status: 'started' });
    expect(statusBody('done', ' Antagen ')).toEqual({ status: 'done', note: 'Antagen' });
  });

  it('makes the seminar with the CSRF header and reads its links and what was left out', async () => {
    setCsrfToken('tok');
    const seen: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ code: '123456', facilitator_key: 'k', links: { facilitator: '/facilitate/123456#key=k', join: '/join/123456', screen: '/screen/123456' }, actions: 12, left_out: 3 }), { status: 201 });
    });
    const res = await makeSeminar('o');
    expect(res.ok && res.data).toMatchObject({ code: '123456', actions: 12, left_out: 3, links: { screen: '/screen/123456' } });
    expect(seen[0].url).toBe('/api/organisations/o/plan/seminar');
    expect(seen[0].init.method).toBe('POST');
    expect((seen[0].init.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok');
    expect(planCsvHref('o', 'sv')).toBe('/api/organisations/o/plan.csv?lang=sv');
    expect(planIcsHref('o', 'en')).toBe('/api/organisations/o/plan.ics?lang=en');
  });
});
