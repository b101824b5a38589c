//! Phone view (/join, /join/{code}): enter a code, then vote on the current item and see
//! results when they may be seen, and the summary with the plan once it is shared. While the
//! session has a room word, asks for it and sends it with every answer; an answer made before
//! the word is known (or refused for a word that changed) waits for it instead of being lost.
//! Must stay small: it loads on every participant's phone.

import { render, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import '../styles.css';
import { cleanCode, answeredTotal, isJoinCode } from '../lib/format';
import { pick, translate as tr, textLang, type Lang } from '../lib/i18n';
import { useLang, useLive } from '../lib/live';
import { codeFromPath } from '../lib/path';
import { wordProblemOf } from '../lib/answers';
import { ownVote, ownWords, type ClientState, type ErrorInfo } from '../lib/reducer';
import { ItemResults } from '../lib/results';
import { areaOf, currentItem, itemById, latestRound, openRound, scaleOf, showsSummary } from '../lib/session';
import { readStore, tokenKey, writeStore } from '../lib/storage';
import { common } from '../lib/strings';
import type { Command, Item, Session } from '../lib/types';
import { ConnectionNotice, ConsensusView, ErrorAlert, LangToggle, LiveAnnouncer, Refused, announcement, ThrottledProgress } from '../lib/ui';
import { ChoiceBallot, PointsBallot, ScaleBallot, WordsBallot, answerText } from './ballots';
import { RoomWordPrompt, type AskReason } from './roomPrompt';
import { forgetWord, readKnownWord, refusalMeansWrong, rememberWord, tabStore, wordFor, type KnownWord } from './roomWord';
import { phone } from './strings';

/** Where this tab keeps the room word it was given. */
const wordStore = tabStore();

/**
 * Errors the page shows in place instead of in the alert: a refused word beside the word field, a
 * refused room word beside the room word's field.
 */
function shownInPlace(error: ErrorInfo | null): boolean {
  if (!error) return false;
  if (error.code === 'wrong_room_word') return true;
  return error.command?.type === 'word' && wordProblemOf(error.code) !== null;
}

function App() {
  const [lang, setLang] = useLang();
  const code = codeFromPath(location.pathname, 'join');
  return code ? (
    <PhoneSession code={code} lang={lang} setLang={setLang} />
  ) : (
    <CodeEntry lang={lang} setLang={setLang} />
  );
}

function TopBar({ lang, setLang, session, code }: { lang: Lang; setLang: (l: Lang) => void; session?: Session | null; code?: string }) {
  return (
    <header class="topbar">
      <span class="brand">{tr(lang, common.appName)}</span>
      <span class="topbar-info">
        {session?.title && <span class="topbar-title">{session.title}</span>}
        {code && <span class="topbar-code">{tr(lang, common.sessionCode, { code })}</span>}
      </span>
      <LangToggle lang={lang} setLang={setLang} />
    </header>
  );
}

function CodeEntry({ lang, setLang }: { lang: Lang; setLang: (l: Lang) => void }) {
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    const code = cleanCode(value);
    if (!isJoinCode(code)) {
      setInvalid(true);
      return;
    }
    location.assign(`/join/${code}`);
  };
  return (
    <>
      <TopBar lang={lang} setLang={setLang} />
      <main id="main" class="page page-narrow">
        <h1>{tr(lang, phone.joinTitle)}</h1>
        <form class="code-form" onSubmit={submit} noValidate>
          <label for="code">{tr(lang, phone.codeLabel)}</label>
          <input
            id="code"
            class="code-input"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            maxLength={7}
            value={value}
            aria-describedby="code-help code-error"
            aria-invalid={invalid}
            onInput={(e) => {
              setValue(cleanCode((e.target as HTMLInputElement).value));
              setInvalid(false);
            }}
          />
          <p id="code-help" class="muted">
            {tr(lang, phone.codeHelp)}
          </p>
          <p id="code-error" class="field-error" role="alert">
            {invalid ? tr(lang, phone.codeInvalid) : ''}
          </p>
          <button type="submit" class="btn btn-primary btn-block">
            {tr(lang, phone.join)}
          </button>
        </form>
      </main>
    </>
  );
}

