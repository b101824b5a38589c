//! The living plan of an organisation (docs/protocol.md section 2a, `…/plan`): reading the actions,
//! grouping them into a roadmap by quarter ("no quarter" last), the fields of the add and change
//! forms and which field a refusal names, and the requests. No DOM, no Preact.

import type { PlanAction, PlanStatus, PlanStep } from './protocol';
import { request, type HttpResult } from './http';

export const PLAN_STATUSES: readonly PlanStatus[] = ['planned', 'started', 'done', 'dropped'];

/** The fields of the add and change forms, as the server names them in an `invalid_field` message. */
export const PLAN_FIELDS = ['text', 'indicator', 'owner', 'due', 'quarter', 'status', 'note'] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const isStatus = (v: unknown): v is PlanStatus => typeof v === 'string' && (PLAN_STATUSES as readonly string[]).includes(v);

export function parseAction(v: unknown): PlanAction | null {
  if (!isRecord(v) || typeof v.id !== 'string') return null;
  const history: PlanStep[] = (Array.isArray(v.history) ? v.history : []).flatMap((s): PlanStep[] =>
    isRecord(s) ? [{ at: num(s.at), by: str(s.by), status: isStatus(s.status) ? s.status : 'planned', note: str(s.note) }] : [],
  );
  return {
    id: v.id,
    text: str(v.text),
    indicator: strOrNull(v.indicator),
    catalogue: strOrNull(v.catalogue),
    owner: str(v.owner),
    due: strOrNull(v.due),
    quarter: strOrNull(v.quarter),
    status: isStatus(v.status) ? v.status : 'planned',
    note: str(v.note),
    session: strOrNull(v.session),
    created_at: num(v.created_at),
    updated_at: num(v.updated_at),
    history,
  };
}

export function parsePlan(v: unknown): PlanAction[] | null {
  if (!Array.isArray(v)) return null;
  return v.flatMap((a) => {
    const action = parseAction(a);
    return action ? [action] : [];
  });
}

/** A quarter as the server keeps it: `YYYY-Qn`, n 1–4 (a lower-case q is accepted). */
export function isQuarter(value: string): boolean {
  return /^\d{4}-[Qq][1-4]$/.test(value.trim());
}

/** The quarter of a date `YYYY-MM-DD` (`2027-05-31` → `2027-Q2`), or null. */
export function quarterOf(date: string | null): string | null {
  const m = date ? /^(\d{4})-(\d{2})-\d{2}$/.exec(date) : null;
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return `${m[1]}-Q${Math.ceil(month / 3)}`;
}

export interface QuarterGroup {
  /** `YYYY-Qn`, or null: the actions without a quarter. */
  quarter: string | null;
  actions: PlanAction[];
}

/**
 * The roadmap: the actions grouped by quarter, the quarters in time order and those without one
 * last; within a quarter the order given (the server's: open first, then by due date).
 */
