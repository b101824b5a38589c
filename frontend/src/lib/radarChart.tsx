//! The radar chart of area averages as inline SVG: one series (a summary) or two overlaid
//! (a comparison, told apart by line style and marker shape as well as colour). It has a text
//! alternative; the figures are also in a table beside it. Not loaded by the phone.

import { formatNumber } from './format';
import { translate as tr, type Lang } from './i18n';
import { RADAR_FRAME, canDrawRadar, pointsAttr, radarAxes, radarLabel, radarPolygon, radarRings } from './radar';
import type { Msg } from './i18n';

export interface RadarSeries {
  /** Which look: `now` is solid with round markers, `then` dashed with square ones. */
  look: 'now' | 'then';
  /** The series' name in the text alternative and legend ("Då", "Nu"); empty for a lone series. */
  name: string;
  values: (number | null)[];
}

const text = {
  alt: {
    sv: 'Radardiagram över medelnivån per område på skalan 1–{top}: {list}.',
    en: 'Radar chart of the average level per area on the scale 1–{top}: {list}.',
  },
  none: { sv: 'ingen låst', en: 'none locked' },
} satisfies Record<string, Msg>;

function valueText(lang: Lang, v: number | null): string {
  return v === null ? tr(lang, text.none) : formatNumber(lang, v, 1);
}

/** The chart's text alternative: every area with its value(s). */
export function radarAlt(lang: Lang, axes: readonly string[], series: readonly RadarSeries[], top: number): string {
  const list = axes
    .map((name, i) => {
      const values = series.map((s) => (s.name ? `${s.name} ${valueText(lang, s.values[i])}` : valueText(lang, s.values[i])));
      return `${name} ${values.join(', ')}`;
    })
    .join('; ');
  return tr(lang, text.alt, { top: String(top), list });
}

export function RadarChart({
  axes,
  series,
  top,
  lang,
  class: className,
}: {
  axes: readonly string[];
  series: readonly RadarSeries[];
  top: number;
  lang: Lang;
  class?: string;
}) {
  const n = axes.length;
  if (!canDrawRadar(n, top)) return null;
  const f = RADAR_FRAME;
  const single = series.length === 1 ? series[0] : null;
  return (
    <svg
      class={`radar ${className ?? ''}`}
      viewBox={`0 0 ${f.width} ${f.height}`}
      role="img"
      aria-label={radarAlt(lang, axes, series, top)}
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
      {series.map((s) => {
        const pts = radarPolygon(s.values, top);
        return (
          <g key={s.look} class={`radar-series radar-${s.look}`}>
            <polygon points={pointsAttr(pts)} class="radar-area" />
            {pts.map((p, i) =>
              s.values[i] === null ? null : s.look === 'then' ? (
                <rect key={i} x={p.x - 4} y={p.y - 4} width={8} height={8} class="radar-mark" />
              ) : (
                <circle key={i} cx={p.x} cy={p.y} r={4.5} class="radar-mark" />
              ),
            )}
          </g>
        );
      })}
      <g class="radar-labels">
        {axes.map((name, i) => {
          const l = radarLabel(i, n, single ? 2 : 1);
          return (
            <text key={i} x={l.x} y={l.y} text-anchor={l.anchor} class="radar-label">
              <tspan x={l.x} dy={`${l.dy}em`}>
                {name}
              </tspan>
              {single && (
                <tspan x={l.x} dy="1.15em" class="radar-value">
                  {valueText(lang, single.values[i])}
                </tspan>
              )}
            </text>
          );
        })}
      </g>
    </svg>
  );
}

/** The legend of an overlaid chart: a sample of each line with its name. */
export function RadarLegend({ series }: { series: readonly RadarSeries[] }) {
  return (
    <ul class="radar-legend">
      {series.map((s) => (
        <li key={s.look} class={`radar-${s.look}`}>
          <svg width="44" height="16" viewBox="0 0 44 16" aria-hidden="true" focusable="false">
            <line x1="2" y1="8" x2="42" y2="8" class="radar-sample" />
            {s.look === 'then' ? <rect x="18" y="4" width="8" height="8" class="radar-mark" /> : <circle cx="22" cy="8" r="4.5" class="radar-mark" />}
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
}
