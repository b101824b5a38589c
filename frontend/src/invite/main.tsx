//! Invitation page (/invite/{token}): says which organisation invites, and as what. Signed in, one
//! button joins; otherwise a form makes the account (name, email, password, with the setup form's
//! rules) or a link signs in and comes back here. A used or expired link says so. After joining,
//! the start page opens with that organisation chosen. Talks REST only; no socket.

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../styles.css';
import {
  accountProblems,
  fetchMe,
  fieldOfMessage,
  rememberOrganisation,
  signInHref,
  signOut,
  type AccountField,
  type AccountFields,
  type Me,
} from '../lib/account';
import { acc } from '../lib/accountStrings';
import { formatDateTime } from '../lib/format';
import { AccountInputs, failure, focusSoon } from '../lib/forms';
import type { HttpResult } from '../lib/http';
import { translate as tr, type Lang } from '../lib/i18n';
import { useLang } from '../lib/live';
import { acceptInvitation, fetchInvitation, inviteTokenFromPath, joinedOrganisation, type InvitationInfo } from '../lib/organisation';
import { org as o, roleWord } from '../lib/orgStrings';
import { common } from '../lib/strings';
import { LangToggle } from '../lib/ui';

type Offer = { state: 'loading' } | { state: 'dead' } | { state: 'failed' } | { state: 'ready'; info: InvitationInfo };

const FIELDS: readonly AccountField[] = ['name', 'email', 'password'];

function App() {
  const [lang, setLang] = useLang();
  const token = inviteTokenFromPath(location.pathname);
  const [offer, setOffer] = useState<Offer>(() => (token ? { state: 'loading' } : { state: 'dead' }));
  const [me, setMe] = useState<Me | null | 'loading'>('loading');

  const load = async () => {
    const [meRes, inv] = await Promise.all([fetchMe(), token ? fetchInvitation(token) : null]);
    setMe(meRes.ok ? meRes.data : null);
    if (!inv) return;
    if (inv.ok) setOffer({ state: 'ready', info: inv.data });
    else setOffer(inv.code === 'unknown_invitation' || inv.status === 404 ? { state: 'dead' } : { state: 'failed' });
  };
  useEffect(() => {
    void load();
  }, []);

  useEffect(() => {
    document.title = tr(lang, o.inviteDocTitle);
  }, [lang]);

  const account = me && me !== 'loading' ? me.account : null;
  const before = me && me !== 'loading' ? me.organisations : [];

  /** Joined: the start page, with that organisation chosen and a welcome. */
  const joined = (after: Me, info: InvitationInfo) => {
    const chosen = joinedOrganisation(before, after.organisations, info.organisation);
    if (chosen) rememberOrganisation(chosen.id);
    location.assign(chosen ? `/?joined=${encodeURIComponent(chosen.id)}` : '/');
  };
  const gone = () => {
    setOffer({ state: 'dead' });
    focusSoon('page-title');
  };

  const header = (
    <header class="topbar topbar-wrap">
      <span class="brand">{tr(lang, common.appName)}</span>
      <div class={account ? 'topbar-info topbar-account' : 'topbar-info'}>
        {account && <span class="topbar-person">{account.name}</span>}
      </div>
      <LangToggle lang={lang} setLang={setLang} />
    </header>
  );

  let body;
  if (offer.state === 'loading' || me === 'loading') {
    body = (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {tr(lang, o.inviteHeading)}
        </h1>
        <p class="muted">{tr(lang, o.loadingInvite)}</p>
      </>
    );
  } else if (offer.state === 'dead' || offer.state === 'failed') {
    const dead = offer.state === 'dead';
    body = (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {tr(lang, o.deadTitle)}
        </h1>
        <p class="notice notice-text">{dead ? tr(lang, common.err_unknown_invitation) : tr(lang, o.inviteLoadFailed)}</p>
        {dead && <p>{tr(lang, o.deadHelp)}</p>}
        <p class="button-row">
          {!dead && (
            <button type="button" class="btn btn-primary" onClick={() => void load()}>
              {tr(lang, acc.retry)}
            </button>
          )}
          <a class="btn" href="/">
            {tr(lang, o.toStart)}
          </a>
        </p>
      </>
    );
  } else {
    const info = offer.info;
    body = (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {tr(lang, o.invited, { org: info.organisation, role: roleWord(lang, info.role) })}
        </h1>
        <p class="lead">
          {tr(lang, o[`roleHelp_${info.role}`]).replace(/^./, (c) => c.toUpperCase())}. {tr(lang, o.invitedValid, { date: formatDateTime(lang, info.expires_at) })}
        </p>
        {account ? (
          <JoinAsMe
            lang={lang}
            token={token!}
            me={me as Me}
            info={info}
            onJoined={(after) => joined(after, info)}
            onGone={gone}
            onSignedOut={() => void load().then(() => focusSoon('create-title'))}
          />
        ) : (
          <CreateAccount lang={lang} token={token!} onJoined={(after) => joined(after, info)} onGone={gone} />
        )}
      </>
    );
  }

  return (
    <>
      {header}
      <main id="main" class="page page-narrow">
        {body}
      </main>
    </>
  );
}

