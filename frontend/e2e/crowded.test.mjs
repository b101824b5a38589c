//! A phone held back while many new phones join from its network (a room on one wifi, or one laptop):
//! the server answers its hello `rate_limited`; the phone says so calmly ("Många ansluter just nu – vi
//! försöker igen …"), waits a few seconds, then longer, and gets in by itself once the network has room
//! again, without a touch. The server runs with a low limit (12 a minute: 8 at once, then one every
//! 5 s), so the suite is quick; the phone's page is checked with axe while it waits.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSession, setUp } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('crowded', { args: ['--new-participants-per-minute', '12'] });
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

/** Starts taking every place this address gets for new phones in the session, until `stop()`. */
async function crowd(driver, code) {
  await driver.evaluate((code) => {
    const state = { stop: false, in: 0, held: 0 };
    window.__crowd = state;
    const hello = () =>
      new Promise((done) => {
        const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
        ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', id: 1, role: 'participant', code }));
        ws.onmessage = (e) => {
          const m = JSON.parse(e.data);
          if (m.type === 'welcome') state.in += 1;
          else if (m.type === 'error' && m.code === 'rate_limited') state.held += 1;
          else return;
          ws.close();
          done();
        };
        ws.onclose = () => done();
      });
    void (async () => {
      while (!state.stop) {
        await hello();
        // Once held back, ask again 10 ms later: a place comes free every 5 s, and the phone under test must
        // not find one before the crowd does (with 200 ms between tries it did, now and then, on a busy
        // machine). A held-back hello is no failed one, so the address is never shut out for it.
        if (state.held > 0) await new Promise((r) => setTimeout(r, 10));
      }
    })();
  }, code);
  await driver.waitForFunction(() => window.__crowd.held > 0, null, { timeout: 30_000 });
  return {
    stop: () => driver.evaluate(() => ((window.__crowd.stop = true), { ...window.__crowd })),
  };
}

test('a phone held back while many join from its network waits calmly and gets in by itself', () =>
  w.guard(async () => {
    const session = await createSession(w.server, {
      title: 'Fullt hus',
      items: [{ id: 'hot', kind: 'choice', title: 'Hot eller möjlighet?', options: ['Hot', 'Möjlighet'] }],
    });
    const driver = await w.open('desktop', 'driver', '/');
    await driver.getByRole('button', { name: 'Starta workshop' }).waitFor();

    // ---- Swedish: held back while the network is full, then in by itself
    let full = await crowd(driver, session.code);
    const phone = await w.open('phone', 'phone', session.links.join);
    const notice = phone.getByRole('status').getByText('Många ansluter just nu – vi försöker igen …');
    await notice.waitFor();
    assert.equal(await phone.getByRole('alert').textContent(), '', 'no error, only the calm notice');
    await w.check(phone, 'phone', 'crowded');
    const counts = await full.stop();
    assert.ok(counts.in >= 8, `eight at once, then one every 5 s: ${JSON.stringify(counts)}`);
    // Within a few retries (after 2–4 s, then 4–8 s) the network has room again: in, without a touch.
    await phone.getByRole('heading', { name: 'Du är med!' }).waitFor({ timeout: 30_000 });
    await notice.waitFor({ state: 'detached' });

    // ---- English, dark
    full = await crowd(driver, session.code);
    const en = await (await w.context('phone', 'phone-en')).newPage();
    await en.emulateMedia({ colorScheme: 'dark' });
    await en.addInitScript(() => localStorage.setItem('samsyn.lang', 'en'));
    await en.goto(w.server.url + session.links.join);
    const noticeEn = en.getByRole('status').getByText('Many are joining right now – trying again …');
    await noticeEn.waitFor();
    await w.check(en, 'phone-en-dark', 'crowded');
    await full.stop();
    await en.getByRole('heading', { name: 'You are in!' }).waitFor({ timeout: 30_000 });
    w.expectClean();
  }));
