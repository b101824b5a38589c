//! "Katalogbibliotek" on the organisation page: every catalogue version the member may use, grouped
//! by catalogue with the newest version first. Per version: download it, start a workshop on it (a
//! like-for-like repeat; its console opens without a key), the occasions that used it; for
//! facilitators and admins on the organisation's own imports, retire / bring back and delete after a
//! confirm step (a used version is refused with 409 and said so). Facilitators and admins import a
//! file for the organisation; viewers read. REST only (docs/protocol.md section 2).

import { useEffect, useState } from 'preact/hooks';
import { canRun } from '../lib/account';
import { formatDateTime } from '../lib/format';
import { failure, focusSoon } from '../lib/forms';
import { readFile, download, type HttpResult } from '../lib/http';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import {
  catalogueFileName,
  deleteVersion,
  fetchCatalogueText,
  fetchLibrary,
  fetchVersionSessions,
  groupLibrary,
  importCatalogue,
  isOwnImport,
  looksLikeJson,
  mayManage,
  setRetired,
  startOnVersion,
  type LibraryCatalogue,
  type LibraryVersion,
  type VersionSession,
} from '../lib/library';
import { lib as l } from '../lib/libraryStrings';
import type { Organisation } from '../lib/organisation';

type Failure = Extract<HttpResult<unknown>, { ok: false }>;
type Loaded = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; list: LibraryVersion[] };

/** A safe piece of an element id from a catalogue id and a version. */
const slug = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

/** The words for a refusal: the lead, then the server's own message where it has one. */
function refused(lang: Lang, res: Failure, lead: string): string {
  if (res.code === 'network' || res.status === 429) return failure(lang, res, lead);
  if (res.message) return `${lead} ${tr(lang, l.serverSaid, { message: res.message })}`;
  return failure(lang, res, lead);
}

export function LibrarySection({ lang, org, announce }: { lang: Lang; org: Organisation; announce: (text: string) => void }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const runner = canRun(org.role);

  const load = async (quiet = false) => {
    if (!quiet) setLoaded({ state: 'loading' });
    const res = await fetchLibrary();
    setLoaded(res.ok ? { state: 'ready', list: res.data } : { state: 'failed' });
  };
  useEffect(() => {
    void load();
  }, [org.id]);

  const groups = loaded.state === 'ready' ? groupLibrary(loaded.list, lang) : [];
  return (
    <section class="card library" aria-labelledby="library-title">
      <h2 id="library-title" tabIndex={-1}>
        {tr(lang, l.title)}
      </h2>
      <p class="muted">{tr(lang, l.lead)}</p>
      {!runner && <p class="muted small">{tr(lang, l.readOnly)}</p>}
      {loaded.state === 'loading' && <p class="muted">{tr(lang, l.loading)}</p>}
      {loaded.state === 'failed' && (
        <div>
          <p class="notice notice-text">{tr(lang, l.failed)}</p>
          <button type="button" class="btn" onClick={() => void load()}>
            {tr(lang, l.retry)}
          </button>
        </div>
      )}
      {loaded.state === 'ready' && groups.length === 0 && <p class="muted">{tr(lang, l.none)}</p>}
      {groups.map((g) => (
        <CatalogueGroup key={g.id} lang={lang} org={org} group={g} announce={announce} reload={() => load(true)} />
      ))}
      {runner && <ImportForm lang={lang} org={org} announce={announce} reload={() => load(true)} />}
    </section>
  );
}

function CatalogueGroup({
  lang,
  org,
  group,
  announce,
  reload,
}: {
  lang: Lang;
  org: Organisation;
  group: LibraryCatalogue;
  announce: (text: string) => void;
  reload: () => Promise<void>;
}) {
  const base = `lib-${slug(group.id)}`;
  const title = pick(group.title, lang);
  return (
    <section class="library-catalogue" aria-labelledby={`${base}-title`}>
      <h3 id={`${base}-title`}>
        {title} <span class="muted small library-id">({group.id})</span>
      </h3>
      <p class="muted small">{tr(lang, l.versionsOf, { n: group.versions.length })}</p>
      <ul class="library-versions" aria-label={tr(lang, l.versionsList, { title })}>
        {group.versions.map((v) => (
          <VersionRow key={v.version} lang={lang} org={org} v={v} groupTitle={`${base}-title`} announce={announce} reload={reload} />
        ))}
      </ul>
    </section>
  );
}

type Sessions = { state: 'idle' } | { state: 'loading' } | { state: 'failed' } | { state: 'ready'; list: VersionSession[] };

