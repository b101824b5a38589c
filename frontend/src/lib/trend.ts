//! An organisation's history and trend (docs/protocol.md section 2a, `GET /api/organisations/{id}/trend`):
//! reading the answer, which occasions the radar draws and how each looks (colour, line style and
//! marker, never colour alone), and the geometry of the line chart of an area over time. Pure
//! numbers and data; no DOM, no Preact. Never a ranking against other organisations.

import type { AreaLine, IndicatorLine, Trend, TrendOccasion } from './protocol';
import { request, type HttpResult } from './http';

/** The radar draws at most this many occasions (the newest); the tables show them all. */
export const MAX_DRAWN = 6;

/** How one occasion's polygon or line looks: a tone (CSS `--tone-n`), a dash pattern and a marker. */
export interface SeriesLook {
  /** Index into the tones `--tone-0`…`--tone-5`. */
  tone: number;
  /** An SVG `stroke-dasharray`, or null for a solid line. */
  dash: string | null;
  marker: Marker;
  /** The newest occasion: solid, thicker, filled. */
  newest: boolean;
}

export type Marker = 'circle' | 'square' | 'diamond' | 'triangle' | 'cross' | 'bar';

/** Older occasions, newest first: each a different tone, dash and marker. */
const OLDER: readonly Omit<SeriesLook, 'newest'>[] = [
  { tone: 1, dash: '7 5', marker: 'square' },
  { tone: 2, dash: '2 4', marker: 'diamond' },
  { tone: 3, dash: '10 4 2 4', marker: 'triangle' },
  { tone: 4, dash: '4 3', marker: 'cross' },
  { tone: 5, dash: '1 6', marker: 'bar' },
];

/** The indices of the occasions the radar draws: the newest `most`, oldest first. */
export function drawnOccasions(count: number, most: number = MAX_DRAWN): number[] {
  const from = Math.max(0, count - Math.max(1, most));
  return Array.from({ length: Math.max(0, count - from) }, (_, i) => from + i);
}

/**
 * The look of the occasion at `index` among `count` drawn ones (oldest first): the newest is
 * solid and emphasised, the others step through tones, dashes and markers from the newest back.
 */
