//! Test data shaped like the protocol's examples: a small session and its messages.

import type { ChoiceItem, Item, PointsItem, Round, ScaleItem, Session, StateMsg, Tally, WordsItem } from '../src/lib/types';

const t = (sv: string, en = sv) => ({ sv, en });

export function round<T extends Tally = Tally>(over: Partial<Round<T>> = {}): Round<T> {
  return { number: 1, open: true, revealed: false, voted: 0, tally: null, spread: null, ...over };
}

const base = (id: string) => ({
  id,
  title: t(`Titel ${id}`, `Title ${id}`),
  description: t(`Beskrivning ${id}`, `Description ${id}`),
  phase: 'pending' as const,
  rounds: [],
  consensus: null,
  history: [],
});

export function item(id: string, over: Partial<ScaleItem> = {}): ScaleItem {
  return { ...base(id), kind: 'scale', scale: 'lika', area: id.slice(0, 1), results: 'after_reveal', ...over };
}

export function choiceItem(id: string, over: Partial<ChoiceItem> = {}): ChoiceItem {
  return { ...base(id), kind: 'choice', area: null, results: 'live', options: [t('Hot', 'Threat'), t('Möjlighet', 'Opportunity')], multiple: false, ...over };
}

export function pointsItem(id: string, over: Partial<PointsItem> = {}): PointsItem {
  return { ...base(id), kind: 'points', area: null, results: 'after_reveal', options: [t('A'), t('B'), t('C')], budget: 100, ...over };
}

export function wordsItem(id: string, over: Partial<WordsItem> = {}): WordsItem {
  return { ...base(id), kind: 'words', area: null, results: 'live', max_words: 3, max_chars: 40, ...over };
}

export function session(over: Partial<Session> = {}): Session {
  return {
    code: '482913',
    title: 'Socialförvaltningen 2026',
    catalogue: { id: 'lika', version: '2026.1' },
    participants: 9,
    current: null,
    profanity_filter: true,
    scales: {
      lika: {
        levels: [1, 2, 3, 4, 5].map((level) => ({
          level,
          label: t(`Nivå ${level}`, `Level ${level}`),
          definition: t(`Definition ${level}`),
        })),
        not_relevant: { label: t('Ej relevant', 'Not relevant'), definition: t('Behov saknas', 'No need') },
      },
    },
    areas: [
      { id: 'L', name: t('Ledning', 'Leadership') },
      { id: 'I', name: t('Infrastruktur', 'Infrastructure') },
    ],
    items: [item('L1'), item('L2'), item('I1')] as Item[],
    ...over,
  };
}

export function stateMsg(version: number, over: Partial<Session> = {}): StateMsg {
  return { type: 'state', version, session: session(over) };
}
