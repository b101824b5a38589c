//! The phone's answer forms by item kind: scale levels, choice buttons, the points budget
//! and the word field. Each shows what was sent and says "received" in a status region.
//! Commands go out through `send`; no socket here.

import { useState } from 'preact/hooks';
import { checkWord, normaliseWord, parsePoints, pointsProblem, pointsSum, sameSelection, stepPoints, toggleOption, wordProblemOf, type WordProblem } from '../lib/answers';
import { pick, translate as tr, textLang, type Lang } from '../lib/i18n';
import { ownVote, ownWords, type ClientState, type OwnVote } from '../lib/reducer';
import { scaleOf, sortedLevels } from '../lib/session';
import type { Answer, ChoiceItem, Command, PointsItem, Round, ScaleItem, Session, WordsItem } from '../lib/types';
import { common } from '../lib/strings';
import { levelText } from '../lib/ui';
import { phone } from './strings';

type Send = (c: Command) => number;

interface BallotProps<I> {
  item: I;
  round: Round;
  session: Session;
  state: ClientState;
  lang: Lang;
  send: Send;
  /** Clears the shown server error (the person typed again). */
  dismiss?: () => void;
}

/** "Your answer is received" and friends, in a status region that is always in the DOM. */
function VoteStatus({ own, state, lang, unsent = false }: { own: OwnVote; state: ClientState; lang: Lang; unsent?: boolean }) {
  // Left out by the facilitator: what was received no longer counts, and the phone must not say otherwise.
  const leftOut = state.leftOut && own.status === 'received';
  let text = '';
  if (unsent) text = tr(lang, phone.notSent);
  else if (own.status === 'held') text = tr(lang, phone.heldForWord);
  else if (leftOut) text = tr(lang, common.err_left_out);
  else if (own.status === 'received') text = tr(lang, phone.received);
  else if (own.status === 'sending') text = state.connection === 'open' ? tr(lang, phone.sending) : tr(lang, phone.sendingLater);
  return (
    <p class={`vote-status vote-${unsent ? 'none' : leftOut ? 'left-out' : own.status}`} role="status">
      {text}
    </p>
  );
}

export function ScaleBallot({ item, round, session, state, lang, send }: BallotProps<ScaleItem>) {
  const scale = scaleOf(session, item);
  if (!scale) return null;
  const own = ownVote(state, item.id, round.number);
  const vote = (answer: Answer) => {
    if (own.status === 'received' && own.answer === answer) return;
    send({ type: 'vote', item: item.id, round: round.number, answer });
  };
  const nr = scale.not_relevant;
  return (
    <section class="ballot" aria-labelledby="ballot-title">
      <h2 id="ballot-title">{tr(lang, phone.yourAnswer)}</h2>
      <p class="muted">{tr(lang, phone.chooseLevel)}</p>
      <div class="scale" role="group" aria-labelledby="ballot-title">
        {sortedLevels(scale).map((l) => (
          <button type="button" key={l.level} class="scale-btn" aria-pressed={own.answer === l.level} onClick={() => vote(l.level)}>
            <span class="scale-num" aria-hidden="true">
              {l.level}
            </span>
            <span class="scale-text">
              <span class="scale-label">
                <span class="sr-only">{l.level} – </span>
                <span lang={textLang(l.label, lang)}>{pick(l.label, lang)}</span>
              </span>
              {pick(l.definition, lang) && <span class="scale-def" lang={textLang(l.definition, lang)}>{pick(l.definition, lang)}</span>}
            </span>
          </button>
        ))}
      </div>
      {nr && (
        <div class="scale scale-apart">
          <button type="button" class="scale-btn scale-btn-nr" aria-pressed={own.answer === 'not_relevant'} onClick={() => vote('not_relevant')}>
            <span class="scale-num" aria-hidden="true">
              –
            </span>
            <span class="scale-text">
              <span class="scale-label" lang={textLang(nr.label, lang)}>{pick(nr.label, lang)}</span>
              {pick(nr.definition, lang) && <span class="scale-def" lang={textLang(nr.definition, lang)}>{pick(nr.definition, lang)}</span>}
            </span>
          </button>
        </div>
      )}
      <VoteStatus own={own} state={state} lang={lang} />
    </section>
  );
}

