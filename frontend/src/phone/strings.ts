//! UI texts of the phone view, in Swedish and English.

import type { Dict } from '../lib/i18n';

export const phone = {
  joinTitle: { sv: 'Gå med i en session', en: 'Join a session' },
  codeLabel: { sv: 'Kod (6 siffror)', en: 'Code (6 digits)' },
  codeHelp: {
    sv: 'Koden visas på skärmen i rummet.',
    en: 'The code is shown on the screen in the room.',
  },
  join: { sv: 'Gå med', en: 'Join' },
  codeInvalid: { sv: 'Koden är sex siffror.', en: 'The code is six digits.' },
  otherCode: { sv: 'Ange en annan kod', en: 'Enter another code' },
  yourAnswer: { sv: 'Ditt svar', en: 'Your answer' },
  chooseLevel: { sv: 'Välj den nivå som stämmer bäst.', en: 'Choose the level that fits best.' },
  received: {
    sv: 'Ditt svar är mottaget – du kan ändra det tills röstningen stängs',
    en: 'Your answer is received – you can change it until voting closes',
  },
  sending: { sv: 'Skickar ditt svar…', en: 'Sending your answer…' },
  sendingLater: {
    sv: 'Ditt svar skickas när anslutningen är tillbaka.',
    en: 'Your answer will be sent when the connection is back.',
  },
  notOpenYet: { sv: 'Röstningen har inte öppnats än.', en: 'Voting has not opened yet.' },
  closed: {
    sv: 'Röstningen är stängd. Resultatet visas när samtalsledaren visar det.',
    en: 'Voting is closed. The results appear when the facilitator shows them.',
  },
  youAnswered: { sv: 'Ditt svar: {answer}', en: 'Your answer: {answer}' },
  youDidNotAnswer: { sv: 'Du svarade inte i den här omgången.', en: 'You did not answer in this round.' },
  loading: { sv: 'Hämtar sessionen…', en: 'Loading the session…' },
} satisfies Dict;
