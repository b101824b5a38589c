//! UI texts shared by the live views (phone, screen, facilitator), in Swedish and English.
//! Data only; each view keeps its own texts beside it.

import type { Dict, Msg, Params } from './i18n';
import type { Kind, Phase } from './types';

/** A wording that depends on `count`, which is shown formatted for `loc` in place of `{n}`. */
const plural = (loc: string, one: string, other: string) => (p: Params) => {
  const count = Number(p.count);
  return (count === 1 ? one : other).replace('{n}', new Intl.NumberFormat(loc).format(count));
};

const num = (loc: string, v: string | number | undefined) => new Intl.NumberFormat(loc).format(Number(v ?? 0));
const people = (loc: string, v: string | number | undefined, one: string, other: string) =>
  `${num(loc, v)} ${Number(v) === 1 ? one : other}`;

export const common = {
  appName: { sv: 'Samsyn', en: 'Samsyn' },
  switchLang: { sv: 'English', en: 'Svenska' },
  connecting: { sv: 'Ansluter…', en: 'Connecting…' },
  reconnecting: {
    sv: 'Återansluter… Dina svar sparas och skickas när anslutningen är tillbaka.',
    en: 'Reconnecting… Your answers are kept and sent when the connection is back.',
  },
  reconnectingScreen: {
    sv: 'Återansluter… Skärmen visar det senaste den fick tills anslutningen är tillbaka.',
    en: 'Reconnecting… The screen shows the latest it received until the connection is back.',
  },
  reconnectingFacilitator: {
    sv: 'Återansluter… Dina kommandon skickas när anslutningen är tillbaka.',
    en: 'Reconnecting… Your commands are sent when the connection is back.',
  },
  reconnectingShort: { sv: 'Återansluter…', en: 'Reconnecting…' },
  // A participant's hello held back: many new phones from one network (a room on one wifi) just joined.
  crowded: {
    sv: 'Många ansluter just nu – vi försöker igen …',
    en: 'Many are joining right now – trying again …',
  },
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
  // A kind newer than this page (a server ahead of a cached page): said plainly, never drawn as another kind.
  unsupportedKind: {
    sv: 'Den här frågetypen stöds inte av den här sidan.',
    en: 'This question type is not supported by this page.',
  },
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
  announceRevealedPlain: { sv: 'Resultatet visas för {title}.', en: 'Results are shown for {title}.' },
  liveResults: { sv: 'Resultat i realtid', en: 'Live results' },
  colOption: { sv: 'Alternativ', en: 'Option' },
  colPoints: { sv: 'Poäng', en: 'Points' },
  colPeople: { sv: 'Personer', en: 'People' },
  colWord: { sv: 'Ord', en: 'Word' },
  colCount: { sv: 'Antal', en: 'Count' },
  choiceCaption: { sv: 'Svar per alternativ, omgång {n}', en: 'Answers per option, round {n}' },
  choiceChartLabel: {
    sv: 'Stapeldiagram över svaren. Samma siffror finns i tabellen.',
    en: 'Bar chart of the answers. The table has the same figures.',
  },
  choiceShareHelp: {
    sv: 'Andel av dem som svarat; flera val per person går',
    en: 'Share of those who answered; several choices per person allowed',
  },
  pointsCaption: { sv: 'Poäng per alternativ, omgång {n}', en: 'Points per option, round {n}' },
  givenBy: {
    sv: plural('sv-SE', 'gavs av {n} person', 'gavs av {n} personer'),
    en: plural('en-GB', 'given by {n} person', 'given by {n} people'),
  },
  pointsTotal: {
    sv: (p: Params) => `${num('sv-SE', p.points)} poäng från ${people('sv-SE', p.people, 'person', 'personer')}`,
    en: (p: Params) => `${num('en-GB', p.points)} ${Number(p.points) === 1 ? 'point' : 'points'} from ${people('en-GB', p.people, 'person', 'people')}`,
  },
  wordsCaption: { sv: 'Ord och hur många som skrev dem, omgång {n}', en: 'Words and how many wrote them, round {n}' },
  wordsTotal: {
    sv: (p: Params) => `${num('sv-SE', p.total)} ord från ${people('sv-SE', p.people, 'person', 'personer')}`,
    en: (p: Params) => `${num('en-GB', p.total)} ${Number(p.total) === 1 ? 'word' : 'words'} from ${people('en-GB', p.people, 'person', 'people')}`,
  },
  noWords: { sv: 'Inga ord än.', en: 'No words yet.' },
  showList: { sv: 'Visa som lista', en: 'Show as list' },
  wordHidden: { sv: 'dold', en: 'hidden' },
  wordFiltered: { sv: 'filtrerad', en: 'filtered' },
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
  err_unauthorized: { sv: 'Logga in för att fortsätta.', en: 'Sign in to continue.' },
  err_unknown_invitation: {
    sv: 'Inbjudningslänken fungerar inte: den är redan använd eller för gammal.',
    en: 'The invitation link does not work: it was used already or has expired.',
  },
  err_unknown_item: { sv: 'Frågan finns inte i sessionen.', en: 'The item is not in this session.' },
  err_round_closed: {
    sv: 'Röstningen är stängd – svaret kom inte med.',
    en: 'Voting is closed – the answer was not counted.',
  },
  err_invalid_answer: { sv: 'Svaret passar inte frågan.', en: 'The answer does not fit the question.' },
  err_invalid_transition: {
    sv: 'Det går inte i frågans nuvarande läge.',
    en: 'That is not possible in the item’s current phase.',
  },
  err_invalid_level: { sv: 'Nivån finns inte på skalan.', en: 'That level is not on the scale.' },
  err_text_too_long: { sv: 'Texten är för lång.', en: 'The text is too long.' },
  err_invalid_word: {
    sv: 'Ordet går inte att använda: det är tomt, för långt, saknar bokstäver eller har tecknen < > { }.',
    en: 'That word cannot be used: it is empty, too long, has no letter or holds < > { }.',
  },
  err_duplicate_word: { sv: 'Du har redan skickat det ordet.', en: 'You already sent that word.' },
  err_too_many_words: { sv: 'Du har redan skickat alla dina ord.', en: 'You have already sent all your words.' },
  err_invalid_items: { sv: 'Frågorna följer inte reglerna.', en: 'The items break a rule.' },
  err_item_in_use: {
    sv: 'En fråga som redan har svar kan inte tas bort eller byta typ.',
    en: 'An item that already has answers cannot be removed or change kind.',
  },
  err_invalid_field: { sv: 'Ett fält är inte rätt ifyllt.', en: 'A field is not filled in correctly.' },
  err_not_comparable: {
    sv: 'Tillfällena går inte att jämföra: de gäller olika organisationer.',
    en: 'The occasions cannot be compared: they are of different organisations.',
  },
  err_unknown_catalogue: { sv: 'Katalogen finns inte.', en: 'The catalogue does not exist.' },
  err_internal: {
    sv: 'Servern kunde inte spara ändringen. Inget ändrades – försök igen.',
    en: 'The server could not store the change. Nothing changed – try again.',
  },
  err_unavailable: {
    sv: 'Servern når inte sessionen just nu. Försöker igen …',
    en: 'The server cannot reach the session right now. Trying again …',
  },
  err_rate_limited: {
    sv: 'För många försök på kort tid. Vänta en stund och försök igen.',
    en: 'Too many attempts in a short time. Wait a moment and try again.',
  },
  err_wrong_room_word: {
    sv: 'Skriv rummets ord som visas på storbilden.',
    en: 'Type the room word shown on the big screen.',
  },
  err_left_out: {
    sv: 'Facilitatorn har räknat bort svaren från den här telefonen.',
    en: 'The facilitator has left this phone’s answers out of the count.',
  },
  err_timeout: { sv: 'Begäran kom inte fram i tid. Försök igen.', en: 'The request did not arrive in time. Try again.' },
  err_unknown: { sv: 'Okänt fel.', en: 'Unknown error.' },
} satisfies Dict;

export const phaseNames: Record<Phase, Msg> = {
  pending: { sv: 'Ej påbörjad', en: 'Not started' },
  voting: { sv: 'Röstning pågår', en: 'Voting' },
  closed: { sv: 'Röstning stängd', en: 'Voting closed' },
  revealed: { sv: 'Resultat visas', en: 'Results shown' },
  locked: { sv: 'Låst', en: 'Locked' },
};

export const kindNames: Record<Kind, Msg> = {
  scale: { sv: 'Skala', en: 'Scale' },
  choice: { sv: 'Val', en: 'Choice' },
  points: { sv: 'Poäng', en: 'Points' },
  words: { sv: 'Ordmoln', en: 'Word cloud' },
};

/** The message for a server error code; unknown codes get a generic text. */
export function errorMsg(code: string): Msg {
  const key = `err_${code}` as keyof typeof common;
  return key in common ? common[key] : common.err_unknown;
}
