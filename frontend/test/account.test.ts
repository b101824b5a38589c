//! Accounts in the browser: the CSRF header on every state change once the token is known (and
//! only then), reading /api/me, the organisation the start page works in, the administrator form's
//! rules, and where a sign-in may lead back to.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  canRun,
  chooseOrganisation,
  fetchMe,
  fieldOfMessage,
  nextPath,
  oidcRefusal,
  oidcStartHref,
  parseMe,
  parseOrgSessions,
  setupProblems,
  signIn,
  signInHref,
  signOut,
  type Membership,
} from '../src/lib/account';
import { acc } from '../src/lib/accountStrings';
import { translate } from '../src/lib/i18n';
import { CSRF_HEADER, csrfToken, request, requestHeaders, retryAfterSeconds, setCsrfToken } from '../src/lib/http';

const ME = {
  first_run: false,
  allow_anonymous: false,
  account: { id: 'a1', name: 'Anna Admin', email: 'anna@exempelby.se' },
  organisations: [{ id: 'o1', name: 'Exempelby kommun, socialförvaltningen', role: 'admin' }],
  csrf_token: 'tok-123',
  oidc: null,
};

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fetch that records each call and answers from `answer`. */
function fakeFetch(answer: (call: Call) => { status: number; body?: unknown; headers?: Record<string, string> }) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: string, init: RequestInit = {}) => {
    const call: Call = {
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      body: init.body as string | undefined,
    };
    calls.push(call);
    const a = answer(call);
    const text = a.status === 204 || a.body === undefined ? null : JSON.stringify(a.body);
    return new Response(text, { status: a.status, headers: a.headers });
  });
  vi.stubGlobal('fetch', fn);
  return calls;
}

beforeEach(() => setCsrfToken(null));
afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('the CSRF header', () => {
  it('goes with POST, PUT and DELETE once the token is known, never with GET', () => {
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      expect(requestHeaders(method, {}, 'tok')[CSRF_HEADER]).toBe('tok');
    }
    expect(requestHeaders('GET', {}, 'tok')[CSRF_HEADER]).toBeUndefined();
    expect(requestHeaders('POST', {}, null)[CSRF_HEADER]).toBeUndefined();
  });

  it('sits beside a facilitator key and the JSON type', () => {
    expect(requestHeaders('PUT', { key: 'k1', json: true }, 'tok')).toEqual({
      Accept: 'application/json',
      Authorization: 'Bearer k1',
      'Content-Type': 'application/json',
      [CSRF_HEADER]: 'tok',
    });
    expect(requestHeaders('GET', { key: null })).toEqual({ Accept: 'application/json' });
  });

  it('is added by request() to a state change after /api/me, and dropped after signing out', async () => {
    const calls = fakeFetch((c) => (c.url === '/api/me' ? { status: 200, body: ME } : { status: c.method === 'POST' && c.url === '/api/sign-out' ? 204 : 201, body: {} }));
    await request('/api/sessions', { method: 'POST', body: {} });
    expect(calls[0].headers[CSRF_HEADER]).toBeUndefined();
    const me = await fetchMe();
    expect(me.ok && me.data.account?.name).toBe('Anna Admin');
    expect(csrfToken()).toBe('tok-123');
    await request('/api/sessions', { method: 'POST', body: { catalogue: 'lika' } });
    await request('/api/sessions/482913', { method: 'DELETE' });
    await request('/api/organisations/o1/sessions');
    expect(calls[2].headers[CSRF_HEADER]).toBe('tok-123');
    expect(calls[3].headers[CSRF_HEADER]).toBe('tok-123');
    expect(calls[4].headers[CSRF_HEADER]).toBeUndefined();
    expect((await signOut()).ok).toBe(true);
    expect(calls[5].headers[CSRF_HEADER]).toBe('tok-123');
    expect(csrfToken()).toBeNull();
    await request('/api/sessions', { method: 'POST', body: {} });
    expect(calls[6].headers[CSRF_HEADER]).toBeUndefined();
  });

  it('makes a state change sent while /api/me is under way wait for its token', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const calls: Call[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
      calls.push({ url, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) } });
      if (url === '/api/me') {
        await gate;
        return new Response(JSON.stringify(ME), { status: 200 });
      }
      return new Response('{}', { status: 200 });
    });
    const me = fetchMe();
    const post = request('/api/sessions/482913/items', { method: 'PUT', body: '{}' });
    await Promise.resolve();
    release();
    await Promise.all([me, post]);
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.headers[CSRF_HEADER]).toBe('tok-123');
  });

  it('is learnt from a sign-in answer', async () => {
    fakeFetch(() => ({ status: 200, body: { ...ME, csrf_token: 'fresh' } }));
    const res = await signIn(' anna@exempelby.se ', 'hemligt!');
    expect(res.ok).toBe(true);
    expect(csrfToken()).toBe('fresh');
  });
});

