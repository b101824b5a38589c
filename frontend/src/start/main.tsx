//! Start page (/): start a workshop from a catalogue (or import one), build a seminar or
//! import its items, return to sessions, compare two of them as occasions, or join one by code.
//! With accounts (issue 19): create the administrator on a new server, sign in and out, pick
//! the organisation, and list its sessions from the server; anonymous use as before where the
//! server allows it (`--allow-anonymous`), with the sessions this browser created.
//! Talks REST only; no socket.

import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import '../styles.css';
import { Builder } from '../builder/Builder';
import { exportFileName, readItemFile, toItemSet, type Draft } from '../builder/model';
import { bld } from '../builder/strings';
import {
  canRun,
  chooseOrganisation,
  fetchMe,
  fetchOrgSessions,
  fieldOfMessage,
  nextPath,
  oidcRefusal,
  oidcStartHref,
  rememberOrganisation,
  rememberedOrganisation,
  setUpServer,
  setupProblems,
  signIn,
  signOut,
  type Me,
  type Membership,
  type OrgSession,
  type SetupField,
  type SetupFields,
  type OidcRefusal,
} from '../lib/account';
import { acc } from '../lib/accountStrings';
import { organisationHref } from '../lib/organisation';
import { org as orgText } from '../lib/orgStrings';
import { cleanCode, formatDateTime, isJoinCode } from '../lib/format';
import { download, readFile, request } from '../lib/http';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import { useLang } from '../lib/live';
import { readStore, writeStore } from '../lib/storage';
import { common, errorMsg } from '../lib/strings';
import type { CatalogueSummary, CreatedSession, Text } from '../lib/types';
import { AccountInputs, Field, failure, focusSoon } from '../lib/forms';
import { LangToggle } from '../lib/ui';
import { CompareOccasions } from './compare';
import { cmp } from './compareStrings';
import { SAVED_KEY, addSaved, parseSaved, removeSaved, type SavedSession } from './saved';
import { start } from './strings';

/** Longest session title the server accepts, in characters. */
const TITLE_MAX = 200;

type Catalogues = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; list: CatalogueSummary[] };

/**
 * What the server says about accounts: `loading` before `/api/me` answers; `none` when it has no
 * accounts at all (an older server, or no answer): the page works anonymously as before.
 */
type MeState = { state: 'loading' } | { state: 'none' } | { state: 'ready'; me: Me };

/** A form shown above the page on request: signing in, or creating the administrator. */
type Panel = 'none' | 'signin' | 'setup';

/** Called with a created session and its title: opens its console. */
type OnCreated = (created: CreatedSession, title: string) => void;

