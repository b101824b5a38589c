//! The phone's summary, once the facilitator shares it: area averages, the action plan and
//! the locked level of every indicator, read-only. No chart: the phone bundle stays small.

import { translate as tr, type Lang } from '../lib/i18n';
import { sumText } from '../lib/summaryStrings';
import { AreaTable, LevelTables, PlanList } from '../lib/summaryView';
import type { Session, Summary } from '../lib/types';

export function PhoneSummary({ session, summary, lang }: { session: Session; summary: Summary; lang: Lang }) {
  return (
    <article class="phone-summary" aria-labelledby="phone-summary-title">
      <h1 id="phone-summary-title">{tr(lang, sumText.summaryTitle)}</h1>
      <p class="muted">{summary.open > 0 ? tr(lang, sumText.openCount, { count: summary.open }) : tr(lang, sumText.allLocked)}</p>
      <h2>{tr(lang, sumText.areasTitle)}</h2>
      <AreaTable summary={summary} lang={lang} quietCaption />
      <h2>{tr(lang, sumText.planTitle)}</h2>
      <PlanList actions={session.actions ?? []} session={session} lang={lang} />
      <h2>{tr(lang, sumText.levelsTitle)}</h2>
      <LevelTables summary={summary} session={session} lang={lang} headingLevel={3} />
    </article>
  );
}
