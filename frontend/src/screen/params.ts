//! The projector's settings, chosen on the console and carried by the link it opens:
//! `?lang=en` for the language, `?words=list` for the word list instead of the cloud and
//! `?theme=dark` for light type on black (a dark room, or a projector that washes out white).
//! The projector itself shows no controls. A console opened with the facilitator key passes the key in
//! the fragment (`#key=…`, never the query, so no server or proxy log sees it): with it the screen may
//! fetch the room word; a signed-in console's screen uses the sign-in cookie instead. Pure.

import type { Lang } from '../lib/i18n';

export interface ScreenParams {
  lang: Lang | null;
  wordsAsList: boolean;
  dark: boolean;
}

export function screenParams(search: string): ScreenParams {
  const q = new URLSearchParams(search);
  const lang = q.get('lang');
  return {
    lang: lang === 'sv' || lang === 'en' ? lang : null,
    wordsAsList: q.get('words') === 'list',
    dark: q.get('theme') === 'dark',
  };
}

/** The link to the projector with the console's choices, and the console's key (if any) in the fragment. */
export function screenHref(code: string, lang: Lang, wordsAsList: boolean, dark = false, key: string | null = null): string {
  const q = new URLSearchParams({ lang });
  if (wordsAsList) q.set('words', 'list');
  if (dark) q.set('theme', 'dark');
  const fragment = key ? `#${new URLSearchParams({ key }).toString()}` : '';
  return `/screen/${code}?${q.toString()}${fragment}`;
}