function App() {
  const [lang, setLang] = useLang();
  const [meState, setMeState] = useState<MeState>({ state: 'loading' });
  const [saved, setSaved] = useState<SavedSession[]>(() => parseSaved(readStore(SAVED_KEY)));
  const updateSaved = (list: SavedSession[]) => {
    setSaved(list);
    writeStore(SAVED_KEY, JSON.stringify(list));
  };
  const [building, setBuilding] = useState(false);
  const buildButton = useRef<HTMLButtonElement>(null);
  // `/?signin&next=/facilitate/482913`: the console without a key sends a person here to sign in.
  // `/?signin_error=expired`: a sign-in with the OpenID provider came back refused; say why.
  const [oidcError] = useState<OidcRefusal | null>(() => oidcRefusal(location.search));
  const [panel, setPanel] = useState<Panel>(() =>
    new URLSearchParams(location.search).has('signin') || oidcRefusal(location.search) ? 'signin' : 'none',
  );
  // After accepting an invitation the invitation page comes here with ?joined={organisation}: that one is chosen.
  const [joined] = useState(() => new URLSearchParams(location.search).get('joined'));
  // After leaving an organisation its page comes here with ?left.
  const [left] = useState(() => new URLSearchParams(location.search).has('left'));
  const [orgId, setOrgId] = useState<string | null>(() => joined ?? rememberedOrganisation());
  // After "Delete the session" the console comes here with ?deleted=482913.
  const [deleted] = useState(() => {
    const code = new URLSearchParams(location.search).get('deleted');
    return code && isJoinCode(code) ? code : null;
  });
  // Filled in after the first render, so that the status region announces it.
  const [notice, setNotice] = useState<string | null>(null);
  const announce = (text: string) => {
    setNotice(null);
    setTimeout(() => setNotice(text), 50);
  };

  const loadMe = async () => {
    const res = await fetchMe();
    const next: MeState = res.ok ? { state: 'ready', me: res.data } : { state: 'none' };
    setMeState(next);
    return next;
  };
  useEffect(() => {
    void loadMe().then((now) => {
      if (!joined && !left) return;
      history.replaceState(null, '', '/');
      const name = now.state === 'ready' ? now.me.organisations.find((o) => o.id === joined)?.name : undefined;
      if (joined && name) {
        rememberOrganisation(joined);
        announce(tr(lang, orgText.joinedNotice, { org: name }));
      } else if (left) announce(tr(lang, orgText.leftNotice));
    });
    if (!deleted) return;
    updateSaved(removeSaved(saved, deleted));
    history.replaceState(null, '', '/');
    setTimeout(() => setNotice(tr(lang, cmp.deleted, { code: deleted })), 50);
  }, []);

  const me = meState.state === 'ready' ? meState.me : null;
  const account = me?.account ?? null;
  const org = me ? chooseOrganisation(me.organisations, orgId) : null;
  const mayRun = org ? canRun(org.role) : false;
  const orgList = useOrgSessions(account ? org : null, () => void loadMe());

  const onCreated: OnCreated = (created, title) => {
    // A member's sessions are listed by the server, and its console opens with the sign-in cookie.
    if (account) {
      location.assign(`/facilitate/${created.code}`);
      return;
    }
    updateSaved(addSaved(saved, { code: created.code, title, facilitator: created.links.facilitator, created: Date.now() }));
    location.assign(created.links.facilitator);
  };

  const signedIn = (next: Me) => {
    setMeState({ state: 'ready', me: next });
    setPanel('none');
    const back = nextPath(location.search);
    if (back && next.account) {
      location.assign(back);
      return;
    }
    if (location.search) history.replaceState(null, '', '/');
    if (next.account) announce(tr(lang, acc.welcome, { name: next.account.name }));
    focusSoon('page-title');
  };

  const doSignOut = async () => {
    const res = await signOut();
    if (!res.ok && res.code === 'network') {
      announce(tr(lang, acc.signOutFailed));
      return;
    }
    setBuilding(false);
    const after = await loadMe();
    announce(tr(lang, acc.signedOut));
    const showsSignIn = after.state === 'ready' && !after.me.allow_anonymous;
    focusSoon(showsSignIn ? 'signin-title' : 'page-title');
  };

  const openPanel = (which: Panel) => {
    setPanel(which);
    focusSoon(which === 'setup' ? 'setup-title' : 'signin-title');
  };
  const closePanel = (back: string) => {
    setPanel('none');
    if (location.search) history.replaceState(null, '', '/');
    focusSoon(back);
  };

  const chooseOrg = (id: string) => {
    setOrgId(id);
    rememberOrganisation(id);
  };

  const header = (
    <header class="topbar topbar-wrap">
      <span class="brand">{tr(lang, common.appName)}</span>
      <div class={account ? 'topbar-info topbar-account' : 'topbar-info'}>
        {account && (
          <>
            <span class="topbar-person">{account.name}</span>
            {me && me.organisations.length > 1 && org ? (
              <span class="org-pick">
                <label for="org-select">{tr(lang, acc.organisationPick)}</label>
                <select id="org-select" value={org.id} onChange={(e) => chooseOrg((e.currentTarget as HTMLSelectElement).value)}>
                  {me.organisations.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </span>
            ) : (
              org && (
                <a class="topbar-org topbar-link" href={organisationHref(org.id)} aria-label={tr(lang, orgText.orgPageOf, { org: org.name })}>
                  {org.name}
                </a>
              )
            )}
            {me && me.organisations.length > 1 && org && (
              <a class="topbar-link" href={organisationHref(org.id)}>
                {tr(lang, orgText.orgPage)}
              </a>
            )}
          </>
        )}
      </div>
      {account ? (
        <button type="button" class="lang-toggle" onClick={() => void doSignOut()}>
          {tr(lang, acc.signOut)}
        </button>
      ) : (
        me &&
        !me.first_run &&
        me.allow_anonymous &&
        panel !== 'signin' && (
          <button type="button" class="lang-toggle" id="signin-open" onClick={() => openPanel('signin')}>
            {tr(lang, acc.signInOffer)}
          </button>
        )
      )}
      <LangToggle lang={lang} setLang={setLang} />
    </header>
  );

  const status = (
    <div role="status" class={notice ? 'notice notice-ok' : 'notice-empty'}>
      {notice ?? ''}
    </div>
  );
  const titleBlock = (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {tr(lang, common.appName)}
      </h1>
      <p class="lead">{tr(lang, start.lead)}</p>
      {status}
    </>
  );

  if (meState.state === 'loading') {
    return (
      <>
        {header}
        <main id="main" class="page page-start">
          {titleBlock}
          <p class="muted">{tr(lang, acc.loading)}</p>
        </main>
      </>
    );
  }

  // A new server that needs an account: the administrator comes first.
  if (me && me.first_run && !me.allow_anonymous) {
    return (
      <>
        {header}
        <main id="main" class="page page-start">
          {titleBlock}
          <div class="auth-wrap">
            <SetupForm lang={lang} onDone={signedIn} onAlreadyDone={() => void loadMe().then(() => announce(tr(lang, acc.setupDone)))} />
            {me.oidc && <OidcSignIn lang={lang} name={me.oidc.name} error={oidcError} firstRun />}
          </div>
        </main>
      </>
    );
  }

  // Signed out on a server that needs an account: sign in (participants can still join by code).
  if (me && !account && !me.allow_anonymous) {
    return (
      <>
        {header}
        <main id="main" class="page page-start">
          {titleBlock}
          <div class="start-grid">
            <SignInForm lang={lang} onSignedIn={signedIn} focusOnMount={panel === 'signin'} oidc={me.oidc} oidcError={oidcError} />
            <div class="start-side">
              <JoinForm lang={lang} />
            </div>
          </div>
        </main>
      </>
    );
  }

  const panelForm =
    panel === 'signin' && me && !me.first_run ? (
      <div class="auth-wrap">
        <SignInForm
          lang={lang}
          onSignedIn={signedIn}
          onCancel={() => closePanel(account ? 'page-title' : 'signin-open')}
          focusOnMount
          oidc={me.oidc}
          oidcError={oidcError}
        />
      </div>
    ) : panel === 'setup' && me?.first_run ? (
      <div class="auth-wrap">
        <SetupForm
          lang={lang}
          onDone={signedIn}
          onCancel={() => closePanel('setup-open')}
          onAlreadyDone={() => {
            setPanel('none');
            void loadMe().then(() => announce(tr(lang, acc.setupDone)));
          }}
        />
      </div>
    ) : null;

  const creating =
    building ? (
      <SeminarBuilder
        lang={lang}
        org={account && org ? org.id : null}
        onCreated={onCreated}
        onCancel={() => {
          setBuilding(false);
          setTimeout(() => buildButton.current?.focus(), 0);
        }}
      />
    ) : (
      <div class="start-grid">
        <StartForm lang={lang} org={account && org ? org.id : null} onCreated={onCreated} />
        <div class="start-side">
          <SeminarCard lang={lang} org={account && org ? org.id : null} onBuild={() => setBuilding(true)} onCreated={onCreated} buildRef={buildButton} />
          <JoinForm lang={lang} />
        </div>
      </div>
    );

  if (account) {
    return (
      <>
        {header}
        <main id="main" class="page page-start">
          {titleBlock}
          {panelForm}
          {!org ? (
            <>
              <p class="notice notice-text">{tr(lang, acc.noOrganisation)}</p>
              <p>
                <a class="btn" href="/organisation">
                  {tr(lang, orgText.createOrg)}
                </a>
              </p>
              <div class="start-grid">
                <JoinForm lang={lang} />
              </div>
            </>
          ) : mayRun ? (
            creating
          ) : (
            <>
              <p class="notice notice-text">{tr(lang, acc.viewerNote, { org: org.name })}</p>
              <div class="start-grid">
                <JoinForm lang={lang} />
              </div>
            </>
          )}
          {org && !building && <OrgSessions lang={lang} org={org} list={orgList.list} load={orgList.load} />}
          {saved.length > 0 && !building && (
            <SavedList lang={lang} saved={saved} browserOnly onForget={(code) => updateSaved(removeSaved(saved, code))} />
          )}
          {(org || saved.length > 0) && !building && (
            <CompareOccasions
              lang={lang}
              saved={saved}
              org={org}
              orgSessions={orgList.list.state === 'ready' ? orgList.list.list : orgList.list.state === 'failed' ? [] : null}
            />
          )}
        </main>
      </>
    );
  }

  // Anonymous, as before accounts: the sessions of this browser, with their secret links.
  return (
    <>
      {header}
      <main id="main" class="page page-start">
        {titleBlock}
        {panelForm}
        {creating}
        {me?.first_run && panel !== 'setup' && !building && (
          <section class="card accounts-offer" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{tr(lang, acc.accountsTitle)}</h2>
            <p>{tr(lang, acc.setupOffer)}</p>
            <button type="button" class="btn" id="setup-open" onClick={() => openPanel('setup')}>
              {tr(lang, acc.setupButton)}
            </button>
          </section>
        )}
        <SavedList lang={lang} saved={saved} onForget={(code) => updateSaved(removeSaved(saved, code))} />
        <CompareOccasions lang={lang} saved={saved} />
      </main>
    </>
  );
}

/** "Sign in with {provider}": a link to the OpenID Connect sign-in, which comes back to this page (or
 * the console that sent the person here), and why the last try was refused, if it was. */
function OidcSignIn({ lang, name, error, firstRun = false }: { lang: Lang; name: string; error: OidcRefusal | null; firstRun?: boolean }) {
  return (
    <div class="oidc-signin">
      <p>
        <a id="oidc-signin" class="btn btn-primary btn-large" href={oidcStartHref(nextPath(location.search))}>
          {tr(lang, acc.oidcButton, { name })}
        </a>
      </p>
      {firstRun && <p class="muted">{tr(lang, acc.oidcFirstRun, { name })}</p>}
      {error && (
        <p id="oidc-error" role="alert" class="field-error">
          {tr(lang, acc[`oidc_${error}`])}
        </p>
      )}
    </div>
  );
}

function SignInForm({
  lang,
  onSignedIn,
  onCancel,
  focusOnMount = false,
  oidc = null,
  oidcError = null,
}: {
  lang: Lang;
  onSignedIn: (me: Me) => void;
  onCancel?: () => void;
  focusOnMount?: boolean;
  oidc?: { name: string } | null;
  oidcError?: OidcRefusal | null;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  // Wrong e-mail or password, rate limiting, no network: concerns both fields.
  const [formError, setFormError] = useState<{ text: string; both: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (focusOnMount) focusSoon('signin-title');
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const found: { email?: string; password?: string } = {};
    if (!email.trim()) found.email = tr(lang, acc.missing_email);
    if (!password) found.password = tr(lang, acc.missing_password);
    setErrors(found);
    setFormError(null);
    if (found.email || found.password) {
      focusSoon(found.email ? 'signin-email' : 'signin-password');
      return;
    }
    setBusy(true);
    const res = await signIn(email, password);
    setBusy(false);
    if (res.ok) {
      onSignedIn(res.data);
      return;
    }
    if (res.code === 'unauthorized' || res.status === 401) {
      setFormError({ text: tr(lang, acc.wrongPassword), both: true });
      setPassword('');
      focusSoon('signin-password');
      return;
    }
    setFormError({ text: failure(lang, res, tr(lang, acc.signInFailed)), both: false });
  };

  const wrong = formError?.both === true;
  return (
    <section class="card auth-card" aria-labelledby="signin-title">
      <h2 id="signin-title" tabIndex={-1}>
        {tr(lang, acc.signInTitle)}
      </h2>
      <p class="muted">{tr(lang, acc.signInLead)}</p>
      {oidc && (
        <>
          <OidcSignIn lang={lang} name={oidc.name} error={oidcError} />
          <p class="muted">{tr(lang, acc.oidcOr)}</p>
        </>
      )}
      <form onSubmit={submit} noValidate>
        <Field
          id="signin-email"
          label={tr(lang, acc.email)}
          type="email"
          value={email}
          onInput={(v) => {
            setEmail(v);
            setErrors((x) => ({ ...x, email: undefined }));
          }}
          autoComplete="username"
          error={errors.email}
          invalid={wrong}
          also="signin-error"
        />
        <Field
          id="signin-password"
          label={tr(lang, acc.password)}
          type="password"
          value={password}
          onInput={(v) => {
            setPassword(v);
            setErrors((x) => ({ ...x, password: undefined }));
          }}
          autoComplete="current-password"
          error={errors.password}
          invalid={wrong}
          also="signin-error"
        />
        <p id="signin-error" role="alert" class="field-error">
          {formError?.text ?? ''}
        </p>
        <p class="button-row">
          <button type="submit" class="btn btn-primary btn-large" disabled={busy}>
            {busy ? tr(lang, acc.signingIn) : tr(lang, acc.signInButton)}
          </button>
          {onCancel && (
            <button type="button" class="btn" onClick={onCancel}>
              {tr(lang, acc.cancel)}
            </button>
          )}
        </p>
      </form>
    </section>
  );
}

const SETUP_FIELDS: readonly SetupField[] = ['name', 'email', 'password', 'organisation'];

function SetupForm({
  lang,
  onDone,
  onCancel,
  onAlreadyDone,
}: {
  lang: Lang;
  onDone: (me: Me) => void;
  onCancel?: () => void;
  /** Someone created the administrator meanwhile (403): the page should ask for a sign-in. */
  onAlreadyDone: () => void;
}) {
  const [fields, setFields] = useState<SetupFields>({ name: '', email: '', password: '', organisation: '' });
  const [errors, setErrors] = useState<Partial<Record<SetupField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (onCancel) focusSoon('setup-title');
  }, []);

  const set = (f: SetupField) => (v: string) => {
    setFields((x) => ({ ...x, [f]: v }));
    setErrors((x) => ({ ...x, [f]: undefined }));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setFormError(null);
    const problems = setupProblems(fields);
    const found: Partial<Record<SetupField, string>> = {};
    for (const f of SETUP_FIELDS) {
      const p = problems[f];
      if (p) found[f] = tr(lang, acc[`${p}_${f}` as keyof typeof acc]);
    }
    setErrors(found);
    const first = SETUP_FIELDS.find((f) => found[f]);
    if (first) {
      focusSoon(`setup-${first}`);
      return;
    }
    setBusy(true);
    const res = await setUpServer(fields);
    setBusy(false);
    if (res.ok) {
      onDone(res.data);
      return;
    }
    if (res.code === 'forbidden' || res.status === 403) {
      // Either someone created the administrator meanwhile, or this browser is not on the server's own
      // machine (the server takes its first administrator only from there): /api/me tells which.
      const now = await fetchMe();
      if (now.ok && now.data.first_run) {
        setFormError(tr(lang, acc.setupRemote));
        return;
      }
      onAlreadyDone();
      return;
    }
    if (res.code === 'invalid_field') {
      const field = fieldOfMessage(res.message, SETUP_FIELDS) as SetupField | null;
      if (field) {
        setErrors({ [field]: tr(lang, acc[`invalid_${field}`]) });
        focusSoon(`setup-${field}`);
        return;
      }
      setFormError(`${tr(lang, acc.setupFailed)} ${res.message || tr(lang, errorMsg(res.code))}`);
      return;
    }
    setFormError(failure(lang, res, tr(lang, acc.setupFailed)));
  };

  return (
    <section class="card auth-card" aria-labelledby="setup-title">
      <h2 id="setup-title" tabIndex={-1}>
        {tr(lang, acc.setupTitle)}
      </h2>
      <p class="muted">{tr(lang, acc.setupLead)}</p>
      <form onSubmit={submit} noValidate>
        <AccountInputs prefix="setup" lang={lang} fields={fields} set={set} errors={errors} />
        <Field
          id="setup-organisation"
          label={tr(lang, acc.organisation)}
          value={fields.organisation}
          onInput={set('organisation')}
          autoComplete="organization"
          help={tr(lang, acc.organisationHelp)}
          error={errors.organisation}
          also="setup-error"
        />
        <p id="setup-error" role="alert" class="field-error">
          {formError ?? ''}
        </p>
        <p class="button-row">
          <button type="submit" class="btn btn-primary btn-large" disabled={busy}>
            {busy ? tr(lang, acc.settingUp) : tr(lang, acc.setupButton)}
          </button>
          {onCancel && (
            <button type="button" class="btn" onClick={onCancel}>
              {tr(lang, acc.cancel)}
            </button>
          )}
        </p>
      </form>
    </section>
  );
}

