//! The organisation page's, the invitation page's and the console key panel's logic without a
//! browser: reading the server's answers, the paths, the links to hand on, where a sign-in may lead
//! back to, the new account's rules, and the requests (method, path, key, CSRF header).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accountProblems, nextPath, signInHref, type Me, type Membership } from '../src/lib/account';
import { CSRF_HEADER, csrfToken, setCsrfToken } from '../src/lib/http';
import { translate } from '../src/lib/i18n';
import {
  absoluteLink,
  acceptInvitation,
  adminCount,
  claimSession,
  claimTargets,
  fetchInvitation,
  fetchKey,
  inviteTokenFromPath,
  joinedOrganisation,
  organisationFromPath,
  organisationHref,
  parseCreatedInvitation,
  parseInvitationInfo,
  parseOrganisation,
  parseSessionKey,
  removeMember,
  revokeKey,
  rotateKey,
  setRole,
} from '../src/lib/organisation';
import { org, roleName, roleWord } from '../src/lib/orgStrings';

const TOKEN = 'ab'.repeat(32);
const KEY = 'cd'.repeat(32);

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function fakeFetch(answer: (call: Call) => { status: number; body?: unknown }) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const call: Call = { url, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) }, body: init.body as string | undefined };
    calls.push(call);
    const a = answer(call);
    return new Response(a.status === 204 || a.body === undefined ? null : JSON.stringify(a.body), { status: a.status });
  });
  return calls;
}

beforeEach(() => setCsrfToken(null));
afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('the organisation answer', () => {
  it('lists admins first, then facilitators and viewers, each by name; units by name as Swedish sorts them', () => {
    const org = parseOrganisation({
      id: 'o1',
      name: 'Exempelby',
      role: 'admin',
      members: [
        { id: 'v', name: 'Östen', email: 'o@x.se', role: 'viewer', you: false },
        { id: 'f2', name: 'Åsa', email: 'a@x.se', role: 'facilitator', you: false },
        { id: 'f1', name: 'Berit', email: 'b@x.se', role: 'facilitator', you: false },
        { id: 'a', name: 'Zelda', email: 'z@x.se', role: 'admin', you: true },
        { name: 'no id' },
      ],
      units: [{ id: 'u1', name: 'Äldreomsorg' }, { id: 'u2', name: 'IFO' }, { id: 'u3', name: 'Funktionsnedsättning' }],
    });
    expect(org?.members.map((m) => m.id)).toEqual(['a', 'f1', 'f2', 'v']);
    expect(org?.members[0].you).toBe(true);
    expect(org?.units.map((u) => u.name)).toEqual(['Funktionsnedsättning', 'IFO', 'Äldreomsorg']);
    expect(adminCount(org!.members)).toBe(1);
  });

  it('takes an unknown role as a viewer and refuses what is no organisation', () => {
    const org = parseOrganisation({ id: 'o', name: 'O', role: 'owner', members: [{ id: 'm', name: 'M', role: 'boss' }], units: null });
    expect(org?.role).toBe('viewer');
    expect(org?.members[0]).toEqual({ id: 'm', name: 'M', email: '', role: 'viewer', you: false });
    expect(org?.units).toEqual([]);
    expect(parseOrganisation({ code: 'forbidden' })).toBeNull();
    expect(parseOrganisation([])).toBeNull();
  });
});

