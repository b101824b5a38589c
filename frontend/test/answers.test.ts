//! Answer rules by kind: the choice selection, the points budget, words checked before sending.

import { describe, expect, it } from 'vitest';
import {
  checkWord,
  normaliseWord,
  parsePoints,
  pointsProblem,
  sameSelection,
  stepPoints,
  toggleOption,
  wordProblemOf,
} from '../src/lib/answers';

describe('choice', () => {
  it('toggles options and keeps them in order', () => {
    expect(toggleOption([], 2)).toEqual([2]);
    expect(toggleOption([2], 0)).toEqual([0, 2]);
    expect(toggleOption([0, 2], 2)).toEqual([0]);
  });

  it('compares selections whatever their order', () => {
    expect(sameSelection([2, 0], [0, 2])).toBe(true);
    expect(sameSelection([0], [0, 1])).toBe(false);
    expect(sameSelection(null, [])).toBe(false);
  });
});

describe('points', () => {
  it('may be sent when whole, at least 1 in all and within the budget', () => {
    expect(pointsProblem([50, 20, 30], 100)).toBeNull();
    expect(pointsProblem([1, 0, 0], 100)).toBeNull();
    expect(pointsProblem([0, 0, 0], 100)).toBe('zero');
    expect(pointsProblem([60, 50, 0], 100)).toBe('over');
    expect(pointsProblem([1.5, 0, 0], 100)).toBe('invalid');
    expect(pointsProblem([-1, 5, 0], 100)).toBe('invalid');
  });

  it('read what was typed', () => {
    expect(parsePoints('')).toBe(0);
    expect(parsePoints(' 35 ')).toBe(35);
    expect(parsePoints('3,5')).toBeNull();
    expect(parsePoints('-2')).toBeNull();
  });

  it('step up no further than the points left, and never below 0', () => {
    expect(stepPoints([60, 30, 0], 2, 5, 100)).toEqual([60, 30, 5]);
    expect(stepPoints([60, 37, 0], 2, 5, 100)).toEqual([60, 37, 3]);
    expect(stepPoints([60, 40, 0], 2, 1, 100)).toEqual([60, 40, 0]);
    expect(stepPoints([3, 0, 0], 0, -5, 100)).toEqual([0, 0, 0]);
    expect(stepPoints([10, 0, 0], 0, -1, 100)).toEqual([9, 0, 0]);
  });
});

describe('words', () => {
  const rules = { max_words: 3, max_chars: 10 };

  it('normalise like the server: NFKC, lower case, invisible characters out, spaces collapsed', () => {
    expect(normaliseWord('  Framtid ')).toBe('framtid');
    expect(normaliseWord('Får\u200b  VI')).toBe('får vi');
    expect(normaliseWord('ｆｕｌｌ')).toBe('full');
    expect(normaliseWord('ÅÄÖ')).toBe('åäö');
    expect(normaliseWord('far')).not.toBe(normaliseWord('får'));
  });

  it('are checked before sending', () => {
    expect(checkWord(' Framtid ', rules, [])).toEqual({ word: 'framtid', problem: null });
    expect(checkWord('   ', rules, []).problem).toBe('empty');
    expect(checkWord('<b>', rules, []).problem).toBe('markup');
    expect(checkWord('!!!', rules, []).problem).toBe('no_letter');
    expect(checkWord('digitalisering', rules, []).problem).toBe('too_long');
    expect(checkWord('FRAMTID', rules, ['framtid']).problem).toBe('duplicate');
    expect(checkWord('oro', rules, ['a', 'b', 'c']).problem).toBe('too_many');
    expect(checkWord('åäö', { max_words: 3, max_chars: 3 }, []).problem).toBeNull();
  });

  it('map the server refusals to the phone texts', () => {
    expect(wordProblemOf('duplicate_word')).toBe('duplicate');
    expect(wordProblemOf('too_many_words')).toBe('too_many');
    expect(wordProblemOf('invalid_word')).toBe('invalid');
    expect(wordProblemOf('round_closed')).toBeNull();
  });
});
