//! A phone that loses its network for a moment: it shows a calm reconnect notice, keeps its
//! answer, sends a change made while offline once it is back, and still has its answer after
//! a reload (the resume token).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSession, setUp } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('offline');
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

const SCALE = {
  id: 'redo',
  kind: 'scale',
  title: 'Hur redo är vi?',
  scale: {
    levels: [
      { level: 1, label: 'Inte alls' },
      { level: 2, label: '2' },
      { level: 3, label: '3' },
      { level: 4, label: '4' },
      { level: 5, label: 'Helt' },
    ],
  },
};

test('a phone that goes offline and back keeps its answer', () =>
  w.guard(async () => {
    const created = await createSession(w.server, { title: 'Nätet försvinner', items: [SCALE] });
    const fac = await w.open('desktop', 'facilitator', created.links.facilitator);
    const detail = fac.locator('article.detail');
    await detail.getByRole('heading', { name: SCALE.title }).waitFor();

    const context = await w.context('phone', 'phone');
    const phone = await context.newPage();
    await phone.goto(w.server.url + created.links.join);
    await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
    await fac.getByText('1 deltagare').waitFor();
    await detail.getByRole('button', { name: 'Öppna röstning' }).click();

    await phone.getByRole('button', { name: /^4\b/ }).tap();
    await phone.getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
    await detail.locator('p.progress').getByText('1 av 1 har svarat').waitFor();

    // ---- offline: a visible, calm notice; the answer stays chosen
    w.allowConsole.push(/WebSocket connection to .* failed/, /ERR_INTERNET_DISCONNECTED/);
    await context.setOffline(true);
    const notice = phone.getByRole('status').getByText('Återansluter… Dina svar sparas och skickas när anslutningen är tillbaka.');
    await notice.waitFor();
    assert.equal(await phone.getByRole('button', { name: /^4\b/ }).getAttribute('aria-pressed'), 'true');
    await w.check(phone, 'phone', 'offline-reconnecting');

    // A change made while offline waits, and says so.
    await phone.getByRole('button', { name: /^5\b/ }).tap();
    await phone.getByText('Ditt svar skickas när anslutningen är tillbaka.').waitFor();
    await w.check(phone, 'phone', 'offline-answer-waiting');

    // ---- back online: the notice goes, the change is stored
    await context.setOffline(false);
    await notice.waitFor({ state: 'detached' });
    await phone.getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
    assert.equal(await phone.getByRole('button', { name: /^5\b/ }).getAttribute('aria-pressed'), 'true');
    await detail.locator('p.progress').getByText('1 av 1 har svarat').waitFor();

    // ---- a reload resumes the same participant with the same answer
    await phone.reload();
    await phone.getByRole('heading', { level: 1, name: SCALE.title }).waitFor();
    await phone.getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
    assert.equal(await phone.getByRole('button', { name: /^5\b/ }).getAttribute('aria-pressed'), 'true');
    await detail.locator('p.progress').getByText('1 av 1 har svarat').waitFor();

    // The reveal shows one answer, on level 5: nothing was lost or counted twice.
    await detail.getByRole('button', { name: 'Visa resultat' }).click();
    const table = phone.getByRole('table', { name: 'Svarsfördelning, omgång 1' });
    await table.getByRole('row', { name: /^5 – Helt\b/ }).getByRole('cell').first().getByText('1', { exact: true }).waitFor();
    await phone.getByText('Ditt svar: 5 – Helt').waitFor();

    w.expectClean();
  }));
