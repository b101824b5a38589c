//! REST calls of docs/protocol.md section 2 (same origin only): JSON in, JSON out, and the
//! server's `{"code", "message"}` on failure. No UI.

export type HttpResult<T> =
  | { ok: true; status: number; data: T }
  /** `code` is the server's error code, `network` when it could not be reached, `http` when the answer had none. */
  | { ok: false; status: number; code: string; message: string };

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A facilitator key, sent as `Authorization: Bearer …`. */
  key?: string;
  /** A value to send as JSON, or a string sent as it is (an imported file). */
  body?: unknown;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.key) headers.Authorization = `Bearer ${opts.key}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method: opts.method ?? 'GET', headers, body });
  } catch {
    return { ok: false, status: 0, code: 'network', message: '' };
  }
  // A 204 (a deleted session) has no body: read it empty, so that the request is finished.
  const data = (res.status === 204 ? await res.text().then(() => null, () => null) : await res.json().catch(() => null)) as unknown;
  if (res.ok) return { ok: true, status: res.status, data: data as T };
  const err = (data ?? {}) as { code?: unknown; message?: unknown };
  return {
    ok: false,
    status: res.status,
    code: typeof err.code === 'string' ? err.code : 'http',
    message: typeof err.message === 'string' ? err.message : '',
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
 * link cannot carry it. Answers the body and the file name the server suggests.
 */
export async function fetchFile(
  path: string,
  key: string,
): Promise<{ ok: true; blob: Blob; name: string | null } | { ok: false; status: number; code: string; message: string }> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { Authorization: `Bearer ${key}` }, cache: 'no-store' });
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