function PhoneSession({ code, lang, setLang }: { code: string; lang: Lang; setLang: (l: Lang) => void }) {
  const { state, send, dispatch } = useLive(
    () => {
      const token = readStore(tokenKey(code));
      return token ? { role: 'participant', code, token } : { role: 'participant', code };
    },
    (msg) => {
      if (msg.type === 'welcome' && msg.token) writeStore(tokenKey(code), msg.token);
    },
  );
  const session = state.session;
  const item = currentItem(session);
  const summary = !!session?.summary && !!session && showsSummary(session);

  // ---- the room word: remembered per number for this tab; asked for while unknown
  const room = session?.room_word ?? null;
  const [known, setKnown] = useState<KnownWord | null>(() => readKnownWord(wordStore, code));
  // The server refused an answer for the room word: ask (again), until the word on the screen changes.
  // `wrong`: the word the phone sent was wrong; `needed`: it sent none (the word came on meanwhile).
  const [refused, setRefused] = useState<null | 'wrong' | 'needed'>(null);
  const roomNumber = room?.number ?? null;
  useEffect(() => setRefused(null), [roomNumber]);
  const word = room ? wordFor(known, room.number) : null;
  const needWord = word === null && (room !== null || refused !== null);
  const changed = !!room && !!known && known.number !== room.number;
  const reason: AskReason = refused === 'wrong' ? 'wrong' : changed ? 'changed' : 'first';

  const seenErrors = useRef(state.errorCount);
  useEffect(() => {
    if (state.errorCount === seenErrors.current) return;
    seenErrors.current = state.errorCount;
    const error = state.error;
    if (error?.code !== 'wrong_room_word') return;
    const sent = error.command?.type === 'vote' || error.command?.type === 'word' ? error.command.room_word : undefined;
    // Sent with the word of an earlier number: the phone already asks for the new one, or has it.
    if (sent !== undefined && (changed || !refusalMeansWrong(sent, word))) return;
    if (sent !== undefined) {
      forgetWord(wordStore, code);
      setKnown(null);
    }
    setRefused(sent === undefined ? 'needed' : 'wrong');
  }, [state.errorCount]);

  const takeWord = (typed: string) => {
    setRefused(null);
    // The refusal is answered: a word typed again (even the same) is tried again.
    if (state.error?.code === 'wrong_room_word') dispatch({ type: 'dismiss_error' });
    if (!room) return;
    const next = { number: room.number, word: typed };
    rememberWord(wordStore, code, next);
    setKnown(next);
  };

  /** Sends an answer with the room word, or keeps it until the word is known. */
  const answer = (command: Command): number => {
    if (command.type !== 'vote' && command.type !== 'word') return send(command);
    if (needWord) {
      dispatch({ type: 'hold', command });
      return -1;
    }
    return send(word ? { ...command, room_word: word } : command);
  };

  // Answers that waited go out once the word is known (or no longer needed); those to a round that
  // closed meanwhile were never sent and are let go.
  useEffect(() => {
    if (needWord || state.held.length === 0 || !session) return;
    // Just refused with this very word: the word is being forgotten (effect above), not tried again.
    const error = state.error;
    const refusedWith = error?.code === 'wrong_room_word' && (error.command?.type === 'vote' || error.command?.type === 'word') ? error.command.room_word : undefined;
    if (word && refusedWith !== undefined && refusalMeansWrong(refusedWith, word)) return;
    for (const command of state.held) {
      if (command.type !== 'vote' && command.type !== 'word') continue;
      if (openRound(itemById(session, command.item))?.number !== command.round) continue;
      send(word ? { ...command, room_word: word } : command);
    }
    dispatch({ type: 'released', count: state.held.length });
  }, [needWord, word, state.held, session]);

  const asking = needWord && !!session && !summary && (state.held.length > 0 || !item || item.phase === 'pending' || item.phase === 'voting');
  const prompt = asking ? <RoomWordPrompt reason={reason} waiting={state.held.length} lang={lang} onWord={takeWord} /> : null;

  useEffect(() => {
    // The title says the view and the item, so that a tab or a screen reader's list tells them apart.
    document.title = summary
      ? tr(lang, phone.titleSummary)
      : item
        ? tr(lang, phone.titleItem, { title: pick(item.title, lang) })
        : tr(lang, phone.titleWaiting);
    if (session) sessionSeen = true;
  }, [lang, summary, item?.id, !!session]);
  return (
    <>
      <TopBar lang={lang} setLang={setLang} session={session} code={code} />
      <main id="main" class="page page-narrow">
        <ConnectionNotice status={state.connection} lang={lang} crowded={state.crowded} />
        {/* A refused word is explained beside the word field instead, a refused room word beside its field. */}
        <ErrorAlert
          error={shownInPlace(state.error) ? null : state.error}
          lang={lang}
          onDismiss={() => dispatch({ type: 'dismiss_error' })}
        />
        {state.fatal ? (
          <Refused code={code} errorCode={state.fatal.code} lang={lang}>
            <p>
              <a class="btn" href="/join">
                {tr(lang, phone.otherCode)}
              </a>
            </p>
          </Refused>
        ) : !session ? (
          <p class="muted">{tr(lang, phone.loading)}</p>
        ) : session.summary && showsSummary(session) ? (
          <SharedSummary session={session} lang={lang} />
        ) : !item ? (
          <section class="joined" aria-labelledby="joined-title">
            <h1 id="joined-title" class="waiting">
              {tr(lang, phone.joined)}
            </h1>
            <p class="joined-wait">{tr(lang, common.waiting)}…</p>
            {prompt}
            <p class="muted">{tr(lang, phone.anonymous)}</p>
          </section>
        ) : (
          <ItemView
            item={item}
            session={session}
            state={state}
            lang={lang}
            send={answer}
            dismiss={() => dispatch({ type: 'dismiss_error' })}
            prompt={prompt}
          />
        )}
      </main>
      <LiveAnnouncer text={session ? (showsSummary(session) ? tr(lang, phone.summaryShown) : announcement(item, session, lang)) : ''} />
    </>
  );
}

