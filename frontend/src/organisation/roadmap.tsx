//! "Handlingsplan" on the organisation page: the living plan as a roadmap by quarter ("Utan
//! kvartal" last), each action with its indicator, owner, due date, status, latest note and
//! history. Facilitators and admins add actions, change their status with a note, change their
//! details and delete them (with a confirm step), and put the open ones to a wide audience as a
//! seminar; viewers read. REST only (`…/plan`); a refused field is explained beside it.

import { useEffect, useState } from 'preact/hooks';
import { canRun } from '../lib/account';
import { formatDateTime, formatIsoDate } from '../lib/format';
import { focusSoon } from '../lib/forms';
import { hist as h, statusName, statusWord } from '../lib/historyStrings';
import type { HttpResult } from '../lib/http';
import { translate as tr, type Lang } from '../lib/i18n';
import { absoluteLink, type Organisation } from '../lib/organisation';
import type { PlanAction, PlanStatus } from '../lib/protocol';
import {
  EMPTY_FIELDS,
  PLAN_STATUSES,
  addAction,
  changeAction,
  deleteAction,
  editBody,
  fetchPlan,
  fieldsOf,
  groupByQuarter,
  makeSeminar,
  planCsvHref,
  planFieldOfMessage,
  planIcsHref,
  statusBody,
  type ActionFields,
  type PlanField,
  type PlanSeminar,
} from '../lib/roadmap';
import { errorMsg } from '../lib/strings';
import { acc } from '../lib/accountStrings';

type Failure = Extract<HttpResult<unknown>, { ok: false }>;
type Errors = Partial<Record<PlanField, string>>;
type Loaded = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; plan: PlanAction[] };

/** A refusal split into the field it names (with words for it) or the form as a whole. */
function refusal(lang: Lang, res: Failure, lead: string): { field: PlanField | null; text: string } {
  if (res.code === 'invalid_field' && res.message) {
    const field = planFieldOfMessage(res.message);
    const said = res.message.replace(/^\s*[a-z_]+\s*:\s*/, '');
    if (field === 'due') return { field, text: tr(lang, h.badDue) };
    if (field === 'quarter') return { field, text: tr(lang, h.badQuarter) };
    if (field === 'text' && /needs a text/.test(said)) return { field, text: tr(lang, h.missingText) };
    if (field) return { field, text: said };
    return { field: null, text: `${lead} ${res.message}` };
  }
  if (res.code === 'network') return { field: null, text: tr(lang, acc.networkFailed) };
  return { field: null, text: `${lead} ${tr(lang, errorMsg(res.code))}` };
}

export function quarterTitle(lang: Lang, quarter: string | null): string {
  if (!quarter) return tr(lang, h.noQuarter);
  const [year, q] = quarter.split('-Q');
  return tr(lang, h.quarterName, { year, q });
}

