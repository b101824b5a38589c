//! The selected item in the console: its one obvious next action and the others, the lock
//! form and consensus (scale items), word moderation (words items), and every round's
//! tally side by side.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { answeredTotal, formatDateTime } from '../lib/format';
import { pick, translate as tr, textLang, type Lang } from '../lib/i18n';
import type { ClientState } from '../lib/reducer';
import { RoundResult } from '../lib/results';
import { allowed, areaOf, closedByNext, latestRound, nextItem, primaryStep, scaleOf, sortedLevels, suggestedLevel, type Action } from '../lib/session';
import { common } from '../lib/strings';
import type { Command, Item, Round, Scale, Session } from '../lib/types';
import { ConsensusView, KindBadge, PhaseBadge, levelText, ThrottledProgress } from '../lib/ui';
import type { PreviousIndicator, PreviousOccasion } from '../lib/previous';
import { setShortcutsOn, shortcutKey, shortcutsOn, type Step } from './keys';
import { LastTime } from './lasttime';
import { Moderation } from './moderation';
import { fac } from './strings';
import { sm } from './summaryStrings';

const ACTIONS: Action[] = ['open', 'close', 'reveal', 'revote', 'lock', 'reopen'];

/** Longest note or dissent the server accepts, in characters. */
const TEXT_MAX = 2000;

