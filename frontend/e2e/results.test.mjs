//! The results views in a real browser: a workshop with locked indicators (locks driven over
//! the WebSocket protocol), the console's summary with its radar chart and area table, the
//! summary shared to the projector and a phone, a prioritisation, an action from a catalogue
//! suggestion, finishing the occasion, and comparing two occasions on the start page. Every
//! view is checked with axe and photographed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertFitsWindow, createSession, setUp } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('results');
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

const ORGANISATION = 'Socialförvaltningen i Exempelby';

test('a workshop summary is shared, prioritised, planned, finished and compared', () =>
  w.guard(async () => {
    const catalogue = await (await fetch(`${w.server.url}/api/catalogues/lika`)).json();
    const [ledning, infra] = catalogue.areas;
    const [l1, l2] = ledning.indicators;
    const [i1] = infra.indicators;
    const label = (n) => catalogue.scale.levels.find((l) => l.level === n).label.sv;

    // ---- two sessions of the same organisation: an earlier one and today's
    const then = await createSession(w.server, { catalogue: 'lika', title: 'Exempelby 2025' });
    const now = await createSession(w.server, { catalogue: 'lika', title: 'Exempelby 2026' });

    // The start page is the driver's page: it speaks the protocol from the server's own origin.
    const startPage = await w.open('desktop', 'start', '/');
    await startPage.getByRole('button', { name: 'Starta workshop' }).waitFor();
    await facilitate(startPage, then, [
      { type: 'lock', item: l1.id, level: 1, note: 'Ingen plan' },
      { type: 'lock', item: l2.id, level: 1, note: '' },
      { type: 'finish', organisation: ORGANISATION, field: null, date: '2025-11-20' },
    ]);

    // ---- today's console, and a phone and the projector in the room
    const fac = await w.open('desktop', 'facilitator', now.links.facilitator);
    await fac.getByRole('heading', { level: 1, name: 'Exempelby 2026' }).waitFor();
    const screen = await w.open('projector', 'screen', now.links.screen);
    await screen.getByRole('heading', { name: 'Väntar på samtalsledaren' }).waitFor();
    const phone = await w.open('phone', 'phone', now.links.join);
    await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
    await fac.getByText('1 deltagare').waitFor();

    await facilitate(startPage, now, [
      { type: 'lock', item: l1.id, level: 2, note: 'Planen saknar budget' },
      { type: 'lock', item: l2.id, level: 3, note: 'Styrdokument finns', dissent: 'IT ser det som nivå 4' },
      { type: 'lock', item: i1.id, level: 2, note: '' },
    ]);
    const n = catalogue.areas.reduce((sum, a) => sum + a.indicators.length, 0);

    // ---- the console's summary: the radar chart and the area table show the locked levels
    const summaryNav = fac.getByRole('button', { name: new RegExp(`^Sammanfattning och handlingsplan\\s*3 av ${n} låsta`) });
    await summaryNav.click();
    const view = fac.locator('article.summary-view');
    await view.getByRole('heading', { level: 2, name: 'Sammanfattning och handlingsplan' }).waitFor();
    await view.getByText(`3 av ${n} indikatorer är låsta.`).waitFor();
    const radar = view.getByRole('img', { name: /^Radardiagram över medelnivån per område/ });
    const alt = await radar.getAttribute('aria-label');
    assert.match(alt, new RegExp(`${ledning.name.sv} 2,5`));
    assert.match(alt, new RegExp(`${infra.name.sv} 2[;.]`));
    const areas = view.getByRole('table', { name: 'Medelnivå per område (låsta indikatorer)' });
    await expectRow(areas, ledning.name.sv, ['2,5', `2 av ${ledning.indicators.length}`]);
    await expectRow(areas, infra.name.sv, ['2', `1 av ${infra.indicators.length}`]);
    await expectRow(areas, catalogue.areas[2].name.sv, ['ingen låst', `0 av ${catalogue.areas[2].indicators.length}`]);
    const levels = view.getByRole('table', { name: `Låst nivå per indikator: ${ledning.name.sv}` });
    await expectRow(levels, l2.title.sv, [`3 – ${label(3)}`, 'Styrdokument finns', 'IT ser det som nivå 4']);
    await w.check(fac, 'facilitator', 'summary');

    // ---- share: the projector and the phone show the summary
    await view.getByRole('button', { name: 'Dela med deltagare och skärm' }).click();
    await view.getByText('Sammanfattningen och handlingsplanen visas för deltagarna och på skärmen.').waitFor();
    await view.getByRole('button', { name: 'Sluta dela' }).waitFor();
    await summaryNav.getByText('Visas nu').waitFor();

    await screen.getByRole('heading', { level: 1, name: 'Sammanfattning' }).waitFor();
    // The areas' averages as bars with the figure large (the console's radar chart draws the same).
    assert.equal(await screen.locator('.ss-area', { hasText: ledning.name.sv }).locator('.ss-avg').textContent(), '2,5');
    assert.equal(await screen.locator('.ss-area', { hasText: infra.name.sv }).locator('.ss-avg').textContent(), '2');
    await expectRow(screen.getByRole('table', { name: 'Medelnivå per område (låsta indikatorer)' }), ledning.name.sv, ['2,5', `2 av ${ledning.indicators.length}`]);
    await screen.getByRole('region', { name: ledning.name.sv }).getByText(`: 3 – ${label(3)}`).waitFor();
    await w.check(screen, 'screen', 'summary');
    // A projector cannot scroll: the areas' bars, every indicator's level and the join bar all
    // within the 1920×1080 window.
    await assertFitsWindow(screen, "the projector's shared summary");

    await phone.getByRole('heading', { level: 1, name: 'Sammanfattning' }).waitFor();
    await expectRow(phone.getByRole('table', { name: 'Medelnivå per område (låsta indikatorer)' }), infra.name.sv, ['2', `1 av ${infra.indicators.length}`]);
    await expectRow(phone.getByRole('table', { name: `Låst nivå per indikator: ${ledning.name.sv}` }), l1.title.sv, [`2 – ${label(2)}`]);
    await phone.getByText('Inga åtgärder än.').waitFor();
    await w.check(phone, 'phone', 'summary');

    // ---- prioritise the gaps: level 3 and below takes all three; the vote becomes current
    const prio = view.getByRole('form', { name: 'Prioritera bristerna' });
    await prio.getByText(`3 indikatorer kommer med: ${l1.title.sv}, ${l2.title.sv}, ${i1.title.sv}.`).waitFor();
    await prio.getByRole('button', { name: 'Starta prioriteringen' }).click();
    const prioTitle = 'Vilka brister ska vi prioritera?';
    await fac.locator('article.detail').getByRole('heading', { name: prioTitle }).waitFor();
    await fac.locator('.agenda').getByRole('button', { name: new RegExp(`${prioTitle}.*Visas nu`) }).waitFor();
    for (const page of [screen, phone]) await page.getByRole('heading', { level: 1, name: prioTitle }).waitFor();
    await phone.getByText(l2.title.sv).first().waitFor();

    // ---- back in the summary: the running vote is noted; add an action from a suggestion
    await summaryNav.click();
    // Titles, never internal ids ("prio1").
    await view.getByText(`Prioriteringen ”${prioTitle}” pågår: 0 har svarat.`).waitFor();
    await view.getByText(`Just nu visar skärmen och mobilerna ”${prioTitle}”.`, { exact: false }).waitFor();
    assert.equal(await fac.getByText(/\bprio1\b/).count(), 0, 'no internal item id in the console');
    await view.getByRole('button', { name: 'Lägg till en åtgärd' }).click();
    const form = view.getByRole('form', { name: 'Ny åtgärd' });
    await form.getByLabel('Indikator').selectOption(l1.id);
    await form.getByText(`Förslag för grupper på nivå 2 – ${label(2)}.`, { exact: false }).waitFor();
    const use = form.getByRole('button', { name: /^Använd förslaget: / }).first();
    const suggestion = (await use.getAttribute('aria-label')).replace(/^Använd förslaget: /, '');
    await use.click();
    assert.equal(await form.getByLabel('Åtgärd', { exact: true }).inputValue(), suggestion);
    await form.getByLabel('Ansvarig (valfri)').fill('Verksamhetschef');
    await w.check(fac, 'facilitator', 'summary-action-form');
    await form.getByRole('button', { name: 'Spara' }).click();
    await view.getByRole('status').getByText('Åtgärden är sparad.').waitFor();
    const entry = view.locator('li.plan-edit-entry', { hasText: suggestion });
    await entry.locator('.plan-meta').getByText(l1.title.sv).waitFor();
    await entry.getByText('Verksamhetschef', { exact: false }).waitFor();

    // ---- show the summary again: the phone lists the action
    await view.getByRole('button', { name: 'Visa sammanfattningen i stället' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Sammanfattning' }).waitFor();
    await phone.locator('.plan-list').getByText(suggestion).waitFor();
    await w.check(phone, 'phone', 'summary-with-plan');

    // ---- finish the assessment
    const finish = view.getByRole('form', { name: 'Avsluta bedömningen' });
    await finish.getByLabel('Organisation').fill(ORGANISATION);
    await finish.getByLabel('Datum').fill('2026-11-23');
    await finish.getByRole('button', { name: 'Avsluta och spara tillfället' }).click();
    await finish.getByText('Tillfället är sparat.').waitFor();
    const kept = view.getByRole('region', { name: 'Sparat tillfälle' });
    await kept.getByText(ORGANISATION).waitFor();
    await finish.getByRole('button', { name: 'Spara ändringen' }).waitFor();
    await w.check(fac, 'facilitator', 'summary-finished');

    // ---- the start page: both sessions saved as the app saves them, then compare
    const saved = [now, then].map((s, i) => ({
      code: s.code,
      title: i === 0 ? 'Exempelby 2026' : 'Exempelby 2025',
      facilitator: s.links.facilitator,
      created: Date.now() - i * 60_000,
    }));
    await startPage.evaluate((list) => localStorage.setItem('samsyn.sessions', JSON.stringify(list)), saved);
    await startPage.reload();
    const compare = startPage.getByRole('region', { name: 'Jämför tillfällen' });
    await compare.getByLabel('Tidigare tillfälle (då)').waitFor();
    assert.equal(await compare.getByLabel('Tidigare tillfälle (då)').inputValue(), then.code);
    assert.equal(await compare.getByLabel('Senare tillfälle (nu)').inputValue(), now.code);
    await compare.getByRole('button', { name: 'Jämför', exact: true }).click();
    const result = startPage.getByRole('region', { name: 'Resultat' });
    await result.getByRole('heading', { name: 'Resultat' }).waitFor();
    assert.equal(await startPage.evaluate(() => document.activeElement?.id), 'compare-result-title');
    await result.getByText('2 upp, 0 ned, 0 oförändrade', { exact: false }).waitFor();
    await expectRow(result.getByRole('table', { name: 'Medelnivå per område, då och nu' }), ledning.name.sv, ['1', '2,5', 'upp 1,5']);
    await expectRow(result.getByRole('table', { name: `Nivå då och nu: ${ledning.name.sv}` }), l2.title.sv, ['upp 2 nivåer']);
    assert.equal(await result.getByText('Minst en av sessionerna är inte avslutad', { exact: false }).count(), 0);
    await w.check(startPage, 'start', 'compare-result');

    w.expectClean();
  }));

/**
 * Runs facilitator commands over the WebSocket protocol from `page` (same origin as the server),
 * each awaited until the server acknowledges it; an error answer fails the test.
 */
function facilitate(page, session, commands) {
  return page.evaluate(
    async ({ code, key, commands }) => {
      const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
      await new Promise((ok, fail) => {
        ws.onopen = ok;
        ws.onerror = () => fail(new Error('the WebSocket did not open'));
      });
      let next = 1;
      const call = (msg) =>
        new Promise((ok, fail) => {
          const id = next++;
          const onMessage = (e) => {
            const m = JSON.parse(e.data);
            if (m.id !== id) return;
            ws.removeEventListener('message', onMessage);
            if (m.type === 'error') fail(new Error(`${msg.type}: ${m.code} ${m.message}`));
            else ok(m);
          };
          ws.addEventListener('message', onMessage);
          ws.send(JSON.stringify({ ...msg, id }));
        });
      await call({ type: 'hello', role: 'facilitator', code, key });
      for (const command of commands) await call(command);
      ws.close();
    },
    { code: session.code, key: session.facilitator_key, commands },
  );
}

/** The row whose header starts with `rowHeader` holds each of `cells` as a whole cell. */
async function expectRow(table, rowHeader, cells) {
  const row = table.getByRole('row', { name: new RegExp(`^${rowHeader.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\b|\\s|$)`) });
  for (const text of cells) await row.getByRole('cell', { name: text, exact: true }).waitFor();
}
