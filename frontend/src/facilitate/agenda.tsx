//! The agenda of the console: every item grouped by area, with its phase and locked level.
//! Selecting an item shows it in detail here only; "show to everyone" is a separate action.

import { pick, translate as tr, type Lang } from '../lib/i18n';
import { itemsByArea } from '../lib/session';
import type { Session } from '../lib/types';
import { PhaseBadge } from '../lib/ui';
import { fac } from './strings';

export function Agenda({
  session,
  selectedId,
  onSelect,
  lang,
}: {
  session: Session;
  selectedId: string | null;
  onSelect: (id: string) => void;
  lang: Lang;
}) {
  return (
    <nav class="agenda" aria-labelledby="agenda-title">
      <h2 id="agenda-title">{tr(lang, fac.agenda)}</h2>
      {itemsByArea(session).map((group) => (
        <section class="agenda-area" key={group.area?.id ?? '-'}>
          <h3>{group.area ? pick(group.area.name, lang) : tr(lang, fac.otherArea)}</h3>
          <ol>
            {group.items.map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  class="agenda-item"
                  aria-current={item.id === selectedId ? 'true' : undefined}
                  onClick={() => onSelect(item.id)}
                >
                  <span class="agenda-id">{item.id}</span>
                  <span class="agenda-title">{pick(item.title, lang)}</span>
                  <span class="agenda-meta">
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
