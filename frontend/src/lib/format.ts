//! Pure formatting of numbers, shares, dates and codes for a language.
//! No DOM; Intl only.

import { locale, type Lang } from './i18n';

/** A number with at most `digits` decimals: 3 → "3", 3.5 → "3,5" in Swedish. */
export function formatNumber(lang: Lang, value: number, digits = 1): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(value);
}

/** A share 0–1 as a whole percentage: 0.723 → "72 %" (sv) or "72%" (en). */
export function formatPercent(lang: Lang, share: number): string {
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** Milliseconds since the epoch as a local date and time. */
export function formatDateTime(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** A join code is exactly six digits. */
export function isJoinCode(value: string): boolean {
  return /^\d{6}$/.test(value);
}

/** Digits of what a person typed into the code field ("482 913" → "482913"), at most six. */
export function cleanCode(value: string): string {
  return value.replace(/\D/g, '').slice(0, 6);
}

/** Share of `part` in `whole`, 0 when `whole` is 0. */
export function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/**
 * The denominator of "7 of 9 have answered": people connected now, but never fewer than
 * the ballots cast, since someone who voted and then lost their connection still counts.
 */
export function answeredTotal(voted: number, participants: number): number {
  return Math.max(voted, participants);
}

/**
 * A calendar date `YYYY-MM-DD` in the language's medium style ("30 juni 2027"); the text as
 * it is when it is not such a date. Read as a local date, so it never shifts a day.
 */
export function formatIsoDate(lang: Lang, iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium' }).format(d);
}
