//! The catalogue library of the organisation page (issue 19, docs/protocol.md section 2): every
//! catalogue version the member may use, grouped by catalogue id with the newest version first;
//! fetching a version, starting a workshop on it, retiring or deleting an import, the sessions that
//! used a version, and importing a file. REST only, through lib/http (which adds the CSRF header); no UI.

import type { Role } from './account';
import { canRun } from './account';
import { pick, type Lang } from './i18n';
import { request, type HttpResult } from './http';
import type { CreatedSession, Text } from './types';

/** One version as `GET /api/catalogues` lists it. */
export interface LibraryVersion {
  id: string;
  version: string;
  title: Text;
  indicators: number;
  built_in: boolean;
  retired: boolean;
  /** The importing organisation's id; null for a built-in or unowned one. */
  organisation: string | null;
}

/** A catalogue with its versions, newest first. */
export interface LibraryCatalogue {
  id: string;
  /** The newest version's title. */
  title: Text;
  built_in: boolean;
  versions: LibraryVersion[];
}

/** A session that used a version (`GET …/versions/{version}/sessions`). */
export interface VersionSession {
  code: string;
  title: string;
  created_at: number;
  organisation: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A title as `{sv, en}`: a plain string serves both, a missing language takes the other. */
function toText(v: unknown, fallback: string): Text {
  if (typeof v === 'string') return { sv: v, en: v };
  if (isRecord(v)) {
    const sv = typeof v.sv === 'string' ? v.sv : '';
    const en = typeof v.en === 'string' ? v.en : '';
    if (sv || en) return { sv: sv || en, en: en || sv };
  }
  return { sv: fallback, en: fallback };
}

/** The list as the page uses it; entries without an id and a version are left out. */
export function parseLibrary(value: unknown): LibraryVersion[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v): LibraryVersion[] =>
    isRecord(v) && typeof v.id === 'string' && typeof v.version === 'string'
      ? [
          {
            id: v.id,
            version: v.version,
            title: toText(v.title, v.id),
            indicators: typeof v.indicators === 'number' ? v.indicators : 0,
            built_in: v.built_in === true,
            retired: v.retired === true,
            organisation: typeof v.organisation === 'string' ? v.organisation : null,
          },
        ]
      : [],
  );
}

export function parseVersionSessions(value: unknown): VersionSession[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((s): VersionSession[] =>
    isRecord(s) && typeof s.code === 'string'
      ? [
          {
            code: s.code,
            title: typeof s.title === 'string' ? s.title : '',
            created_at: typeof s.created_at === 'number' ? s.created_at : 0,
            organisation: typeof s.organisation === 'string' ? s.organisation : '',
          },
        ]
      : [],
  );
}

/**
 * Compares two version names as a person reads them: numbers by value (`2026.10` after `2026.9`),
 * other parts as text. Negative when `a` comes before (is older than) `b`.
 */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.\-_ ]+/).filter((p) => p !== '');
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : null;
    const ny = /^\d+$/.test(y) ? Number(y) : null;
    let c: number;
    if (nx !== null && ny !== null) c = nx - ny;
    else if (nx !== null) c = -1;
    else if (ny !== null) c = 1;
    else c = x.localeCompare(y, 'sv');
    if (c !== 0) return c;
  }
  return a.localeCompare(b, 'sv');
}

/**
 * The versions grouped by catalogue: built-in catalogues first, then by title in the page's
 * language; in each the newest version first. A catalogue is built-in when any of its versions is.
 */