export function Detail({
  session,
  item,
  lang,
  busy,
  connected,
  run,
  lockAsk,
  onLock,
  state,
  send,
  onSummary,
  lastTime = null,
  lastOccasion = null,
  lockedByName,
}: {
  session: Session;
  item: Item;
  lang: Lang;
  busy: boolean;
  connected: boolean;
  run: (step: Step) => void;
  /** Grows each time the facilitator asks for the lock form (button or L); 0 = not asked. */
  lockAsk: number;
  onLock: (level: number, note: string, dissent: string) => void;
  state: ClientState;
  send: (c: Command) => number;
  /** Opens the summary and action plan; null when the state has no summary. */
  onSummary: (() => void) | null;
  /** What the organisation's previous occasion and plan say about this indicator (fetched in the background). */
  lastTime?: PreviousIndicator | null;
  lastOccasion?: PreviousOccasion | null;
  /**
   * Who locked this item, by name (from the organisation's members); null: someone no longer a member;
   * undefined: not known here (a key link's holder is told no names).
   */
  lockedByName?: string | null;
}) {
  const area = areaOf(session, item);
  const round = latestRound(item);
  const next = nextItem(session, item.id);
  const primary = primaryStep(item.phase, item.kind);
  const scale = scaleOf(session, item);
  const isCurrent = session.current === item.id;
  const total = round ? answeredTotal(round.voted, session.participants) : 0;

  const label = (step: Step): ComponentChildren => {
    if (step === 'next') {
      if (!next) return '';
      // The title may be long: cut visibly with an ellipsis, while the accessible name keeps it whole.
      return <span class="btn-title">{nextLabel(session, item, next, lang)}</span>;
    }
    return tr(lang, fac[`act_${step}` as 'act_open']);
  };

  const button = (step: Step, isPrimary: boolean) => {
    const key = shortcutKey(step);
    return (
      <button
        type="button"
        // The primary button keeps its element as its action changes (open → close → reveal…),
        // so that a keyboard user who pressed it keeps the focus on the next obvious action.
        key={isPrimary ? 'primary' : step}
        class={isPrimary ? 'btn btn-primary btn-large' : 'btn'}
        // Not `disabled`: the browser would take the focus away while the command is on its way.
        // `run` ignores presses while busy.
        aria-disabled={busy || undefined}
        aria-keyshortcuts={key ?? undefined}
        onClick={() => run(step)}
      >
        {label(step)}
        {key && (
          <kbd class="kbd" aria-hidden="true">
            {key}
          </kbd>
        )}
      </button>
    );
  };

  const others = ACTIONS.filter((a) => a !== primary && allowed(a, item.phase, item.kind));
  const showNext = next !== null && primary !== 'next';

  return (
    <article class="detail" aria-labelledby="detail-title">
      <p class="eyebrow">
        {area && pick(area.name, lang)} <KindBadge kind={item.kind} lang={lang} />{' '}
        <PhaseBadge phase={item.phase} lang={lang} />
        <span class="results-mode" title={item.results === 'live' ? tr(lang, fac.resultsLiveHelp) : undefined}>
          {item.results === 'live' ? tr(lang, fac.resultsLive) : tr(lang, fac.resultsAfter)}
        </span>
      </p>
      <h2 id="detail-title" class="item-title" tabIndex={-1} lang={textLang(item.title, lang)}>
        {pick(item.title, lang)}
      </h2>
      {pick(item.description, lang) && <p class="item-desc" lang={textLang(item.description, lang)}>{pick(item.description, lang)}</p>}

      <div class="shown-row">
        {isCurrent ? (
          <>
            <span class="shown-yes">{tr(lang, fac.shownToEveryone)}</span>
            <button type="button" class="btn btn-small" disabled={busy} onClick={() => run('hide')}>
              {tr(lang, fac.hideEveryone)}
            </button>
          </>
        ) : (
          <>
            <span class="muted">{tr(lang, fac.notShown)}</span>
            <button type="button" class="btn btn-small" disabled={busy} onClick={() => run('goto')}>
              {tr(lang, fac.showEveryone)}
            </button>
          </>
        )}
      </div>

      {round && (round.open || item.phase === 'closed') && (
        <>
          <p class="progress">{tr(lang, common.votedOf, { voted: round.voted, total })}</p>
          {/* Announced at most every few seconds, and at once when everyone has answered. */}
          <ThrottledProgress voted={round.voted} total={total} lang={lang} />
        </>
      )}

      <section class="actions" aria-labelledby="actions-title">
        <h3 id="actions-title" class="sr-only">
          {tr(lang, fac.actions)}
        </h3>
        <div class="action-row">
          {(primary !== 'next' || next) && button(primary, true)}
          {others.map((a) => button(a, false))}
          {showNext && button('next', false)}
        </div>
        {primary === 'next' && !next && <p class="muted">{tr(lang, fac.lastItem)}</p>}
        {busy && <p class="muted">{tr(lang, fac.sending)}</p>}
        {!connected && <p class="muted">{tr(lang, common.reconnectingShort)}</p>}
        <ShortcutSwitch lang={lang} />
      </section>

      {scale && <LastTime item={item.id} entry={lastTime} occasion={lastOccasion} scale={scale} lang={lang} />}

      {scale && allowed('lock', item.phase, item.kind) && (item.phase !== 'pending' || lockAsk > 0) ? (
        <LockForm item={item} scale={scale} lang={lang} busy={busy} focusAsk={lockAsk} onLock={onLock} />
      ) : scale && item.phase === 'voting' ? (
        <p class="muted">{tr(lang, fac.lockNotNow)}</p>
      ) : null}

      {item.consensus && scale && <ConsensusView consensus={item.consensus} scale={scale} lang={lang} headingLevel={3} />}
      {item.consensus && item.locked_by && lockedByName !== undefined && (
        <p class="muted small">{tr(lang, fac.lockedBy, { name: lockedByName ?? tr(lang, fac.formerMember) })}</p>
      )}

      {item.kind === 'points' && item.targets && item.targets.length > 0 && onSummary && (
        <p>
          <button type="button" class="btn" onClick={onSummary}>
            {tr(lang, sm.backToSummary)}
          </button>
        </p>
      )}

      {item.kind === 'words' && <Moderation item={item} session={session} state={state} lang={lang} send={send} />}

      {scale && item.history.length > 0 && (
        <section class="history" aria-labelledby="history-title">
          <h3 id="history-title">{tr(lang, fac.history)}</h3>
          <ol>
            {item.history.map((h) => (
              <li key={h.locked_at}>
                <strong>{levelText(scale, h.level, lang)}</strong>
                {h.note && <> – {h.note}</>}
                {h.dissent && (
                  <>
                    {' '}
                    ({tr(lang, common.dissent)}: {h.dissent})
                  </>
                )}
                <span class="muted small">
                  {' '}
                  · {tr(lang, common.lockedAt, { when: formatDateTime(lang, h.locked_at) })} ·{' '}
                  {tr(lang, fac.reopenedAt, { when: formatDateTime(lang, h.reopened_at) })}
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}

      <section class="rounds" aria-labelledby="rounds-title">
        <h3 id="rounds-title">{tr(lang, fac.rounds)}</h3>
        {item.rounds.length === 0 ? (
          <p class="muted">{tr(lang, fac.noRounds)}</p>
        ) : (
          <div class="rounds-grid">
            {(item.rounds as Round[]).map((r) => (
              <RoundResult key={r.number} item={item} round={r} session={session} lang={lang} full moderator headingLevel={4}>
                <span class="round-state">
                  {' · '}
                  {tr(lang, fac.voted, { n: r.voted })}
                  {' · '}
                  {r.open ? tr(lang, fac.roundLive) : r.revealed ? tr(lang, fac.roundShown) : tr(lang, fac.roundHidden)}
                </span>
              </RoundResult>
            ))}
          </div>
        )}
      </section>
    </article>
  );
}

/**
 * "Next: open <title>". It says when it also closes the voting left behind, so that closing is
 * never a surprise.
 */
export function nextLabel(session: Session, item: Item, next: Item, lang: Lang): string {
  const closes = closedByNext(session, item, next).length > 0;
  const words =
    next.phase === 'pending'
      ? closes
        ? fac.act_next_close_open
        : fac.act_next_open
      : closes
        ? fac.act_next_close
        : fac.act_next;
  return `${tr(lang, words)} ${pick(next.title, lang)}`;
}

function LockForm({
  item,
  scale,
  lang,
  busy,
  focusAsk,
  onLock,
}: {
  item: Item;
  scale: Scale;
  lang: Lang;
  busy: boolean;
  focusAsk: number;
  onLock: (level: number, note: string, dissent: string) => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const form = formRef.current;
    if (focusAsk === 0 || !form) return;
    const target =
      form.querySelector<HTMLInputElement>('input[type=radio]:checked') ??
      form.querySelector<HTMLInputElement>('input[type=radio]');
    form.scrollIntoView({ block: 'nearest' });
    target?.focus();
  }, [focusAsk]);
  const suggested = suggestedLevel(item);
  // Until the facilitator picks a level, follow the newest suggestion (it changes after a re-vote).
  const [picked, setPicked] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [withDissent, setWithDissent] = useState(false);
  const [dissent, setDissent] = useState('');
  const [missing, setMissing] = useState(false);
  const level = picked ?? suggested;

  const submit = (e: Event) => {
    e.preventDefault();
    if (level === null) {
      setMissing(true);
      return;
    }
    onLock(level, note.trim(), withDissent ? dissent.trim() : '');
  };

  const id = (s: string) => `lock-${item.id}-${s}`;
  return (
    <form class="lock-form" ref={formRef} onSubmit={submit} aria-labelledby={id('title')}>
      <h3 id={id('title')}>{tr(lang, fac.lockTitle)}</h3>
      <fieldset>
        <legend>{tr(lang, fac.lockLevel)}</legend>
        <div class="lock-levels">
          {sortedLevels(scale).map((l) => (
            <label class="radio-card" key={l.level}>
              <input
                type="radio"
                name={id('level')}
                value={l.level}
                checked={level === l.level}
                onChange={() => {
                  setPicked(l.level);
                  setMissing(false);
                }}
              />
              <span>
                <span class="radio-title">
                  {levelText(scale, l.level, lang)}
                  {suggested === l.level && <span class="suggested"> ({tr(lang, fac.suggested)})</span>}
                </span>
                <span class="radio-def" lang={textLang(l.definition, lang)}>{pick(l.definition, lang)}</span>
              </span>
            </label>
          ))}
        </div>
        {missing && (
          <p class="field-error" role="alert">
            {tr(lang, fac.chooseLevel)}
          </p>
        )}
      </fieldset>
      <label for={id('note')}>{tr(lang, fac.lockNote)}</label>
      <textarea
        id={id('note')}
        rows={3}
        maxLength={TEXT_MAX}
        value={note}
        aria-describedby={id('note-help')}
        onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
      />
      <p id={id('note-help')} class="muted small">
        {tr(lang, fac.lockNoteHelp)} {tr(lang, fac.chars, { n: note.length, max: TEXT_MAX })}
      </p>
      <label class="check">
        <input type="checkbox" checked={withDissent} onChange={() => setWithDissent(!withDissent)} />{' '}
        {tr(lang, fac.addDissent)}
      </label>
      {withDissent && (
        <>
          <label for={id('dissent')}>{tr(lang, fac.lockDissent)}</label>
          <textarea
            id={id('dissent')}
            rows={2}
            maxLength={TEXT_MAX}
            value={dissent}
            onInput={(e) => setDissent((e.target as HTMLTextAreaElement).value)}
          />
        </>
      )}
      <button type="submit" class={item.phase === 'revealed' ? 'btn btn-primary' : 'btn'} disabled={busy}>
        {level === null ? tr(lang, fac.lockSubmitPlain) : tr(lang, fac.lockSubmit, { n: level })}
      </button>
    </form>
  );
}

/** The shortcuts' hint and a switch to turn them off (remembered in this browser). */
function ShortcutSwitch({ lang }: { lang: Lang }) {
  const [on, setOn] = useState(shortcutsOn);
  return (
    <div class="shortcut-switch">
      <label class="check">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => {
            const next = (e.currentTarget as HTMLInputElement).checked;
            setShortcutsOn(next);
            setOn(next);
          }}
        />{' '}
        {tr(lang, fac.shortcutsOn)}
      </label>
      {on && <p class="muted small">{tr(lang, fac.shortcuts)}</p>}
    </div>
  );
}
