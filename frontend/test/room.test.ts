//! Keeping a room's answers the room's, the pure parts: the console's room words and picker, the burst
//! warning in both languages; the phone's memory of the
//! word per session and number; the projector's key from the console's link; the link itself.

import { describe, expect, it } from 'vitest';
import { ROOM_WORDS, pickRoomWord, secureRandom } from '../src/facilitate/room';
import { fac } from '../src/facilitate/strings';
import { translate as tr } from '../src/lib/i18n';
import {
  checkTypedWord,
  forgetWord,
  readKnownWord,
  refusalMeansWrong,
  rememberWord,
  roomWordKey,
  wordFor,
  type StoreLike,
} from '../src/phone/roomWord';
import { screenHref } from '../src/screen/params';
import { takeScreenKey } from '../src/screen/room';

/** A sessionStorage of our own; `broken` throws like a browser whose storage is disabled. */
function memoryStore(broken = false): StoreLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  const check = () => {
    if (broken) throw new Error('SecurityError');
  };
  return {
    data,
    getItem: (k) => (check(), data.get(k) ?? null),
    setItem: (k, v) => (check(), void data.set(k, v)),
    removeItem: (k) => (check(), void data.delete(k)),
  };
}

/** Letters two words differ by when one is typed for the other: substitutions, insertions, deletions. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

describe('room words', () => {
  it('are about sixty short words of a–z only, each once, that the server takes as a room word', () => {
    expect(ROOM_WORDS.length).toBeGreaterThanOrEqual(55);
    expect(ROOM_WORDS.length).toBeLessThanOrEqual(70);
    expect(new Set(ROOM_WORDS).size).toBe(ROOM_WORDS.length);
    for (const w of ROOM_WORDS) {
      expect(w).toMatch(/^[a-z]{4,7}$/);
      expect(checkTypedWord(w).problem).toBeNull();
    }
  });

  it('are never one slip of a finger from another, so a typo is not another word', () => {
    const close: string[] = [];
    for (let i = 0; i < ROOM_WORDS.length; i++) {
      for (let j = i + 1; j < ROOM_WORDS.length; j++) {
        if (distance(ROOM_WORDS[i], ROOM_WORDS[j]) < 2) close.push(`${ROOM_WORDS[i]}/${ROOM_WORDS[j]}`);
      }
    }
    expect(close).toEqual([]);
  });

  it('hold nothing rude or easily misread in Swedish or English', () => {
    const rude = /kuk|fitt|hora|slut|fart|kiss|bajs|piss|knul|cock|dick|arse|shit|fuck|cunt|twat|porr|sex|neger|nigg|prick|bitch|damn|hell/;
    expect(ROOM_WORDS.filter((w) => rude.test(w))).toEqual([]);
  });

  it('are picked by the random number, and a new word is never the one on the screen', () => {
    expect(pickRoomWord(() => 0)).toBe(`${ROOM_WORDS[0]}10`);
    expect(pickRoomWord(() => 0.999999)).toBe(`${ROOM_WORDS[ROOM_WORDS.length - 1]}99`);
    expect(pickRoomWord(() => 1)).toBe(`${ROOM_WORDS[ROOM_WORDS.length - 1]}99`);
    expect(pickRoomWord(() => 0, `${ROOM_WORDS[0]}10`)).toBe(`${ROOM_WORDS[0]}11`);
    expect(pickRoomWord(() => 0.999999, ` ${ROOM_WORDS[ROOM_WORDS.length - 1].toUpperCase()}99 `)).toBe(
      `${ROOM_WORDS[ROOM_WORDS.length - 1]}10`,
    );
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const w = pickRoomWord(secureRandom, 'tomat42');
      expect(w).toMatch(/^[a-z]+[1-9][0-9]$/);
      expect(ROOM_WORDS).toContain(w.replace(/[0-9]+$/, ''));
      expect(w).not.toBe('tomat42');
      seen.add(w);
    }
    expect(seen.size).toBeGreaterThan(150);
  });

  it('come from the cryptographic source in [0, 1)', () => {
    for (let i = 0; i < 100; i++) {
      const r = secureRandom();
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThan(1);
    }
  });
});

describe('a burst of new phones', () => {
  it('is told in both languages, one phone or many', () => {
    expect(tr('sv', fac.burstWarning, { count: 31 })).toBe('31 nya telefoner anslöt från samma nätverk inom en minut.');
    expect(tr('en', fac.burstWarning, { count: 1 })).toBe('1 more new phone joined from the same network within a minute.');
    expect(tr('en', fac.leftOutCount, { count: 1200 })).toBe('1,200 participants are left out of the count.');
    expect(tr('sv', fac.leftOutCount, { count: 1 })).toBe('1 deltagare räknas inte med.');
  });
});

describe("the phone's room word", () => {
  it('is remembered per session code, with its number, and used only for that number', () => {
    const store = memoryStore();
    expect(readKnownWord(store, '482913')).toBeNull();
    rememberWord(store, '482913', { number: 2, word: 'kanel' });
    expect(store.data.get(roomWordKey('482913'))).toBe('{"number":2,"word":"kanel"}');
    const known = readKnownWord(store, '482913');
    expect(known).toEqual({ number: 2, word: 'kanel' });
    expect(readKnownWord(store, '111111')).toBeNull();
    expect(wordFor(known, 2)).toBe('kanel');
    // A new word on the screen: ask again.
    expect(wordFor(known, 3)).toBeNull();
    expect(wordFor(null, 2)).toBeNull();
    forgetWord(store, '482913');
    expect(readKnownWord(store, '482913')).toBeNull();
  });

  it('is forgotten quietly when the storage holds something else or cannot be used', () => {
    const store = memoryStore();
    for (const junk of ['nonsense', '{"number":"2","word":"x"}', '{"number":2,"word":""}', '{"number":1.5,"word":"a"}', 'null']) {
      store.data.set(roomWordKey('482913'), junk);
      expect(readKnownWord(store, '482913')).toBeNull();
    }
    const broken = memoryStore(true);
    expect(() => rememberWord(broken, '482913', { number: 1, word: 'kanel' })).not.toThrow();
    expect(readKnownWord(broken, '482913')).toBeNull();
    expect(() => forgetWord(broken, '482913')).not.toThrow();
    expect(readKnownWord(null, '482913')).toBeNull();
  });

  it('is checked for its form before it is tried: one word of 2 to 24 letters or digits', () => {
    expect(checkTypedWord('  Kanel ')).toEqual({ word: 'Kanel', problem: null });
    expect(checkTypedWord('ÄPPLE')).toEqual({ word: 'ÄPPLE', problem: null });
    expect(checkTypedWord('b12')).toEqual({ word: 'b12', problem: null });
    expect(checkTypedWord('   ').problem).toBe('empty');
    expect(checkTypedWord('k').problem).toBe('form');
    expect(checkTypedWord('två ord').problem).toBe('form');
    expect(checkTypedWord('kanel!').problem).toBe('form');
    expect(checkTypedWord('a'.repeat(25)).problem).toBe('form');
    expect(checkTypedWord('a'.repeat(24)).problem).toBeNull();
  });

  it('is wrong when an answer sent with it (or with none) is refused, not when an earlier word was', () => {
    expect(refusalMeansWrong('kanel', 'kanel')).toBe(true);
    expect(refusalMeansWrong(' KANEL', 'kanel')).toBe(true);
    expect(refusalMeansWrong(undefined, 'kanel')).toBe(true);
    expect(refusalMeansWrong('tomat', null)).toBe(true);
    expect(refusalMeansWrong('tomat', 'kanel')).toBe(false);
  });
});

describe("the projector's key", () => {
  it('travels in the fragment of the link the console opens, never in the query', () => {
    const key = 'ab'.repeat(32);
    expect(screenHref('123456', 'sv', false, false, key)).toBe(`/screen/123456?lang=sv#key=${key}`);
    expect(screenHref('123456', 'en', true, true, key)).toBe(`/screen/123456?lang=en&words=list&theme=dark#key=${key}`);
    expect(screenHref('123456', 'sv', false, false, null)).toBe('/screen/123456?lang=sv');
  });

  it('is kept for the tab and taken out of the address, so a reload still has it', () => {
    const store = memoryStore();
    const key = 'cd'.repeat(32);
    expect(takeScreenKey('123456', `#key=${key}`, store)).toEqual({ key, strip: true });
    expect(takeScreenKey('123456', '', store)).toEqual({ key, strip: false });
    expect(takeScreenKey('654321', '', store)).toEqual({ key: null, strip: false });
    // Without a storage the address keeps it.
    expect(takeScreenKey('123456', `#key=${key}`, memoryStore(true))).toEqual({ key, strip: false });
    expect(takeScreenKey('123456', `#key=${key}`, null)).toEqual({ key, strip: false });
    expect(takeScreenKey('123456', '', memoryStore(true))).toEqual({ key: null, strip: false });
  });
});
