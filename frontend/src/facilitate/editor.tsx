//! "Edit the agenda" in the console: loads the session's item set, lets the builder change
//! it, saves it with PUT, and exports or imports it as a JSON file. A rejected save or
//! import changes nothing (the server's rule); its message is shown as the server wrote it.

import { useEffect, useState } from 'preact/hooks';
import { Builder } from '../builder/Builder';
import { exportFileName, fromItemSet, toItemSet, type Draft } from '../builder/model';
import { bld } from '../builder/strings';
import { download, readFile, request, type HttpResult } from '../lib/http';
import { translate as tr, type Lang } from '../lib/i18n';
import { errorMsg } from '../lib/strings';
import type { ItemSet, Session } from '../lib/types';

type Load = { state: 'loading' } | { state: 'failed'; text: string } | { state: 'ready' };

export function AgendaEditor({
  code,
  secret,
  session,
  lang,
  onClose,
}: {
  code: string;
  secret: string | null;
  session: Session;
  lang: Lang;
  /** `saved` tells whether the agenda was just stored. */
  onClose: (saved: boolean) => void;
}) {
  const path = `/api/sessions/${code}/items`;
  const inUse = new Set(session.items.filter((i) => i.rounds.length > 0).map((i) => i.id));
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [draft, setDraft] = useState<Draft>({ title: '', items: [] });
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [fileMsg, setFileMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const failure = (res: Extract<HttpResult<unknown>, { ok: false }>) =>
    res.code === 'network' ? tr(lang, bld.network) : res.message || `${tr(lang, errorMsg(res.code))} (HTTP ${res.status})`;

  const fetchItems = async () => {
    setLoad({ state: 'loading' });
    const res = await request<ItemSet>(path, { key: secret });
    if (!res.ok) {
      setLoad({ state: 'failed', text: failure(res) });
      return;
    }
    setDraft(fromItemSet(res.data, inUse, 1));
    setLoad({ state: 'ready' });
    setTimeout(() => document.getElementById('builder-title')?.focus(), 0);
  };

  useEffect(() => {
    void fetchItems();
  }, []);

  // Items that got rounds while editing become fixed at once.
  const shown: Draft = {
    ...draft,
    items: draft.items.map((d) => {
      const used = d.id !== '' && inUse.has(d.id);
      return d.inUse === used ? d : { ...d, inUse: used };
    }),
  };

  const save = async (d: Draft) => {
    setBusy(true);
    setServerError(null);
    const res = await request<ItemSet>(path, { method: 'PUT', key: secret, body: toItemSet({ ...d, title: session.title ?? d.title }) });
    setBusy(false);
    if (res.ok) {
      onClose(true);
      return;
    }
    setServerError(failure(res));
    setTimeout(() => document.getElementById('builder-problems')?.focus(), 0);
  };

  const exportItems = async () => {
    setFileMsg(null);
    const res = await request<ItemSet>(path, { key: secret });
    if (!res.ok) {
      setFileMsg({ ok: false, text: `${tr(lang, bld.exportFailed)} ${failure(res)}` });
      return;
    }
    download(exportFileName(session.title, code), `${JSON.stringify(res.data, null, 2)}\n`);
  };

  const importItems = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file || busy) return;
    setBusy(true);
    setFileMsg(null);
    const text = await readFile(file);
    input.value = '';
    // The file goes to the server as it is: it checks every rule and names the place of a problem.
    const res = await request<ItemSet>(path, { method: 'PUT', key: secret, body: text });
    setBusy(false);
    if (!res.ok) {
      setFileMsg({ ok: false, text: `${tr(lang, bld.importFailed)} ${failure(res)}` });
      return;
    }
    const next = fromItemSet(res.data, inUse, draft.items.reduce((m, x) => Math.max(m, x.key), 0) + 1);
    setDraft(next);
    setFileMsg({ ok: true, text: tr(lang, bld.imported, { n: next.items.length }) });
  };

  if (load.state !== 'ready') {
    return (
      <section class="card card-wide">
        <h2>{tr(lang, bld.editTitle)}</h2>
        {load.state === 'loading' ? (
          <p class="muted" role="status">
            {tr(lang, bld.loadingItems)}
          </p>
        ) : (
          <>
            <p class="field-error" role="alert">
              {tr(lang, bld.loadFailed)} {load.text}
            </p>
            <button type="button" class="btn" onClick={() => onClose(false)}>
              {tr(lang, bld.backToConsole)}
            </button>
          </>
        )}
      </section>
    );
  }

  return (
    <section class="card card-wide">
      <Builder
        lang={lang}
        mode="edit"
        draft={shown}
        setDraft={setDraft}
        busy={busy}
        serverError={serverError}
        onSave={(d) => void save(d)}
        onCancel={() => onClose(false)}
      >
        <div class="file-tools">
          <button type="button" class="btn btn-small" onClick={() => void exportItems()}>
            {tr(lang, bld.exportItems)}
          </button>
          <div class="file-import">
            <label for="agenda-file">{tr(lang, bld.importItems)}</label>
            <input
              id="agenda-file"
              type="file"
              accept=".json,application/json"
              disabled={busy}
              aria-describedby="agenda-file-help agenda-file-msg"
              onChange={(e) => void importItems(e.target as HTMLInputElement)}
            />
            <p id="agenda-file-help" class="muted small">
              {tr(lang, bld.importReplaces)}
            </p>
          </div>
          <p id="agenda-file-msg" role="status" class={fileMsg && !fileMsg.ok ? 'field-error' : 'ok-text'}>
            {fileMsg?.text ?? ''}
          </p>
        </div>
      </Builder>
    </section>
  );
}
