//! Exports of the console (JSON, CSV, the printable report) fetched with the facilitator key
//! and saved or opened from a blob; and deleting the session behind a confirm dialog.

import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchFile, request, saveBlob, withCsp } from '../lib/http';
import { translate as tr, type Lang } from '../lib/i18n';
import { readStore, writeStore } from '../lib/storage';
import { errorMsg } from '../lib/strings';
import { SAVED_KEY, parseSaved, removeSaved } from '../start/saved';
import { sm } from './summaryStrings';

type Kind = 'json' | 'csv' | 'report' | 'report-file';

function fileName(kind: Kind, code: string, lang: Lang): string {
  if (kind === 'json') return `samsyn-${code}.json`;
  if (kind === 'csv') return `samsyn-${code}.csv`;
  return `samsyn-${code}-${lang === 'sv' ? 'rapport' : 'report'}.html`;
}

export function Exports({ code, secret, lang }: { code: string; secret: string | null; lang: Lang }) {
  const [busy, setBusy] = useState<Kind | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const get = async (kind: Kind) => {
    if (busy) return;
    // A tab opened only after the fetch would be stopped as a pop-up: open it now, fill it later.
    const tab = kind === 'report' ? window.open('', '_blank') : null;
    if (tab) tab.opener = null;
    const name = fileName(kind, code, lang);
    setBusy(kind);
    setMsg({ ok: true, text: tr(lang, sm.fetching, { file: name }) });
    const path =
      kind === 'json'
        ? `/api/sessions/${code}/export.json`
        : kind === 'csv'
          ? `/api/sessions/${code}/export.csv?lang=${lang}`
          : `/api/sessions/${code}/report.html?lang=${lang}`;
    const res = await fetchFile(path, secret);
    setBusy(null);
    if (!res.ok) {
      tab?.close();
      const why = res.code === 'network' ? tr(lang, sm.network) : res.message || `${tr(lang, errorMsg(res.code))} (HTTP ${res.status})`;
      setMsg({ ok: false, text: `${tr(lang, sm.exportFailed, { file: name })} ${why}` });
      return;
    }
    if (kind === 'report' || kind === 'report-file') {
      const html = withCsp(await res.blob.text());
      const blob = new Blob([html], { type: 'text/html;charset=utf-8' });
      if (kind === 'report' && tab) {
        const url = URL.createObjectURL(blob);
        tab.location.href = url;
        // The tab needs the URL until it has loaded the page.
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        setMsg({ ok: true, text: tr(lang, sm.reportOpened) });
        return;
      }
      saveBlob(name, blob);
      setMsg({ ok: true, text: kind === 'report' ? tr(lang, sm.reportBlocked) : tr(lang, sm.fetched, { file: name }) });
      return;
    }
    saveBlob(res.name ?? name, res.blob);
    setMsg({ ok: true, text: tr(lang, sm.fetched, { file: res.name ?? name }) });
  };

  const button = (kind: Kind, label: string, primary = false) => (
    <button type="button" class={primary ? 'btn btn-primary' : 'btn'} disabled={busy !== null} onClick={() => void get(kind)}>
      {label}
    </button>
  );

  return (
    <div class="exports">
      <p class="muted small">{tr(lang, sm.exportHelp)}</p>
      <div class="action-row">
        {button('report', tr(lang, sm.openReport), true)}
        {button('csv', tr(lang, sm.exportCsv))}
        {button('json', tr(lang, sm.exportJson))}
        {button('report-file', tr(lang, sm.downloadReport))}
      </div>
      <p role="status" class={msg && !msg.ok ? 'field-error' : 'muted'}>
        {msg?.text ?? ''}
      </p>
    </div>
  );
}

export function DeleteSession({ code, secret, title, lang }: { code: string; secret: string | null; title: string; lang: Lang }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      // The safe choice has the focus.
      cancel.current?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);

  const remove = async () => {
    setBusy(true);
    setError(null);
    const res = await request<null>(`/api/sessions/${code}`, { method: 'DELETE', key: secret });
    if (!res.ok && res.code !== 'unknown_session') {
      setBusy(false);
      const why = res.code === 'network' ? tr(lang, sm.network) : `${tr(lang, errorMsg(res.code))}${res.message ? ` (${res.message})` : ''}`;
      setError(`${tr(lang, sm.deleteFailed)} ${why}`);
      return;
    }
    // Gone (or already gone): drop it from "Your sessions" and go to the start page.
    writeStore(SAVED_KEY, JSON.stringify(removeSaved(parseSaved(readStore(SAVED_KEY)), code)));
    location.assign(`/?deleted=${code}`);
  };

  return (
    <div class="danger-zone">
      <p class="muted small">{tr(lang, sm.deleteHelp)}</p>
      <button type="button" class="btn btn-danger" ref={opener} onClick={() => setOpen(true)}>
        {tr(lang, sm.deleteButton)}
      </button>
      <dialog
        ref={dialog}
        class="confirm-dialog"
        aria-labelledby="delete-title"
        aria-describedby="delete-warn"
        onClose={() => {
          setOpen(false);
          opener.current?.focus();
        }}
        onCancel={(e) => {
          if (busy) e.preventDefault();
        }}
      >
        <h2 id="delete-title">{tr(lang, sm.deleteAsk, { code })}</h2>
        <p id="delete-warn">{tr(lang, sm.deleteWarn, { title })}</p>
        <p class="field-error" role="alert">
          {error ?? ''}
        </p>
        <div class="form-buttons">
          <button type="button" class="btn btn-danger btn-danger-solid" disabled={busy} onClick={() => void remove()}>
            {busy ? tr(lang, sm.deleting) : tr(lang, sm.deleteConfirm)}
          </button>
          <button type="button" class="btn" ref={cancel} disabled={busy} onClick={() => setOpen(false)}>
            {tr(lang, sm.cancel)}
          </button>
        </div>
      </dialog>
    </div>
  );
}
