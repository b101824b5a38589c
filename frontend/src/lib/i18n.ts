//! Language choice and message lookup: Swedish by default, English by choice.
//! No DOM beyond localStorage (guarded) and the <html lang> attribute.

import type { TextIn } from './types';
import { readStore, writeStore } from './storage';

export type Lang = 'sv' | 'en';

export type Params = Record<string, string | number>;

/** One UI message in both languages; a function where the wording depends on a number. */
export interface Msg {
  sv: string | ((p: Params) => string);
  en: string | ((p: Params) => string);
}

export type Dict = Record<string, Msg>;

export const LANG_KEY = 'samsyn.lang';

/** The BCP 47 locale used for numbers and dates. */
export function locale(lang: Lang): string {
  return lang === 'sv' ? 'sv-SE' : 'en-GB';
}

export function otherLang(lang: Lang): Lang {
  return lang === 'sv' ? 'en' : 'sv';
}

/** Fills `{name}` placeholders; numbers are formatted for the language. */
export function translate(lang: Lang, msg: Msg, params: Params = {}): string {
  const form = msg[lang];
  if (typeof form === 'function') return form(params);
  return form.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locale(lang)).format(value) : value;
  });
}

/**
 * A server text in the chosen language, falling back to the other one when empty. A plain
 * string (item sets allow one for both languages) is taken as it is.
 */
export function pick(text: TextIn | null | undefined, lang: Lang): string {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[lang] || text[otherLang(lang)] || '';
}

/**
 * The language a server text is shown in when that is not the page's (WCAG 3.1.2): `pick` fell
 * back to the other language because `lang`'s is empty. Put it on the element that shows the text
 * (`<h1 lang={textLang(item.title, lang)}>`); undefined (no attribute) when the text is in `lang`,
 * or is a plain string meant for both.
 */
export function textLang(text: TextIn | null | undefined, lang: Lang): Lang | undefined {
  if (!text || typeof text === 'string' || text[lang]) return undefined;
  return text[otherLang(lang)] ? otherLang(lang) : undefined;
}

/** `pick` with the `lang` attribute its element needs: spread it, `<span {...picked(o, lang)} />`. */
export function picked(text: TextIn | null | undefined, lang: Lang): { children: string; lang?: Lang } {
  const other = textLang(text, lang);
  return other ? { children: pick(text, lang), lang: other } : { children: pick(text, lang) };
}

export function storedLang(): Lang {
  return readStore(LANG_KEY) === 'en' ? 'en' : 'sv';
}

export function storeLang(lang: Lang): void {
  writeStore(LANG_KEY, lang);
}