export function groupByQuarter(actions: readonly PlanAction[]): QuarterGroup[] {
  const groups = new Map<string | null, PlanAction[]>();
  for (const a of actions) {
    const q = a.quarter && isQuarter(a.quarter) ? a.quarter.toUpperCase() : null;
    const list = groups.get(q);
    if (list) list.push(a);
    else groups.set(q, [a]);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return keys.map((quarter) => ({ quarter, actions: groups.get(quarter)! }));
}

/** Whether an action still needs doing (planned or started). */
export function isOpen(action: PlanAction): boolean {
  return action.status === 'planned' || action.status === 'started';
}

/** The field an `invalid_field` message names (`due: a date such as 2027-03-31` → `due`), or null. */
export function planFieldOfMessage(message: string): PlanField | null {
  const m = /^\s*([a-z_]+)\s*:/.exec(message);
  if (!m) return null;
  return (PLAN_FIELDS as readonly string[]).includes(m[1]) ? (m[1] as PlanField) : null;
}

/** What the add form holds (all text, as typed). */
export interface ActionFields {
  text: string;
  indicator: string;
  owner: string;
  due: string;
  quarter: string;
  note: string;
}

export const EMPTY_FIELDS: ActionFields = { text: '', indicator: '', owner: '', due: '', quarter: '', note: '' };

/** The fields of an action, to edit them. */
export function fieldsOf(a: PlanAction): ActionFields {
  return { text: a.text, indicator: a.indicator ?? '', owner: a.owner, due: a.due ?? '', quarter: a.quarter ?? '', note: '' };
}

/** The body of `POST …/plan`: the text, and each other field only when filled in. */
export function addBody(f: ActionFields): Record<string, string> {
  const body: Record<string, string> = { text: f.text.trim() };
  for (const k of ['indicator', 'owner', 'due', 'quarter', 'note'] as const) {
    const v = f[k].trim();
    if (v) body[k] = k === 'quarter' ? v.toUpperCase() : v;
  }
  return body;
}

/**
 * The body of `PUT …/plan/{id}` for the details of an action: only what changed; an optional field
 * emptied is sent as `null` (cleared), the owner as an empty string.
 */
export function editBody(before: PlanAction, f: ActionFields): Record<string, string | null> {
  const body: Record<string, string | null> = {};
  const text = f.text.trim();
  if (text !== before.text) body.text = text;
  if (f.owner.trim() !== before.owner) body.owner = f.owner.trim();
  const optional: [keyof ActionFields & ('indicator' | 'due' | 'quarter'), string | null][] = [
    ['indicator', before.indicator],
    ['due', before.due],
    ['quarter', before.quarter],
  ];
  for (const [k, was] of optional) {
    let v: string | null = f[k].trim() || null;
    if (k === 'quarter' && v) v = v.toUpperCase();
    if (v !== (was ?? null)) body[k] = v;
  }
  return body;
}

/** The body of a change of status with a note. */
export function statusBody(status: PlanStatus, note: string): { status: PlanStatus; note?: string } {
  const n = note.trim();
  return n ? { status, note: n } : { status };
}

// ---- requests

const planPath = (org: string) => `/api/organisations/${encodeURIComponent(org)}/plan`;

function parsed<T>(res: HttpResult<unknown>, parse: (v: unknown) => T | null): HttpResult<T> {
  if (!res.ok) return res;
  const data = parse(res.data);
  return data ? { ok: true, status: res.status, data } : { ok: false, status: res.status, code: 'http', message: '' };
}

export async function fetchPlan(org: string): Promise<HttpResult<PlanAction[]>> {
  return parsed(await request<unknown>(planPath(org)), parsePlan);
}

export async function addAction(org: string, f: ActionFields): Promise<HttpResult<PlanAction>> {
  return parsed(await request<unknown>(planPath(org), { method: 'POST', body: addBody(f) }), parseAction);
}

export async function changeAction(org: string, id: string, body: Record<string, unknown>): Promise<HttpResult<PlanAction>> {
  return parsed(await request<unknown>(`${planPath(org)}/${encodeURIComponent(id)}`, { method: 'PUT', body }), parseAction);
}

export function deleteAction(org: string, id: string): Promise<HttpResult<unknown>> {
  return request(`${planPath(org)}/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** What `POST …/plan/seminar` answers: a new seminar session, and how many actions it holds. */
export interface PlanSeminar {
  code: string;
  links: { facilitator: string; join: string; screen: string };
  actions: number;
  left_out: number;
}

export function parseSeminar(v: unknown): PlanSeminar | null {
  if (!isRecord(v) || typeof v.code !== 'string') return null;
  const l = isRecord(v.links) ? v.links : {};
  const code = v.code;
  return {
    code,
    links: {
      facilitator: str(l.facilitator) || `/facilitate/${code}`,
      join: str(l.join) || `/join/${code}`,
      screen: str(l.screen) || `/screen/${code}`,
    },
    actions: num(v.actions),
    left_out: num(v.left_out),
  };
}

export async function makeSeminar(org: string): Promise<HttpResult<PlanSeminar>> {
  return parsed(await request<unknown>(`${planPath(org)}/seminar`, { method: 'POST' }), parseSeminar);
}

export function planCsvHref(org: string, lang: 'sv' | 'en'): string {
  return `${planPath(org)}.csv?lang=${lang}`;
}

export function planIcsHref(org: string, lang: 'sv' | 'en'): string {
  return `${planPath(org)}.ics?lang=${lang}`;
}