describe('answers of the server', () => {
  it('say why a sign-in failed, with the wait of a rate limit', async () => {
    const calls = fakeFetch((c) =>
      JSON.parse(c.body ?? '{}').password === 'fel'
        ? { status: 401, body: { code: 'unauthorized', message: 'wrong email or password' } }
        : { status: 429, body: { code: 'rate_limited', message: 'slow down' }, headers: { 'Retry-After': '45' } },
    );
    const wrong = await signIn('anna@exempelby.se', 'fel');
    expect(wrong).toMatchObject({ ok: false, status: 401, code: 'unauthorized' });
    expect(JSON.parse(calls[0].body!)).toEqual({ email: 'anna@exempelby.se', password: 'fel' });
    const limited = await signIn('anna@exempelby.se', 'x');
    expect(limited).toMatchObject({ ok: false, status: 429, code: 'rate_limited', retryAfter: 45 });
    expect(translate('sv', acc.rateLimited, { seconds: 45 })).toBe('För många försök. Vänta 45 sekunder och försök igen.');
    expect(translate('en', acc.rateLimited, { seconds: 300 })).toBe('Too many attempts. Wait 5 minutes and try again.');
  });

  it('read Retry-After in seconds or as a date', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(null)).toBeUndefined();
    expect(retryAfterSeconds('soon')).toBeUndefined();
    const now = Date.parse('2026-12-05T10:00:00Z');
    expect(retryAfterSeconds('Sat, 05 Dec 2026 10:01:00 GMT', now)).toBe(60);
  });

  it('take /api/me apart, and an older server (no accounts) as none', () => {
    expect(parseMe(ME)).toEqual({ ...ME, organisations: [{ id: 'o1', name: 'Exempelby kommun, socialförvaltningen', role: 'admin' }] });
    expect(parseMe({ first_run: true, allow_anonymous: true, account: null, organisations: [], csrf_token: null })).toEqual({
      first_run: true,
      allow_anonymous: true,
      account: null,
      organisations: [],
      csrf_token: null,
      oidc: null,
    });
    // A server with an OpenID provider names it for the sign-in button.
    expect(parseMe({ ...ME, oidc: { name: 'Exempelby kommun (Entra ID)' } })?.oidc).toEqual({ name: 'Exempelby kommun (Entra ID)' });
    expect(parseMe({ ...ME, oidc: 'yes' })?.oidc).toBeNull();
    expect(parseMe(null)).toBeNull();
    expect(parseMe({ code: 'not_found' })).toBeNull();
    // An unknown role only looks.
    expect(parseMe({ ...ME, organisations: [{ id: 'o', name: 'O', role: 'owner' }] })?.organisations[0].role).toBe('viewer');
  });

  it('read why an OpenID sign-in came back refused, and link to it coming back to a console', () => {
    expect(oidcRefusal('?signin_error=wrong_audience')).toBe('wrong_audience');
    expect(oidcRefusal('?signin_error=code_refused&x=1')).toBe('code_refused');
    expect(oidcRefusal('?signin_error=<script>')).toBe('invalid_token');
    expect(oidcRefusal('?signin')).toBeNull();
    expect(oidcStartHref('/facilitate/482913')).toBe('/api/oidc/start?next=%2Ffacilitate%2F482913');
    expect(oidcStartHref(null)).toBe('/api/oidc/start?next=%2F');
    expect(translate('sv', acc.oidcButton, { name: 'Exempelby kommun (Entra ID)' })).toBe('Logga in med Exempelby kommun (Entra ID)');
    expect(translate('en', acc.oidcButton, { name: 'Keycloak' })).toBe('Sign in with Keycloak');
  });

  it('list an organisation’s sessions newest first, dropping what is not one', () => {
    const list = parseOrgSessions([
      { code: '111111', title: 'Äldre', created_at: 1, kind: 'workshop', catalogue: 'lika' },
      { code: 'abc', title: 'Trasig' },
      { code: '222222', title: 'Nyare', created_at: 2, kind: 'seminar', catalogue: null },
    ]);
    expect(list?.map((s) => s.code)).toEqual(['222222', '111111']);
    expect(list?.[0].kind).toBe('seminar');
    expect(parseOrgSessions({})).toBeNull();
  });
});

