//! "Utveckling över tid" on the organisation page: the organisation's finished occasions (each
//! with its console and report), a unit filter, a radar with one shape per occasion, a line chart
//! per area over time and, as the charts' accessible equivalent, a table per area with a column
//! per occasion. REST only (`GET /api/organisations/{id}/trend`). No rankings against others.

import { useEffect, useState } from 'preact/hooks';
import { canRun } from '../lib/account';
import { formatIsoDate, formatNumber } from '../lib/format';
import { hist as h } from '../lib/historyStrings';
import { pick, translate as tr, type Lang } from '../lib/i18n';
import type { Organisation } from '../lib/organisation';
import type { AreaLine, IndicatorLine, Trend, TrendOccasion } from '../lib/protocol';
import { RADAR_FRAME, canDrawRadar, pointsAttr, radarAxes, radarLabel, radarPolygon, radarRings } from '../lib/radar';
import {
  LINE_FRAME,
  axisDates,
  consoleHref,
  drawnOccasions,
  earlierIds,
  fetchTrend,
  indicatorsOf,
  lastPoint,
  lineRuns,
  missingReason,
  pathOf,
  reportHref,
  seriesLook,
  spreadLabels,
  trendCsvHref,
  trendReportHref,
  xAt,
  yAt,
  type Marker,
  type SeriesLook,
} from '../lib/trend';

type Loaded = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; trend: Trend; field: string | null };

export function TrendSection({
  lang,
  org,
  announce,
  onLoaded,
}: {
  lang: Lang;
  org: Organisation;
  announce: (text: string) => void;
  /** Told each trend loaded (the plan offers its indicators). */
  onLoaded?: (trend: Trend) => void;
}) {
  const [choice, setChoice] = useState('');
  const [field, setField] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [asked, setAsked] = useState(false);

  const load = async (f: string | null, tell: boolean) => {
    setLoaded({ state: 'loading' });
    const res = await fetchTrend(org.id, f);
    if (!res.ok) {
      setLoaded({ state: 'failed' });
      return;
    }
    setLoaded({ state: 'ready', trend: res.data, field: f });
    onLoaded?.(res.data);
    if (tell) {
      const n = res.data.occasions.length;
      announce(f ? tr(lang, h.shownUnit, { n, unit: f }) : tr(lang, h.shownAll, { n }));
    }
  };

  useEffect(() => {
    void load(field, asked);
  }, [org.id, field]);

  // A unit removed meanwhile: back to all.
  useEffect(() => {
    if (choice && !org.units.some((u) => u.name === choice)) setChoice('');
  }, [org.units]);

  return (
    <section class="card trend" aria-labelledby="trend-title">
      <h2 id="trend-title">{tr(lang, h.trendTitle)}</h2>
      <p class="muted">{tr(lang, h.trendLead)}</p>
      {org.units.length > 0 && (
        <form
          class="trend-filter"
          onSubmit={(e) => {
            e.preventDefault();
            setAsked(true);
            const next = choice || null;
            if (next === field) void load(next, true);
            else setField(next);
          }}
        >
          <label for="trend-unit">{tr(lang, h.unitFilter)}</label>
          <div class="inline-form">
            <select id="trend-unit" value={choice} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{tr(lang, h.unitAll)}</option>
              {org.units.map((u) => (
                <option key={u.id} value={u.name}>
                  {u.name}
                </option>
              ))}
            </select>
            <button type="submit" class="btn">
              {tr(lang, h.showUnit)}
            </button>
          </div>
        </form>
      )}
      {loaded.state === 'loading' && <p class="muted">{tr(lang, h.trendLoading)}</p>}
      {loaded.state === 'failed' && (
        <div>
          <p class="notice notice-text">{tr(lang, h.trendFailed)}</p>
          <button type="button" class="btn" onClick={() => void load(field, true)}>
            {tr(lang, h.retry)}
          </button>
        </div>
      )}
      {loaded.state === 'ready' && <TrendView lang={lang} org={org} trend={loaded.trend} field={loaded.field} />}
    </section>
  );
}

