//! UI texts of "Compare occasions" on the start page, in Swedish and English.

import type { Dict, Params } from '../lib/i18n';

const n = (loc: string, v: unknown) => new Intl.NumberFormat(loc).format(Number(v ?? 0));
const levels = (loc: string, sv: boolean, v: unknown) =>
  `${n(loc, v)} ${Number(v) === 1 ? (sv ? 'nivå' : 'level') : sv ? 'nivåer' : 'levels'}`;

export const cmp = {
  title: { sv: 'Jämför tillfällen', en: 'Compare occasions' },
  lead: {
    sv: 'Välj en tidigare och en senare bedömning av samma organisation bland dina sessioner. Du ser per område och indikator nivån då och nu, och vad som har rört sig.',
    en: 'Pick an earlier and a later assessment of the same organisation among your sessions. You see per area and indicator the level then and now, and what moved.',
  },
  needTwo: {
    sv: 'Du behöver minst två sessioner under ”Dina sessioner” för att kunna jämföra.',
    en: 'You need at least two sessions under “Your sessions” to compare.',
  },
  leadOrg: {
    sv: 'Välj en tidigare och en senare workshop i {org}. Du ser per område och indikator nivån då och nu, och vad som har rört sig. Inga nycklar behövs: du är inloggad som medlem.',
    en: 'Pick an earlier and a later workshop of {org}. You see per area and indicator the level then and now, and what moved. No keys are needed: you are signed in as a member.',
  },
  trendNote: {
    sv: 'Utvecklingen över alla tillfällen, inte bara två, visas på organisationens sida.',
    en: "The trend over all occasions, not just two, is shown on the organisation's page.",
  },
  trendLink: { sv: 'Utvecklingen för {org}', en: 'The trend of {org}' },
  needTwoOrg: {
    sv: 'Organisationen behöver minst två workshoppar för att kunna jämföra.',
    en: 'The organisation needs at least two workshops to compare.',
  },
  loading: { sv: 'Hämtar organisationens workshoppar…', en: "Loading the organisation's workshops…" },
  groupOrg: { sv: 'Workshoppar i {org}', en: 'Workshops of {org}' },
  groupBrowser: { sv: 'Sparade i den här webbläsaren', en: 'Saved in this browser' },
  forbiddenMember: {
    sv: 'Du får inte läsa en av sessionerna: den tillhör inte din organisation, eller så saknas nyckeln.',
    en: 'You may not read one of the sessions: it is not your organisation’s, or its key is missing.',
  },
  unauthorized: {
    sv: 'Inloggningen har gått ut. Logga in igen och försök på nytt.',
    en: 'The sign-in has run out. Sign in again and try once more.',
  },
  then: { sv: 'Tidigare tillfälle (då)', en: 'Earlier occasion (then)' },
  now: { sv: 'Senare tillfälle (nu)', en: 'Later occasion (now)' },
  option: { sv: '{title} – kod {code} ({when})', en: '{title} – code {code} ({when})' },
  swap: { sv: 'Byt plats', en: 'Swap' },
  compare: { sv: 'Jämför', en: 'Compare' },
  comparing: { sv: 'Jämför…', en: 'Comparing…' },
  same: { sv: 'Välj två olika sessioner.', en: 'Choose two different sessions.' },
  noKey: {
    sv: 'Länken till session {code} saknar sin nyckel. Öppna sessionen från den fullständiga länken och försök igen.',
    en: 'The link to session {code} lacks its key. Open the session from its full link and try again.',
  },
  failed: { sv: 'Jämförelsen gick inte att göra.', en: 'The comparison could not be made.' },
  notComparable: {
    sv: 'Tillfällena gäller olika organisationer och kan inte jämföras.',
    en: 'The occasions are of different organisations and cannot be compared.',
  },
  forbidden: {
    sv: 'Nyckeln till en av sessionerna gäller inte. Öppna sessionerna från länkarna du fick när de skapades.',
    en: 'The key of one of the sessions is not valid. Open the sessions from the links you got when they were created.',
  },
  unknownSession: {
    sv: 'En av sessionerna finns inte längre på servern (den kan vara raderad).',
    en: 'One of the sessions no longer exists on the server (it may have been deleted).',
  },
  resultTitle: { sv: 'Resultat', en: 'Result' },
  thenShort: { sv: 'Då', en: 'Then' },
  nowShort: { sv: 'Nu', en: 'Now' },
  side: { sv: '{title}', en: '{title}' },
  catalogue: { sv: 'Katalog {id} version {version}', en: 'Catalogue {id} version {version}' },
  notFinished: {
    sv: 'Inte avslutad som tillfälle (organisation och datum saknas).',
    en: 'Not finished as an occasion (no organisation or date).',
  },
  warnNotFinished: {
    sv: 'Minst en av sessionerna är inte avslutad som tillfälle, så servern kan inte kontrollera att det är samma organisation. Jämförelsen visas ändå.',
    en: 'At least one of the sessions is not finished as an occasion, so the server cannot check that it is the same organisation. The comparison is shown anyway.',
  },
  warnNotFinishedOrg: {
    sv: 'Minst en av workshopparna är inte avslutad som tillfälle (datum saknas). Jämförelsen visas ändå.',
    en: 'At least one of the workshops is not finished as an occasion (no date). The comparison is shown anyway.',
  },
  warnSwapped: {
    sv: '”Då” har ett senare datum än ”Nu”. Byt plats om det blev fel.',
    en: '“Then” has a later date than “Now”. Swap them if that is wrong.',
  },
  counts: {
    sv: (p: Params) =>
      `${n('sv-SE', p.up)} upp, ${n('sv-SE', p.down)} ned, ${n('sv-SE', p.same)} oförändrade, ${n('sv-SE', p.none)} saknar nivå vid något av tillfällena.`,
    en: (p: Params) =>
      `${n('en-GB', p.up)} up, ${n('en-GB', p.down)} down, ${n('en-GB', p.same)} unchanged, ${n('en-GB', p.none)} without a level on one of the occasions.`,
  },
  areasTitle: { sv: 'Per område', en: 'Per area' },
  areasCaption: { sv: 'Medelnivå per område, då och nu', en: 'Average level per area, then and now' },
  indicatorsTitle: { sv: 'Per indikator', en: 'Per indicator' },
  indicatorsCaption: { sv: 'Nivå då och nu: {area}', en: 'Level then and now: {area}' },
  onlyMoved: { sv: 'Visa bara indikatorer som har rört sig', en: 'Show only indicators that moved' },
  colArea: { sv: 'Område', en: 'Area' },
  colIndicator: { sv: 'Indikator', en: 'Indicator' },
  colThen: { sv: 'Då', en: 'Then' },
  colNow: { sv: 'Nu', en: 'Now' },
  colChange: { sv: 'Förändring', en: 'Change' },
  formerly: { sv: '(ersätter en indikator i den tidigare versionen)', en: '(replaces an indicator of the earlier version)' },
  noLevel: { sv: 'ingen nivå', en: 'no level' },
  noneMoved: { sv: 'Ingen indikator har rört sig.', en: 'No indicator moved.' },
  other: { sv: 'Övrigt', en: 'Other' },
  move_up: {
    sv: (p: Params) => `upp ${levels('sv-SE', true, p.steps)}`,
    en: (p: Params) => `up ${levels('en-GB', false, p.steps)}`,
  },
  move_down: {
    sv: (p: Params) => `ned ${levels('sv-SE', true, p.steps)}`,
    en: (p: Params) => `down ${levels('en-GB', false, p.steps)}`,
  },
  move_same: { sv: 'oförändrad', en: 'unchanged' },
  move_none: { sv: 'kan inte jämföras', en: 'cannot be compared' },
  area_up: { sv: 'upp {delta}', en: 'up {delta}' },
  area_down: { sv: 'ned {delta}', en: 'down {delta}' },
  area_same: { sv: 'oförändrad', en: 'unchanged' },
  area_none: { sv: 'kan inte jämföras', en: 'cannot be compared' },
  deleted: { sv: 'Sessionen {code} är raderad.', en: 'Session {code} is deleted.' },
} satisfies Dict;
