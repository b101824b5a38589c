//! The room word on the projector: fetched from `GET /api/sessions/{code}/room-word` with the rights of
//! whoever opened the screen (the console's key, carried in the fragment, or the sign-in cookie), again
//! whenever the word's number changes, and shown large beside the way in. A screen that may not read
//! it says that answers need a word the facilitator shows.

import { useEffect, useState } from 'preact/hooks';
import { translate as tr, type Lang } from '../lib/i18n';
import { keyFromHash } from '../lib/path';
import { screen } from './strings';

/** What the screen shows of the room word: nothing (none needed), the word, or only that there is one. */
export type RoomWordShown = null | { number: number; word: string | null; refused: boolean };

/** The part of `sessionStorage` the key is kept in. */
interface StoreLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function screenKeyName(code: string): string {
  return `samsyn.screenkey.${code}`;
}

function tabStore(): StoreLike | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * The facilitator key the screen was opened with: from the fragment, then kept for this tab only, so
 * that the address no longer shows it (a projector shows the address bar before it goes full screen)
 * and a reload still has it. Null when the screen was opened without one.
 */
export function takeScreenKey(code: string, hash: string, store: StoreLike | null = tabStore()): { key: string | null; strip: boolean } {
  const fromHash = keyFromHash(hash);
  if (fromHash) {
    try {
      store?.setItem(screenKeyName(code), fromHash);
    } catch {
      // Not kept: the address keeps it instead.
      return { key: fromHash, strip: false };
    }
    return { key: fromHash, strip: store !== null };
  }
  try {
    return { key: store?.getItem(screenKeyName(code)) ?? null, strip: false };
  } catch {
    return { key: null, strip: false };
  }
}

/** Seconds before asking again after the server could not be reached or answered with a failure. */
const RETRY_MS = 5000;

/**
 * The room word while the session has one (`number` not null), fetched once per number. A `401` or
 * `403` (a screen opened without the key by someone not signed in) gives `refused`.
 */
export function useRoomWord(code: string | null, number: number | null, key: string | null): RoomWordShown {
  const [shown, setShown] = useState<RoomWordShown>(null);
  useEffect(() => {
    if (code === null || number === null) {
      setShown(null);
      return undefined;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Until the new word is here, the old one must not stay on the screen.
    setShown((s) => (s && s.number === number ? s : { number, word: null, refused: false }));
    const load = () => {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (key) headers.Authorization = `Bearer ${key}`;
      fetch(`/api/sessions/${encodeURIComponent(code)}/room-word`, { credentials: 'same-origin', headers, cache: 'no-store' })
        .then(async (res) => {
          if (!live) return;
          if (res.status === 401 || res.status === 403) {
            setShown({ number, word: null, refused: true });
            return;
          }
          if (!res.ok) throw new Error(String(res.status));
          const body = (await res.json()) as { word?: unknown };
          if (!live) return;
          // No word (turned off meanwhile): the next state says so; until then show that one is on.
          setShown({ number, word: typeof body.word === 'string' && body.word ? body.word : null, refused: false });
        })
        .catch(() => {
          if (live) timer = setTimeout(load, RETRY_MS);
        });
    };
    load();
    return () => {
      live = false;
      if (timer !== null) clearTimeout(timer);
    };
  }, [code, number, key]);
  return number === null ? null : shown;
}

/**
 * The room word, large: in the lobby under the code, and in the join bar once an item is open. Drawn in
 * capitals (CSS, so a screen reader still says the word) to read from the back of the room; phones may
 * type it in any case.
 */
export function RoomWordShow({ shown, lang, large = false }: { shown: RoomWordShown; lang: Lang; large?: boolean }) {
  if (!shown) return null;
  const cls = large ? 'st-room-word is-large' : 'st-room-word';
  if (shown.word === null) {
    return (
      <p class={`${cls} is-hidden`}>
        <span class="st-room-word-label">{tr(lang, screen.roomWord)}:</span>{' '}
        <span class="st-room-word-note">{shown.refused ? tr(lang, screen.roomWordElsewhere) : '…'}</span>
      </p>
    );
  }
  return (
    <p class={cls}>
      <span class="st-room-word-label">{tr(lang, screen.roomWord)}:</span>{' '}
      <strong class="st-room-word-word">{shown.word}</strong>
    </p>
  );
}
