//! "The room" on the console: how many new phones joined in the last minute; a warning when many joined
//! from one network at once, with the choice to leave them out of the count (and to count them again);
//! and the room word, which answers must carry while it is on. Sends commands through `send`; what they
//! did comes back in the state.

import { formatNumber } from '../lib/format';
import { translate as tr, type Lang } from '../lib/i18n';
import type { ClientState } from '../lib/reducer';
import type { Command, Session } from '../lib/types';
import { pickRoomWord } from './room';
import { fac } from './strings';

function waitingFor(state: ClientState, types: readonly string[]): boolean {
  return Object.values(state.pending).some((c) => types.includes(c.type));
}

export function RoomPanel({
  session,
  state,
  lang,
  send,
}: {
  session: Session;
  state: ClientState;
  lang: Lang;
  send: (c: Command) => number;
}) {
  const joins = session.joins ?? null;
  const flagged = joins?.flagged ?? 0;
  const leftOut = joins?.left_out ?? 0;
  const countBusy = waitingFor(state, ['leave_out', 'count_again', 'leave_out_flagged', 'count_all_again']);
  const word = session.room_word?.word ?? null;
  const on = session.room_word != null;
  const wordBusy = waitingFor(state, ['set_room_word']);

  return (
    <section class={flagged > 0 ? 'room-panel is-warning' : 'room-panel'} aria-labelledby="room-title">
      <h2 id="room-title">{tr(lang, fac.roomTitle)}</h2>
      <p class="room-joins">
        {tr(lang, fac.joinsLastMinute)}: <strong>{formatNumber(lang, joins?.last_minute ?? 0, 0)}</strong>
      </p>

      {/* Always in the DOM, so that a burst is announced when it comes; never a modal. */}
      <div class="room-burst" aria-live="polite">
        {flagged > 0 && (
          <p class="room-burst-text">
            <strong>{tr(lang, fac.burstWarning, { count: flagged })}</strong> {tr(lang, fac.burstExplain)}
          </p>
        )}
      </div>
      {flagged > 0 && (
        <p>
          <button type="button" class="btn btn-warning" disabled={countBusy} onClick={() => send({ type: 'leave_out_flagged' })}>
            {tr(lang, fac.leaveOut)}
          </button>
        </p>
      )}
      {leftOut > 0 && (
        <div class="room-left-out">
          <p>
            <strong>{tr(lang, fac.leftOutCount, { count: leftOut })}</strong> {tr(lang, fac.leftOutHelp)}
          </p>
          <p>
            <button type="button" class="btn" disabled={countBusy} onClick={() => send({ type: 'count_all_again' })}>
              {tr(lang, fac.countAgain)}
            </button>
          </p>
        </div>
      )}

      <div class="filter-row room-word-row">
        <button
          type="button"
          role="switch"
          class="switch"
          aria-checked={on}
          aria-describedby="room-word-help"
          disabled={wordBusy}
          onClick={() => send({ type: 'set_room_word', word: on ? null : pickRoomWord() })}
        >
          <span class="switch-track" aria-hidden="true">
            <span class="switch-thumb" />
          </span>
          {tr(lang, fac.roomWord)}
          <span class="switch-state">{on ? tr(lang, fac.on) : tr(lang, fac.off)}</span>
        </button>
        {on && (
          <>
            <p class="room-word-now">
              {tr(lang, fac.roomWordNow)}: <strong class="room-word-current">{word ?? '…'}</strong>
            </p>
            <p>
              <button type="button" class="btn btn-small" disabled={wordBusy} onClick={() => send({ type: 'set_room_word', word: pickRoomWord(undefined, word) })}>
                {tr(lang, fac.newWord)}
              </button>
            </p>
          </>
        )}
        <p id="room-word-help" class="muted small">
          {tr(lang, fac.roomWordHelp)}
        </p>
      </div>
    </section>
  );
}