describe('the organisation of the start page', () => {
  const orgs: Membership[] = [
    { id: 'v', name: 'Läser', role: 'viewer' },
    { id: 'f', name: 'Leder', role: 'facilitator' },
    { id: 'a', name: 'Styr', role: 'admin' },
  ];
  it('is the one chosen last, else the first where the person may run sessions', () => {
    expect(chooseOrganisation(orgs, 'a')?.id).toBe('a');
    expect(chooseOrganisation(orgs, 'v')?.id).toBe('v');
    expect(chooseOrganisation(orgs, 'gone')?.id).toBe('f');
    expect(chooseOrganisation(orgs, null)?.id).toBe('f');
    expect(chooseOrganisation([orgs[0]], null)?.id).toBe('v');
    expect(chooseOrganisation([], null)).toBeNull();
  });
  it('lets admins and facilitators run sessions, not viewers', () => {
    expect([canRun('admin'), canRun('facilitator'), canRun('viewer')]).toEqual([true, true, false]);
  });
});

describe('the administrator form', () => {
  const ok = { name: 'Anna Admin', email: 'anna@exempelby.se', password: 'åtta-tkn', organisation: 'Exempelby kommun' };
  it('asks for every field, an e-mail address and 8 characters of password', () => {
    expect(setupProblems(ok)).toEqual({});
    expect(setupProblems({ name: ' ', email: '', password: '', organisation: '' })).toEqual({
      name: 'missing',
      email: 'missing',
      password: 'missing',
      organisation: 'missing',
    });
    expect(setupProblems({ ...ok, email: 'anna', password: '1234567' })).toEqual({ email: 'email', password: 'short' });
    // Characters, not UTF-16 units: eight emoji are eight characters.
    expect(setupProblems({ ...ok, password: '🔑🔑🔑🔑🔑🔑🔑🔑' })).toEqual({});
  });
  it('finds the field a server message names', () => {
    const fields = ['name', 'email', 'password', 'organisation'];
    expect(fieldOfMessage('password: at least 8 characters', fields)).toBe('password');
    expect(fieldOfMessage('the organisation name is empty', fields)).toBe('organisation');
    expect(fieldOfMessage('Invalid field `email`', fields)).toBe('email');
    expect(fieldOfMessage('something else', fields)).toBeNull();
  });
});

describe('after signing in', () => {
  it('goes back only to a console of this server', () => {
    expect(nextPath('?signin&next=%2Ffacilitate%2F482913')).toBe('/facilitate/482913');
    expect(nextPath('?signin&next=https%3A%2F%2Fevil.example%2Ffacilitate%2F482913')).toBeNull();
    expect(nextPath('?next=//evil.example')).toBeNull();
    expect(nextPath('?next=/facilitate/482913/../../x')).toBeNull();
    expect(nextPath('')).toBeNull();
    expect(signInHref('/facilitate/482913')).toBe('/?signin&next=%2Ffacilitate%2F482913');
    expect(nextPath(signInHref('/facilitate/482913').slice(1))).toBe('/facilitate/482913');
  });
});
