//! UI texts of the summary and the action plan that every view shows (console, screen, phone),
//! in Swedish and English. Data only; kept small because the phone loads it.

import type { Dict, Params } from './i18n';

const n = (loc: string, v: unknown) => new Intl.NumberFormat(loc).format(Number(v ?? 0));

export const sumText = {
  summaryTitle: { sv: 'Sammanfattning', en: 'Summary' },
  areasTitle: { sv: 'Medelnivå per område', en: 'Average level per area' },
  areasCaption: {
    sv: 'Medelnivå per område (låsta indikatorer)',
    en: 'Average level per area (locked indicators)',
  },
  colArea: { sv: 'Område', en: 'Area' },
  colAverage: { sv: 'Medelnivå', en: 'Average level' },
  colLocked: { sv: 'Låsta', en: 'Locked' },
  lockedOf: { sv: '{locked} av {n}', en: '{locked} of {n}' },
  noAverage: { sv: 'ingen låst', en: 'none locked' },
  levelsTitle: { sv: 'Nivå per indikator', en: 'Level per indicator' },
  levelsCaption: { sv: 'Låst nivå per indikator: {area}', en: 'Locked level per indicator: {area}' },
  colIndicator: { sv: 'Indikator', en: 'Indicator' },
  colLevel: { sv: 'Nivå', en: 'Level' },
  openLevel: { sv: 'Öppen', en: 'Open' },
  note: { sv: 'Motivering', en: 'Note' },
  dissent: { sv: 'Avvikande mening', en: 'Dissent' },
  otherArea: { sv: 'Övrigt', en: 'Other' },
  openCount: {
    sv: (p: Params) =>
      Number(p.count) === 1 ? '1 indikator är fortfarande öppen.' : `${n('sv-SE', p.count)} indikatorer är fortfarande öppna.`,
    en: (p: Params) =>
      Number(p.count) === 1 ? '1 indicator is still open.' : `${n('en-GB', p.count)} indicators are still open.`,
  },
  allLocked: { sv: 'Alla indikatorer är låsta.', en: 'Every indicator is locked.' },
  planTitle: { sv: 'Handlingsplan', en: 'Action plan' },
  planCaption: { sv: 'Handlingsplan i prioritetsordning', en: 'Action plan in order of priority' },
  colAction: { sv: 'Åtgärd', en: 'Action' },
  colOwner: { sv: 'Ansvarig', en: 'Owner' },
  colDue: { sv: 'Klart senast', en: 'Due' },
  colStatus: { sv: 'Status', en: 'Status' },
  status_todo: { sv: 'Att göra', en: 'To do' },
  status_doing: { sv: 'Pågår', en: 'In progress' },
  status_done: { sv: 'Klar', en: 'Done' },
  noActions: { sv: 'Inga åtgärder än.', en: 'No actions yet.' },
  noIndicators: { sv: 'Sessionen har inga indikatorer att sammanfatta.', en: 'The session has no indicators to summarise.' },
} satisfies Dict;