function JoinAsMe({
  lang,
  token,
  me,
  info,
  onJoined,
  onGone,
  onSignedOut,
}: {
  lang: Lang;
  token: string;
  me: Me;
  info: InvitationInfo;
  onJoined: (after: Me) => void;
  onGone: () => void;
  onSignedOut: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const join = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const res = await acceptInvitation(token, null);
    if (res.ok) {
      onJoined(res.data);
      return;
    }
    setBusy(false);
    if (res.code === 'unknown_invitation') {
      onGone();
      return;
    }
    setError(failure(lang, res, tr(lang, o.joinFailed)));
  };
  const account = me.account!;
  // A member already keeps their role when accepting (the server's rule): say so, so nobody expects a change.
  const already = me.organisations.find((m) => m.name === info.organisation);
  return (
    <section class="card auth-card" aria-labelledby="join-as-title">
      <h2 id="join-as-title" class="sr-only">
        {tr(lang, o.join)}
      </h2>
      <p>{tr(lang, o.signedInAs, { name: account.name, email: account.email })}</p>
      {already && already.role !== info.role && (
        <p class="notice notice-text" id="join-already">
          {tr(lang, o.alreadyMember, { org: info.organisation, role: roleWord(lang, already.role), next: roleWord(lang, info.role) })}
        </p>
      )}
      <p id="join-error" role="alert" class="field-error">
        {error ?? ''}
      </p>
      <p class="button-row">
        <button type="button" class="btn btn-primary btn-large" disabled={busy} aria-describedby={already && already.role !== info.role ? 'join-already join-error' : 'join-error'} onClick={() => void join()}>
          {busy ? tr(lang, o.joining) : tr(lang, o.join)}
        </button>
        <button
          type="button"
          class="btn btn-quiet"
          onClick={async () => {
            const res = await signOut();
            if (res.ok) onSignedOut();
            else setError(tr(lang, acc.signOutFailed));
          }}
        >
          {tr(lang, o.notYou)}
        </button>
      </p>
    </section>
  );
}

function CreateAccount({
  lang,
  token,
  onJoined,
  onGone,
}: {
  lang: Lang;
  token: string;
  onJoined: (after: Me) => void;
  onGone: () => void;
}) {
  const [fields, setFields] = useState<AccountFields>({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Partial<Record<AccountField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (f: AccountField) => (v: string) => {
    setFields((x) => ({ ...x, [f]: v }));
    setErrors((x) => ({ ...x, [f]: undefined }));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setFormError(null);
    const problems = accountProblems(fields);
    const found: Partial<Record<AccountField, string>> = {};
    for (const f of FIELDS) {
      const p = problems[f];
      if (p) found[f] = tr(lang, acc[`${p}_${f}` as keyof typeof acc]);
    }
    setErrors(found);
    const first = FIELDS.find((f) => found[f]);
    if (first) {
      focusSoon(`invite-${first}`);
      return;
    }
    setBusy(true);
    const res: HttpResult<Me> = await acceptInvitation(token, fields);
    if (res.ok) {
      onJoined(res.data);
      return;
    }
    setBusy(false);
    if (res.code === 'unknown_invitation') {
      onGone();
      return;
    }
    if (res.code === 'invalid_field') {
      const field = fieldOfMessage(res.message, FIELDS) as AccountField | null;
      if (field) {
        const taken = field === 'email' && /exists/i.test(res.message);
        setErrors({ [field]: taken ? tr(lang, o.emailTaken) : tr(lang, acc[`invalid_${field}`]) });
        focusSoon(`invite-${field}`);
        return;
      }
      setFormError(`${tr(lang, o.joinFailed)} ${res.message}`);
      return;
    }
    setFormError(failure(lang, res, tr(lang, o.joinFailed)));
  };

  return (
    <section class="card auth-card" aria-labelledby="create-title">
      <h2 id="create-title" tabIndex={-1}>
        {tr(lang, o.createTitle)}
      </h2>
      <p class="muted">{tr(lang, o.createLead)}</p>
      <form onSubmit={submit} noValidate>
        <AccountInputs prefix="invite" lang={lang} fields={fields} set={set} errors={errors} />
        <p id="invite-error" role="alert" class="field-error">
          {formError ?? ''}
        </p>
        <p class="button-row">
          <button type="submit" class="btn btn-primary btn-large" disabled={busy}>
            {busy ? tr(lang, acc.settingUp) : tr(lang, o.createButton)}
          </button>
        </p>
      </form>
      <p>
        <a href={signInHref(location.pathname)}>{tr(lang, o.haveAccount)}</a>
      </p>
    </section>
  );
}

render(<App />, document.getElementById('app')!);
