//! REST calls of docs/protocol.md section 2 (same origin only): JSON in, JSON out, and the
//! server's `{"code", "message"}` on failure. No UI.

export type HttpResult<T> =
  | { ok: true; status: number; data: T }
  /** `code` is the server's error code, `network` when it could not be reached, `http` when the answer had none. */
  | { ok: false; status: number; code: string; message: string };

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT';
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
  const data = (await res.json().catch(() => null)) as unknown;
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
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
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
