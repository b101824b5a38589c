//! Test data shaped like the protocol's examples: a small session and its messages.

import type { ChoiceItem, IndicatorSummary, Item, PointsItem, Round, ScaleItem, Session, StateMsg, Summary, Tally, WordsItem } from '../src/lib/types';

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

/** A summary line of an indicator. */
export function indicator(id: string, level: number | null, over: Partial<IndicatorSummary> = {}): IndicatorSummary {
  return {
    id,
    area: id.slice(0, 1),
    title: t(`Titel ${id}`, `Title ${id}`),
    level,
    note: level === null ? null : `Motivering ${id}`,
    dissent: null,
    first_consensus: null,
    first_n: 0,
    rounds: level === null ? 0 : 1,
    replaces: [],
    ...over,
  };
}

/** A summary shaped like the protocol's example, over `indicators`. */
export function summary(indicators: IndicatorSummary[], over: Partial<Summary> = {}): Summary {
  const areas = ['L', 'I'].map((id) => {
    const mine = indicators.filter((i) => i.area === id);
    const levels = mine.map((i) => i.level).filter((l): l is number => l !== null);
    return {
      id,
      name: id === 'L' ? t('Ledning', 'Leadership') : t('Infrastruktur', 'Infrastructure'),
      average: levels.length ? levels.reduce((a, b) => a + b, 0) / levels.length : null,
      locked: levels.length,
      indicators: mine.length,
    };
  });
  return {
    top: 5,
    indicators,
    areas,
    disagreements: [],
    open: indicators.filter((i) => i.level === null).length,
    priorities: [],
    ...over,
  };
}