export function PlanSection({
  lang,
  org,
  announce,
  indicators,
}: {
  lang: Lang;
  org: Organisation;
  announce: (text: string) => void;
  /** Indicator ids to offer in the indicator field. */
  indicators: string[];
}) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const editor = canRun(org.role);

  const load = async () => {
    const res = await fetchPlan(org.id);
    setLoaded(res.ok ? { state: 'ready', plan: res.data } : { state: 'failed' });
  };
  useEffect(() => {
    setLoaded({ state: 'loading' });
    void load();
  }, [org.id]);

  const plan = loaded.state === 'ready' ? loaded.plan : [];
  const groups = groupByQuarter(plan);

  return (
    <section class="card plan-section" aria-labelledby="plan-title">
      <h2 id="plan-title" tabIndex={-1}>
        {tr(lang, h.planTitle)}
      </h2>
      <p class="muted">{tr(lang, h.planLead)}</p>
      <p class="button-row">
        <a class="btn" href={planCsvHref(org.id, lang)} download aria-describedby="plan-exports-help">
          {tr(lang, h.planCsv)}
        </a>
        <a class="btn" href={planIcsHref(org.id, lang)} download aria-describedby="plan-exports-help">
          {tr(lang, h.planIcs)}
        </a>
      </p>
      <p id="plan-exports-help" class="muted small">
        {tr(lang, h.planExportsHelp)}
      </p>
      {!editor && <p class="muted">{tr(lang, h.planReadOnly)}</p>}
      {editor && (
        <AddAction
          lang={lang}
          org={org}
          indicators={indicators}
          onAdded={async (a) => {
            await load();
            announce(tr(lang, h.added, { text: a.text }));
          }}
        />
      )}
      {loaded.state === 'loading' && <p class="muted">{tr(lang, h.planLoading)}</p>}
      {loaded.state === 'failed' && (
        <div>
          <p class="notice notice-text">{tr(lang, h.planFailed)}</p>
          <button type="button" class="btn" onClick={() => void load()}>
            {tr(lang, h.retry)}
          </button>
        </div>
      )}
      {loaded.state === 'ready' && plan.length === 0 && <p class="muted">{tr(lang, h.planEmpty)}</p>}
      {groups.map((g) => {
        const gid = `plan-q-${g.quarter ?? 'none'}`;
        return (
          <section key={g.quarter ?? '-'} class="plan-quarter" aria-labelledby={gid}>
            <h3 id={gid}>
              {quarterTitle(lang, g.quarter)} <span class="muted small">({tr(lang, h.actionsCount, { n: g.actions.length })})</span>
            </h3>
            <ul class="roadmap-list">
              {g.actions.map((a) => (
                <ActionCard key={a.id} lang={lang} org={org} action={a} editor={editor} indicators={indicators} announce={announce} reload={load} />
              ))}
            </ul>
          </section>
        );
      })}
      {editor && <SeminarBox lang={lang} org={org} announce={announce} />}
    </section>
  );
}

/** One labelled field of the plan's forms: text, date or a longer note, with its help and its own error. */
function PField({
  id,
  label,
  value,
  onInput,
  type = 'text',
  help,
  error,
  list,
  required = false,
}: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'date' | 'textarea';
  help?: string;
  error?: string;
  list?: string;
  required?: boolean;
}) {
  const describedBy = [help ? `${id}-help` : null, `${id}-error`].filter(Boolean).join(' ');
  const common = {
    id,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': required ? true : undefined,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {help && (
        <p id={`${id}-help`} class="muted small field-help">
          {help}
        </p>
      )}
      {type === 'textarea' ? <textarea rows={2} {...common} /> : <input type={type} autoComplete="off" list={list} {...common} />}
      <p id={`${id}-error`} class="field-error">
        {error ?? ''}
      </p>
    </div>
  );
}

/** The fields of an action (add and change); the note only when adding. */
function ActionFieldsView({
  lang,
  base,
  f,
  set,
  errors,
  indicators,
  withNote,
}: {
  lang: Lang;
  base: string;
  f: ActionFields;
  set: (k: keyof ActionFields, v: string) => void;
  errors: Errors;
  indicators: string[];
  withNote: boolean;
}) {
  return (
    <>
      <PField id={`${base}-text`} label={tr(lang, h.lText)} value={f.text} onInput={(v) => set('text', v)} error={errors.text} type="textarea" required />
      <div class="plan-fields">
        <PField
          id={`${base}-indicator`}
          label={tr(lang, h.lIndicator)}
          value={f.indicator}
          onInput={(v) => set('indicator', v)}
          help={tr(lang, h.hIndicator)}
          error={errors.indicator}
          list={indicators.length > 0 ? 'plan-indicators' : undefined}
        />
        <PField id={`${base}-owner`} label={tr(lang, h.lOwner)} value={f.owner} onInput={(v) => set('owner', v)} error={errors.owner} />
        <PField id={`${base}-due`} label={tr(lang, h.lDue)} value={f.due} onInput={(v) => set('due', v)} error={errors.due} type="date" />
        <PField
          id={`${base}-quarter`}
          label={tr(lang, h.lQuarter)}
          value={f.quarter}
          onInput={(v) => set('quarter', v)}
          help={tr(lang, h.hQuarter)}
          error={errors.quarter}
        />
      </div>
      {withNote && <PField id={`${base}-note`} label={tr(lang, h.lNote)} value={f.note} onInput={(v) => set('note', v)} error={errors.note} type="textarea" />}
    </>
  );
}

