//! The presenter view of the console (/facilitate/{code}?view=presenter#key=…), for a laptop
//! beside the projector: the item everyone sees, large; the next one; the facilitator's notes
//! (the item's own notes, only ever sent to the console, then its description and the catalogue's
//! suggestions); the answer count; and only the
//! controls a presenter needs while talking (open, close, reveal, next). Everything else — the
//! lock form, moderation, the agenda — stays in the full console, one link away.

import { answeredTotal } from '../lib/format';
import { pick, translate as tr, textLang, type Lang } from '../lib/i18n';
import { RoundResult } from '../lib/results';
import { suggestionsFor } from '../lib/plan';
import { allowed, closedByNext, latestRound, nextItem, type Action } from '../lib/session';
import { common } from '../lib/strings';
import type { Item, Session, Suggestion } from '../lib/types';
import { KindBadge, PhaseBadge, ThrottledProgress } from '../lib/ui';
import { nextLabel } from './detail';
import { shortcutKey, type Step } from './keys';
import { fac } from './strings';
import { sm } from './summaryStrings';

/** The presenter's controls, in the order a round goes. */
const CONTROLS: Action[] = ['open', 'close', 'reveal'];

/** Whether the console's address asks for the presenter view. */
export function isPresenterView(search: string): boolean {
  return new URLSearchParams(search).get('view') === 'presenter';
}

/** The console's address in the other view, keeping the key (in the hash) and any other parameters. */
export function viewHref(search: string, hash: string, presenter: boolean): string {
  const params = new URLSearchParams(search);
  if (presenter) params.set('view', 'presenter');
  else params.delete('view');
  const query = params.toString();
  return `${query ? `?${query}` : location.pathname}${hash}`;
}

export function Presenter({
  session,
  item,
  lang,
  busy,
  connected,
  run,
  fromItemSet,
}: {
  session: Session;
  /** The item shown to everyone (or, while none is, the one last selected). */
  item: Item | null;
  lang: Lang;
  busy: boolean;
  connected: boolean;
  run: (step: Step) => void;
  /** Suggestions of the session's item set, for a state that does not carry them. */
  fromItemSet: Record<string, Suggestion[]>;
}) {
  if (!item) {
    return (
      <main id="main" class="presenter">
        <p class="muted">{tr(lang, fac.noItems)}</p>
      </main>
    );
  }
  const next = nextItem(session, item.id);
  const round = latestRound(item);
  const total = round ? answeredTotal(round.voted, session.participants) : 0;
  const shown = session.current === item.id;
  const description = pick(item.description, lang);
  const notes = item.notes?.trim() ?? '';
  const suggestions = suggestionsFor(item, fromItemSet);
  const closes = next !== null && closedByNext(session, item, next).length > 0;

  const button = (step: Step, label: string, primary: boolean) => {
    const key = shortcutKey(step);
    return (
      <button
        type="button"
        key={step}
        class={primary ? 'btn btn-primary btn-large' : 'btn btn-large'}
        aria-disabled={busy || undefined}
        aria-keyshortcuts={key ?? undefined}
        onClick={() => run(step)}
      >
        <span class="btn-title">{label}</span>
        {key && (
          <kbd class="kbd" aria-hidden="true">
            {key}
          </kbd>
        )}
      </button>
    );
  };
  const controls = CONTROLS.filter((a) => allowed(a, item.phase, item.kind));

  return (
    <main id="main" class="presenter">
      <section class="presenter-now" aria-labelledby="presenter-title">
        <p class="eyebrow">
          <span class="presenter-label">{shown ? tr(lang, fac.presenterNow) : tr(lang, fac.notShown)}</span>{' '}
          <KindBadge kind={item.kind} lang={lang} /> <PhaseBadge phase={item.phase} lang={lang} />
        </p>
        <h2 id="presenter-title" class="presenter-title" tabIndex={-1} lang={textLang(item.title, lang)}>
          {pick(item.title, lang)}
        </h2>
        {round && (round.open || item.phase !== 'pending') ? (
          <>
            <p class="presenter-count">{tr(lang, common.votedOf, { voted: round.voted, total })}</p>
            {/* Announced at most every few seconds, and at once when everyone has answered. */}
            <ThrottledProgress voted={round.voted} total={total} lang={lang} />
          </>
        ) : (
          <p class="presenter-count muted">{tr(lang, fac.presenterNotOpen)}</p>
        )}
        <div class="action-row presenter-controls" role="group" aria-label={tr(lang, fac.actions)}>
          {controls.map((a, i) => button(a, tr(lang, fac[`act_${a}` as 'act_open']), i === 0))}
          {next && button('next', nextLabel(session, item, next, lang), controls.length === 0)}
        </div>
        {busy && <p class="muted">{tr(lang, fac.sending)}</p>}
        {!connected && <p class="muted">{tr(lang, common.reconnectingShort)}</p>}
        {item.kind === 'scale' && (item.phase === 'closed' || item.phase === 'revealed') && (
          <p class="muted small">{tr(lang, fac.presenterLockHint)}</p>
        )}
        {round && (item.results === 'live' || round.revealed) && (
          <div class="presenter-result">
            <RoundResult item={item} round={round} session={session} lang={lang} headingLevel={3} />
          </div>
        )}
      </section>

      <aside class="presenter-side" aria-label={tr(lang, fac.presenterSide)}>
        <section class="presenter-card" aria-labelledby="presenter-next-title">
          <h2 id="presenter-next-title">{tr(lang, fac.presenterNext)}</h2>
          {next ? (
            <>
              <p class="presenter-next" lang={textLang(next.title, lang)}>{pick(next.title, lang)}</p>
              <p>
                <KindBadge kind={next.kind} lang={lang} /> <PhaseBadge phase={next.phase} lang={lang} />
              </p>
              {closes && <p class="muted small">{tr(lang, fac.presenterNextCloses)}</p>}
            </>
          ) : (
            <p class="muted">{tr(lang, fac.lastItem)}</p>
          )}
        </section>
        <section class="presenter-card" aria-labelledby="presenter-notes-title">
          <h2 id="presenter-notes-title">{tr(lang, fac.presenterNotes)}</h2>
          {notes && (
            <>
              <h3>{tr(lang, fac.presenterOwnNotes)}</h3>
              <p class="presenter-desc presenter-own-notes">{notes}</p>
            </>
          )}
          {description && (
            <>
              {notes && <h3>{tr(lang, fac.presenterDescription)}</h3>}
              <p class="presenter-desc" lang={textLang(item.description, lang)}>
                {description}
              </p>
            </>
          )}
          {suggestions.length > 0 && (
            <>
              <h3>{tr(lang, fac.presenterSuggestions)}</h3>
              <ul class="presenter-suggestions">
                {suggestions.map((s, i) => (
                  <li key={i}>
                    {pick(s.text, lang)} <span class="muted small">({tr(lang, sm.suggestionUpTo, { n: s.up_to })})</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {!notes && !description && suggestions.length === 0 && <p class="muted">{tr(lang, fac.presenterNoNotes)}</p>}
        </section>
      </aside>
    </main>
  );
}
