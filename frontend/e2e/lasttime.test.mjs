//! "Last time" and the living plan in a real browser, on a server that wants signed-in members (no
//! --allow-anonymous): the first administrator runs a first workshop (a phone votes on L1, the
//! group locks level 2 with a note, an action for L1 is added in the console), finishes it with a
//! date and puts its actions into the organisation's plan; the action is then followed up over
//! HTTP outside any session (started, with a note); at the second workshop on the same catalogue
//! the console shows beside L1 the level and note of last time and the action with its status,
//! note and history, while the phone and the projector show none of it and the shortcuts keep
//! working; finally the start page compares the two workshops by code alone, without keys.
//! The console with the panel is checked with axe in Swedish and English and photographed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setUp } from './harness.mjs';
import { ADMIN, createAdmin, switchLang } from './staff.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('lasttime', { anonymous: false });
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

const ACTION = 'Ta fram en budget för digitaliseringsplanen';
const NOTE_THEN = 'Planen finns men saknar budget';
const PROGRESS = 'Budgetförslaget är lämnat till nämnden';

test('the next occasion shows last time and the plan beside the indicator; the two compare without keys', () =>
  w.guard(async () => {
    const catalogue = await (await fetch(`${w.server.url}/api/catalogues/lika`)).json();
    const ledning = catalogue.areas[0];
    const l1 = ledning.indicators[0];
    const level = (n, lang = 'sv') => `${n} – ${catalogue.scale.levels.find((l) => l.level === n).label[lang]}`;

    // ---- first run: the administrator
    const fac = await w.open('desktop', 'facilitator', '/');
    await createAdmin(fac);
    const api = fac.context().request;
    const me = await (await api.get(`${w.server.url}/api/me`)).json();
    const orgId = me.organisations[0].id;

    // ---- workshop 1: nothing from last time on a first occasion
    const first = await startWorkshop(fac, 'Exempelby 2024');
    const detail = fac.locator('article.detail');
    assert.equal(await detail.locator('.last-time').count(), 0, 'nothing shown when there is nothing');

    const phone = await joinByCode(first);
    await fac.getByText('1 deltagare').waitFor();
    await detail.getByRole('button', { name: 'Öppna röstning' }).click();
    await phone.getByRole('button', { name: new RegExp(`^${level(2)}`) }).tap();
    await phone.getByRole('status').getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
    await detail.locator('p.progress').getByText('1 av 1 har svarat').waitFor();
    // Close and reveal with the shortcuts.
    await fac.locator('body').press('c');
    await detail.getByRole('button', { name: 'Visa resultat' }).waitFor();
    await fac.locator('body').press('r');
    const lockForm = fac.locator('form.lock-form');
    await lockForm.waitFor();
    assert.equal(await lockForm.getByRole('radio', { name: new RegExp(`^${level(2)}`) }).isChecked(), true);
    await lockForm.getByLabel('Motivering').fill(NOTE_THEN);
    await lockForm.getByRole('button', { name: 'Lås nivå 2' }).click();
    await fac.locator('.agenda').getByText('nivå 2').waitFor();

    // ---- an action for L1, added in the console
    await fac.getByRole('button', { name: /^Sammanfattning och handlingsplan/ }).click();
    const view = fac.locator('article.summary-view');
    await view.getByRole('button', { name: 'Lägg till en åtgärd' }).click();
    const form = view.getByRole('form', { name: 'Ny åtgärd' });
    await form.getByLabel('Indikator').selectOption(l1.id);
    await form.getByLabel('Åtgärd', { exact: true }).fill(ACTION);
    await form.getByLabel('Ansvarig (valfri)').fill('Verksamhetschef');
    await form.getByRole('button', { name: 'Spara' }).click();
    await view.getByRole('status').getByText('Åtgärden är sparad.').waitFor();

    // ---- finish with a date: the organisation's name is filled in; then the plan goes to the organisation
    const finish = view.getByRole('form', { name: 'Avsluta bedömningen' });
    await fac.waitForFunction((name) => document.getElementById('finish-organisation')?.value === name, ADMIN.organisation);
    assert.equal(await view.getByRole('button', { name: 'Lägg åtgärderna i organisationens handlingsplan' }).count(), 0, 'offered only once finished');
    await finish.getByLabel('Datum').fill('2024-11-20');
    await finish.getByRole('button', { name: 'Avsluta och spara tillfället' }).click();
    await finish.getByText('Tillfället är sparat.').waitFor();
    const toPlan = view.getByRole('region', { name: 'Organisationens handlingsplan' });
    const take = toPlan.getByRole('button', { name: 'Lägg åtgärderna i organisationens handlingsplan' });
    await take.click();
    await toPlan.getByRole('status').getByText('1 åtgärd tillagd i handlingsplanen.').waitFor();
    assert.equal(await toPlan.getByRole('link', { name: 'Öppna handlingsplanen på organisationens sida' }).getAttribute('href'), `/organisations/${orgId}`);
    await w.check(fac, 'facilitator-finished', 'plan-taken-over');
    await take.click();
    await toPlan.getByRole('status').getByText('Åtgärderna fanns redan i handlingsplanen; inget nytt lades till.').waitFor();

    // ---- between the occasions: the action is followed up over HTTP, outside any session
    const plan = await (await api.get(`${w.server.url}/api/organisations/${orgId}/plan`)).json();
    assert.equal(plan.length, 1);
    const [kept] = plan;
    assert.equal(kept.text, ACTION);
    assert.equal(kept.indicator, l1.id);
    assert.equal(kept.status, 'planned');
    assert.equal(kept.session, first);
    const path = `${w.server.url}/api/organisations/${orgId}/plan/${kept.id}`;
    const change = { status: 'started', note: PROGRESS };
    const refused = await api.put(path, { data: change });
    assert.equal(refused.status(), 403, 'a change with the cookie and without the CSRF token is refused');
    const { csrf_token: csrf } = await (await api.get(`${w.server.url}/api/me`)).json();
    const put = await api.put(path, { data: change, headers: { 'X-CSRF-Token': csrf } });
    assert.equal(put.status(), 200, await put.text());
    const updated = await put.json();
    assert.equal(updated.status, 'started');
    assert.equal(updated.note, PROGRESS);
    assert.equal(updated.history.at(-1).by, ADMIN.name);

    // ---- workshop 2 on the same catalogue: last time beside L1
    await fac.goto(`${w.server.url}/`);
    const second = await startWorkshop(fac, 'Exempelby 2026');
    const last = detail.getByRole('region', { name: `Förra gången: nivå ${level(2)}` });
    await last.waitFor();
    await last.getByText(/^Exempelby 2024, 20 nov\.? 2024$/).waitFor();
    await last.getByText(NOTE_THEN).waitFor();
    await last.getByRole('heading', { name: 'Åtgärder i handlingsplanen (1)' }).waitFor();
    const action = last.getByRole('listitem').filter({ hasText: ACTION });
    await action.getByText('Status: Påbörjad').waitFor();
    await action.getByText(`Senaste anteckning: ${PROGRESS}`).waitFor();
    await action.getByText('Ansvarig: Verksamhetschef', { exact: false }).waitFor();
    // The history behind a disclosure, opened from the keyboard.
    const history = action.locator('details.last-history');
    assert.equal(await history.evaluate((d) => d.open), false);
    await history.locator('summary').focus();
    await fac.keyboard.press('Enter');
    const steps = history.getByRole('listitem');
    await steps.nth(1).waitFor();
    assert.equal(await steps.count(), 2);
    assert.match(await steps.nth(0).innerText(), /Planerad$/);
    assert.match(await steps.nth(1).innerText(), new RegExp(`${ADMIN.name} Påbörjad – ${PROGRESS}$`));
    // The key presses opened nothing else: the item is still waiting.
    await detail.getByRole('button', { name: 'Öppna röstning' }).waitFor();
    await w.check(fac, 'facilitator-last-time', 'sv');
    await switchLang(fac, 'English');
    const lastEn = detail.getByRole('region', { name: `Last time: level ${level(2, 'en')}` });
    await lastEn.getByText('Status: Started').waitFor();
    await lastEn.getByText(`Latest note: ${PROGRESS}`).waitFor();
    await w.check(fac, 'facilitator-last-time', 'en');
    await switchLang(fac, 'Svenska');
    await last.waitFor();

    // ---- the phone and the projector show nothing of it; the shortcuts still drive the room
    const screen = await w.open('projector', 'screen', `/screen/${second}`);
    const phone2 = await joinByCode(second);
    await fac.getByText('1 deltagare').waitFor();
    await fac.locator('body').press('o');
    await phone2.getByRole('heading', { level: 1, name: l1.title.sv }).waitFor();
    await screen.getByRole('heading', { level: 1, name: l1.title.sv }).waitFor();
    await phone2.getByRole('button', { name: new RegExp(`^${level(3)}`) }).tap();
    await detail.locator('p.progress').getByText('1 av 1 har svarat').waitFor();
    for (const page of [phone2, screen]) {
      assert.equal(await page.getByText(/Förra gången|handlingsplanen/).count(), 0);
      assert.equal(await page.getByText(NOTE_THEN).count(), 0);
    }
    await fac.locator('body').press('c');
    await detail.getByRole('button', { name: 'Visa resultat' }).waitFor();
    await fac.locator('body').press('r');
    await lockForm.waitFor();
    await lockForm.getByRole('button', { name: 'Lås nivå 3' }).click();
    await fac.locator('.agenda').getByText('nivå 3').waitFor();
    // Locking now leaves last time in sight, to compare with.
    await last.waitFor();
    await w.check(fac, 'facilitator-last-time', 'locked-now');

    // ---- the start page compares the two workshops by code alone
    await fac.goto(`${w.server.url}/`);
    const compare = fac.getByRole('region', { name: 'Jämför tillfällen' });
    await compare.getByLabel('Tidigare tillfälle (då)').waitFor();
    assert.equal(await compare.getByLabel('Tidigare tillfälle (då)').inputValue(), first);
    assert.equal(await compare.getByLabel('Senare tillfälle (nu)').inputValue(), second);
    const trend = compare.getByRole('link', { name: `Utvecklingen för ${ADMIN.organisation}` });
    assert.equal(await trend.getAttribute('href'), `/organisations/${orgId}`);
    const [request] = await Promise.all([
      fac.waitForRequest((r) => r.url().endsWith('/api/compare')),
      compare.getByRole('button', { name: 'Jämför', exact: true }).click(),
    ]);
    assert.deepEqual(JSON.parse(request.postData() ?? '{}'), { then: { code: first }, now: { code: second } });
    const result = fac.getByRole('region', { name: 'Resultat' });
    await result.getByRole('heading', { name: 'Resultat' }).waitFor();
    await result.getByText('1 upp, 0 ned, 0 oförändrade', { exact: false }).waitFor();
    const row = result.getByRole('table', { name: `Nivå då och nu: ${ledning.name.sv}` }).getByRole('row', { name: new RegExp(`^${escape(l1.title.sv)}`) });
    await row.getByRole('cell', { name: 'upp 1 nivå', exact: true }).waitFor();
    // The second workshop is not finished: said so, and compared anyway.
    await result.getByText('Minst en av workshopparna är inte avslutad som tillfälle (datum saknas).', { exact: false }).waitFor();
    await w.check(fac, 'start-compare', 'by-code');

    w.expectClean();

    /** Starts a LIKA workshop from the start page; answers its code once the console shows L1. */
    async function startWorkshop(page, title) {
      await page.getByLabel('Titel (valfri)').fill(title);
      // The console asks for last time once, in the background, when it first shows an indicator.
      const asked = page.waitForResponse((r) => /\/api\/sessions\/\d{6}\/previous$/.test(r.url()));
      await page.getByRole('button', { name: 'Starta workshop' }).click();
      await page.waitForURL(/\/facilitate\/\d{6}$/);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.locator('article.detail').getByRole('heading', { name: l1.title.sv }).waitFor();
      assert.equal((await asked).status(), 200);
      return new URL(page.url()).pathname.split('/').pop();
    }
  }));

async function joinByCode(code) {
  const phone = await w.open('phone', `phone-${code}`, '/join');
  await phone.getByLabel('Kod (6 siffror)').fill(code);
  await phone.getByRole('button', { name: 'Gå med' }).tap();
  await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
  return phone;
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