export function ChoiceBallot({ item, round, state, lang, send }: BallotProps<ChoiceItem>) {
  const own = ownVote(state, item.id, round.number);
  const chosen = Array.isArray(own.answer) ? own.answer : [];
  // Multiple choice: the boxes ticked but not sent yet; null = show what was sent.
  const [draft, setDraft] = useState<number[] | null>(null);
  const sendAnswer = (answer: number[]) => send({ type: 'vote', item: item.id, round: round.number, answer });

  if (!item.multiple) {
    return (
      <section class="ballot" aria-labelledby="ballot-title">
        <h2 id="ballot-title">{tr(lang, phone.yourAnswer)}</h2>
        <p class="muted">{tr(lang, phone.chooseOne)}</p>
        <div class="options" role="group" aria-labelledby="ballot-title">
          {item.options.map((o, i) => (
            <button
              type="button"
              key={i}
              class="option-btn"
              aria-pressed={chosen.length === 1 && chosen[0] === i}
              onClick={() => {
                if (own.status === 'received' && sameSelection(chosen, [i])) return;
                sendAnswer([i]);
              }}
              lang={textLang(o, lang)}
            >
              {pick(o, lang)}
            </button>
          ))}
        </div>
        <VoteStatus own={own} state={state} lang={lang} />
      </section>
    );
  }

  const shown = draft ?? chosen;
  // "Not sent" matters only once there is an answer the draft differs from.
  const unsent = draft !== null && own.status !== 'none' && !sameSelection(draft, chosen);
  return (
    <section class="ballot" aria-labelledby="ballot-title">
      <h2 id="ballot-title">{tr(lang, phone.yourAnswer)}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (shown.length === 0) return;
          sendAnswer(shown);
          setDraft(null);
        }}
      >
        <fieldset>
          <legend class="muted">{tr(lang, phone.chooseMany)}</legend>
          <div class="options">
            {item.options.map((o, i) => (
              <label class="option-check" key={i}>
                <input type="checkbox" checked={shown.includes(i)} onChange={() => setDraft(toggleOption(shown, i))} />
                <span lang={textLang(o, lang)}>{pick(o, lang)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div class="send-bar">
          {shown.length === 0 && <p class="muted small">{tr(lang, phone.chooseAtLeastOne)}</p>}
          <button type="submit" class="btn btn-primary btn-large btn-block" disabled={shown.length === 0 || (!unsent && own.status !== 'none')}>
            {own.status === 'none' ? tr(lang, phone.send) : tr(lang, phone.sendChange)}
          </button>
        </div>
      </form>
      <VoteStatus own={own} state={state} lang={lang} unsent={unsent} />
    </section>
  );
}

export function PointsBallot({ item, round, state, lang, send }: BallotProps<PointsItem>) {
  const own = ownVote(state, item.id, round.number);
  const sent = Array.isArray(own.answer) ? own.answer : null;
  // What the person typed, per option; null = show what was sent (or zeros).
  const [draft, setDraft] = useState<string[] | null>(null);
  const texts = draft ?? item.options.map((_, i) => String(sent?.[i] ?? 0));
  const parsed = texts.map(parsePoints);
  const values = parsed.map((v) => v ?? 0);
  const problem = parsed.some((v) => v === null) ? 'invalid' : pointsProblem(values, item.budget);
  const sum = pointsSum(values);
  const left = item.budget - sum;
  const unsent = draft !== null && sent !== null && !sameValues(values, sent);
  const set = (next: number[]) => setDraft(next.map(String));
  const id = (i: number) => `pts-${item.id}-${i}`;

  return (
    <section class="ballot" aria-labelledby="ballot-title">
      <h2 id="ballot-title">{tr(lang, phone.yourAnswer)}</h2>
      <p class="muted">{tr(lang, phone.pointsHelp, { budget: item.budget })}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (problem) return;
          send({ type: 'vote', item: item.id, round: round.number, answer: values });
          setDraft(null);
        }}
      >
        <ul class="points-list">
          {item.options.map((o, i) => {
            const name = pick(o, lang);
            const step = (delta: number) => (
              <button
                type="button"
                class="step-btn"
                aria-label={tr(lang, phone.pointsStep, { delta: delta > 0 ? `+${delta}` : `−${-delta}`, option: name })}
                disabled={delta < 0 ? values[i] === 0 : left <= 0}
                onClick={() => set(stepPoints(values, i, delta, item.budget))}
              >
                {delta > 0 ? `+${delta}` : `−${-delta}`}
              </button>
            );
            return (
              <li key={i} class="points-row">
                <label for={id(i)} class="points-label" lang={textLang(o, lang)}>
                  {name}
                </label>
                <div class="points-controls">
                  {step(-10)}
                  {step(-5)}
                  <input
                    id={id(i)}
                    class="points-input"
                    type="text"
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={4}
                    value={texts[i]}
                    aria-invalid={parsed[i] === null}
                    onInput={(e) => {
                      const next = [...texts];
                      next[i] = (e.target as HTMLInputElement).value;
                      setDraft(next);
                    }}
                  />
                  {step(5)}
                  {step(10)}
                </div>
              </li>
            );
          })}
        </ul>
        <div class="send-bar send-bar-sticky">
          <p class={left < 0 ? 'points-left points-over' : 'points-left'} role="status" aria-live="polite">
            {tr(lang, phone.pointsLeft, { left: Math.max(left, 0), budget: item.budget })}
            {problem === 'over' && <span class="points-problem"> {tr(lang, phone.pointsOver, { over: -left })}</span>}
            {/* Before the first touch a neutral hint, not an error. */}
            {problem === 'zero' && draft === null && own.status === 'none' && <span class="points-hint"> {tr(lang, phone.pointsStart)}</span>}
            {problem === 'zero' && (draft !== null || own.status !== 'none') && <span class="points-problem"> {tr(lang, phone.pointsZero)}</span>}
            {problem === 'invalid' && <span class="points-problem"> {tr(lang, phone.pointsInvalid)}</span>}
          </p>
          <button type="submit" class="btn btn-primary btn-large btn-block" disabled={problem !== null || (!unsent && own.status !== 'none')}>
            {own.status === 'none' ? tr(lang, phone.send) : tr(lang, phone.sendChange)}
          </button>
        </div>
      </form>
      <VoteStatus own={own} state={state} lang={lang} unsent={unsent} />
    </section>
  );
}

