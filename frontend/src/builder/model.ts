//! The session builder's model: editable drafts of items, their rules (mirroring the item
//! set format of docs/protocol.md), and conversion to and from an item set. Pure; no DOM.

import type { ItemDef, ItemSet, Kind, LevelDef, Results, TextIn } from '../lib/types';

/** A text being edited: Swedish required, English optional. */
export interface DraftText {
  sv: string;
  en: string;
}

export interface DraftLevel {
  label: DraftText;
  /** Kept from an imported scale; the builder does not edit it. */
  definition: DraftText;
}

/**
 * One item being edited. Every kind's fields are kept, so that switching the kind and back
 * loses nothing; only the current kind's fields are saved.
 */
export interface DraftItem {
  /** Local identity for rendering and focus; never sent. */
  key: number;
  /** The item's id; empty lets the server number it. */
  id: string;
  kind: Kind;
  title: DraftText;
  description: DraftText;
  /** Notes for the facilitator: shown in the presenter view, never on phones or the screen. */
  notes: string;
  results: Results;
  options: DraftText[];
  multiple: boolean;
  budget: number;
  maxWords: number;
  maxChars: number;
  levels: DraftLevel[];
  notRelevant: DraftLevel | null;
  /** The item has rounds: its kind and number of options or levels are fixed, and it stays. */
  inUse: boolean;
  /**
   * Fields of a loaded item that the builder does not edit (e.g. a workshop item's `area`),
   * sent back as they came so that saving the agenda does not drop them.
   */
  extra: Record<string, unknown>;
}

export interface Draft {
  title: string;
  items: DraftItem[];
}

/** Limits of the item set format (protocol, "Item set format"), in items and characters. */
export const LIMITS = {
  items: 200,
  sessionTitle: 200,
  title: 300,
  text: 1000,
  notes: 2000,
  options: [2, 12],
  levels: [2, 10],
  budget: [1, 1000],
  maxWords: [1, 10],
  maxChars: [1, 60],
} as const;

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export const KINDS: readonly Kind[] = ['choice', 'words', 'scale', 'points'];

export const emptyText = (): DraftText => ({ sv: '', en: '' });

/** Default of `results` per kind: live for choice and words, after the reveal for scale and points. */
export function defaultResults(kind: Kind): Results {
  return kind === 'choice' || kind === 'words' ? 'live' : 'after_reveal';
}

/** The quick "1–5" scale: labelled ends, numbered middle. */
export function preset15(): DraftLevel[] {
  const label = (sv: string, en: string): DraftLevel => ({ label: { sv, en }, definition: emptyText() });
  return [label('Inte alls', 'Not at all'), label('2', '2'), label('3', '3'), label('4', '4'), label('Helt', 'Completely')];
}

export function notRelevantLevel(): DraftLevel {
  return { label: { sv: 'Ej relevant', en: 'Not relevant' }, definition: emptyText() };
}

export function newItem(kind: Kind, key: number): DraftItem {
  return {
    key,
    id: '',
    kind,
    title: emptyText(),
    description: emptyText(),
    notes: '',
    results: defaultResults(kind),
    options: [emptyText(), emptyText()],
    multiple: false,
    budget: 100,
    maxWords: 3,
    maxChars: 40,
    levels: preset15(),
    notRelevant: null,
    inUse: false,
    extra: {},
  };
}

/** A text for the wire: the pair, or the Swedish alone when there is no English. */
export function textOut(t: DraftText): TextIn {
  const sv = t.sv.trim();
  const en = t.en.trim();
  return en === '' || en === sv ? sv : { sv, en };
}

/** A text from an item set (pair or plain string) for editing. */
export function textIn(t: TextIn | null | undefined): DraftText {
  if (t == null) return emptyText();
  if (typeof t === 'string') return { sv: t, en: '' };
  const sv = typeof t.sv === 'string' ? t.sv : '';
  const en = typeof t.en === 'string' ? t.en : '';
  // A pair with the same text twice is a plain string in disguise.
  return { sv: sv || en, en: sv && en !== sv ? en : '' };
}

const filled = (t: DraftText) => t.sv.trim() !== '' || t.en.trim() !== '';

/** The item set of a draft, as `PUT …/items` takes it (and `POST /api/sessions` its items). */
export function toItemSet(draft: Draft): ItemSet {
  const title = draft.title.trim();
  return { format: 'samsyn-items', version: 1, title: title || null, items: draft.items.map(toItemDef) };
}

