//! Pieces of the staff forms (the start page's sign-in and setup, the invitation page, the
//! organisation page): a labelled field with its help and its own error tied by aria-describedby,
//! the words for a failure that concerns no one field, and moving focus after a render.

import { translate as tr, type Lang } from './i18n';
import { acc } from './accountStrings';
import { PASSWORD_MIN, type AccountField, type AccountFields } from './account';
import type { HttpResult } from './http';
import { errorMsg } from './strings';

/** Focuses the element with `id` once the next render is done (a heading, the first wrong field). */
export const focusSoon = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);

/**
 * The name, email and password of a new account (the first administrator, an invited colleague): ids
 * `{prefix}-name` and so on, each field's own error, and the form's message (`{prefix}-error`) read with
 * them.
 */
export function AccountInputs({
  prefix,
  lang,
  fields,
  set,
  errors,
}: {
  prefix: string;
  lang: Lang;
  fields: AccountFields;
  set: (field: AccountField) => (value: string) => void;
  errors: Partial<Record<AccountField, string>>;
}) {
  const also = `${prefix}-error`;
  return (
    <>
      <Field id={`${prefix}-name`} label={tr(lang, acc.name)} value={fields.name} onInput={set('name')} autoComplete="name" error={errors.name} also={also} />
      <Field
        id={`${prefix}-email`}
        label={tr(lang, acc.email)}
        type="email"
        value={fields.email}
        onInput={set('email')}
        autoComplete="email"
        error={errors.email}
        also={also}
      />
      <Field
        id={`${prefix}-password`}
        label={tr(lang, acc.password)}
        type="password"
        value={fields.password}
        onInput={set('password')}
        autoComplete="new-password"
        help={tr(lang, acc.passwordRule, { n: PASSWORD_MIN })}
        error={errors.password}
        also={also}
      />
    </>
  );
}

/** A text field with its label, an optional help text and its own error, tied by aria-describedby. */
export function Field({
  id,
  label,
  type = 'text',
  value,
  onInput,
  autoComplete,
  help,
  error,
  invalid = false,
  also,
}: {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value: string;
  onInput: (value: string) => void;
  autoComplete: string;
  help?: string;
  error?: string | null;
  /** Marked wrong without an error of its own (the form's message says why). */
  invalid?: boolean;
  /** The form's own message, read with the field when it concerns it (a wrong password). */
  also?: string | null;
}) {
  const describedBy = [help ? `${id}-help` : null, `${id}-error`, also ?? null].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {help && (
        <p id={`${id}-help`} class="muted small field-help">
          {help}
        </p>
      )}
      <input
        id={id}
        type={type}
        value={value}
        autoComplete={autoComplete}
        spellcheck={false}
        autoCapitalize={type === 'text' ? undefined : 'none'}
        aria-invalid={error || invalid ? true : undefined}
        aria-describedby={describedBy}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
      />
      <p id={`${id}-error`} class="field-error">
        {error ?? ''}
      </p>
    </div>
  );
}

/** The words for a failed sign-in or setup that concern no one field. */
export function failure(lang: Lang, res: Extract<HttpResult<unknown>, { ok: false }>, lead: string): string {
  if (res.code === 'network') return tr(lang, acc.networkFailed);
  if (res.code === 'rate_limited' || res.status === 429) {
    return res.retryAfter !== undefined ? tr(lang, acc.rateLimited, { seconds: res.retryAfter }) : tr(lang, acc.rateLimitedPlain);
  }
  return `${lead} ${tr(lang, errorMsg(res.code))}`;
}

