//! "Compare occasions" on the start page: two workshops of the signed-in member's organisation
//! (by code alone), or two of "Your sessions" (this browser has their codes and keys), go to
//! POST /api/compare; the answer shows per area and per indicator the level
//! then and now and which way it moved, with a radar chart overlaying both occasions.

import { useEffect, useState } from 'preact/hooks';
import type { Membership, OrgSession } from '../lib/account';
import { areaMovement, indicatorMovement, looksSwapped, moveCounts } from '../lib/compare';
import { formatIsoDate, formatNumber } from '../lib/format';
import { isoDate } from '../lib/plan';
import { request } from '../lib/http';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import { RadarChart, RadarLegend, type RadarSeries } from '../lib/radarChart';
import { errorMsg } from '../lib/strings';
import type { CompareResult, CompareSide, IndicatorChange, TextIn } from '../lib/types';
import { organisationHref } from '../lib/organisation';
import { compareChoices, compareSide, defaultPair, keepPair, type CompareChoice } from './choices';
import { cmp } from './compareStrings';
import type { SavedSession } from './saved';
import { start } from './strings';

type Outcome = { state: 'idle' } | { state: 'busy' } | { state: 'failed'; text: string } | { state: 'done'; result: CompareResult };

/** Level labels of a catalogue, for "3 – Påbörjad"; empty until (or unless) it loads. */
function useLevelLabels(catalogue: string | null): Record<number, TextIn> {
  const [labels, setLabels] = useState<Record<number, TextIn>>({});
  useEffect(() => {
    if (!catalogue) return;
    let live = true;
    void request<{ scale?: { levels?: { level: number; label: TextIn }[] } }>(`/api/catalogues/${encodeURIComponent(catalogue)}`).then((res) => {
      if (!live || !res.ok) return;
      const out: Record<number, TextIn> = {};
      for (const l of res.data?.scale?.levels ?? []) out[l.level] = l.label;
      setLabels(out);
    });
    return () => {
      live = false;
    };
  }, [catalogue]);
  return labels;
}

