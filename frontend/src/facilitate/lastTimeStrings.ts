//! UI texts of "last time" beside an indicator in the console, and of taking a finished workshop's
//! actions over onto the organisation's plan, in Swedish and English.

import type { Dict, Params } from '../lib/i18n';

const count = (loc: string, v: unknown) => new Intl.NumberFormat(loc).format(Number(v ?? 0));

export const lt = {
  levelThen: { sv: 'Förra gången: nivå {level}', en: 'Last time: level {level}' },
  noLevelThen: { sv: 'Förra gången: ingen nivå låst', en: 'Last time: no level locked' },
  planOnly: { sv: 'I organisationens handlingsplan', en: "In the organisation's action plan" },
  occasionLine: { sv: '{title}, {date}', en: '{title}, {date}' },
  note: { sv: 'Anteckning', en: 'Note' },
  dissent: { sv: 'Avvikande mening', en: 'Dissent' },
  actionsTitle: {
    sv: (p: Params) => `Åtgärder i handlingsplanen (${count('sv-SE', p.n)})`,
    en: (p: Params) => `Actions in the plan (${count('en-GB', p.n)})`,
  },
  status: { sv: 'Status', en: 'Status' },
  status_planned: { sv: 'Planerad', en: 'Planned' },
  status_started: { sv: 'Påbörjad', en: 'Started' },
  status_done: { sv: 'Klar', en: 'Done' },
  status_dropped: { sv: 'Struken', en: 'Dropped' },
  owner: { sv: 'Ansvarig', en: 'Owner' },
  due: { sv: 'Klart senast', en: 'Due' },
  late: { sv: '(försenad)', en: '(overdue)' },
  latestNote: { sv: 'Senaste anteckning', en: 'Latest note' },
  history: {
    sv: (p: Params) => `Historik (${count('sv-SE', p.n)} steg)`,
    en: (p: Params) => `History (${count('en-GB', p.n)} ${Number(p.n) === 1 ? 'step' : 'steps'})`,
  },
  stepBy: { sv: '{when}, {by}', en: '{when}, {by}' },
  arrived: {
    sv: 'Förra gången och handlingsplanen visas nu under knapparna.',
    en: 'Last time and the action plan are now shown below the buttons.',
  },

  // ---- taking the workshop's actions over onto the organisation's plan
  toPlanTitle: { sv: 'Organisationens handlingsplan', en: "The organisation's action plan" },
  toPlanHelp: {
    sv: 'Lägg workshopens åtgärder i handlingsplanen för {org}, där de följs upp mellan tillfällena och visas vid nästa bedömning. Det går att göra igen: bara nya åtgärder läggs till.',
    en: "Put the workshop's actions into the action plan of {org}, where they are followed up between occasions and shown at the next assessment. It can be done again: only new actions are added.",
  },
  toPlan: { sv: 'Lägg åtgärderna i organisationens handlingsplan', en: "Put the actions into the organisation's action plan" },
  toPlanBusy: { sv: 'Lägger till…', en: 'Adding…' },
  added: {
    sv: (p: Params) => `${count('sv-SE', p.added)} ${Number(p.added) === 1 ? 'åtgärd tillagd' : 'åtgärder tillagda'} i handlingsplanen.`,
    en: (p: Params) => `${count('en-GB', p.added)} ${Number(p.added) === 1 ? 'action' : 'actions'} added to the plan.`,
  },
  already: {
    sv: 'Åtgärderna fanns redan i handlingsplanen; inget nytt lades till.',
    en: 'The actions were in the plan already; nothing new was added.',
  },
  none: {
    sv: 'Workshopen har inga åtgärder än. Lägg till dem under Handlingsplan ovan.',
    en: 'The workshop has no actions yet. Add them under Action plan above.',
  },
  toPlanFailed: { sv: 'Åtgärderna lades inte till.', en: 'The actions were not added.' },
  openOrgPage: { sv: 'Öppna handlingsplanen på organisationens sida', en: "Open the plan on the organisation's page" },
} satisfies Dict;
