//! "Last time" in the console and the living plan without a browser: reading the server's
//! `/previous` answer, what the console shows per indicator, an action's history, which
//! organisation a session belongs to, and taking a workshop's plan over (method, path, CSRF header).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Me, OrgSession } from '../src/lib/account';
import { CSRF_HEADER, setCsrfToken } from '../src/lib/http';
import { translate } from '../src/lib/i18n';
import {
  fetchPrevious,
  historySteps,
  isLate,
  organisationCandidates,
  parseOrgAction,
  parsePrevious,
  previousFor,
  sessionOrganisation,
  takeOverOutcome,
  takeOverPlan,
} from '../src/lib/previous';
import { lt } from '../src/facilitate/lastTimeStrings';

const KEY = 'cd'.repeat(32);

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
}

function fakeFetch(answer: (call: Call) => { status: number; body?: unknown }) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const call: Call = { url, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) } };
    calls.push(call);
    const a = answer(call);
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status });
  });
  return calls;
}

beforeEach(() => setCsrfToken(null));
afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

const action = (over: Record<string, unknown> = {}) => ({
  id: 'a1',
  text: 'Ta fram en digitaliseringsplan',
  indicator: 'L1',
  catalogue: 'lika',
  owner: 'Verksamhetschef',
  due: '2027-06-30',
  quarter: '2027-Q2',
  status: 'started',
  note: 'Utkast klart',
  session: '118204',
  created_at: 1000,
  updated_at: 3000,
  history: [
    { at: 3000, by: 'Anna', status: 'started', note: 'Utkast klart' },
    { at: 1000, by: 'Anna', status: 'planned', note: '' },
  ],
  ...over,
});

const ANSWER = {
  occasion: { title: 'Exempelby 2024', date: '2024-11-20', field: 'Äldreomsorg' },
  indicators: {
    L1: { level: 2, note: 'Planen saknar budget', dissent: null, actions: [action()] },
    L2: { level: null, note: null, dissent: null, actions: [] },
    L3: { level: 4, note: '', dissent: 'IT ser det som nivå 3', actions: [] },
  },
};

describe('the previous answer', () => {
  it('reads the occasion and each indicator, with its actions and their history oldest first', () => {
    const p = parsePrevious(ANSWER)!;
    expect(p.occasion).toEqual({ title: 'Exempelby 2024', date: '2024-11-20', field: 'Äldreomsorg' });
    expect(p.indicators.L1.level).toBe(2);
    expect(p.indicators.L1.note).toBe('Planen saknar budget');
    expect(p.indicators.L1.actions[0].status).toBe('started');
    expect(p.indicators.L1.actions[0].history.map((h) => h.status)).toEqual(['planned', 'started']);
    // An empty note is no note.
    expect(p.indicators.L3.note).toBeNull();
  });

  it('refuses what is no answer and drops entries and actions that are not ones', () => {
    expect(parsePrevious(null)).toBeNull();
    expect(parsePrevious([])).toBeNull();
    const p = parsePrevious({ occasion: null, indicators: { L1: 'x', L2: { level: 'high', actions: [{ id: 1 }, action({ status: 'odd' })] } } })!;
    expect(p.occasion).toBeNull();
    expect(p.indicators.L1).toBeUndefined();
    expect(p.indicators.L2.level).toBeNull();
    expect(p.indicators.L2.actions).toHaveLength(1);
    expect(p.indicators.L2.actions[0].status).toBe('planned');
    expect(parseOrgAction({ id: 'x' })).toBeNull();
  });

  it('shows an indicator only when there is something to show', () => {
    const p = parsePrevious(ANSWER)!;
    expect(previousFor(p, 'L1')?.level).toBe(2);
    expect(previousFor(p, 'L2')).toBeNull();
    expect(previousFor(p, 'L3')?.dissent).toBe('IT ser det som nivå 3');
    expect(previousFor(p, 'I1')).toBeNull();
    expect(previousFor(null, 'L1')).toBeNull();
  });

  it('without a previous occasion shows only the plan', () => {
    const p = parsePrevious({ occasion: null, indicators: { L1: { level: 2, note: 'x', dissent: null, actions: [action()] }, L3: { level: 3, note: 'y', dissent: null, actions: [] } } })!;
    expect(previousFor(p, 'L1')).toMatchObject({ level: null, note: null, actions: [{ id: 'a1' }] });
    expect(previousFor(p, 'L3')).toBeNull();
  });

  it('fetches with the key when there is one, else with the sign-in cookie', async () => {
    const calls = fakeFetch(() => ({ status: 200, body: ANSWER }));
    const withKey = await fetchPrevious('482913', KEY);
    expect(withKey.ok && withKey.data.indicators.L1.level).toBe(2);
    expect(calls[0]).toMatchObject({ url: '/api/sessions/482913/previous', method: 'GET' });
    expect(calls[0].headers.Authorization).toBe(`Bearer ${KEY}`);
    await fetchPrevious('482913', null);
    expect(calls[1].headers.Authorization).toBeUndefined();
  });
});

