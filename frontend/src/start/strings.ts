//! UI texts of the start page, in Swedish and English.

import type { Dict } from '../lib/i18n';

export const start = {
  lead: {
    sv: 'Samla gruppens bedömning – anonymt, i realtid, och kom fram till en gemensam nivå.',
    en: "Gather the group's assessment – anonymously, in real time – and agree on a shared level.",
  },
  startTitle: { sv: 'Starta en workshop', en: 'Start a workshop' },
  catalogue: { sv: 'Katalog', en: 'Catalogue' },
  indicators: { sv: '{n} indikatorer · version {version}', en: '{n} indicators · version {version}' },
  loadingCatalogues: { sv: 'Hämtar kataloger…', en: 'Loading catalogues…' },
  cataloguesFailed: {
    sv: 'Kunde inte hämta katalogerna. Ladda om sidan för att försöka igen.',
    en: 'Could not load the catalogues. Reload the page to try again.',
  },
  noCatalogues: { sv: 'Servern har inga kataloger.', en: 'The server has no catalogues.' },
  titleLabel: { sv: 'Titel (valfri)', en: 'Title (optional)' },
  titleHelp: {
    sv: 'Till exempel förvaltningens namn och året. Högst 200 tecken.',
    en: 'For example the department and the year. At most 200 characters.',
  },
  startButton: { sv: 'Starta workshop', en: 'Start workshop' },
  starting: { sv: 'Startar…', en: 'Starting…' },
  createFailed: { sv: 'Kunde inte starta workshopen.', en: 'Could not start the workshop.' },
  networkFailed: {
    sv: 'Ingen kontakt med servern. Försök igen.',
    en: 'No contact with the server. Try again.',
  },
  yourSessions: { sv: 'Dina sessioner', en: 'Your sessions' },
  yourSessionsHelp: {
    sv: 'Sessioner som startats i den här webbläsaren. Länken till samtalsledarvyn är hemlig – dela den inte.',
    en: 'Sessions started in this browser. The facilitator link is secret – do not share it.',
  },
  noSessions: { sv: 'Inga sessioner än.', en: 'No sessions yet.' },
  untitled: { sv: 'Utan titel', en: 'Untitled' },
  codeCreated: { sv: 'Kod {code} · startad {when}', en: 'Code {code} · started {when}' },
  openConsole: { sv: 'Öppna samtalsledarvyn', en: 'Open the facilitator console' },
  openScreen: { sv: 'Skärmvy', en: 'Screen view' },
  forget: { sv: 'Glöm', en: 'Forget' },
  forgetLabel: { sv: 'Glöm sessionen med kod {code}', en: 'Forget the session with code {code}' },
  seminarTitle: { sv: 'Seminarium', en: 'Seminar' },
  seminarLead: {
    sv: 'Frågor till många på en gång: val, ordmoln, poäng och skalor, med resultat live eller när du visar dem.',
    en: 'Questions for many at once: choices, word clouds, points and scales, with results live or when you reveal them.',
  },
  buildButton: { sv: 'Bygg ett seminarium', en: 'Build a seminar' },
  importCatalogue: { sv: 'Importera en katalog (JSON)', en: 'Import a catalogue (JSON)' },
  importCatalogueHelp: {
    sv: 'En katalog i Samsyns format. Den hamnar i listan ovan.',
    en: 'A catalogue in Samsyn’s format. It appears in the list above.',
  },
  catalogueImported: { sv: 'Katalogen ”{title}” är importerad.', en: 'The catalogue “{title}” is imported.' },
  catalogueExists: {
    sv: 'En katalog med samma id och version finns redan. Ändra versionen i filen för att importera den igen.',
    en: 'A catalogue with the same id and version is already stored. Change the version in the file to import it again.',
  },
  catalogueFailed: { sv: 'Katalogen importerades inte.', en: 'The catalogue was not imported.' },
  importing: { sv: 'Importerar…', en: 'Importing…' },
  builtIn: { sv: 'inbyggd', en: 'built in' },
  joinTitle: { sv: 'Gå med i en session', en: 'Join a session' },
  joinCode: { sv: 'Kod (6 siffror)', en: 'Code (6 digits)' },
  joinButton: { sv: 'Gå med', en: 'Join' },
  codeInvalid: { sv: 'Koden är sex siffror.', en: 'The code is six digits.' },
} satisfies Dict;
