//! Facilitator shortcuts, the saved-sessions list, and completeness of the UI texts.

import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutKey, shortcutStep } from '../src/facilitate/keys';
import { fac } from '../src/facilitate/strings';
import type { Dict } from '../src/lib/i18n';
import { bld } from '../src/builder/strings';
import { CODES } from '../src/lib/protocol';
import { screenHref, screenParams } from '../src/screen/params';
import { common, errorMsg, kindNames, phaseNames } from '../src/lib/strings';
import { phone } from '../src/phone/strings';
import { screen } from '../src/screen/strings';
import { SAVED_MAX, addSaved, parseSaved, removeSaved } from '../src/start/saved';
import { start } from '../src/start/strings';
import { cmp } from '../src/start/compareStrings';
import { sm } from '../src/facilitate/summaryStrings';
import { sumText } from '../src/lib/summaryStrings';
import { acc } from '../src/lib/accountStrings';

const key = (k: string, target: unknown = { tagName: 'BODY' }, mods: Partial<Record<string, boolean>> = {}) => ({
  key: k,
  target,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  repeat: false,
  defaultPrevented: false,
  ...mods,
});

describe('facilitator shortcuts', () => {
  it('map O C R V L N to their steps', () => {
    expect(['o', 'c', 'r', 'v', 'l', 'n', 'O'].map((k) => shortcutStep(key(k)))).toEqual([
      'open',
      'close',
      'reveal',
      'revote',
      'lock',
      'next',
      'open',
    ]);
    expect(shortcutStep(key('x'))).toBeNull();
    expect(shortcutKey('reveal')).toBe('R');
    expect(shortcutKey('reopen')).toBeNull();
  });

  it('do not fire while typing in a field or with a modifier', () => {
    expect(shortcutStep(key('o', { tagName: 'TEXTAREA' }))).toBeNull();
    expect(shortcutStep(key('o', { tagName: 'INPUT', type: 'text' }))).toBeNull();
    expect(shortcutStep(key('o', { tagName: 'DIV', isContentEditable: true }))).toBeNull();
    expect(shortcutStep(key('c', { tagName: 'BUTTON' }))).toBe('close');
    expect(shortcutStep(key('c', { tagName: 'INPUT', type: 'radio' }))).toBe('close');
    expect(shortcutStep(key('c', undefined, { ctrlKey: true }))).toBeNull();
    expect(shortcutStep(key('c', undefined, { metaKey: true }))).toBeNull();
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('saved sessions', () => {
  const entry = (code: string, created = 1) => ({ code, title: `T${code}`, facilitator: `/facilitate/${code}#key=k`, created });

  it('survive garbage in storage', () => {
    expect(parseSaved(null)).toEqual([]);
    expect(parseSaved('not json')).toEqual([]);
    expect(parseSaved('{"a":1}')).toEqual([]);
    expect(parseSaved(JSON.stringify([entry('111111'), { code: 5 }]))).toEqual([entry('111111')]);
  });

  it('put the newest first, replace the same code, and forget', () => {
    let list = addSaved([], entry('111111'));
    list = addSaved(list, entry('222222'));
    list = addSaved(list, entry('111111', 9));
    expect(list.map((s) => [s.code, s.created])).toEqual([
      ['111111', 9],
      ['222222', 1],
    ]);
    expect(removeSaved(list, '111111').map((s) => s.code)).toEqual(['222222']);
  });

  it('keep a bounded list', () => {
    let list: ReturnType<typeof parseSaved> = [];
    for (let i = 0; i < SAVED_MAX + 5; i++) list = addSaved(list, entry(String(100000 + i)));
    expect(list).toHaveLength(SAVED_MAX);
    expect(list[0].code).toBe(String(100000 + SAVED_MAX + 4));
  });
});

describe('UI texts', () => {
  const dicts: Record<string, Dict> = { common, phaseNames, kindNames, phone, screen, fac, start, bld, sumText, sm, cmp, acc };

  it('exist in both Swedish and English', () => {
    for (const [name, dict] of Object.entries(dicts)) {
      for (const [k, msg] of Object.entries(dict)) {
        for (const lang of ['sv', 'en'] as const) {
          const form = msg[lang];
          const text = typeof form === 'function' ? form({ count: 2, n: 2, steps: 2, up: 1, down: 1, same: 1, none: 1, list: 'L1' }) : form;
          expect(text.trim().length, `${name}.${k}.${lang}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('cover every error code of the protocol', () => {
    // The server's list, generated from its Rust types: a new code without a message fails here.
    const codes = CODES;
    for (const code of codes) expect(errorMsg(code), code).not.toBe(common.err_unknown);
    expect(errorMsg('something_new')).toBe(common.err_unknown);
  });

  it('say the participant count in the right number', () => {
    const p = common.participants;
    const en = p.en as (x: Record<string, number>) => string;
    const sv = p.sv as (x: Record<string, number>) => string;
    expect(en({ count: 1 })).toBe('1 participant');
    expect(en({ count: 9 })).toBe('9 participants');
    expect(sv({ count: 9 })).toBe('9 deltagare');
  });
});

describe('the projector link', () => {
  it('carries the console choices: language, word list, dark stage', () => {
    expect(screenHref('123456', 'en', true, true)).toBe('/screen/123456?lang=en&words=list&theme=dark');
    expect(screenHref('123456', 'sv', false)).toBe('/screen/123456?lang=sv');
    expect(screenParams('?lang=en&words=list&theme=dark')).toEqual({ lang: 'en', wordsAsList: true, dark: true });
    expect(screenParams('?theme=neon&lang=xx')).toEqual({ lang: null, wordsAsList: false, dark: false });
  });
});