type SummaryModule = typeof import('./summary');

/** Whether this page has shown the session before: then a new item takes the focus. */
let sessionSeen = false;

/** The summary's code, loaded the first time a summary is shared: most sessions never show one. */
let summaryModule: Promise<SummaryModule> | null = null;

function SharedSummary({ session, lang }: { session: Session; lang: Lang }) {
  const [mod, setMod] = useState<SummaryModule | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    summaryModule ??= import('./summary');
    summaryModule.then(
      (m) => live && setMod(m),
      () => {
        // Offline for a moment: try again shortly.
        summaryModule = null;
        setTimeout(() => live && setAttempt((a) => a + 1), 3000);
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  if (!mod || !session.summary) return <p class="muted">{tr(lang, phone.loading)}</p>;
  return <mod.PhoneSummary session={session} summary={session.summary} lang={lang} />;
}

function ItemView({
  item,
  session,
  state,
  lang,
  send,
  dismiss,
  prompt,
}: {
  item: Item;
  session: Session;
  state: ClientState;
  lang: Lang;
  send: (c: Command) => number;
  dismiss: () => void;
  /** The room word's question, when the phone must ask for it: just before the answer controls. */
  prompt: ComponentChildren;
}) {
  const area = areaOf(session, item);
  const round = latestRound(item);
  const open = openRound(item);
  const total = round ? answeredTotal(round.voted, session.participants) : 0;
  const scale = scaleOf(session, item);
  // While voting, show results only when they are live: an earlier round's revealed tally
  // would otherwise sway a re-vote.
  const showResults = item.phase === 'revealed' || item.phase === 'locked' || item.results === 'live';
  const props = { round: open!, session, state, lang, send, dismiss };
  // When the facilitator moves on, the focus moves to the new question (not on the page's first load).
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (sessionSeen) titleRef.current?.focus();
  }, [item.id]);
  return (
    <article class="item">
      {area && <p class="eyebrow" lang={textLang(area.name, lang)}>{pick(area.name, lang)}</p>}
      <h1 class="item-title" tabIndex={-1} ref={titleRef} lang={textLang(item.title, lang)}>
        {pick(item.title, lang)}
      </h1>
      {pick(item.description, lang) && <p class="item-desc" lang={textLang(item.description, lang)}>{pick(item.description, lang)}</p>}

      {item.phase === 'pending' && (
        <p class="waiting-note">
          <strong>{tr(lang, common.waiting)}</strong>
          <br />
          {tr(lang, phone.notOpenYet)}
        </p>
      )}

      {prompt}

      {open && (
        <div key={`${item.id}:${open.number}`}>
          {item.kind === 'scale' && <ScaleBallot item={item} {...props} />}
          {item.kind === 'choice' && <ChoiceBallot item={item} {...props} />}
          {item.kind === 'points' && <PointsBallot item={item} {...props} />}
          {item.kind === 'words' && <WordsBallot item={item} {...props} />}
        </div>
      )}

      {item.phase === 'closed' && (
        <>
          <p class="waiting-note">{item.results === 'live' ? tr(lang, phone.closedLive) : tr(lang, phone.closed)}</p>
          <OwnAnswer item={item} session={session} state={state} lang={lang} />
        </>
      )}

      {(item.phase === 'voting' || item.phase === 'closed') && round && (
        <>
          <p class="progress">{tr(lang, common.votedOf, { voted: round.voted, total })}</p>
          {/* Announced at most every few seconds, and at once when everyone has answered. */}
          <ThrottledProgress voted={round.voted} total={total} lang={lang} />
        </>
      )}

      {item.phase === 'locked' && item.consensus && scale && <ConsensusView consensus={item.consensus} scale={scale} lang={lang} />}

      {item.phase === 'revealed' && <OwnAnswer item={item} session={session} state={state} lang={lang} />}

      {showResults && <ItemResults item={item} session={session} lang={lang} cloudMaxEm={2.6} />}
    </article>
  );
}

function OwnAnswer({ item, session, state, lang }: { item: Item; session: Session; state: ClientState; lang: Lang }) {
  const round = latestRound(item);
  if (!round) return null;
  let text: string | null = null;
  if (item.kind === 'words') {
    const words = ownWords(state, item.id, round.number).stored;
    if (words.length > 0) text = words.join(', ');
  } else {
    const own = ownVote(state, item.id, round.number);
    if (own.answer !== null) text = answerText(session, item, own.answer, lang);
  }
  return (
    <p class="own-answer">{text === null ? tr(lang, phone.youDidNotAnswer) : tr(lang, phone.youAnswered, { answer: text })}</p>
  );
}

render(<App />, document.getElementById('app')!);