export function CompareOccasions({
  lang,
  saved,
  org = null,
  orgSessions = null,
}: {
  lang: Lang;
  saved: SavedSession[];
  /** The signed-in member's organisation: its workshops are compared by code alone. */
  org?: Membership | null;
  /** The organisation's sessions from the server; null while they load. */
  orgSessions?: OrgSession[] | null;
}) {
  const choices = compareChoices(org ? orgSessions : null, saved);
  const loading = org !== null && orgSessions === null;
  // What the person picked; each render keeps it to what is offered (a session forgotten, the
  // organisation's list loaded), else the two newest.
  const [picked, setPicked] = useState<{ then: string; now: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const pair = picked ? keepPair(choices, picked.then, picked.now) : defaultPair(choices);
  const thenCode = pair.then;
  const nowCode = pair.now;
  const setThenCode = (then: string) => setPicked({ ...pair, then });
  const setNowCode = (now: string) => setPicked({ ...pair, now });

  const label = (c: CompareChoice) =>
    tr(lang, cmp.option, { title: c.title || tr(lang, start.untitled), code: c.code, when: formatIsoDate(lang, isoDate(new Date(c.created))) });
  const fromOrg = choices.filter((c) => c.source === 'org');
  const fromBrowser = choices.filter((c) => c.source === 'browser');
  const options = (list: CompareChoice[]) =>
    list.map((c) => (
      <option key={c.code} value={c.code}>
        {label(c)}
      </option>
    ));
  // Two groups only when both have something: a signed-in member who also kept older sessions here.
  const grouped = (
    <>
      {fromOrg.length > 0 && fromBrowser.length > 0 ? (
        <>
          <optgroup label={org ? tr(lang, cmp.groupOrg, { org: org.name }) : ''}>{options(fromOrg)}</optgroup>
          <optgroup label={tr(lang, cmp.groupBrowser)}>{options(fromBrowser)}</optgroup>
        </>
      ) : (
        options(choices)
      )}
    </>
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    if (outcome.state === 'busy') return;
    if (!thenCode || !nowCode || thenCode === nowCode) {
      setOutcome({ state: 'failed', text: tr(lang, cmp.same) });
      return;
    }
    const then = compareSide(choices, thenCode);
    const now = compareSide(choices, nowCode);
    for (const side of [then, now]) {
      if ('missingKey' in side) {
        setOutcome({ state: 'failed', text: tr(lang, cmp.noKey, { code: side.missingKey }) });
        return;
      }
    }
    setOutcome({ state: 'busy' });
    const res = await request<CompareResult>('/api/compare', { method: 'POST', body: { then, now } });
    if (res.ok) {
      setOutcome({ state: 'done', result: res.data });
      setTimeout(() => document.getElementById('compare-result-title')?.focus(), 0);
      return;
    }
    const why =
      res.code === 'network'
        ? tr(lang, start.networkFailed)
        : res.code === 'not_comparable'
          ? tr(lang, cmp.notComparable)
          : res.code === 'forbidden'
            ? tr(lang, org ? cmp.forbiddenMember : cmp.forbidden)
            : res.code === 'unauthorized'
              ? tr(lang, cmp.unauthorized)
              : res.code === 'unknown_session'
                ? tr(lang, cmp.unknownSession)
                : tr(lang, errorMsg(res.code));
    setOutcome({ state: 'failed', text: `${tr(lang, cmp.failed)} ${why}${res.message ? ` (${res.message})` : ''}` });
  };

  return (
    <section class="compare" aria-labelledby="compare-title" aria-busy={loading || undefined}>
      <h2 id="compare-title">{tr(lang, cmp.title)}</h2>
      <p class="muted">{org ? tr(lang, cmp.leadOrg, { org: org.name }) : tr(lang, cmp.lead)}</p>
      {org && (
        <p class="muted small">
          {tr(lang, cmp.trendNote)}{' '}
          <a href={organisationHref(org.id)}>{tr(lang, cmp.trendLink, { org: org.name })}</a>
        </p>
      )}
      {loading ? (
        <p class="muted">{tr(lang, cmp.loading)}</p>
      ) : choices.length < 2 ? (
        <p class="muted">{tr(lang, org ? cmp.needTwoOrg : cmp.needTwo)}</p>
      ) : (
        <form class="compare-form card" onSubmit={(e) => void submit(e)} noValidate>
          <div class="compare-pick">
            <div>
              <label for="compare-then">{tr(lang, cmp.then)}</label>
              <select id="compare-then" value={thenCode} onChange={(e) => setThenCode((e.target as HTMLSelectElement).value)}>
                {grouped}
              </select>
            </div>
            <div>
              <label for="compare-now">{tr(lang, cmp.now)}</label>
              <select id="compare-now" value={nowCode} onChange={(e) => setNowCode((e.target as HTMLSelectElement).value)}>
                {grouped}
              </select>
            </div>
          </div>
          <div class="form-buttons">
            <button type="submit" class="btn btn-primary" disabled={outcome.state === 'busy'}>
              {outcome.state === 'busy' ? tr(lang, cmp.comparing) : tr(lang, cmp.compare)}
            </button>
            <button type="button" class="btn" onClick={() => setPicked({ then: nowCode, now: thenCode })}>
              {tr(lang, cmp.swap)}
            </button>
          </div>
          <p class="field-error" role="alert">
            {outcome.state === 'failed' ? outcome.text : ''}
          </p>
        </form>
      )}
      {outcome.state === 'done' && <CompareView result={outcome.result} lang={lang} byMember={org !== null} />}
    </section>
  );
}

function SideFacts({ side, label, lang }: { side: CompareSide; label: string; lang: Lang }) {
  const o = side.occasion;
  return (
    <div class="compare-side">
      <dt>{label}</dt>
      <dd>
        <strong>{side.title}</strong>
        {o ? (
          <span class="muted small">
            {' · '}
            {o.organisation}
            {o.field && ` · ${o.field}`}
            {' · '}
            {formatIsoDate(lang, o.date)}
          </span>
        ) : (
          <span class="muted small"> · {tr(lang, cmp.notFinished)}</span>
        )}
        {side.catalogue && (
          <span class="muted small"> · {tr(lang, cmp.catalogue, { id: side.catalogue.id, version: side.catalogue.version })}</span>
        )}
      </dd>
    </div>
  );
}

function CompareView({ result, lang, byMember }: { result: CompareResult; lang: Lang; byMember: boolean }) {
  const [onlyMoved, setOnlyMoved] = useState(false);
  const labels = useLevelLabels(result.now.catalogue?.id ?? result.then.catalogue?.id ?? null);
  const { areas, indicators } = result.comparison;
  const counts = moveCounts(indicators);
  // The scale's top level: from the catalogue once loaded, else LIKA's 5 (never below a value).
  const levels = Object.keys(labels).map(Number);
  const top = Math.max(levels.length > 0 ? Math.max(...levels) : 5, ...indicators.flatMap((i) => [i.then ?? 0, i.now ?? 0]));
  const levelOf = (v: number | null) => {
    if (v === null) return tr(lang, cmp.noLevel);
    const l = pick(labels[v], lang);
    return l && l !== String(v) ? `${v} – ${l}` : String(v);
  };
  const series: RadarSeries[] = [
    { look: 'then', name: tr(lang, cmp.thenShort), values: areas.map((a) => a.then) },
    { look: 'now', name: tr(lang, cmp.nowShort), values: areas.map((a) => a.now) },
  ];
  const areaName = (id: string | null) => {
    const a = areas.find((x) => x.id === id);
    return a ? pick(a.name, lang) : tr(lang, cmp.other);
  };
  const byArea: [string | null, IndicatorChange[]][] = [];
  for (const ind of indicators) {
    if (onlyMoved) {
      const m = indicatorMovement(ind);
      if (m.direction !== 'up' && m.direction !== 'down') continue;
    }
    const group = byArea.find(([id]) => id === ind.area);
    if (group) group[1].push(ind);
    else byArea.push([ind.area, [ind]]);
  }
  const notFinished = !result.then.occasion || !result.now.occasion;

  return (
    <section class="compare-result" aria-labelledby="compare-result-title">
      <h3 id="compare-result-title" tabIndex={-1}>
        {tr(lang, cmp.resultTitle)}
      </h3>
      <dl class="compare-sides">
        <SideFacts side={result.then} label={tr(lang, cmp.thenShort)} lang={lang} />
        <SideFacts side={result.now} label={tr(lang, cmp.nowShort)} lang={lang} />
      </dl>
      {notFinished && <p class="notice-warn">{tr(lang, byMember ? cmp.warnNotFinishedOrg : cmp.warnNotFinished)}</p>}
      {looksSwapped(result) && <p class="notice-warn">{tr(lang, cmp.warnSwapped)}</p>}
      <p class="compare-counts">{tr(lang, cmp.counts, { ...counts })}</p>

      <h4>{tr(lang, cmp.areasTitle)}</h4>
      <figure class="radar-fig">
        <div class="radar-box">
          <RadarChart axes={areas.map((a) => pick(a.name, lang))} series={series} top={top} lang={lang} />
          <RadarLegend series={series} />
        </div>
        <div class="table-scroll" role="region" aria-label={tr(lang, cmp.areasCaption)} tabIndex={0}>
          <table class="dist-table sum-table">
            <caption>{tr(lang, cmp.areasCaption)}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(lang, cmp.colArea)}</th>
                <th scope="col" class="num">
                  {tr(lang, cmp.colThen)}
                </th>
                <th scope="col" class="num">
                  {tr(lang, cmp.colNow)}
                </th>
                <th scope="col">{tr(lang, cmp.colChange)}</th>
              </tr>
            </thead>
            <tbody>
              {areas.map((a) => {
                const { direction: dir, delta, arrow } = areaMovement(a);
                return (
                  <tr key={a.id}>
                    <th scope="row">{pick(a.name, lang)}</th>
                    <td class="num">{a.then === null ? tr(lang, cmp.noLevel) : formatNumber(lang, a.then, 2)}</td>
                    <td class="num">{a.now === null ? tr(lang, cmp.noLevel) : formatNumber(lang, a.now, 2)}</td>
                    <td>
                      <span class={`move move-${dir}`}>
                        <span aria-hidden="true">{arrow}</span>{' '}
                        {tr(lang, cmp[`area_${dir}`], { delta: delta === null ? '' : formatNumber(lang, Math.abs(delta), 2) })}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </figure>

      <h4>{tr(lang, cmp.indicatorsTitle)}</h4>
      <label class="check">
        <input type="checkbox" checked={onlyMoved} onChange={() => setOnlyMoved(!onlyMoved)} /> {tr(lang, cmp.onlyMoved)}
      </label>
      {byArea.length === 0 && <p class="muted">{tr(lang, cmp.noneMoved)}</p>}
      {byArea.map(([areaId, list]) => {
        const name = areaName(areaId);
        return (
          <div class="table-scroll compare-table" key={areaId ?? '-'} role="region" aria-label={tr(lang, cmp.indicatorsCaption, { area: name })} tabIndex={0}>
            <table class="dist-table sum-table">
              <caption>{tr(lang, cmp.indicatorsCaption, { area: name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr(lang, cmp.colIndicator)}</th>
                  <th scope="col">{tr(lang, cmp.colThen)}</th>
                  <th scope="col">{tr(lang, cmp.colNow)}</th>
                  <th scope="col">{tr(lang, cmp.colChange)}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((ind) => {
                  const m = indicatorMovement(ind);
                  return (
                    <tr key={ind.id}>
                      <th scope="row">
                        {pick(ind.title, lang)}
                        {ind.then_id && <span class="muted small"> {tr(lang, cmp.formerly)}</span>}
                      </th>
                      <td>{levelOf(ind.then)}</td>
                      <td>{levelOf(ind.now)}</td>
                      <td>
                        <span class={`move move-${m.direction}`}>
                          <span aria-hidden="true">{m.arrow}</span> {tr(lang, cmp[`move_${m.direction}`], { steps: m.steps })}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}
