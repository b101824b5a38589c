//! Keyboard shortcuts of the facilitator console: which key does what, and when a key
//! press belongs to a text field instead. Pure; tested without a browser.

import { readStore, writeStore } from '../lib/storage';

/** Where the console remembers that its single-key shortcuts are turned off (WCAG 2.1.4). */
export const SHORTCUTS_KEY = 'samsyn.shortcuts';

export function shortcutsOn(): boolean {
  return readStore(SHORTCUTS_KEY) !== 'off';
}

export function setShortcutsOn(on: boolean): void {
  writeStore(SHORTCUTS_KEY, on ? 'on' : 'off');
}

/** What a button or shortcut of the console does to the selected item. */
export type Step = 'open' | 'close' | 'reveal' | 'revote' | 'lock' | 'reopen' | 'next' | 'goto' | 'hide';

export const SHORTCUTS: Readonly<Record<string, Step>> = {
  o: 'open',
  c: 'close',
  r: 'reveal',
  v: 'revote',
  l: 'lock',
  n: 'next',
};

/** The shortcut letter of a step, for `aria-keyshortcuts` and the visible hint. */
export function shortcutKey(step: Step): string | null {
  for (const [key, s] of Object.entries(SHORTCUTS)) if (s === step) return key.toUpperCase();
  return null;
}

interface TargetLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

/** True when a key press belongs to a field the person is typing in. */
export function isTypingTarget(target: unknown): boolean {
  const el = target as TargetLike | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    return !['radio', 'checkbox', 'button', 'submit', 'reset', 'range', 'color'].includes(el.type ?? 'text');
  }
  return false;
}

interface KeyLike {
  key: string;
  target: unknown;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat: boolean;
  defaultPrevented: boolean;
}

/** The step a key press asks for, or null when it is no shortcut or the person is typing. */
export function shortcutStep(e: KeyLike): Step | null {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return null;
  if (isTypingTarget(e.target)) return null;
  return SHORTCUTS[e.key.toLowerCase()] ?? null;
}
