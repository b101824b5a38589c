//! An organisation as its members see it (issue 19, docs/protocol.md section 2a): its name, units
//! and members, invitations by link, and, for the console, a session's delegate key and the claim
//! of an anonymous session. REST only, through lib/http (which adds the CSRF header); no UI.

import type { AccountFields, Me, Membership, Role } from './account';
import { canRun, parseMe } from './account';
import { request, setCsrfToken, type HttpResult } from './http';

export interface Member {
  id: string;
  name: string;
  email: string;
  role: Role;
  /** The signed-in person. */
  you: boolean;
}

export interface Unit {
  id: string;
  name: string;
}

/** `GET /api/organisations/{id}`. */
export interface Organisation {
  id: string;
  name: string;
  role: Role;
  members: Member[];
  units: Unit[];
}

/** What `POST /api/organisations/{id}/invitations` answers. */
export interface CreatedInvitation {
  token: string;
  /** `/invite/{token}`: a path of this server. */
  link: string;
  role: Role;
  /** ms since the epoch. */
  expires_at: number;
}

/** What `GET /api/invitations/{token}` tells about a link. */
export interface InvitationInfo {
  organisation: string;
  role: Role;
  expires_at: number;
}

/**
 * The key of a session and its links (`GET`/`POST /api/sessions/{code}/key`), or, once revoked,
 * no key at all (`{"facilitator_key": null, "revoked": true}`).
 */
export type SessionKey =
  | { revoked: false; facilitator_key: string; links: { facilitator: string; join: string; screen: string } }
  | { revoked: true };