function AddAction({
  lang,
  org,
  indicators,
  onAdded,
}: {
  lang: Lang;
  org: Organisation;
  indicators: string[];
  onAdded: (a: PlanAction) => Promise<void>;
}) {
  const [f, setF] = useState<ActionFields>(EMPTY_FIELDS);
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k: keyof ActionFields, v: string) => {
    setF((old) => ({ ...old, [k]: v }));
    setErrors((old) => ({ ...old, [k]: undefined }));
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setGeneral('');
    if (!f.text.trim()) {
      setErrors({ text: tr(lang, h.missingText) });
      focusSoon('plan-add-text');
      return;
    }
    setBusy(true);
    const res = await addAction(org.id, f);
    setBusy(false);
    if (!res.ok) {
      const r = refusal(lang, res, tr(lang, h.addFailed));
      if (r.field) {
        setErrors({ [r.field]: r.text });
        focusSoon(`plan-add-${r.field}`);
      } else setGeneral(r.text);
      return;
    }
    setF(EMPTY_FIELDS);
    setErrors({});
    await onAdded(res.data);
    focusSoon('plan-add-text');
  };
  return (
    <section class="plan-add" aria-labelledby="plan-add-title">
      <h3 id="plan-add-title">{tr(lang, h.addTitle)}</h3>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ActionFieldsView lang={lang} base="plan-add" f={f} set={set} errors={errors} indicators={indicators} withNote />
        {indicators.length > 0 && (
          <datalist id="plan-indicators">
            {indicators.map((id) => (
              <option key={id} value={id} />
            ))}
          </datalist>
        )}
        <p role="alert" class="field-error">
          {general}
        </p>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? tr(lang, h.adding) : tr(lang, h.add)}
        </button>
      </form>
    </section>
  );
}