export function toItemDef(d: DraftItem): ItemDef {
  const base: { id?: string; title: TextIn; description?: TextIn; notes?: string; results: Results } = {
    ...d.extra,
    title: textOut(d.title),
    results: d.results,
  };
  if (d.id.trim() !== '') base.id = d.id.trim();
  if (filled(d.description)) base.description = textOut(d.description);
  if (d.notes.trim() !== '') base.notes = d.notes;
  switch (d.kind) {
    case 'choice':
      return { ...base, kind: 'choice', options: d.options.map(textOut), multiple: d.multiple };
    case 'points':
      return { ...base, kind: 'points', options: d.options.map(textOut), budget: d.budget };
    case 'words':
      return { ...base, kind: 'words', max_words: d.maxWords, max_chars: d.maxChars };
    case 'scale': {
      const levels: LevelDef[] = d.levels.map((l, i) => {
        const level: LevelDef = { level: i + 1, label: textOut(l.label) };
        if (filled(l.definition)) level.definition = textOut(l.definition);
        return level;
      });
      const scale: Extract<ItemDef, { kind: 'scale' }>['scale'] = { levels };
      if (d.notRelevant) {
        scale.not_relevant = { label: textOut(d.notRelevant.label) };
        if (filled(d.notRelevant.definition)) scale.not_relevant.definition = textOut(d.notRelevant.definition);
      }
      return { ...base, kind: 'scale', scale };
    }
  }
}

