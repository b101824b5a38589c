//! The summary and the action plan as every view shows them: area averages, locked levels per
//! indicator, and the plan read-only. Presentation only; the phone loads it, so no chart here.

import { formatIsoDate, formatNumber } from './format';
import { pick, translate as tr, textLang, type Lang } from './i18n';
import { indicatorsByArea, itemById, scaleOf } from './session';
import { sumText } from './summaryStrings';
import type { IndicatorSummary, PlanAction, Session, Summary } from './types';
import { levelText } from './ui';

/** "3 – Påbörjad" for a locked level of indicator `id`, "Öppen" when none is locked. */
export function indicatorLevel(session: Session, ind: IndicatorSummary, lang: Lang): string {
  if (ind.level === null) return tr(lang, sumText.openLevel);
  const scale = scaleOf(session, itemById(session, ind.id));
  return scale ? levelText(scale, ind.level, lang) : String(ind.level);
}

/** An average level ("2,5"), or "ingen låst". */
export function averageText(lang: Lang, average: number | null): string {
  return average === null ? tr(lang, sumText.noAverage) : formatNumber(lang, average, 1);
}

/** The area averages as a table; the radar chart, where there is one, draws the same figures. */
export function AreaTable({ summary, lang, quietCaption = false }: { summary: Summary; lang: Lang; quietCaption?: boolean }) {
  return (
    <table class="dist-table sum-table">
      {/* Under a heading that says the same, the caption is for screen readers only. */}
      <caption class={quietCaption ? 'sr-only' : undefined}>{tr(lang, sumText.areasCaption)}</caption>
      <thead>
        <tr>
          <th scope="col">{tr(lang, sumText.colArea)}</th>
          <th scope="col" class="num">
            {tr(lang, sumText.colAverage)}
          </th>
          <th scope="col" class="num">
            {tr(lang, sumText.colLocked)}
          </th>
        </tr>
      </thead>
      <tbody>
        {summary.areas.map((a) => (
          <tr key={a.id}>
            <th scope="row" lang={textLang(a.name, lang)}>{pick(a.name, lang)}</th>
            <td class="num">{averageText(lang, a.average)}</td>
            <td class="num">{tr(lang, sumText.lockedOf, { locked: a.locked, n: a.indicators })}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * One table per area: each indicator with its locked level, and with `notes` the note and the
 * dissent beside it.
 */
export function LevelTables({
  summary,
  session,
  lang,
  notes = false,
  headingLevel = 3,
}: {
  summary: Summary;
  session: Session;
  lang: Lang;
  notes?: boolean;
  headingLevel?: 2 | 3 | 4;
}) {
  const H = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  return (
    <div class="level-tables">
      {indicatorsByArea(summary, session.areas).map((g) => {
        const name = g.area ? pick(g.area.name, lang) : tr(lang, sumText.otherArea);
        const caption = tr(lang, sumText.levelsCaption, { area: name });
        const table = (
          <table class="dist-table sum-table level-table">
            <caption class="sr-only">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(lang, sumText.colIndicator)}</th>
                <th scope="col">{tr(lang, sumText.colLevel)}</th>
                {notes && <th scope="col">{tr(lang, sumText.note)}</th>}
                {notes && <th scope="col">{tr(lang, sumText.dissent)}</th>}
              </tr>
            </thead>
            <tbody>
              {g.indicators.map((ind) => (
                <tr key={ind.id} class={ind.level === null ? 'row-open' : undefined}>
                  <th scope="row" lang={textLang(ind.title, lang)}>
                    {pick(ind.title, lang)}
                  </th>
                  <td class="level-cell">{indicatorLevel(session, ind, lang)}</td>
                  {notes && <td class="prose">{ind.note ?? ''}</td>}
                  {notes && <td class="prose">{ind.dissent ?? ''}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        );
        return (
          <section key={g.area?.id ?? '-'} class="level-area">
            <H>{name}</H>
            {notes ? (
              // Four columns do not fit a phone: the table scrolls sideways in a focusable region.
              <div class="table-scroll" role="region" aria-label={caption} tabIndex={0}>
                {table}
              </div>
            ) : (
              table
            )}
          </section>
        );
      })}
    </div>
  );
}

/** The action plan read-only, in priority order. */
export function PlanList({ actions, session, lang }: { actions: readonly PlanAction[]; session: Session; lang: Lang }) {
  if (actions.length === 0) return <p class="muted">{tr(lang, sumText.noActions)}</p>;
  return (
    <ol class="plan-list">
      {actions.map((a) => {
        const item = itemById(session, a.item);
        return (
          <li key={a.id} class="plan-entry">
            <p class="plan-text">{a.text}</p>
            <p class="plan-meta small">
              <span>
                {item ? pick(item.title, lang) : ''}
              </span>
              {a.owner && (
                <span>
                  {tr(lang, sumText.colOwner)}: {a.owner}
                </span>
              )}
              {a.due && (
                <span>
                  {tr(lang, sumText.colDue)}: {formatIsoDate(lang, a.due)}
                </span>
              )}
              <span class={`status status-${a.status}`}>{tr(lang, sumText[`status_${a.status}`])}</span>
            </p>
          </li>
        );
      })}
    </ol>
  );
}
