//! "Compare occasions" of the start page without a browser: what it offers a signed-in member (the
//! organisation's workshops, by code alone) and anonymous use (this browser's sessions, with keys),
//! and which pair it starts on and keeps.

import { describe, expect, it } from 'vitest';
import type { OrgSession } from '../src/lib/account';
import { compareChoices, compareSide, defaultPair, keepPair } from '../src/start/choices';

const KEY = 'cd'.repeat(32);

describe('the compare choices', () => {
  const org: OrgSession[] = [
    { code: '222222', title: 'Exempelby 2026', created_at: 2000, kind: 'workshop', catalogue: 'lika' },
    { code: '333333', title: 'Färdplanen', created_at: 3000, kind: 'seminar', catalogue: null },
    { code: '111111', title: 'Exempelby 2024', created_at: 1000, kind: 'workshop', catalogue: 'lika' },
  ];
  const saved = [
    { code: '222222', title: 'Exempelby 2026', facilitator: `/facilitate/222222#key=${KEY}`, created: 2000 },
    { code: '444444', title: 'Gammal', facilitator: `/facilitate/444444#key=${KEY}`, created: 500 },
    { code: '555555', title: 'Utan nyckel', facilitator: '/facilitate/555555', created: 400 },
  ];

  it("offers the organisation's workshops first, then this browser's others; never a seminar", () => {
    const choices = compareChoices(org, saved);
    expect(choices.map((c) => [c.code, c.source])).toEqual([
      ['222222', 'org'],
      ['111111', 'org'],
      ['444444', 'browser'],
      ['555555', 'browser'],
    ]);
    expect(compareChoices(null, saved).every((c) => c.source === 'browser')).toBe(true);
  });

  it("asks by code alone for the organisation's, with the key for this browser's", () => {
    const choices = compareChoices(org, saved);
    expect(compareSide(choices, '222222')).toEqual({ code: '222222' });
    expect(compareSide(choices, '444444')).toEqual({ code: '444444', key: KEY });
    expect(compareSide(choices, '555555')).toEqual({ missingKey: '555555' });
    // Anonymous: a saved session always goes with its key.
    expect(compareSide(compareChoices(null, saved), '222222')).toEqual({ code: '222222', key: KEY });
  });

  it('starts on the two newest and keeps a pick that is still offered', () => {
    const choices = compareChoices(org, saved);
    expect(defaultPair(choices)).toEqual({ now: '222222', then: '111111' });
    expect(defaultPair([])).toEqual({ now: '', then: '' });
    expect(keepPair(choices, '444444', '111111')).toEqual({ then: '444444', now: '111111' });
    expect(keepPair(choices, '999999', '111111')).toEqual({ then: '222222', now: '111111' });
    expect(keepPair(choices, '444444', '999999')).toEqual({ then: '444444', now: '222222' });
    expect(keepPair(choices, '999999', '999999')).toEqual({ then: '111111', now: '222222' });
    // Two equal picks stay: the form says to pick two different ones.
    expect(keepPair(choices, '111111', '111111')).toEqual({ then: '111111', now: '111111' });
  });
});