export function seriesLook(index: number, count: number): SeriesLook {
  if (index === count - 1) return { tone: 0, dash: null, marker: 'circle', newest: true };
  const back = count - 2 - index;
  return { ...OLDER[Math.max(0, back) % OLDER.length], newest: false };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const text = (v: unknown) => (isRecord(v) ? { sv: typeof v.sv === 'string' ? v.sv : '', en: typeof v.en === 'string' ? v.en : '' } : typeof v === 'string' ? { sv: v, en: v } : { sv: '', en: '' });

/** `n` values: numbers kept, anything else null; padded or cut to the number of occasions. */
function series(v: unknown, n: number): (number | null)[] {
  const list = Array.isArray(v) ? v : [];
  return Array.from({ length: n }, (_, i) => (typeof list[i] === 'number' && Number.isFinite(list[i]) ? (list[i] as number) : null));
}

/** The trend answer, checked: every series as long as the list of occasions. */
export function parseTrend(value: unknown): Trend | null {
  if (!isRecord(value) || !Array.isArray(value.occasions)) return null;
  const occasions: TrendOccasion[] = value.occasions.flatMap((o): TrendOccasion[] =>
    isRecord(o) && typeof o.code === 'string'
      ? [
          {
            code: o.code,
            title: typeof o.title === 'string' ? o.title : '',
            date: typeof o.date === 'string' ? o.date : '',
            field: strOrNull(o.field),
            catalogue: strOrNull(o.catalogue),
            version: strOrNull(o.version),
          },
        ]
      : [],
  );
  const n = occasions.length;
  const indicators: IndicatorLine[] = (Array.isArray(value.indicators) ? value.indicators : []).flatMap((l): IndicatorLine[] =>
    isRecord(l) && typeof l.id === 'string'
      ? [
          {
            id: l.id,
            area: strOrNull(l.area),
            title: text(l.title),
            ids: Array.from({ length: n }, (_, i) => (Array.isArray(l.ids) ? strOrNull(l.ids[i]) : null)),
            levels: series(l.levels, n),
          },
        ]
      : [],
  );
  const areas: AreaLine[] = (Array.isArray(value.areas) ? value.areas : []).flatMap((a): AreaLine[] =>
    isRecord(a) && typeof a.id === 'string' ? [{ id: a.id, name: text(a.name), averages: series(a.averages, n) }] : [],
  );
  const top = typeof value.top === 'number' && value.top >= 1 ? Math.round(value.top) : 5;
  return { occasions, top, indicators, areas };
}

/** The indicators of one area, in the server's order. */
export function indicatorsOf(trend: Trend, area: string | null): IndicatorLine[] {
  return trend.indicators.filter((l) => l.area === area);
}

/**
 * The earlier ids of a renamed indicator, oldest first, without repeats and without its current id
 * ("L1" for a line now called "L1-ny").
 */
export function earlierIds(line: IndicatorLine): string[] {
  const out: string[] = [];
  for (const id of line.ids) if (id && id !== line.id && !out.includes(id)) out.push(id);
  return out;
}

/** Why a cell of the table is empty: the indicator was not in that catalogue version, or was not locked. */
export function missingReason(line: IndicatorLine, i: number): 'absent' | 'open' | null {
  if (line.levels[i] !== null) return null;
  return line.ids[i] === null ? 'absent' : 'open';
}

// ---- the line chart of an area over time

export interface LineFrame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Room on the left for the levels, on the right for the indicators' ids, below for the dates. */
export const LINE_FRAME: LineFrame = { width: 420, height: 230, left: 34, right: 56, top: 18, bottom: 44 };

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The x of occasion `i` of `n` (evenly spaced by date order; a lone occasion in the middle). */
export function xAt(i: number, n: number, f: LineFrame = LINE_FRAME): number {
  const inner = f.width - f.left - f.right;
  if (n <= 1) return round1(f.left + inner / 2);
  return round1(f.left + (inner * i) / (n - 1));
}

/** The y of a level on the scale 1..top (1 at the bottom, top at the top), clamped to the scale. */
export function yAt(level: number, top: number, f: LineFrame = LINE_FRAME): number {
  const inner = f.height - f.top - f.bottom;
  if (top <= 1) return round1(f.top + inner / 2);
  const v = Math.min(Math.max(level, 1), top);
  return round1(f.top + inner * (1 - (v - 1) / (top - 1)));
}

export interface LinePoint {
  /** The occasion's index. */
  i: number;
  value: number;
  x: number;
  y: number;
}

/**
 * The drawn runs of a series: consecutive occasions with a value, each a polyline. A null breaks
 * the line (not locked, or not yet in the catalogue: a new indicator starts where it appears).
 */
export function lineRuns(values: readonly (number | null)[], top: number, f: LineFrame = LINE_FRAME): LinePoint[][] {
  const runs: LinePoint[][] = [];
  let run: LinePoint[] = [];
  values.forEach((value, i) => {
    if (value === null) {
      if (run.length) runs.push(run);
      run = [];
      return;
    }
    run.push({ i, value, x: xAt(i, values.length, f), y: yAt(value, top, f) });
  });
  if (run.length) runs.push(run);
  return runs;
}

/** An SVG path through the points of one run (`M x,y L x,y …`). */
export function pathOf(run: readonly LinePoint[]): string {
  return run.map((p, k) => `${k === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
}

/** The last point of a series that has one (where its label goes), or null. */
export function lastPoint(values: readonly (number | null)[], top: number, f: LineFrame = LINE_FRAME): LinePoint | null {
  const runs = lineRuns(values, top, f);
  const run = runs[runs.length - 1];
  return run ? run[run.length - 1] : null;
}

/**
 * Label positions that do not overlap: `ys` moved apart to at least `gap` between neighbours,
 * kept within `lo`..`hi`, each as close to where it wants to be as that allows. Answers the
 * positions in the order given.
 */
export function spreadLabels(ys: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = ys.map((y, k) => ({ y, k })).sort((a, b) => a.y - b.y || a.k - b.k);
  const placed = order.map((o) => o.y);
  for (let j = 0; j < placed.length; j++) {
    placed[j] = Math.max(placed[j], lo, j > 0 ? placed[j - 1] + gap : lo);
  }
  // Pushed past the bottom: move back up from the end.
  for (let j = placed.length - 1; j >= 0; j--) {
    const limit = j === placed.length - 1 ? hi : placed[j + 1] - gap;
    if (placed[j] > limit) placed[j] = limit;
  }
  const out = new Array<number>(ys.length);
  order.forEach((o, j) => (out[o.k] = round1(placed[j])));
  return out;
}

// ---- requests

const trendPath = (org: string) => `/api/organisations/${encodeURIComponent(org)}/trend`;

/** The query of a trend request: one unit by name, or all (`field` null or empty). */
export function trendQuery(field: string | null, lang?: 'sv' | 'en'): string {
  const params = new URLSearchParams();
  if (lang) params.set('lang', lang);
  if (field && field.trim()) params.set('field', field.trim());
  const q = params.toString();
  return q ? `?${q}` : '';
}

export async function fetchTrend(org: string, field: string | null): Promise<HttpResult<Trend>> {
  const res = await request<unknown>(`${trendPath(org)}${trendQuery(field)}`);
  if (!res.ok) return res;
  const trend = parseTrend(res.data);
  return trend ? { ok: true, status: res.status, data: trend } : { ok: false, status: res.status, code: 'http', message: '' };
}

/** The CSV download of the trend, in a language, for one unit or all. */
export function trendCsvHref(org: string, field: string | null, lang: 'sv' | 'en'): string {
  return `${trendPath(org)}.csv${trendQuery(field, lang)}`;
}

/** The printable page of the trend, in a language, for one unit or all. */
export function trendReportHref(org: string, field: string | null, lang: 'sv' | 'en'): string {
  return `${trendPath(org)}.html${trendQuery(field, lang)}`;
}

/** The printable report of an occasion (a member reads it signed in, without the key). */
export function reportHref(code: string, lang: 'sv' | 'en'): string {
  return `/api/sessions/${encodeURIComponent(code)}/report.html?lang=${lang}`;
}

/** The console of an occasion (a facilitator or admin of the organisation opens it signed in). */
export function consoleHref(code: string): string {
  return `/facilitate/${encodeURIComponent(code)}`;
}

/**
 * The dates under the line chart's x axis: the years when every occasion is in a year of its
 * own, else the whole dates (`YYYY-MM-DD`).
 */
export function axisDates(dates: readonly string[]): string[] {
  const years = dates.map((d) => d.slice(0, 4));
  return new Set(years).size === years.length && years.every((y) => /^\d{4}$/.test(y)) ? years : [...dates];
}
