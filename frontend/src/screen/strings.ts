//! UI texts of the screen (projector) view, in Swedish and English.

import type { Dict } from '../lib/i18n';

export const screen = {
  joinAt: { sv: 'Gå med på', en: 'Join at' },
  joinBar: { sv: 'Gå med', en: 'Join' },
  code: { sv: 'Kod', en: 'Code' },
  qrAlt: { sv: 'QR-kod som leder till {url}', en: 'QR code that leads to {url}' },
  scanOrType: {
    sv: 'Skanna QR-koden eller skriv adressen i mobilen.',
    en: 'Scan the QR code or type the address on your phone.',
  },
  voteNow: { sv: 'Rösta i mobilen', en: 'Vote on your phone' },
  notOpenYet: { sv: 'Röstningen har inte öppnats än.', en: 'Voting has not opened yet.' },
  closed: { sv: 'Röstningen är stängd.', en: 'Voting is closed.' },
  loading: { sv: 'Hämtar sessionen…', en: 'Loading the session…' },
  progressLabel: { sv: 'Andel som svarat', en: 'Share who have answered' },
  twoCampsHead: { sv: 'Två läger: {a} och {b}', en: 'Two camps: {a} and {b}' },
  twoCampsShort: { sv: 'Två läger: {a} och {b}', en: 'Two camps: {a} and {b}' },
  pageTitle: { sv: '{title} – Samsyn skärm', en: '{title} – Samsyn screen' },
  pageTitleIdle: { sv: 'Samsyn skärm – kod {code}', en: 'Samsyn screen – code {code}' },
  roomWord: { sv: 'Rummets ord', en: 'Room word' },
  roomWordElsewhere: { sv: 'visas av samtalsledaren', en: 'shown by the facilitator' },
  roomWordHelp: {
    sv: 'Skriv ordet i mobilen när du svarar.',
    en: 'Type the word on your phone when you answer.',
  },
  summaryTitle: { sv: 'Sammanfattning – Samsyn skärm', en: 'Summary – Samsyn screen' },
} satisfies Dict;
