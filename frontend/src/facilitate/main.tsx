//! Facilitator console (/facilitate/{code}#key=…, or without the key for a signed-in member of
//! the session's organisation): agenda, the selected item with its next
//! action, live tallies of every round, the lock form, word moderation, join information,
//! shortcuts, the room (new phones, a burst from one network left out of the count, the room word),
//! the agenda editor, and the summary with the action plan, exports and delete; for a
//! signed-in member, the key link to delegate (delegate.tsx), or, opened with the key, a claim.
//! An organisation's workshop shows "last time" beside each indicator (lasttime.tsx) and, once
//! finished, offers its actions to the organisation's living plan (orgplan.tsx).

import { render, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { screenHref } from '../screen/params';
import '../styles.css';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import { useLang, useLive } from '../lib/live';
import { fetchMe, signInHref, type Me } from '../lib/account';
import { acc } from '../lib/accountStrings';
import { codeFromPath, keyFromHash } from '../lib/path';
import { request } from '../lib/http';
import { previousFor } from '../lib/previous';
import { busyWith } from '../lib/reducer';
import { allowed, closedByNext, itemById, nextItem, type Action } from '../lib/session';
import { common } from '../lib/strings';
import type { Command, Item, Session } from '../lib/types';
import { ConnectionNotice, ErrorAlert, LangToggle, Refused } from '../lib/ui';
import type { Done } from '../lib/socket';
import { Agenda } from './agenda';
import { LOCAL_COMMANDS } from './command';
import { ClaimPanel, KeyPanel } from './delegate';
import { otherConsoles } from './consoles';
import { Detail } from './detail';
import { usePrevious } from './lasttime';
import { useSessionOrganisation } from './orgplan';
import { AgendaEditor } from './editor';
import type { Step } from './keys';
import { shortcutStep, shortcutsOn } from './keys';
import { isLoopbackHost, joinBase, type ServerInfo } from './network';
import { fac } from './strings';
import { useItemSetSuggestions } from './plan';
import { Presenter, isPresenterView, viewHref } from './presenter';
import { RoomPanel } from './roomPanel';
import { SummaryView } from './summary';
import { sm } from './summaryStrings';
import { consoleTitle } from './title';

function App() {
  const [lang, setLang] = useLang();
  const code = codeFromPath(location.pathname, 'facilitate');
  const [key, setKey] = useState(() => keyFromHash(location.hash));
  useEffect(() => {
    const onHash = () => setKey(keyFromHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // The console names its item in the title once it has a session (see Console).
  useEffect(() => {
    if (!code) document.title = consoleTitle(lang, null, false);
  }, [lang, code]);

  if (!code) {
    return (
      <>
        <header class="topbar">
          <span class="brand">{tr(lang, common.appName)}</span>
          <span class="topbar-info" />
          <LangToggle lang={lang} setLang={setLang} />
        </header>
        <main id="main" class="page page-narrow">
          <h1>{tr(lang, fac.noKeyTitle)}</h1>
          <p>{tr(lang, fac.badCode)}</p>
          <p>
            <a class="btn" href="/">
              {tr(lang, fac.toStart)}
            </a>
          </p>
        </main>
      </>
    );
  }
  // Without a key the sign-in cookie speaks: a member of the session's organisation needs no secret link.
  return <Console key={`${code}:${key ?? ''}`} code={code} secret={key} lang={lang} setLang={setLang} />;
}

/**
 * Who is signed in, if anyone: the console needs the CSRF token for its state changes, and,
 * without a key, the person's name to explain a refusal. Null while unknown or without accounts.
 */
/**
 * The names of the session's organisation's members by account id, for "Locked by …": fetched once a
 * lock names someone (only members get them; a removed member is no longer there).
 */
function usePeople(code: string, session: Session | null): Record<string, string> | null {
  const [people, setPeople] = useState<Record<string, string> | null>(null);
  const [askedFor, setAskedFor] = useState('');
  // Ask again when a lock names someone the last answer did not know (a member invited meanwhile).
  const missing = (session?.items ?? [])
    .map((i) => i.locked_by)
    .filter((id): id is string => !!id && !(people && id in people))
    .sort()
    .join(' ');
  useEffect(() => {
    if (!missing || missing === askedFor) return;
    setAskedFor(missing);
    void request<Record<string, string>>(`/api/sessions/${encodeURIComponent(code)}/people`).then((res) => {
      if (res.ok && res.data) setPeople(res.data);
    });
  }, [missing, askedFor, code]);
  return people;
}

function useMe(): Me | null {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    void fetchMe().then((res) => {
      if (res.ok) setMe(res.data);
    });
  }, []);
  return me;
}

/**
 * Why the console without a key was refused, with the way on. `unauthorized`: the session belongs to an
 * organisation and nobody is signed in: sign in (and come back). `forbidden` when signed in: this account may
 * not run it. `forbidden` when signed out: the session was created without an account; only its key opens it.
 */
function NoAccess({ code, errorCode, me, lang }: { code: string; errorCode: string; me: Me | null; lang: Lang }) {
  const signedIn = errorCode === 'forbidden' && me?.account ? me.account : null;
  const keyOnly = errorCode === 'forbidden' && !signedIn;
  const back = `/facilitate/${code}`;
  return (
    <section class="refused">
      <h1>{tr(lang, signedIn ? common.forbiddenTitle : fac.noKeyTitle)}</h1>
      <p>
        {signedIn
          ? tr(lang, acc.consoleForbidden, { name: signedIn.name })
          : keyOnly
            ? tr(lang, fac.noKey)
            : tr(lang, acc.consoleSignIn)}
      </p>
      <p class="button-row">
        {!keyOnly && (
          <a class="btn btn-primary" href={signInHref(back)}>
            {tr(lang, signedIn ? acc.signInOther : acc.signInTitle)}
          </a>
        )}
        <a class="btn" href="/">
          {tr(lang, fac.toStart)}
        </a>
      </p>
    </section>
  );
}

function Console({
  code,
  secret,
  lang,
  setLang,
}: {
  code: string;
  secret: string | null;
  lang: Lang;
  setLang: (l: Lang) => void;
}) {
  const { state, send, dispatch } = useLive(() => (secret ? { role: 'facilitator', code, key: secret } : { role: 'facilitator', code }));
  const me = useMe();
  const session = state.session;
  const people = usePeople(code, session);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // Asks the lock form to show itself and take focus (button or L); counted per item.
  const [lockAsk, setLockAsk] = useState<{ item: string; n: number } | null>(null);
  const [editing, setEditing] = useState(false);
  // The main column shows the selected item, or the summary and action plan.
  const [view, setView] = useState<'item' | 'summary'>('item');
  // The presenter view is the same console in a smaller form, for a laptop beside the projector.
  const presenter = isPresenterView(location.search);

  // The selection follows the item shown to everyone whenever that changes.
  const current = session?.current ?? null;
  useEffect(() => {
    if (current !== null) setSelectedId(current);
  }, [current]);

  const selected: Item | null =
    itemById(session, selectedId) ?? itemById(session, current) ?? session?.items[0] ?? null;
  const busy = selected ? busyWith(state, selected.id) : false;

  // "Last time" of an organisation's workshop: asked once, in the background, when the console
  // first shows an indicator; the presenter view and the other views never show it.
  const previous = usePrevious(code, secret, !presenter && !!session?.catalogue && selected?.kind === 'scale');
  // The organisation of the session, for a signed-in member: its name at finish and its living plan.
  const organisation = useSessionOrganisation(me, code);

  const presented = presenter && session ? (itemById(session, session.current) ?? selected) : selected;
  const titlePart = !session
    ? null
    : editing
      ? tr(lang, fac.editAgenda)
      : view === 'summary' && !presenter
        ? tr(lang, sm.navSummary)
        : presented
          ? pick(presented.title, lang)
          : session.title || null;
  useEffect(() => {
    document.title = consoleTitle(lang, titlePart, presenter);
  }, [lang, titlePart, presenter]);

  const run = (step: Step) => {
    if (!session || !selected || busy) return;
    if (step === 'lock') {
      if (allowed('lock', selected.phase, selected.kind)) setLockAsk((a) => ({ item: selected.id, n: (a?.n ?? 0) + 1 }));
      return;
    }
    if (step === 'next') {
      const next = nextItem(session, selected.id);
      if (!next) return;
      // Close first: the socket keeps the order, so the room never has two questions open.
      for (const open of closedByNext(session, selected, next)) send({ type: 'close', item: open.id });
      const command: Command = next.phase === 'pending' ? { type: 'open', item: next.id } : { type: 'goto', item: next.id };
      send(command);
      setSelectedId(next.id);
      return;
    }
    if (step === 'goto') {
      send({ type: 'goto', item: selected.id });
      return;
    }
    if (step === 'hide') {
      send({ type: 'goto', item: null });
      return;
    }
    if (allowed(step as Action, selected.phase, selected.kind)) send({ type: step, item: selected.id } as Command);
  };

  useShortcuts((step) => {
    // The editor and the summary have their own buttons; a stray letter there must not move
    // the meeting on (the selected item is out of sight).
    if (editing || view === 'summary') return;
    if (presenter && !PRESENTER_STEPS.includes(step)) return;
    if (step === 'next' || step === 'lock' || (selected && allowed(step as Action, selected.phase, selected.kind))) run(step);
  });

  const openItem = (id: string) => {
    setSelectedId(id);
    setView('item');
    setTimeout(() => document.getElementById('detail-title')?.focus(), 0);
  };
  const openSummary = () => {
    setView('summary');
    setTimeout(() => document.getElementById('summary-title')?.focus(), 0);
  };

  // A prioritisation started from the summary becomes current: follow it to its detail.
  const sendFromSummary = (command: Command, done?: Done) =>
    send(command, (error) => {
      done?.(error);
      if (!error && command.type === 'start_prioritisation') setView('item');
    });

  // Errors of the summary's forms are shown beside their fields instead.
  const alertError = state.error?.command && LOCAL_COMMANDS.has(state.error.command.type) ? null : state.error;

  const closeEditor = () => {
    setEditing(false);
    setTimeout(() => document.getElementById('edit-agenda')?.focus(), 0);
  };

  return (
    <>
      <header class="topbar">
        <span class="brand">{tr(lang, common.appName)}</span>
        <div class="topbar-info">
          <h1 class="topbar-title">{session?.title || tr(lang, fac.pageTitle)}</h1>
          <span class="topbar-code">{tr(lang, common.sessionCode, { code })}</span>
          {session && (
            <span class="topbar-count">{tr(lang, common.participants, { count: session.participants })}</span>
          )}
          {session?.consoles && otherConsoles(session.consoles, me?.account?.name ?? null, tr(lang, fac.consoleByKey)).length > 0 && (
            <span class="topbar-count" aria-live="polite">
              {tr(lang, fac.consolesHere, {
                names: otherConsoles(session.consoles, me?.account?.name ?? null, tr(lang, fac.consoleByKey)).join(', '),
              })}
            </span>
          )}
          <span class={`conn conn-${state.connection}`}>
            {state.connection === 'open'
              ? tr(lang, common.connected)
              : state.connection === 'reconnecting'
                ? tr(lang, common.reconnectingShort)
                : state.connection === 'connecting'
                  ? tr(lang, common.connecting)
                  : tr(lang, common.notConnected)}
          </span>
        </div>
        <LangToggle lang={lang} setLang={setLang} />
      </header>
      <div class="console-messages">
        <ConnectionNotice status={state.connection} lang={lang} role="facilitator" />
        <ErrorAlert error={alertError} lang={lang} onDismiss={() => dispatch({ type: 'dismiss_error' })} />
      </div>
      {state.fatal && !secret && (state.fatal.code === 'unauthorized' || state.fatal.code === 'forbidden') ? (
        <main id="main" class="page page-narrow">
          <NoAccess code={code} errorCode={state.fatal.code} me={me} lang={lang} />
        </main>
      ) : state.fatal ? (
        <main id="main" class="page page-narrow">
          <Refused code={code} errorCode={state.fatal.code} lang={lang}>
            <p>
              <a class="btn" href="/">
                {tr(lang, fac.toStart)}
              </a>
            </p>
          </Refused>
        </main>
      ) : !session ? (
        <main id="main" class="page">
          <p class="muted">{tr(lang, fac.loading)}</p>
        </main>
      ) : presenter ? (
        <PresenterPage
          code={code}
          secret={secret}
          session={session}
          item={presented}
          lang={lang}
          busy={busy}
          connected={state.connection === 'open'}
          run={run}
        />
      ) : editing ? (
        <main id="main" class="page">
          <AgendaEditor code={code} secret={secret} session={session} lang={lang} onClose={closeEditor} />
        </main>
      ) : (
        <div class="console">
          <Agenda
            session={session}
            selectedId={selected?.id ?? null}
            onSelect={(id) => {
              setSelectedId(id);
              setView('item');
            }}
            onEdit={() => setEditing(true)}
            summaryOpen={view === 'summary'}
            onSummary={openSummary}
            lang={lang}
          />
          <main id="main" class="console-main">
            {view === 'summary' ? (
              <SummaryView
                code={code}
                secret={secret}
                session={session}
                lang={lang}
                send={sendFromSummary}
                onOpenItem={openItem}
                organisation={organisation}
              />
            ) : selected ? (
              <Detail
                key={selected.id}
                session={session}
                item={selected}
                lang={lang}
                busy={busy}
                connected={state.connection === 'open'}
                run={run}
                lockAsk={lockAsk?.item === selected.id ? lockAsk.n : 0}
                onLock={(level, note, dissent) =>
                  send({ type: 'lock', item: selected.id, level, note, dissent: dissent || null })
                }
                state={state}
                send={send}
                onSummary={session.summary ? openSummary : null}
                lastTime={previousFor(previous, selected.id)}
                lastOccasion={previous?.occasion ?? null}
                lockedByName={selected.locked_by && people ? (people[selected.locked_by] ?? null) : undefined}
              />
            ) : (
              <>
                <p>{tr(lang, fac.noItems)}</p>
                <button type="button" class="btn btn-primary" onClick={() => setEditing(true)}>
                  {tr(lang, fac.editAgenda)}
                </button>
              </>
            )}
          </main>
          <div class="console-side">
            <RoomPanel session={session} state={state} lang={lang} send={send} />
            <JoinInfo code={code} secret={secret} lang={lang}>
              {!secret && me?.account && <KeyPanel code={code} lang={lang} />}
              {secret && me?.account && <ClaimPanel code={code} secret={secret} me={me} lang={lang} />}
            </JoinInfo>
          </div>
        </div>
      )}
    </>
  );
}

/** What the presenter view's buttons and shortcuts do; the rest is in the full console. */
const PRESENTER_STEPS: readonly Step[] = ['open', 'close', 'reveal', 'next'];

function PresenterPage({
  code,
  secret,
  session,
  ...rest
}: {
  code: string;
  secret: string | null;
  session: Session;
  item: Item | null;
  lang: Lang;
  busy: boolean;
  connected: boolean;
  run: (step: Step) => void;
}) {
  const fromItemSet = useItemSetSuggestions(code, secret, session);
  return (
    <>
      <nav class="presenter-bar" aria-label={tr(rest.lang, fac.presenterView)}>
        <a class="btn btn-small" href={viewHref(location.search, location.hash, false)}>
          {tr(rest.lang, fac.toConsole)}
        </a>
      </nav>
      <Presenter session={session} fromItemSet={fromItemSet} {...rest} />
    </>
  );
}

function JoinInfo({ code, secret, lang, children }: { code: string; secret: string | null; lang: Lang; children?: ComponentChildren }) {
  // A console opened on localhost must not show a link no phone can open: ask the server where it listens.
  const [server, setServer] = useState<ServerInfo | null>(null);
  useEffect(() => {
    if (!isLoopbackHost(location.hostname)) return;
    fetch('/api/server')
      .then((r) => (r.ok ? (r.json() as Promise<ServerInfo>) : null))
      .then(setServer, () => setServer(null));
  }, []);
  const { base, unreachable } = joinBase(server, location.origin, location.hostname);
  const url = `${base}/join/${code}`;
  // The projector has no controls: its language and word view travel in the link opened here.
  const [wordsAsList, setWordsAsList] = useState(false);
  const [darkStage, setDarkStage] = useState(false);
  return (
    <aside class="join-info" aria-labelledby="join-info-title">
      <h2 id="join-info-title">{tr(lang, fac.joinInfo)}</h2>
      <dl>
        <div>
          <dt>{tr(lang, fac.joinCode)}</dt>
          <dd class="join-code-small">{code}</dd>
        </div>
        <div>
          <dt>{tr(lang, fac.joinLink)}</dt>
          <dd>
            <a href={base === location.origin ? `/join/${code}` : url} class="break">
              {url}
            </a>
          </dd>
        </div>
      </dl>
      {unreachable && (
        <p class="notice notice-text" role="note">
          <span>
            {tr(lang, fac.loopbackOnly)} <code>--addr 0.0.0.0:8080</code>
          </span>
        </p>
      )}
      <img class="qr qr-small" src={`/api/sessions/${code}/qr.svg`} alt={tr(lang, fac.qrAlt, { url })} width={160} height={160} />
      <p>
        <label class="check">
          <input type="checkbox" checked={wordsAsList} onChange={(e) => setWordsAsList((e.currentTarget as HTMLInputElement).checked)} />{' '}
          {tr(lang, fac.screenWordsAsList)}
        </label>
      </p>
      <p>
        <label class="check">
          <input type="checkbox" checked={darkStage} onChange={(e) => setDarkStage((e.currentTarget as HTMLInputElement).checked)} />{' '}
          {tr(lang, fac.screenDark)}
        </label>
      </p>
      <p>
        {/* The key rides in the fragment, so the screen may show the room word; a signed-in console's screen uses the cookie. */}
        <a class="btn" href={screenHref(code, lang, wordsAsList, darkStage, secret)} target="_blank" rel="noopener">
          {tr(lang, fac.openScreen)}
        </a>
      </p>
      <p class="muted small">{tr(lang, fac.screenSettingsHelp)}</p>
      <p>
        <a class="btn" href={viewHref(location.search, location.hash, true)}>
          {tr(lang, fac.openPresenter)}
        </a>
      </p>
      <p class="muted small">{tr(lang, fac.presenterHelp)}</p>
      {children}
    </aside>
  );
}

function useShortcuts(onStep: (step: Step) => void) {
  const ref = useRef(onStep);
  ref.current = onStep;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Single-key shortcuts can be turned off (WCAG 2.1.4): speech input types letters too.
      if (!shortcutsOn()) return;
      const step = shortcutStep(e);
      if (!step) return;
      e.preventDefault();
      ref.current(step);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

render(<App />, document.getElementById('app')!);
