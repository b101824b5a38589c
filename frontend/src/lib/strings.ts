//! UI texts shared by the live views (phone, screen, facilitator), in Swedish and English.
//! Data only; each view keeps its own texts beside it.

import type { Dict, Msg, Params } from './i18n';
import type { Phase } from './types';

/** A wording that depends on `count`, which is shown formatted for `loc` in place of `{n}`. */
const plural = (loc: string, one: string, other: string) => (p: Params) => {
  const count = Number(p.count);
  return (count === 1 ? one : other).replace('{n}', new Intl.NumberFormat(loc).format(count));
};

export const common = {
  appName: { sv: 'Samsyn', en: 'Samsyn' },
  switchLang: { sv: 'English', en: 'Svenska' },
  connecting: { sv: 'Ansluter…', en: 'Connecting…' },
  reconnecting: {
    sv: 'Återansluter… Dina svar sparas och skickas när anslutningen är tillbaka.',
    en: 'Reconnecting… Your answers are kept and sent when the connection is back.',
  },
  reconnectingShort: { sv: 'Återansluter…', en: 'Reconnecting…' },
  connected: { sv: 'Ansluten', en: 'Connected' },
  waiting: { sv: 'Väntar på samtalsledaren', en: 'Waiting for the facilitator' },
  votedOf: { sv: '{voted} av {total} har svarat', en: '{voted} of {total} have answered' },
  participants: {
    sv: plural('sv-SE', '{n} deltagare', '{n} deltagare'),
    en: plural('en-GB', '{n} participant', '{n} participants'),
  },
  sessionCode: { sv: 'Kod {code}', en: 'Code {code}' },
  round: { sv: 'Omgång {n}', en: 'Round {n}' },
  results: { sv: 'Resultat', en: 'Results' },
  earlierRounds: { sv: 'Tidigare omgångar', en: 'Earlier rounds' },
  distributionCaption: { sv: 'Svarsfördelning, omgång {n}', en: 'Distribution of answers, round {n}' },
  chartLabel: {
    sv: 'Stapeldiagram över svaren, omgång {n}. Samma siffror finns i tabellen.',
    en: 'Bar chart of the answers, round {n}. The table has the same figures.',
  },
  colLevel: { sv: 'Nivå', en: 'Level' },
  colAnswers: { sv: 'Svar', en: 'Answers' },
  colShare: { sv: 'Andel', en: 'Share' },
  level: { sv: 'Nivå {n}', en: 'Level {n}' },
  median: { sv: 'Median', en: 'Median' },
  consensus: { sv: 'Samstämmighet', en: 'Consensus' },
  consensusHelp: {
    sv: '100 % betyder att alla svarat samma nivå',
    en: '100% means everyone chose the same level',
  },
  iqr: { sv: 'Kvartilavstånd', en: 'Interquartile range' },
  withinOne: { sv: 'Inom ±1 nivå från medianen', en: 'Within ±1 level of the median' },
  modeShare: { sv: 'På vanligaste nivån', en: 'On the most common level' },
  answersOnScale: { sv: 'Svar på skalan', en: 'Answers on the scale' },
  notRelevantCount: { sv: 'Ej relevant', en: 'Not relevant' },
  twoCamps: {
    sv: 'Två läger: gruppen är delad mellan två skilda nivåer.',
    en: 'Two camps: the group is split between two distant levels.',
  },
  noScaleAnswers: { sv: 'Inga svar på skalan i den här omgången.', en: 'No answers on the scale in this round.' },
  noVotes: { sv: 'Ingen har svarat.', en: 'Nobody answered.' },
  agreed: { sv: 'Gruppens samsyn', en: "The group's consensus" },
  note: { sv: 'Motivering', en: 'Note' },
  dissent: { sv: 'Avvikande mening', en: 'Dissent' },
  lockedAt: { sv: 'Låst {when}', en: 'Locked {when}' },
  dismiss: { sv: 'Stäng', en: 'Dismiss' },
  errorTitle: { sv: 'Något gick fel', en: 'Something went wrong' },
  announceVoting: { sv: 'Röstningen är öppen: {title}', en: 'Voting is open: {title}' },
  announceClosed: { sv: 'Röstningen är stängd: {title}', en: 'Voting is closed: {title}' },
  announceRevealed: {
    sv: 'Resultatet visas för {title}. Median {median}, samstämmighet {consensus}.',
    en: 'Results for {title}. Median {median}, consensus {consensus}.',
  },
  announceLocked: { sv: '{title} är låst på nivå {level}.', en: '{title} is locked at level {level}.' },
  unknownSessionTitle: { sv: 'Sessionen finns inte', en: 'No such session' },
  forbiddenTitle: { sv: 'Ingen åtkomst', en: 'No access' },
  refusedTitle: { sv: 'Kunde inte ansluta', en: 'Could not connect' },
  notConnected: { sv: 'Inte ansluten', en: 'Not connected' },
  unknownSession: {
    sv: 'Det finns ingen session med koden {code}. Kontrollera koden.',
    en: 'There is no session with the code {code}. Check the code.',
  },
  forbidden: {
    sv: 'Länken ger inte tillgång till den här sessionen.',
    en: 'This link does not give access to this session.',
  },
  refused: { sv: 'Servern tog inte emot anslutningen.', en: 'The server refused the connection.' },
  // Error codes of docs/protocol.md, section 5.
  err_bad_message: { sv: 'Servern kunde inte läsa meddelandet.', en: 'The server could not read the message.' },
  err_too_large: { sv: 'Meddelandet är för stort.', en: 'The message is too large.' },
  err_not_joined: { sv: 'Inte ansluten till sessionen än.', en: 'Not joined to the session yet.' },
  err_already_joined: { sv: 'Redan ansluten.', en: 'Already joined.' },
  err_unknown_session: { sv: 'Sessionen finns inte.', en: 'The session does not exist.' },
  err_forbidden: { sv: 'Det där får du inte göra.', en: 'You are not allowed to do that.' },
  err_unknown_item: { sv: 'Frågan finns inte i sessionen.', en: 'The item is not in this session.' },
  err_round_closed: {
    sv: 'Röstningen är stängd – svaret kom inte med.',
    en: 'Voting is closed – the answer was not counted.',
  },
  err_invalid_answer: { sv: 'Svaret är inte en nivå på skalan.', en: 'The answer is not a level of the scale.' },
  err_invalid_transition: {
    sv: 'Det går inte i frågans nuvarande läge.',
    en: 'That is not possible in the item’s current phase.',
  },
  err_invalid_level: { sv: 'Nivån finns inte på skalan.', en: 'That level is not on the scale.' },
  err_text_too_long: { sv: 'Texten är för lång.', en: 'The text is too long.' },
  err_internal: {
    sv: 'Servern kunde inte spara ändringen. Inget ändrades – försök igen.',
    en: 'The server could not store the change. Nothing changed – try again.',
  },
  err_unknown: { sv: 'Okänt fel.', en: 'Unknown error.' },
} satisfies Dict;

export const phaseNames: Record<Phase, Msg> = {
  pending: { sv: 'Ej påbörjad', en: 'Not started' },
  voting: { sv: 'Röstning pågår', en: 'Voting' },
  closed: { sv: 'Röstning stängd', en: 'Voting closed' },
  revealed: { sv: 'Resultat visas', en: 'Results shown' },
  locked: { sv: 'Låst', en: 'Locked' },
};

/** The message for a server error code; unknown codes get a generic text. */
export function errorMsg(code: string): Msg {
  const key = `err_${code}` as keyof typeof common;
  return key in common ? common[key] : common.err_unknown;
}
