//! The agenda of the console: every item (grouped by area in a workshop) with its kind,
//! phase and locked level. Selecting an item shows it in detail here only; "show to
//! everyone" is a separate action. "Edit the agenda" opens the builder; the first entry opens
//! the summary and action plan.

import { pick, translate as tr, textLang, type Lang } from '../lib/i18n';
import { itemsByArea, showsSummary } from '../lib/session';
import type { Session } from '../lib/types';
import { KindBadge, PhaseBadge } from '../lib/ui';
import { fac } from './strings';
import { sm } from './summaryStrings';

export function Agenda({
  session,
  selectedId,
  onSelect,
  onEdit,
  summaryOpen,
  onSummary,
  lang,
}: {
  session: Session;
  /** The item shown in detail, or null while the summary is open. */
  selectedId: string | null;
  onSelect: (id: string) => void;
  onEdit: () => void;
  summaryOpen: boolean;
  onSummary: () => void;
  lang: Lang;
}) {
  const groups = itemsByArea(session);
  const summary = session.summary;
  return (
    <nav class="agenda" aria-labelledby="agenda-title">
      <div class="agenda-head">
        <h2 id="agenda-title">{tr(lang, fac.agenda)}</h2>
        <button type="button" id="edit-agenda" class="btn btn-small" onClick={onEdit}>
          {tr(lang, fac.editAgenda)}
        </button>
      </div>
      {summary && (
        <button type="button" class="agenda-item agenda-summary" aria-current={summaryOpen ? 'true' : undefined} onClick={onSummary}>
          <span class="agenda-title">{summary.indicators.length > 0 ? tr(lang, sm.navSummary) : tr(lang, sm.titleSeminar)}</span>
          {summary.indicators.length > 0 && (
            <span class="agenda-meta">
              {tr(lang, sm.navLocked, { locked: summary.indicators.length - summary.open, n: summary.indicators.length })}
              {showsSummary(session) && <span class="agenda-live">{tr(lang, fac.onScreens)}</span>}
            </span>
          )}
        </button>
      )}
      {groups.map((group) => (
        <section class="agenda-area" key={group.area?.id ?? '-'}>
          {(group.area || session.areas.length > 0) && (
            <h3>{group.area ? pick(group.area.name, lang) : tr(lang, fac.otherArea)}</h3>
          )}
          <ol>
            {group.items.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  class="agenda-item"
                  aria-current={!summaryOpen && item.id === selectedId ? 'true' : undefined}
                  onClick={() => onSelect(item.id)}
                >
                  <span class="agenda-title" lang={textLang(item.title, lang)}>{pick(item.title, lang)}</span>
                  <span class="agenda-meta">
                    <KindBadge kind={item.kind} lang={lang} />
                    <PhaseBadge phase={item.phase} lang={lang} />
                    {item.consensus && (
                      <span class="agenda-level">{tr(lang, fac.levelShort, { n: item.consensus.level })}</span>
                    )}
                    {session.current === item.id && <span class="agenda-live">{tr(lang, fac.onScreens)}</span>}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </nav>
  );
}