function TrendView({ lang, org, trend, field }: { lang: Lang; org: Organisation; trend: Trend; field: string | null }) {
  const { occasions } = trend;
  if (occasions.length === 0) {
    return <p class="muted">{field ? tr(lang, h.noOccasionsUnit, { unit: field }) : tr(lang, h.noOccasions)}</p>;
  }
  const runs = canRun(org.role);
  const dates = axisDates(occasions.map((o) => o.date));
  const areas = trend.areas.filter((a) => indicatorsOf(trend, a.id).length > 0 || a.averages.some((v) => v !== null));
  const loose = indicatorsOf(trend, null);
  return (
    <>
      <p>
        <a class="btn" href={trendCsvHref(org.id, field, lang)} download>
          {tr(lang, h.csv)}
        </a>{' '}
        <a class="btn" href={trendReportHref(org.id, field, lang)}>
          {tr(lang, h.printable)}
        </a>
      </p>
      <h3 id="trend-occasions-title">{tr(lang, h.occasionsTitle)}</h3>
      <ol class="trend-occasion-list" aria-labelledby="trend-occasions-title">
        {occasions.map((o) => {
          const when = formatIsoDate(lang, o.date);
          return (
            <li key={o.code} class="trend-occasion">
              <p class="trend-occasion-head">
                <strong>{o.title}</strong> <span class="trend-occasion-date">{when}</span>
              </p>
              <p class="muted small trend-occasion-facts">
                <span>
                  {tr(lang, h.colUnit)}: {o.field ?? tr(lang, h.noUnit)}
                </span>
                <span>
                  {tr(lang, h.colVersion)}: {o.catalogue ? `${o.catalogue} ${o.version ?? ''}`.trim() : '–'}
                </span>
              </p>
              <p class="trend-links">
                {runs && (
                  <a href={consoleHref(o.code)} aria-label={tr(lang, h.openConsoleLabel, { title: o.title, date: when })}>
                    {tr(lang, h.openConsole)}
                  </a>
                )}
                <a href={reportHref(o.code, lang)} aria-label={tr(lang, h.openReportLabel, { title: o.title, date: when })}>
                  {tr(lang, h.openReport)}
                </a>
              </p>
            </li>
          );
        })}
      </ol>

      <h3>{tr(lang, h.radarTitle)}</h3>
      <TrendRadar lang={lang} trend={trend} areas={areas} />

      <h3>{tr(lang, h.areasTitle)}</h3>
      <p class="muted small">{tr(lang, h.areasHelp)}</p>
      {areas.map((a) => (
        <AreaBlock key={a.id} lang={lang} trend={trend} area={a} name={pick(a.name, lang)} lines={indicatorsOf(trend, a.id)} dates={dates} />
      ))}
      {loose.length > 0 && <AreaBlock lang={lang} trend={trend} area={null} name={tr(lang, h.otherArea)} lines={loose} dates={dates} />}
    </>
  );
}

/** A marker of a series at a point, its shape told apart from the others'. */
function Mark({ marker, x, y, size = 4.5 }: { marker: Marker; x: number; y: number; size?: number }) {
  const s = size;
  switch (marker) {
    case 'circle':
      return <circle cx={x} cy={y} r={s} class="trend-mark" />;
    case 'square':
      return <rect x={x - s + 0.5} y={y - s + 0.5} width={2 * s - 1} height={2 * s - 1} class="trend-mark" />;
    case 'diamond':
      return <polygon points={`${x},${y - s - 1} ${x + s + 1},${y} ${x},${y + s + 1} ${x - s - 1},${y}`} class="trend-mark" />;
    case 'triangle':
      return <polygon points={`${x},${y - s - 1} ${x + s + 1},${y + s} ${x - s - 1},${y + s}`} class="trend-mark" />;
    case 'cross':
      return <path d={`M${x - s},${y - s} L${x + s},${y + s} M${x - s},${y + s} L${x + s},${y - s}`} class="trend-mark trend-mark-line" />;
    case 'bar':
      return <rect x={x - s} y={y - 1.5} width={2 * s} height={3} class="trend-mark" />;
  }
}

function lookClass(look: SeriesLook): string {
  return `trend-series trend-tone-${look.tone}${look.newest ? ' trend-newest' : ''}`;
}

function occasionName(lang: Lang, o: TrendOccasion): string {
  return `${formatIsoDate(lang, o.date)} – ${o.title}`;
}

const valueText = (lang: Lang, v: number | null) => (v === null ? tr(lang, h.none) : formatNumber(lang, v, 1));