function ActionCard({
  lang,
  org,
  action: a,
  editor,
  indicators,
  announce,
  reload,
}: {
  lang: Lang;
  org: Organisation;
  action: PlanAction;
  editor: boolean;
  indicators: string[];
  announce: (text: string) => void;
  reload: () => Promise<void>;
}) {
  const base = `action-${a.id.replace(/[^\w-]/g, '_')}`;
  return (
    <li class={`roadmap-action roadmap-${a.status}`} aria-labelledby={`${base}-title`}>
      <div class="roadmap-head">
        <h4 id={`${base}-title`} tabIndex={-1}>
          {a.text}
        </h4>
        <span class={`plan-status plan-status-${a.status}`}>{tr(lang, statusName(a.status))}</span>
      </div>
      <dl class="roadmap-facts">
        {a.indicator && (
          <div>
            <dt>{tr(lang, h.fIndicator)}</dt>
            <dd>{a.indicator}</dd>
          </div>
        )}
        {a.owner && (
          <div>
            <dt>{tr(lang, h.fOwner)}</dt>
            <dd>{a.owner}</dd>
          </div>
        )}
        {a.due && (
          <div>
            <dt>{tr(lang, h.fDue)}</dt>
            <dd>{formatIsoDate(lang, a.due)}</dd>
          </div>
        )}
        <div>
          <dt>{tr(lang, h.fStatus)}</dt>
          <dd>{tr(lang, statusName(a.status))}</dd>
        </div>
        {a.note && (
          <div class="roadmap-note">
            <dt>{tr(lang, h.fNote)}</dt>
            <dd>{a.note}</dd>
          </div>
        )}
      </dl>
      {a.session && <p class="muted small">{tr(lang, h.fromWorkshop, { code: a.session })}</p>}
      <details class="more roadmap-history">
        <summary>{tr(lang, h.historyToggle, { n: a.history.length })}</summary>
        <div class="table-scroll">
          <table class="dist-table">
            <caption class="sr-only">{tr(lang, h.historyCaption, { text: a.text })}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(lang, h.colWhen)}</th>
                <th scope="col">{tr(lang, h.colWho)}</th>
                <th scope="col">{tr(lang, h.colStatus)}</th>
                <th scope="col">{tr(lang, h.colNote)}</th>
              </tr>
            </thead>
            <tbody>
              {a.history.map((s, i) => (
                <tr key={i}>
                  <td>{formatDateTime(lang, s.at)}</td>
                  <td>{s.by || tr(lang, h.nobody)}</td>
                  <td>{tr(lang, statusName(s.status))}</td>
                  <td>{s.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      {editor && <StatusForm lang={lang} org={org} action={a} base={base} announce={announce} reload={reload} />}
      {editor && <EditAction lang={lang} org={org} action={a} base={base} indicators={indicators} announce={announce} reload={reload} />}
      {editor && <RemoveAction lang={lang} org={org} action={a} base={base} announce={announce} reload={reload} />}
    </li>
  );
}

interface ChangeProps {
  lang: Lang;
  org: Organisation;
  action: PlanAction;
  base: string;
  announce: (text: string) => void;
  reload: () => Promise<void>;
}

function StatusForm({ lang, org, action: a, base, announce, reload }: ChangeProps) {
  const [status, setStatus] = useState<PlanStatus>(a.status);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setStatus(a.status), [a.status]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setError('');
    setBusy(true);
    const res = await changeAction(org.id, a.id, statusBody(status, note));
    setBusy(false);
    if (!res.ok) {
      const r = refusal(lang, res, tr(lang, h.statusFailed));
      setError(r.text);
      focusSoon(r.field === 'note' ? `${base}-note` : `${base}-status`);
      return;
    }
    setNote('');
    await reload();
    announce(tr(lang, h.statusSaved, { text: a.text, status: statusWord(lang, res.data.status) }));
    focusSoon(`${base}-title`);
  };
  return (
    <form class="roadmap-status" onSubmit={(e) => void submit(e)} aria-label={`${tr(lang, h.statusTitle)}: ${a.text}`} noValidate>
      <div class="field">
        <label for={`${base}-status`}>{tr(lang, h.lNewStatus)}</label>
        <select
          id={`${base}-status`}
          value={status}
          aria-describedby={`${base}-status-error`}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as PlanStatus)}
        >
          {PLAN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {tr(lang, statusName(s))}
            </option>
          ))}
        </select>
      </div>
      <div class="field roadmap-status-note">
        <label for={`${base}-note`}>{tr(lang, h.lStatusNote)}</label>
        <input
          id={`${base}-note`}
          type="text"
          autoComplete="off"
          value={note}
          aria-describedby={`${base}-status-error`}
          onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <button type="submit" class="btn" disabled={busy}>
        {tr(lang, h.saveStatus)}
      </button>
      <p id={`${base}-status-error`} class="field-error roadmap-error">
        {error}
      </p>
    </form>
  );
}

function EditAction({ lang, org, action: a, base, indicators, announce, reload }: ChangeProps & { indicators: string[] }) {
  const [open, setOpen] = useState(false);
  const [f, setF] = useState<ActionFields>(() => fieldsOf(a));
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k: keyof ActionFields, v: string) => {
    setF((old) => ({ ...old, [k]: v }));
    setErrors((old) => ({ ...old, [k]: undefined }));
  };
  const edit = `${base}-edit`;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setGeneral('');
    if (!f.text.trim()) {
      setErrors({ text: tr(lang, h.missingText) });
      focusSoon(`${edit}-text`);
      return;
    }
    const body = editBody(a, f);
    if (Object.keys(body).length === 0) {
      setGeneral(tr(lang, h.nothingChanged));
      return;
    }
    setBusy(true);
    const res = await changeAction(org.id, a.id, body);
    setBusy(false);
    if (!res.ok) {
      const r = refusal(lang, res, tr(lang, h.saveFailed));
      if (r.field && r.field !== 'status' && r.field !== 'note') {
        setErrors({ [r.field]: r.text });
        focusSoon(`${edit}-${r.field}`);
      } else setGeneral(r.text);
      return;
    }
    setOpen(false);
    await reload();
    announce(tr(lang, h.saved, { text: res.data.text }));
    focusSoon(`${base}-title`);
  };
  return (
    <details
      class="more roadmap-edit"
      open={open}
      onToggle={(e) => {
        const now = (e.currentTarget as HTMLDetailsElement).open;
        if (now && !open) {
          setF(fieldsOf(a));
          setErrors({});
          setGeneral('');
        }
        setOpen(now);
      }}
    >
      <summary>{tr(lang, h.editToggle)}</summary>
      {open && (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <ActionFieldsView lang={lang} base={edit} f={f} set={set} errors={errors} indicators={indicators} withNote={false} />
          <p role="alert" class="field-error">
            {general}
          </p>
          <button type="submit" class="btn" disabled={busy}>
            {tr(lang, h.save)}
          </button>
        </form>
      )}
    </details>
  );
}

