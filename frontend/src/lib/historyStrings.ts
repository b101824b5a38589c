//! UI texts of the organisation page's history and trend and its living plan (roadmap), in
//! Swedish and English.

import type { Dict, Lang, Msg, Params } from './i18n';
import type { PlanStatus } from './protocol';

const plural = (n: unknown, one: string, many: string) => (Number(n) === 1 ? one : many);

export const hist = {
  // ---- history and trend
  trendTitle: { sv: 'Utveckling över tid', en: 'Development over time' },
  trendLead: {
    sv: 'Organisationens avslutade tillfällen och hur nivåerna har rört sig mellan dem. Det är en självskattning för att utvecklas – ingen jämförelse med andra.',
    en: 'The organisation’s finished occasions and how the levels moved between them. It is a self-assessment for improvement – no comparison with others.',
  },
  trendLoading: { sv: 'Hämtar historiken…', en: 'Loading the history…' },
  trendFailed: { sv: 'Kunde inte hämta historiken.', en: 'Could not load the history.' },
  retry: { sv: 'Försök igen', en: 'Try again' },
  unitFilter: { sv: 'Verksamhetsområde', en: 'Unit' },
  unitAll: { sv: 'Alla', en: 'All' },
  showUnit: { sv: 'Visa', en: 'Show' },
  shownAll: {
    sv: (p: Params) => `Visar ${p.n} ${plural(p.n, 'tillfälle', 'tillfällen')} för alla verksamhetsområden.`,
    en: (p: Params) => `Showing ${p.n} ${plural(p.n, 'occasion', 'occasions')} for all units.`,
  },
  shownUnit: {
    sv: (p: Params) => `Visar ${p.n} ${plural(p.n, 'tillfälle', 'tillfällen')} för ${p.unit}.`,
    en: (p: Params) => `Showing ${p.n} ${plural(p.n, 'occasion', 'occasions')} for ${p.unit}.`,
  },
  noOccasions: {
    sv: 'Inga avslutade tillfällen än. När en workshop avslutas med datum syns den här.',
    en: 'No finished occasions yet. When a workshop is finished with a date, it shows here.',
  },
  noOccasionsUnit: { sv: 'Inga avslutade tillfällen för {unit}.', en: 'No finished occasions for {unit}.' },
  csv: { sv: 'Ladda ner utvecklingen för Excel (CSV)', en: 'Download the development for Excel (CSV)' },
  printable: { sv: 'Utskriftsvänlig rapport', en: 'Printable report' },
  occasionsTitle: { sv: 'Avslutade tillfällen, äldst först', en: 'Finished occasions, oldest first' },
  colDate: { sv: 'Datum', en: 'Date' },
  colTitle: { sv: 'Tillfälle', en: 'Occasion' },
  colUnit: { sv: 'Verksamhetsområde', en: 'Unit' },
  colVersion: { sv: 'Katalogversion', en: 'Catalogue version' },
  noUnit: { sv: 'inget angivet', en: 'none named' },
  openConsole: { sv: 'Samtalsledarvy', en: 'Console' },
  openConsoleLabel: { sv: 'Samtalsledarvy för {title}, {date}', en: 'Console of {title}, {date}' },
  openReport: { sv: 'Rapport', en: 'Report' },
  openReportLabel: { sv: 'Rapport för {title}, {date}', en: 'Report of {title}, {date}' },
  radarTitle: { sv: 'Områdena vid varje tillfälle', en: 'The areas at each occasion' },
  radarHelp: {
    sv: 'En yta per tillfälle: medelnivån per område. Det senaste är heldraget och tjockast.',
    en: 'One shape per occasion: the average level per area. The latest is solid and thickest.',
  },
  radarOnlyNewest: {
    sv: (p: Params) => `Diagrammet visar de ${p.n} senaste tillfällena; tabellerna visar alla.`,
    en: (p: Params) => `The chart shows the latest ${p.n} occasions; the tables show them all.`,
  },
  radarAlt: {
    sv: 'Radardiagram över medelnivån per område på skalan 1–{top}, ett tillfälle per yta. {list}',
    en: 'Radar chart of the average level per area on the scale 1–{top}, one shape per occasion. {list}',
  },
  radarFew: {
    sv: 'Radardiagrammet behöver minst tre områden; tabellerna nedan visar nivåerna.',
    en: 'The radar chart needs at least three areas; the tables below show the levels.',
  },
  legendTitle: { sv: 'Tillfällen i diagrammet', en: 'Occasions in the chart' },
  newest: { sv: '(senaste)', en: '(latest)' },
  areasTitle: { sv: 'Område för område', en: 'Area by area' },
  areasHelp: {
    sv: 'Den tjocka linjen är områdets medelnivå, de tunna indikatorerna. En indikator som är ny i en senare katalogversion börjar där den kom till.',
    en: 'The thick line is the area’s average level, the thin ones its indicators. An indicator new in a later catalogue version starts where it appeared.',
  },
  lineAlt: {
    sv: '{area}: medelnivå över tid på skalan 1–{top}. {list}',
    en: '{area}: average level over time on the scale 1–{top}. {list}',
  },
  areaAverage: { sv: 'Medelnivå för området', en: 'Average level of the area' },
  averagesCaption: { sv: 'Medelnivå per område och tillfälle', en: 'Average level per area and occasion' },
  tableCaption: { sv: '{area}: låst nivå per indikator och tillfälle', en: '{area}: locked level per indicator and occasion' },
  colIndicator: { sv: 'Indikator', en: 'Indicator' },
  colArea: { sv: 'Område', en: 'Area' },
  formerly: { sv: 'tidigare {ids}', en: 'formerly {ids}' },
  absent: { sv: 'fanns inte', en: 'not there' },
  absentShort: { sv: 'fanns inte i den katalogversionen', en: 'not in that catalogue version' },
  open: { sv: 'ej låst', en: 'not locked' },
  none: { sv: 'ingen', en: 'none' },
  otherArea: { sv: 'Övrigt', en: 'Other' },
  // ---- the living plan
  planTitle: { sv: 'Handlingsplan', en: 'Action plan' },
  planLead: {
    sv: 'Åtgärderna mellan tillfällena, som en färdplan per kvartal. Nästa tillfälle visar dem vid sina indikatorer.',
    en: 'The actions between occasions, as a roadmap by quarter. The next occasion shows them beside their indicators.',
  },
  planLoading: { sv: 'Hämtar handlingsplanen…', en: 'Loading the action plan…' },
  planFailed: { sv: 'Kunde inte hämta handlingsplanen.', en: 'Could not load the action plan.' },
  planEmpty: { sv: 'Inga åtgärder än.', en: 'No actions yet.' },
  planReadOnly: {
    sv: 'Samtalsledare och administratörer lägger till och ändrar åtgärder.',
    en: 'Facilitators and administrators add and change actions.',
  },
  planCsv: { sv: 'Ladda ner för Excel', en: 'Download for Excel' },
  planIcs: { sv: 'Lägg in i kalendern', en: 'Add to the calendar' },
  planExportsHelp: {
    sv: 'Excel-filen har hela färdplanen; kalenderfilen de öppna åtgärdernas slutdatum.',
    en: 'The Excel file holds the whole roadmap; the calendar file the open actions’ due dates.',
  },
  noQuarter: { sv: 'Utan kvartal', en: 'No quarter' },
  quarterName: {
    sv: (p: Params) => `Kvartal ${p.q} ${p.year}`,
    en: (p: Params) => `Q${p.q} ${p.year}`,
  },
  actionsCount: {
    sv: (p: Params) => `${p.n} ${plural(p.n, 'åtgärd', 'åtgärder')}`,
    en: (p: Params) => `${p.n} ${plural(p.n, 'action', 'actions')}`,
  },
  status_planned: { sv: 'Planerad', en: 'Planned' },
  status_started: { sv: 'Påbörjad', en: 'Started' },
  status_done: { sv: 'Klar', en: 'Done' },
  status_dropped: { sv: 'Struken', en: 'Dropped' },
  fIndicator: { sv: 'Indikator', en: 'Indicator' },
  fOwner: { sv: 'Ansvarig', en: 'Owner' },
  fDue: { sv: 'Klart senast', en: 'Due' },
  fStatus: { sv: 'Status', en: 'Status' },
  fNote: { sv: 'Senaste anteckning', en: 'Latest note' },
  fromWorkshop: { sv: 'Från workshop {code}', en: 'From workshop {code}' },
  historyToggle: {
    sv: (p: Params) => `Historik (${p.n} ${plural(p.n, 'steg', 'steg')})`,
    en: (p: Params) => `History (${p.n} ${plural(p.n, 'step', 'steps')})`,
  },
  historyCaption: { sv: 'Historik för {text}', en: 'History of {text}' },
  colWhen: { sv: 'Datum', en: 'Date' },
  colWho: { sv: 'Vem', en: 'Who' },
  colStatus: { sv: 'Status', en: 'Status' },
  colNote: { sv: 'Anteckning', en: 'Note' },
  nobody: { sv: '–', en: '–' },
  // ---- the forms
  addTitle: { sv: 'Lägg till en åtgärd', en: 'Add an action' },
  lText: { sv: 'Åtgärd', en: 'Action' },
  lIndicator: { sv: 'Indikator (valfri)', en: 'Indicator (optional)' },
  hIndicator: { sv: 'Indikatorns id, till exempel L1.', en: 'The indicator’s id, for example L1.' },
  lOwner: { sv: 'Ansvarig (valfri)', en: 'Owner (optional)' },
  lDue: { sv: 'Klart senast (valfritt)', en: 'Due (optional)' },
  lQuarter: { sv: 'Kvartal (valfritt)', en: 'Quarter (optional)' },
  hQuarter: { sv: 'Som 2027-Q2. Tomt: utan kvartal.', en: 'Such as 2027-Q2. Empty: no quarter.' },
  lNote: { sv: 'Anteckning (valfri)', en: 'Note (optional)' },
  add: { sv: 'Lägg till åtgärden', en: 'Add the action' },
  adding: { sv: 'Lägger till…', en: 'Adding…' },
  added: { sv: 'Åtgärden ”{text}” är tillagd.', en: 'The action “{text}” was added.' },
  addFailed: { sv: 'Åtgärden lades inte till.', en: 'The action was not added.' },
  missingText: { sv: 'Skriv vad som ska göras.', en: 'Enter what is to be done.' },
  badDue: { sv: 'Skriv ett datum som 2027-03-31.', en: 'Enter a date such as 2027-03-31.' },
  badQuarter: { sv: 'Skriv ett kvartal som 2027-Q2.', en: 'Enter a quarter such as 2027-Q2.' },
  statusTitle: { sv: 'Ändra status', en: 'Change the status' },
  lNewStatus: { sv: 'Ny status', en: 'New status' },
  lStatusNote: { sv: 'Vad har hänt? (valfritt)', en: 'What happened? (optional)' },
  saveStatus: { sv: 'Spara status', en: 'Save the status' },
  statusSaved: { sv: '”{text}” är nu {status}.', en: '“{text}” is now {status}.' },
  statusFailed: { sv: 'Statusen sparades inte.', en: 'The status was not saved.' },
  editToggle: { sv: 'Ändra uppgifterna', en: 'Change the details' },
  save: { sv: 'Spara ändringarna', en: 'Save the changes' },
  saved: { sv: 'Ändringarna av ”{text}” är sparade.', en: 'The changes to “{text}” were saved.' },
  nothingChanged: { sv: 'Inget är ändrat.', en: 'Nothing was changed.' },
  saveFailed: { sv: 'Ändringarna sparades inte.', en: 'The changes were not saved.' },
  remove: { sv: 'Ta bort…', en: 'Delete…' },
  removeConfirm: { sv: 'Ta bort åtgärden ”{text}” med dess historik?', en: 'Delete the action “{text}” with its history?' },
  removeYes: { sv: 'Ta bort åtgärden', en: 'Delete the action' },
  cancel: { sv: 'Avbryt', en: 'Cancel' },
  removed: { sv: 'Åtgärden ”{text}” är borttagen.', en: 'The action “{text}” was deleted.' },
  removeFailed: { sv: 'Åtgärden togs inte bort.', en: 'The action was not deleted.' },
  // ---- the seminar
  seminarTitle: { sv: 'Låt fler prioritera', en: 'Let more people prioritise' },
  seminarHelp: {
    sv: 'Skapar ett seminarium där deltagarna fördelar poäng på de öppna åtgärderna (högst 12), så att fler verksamheter får tycka till om vad som kommer först.',
    en: 'Makes a seminar where participants spread points over the open actions (at most 12), so that more units weigh in on what comes first.',
  },
  seminarButton: { sv: 'Låt fler prioritera', en: 'Let more people prioritise' },
  seminarBusy: { sv: 'Skapar seminariet…', en: 'Making the seminar…' },
  seminarMade: {
    sv: (p: Params) => `Seminariet ${p.code} är skapat med ${p.n} ${plural(p.n, 'åtgärd', 'åtgärder')}.`,
    en: (p: Params) => `The seminar ${p.code} was made with ${p.n} ${plural(p.n, 'action', 'actions')}.`,
  },
  seminarLeftOut: {
    sv: (p: Params) => `${p.n} ${plural(p.n, 'åtgärd', 'åtgärder')} kom inte med: ett seminarium tar högst 12.`,
    en: (p: Params) => `${p.n} ${plural(p.n, 'action was', 'actions were')} left out: a seminar takes at most 12.`,
  },
  seminarConsole: { sv: 'Öppna seminariets samtalsledarvy', en: 'Open the seminar’s console' },
  seminarScreen: { sv: 'Öppna seminariets storbild', en: 'Open the seminar’s screen view' },
  seminarFailed: { sv: 'Seminariet skapades inte.', en: 'The seminar was not made.' },
  seminarTooFew: {
    sv: 'Planen behöver minst två öppna åtgärder att prioritera mellan.',
    en: 'The plan needs at least two open actions to prioritise between.',
  },
} satisfies Dict;

export function statusName(status: PlanStatus): Msg {
  return hist[`status_${status}`];
}

/** A status inside a sentence ("påbörjad", "started"). */
export function statusWord(lang: Lang, status: PlanStatus): string {
  return hist[`status_${status}`][lang].toLowerCase();
}
