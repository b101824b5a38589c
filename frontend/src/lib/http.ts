//! REST calls of docs/protocol.md section 2 (same origin only): JSON in, JSON out, and the
//! server's `{"code", "message"}` on failure. No UI.
//!
//! The one place that adds the CSRF header: a signed-in browser's POST, PUT and DELETE carry
//! `X-CSRF-Token` with the token of `GET /api/me` (the sign-in cookie itself is HttpOnly and
//! travels by itself on same-origin requests).

export type HttpResult<T> =
  | { ok: true; status: number; data: T }
  /**
   * `code` is the server's error code, `network` when it could not be reached, `http` when the answer had
   * none. `retryAfter`: the seconds of a `Retry-After` header (a 429), when there is one.
   */
  | { ok: false; status: number; code: string; message: string; retryAfter?: number };

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  /** A facilitator key, sent as `Authorization: Bearer …`; without it the sign-in cookie speaks. */
  key?: string | null;
  /** A value to send as JSON, or a string sent as it is (an imported file). */
  body?: unknown;
}

/** The header that carries the CSRF token. */
export const CSRF_HEADER = 'X-CSRF-Token';

let csrf: string | null = null;
/** A `GET /api/me` under way: a state change waits for it, so that it goes out with the token. */
let csrfPending: Promise<unknown> | null = null;

/** Remembers the CSRF token of the signed-in browser (`null` once signed out). */
export function setCsrfToken(token: string | null): void {
  csrf = token && token.length > 0 ? token : null;
}

export function csrfToken(): string | null {
  return csrf;
}

/** Lets state changes wait for `pending` (the answer that brings the token) before they go out. */
export function awaitCsrf(pending: Promise<unknown>): void {
  const settled = pending.then(
    () => undefined,
    () => undefined,
  );
  csrfPending = settled;
  void settled.then(() => {
    if (csrfPending === settled) csrfPending = null;
  });
}

/** True for the methods that change something on the server. */
export function changesState(method: Method): boolean {
  return method === 'POST' || method === 'PUT' || method === 'DELETE';
}

/** The headers of a request: JSON, the key if any, and the CSRF token on a state change once it is known. */
export function requestHeaders(
  method: Method,
  opts: { key?: string | null; json?: boolean },
  token: string | null = csrf,
): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  if (opts.json) headers['Content-Type'] = 'application/json';
  if (token && changesState(method)) headers[CSRF_HEADER] = token;
  return headers;
}

/** Seconds of a `Retry-After` header (a number of seconds or an HTTP date), or undefined. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<HttpResult<T>> {
  const method = opts.method ?? 'GET';
  if (changesState(method) && csrfPending) await csrfPending;
  const headers = requestHeaders(method, { key: opts.key, json: opts.body !== undefined });
  let body: string | undefined;
  if (opts.body !== undefined) body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body });
  } catch {
    return { ok: false, status: 0, code: 'network', message: '' };
  }
  // A 204 (a deleted session) has no body: read it empty, so that the request is finished.
  const data = (res.status === 204 ? await res.text().then(() => null, () => null) : await res.json().catch(() => null)) as unknown;
  if (res.ok) return { ok: true, status: res.status, data: data as T };
  const err = (data ?? {}) as { code?: unknown; message?: unknown };
  const retryAfter = retryAfterSeconds(res.headers.get('Retry-After'));
  return {
    ok: false,
    status: res.status,
    code: typeof err.code === 'string' ? err.code : 'http',
    message: typeof err.message === 'string' ? err.message : '',
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  };
}

/** Offers `text` as a file download named `name` (no request; a blob URL). */
export function download(name: string, text: string): void {
  saveBlob(name, new Blob([text], { type: 'application/json' }));
}

/** Offers `blob` as a file download named `name`. */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The text of a file the person picked. */
export function readFile(file: File): Promise<string> {
  return file.text();
}

/**
 * A file that needs the facilitator key (an export): fetched with the header, since a plain
 * link cannot carry it; without a key, the sign-in cookie. Answers the body and the file name
 * the server suggests.
 */
export async function fetchFile(
  path: string,
  key: string | null,
): Promise<{ ok: true; blob: Blob; name: string | null } | { ok: false; status: number; code: string; message: string }> {
  let res: Response;
  try {
    res = await fetch(path, { headers: key ? { Authorization: `Bearer ${key}` } : {}, cache: 'no-store' });
  } catch {
    return { ok: false, status: 0, code: 'network', message: '' };
  }
  if (!res.ok) {
    const err = ((await res.json().catch(() => null)) ?? {}) as { code?: unknown; message?: unknown };
    return {
      ok: false,
      status: res.status,
      code: typeof err.code === 'string' ? err.code : 'http',
      message: typeof err.message === 'string' ? err.message : '',
    };
  }
  return { ok: true, blob: await res.blob(), name: filenameFromDisposition(res.headers.get('Content-Disposition')) };
}

/** The file name of a `Content-Disposition: attachment; filename="…"` header, or null. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  if (!m) return null;
  let name = m[1];
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not percent-encoded: keep it as it is.
  }
  // Only a plain name, never a path.
  name = name.replace(/[\\/]/g, '_').trim();
  return name || null;
}

/**
 * The report page with its own Content-Security-Policy as a meta tag: opened from a blob URL it
 * loses the server's header, and should still run nothing and load nothing.
 */
export function withCsp(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;
  const head = /<head[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length);
  return meta + html;
}