export function groupLibrary(list: readonly LibraryVersion[], lang: Lang): LibraryCatalogue[] {
  const byId = new Map<string, LibraryVersion[]>();
  for (const v of list) {
    const same = byId.get(v.id);
    // The same id and version twice (should not happen): keep the first.
    if (same?.some((o) => o.version === v.version)) continue;
    if (same) same.push(v);
    else byId.set(v.id, [v]);
  }
  const collator = new Intl.Collator(lang === 'sv' ? 'sv' : 'en', { sensitivity: 'base' });
  const groups = [...byId.entries()].map(([id, versions]): LibraryCatalogue => {
    const sorted = [...versions].sort((a, b) => compareVersions(b.version, a.version));
    return { id, title: sorted[0].title, built_in: sorted.some((v) => v.built_in), versions: sorted };
  });
  return groups.sort((a, b) => {
    if (a.built_in !== b.built_in) return a.built_in ? -1 : 1;
    return collator.compare(pick(a.title, lang), pick(b.title, lang)) || a.id.localeCompare(b.id);
  });
}

/** Whether a member with `role` in organisation `org` may retire or delete `v`: their own organisation's import. */
export function mayManage(v: LibraryVersion, org: string, role: Role): boolean {
  return !v.built_in && v.organisation === org && canRun(role);
}

/** Whether `v` is the organisation's own import ("importerad av er"). */
export function isOwnImport(v: LibraryVersion, org: string): boolean {
  return !v.built_in && v.organisation === org;
}

const versionPath = (id: string, version: string) =>
  `/api/catalogues/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`;

/** The path of one version's whole catalogue (the export). */
export function catalogueHref(id: string, version: string): string {
  return `/api/catalogues/${encodeURIComponent(id)}?version=${encodeURIComponent(version)}`;
}

/** A file name for a downloaded version: `lika-2026.1.json`, with nothing a file system minds. */
export function catalogueFileName(id: string, version: string): string {
  return `${id}-${version}.json`.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export async function fetchLibrary(): Promise<HttpResult<LibraryVersion[]>> {
  const res = await request<unknown>('/api/catalogues');
  if (!res.ok) return res;
  if (!Array.isArray(res.data)) return { ok: false, status: res.status, code: 'http', message: '' };
  return { ok: true, status: res.status, data: parseLibrary(res.data) };
}

/** One version, whole, as the text of a file to save. */
export async function fetchCatalogueText(id: string, version: string): Promise<HttpResult<string>> {
  const res = await request<unknown>(catalogueHref(id, version));
  if (!res.ok) return res;
  return { ok: true, status: res.status, data: `${JSON.stringify(res.data, null, 2)}\n` };
}

export function setRetired(id: string, version: string, retired: boolean): Promise<HttpResult<unknown>> {
  return request(versionPath(id, version), { method: 'PUT', body: { retired } });
}

export function deleteVersion(id: string, version: string): Promise<HttpResult<unknown>> {
  return request(versionPath(id, version), { method: 'DELETE' });
}

export async function fetchVersionSessions(id: string, version: string): Promise<HttpResult<VersionSession[]>> {
  const res = await request<unknown>(`${versionPath(id, version)}/sessions`);
  if (!res.ok) return res;
  return { ok: true, status: res.status, data: parseVersionSessions(res.data) };
}

/** A workshop of the organisation on exactly this version (a like-for-like repeat). */
export function startOnVersion(id: string, version: string, org: string, title?: string): Promise<HttpResult<CreatedSession>> {
  const body: Record<string, string> = { catalogue: id, version, organisation: org };
  const trimmed = title?.trim();
  if (trimmed) body.title = trimmed;
  return request<CreatedSession>('/api/sessions', { method: 'POST', body });
}

/** Imports a catalogue file (its text as it is) for the organisation: `{id, version, indicators}`. */
export async function importCatalogue(org: string, text: string): Promise<HttpResult<{ id: string; version: string; indicators: number }>> {
  const res = await request<unknown>(`/api/catalogues?organisation=${encodeURIComponent(org)}`, { method: 'POST', body: text });
  if (!res.ok) return res;
  const d = isRecord(res.data) ? res.data : {};
  return {
    ok: true,
    status: res.status,
    data: { id: typeof d.id === 'string' ? d.id : '', version: typeof d.version === 'string' ? d.version : '', indicators: typeof d.indicators === 'number' ? d.indicators : 0 },
  };
}

/** Whether a picked file's text is JSON at all, before it is sent (the server says what else is wrong). */
export function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
