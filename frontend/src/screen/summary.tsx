//! The screen's summary, once the facilitator shares it, as a stage: the average level of each area
//! as a bar with the figure large at its end, and the locked level of every indicator as a chip
//! ("L1 3", the title for screen readers), grouped by area. The type scales with the window like the
//! rest of the stage (the title and the averages at least 1/20 of its height, nothing under 28 px at
//! 1080p) and the whole summary fits the window without scrolling. The bars are hidden from
//! assistive technology; a visually hidden table holds the same figures.

import { formatNumber } from '../lib/format';
import { pick, textLang, translate as tr, type Lang } from '../lib/i18n';
import { sumText } from '../lib/summaryStrings';
import { AreaTable, indicatorLevel } from '../lib/summaryView';
import { indicatorsByArea } from '../lib/session';
import type { Session, Summary } from '../lib/types';

export function ScreenSummary({ session, summary, lang }: { session: Session; summary: Summary; lang: Lang }) {
  const top = Math.max(1, summary.top);
  const groups = indicatorsByArea(summary, session.areas);
  return (
    <article class="screen-summary" aria-labelledby="screen-summary-title">
      <header class="ss-head">
        <h1 id="screen-summary-title">{tr(lang, sumText.summaryTitle)}</h1>
        <p class="ss-status">{summary.open > 0 ? tr(lang, sumText.openCount, { count: summary.open }) : tr(lang, sumText.allLocked)}</p>
      </header>
      <div class="ss-body">
        <section class="ss-areas" aria-labelledby="ss-areas-title">
          <h2 id="ss-areas-title" class="ss-title">
            {tr(lang, sumText.areasTitle)}
          </h2>
          <div class="sr-only">
            <AreaTable summary={summary} lang={lang} quietCaption />
          </div>
          <ul class="ss-area-list" aria-hidden="true">
            {summary.areas.map((a) => (
              <li key={a.id} class="ss-area">
                <span class="ss-area-name" lang={textLang(a.name, lang)}>
                  {pick(a.name, lang)}
                </span>
                <span class="ss-area-locked">{tr(lang, sumText.lockedOf, { locked: a.locked, n: a.indicators })}</span>
                <span class="ss-area-line">
                  <span class="ss-area-track">
                    {a.average !== null && <span class="ss-area-bar" style={{ width: `${(Math.min(a.average, top) / top) * 100}%` }} />}
                  </span>
                  <span class={a.average === null ? 'ss-avg is-none' : 'ss-avg'}>{a.average === null ? '–' : formatNumber(lang, a.average, 1)}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section class="ss-levels" aria-labelledby="ss-levels-title">
          <div class="ss-levels-head">
            <h2 id="ss-levels-title" class="ss-title">
              {tr(lang, sumText.levelsTitle)}
            </h2>
            {/* The key of the chips: a dash is an indicator still open (each chip says so to a screen reader). */}
            <p class="ss-key" aria-hidden="true">
              <span class="screen-chip-level">–</span> {tr(lang, sumText.openLevel)}
            </p>
          </div>
          <div class="ss-level-areas">
            {groups.map((g) => {
              const name = g.area ? pick(g.area.name, lang) : tr(lang, sumText.otherArea);
              const nameLang = g.area ? textLang(g.area.name, lang) : undefined;
              return (
                <section key={g.area?.id ?? '-'} class="ss-level-area" aria-label={name}>
                  <h3 lang={nameLang}>{name}</h3>
                  {/* A chip per indicator, "L1 3": the room reads the id and the level, a screen reader the title too. */}
                  <ul>
                    {g.indicators.map((ind) => (
                      <li key={ind.id} class={ind.level === null ? 'screen-chip is-open' : 'screen-chip'}>
                        <span class="screen-chip-id">{ind.id}</span>
                        <span class="sr-only" lang={textLang(ind.title, lang)}>
                          {' '}
                          {pick(ind.title, lang)}
                        </span>
                        <span class="screen-chip-level" aria-hidden="true">
                          {ind.level ?? '–'}
                        </span>
                        <span class="sr-only">: {indicatorLevel(session, ind, lang)}</span>
                      </li>
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        </section>
      </div>
    </article>
  );
}