function RemoveAction({ lang, org, action: a, base, announce, reload }: ChangeProps) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    const res = await deleteAction(org.id, a.id);
    setBusy(false);
    setConfirming(false);
    if (!res.ok) {
      setError(refusal(lang, res, tr(lang, h.removeFailed)).text);
      focusSoon(`${base}-remove`);
      return;
    }
    announce(tr(lang, h.removed, { text: a.text }));
    await reload();
    focusSoon('plan-title');
  };
  return (
    <div class="roadmap-remove">
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby={`${base}-confirm`}>
          <p id={`${base}-confirm`} tabIndex={-1}>
            {tr(lang, h.removeConfirm, { text: a.text })}
          </p>
          <p class="button-row">
            <button type="button" class="btn btn-danger-solid" disabled={busy} onClick={() => void remove()}>
              {tr(lang, h.removeYes)}
            </button>
            <button
              type="button"
              class="btn"
              onClick={() => {
                setConfirming(false);
                focusSoon(`${base}-remove`);
              }}
            >
              {tr(lang, h.cancel)}
            </button>
          </p>
        </div>
      ) : (
        <button
          type="button"
          id={`${base}-remove`}
          class="btn btn-small btn-danger"
          aria-describedby={`${base}-title ${base}-remove-error`}
          onClick={() => {
            setConfirming(true);
            setError('');
            focusSoon(`${base}-confirm`);
          }}
        >
          {tr(lang, h.remove)}
        </button>
      )}
      <p id={`${base}-remove-error`} role="alert" class="field-error">
        {error}
      </p>
    </div>
  );
}

function SeminarBox({ lang, org, announce }: { lang: Lang; org: Organisation; announce: (text: string) => void }) {
  const [made, setMade] = useState<PlanSeminar | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const make = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    const res = await makeSeminar(org.id);
    setBusy(false);
    if (!res.ok) {
      setError(res.code === 'invalid_items' ? tr(lang, h.seminarTooFew) : refusal(lang, res, tr(lang, h.seminarFailed)).text);
      return;
    }
    setMade(res.data);
    announce(tr(lang, h.seminarMade, { code: res.data.code, n: res.data.actions }));
    focusSoon('plan-seminar-made');
  };
  return (
    <section class="plan-seminar" aria-labelledby="plan-seminar-title">
      <h3 id="plan-seminar-title">{tr(lang, h.seminarTitle)}</h3>
      <p class="muted small" id="plan-seminar-help">
        {tr(lang, h.seminarHelp)}
      </p>
      <button type="button" class="btn btn-primary" disabled={busy} aria-describedby="plan-seminar-help" onClick={() => void make()}>
        {busy ? tr(lang, h.seminarBusy) : tr(lang, h.seminarButton)}
      </button>
      <p role="alert" class="field-error">
        {error}
      </p>
      {made && (
        <div class="plan-seminar-made">
          <p id="plan-seminar-made" tabIndex={-1} class="ok-text">
            {tr(lang, h.seminarMade, { code: made.code, n: made.actions })}
          </p>
          {made.left_out > 0 && <p class="notice-warn">{tr(lang, h.seminarLeftOut, { n: made.left_out })}</p>}
          <p class="button-row">
            <a class="btn" href={absoluteLink(location.origin, made.links.facilitator)}>
              {tr(lang, h.seminarConsole)}
            </a>
            <a class="btn" href={absoluteLink(location.origin, made.links.screen)}>
              {tr(lang, h.seminarScreen)}
            </a>
          </p>
        </div>
      )}
    </section>
  );
}
