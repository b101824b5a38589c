//! Preact components shared by the live views: language toggle, connection notice, error
//! alert, distribution chart with its table, spread figures, consensus, live announcer.
//! Presentation only: state comes in as props, commands go out through callbacks.

import type { ComponentChildren } from 'preact';
import { otherLang, pick, translate as tr, textLang, type Lang } from './i18n';
import { useThrottledText } from './throttle';
import { formatDateTime, formatNumber, formatPercent, share } from './format';
import type { ErrorInfo } from './reducer';
import type { ConnectionStatus } from './socket';
import { common, errorMsg, kindNames, phaseNames } from './strings';
import { countAt, latestRound, scaleLevel, scaleOf, sortedLevels } from './session';
import type { Consensus, Item, Kind, Phase, Role, Round, Scale, ScaleTally, Session, Spread } from './types';

export function LangToggle({ lang, setLang }: { lang: Lang; setLang: (l: Lang) => void }) {
  const target = otherLang(lang);
  return (
    <button
      type="button"
      class="lang-toggle"
      lang={target}
      onClick={() => setLang(target)}
    >
      {tr(lang, common.switchLang)}
    </button>
  );
}

/**
 * A calm notice while the socket is not joined; nothing when all is well. The wording follows
 * the role: only a participant has answers to keep. `crowded`: a phone the server held back while
 * many join; the client tries again by itself.
 */
export function ConnectionNotice({
  status,
  lang,
  role = 'participant',
  crowded = false,
}: {
  status: ConnectionStatus;
  lang: Lang;
  role?: Role;
  crowded?: boolean;
}) {
  const text =
    crowded && role === 'participant' && (status === 'connecting' || status === 'reconnecting')
      ? tr(lang, common.crowded)
      : status === 'connecting'
      ? tr(lang, common.connecting)
      : status === 'reconnecting'
        ? tr(lang, role === 'participant' ? common.reconnecting : role === 'screen' ? common.reconnectingScreen : common.reconnectingFacilitator)
        : '';
  return (
    <div class={text ? 'notice notice-connection' : 'notice-empty'} role="status">
      {text && <span class="spinner" aria-hidden="true" />}
      {text}
    </div>
  );
}

/** The latest command error; the alert region is always in the DOM so that it is announced. */
export function ErrorAlert({
  error,
  lang,
  onDismiss,
}: {
  error: ErrorInfo | null;
  lang: Lang;
  onDismiss: () => void;
}) {
  return (
    <div role="alert" class={error ? 'alert' : 'alert-empty'}>
      {error && (
        <>
          <p>
            <strong>{tr(lang, errorMsg(error.code))}</strong>{' '}
            {error.message && <span class="muted">({error.message})</span>}
          </p>
          <button type="button" class="btn btn-small" onClick={onDismiss}>
            {tr(lang, common.dismiss)}
          </button>
        </>
      )}
    </div>
  );
}

/** The page body when the server refused the hello for good (no session, wrong key). */
export function Refused({
  code,
  errorCode,
  lang,
  children,
}: {
  code: string;
  errorCode: string;
  lang: Lang;
  children?: ComponentChildren;
}) {
  const [title, text] =
    errorCode === 'unknown_session'
      ? [common.unknownSessionTitle, tr(lang, common.unknownSession, { code })]
      : errorCode === 'forbidden'
        ? [common.forbiddenTitle, tr(lang, common.forbidden)]
        : [common.refusedTitle, tr(lang, common.refused)];
  return (
    <section class="refused">
      <h1>{tr(lang, title)}</h1>
      <p>{text}</p>
      {children}
    </section>
  );
}

/** "3 of 9 have answered" for screen readers, at most every few seconds and the final count at once. */
export function ThrottledProgress({ voted, total, lang }: { voted: number; total: number; lang: Lang }) {
  const text = useThrottledText(tr(lang, common.votedOf, { voted, total }), voted >= total);
  return (
    <div class="sr-only" aria-live="polite" aria-atomic="true">
      {text}
    </div>
  );
}

/** Polite announcements of voting progress and results for screen-reader users. */
export function LiveAnnouncer({ text }: { text: string }) {
  return (
    <div class="sr-only" aria-live="polite" aria-atomic="true">
      {text}
    </div>
  );
}

