//! A workshop in a real browser: a facilitator starts it from the start page, three phones
//! join through the join link, the projector shows the code and the QR code; open voting,
//! vote, reveal, re-vote, lock with a note, next. Every view is checked with axe in each
//! state and photographed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertFitsWindow, assertLabelsWhole, setUp } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('workshop');
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

test('a workshop runs from the start page through reveal, re-vote, lock and next', () =>
  w.guard(async () => {
    const catalogue = await (await fetch(`${w.server.url}/api/catalogues/lika`)).json();
    const [l1, l2] = catalogue.areas[0].indicators;
    const label = (n) => catalogue.scale.levels.find((l) => l.level === n).label.sv;

    // ---- the start page, then Start workshop
    const fac = await w.open('desktop', 'facilitator', '/');
    await fac.getByRole('radio', { name: /LIKA – socialtjänst/ }).waitFor();
    assert.equal(await fac.getByRole('radio', { name: /LIKA – socialtjänst/ }).isChecked(), true);
    await w.check(fac, 'start', 'desktop');
    await fac.getByLabel('Titel (valfri)').fill('Socialförvaltningen 2026');
    await fac.getByRole('button', { name: 'Starta workshop' }).click();
    await fac.waitForURL(/\/facilitate\/\d{6}#key=[0-9a-f]{64}$/);
    const code = new URL(fac.url()).pathname.split('/').pop();

    // ---- the console: agenda, the first item selected and not shown yet, join link and QR
    await fac.getByRole('heading', { level: 1, name: 'Socialförvaltningen 2026' }).waitFor();
    const detail = fac.locator('article.detail');
    await detail.getByRole('heading', { name: l1.title.sv }).waitFor();
    await fac.getByText('0 deltagare').waitFor();
    await qrLoaded(fac);
    await w.check(fac, 'facilitator', 'pending');
    const joinHref = await fac.getByRole('link', { name: new RegExp(`/join/${code}$`) }).getAttribute('href');
    assert.equal(joinHref, `/join/${code}`);

    // ---- the projector: code and QR before anything happens
    const screen = await w.open('projector', 'screen', `/screen/${code}`);
    await screen.locator('.join-code').getByText(code, { exact: true }).waitFor();
    await screen.getByText(`${w.server.url}/join/${code}`).waitFor();
    await qrLoaded(screen);
    await screen.getByRole('heading', { name: 'Väntar på samtalsledaren' }).waitFor();
    await w.check(screen, 'screen', 'waiting');
    await assertFitsWindow(screen, 'the waiting projector');

    // ---- three phones join through the link
    const phones = [];
    for (let i = 0; i < 3; i++) {
      const phone = await w.open('phone', `phone${i + 1}`, joinHref);
      await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
      phones.push(phone);
    }
    await w.check(phones[0], 'phone', 'waiting');
    await fac.getByText('3 deltagare').waitFor();
    await screen.getByText('3 deltagare').waitFor();

    // ---- open voting: the one obvious action
    await detail.getByRole('button', { name: 'Öppna röstning' }).click();
    for (const phone of phones) {
      await phone.getByRole('heading', { level: 1, name: l1.title.sv }).waitFor();
      await levelButton(phone, 3, label).waitFor();
    }
    await screen.getByRole('heading', { level: 1, name: l1.title.sv }).waitFor();
    await screen.locator('.st-progress-text').getByText('0 av 3 har svarat').waitFor();
    await w.check(phones[0], 'phone', 'scale-voting');
    await w.check(screen, 'screen', 'scale-voting');
    await assertFitsWindow(screen, 'the projector while voting');
    await w.check(fac, 'facilitator', 'scale-voting');

    // ---- phones vote; one changes its mind while voting is open
    await vote(phones[0], 2, label);
    await vote(phones[1], 4, label);
    await vote(phones[2], 3, label);
    await vote(phones[0], 3, label);
    assert.equal(await levelButton(phones[0], 2, label).getAttribute('aria-pressed'), 'false');
    await screen.locator('.st-progress-text').getByText('3 av 3 har svarat').waitFor();
    assert.equal(await screen.getByRole('progressbar').getAttribute('aria-valuenow'), '3');
    await detail.locator('p.progress').getByText('3 av 3 har svarat').waitFor();
    // Before the reveal nobody but the facilitator sees any part of the tally.
    for (const page of [...phones, screen]) assert.equal(await page.locator('table').count(), 0);
    await w.check(phones[0], 'phone', 'scale-answered');
    await w.check(screen, 'screen', 'scale-all-answered');

    // ---- reveal, with the keyboard shortcut
    await fac.locator('body').press('r');
    for (const page of [...phones, screen]) {
      const table = page.getByRole('table', { name: 'Svarsfördelning, omgång 1' });
      await table.waitFor();
      await expectRow(table, `3 – ${label(3)}`, '2');
      await expectRow(table, `4 – ${label(4)}`, '1');
      await page.locator('.figures').getByText('Median').waitFor();
    }
    await phones[0].getByText(`Ditt svar: 3 – ${label(3)}`).waitFor();
    await phones[1].getByText(`Ditt svar: 4 – ${label(4)}`).waitFor();
    await w.check(phones[0], 'phone', 'scale-revealed');
    await w.check(screen, 'screen', 'scale-revealed');
    await assertFitsWindow(screen, 'the projector after the reveal');
    await assertLabelsWhole(screen, 'the projector after the reveal');
    await assertLabelsWhole(phones[0], 'the phone after the reveal');
    await w.check(fac, 'facilitator', 'scale-revealed');

    // ---- re-vote: a new round; the earlier one stays out of sight while people vote
    await detail.getByRole('button', { name: 'Rösta igen' }).click();
    for (const phone of phones) {
      await phone.locator('p.progress').getByText('0 av 3 har svarat').waitFor();
      assert.equal(await levelButton(phone, 3, label).getAttribute('aria-pressed'), 'false');
      assert.equal(await phone.locator('table').count(), 0);
    }
    await screen.locator('.st-progress-text').getByText('0 av 3 har svarat').waitFor();
    assert.equal(await screen.locator('table').count(), 0);
    for (const phone of phones) await vote(phone, 3, label);
    await screen.locator('.st-progress-text').getByText('3 av 3 har svarat').waitFor();
    await detail.getByRole('button', { name: 'Visa resultat' }).click();
    for (const page of [...phones, screen]) {
      await expectRow(page.getByRole('table', { name: 'Svarsfördelning, omgång 2' }), `3 – ${label(3)}`, '3');
      await page.getByText('Tidigare omgångar').waitFor();
      await page.getByRole('table', { name: 'Svarsfördelning, omgång 1' }).waitFor();
    }
    await w.check(screen, 'screen', 'scale-revealed-round-2');
    await w.check(phones[1], 'phone', 'scale-revealed-round-2');
    await assertLabelsWhole(screen, 'the projector with two rounds');
    await assertLabelsWhole(phones[1], 'the phone with two rounds');

    // ---- lock with a note and a dissent; the median is pre-selected
    const lockForm = fac.locator('form.lock-form');
    await lockForm.waitFor();
    assert.equal(await lockForm.getByRole('radio', { name: new RegExp(`^3 – ${label(3)}`) }).isChecked(), true);
    await lockForm.getByLabel('Motivering').fill('Planen finns men saknar budget');
    await lockForm.getByLabel('Lägg till avvikande mening').check();
    await lockForm.getByLabel('Avvikande mening', { exact: true }).fill('IT-enheten ser det som nivå 4');
    await w.check(fac, 'facilitator', 'lock-form');
    await lockForm.getByRole('button', { name: 'Lås nivå 3' }).click();
    for (const page of [...phones, screen]) {
      const agreed = page.getByRole('region', { name: 'Gruppens samsyn' });
      await agreed.getByText('Planen finns men saknar budget').waitFor();
      await agreed.getByText('IT-enheten ser det som nivå 4').waitFor();
      await agreed.getByText(label(3), { exact: true }).waitFor();
    }
    await fac.locator('.agenda').getByText('nivå 3').waitFor();
    await w.check(phones[2], 'phone', 'scale-locked');
    await w.check(screen, 'screen', 'scale-locked');
    await w.check(fac, 'facilitator', 'locked');

    // ---- next: the following indicator opens for everyone
    await detail.getByRole('button', { name: `Nästa: öppna ${l2.title.sv}` }).click();
    for (const page of [...phones, screen]) await page.getByRole('heading', { level: 1, name: l2.title.sv }).waitFor();
    await levelButton(phones[0], 1, label).waitFor();
    await screen.locator('.st-progress-text').getByText('0 av 3 har svarat').waitFor();
    await detail.getByRole('heading', { name: l2.title.sv }).waitFor();
    // The console names items by their titles, never by internal ids.
    for (const id of [l1.id, l2.id]) {
      assert.equal(await fac.locator('.agenda, article.detail').getByText(new RegExp(`^${id}$`)).count(), 0, `no id ${id} in the console`);
    }

    // ---- English by choice, remembered per device
    // The phone re-renders as frames arrive; a tap that lands while its button is being replaced is
    // tapped again, as a person would (three tries at most).
    for (let tries = 1; ; tries++) {
      const english = phones[0].getByRole('button', { name: 'English' });
      if (await english.count()) await english.tap();
      try {
        await phones[0].getByRole('heading', { name: 'Your answer' }).waitFor({ timeout: 5000 });
        break;
      } catch (error) {
        if (tries === 3) throw error;
      }
    }
    await phones[0].reload();
    await phones[0].getByRole('heading', { name: 'Your answer' }).waitFor();
    assert.equal(await phones[0].evaluate(() => document.documentElement.lang), 'en');
    await w.check(phones[0], 'phone', 'scale-voting-english');

    w.expectClean();
  }));

/** A level's button on the phone: "3 – Påbörjad …" (the number is read before the label). */
function levelButton(phone, n, label) {
  return phone.getByRole('button', { name: new RegExp(`^${n} – ${label(n)}`) });
}

async function vote(phone, n, label) {
  const button = levelButton(phone, n, label);
  await button.tap();
  await phone.getByRole('status').getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
}

async function expectRow(table, rowHeader, count) {
  const row = table.getByRole('row', { name: new RegExp(`^${rowHeader}\\b`) });
  await row.getByRole('cell').first().getByText(count, { exact: true }).waitFor();
}

/** The QR code image is there and decoded (an SVG from the server, no other host). */
async function qrLoaded(page) {
  const img = page.getByRole('img', { name: /QR-kod/ });
  await img.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
}
