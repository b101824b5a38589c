//! The projector's word cloud: d3-cloud packs the words into the stage, and this module keeps
//! them where they were between updates. Words are sized by count (area ∝ count, in a few
//! steps, so one more vote rarely changes a size); each word starts its spiral search at its
//! previous place, so a word whose size and the words before it are unchanged lands exactly
//! where it was, and a new word spirals out from a fixed point of its own. Only the screen
//! and the console load this (and d3-cloud): the phone never does.

import cloud from 'd3-cloud';
import { wordHash } from '../lib/cloud';

export interface CloudInput {
  text: string;
  count: number;
}

export interface Placed {
  text: string;
  count: number;
  /** Font size in px. */
  size: number;
  /** Centre of the text's baseline, in px from the box's centre. */
  x: number;
  y: number;
  /** Index into the palette, fixed per word. */
  tone: number;
}

export interface Box {
  width: number;
  height: number;
}

export interface CloudMemory {
  box: Box;
  /** The scale of the sizes: kept while every word still fits, so sizes do not pulse. */
  scale: number;
  placed: Map<string, Placed>;
}

export interface PackOptions {
  /** The canvas d3-cloud draws on to measure the words (a fake one in unit tests). */
  canvas: () => HTMLCanvasElement;
  font: string;
  weight: string | number;
  tones?: number;
  /** Largest font size relative to the box height. */
  maxShare?: number;
}

/** Steps of size between the least and the most frequent word. */
const STEPS = 6;

/** The size step (0 … STEPS) of a count: area ∝ count, rounded to a step. */
export function sizeStep(count: number, max: number): number {
  if (max <= 0) return STEPS;
  return Math.max(0, Math.min(STEPS, Math.round(Math.sqrt(count / max) * STEPS)));
}

/** Font size of a step at a scale: the smallest is 30 % of the largest, never under `min` px. */
function fontSize(step: number, top: number, min: number): number {
  return Math.max(min, Math.round(top * (0.3 + (0.7 * step) / STEPS)));
}

/** A deterministic source of numbers in [0, 1) per word. */
function unit(hash: number, salt: number): number {
  let h = (hash ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  return ((h ^ (h >>> 15)) >>> 0) / 2 ** 32;
}

interface Tag {
  text: string;
  count: number;
  size: number;
  /** Start of the spiral, in d3-cloud's coordinates (from the top left). */
  sx: number;
  sy: number;
  clockwise: boolean;
  x?: number;
  y?: number;
}

/** One run of d3-cloud: the tags it placed (synchronously: the time budget is unlimited). */
function runCloud(tags: Tag[], box: Box, options: PackOptions): Tag[] {
  // d3-cloud sorts by size (largest first) and then, for each word, asks `random` for the
  // spiral's start (x, then y) and its direction. Feed it each word's own start, in its order.
  const order = [...tags].sort((a, b) => b.size - a.size);
  const draws: number[] = [];
  for (const t of order) {
    draws.push((2 * (t.sx + 0.5)) / box.width - 0.5, (2 * (t.sy + 0.5)) / box.height - 0.5, t.clockwise ? 0.25 : 0.75);
  }
  let next = 0;
  let out: Tag[] = [];
  const layout = cloud<Tag>()
    .size([box.width, box.height])
    .canvas(options.canvas)
    .words(order)
    .padding(Math.max(2, Math.round(box.height / 200)))
    .rotate(0)
    .font(options.font)
    .fontWeight(options.weight)
    .fontSize((d) => d.size)
    .spiral('archimedean')
    .random(() => (next < draws.length ? draws[next++] : 0.5))
    .on('end', (placed) => {
      out = placed as Tag[];
    });
  layout.start();
  layout.stop();
  return out;
}

/**
 * Packs `words` into `box`, keeping the places of `memory` where it can. Answers the placed
 * words (largest first) and the memory for the next update. Words that do not fit even at the
 * smallest scale are left out of the cloud (the list beside it has them all).
 */
export function packCloud(
  words: readonly CloudInput[],
  box: Box,
  options: PackOptions,
  memory: CloudMemory | null,
): { placed: Placed[]; memory: CloudMemory } {
  const tones = options.tones ?? 5;
  const sameBox = memory && memory.box.width === box.width && memory.box.height === box.height;
  const prev = sameBox ? memory.placed : new Map<string, Placed>();
  const max = Math.max(0, ...words.map((w) => w.count));
  const top0 = box.height * (options.maxShare ?? 0.3);
  const min = Math.max(12, Math.round(box.height / 38));
  // Start at the scale used last (sizes stay put), else at full size; shrink until all fit.
  let scale = sameBox ? memory.scale : 1;
  for (let attempt = 0; ; attempt++) {
    const top = top0 * scale;
    const tags: Tag[] = words.map((w) => {
      const size = fontSize(sizeStep(w.count, max), top, min);
      const before = prev.get(w.text);
      const hash = wordHash(w.text);
      // A new word starts near the middle, at a point of its own.
      const sx = before && before.size === size ? before.x + box.width / 2 : box.width * (0.35 + 0.3 * unit(hash, 1));
      const sy = before && before.size === size ? before.y + box.height / 2 : box.height * (0.35 + 0.3 * unit(hash, 2));
      return { text: w.text, count: w.count, size, sx, sy, clockwise: unit(hash, 3) < 0.5 };
    });
    const out = runCloud(tags, box, options);
    if (out.length === words.length || attempt >= 6 || top * 0.85 < min) {
      const placed = out.map((t) => ({
        text: t.text,
        count: t.count,
        size: t.size,
        x: t.x ?? 0,
        y: t.y ?? 0,
        tone: (wordHash(t.text) >>> 8) % tones,
      }));
      return { placed, memory: { box, scale, placed: new Map(placed.map((p) => [p.text, p])) } };
    }
    scale *= 0.85;
  }
}