function VersionRow({
  lang,
  org,
  v,
  groupTitle,
  announce,
  reload,
}: {
  lang: Lang;
  org: Organisation;
  v: LibraryVersion;
  groupTitle: string;
  announce: (text: string) => void;
  reload: () => Promise<void>;
}) {
  const base = `lib-${slug(v.id)}-${slug(v.version)}`;
  const title = pick(v.title, lang);
  const runner = canRun(org.role);
  const manage = mayManage(v, org.id, org.role);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [sessionTitle, setSessionTitle] = useState('');
  const [sessions, setSessions] = useState<Sessions>({ state: 'idle' });
  const describedBy = `${groupTitle} ${base}-title`;

  const get = async () => {
    setError(null);
    const res = await fetchCatalogueText(v.id, v.version);
    if (!res.ok) {
      setError(refused(lang, res, tr(lang, l.downloadFailed)));
      return;
    }
    const file = catalogueFileName(v.id, v.version);
    download(file, res.data);
    announce(tr(lang, l.downloaded, { file }));
  };

  const start = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const res = await startOnVersion(v.id, v.version, org.id, sessionTitle);
    if (!res.ok) {
      setBusy(false);
      setError(refused(lang, res, tr(lang, l.startFailed)));
      focusSoon(`${base}-start-title`);
      return;
    }
    // A member's console opens with the sign-in cookie: no key in the address.
    location.assign(`/facilitate/${encodeURIComponent(res.data.code)}`);
  };

  const retire = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const res = await setRetired(v.id, v.version, !v.retired);
    setBusy(false);
    if (!res.ok) {
      setError(refused(lang, res, tr(lang, l.retireFailed)));
      return;
    }
    await reload();
    announce(tr(lang, v.retired ? l.unretiredDone : l.retiredDone, { version: v.version }));
    focusSoon(`${base}-retire`);
  };

  const remove = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const res = await deleteVersion(v.id, v.version);
    setBusy(false);
    setConfirming(false);
    if (!res.ok) {
      const lead = res.code === 'item_in_use' ? tr(lang, l.inUse) : tr(lang, l.removeFailed);
      setError(refused(lang, res, lead));
      focusSoon(`${base}-remove`);
      return;
    }
    announce(tr(lang, l.removed, { version: v.version, title }));
    await reload();
    focusSoon('library-title');
  };

  const loadSessions = async () => {
    setSessions({ state: 'loading' });
    const res = await fetchVersionSessions(v.id, v.version);
    setSessions(res.ok ? { state: 'ready', list: res.data } : { state: 'failed' });
  };

  const origin = v.built_in ? tr(lang, l.builtIn) : isOwnImport(v, org.id) ? tr(lang, l.ownImport) : tr(lang, l.sharedImport);
  return (
    <li class={v.retired ? 'library-version library-retired' : 'library-version'} aria-labelledby={`${base}-title`}>
      <h4 id={`${base}-title`} class="library-version-title">
        {tr(lang, l.versionHeading, { version: v.version })}
      </h4>
      <p class="library-facts">
        <span>{tr(lang, l.indicators, { n: v.indicators })}</span>
        <span class="badge">{origin}</span>
        {v.retired && <span class="badge badge-retired">{tr(lang, l.retired)}</span>}
      </p>
      {v.retired && <p class="muted small">{tr(lang, l.retiredHelp)}</p>}
      <p class="button-row">
        <button type="button" class="btn btn-small" aria-describedby={describedBy} onClick={() => void get()}>
          {tr(lang, l.download)}
        </button>
        {runner && !v.retired && !starting && (
          <button
            type="button"
            id={`${base}-start`}
            class="btn btn-small"
            aria-describedby={describedBy}
            onClick={() => {
              setStarting(true);
              setError(null);
              focusSoon(`${base}-start-title`);
            }}
          >
            {tr(lang, l.start)}
          </button>
        )}
        {manage && (
          <button type="button" id={`${base}-retire`} class="btn btn-small" aria-describedby={describedBy} disabled={busy} onClick={() => void retire()}>
            {v.retired ? tr(lang, l.unretire) : tr(lang, l.retire)}
          </button>
        )}
        {manage && !confirming && (
          <button
            type="button"
            id={`${base}-remove`}
            class="btn btn-small btn-danger"
            aria-describedby={`${describedBy} ${base}-error`}
            onClick={() => {
              setConfirming(true);
              setError(null);
              focusSoon(`${base}-confirm`);
            }}
          >
            {tr(lang, l.remove)}
          </button>
        )}
      </p>
      {starting && (
        <form class="library-start" onSubmit={start} aria-label={tr(lang, l.startLabel, { title, version: v.version })}>
          <div class="field">
            <label for={`${base}-start-title`}>{tr(lang, l.startTitleLabel)}</label>
            <input
              id={`${base}-start-title`}
              type="text"
              value={sessionTitle}
              maxLength={200}
              autoComplete="off"
              onInput={(e) => setSessionTitle((e.target as HTMLInputElement).value)}
            />
          </div>
          <p class="button-row">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? tr(lang, l.starting) : tr(lang, l.startGo)}
            </button>
            <button
              type="button"
              class="btn"
              onClick={() => {
                setStarting(false);
                focusSoon(`${base}-start`);
              }}
            >
              {tr(lang, l.cancel)}
            </button>
          </p>
        </form>
      )}
      {confirming && (
        <div class="confirm" role="group" aria-labelledby={`${base}-confirm`}>
          <p id={`${base}-confirm`} tabIndex={-1}>
            {tr(lang, l.removeConfirm, { version: v.version, title })}
          </p>
          <p class="button-row">
            <button type="button" class="btn btn-danger-solid" disabled={busy} onClick={() => void remove()}>
              {tr(lang, l.removeYes, { version: v.version })}
            </button>
            <button
              type="button"
              class="btn"
              onClick={() => {
                setConfirming(false);
                focusSoon(`${base}-remove`);
              }}
            >
              {tr(lang, l.cancel)}
            </button>
          </p>
        </div>
      )}
      <p id={`${base}-error`} role="alert" class="field-error">
        {error ?? ''}
      </p>
      <details
        class="more library-sessions"
        onToggle={(e) => {
          if ((e.currentTarget as HTMLDetailsElement).open && sessions.state !== 'loading') void loadSessions();
        }}
      >
        <summary>{tr(lang, l.sessionsToggle)}</summary>
        {sessions.state === 'loading' && <p class="muted">{tr(lang, l.sessionsLoading)}</p>}
        {sessions.state === 'failed' && <p class="field-error">{tr(lang, l.sessionsFailed)}</p>}
        {sessions.state === 'ready' && sessions.list.length === 0 && <p class="muted">{tr(lang, l.sessionsNone)}</p>}
        {sessions.state === 'ready' && sessions.list.length > 0 && (
          <ul class="library-session-list" aria-label={tr(lang, l.sessionsList, { version: v.version })}>
            {sessions.list.map((s) => (
              <li key={s.code}>
                <a href={runner ? `/facilitate/${encodeURIComponent(s.code)}` : `/api/sessions/${encodeURIComponent(s.code)}/report.html?lang=${lang}`}>
                  {tr(lang, l.sessionLink, { title: s.title || tr(lang, l.untitled), code: s.code })}
                </a>{' '}
                {s.created_at > 0 && <span class="muted small">{tr(lang, l.created, { date: formatDateTime(lang, s.created_at) })}</span>}
              </li>
            ))}
          </ul>
        )}
      </details>
    </li>
  );
}

