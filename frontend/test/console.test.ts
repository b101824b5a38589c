//! The console's form errors: an invalid_field refusal goes to the field it names, anything
//! else to the whole form; the summary's own errors stay out of the console's alert.

import { describe, expect, it } from 'vitest';
import { LOCAL_COMMANDS, errorText, fieldError, formError } from '../src/facilitate/command';
import { moderationGroups } from '../src/facilitate/moderation';
import { prioritisations } from '../src/facilitate/summary';
import { item, pointsItem, round, session, wordsItem } from './fixtures';

const err = (code: string, message: string) => ({ type: 'error' as const, id: 3, code, message });
const fields = ['text', 'owner', 'due'] as const;

describe('form errors', () => {
  it('put an invalid_field error at the field it names, in our words and the server’s', () => {
    const e = err('invalid_field', 'due: a date is written YYYY-MM-DD');
    expect(fieldError('sv', e, fields, 'due')).toBe('Skriv datumet som ÅÅÅÅ-MM-DD. (due: a date is written YYYY-MM-DD)');
    expect(fieldError('sv', e, fields, 'text')).toBeNull();
    expect(formError('sv', e, fields)).toBeNull();
  });

  it('put other errors on the whole form', () => {
    const unknown = err('invalid_field', 'there is no action "a9"');
    expect(fieldError('en', unknown, fields, 'text')).toBeNull();
    expect(formError('en', unknown, fields)).toBe('A field is not filled in correctly. (there is no action "a9")');
    const gaps = err('invalid_transition', 'only 1 locked indicators are at or below that level; a prioritisation needs 2 or more');
    expect(errorText('en', gaps)).toContain('a prioritisation needs 2 or more');
    expect(formError('sv', null, fields)).toBeNull();
  });

  it('keep the summary’s commands out of the console alert', () => {
    for (const type of ['share_summary', 'start_prioritisation', 'set_action', 'remove_action', 'finish']) {
      expect(LOCAL_COMMANDS.has(type)).toBe(true);
    }
    expect(LOCAL_COMMANDS.has('lock')).toBe(false);
  });

  it('know a prioritisation by its targets', () => {
    const s = session({ items: [item('L1'), pointsItem('prio'), pointsItem('prio1', { targets: ['L1', 'I1'] })] });
    expect(prioritisations(s).map((p) => p.id)).toEqual(['prio1']);
  });
});

describe('turning the single-key shortcuts off (WCAG 2.1.4)', () => {
  it('remembers the choice, on by default', async () => {
    const store = new Map<string, string>();
    globalThis.localStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    } as unknown as Storage;
    const { setShortcutsOn, shortcutsOn } = await import('../src/facilitate/keys');
    expect(shortcutsOn()).toBe(true);
    setShortcutsOn(false);
    expect(shortcutsOn()).toBe(false);
    setShortcutsOn(true);
    expect(shortcutsOn()).toBe(true);
  });
});

describe('presenter view', () => {
  it('is asked for with ?view=presenter, and keeps other parameters and the key', async () => {
    const { isPresenterView, viewHref } = await import('../src/facilitate/presenter');
    expect(isPresenterView('?view=presenter')).toBe(true);
    expect(isPresenterView('?view=console')).toBe(false);
    expect(isPresenterView('')).toBe(false);
    expect(viewHref('?x=1', '#key=ab', true)).toBe('?x=1&view=presenter#key=ab');
    expect(viewHref('?view=presenter&x=1', '#key=ab', false)).toBe('?x=1#key=ab');
  });
});

describe('page title', () => {
  it('names the item, then the view, without ids', async () => {
    const { consoleTitle } = await import('../src/facilitate/title');
    expect(consoleTitle('sv', 'Styrdokument för digitalisering', false)).toBe('Samsyn – Styrdokument för digitalisering – samtalsledare');
    expect(consoleTitle('en', 'Governing documents', true)).toBe('Samsyn – Governing documents – presenter view');
    expect(consoleTitle('sv', null, false)).toBe('Samsyn – samtalsledare');
    expect(consoleTitle('en', '  ', false)).toBe('Samsyn – facilitator');
  });
});

describe('moderation', () => {
  it('lists the newest round with words and says how many rarer groups the server left out', () => {
    const tally = (words: { text: string; count: number }[], more?: number) => ({ words, total: 9, ...(more ? { more } : {}) });
    const cloud = wordsItem('ord', {
      rounds: [round({ number: 1, tally: tally([{ text: 'ai', count: 2 }, { text: 'bra', count: 7 }], 40) }), round({ number: 2, tally: tally([]) })],
    });
    const { round: shown, groups, more } = moderationGroups(cloud);
    expect(shown).toBe(1);
    expect(groups.map((g) => g.text)).toEqual(['bra', 'ai']);
    expect(more).toBe(40);
    expect(moderationGroups(wordsItem('tom')).more).toBe(0);
  });
});
