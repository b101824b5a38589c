//! "Last time" and the organisation's living plan as the console uses them (issue 19, docs/protocol.md
//! section 2a): `GET /api/sessions/{code}/previous` (the level, note and dissent locked at the
//! organisation's previous occasion on the same catalogue, and the plan's actions per indicator),
//! `POST /api/organisations/{id}/plan/from/{code}` (a finished workshop's actions onto the
//! organisation's plan), and which of the signed-in person's organisations a session belongs to.
//! Parsing and requests only; no UI.

import type { Me, Membership, OrgSession } from './account';
import { canRun } from './account';
import { request, type HttpResult } from './http';
import type { PlanAction as OrgAction, PlanStatus, PlanStep } from './protocol';

export type { OrgAction, PlanStatus, PlanStep };

/** The previous occasion: the organisation's latest finished workshop on the same catalogue. */
export interface PreviousOccasion {
  title: string;
  /** `YYYY-MM-DD`. */
  date: string;
  field: string | null;
}

/** What the previous occasion and the plan say about one indicator. */
export interface PreviousIndicator {
  /** The level locked then; null when it was not locked (or there was no previous occasion). */
  level: number | null;
  note: string | null;
  dissent: string | null;
  /** The organisation's plan actions for the indicator, in roadmap order. */
  actions: OrgAction[];
}

export interface Previous {
  occasion: PreviousOccasion | null;
  /** By the indicator's id in this session. */
  indicators: Record<string, PreviousIndicator>;
}

export const PLAN_STATUSES: readonly PlanStatus[] = ['planned', 'started', 'done', 'dropped'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const status = (v: unknown): PlanStatus => (PLAN_STATUSES.includes(v as PlanStatus) ? (v as PlanStatus) : 'planned');

function parseStep(value: unknown): PlanStep | null {
  if (!isRecord(value)) return null;
  return { at: num(value.at), by: str(value.by), status: status(value.status), note: str(value.note) };
}

/** One action of the organisation's plan, or null when it is not one. */
export function parseOrgAction(value: unknown): OrgAction | null {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.text !== 'string') return null;
  const history = Array.isArray(value.history) ? value.history.flatMap((h) => parseStep(h) ?? []) : [];
  return {
    id: value.id,
    text: value.text,
    indicator: strOrNull(value.indicator),
    catalogue: strOrNull(value.catalogue),
    owner: str(value.owner),
    due: strOrNull(value.due),
    quarter: strOrNull(value.quarter),
    status: status(value.status),
    note: str(value.note),
    session: strOrNull(value.session),
    created_at: num(value.created_at),
    updated_at: num(value.updated_at),
    history: history.sort((a, b) => a.at - b.at),
  };
}

/** The answer of `GET /api/sessions/{code}/previous`, or null when it is not one. */
export function parsePrevious(value: unknown): Previous | null {
  if (!isRecord(value)) return null;
  const o = value.occasion;
  const occasion =
    isRecord(o) && typeof o.date === 'string' ? { title: str(o.title), date: o.date, field: strOrNull(o.field) } : null;
  const indicators: Record<string, PreviousIndicator> = {};
  if (isRecord(value.indicators)) {
    for (const [id, entry] of Object.entries(value.indicators)) {
      if (!isRecord(entry)) continue;
      indicators[id] = {
        level: typeof entry.level === 'number' && Number.isFinite(entry.level) ? entry.level : null,
        note: strOrNull(entry.note),
        dissent: strOrNull(entry.dissent),
        actions: Array.isArray(entry.actions) ? entry.actions.flatMap((a) => parseOrgAction(a) ?? []) : [],
      };
    }
  }
  return { occasion, indicators };
}

/**
 * What the console shows for one indicator, or null when there is nothing: neither a level, a
 * note nor dissent from last time, nor an action in the plan. A level, note or dissent counts
 * only when there was a previous occasion.
 */
