//! "Finish the assessment": records the session as an occasion (organisation, field of
//! operation, date) so that a later assessment can be compared with it; again to correct it.

import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, formatIsoDate } from '../lib/format';
import { translate as tr, type Lang } from '../lib/i18n';
import { fetchOrganisation } from '../lib/organisation';
import { FIELDS, ORGANISATION_MAX, oneLine, todayIso } from '../lib/plan';
import type { Occasion } from '../lib/types';
import { fieldError, formError, useCommand, type Send } from './command';
import { sm } from './summaryStrings';

const FORM_FIELDS = ['organisation', 'field', 'date'] as const;

export function FinishForm({
  occasion,
  lang,
  send,
  organisationName = null,
  organisationId = null,
}: {
  occasion: Occasion | null;
  lang: Lang;
  send: Send;
  /** The name of the organisation the session belongs to, if known: the field starts with it. */
  organisationName?: string | null;
  /** The organisation's id, if known: its units (verksamhetsområden) are offered first for the field. */
  organisationId?: string | null;
}) {
  const [units, setUnits] = useState<string[]>([]);
  useEffect(() => {
    if (!organisationId) return;
    void fetchOrganisation(organisationId).then((res) => {
      if (res.ok) setUnits(res.data.units.map((u) => u.name));
    });
  }, [organisationId]);
  const [organisation, setOrganisation] = useState(occasion?.organisation ?? organisationName ?? '');
  // The organisation is learnt after the form shows: fill the field in, unless someone typed already.
  useEffect(() => {
    if (organisationName && !occasion) setOrganisation((now) => now || organisationName);
  }, [organisationName]);
  const [field, setField] = useState(occasion?.field ?? '');
  const [date, setDate] = useState(occasion?.date ?? todayIso());
  const [missing, setMissing] = useState<'organisation' | 'date' | null>(null);
  const [done, setDone] = useState(false);
  const cmd = useCommand(send);

  const submit = (e: Event) => {
    e.preventDefault();
    if (cmd.busy) return;
    const org = oneLine(organisation);
    if (!org) {
      setMissing('organisation');
      document.getElementById('finish-organisation')?.focus();
      return;
    }
    if (!date.trim()) {
      setMissing('date');
      document.getElementById('finish-date')?.focus();
      return;
    }
    setMissing(null);
    setDone(false);
    const f = oneLine(field);
    cmd.run({ type: 'finish', organisation: org, field: f || null, date: date.trim() }, () => setDone(true));
  };

  const errOrg = missing === 'organisation' ? tr(lang, sm.organisationRequired) : fieldError(lang, cmd.error, FORM_FIELDS, 'organisation');
  const errField = fieldError(lang, cmd.error, FORM_FIELDS, 'field');
  const errDate = missing === 'date' ? tr(lang, sm.dateRequired) : fieldError(lang, cmd.error, FORM_FIELDS, 'date');
  const errForm = formError(lang, cmd.error, FORM_FIELDS);
  useEffect(() => {
    const first = errOrg ? 'organisation' : errField ? 'field' : errDate ? 'date' : null;
    if (cmd.error && first) document.getElementById(`finish-${first}`)?.focus();
  }, [cmd.error]);

  const describe = (name: string, error: string | null, help: boolean) =>
    [help ? `finish-${name}-help` : '', error ? `finish-${name}-error` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <div class="finish">
      <p class="muted small">{tr(lang, sm.finishHelp)}</p>
      {occasion && (
        <section class="occasion" aria-labelledby="occasion-title">
          <h4 id="occasion-title">{tr(lang, sm.occasionTitle)}</h4>
          <dl class="occasion-facts">
            <div>
              <dt>{tr(lang, sm.fieldOrganisation)}</dt>
              <dd>{occasion.organisation}</dd>
            </div>
            {occasion.field && (
              <div>
                <dt>{tr(lang, sm.occasionField)}</dt>
                <dd>{occasion.field}</dd>
              </div>
            )}
            <div>
              <dt>{tr(lang, sm.fieldDate)}</dt>
              <dd>{formatIsoDate(lang, occasion.date)}</dd>
            </div>
            <div>
              <dt>{tr(lang, sm.occasionFinished)}</dt>
              <dd>{formatDateTime(lang, occasion.finished_at)}</dd>
            </div>
          </dl>
        </section>
      )}
      <form class="finish-form" onSubmit={submit} noValidate aria-label={tr(lang, sm.finishTitle)}>
        <label for="finish-organisation">{tr(lang, sm.fieldOrganisation)}</label>
        <input
          id="finish-organisation"
          type="text"
          maxLength={ORGANISATION_MAX}
          value={organisation}
          autoComplete="organization"
          required
          aria-invalid={errOrg ? true : undefined}
          aria-describedby={describe('organisation', errOrg, true)}
          onInput={(e) => {
            setOrganisation((e.target as HTMLInputElement).value);
            if (missing === 'organisation') setMissing(null);
          }}
        />
        <p id="finish-organisation-help" class="muted small">
          {tr(lang, sm.fieldOrganisationHelp)}
        </p>
        {errOrg && (
          <p id="finish-organisation-error" class="field-error">
            {errOrg}
          </p>
        )}
        <div class="action-fields">
          <div>
            <label for="finish-field">{tr(lang, sm.fieldField)}</label>
            <input
              id="finish-field"
              type="text"
              list="finish-fields"
              maxLength={ORGANISATION_MAX}
              value={field}
              autoComplete="off"
              aria-invalid={errField ? true : undefined}
              aria-describedby={describe('field', errField, true)}
              onInput={(e) => setField((e.target as HTMLInputElement).value)}
            />
            <datalist id="finish-fields">
              {units.map((name) => (
                <option key={`unit-${name}`} value={name} />
              ))}
              {FIELDS.filter((f) => !units.some((u) => u.toLowerCase() === f.sv.toLowerCase())).map((f) => (
                <option key={f.sv} value={f.sv}>
                  {lang === 'en' ? f.en : f.sv}
                </option>
              ))}
            </datalist>
            <p id="finish-field-help" class="muted small">
              {tr(lang, sm.fieldFieldHelp)}
            </p>
            {errField && (
              <p id="finish-field-error" class="field-error">
                {errField}
              </p>
            )}
          </div>
          <div>
            <label for="finish-date">{tr(lang, sm.fieldDate)}</label>
            <input
              id="finish-date"
              type="date"
              value={date}
              required
              aria-invalid={errDate ? true : undefined}
              aria-describedby={describe('date', errDate, false)}
              onInput={(e) => {
                setDate((e.target as HTMLInputElement).value);
                if (missing === 'date') setMissing(null);
              }}
            />
            {errDate && (
              <p id="finish-date-error" class="field-error">
                {errDate}
              </p>
            )}
          </div>
        </div>
        <p class={errForm || errOrg || errField || errDate ? 'field-error' : 'ok-text'} role="status">
          {errForm ? `${tr(lang, sm.notSaved)} ${errForm}` : errOrg || errField || errDate ? tr(lang, sm.notSaved) : done ? tr(lang, sm.finished) : ''}
        </p>
        <button type="submit" class="btn btn-primary" disabled={cmd.busy}>
          {cmd.busy ? tr(lang, sm.saving) : occasion ? tr(lang, sm.finishAgain) : tr(lang, sm.finish)}
        </button>
      </form>
    </div>
  );
}
