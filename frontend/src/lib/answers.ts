//! Pure rules of a participant's answer by kind: the choice selection, the points budget,
//! and a word checked before it is sent. Mirrors docs/protocol.md; the server decides.
//! No DOM, no socket.

// ---- choice ----

/** Options chosen, ascending, with `index` toggled (multiple choice). */
export function toggleOption(selection: readonly number[], index: number): number[] {
  const next = selection.includes(index) ? selection.filter((i) => i !== index) : [...selection, index];
  return next.sort((a, b) => a - b);
}

/** Whether two selections hold the same options, whatever their order. */
export function sameSelection(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (!a || !b || a.length !== b.length) return false;
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  return sa.every((v, i) => v === sb[i]);
}

// ---- points ----

export function pointsSum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Why a points answer cannot be sent: nothing given, over the budget, or not whole numbers ≥ 0. */
export type PointsProblem = 'zero' | 'over' | 'invalid';

/** The server takes whole numbers ≥ 0 adding up to at least 1 and at most `budget`. */
export function pointsProblem(values: readonly number[], budget: number): PointsProblem | null {
  if (values.some((v) => !Number.isInteger(v) || v < 0)) return 'invalid';
  const sum = pointsSum(values);
  if (sum === 0) return 'zero';
  if (sum > budget) return 'over';
  return null;
}

/** What a person typed into a points field as a whole number ≥ 0 (empty = 0); null if unreadable. */
export function parsePoints(input: string): number | null {
  const t = input.trim();
  if (t === '') return 0;
  if (!/^\d{1,7}$/.test(t)) return null;
  return Number(t);
}

/**
 * `values` with option `index` moved by `delta`: never below 0, and a step up never takes
 * the sum past the budget (it stops at what is left). Typing may still go over; the
 * answer then cannot be sent until it is brought back.
 */
export function stepPoints(values: readonly number[], index: number, delta: number, budget: number): number[] {
  const next = [...values];
  const current = next[index] ?? 0;
  if (delta >= 0) {
    const left = Math.max(0, budget - pointsSum(values));
    next[index] = current + Math.min(delta, left);
  } else {
    next[index] = Math.max(0, current + delta);
  }
  return next;
}

// ---- words ----

/**
 * Close to the server's normalisation: Unicode NFKC, lower case, invisible and control
 * characters removed, spaces trimmed and collapsed; letters are never folded (å stays å).
 * Used to spot a duplicate before sending; the server's answer is what counts.
 */
export function normaliseWord(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{Cc}\p{Cf}]/gu, (c) => (/\s/.test(c) ? ' ' : ''))
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Why a word is refused, by the client before sending or by the server (`invalid_word` …). */
export type WordProblem = 'empty' | 'too_long' | 'no_letter' | 'markup' | 'duplicate' | 'too_many' | 'invalid';

/** Length in characters (code points), as the server counts `max_chars`. */
export function charCount(text: string): number {
  return [...text].length;
}

/**
 * Checks a word against the item's rules before it is sent. `sent` holds the words already
 * sent in this round (stored or on their way), normalised.
 */
export function checkWord(
  text: string,
  rules: { max_words: number; max_chars: number },
  sent: readonly string[],
): { word: string; problem: WordProblem | null } {
  const word = normaliseWord(text);
  let problem: WordProblem | null = null;
  if (sent.length >= rules.max_words) problem = 'too_many';
  else if (word === '') problem = 'empty';
  else if (/[<>{}]/.test(word)) problem = 'markup';
  else if (!/[\p{L}\p{N}]/u.test(word)) problem = 'no_letter';
  else if (charCount(word) > rules.max_chars) problem = 'too_long';
  else if (sent.includes(word)) problem = 'duplicate';
  return { word, problem };
}

/** The client-side problem for a server error code of a `word` command, if it is one. */
export function wordProblemOf(code: string): WordProblem | null {
  switch (code) {
    case 'duplicate_word':
      return 'duplicate';
    case 'too_many_words':
      return 'too_many';
    case 'invalid_word':
      return 'invalid';
    default:
      return null;
  }
}
