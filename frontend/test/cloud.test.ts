//! Word-cloud layout: sizes by count, a stable order, colours fixed per word.

import { describe, expect, it } from 'vitest';
import { asWritten, byCount, cloudLayout } from '../src/lib/cloud';

const w = (text: string, count: number) => ({ text, count });

describe('word cloud', () => {
  it('shows each group as people wrote it, and the normalised word where no spelling came', () => {
    const groups = [{ text: 'babels torn', display: 'Babels torn', count: 3 }, w('framtid', 2)];
    expect(asWritten(groups).map((g) => g.text)).toEqual(['Babels torn', 'framtid']);
    expect(groups[0].text).toBe('babels torn');
  });

  it('gives the most frequent word the largest size and the least frequent the smallest', () => {
    const cloud = cloudLayout([w('framtid', 41), w('möjligheter', 17), w('oro', 1)], { minEm: 1, maxEm: 4 });
    const size = Object.fromEntries(cloud.map((c) => [c.text, c.size]));
    expect(size.framtid).toBe(4);
    expect(size.oro).toBe(1);
    expect(size.möjligheter).toBeGreaterThan(1);
    expect(size.möjligheter).toBeLessThan(4);
    // The area of the text follows the count: √(16/40) of the way up.
    expect(size.möjligheter).toBeCloseTo(1 + 3 * Math.sqrt(16 / 40), 1);
  });

  it('keeps its order when counts change, so words do not jump', () => {
    const before = cloudLayout([w('a', 5), w('b', 3), w('c', 1)]).map((c) => c.text);
    const after = cloudLayout([w('c', 9), w('a', 5), w('b', 4)]).map((c) => c.text);
    expect(after).toEqual(before);
  });

  it('slots a new word in without reordering the others', () => {
    const before = cloudLayout([w('framtid', 3), w('oro', 2), w('hopp', 1)]).map((c) => c.text);
    const after = cloudLayout([w('framtid', 3), w('oro', 2), w('hopp', 1), w('möjligheter', 1)]).map((c) => c.text);
    expect(after.filter((t) => t !== 'möjligheter')).toEqual(before);
  });

  it('is deterministic, with a colour fixed per word', () => {
    const words = [w('framtid', 3), w('oro', 2)];
    expect(cloudLayout(words)).toEqual(cloudLayout([...words].reverse()));
    const tone = cloudLayout(words).find((c) => c.text === 'oro')!.tone;
    expect(cloudLayout([w('oro', 40), w('x', 1)]).find((c) => c.text === 'oro')!.tone).toBe(tone);
  });

  it('sizes words of equal count alike, one lone word large, and a big cloud smaller', () => {
    expect(new Set(cloudLayout([w('a', 2), w('b', 2), w('c', 2)]).map((c) => c.size)).size).toBe(1);
    expect(cloudLayout([w('ensam', 1)], { maxEm: 4 })[0].size).toBe(4);
    const many = cloudLayout(Array.from({ length: 100 }, (_, i) => w(`ord${i}`, i + 1)), { minEm: 1, maxEm: 4 });
    expect(Math.max(...many.map((c) => c.size))).toBeLessThan(4);
    expect(Math.min(...many.map((c) => c.size))).toBe(1);
    expect(cloudLayout([])).toEqual([]);
  });

  it('keeps hidden and filtered flags for the facilitator', () => {
    const [c] = cloudLayout([{ text: 'fy', count: 2, hidden: true, filtered: true }]);
    expect(c).toMatchObject({ hidden: true, filtered: true });
  });

  it('lists words most frequent first, then in Swedish alphabetical order', () => {
    expect(byCount([w('ö', 1), w('a', 1), w('å', 1), w('z', 3)]).map((x) => x.text)).toEqual(['z', 'a', 'å', 'ö']);
  });
});
