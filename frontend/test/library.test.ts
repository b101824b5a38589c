//! The catalogue library's logic without a browser: reading the list, version order, grouping by
//! catalogue (built-in first, newest version first), who may manage a version, and the requests.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER, setCsrfToken } from '../src/lib/http';
import {
  catalogueFileName,
  catalogueHref,
  compareVersions,
  deleteVersion,
  groupLibrary,
  importCatalogue,
  isOwnImport,
  looksLikeJson,
  mayManage,
  parseLibrary,
  parseVersionSessions,
  setRetired,
  startOnVersion,
  type LibraryVersion,
} from '../src/lib/library';

const v = (id: string, version: string, more: Partial<LibraryVersion> = {}): LibraryVersion => ({
  id,
  version,
  title: { sv: `${id} sv`, en: `${id} en` },
  indicators: 3,
  built_in: false,
  retired: false,
  organisation: 'org-a',
  ...more,
});

describe('compareVersions', () => {
  it('orders numbers by value and text after', () => {
    const sorted = ['2026.10', '2026.2', '2024.1', '2026.2-beta', '2026.1'].sort(compareVersions);
    expect(sorted).toEqual(['2024.1', '2026.1', '2026.2', '2026.2-beta', '2026.10']);
    expect(compareVersions('1', '1.0')).toBeLessThan(0);
    expect(compareVersions('a', 'b')).toBeLessThan(0);
    expect(compareVersions('2', '2')).toBe(0);
  });
});

describe('parseLibrary', () => {
  it('reads the server list and leaves out what is not a version', () => {
    const list = parseLibrary([
      { id: 'lika', version: '2026.1', title: { sv: 'LIKA', en: 'LIKA en' }, indicators: 32, built_in: true, retired: false, organisation: null },
      { id: 'egen', version: '1', title: 'Egen', indicators: 2, retired: true, organisation: 'o1' },
      { id: 'x' },
      'nonsense',
    ]);
    expect(list).toEqual([
      { id: 'lika', version: '2026.1', title: { sv: 'LIKA', en: 'LIKA en' }, indicators: 32, built_in: true, retired: false, organisation: null },
      { id: 'egen', version: '1', title: { sv: 'Egen', en: 'Egen' }, indicators: 2, built_in: false, retired: true, organisation: 'o1' },
    ]);
    expect(parseLibrary({})).toEqual([]);
    expect(parseLibrary([{ id: 'y', version: '1', title: { en: 'Only en' } }])[0].title).toEqual({ sv: 'Only en', en: 'Only en' });
  });

  it('reads the sessions of a version', () => {
    expect(parseVersionSessions([{ code: '123456', title: 'T', created_at: 5, organisation: 'o' }, { title: 'no code' }])).toEqual([
      { code: '123456', title: 'T', created_at: 5, organisation: 'o' },
    ]);
  });
});

describe('groupLibrary', () => {
  it('groups by id, built-in first then by title, newest version first', () => {
    const groups = groupLibrary(
      [
        v('zeta', '1', { title: { sv: 'Äldre', en: 'Zeta' } }),
        v('lika', '2026.1', { built_in: true, organisation: null }),
        v('alfa', '2', { title: { sv: 'Alfa', en: 'Alpha' } }),
        v('lika', '2026.10'),
        v('lika', '2026.2'),
        v('lika', '2026.2'),
      ],
      'sv',
    );
    expect(groups.map((g) => g.id)).toEqual(['lika', 'alfa', 'zeta']);
    expect(groups[0].built_in).toBe(true);
    expect(groups[0].versions.map((x) => x.version)).toEqual(['2026.10', '2026.2', '2026.1']);
    expect(groups[0].title).toEqual(groups[0].versions[0].title);
  });

  it('sorts titles in the page language', () => {
    const list = [v('a', '1', { title: { sv: 'Ö', en: 'B' } }), v('b', '1', { title: { sv: 'A', en: 'C' } })];
    expect(groupLibrary(list, 'sv').map((g) => g.id)).toEqual(['b', 'a']);
    expect(groupLibrary(list, 'en').map((g) => g.id)).toEqual(['a', 'b']);
  });
});

describe('who manages a version', () => {
  it('is the own organisation’s facilitators and admins, never a built-in one', () => {
    expect(mayManage(v('x', '1'), 'org-a', 'admin')).toBe(true);
    expect(mayManage(v('x', '1'), 'org-a', 'facilitator')).toBe(true);
    expect(mayManage(v('x', '1'), 'org-a', 'viewer')).toBe(false);
    expect(mayManage(v('x', '1'), 'org-b', 'admin')).toBe(false);
    expect(mayManage(v('x', '1', { organisation: null }), 'org-a', 'admin')).toBe(false);
    expect(mayManage(v('x', '1', { built_in: true, organisation: 'org-a' }), 'org-a', 'admin')).toBe(false);
    expect(isOwnImport(v('x', '1'), 'org-a')).toBe(true);
    expect(isOwnImport(v('x', '1'), 'org-b')).toBe(false);
  });
});

describe('paths and files', () => {
  it('encodes ids and versions', () => {
    expect(catalogueHref('lika', '2026.1')).toBe('/api/catalogues/lika?version=2026.1');
    expect(catalogueHref('a b', '1/2')).toBe('/api/catalogues/a%20b?version=1%2F2');
    expect(catalogueFileName('lika', '2026.1')).toBe('lika-2026.1.json');
    expect(catalogueFileName('a/b', 'x y')).toBe('a_b-x_y.json');
    expect(looksLikeJson('{"id":"x"}')).toBe(true);
    expect(looksLikeJson('id: x')).toBe(false);
  });
});

describe('requests', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  function stub(status: number, body: unknown) {
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return new Response(status === 204 ? null : JSON.stringify(body), { status });
      }),
    );
    return calls;
  }

  it('retires, deletes, starts and imports with the CSRF header', async () => {
    setCsrfToken('tok');
    let calls = stub(200, { retired: true });
    expect((await setRetired('lika', '2026.2', true)).ok).toBe(true);
    expect(calls[0].url).toBe('/api/catalogues/lika/versions/2026.2');
    expect(calls[0].init.method).toBe('PUT');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ retired: true });
    expect((calls[0].init.headers as Record<string, string>)[CSRF_HEADER]).toBe('tok');

    calls = stub(409, { code: 'item_in_use', message: '1 session(s) used this version; retire it instead' });
    const refused = await deleteVersion('lika', '2026.2');
    expect(refused).toMatchObject({ ok: false, status: 409, code: 'item_in_use', message: '1 session(s) used this version; retire it instead' });
    expect(calls[0].init.method).toBe('DELETE');

    calls = stub(201, { code: '123456', facilitator_key: 'k', links: {} });
    await startOnVersion('lika', '2024.1', 'org-a', '  LIKA 2028 ');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ catalogue: 'lika', version: '2024.1', organisation: 'org-a', title: 'LIKA 2028' });
    await startOnVersion('lika', '2024.1', 'org-a', ' ');
    expect(JSON.parse(calls[1].init.body as string)).toEqual({ catalogue: 'lika', version: '2024.1', organisation: 'org-a' });

    calls = stub(201, { id: 'lika', version: '2028.1', indicators: 32 });
    const text = '{"id":"lika"}';
    expect(await importCatalogue('org a', text)).toEqual({ ok: true, status: 201, data: { id: 'lika', version: '2028.1', indicators: 32 } });
    expect(calls[0].url).toBe('/api/catalogues?organisation=org%20a');
    expect(calls[0].init.body).toBe(text);
  });
});
