//! The screen's summary, once the facilitator shares it: the radar chart of the four areas with
//! its table, and the locked level of every indicator as a compact chip ("L1 3", the title for screen
//! readers), large enough for the back of the room and all within one 1920×1080 (or 1280×720) window.

import { pick, translate as tr, type Lang } from '../lib/i18n';
import { RadarChart } from '../lib/radarChart';
import { sumText } from '../lib/summaryStrings';
import { AreaTable, indicatorLevel } from '../lib/summaryView';
import { indicatorsByArea } from '../lib/session';
import type { Session, Summary } from '../lib/types';

export function ScreenSummary({ session, summary, lang }: { session: Session; summary: Summary; lang: Lang }) {
  return (
    <article class="screen-summary" aria-labelledby="screen-summary-title">
      <div class="screen-summary-head">
        <h1 id="screen-summary-title">{tr(lang, sumText.summaryTitle)}</h1>
        <p class="sum-status">{summary.open > 0 ? tr(lang, sumText.openCount, { count: summary.open }) : tr(lang, sumText.allLocked)}</p>
      </div>
      <div class="screen-summary-top">
        <RadarChart
          axes={summary.areas.map((a) => pick(a.name, lang))}
          series={[{ look: 'now', name: '', values: summary.areas.map((a) => a.average) }]}
          top={summary.top}
          lang={lang}
          class="radar-screen"
        />
        <AreaTable summary={summary} lang={lang} />
      </div>
      <div class="screen-levels-head">
        <h2>{tr(lang, sumText.levelsTitle)}</h2>
        {/* The key of the chips: a dash is an indicator still open (each chip says so to a screen reader). */}
        <p class="screen-levels-key" aria-hidden="true">
          <span class="screen-chip-level">–</span> {tr(lang, sumText.openLevel)}
        </p>
      </div>
      <div class="screen-levels">
        {indicatorsByArea(summary, session.areas).map((g) => {
          const name = g.area ? pick(g.area.name, lang) : tr(lang, sumText.otherArea);
          return (
            <section key={g.area?.id ?? '-'} class="screen-level-area" aria-label={name}>
              <h3>{name}</h3>
              {/* A chip per indicator, "L1 3": the room reads the id and the level, a screen reader the title too. */}
              <ul>
                {g.indicators.map((ind) => (
                  <li key={ind.id} class={ind.level === null ? 'screen-chip is-open' : 'screen-chip'}>
                    <span class="screen-chip-id">{ind.id}</span>
                    <span class="sr-only"> {pick(ind.title, lang)}</span>
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
    </article>
  );
}
