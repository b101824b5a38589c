//! The room, as the console keeps it the room's: the built-in room words and the picker. Pure.

/**
 * Room words: short, common, easy to read off a projector and to type on any phone's keyboard (a–z
 * only, 4 to 7 letters), none offensive in Swedish or English, none a letter away from another.
 */
export const ROOM_WORDS: readonly string[] = [
  'kanel', 'tomat', 'banan', 'citron', 'melon', 'morot', 'gurka', 'vanilj', 'mango', 'kiwi',
  'oliv', 'ananas', 'lejon', 'tiger', 'zebra', 'panda', 'koala', 'delfin', 'pingvin', 'uggla',
  'falk', 'svan', 'hummer', 'raket', 'planet', 'komet', 'kompass', 'ballong', 'gitarr', 'trumma',
  'piano', 'cykel', 'tunnel', 'fyrtorn', 'vulkan', 'lagun', 'kaktus', 'tulpan', 'sommar', 'vinter',
  'storm', 'dimma', 'bambu', 'pensel', 'kamera', 'lykta', 'saga', 'ekorre', 'valross', 'sardin',
  'pumpa', 'russin', 'kokos', 'honung', 'safari', 'matros', 'tennis', 'ankare', 'karta', 'robot',
  'giraff', 'bison',
];

/** A number in [0, 1) from the browser's cryptographic source, so the next word cannot be foreseen. */
export function secureRandom(): number {
  const c = globalThis.crypto;
  if (c?.getRandomValues) {
    const a = new Uint32Array(1);
    c.getRandomValues(a);
    return a[0] / 2 ** 32;
  }
  return Math.random();
}

/**
 * A room word at random: a word of the list and a number from 10 to 99 ("kanel47"), never `current` (a
 * new word must differ from the one on the screen). The list ships in this page, so the number makes
 * about 5,600 words to guess instead of 62, while the server lets each phone miss only a few a minute.
 */
export function pickRoomWord(random: () => number = secureRandom, current: string | null = null): string {
  const now = current?.trim().toLowerCase() ?? null;
  const pick = (n: number) => Math.floor(Math.min(Math.max(random(), 0), 1 - Number.EPSILON) * n);
  const word = ROOM_WORDS[pick(ROOM_WORDS.length)];
  const number = 10 + pick(90);
  const candidate = `${word}${number}`;
  return candidate === now ? `${word}${number === 99 ? 10 : number + 1}` : candidate;
}