export const ROLE_ORDER: readonly Role[] = ['admin', 'facilitator', 'viewer'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLE_ORDER as readonly string[]).includes(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Names sorted as a Swedish reader expects (å, ä, ö last), case aside. */
export function byName<T extends { name: string }>(list: readonly T[]): T[] {
  const collator = new Intl.Collator('sv', { sensitivity: 'base' });
  return [...list].sort((a, b) => collator.compare(a.name, b.name));
}

/** The organisation answer as the page uses it: members by role (admins first), then name; units by name. */
export function parseOrganisation(value: unknown): Organisation | null {
  if (!isRecord(value) || typeof value.id !== 'string') return null;
  const members = Array.isArray(value.members)
    ? value.members.flatMap((m): Member[] =>
        isRecord(m) && typeof m.id === 'string'
          ? [{ id: m.id, name: str(m.name), email: str(m.email), role: isRole(m.role) ? m.role : 'viewer', you: m.you === true }]
          : [],
      )
    : [];
  const units = Array.isArray(value.units)
    ? value.units.flatMap((u): Unit[] => (isRecord(u) && typeof u.id === 'string' ? [{ id: u.id, name: str(u.name) }] : []))
    : [];
  const sorted = byName(members).sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  return { id: value.id, name: str(value.name), role: isRole(value.role) ? value.role : 'viewer', members: sorted, units: byName(units) };
}

export function parseInvitationInfo(value: unknown): InvitationInfo | null {
  if (!isRecord(value) || typeof value.organisation !== 'string' || !isRole(value.role)) return null;
  return { organisation: value.organisation, role: value.role, expires_at: typeof value.expires_at === 'number' ? value.expires_at : 0 };
}

export function parseCreatedInvitation(value: unknown): CreatedInvitation | null {
  if (!isRecord(value) || typeof value.token !== 'string' || typeof value.link !== 'string' || !isRole(value.role)) return null;
  return { token: value.token, link: value.link, role: value.role, expires_at: typeof value.expires_at === 'number' ? value.expires_at : 0 };
}

export function parseSessionKey(value: unknown): SessionKey | null {
  if (!isRecord(value)) return null;
  if (value.facilitator_key === null && value.revoked === true) return { revoked: true };
  if (typeof value.facilitator_key !== 'string' || !isRecord(value.links)) return null;
  const l = value.links;
  if (typeof l.facilitator !== 'string') return null;
  return { revoked: false, facilitator_key: value.facilitator_key, links: { facilitator: l.facilitator, join: str(l.join), screen: str(l.screen) } };
}

/**
 * An absolute address for a link the server gives as a path (`/invite/…`, `/facilitate/…#key=…`),
 * to copy and send; one that is absolute already is kept as it is.
 */
export function absoluteLink(origin: string, link: string): string {
  if (/^https?:\/\//i.test(link)) return link;
  return `${origin.replace(/\/+$/, '')}/${link.replace(/^\/+/, '')}`;
}

/** How many admins the organisation has: the last one can neither leave nor be removed nor demoted. */
export function adminCount(members: readonly Member[]): number {
  return members.filter((m) => m.role === 'admin').length;
}

/** The organisation someone joined: the one in `after` that was not in `before`, else the one of that name. */
export function joinedOrganisation(before: readonly Membership[], after: readonly Membership[], name: string): Membership | null {
  const known = new Set(before.map((o) => o.id));
  return after.find((o) => !known.has(o.id)) ?? after.find((o) => o.name === name) ?? null;
}

/** The organisations where the person may run sessions: where a session may be claimed into. */
export function claimTargets(me: Me | null): Membership[] {
  return me?.account ? me.organisations.filter((o) => canRun(o.role)) : [];
}

/** The path of an organisation's page. */
export function organisationHref(id: string): string {
  return `/organisations/${encodeURIComponent(id)}`;
}

/** The organisation id in `/organisations/{id}`, or null (`/organisation`: the one chosen last). */
export function organisationFromPath(pathname: string): string | null {
  const m = /^\/organisations\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

/** The token in `/invite/{token}`, or null. */
export function inviteTokenFromPath(pathname: string): string | null {
  const m = /^\/invite\/([0-9a-f]{64})\/?$/.exec(pathname);
  return m ? m[1] : null;
}

/** Turns a parsed answer into a result, or an `http` failure when it was not one. */
function parsed<T>(res: HttpResult<unknown>, parse: (v: unknown) => T | null): HttpResult<T> {
  if (!res.ok) return res;
  const data = parse(res.data);
  return data ? { ok: true, status: res.status, data } : { ok: false, status: res.status, code: 'http', message: '' };
}

const orgPath = (id: string) => `/api/organisations/${encodeURIComponent(id)}`;

export async function fetchOrganisation(id: string): Promise<HttpResult<Organisation>> {
  return parsed(await request<unknown>(orgPath(id)), parseOrganisation);
}

export function renameOrganisation(id: string, name: string): Promise<HttpResult<unknown>> {
  return request(orgPath(id), { method: 'PUT', body: { name: name.trim() } });
}

export async function createOrganisation(name: string): Promise<HttpResult<Membership>> {
  const res = await request<unknown>('/api/organisations', { method: 'POST', body: { name: name.trim() } });
  return parsed(res, (v) => (isRecord(v) && typeof v.id === 'string' ? { id: v.id, name: str(v.name), role: isRole(v.role) ? v.role : 'admin' } : null));
}

export async function addUnit(org: string, name: string): Promise<HttpResult<Unit>> {
  const res = await request<unknown>(`${orgPath(org)}/units`, { method: 'POST', body: { name: name.trim() } });
  return parsed(res, (v) => (isRecord(v) && typeof v.id === 'string' ? { id: v.id, name: str(v.name) } : null));
}

export function removeUnit(org: string, unit: string): Promise<HttpResult<unknown>> {
  return request(`${orgPath(org)}/units/${encodeURIComponent(unit)}`, { method: 'DELETE' });
}

export function setRole(org: string, account: string, role: Role): Promise<HttpResult<unknown>> {
  return request(`${orgPath(org)}/members/${encodeURIComponent(account)}`, { method: 'PUT', body: { role } });
}

/** An admin removes a member, or a member leaves (their own id). */
export function removeMember(org: string, account: string): Promise<HttpResult<unknown>> {
  return request(`${orgPath(org)}/members/${encodeURIComponent(account)}`, { method: 'DELETE' });
}

export async function invite(org: string, role: Role): Promise<HttpResult<CreatedInvitation>> {
  return parsed(await request<unknown>(`${orgPath(org)}/invitations`, { method: 'POST', body: { role } }), parseCreatedInvitation);
}

export async function fetchInvitation(token: string): Promise<HttpResult<InvitationInfo>> {
  return parsed(await request<unknown>(`/api/invitations/${encodeURIComponent(token)}`), parseInvitationInfo);
}

/**
 * Accepts an invitation: signed in (no fields), with the account one has; otherwise a new account
 * from `fields`, signed in at once. Answers the `/api/me` body and keeps its CSRF token.
 */
export async function acceptInvitation(token: string, fields: AccountFields | null): Promise<HttpResult<Me>> {
  const body = fields ? { name: fields.name.trim(), email: fields.email.trim(), password: fields.password } : undefined;
  const res = await request<unknown>(`/api/invitations/${encodeURIComponent(token)}/accept`, { method: 'POST', body });
  const me = parsed(res, parseMe);
  if (me.ok) setCsrfToken(me.data.csrf_token);
  return me;
}

const keyPath = (code: string) => `/api/sessions/${encodeURIComponent(code)}/key`;

/** The session's key link, for a member who may run it (fetched only on request). */
export async function fetchKey(code: string): Promise<HttpResult<SessionKey>> {
  return parsed(await request<unknown>(keyPath(code)), parseSessionKey);
}

/** A new key: the old link stops working, and consoles open with it are disconnected. */
export async function rotateKey(code: string): Promise<HttpResult<SessionKey>> {
  return parsed(await request<unknown>(keyPath(code), { method: 'POST' }), parseSessionKey);
}

/** No key link works any more; members still open the console. */
export function revokeKey(code: string): Promise<HttpResult<unknown>> {
  return request(keyPath(code), { method: 'DELETE' });
}

/** Moves an anonymous session into an organisation: its key and a signed-in facilitator or admin of it. */
export function claimSession(code: string, key: string, org: string): Promise<HttpResult<unknown>> {
  return request(`/api/sessions/${encodeURIComponent(code)}/claim?organisation=${encodeURIComponent(org)}`, { method: 'POST', key });
}
