//! "Last time" beside an indicator in the console (issue 19): the level, note and dissent the
//! organisation locked at its previous occasion, and the actions of its living plan for the
//! indicator with status, owner, due date, latest note and, behind a disclosure, their history;
//! so that the group sees what moved and why. Nothing when there is nothing. The console only:
//! phones and the projector never show it.

import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime, formatIsoDate } from '../lib/format';
import { translate as tr, type Lang } from '../lib/i18n';
import { todayIso } from '../lib/plan';
import { fetchPrevious, historySteps, isLate, type OrgAction, type Previous, type PreviousIndicator, type PreviousOccasion } from '../lib/previous';
import type { Scale } from '../lib/types';
import { levelText } from '../lib/ui';
import { lt } from './lastTimeStrings';

/**
 * `GET /api/sessions/{code}/previous`, once, in the background, as soon as `wanted` (the console
 * shows an indicator of a workshop): the voting never waits for it. Null until it answers, and
 * when it fails (the console then shows nothing of last time). With the key, or the sign-in cookie.
 */
export function usePrevious(code: string, secret: string | null, wanted: boolean): Previous | null {
  const [previous, setPrevious] = useState<Previous | null>(null);
  const asked = useRef(false);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  useEffect(() => {
    if (!wanted || asked.current) return;
    asked.current = true;
    void fetchPrevious(code, secret).then((res) => {
      if (alive.current && res.ok) setPrevious(res.data);
    });
  }, [wanted]);
  return previous;
}

export function LastTime({
  item,
  entry,
  occasion,
  scale,
  lang,
}: {
  item: string;
  /** What last time and the plan say about this indicator; null when nothing (or not loaded yet). */
  entry: PreviousIndicator | null;
  occasion: PreviousOccasion | null;
  scale: Scale | null;
  lang: Lang;
}) {
  // The answer is fetched in the background: when it arrives after the indicator is on screen,
  // a screen reader hears that something was added below the buttons (once).
  const hadAtStart = useRef(entry !== null);
  const [said, setSaid] = useState('');
  const present = entry !== null;
  useEffect(() => {
    if (!present || hadAtStart.current) return;
    hadAtStart.current = true;
    const t = setTimeout(() => setSaid(tr(lang, lt.arrived)), 50);
    return () => clearTimeout(t);
  }, [present]);

  const id = (s: string) => `last-${item}-${s}`;
  const heading = !entry
    ? ''
    : !occasion
      ? tr(lang, lt.planOnly)
      : entry.level !== null
        ? tr(lang, lt.levelThen, { level: scale ? levelText(scale, entry.level, lang) : String(entry.level) })
        : tr(lang, lt.noLevelThen);

  return (
    <>
      <p class="sr-only" role="status">
        {said}
      </p>
      {entry && (
        <section class="last-time" aria-labelledby={id('title')}>
          <h3 id={id('title')} class="last-time-title">
            {heading}
          </h3>
          {occasion && (
            <p class="muted small last-time-when">
              {tr(lang, lt.occasionLine, { title: occasion.title, date: formatIsoDate(lang, occasion.date) })}
              {occasion.field && ` · ${occasion.field}`}
            </p>
          )}
          {(entry.note || entry.dissent) && (
            <dl class="last-time-facts">
              {entry.note && (
                <div>
                  <dt>{tr(lang, lt.note)}</dt>
                  <dd>{entry.note}</dd>
                </div>
              )}
              {entry.dissent && (
                <div>
                  <dt>{tr(lang, lt.dissent)}</dt>
                  <dd>{entry.dissent}</dd>
                </div>
              )}
            </dl>
          )}
          {entry.actions.length > 0 && (
            <>
              <h4 id={id('actions')} class="last-time-sub">
                {tr(lang, lt.actionsTitle, { n: entry.actions.length })}
              </h4>
              <ul class="last-actions" aria-labelledby={id('actions')}>
                {entry.actions.map((a) => (
                  <ActionEntry key={a.id} action={a} lang={lang} />
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </>
  );
}

function ActionEntry({ action, lang }: { action: OrgAction; lang: Lang }) {
  const steps = historySteps(action);
  const late = isLate(action, todayIso());
  return (
    <li class="last-action">
      <p class="last-action-text">
        <strong>{action.text}</strong>{' '}
        <span class={`plan-status plan-status-${action.status}`}>
          {tr(lang, lt.status)}: {tr(lang, lt[`status_${action.status}`])}
        </span>
      </p>
      {(action.owner || action.due) && (
        <p class="muted small">
          {action.owner && (
            <>
              {tr(lang, lt.owner)}: {action.owner}
            </>
          )}
          {action.owner && action.due && ' · '}
          {action.due && (
            <>
              {tr(lang, lt.due)}: {formatIsoDate(lang, action.due)}
              {late && <span class="last-late"> {tr(lang, lt.late)}</span>}
            </>
          )}
        </p>
      )}
      {action.note && (
        <p class="last-action-note">
          {tr(lang, lt.latestNote)}: {action.note}
        </p>
      )}
      {steps.length > 0 && (
        <details class="last-history">
          <summary aria-label={`${tr(lang, lt.history, { n: steps.length })}: ${action.text}`}>
            {tr(lang, lt.history, { n: steps.length })}
          </summary>
          <ol>
            {steps.map((s, i) => (
              <li key={`${s.at}-${i}`}>
                <span class="muted small">
                  {s.by ? tr(lang, lt.stepBy, { when: formatDateTime(lang, s.at), by: s.by }) : formatDateTime(lang, s.at)}
                </span>{' '}
                <strong>{tr(lang, lt[`status_${s.status}`])}</strong>
                {s.note && <> – {s.note}</>}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}
