//! The session builder's model: serialisation to the item set format, reading it back,
//! validation with the server's limits, reordering, and reading an imported file.

import { describe, expect, it } from 'vitest';
import {
  exportFileName,
  fromItemSet,
  itemOfMessage,
  moveItem,
  newItem,
  readItemFile,
  textIn,
  textOut,
  toItemSet,
  validate,
  type Draft,
  type DraftItem,
} from '../src/builder/model';

const t = (sv: string, en = '') => ({ sv, en });

function draftOf(...items: DraftItem[]): Draft {
  return { title: 'Digitaliseringsdagen', items };
}

function choice(key: number): DraftItem {
  return { ...newItem('choice', key), id: 'hot', title: t('Hot eller möjlighet?', 'Threat or opportunity?'), options: [t('Hot', 'Threat'), t('Möjlighet', 'Opportunity')] };
}

describe('texts', () => {
  it('go out as a plain string without English, and as a pair with it', () => {
    expect(textOut(t(' Hot '))).toBe('Hot');
    expect(textOut(t('Hot', 'Threat'))).toEqual({ sv: 'Hot', en: 'Threat' });
    expect(textOut(t('Hot', 'Hot'))).toBe('Hot');
  });

  it('come in from a pair or a plain string', () => {
    expect(textIn('Hot')).toEqual(t('Hot'));
    expect(textIn({ sv: 'Hot', en: 'Threat' })).toEqual(t('Hot', 'Threat'));
    expect(textIn({ sv: 'Hot', en: 'Hot' })).toEqual(t('Hot'));
    expect(textIn(undefined)).toEqual(t(''));
  });
});

describe('item set', () => {
  it('is written in the format of the protocol, by kind', () => {
    const words = { ...newItem('words', 2), title: t('Vilket ord kommer du att tänka på?') };
    const points = { ...newItem('points', 3), title: t('Vad ska vi prioritera?'), options: [t('Välfärdsteknik'), t('Kompetens'), t('Infrastruktur')] };
    const scale = { ...newItem('scale', 4), id: 'redo', title: t('Hur redo är vi?') };
    const set = toItemSet(draftOf(choice(1), words, points, scale));
    expect(set).toEqual({
      format: 'samsyn-items',
      version: 1,
      title: 'Digitaliseringsdagen',
      items: [
        {
          id: 'hot',
          kind: 'choice',
          title: { sv: 'Hot eller möjlighet?', en: 'Threat or opportunity?' },
          options: [{ sv: 'Hot', en: 'Threat' }, { sv: 'Möjlighet', en: 'Opportunity' }],
          multiple: false,
          results: 'live',
        },
        { kind: 'words', title: 'Vilket ord kommer du att tänka på?', max_words: 3, max_chars: 40, results: 'live' },
        { kind: 'points', title: 'Vad ska vi prioritera?', options: ['Välfärdsteknik', 'Kompetens', 'Infrastruktur'], budget: 100, results: 'after_reveal' },
        {
          id: 'redo',
          kind: 'scale',
          title: 'Hur redo är vi?',
          scale: {
            levels: [
              { level: 1, label: { sv: 'Inte alls', en: 'Not at all' } },
              { level: 2, label: '2' },
              { level: 3, label: '3' },
              { level: 4, label: '4' },
              { level: 5, label: { sv: 'Helt', en: 'Completely' } },
            ],
          },
          results: 'after_reveal',
        },
      ],
    });
  });

  it('keeps a description and a not-relevant level only when given', () => {
    const d = { ...newItem('scale', 1), title: t('Q'), description: t('Mer', 'More'), notRelevant: { label: t('Ej relevant'), definition: t('') } };
    const def = toItemSet(draftOf(d)).items[0];
    expect(def.description).toEqual({ sv: 'Mer', en: 'More' });
    expect(def.kind === 'scale' && def.scale.not_relevant).toEqual({ label: 'Ej relevant' });
  });

  it('reads back what it wrote, marking items with rounds as in use', () => {
    const draft = draftOf(choice(1), { ...newItem('words', 2), id: 'ord', title: t('Ord'), maxWords: 5, results: 'after_reveal' });
    const back = fromItemSet(JSON.parse(JSON.stringify(toItemSet(draft))), new Set(['hot']), 10);
    expect(back.title).toBe('Digitaliseringsdagen');
    expect(back.items.map((d) => [d.key, d.id, d.kind, d.inUse])).toEqual([
      [10, 'hot', 'choice', true],
      [11, 'ord', 'words', false],
    ]);
    expect(toItemSet(back)).toEqual(toItemSet(draft));
  });

  it('writes notes for the facilitator only when given, reads them back and checks their length', () => {
    const d = { ...choice(1), notes: 'Fråga först hur många som använder appen.' };
    const set = toItemSet(draftOf(d, { ...choice(2), id: 'b', notes: '   ' }));
    expect(set.items[0].notes).toBe('Fråga först hur många som använder appen.');
    expect('notes' in set.items[1]).toBe(false);
    const back = fromItemSet(JSON.parse(JSON.stringify(set)), new Set(), 1);
    expect(back.items[0].notes).toBe(d.notes);
    expect(back.items[0].extra).toEqual({});
    expect(validate(draftOf({ ...d, notes: 'å'.repeat(2000) }))).toEqual([]);
    expect(validate(draftOf({ ...d, notes: 'å'.repeat(2001) })).map((p) => `${p.field}:${p.code}`)).toEqual(['notes:notes_long']);
  });

  it('keeps fields it does not edit, such as the area of a workshop item', () => {
    const back = fromItemSet({ items: [{ id: 'L1', area: 'L', kind: 'scale', title: 'Styrdokument', scale: { levels: [{ level: 1, label: 'Ej planerad' }, { level: 2, label: 'Uppnådd' }] } }] }, new Set(), 1);
    expect(back.items[0].extra).toEqual({ area: 'L' });
    expect(toItemSet(back).items[0]).toMatchObject({ id: 'L1', area: 'L', kind: 'scale' });
  });

  it('reads the protocol example, with plain strings and defaults, and skips unknown kinds', () => {
    const back = fromItemSet(
      {
        format: 'samsyn-items',
        version: 1,
        items: [
          { id: 'prio', kind: 'points', title: 'Vad ska vi prioritera?', options: ['A', 'B'] },
          { id: 'x', kind: 'ranking', title: 'Later' },
          { id: 'redo', kind: 'scale', title: 'Hur redo?', scale: { levels: [{ level: 2, label: 'Helt' }, { level: 1, label: 'Inte alls' }] } },
        ],
      },
      new Set(),
      1,
    );
    expect(back.items.map((d) => d.id)).toEqual(['prio', 'redo']);
    expect(back.items[0]).toMatchObject({ budget: 100, results: 'after_reveal', options: [t('A'), t('B')] });
    expect(back.items[1].levels.map((l) => l.label.sv)).toEqual(['Inte alls', 'Helt']);
  });
});

