//! Organisation page (/organisations/{id}, or /organisation for the one chosen last): its name,
//! units (verksamhetsområden) and members with their roles, for every member to read. An admin
//! renames it, adds and removes units, changes roles, removes members (with a confirm step) and
//! creates invitation links; anyone leaves it; a signed-in person creates a new one. Above them,
//! the history and trend of its finished occasions (trend.tsx), its living plan (roadmap.tsx) and
//! the catalogue library (library.tsx).
//! Talks REST only (docs/protocol.md section 2a); no socket.

import { render } from 'preact';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import '../styles.css';
import {
  chooseOrganisation,
  fetchMe,
  rememberOrganisation,
  rememberedOrganisation,
  signInHref,
  type Me,
  type Membership,
  type Role,
} from '../lib/account';
import { acc } from '../lib/accountStrings';
import { formatDateTime } from '../lib/format';
import { Field, failure, focusSoon } from '../lib/forms';
import type { HttpResult } from '../lib/http';
import { translate as tr, type Lang } from '../lib/i18n';
import { useLang } from '../lib/live';
import {
  ROLE_ORDER,
  absoluteLink,
  addUnit,
  createOrganisation,
  fetchOrganisation,
  invite,
  organisationFromPath,
  organisationHref,
  removeMember,
  removeUnit,
  renameOrganisation,
  setRole,
  type CreatedInvitation,
  type Member,
  type Organisation,
} from '../lib/organisation';
import { org as o, roleName, roleWord } from '../lib/orgStrings';
import { common } from '../lib/strings';
import { LangToggle } from '../lib/ui';
import { CopyLink } from '../lib/copy';
import { LibrarySection } from './library';
import { PlanSection } from './roadmap';
import { TrendSection } from './trend';

type MeState = { state: 'loading' } | { state: 'none' } | { state: 'ready'; me: Me };
type OrgState = { state: 'loading' } | { state: 'failed'; code: string } | { state: 'ready'; org: Organisation };

type Failure = Extract<HttpResult<unknown>, { ok: false }>;

/** The words for a refused change: the last admin's rule in the page's language, else the lead and the reason. */
function refusal(lang: Lang, res: Failure, lead: string): string {
  if (res.status === 403 && /admin/i.test(res.message)) return tr(lang, o.lastAdmin);
  if (res.code === 'invalid_field' && res.message) return `${lead} ${res.message}`;
  return failure(lang, res, lead);
}

