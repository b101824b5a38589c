//! The projector's word cloud: d3-cloud packs the words, and a word keeps its place between
//! updates that do not change its rank. d3-cloud measures words on a canvas; here a small fake
//! canvas draws each word as a filled box (0.6 em per character, 1 em high), which is all the
//! packing needs.

import { describe, expect, it } from 'vitest';
import { campLevels } from '../src/lib/session';
import { packCloud, sizeStep, type CloudMemory } from '../src/screen/stageCloud';

/** A 2D context that draws text as boxes into an RGBA buffer, as much as d3-cloud uses. */
function fakeCanvas(): () => HTMLCanvasElement {
  const canvas = {
    width: 1,
    height: 1,
    getContext() {
      let data = new Uint8ClampedArray(4);
      let tx = 0;
      let ty = 0;
      const stack: [number, number][] = [];
      let size = 10;
      const ctx = {
        fillStyle: '',
        strokeStyle: '',
        lineWidth: 1,
        set font(f: string) {
          size = Number(/(\d+)px/.exec(f)?.[1] ?? 10);
        },
        get font() {
          return `${size}px sans-serif`;
        },
        measureText: (text: string) => ({ width: text.length * size * 0.6 }),
        save: () => stack.push([tx, ty]),
        restore: () => ([tx, ty] = stack.pop() ?? [0, 0]),
        translate: (x: number, y: number) => {
          tx += x;
          ty += y;
        },
        rotate: () => {},
        clearRect: () => {
          if (data.length !== canvas.width * canvas.height * 4) data = new Uint8ClampedArray(canvas.width * canvas.height * 4);
          else data.fill(0);
        },
        fillText: (text: string, x: number) => {
          const w = text.length * size * 0.6;
          const x0 = Math.max(0, Math.floor(tx + x));
          const y0 = Math.max(0, Math.floor(ty - size * 0.8));
          const x1 = Math.min(canvas.width, Math.ceil(tx + x + w));
          const y1 = Math.min(canvas.height, Math.ceil(ty + size * 0.2));
          for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) data.fill(255, (y * canvas.width + xx) * 4, (y * canvas.width + xx) * 4 + 4);
        },
        strokeText: () => {},
        getImageData: (_x: number, _y: number, w: number, h: number) => {
          if (w === 1 && h === 1) return { data: new Uint8ClampedArray(4) };
          return { data };
        },
      };
      return ctx;
    },
  };
  return () => canvas as unknown as HTMLCanvasElement;
}

const options = { canvas: fakeCanvas(), font: 'sans-serif', weight: 700 };
const box = { width: 1200, height: 600 };
const w = (text: string, count: number) => ({ text, count });
const at = (placed: { text: string; x: number; y: number; size: number }[], text: string) => {
  const p = placed.find((q) => q.text === text);
  return p && { x: p.x, y: p.y, size: p.size };
};

describe('the projector word cloud', () => {
  it('places every word inside the box, the most frequent largest', () => {
    const { placed } = packCloud([w('framtid', 5), w('oro', 3), w('möjligheter', 2), w('hopp', 1)], box, options, null);
    expect(placed.map((p) => p.text).sort()).toEqual(['framtid', 'hopp', 'möjligheter', 'oro']);
    expect(placed[0].text).toBe('framtid');
    for (const p of placed) {
      const half = (p.text.length * p.size * 0.6) / 2;
      expect(Math.abs(p.x) + half).toBeLessThanOrEqual(box.width / 2 + 1);
      expect(Math.abs(p.y)).toBeLessThanOrEqual(box.height / 2);
    }
  });

  it('keeps a word where it was when an update does not change its rank', () => {
    const first = packCloud([w('framtid', 6), w('oro', 3), w('hopp', 1)], box, options, null);
    // One more vote for the top word and a new word at the bottom: no rank changes for the others.
    const second = packCloud([w('framtid', 7), w('oro', 3), w('hopp', 1), w('mod', 1)], box, options, first.memory);
    for (const text of ['framtid', 'oro', 'hopp']) expect(at(second.placed, text)).toEqual(at(first.placed, text));
    expect(at(second.placed, 'mod')).toBeDefined();
    // And a third update that changes nothing moves nothing.
    const third = packCloud([w('framtid', 7), w('oro', 3), w('hopp', 1), w('mod', 1)], box, options, second.memory);
    expect(third.placed).toEqual(second.placed);
  });

  it('lays out anew for a new box', () => {
    const first = packCloud([w('framtid', 6), w('oro', 3)], box, options, null);
    const memory: CloudMemory = first.memory;
    const other = packCloud([w('framtid', 6), w('oro', 3)], { width: 600, height: 300 }, options, memory);
    expect(other.memory.box).toEqual({ width: 600, height: 300 });
    expect(at(other.placed, 'framtid')!.size).toBeLessThan(at(first.placed, 'framtid')!.size);
  });

  it('sizes in steps, so one more vote rarely changes a size', () => {
    expect(sizeStep(10, 10)).toBe(6);
    expect(sizeStep(0, 10)).toBe(0);
    expect(sizeStep(40, 41)).toBe(sizeStep(41, 41));
  });
});

describe('two camps', () => {
  it('names the two camps of a split, and none when there is none', () => {
    expect(campLevels([2, 0, 0, 0, 2])).toEqual([1, 5]);
    expect(campLevels([3, 1, 0, 3, 1])).toEqual([1, 4]);
    expect(campLevels([0, 1, 3, 1, 0])).toBeNull();
    expect(campLevels([1, 0, 0, 0, 1])).toBeNull();
    // A middle level as large as a camp joins them: no split.
    expect(campLevels([2, 2, 2, 0, 0])).toBeNull();
  });
});