describe('an action of the plan', () => {
  it('lists only the steps that changed the status or the note', () => {
    const a = parseOrgAction(
      action({
        history: [
          { at: 1, by: 'A', status: 'planned', note: '' },
          { at: 2, by: 'A', status: 'planned', note: '' },
          { at: 3, by: 'B', status: 'started', note: '' },
          { at: 4, by: 'B', status: 'started', note: 'Utkast' },
        ],
      }),
    )!;
    expect(historySteps(a).map((s) => s.at)).toEqual([1, 3, 4]);
  });

  it('is late when open and past its due date', () => {
    const a = parseOrgAction(action({ due: '2026-01-31' }))!;
    expect(isLate(a, '2026-02-01')).toBe(true);
    expect(isLate(a, '2026-01-31')).toBe(false);
    expect(isLate({ ...a, status: 'done' }, '2027-01-01')).toBe(false);
    expect(isLate({ ...a, status: 'dropped' }, '2027-01-01')).toBe(false);
    expect(isLate({ ...a, due: null }, '2027-01-01')).toBe(false);
  });

  it('has a word for every status in both languages', () => {
    for (const s of ['planned', 'started', 'done', 'dropped'] as const) {
      expect(translate('sv', lt[`status_${s}`])).not.toBe('');
      expect(translate('en', lt[`status_${s}`])).not.toBe('');
    }
    expect(translate('sv', lt.status_started)).toBe('Påbörjad');
  });
});

const me = (orgs: Me['organisations']): Me => ({
  first_run: false,
  allow_anonymous: false,
  account: { id: 'p', name: 'Anna', email: 'anna@x.se' },
  organisations: orgs,
  csrf_token: 'tok',
  oidc: null,
});

describe("the session's organisation", () => {
  it('asks only where the person may run sessions, the one chosen last first', () => {
    const who = me([
      { id: 'a', name: 'A', role: 'facilitator' },
      { id: 'b', name: 'B', role: 'viewer' },
      { id: 'c', name: 'C', role: 'admin' },
    ]);
    expect(organisationCandidates(who, 'c').map((o) => o.id)).toEqual(['c', 'a']);
    expect(organisationCandidates(who, 'b').map((o) => o.id)).toEqual(['a', 'c']);
    expect(organisationCandidates(null, null)).toEqual([]);
    expect(organisationCandidates({ ...who, account: null }, null)).toEqual([]);
  });

  it('is the first whose list holds the code; none when no list does', async () => {
    const lists: Record<string, OrgSession[]> = {
      a: [{ code: '111111', title: '', created_at: 1, kind: 'workshop', catalogue: 'lika' }],
      c: [{ code: '482913', title: '', created_at: 2, kind: 'workshop', catalogue: 'lika' }],
    };
    const asked: string[] = [];
    const list = async (org: string) => {
      asked.push(org);
      return { ok: true as const, status: 200, data: lists[org] ?? [] };
    };
    const candidates = [
      { id: 'a', name: 'A', role: 'facilitator' as const },
      { id: 'c', name: 'C', role: 'admin' as const },
    ];
    expect((await sessionOrganisation(candidates, '482913', list))?.id).toBe('c');
    expect(asked).toEqual(['a', 'c']);
    expect(await sessionOrganisation(candidates, '999999', list)).toBeNull();
    const failing = async () => ({ ok: false as const, status: 403, code: 'forbidden', message: '' });
    expect(await sessionOrganisation(candidates, '482913', failing)).toBeNull();
  });
});

describe("taking a workshop's plan over", () => {
  it('posts with the CSRF token and reads how many were added', async () => {
    setCsrfToken('tok');
    const calls = fakeFetch(() => ({ status: 200, body: { added: 2, actions: 3 } }));
    const res = await takeOverPlan('org 1', '482913');
    expect(res).toMatchObject({ ok: true, data: { added: 2, actions: 3 } });
    expect(calls[0]).toMatchObject({ url: '/api/organisations/org%201/plan/from/482913', method: 'POST' });
    expect(calls[0].headers[CSRF_HEADER]).toBe('tok');
  });

  it('says what came of it', () => {
    expect(takeOverOutcome({ added: 2, actions: 3 })).toBe('added');
    expect(takeOverOutcome({ added: 0, actions: 3 })).toBe('already');
    expect(takeOverOutcome({ added: 0, actions: 0 })).toBe('none');
    expect(translate('sv', lt.added, { added: 1 })).toBe('1 åtgärd tillagd i handlingsplanen.');
    expect(translate('sv', lt.added, { added: 3 })).toBe('3 åtgärder tillagda i handlingsplanen.');
    expect(translate('en', lt.added, { added: 3 })).toBe('3 actions added to the plan.');
  });

  it('passes a refusal on', async () => {
    fakeFetch(() => ({ status: 403, body: { code: 'forbidden', message: 'the session is not the organisation’s' } }));
    expect(await takeOverPlan('o', '482913')).toMatchObject({ ok: false, status: 403, code: 'forbidden' });
  });
});
