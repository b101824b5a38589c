//! The console's "Summary and action plan": sharing, the radar chart of area averages with its
//! table, where the group disagreed most, every level with its note and dissent, the
//! prioritisation, the action plan, finishing the assessment, exports and deleting the session.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Membership } from '../lib/account';
import { formatNumber, formatPercent } from '../lib/format';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import { BUDGET_MAX, BUDGET_MIN, DEFAULT_BUDGET, DEFAULT_MAX_LEVEL, gapCandidates, indicatorOf } from '../lib/plan';
import { RadarChart } from '../lib/radarChart';
import { itemById, latestRound, scaleOf, showsSummary, sortedLevels } from '../lib/session';
import { sumText } from '../lib/summaryStrings';
import { AreaTable, LevelTables, indicatorLevel } from '../lib/summaryView';
import type { PlanAction, PointsItem, Scale, Session, Summary } from '../lib/types';
import { levelText } from '../lib/ui';
import { errorText, fieldError, useCommand, type Send } from './command';
import { DeleteSession, Exports } from './exports';
import { FinishForm } from './finish';
import { PlanToOrganisation } from './orgplan';
import { PlanEditor } from './plan';
import { sm } from './summaryStrings';

/** The scale of the session's indicators (the first scale item's). */
function indicatorScale(session: Session): Scale | null {
  for (const item of session.items) {
    const scale = scaleOf(session, item);
    if (scale) return scale;
  }
  return null;
}

/** Prioritisation items (points items made by start_prioritisation), newest last. */
export function prioritisations(session: Session): PointsItem[] {
  return session.items.filter((i): i is PointsItem => i.kind === 'points' && !!i.targets && i.targets.length > 0);
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="sum-section" id={id} aria-labelledby={`${id}-title`} tabIndex={-1}>
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
    </section>
  );
}