export type OrgList = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; list: OrgSession[] };

/**
 * The organisation's sessions from the server, shared by its list and "Compare occasions"; a 401
 * (the sign-in ran out meanwhile) makes the page ask again who is there.
 */
function useOrgSessions(org: Membership | null, onSignedOut: () => void): { list: OrgList; load: () => Promise<void> } {
  const [list, setList] = useState<OrgList>({ state: 'loading' });
  const load = async () => {
    if (!org) return;
    setList({ state: 'loading' });
    const res = await fetchOrgSessions(org.id);
    if (res.ok) {
      setList({ state: 'ready', list: res.data });
      return;
    }
    if (res.code === 'unauthorized' || res.status === 401) onSignedOut();
    setList({ state: 'failed' });
  };
  useEffect(() => {
    void load();
  }, [org?.id]);
  return { list, load };
}

/** The organisation's sessions, from the server: each opens its console (no key needed) and its screen. */
function OrgSessions({ lang, org, list, load }: { lang: Lang; org: Membership; list: OrgList; load: () => Promise<void> }) {
  const runs = canRun(org.role);
  return (
    <section class="saved" aria-labelledby="org-sessions-title" aria-busy={list.state === 'loading'}>
      <h2 id="org-sessions-title">{tr(lang, acc.orgSessions, { org: org.name })}</h2>
      <p class="muted small">{tr(lang, acc.orgSessionsHelp)}</p>
      {list.state === 'loading' && <p class="muted">{tr(lang, acc.loadingSessions)}</p>}
      {list.state === 'failed' && (
        <p class="button-row">
          <span class="field-error">{tr(lang, acc.sessionsFailed)}</span>
          <button type="button" class="btn btn-small" onClick={() => void load()}>
            {tr(lang, acc.retry)}
          </button>
        </p>
      )}
      {list.state === 'ready' && list.list.length === 0 && <p class="muted">{tr(lang, acc.noOrgSessions)}</p>}
      {list.state === 'ready' && list.list.length > 0 && (
        <ul class="saved-list">
          {list.list.map((s) => (
            <li key={s.code} class="saved-item">
              <div>
                <p class="saved-title" id={`org-session-${s.code}`}>
                  {s.title || tr(lang, start.untitled)}
                </p>
                <p class="muted small">
                  {tr(lang, acc[`kind_${s.kind}`])} · {tr(lang, start.codeCreated, { code: s.code, when: formatDateTime(lang, s.created_at) })}
                </p>
              </div>
              <div class="saved-actions">
                {runs && (
                  <a class="btn btn-primary" href={`/facilitate/${s.code}`} aria-describedby={`org-session-${s.code}`}>
                    {tr(lang, start.openConsole)}
                  </a>
                )}
                <a class="btn" href={`/screen/${s.code}`} aria-describedby={`org-session-${s.code}`}>
                  {tr(lang, start.openScreen)}
                </a>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function StartForm({ lang, org, onCreated }: { lang: Lang; org: string | null; onCreated: OnCreated }) {
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
    const body: { catalogue: string; title?: string; organisation?: string } = { catalogue: chosen };
    const trimmed = title.trim();
    if (trimmed) body.title = trimmed;
    if (org) body.organisation = org;
    const res = await request<CreatedSession>('/api/sessions', { method: 'POST', body });
    if (!res.ok) {
      setError(
        res.code === 'network'
          ? tr(lang, start.networkFailed)
          : `${tr(lang, start.createFailed)} ${res.code !== 'http' ? tr(lang, errorMsg(res.code)) : `(HTTP ${res.status})`}`,
      );
      setBusy(false);
      return;
    }
    onCreated(res.data, trimmed);
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
  org: string | null,
): Promise<{ created: CreatedSession } | { error: string }> {
  const body: { title?: string; items: unknown[]; organisation?: string } = { items };
  if (title) body.title = title;
  if (org) body.organisation = org;
  const res = await request<CreatedSession>('/api/sessions', { method: 'POST', body });
  if (res.ok) return { created: res.data };
  if (res.code === 'network') return { error: tr(lang, start.networkFailed) };
  return { error: res.message || `${tr(lang, errorMsg(res.code))} (HTTP ${res.status})` };
}

function SeminarCard({
  lang,
  org,
  onBuild,
  onCreated,
  buildRef,
}: {
  lang: Lang;
  org: string | null;
  onBuild: () => void;
  onCreated: OnCreated;
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
    const result = await createSeminar(lang, parsed.title, parsed.items, org);
    if ('error' in result) {
      setError(`${tr(lang, bld.importFailed)} ${result.error}`);
      setBusy(false);
      return;
    }
    onCreated(result.created, parsed.title ?? '');
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
  org,
  onCreated,
  onCancel,
}: {
  lang: Lang;
  org: string | null;
  onCreated: OnCreated;
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
    const result = await createSeminar(lang, set.title ?? null, set.items, org);
    if ('error' in result) {
      setError(result.error);
      setBusy(false);
      setTimeout(() => document.getElementById('builder-problems')?.focus(), 0);
      return;
    }
    onCreated(result.created, d.title.trim());
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
  browserOnly = false,
  onForget,
}: {
  lang: Lang;
  saved: SavedSession[];
  /** Signed in: these are only the older sessions of this browser, under a small heading. */
  browserOnly?: boolean;
  onForget: (code: string) => void;
}) {
  return (
    <section class={browserOnly ? 'saved saved-browser' : 'saved'} aria-labelledby="saved-title">
      <h2 id="saved-title" class={browserOnly ? 'heading-small' : undefined}>
        {tr(lang, browserOnly ? acc.savedHere : start.yourSessions)}
      </h2>
      <p class="muted small">{tr(lang, browserOnly ? acc.savedHereHelp : start.yourSessionsHelp)}</p>
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
