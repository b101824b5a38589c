//! Pure rules of the summary, the prioritisation and the action plan: which suggestions fit a
//! locked level, which indicators a prioritisation would take, dates, and which form field a
//! server error names. No DOM, no Preact.

import type { ActionStatus, IndicatorSummary, Item, PlanAction, Suggestion, Summary } from './types';

export const STATUSES: readonly ActionStatus[] = ['todo', 'doing', 'done'];

/** Most options a points item takes, so at most this many gaps go into a prioritisation. */
export const MAX_GAPS = 12;

/** Budget limits of a points item (protocol, item set format). */
export const BUDGET_MIN = 1;
export const BUDGET_MAX = 1000;
export const DEFAULT_BUDGET = 100;
/** "Påbörjad": levels at or below it count as gaps unless the facilitator says otherwise. */
export const DEFAULT_MAX_LEVEL = 3;

/** Longest action text, owner, organisation and field the server takes, in characters. */
export const ACTION_TEXT_MAX = 1000;
export const OWNER_MAX = 200;
export const ORGANISATION_MAX = 200;

/** The fields of operation of the LIKA catalogue, offered when an assessment is finished. */
export const FIELDS: readonly { sv: string; en: string }[] = [
  { sv: 'Övergripande', en: 'Overall' },
  { sv: 'Äldreomsorg', en: 'Elderly care' },
  { sv: 'Individ- och familjeomsorg', en: 'Individual and family care' },
  { sv: 'Funktionsnedsättning', en: 'Disability' },
];

/**
 * Suggestions that fit a group at `level`: those meant for levels up to `up_to` ≥ `level`,
 * the closest fit first (the lowest `up_to`). With no locked level every suggestion fits.
 */
export function fittingSuggestions(suggestions: readonly Suggestion[] | undefined, level: number | null): Suggestion[] {
  if (!suggestions) return [];
  return suggestions
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => level === null || s.up_to >= level)
    .sort((a, b) => a.s.up_to - b.s.up_to || a.i - b.i)
    .map(({ s }) => s);
}

/**
 * Suggestions per item id: those the state carries, else those of the session's item set (the
 * state may leave them out; `GET /api/sessions/{code}/items` has them).
 */
export function suggestionsFor(item: Item | null, fromItemSet: Record<string, Suggestion[]>): Suggestion[] {
  if (!item) return [];
  if (item.suggestions && item.suggestions.length > 0) return item.suggestions;
  return fromItemSet[item.id] ?? [];
}

/** The suggestions of every item in an item set, by id. */
export function suggestionsOfItemSet(set: { items?: unknown } | null): Record<string, Suggestion[]> {
  const out: Record<string, Suggestion[]> = {};
  const items = set && Array.isArray(set.items) ? (set.items as { id?: unknown; suggestions?: unknown }[]) : [];
  for (const item of items) {
    if (typeof item?.id !== 'string' || !Array.isArray(item.suggestions)) continue;
    const list = (item.suggestions as Suggestion[]).filter(
      (s) => s && typeof s.up_to === 'number' && (typeof s.text === 'string' || (typeof s.text === 'object' && s.text !== null)),
    );
    if (list.length > 0) out[item.id] = list;
  }
  return out;
}

/**
 * The indicators a prioritisation at `maxLevel` takes, as the server chooses them: locked ones
 * at or below the level, the lowest levels first, at most twelve, then in agenda order.
 */
export function gapCandidates(summary: Summary, maxLevel: number, limit = MAX_GAPS): IndicatorSummary[] {
  return summary.indicators
    .map((ind, index) => ({ ind, index }))
    .filter(({ ind }) => ind.level !== null && ind.level <= maxLevel)
    .sort((a, b) => (a.ind.level ?? 0) - (b.ind.level ?? 0) || a.index - b.index)
    .slice(0, limit)
    .sort((a, b) => a.index - b.index)
    .map(({ ind }) => ind);
}

/** The summary line of an indicator, or null. */
export function indicatorOf(summary: Summary | null | undefined, id: string): IndicatorSummary | null {
  return summary?.indicators.find((i) => i.id === id) ?? null;
}

/**
 * The indicators to offer when adding an action: prioritised ones first (in priority order),
 * then the other locked ones, then the open ones, each in agenda order.
 */
export function actionTargets(summary: Summary): IndicatorSummary[] {
  const rank = new Map(summary.priorities.map((p, i) => [p.item, i]));
  return summary.indicators
    .map((ind, index) => ({ ind, index }))
    .sort((a, b) => {
      const ra = rank.get(a.ind.id) ?? Infinity;
      const rb = rank.get(b.ind.id) ?? Infinity;
      if (ra !== rb) return ra - rb;
      const la = a.ind.level === null ? 1 : 0;
      const lb = b.ind.level === null ? 1 : 0;
      return la - lb || a.index - b.index;
    })
    .map(({ ind }) => ind);
}

/** The indicator an "add an action" form starts on: the first prioritised one without an action. */
export function defaultTarget(summary: Summary, actions: readonly PlanAction[]): string | null {
  const planned = new Set(actions.map((a) => a.item));
  const targets = actionTargets(summary);
  const free = targets.find((t) => summary.priorities.some((p) => p.item === t.id) && !planned.has(t.id));
  return (free ?? targets.find((t) => t.level !== null && !planned.has(t.id)) ?? targets[0])?.id ?? null;
}

/** A text as one line: the server takes action texts, owners and organisations on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `YYYY-MM-DD` of a date in local time. */
export function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Today's local date as `YYYY-MM-DD`: the default date of a finished assessment. */
export function todayIso(now: Date = new Date()): string {
  return isoDate(now);
}

/** A calendar date written `YYYY-MM-DD` (month 1–12, day valid for the month). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** An action not done whose due date has passed. */
export function isOverdue(action: PlanAction, today: string): boolean {
  return action.status !== 'done' && action.due !== null && action.due < today;
}

/**
 * The form field an `invalid_field` message names ("due: a date is written YYYY-MM-DD" →
 * "due"), if it is one of `fields`; null for messages about the whole form.
 */
export function fieldOfError<F extends string>(message: string, fields: readonly F[]): F | null {
  const m = /^\s*([a-z_]+)\s*:/.exec(message);
  if (!m) return null;
  return (fields as readonly string[]).includes(m[1]) ? (m[1] as F) : null;
}

/** Counts of actions per status. */
export function statusCounts(actions: readonly PlanAction[]): Record<ActionStatus, number> {
  const counts: Record<ActionStatus, number> = { todo: 0, doing: 0, done: 0 };
  for (const a of actions) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}
