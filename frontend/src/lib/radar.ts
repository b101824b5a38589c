//! Geometry of the radar chart of area averages: axes, level rings, value polygons and label
//! places in SVG user units. Pure numbers; no DOM, no Preact.

/** Where the chart sits in its SVG, in user units. */
export interface RadarFrame {
  width: number;
  height: number;
  cx: number;
  cy: number;
  /** Radius of the outer ring (the top level). */
  r: number;
}

/**
 * Room for area names beside the circle: the labels of the left and right axes need about
 * 110 units each at 13-unit type ("Infrastruktur 2,5").
 */
export const RADAR_FRAME: RadarFrame = { width: 440, height: 320, cx: 220, cy: 160, r: 115 };

export interface Point {
  x: number;
  y: number;
}

/** Rounds to one decimal, so that the SVG is short and the same data draws the same bytes. */
function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The angle of axis `i` of `n`, in radians: the first axis points straight up and the others
 * follow clockwise.
 */
export function axisAngle(i: number, n: number): number {
  return (2 * Math.PI * i) / n - Math.PI / 2;
}

/**
 * The point of `value` on axis `i` of `n`, where `top` lies on the outer ring. Values are
 * clamped to 0..top; a missing value (no locked level) sits in the centre.
 */
export function radarPoint(i: number, n: number, value: number | null, top: number, frame: RadarFrame = RADAR_FRAME): Point {
  const t = top > 0 && value !== null ? Math.min(Math.max(value, 0), top) / top : 0;
  const a = axisAngle(i, n);
  return { x: round1(frame.cx + frame.r * t * Math.cos(a)), y: round1(frame.cy + frame.r * t * Math.sin(a)) };
}

/** An SVG `points` attribute. */
export function pointsAttr(points: readonly Point[]): string {
  return points.map((p) => `${p.x},${p.y}`).join(' ');
}

/** The polygon of one series of values, one per axis. */
export function radarPolygon(values: readonly (number | null)[], top: number, frame: RadarFrame = RADAR_FRAME): Point[] {
  return values.map((v, i) => radarPoint(i, values.length, v, top, frame));
}

/** One ring per level 1..top, each a polygon through every axis. */
export function radarRings(n: number, top: number, frame: RadarFrame = RADAR_FRAME): Point[][] {
  const rings: Point[][] = [];
  for (let level = 1; level <= top; level++) {
    rings.push(Array.from({ length: n }, (_, i) => radarPoint(i, n, level, top, frame)));
  }
  return rings;
}

/** The end of every axis, on the outer ring. */
export function radarAxes(n: number, frame: RadarFrame = RADAR_FRAME): Point[] {
  return Array.from({ length: n }, (_, i) => radarPoint(i, n, 1, 1, frame));
}

export interface RadarLabel extends Point {
  anchor: 'start' | 'middle' | 'end';
  /**
   * Shift of the first text line, in em: above the circle the lines sit above the point,
   * below it below, beside it they are centred on it.
   */
  dy: number;
}

/**
 * Where the label of axis `i` of `n` goes: just outside the outer ring, anchored away from it.
 * `lines` is 1 (a name) or 2 (a name and a value, 1.15 em apart).
 */
export function radarLabel(i: number, n: number, lines: 1 | 2 = 2, frame: RadarFrame = RADAR_FRAME): RadarLabel {
  const a = axisAngle(i, n);
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const gap = 14;
  const x = round1(frame.cx + (frame.r + gap) * cos);
  const y = round1(frame.cy + (frame.r + gap) * sin);
  const anchor = Math.abs(cos) < 0.2 ? 'middle' : cos > 0 ? 'start' : 'end';
  const extra = lines === 2 ? 1.15 : 0;
  const dy = sin < -0.2 ? -0.15 - extra : sin > 0.2 ? 0.9 : 0.35 - extra / 2;
  return { x, y, anchor, dy: Math.round(dy * 100) / 100 };
}

/** A chart needs three axes to enclose an area; with fewer the table says it alone. */
export function canDrawRadar(areas: number, top: number): boolean {
  return areas >= 3 && top >= 1;
}
