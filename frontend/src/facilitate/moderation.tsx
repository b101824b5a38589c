//! Moderation of a words item: every word group with its count and flags, hide and show,
//! merge into another group (a select, no dragging), unmerge a variant, and the session's
//! profanity filter. Sends commands through `send`; the state comes back from the server.

import { useRef, useState } from 'preact/hooks';
import { byCount } from '../lib/cloud';
import { formatNumber } from '../lib/format';
import { translate as tr, type Lang } from '../lib/i18n';
import { moderating, type ClientState } from '../lib/reducer';
import type { Command, Session, WordGroup, WordsItem, WordsTally } from '../lib/types';
import { fac } from './strings';

/**
 * The groups to moderate: the newest round that has any words (moderation covers every round), and how
 * many rarer groups the server left out of the list.
 */
export function moderationGroups(item: WordsItem): { round: number | null; groups: WordGroup[]; more: number } {
  for (let i = item.rounds.length - 1; i >= 0; i--) {
    const tally = item.rounds[i].tally as WordsTally | null;
    if (tally && tally.words.length > 0) {
      return { round: item.rounds[i].number, groups: byCount(tally.words), more: tally.more ?? 0 };
    }
  }
  return { round: null, groups: [], more: 0 };
}

export function Moderation({
  item,
  session,
  state,
  lang,
  send,
}: {
  item: WordsItem;
  session: Session;
  state: ClientState;
  lang: Lang;
  send: (c: Command) => number;
}) {
  const { round, groups, more } = moderationGroups(item);
  const [source, setSource] = useState('');
  const [target, setTarget] = useState('');
  const targetRef = useRef<HTMLSelectElement>(null);
  const filterBusy = moderating(state, item.id, null);
  const id = (s: string) => `mod-${item.id}-${s}`;

  const src = groups.some((g) => g.text === source) ? source : '';
  const targets = groups.filter((g) => g.text !== src);
  const tgt = targets.some((g) => g.text === target) ? target : '';

  const merge = (e: Event) => {
    e.preventDefault();
    if (!src || !tgt) return;
    send({ type: 'merge_words', item: item.id, word: src, into: tgt });
    setSource('');
    setTarget('');
  };

  return (
    <section class="moderation" aria-labelledby={id('title')}>
      <h3 id={id('title')}>{tr(lang, fac.modTitle)}</h3>
      <div class="filter-row">
        <button
          type="button"
          role="switch"
          class="switch"
          aria-checked={session.profanity_filter}
          aria-describedby={id('filter-help')}
          disabled={filterBusy}
          onClick={() => send({ type: 'set_filter', enabled: !session.profanity_filter })}
        >
          <span class="switch-track" aria-hidden="true">
            <span class="switch-thumb" />
          </span>
          {tr(lang, fac.filter)}
          <span class="switch-state">{session.profanity_filter ? tr(lang, fac.on) : tr(lang, fac.off)}</span>
        </button>
        <p id={id('filter-help')} class="muted small">
          {tr(lang, fac.filterHelp)}
        </p>
      </div>

      {groups.length === 0 ? (
        <p class="muted">{tr(lang, fac.modEmpty)}</p>
      ) : (
        <>
          <p class="muted small">{tr(lang, fac.modHelp, { n: round ?? 0 })}</p>
          <form class="merge-form" onSubmit={merge} aria-labelledby={id('merge-title')}>
            <p id={id('merge-title')} class="label">
              {tr(lang, fac.mergeTitle)}
            </p>
            <div class="merge-fields">
              <div>
                <label for={id('src')}>{tr(lang, fac.mergeWord)}</label>
                <select id={id('src')} value={src} onChange={(e) => setSource((e.target as HTMLSelectElement).value)}>
                  <option value="">{tr(lang, fac.choose)}</option>
                  {groups.map((g) => (
                    <option key={g.text} value={g.text}>
                      {g.display ?? g.text} ({g.count})
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label for={id('tgt')}>{tr(lang, fac.mergeInto)}</label>
                <select id={id('tgt')} ref={targetRef} value={tgt} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
                  <option value="">{tr(lang, fac.choose)}</option>
                  {targets.map((g) => (
                    <option key={g.text} value={g.text}>
                      {g.display ?? g.text} ({g.count})
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" class="btn" disabled={!src || !tgt}>
                {tr(lang, fac.merge)}
              </button>
            </div>
          </form>

          <table class="mod-table">
            <caption class="sr-only">{tr(lang, fac.modCaption, { n: round ?? 0 })}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(lang, fac.colWord)}</th>
                <th scope="col" class="num">
                  {tr(lang, fac.colCount)}
                </th>
                <th scope="col">{tr(lang, fac.colActions)}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => {
                const busy = moderating(state, item.id, g.text);
                return (
                  <tr key={g.text} class={g.hidden ? 'row-hidden' : undefined}>
                    <th scope="row">
                      <span class="mod-word">{g.display ?? g.text}</span>
                      {g.hidden && <span class="badge badge-hidden">{tr(lang, fac.hiddenBadge)}</span>}
                      {g.filtered && <span class="badge badge-filtered">{tr(lang, fac.filteredBadge)}</span>}
                      {g.variants && g.variants.length > 0 && (
                        <ul class="variants" aria-label={tr(lang, fac.variantsOf, { word: g.display ?? g.text })}>
                          {g.variants.map((v) => (
                            <li key={v}>
                              {v}{' '}
                              <button
                                type="button"
                                class="btn btn-small btn-quiet"
                                disabled={moderating(state, item.id, v)}
                                aria-label={tr(lang, fac.unmergeLabel, { word: v, group: g.display ?? g.text })}
                                onClick={() => send({ type: 'unmerge_word', item: item.id, word: v })}
                              >
                                {tr(lang, fac.unmerge)}
                              </button>
                            </li>
                          ))}
                        </ul>
                      )}
                    </th>
                    <td class="num">{formatNumber(lang, g.count, 0)}</td>
                    <td>
                      <div class="mod-actions">
                        <button
                          type="button"
                          class="btn btn-small"
                          disabled={busy}
                          aria-label={tr(lang, g.hidden ? fac.showLabel : fac.hideLabel, { word: g.display ?? g.text })}
                          onClick={() => send({ type: g.hidden ? 'show_word' : 'hide_word', item: item.id, word: g.text })}
                        >
                          {g.hidden ? tr(lang, fac.show) : tr(lang, fac.hide)}
                        </button>
                        <button
                          type="button"
                          class="btn btn-small"
                          disabled={busy || groups.length < 2}
                          aria-label={tr(lang, fac.mergeLabel, { word: g.display ?? g.text })}
                          onClick={() => {
                            setSource(g.text);
                            setTarget('');
                            setTimeout(() => targetRef.current?.focus(), 0);
                          }}
                        >
                          {tr(lang, fac.mergeStart)}
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {more > 0 && <p class="muted small">{tr(lang, fac.modMore, { n: more })}</p>}
        </>
      )}
    </section>
  );
}
