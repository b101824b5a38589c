//! localStorage that never throws (private browsing, storage disabled, quota).
//! Keys used by Samsyn all start with "samsyn.".

export function readStore(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function writeStore(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Not stored: the page still works, it just forgets on reload.
  }
}

export function removeStore(key: string): void {
  try {
    globalThis.localStorage?.removeItem(key);
  } catch {
    // Nothing to do.
  }
}

/** Where a phone keeps its resume token for one session. */
export function tokenKey(code: string): string {
  return `samsyn.token.${code}`;
}
