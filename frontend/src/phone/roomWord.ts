//! The room word on the phone: the word the person typed, remembered for this tab per session code and
//! word number (sessionStorage), so that a reload keeps it and a new word on the screen asks again. Pure
//! apart from the storage, which is passed in (and never throws).

/** The part of `sessionStorage` used here. */
export interface StoreLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A word the person typed for the room word with this number. */
export interface KnownWord {
  number: number;
  word: string;
}

/** Where a tab keeps the room word it was given for one session. */
export function roomWordKey(code: string): string {
  return `samsyn.roomword.${code}`;
}

/** The tab's sessionStorage, or null where there is none (or it may not be used). */
export function tabStore(): StoreLike | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** The word remembered for session `code`, whatever its number; null when none (or unreadable). */
export function readKnownWord(store: StoreLike | null, code: string): KnownWord | null {
  let raw: string | null = null;
  try {
    raw = store?.getItem(roomWordKey(code)) ?? null;
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<KnownWord>;
    if (typeof v.number === 'number' && Number.isInteger(v.number) && typeof v.word === 'string' && v.word.length > 0) {
      return { number: v.number, word: v.word };
    }
  } catch {
    // Not ours: as if nothing were stored.
  }
  return null;
}

export function rememberWord(store: StoreLike | null, code: string, known: KnownWord): void {
  try {
    store?.setItem(roomWordKey(code), JSON.stringify(known));
  } catch {
    // Not stored: the word is asked for again after a reload.
  }
}

export function forgetWord(store: StoreLike | null, code: string): void {
  try {
    store?.removeItem(roomWordKey(code));
  } catch {
    // Nothing to do.
  }
}

/** The word to send with answers while the room word `number` is on: the known one if it is for that number. */
export function wordFor(known: KnownWord | null, number: number): string | null {
  return known !== null && known.number === number ? known.word : null;
}

/** Problems with a typed room word that the phone can tell before the server does. */
export type TypedWordProblem = 'empty' | 'form';

/**
 * The typed word as it is sent (spaces around it dropped), or why it cannot be the room word: the server
 * takes one word of 2 to 24 letters or digits, in any case.
 */
export function checkTypedWord(text: string): { word: string; problem: TypedWordProblem | null } {
  const word = text.trim();
  if (word.length === 0) return { word, problem: 'empty' };
  const chars = [...word];
  if (chars.length < 2 || chars.length > 24 || !/^[\p{L}\p{N}]+$/u.test(word)) return { word, problem: 'form' };
  return { word, problem: null };
}

/**
 * Whether a refusal (`wrong_room_word`) of an answer sent with `sent` means the phone's word is wrong:
 * yes when it was sent with the word the phone knows now (or with none); an answer sent with an earlier
 * word, refused after the person typed the new one, says nothing about the new one.
 */
export function refusalMeansWrong(sent: string | undefined, known: string | null): boolean {
  if (sent === undefined || known === null) return true;
  return sent.trim().toLowerCase() === known.trim().toLowerCase();
}