function sameValues(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function WordsBallot({ item, round, state, lang, send, dismiss }: BallotProps<WordsItem>) {
  const words = ownWords(state, item.id, round.number);
  const all = [...words.stored, ...words.sending.map(normaliseWord), ...words.held.map(normaliseWord)];
  const [text, setText] = useState('');
  const [local, setLocal] = useState<{ problem: WordProblem; word: string } | null>(null);
  // The server's refusal of this item's latest word, unless the person has typed since.
  const err = state.error;
  const serverProblem =
    err && err.command?.type === 'word' && err.command.item === item.id && err.command.round === round.number
      ? { problem: wordProblemOf(err.code), word: err.command.text.trim() }
      : null;
  const shownProblem = local ?? (serverProblem?.problem ? (serverProblem as { problem: WordProblem; word: string }) : null);
  const full = all.length >= item.max_words;
  const fieldId = `word-${item.id}`;

  const submit = (e: Event) => {
    e.preventDefault();
    const check = checkWord(text, item, all);
    if (check.problem) {
      setLocal({ problem: check.problem, word: check.word || text.trim() });
      return;
    }
    setLocal(null);
    if (serverProblem) dismiss?.();
    send({ type: 'word', item: item.id, round: round.number, text });
    setText('');
  };

  const lastStored = words.stored[words.stored.length - 1];
  let status = '';
  if (words.held.length > 0) status = tr(lang, phone.heldForWord);
  else if (words.sending.length > 0) status = state.connection === 'open' ? tr(lang, phone.sending) : tr(lang, phone.sendingLater);
  else if (lastStored) status = state.leftOut ? tr(lang, common.err_left_out) : tr(lang, phone.wordReceived, { word: lastStored });

  return (
    <section class="ballot" aria-labelledby="ballot-title">
      <h2 id="ballot-title">{tr(lang, phone.yourAnswer)}</h2>
      {full ? (
        <p class="waiting-note">{tr(lang, phone.allWordsSent)}</p>
      ) : (
        <form class="word-form" onSubmit={submit} noValidate>
          <label for={fieldId}>{tr(lang, phone.wordLabel)}</label>
          <div class="word-row">
            <input
              id={fieldId}
              type="text"
              autoComplete="off"
              autoCapitalize="none"
              enterKeyHint="send"
              maxLength={item.max_chars}
              value={text}
              aria-describedby={`${fieldId}-help ${fieldId}-error`}
              aria-invalid={shownProblem !== null}
              onInput={(e) => {
                setText((e.target as HTMLInputElement).value);
                setLocal(null);
                if (serverProblem) dismiss?.();
              }}
            />
            <button type="submit" class="btn btn-primary">
              {tr(lang, phone.send)}
            </button>
          </div>
          <p id={`${fieldId}-help`} class="muted small">
            {tr(lang, phone.wordHelp, { max: item.max_chars })}
          </p>
          <p id={`${fieldId}-error`} class="field-error" role="alert">
            {shownProblem ? tr(lang, phone[`word_${shownProblem.problem}`], { word: shownProblem.word, max: shownProblem.problem === 'too_many' ? item.max_words : item.max_chars }) : ''}
          </p>
        </form>
      )}
      <p class="words-count">{tr(lang, phone.wordsSent, { n: all.length, max: item.max_words })}</p>
      {all.length > 0 && (
        <>
          <ul class="own-words" aria-label={tr(lang, phone.yourWords)}>
            {words.stored.map((w) => (
              <li key={`s-${w}`}>{w}</li>
            ))}
            {words.sending.map((w, i) => (
              <li key={`p-${i}`} class="own-word-sending">
                {w} <span class="small">({tr(lang, phone.wordSending)})</span>
              </li>
            ))}
            {words.held.map((w, i) => (
              <li key={`h-${i}`} class="own-word-sending">
                {w} <span class="small">({tr(lang, phone.wordHeld)})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p class={`vote-status vote-${words.held.length > 0 ? 'held' : words.sending.length > 0 ? 'sending' : lastStored ? (state.leftOut ? 'left-out' : 'received') : 'none'}`} role="status">
        {status}
      </p>
    </section>
  );
}

/** A participant's own answer as text, by kind. */
export function answerText(session: Session, item: ScaleItem | ChoiceItem | PointsItem, answer: Answer, lang: Lang): string {
  if (item.kind === 'scale') {
    const scale = scaleOf(session, item);
    if (answer === 'not_relevant') return scale?.not_relevant ? pick(scale.not_relevant.label, lang) : tr(lang, phone.answerNotRelevant);
    return typeof answer === 'number' && scale ? levelText(scale, answer, lang) : String(answer);
  }
  if (!Array.isArray(answer)) return '';
  if (item.kind === 'choice') return answer.map((i) => pick(item.options[i], lang)).join(', ');
  return item.options
    .map((o, i) => [pick(o, lang), answer[i] ?? 0] as const)
    .filter(([, v]) => v > 0)
    .map(([name, v]) => `${name} ${v}`)
    .join(', ');
}
