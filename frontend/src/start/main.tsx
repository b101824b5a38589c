//! Start page (/): start a workshop from a catalogue (or import one), build a seminar or
//! import its items, return to the sessions this browser created, compare two of them as
//! occasions, or join one by code.
//! Talks REST only; no socket.

import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import '../styles.css';
import { Builder } from '../builder/Builder';
import { exportFileName, readItemFile, toItemSet, type Draft } from '../builder/model';
import { bld } from '../builder/strings';
import { cleanCode, formatDateTime, isJoinCode } from '../lib/format';
import { download, readFile, request } from '../lib/http';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import { useLang } from '../lib/live';
import { readStore, writeStore } from '../lib/storage';
import { common, errorMsg } from '../lib/strings';
import type { CatalogueSummary, CreatedSession, Text } from '../lib/types';
import { LangToggle } from '../lib/ui';
import { CompareOccasions } from './compare';
import { cmp } from './compareStrings';
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
  const [building, setBuilding] = useState(false);
  const buildButton = useRef<HTMLButtonElement>(null);
  // After "Delete the session" the console comes here with ?deleted=482913.
  const [deleted] = useState(() => {
    const code = new URLSearchParams(location.search).get('deleted');
    return code && isJoinCode(code) ? code : null;
  });
  // Filled in after the first render, so that the status region announces it.
  const [deletedNotice, setDeletedNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!deleted) return;
    updateSaved(removeSaved(saved, deleted));
    history.replaceState(null, '', '/');
    setTimeout(() => setDeletedNotice(deleted), 50);
  }, []);
  const onCreated = (entry: SavedSession) => updateSaved(addSaved(saved, entry));
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
        <div role="status" class={deletedNotice ? 'notice notice-ok' : 'notice-empty'}>
          {deletedNotice ? tr(lang, cmp.deleted, { code: deletedNotice }) : ''}
        </div>
        {building ? (
          <SeminarBuilder
            lang={lang}
            onCreated={onCreated}
            onCancel={() => {
              setBuilding(false);
              setTimeout(() => buildButton.current?.focus(), 0);
            }}
          />
        ) : (
          <div class="start-grid">
            <StartForm lang={lang} onCreated={onCreated} />
            <div class="start-side">
              <SeminarCard lang={lang} onBuild={() => setBuilding(true)} onCreated={onCreated} buildRef={buildButton} />
              <JoinForm lang={lang} />
            </div>
          </div>
        )}
        <SavedList lang={lang} saved={saved} onForget={(code) => updateSaved(removeSaved(saved, code))} />
        <CompareOccasions lang={lang} saved={saved} />
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

  const [importMsg, setImportMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [importing, setImporting] = useState(false);

  const load = async (select?: string) => {
    const res = await request<CatalogueSummary[]>('/api/catalogues');
    if (!res.ok || !Array.isArray(res.data)) {
      setCatalogues({ state: 'failed' });
      return;
    }
    const list = res.data;
    setCatalogues({ state: 'ready', list });
    if (select) setChosen(select);
    else if (list.length > 0) setChosen((c) => c ?? list[0].id);
  };

  useEffect(() => {
    void load();
  }, []);

  const importCatalogue = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file || importing) return;
    setImporting(true);
    setImportMsg(null);
    const text = await readFile(file);
    const res = await request<{ id?: string; title?: Text }>('/api/catalogues', { method: 'POST', body: text });
    input.value = '';
    setImporting(false);
    if (res.ok) {
      // The protocol leaves the answer's shape open; the server sends {id, version, indicators}.
      const id = typeof res.data?.id === 'string' ? res.data.id : undefined;
      await load(id);
      const title = pick(res.data?.title, lang) || catalogueTitle(text, lang) || id || file.name;
      setImportMsg({ ok: true, text: tr(lang, start.catalogueImported, { title }) });
      return;
    }
    const why =
      res.code === 'network'
        ? tr(lang, start.networkFailed)
        : res.code === 'item_in_use'
          ? tr(lang, start.catalogueExists)
          : res.message || tr(lang, errorMsg(res.code));
    setImportMsg({ ok: false, text: `${tr(lang, start.catalogueFailed)} ${why}` });
  };

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
                  <span class="radio-def">
                    {tr(lang, start.indicators, { n: c.indicators, version: c.version })}
                    {c.built_in && ` · ${tr(lang, start.builtIn)}`}
                  </span>
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
      <div class="file-import">
        <label for="catalogue-file">{tr(lang, start.importCatalogue)}</label>
        <input
          id="catalogue-file"
          type="file"
          accept=".json,application/json"
          disabled={importing}
          aria-describedby="catalogue-file-help catalogue-file-msg"
          onChange={(e) => void importCatalogue(e.target as HTMLInputElement)}
        />
        <p id="catalogue-file-help" class="muted small">
          {tr(lang, start.importCatalogueHelp)}
        </p>
        <p id="catalogue-file-msg" role="status" class={importMsg && !importMsg.ok ? 'field-error' : 'ok-text'}>
          {importing ? tr(lang, start.importing) : (importMsg?.text ?? '')}
        </p>
      </div>
    </section>
  );
}

