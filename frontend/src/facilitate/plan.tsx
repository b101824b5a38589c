//! The action plan editor of the console: the plan in priority order, each action editable
//! (text, owner, due date, status) or removable, and a form to add one that starts from the
//! catalogue's suggestions for the indicator's locked level. Server errors show at the field.

import { useEffect, useRef, useState } from 'preact/hooks';
import { formatIsoDate } from '../lib/format';
import { request } from '../lib/http';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import {
  ACTION_TEXT_MAX,
  OWNER_MAX,
  STATUSES,
  actionTargets,
  defaultTarget,
  fittingSuggestions,
  indicatorOf,
  isOverdue,
  oneLine,
  suggestionsFor,
  suggestionsOfItemSet,
  todayIso,
} from '../lib/plan';
import { itemById } from '../lib/session';
import { sumText } from '../lib/summaryStrings';
import type { ActionStatus, IndicatorSummary, PlanAction, Session, Suggestion, Summary } from '../lib/types';
import { indicatorLevel } from '../lib/summaryView';
import { fieldError, formError, useCommand, type Send } from './command';
import { sm } from './summaryStrings';

const FIELDS = ['text', 'owner', 'due'] as const;
type Field = (typeof FIELDS)[number];

/** Suggestions of the session's item set, for a state that does not carry them. */
export function useItemSetSuggestions(code: string, secret: string | null, session: Session): Record<string, Suggestion[]> {
  const [found, setFound] = useState<Record<string, Suggestion[]>>({});
  const inState = session.items.some((i) => i.suggestions && i.suggestions.length > 0);
  useEffect(() => {
    if (inState) return;
    let live = true;
    void request<unknown>(`/api/sessions/${code}/items`, { key: secret }).then((res) => {
      if (live && res.ok) setFound(suggestionsOfItemSet(res.data as { items?: unknown }));
    });
    return () => {
      live = false;
    };
  }, [code, secret, inState]);
  return found;
}

export function PlanEditor({
  code,
  secret,
  session,
  summary,
  actions,
  lang,
  send,
}: {
  code: string;
  secret: string | null;
  session: Session;
  summary: Summary;
  actions: PlanAction[];
  lang: Lang;
  send: Send;
}) {
  const fromItemSet = useItemSetSuggestions(code, secret, session);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [news, setNews] = useState('');
  const addButton = useRef<HTMLButtonElement>(null);
  const today = todayIso();

  const closeAdd = (saved: boolean) => {
    setAdding(false);
    if (saved) setNews(tr(lang, sm.saved));
    setTimeout(() => addButton.current?.focus(), 0);
  };

  return (
    <div class="plan-editor">
      <p class="muted small">{tr(lang, sm.planHelp)}</p>
      {actions.length === 0 ? (
        <p class="muted">{tr(lang, sumText.noActions)}</p>
      ) : (
        <ol class="plan-edit-list">
          {actions.map((a) =>
            editing === a.id ? (
              <li key={a.id} class="plan-edit-entry">
                <ActionForm
                  session={session}
                  summary={summary}
                  fromItemSet={fromItemSet}
                  lang={lang}
                  send={send}
                  action={a}
                  onDone={(saved) => {
                    setEditing(null);
                    if (saved) setNews(tr(lang, sm.saved));
                    setTimeout(() => document.getElementById(`edit-${a.id}`)?.focus(), 0);
                  }}
                />
              </li>
            ) : (
              <ActionRow
                key={a.id}
                action={a}
                session={session}
                summary={summary}
                lang={lang}
                send={send}
                overdue={isOverdue(a, today)}
                onEdit={() => setEditing(a.id)}
                onRemoved={() => {
                  setNews(tr(lang, sm.removed));
                  setTimeout(() => addButton.current?.focus(), 0);
                }}
              />
            ),
          )}
        </ol>
      )}
      <p class="ok-text" role="status">
        {news}
      </p>
      {adding ? (
        <ActionForm
          session={session}
          summary={summary}
          fromItemSet={fromItemSet}
          lang={lang}
          send={send}
          action={null}
          initialItem={defaultTarget(summary, actions)}
          onDone={closeAdd}
        />
      ) : (
        <button
          type="button"
          class="btn btn-primary"
          ref={addButton}
          disabled={summary.indicators.length === 0}
          onClick={() => {
            setNews('');
            setAdding(true);
          }}
        >
          {tr(lang, sm.addAction)}
        </button>
      )}
    </div>
  );
}

