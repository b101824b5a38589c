//! Phone view (/join, /join/{code}): enter a code, then vote on the current item and see
//! revealed results. Must stay small: it loads on every participant's phone.

import { render } from 'preact';
import { useState } from 'preact/hooks';
import '../styles.css';
import { cleanCode, answeredTotal, isJoinCode } from '../lib/format';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import { useLang, useLive } from '../lib/live';
import { codeFromPath } from '../lib/path';
import { ownVote, type ClientState } from '../lib/reducer';
import { areaOf, currentItem, latestRound, openRound, sortedLevels } from '../lib/session';
import { readStore, tokenKey, writeStore } from '../lib/storage';
import { common } from '../lib/strings';
import type { Answer, Command, Item, Session } from '../lib/types';
import {
  ConnectionNotice,
  ConsensusView,
  ErrorAlert,
  LangToggle,
  LiveAnnouncer,
  Refused,
  RevealedResults,
  announcement,
  levelText,
} from '../lib/ui';
import { phone } from './strings';

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
  return (
    <>
      <TopBar lang={lang} setLang={setLang} session={session} code={code} />
      <main id="main" class="page page-narrow">
        <ConnectionNotice status={state.connection} lang={lang} />
        <ErrorAlert error={state.error} lang={lang} onDismiss={() => dispatch({ type: 'dismiss_error' })} />
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
        ) : !item ? (
          <h1 class="waiting">{tr(lang, common.waiting)}</h1>
        ) : (
          <ItemView item={item} session={session} state={state} lang={lang} send={send} />
        )}
      </main>
      <LiveAnnouncer text={session ? announcement(item, session.scale, lang) : ''} />
    </>
  );
}

function ItemView({
  item,
  session,
  state,
  lang,
  send,
}: {
  item: Item;
  session: Session;
  state: ClientState;
  lang: Lang;
  send: (c: Command) => number;
}) {
  const area = areaOf(session, item);
  const round = latestRound(item);
  const total = round ? answeredTotal(round.voted, session.participants) : 0;
  return (
    <article class="item">
      <p class="eyebrow">
        {area ? pick(area.name, lang) : ''} <span class="item-id">{item.id}</span>
      </p>
      <h1 class="item-title">{pick(item.title, lang)}</h1>
      {pick(item.description, lang) && <p class="item-desc">{pick(item.description, lang)}</p>}

      {item.phase === 'pending' && (
        <p class="waiting-note">
          <strong>{tr(lang, common.waiting)}</strong>
          <br />
          {tr(lang, phone.notOpenYet)}
        </p>
      )}

      {item.phase === 'voting' && <Ballot item={item} session={session} state={state} lang={lang} send={send} />}

      {item.phase === 'closed' && (
        <>
          <p class="waiting-note">{tr(lang, phone.closed)}</p>
          <OwnAnswer item={item} session={session} state={state} lang={lang} />
        </>
      )}

      {(item.phase === 'voting' || item.phase === 'closed') && round && (
        <p class="progress" aria-live="polite">
          {tr(lang, common.votedOf, { voted: round.voted, total })}
        </p>
      )}

      {item.phase === 'locked' && item.consensus && (
        <ConsensusView consensus={item.consensus} scale={session.scale} lang={lang} />
      )}

      {item.phase === 'revealed' && <OwnAnswer item={item} session={session} state={state} lang={lang} />}

      {(item.phase === 'revealed' || item.phase === 'locked') && (
        <RevealedResults item={item} scale={session.scale} lang={lang} />
      )}
    </article>
  );
}

function answerText(session: Session, answer: Answer, lang: Lang): string {
  if (answer === 'not_relevant') {
    return session.scale.not_relevant ? pick(session.scale.not_relevant.label, lang) : tr(lang, common.notRelevantCount);
  }
  return levelText(session.scale, answer, lang);
}

function OwnAnswer({ item, session, state, lang }: { item: Item; session: Session; state: ClientState; lang: Lang }) {
  const round = latestRound(item);
  if (!round) return null;
  const own = ownVote(state, item.id, round.number);
  return (
    <p class="own-answer">
      {own.answer === null
        ? tr(lang, phone.youDidNotAnswer)
        : tr(lang, phone.youAnswered, { answer: answerText(session, own.answer, lang) })}
    </p>
  );
}

function Ballot({
  item,
  session,
  state,
  lang,
  send,
}: {
  item: Item;
  session: Session;
  state: ClientState;
  lang: Lang;
  send: (c: Command) => number;
}) {
  const round = openRound(item);
  if (!round) return null;
  const own = ownVote(state, item.id, round.number);
  const vote = (answer: Answer) => {
    if (own.status === 'received' && own.answer === answer) return;
    send({ type: 'vote', item: item.id, round: round.number, answer });
  };
  const nr = session.scale.not_relevant;
  const status =
    own.status === 'received'
      ? tr(lang, phone.received)
      : own.status === 'sending'
        ? state.connection === 'open'
          ? tr(lang, phone.sending)
          : tr(lang, phone.sendingLater)
        : '';
  return (
    <section class="ballot" aria-labelledby="ballot-title">
      <h2 id="ballot-title">{tr(lang, phone.yourAnswer)}</h2>
      <p class="muted">{tr(lang, phone.chooseLevel)}</p>
      <div class="scale" role="group" aria-labelledby="ballot-title">
        {sortedLevels(session.scale).map((l) => (
          <button
            type="button"
            key={l.level}
            class="scale-btn"
            aria-pressed={own.answer === l.level}
            onClick={() => vote(l.level)}
          >
            <span class="scale-num" aria-hidden="true">
              {l.level}
            </span>
            <span class="scale-text">
              <span class="scale-label">
                <span class="sr-only">{l.level} – </span>
                {pick(l.label, lang)}
              </span>
              <span class="scale-def">{pick(l.definition, lang)}</span>
            </span>
          </button>
        ))}
      </div>
      {nr && (
        <div class="scale scale-apart">
          <button
            type="button"
            class="scale-btn scale-btn-nr"
            aria-pressed={own.answer === 'not_relevant'}
            onClick={() => vote('not_relevant')}
          >
            <span class="scale-num" aria-hidden="true">
              –
            </span>
            <span class="scale-text">
              <span class="scale-label">{pick(nr.label, lang)}</span>
              <span class="scale-def">{pick(nr.definition, lang)}</span>
            </span>
          </button>
        </div>
      )}
      <p class={`vote-status vote-${own.status}`} role="status">
        {status}
      </p>
    </section>
  );
}

render(<App />, document.getElementById('app')!);
