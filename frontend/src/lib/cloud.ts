//! Word-cloud layout: a stable order and a size and colour per word group, from the tally.
//! Pure and deterministic: the same tally gives the same cloud on every screen, and a new
//! count changes sizes only, never the order, so the cloud does not jump as votes arrive.

import type { WordGroup } from './types';

export interface CloudWord {
  text: string;
  count: number;
  /** Font size in em. */
  size: number;
  /** Weight 0–1 of this count between the least and the most frequent word. */
  weight: number;
  /** Index into the palette, fixed per word. */
  tone: number;
  hidden: boolean;
  filtered: boolean;
}

export interface CloudOptions {
  /** Font size of the least frequent word, in em. */
  minEm: number;
  /** Font size of the most frequent word in a small cloud, in em. */
  maxEm: number;
  /** Number of colours in the palette. */
  tones: number;
}

export const CLOUD_DEFAULTS: CloudOptions = { minEm: 1, maxEm: 4, tones: 5 };

/** FNV-1a over the UTF-16 code units: a fixed pseudo-random key per word. */
export function wordHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Sizes by count: the text's area grows with the count (size ∝ √count between the least and
 * the most frequent group); a cloud of many words gets a smaller top size so that it fits.
 * The order is by a hash of the word: scattered like a cloud, yet stable as counts change
 * and as words arrive (a new word slots in, the others keep their order).
 */
export function cloudLayout(words: readonly WordGroup[], options: Partial<CloudOptions> = {}): CloudWord[] {
  const { minEm, maxEm, tones } = { ...CLOUD_DEFAULTS, ...options };
  const n = words.length;
  if (n === 0) return [];
  const counts = words.map((w) => w.count);
  const cmax = Math.max(...counts);
  const cmin = Math.min(...counts);
  const fit = Math.min(1, Math.max(0.6, 1.15 - n / 200));
  const top = Math.max(minEm, maxEm * fit);
  return words
    .map((w) => {
      const weight = cmax === cmin ? (n === 1 ? 1 : 0.5) : Math.sqrt((w.count - cmin) / (cmax - cmin));
      const hash = wordHash(w.text);
      return {
        text: w.text,
        count: w.count,
        size: round2(minEm + (top - minEm) * weight),
        weight: round2(weight),
        tone: (hash >>> 8) % tones,
        hidden: w.hidden === true,
        filtered: w.filtered === true,
        hash,
      };
    })
    .sort((a, b) => a.hash - b.hash || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map(({ hash: _hash, ...word }) => word);
}

/** The words as people wrote them: each group's most common spelling in `text`, for clouds and lists that only show
 * words (moderation keeps the normalised `text`, which its commands name). */
export function asWritten<W extends WordGroup>(words: readonly W[]): W[] {
  return words.map((w) => (w.display && w.display !== w.text ? { ...w, text: w.display } : w));
}

/** Word groups for a list: most frequent first, then alphabetically (Swedish order). */
export function byCount(words: readonly WordGroup[]): WordGroup[] {
  return [...words].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text, 'sv'));
}
