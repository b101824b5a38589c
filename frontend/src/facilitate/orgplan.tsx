//! The organisation a console's session belongs to, and, once its workshop is finished, the step
//! that puts the workshop's actions into the organisation's living plan
//! (`POST /api/organisations/{id}/plan/from/{code}`).
//!
//! The console's state does not name the session's organisation, so the console asks the session
//! lists of the signed-in person's organisations where they may run sessions (the one chosen last
//! on the start page first) and takes the one that lists the code. Without a sign-in there is none:
//! taking the plan over needs a member's sign-in anyway.

import { useEffect, useState } from 'preact/hooks';
import { fetchOrgSessions, rememberedOrganisation, type Me, type Membership } from '../lib/account';
import { translate as tr, type Lang } from '../lib/i18n';
import { organisationHref } from '../lib/organisation';
import { organisationCandidates, sessionOrganisation, takeOverOutcome, takeOverPlan, type TakenOver } from '../lib/previous';
import { errorMsg } from '../lib/strings';
import { lt } from './lastTimeStrings';

/** The organisation the session belongs to, for a signed-in member who may run it; null otherwise or while unknown. */
export function useSessionOrganisation(me: Me | null, code: string): Membership | null {
  const [org, setOrg] = useState<Membership | null>(null);
  const candidates = organisationCandidates(me, rememberedOrganisation());
  const ids = candidates.map((c) => c.id).join(',');
  useEffect(() => {
    if (candidates.length === 0) return;
    let live = true;
    void sessionOrganisation(candidates, code, fetchOrgSessions).then((found) => {
      if (live) setOrg(found);
    });
    return () => {
      live = false;
    };
  }, [ids, code]);
  return org;
}

type State = { state: 'idle' } | { state: 'busy' } | { state: 'done'; result: TakenOver } | { state: 'failed'; text: string };

/** "Put the actions into the organisation's action plan", with what came of it. */
export function PlanToOrganisation({ code, org, lang }: { code: string; org: Membership; lang: Lang }) {
  const [state, setState] = useState<State>({ state: 'idle' });
  const submit = async () => {
    if (state.state === 'busy') return;
    setState({ state: 'busy' });
    const res = await takeOverPlan(org.id, code);
    if (res.ok) {
      setState({ state: 'done', result: res.data });
      return;
    }
    const why = res.message ? `${tr(lang, errorMsg(res.code))} (${res.message})` : tr(lang, errorMsg(res.code));
    setState({ state: 'failed', text: `${tr(lang, lt.toPlanFailed)} ${why}` });
  };
  const message =
    state.state === 'done'
      ? (() => {
          const outcome = takeOverOutcome(state.result);
          return outcome === 'added' ? tr(lang, lt.added, { added: state.result.added }) : tr(lang, lt[outcome]);
        })()
      : state.state === 'failed'
        ? state.text
        : '';
  return (
    <section class="to-plan" aria-labelledby="to-plan-title">
      <h4 id="to-plan-title">{tr(lang, lt.toPlanTitle)}</h4>
      <p class="muted small" id="to-plan-help">
        {tr(lang, lt.toPlanHelp, { org: org.name })}
      </p>
      <p class="button-row">
        <button
          type="button"
          class="btn btn-primary"
          aria-describedby="to-plan-help"
          aria-disabled={state.state === 'busy' || undefined}
          onClick={() => void submit()}
        >
          {state.state === 'busy' ? tr(lang, lt.toPlanBusy) : tr(lang, lt.toPlan)}
        </button>
        <a class="btn" href={organisationHref(org.id)}>
          {tr(lang, lt.openOrgPage)}
        </a>
      </p>
      <p class={state.state === 'failed' ? 'field-error' : 'ok-text'} role="status">
        {message}
      </p>
    </section>
  );
}
