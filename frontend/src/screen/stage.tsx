//! What the projector shows of an item: big columns for a scale (with the two camps as the
//! headline when the group split), bars with big percentages for choice and points, the packed
//! word cloud, the locked consensus; the latest round large and earlier rounds compact. Every
//! chart is hidden from assistive technology and has a table (visually hidden) with the same
//! figures. Presentation only: state comes in as props.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { asWritten, byCount } from '../lib/cloud';
import { formatNumber, formatPercent, share } from '../lib/format';
import { pick, textLang, translate as tr, type Lang } from '../lib/i18n';
import { campLevels, countAt, scaleLevel, scaleOf, sortedLevels, visibleRounds } from '../lib/session';
import { common } from '../lib/strings';
import type { ChoiceItem, Item, PointsItem, Round, Scale, ScaleTally, Session, Tally, WordsTally } from '../lib/types';
import { levelText } from '../lib/ui';
import { packCloud, type CloudMemory, type Placed } from './stageCloud';
import { screen } from './strings';

/** A table for screen readers only (a table ignores width: 1px, so it sits in a clipped box). */
function HiddenTable({ caption, head, rows, langs }: { caption: string; head: string[]; rows: [string, ...string[]][]; langs?: (Lang | undefined)[] }) {
  return (
    <div class="sr-only">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th scope="col" key={i}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, ...cells], i) => (
            <tr key={i}>
              <th scope="row" lang={langs?.[i]}>
                {label}
              </th>
              {cells.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Columns per level with the count and the share above each; compact for an earlier round. */
function ScaleColumns({ round, scale, lang, compact }: { round: Round<ScaleTally>; scale: Scale; lang: Lang; compact: boolean }) {
  const tally = round.tally;
  if (!tally) return null;
  const levels = sortedLevels(scale);
  const total = tally.counts.reduce((a, b) => a + b, 0) + tally.not_relevant;
  const showNr = !!scale.not_relevant || tally.not_relevant > 0;
  const cols = levels.map((l) => ({ key: String(l.level), count: countAt(tally.counts, l.level), num: String(l.level), label: pick(l.label, lang), lang: textLang(l.label, lang) }));
  const nrLabel = scale.not_relevant ? pick(scale.not_relevant.label, lang) : tr(lang, common.notRelevantCount);
  if (showNr) cols.push({ key: 'nr', count: tally.not_relevant, num: '–', label: nrLabel, lang: scale.not_relevant ? textLang(scale.not_relevant.label, lang) : undefined });
  const max = Math.max(1, ...cols.map((c) => c.count));
  const camps = round.spread?.two_camps ? campLevels(tally.counts) : null;
  return (
    <figure class={compact ? 'st-cols st-compact' : 'st-cols'}>
      <div class="st-cols-chart" aria-hidden="true">
        {cols.map((c) => (
          <div class={camps && camps.includes(Number(c.key)) ? 'st-col is-camp' : 'st-col'} key={c.key}>
            <span class="st-col-figure">
              {!compact && <span class="st-col-pct">{formatPercent(lang, share(c.count, total))}</span>}
              <span class="st-col-count">{formatNumber(lang, c.count, 0)}</span>
            </span>
            <span class="st-col-track">
              <span class={c.count > 0 ? 'st-col-bar' : 'st-col-bar is-zero'} style={{ height: `${(c.count / max) * 100}%` }} />
            </span>
            <span class="st-col-num">{c.num}</span>
            {!compact && (
              <span class="st-col-label" lang={c.lang}>
                {c.key === 'nr' ? '' : c.label}
              </span>
            )}
          </div>
        ))}
      </div>
      <HiddenTable
        caption={tr(lang, common.distributionCaption, { n: round.number })}
        head={[tr(lang, common.colLevel), tr(lang, common.colAnswers), tr(lang, common.colShare)]}
        rows={[
          ...levels.map((l): [string, string, string] => {
            const count = countAt(tally.counts, l.level);
            return [levelText(scale, l.level, lang), formatNumber(lang, count, 0), formatPercent(lang, share(count, total))];
          }),
          ...(showNr ? [[nrLabel, formatNumber(lang, tally.not_relevant, 0), formatPercent(lang, share(tally.not_relevant, total))] as [string, string, string]] : []),
        ]}
      />
    </figure>
  );
}

/** The key figures of a scale round: two camps as the headline when split, else median and consensus. */
function ScaleFigures({ round, scale, lang, compact }: { round: Round<ScaleTally>; scale: Scale; lang: Lang; compact: boolean }) {
  const spread = round.spread;
  if (!spread || spread.n === 0 || spread.median === null) {
    return <p class="st-note">{tr(lang, common.noScaleAnswers)}</p>;
  }
  const camps = spread.two_camps && round.tally ? campLevels(round.tally.counts) : null;
  const median = formatNumber(lang, spread.median);
  const consensus = spread.consensus !== null ? formatPercent(lang, spread.consensus) : '–';
  if (compact) {
    return (
      <p class="st-compact-figures">
        {camps ? tr(lang, screen.twoCampsShort, { a: camps[0], b: camps[1] }) : `${tr(lang, common.median)} ${median}`}
      </p>
    );
  }
  return (
    <div class="st-figures">
      {camps && (
        <p class="st-camps">
          <strong>{tr(lang, screen.twoCampsHead, { a: camps[0], b: camps[1] })}</strong>
          <span class="st-camps-labels">
            <span lang={textLang(scaleLevel(scale, camps[0])?.label, lang)}>{pick(scaleLevel(scale, camps[0])?.label, lang)}</span> ·{' '}
            <span lang={textLang(scaleLevel(scale, camps[1])?.label, lang)}>{pick(scaleLevel(scale, camps[1])?.label, lang)}</span>
          </span>
        </p>
      )}
      <dl class={camps ? 'figures st-figures-list is-demoted' : 'figures st-figures-list'}>
        <div>
          <dt>{tr(lang, common.median)}</dt>
          <dd>{median}</dd>
        </div>
        <div>
          <dt>{tr(lang, common.consensus)}</dt>
          <dd>{consensus}</dd>
        </div>
      </dl>
    </div>
  );
}

interface BarRow {
  label: string;
  lang?: Lang;
  value: number;
  pct: string;
  cells: string[];
}

/** Horizontal bars with the share large at the end of each; compact for an earlier round. */
function StageBars({ rows, whole, compact, caption, head }: { rows: BarRow[]; whole: number; compact: boolean; caption: string; head: string[] }) {
  const max = Math.max(1, whole, ...rows.map((r) => r.value));
  return (
    <figure class={compact ? 'st-bars st-compact' : 'st-bars'} style={{ '--rows': rows.length }}>
      <div class="st-bars-chart" aria-hidden="true">
        {rows.map((r, i) => (
          <div class="st-bar-row" key={i}>
            <span class="st-bar-label" lang={r.lang}>
              {r.label}
            </span>
            {/* The share sits right at the end of its bar. */}
            <span class="st-bar-line">
              <span class={r.value > 0 ? 'st-bar' : 'st-bar is-zero'} style={{ width: `calc((100% - var(--pct-room)) * ${r.value / max})` }} />
              <span class="st-bar-pct">{r.pct}</span>
            </span>
          </div>
        ))}
      </div>
      <HiddenTable caption={caption} head={head} rows={rows.map((r) => [r.label, ...r.cells])} langs={rows.map((r) => r.lang)} />
    </figure>
  );
}

function ChoiceBars({ item, round, lang, compact }: { item: ChoiceItem; round: Round; lang: Lang; compact: boolean }) {
  const tally = round.tally as { counts: number[] } | null;
  if (!tally) return null;
  const rows = item.options.map((o, i) => {
    const count = tally.counts[i] ?? 0;
    const pct = formatPercent(lang, share(count, round.voted));
    return { label: pick(o, lang), lang: textLang(o, lang), value: count, pct, cells: [formatNumber(lang, count, 0), pct] };
  });
  return (
    <StageBars
      rows={rows}
      whole={round.voted}
      compact={compact}
      caption={tr(lang, common.choiceCaption, { n: round.number })}
      head={[tr(lang, common.colOption), tr(lang, common.colAnswers), tr(lang, common.colShare)]}
    />
  );
}

function PointsBars({ item, round, lang, compact }: { item: PointsItem; round: Round; lang: Lang; compact: boolean }) {
  const tally = round.tally as { totals: number[]; supporters: number[] } | null;
  if (!tally) return null;
  const all = tally.totals.reduce((a, b) => a + b, 0);
  const rows = item.options.map((o, i) => {
    const points = tally.totals[i] ?? 0;
    const pct = formatPercent(lang, share(points, all));
    return { label: pick(o, lang), lang: textLang(o, lang), value: points, pct, cells: [formatNumber(lang, points, 0), pct, formatNumber(lang, tally.supporters[i] ?? 0, 0)] };
  });
  return (
    <StageBars
      rows={rows}
      whole={0}
      compact={compact}
      caption={tr(lang, common.pointsCaption, { n: round.number })}
      head={[tr(lang, common.colOption), tr(lang, common.colPoints), tr(lang, common.colShare), tr(lang, common.colPeople)]}
    />
  );
}

const CLOUD_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif";
const CLOUD_WEIGHT = 700;

/** The packed word cloud, filling its box; words keep their places between updates. */
function StageCloud({ tally, lang, round, asList }: { tally: WordsTally; lang: Lang; round: number; asList: boolean }) {
  const words = asWritten(tally.words.filter((w) => !w.hidden));
  const boxRef = useRef<HTMLDivElement>(null);
  const memory = useRef<CloudMemory | null>(null);
  const [box, setBox] = useState<{ width: number; height: number } | null>(null);
  const [placed, setPlaced] = useState<Placed[]>([]);
  const [moving, setMoving] = useState(false);
  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const measure = () => setBox({ width: Math.floor(el.clientWidth), height: Math.floor(el.clientHeight) });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [asList]);
  const key = words.map((w) => `${w.text}\u0000${w.count}`).join('\u0001');
  useEffect(() => {
    if (!box || box.width < 32 || box.height < 32) return;
    const canvas = document.createElement('canvas');
    const before = memory.current;
    const { placed: next, memory: kept } = packCloud(words, box, { canvas: () => canvas, font: CLOUD_FONT, weight: CLOUD_WEIGHT, maxShare: 0.4 }, before);
    memory.current = kept;
    // Words move and grow when the words change; a new window size lays the cloud out anew, at once.
    setMoving(!!before && before.box.width === box.width && before.box.height === box.height);
    setPlaced(next);
    // `key` stands for the words and their counts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, box?.width, box?.height]);
  const list = byCount(words);
  return (
    <figure class="st-cloud-fig">
      {asList ? (
        <ol class="st-word-list" aria-hidden="true">
          {list.slice(0, 12).map((w) => (
            <li key={w.text}>
              <span class="st-word-text">{w.text}</span> <span class="st-word-count">{formatNumber(lang, w.count, 0)}</span>
            </li>
          ))}
        </ol>
      ) : (
        <div class="st-cloud cloud" ref={boxRef} aria-hidden="true">
          {words.length === 0 ? (
            <p class="st-note">{tr(lang, common.noWords)}</p>
          ) : (
            box && (
              <svg class={moving ? 'is-moving' : undefined} width={box.width} height={box.height} viewBox={`0 0 ${box.width} ${box.height}`} role="presentation">
                <g transform={`translate(${box.width / 2} ${box.height / 2})`}>
                  {placed.map((p) => (
                    <text
                      key={p.text}
                      class={`st-cloud-word tone-${p.tone}`}
                      text-anchor="middle"
                      style={{ transform: `translate(${p.x}px, ${p.y}px)`, fontSize: `${p.size}px`, fontFamily: CLOUD_FONT, fontWeight: CLOUD_WEIGHT }}
                    >
                      {p.text}
                    </text>
                  ))}
                </g>
              </svg>
            )
          )}
        </div>
      )}
      <HiddenTable
        caption={tr(lang, common.wordsCaption, { n: round })}
        head={[tr(lang, common.colWord), tr(lang, common.colCount)]}
        rows={list.map((w) => [w.text, formatNumber(lang, w.count, 0)])}
      />
    </figure>
  );
}

/** One round by kind, large or compact. */
function RoundView({ item, round, session, lang, compact, wordsAsList }: { item: Item; round: Round; session: Session; lang: Lang; compact: boolean; wordsAsList: boolean }) {
  if (item.kind !== 'scale' && item.kind !== 'choice' && item.kind !== 'points' && item.kind !== 'words') {
    return <p class="st-note">{tr(lang, common.unsupportedKind)}</p>;
  }
  if (round.voted === 0 && item.kind !== 'words') return <p class="st-note">{tr(lang, common.noVotes)}</p>;
  if (item.kind === 'scale') {
    const scale = scaleOf(session, item);
    if (!scale) return null;
    return (
      <div class={compact ? 'st-scale st-compact' : 'st-scale'}>
        <ScaleColumns round={round as Round<ScaleTally>} scale={scale} lang={lang} compact={compact} />
        <ScaleFigures round={round as Round<ScaleTally>} scale={scale} lang={lang} compact={compact} />
      </div>
    );
  }
  if (item.kind === 'choice') return <ChoiceBars item={item} round={round} lang={lang} compact={compact} />;
  if (item.kind === 'points') return <PointsBars item={item} round={round} lang={lang} compact={compact} />;
  const tally = round.tally as WordsTally | null;
  if (!tally) return null;
  if (compact) {
    return (
      <>
        <p class="st-compact-figures">{tr(lang, common.wordsTotal, { total: tally.total, people: round.voted })}</p>
        <HiddenTable
          caption={tr(lang, common.wordsCaption, { n: round.number })}
          head={[tr(lang, common.colWord), tr(lang, common.colCount)]}
          rows={byCount(asWritten(tally.words.filter((w) => !w.hidden))).map((w) => [w.text, formatNumber(lang, w.count, 0)])}
        />
      </>
    );
  }
  return <StageCloud tally={tally} lang={lang} round={round.number} asList={wordsAsList} />;
}

/**
 * The rounds that may be seen: the newest large, up to two earlier ones compact beside it
 * (newest first), so three rounds fit the stage.
 */
export function StageResults({ item, session, lang, wordsAsList, small }: { item: Item; session: Session; lang: Lang; wordsAsList: boolean; small?: boolean }) {
  const rounds = visibleRounds(item.rounds as Round<Tally>[]);
  if (rounds.length === 0) return null;
  const latest = rounds[rounds.length - 1];
  // Beside a locked consensus only the latest round, compact.
  const earlier = small ? [] : rounds.slice(0, -1).reverse().slice(0, 2);
  return (
    <section class={small ? 'st-results is-small' : 'st-results'} aria-labelledby={`results-${item.id}`}>
      <h2 id={`results-${item.id}`} class="sr-only">
        {tr(lang, common.results)}
      </h2>
      <div class={earlier.length > 0 ? 'st-results-grid has-earlier' : 'st-results-grid'}>
        <section class="st-round st-latest">
          <h3 class="st-round-title">
            {tr(lang, common.round, { n: latest.number })}
            {latest.open && <span class="st-live">{tr(lang, common.liveResults)}</span>}
          </h3>
          <RoundView item={item} round={latest} session={session} lang={lang} compact={!!small} wordsAsList={wordsAsList} />
        </section>
        {earlier.length > 0 && (
          <div class="st-earlier">
            <p class="st-earlier-title">{tr(lang, common.earlierRounds)}</p>
            {earlier.map((r) => (
              <section class="st-round" key={r.number}>
                <h3 class="st-round-title">{tr(lang, common.round, { n: r.number })}</h3>
                <RoundView item={item} round={r} session={session} lang={lang} compact wordsAsList={false} />
              </section>
            ))}
          </div>
        )}
      </div>
    </section>
  );
}