function TrendRadar({ lang, trend, areas }: { lang: Lang; trend: Trend; areas: AreaLine[] }) {
  const n = areas.length;
  const drawn = drawnOccasions(trend.occasions.length);
  const names = areas.map((a) => pick(a.name, lang));
  const top = trend.top;
  const f = RADAR_FRAME;
  const averagesTable = <AveragesTable lang={lang} trend={trend} areas={areas} names={names} />;
  if (!canDrawRadar(n, top)) {
    return (
      <>
        <p class="muted">{tr(lang, h.radarFew)}</p>
        {averagesTable}
      </>
    );
  }
  const list = drawn
    .map((oi) => `${occasionName(lang, trend.occasions[oi])}: ${areas.map((a, k) => `${names[k]} ${valueText(lang, a.averages[oi])}`).join(', ')}.`)
    .join(' ');
  return (
    <>
      <p class="muted small">
        {tr(lang, h.radarHelp)}
        {trend.occasions.length > drawn.length && ` ${tr(lang, h.radarOnlyNewest, { n: drawn.length })}`}
      </p>
      <figure class="radar-fig trend-radar-fig">
        <div class="radar-box">
          <svg
            class="radar trend-radar"
            viewBox={`0 0 ${f.width} ${f.height}`}
            role="img"
            aria-label={tr(lang, h.radarAlt, { top: String(top), list })}
            focusable="false"
          >
            <g class="radar-grid">
              {radarRings(n, top).map((ring, i) => (
                <polygon key={i} points={pointsAttr(ring)} class={i === top - 1 ? 'radar-ring radar-ring-top' : 'radar-ring'} />
              ))}
              {radarAxes(n).map((p, i) => (
                <line key={i} x1={f.cx} y1={f.cy} x2={p.x} y2={p.y} class="radar-axis" />
              ))}
            </g>
            <g class="radar-levels" aria-hidden="true">
              {Array.from({ length: top }, (_, i) => (
                <text key={i} x={f.cx + 4} y={f.cy - (f.r * (i + 1)) / top + 4} class="radar-level">
                  {i + 1}
                </text>
              ))}
            </g>
            {drawn.map((oi, k) => {
              const look = seriesLook(k, drawn.length);
              const values = areas.map((a) => a.averages[oi]);
              const pts = radarPolygon(values, top);
              return (
                <g key={trend.occasions[oi].code} class={lookClass(look)}>
                  <polygon points={pointsAttr(pts)} class="trend-area" stroke-dasharray={look.dash ?? undefined} />
                  {pts.map((p, i) => (values[i] === null ? null : <Mark key={i} marker={look.marker} x={p.x} y={p.y} />))}
                </g>
              );
            })}
            <g class="radar-labels">
              {names.map((name, i) => {
                const l = radarLabel(i, n, 1);
                return (
                  <text key={i} x={l.x} y={l.y} text-anchor={l.anchor} class="radar-label">
                    <tspan x={l.x} dy={`${l.dy}em`}>
                      {name}
                    </tspan>
                  </text>
                );
              })}
            </g>
          </svg>
          <p class="sr-only" id="trend-legend-title">
            {tr(lang, h.legendTitle)}
          </p>
          <ul class="trend-legend" aria-labelledby="trend-legend-title">
            {drawn.map((oi, k) => {
              const look = seriesLook(k, drawn.length);
              return (
                <li key={trend.occasions[oi].code} class={lookClass(look)}>
                  <svg width="48" height="16" viewBox="0 0 48 16" aria-hidden="true" focusable="false">
                    <line x1="2" y1="8" x2="46" y2="8" class="trend-sample" stroke-dasharray={look.dash ?? undefined} />
                    <Mark marker={look.marker} x={24} y={8} size={4} />
                  </svg>
                  <span>
                    {occasionName(lang, trend.occasions[oi])}
                    {look.newest && ` ${tr(lang, h.newest)}`}
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
        {averagesTable}
      </figure>
    </>
  );
}

/** The radar's figures: a row per area, a column per occasion. */
function AveragesTable({ lang, trend, areas, names }: { lang: Lang; trend: Trend; areas: AreaLine[]; names: string[] }) {
  const caption = tr(lang, h.averagesCaption);
  return (
    <div class="table-scroll" role="region" aria-labelledby="trend-averages-caption" tabIndex={0}>
      <table class="dist-table trend-table">
        <caption id="trend-averages-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{tr(lang, h.colArea)}</th>
            {trend.occasions.map((o) => (
              <th scope="col" class="num" key={o.code}>
                <OccasionHead lang={lang} o={o} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {areas.map((a, k) => (
            <tr key={a.id}>
              <th scope="row">{names[k]}</th>
              {a.averages.map((v, i) => (
                <td class="num" key={i}>
                  {v === null ? <span class="muted">{tr(lang, h.none)}</span> : formatNumber(lang, v, 2)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OccasionHead({ lang, o }: { lang: Lang; o: TrendOccasion }) {
  return (
    <>
      {formatIsoDate(lang, o.date)}
      <span class="trend-col-title">{o.title}</span>
    </>
  );
}

function AreaBlock({
  lang,
  trend,
  area,
  name,
  lines,
  dates,
}: {
  lang: Lang;
  trend: Trend;
  area: AreaLine | null;
  name: string;
  lines: IndicatorLine[];
  dates: string[];
}) {
  const idBase = `trend-area-${(area?.id ?? 'other').replace(/[^\w-]/g, '_')}`;
  return (
    <section class="trend-area-block" aria-labelledby={`${idBase}-title`}>
      <h4 id={`${idBase}-title`}>{name}</h4>
      <figure class="trend-fig">
        <AreaChart lang={lang} trend={trend} area={area} name={name} lines={lines} dates={dates} />
        <div class="table-scroll" role="region" aria-labelledby={`${idBase}-caption`} tabIndex={0}>
          <table class="dist-table trend-table">
            <caption id={`${idBase}-caption`}>{tr(lang, h.tableCaption, { area: name })}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(lang, h.colIndicator)}</th>
                {trend.occasions.map((o) => (
                  <th scope="col" class="num" key={o.code}>
                    <OccasionHead lang={lang} o={o} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => {
                const before = earlierIds(l);
                return (
                  <tr key={l.id}>
                    <th scope="row">
                      <span class="item-id">{l.id}</span> {pick(l.title, lang)}
                      {before.length > 0 && <span class="muted small trend-formerly"> ({tr(lang, h.formerly, { ids: before.join(', ') })})</span>}
                    </th>
                    {l.levels.map((v, i) => {
                      const why = missingReason(l, i);
                      return (
                        <td class="num" key={i}>
                          {v !== null ? (
                            String(v)
                          ) : (
                            <span class="muted small" title={why === 'absent' ? tr(lang, h.absentShort) : undefined}>
                              {tr(lang, why === 'absent' ? h.absent : h.open)}
                            </span>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
            {area && (
              <tfoot>
                <tr>
                  <th scope="row">{tr(lang, h.areaAverage)}</th>
                  {area.averages.map((v, i) => (
                    <td class="num" key={i}>
                      {v === null ? <span class="muted small">{tr(lang, h.none)}</span> : formatNumber(lang, v, 2)}
                    </td>
                  ))}
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      </figure>
    </section>
  );
}

/** The line chart of an area: its average (thick, points labelled) and its indicators (thin, named at their end). */
function AreaChart({
  lang,
  trend,
  area,
  name,
  lines,
  dates,
}: {
  lang: Lang;
  trend: Trend;
  area: AreaLine | null;
  name: string;
  lines: IndicatorLine[];
  dates: string[];
}) {
  const f = LINE_FRAME;
  const n = trend.occasions.length;
  const top = trend.top;
  const ends = lines.map((l) => ({ id: l.id, p: lastPoint(l.levels, top) })).filter((e): e is { id: string; p: NonNullable<typeof e.p> } => e.p !== null);
  const endYs = spreadLabels(
    ends.map((e) => e.p.y),
    11,
    f.top,
    f.height - f.bottom,
  );
  const list = area
    ? trend.occasions.map((o, i) => `${formatIsoDate(lang, o.date)}: ${valueText(lang, area.averages[i])}`).join(', ')
    : lines.map((l) => `${l.id}: ${l.levels.map((v) => valueText(lang, v)).join(', ')}`).join('; ');
  return (
    <svg
      class="trend-line-chart"
      viewBox={`0 0 ${f.width} ${f.height}`}
      role="img"
      aria-label={tr(lang, h.lineAlt, { area: name, top: String(top), list })}
      focusable="false"
    >
      <g class="trend-grid" aria-hidden="true">
        {Array.from({ length: top }, (_, k) => {
          const y = yAt(k + 1, top);
          return (
            <g key={k}>
              <line x1={f.left} x2={f.width - f.right} y1={y} y2={y} class="trend-gridline" />
              <text x={f.left - 8} y={y + 4} text-anchor="end" class="trend-axis-text">
                {k + 1}
              </text>
            </g>
          );
        })}
        {trend.occasions.map((o, i) => (
          <text key={o.code} x={xAt(i, n)} y={f.height - f.bottom + 18} text-anchor="middle" class="trend-axis-text">
            {dates[i]}
          </text>
        ))}
      </g>
      {lines.map((l) => (
        <g key={l.id} class="trend-indicator">
          {lineRuns(l.levels, top).map((run, r) => (
            <g key={r}>
              {run.length > 1 && <path d={pathOf(run)} class="trend-indicator-line" />}
              {run.map((p) => (
                <circle key={p.i} cx={p.x} cy={p.y} r={2.5} class="trend-indicator-mark" />
              ))}
            </g>
          ))}
        </g>
      ))}
      {ends.map((e, k) => (
        <text key={e.id} x={e.p.x + 8} y={endYs[k] + 4} class="trend-end-label">
          {e.id}
        </text>
      ))}
      {area && (
        <g class="trend-series trend-tone-0 trend-newest">
          {lineRuns(area.averages, top).map((run, r) => (
            <g key={r}>
              {run.length > 1 && <path d={pathOf(run)} class="trend-line" />}
              {run.map((p) => (
                <g key={p.i}>
                  <circle cx={p.x} cy={p.y} r={5} class="trend-mark" />
                  <text x={p.x} y={p.y - 10} text-anchor="middle" class="trend-point-label">
                    {formatNumber(lang, p.value, 1)}
                  </text>
                </g>
              ))}
            </g>
          ))}
        </g>
      )}
    </svg>
  );
}
