//! The session builder: add, edit, reorder and delete items of every kind, check them, and
//! hand the draft to the page that saves it (POST a new session or PUT the agenda).
//! Used by the start page and the facilitator console; no requests of its own.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { translate as tr, type Lang } from '../lib/i18n';
import { kindNames } from '../lib/strings';
import type { Kind } from '../lib/types';
import { KindBadge } from '../lib/ui';
import {
  KINDS,
  LIMITS,
  defaultResults,
  emptyText,
  itemOfMessage,
  moveItem,
  newItem,
  notRelevantLevel,
  preset15,
  validate,
  type Draft,
  type DraftItem,
  type DraftText,
  type Problem,
} from './model';
import { bld } from './strings';

const fieldId = (key: number, field: string) => `b${key}-${field}`;

export function Builder({
  lang,
  mode,
  draft,
  setDraft,
  busy,
  serverError,
  onSave,
  onCancel,
  children,
}: {
  lang: Lang;
  /** `create`: a new seminar (title editable); `edit`: the agenda of a running session. */
  mode: 'create' | 'edit';
  draft: Draft;
  setDraft: (d: Draft) => void;
  busy: boolean;
  /** The server's refusal of the last save, as it said it. */
  serverError: string | null;
  onSave: (d: Draft) => void;
  onCancel: () => void;
  /** File actions (import, export) shown above the items. */
  children?: ComponentChildren;
}) {
  const nextKey = useRef(draft.items.reduce((m, d) => Math.max(m, d.key), 0) + 1);
  const [checked, setChecked] = useState(false);
  const [notice, setNotice] = useState('');
  const [undo, setUndo] = useState<{ item: DraftItem; index: number } | null>(null);
  const [focus, setFocus] = useState<string | null>(null);

  // Keys handed out must stay above those of a draft loaded or imported later.
  nextKey.current = Math.max(nextKey.current, draft.items.reduce((m, d) => Math.max(m, d.key), 0) + 1);

  useEffect(() => {
    if (!focus) return;
    const el = document.getElementById(focus) as HTMLElement | null;
    el?.focus();
    setFocus(null);
  }, [focus]);

  const problems = checked ? validate(draft) : [];
  const items = draft.items;
  const setItems = (next: DraftItem[]) => setDraft({ ...draft, items: next });
  const update = (i: number, patch: Partial<DraftItem>) => setItems(items.map((d, j) => (j === i ? { ...d, ...patch } : d)));

  const add = (kind: Kind) => {
    const item = newItem(kind, nextKey.current++);
    setItems([...items, item]);
    setNotice(tr(lang, bld.added, { n: items.length + 1 }));
    setUndo(null);
    setFocus(fieldId(item.key, 'title'));
  };

  const move = (i: number, delta: -1 | 1) => {
    const to = i + delta;
    if (to < 0 || to >= items.length) return;
    const key = items[i].key;
    setItems(moveItem(items, i, to));
    setNotice(tr(lang, bld.moved, { n: to + 1 }));
    // Keep the focus on the button pressed, in the item's new place; at an end, on the other one.
    const atEnd = (delta < 0 && to === 0) || (delta > 0 && to === items.length - 1);
    const which = delta < 0 ? (atEnd ? 'down' : 'up') : atEnd ? 'up' : 'down';
    setFocus(fieldId(key, which));
  };

  const remove = (i: number) => {
    const item = items[i];
    const next = items.filter((_, j) => j !== i);
    setItems(next);
    setUndo({ item, index: i });
    setNotice(tr(lang, bld.removed, { n: i + 1 }));
    setFocus('builder-undo');
  };

  const restore = () => {
    if (!undo) return;
    const next = [...items];
    next.splice(Math.min(undo.index, next.length), 0, undo.item);
    setItems(next);
    setUndo(null);
    setNotice(tr(lang, bld.restored));
    setFocus(fieldId(undo.item.key, 'heading'));
  };

  const save = (e: Event) => {
    e.preventDefault();
    setChecked(true);
    const found = validate(draft);
    if (found.length > 0) {
      setFocus('builder-problems');
      return;
    }
    onSave(draft);
  };

  const problemsOf = (i: number) => problems.filter((p) => p.item === i);

  return (
    <form class="builder" onSubmit={save} noValidate aria-labelledby="builder-title">
      <h2 id="builder-title" tabIndex={-1}>{mode === 'create' ? tr(lang, bld.buildTitle) : tr(lang, bld.editTitle)}</h2>
      {mode === 'create' && (
        <>
          <label for="builder-session-title">{tr(lang, bld.sessionTitle)}</label>
          <input
            id="builder-session-title"
            type="text"
            maxLength={LIMITS.sessionTitle}
            autoComplete="off"
            value={draft.title}
            onInput={(e) => setDraft({ ...draft, title: (e.target as HTMLInputElement).value })}
          />
        </>
      )}
      {children}

      <h3>{tr(lang, bld.items)}</h3>
      {items.length === 0 && <p class="muted">{tr(lang, bld.noItems)}</p>}
      <ol class="builder-items">
        {items.map((d, i) => (
          <li key={d.key}>
            <ItemEditor
              item={d}
              index={i}
              count={items.length}
              lang={lang}
              problems={problemsOf(i)}
              update={(patch) => update(i, patch)}
              move={(delta) => move(i, delta)}
              remove={() => remove(i)}
            />
          </li>
        ))}
      </ol>

      <div class="builder-add" role="group" aria-labelledby="builder-add-title">
        <p id="builder-add-title" class="label">
          {tr(lang, bld.add)}
        </p>
        {KINDS.map((k) => (
          <button type="button" class="btn" key={k} onClick={() => add(k)} disabled={items.length >= LIMITS.items}>
            <KindBadge kind={k} lang={lang} />
          </button>
        ))}
      </div>

      <div class="builder-notice" role="status">
        {notice}
        {undo && (
          <>
            {' '}
            <button type="button" id="builder-undo" class="btn btn-small" onClick={restore}>
              {tr(lang, bld.undo)}
            </button>
          </>
        )}
      </div>

      <div id="builder-problems" tabIndex={-1} role="alert" class={problems.length || serverError ? 'alert alert-block' : 'alert-empty'}>
        {problems.length > 0 && (
          <>
            <p>
              <strong>{tr(lang, bld.fixFirst, { n: problems.length })}</strong>
            </p>
            <ul>
              {problems.map((p, j) => (
                <li key={j}>
                  <a href={`#${fieldId(p.item === null ? 0 : items[p.item].key, p.field)}`} onClick={(e) => jump(e, p, items)}>
                    {p.item === null ? tr(lang, bld.whereSession) : tr(lang, bld.where, { n: p.item + 1 })}
                  </a>
                  : {tr(lang, bld[`p_${p.code}`], p.params ?? {})}
                </li>
              ))}
            </ul>
          </>
        )}
        {problems.length === 0 && serverError && (
          <p>
            <strong>{tr(lang, bld.serverSaid)}</strong> {serverError}
            {itemOfMessage(serverError) !== null && <> {tr(lang, bld.serverItem, { n: itemOfMessage(serverError)! + 1 })}</>}
          </p>
        )}
      </div>

      <div class="builder-actions">
        <button type="submit" class="btn btn-primary btn-large" disabled={busy}>
          {busy ? tr(lang, bld.saving) : mode === 'create' ? tr(lang, bld.save) : tr(lang, bld.saveEdit)}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          {mode === 'create' ? tr(lang, bld.cancel) : tr(lang, bld.backToConsole)}
        </button>
      </div>
    </form>
  );
}

