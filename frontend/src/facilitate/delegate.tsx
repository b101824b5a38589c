//! The console's key panel, small and folded away in the side column: a signed-in member who opened
//! the console without a key fetches the key link on request to hand it on (a delegate link for
//! someone without an account), changes the key (the old link stops working) or revokes it. And a
//! console opened with the key of a session of no organisation offers to move it into one of the
//! signed-in person's organisations (claim). Nothing here takes a single-letter shortcut.

import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../lib/account';
import { CopyLink } from '../lib/copy';
import { failure, focusSoon } from '../lib/forms';
import type { HttpResult } from '../lib/http';
import { translate as tr, type Lang } from '../lib/i18n';
import { absoluteLink, claimSession, claimTargets, fetchKey, revokeKey, rotateKey, type SessionKey } from '../lib/organisation';
import { org as o } from '../lib/orgStrings';

type Failure = Extract<HttpResult<unknown>, { ok: false }>;

/** The words for a refused key request: an older server without the endpoint, else the reason. */
function keyFailure(lang: Lang, res: Failure): string {
  if (res.status === 404 && res.code !== 'unknown_session') return tr(lang, o.keyUnavailable);
  return failure(lang, res, tr(lang, o.keyFailed));
}

/** "Delegate link": fetch, copy, rotate and revoke the session's key link (a member without the key). */
export function KeyPanel({ code, lang }: { code: string; lang: Lang }) {
  const [key, setKey] = useState<SessionKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<'rotate' | 'revoke' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const run = async (what: 'show' | 'rotate' | 'revoke') => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    setConfirm(null);
    const res = what === 'show' ? await fetchKey(code) : what === 'rotate' ? await rotateKey(code) : await revokeKey(code);
    setBusy(false);
    if (!res.ok) {
      setError(keyFailure(lang, res));
      return;
    }
    if (what === 'revoke') {
      setKey({ revoked: true });
      setDone(tr(lang, o.revoked));
      focusSoon('key-new');
      return;
    }
    const next = res.data as SessionKey;
    setKey(next);
    if (what === 'rotate') setDone(tr(lang, o.rotated));
    focusSoon(next.revoked ? 'key-new' : 'key-link');
  };

  const ask = (what: 'rotate' | 'revoke') => {
    setConfirm(what);
    setDone(null);
    focusSoon('key-confirm');
  };

  return (
    <details class="more delegate">
      <summary>{tr(lang, o.delegate)}</summary>
      <p class="muted small">{tr(lang, o.delegateHelp)}</p>
      {key === null && (
        <p>
          <button type="button" class="btn btn-small" disabled={busy} onClick={() => void run('show')}>
            {busy ? tr(lang, o.keyLoading) : tr(lang, o.showKey)}
          </button>
        </p>
      )}
      {key && !key.revoked && (
        <CopyLink id="key-link" lang={lang} label={tr(lang, o.keyLink)} url={absoluteLink(location.origin, key.links.facilitator)} />
      )}
      {key && key.revoked && (
        <p class="button-row">
          <button type="button" id="key-new" class="btn btn-small" disabled={busy} onClick={() => void run('rotate')}>
            {tr(lang, o.newKey)}
          </button>
        </p>
      )}
      {key && !key.revoked && confirm === null && (
        <p class="button-row">
          <button type="button" id="key-rotate" class="btn btn-small" disabled={busy} onClick={() => ask('rotate')}>
            {tr(lang, o.rotate)}
          </button>
          <button type="button" id="key-revoke" class="btn btn-small btn-danger" disabled={busy} onClick={() => ask('revoke')}>
            {tr(lang, o.revoke)}
          </button>
        </p>
      )}
      {confirm && (
        <div class="confirm" role="group" aria-labelledby="key-confirm">
          <p id="key-confirm" tabIndex={-1}>
            {tr(lang, confirm === 'rotate' ? o.rotateConfirm : o.revokeConfirm)}
          </p>
          <p class="button-row">
            <button type="button" class="btn btn-small btn-danger-solid" disabled={busy} onClick={() => void run(confirm)}>
              {tr(lang, confirm === 'rotate' ? o.rotateYes : o.revokeYes)}
            </button>
            <button
              type="button"
              class="btn btn-small"
              onClick={() => {
                const back = confirm === 'rotate' ? 'key-rotate' : 'key-revoke';
                setConfirm(null);
                focusSoon(back);
              }}
            >
              {tr(lang, o.cancel)}
            </button>
          </p>
        </div>
      )}
      <p role="alert" class="field-error">
        {error ?? ''}
      </p>
      <p role="status" class={done ? 'ok-text small' : 'notice-empty'}>
        {done ?? ''}
      </p>
    </details>
  );
}

/**
 * "Move to {organisation}": a console opened with the key, by someone signed in who may run sessions
 * in an organisation. Hidden when the session is already one of theirs (its key shows without the key).
 */
export function ClaimPanel({ code, secret, me, lang }: { code: string; secret: string; me: Me | null; lang: Lang }) {
  const targets = claimTargets(me);
  const [owned, setOwned] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [claimed, setClaimed] = useState<string | null>(null);
  const any = targets.length > 0;
  useEffect(() => {
    if (!any) return;
    // Without the key, the key shows only to a member who may run the session: then it is theirs already.
    void fetchKey(code).then((res) => setOwned(res.ok));
  }, [any, code]);
  if (!any || owned !== false) return null;

  const claim = async (id: string, name: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const res = await claimSession(code, secret, id);
    setBusy(false);
    if (res.ok) {
      setClaimed(tr(lang, o.claimed, { org: name }));
      return;
    }
    setError(res.status === 403 && /already/i.test(res.message) ? tr(lang, o.claimTaken) : failure(lang, res, tr(lang, o.claimFailed)));
  };

  return (
    <details class="more delegate">
      <summary>{tr(lang, o.claimTitle)}</summary>
      <p class="muted small">{tr(lang, o.claimHelp)}</p>
      {!claimed && (
        <p class="button-row">
          {targets.map((t) => (
            <button key={t.id} type="button" class="btn btn-small" disabled={busy} onClick={() => void claim(t.id, t.name)}>
              {tr(lang, o.claim, { org: t.name })}
            </button>
          ))}
        </p>
      )}
      <p role="alert" class="field-error">
        {error ?? ''}
      </p>
      <p role="status" class={claimed ? 'ok-text small' : 'notice-empty'}>
        {claimed ?? ''}
      </p>
    </details>
  );
}
