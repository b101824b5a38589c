//! Formatting per locale, messages with placeholders, join codes and addresses.

import { describe, expect, it } from 'vitest';
import { answeredTotal, cleanCode, formatNumber, formatPercent, isJoinCode, share } from '../src/lib/format';
import { pick, picked, textLang, translate } from '../src/lib/i18n';
import { codeFromPath, keyFromHash } from '../src/lib/path';

// Intl puts a no-break space (U+00A0) before % in Swedish; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('numbers per locale', () => {
  it('use a decimal comma in Swedish and a point in English', () => {
    expect(formatNumber('sv', 3.5)).toBe('3,5');
    expect(formatNumber('en', 3.5)).toBe('3.5');
    expect(formatNumber('sv', 3)).toBe('3');
    expect(plain(formatNumber('sv', 12345, 0))).toBe('12 345');
    expect(formatNumber('en', 12345, 0)).toBe('12,345');
  });

  it('show the consensus index as a whole percentage', () => {
    expect(plain(formatPercent('sv', 0.723))).toBe('72 %');
    expect(formatPercent('en', 0.723)).toBe('72%');
    expect(formatPercent('en', 1)).toBe('100%');
  });

  it('fill placeholders and format numbers in messages', () => {
    const msg = { sv: '{voted} av {total} har svarat', en: '{voted} of {total} have answered' };
    expect(translate('sv', msg, { voted: 7, total: 9 })).toBe('7 av 9 har svarat');
    expect(translate('en', msg, { voted: 7, total: 9 })).toBe('7 of 9 have answered');
    expect(plain(translate('sv', msg, { voted: 1200, total: 1500 }))).toBe('1 200 av 1 500 har svarat');
    expect(translate('en', msg, { voted: 7 })).toBe('7 of {total} have answered');
  });

  it('pick a server text in the chosen language, falling back to the other', () => {
    expect(pick({ sv: 'Ledning', en: 'Leadership' }, 'en')).toBe('Leadership');
    expect(pick({ sv: 'Ledning', en: '' }, 'en')).toBe('Ledning');
    expect(pick(null, 'sv')).toBe('');
  });

  it('mark a text shown in the other language with that language (WCAG 3.1.2)', () => {
    // Swedish only: the English page shows it, marked lang="sv"; the Swedish page needs no mark.
    expect(textLang({ sv: 'Ledning', en: '' }, 'en')).toBe('sv');
    expect(textLang({ sv: 'Ledning', en: '' }, 'sv')).toBeUndefined();
    expect(textLang({ sv: '', en: 'Leadership' }, 'sv')).toBe('en');
    expect(textLang({ sv: 'Ledning', en: 'Leadership' }, 'en')).toBeUndefined();
    // Nothing to mark: a plain string is for both languages, and an empty text shows nothing.
    expect(textLang('Hot', 'en')).toBeUndefined();
    expect(textLang({ sv: '', en: '' }, 'en')).toBeUndefined();
    expect(textLang(null, 'sv')).toBeUndefined();
    expect(picked({ sv: 'Möjlighet', en: '' }, 'en')).toEqual({ children: 'Möjlighet', lang: 'sv' });
    expect(picked({ sv: 'Möjlighet', en: 'Opportunity' }, 'en')).toEqual({ children: 'Opportunity' });
  });
});

describe('shares and totals', () => {
  it('never divide by zero', () => {
    expect(share(0, 0)).toBe(0);
    expect(share(1, 4)).toBe(0.25);
  });

  it('count someone who voted and left in "x of y have answered"', () => {
    expect(answeredTotal(7, 9)).toBe(9);
    expect(answeredTotal(10, 9)).toBe(10);
  });
});

describe('join codes and addresses', () => {
  it('accept exactly six digits', () => {
    expect(isJoinCode('482913')).toBe(true);
    expect(isJoinCode('48291')).toBe(false);
    expect(isJoinCode('4829134')).toBe(false);
    expect(isJoinCode('48291a')).toBe(false);
  });

  it('clean what a person typed', () => {
    expect(cleanCode('482 913')).toBe('482913');
    expect(cleanCode('48-29-13-77')).toBe('482913');
  });

  it('read the code from the path of each view', () => {
    expect(codeFromPath('/join/482913', 'join')).toBe('482913');
    expect(codeFromPath('/join/482913/', 'join')).toBe('482913');
    expect(codeFromPath('/join', 'join')).toBeNull();
    expect(codeFromPath('/join/', 'join')).toBeNull();
    expect(codeFromPath('/join/12', 'join')).toBeNull();
    expect(codeFromPath('/screen/482913', 'screen')).toBe('482913');
    expect(codeFromPath('/screen/482913', 'join')).toBeNull();
    expect(codeFromPath('/facilitate/482913', 'facilitate')).toBe('482913');
  });

  it('read the facilitator key from the fragment', () => {
    expect(keyFromHash('#key=9f2cab')).toBe('9f2cab');
    expect(keyFromHash('#x=1&key=abc')).toBe('abc');
    expect(keyFromHash('')).toBeNull();
    expect(keyFromHash('#key=')).toBeNull();
  });
});