function App() {
  const [lang, setLang] = useLang();
  const [meState, setMeState] = useState<MeState>({ state: 'loading' });
  const [orgId, setOrgId] = useState<string | null>(() => organisationFromPath(location.pathname));
  const [orgState, setOrgState] = useState<OrgState>({ state: 'loading' });
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

  const loadOrg = async (id: string, quiet = false) => {
    if (!quiet) setOrgState({ state: 'loading' });
    const res = await fetchOrganisation(id);
    if (res.ok) {
      setOrgState({ state: 'ready', org: res.data });
      rememberOrganisation(id);
      return res.data;
    }
    // Signed out meanwhile (or removed from the organisation and so the account): ask again who is there.
    if (res.status === 401) void loadMe();
    setOrgState({ state: 'failed', code: res.code });
    return null;
  };

  useEffect(() => {
    void loadMe();
    const onPop = () => setOrgId(organisationFromPath(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const me = meState.state === 'ready' ? meState.me : null;
  const account = me?.account ?? null;

  // `/organisation`: the organisation chosen last on the start page, else the first.
  useEffect(() => {
    if (orgId || !me?.account) return;
    const chosen = chooseOrganisation(me.organisations, rememberedOrganisation());
    if (!chosen) return;
    history.replaceState(null, '', organisationHref(chosen.id));
    setOrgId(chosen.id);
  }, [me, orgId]);

  useEffect(() => {
    if (orgId && account) void loadOrg(orgId);
  }, [orgId, account?.id]);

  const current = orgState.state === 'ready' ? orgState.org : null;
  useEffect(() => {
    document.title = current ? tr(lang, o.docTitle, { org: current.name }) : `${tr(lang, o.pageTitle)} – ${tr(lang, common.appName)}`;
  }, [lang, current?.name]);

  const goTo = (id: string) => {
    history.pushState(null, '', organisationHref(id));
    setOrgId(id);
  };

  const created = async (made: Membership) => {
    await loadMe();
    goTo(made.id);
    announce(tr(lang, o.created, { name: made.name }));
    focusSoon('page-title');
  };

  const header = (
    <header class="topbar topbar-wrap">
      <span class="brand">{tr(lang, common.appName)}</span>
      <div class={account ? 'topbar-info topbar-account' : 'topbar-info'}>
        {account && <span class="topbar-person">{account.name}</span>}
      </div>
      <a class="lang-toggle topbar-link" href="/">
        {tr(lang, o.toStart)}
      </a>
      <LangToggle lang={lang} setLang={setLang} />
    </header>
  );
  const status = (
    <div role="status" class={notice ? 'notice notice-ok' : 'notice-empty'}>
      {notice ?? ''}
    </div>
  );

  let body;
  if (meState.state === 'loading' || (account && orgId && orgState.state === 'loading' && !current)) {
    body = (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {tr(lang, o.pageTitle)}
        </h1>
        {status}
        <p class="muted">{tr(lang, o.loading)}</p>
      </>
    );
  } else if (!account) {
    body = (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {tr(lang, o.pageTitle)}
        </h1>
        {status}
        <p>{meState.state === 'none' ? tr(lang, acc.networkFailed) : tr(lang, o.signInFirst)}</p>
        <p class="button-row">
          <a class="btn btn-primary" href={signInHref(location.pathname)}>
            {tr(lang, acc.signInTitle)}
          </a>
          <a class="btn" href="/">
            {tr(lang, o.toStart)}
          </a>
        </p>
      </>
    );
  } else if (!orgId || (orgState.state === 'failed' && !current)) {
    const none = !orgId;
    const code = orgState.state === 'failed' ? orgState.code : '';
    body = (
      <>
        <h1 id="page-title" tabIndex={-1}>
          {tr(lang, o.pageTitle)}
        </h1>
        {status}
        <p class="notice notice-text">
          {none ? tr(lang, o.noOrganisation) : code === 'forbidden' || code === 'http' ? tr(lang, o.notMember) : tr(lang, o.loadFailed)}
        </p>
        {!none && code !== 'forbidden' && code !== 'http' && (
          <p>
            <button type="button" class="btn" onClick={() => void loadOrg(orgId)}>
              {tr(lang, acc.retry)}
            </button>
          </p>
        )}
        {me && me.organisations.length > 0 && <OrgSwitch lang={lang} orgs={me.organisations} current={orgId} onShow={goTo} />}
        <div class="org-grid">
          <NewOrganisation lang={lang} onCreated={(m) => void created(m)} />
        </div>
      </>
    );
  } else if (current) {
    body = (
      <OrganisationView
        key={current.id}
        lang={lang}
        org={current}
        me={me!}
        status={status}
        announce={announce}
        reload={() => loadOrg(current.id, true)}
        onRenamed={() => void loadMe()}
        onShow={goTo}
        onCreated={(m) => void created(m)}
      />
    );
  }

  return (
    <>
      {header}
      <main id="main" class="page org-page">
        {body}
      </main>
    </>
  );
}

/** Another of the person's organisations, chosen with a button (a select alone must not change the page). */
function OrgSwitch({ lang, orgs, current, onShow }: { lang: Lang; orgs: Membership[]; current: string | null; onShow: (id: string) => void }) {
  const others = orgs.filter((m) => m.id !== current);
  const [chosen, setChosen] = useState(others[0]?.id ?? '');
  if (others.length === 0) return null;
  return (
    <form
      class="org-switch"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen) onShow(chosen);
      }}
    >
      <label for="org-switch">{tr(lang, o.otherOrganisation)}</label>
      <div class="inline-form">
        <select id="org-switch" value={chosen} onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}>
          {others.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        <button type="submit" class="btn">
          {tr(lang, o.show)}
        </button>
      </div>
    </form>
  );
}

interface ViewProps {
  lang: Lang;
  org: Organisation;
  me: Me;
  status: ComponentChildren;
  announce: (text: string) => void;
  reload: () => Promise<Organisation | null>;
  onRenamed: () => void;
  onShow: (id: string) => void;
  onCreated: (m: Membership) => void;
}

function OrganisationView({ lang, org, me, status, announce, reload, onRenamed, onShow, onCreated }: ViewProps) {
  const admin = org.role === 'admin';
  const you = org.members.find((m) => m.you);
  const [indicators, setIndicators] = useState<string[]>([]);
  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {org.name}
      </h1>
      <p class="lead">
        {tr(lang, o.yourRole, { role: roleWord(lang, org.role) })}
        {!admin && ` ${tr(lang, o.readOnly)}`}
      </p>
      {status}
      <div class="org-history">
        <TrendSection lang={lang} org={org} announce={announce} onLoaded={(t) => setIndicators(t.indicators.map((l) => l.id))} />
        <PlanSection lang={lang} org={org} announce={announce} indicators={indicators} />
        <LibrarySection lang={lang} org={org} announce={announce} />
      </div>
      <div class="org-grid">
        <div class="org-main">
          <Members lang={lang} org={org} announce={announce} reload={reload} />
          {admin && <Invite lang={lang} org={org} announce={announce} />}
        </div>
        <div class="org-side">
          <Units lang={lang} org={org} announce={announce} reload={reload} />
          {admin && (
            <Rename
              lang={lang}
              org={org}
              onDone={async (name) => {
                await reload();
                onRenamed();
                announce(tr(lang, o.renamed, { name }));
              }}
            />
          )}
          {you && <Leave lang={lang} org={org} you={you} />}
          {me.organisations.length > 1 && (
            <section class="card" aria-labelledby="switch-title">
              <h2 id="switch-title">{tr(lang, acc.organisationPick)}</h2>
              <OrgSwitch lang={lang} orgs={me.organisations} current={org.id} onShow={onShow} />
            </section>
          )}
          <NewOrganisation lang={lang} onCreated={onCreated} />
        </div>
      </div>
    </>
  );
}

