//! The console's presenter view in a real browser, on a 1280×800 laptop beside the projector:
//! the item shown, large; the next one; the notes (the item's own notes for the facilitator, its
//! description and the catalogue's suggestions); the answer count; open, close, reveal and next.
//! Checked with axe in Swedish and English, with no sideways scrolling. The item's notes never
//! reach a phone or a screen (their WebSocket frames are read), and a title written in Swedish
//! only is marked lang="sv" on the English screen, phone and console.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSession, setUp } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('presenter');
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

test('the presenter view shows the item, the next one, the notes and the count, and runs a round', () =>
  w.guard(async () => {
    const catalogue = await (await fetch(`${w.server.url}/api/catalogues/lika`)).json();
    const [l1, l2] = catalogue.areas[0].indicators;
    const created = await createSession(w.server, { catalogue: 'lika', title: 'Presentatören' });
    const fac = await w.open('desktop', 'facilitator', created.links.facilitator);
    await fac.locator('article.detail').getByRole('heading', { name: l1.title.sv }).waitFor();
    await fac.getByRole('link', { name: 'Öppna presentatörsvyn' }).click();
    await fac.waitForURL(/\?view=presenter#key=[0-9a-f]{64}$/);

    const main = fac.locator('main.presenter');
    await main.getByRole('heading', { level: 2, name: l1.title.sv }).waitFor();
    const side = fac.getByRole('complementary', { name: 'Nästa fråga och anteckningar' });
    await side.getByText(l2.title.sv, { exact: true }).waitFor();
    const notes = side.getByRole('region', { name: 'Anteckningar' });
    if (l1.description?.sv) await notes.getByText(l1.description.sv.trim().slice(0, 40), { exact: false }).waitFor();
    if ((l1.suggestions ?? []).length > 0) await notes.getByRole('heading', { name: 'Förslag i katalogen' }).waitFor();
    await main.getByText('Röstningen är inte öppnad än.').waitFor();
    assert.equal(await fac.title(), `Samsyn – ${l1.title.sv} – presentatörsvy`);
    await w.check(fac, 'presenter', 'pending');

    // ---- a phone answers; the presenter sees the count
    const phone = await w.open('phone', 'phone', created.links.join);
    await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
    await fac.getByText('1 deltagare').waitFor();
    await main.getByRole('button', { name: 'Öppna röstning' }).click();
    await phone.getByRole('button', { name: /^4\b/ }).tap();
    await phone.getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
    await main.locator('.presenter-count').getByText('1 av 1 har svarat').waitFor();
    await main.getByRole('button', { name: 'Stäng röstning', exact: true }).waitFor();
    // "Next" says it closes the open voting first.
    await main.getByRole('button', { name: `Nästa: stäng röstningen och öppna ${l2.title.sv}` }).waitFor();
    await side.getByText('Nästa stänger först röstningen på den här frågan.').waitFor();
    await w.check(fac, 'presenter', 'voting');

    await main.getByRole('button', { name: 'Visa resultat' }).click();
    await main.locator('.badge').getByText('Resultat visas', { exact: true }).waitFor();
    await main.getByText('Lås nivån i hela konsolen.').waitFor();
    await w.check(fac, 'presenter', 'revealed');
    // Only the presenter's few controls: no lock form, no moderation, no agenda.
    assert.equal(await fac.locator('form.lock-form, nav.agenda').count(), 0);

    // ---- in English
    await fac.getByRole('button', { name: 'English' }).click();
    const sideEn = fac.getByRole('complementary', { name: 'Next item and notes' });
    await sideEn.getByRole('heading', { name: 'Notes' }).waitFor();
    await main.getByRole('heading', { level: 2, name: l1.title.en }).waitFor();
    assert.equal(await fac.title(), `Samsyn – ${l1.title.en} – presenter view`);
    await w.check(fac, 'presenter', 'revealed-en');

    // ---- next: the following indicator opens for everyone
    await main.getByRole('button', { name: `Next: open ${l2.title.en}` }).click();
    await main.getByRole('heading', { level: 2, name: l2.title.en }).waitFor();
    await phone.getByRole('heading', { level: 1, name: l2.title.sv }).waitFor();
    await main.locator('.presenter-count').getByText('0 of 1 have answered').waitFor();
    await w.check(fac, 'presenter', 'next-en');

    // ---- back to the full console, on the same item
    await fac.getByRole('link', { name: 'To the full console' }).click();
    await fac.locator('article.detail').getByRole('heading', { name: l2.title.en }).waitFor();
    await fac.getByRole('navigation', { name: 'Agenda' }).waitFor();
    assert.equal(await fac.title(), `Samsyn – ${l2.title.en} – facilitator`);
    w.expectClean();
  }));

/** A page whose WebSocket frames are kept, so a test can say what the server never sent it. */
async function watchedPage(kind, name, path) {
  const page = await (await w.context(kind, name)).newPage();
  const frames = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  await page.goto(w.server.url + path);
  return { page, frames };
}

test("the presenter view shows the item's notes, which no phone or screen receives; text in one language is marked as such", () =>
  w.guard(async () => {
    const NOTES = 'Fråga först hur många som redan använder e-tjänsten.\nVisa sedan exemplet från Exempelby.';
    const TITLE = 'Använder du e-tjänsten?';
    const created = await createSession(w.server, {
      title: 'Anteckningar',
      items: [
        // Swedish only: the English pages show the Swedish title, marked lang="sv".
        { id: 'etj', kind: 'choice', title: { sv: TITLE, en: '' }, options: [{ sv: 'Ja', en: 'Yes' }, { sv: 'Nej', en: '' }], notes: NOTES },
        { id: 'ord', kind: 'words', title: { sv: 'Ett ord', en: 'One word' } },
      ],
    });
    const fac = await w.open('desktop', 'notes-facilitator', created.links.facilitator.replace('#', '?view=presenter#'));
    const main = fac.locator('main.presenter');
    await main.getByRole('heading', { level: 2, name: TITLE }).waitFor();
    const notes = fac.getByRole('region', { name: 'Anteckningar' });
    await notes.getByRole('heading', { name: 'Dina anteckningar' }).waitFor();
    await notes.getByText('Visa sedan exemplet från Exempelby.', { exact: false }).waitFor();
    // In Swedish the Swedish title needs no mark.
    assert.equal(await main.getByRole('heading', { level: 2, name: TITLE }).getAttribute('lang'), null);
    await w.check(fac, 'presenter', 'notes');

    const screen = await watchedPage('projector', 'notes-screen', `${created.links.screen}?lang=en`);
    const phone = await watchedPage('phone', 'notes-phone', created.links.join);
    await phone.page.getByRole('heading', { name: 'Du är med!' }).waitFor();
    await main.getByRole('button', { name: 'Öppna röstning' }).click();
    await phone.page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await phone.page.getByRole('button', { name: 'Nej' }).tap();
    // The English screen: the Swedish-only title and option are marked as Swedish, the English one is not.
    const question = screen.page.getByRole('heading', { level: 1, name: TITLE });
    await question.waitFor();
    assert.equal(await question.getAttribute('lang'), 'sv');
    await screen.page.locator('.st-bar-label[lang="sv"]').getByText('Nej').waitFor();
    assert.equal(await screen.page.locator('.st-bar-label', { hasText: 'Yes' }).getAttribute('lang'), null);
    // The English phone too.
    await phone.page.getByRole('button', { name: 'English' }).tap();
    const onPhone = phone.page.getByRole('heading', { level: 1, name: TITLE });
    await onPhone.waitFor();
    assert.equal(await onPhone.getAttribute('lang'), 'sv');
    await w.check(phone.page, 'phone', 'one-language-en');
    // And the English console.
    await fac.getByRole('button', { name: 'English' }).click();
    await fac.getByRole('region', { name: 'Notes' }).getByRole('heading', { name: 'Your notes' }).waitFor();
    assert.equal(await main.getByRole('heading', { level: 2, name: TITLE }).getAttribute('lang'), 'sv');
    await w.check(fac, 'presenter', 'notes-en');

    // Neither the screen nor the phone was ever sent the notes, nor shows them.
    for (const [who, watched] of [['screen', screen], ['phone', phone]]) {
      assert.ok(watched.frames.length > 0, `${who}: no frames seen`);
      assert.equal(watched.frames.filter((f) => f.includes('Exempelby') || f.includes('"notes"')).length, 0, `${who} was sent the notes`);
      assert.equal(await watched.page.getByText('Exempelby', { exact: false }).count(), 0, `${who} shows the notes`);
    }
    w.expectClean();
  }));