export function SummaryView({
  code,
  secret,
  session,
  lang,
  send,
  onOpenItem,
  organisation = null,
}: {
  code: string;
  secret: string | null;
  session: Session;
  lang: Lang;
  send: Send;
  onOpenItem: (id: string) => void;
  /** The organisation the session belongs to, when a signed-in member runs it (orgplan.tsx). */
  organisation?: Membership | null;
}) {
  const summary = session.summary ?? null;
  const actions = session.actions ?? [];
  if (!summary) return <p class="muted">{tr(lang, sm.title)}…</p>;
  const locked = summary.indicators.length - summary.open;
  // A seminar has no indicators: only its exports and deleting it make sense here.
  const workshop = summary.indicators.length > 0;
  const sections: [string, string][] = [
    ...(workshop
      ? ([
          ['sum-areas', tr(lang, sumText.areasTitle)],
          ['sum-disagree', tr(lang, sm.disagreeTitle)],
          ['sum-levels', tr(lang, sm.levelsNotesTitle)],
          ['sum-prio', tr(lang, sm.prioTitle)],
          ['sum-plan', tr(lang, sumText.planTitle)],
          ['sum-finish', tr(lang, sm.finishTitle)],
        ] as [string, string][])
      : []),
    ['sum-export', tr(lang, sm.exportTitle)],
    ['sum-delete', tr(lang, sm.deleteTitle)],
  ];

  return (
    <article class="summary-view" aria-labelledby="summary-title">
      <h2 id="summary-title" class="item-title" tabIndex={-1}>
        {workshop ? tr(lang, sm.title) : tr(lang, sm.titleSeminar)}
      </h2>
      {!workshop ? (
        <p class="muted">{tr(lang, sumText.noIndicators)}</p>
      ) : (
        <p class="sum-status">
          {tr(lang, sm.lockedLine, { locked, n: summary.indicators.length })}{' '}
          {summary.open > 0 ? tr(lang, sumText.openCount, { count: summary.open }) : tr(lang, sumText.allLocked)}
        </p>
      )}
      <nav class="jump" aria-label={tr(lang, sm.jumpTo)}>
        <ul>
          {sections.map(([id, title]) => (
            <li key={id}>
              <a
                href={`#${id}`}
                onClick={(e) => {
                  // The fragment holds the facilitator key: move focus without touching it.
                  e.preventDefault();
                  const el = document.getElementById(id);
                  el?.scrollIntoView({ block: 'start' });
                  el?.focus({ preventScroll: true });
                }}
              >
                {title}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      {workshop && (
        <WorkshopSections
          code={code}
          secret={secret}
          session={session}
          summary={summary}
          actions={actions}
          lang={lang}
          send={send}
          onOpenItem={onOpenItem}
          organisation={organisation}
        />
      )}

      <Section id="sum-export" title={tr(lang, sm.exportTitle)}>
        <Exports code={code} secret={secret} lang={lang} />
      </Section>

      <Section id="sum-delete" title={tr(lang, sm.deleteTitle)}>
        <DeleteSession code={code} secret={secret} title={session.title || code} lang={lang} />
      </Section>
    </article>
  );
}

function WorkshopSections({
  code,
  secret,
  session,
  summary,
  actions,
  lang,
  send,
  onOpenItem,
  organisation,
}: {
  code: string;
  secret: string | null;
  session: Session;
  summary: Summary;
  actions: PlanAction[];
  lang: Lang;
  send: Send;
  onOpenItem: (id: string) => void;
  organisation: Membership | null;
}) {
  return (
    <>
      <ShareBox session={session} lang={lang} send={send} />

      <Section id="sum-areas" title={tr(lang, sumText.areasTitle)}>
        <figure class="radar-fig" aria-label={tr(lang, sm.radarFigure)}>
          <RadarChart
            axes={summary.areas.map((a) => pick(a.name, lang))}
            series={[{ look: 'now', name: '', values: summary.areas.map((a) => a.average) }]}
            top={summary.top}
            lang={lang}
          />
          <AreaTable summary={summary} lang={lang} />
        </figure>
      </Section>

      <Section id="sum-disagree" title={tr(lang, sm.disagreeTitle)}>
        <Disagreements session={session} summary={summary} lang={lang} onOpenItem={onOpenItem} />
      </Section>

      <Section id="sum-levels" title={tr(lang, sm.levelsNotesTitle)}>
        {summary.indicators.length > 0 && (
          <p class="muted small">{summary.open > 0 ? tr(lang, sumText.openCount, { count: summary.open }) : tr(lang, sumText.allLocked)}</p>
        )}
        <LevelTables summary={summary} session={session} lang={lang} notes headingLevel={4} />
      </Section>

      <Section id="sum-prio" title={tr(lang, sm.prioTitle)}>
        <Prioritise session={session} summary={summary} lang={lang} send={send} onOpenItem={onOpenItem} />
        <Priorities session={session} summary={summary} lang={lang} />
      </Section>

      <Section id="sum-plan" title={tr(lang, sumText.planTitle)}>
        <PlanEditor code={code} secret={secret} session={session} summary={summary} actions={actions} lang={lang} send={send} />
      </Section>

      <Section id="sum-finish" title={tr(lang, sm.finishTitle)}>
        <FinishForm occasion={session.occasion ?? null} lang={lang} send={send} organisationName={organisation?.name ?? null} organisationId={organisation?.id ?? null} />
        {/* Once finished, an organisation's workshop offers its actions to the organisation's living plan. */}
        {organisation && session.occasion && <PlanToOrganisation code={code} org={organisation} lang={lang} />}
      </Section>
    </>
  );
}

function ShareBox({ session, lang, send }: { session: Session; lang: Lang; send: Send }) {
  const cmd = useCommand(send);
  const shared = !!session.summary_shared;
  const waitingFor = shared && !showsSummary(session) ? session.current : null;
  return (
    <section class={shared ? 'share-box share-on' : 'share-box'} aria-labelledby="share-title">
      <h3 id="share-title" class="sr-only">
        {tr(lang, sm.shareTitle)}
      </h3>
      <p class={shared ? 'shown-yes' : 'muted'} aria-live="polite">
        {shared ? tr(lang, sm.sharedYes) : tr(lang, sm.sharedNo)}
        {waitingFor && <> {tr(lang, sm.sharedWaiting, { title: pick(itemById(session, waitingFor)?.title, lang) })}</>}
      </p>
      {waitingFor && (
        <button type="button" class="btn btn-primary" onClick={() => send({ type: 'goto', item: null })}>
          {tr(lang, sm.showSummaryInstead)}
        </button>
      )}
      <button
        type="button"
        class={shared ? 'btn' : 'btn btn-primary'}
        disabled={cmd.busy}
        onClick={() => cmd.run({ type: 'share_summary', shared: !shared })}
      >
        {shared ? tr(lang, sm.unshare) : tr(lang, sm.share)}
      </button>
      <p class="field-error" role="alert">
        {cmd.error ? errorText(lang, cmd.error) : ''}
      </p>
    </section>
  );
}

function Disagreements({
  session,
  summary,
  lang,
  onOpenItem,
}: {
  session: Session;
  summary: Summary;
  lang: Lang;
  onOpenItem: (id: string) => void;
}) {
  if (summary.disagreements.length === 0) return <p class="muted">{tr(lang, sm.disagreeNone)}</p>;
  return (
    <>
      <p class="muted small">{tr(lang, sm.disagreeHelp)}</p>
      <ol class="disagree-list">
        {summary.disagreements.map((id) => {
          const ind = indicatorOf(summary, id);
          if (!ind) return null;
          return (
            <li key={id}>
              <span class="disagree-text">
                {pick(ind.title, lang)}
                <span class="muted small">
                  {' · '}
                  {ind.first_consensus !== null && tr(lang, sm.firstConsensus, { pct: formatPercent(lang, ind.first_consensus) })}
                  {' · '}
                  {tr(lang, sm.lockedAs, { level: indicatorLevel(session, ind, lang) })}
                </span>
              </span>
              <button
                type="button"
                class="btn btn-small"
                aria-label={tr(lang, sm.openItemLabel, { title: pick(ind.title, lang) })}
                onClick={() => onOpenItem(id)}
              >
                {tr(lang, sm.openItem)}
              </button>
            </li>
          );
        })}
      </ol>
    </>
  );
}

function Prioritise({
  session,
  summary,
  lang,
  send,
  onOpenItem,
}: {
  session: Session;
  summary: Summary;
  lang: Lang;
  send: Send;
  onOpenItem: (id: string) => void;
}) {
  const scale = indicatorScale(session);
  const top = summary.top || 5;
  const [maxLevel, setMaxLevel] = useState(Math.min(DEFAULT_MAX_LEVEL, top));
  const [budget, setBudget] = useState(String(DEFAULT_BUDGET));
  const [budgetBad, setBudgetBad] = useState(false);
  const cmd = useCommand(send);
  const chosen = gapCandidates(summary, maxLevel);
  const running = prioritisations(session).filter((p) => p.phase === 'voting' || p.phase === 'closed');

  const submit = (e: Event) => {
    e.preventDefault();
    if (cmd.busy) return;
    const value = Number(budget);
    if (!Number.isInteger(value) || value < BUDGET_MIN || value > BUDGET_MAX) {
      setBudgetBad(true);
      document.getElementById('prio-budget')?.focus();
      return;
    }
    setBudgetBad(false);
    // The server opens the vote and makes it current; the console follows it there.
    cmd.run({ type: 'start_prioritisation', max_level: maxLevel, budget: value });
  };

  const budgetError = budgetBad ? tr(lang, sm.prioBudgetInvalid) : fieldError(lang, cmd.error, ['budget'], 'budget');
  const refusal = cmd.error && !fieldError(lang, cmd.error, ['budget'], 'budget') ? cmd.error : null;
  const levels = scale ? sortedLevels(scale) : Array.from({ length: top }, (_, i) => ({ level: i + 1 }));

  return (
    <div class="prioritise">
      <p class="muted small">{tr(lang, sm.prioHelp)}</p>
      {running.map((p) => (
        <p key={p.id} class="prio-running">
          <span>{tr(lang, sm.prioRunning, { title: pick(p.title, lang), voted: latestRound(p)?.voted ?? 0 })}</span>{' '}
          <button type="button" class="btn btn-small" onClick={() => onOpenItem(p.id)}>
            {tr(lang, sm.prioShow)}
          </button>
        </p>
      ))}
      <form class="prio-form" onSubmit={submit} noValidate aria-label={tr(lang, sm.prioTitle)}>
        <div class="action-fields">
          <div>
            <label for="prio-level">{tr(lang, sm.prioMaxLevel)}</label>
            <select
              id="prio-level"
              value={maxLevel}
              aria-describedby="prio-level-help prio-preview"
              onChange={(e) => setMaxLevel(Number((e.target as HTMLSelectElement).value))}
            >
              {levels.map((l) => (
                <option key={l.level} value={l.level}>
                  {scale ? levelText(scale, l.level, lang) : String(l.level)}
                </option>
              ))}
            </select>
            <p id="prio-level-help" class="muted small">
              {tr(lang, sm.prioMaxLevelHelp)}
            </p>
          </div>
          <div>
            <label for="prio-budget">{tr(lang, sm.prioBudget)}</label>
            <input
              id="prio-budget"
              type="number"
              inputMode="numeric"
              min={BUDGET_MIN}
              max={BUDGET_MAX}
              step={1}
              value={budget}
              class="input-short"
              aria-invalid={budgetError ? true : undefined}
              aria-describedby={budgetError ? 'prio-budget-help prio-budget-error' : 'prio-budget-help'}
              onInput={(e) => {
                setBudget((e.target as HTMLInputElement).value);
                setBudgetBad(false);
              }}
            />
            <p id="prio-budget-help" class="muted small">
              {tr(lang, sm.prioBudgetHelp)}
            </p>
            {budgetError && (
              <p id="prio-budget-error" class="field-error">
                {budgetError}
              </p>
            )}
          </div>
        </div>
        <p id="prio-preview" class="prio-preview" aria-live="polite">
          {chosen.length >= 2
            ? tr(lang, sm.prioWillTake, { count: chosen.length, list: chosen.map((c) => pick(c.title, lang)).join(', ') })
            : tr(lang, sm.prioTooFew, { count: chosen.length })}
        </p>
        <p class="field-error" role="alert">
          {refusal ? `${tr(lang, sm.prioRefused)} ${errorText(lang, refusal)}` : ''}
        </p>
        <button type="submit" class="btn btn-primary" disabled={cmd.busy}>
          {cmd.busy ? tr(lang, sm.prioStarting) : tr(lang, sm.prioStart)}
        </button>
      </form>
    </div>
  );
}

function Priorities({ session, summary, lang }: { session: Session; summary: Summary; lang: Lang }) {
  return (
    <section class="priorities" aria-labelledby="prio-result-title">
      <h4 id="prio-result-title">{tr(lang, sm.prioResultTitle)}</h4>
      {summary.priorities.length === 0 ? (
        <p class="muted">{tr(lang, sm.prioNone)}</p>
      ) : (
        <div class="table-scroll" role="region" aria-label={tr(lang, sm.prioResultCaption)} tabIndex={0}>
          <table class="dist-table sum-table">
            <caption>{tr(lang, sm.prioResultCaption)}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  {tr(lang, sm.colRank)}
                </th>
                <th scope="col">{tr(lang, sumText.colIndicator)}</th>
                <th scope="col">{tr(lang, sumText.colLevel)}</th>
                <th scope="col" class="num">
                  {tr(lang, sm.colPoints)}
                </th>
                <th scope="col" class="num">
                  {tr(lang, sm.colPeople)}
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.priorities.map((p, i) => {
                const ind = indicatorOf(summary, p.item);
                const item = itemById(session, p.item);
                return (
                  <tr key={p.item}>
                    <td class="num">{i + 1}</td>
                    <th scope="row">
                      {ind ? pick(ind.title, lang) : item ? pick(item.title, lang) : ''}
                    </th>
                    <td>{ind ? indicatorLevel(session, ind, lang) : ''}</td>
                    <td class="num">{formatNumber(lang, p.points, 0)}</td>
                    <td class="num">{formatNumber(lang, p.supporters, 0)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

