//! Staff accounts and organisations (issue 19): who is signed in (`GET /api/me`), signing in
//! and out, creating the administrator on a new server, and an organisation's sessions.
//! Participants and screens never use this. Every answer that names the signed-in person
//! also sets the CSRF token of lib/http, so that later state changes carry it.

import { awaitCsrf, request, setCsrfToken, type HttpResult } from './http';
import { readStore, writeStore } from './storage';

export type Role = 'admin' | 'facilitator' | 'viewer';

export interface Account {
  id: string;
  name: string;
  email: string;
}

export interface Membership {
  id: string;
  name: string;
  role: Role;
}

/** What `GET /api/me` (and sign-in and setup) answer. */
export interface Me {
  first_run: boolean;
  allow_anonymous: boolean;
  account: Account | null;
  organisations: Membership[];
  csrf_token: string | null;
  /** The OpenID Connect provider staff may sign in with, if the server has one. */
  oidc: { name: string } | null;
}

/** One entry of `GET /api/organisations/{id}/sessions`. */
export interface OrgSession {
  code: string;
  title: string;
  /** ms since the epoch. */
  created_at: number;
  kind: 'workshop' | 'seminar';
  catalogue: string | null;
}

const ROLES: readonly string[] = ['admin', 'facilitator', 'viewer'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The answer of `GET /api/me` as the page uses it, or null when it is not one (an older server). */
export function parseMe(value: unknown): Me | null {
  if (!isRecord(value) || typeof value.first_run !== 'boolean') return null;
  const a = value.account;
  const account =
    isRecord(a) && typeof a.id === 'string' && typeof a.name === 'string'
      ? { id: a.id, name: a.name, email: typeof a.email === 'string' ? a.email : '' }
      : null;
  const organisations = Array.isArray(value.organisations)
    ? value.organisations.flatMap((o): Membership[] =>
        isRecord(o) && typeof o.id === 'string' && typeof o.name === 'string'
          ? [{ id: o.id, name: o.name, role: ROLES.includes(o.role as string) ? (o.role as Role) : 'viewer' }]
          : [],
      )
    : [];
  return {
    first_run: value.first_run,
    allow_anonymous: value.allow_anonymous === true,
    account,
    organisations: account ? organisations : [],
    csrf_token: typeof value.csrf_token === 'string' && value.csrf_token ? value.csrf_token : null,
    oidc: isRecord(value.oidc) && typeof value.oidc.name === 'string' ? { name: value.oidc.name } : null,
  };
}

/** Why a sign-in with OpenID Connect came back refused (`/?signin_error=…`, docs/protocol.md §2a). */
export type OidcRefusal =
  | 'provider_unreachable'
  | 'provider_refused'
  | 'expired'
  | 'code_refused'
  | 'wrong_audience'
  | 'invalid_token';

const OIDC_REFUSALS: readonly string[] = [
  'provider_unreachable',
  'provider_refused',
  'expired',
  'code_refused',
  'wrong_audience',
  'invalid_token',
];

/** The reason in `?signin_error=…`, if any; an unknown one reads as an invalid token. */
export function oidcRefusal(search: string): OidcRefusal | null {
  const reason = new URLSearchParams(search).get('signin_error');
  if (reason === null) return null;
  return OIDC_REFUSALS.includes(reason) ? (reason as OidcRefusal) : 'invalid_token';
}

/** The link that signs in with the OpenID provider and comes back to `back` (a path on this site). */
export function oidcStartHref(back: string | null): string {
  return `/api/oidc/start?next=${encodeURIComponent(back ?? '/')}`;
}

/** The sessions of an organisation, newest first; entries that are not sessions are dropped. */
export function parseOrgSessions(value: unknown): OrgSession[] | null {
  if (!Array.isArray(value)) return null;
  return value
    .flatMap((s): OrgSession[] =>
      isRecord(s) && typeof s.code === 'string' && /^\d{6}$/.test(s.code)
        ? [
            {
              code: s.code,
              title: typeof s.title === 'string' ? s.title : '',
              created_at: typeof s.created_at === 'number' ? s.created_at : 0,
              kind: s.kind === 'seminar' ? 'seminar' : 'workshop',
              catalogue: typeof s.catalogue === 'string' ? s.catalogue : null,
            },
          ]
        : [],
    )
    .sort((a, b) => b.created_at - a.created_at);
}

/** Whether a role may start and run sessions (a viewer only looks). */
export function canRun(role: Role): boolean {
  return role === 'admin' || role === 'facilitator';
}

/** Where the start page remembers the organisation chosen last. */
export const ORG_KEY = 'samsyn.organisation';

/**
 * The organisation the start page works in: the one chosen last if the person still belongs to
 * it, else the first where they may run sessions (the server's default), else the first.
 */
export function chooseOrganisation(orgs: Membership[], remembered: string | null): Membership | null {
  return orgs.find((o) => o.id === remembered) ?? orgs.find((o) => canRun(o.role)) ?? orgs[0] ?? null;
}

export function rememberedOrganisation(): string | null {
  return readStore(ORG_KEY);
}

export function rememberOrganisation(id: string): void {
  writeStore(ORG_KEY, id);
}

/** The shortest password the server takes. */
export const PASSWORD_MIN = 8;

export interface SetupFields {
  name: string;
  email: string;
  password: string;
  organisation: string;
}

export type SetupField = keyof SetupFields;

/** A loose check of an e-mail address: something@something. The server has the last word. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(value.trim());
}

/** A field's broken rule: empty, not an email address, or a password too short. */
export type Problem = 'missing' | 'email' | 'short';

/** The fields of a new account (an invitation accepted without one). */
export type AccountFields = Omit<SetupFields, 'organisation'>;

export type AccountField = keyof AccountFields;

/** What is wrong with a new account's name, email and password before they are sent; none when fine. */
export function accountProblems(f: AccountFields): Partial<Record<AccountField, Problem>> {
  const out: Partial<Record<AccountField, Problem>> = {};
  if (!f.name.trim()) out.name = 'missing';
  if (!f.email.trim()) out.email = 'missing';
  else if (!looksLikeEmail(f.email)) out.email = 'email';
  if (!f.password) out.password = 'missing';
  else if ([...f.password].length < PASSWORD_MIN) out.password = 'short';
  return out;
}

/** What is wrong with the administrator form before it is sent: one rule per field, none when fine. */
export function setupProblems(f: SetupFields): Partial<Record<SetupField, Problem>> {
  const out: Partial<Record<SetupField, Problem>> = accountProblems(f);
  if (!f.organisation.trim()) out.organisation = 'missing';
  return out;
}

/** The field an `invalid_field` message of the server names, if it names one of the form's. */
export function fieldOfMessage(message: string, fields: readonly string[]): string | null {
  const lower = message.toLowerCase();
  // The longest first, so that "organisation" is not taken for a shorter name inside it.
  const sorted = [...fields].sort((a, b) => b.length - a.length);
  for (const f of sorted) if (new RegExp(`\\b${f}\\b`).test(lower)) return f;
  return null;
}

/** The pages a sign-in may lead back to: a console, an invitation, an organisation's page. */
const NEXT_PAGES = [/^\/facilitate\/\d{6}$/, /^\/invite\/[0-9a-f]{64}$/, /^\/organisation$/, /^\/organisations\/[A-Za-z0-9-]{1,64}$/];

/**
 * Where to go after signing in: only a console, an invitation or an organisation page of this
 * server (`?next=/facilitate/482913`, `?next=/invite/…`), never another site or page.
 */
export function nextPath(search: string): string | null {
  const next = new URLSearchParams(search).get('next');
  return next && NEXT_PAGES.some((re) => re.test(next)) ? next : null;
}

/** The start page's sign-in, coming back to `back` (a console) afterwards. */
export function signInHref(back: string | null): string {
  return back ? `/?signin&next=${encodeURIComponent(back)}` : '/?signin';
}

/** Takes the person from an answer: remembers its CSRF token for later state changes. */
function adopt(res: HttpResult<unknown>): HttpResult<Me> {
  if (!res.ok) return res;
  const me = parseMe(res.data);
  if (!me) return { ok: false, status: res.status, code: 'http', message: '' };
  setCsrfToken(me.csrf_token);
  return { ok: true, status: res.status, data: me };
}

/** `GET /api/me`; state changes sent meanwhile wait for its token. */
export function fetchMe(): Promise<HttpResult<Me>> {
  const pending = request<unknown>('/api/me').then(adopt);
  awaitCsrf(pending);
  return pending;
}

export async function signIn(email: string, password: string): Promise<HttpResult<Me>> {
  return adopt(await request<unknown>('/api/sign-in', { method: 'POST', body: { email: email.trim(), password } }));
}

export async function setUpServer(f: SetupFields): Promise<HttpResult<Me>> {
  const body = { name: f.name.trim(), email: f.email.trim(), password: f.password, organisation: f.organisation.trim() };
  return adopt(await request<unknown>('/api/setup', { method: 'POST', body }));
}

export async function signOut(): Promise<HttpResult<null>> {
  const res = await request<null>('/api/sign-out', { method: 'POST' });
  if (res.ok) setCsrfToken(null);
  return res;
}

export async function fetchOrgSessions(org: string): Promise<HttpResult<OrgSession[]>> {
  const res = await request<unknown>(`/api/organisations/${encodeURIComponent(org)}/sessions`);
  if (!res.ok) return res;
  const list = parseOrgSessions(res.data);
  return list ? { ok: true, status: res.status, data: list } : { ok: false, status: res.status, code: 'http', message: '' };
}
