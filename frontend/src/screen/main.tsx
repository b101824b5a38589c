//! Screen view (/screen/{code}): the projector. Join code, link and QR, the current item,
//! voting progress, results by kind (live or revealed; the word cloud) and the locked
//! consensus, and the summary once the facilitator shares it. Read-only.

import { render } from 'preact';
import '../styles.css';
import { answeredTotal } from '../lib/format';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import { useLang, useLive } from '../lib/live';
import { codeFromPath } from '../lib/path';
import { ItemResults } from '../lib/results';
import { areaOf, currentItem, latestRound, scaleOf, showsSummary } from '../lib/session';
import { common } from '../lib/strings';
import { sumText } from '../lib/summaryStrings';
import type { Item, Session } from '../lib/types';
import { ConnectionNotice, ConsensusView, LangToggle, LiveAnnouncer, PhaseBadge, Refused, announcement } from '../lib/ui';
import { screen } from './strings';
import { ScreenSummary } from './summary';

function App() {
  const [lang, setLang] = useLang();
  const code = codeFromPath(location.pathname, 'screen');
  const { state } = useLive(code ? () => ({ role: 'screen', code }) : null);
  const session = state.session;
  const item = currentItem(session);
  return (
    <>
      <header class="topbar topbar-screen">
        <span class="brand">{tr(lang, common.appName)}</span>
        <span class="topbar-info">{session?.title && <span class="topbar-title">{session.title}</span>}</span>
        <LangToggle lang={lang} setLang={setLang} />
      </header>
      <main id="main" class="screen">
        <ConnectionNotice status={code ? state.connection : 'closed'} lang={lang} />
        {!code || state.fatal ? (
          <Refused code={code ?? ''} errorCode={state.fatal?.code ?? 'unknown_session'} lang={lang} />
        ) : session?.summary && showsSummary(session) ? (
          <>
            <ScreenSummary session={session} summary={session.summary} lang={lang} />
            <p class="join-line">
              {tr(lang, screen.joinAt)} {location.origin}/join/{code} · {tr(lang, screen.code)} <strong>{code}</strong>
            </p>
          </>
        ) : (
          <div class={item ? 'screen-grid' : 'screen-grid screen-grid-idle'}>
            <JoinPanel code={code} lang={lang} participants={session?.participants ?? null} />
            <section class="screen-main">
              {!session ? (
                <p class="muted">{tr(lang, screen.loading)}</p>
              ) : !item ? (
                <h1 class="waiting">{tr(lang, common.waiting)}</h1>
              ) : (
                <ScreenItem item={item} session={session} lang={lang} />
              )}
            </section>
          </div>
        )}
      </main>
      <LiveAnnouncer text={session ? (showsSummary(session) ? tr(lang, sumText.summaryTitle) : announcement(item, session, lang)) : ''} />
    </>
  );
}

function JoinPanel({ code, lang, participants }: { code: string; lang: Lang; participants: number | null }) {
  const url = `${location.origin}/join/${code}`;
  return (
    <aside class="join-panel" aria-label={tr(lang, screen.joinAt)}>
      <p class="join-label">{tr(lang, screen.joinAt)}</p>
      <p class="join-url">{url}</p>
      <img class="qr" src={`/api/sessions/${code}/qr.svg`} alt={tr(lang, screen.qrAlt, { url })} width={240} height={240} />
      <p class="join-hint">{tr(lang, screen.scanOrType)}</p>
      <p class="join-label">{tr(lang, screen.code)}</p>
      <p class="join-code">{code}</p>
      {participants !== null && (
        <p class="join-count">{tr(lang, common.participants, { count: participants })}</p>
      )}
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
  return (
    <article class={`item item-screen item-${item.kind}`}>
      <p class="eyebrow">
        {area && pick(area.name, lang)} {session.areas.length > 0 && <span class="item-id">{item.id}</span>}{' '}
        <PhaseBadge phase={item.phase} lang={lang} />
      </p>
      <h1 class="item-title">{pick(item.title, lang)}</h1>
      {pick(item.description, lang) && <p class="item-desc">{pick(item.description, lang)}</p>}
      {item.phase === 'pending' && <p class="waiting-note">{tr(lang, screen.notOpenYet)}</p>}
      {(item.phase === 'voting' || item.phase === 'closed') && round && (
        <div class={showResults ? 'screen-progress screen-progress-small' : 'screen-progress'}>
          <p class="progress progress-big" aria-live="polite">
            {tr(lang, common.votedOf, { voted: round.voted, total })}
          </p>
          <div
            class="meter"
            role="progressbar"
            aria-label={tr(lang, screen.progressLabel)}
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={round.voted}
          >
            <span class="meter-fill" style={{ width: `${pct}%` }} />
          </div>
          <p class="waiting-note">{item.phase === 'voting' ? tr(lang, screen.voteNow) : tr(lang, screen.closed)}</p>
        </div>
      )}
      {item.phase === 'locked' && item.consensus && scale && <ConsensusView consensus={item.consensus} scale={scale} lang={lang} />}
      {showResults && <ItemResults item={item} session={session} lang={lang} />}
    </article>
  );
}

render(<App />, document.getElementById('app')!);
