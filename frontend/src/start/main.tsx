//! Start page (/): start a workshop from a built-in catalogue, return to the sessions this
//! browser created, or join one by code. Talks REST only; no socket.

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../styles.css';
import { cleanCode, formatDateTime, isJoinCode } from '../lib/format';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import { useLang } from '../lib/live';
import { readStore, writeStore } from '../lib/storage';
import { common, errorMsg } from '../lib/strings';
import type { CatalogueSummary, CreatedSession } from '../lib/types';
import { LangToggle } from '../lib/ui';
import { SAVED_KEY, addSaved, parseSaved, removeSaved, type SavedSession } from './saved';
import { start } from './strings';

/** Longest session title the server accepts, in characters. */
const TITLE_MAX = 200;

type Catalogues = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; list: CatalogueSummary[] };

function App() {
  const [lang, setLang] = useLang();
  const [saved, setSaved] = useState<SavedSession[]>(() => parseSaved(readStore(SAVED_KEY)));
  const updateSaved = (list: SavedSession[]) => {
    setSaved(list);
    writeStore(SAVED_KEY, JSON.stringify(list));
  };
  return (
    <>
      <header class="topbar">
        <span class="brand">{tr(lang, common.appName)}</span>
        <div class="topbar-info" />
        <LangToggle lang={lang} setLang={setLang} />
      </header>
      <main id="main" class="page page-start">
        <h1>{tr(lang, common.appName)}</h1>
        <p class="lead">{tr(lang, start.lead)}</p>
        <div class="start-grid">
          <StartForm lang={lang} onCreated={(entry) => updateSaved(addSaved(saved, entry))} />
          <JoinForm lang={lang} />
        </div>
        <SavedList lang={lang} saved={saved} onForget={(code) => updateSaved(removeSaved(saved, code))} />
      </main>
    </>
  );
}

function StartForm({ lang, onCreated }: { lang: Lang; onCreated: (entry: SavedSession) => void }) {
  const [catalogues, setCatalogues] = useState<Catalogues>({ state: 'loading' });
  const [chosen, setChosen] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    fetch('/api/catalogues', { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? (r.json() as Promise<CatalogueSummary[]>) : Promise.reject(new Error(String(r.status)))))
      .then((list) => {
        if (!live) return;
        setCatalogues({ state: 'ready', list });
        if (list.length > 0) setChosen((c) => c ?? list[0].id);
      })
      .catch(() => live && setCatalogues({ state: 'failed' }));
    return () => {
      live = false;
    };
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!chosen || busy) return;
    setBusy(true);
    setError(null);
    const body: { catalogue: string; title?: string } = { catalogue: chosen };
    const trimmed = title.trim();
    if (trimmed) body.title = trimmed;
    try {
      const res = await fetch('/api/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) {
        const err = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
        setError(
          `${tr(lang, start.createFailed)} ${err?.code ? tr(lang, errorMsg(err.code)) : `(HTTP ${res.status})`}`,
        );
        setBusy(false);
        return;
      }
      const created = (await res.json()) as CreatedSession;
      onCreated({ code: created.code, title: trimmed, facilitator: created.links.facilitator, created: Date.now() });
      location.assign(created.links.facilitator);
    } catch {
      setError(tr(lang, start.networkFailed));
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="start-title">
      <h2 id="start-title">{tr(lang, start.startTitle)}</h2>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{tr(lang, start.catalogue)}</legend>
          {catalogues.state === 'loading' && <p class="muted">{tr(lang, start.loadingCatalogues)}</p>}
          {catalogues.state === 'failed' && <p class="field-error">{tr(lang, start.cataloguesFailed)}</p>}
          {catalogues.state === 'ready' && catalogues.list.length === 0 && (
            <p class="muted">{tr(lang, start.noCatalogues)}</p>
          )}
          {catalogues.state === 'ready' &&
            catalogues.list.map((c) => (
              <label class="radio-card" key={c.id}>
                <input
                  type="radio"
                  name="catalogue"
                  value={c.id}
                  checked={chosen === c.id}
                  onChange={() => setChosen(c.id)}
                />
                <span>
                  <span class="radio-title">{pick(c.title, lang)}</span>
                  <span class="radio-def">{tr(lang, start.indicators, { n: c.indicators, version: c.version })}</span>
                </span>
              </label>
            ))}
        </fieldset>
        <label for="title">{tr(lang, start.titleLabel)}</label>
        <input
          id="title"
          type="text"
          maxLength={TITLE_MAX}
          value={title}
          autoComplete="off"
          aria-describedby="title-help"
          onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
        />
        <p id="title-help" class="muted small">
          {tr(lang, start.titleHelp)}
        </p>
        <p role="alert" class="field-error">
          {error ?? ''}
        </p>
        <button type="submit" class="btn btn-primary btn-large" disabled={!chosen || busy}>
          {busy ? tr(lang, start.starting) : tr(lang, start.startButton)}
        </button>
      </form>
    </section>
  );
}

function JoinForm({ lang }: { lang: Lang }) {
  const [code, setCode] = useState('');
  const [invalid, setInvalid] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!isJoinCode(code)) {
      setInvalid(true);
      return;
    }
    location.assign(`/join/${code}`);
  };
  return (
    <section class="card" aria-labelledby="join-title">
      <h2 id="join-title">{tr(lang, start.joinTitle)}</h2>
      <form onSubmit={submit} noValidate>
        <label for="join-code">{tr(lang, start.joinCode)}</label>
        <input
          id="join-code"
          class="code-input code-input-small"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          maxLength={7}
          value={code}
          aria-invalid={invalid}
          aria-describedby="join-error"
          onInput={(e) => {
            setCode(cleanCode((e.target as HTMLInputElement).value));
            setInvalid(false);
          }}
        />
        <p id="join-error" role="alert" class="field-error">
          {invalid ? tr(lang, start.codeInvalid) : ''}
        </p>
        <button type="submit" class="btn">
          {tr(lang, start.joinButton)}
        </button>
      </form>
    </section>
  );
}

function SavedList({
  lang,
  saved,
  onForget,
}: {
  lang: Lang;
  saved: SavedSession[];
  onForget: (code: string) => void;
}) {
  return (
    <section class="saved" aria-labelledby="saved-title">
      <h2 id="saved-title">{tr(lang, start.yourSessions)}</h2>
      <p class="muted small">{tr(lang, start.yourSessionsHelp)}</p>
      {saved.length === 0 ? (
        <p class="muted">{tr(lang, start.noSessions)}</p>
      ) : (
        <ul class="saved-list">
          {saved.map((s) => (
            <li key={s.code} class="saved-item">
              <div>
                <p class="saved-title">{s.title || tr(lang, start.untitled)}</p>
                <p class="muted small">
                  {tr(lang, start.codeCreated, { code: s.code, when: formatDateTime(lang, s.created) })}
                </p>
              </div>
              <div class="saved-actions">
                <a class="btn btn-primary" href={s.facilitator}>
                  {tr(lang, start.openConsole)}
                </a>
                <a class="btn" href={`/screen/${s.code}`}>
                  {tr(lang, start.openScreen)}
                </a>
                <button
                  type="button"
                  class="btn btn-quiet"
                  aria-label={tr(lang, start.forgetLabel, { code: s.code })}
                  onClick={() => onForget(s.code)}
                >
                  {tr(lang, start.forget)}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

render(<App />, document.getElementById('app')!);
