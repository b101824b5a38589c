//! Test data shaped like the protocol's examples: a small session and its messages.

import type { Item, Round, Session, StateMsg } from '../src/lib/types';

const t = (sv: string, en = sv) => ({ sv, en });

export function round(over: Partial<Round> = {}): Round {
  return { number: 1, open: true, revealed: false, voted: 0, tally: null, spread: null, ...over };
}

export function item(id: string, over: Partial<Item> = {}): Item {
  return {
    id,
    area: id.slice(0, 1),
    title: t(`Titel ${id}`, `Title ${id}`),
    description: t(`Beskrivning ${id}`, `Description ${id}`),
    phase: 'pending',
    rounds: [],
    consensus: null,
    history: [],
    ...over,
  };
}

export function session(over: Partial<Session> = {}): Session {
  return {
    code: '482913',
    title: 'Socialförvaltningen 2026',
    catalogue: { id: 'lika', version: '2026.1' },
    participants: 9,
    current: null,
    scale: {
      levels: [1, 2, 3, 4, 5].map((level) => ({
        level,
        label: t(`Nivå ${level}`, `Level ${level}`),
        definition: t(`Definition ${level}`),
      })),
      not_relevant: { label: t('Ej relevant', 'Not relevant'), definition: t('Behov saknas', 'No need') },
    },
    areas: [
      { id: 'L', name: t('Ledning', 'Leadership') },
      { id: 'I', name: t('Infrastruktur', 'Infrastructure') },
    ],
    items: [item('L1'), item('L2'), item('I1')],
    ...over,
  };
}

export function stateMsg(version: number, over: Partial<Session> = {}): StateMsg {
  return { type: 'state', version, session: session(over) };
}