function Members({
  lang,
  org,
  announce,
  reload,
}: {
  lang: Lang;
  org: Organisation;
  announce: (text: string) => void;
  reload: () => Promise<Organisation | null>;
}) {
  const admin = org.role === 'admin';
  return (
    <section class="card" aria-labelledby="members-title">
      <h2 id="members-title" tabIndex={-1}>
        {tr(lang, o.membersTitle)}
      </h2>
      <p class="muted small">{tr(lang, o.membersCount, { n: org.members.length })}</p>
      <ul class="member-list">
        {org.members.map((m) => (
          <MemberRow key={m.id} lang={lang} org={org} member={m} admin={admin} announce={announce} reload={reload} />
        ))}
      </ul>
    </section>
  );
}

function MemberRow({
  lang,
  org,
  member,
  admin,
  announce,
  reload,
}: {
  lang: Lang;
  org: Organisation;
  member: Member;
  admin: boolean;
  announce: (text: string) => void;
  reload: () => Promise<Organisation | null>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  // The select shows what was asked at once; a refused change puts the server's role back.
  const [shown, setShown] = useState<Role>(member.role);
  useEffect(() => setShown(member.role), [member.role]);
  const base = `member-${member.id}`;

  const changeRole = async (role: Role) => {
    if (role === member.role || busy) return;
    setShown(role);
    setError(null);
    setBusy(true);
    const res = await setRole(org.id, member.id, role);
    setBusy(false);
    if (!res.ok) {
      setShown(member.role);
      setError(refusal(lang, res, tr(lang, o.roleFailed)));
      return;
    }
    await reload();
    announce(tr(lang, o.roleChanged, { name: member.name, role: roleWord(lang, role) }));
  };

  const remove = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const res = await removeMember(org.id, member.id);
    setBusy(false);
    setConfirming(false);
    if (!res.ok) {
      setError(refusal(lang, res, tr(lang, o.removeFailed, { name: member.name })));
      focusSoon(`${base}-remove`);
      return;
    }
    announce(tr(lang, o.removed, { name: member.name }));
    await reload();
    focusSoon('members-title');
  };

  return (
    <li class="member" aria-labelledby={`${base}-name`}>
      <div class="member-who">
        <p class="member-name" id={`${base}-name`}>
          {member.name} {member.you && <span class="muted">{tr(lang, o.you)}</span>}
        </p>
        <p class="muted small member-email">{member.email}</p>
      </div>
      <div class="member-role">
        {admin ? (
          <>
            <label for={`${base}-role`} class="sr-only">
              {tr(lang, o.roleFor, { name: member.name })}
            </label>
            <select
              id={`${base}-role`}
              value={shown}
              disabled={busy}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${base}-error`}
              onChange={(e) => void changeRole((e.currentTarget as HTMLSelectElement).value as Role)}
            >
              {ROLE_ORDER.map((r) => (
                <option key={r} value={r}>
                  {tr(lang, roleName(r))}
                </option>
              ))}
            </select>
          </>
        ) : (
          <span class="role-badge">{tr(lang, roleName(member.role))}</span>
        )}
      </div>
      {admin && !member.you && (
        <div class="member-actions">
          {confirming ? (
            <div class="confirm" role="group" aria-labelledby={`${base}-confirm`}>
              <p id={`${base}-confirm`} tabIndex={-1}>
                {tr(lang, o.removeConfirm, { name: member.name })}
              </p>
              <p class="button-row">
                <button type="button" class="btn btn-danger-solid" disabled={busy} onClick={() => void remove()}>
                  {tr(lang, o.removeYes, { name: member.name })}
                </button>
                <button
                  type="button"
                  class="btn"
                  onClick={() => {
                    setConfirming(false);
                    focusSoon(`${base}-remove`);
                  }}
                >
                  {tr(lang, o.cancel)}
                </button>
              </p>
            </div>
          ) : (
            <button
              type="button"
              id={`${base}-remove`}
              class="btn btn-small btn-danger"
              aria-describedby={`${base}-name ${base}-error`}
              onClick={() => {
                setConfirming(true);
                setError(null);
                focusSoon(`${base}-confirm`);
              }}
            >
              {tr(lang, o.remove)}
            </button>
          )}
        </div>
      )}
      <p id={`${base}-error`} role="alert" class="field-error member-error">
        {error ?? ''}
      </p>
    </li>
  );
}

function Units({
  lang,
  org,
  announce,
  reload,
}: {
  lang: Lang;
  org: Organisation;
  announce: (text: string) => void;
  reload: () => Promise<Organisation | null>;
}) {
  const admin = org.role === 'admin';
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);

  const add = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setError(tr(lang, o.missingUnit));
      focusSoon('unit-name');
      return;
    }
    setBusy(true);
    setError(null);
    const res = await addUnit(org.id, name);
    setBusy(false);
    if (!res.ok) {
      setError(refusal(lang, res, tr(lang, o.unitAddFailed)));
      focusSoon('unit-name');
      return;
    }
    setName('');
    await reload();
    announce(tr(lang, o.unitAdded, { name: res.data.name }));
    focusSoon('unit-name');
  };

  const remove = async (id: string, unitName: string) => {
    setRemoveError(null);
    const res = await removeUnit(org.id, id);
    if (!res.ok) {
      setRemoveError(refusal(lang, res, tr(lang, o.unitRemoveFailed, { name: unitName })));
      return;
    }
    await reload();
    announce(tr(lang, o.unitRemoved, { name: unitName }));
    focusSoon(admin ? 'unit-name' : 'units-title');
  };

  return (
    <section class="card" aria-labelledby="units-title">
      <h2 id="units-title" tabIndex={-1}>
        {tr(lang, o.unitsTitle)}
      </h2>
      <p class="muted small">{tr(lang, o.unitsHelp)}</p>
      {org.units.length === 0 ? (
        <p class="muted">{tr(lang, o.noUnits)}</p>
      ) : (
        <ul class="unit-list">
          {org.units.map((u) => (
            <li key={u.id} class="unit">
              <span>{u.name}</span>
              {admin && (
                <button
                  type="button"
                  class="btn btn-small btn-quiet"
                  aria-label={tr(lang, o.removeUnitLabel, { name: u.name })}
                  onClick={() => void remove(u.id, u.name)}
                >
                  {tr(lang, o.removeUnit)}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <p role="alert" class="field-error">
        {removeError ?? ''}
      </p>
      {admin && (
        <form onSubmit={add} noValidate>
          <Field
            id="unit-name"
            label={tr(lang, o.unitLabel)}
            value={name}
            onInput={(v) => {
              setName(v);
              setError(null);
            }}
            autoComplete="off"
            error={error}
          />
          <button type="submit" class="btn" disabled={busy}>
            {tr(lang, o.addUnit)}
          </button>
        </form>
      )}
    </section>
  );
}

function Rename({ lang, org, onDone }: { lang: Lang; org: Organisation; onDone: (name: string) => Promise<void> }) {
  const [name, setName] = useState(org.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (!trimmed) {
      setError(tr(lang, o.missingName));
      focusSoon('org-name');
      return;
    }
    setBusy(true);
    setError(null);
    const res = await renameOrganisation(org.id, trimmed);
    setBusy(false);
    if (!res.ok) {
      setError(refusal(lang, res, tr(lang, o.renameFailed)));
      focusSoon('org-name');
      return;
    }
    await onDone(trimmed);
  };
  return (
    <section class="card" aria-labelledby="name-title">
      <h2 id="name-title">{tr(lang, o.nameTitle)}</h2>
      <form onSubmit={submit} noValidate>
        <Field
          id="org-name"
          label={tr(lang, o.nameLabel)}
          value={name}
          onInput={(v) => {
            setName(v);
            setError(null);
          }}
          autoComplete="organization"
          error={error}
        />
        <button type="submit" class="btn" disabled={busy || name.trim() === org.name}>
          {tr(lang, o.rename)}
        </button>
      </form>
    </section>
  );
}

function Invite({ lang, org, announce }: { lang: Lang; org: Organisation; announce: (text: string) => void }) {
  const [role, setRoleChoice] = useState<Role>('facilitator');
  const [made, setMade] = useState<CreatedInvitation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const linkRef = useRef<HTMLInputElement>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const res = await invite(org.id, role);
    setBusy(false);
    if (!res.ok) {
      setError(refusal(lang, res, tr(lang, o.inviteFailed)));
      return;
    }
    setMade(res.data);
    announce(tr(lang, o.inviteCreated, { date: formatDateTime(lang, res.data.expires_at) }));
    setTimeout(() => linkRef.current?.select(), 0);
    focusSoon('invite-link');
  };
  const url = made ? absoluteLink(location.origin, made.link) : '';
  return (
    <section class="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{tr(lang, o.inviteTitle)}</h2>
      <p class="muted small">{tr(lang, o.inviteHelp)}</p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{tr(lang, o.inviteRole)}</legend>
          {(['facilitator', 'viewer', 'admin'] as const).map((r) => (
            <label class="radio-card" key={r}>
              <input type="radio" name="invite-role" value={r} checked={role === r} onChange={() => setRoleChoice(r)} />
              <span>
                <span class="radio-title">{tr(lang, roleName(r))}</span>
                <span class="radio-def">{tr(lang, o[`roleHelp_${r}`])}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <p role="alert" class="field-error">
          {error ?? ''}
        </p>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? tr(lang, o.inviting) : tr(lang, o.inviteButton)}
        </button>
      </form>
      {made && (
        <CopyLink
          id="invite-link"
          lang={lang}
          label={tr(lang, o.inviteLink, { role: roleWord(lang, made.role) })}
          url={url}
          help={tr(lang, o.inviteExpires, { date: formatDateTime(lang, made.expires_at) })}
          inputRef={linkRef}
        />
      )}
    </section>
  );
}

function Leave({ lang, org, you }: { lang: Lang; org: Organisation; you: Member }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const leave = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const res = await removeMember(org.id, you.id);
    setBusy(false);
    if (!res.ok) {
      setConfirming(false);
      setError(refusal(lang, res, tr(lang, o.leaveFailed)));
      focusSoon('leave-open');
      return;
    }
    location.assign('/?left');
  };
  return (
    <section class="card" aria-labelledby="leave-title">
      <h2 id="leave-title">{tr(lang, o.leaveTitle)}</h2>
      <p class="muted small" id="leave-help">
        {tr(lang, o.leaveHelp)}
      </p>
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby="leave-confirm">
          <p id="leave-confirm" tabIndex={-1}>
            {tr(lang, o.leaveConfirm, { org: org.name })}
          </p>
          <p class="button-row">
            <button type="button" class="btn btn-danger-solid" disabled={busy} onClick={() => void leave()}>
              {tr(lang, o.leaveYes, { org: org.name })}
            </button>
            <button
              type="button"
              class="btn"
              onClick={() => {
                setConfirming(false);
                focusSoon('leave-open');
              }}
            >
              {tr(lang, o.cancel)}
            </button>
          </p>
        </div>
      ) : (
        <button
          type="button"
          id="leave-open"
          class="btn btn-danger"
          aria-describedby="leave-help leave-error"
          onClick={() => {
            setConfirming(true);
            setError(null);
            focusSoon('leave-confirm');
          }}
        >
          {tr(lang, o.leave)}
        </button>
      )}
      <p id="leave-error" role="alert" class="field-error">
        {error ?? ''}
      </p>
    </section>
  );
}

function NewOrganisation({ lang, onCreated }: { lang: Lang; onCreated: (m: Membership) => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setError(tr(lang, o.missingName));
      focusSoon('new-org-name');
      return;
    }
    setBusy(true);
    setError(null);
    const res = await createOrganisation(name);
    setBusy(false);
    if (!res.ok) {
      setError(refusal(lang, res, tr(lang, o.newFailed)));
      focusSoon('new-org-name');
      return;
    }
    setName('');
    onCreated(res.data);
  };
  return (
    <section class="card" aria-labelledby="new-org-title">
      <h2 id="new-org-title">{tr(lang, o.newTitle)}</h2>
      <p class="muted small">{tr(lang, o.newHelp)}</p>
      <form onSubmit={submit} noValidate>
        <Field
          id="new-org-name"
          label={tr(lang, o.newLabel)}
          value={name}
          onInput={(v) => {
            setName(v);
            setError(null);
          }}
          autoComplete="organization"
          help={tr(lang, acc.organisationHelp)}
          error={error}
        />
        <button type="submit" class="btn" disabled={busy}>
          {tr(lang, o.newButton)}
        </button>
      </form>
    </section>
  );
}

render(<App />, document.getElementById('app')!);
