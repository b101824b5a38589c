//! Results of a round by item kind: the scale distribution, bars for choice and points, the
//! word cloud; each chart has a table (or list) of the same figures beside it.
//! Presentation only: state comes in as props.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { asWritten, byCount, cloudLayout } from './cloud';
import { formatNumber, formatPercent, share } from './format';
import { pick, translate as tr, textLang, type Lang } from './i18n';
import { scaleOf, visibleRounds } from './session';
import { common } from './strings';
import type { ChoiceItem, Item, PointsItem, Round, ScaleTally, Session, Tally, WordGroup, WordsTally } from './types';
import { Distribution, SpreadFigures } from './ui';

type H = 2 | 3 | 4;

interface BarRow {
  label: string;
  /** The label's language where it is not the page's (`textLang`). */
  labelLang?: Lang;
  value: number;
  /** Table cells after the label, already formatted. */
  cells: string[];
  /** A short note under the bar (e.g. "given by 35 people"). */
  note?: string;
}

/**
 * Horizontal bars (long option texts fit on a phone) with a table of the same figures. The
 * bars are hidden from assistive technology because the table says it all.
 */
function Bars({
  rows,
  head,
  caption,
  chartLabel,
  whole,
}: {
  rows: BarRow[];
  head: string[];
  caption: string;
  chartLabel: string;
  /** What a full bar stands for (e.g. everyone who answered); by default the largest value. */
  whole?: number;
}) {
  const max = Math.max(1, whole ?? 0, ...rows.map((r) => r.value));
  return (
    <figure class="bars-fig">
      <div class="bars" aria-hidden="true" title={chartLabel}>
        {rows.map((r, i) => (
          <div class="bar-row" key={i}>
            <span class="bar-label" lang={r.labelLang}>{r.label}</span>
            <span class="bar-line">
              <span class="bar-track">
                <span class={r.value > 0 ? 'bar-fill' : 'bar-fill bar-zero'} style={{ width: `${(r.value / max) * 100}%` }} />
              </span>
              <span class="bar-value">{r.cells[0]}</span>
            </span>
            {r.note && <span class="bar-note">{r.note}</span>}
          </div>
        ))}
      </div>
      <table class="dist-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th scope="col" key={i} class={i > 0 ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <th scope="row" lang={r.labelLang}>
                {r.label}
              </th>
              {r.cells.map((c, j) => (
                <td class="num" key={j}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export function ChoiceResult({ item, round, lang }: { item: ChoiceItem; round: Round; lang: Lang }) {
  const tally = round.tally as { counts: number[] } | null;
  if (!tally) return null;
  const rows = item.options.map((o, i) => {
    const count = tally.counts[i] ?? 0;
    return {
      label: pick(o, lang),
      labelLang: textLang(o, lang),
      value: count,
      cells: [formatNumber(lang, count, 0), formatPercent(lang, share(count, round.voted))],
    };
  });
  return (
    <>
      <Bars
        rows={rows}
        head={[tr(lang, common.colOption), tr(lang, common.colAnswers), tr(lang, common.colShare)]}
        caption={tr(lang, common.choiceCaption, { n: round.number })}
        chartLabel={tr(lang, common.choiceChartLabel)}
        whole={round.voted}
      />
      {item.multiple && <p class="muted small">{tr(lang, common.choiceShareHelp)}</p>}
    </>
  );
}

export function PointsResult({ item, round, lang }: { item: PointsItem; round: Round; lang: Lang }) {
  const tally = round.tally as { totals: number[]; supporters: number[] } | null;
  if (!tally) return null;
  const all = tally.totals.reduce((a, b) => a + b, 0);
  const rows = item.options.map((o, i) => {
    const points = tally.totals[i] ?? 0;
    const people = tally.supporters[i] ?? 0;
    return {
      label: pick(o, lang),
      labelLang: textLang(o, lang),
      value: points,
      cells: [formatNumber(lang, points, 0), formatPercent(lang, share(points, all)), formatNumber(lang, people, 0)],
      note: tr(lang, common.givenBy, { count: people }),
    };
  });
  return (
    <>
      <Bars
        rows={rows}
        head={[tr(lang, common.colOption), tr(lang, common.colPoints), tr(lang, common.colShare), tr(lang, common.colPeople)]}
        caption={tr(lang, common.pointsCaption, { n: round.number })}
        chartLabel={tr(lang, common.choiceChartLabel)}
      />
      <p class="muted small">{tr(lang, common.pointsTotal, { points: all, people: round.voted })}</p>
    </>
  );
}

/**
 * The word cloud with its list: the cloud is decoration for sighted readers; the list (a
 * table with counts) is always there for screen readers and shown on request ("Show as
 * list"). With `moderator`, hidden and filtered words stay in, struck through and dimmed.
 */
export function WordCloud({
  words,
  total,
  voted,
  round,
  lang,
  moderator = false,
  maxEm = 4,
}: {
  words: readonly WordGroup[];
  total: number;
  voted: number;
  round: number;
  lang: Lang;
  moderator?: boolean;
  maxEm?: number;
}) {
  const [asList, setAsList] = useState(false);
  const shown = asWritten(moderator ? words : words.filter((w) => !w.hidden));
  if (shown.length === 0) return <p class="muted">{tr(lang, common.noWords)}</p>;
  const cloud = cloudLayout(shown, { maxEm });
  const flag = (w: { hidden?: boolean; filtered?: boolean }) =>
    [w.hidden && tr(lang, common.wordHidden), w.filtered && tr(lang, common.wordFiltered)].filter(Boolean).join(', ');
  return (
    <figure class="cloud-fig">
      <div class="cloud-bar">
        <p class="muted small">{tr(lang, common.wordsTotal, { total, people: voted })}</p>
        <button type="button" class="btn btn-small" aria-pressed={asList} onClick={() => setAsList(!asList)}>
          {tr(lang, common.showList)}
        </button>
      </div>
      {!asList && (
        <div class="cloud" aria-hidden="true">
          {cloud.map((w) => (
            <span
              key={w.text}
              class={`cloud-word tone-${w.tone}${w.hidden ? ' cloud-hidden' : ''}`}
              style={{ fontSize: `${w.size}em`, fontWeight: w.weight > 0.66 ? 800 : w.weight > 0.33 ? 700 : 600 }}
              title={`${w.text}: ${w.count}`}
            >
              {w.text}
            </span>
          ))}
        </div>
      )}
      {/* A visually hidden table must sit in a clipped box: a table ignores width: 1px. */}
      <div class={asList ? undefined : 'sr-only'}>
      <table class="dist-table word-table">
        <caption>{tr(lang, common.wordsCaption, { n: round })}</caption>
        <thead>
          <tr>
            <th scope="col">{tr(lang, common.colWord)}</th>
            <th scope="col" class="num">
              {tr(lang, common.colCount)}
            </th>
          </tr>
        </thead>
        <tbody>
          {byCount(shown).map((w) => (
            <tr key={w.text} class={w.hidden ? 'row-hidden' : undefined}>
              <th scope="row">
                {w.text}
                {moderator && flag(w) && <span class="muted small"> ({flag(w)})</span>}
              </th>
              <td class="num">{formatNumber(lang, w.count, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}

/** One round's result by kind: heading, chart and table, and (scale) the spread figures. */
export function RoundResult({
  item,
  round,
  session,
  lang,
  full = false,
  moderator = false,
  headingLevel = 3,
  cloudMaxEm,
  children,
}: {
  item: Item;
  round: Round;
  session: Session;
  lang: Lang;
  full?: boolean;
  moderator?: boolean;
  headingLevel?: H;
  cloudMaxEm?: number;
  children?: ComponentChildren;
}) {
  const Hx = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  let body: ComponentChildren;
  if (round.voted === 0 && (item.kind === 'scale' || item.kind === 'choice' || item.kind === 'points')) {
    body = <p class="muted">{tr(lang, common.noVotes)}</p>;
  } else if (item.kind === 'scale') {
    const scale = scaleOf(session, item);
    body = scale && (
      <>
        <Distribution round={round as Round<ScaleTally>} scale={scale} lang={lang} />
        {round.spread && <SpreadFigures spread={round.spread} lang={lang} full={full} notRelevant={!!scale.not_relevant} />}
      </>
    );
  } else if (item.kind === 'choice') {
    body = <ChoiceResult item={item} round={round} lang={lang} />;
  } else if (item.kind === 'points') {
    body = <PointsResult item={item} round={round} lang={lang} />;
  } else if (item.kind === 'words') {
    const tally = round.tally as WordsTally | null;
    body = tally && (
      <WordCloud
        words={tally.words}
        total={tally.total}
        voted={round.voted}
        round={round.number}
        lang={lang}
        moderator={moderator}
        maxEm={cloudMaxEm}
      />
    );
  } else {
    body = <p class="muted">{tr(lang, common.unsupportedKind)}</p>;
  }
  return (
    <section class={`round-result round-${item.kind}`}>
      <Hx class="round-title">
        {tr(lang, common.round, { n: round.number })}
        {round.open && !moderator && <span class="live-tag">{tr(lang, common.liveResults)}</span>}
        {children}
      </Hx>
      {body}
    </section>
  );
}

/**
 * The rounds of an item that participants and screens may see: newest large, earlier ones
 * beside. The server sends a tally only when it may be seen (revealed, or results live).
 */
export function ItemResults({
  item,
  session,
  lang,
  headingLevel = 2,
  cloudMaxEm,
}: {
  item: Item;
  session: Session;
  lang: Lang;
  headingLevel?: 2 | 3;
  cloudMaxEm?: number;
}) {
  const rounds = visibleRounds(item.rounds as Round<Tally>[]);
  if (rounds.length === 0) return null;
  const latest = rounds[rounds.length - 1];
  const earlier = rounds.slice(0, -1).reverse();
  const Hx = `h${headingLevel}` as 'h2' | 'h3';
  const sub = (headingLevel + 1) as 3 | 4;
  return (
    <section class="results" aria-labelledby={`results-${item.id}`}>
      <Hx id={`results-${item.id}`}>{tr(lang, common.results)}</Hx>
      <div class="results-grid">
        <RoundResult item={item} round={latest} session={session} lang={lang} headingLevel={sub} cloudMaxEm={cloudMaxEm} />
        {earlier.length > 0 && (
          <div class="earlier">
            <p class="earlier-title">{tr(lang, common.earlierRounds)}</p>
            {earlier.map((r) => (
              <RoundResult
                key={r.number}
                item={item}
                round={r}
                session={session}
                lang={lang}
                headingLevel={sub}
                cloudMaxEm={2}
              />
            ))}
          </div>
        )}
      </div>
    </section>
  );
}
