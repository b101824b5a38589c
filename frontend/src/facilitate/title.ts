//! The console's page title: the item (or part) in view first, then the role, so that a
//! browser tab, a screen reader and a window switcher tell the views apart (WCAG 2.4.2).

import { translate as tr, type Lang } from '../lib/i18n';
import { fac } from './strings';

/** "Samsyn – Styrdokument för digitalisering – samtalsledare"; "Samsyn – samtalsledare" without a part. */
export function consoleTitle(lang: Lang, part: string | null, presenter: boolean): string {
  const role = tr(lang, presenter ? fac.titlePresenter : fac.titleFacilitator);
  const name = part?.trim();
  return name ? `Samsyn – ${name} – ${role}` : `Samsyn – ${role}`;
}