describe('invitations', () => {
  it('read what a link offers and what creating one answers', () => {
    expect(parseInvitationInfo({ organisation: 'Exempelby', role: 'facilitator', expires_at: 5 })).toEqual({
      organisation: 'Exempelby',
      role: 'facilitator',
      expires_at: 5,
    });
    expect(parseInvitationInfo({ organisation: 'Exempelby', role: 'owner' })).toBeNull();
    expect(parseCreatedInvitation({ token: TOKEN, link: `/invite/${TOKEN}`, role: 'viewer', expires_at: 9 })?.link).toBe(`/invite/${TOKEN}`);
    expect(parseCreatedInvitation({ token: TOKEN, role: 'viewer' })).toBeNull();
  });

  it('become absolute links to send, built from the page origin', () => {
    expect(absoluteLink('https://samsyn.exempelby.se', `/invite/${TOKEN}`)).toBe(`https://samsyn.exempelby.se/invite/${TOKEN}`);
    expect(absoluteLink('http://127.0.0.1:8080/', '/facilitate/482913#key=abc')).toBe('http://127.0.0.1:8080/facilitate/482913#key=abc');
    expect(absoluteLink('http://a', 'https://b/invite/x')).toBe('https://b/invite/x');
  });

  it('are found in the path, and a sign-in may come back to one', () => {
    expect(inviteTokenFromPath(`/invite/${TOKEN}`)).toBe(TOKEN);
    expect(inviteTokenFromPath('/invite/short')).toBeNull();
    expect(inviteTokenFromPath(`/invite/${TOKEN}/x`)).toBeNull();
    expect(nextPath(signInHref(`/invite/${TOKEN}`).slice(1))).toBe(`/invite/${TOKEN}`);
    expect(nextPath('?next=/invite/../../evil')).toBeNull();
    expect(nextPath(`?next=${encodeURIComponent(`https://evil.example/invite/${TOKEN}`)}`)).toBeNull();
    expect(nextPath('?next=/organisation')).toBe('/organisation');
    expect(nextPath(`?next=${encodeURIComponent(organisationHref('3f1c-77'))}`)).toBe('/organisations/3f1c-77');
    expect(nextPath('?next=/organisations/a/b')).toBeNull();
  });

  it('are accepted signed in without a body, or with a new account; the answer’s CSRF token is kept', async () => {
    const me = { first_run: false, allow_anonymous: false, account: { id: 'b', name: 'Berit', email: 'b@x.se' }, organisations: [], csrf_token: 'new-tok' };
    const calls = fakeFetch(() => ({ status: 201, body: me }));
    const res = await acceptInvitation(TOKEN, { name: ' Berit ', email: ' b@x.se ', password: 'hemligt-lösen' });
    expect(res.ok && res.data.account?.name).toBe('Berit');
    expect(calls[0]).toMatchObject({ url: `/api/invitations/${TOKEN}/accept`, method: 'POST' });
    expect(JSON.parse(calls[0].body!)).toEqual({ name: 'Berit', email: 'b@x.se', password: 'hemligt-lösen' });
    expect(csrfToken()).toBe('new-tok');
    await acceptInvitation(TOKEN, null);
    expect(calls[1].body).toBeUndefined();
    expect(calls[1].headers[CSRF_HEADER]).toBe('new-tok');
  });

  it('say when a link is dead', async () => {
    fakeFetch(() => ({ status: 404, body: { code: 'unknown_invitation', message: 'used' } }));
    expect(await fetchInvitation(TOKEN)).toMatchObject({ ok: false, status: 404, code: 'unknown_invitation' });
  });
});

describe('the new account of an invitation', () => {
  it('keeps the administrator form’s rules for name, email and password', () => {
    expect(accountProblems({ name: '', email: 'berit', password: 'kort' })).toEqual({ name: 'missing', email: 'email', password: 'short' });
    expect(accountProblems({ name: 'Berit', email: 'berit@exempelby.se', password: 'åtta-tkn' })).toEqual({});
    expect(accountProblems({ name: ' ', email: '', password: '' })).toEqual({ name: 'missing', email: 'missing', password: 'missing' });
  });

  it('leads to the organisation joined: the new one, else the one of that name', () => {
    const a: Membership = { id: 'a', name: 'Alfa', role: 'admin' };
    const b: Membership = { id: 'b', name: 'Beta', role: 'facilitator' };
    expect(joinedOrganisation([a], [a, b], 'Beta')?.id).toBe('b');
    expect(joinedOrganisation([a, b], [a, b], 'Beta')?.id).toBe('b');
    expect(joinedOrganisation([], [], 'Beta')).toBeNull();
  });
});

describe('the organisation page', () => {
  it('reads its organisation from the path', () => {
    expect(organisationFromPath('/organisations/3f1c-77')).toBe('3f1c-77');
    expect(organisationFromPath('/organisations/3f1c-77/')).toBe('3f1c-77');
    expect(organisationFromPath('/organisation')).toBeNull();
    expect(organisationFromPath('/organisations/%E0%A4%A')).toBeNull();
    expect(organisationHref('a b')).toBe('/organisations/a%20b');
  });

  it('names roles in a table and inside a sentence', () => {
    expect(translate('sv', roleName('facilitator'))).toBe('Samtalsledare');
    expect(roleWord('sv', 'viewer')).toBe('läsare');
    expect(roleWord('en', 'admin')).toBe('administrator');
    expect(translate('sv', org.invited, { org: 'Exempelby', role: roleWord('sv', 'facilitator') })).toBe(
      'Du är inbjuden till Exempelby som samtalsledare',
    );
    expect(translate('sv', org.membersCount, { n: 1 })).toBe('1 medlem');
    expect(translate('en', org.membersCount, { n: 3 })).toBe('3 members');
  });

  it('changes roles and removes members with the CSRF token', async () => {
    setCsrfToken('tok');
    const calls = fakeFetch((c) => ({ status: c.method === 'DELETE' ? 204 : 200, body: {} }));
    await setRole('o 1', 'm1', 'viewer');
    await removeMember('o 1', 'm1');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['PUT /api/organisations/o%201/members/m1', 'DELETE /api/organisations/o%201/members/m1']);
    expect(JSON.parse(calls[0].body!)).toEqual({ role: 'viewer' });
    expect(calls.every((c) => c.headers[CSRF_HEADER] === 'tok')).toBe(true);
  });
});

describe('the console key panel', () => {
  it('reads a key link, and a revoked key as none', () => {
    const body = { code: '482913', facilitator_key: KEY, links: { facilitator: `/facilitate/482913#key=${KEY}`, join: '/join/482913', screen: '/screen/482913' } };
    expect(parseSessionKey(body)).toEqual({ revoked: false, facilitator_key: KEY, links: body.links });
    expect(parseSessionKey({ code: '482913', facilitator_key: null, revoked: true })).toEqual({ revoked: true });
    expect(parseSessionKey({ code: '482913', facilitator_key: null })).toBeNull();
    expect(parseSessionKey({ facilitator_key: KEY })).toBeNull();
  });

  it('fetches, rotates and revokes with the sign-in cookie, and claims with the key', async () => {
    setCsrfToken('tok');
    const key = { facilitator_key: KEY, links: { facilitator: `/facilitate/482913#key=${KEY}`, join: '', screen: '' } };
    const calls = fakeFetch((c) => (c.method === 'DELETE' ? { status: 204 } : { status: 200, body: c.url.includes('claim') ? { code: '482913', organisation: 'o1' } : key }));
    expect((await fetchKey('482913')).ok).toBe(true);
    expect((await rotateKey('482913')).ok).toBe(true);
    expect((await revokeKey('482913')).ok).toBe(true);
    expect((await claimSession('482913', KEY, 'o1')).ok).toBe(true);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/sessions/482913/key',
      'POST /api/sessions/482913/key',
      'DELETE /api/sessions/482913/key',
      'POST /api/sessions/482913/claim?organisation=o1',
    ]);
    expect(calls[0].headers.Authorization).toBeUndefined();
    expect(calls[0].headers[CSRF_HEADER]).toBeUndefined();
    expect(calls[1].headers[CSRF_HEADER]).toBe('tok');
    expect(calls[3].headers.Authorization).toBe(`Bearer ${KEY}`);
    expect(calls[3].headers[CSRF_HEADER]).toBe('tok');
  });

  it('offers a claim only into organisations where the person may run sessions', () => {
    const me: Me = {
      first_run: false,
      allow_anonymous: true,
      oidc: null,
      account: { id: 'a', name: 'A', email: 'a@x.se' },
      organisations: [
        { id: 'v', name: 'Läser', role: 'viewer' },
        { id: 'f', name: 'Leder', role: 'facilitator' },
        { id: 'a', name: 'Styr', role: 'admin' },
      ],
      csrf_token: 't',
    };
    expect(claimTargets(me).map((o) => o.id)).toEqual(['f', 'a']);
    expect(claimTargets({ ...me, account: null })).toEqual([]);
    expect(claimTargets(null)).toEqual([]);
  });
});
