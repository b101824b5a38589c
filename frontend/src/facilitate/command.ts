//! A hook for a form that sends one facilitator command and shows its outcome in place: busy
//! while unanswered, the server's error (with the field it names) when refused.

import { useState } from 'preact/hooks';
import { translate as tr, type Lang } from '../lib/i18n';
import { fieldOfError } from '../lib/plan';
import type { Done } from '../lib/socket';
import { errorMsg } from '../lib/strings';
import type { Command, ErrorMsg } from '../lib/types';
import { sm } from './summaryStrings';

export type Send = (command: Command, done?: Done) => number;

/** Command types whose errors their own form shows, instead of the console's alert. */
export const LOCAL_COMMANDS: ReadonlySet<string> = new Set([
  'share_summary',
  'start_prioritisation',
  'set_action',
  'remove_action',
  'finish',
]);

export interface CommandState {
  busy: boolean;
  error: ErrorMsg | null;
  run: (command: Command, onOk?: () => void) => void;
  clear: () => void;
}

export function useCommand(send: Send): CommandState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorMsg | null>(null);
  const run = (command: Command, onOk?: () => void) => {
    setBusy(true);
    setError(null);
    send(command, (err) => {
      setBusy(false);
      setError(err);
      if (!err) onOk?.();
    });
  };
  return { busy, error, run, clear: () => setError(null) };
}

/** "A field is not filled in correctly. (due: a date is written YYYY-MM-DD)" */
export function errorText(lang: Lang, error: ErrorMsg): string {
  const text = tr(lang, errorMsg(error.code));
  return error.message ? `${text} (${error.message})` : text;
}

/**
 * The error of `field`, when the server's `invalid_field` message names it: our own words for
 * the field's rule, with the server's words after them.
 */
export function fieldError<F extends string>(lang: Lang, error: ErrorMsg | null, fields: readonly F[], field: F): string | null {
  if (!error || error.code !== 'invalid_field') return null;
  if (fieldOfError(error.message, fields) !== field) return null;
  const key = `err_${field}` as keyof typeof sm;
  const own = key in sm ? tr(lang, sm[key]) : tr(lang, errorMsg(error.code));
  return `${own} (${error.message})`;
}

/** The error for the whole form: any error no field of `fields` claims. */
export function formError<F extends string>(lang: Lang, error: ErrorMsg | null, fields: readonly F[]): string | null {
  if (!error) return null;
  if (error.code === 'invalid_field' && fieldOfError(error.message, fields) !== null) return null;
  return errorText(lang, error);
}