export function PhaseBadge({ phase, lang }: { phase: Phase; lang: Lang }) {
  return <span class={`badge badge-${phase}`}>{tr(lang, phaseNames[phase])}</span>;
}

/** Small line icons per kind (24 × 24, stroke in the current colour). */
const KIND_ICONS: Record<Kind, string> = {
  scale: 'M4 20v-4M10 20v-8M16 20v-12M22 20V4',
  choice: 'M3 5h4v4H3zM3 15h4v4H3zM10 7h11M10 17h11M4 7l1 1 2-2',
  points: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 7v10M9 10h6',
  words: 'M7 18h10a4 4 0 0 0 0-8a5 5 0 0 0-9.6-1.5A4.5 4.5 0 0 0 7 18z',
};

/** The kind of an item: an icon and its name. */
export function KindBadge({ kind, lang }: { kind: Kind; lang: Lang }) {
  return (
    <span class={`kind kind-${kind}`}>
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
        <path d={KIND_ICONS[kind]} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
      </svg>
      {tr(lang, kindNames[kind])}
    </span>
  );
}

/** "3 – Påbörjad" */
export function levelText(scale: Scale, level: number, lang: Lang): string {
  const l = scaleLevel(scale, level);
  const label = l ? pick(l.label, lang) : '';
  // A seminar scale may label its middle levels with their number alone: "2", not "2 – 2".
  return label && label !== String(level) ? `${level} – ${label}` : String(level);
}

/**
 * A column chart of one round's tally with a table of the same figures beside it. The
 * chart is hidden from assistive technology because the table says it all.
 */
export function Distribution({ round, scale, lang }: { round: Round<ScaleTally>; scale: Scale; lang: Lang }) {
  const tally = round.tally;
  if (!tally) return null;
  const levels = sortedLevels(scale);
  const total = tally.counts.reduce((a, b) => a + b, 0) + tally.not_relevant;
  const max = Math.max(1, ...tally.counts, tally.not_relevant);
  const nr = scale.not_relevant;
  const bar = (count: number) => ({ height: `${(count / max) * 100}%` });
  return (
    <figure class="dist">
      <div class="chart" aria-hidden="true" title={tr(lang, common.chartLabel, { n: round.number })}>
        {levels.map((l) => {
          const count = countAt(tally.counts, l.level);
          return (
            <div class="col" key={l.level}>
              <span class="col-count">{formatNumber(lang, count, 0)}</span>
              <span class="col-track">
                <span class={count > 0 ? 'col-bar' : 'col-bar col-bar-zero'} style={bar(count)} />
              </span>
              <span class="col-level">{l.level}</span>
            </div>
          );
        })}
        {(nr || tally.not_relevant > 0) && (
          <div class="col col-nr">
            <span class="col-count">{formatNumber(lang, tally.not_relevant, 0)}</span>
            <span class="col-track">
              <span
                class={tally.not_relevant > 0 ? 'col-bar' : 'col-bar col-bar-zero'}
                style={bar(tally.not_relevant)}
              />
            </span>
            <span class="col-level">{nr ? pick(nr.label, lang) : tr(lang, common.notRelevantCount)}</span>
          </div>
        )}
      </div>
      <table class="dist-table">
        <caption>{tr(lang, common.distributionCaption, { n: round.number })}</caption>
        <thead>
          <tr>
            <th scope="col">{tr(lang, common.colLevel)}</th>
            <th scope="col" class="num">
              {tr(lang, common.colAnswers)}
            </th>
            <th scope="col" class="num">
              {tr(lang, common.colShare)}
            </th>
          </tr>
        </thead>
        <tbody>
          {levels.map((l) => {
            const count = countAt(tally.counts, l.level);
            return (
              <tr key={l.level}>
                <th scope="row">{levelText(scale, l.level, lang)}</th>
                <td class="num">{formatNumber(lang, count, 0)}</td>
                <td class="num">{formatPercent(lang, share(count, total))}</td>
              </tr>
            );
          })}
          {(nr || tally.not_relevant > 0) && (
            <tr class="row-nr">
              <th scope="row">{nr ? pick(nr.label, lang) : tr(lang, common.notRelevantCount)}</th>
              <td class="num">{formatNumber(lang, tally.not_relevant, 0)}</td>
              <td class="num">{formatPercent(lang, share(tally.not_relevant, total))}</td>
            </tr>
          )}
        </tbody>
      </table>
    </figure>
  );
}

