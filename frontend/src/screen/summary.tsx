//! The screen's summary, once the facilitator shares it: the radar chart of the four areas with
//! its table, and the locked level of every indicator, large enough for the back of the room.

import { pick, translate as tr, type Lang } from '../lib/i18n';
import { RadarChart } from '../lib/radarChart';
import { sumText } from '../lib/summaryStrings';
import { AreaTable, indicatorLevel } from '../lib/summaryView';
import { indicatorsByArea } from '../lib/session';
import type { Session, Summary } from '../lib/types';

export function ScreenSummary({ session, summary, lang }: { session: Session; summary: Summary; lang: Lang }) {
  return (
    <article class="screen-summary" aria-labelledby="screen-summary-title">
      <h1 id="screen-summary-title">{tr(lang, sumText.summaryTitle)}</h1>
      <p class="sum-status">{summary.open > 0 ? tr(lang, sumText.openCount, { count: summary.open }) : tr(lang, sumText.allLocked)}</p>
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
      <h2>{tr(lang, sumText.levelsTitle)}</h2>
      <div class="screen-levels">
        {indicatorsByArea(summary, session.areas).map((g) => {
          const name = g.area ? pick(g.area.name, lang) : tr(lang, sumText.otherArea);
          return (
            <section key={g.area?.id ?? '-'} class="screen-level-area" aria-label={name}>
              <h3>{name}</h3>
              <ul>
                {g.indicators.map((ind) => (
                  <li key={ind.id} class={ind.level === null ? 'screen-level is-open' : 'screen-level'}>
                    <span class="screen-level-num" aria-hidden="true">
                      {ind.level ?? '–'}
                    </span>
                    <span class="screen-level-text">
                      <span class="item-id">{ind.id}</span> {pick(ind.title, lang)}
                      <span class="sr-only">: {indicatorLevel(session, ind, lang)}</span>
                    </span>
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