function ImportForm({
  lang,
  org,
  announce,
  reload,
}: {
  lang: Lang;
  org: Organisation;
  announce: (text: string) => void;
  reload: () => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const input = document.getElementById('library-file') as HTMLInputElement | null;
    const file = input?.files?.[0];
    if (!input || !file) {
      setError(tr(lang, l.importMissing));
      focusSoon('library-file');
      return;
    }
    setBusy(true);
    setError(null);
    const text = await readFile(file);
    if (!looksLikeJson(text)) {
      setBusy(false);
      setError(`${tr(lang, l.importFailed)} ${tr(lang, l.importNotJson)}`);
      focusSoon('library-file');
      return;
    }
    const res = await importCatalogue(org.id, text);
    setBusy(false);
    if (!res.ok) {
      setError(res.code === 'item_in_use' ? `${tr(lang, l.importFailed)} ${tr(lang, l.importExists)}` : refused(lang, res, tr(lang, l.importFailed)));
      focusSoon('library-file');
      return;
    }
    input.value = '';
    await reload();
    announce(tr(lang, l.imported, { id: res.data.id, version: res.data.version, n: res.data.indicators }));
  };
  return (
    <section class="library-import" aria-labelledby="library-import-title">
      <h3 id="library-import-title">{tr(lang, l.importTitle)}</h3>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="library-file">{tr(lang, l.importLabel)}</label>
          <p id="library-file-help" class="muted small field-help">
            {tr(lang, l.importHelp)}
          </p>
          <input
            id="library-file"
            type="file"
            accept=".json,application/json"
            aria-invalid={error ? true : undefined}
            aria-describedby="library-file-help library-file-error"
            onChange={() => setError(null)}
          />
          <p id="library-file-error" class="field-error" role="alert">
            {error ?? ''}
          </p>
        </div>
        <button type="submit" class="btn" disabled={busy}>
          {busy ? tr(lang, l.importing) : tr(lang, l.importButton)}
        </button>
      </form>
    </section>
  );
}
