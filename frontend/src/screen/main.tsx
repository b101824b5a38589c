//! Screen view (/screen/{code}): the projector, a stage. Every state fits the window without
//! scrolling and reads from the back of the room: the join code, link and QR large in the
//! lobby and a slim bar once an item opens; the question, the voting progress, the results by
//! kind (the latest round large, earlier rounds compact), the locked consensus, and the summary
//! once the facilitator shares it, and the room word while answers need it. No controls: the language
//! and the word view come with the link the console opens (`?lang=en`, `?words=list`, `?theme=dark`),
//! and so does the key that lets it read the room word (`#key=…`). The stage keeps its own
//! high-contrast colours whatever the computer's colour scheme.

import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import '../styles.css';
import './stage.css';
import { answeredTotal } from '../lib/format';
import { pick, storedLang, translate as tr, textLang, type Lang } from '../lib/i18n';
import { useLive } from '../lib/live';
import { codeFromPath } from '../lib/path';
import { areaOf, currentItem, latestRound, scaleOf, scaleLevel, showsSummary } from '../lib/session';
import { common } from '../lib/strings';
import { sumText } from '../lib/summaryStrings';
import { useThrottledText } from '../lib/throttle';
import type { Item, Session } from '../lib/types';
import { ConnectionNotice, LiveAnnouncer, PhaseBadge, Refused, announcement } from '../lib/ui';
import { screenParams } from './params';
import { RoomWordShow, takeScreenKey, useRoomWord, type RoomWordShown } from './room';
import { StageResults } from './stage';
import { screen } from './strings';
import { ScreenSummary } from './summary';

const params = screenParams(location.search);

/** The key the console passed in the fragment, kept for this tab; the address then drops it. */
const screenKey = (() => {
  const code = codeFromPath(location.pathname, 'screen');
  if (!code) return null;
  const { key, strip } = takeScreenKey(code, location.hash);
  if (strip) history.replaceState(history.state, '', location.pathname + location.search);
  return key;
})();

function App() {
  const lang: Lang = params.lang ?? storedLang();
  const code = codeFromPath(location.pathname, 'screen');
  const { state } = useLive(code ? () => ({ role: 'screen', code }) : null);
  const session = state.session;
  const room = useRoomWord(code, session?.room_word?.number ?? null, screenKey);
  const item = currentItem(session);
  const summary = !!session?.summary && !!session && showsSummary(session);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.classList.toggle('stage-dark-page', params.dark);
  }, [lang]);
  useEffect(() => {
    document.title = summary
      ? tr(lang, screen.summaryTitle)
      : item
        ? tr(lang, screen.pageTitle, { title: pick(item.title, lang) })
        : tr(lang, screen.pageTitleIdle, { code: code ?? '' });
  }, [lang, summary, item?.id, code]);
  const round = latestRound(item);
  const total = round ? answeredTotal(round.voted, session?.participants ?? 0) : 0;
  const progress = round && (item?.phase === 'voting' || item?.phase === 'closed') ? tr(lang, common.votedOf, { voted: round.voted, total }) : '';
  const spoken = useThrottledText(progress, !round || round.voted >= total);
  return (
    <div class={`stage${item && !summary ? ' is-item' : ''}${params.dark ? ' stage-dark' : ''}`}>
      <ConnectionNotice status={code ? state.connection : 'closed'} lang={lang} role="screen" />
      {!code || state.fatal ? (
        <main id="main" class="stage-main">
          <Refused code={code ?? ''} errorCode={state.fatal?.code ?? 'unknown_session'} lang={lang} />
        </main>
      ) : summary && session?.summary ? (
        <>
          <main id="main" class="stage-main stage-summary">
            <ScreenSummary session={session} summary={session.summary} lang={lang} />
          </main>
          <JoinBar code={code} lang={lang} participants={session.participants} room={room} />
        </>
      ) : !session ? (
        <main id="main" class="stage-main">
          <p class="st-note">{tr(lang, screen.loading)}</p>
        </main>
      ) : !item ? (
        <main id="main" class="stage-main">
          <Lobby code={code} lang={lang} session={session} room={room} />
        </main>
      ) : (
        <>
          <JoinBar code={code} lang={lang} participants={session.participants} room={room} />
          <main id="main" class="stage-main">
            <ScreenItem item={item} session={session} lang={lang} />
          </main>
        </>
      )}
      <LiveAnnouncer text={session ? (summary ? tr(lang, sumText.summaryTitle) : announcement(item, session, lang)) : ''} />
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {spoken}
      </div>
    </div>
  );
}

function joinUrl(code: string): { url: string; short: string } {
  const url = `${location.origin}/join/${code}`;
  return { url, short: `${location.host}/join` };
}

