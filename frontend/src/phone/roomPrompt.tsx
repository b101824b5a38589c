//! The phone asks for the room word: a labelled field and a button, above the answer controls, which
//! stay usable meanwhile (a choice made now waits for the word). Says when the word was wrong or has
//! changed; the refusal is announced and the field takes the focus again.

import { useEffect, useRef, useState } from 'preact/hooks';
import { translate as tr, type Lang } from '../lib/i18n';
import { common } from '../lib/strings';
import { checkTypedWord, type TypedWordProblem } from './roomWord';
import { phone } from './strings';

/** Why the phone asks: the first time, the word on the screen changed, or the word typed was refused. */
export type AskReason = 'first' | 'changed' | 'wrong';

export function RoomWordPrompt({
  reason,
  waiting,
  lang,
  onWord,
}: {
  reason: AskReason;
  /** Answers made that wait for the word. */
  waiting: number;
  lang: Lang;
  onWord: (word: string) => void;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<TypedWordProblem | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  // After a refusal the person types again: the field takes the focus (a new question keeps it on its title).
  useEffect(() => {
    if (reason === 'wrong') inputRef.current?.focus();
  }, [reason]);

  const submit = (e: Event) => {
    e.preventDefault();
    const check = checkTypedWord(text);
    if (check.problem) {
      setProblem(check.problem);
      inputRef.current?.focus();
      return;
    }
    setProblem(null);
    onWord(check.word);
  };

  const error = problem
    ? tr(lang, problem === 'empty' ? phone.roomWordEmpty : phone.roomWordForm)
    : reason === 'wrong'
      ? `${tr(lang, phone.roomWordWrong)} ${tr(lang, common.err_wrong_room_word)}`
      : '';
  return (
    <section class="room-word-ask" aria-labelledby="room-word-title">
      <h2 id="room-word-title">{tr(lang, phone.roomWordTitle)}</h2>
      <p id="room-word-help">{tr(lang, reason === 'changed' ? phone.roomWordChanged : phone.roomWordAsk)}</p>
      <form class="word-form" onSubmit={submit} noValidate>
        <label for="room-word">{tr(lang, phone.roomWordLabel)}</label>
        <div class="word-row">
          <input
            id="room-word"
            ref={inputRef}
            type="text"
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellcheck={false}
            enterKeyHint="done"
            maxLength={24}
            value={text}
            aria-describedby="room-word-help room-word-error"
            aria-invalid={error !== ''}
            onInput={(e) => {
              setText((e.target as HTMLInputElement).value);
              setProblem(null);
            }}
          />
          <button type="submit" class="btn btn-primary">
            {tr(lang, waiting > 0 ? phone.roomWordSend : phone.roomWordSubmit)}
          </button>
        </div>
        <p id="room-word-error" class="field-error" role="alert">
          {error}
        </p>
      </form>
    </section>
  );
}