export function previousFor(previous: Previous | null, item: string): PreviousIndicator | null {
  const entry = previous?.indicators[item];
  if (!entry) return null;
  const fromOccasion = previous.occasion !== null;
  const shown: PreviousIndicator = {
    level: fromOccasion ? entry.level : null,
    note: fromOccasion ? entry.note : null,
    dissent: fromOccasion ? entry.dissent : null,
    actions: entry.actions,
  };
  return shown.level !== null || shown.note || shown.dissent || shown.actions.length > 0 ? shown : null;
}

/**
 * The steps of an action's history worth listing: each change of status or note, oldest first
 * (a step that repeats the one before it, e.g. an owner changed, says nothing new).
 */
export function historySteps(action: OrgAction): PlanStep[] {
  const out: PlanStep[] = [];
  for (const step of action.history) {
    const last = out[out.length - 1];
    if (last && last.status === step.status && last.note === step.note) continue;
    out.push(step);
  }
  return out;
}

/** Whether an action is still to be done (neither done nor dropped). */
export function isOpenAction(action: OrgAction): boolean {
  return action.status === 'planned' || action.status === 'started';
}

/** An open action whose due date has passed (`today` is `YYYY-MM-DD`). */
export function isLate(action: OrgAction, today: string): boolean {
  return isOpenAction(action) && action.due !== null && action.due < today;
}

export async function fetchPrevious(code: string, key: string | null): Promise<HttpResult<Previous>> {
  const res = await request<unknown>(`/api/sessions/${encodeURIComponent(code)}/previous`, { key });
  if (!res.ok) return res;
  const previous = parsePrevious(res.data);
  return previous ? { ok: true, status: res.status, data: previous } : { ok: false, status: res.status, code: 'http', message: '' };
}

/** What `POST /api/organisations/{id}/plan/from/{code}` answers. */
export interface TakenOver {
  /** Actions new to the organisation's plan. */
  added: number;
  /** The workshop's actions, all told. */
  actions: number;
}

export async function takeOverPlan(org: string, code: string): Promise<HttpResult<TakenOver>> {
  const res = await request<unknown>(`/api/organisations/${encodeURIComponent(org)}/plan/from/${encodeURIComponent(code)}`, {
    method: 'POST',
  });
  if (!res.ok) return res;
  const v = res.data;
  if (!isRecord(v) || typeof v.added !== 'number') return { ok: false, status: res.status, code: 'http', message: '' };
  return { ok: true, status: res.status, data: { added: v.added, actions: typeof v.actions === 'number' ? v.actions : v.added } };
}

/** How a take-over went, in words' terms: some added, all there already, or none to add. */
export type TakeOverOutcome = 'added' | 'already' | 'none';

export function takeOverOutcome(result: TakenOver): TakeOverOutcome {
  if (result.added > 0) return 'added';
  return result.actions > 0 ? 'already' : 'none';
}

/**
 * The organisations a session may belong to, in the order to ask: where the person may run
 * sessions (only they may open a console without a key or keep the plan), the one chosen last on
 * the start page first.
 */
export function organisationCandidates(me: Me | null, remembered: string | null): Membership[] {
  const runs = me?.account ? me.organisations.filter((o) => canRun(o.role)) : [];
  return [...runs.filter((o) => o.id === remembered), ...runs.filter((o) => o.id !== remembered)];
}

/**
 * The organisation a session belongs to: the first candidate whose session list holds its code.
 * The console's state does not name the owner, so it asks the lists (one request per candidate,
 * usually one); null when none of them has it (an anonymous session, or another organisation's).
 */
export async function sessionOrganisation(
  candidates: readonly Membership[],
  code: string,
  list: (org: string) => Promise<HttpResult<OrgSession[]>>,
): Promise<Membership | null> {
  for (const org of candidates) {
    const res = await list(org.id);
    if (res.ok && res.data.some((s) => s.code === code)) return org;
  }
  return null;
}