/** Before the first item: the way in, as large as the stage allows. */
function Lobby({ code, lang, session, room }: { code: string; lang: Lang; session: Session; room: RoomWordShown }) {
  const { url } = joinUrl(code);
  return (
    <section class="lobby" aria-labelledby="lobby-title">
      <div class="lobby-text">
        {session.title && <p class="lobby-session">{session.title}</p>}
        <h1 id="lobby-title" class="waiting">
          {tr(lang, common.waiting)}
        </h1>
        <p class="join-label">{tr(lang, screen.joinAt)}</p>
        <p class="join-url">{url}</p>
        <p class="join-label">{tr(lang, screen.code)}</p>
        <p class="join-code">{code}</p>
        <p class="join-hint">{tr(lang, screen.scanOrType)}</p>
        {room && (
          <>
            <RoomWordShow shown={room} lang={lang} large />
            <p class="join-hint">{tr(lang, screen.roomWordHelp)}</p>
          </>
        )}
        <p class="join-count">{tr(lang, common.participants, { count: session.participants })}</p>
      </div>
      <img class="lobby-qr" src={`/api/sessions/${code}/qr.svg`} alt={tr(lang, screen.qrAlt, { url })} width={480} height={480} />
    </section>
  );
}

/** Once an item is open: a slim bar with the code, a short link and a small QR code. */
function JoinBar({ code, lang, participants, room }: { code: string; lang: Lang; participants: number; room: RoomWordShown }) {
  const { url, short } = joinUrl(code);
  return (
    <aside class="join-bar" aria-label={tr(lang, screen.joinAt)}>
      <p class="join-bar-text">
        <span class="join-bar-label">{tr(lang, screen.joinBar)}:</span> <span class="join-bar-url">{short}</span>{' '}
        <span class="join-bar-label">{tr(lang, screen.code)}</span> <strong class="join-code join-bar-code">{code}</strong>
      </p>
      <RoomWordShow shown={room} lang={lang} />
      <p class="join-bar-count">{tr(lang, common.participants, { count: participants })}</p>
      <img class="join-bar-qr" src={`/api/sessions/${code}/qr.svg`} alt={tr(lang, screen.qrAlt, { url })} width={96} height={96} />
    </aside>
  );
}

function ScreenItem({ item, session, lang }: { item: Item; session: Session; lang: Lang }) {
  const area = areaOf(session, item);
  const round = latestRound(item);
  const total = round ? answeredTotal(round.voted, session.participants) : 0;
  const pct = round && total > 0 ? Math.round((round.voted / total) * 100) : 0;
  const scale = scaleOf(session, item);
  // While voting, only live results are shown (an earlier revealed round would sway a re-vote).
  const showResults = item.phase === 'revealed' || item.phase === 'locked' || item.results === 'live';
  const voting = (item.phase === 'voting' || item.phase === 'closed') && round;
  const consensus = item.phase === 'locked' && item.consensus && scale ? item.consensus : null;
  const level = consensus && scale ? scaleLevel(scale, consensus.level) : null;
  const long = pick(item.title, lang).length > 90;
  return (
    <article class={`st-item st-${item.kind} st-phase-${item.phase}`}>
      <header class="st-head">
        <p class="st-eyebrow">
          {area && <span class="st-area" lang={textLang(area.name, lang)}>{pick(area.name, lang)}</span>} <PhaseBadge phase={item.phase} lang={lang} />
        </p>
        <h1 class={long ? 'st-question is-long' : 'st-question'} lang={textLang(item.title, lang)}>{pick(item.title, lang)}</h1>
        {pick(item.description, lang) && !showResults && <p class="st-desc" lang={textLang(item.description, lang)}>{pick(item.description, lang)}</p>}
      </header>
      {item.phase === 'pending' && <p class="st-big-note">{tr(lang, screen.notOpenYet)}</p>}
      {voting && (
        <div class={showResults ? 'st-progress is-small' : 'st-progress'}>
          <p class="st-progress-text">{tr(lang, common.votedOf, { voted: round.voted, total })}</p>
          <div class="st-meter" role="progressbar" aria-label={tr(lang, screen.progressLabel)} aria-valuemin={0} aria-valuemax={total} aria-valuenow={round.voted}>
            <span class="st-meter-fill" style={{ width: `${pct}%` }} />
          </div>
          <p class="st-progress-note">{item.phase === 'voting' ? tr(lang, screen.voteNow) : tr(lang, screen.closed)}</p>
        </div>
      )}
      {consensus ? (
        <div class="st-locked">
          <section class="consensus st-consensus" aria-label={tr(lang, common.agreed)}>
            <h2 class="st-consensus-title">{tr(lang, common.agreed)}</h2>
            <p class="st-consensus-level">
              <span class="st-level-num">{consensus.level}</span>
              <span class="st-level-label" lang={textLang(level?.label, lang)}>
                {level ? pick(level.label, lang) : ''}
              </span>
            </p>
            {consensus.note && (
              <div class="st-consensus-note">
                <p class="st-label">{tr(lang, common.note)}</p>
                <p>{consensus.note}</p>
              </div>
            )}
            {consensus.dissent && (
              <div class="st-consensus-note">
                <p class="st-label">{tr(lang, common.dissent)}</p>
                <p>{consensus.dissent}</p>
              </div>
            )}
          </section>
          <StageResults item={item} session={session} lang={lang} wordsAsList={params.wordsAsList} small />
        </div>
      ) : (
        showResults && <StageResults item={item} session={session} lang={lang} wordsAsList={params.wordsAsList} />
      )}
    </article>
  );
}

render(<App />, document.getElementById('app')!);