/** Item fields the builder edits; any other field of a loaded item is kept in `extra`. */
const EDITED = new Set(['id', 'kind', 'title', 'description', 'notes', 'results', 'options', 'multiple', 'budget', 'max_words', 'max_chars', 'scale']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function levelsIn(scale: unknown): { levels: DraftLevel[]; notRelevant: DraftLevel | null } {
  const s = isObject(scale) ? scale : {};
  const raw = Array.isArray(s.levels) ? s.levels.filter(isObject) : [];
  const levels = [...raw]
    .sort((a, b) => num(a.level, 0) - num(b.level, 0))
    .map((l) => ({ label: textIn(l.label as TextIn), definition: textIn(l.definition as TextIn) }));
  const nr = isObject(s.not_relevant)
    ? { label: textIn(s.not_relevant.label as TextIn), definition: textIn(s.not_relevant.definition as TextIn) }
    : null;
  return { levels: levels.length > 0 ? levels : preset15(), notRelevant: nr };
}

/**
 * Drafts from an item set (the server's export). `inUse` names the items that have rounds;
 * `firstKey` is the first local key to hand out. Unknown kinds are skipped.
 */
export function fromItemSet(set: unknown, inUse: ReadonlySet<string>, firstKey: number): Draft {
  const s = isObject(set) ? set : {};
  const raw = Array.isArray(s.items) ? s.items.filter(isObject) : [];
  const items: DraftItem[] = [];
  let key = firstKey;
  for (const r of raw) {
    const kind = r.kind as Kind;
    if (!KINDS.includes(kind)) continue;
    const d = newItem(kind, key++);
    d.id = typeof r.id === 'string' ? r.id : '';
    d.title = textIn(r.title as TextIn);
    d.description = textIn(r.description as TextIn);
    d.notes = typeof r.notes === 'string' ? r.notes : '';
    d.results = r.results === 'live' || r.results === 'after_reveal' ? r.results : defaultResults(kind);
    if (Array.isArray(r.options)) d.options = r.options.map((o) => textIn(o as TextIn));
    d.multiple = r.multiple === true;
    d.budget = num(r.budget, d.budget);
    d.maxWords = num(r.max_words, d.maxWords);
    d.maxChars = num(r.max_chars, d.maxChars);
    if (kind === 'scale') Object.assign(d, levelsIn(r.scale));
    d.inUse = d.id !== '' && inUse.has(d.id);
    d.extra = Object.fromEntries(Object.entries(r).filter(([k]) => !EDITED.has(k)));
    items.push(d);
  }
  return { title: typeof s.title === 'string' ? s.title : '', items };
}

/** What is wrong in a draft: the item (index) or null for the session, the field, a code. */
export interface Problem {
  item: number | null;
  /** The field's id suffix in the builder: `title`, `options`, `option-2`, `budget`, … */
  field: string;
  code: ProblemCode;
  params?: Record<string, number>;
}

export type ProblemCode =
  | 'session_title_long'
  | 'too_many_items'
  | 'id_format'
  | 'id_duplicate'
  | 'title_missing'
  | 'title_long'
  | 'description_long'
  | 'notes_long'
  | 'options_count'
  | 'option_missing'
  | 'option_long'
  | 'budget_range'
  | 'max_words_range'
  | 'max_chars_range'
  | 'levels_count'
  | 'level_missing'
  | 'level_long';

const chars = (s: string) => [...s.trim()].length;
const longest = (t: DraftText) => Math.max(chars(t.sv), chars(t.en));
const inRange = (v: number, [lo, hi]: readonly [number, number]) => Number.isInteger(v) && v >= lo && v <= hi;

/** Every rule the server will check that the builder can check first. Empty = fine. */
export function validate(draft: Draft): Problem[] {
  const out: Problem[] = [];
  if (chars(draft.title) > LIMITS.sessionTitle) out.push({ item: null, field: 'title', code: 'session_title_long', params: { max: LIMITS.sessionTitle } });
  if (draft.items.length > LIMITS.items) out.push({ item: null, field: 'items', code: 'too_many_items', params: { max: LIMITS.items } });
  const ids = new Map<string, number>();
  draft.items.forEach((d, i) => {
    const p = (field: string, code: ProblemCode, params?: Record<string, number>) => out.push({ item: i, field, code, params });
    const id = d.id.trim();
    if (id !== '') {
      if (!ID_PATTERN.test(id)) p('id', 'id_format');
      else if (ids.has(id)) p('id', 'id_duplicate', { other: (ids.get(id) ?? 0) + 1 });
      else ids.set(id, i);
    }
    if (d.title.sv.trim() === '') p('title', 'title_missing');
    else if (longest(d.title) > LIMITS.title) p('title', 'title_long', { max: LIMITS.title });
    if (longest(d.description) > LIMITS.text) p('description', 'description_long', { max: LIMITS.text });
    if ([...d.notes].length > LIMITS.notes) p('notes', 'notes_long', { max: LIMITS.notes });
    if (d.kind === 'choice' || d.kind === 'points') {
      const [lo, hi] = LIMITS.options;
      if (d.options.length < lo || d.options.length > hi) p('options', 'options_count', { min: lo, max: hi });
      d.options.forEach((o, j) => {
        if (o.sv.trim() === '') p(`option-${j}`, 'option_missing', { n: j + 1 });
        else if (longest(o) > LIMITS.text) p(`option-${j}`, 'option_long', { n: j + 1, max: LIMITS.text });
      });
    }
    if (d.kind === 'points' && !inRange(d.budget, LIMITS.budget)) p('budget', 'budget_range', { min: 1, max: 1000 });
    if (d.kind === 'words') {
      if (!inRange(d.maxWords, LIMITS.maxWords)) p('max-words', 'max_words_range', { min: 1, max: 10 });
      if (!inRange(d.maxChars, LIMITS.maxChars)) p('max-chars', 'max_chars_range', { min: 1, max: 60 });
    }
    if (d.kind === 'scale') {
      const [lo, hi] = LIMITS.levels;
      if (d.levels.length < lo || d.levels.length > hi) p('levels', 'levels_count', { min: lo, max: hi });
      d.levels.forEach((l, j) => {
        if (l.label.sv.trim() === '') p(`level-${j}`, 'level_missing', { n: j + 1 });
        else if (longest(l.label) > LIMITS.text) p(`level-${j}`, 'level_long', { n: j + 1, max: LIMITS.text });
      });
      if (d.notRelevant && d.notRelevant.label.sv.trim() === '') p('not-relevant', 'level_missing', { n: 0 });
    }
  });
  return out;
}

/** `items` with the item at `from` moved to `to` (both clamped to the list). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  if (from < 0 || from >= next.length) return next;
  const target = Math.max(0, Math.min(next.length - 1, to));
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved);
  return next;
}

/** The item a server message such as `items[2].options: …` points at (0-based), or null. */
export function itemOfMessage(message: string): number | null {
  const m = /items\[(\d+)\]/.exec(message);
  return m ? Number(m[1]) : null;
}

/** Why an imported file cannot be sent, before the server sees it. */
export type ImportProblem = 'not_json' | 'not_items' | 'catalogue';

/**
 * Reads an item-set file for `POST /api/sessions`: its title and items, passed on as they are
 * (the server checks them and says what is wrong and where). A catalogue is told apart.
 */
export function readItemFile(text: string): { title: string | null; items: unknown[] } | { problem: ImportProblem } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not_json' };
  }
  if (Array.isArray(value)) return { title: null, items: value };
  if (!isObject(value)) return { problem: 'not_items' };
  if (Array.isArray(value.areas) && !Array.isArray(value.items)) return { problem: 'catalogue' };
  if (!Array.isArray(value.items)) return { problem: 'not_items' };
  return { title: typeof value.title === 'string' ? value.title : null, items: value.items };
}

/** A file name for an exported item set: `samsyn-482913.json`, or the title made safe. */
export function exportFileName(title: string | null, code: string | null): string {
  const base = (title ?? '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `samsyn-${[code, base].filter(Boolean).join('-') || 'items'}.json`;
}