function ActionRow({
  action,
  session,
  summary,
  lang,
  send,
  overdue,
  onEdit,
  onRemoved,
}: {
  action: PlanAction;
  session: Session;
  summary: Summary;
  lang: Lang;
  send: Send;
  overdue: boolean;
  onEdit: () => void;
  onRemoved: () => void;
}) {
  const status = useCommand(send);
  const removal = useCommand(send);
  const [asking, setAsking] = useState(false);
  const ind = indicatorOf(summary, action.item);
  const item = itemById(session, action.item);
  const statusId = `status-${action.id}`;
  const setStatus = (value: ActionStatus) =>
    status.run({
      type: 'set_action',
      action: action.id,
      item: action.item,
      text: action.text,
      owner: action.owner,
      due: action.due,
      status: value,
    });
  return (
    <li class="plan-edit-entry">
      <div class="plan-edit-main">
        <p class="plan-text">{action.text}</p>
        <p class="plan-meta small">
          <span>
            {item ? pick(item.title, lang) : ind ? pick(ind.title, lang) : ''}
            {ind && <> · {indicatorLevel(session, ind, lang)}</>}
          </span>
          {action.owner && (
            <span>
              {tr(lang, sumText.colOwner)}: {action.owner}
            </span>
          )}
          {action.due && (
            <span>
              {tr(lang, sumText.colDue)}: {formatIsoDate(lang, action.due)}
              {overdue && (
                <>
                  {' '}
                  <span class="badge badge-overdue">({tr(lang, sm.overdue)})</span>
                </>
              )}
            </span>
          )}
        </p>
      </div>
      <div class="plan-edit-tools">
        <div class="status-field">
          <label for={statusId} class="sr-only">
            {tr(lang, sm.statusOf, { text: action.text })}
          </label>
          <select
            id={statusId}
            value={action.status}
            disabled={status.busy}
            aria-describedby={status.error ? `${statusId}-error` : undefined}
            onChange={(e) => setStatus((e.target as HTMLSelectElement).value as ActionStatus)}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {tr(lang, sumText[`status_${s}`])}
              </option>
            ))}
          </select>
        </div>
        {asking ? (
          <span class="confirm-row" role="group" aria-label={tr(lang, sm.removeAsk)}>
            <span class="confirm-ask">{tr(lang, sm.removeAsk)}</span>
            <button
              type="button"
              id={`remove-${action.id}-yes`}
              class="btn btn-small btn-danger"
              disabled={removal.busy}
              onClick={() => removal.run({ type: 'remove_action', action: action.id }, onRemoved)}
            >
              {tr(lang, sm.removeConfirm)}
            </button>
            <button
              type="button"
              class="btn btn-small"
              onClick={() => {
                setAsking(false);
                removal.clear();
                setTimeout(() => document.getElementById(`remove-${action.id}`)?.focus(), 0);
              }}
            >
              {tr(lang, sm.cancel)}
            </button>
          </span>
        ) : (
          <>
            <button type="button" id={`edit-${action.id}`} class="btn btn-small" aria-label={tr(lang, sm.editLabel, { text: action.text })} onClick={onEdit}>
              {tr(lang, sm.edit)}
            </button>
            <button
              type="button"
              id={`remove-${action.id}`}
              class="btn btn-small btn-quiet"
              aria-label={tr(lang, sm.removeLabel, { text: action.text })}
              onClick={() => {
                setAsking(true);
                setTimeout(() => document.querySelector<HTMLButtonElement>(`#remove-${action.id}-yes`)?.focus(), 0);
              }}
            >
              {tr(lang, sm.remove)}
            </button>
          </>
        )}
      </div>
      <p id={`${statusId}-error`} class="field-error" role="alert">
        {status.error ? formError(lang, status.error, []) : removal.error ? formError(lang, removal.error, []) : ''}
      </p>
    </li>
  );
}

