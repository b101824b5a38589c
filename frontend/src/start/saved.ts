//! The facilitator's own list of sessions created in this browser ("Your sessions").
//! Pure parsing and updating; the page reads and writes the JSON through lib/storage.

export const SAVED_KEY = 'samsyn.sessions';

/** At most this many sessions are remembered; the oldest fall off. */
export const SAVED_MAX = 50;

export interface SavedSession {
  code: string;
  title: string;
  /** The facilitator link, with the key in its fragment. */
  facilitator: string;
  /** When it was created, ms since the epoch. */
  created: number;
}

function isSaved(value: unknown): value is SavedSession {
  const v = value as SavedSession;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.code === 'string' &&
    typeof v.title === 'string' &&
    typeof v.facilitator === 'string' &&
    typeof v.created === 'number'
  );
}

/** The stored list, newest first; anything unreadable is dropped rather than failing the page. */
export function parseSaved(json: string | null): SavedSession[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter(isSaved) : [];
  } catch {
    return [];
  }
}

/** Puts `entry` first, replacing an older entry with the same code. */
export function addSaved(list: SavedSession[], entry: SavedSession): SavedSession[] {
  return [entry, ...list.filter((s) => s.code !== entry.code)].slice(0, SAVED_MAX);
}

export function removeSaved(list: SavedSession[], code: string): SavedSession[] {
  return list.filter((s) => s.code !== code);
}
