//! Pure questions about a session: phase rules, agenda order, rounds, suggested level.

import { describe, expect, it } from 'vitest';
import {
  closedByNext,
  allowed,
  areaOf,
  currentItem,
  itemsByArea,
  nextItem,
  openRound,
  primaryStep,
  revealedRounds,
  scaleOf,
  suggestedLevel,
  visibleRounds,
  type Action,
} from '../src/lib/session';
import type { ChoiceTally, Phase, Spread } from '../src/lib/types';
import { choiceItem, item, round, session, wordsItem } from './fixtures';

const spread = (suggested: number | null): Spread => ({
  n: 3,
  not_relevant: 0,
  median: suggested,
  q1: null,
  q3: null,
  iqr: null,
  mode_share: null,
  within_one: null,
  consensus: null,
  two_camps: false,
  suggested,
});

describe('phase rules', () => {
  const table: Record<Action, Phase[]> = {
    open: ['pending'],
    close: ['voting'],
    reveal: ['voting', 'closed'],
    revote: ['closed', 'revealed'],
    lock: ['pending', 'closed', 'revealed'],
    reopen: ['locked'],
  };
  const phases: Phase[] = ['pending', 'voting', 'closed', 'revealed', 'locked'];

  it('follow the command table of the protocol', () => {
    for (const [action, ok] of Object.entries(table) as [Action, Phase[]][]) {
      for (const phase of phases) expect(allowed(action, phase), `${action} in ${phase}`).toBe(ok.includes(phase));
    }
  });

  it('offer one next step per phase that is itself allowed', () => {
    expect(phases.map((p) => primaryStep(p))).toEqual(['open', 'close', 'reveal', 'lock', 'next']);
    for (const phase of phases) {
      const step = primaryStep(phase);
      if (step !== 'next') expect(allowed(step, phase)).toBe(true);
    }
  });
});

describe('session questions', () => {
  it('find the current item and the next one', () => {
    const s = session({ current: 'L2' });
    expect(currentItem(s)?.id).toBe('L2');
    expect(nextItem(s, 'L2')?.id).toBe('I1');
    expect(nextItem(s, 'I1')).toBeNull();
    expect(nextItem(s, null)?.id).toBe('L1');
    expect(currentItem(session({ current: null }))).toBeNull();
  });

  it('group items by area in the session order, unknown areas last', () => {
    const s = session({ items: [item('L1'), item('X1'), item('I1'), item('L2')] });
    expect(itemsByArea(s).map((g) => [g.area?.id ?? null, g.items.map((i) => i.id)])).toEqual([
      ['L', ['L1', 'L2']],
      ['I', ['I1']],
      [null, ['X1']],
    ]);
  });

  it('know the open round and the revealed ones', () => {
    const it1 = item('L1', {
      phase: 'voting',
      rounds: [
        round({ number: 1, open: false, revealed: true, tally: { counts: [0, 1, 2, 0, 0], not_relevant: 0 } }),
        round({ number: 2, open: true }),
      ],
    });
    expect(openRound(it1)?.number).toBe(2);
    expect(revealedRounds(it1).map((r) => r.number)).toEqual([1]);
    expect(openRound(item('L2'))).toBeNull();
  });

  it('suggest the newest round’s level for the lock', () => {
    const it1 = item('L1', {
      rounds: [round({ number: 1, spread: spread(2) }), round({ number: 2, spread: spread(4) })],
    });
    expect(suggestedLevel(it1)).toBe(4);
    const it2 = item('L2', { rounds: [round({ number: 1, spread: spread(3) }), round({ number: 2, spread: spread(null) })] });
    expect(suggestedLevel(it2)).toBe(3);
    expect(suggestedLevel(item('L3'))).toBeNull();
  });
});

describe('kinds', () => {
  it('lock and reopen scale items only', () => {
    for (const kind of ['choice', 'points', 'words'] as const) {
      expect(allowed('lock', 'revealed', kind)).toBe(false);
      expect(allowed('reopen', 'locked', kind)).toBe(false);
      expect(allowed('reveal', 'voting', kind)).toBe(true);
      expect(allowed('revote', 'revealed', kind)).toBe(true);
    }
    expect(allowed('lock', 'revealed', 'scale')).toBe(true);
  });

  it('offer "next" after a reveal of an item that cannot be locked', () => {
    expect(primaryStep('revealed', 'scale')).toBe('lock');
    expect(primaryStep('revealed', 'words')).toBe('next');
    expect(primaryStep('voting', 'choice')).toBe('close');
  });

  it('find the scale of a scale item in session.scales', () => {
    const s = session();
    expect(scaleOf(s, item('L1'))?.levels).toHaveLength(5);
    expect(scaleOf(s, item('X', { scale: 'missing' }))).toBeNull();
    expect(scaleOf(s, choiceItem('hot'))).toBeNull();
    expect(suggestedLevel(choiceItem('hot'))).toBeNull();
  });

  it('list a seminar without areas as one group, and its items have no area', () => {
    const s = session({ areas: [], catalogue: null, items: [choiceItem('hot'), wordsItem('ord')] });
    expect(itemsByArea(s).map((g) => [g.area, g.items.map((i) => i.id)])).toEqual([[null, ['hot', 'ord']]]);
    expect(areaOf(s, s.items[0])).toBeNull();
    expect(itemsByArea(session({ areas: [], items: [] }))).toEqual([]);
  });

  it('put items without an area last in a workshop', () => {
    const s = session({ items: [choiceItem('hot'), item('L1')] });
    expect(itemsByArea(s).map((g) => [g.area?.id ?? null, g.items.map((i) => i.id)])).toEqual([
      ['L', ['L1']],
      [null, ['hot']],
    ]);
  });

  it('show every round whose tally was sent: live ones too', () => {
    const rounds = [
      round<ChoiceTally>({ number: 1, open: false, revealed: true, tally: { counts: [1, 2] } }),
      round<ChoiceTally>({ number: 2, open: true, revealed: false, tally: { counts: [3, 0] } }),
      round<ChoiceTally>({ number: 3, open: true, revealed: false, tally: null }),
    ];
    expect(visibleRounds(rounds).map((r) => r.number)).toEqual([1, 2]);
  });
});

describe('next', () => {
  it('closes the voting it leaves behind, and the one everyone sees, but not the next item', () => {
    const a = choiceItem('a', { phase: 'voting', rounds: [round()] });
    const b = choiceItem('b');
    const c = choiceItem('c', { phase: 'voting', rounds: [round()] });
    const s = session({ items: [a, b, c], current: 'c' });
    expect(closedByNext(s, a, b).map((i) => i.id)).toEqual(['a', 'c']);
    expect(closedByNext(session({ items: [a, b, c], current: 'a' }), a, b).map((i) => i.id)).toEqual(['a']);
    expect(closedByNext(session({ items: [a, b, c], current: 'c' }), b, c)).toEqual([]);
  });

  it('closes nothing after a reveal or a lock (the workshop flow)', () => {
    const a = item('L1', { phase: 'revealed', rounds: [round({ open: false, revealed: true })] });
    const s = session({ items: [a, item('L2')], current: 'L1' });
    expect(closedByNext(s, a, s.items[1])).toEqual([]);
  });
});