describe('validation', () => {
  it('passes a good draft', () => {
    expect(validate(draftOf(choice(1), { ...newItem('words', 2), title: t('Ord') }))).toEqual([]);
  });

  it('names the item and the field of every problem', () => {
    const bad: DraftItem[] = [
      { ...choice(1), options: [t('Hot')] },
      { ...newItem('points', 2), title: t(''), options: [t('A'), t('')], budget: 0 },
      { ...newItem('words', 3), id: 'hot', title: t('Ord'), maxWords: 11, maxChars: 0 },
      { ...newItem('scale', 4), id: 'bad id', title: t('x'.repeat(301)), levels: [{ label: t(''), definition: t('') }] },
    ];
    const found = validate({ title: 'x'.repeat(201), items: bad }).map((p) => `${p.item}:${p.field}:${p.code}`);
    expect(found).toEqual([
      'null:title:session_title_long',
      '0:options:options_count',
      '1:title:title_missing',
      '1:option-1:option_missing',
      '1:budget:budget_range',
      '2:id:id_duplicate',
      '2:max-words:max_words_range',
      '2:max-chars:max_chars_range',
      '3:id:id_format',
      '3:title:title_long',
      '3:levels:levels_count',
      '3:level-0:level_missing',
    ]);
  });

  it('checks whole numbers in range (an emptied number field is NaN)', () => {
    expect(validate(draftOf({ ...newItem('points', 1), title: t('P'), options: [t('A'), t('B')], budget: NaN })).map((p) => p.code)).toEqual(['budget_range']);
    expect(validate(draftOf({ ...newItem('words', 1), title: t('W'), maxWords: 2.5 })).map((p) => p.code)).toEqual(['max_words_range']);
  });
});

describe('editing helpers', () => {
  it('move an item up and down within the list', () => {
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, 5)).toEqual(['b', 'c', 'a']);
  });

  it('find the item a server message points at', () => {
    expect(itemOfMessage('items[2].options: a choice needs 2 to 12 options')).toBe(2);
    expect(itemOfMessage('title: too long')).toBeNull();
  });

  it('read an item file for import and tell a catalogue apart', () => {
    expect(readItemFile('{"format":"samsyn-items","version":1,"title":"T","items":[{"kind":"words"}]}')).toEqual({ title: 'T', items: [{ kind: 'words' }] });
    expect(readItemFile('[{"kind":"words"}]')).toEqual({ title: null, items: [{ kind: 'words' }] });
    expect(readItemFile('nope')).toEqual({ problem: 'not_json' });
    expect(readItemFile('{"id":"lika","areas":[]}')).toEqual({ problem: 'catalogue' });
    expect(readItemFile('{"title":"x"}')).toEqual({ problem: 'not_items' });
  });

  it('name an export file safely', () => {
    expect(exportFileName('Digitaliseringsdagen 2026!', '482913')).toBe('samsyn-482913-digitaliseringsdagen-2026.json');
    expect(exportFileName('Åäö', null)).toBe('samsyn-aao.json');
    expect(exportFileName(null, null)).toBe('samsyn-items.json');
  });
});