/** The title of a catalogue file, for the message after importing it. */
function catalogueTitle(text: string, lang: Lang): string {
  try {
    const value = JSON.parse(text) as { title?: Text | string };
    return pick(value.title, lang);
  } catch {
    return '';
  }
}

/** POSTs a new session with items; answers the created session or the error text to show. */
async function createSeminar(
  lang: Lang,
  title: string | null,
  items: unknown[],
): Promise<{ created: CreatedSession } | { error: string }> {
  const body: { title?: string; items: unknown[] } = { items };
  if (title) body.title = title;
  const res = await request<CreatedSession>('/api/sessions', { method: 'POST', body });
  if (res.ok) return { created: res.data };
  if (res.code === 'network') return { error: tr(lang, start.networkFailed) };
  return { error: res.message || `${tr(lang, errorMsg(res.code))} (HTTP ${res.status})` };
}

function SeminarCard({
  lang,
  onBuild,
  onCreated,
  buildRef,
}: {
  lang: Lang;
  onBuild: () => void;
  onCreated: (entry: SavedSession) => void;
  buildRef: { current: HTMLButtonElement | null };
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const importItems = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file || busy) return;
    setBusy(true);
    setError(null);
    const parsed = readItemFile(await readFile(file));
    input.value = '';
    if ('problem' in parsed) {
      setError(`${tr(lang, bld.importFailed)} ${tr(lang, bld[`i_${parsed.problem}`])}`);
      setBusy(false);
      return;
    }
    const result = await createSeminar(lang, parsed.title, parsed.items);
    if ('error' in result) {
      setError(`${tr(lang, bld.importFailed)} ${result.error}`);
      setBusy(false);
      return;
    }
    const { created } = result;
    onCreated({ code: created.code, title: parsed.title ?? '', facilitator: created.links.facilitator, created: Date.now() });
    location.assign(created.links.facilitator);
  };

  return (
    <section class="card" aria-labelledby="seminar-title">
      <h2 id="seminar-title">{tr(lang, start.seminarTitle)}</h2>
      <p class="muted">{tr(lang, start.seminarLead)}</p>
      <button type="button" class="btn btn-primary btn-large" ref={buildRef} onClick={onBuild}>
        {tr(lang, start.buildButton)}
      </button>
      <div class="file-import">
        <label for="items-file">{tr(lang, bld.importItems)}</label>
        <input
          id="items-file"
          type="file"
          accept=".json,application/json"
          disabled={busy}
          aria-describedby="items-file-help items-file-error"
          onChange={(e) => void importItems(e.target as HTMLInputElement)}
        />
        <p id="items-file-help" class="muted small">
          {tr(lang, bld.importCreates)}
        </p>
        <p id="items-file-error" role="alert" class="field-error">
          {busy ? tr(lang, bld.importing) : (error ?? '')}
        </p>
      </div>
    </section>
  );
}

function SeminarBuilder({
  lang,
  onCreated,
  onCancel,
}: {
  lang: Lang;
  onCreated: (entry: SavedSession) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>({ title: '', items: [] });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.getElementById('builder-title')?.focus();
  }, []);

  const save = async (d: Draft) => {
    setBusy(true);
    setError(null);
    const set = toItemSet(d);
    const result = await createSeminar(lang, set.title ?? null, set.items);
    if ('error' in result) {
      setError(result.error);
      setBusy(false);
      setTimeout(() => document.getElementById('builder-problems')?.focus(), 0);
      return;
    }
    const { created } = result;
    onCreated({ code: created.code, title: d.title.trim(), facilitator: created.links.facilitator, created: Date.now() });
    location.assign(created.links.facilitator);
  };

  return (
    <section class="card card-wide">
      <Builder lang={lang} mode="create" draft={draft} setDraft={setDraft} busy={busy} serverError={error} onSave={(d) => void save(d)} onCancel={onCancel}>
        <p>
          <button type="button" class="btn btn-small" onClick={() => download(exportFileName(draft.title, null), JSON.stringify(toItemSet(draft), null, 2))}>
            {tr(lang, bld.downloadDraft)}
          </button>
        </p>
      </Builder>
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