/** Follows a link of the problem list to its field (a session-level problem: the title). */
function jump(e: Event, p: Problem, items: DraftItem[]) {
  e.preventDefault();
  const id = p.item === null ? 'builder-session-title' : fieldId(items[p.item].key, p.field);
  const el = document.getElementById(id) ?? document.getElementById(p.item === null ? 'builder-title' : fieldId(items[p.item].key, 'heading'));
  el?.focus();
  el?.scrollIntoView({ block: 'center' });
}

function ItemEditor({
  item,
  index,
  count,
  lang,
  problems,
  update,
  move,
  remove,
}: {
  item: DraftItem;
  index: number;
  count: number;
  lang: Lang;
  problems: Problem[];
  update: (patch: Partial<DraftItem>) => void;
  move: (delta: -1 | 1) => void;
  remove: () => void;
}) {
  const id = (field: string) => fieldId(item.key, field);
  const n = index + 1;
  const errorOf = (field: string) => {
    const p = problems.find((x) => x.field === field);
    return p ? tr(lang, bld[`p_${p.code}`], p.params ?? {}) : null;
  };
  const fixed = item.inUse;
  const optionsFixed = fixed;

  return (
    <section class="item-editor" aria-labelledby={id('heading')}>
      <div class="item-editor-head">
        <h4 id={id('heading')} tabIndex={-1}>
          {tr(lang, bld.itemHeading, { n, kind: tr(lang, kindNames[item.kind]) })}
        </h4>
        <div class="item-editor-tools">
          <button type="button" id={id('up')} class="btn btn-small" aria-label={tr(lang, bld.moveUpLabel, { n })} disabled={index === 0} onClick={() => move(-1)}>
            <span aria-hidden="true">↑</span> {tr(lang, bld.moveUp)}
          </button>
          <button type="button" id={id('down')} class="btn btn-small" aria-label={tr(lang, bld.moveDownLabel, { n })} disabled={index === count - 1} onClick={() => move(1)}>
            <span aria-hidden="true">↓</span> {tr(lang, bld.moveDown)}
          </button>
          <button type="button" class="btn btn-small btn-danger" aria-label={tr(lang, bld.removeLabel, { n })} disabled={fixed} onClick={remove}>
            {tr(lang, bld.remove)}
          </button>
        </div>
      </div>
      {fixed && <p class="muted small">{tr(lang, bld.inUse)}</p>}

      <label for={id('kind')}>{tr(lang, bld.kind)}</label>
      <select
        id={id('kind')}
        value={item.kind}
        disabled={fixed}
        onChange={(e) => {
          const kind = (e.target as HTMLSelectElement).value as Kind;
          update({ kind, results: defaultResults(kind) });
        }}
      >
        {KINDS.map((k) => (
          <option value={k} key={k}>
            {tr(lang, kindNames[k])}
          </option>
        ))}
      </select>

      <TextPair
        id={id('title')}
        value={item.title}
        onChange={(title) => update({ title })}
        labelSv={tr(lang, bld.titleSv)}
        labelEn={tr(lang, bld.titleEn)}
        max={LIMITS.title}
        error={errorOf('title')}
      />

      {(item.kind === 'choice' || item.kind === 'points') && (
        <fieldset class="sub-fields" aria-describedby={errorOf('options') ? id('options-error') : undefined}>
          <legend id={id('options')} tabIndex={-1}>
            {tr(lang, bld.options)}
          </legend>
          <ol class="option-edit-list">
            {item.options.map((o, j) => (
              <li key={j} class="option-edit">
                <TextPair
                  id={id(`option-${j}`)}
                  value={o}
                  onChange={(t) => update({ options: item.options.map((x, k) => (k === j ? t : x)) })}
                  labelSv={tr(lang, bld.optionSv, { n: j + 1 })}
                  labelEn={tr(lang, bld.optionEn, { n: j + 1 })}
                  max={LIMITS.text}
                  error={errorOf(`option-${j}`)}
                />
                <button
                  type="button"
                  class="btn btn-small btn-quiet"
                  disabled={optionsFixed || item.options.length <= LIMITS.options[0]}
                  onClick={() => update({ options: item.options.filter((_, k) => k !== j) })}
                >
                  {tr(lang, bld.removeOption, { n: j + 1 })}
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            class="btn btn-small"
            disabled={optionsFixed || item.options.length >= LIMITS.options[1]}
            onClick={() => update({ options: [...item.options, emptyText()] })}
          >
            {tr(lang, bld.addOption)}
          </button>
          <FieldError id={id('options-error')} text={errorOf('options')} />
        </fieldset>
      )}

      {item.kind === 'choice' && (
        <fieldset class="sub-fields">
          <legend class="sr-only">{tr(lang, bld.multiple)}</legend>
          <label class="check">
            <input type="checkbox" checked={item.multiple} onChange={() => update({ multiple: !item.multiple })} /> {tr(lang, bld.multiple)}
          </label>
        </fieldset>
      )}

      {item.kind === 'points' && (
        <NumberField id={id('budget')} label={tr(lang, bld.budget)} value={item.budget} min={1} max={1000} onChange={(budget) => update({ budget })} error={errorOf('budget')} />
      )}

      {item.kind === 'words' && (
        <div class="number-row">
          <NumberField id={id('max-words')} label={tr(lang, bld.maxWords)} value={item.maxWords} min={1} max={10} onChange={(maxWords) => update({ maxWords })} error={errorOf('max-words')} />
          <NumberField id={id('max-chars')} label={tr(lang, bld.maxChars)} value={item.maxChars} min={1} max={60} onChange={(maxChars) => update({ maxChars })} error={errorOf('max-chars')} />
        </div>
      )}

      {item.kind === 'scale' && (
        <fieldset class="sub-fields">
          <legend id={id('levels')} tabIndex={-1}>
            {tr(lang, bld.levels)}
          </legend>
          <div class="level-tools">
            <button type="button" class="btn btn-small" disabled={fixed} onClick={() => update({ levels: preset15() })}>
              {tr(lang, bld.preset15)}
            </button>
            <button
              type="button"
              class="btn btn-small"
              disabled={fixed || item.levels.length >= LIMITS.levels[1]}
              onClick={() => update({ levels: [...item.levels, { label: { sv: String(item.levels.length + 1), en: '' }, definition: emptyText() }] })}
            >
              {tr(lang, bld.addLevel)}
            </button>
            <button type="button" class="btn btn-small" disabled={fixed || item.levels.length <= LIMITS.levels[0]} onClick={() => update({ levels: item.levels.slice(0, -1) })}>
              {tr(lang, bld.removeLevel)}
            </button>
          </div>
          <ol class="level-edit-list">
            {item.levels.map((l, j) => (
              <li key={j}>
                <TextPair
                  id={id(`level-${j}`)}
                  value={l.label}
                  onChange={(label) => update({ levels: item.levels.map((x, k) => (k === j ? { ...x, label } : x)) })}
                  labelSv={tr(lang, bld.levelSv, { n: j + 1 })}
                  labelEn={tr(lang, bld.levelEn, { n: j + 1 })}
                  max={LIMITS.text}
                  error={errorOf(`level-${j}`)}
                />
              </li>
            ))}
          </ol>
          <FieldError id={id('levels-error')} text={errorOf('levels')} />
          <label class="check">
            <input type="checkbox" checked={item.notRelevant !== null} disabled={fixed} onChange={() => update({ notRelevant: item.notRelevant ? null : notRelevantLevel() })} />{' '}
            {tr(lang, bld.withNr)}
          </label>
          {item.notRelevant && (
            <TextPair
              id={id('not-relevant')}
              value={item.notRelevant.label}
              onChange={(label) => update({ notRelevant: { ...item.notRelevant!, label } })}
              labelSv={tr(lang, bld.nrSv)}
              labelEn={tr(lang, bld.nrEn)}
              max={LIMITS.text}
              error={errorOf('not-relevant')}
            />
          )}
        </fieldset>
      )}

      <fieldset class="sub-fields">
        <legend>{tr(lang, bld.results)}</legend>
        <div class="radio-row">
          {(['live', 'after_reveal'] as const).map((r) => (
            <label class="radio-card" key={r}>
              <input type="radio" name={id('results')} checked={item.results === r} onChange={() => update({ results: r })} />
              <span>{r === 'live' ? tr(lang, bld.resultsLive) : tr(lang, bld.resultsAfter)}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <details
        class="more"
        open={item.description.sv !== '' || item.description.en !== '' || item.notes !== '' || problems.some((p) => p.field === 'id' || p.field === 'description' || p.field === 'notes')}
      >
        <summary>{tr(lang, bld.more)}</summary>
        <TextPair
          id={id('description')}
          value={item.description}
          onChange={(description) => update({ description })}
          labelSv={tr(lang, bld.descSv)}
          labelEn={tr(lang, bld.descEn)}
          max={LIMITS.text}
          multiline
          error={errorOf('description')}
        />
        <label for={id('notes')}>{tr(lang, bld.notes)}</label>
        <textarea
          id={id('notes')}
          rows={3}
          maxLength={LIMITS.notes}
          value={item.notes}
          aria-describedby={`${id('notes')}-help ${id('notes')}-error`}
          aria-invalid={errorOf('notes') !== null}
          onInput={(e) => update({ notes: (e.target as HTMLTextAreaElement).value })}
        />
        <p id={`${id('notes')}-help`} class="muted small">
          {tr(lang, bld.notesHelp)}
        </p>
        <FieldError id={`${id('notes')}-error`} text={errorOf('notes')} />
        <label for={id('id')}>{tr(lang, bld.id)}</label>
        <input
          id={id('id')}
          type="text"
          class="input-short"
          autoComplete="off"
          maxLength={32}
          value={item.id}
          disabled={fixed}
          aria-describedby={`${id('id')}-help ${id('id')}-error`}
          aria-invalid={errorOf('id') !== null}
          onInput={(e) => update({ id: (e.target as HTMLInputElement).value })}
        />
        <p id={`${id('id')}-help`} class="muted small">
          {tr(lang, bld.idHelp)}
        </p>
        <FieldError id={`${id('id')}-error`} text={errorOf('id')} />
      </details>
    </section>
  );
}

function FieldError({ id, text }: { id: string; text: string | null }) {
  return (
    <p id={id} class="field-error">
      {text ?? ''}
    </p>
  );
}

/** A text in Swedish (required) and English (optional), side by side when there is room. */
function TextPair({
  id,
  value,
  onChange,
  labelSv,
  labelEn,
  max,
  multiline = false,
  error,
}: {
  id: string;
  value: DraftText;
  onChange: (t: DraftText) => void;
  labelSv: string;
  labelEn: string;
  max: number;
  multiline?: boolean;
  error: string | null;
}) {
  const field = (lang: 'sv' | 'en', fid: string, label: string) => {
    const props = {
      id: fid,
      lang,
      maxLength: max,
      value: value[lang],
      autoComplete: 'off',
      'aria-invalid': lang === 'sv' && error !== null,
      'aria-describedby': lang === 'sv' && error ? `${id}-error` : undefined,
      onInput: (e: Event) => onChange({ ...value, [lang]: (e.target as HTMLInputElement).value }),
    };
    return (
      <div class="text-pair-field">
        <label for={fid}>{label}</label>
        {multiline ? <textarea rows={2} {...props} /> : <input type="text" {...props} />}
      </div>
    );
  };
  return (
    <div class="text-pair">
      {field('sv', id, labelSv)}
      {field('en', `${id}-en`, labelEn)}
      {error && <FieldError id={`${id}-error`} text={error} />}
    </div>
  );
}

function NumberField({
  id,
  label,
  value,
  min,
  max,
  onChange,
  error,
}: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (v: number) => void;
  error: string | null;
}) {
  return (
    <div class="number-field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="number"
        class="input-short"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        value={Number.isFinite(value) ? value : ''}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => {
          const raw = (e.target as HTMLInputElement).value;
          onChange(raw === '' ? NaN : Number(raw));
        }}
      />
      <FieldError id={`${id}-error`} text={error} />
    </div>
  );
}