/** Median and consensus always; with `full`, every figure of the spread. */
export function SpreadFigures({
  spread,
  lang,
  full = false,
  notRelevant = true,
}: {
  spread: Spread;
  lang: Lang;
  full?: boolean;
  /** Whether the scale has "not relevant" (a seminar's scale may not). */
  notRelevant?: boolean;
}) {
  if (spread.n === 0 || spread.median === null) {
    return <p class="muted">{tr(lang, common.noScaleAnswers)}</p>;
  }
  const rows: [string, string, string?][] = [
    [tr(lang, common.median), formatNumber(lang, spread.median)],
    [
      tr(lang, common.consensus),
      spread.consensus !== null ? formatPercent(lang, spread.consensus) : '–',
      tr(lang, common.consensusHelp),
    ],
  ];
  if (full) {
    if (spread.iqr !== null) rows.push([tr(lang, common.iqr), formatNumber(lang, spread.iqr)]);
    if (spread.within_one !== null) rows.push([tr(lang, common.withinOne), formatPercent(lang, spread.within_one)]);
    if (spread.mode_share !== null) rows.push([tr(lang, common.modeShare), formatPercent(lang, spread.mode_share)]);
    rows.push([tr(lang, common.answersOnScale), formatNumber(lang, spread.n, 0)]);
    if (notRelevant || spread.not_relevant > 0) rows.push([tr(lang, common.notRelevantCount), formatNumber(lang, spread.not_relevant, 0)]);
  }
  return (
    <>
      <dl class="figures">
        {rows.map(([label, value, help]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              {value}
              {help && <span class="figure-help">{help}</span>}
            </dd>
          </div>
        ))}
      </dl>
      {spread.two_camps && <p class="camps">{tr(lang, common.twoCamps)}</p>}
    </>
  );
}

export function ConsensusView({
  consensus,
  scale,
  lang,
  headingLevel = 2,
}: {
  consensus: Consensus;
  scale: Scale;
  lang: Lang;
  headingLevel?: 2 | 3;
}) {
  const H = `h${headingLevel}` as 'h2' | 'h3';
  const level = scaleLevel(scale, consensus.level);
  return (
    <section class="consensus" aria-label={tr(lang, common.agreed)}>
      <H class="consensus-title">{tr(lang, common.agreed)}</H>
      <p class="consensus-level">
        <span class="level-num">{consensus.level}</span>
        <span>
          <span class="level-label">{level ? pick(level.label, lang) : ''}</span>
          {level && <span class="level-def" lang={textLang(level.definition, lang)}>{pick(level.definition, lang)}</span>}
        </span>
      </p>
      {consensus.note && (
        <div class="consensus-note">
          <p class="label">{tr(lang, common.note)}</p>
          <p class="prose">{consensus.note}</p>
        </div>
      )}
      {consensus.dissent && (
        <div class="consensus-note">
          <p class="label">{tr(lang, common.dissent)}</p>
          <p class="prose">{consensus.dissent}</p>
        </div>
      )}
      <p class="muted small">{tr(lang, common.lockedAt, { when: formatDateTime(lang, consensus.locked_at) })}</p>
    </section>
  );
}

/** What a screen reader should hear about the current item now. */
export function announcement(item: Item | null, session: Session | null, lang: Lang): string {
  if (!item || !session) return tr(lang, common.waiting);
  const title = pick(item.title, lang);
  switch (item.phase) {
    case 'pending':
      return '';
    case 'voting':
      return tr(lang, common.announceVoting, { title });
    case 'closed':
      return tr(lang, common.announceClosed, { title });
    case 'revealed': {
      if (item.kind !== 'scale') return tr(lang, common.announceRevealedPlain, { title });
      const spread = latestRound(item)?.spread;
      if (!spread || spread.median === null) return tr(lang, common.announceClosed, { title });
      return tr(lang, common.announceRevealed, {
        title,
        median: formatNumber(lang, spread.median),
        consensus: spread.consensus !== null ? formatPercent(lang, spread.consensus) : '–',
      });
    }
    case 'locked': {
      const scale = scaleOf(session, item);
      return tr(lang, common.announceLocked, {
        title,
        level: item.consensus && scale ? levelText(scale, item.consensus.level, lang) : String(item.consensus?.level ?? ''),
      });
    }
  }
}
