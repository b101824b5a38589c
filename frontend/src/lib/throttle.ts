//! Throttled announcements: a live region that hears "3 of 9 have answered" on every vote is a
//! stream of numbers for a blind participant in a large audience. `useThrottledText` passes a
//! text on at most once per interval (the latest one when the interval ends), and at once when
//! `now` says it is final (everyone answered, or a new phase).

import { useEffect, useRef, useState } from 'preact/hooks';

export const ANNOUNCE_EVERY_MS = 5000;

export function useThrottledText(text: string, now: boolean, every = ANNOUNCE_EVERY_MS): string {
  const [shown, setShown] = useState(text);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (text === shown) return;
    const wait = last.current + every - Date.now();
    if (now || wait <= 0) {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      last.current = Date.now();
      setShown(text);
      return;
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      setShown(text);
    }, wait);
  }, [text, now]);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return shown;
}
