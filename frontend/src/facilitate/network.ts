//! Which address phones should use to join, from `GET /api/server` and the address the console was opened on.

/** What `GET /api/server` answers. */
export interface ServerInfo {
  loopback_only: boolean;
  join_base: string | null;
}

/** True for names that only reach this machine: a phone opening them reaches itself. */
export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}

/**
 * The join link's base and whether to warn. A console opened on localhost shows the server's LAN address (or
 * `--public-url`) instead, and warns when the server listens on loopback only, since no phone can reach it then.
 */
export function joinBase(info: ServerInfo | null, origin: string, hostname: string): { base: string; unreachable: boolean } {
  if (!info || !isLoopbackHost(hostname)) return { base: origin, unreachable: false };
  if (info.loopback_only || !info.join_base) return { base: origin, unreachable: true };
  return { base: info.join_base, unreachable: false };
}