function targetLabel(session: Session, ind: IndicatorSummary, lang: Lang): string {
  return tr(lang, sm.optionLevel, { level: indicatorLevel(session, ind, lang), title: pick(ind.title, lang) });
}

/** Adds (`action` null) or edits an action. */
function ActionForm({
  session,
  summary,
  fromItemSet,
  lang,
  send,
  action,
  initialItem,
  onDone,
}: {
  session: Session;
  summary: Summary;
  fromItemSet: Record<string, Suggestion[]>;
  lang: Lang;
  send: Send;
  action: PlanAction | null;
  initialItem?: string | null;
  onDone: (saved: boolean) => void;
}) {
  const formId = action ? `action-${action.id}` : 'action-new';
  const id = (s: string) => `${formId}-${s}`;
  const targets = actionTargets(summary);
  const [itemId, setItemId] = useState<string>(action?.item ?? initialItem ?? targets[0]?.id ?? '');
  const [text, setText] = useState(action?.text ?? '');
  const [owner, setOwner] = useState(action?.owner ?? '');
  const [due, setDue] = useState(action?.due ?? '');
  const [status, setStatus] = useState<ActionStatus>(action?.status ?? 'todo');
  const [missingText, setMissingText] = useState(false);
  const cmd = useCommand(send);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const firstRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    firstRef.current?.focus();
  }, []);

  const ind = indicatorOf(summary, itemId);
  const level = ind?.level ?? null;
  const suggestions = fittingSuggestions(suggestionsFor(itemById(session, itemId), fromItemSet), level);
  const prioritised = new Set(summary.priorities.map((p) => p.item));
  const groups: [string, IndicatorSummary[]][] = [
    [tr(lang, sm.groupPrioritised), targets.filter((t) => prioritised.has(t.id))],
    [tr(lang, sm.groupLocked), targets.filter((t) => !prioritised.has(t.id) && t.level !== null)],
    [tr(lang, sm.groupOpen), targets.filter((t) => !prioritised.has(t.id) && t.level === null)],
  ];

  const submit = (e: Event) => {
    e.preventDefault();
    if (cmd.busy) return;
    const clean = oneLine(text);
    if (!clean) {
      setMissingText(true);
      textRef.current?.focus();
      return;
    }
    const command = {
      type: 'set_action' as const,
      item: itemId,
      text: clean,
      owner: oneLine(owner),
      due: due.trim() === '' ? null : due.trim(),
      status,
      ...(action ? { action: action.id } : {}),
    };
    cmd.run(command, () => onDone(true));
  };

  const errText = missingText ? tr(lang, sm.textRequired) : fieldError(lang, cmd.error, FIELDS, 'text');
  const errOwner = fieldError(lang, cmd.error, FIELDS, 'owner');
  const errDue = fieldError(lang, cmd.error, FIELDS, 'due');
  const errForm = formError(lang, cmd.error, FIELDS);
  // Focus the first field the server complained about.
  useEffect(() => {
    const field: Field | null = errText && !missingText ? 'text' : errOwner ? 'owner' : errDue ? 'due' : null;
    if (field) document.getElementById(id(field))?.focus();
  }, [cmd.error]);

  const describe = (field: string, error: string | null, help?: boolean) =>
    [help ? id(`${field}-help`) : '', error ? id(`${field}-error`) : ''].filter(Boolean).join(' ') || undefined;

  return (
    <form class="action-form" onSubmit={submit} aria-labelledby={id('title')} noValidate>
      <h4 id={id('title')}>{action ? tr(lang, sm.editAction) : tr(lang, sm.newAction)}</h4>
      <label for={id('item')}>{tr(lang, sm.fieldItem)}</label>
      <select id={id('item')} ref={firstRef} value={itemId} onChange={(e) => setItemId((e.target as HTMLSelectElement).value)}>
        {groups
          .filter(([, list]) => list.length > 0)
          .map(([label, list]) => (
            <optgroup key={label} label={label}>
              {list.map((t) => (
                <option key={t.id} value={t.id}>
                  {targetLabel(session, t, lang)}
                </option>
              ))}
            </optgroup>
          ))}
      </select>

      <fieldset class="suggestions">
        <legend>{tr(lang, sm.suggestionsTitle)}</legend>
        {suggestions.length === 0 ? (
          <p class="muted small">{tr(lang, sm.suggestionsNone)}</p>
        ) : (
          <>
            <p class="muted small">
              {level === null ? tr(lang, sm.suggestionsAll) : tr(lang, sm.suggestionsFor, { level: ind ? indicatorLevel(session, ind, lang) : String(level) })}
            </p>
            <ul class="suggestion-list">
              {suggestions.map((s, i) => {
                const words = pick(s.text, lang);
                return (
                  <li key={i}>
                    <span class="suggestion-text">
                      {words} <span class="muted small">({tr(lang, sm.suggestionUpTo, { n: s.up_to })})</span>
                    </span>
                    <button
                      type="button"
                      class="btn btn-small"
                      aria-label={tr(lang, sm.useSuggestionLabel, { text: words })}
                      aria-pressed={oneLine(text) === oneLine(words)}
                      onClick={() => {
                        setText(words);
                        setMissingText(false);
                        textRef.current?.focus();
                      }}
                    >
                      {tr(lang, sm.useSuggestion)}
                    </button>
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </fieldset>

      <label for={id('text')}>{tr(lang, sm.fieldText)}</label>
      <textarea
        id={id('text')}
        ref={textRef}
        rows={3}
        maxLength={ACTION_TEXT_MAX}
        value={text}
        required
        aria-invalid={errText ? true : undefined}
        aria-describedby={describe('text', errText, true)}
        onInput={(e) => {
          setText((e.target as HTMLTextAreaElement).value);
          setMissingText(false);
        }}
      />
      <p id={id('text-help')} class="muted small">
        {tr(lang, sm.fieldTextHelp)}
      </p>
      {errText && (
        <p id={id('text-error')} class="field-error">
          {errText}
        </p>
      )}

      <div class="action-fields">
        <div>
          <label for={id('owner')}>{tr(lang, sm.fieldOwner)}</label>
          <input
            id={id('owner')}
            type="text"
            maxLength={OWNER_MAX}
            value={owner}
            autoComplete="off"
            aria-invalid={errOwner ? true : undefined}
            aria-describedby={describe('owner', errOwner)}
            onInput={(e) => setOwner((e.target as HTMLInputElement).value)}
          />
          {errOwner && (
            <p id={id('owner-error')} class="field-error">
              {errOwner}
            </p>
          )}
        </div>
        <div>
          <label for={id('due')}>{tr(lang, sm.fieldDue)}</label>
          <input
            id={id('due')}
            type="date"
            value={due}
            aria-invalid={errDue ? true : undefined}
            aria-describedby={describe('due', errDue)}
            onInput={(e) => setDue((e.target as HTMLInputElement).value)}
          />
          {errDue && (
            <p id={id('due-error')} class="field-error">
              {errDue}
            </p>
          )}
        </div>
        <div>
          <label for={id('status')}>{tr(lang, sm.fieldStatus)}</label>
          <select id={id('status')} value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as ActionStatus)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {tr(lang, sumText[`status_${s}`])}
              </option>
            ))}
          </select>
        </div>
      </div>

      <p class="field-error" role="alert">
        {errForm ? `${tr(lang, sm.notSaved)} ${errForm}` : errText || errOwner || errDue ? tr(lang, sm.notSaved) : ''}
      </p>
      <div class="form-buttons">
        <button type="submit" class="btn btn-primary" disabled={cmd.busy || !itemId}>
          {cmd.busy ? tr(lang, sm.saving) : tr(lang, sm.save)}
        </button>
        <button type="button" class="btn" onClick={() => onDone(false)}>
          {tr(lang, sm.cancel)}
        </button>
      </div>
    </form>
  );
}
