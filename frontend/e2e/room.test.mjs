//! Only the room answers, in a real browser. The facilitator turns on the room word in the console's
//! "Rummet" panel; the projector opened from the console shows the same word (one opened without the
//! key only says that there is one); a phone asks for it, keeps the choice made meanwhile, is told when
//! a word is wrong and counts with the right one; a new word makes the phone ask again. Then a burst of
//! new participants from one address (this machine's) makes the console warn; leaving them out drops
//! their votes from the count and a phone among them is told so; counting them again restores them.
//! (A phone held back while many join from its network: crowded.test.mjs.) axe checks the panel, the phone's question and the projector in Swedish and in English.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect } from './driver.mjs';
import { assertFitsWindow, createSession, setUp } from './harness.mjs';
import { switchLang } from './staff.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('room');
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

const QUESTION = 'Är digitaliseringen ett hot eller en möjlighet?';
const SEMINAR = {
  title: 'Digitaliseringsdagen',
  items: [{ id: 'hot', kind: 'choice', title: { sv: QUESTION, en: 'Is digitalisation a threat or an opportunity?' }, options: ['Hot', 'Möjlighet'] }],
};
const RECEIVED = 'Ditt svar är mottaget – du kan ändra det tills röstningen stängs';
const HELD = 'Ditt svar skickas när du har skrivit rummets ord.';

/** The console before anyone is counted on the question: no table, "nobody answered". */
async function consoleNobody(fac) {
  await fac.locator('article.detail').getByText('Ingen har svarat.').waitFor();
}

/** The console's count for an option of the choice question, as its table shows it. */
async function consoleCount(fac, option, count, lang = 'sv') {
  const table = fac.locator('article.detail').getByRole('table', { name: lang === 'sv' ? 'Svar per alternativ, omgång 1' : 'Answers per option, round 1' });
  const row = table.getByRole('row', { name: new RegExp(`^${option}\\b`) });
  await row.getByRole('cell').first().getByText(String(count), { exact: true }).waitFor();
}

test('the room word: turned on in the console, shown on the projector, asked for on the phone', () =>
  w.guard(async () => {
    const session = await createSession(w.server, SEMINAR);
    const fac = await w.open('desktop', 'facilitator', session.links.facilitator);
    const detail = fac.locator('article.detail');
    await detail.getByRole('heading', { name: QUESTION }).waitFor();
    const panel = fac.getByRole('region', { name: 'Rummet' });
    await panel.getByText('Nya telefoner senaste minuten:').waitFor();
    const toggle = panel.getByRole('switch', { name: /^Rummets ord/ });
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    await w.check(fac, 'console', 'room-off');

    // ---- on: a word from the list, shown in the panel
    await toggle.click();
    await panel.getByText('Ordet nu:').waitFor();
    assert.equal(await toggle.getAttribute('aria-checked'), 'true');
    const word = (await panel.locator('.room-word-current').textContent()).trim();
    assert.match(word, /^[a-z]{4,7}[1-9][0-9]$/, 'a word of the list and a number');
    await w.check(fac, 'console', 'room-word-on');

    // ---- the projector opened from the console: the key in the fragment, then out of the address
    const screenLink = fac.getByRole('link', { name: 'Öppna skärmvyn (ny flik)' });
    const href = await screenLink.getAttribute('href');
    assert.match(href, /^\/screen\/\d{6}\?lang=sv#key=[0-9a-f]{64}$/);
    const screen = await w.open('projector', 'screen', href);
    const shown = screen.locator('.st-room-word-word');
    await shown.getByText(word, { exact: true }).waitFor();
    assert.equal(await shown.evaluate((el) => el.innerText), word.toUpperCase(), 'drawn in capitals');
    await screen.getByText('Rummets ord:').waitFor();
    assert.equal(new URL(screen.url()).hash, '', 'the key is taken out of the address');
    await w.check(screen, 'screen', 'room-word-lobby');
    await assertFitsWindow(screen, 'the projector (room-word-lobby)');
    // A reload keeps it (the tab kept the key).
    await screen.reload();
    await shown.getByText(word, { exact: true }).waitFor();
    // The English, dark projector.
    const screenEn = await w.open('projector', 'screen-en', href.replace('lang=sv', 'lang=en&theme=dark'));
    await screenEn.getByText('Room word:').waitFor();
    await screenEn.locator('.st-room-word-word').getByText(word, { exact: true }).waitFor();
    await w.check(screenEn, 'screen-en-dark', 'room-word-lobby');
    // A projector opened without the key only says that answers need a word (the server refuses it the word).
    w.allowConsole.push(/^screen-bare: console error: Failed to load resource: the server responded with a status of 403/);
    const bare = await w.open('projector', 'screen-bare', `/screen/${session.code}`);
    await bare.getByText('visas av samtalsledaren').waitFor();
    assert.equal(await bare.locator('.st-room-word-word').count(), 0);
    assert.equal(await bare.getByText(word).count(), 0, 'no word without the right to read it');
    await w.check(bare, 'screen-without-key', 'room-word-lobby');

    // ---- the phone asks for it while it waits
    const phone = await w.open('phone', 'phone', session.links.join);
    await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
    const ask = phone.getByRole('region', { name: 'Rummets ord' });
    await ask.getByLabel('Ordet på storbilden').waitFor();
    await w.check(phone, 'phone', 'room-word-waiting');

    // ---- voting: a choice made before the word waits for it
    await detail.getByRole('button', { name: 'Öppna röstning' }).click();
    await phone.getByRole('heading', { level: 1, name: QUESTION }).waitFor();
    await screen.locator('.join-bar').locator('.st-room-word-word').getByText(word, { exact: true }).waitFor();
    await w.check(screen, 'screen', 'room-word-voting');
    await assertFitsWindow(screen, 'the projector (room-word-voting)');
    await phone.getByRole('button', { name: 'Möjlighet' }).tap();
    await phone.getByRole('status').getByText(HELD).waitFor();
    assert.equal(await phone.getByRole('button', { name: 'Möjlighet' }).getAttribute('aria-pressed'), 'true');
    await w.check(phone, 'phone', 'room-word-voting-held');

    // A wrong word is refused and asked for again; the choice stays.
    await ask.getByLabel('Ordet på storbilden').fill('fel');
    await ask.getByRole('button', { name: 'Skicka svaret' }).tap();
    await ask.getByRole('alert').getByText('Det var inte rummets ord. Skriv rummets ord som visas på storbilden.').waitFor();
    await phone.waitForFunction(() => document.activeElement?.id === 'room-word');
    assert.equal(await phone.getByRole('button', { name: 'Möjlighet' }).getAttribute('aria-pressed'), 'true');
    await phone.getByRole('status').getByText(HELD).waitFor();
    assert.equal(await phone.locator('.alert').count(), 0, 'the refusal is told beside the field, not twice');
    await w.check(phone, 'phone', 'room-word-wrong');
    await consoleNobody(fac);

    // The right word, in any case, and the choice counts.
    await ask.getByLabel('Ordet på storbilden').fill(` ${word.toUpperCase()} `);
    await ask.getByRole('button', { name: 'Skicka svaret' }).tap();
    await phone.getByRole('status').getByText(RECEIVED).waitFor();
    await phone.getByRole('region', { name: 'Rummets ord' }).waitFor({ state: 'detached' });
    await consoleCount(fac, 'Möjlighet', 1);
    // Remembered for the tab: a reload answers without asking.
    await phone.reload();
    await phone.getByRole('heading', { level: 1, name: QUESTION }).waitFor();
    await phone.getByRole('button', { name: 'Hot' }).tap();
    await phone.getByRole('status').getByText(RECEIVED).waitFor();
    assert.equal(await phone.getByRole('region', { name: 'Rummets ord' }).count(), 0);
    await consoleCount(fac, 'Hot', 1);
    await consoleCount(fac, 'Möjlighet', 0);

    // ---- a new word: the projector shows it, the phone asks again
    await panel.getByRole('button', { name: 'Nytt ord' }).click();
    await panel.locator('.room-word-current').filter({ hasNotText: word }).waitFor();
    const second = (await panel.locator('.room-word-current').textContent()).trim();
    assert.notEqual(second, word);
    await screen.locator('.st-room-word-word').getByText(second, { exact: true }).waitFor();
    await ask.getByText('Rummets ord har bytts. Skriv det nya ordet som visas på storbilden.').waitFor();
    await phone.getByRole('button', { name: 'Möjlighet' }).tap();
    await phone.getByRole('status').getByText(HELD).waitFor();
    // The old word no longer counts.
    await ask.getByLabel('Ordet på storbilden').fill(word);
    await ask.getByRole('button', { name: 'Skicka svaret' }).tap();
    await ask.getByRole('alert').getByText(/^Det var inte rummets ord\./).waitFor();
    await ask.getByLabel('Ordet på storbilden').fill(second);
    await ask.getByRole('button', { name: 'Skicka svaret' }).tap();
    await phone.getByRole('status').getByText(RECEIVED).waitFor();
    await consoleCount(fac, 'Möjlighet', 1);
    await consoleCount(fac, 'Hot', 0);

    // ---- in English: the phone's question (dark), the console's panel
    const en = await (await w.context('phone', 'phone-en')).newPage();
    await en.emulateMedia({ colorScheme: 'dark' });
    await en.goto(w.server.url + session.links.join);
    await en.evaluate(() => localStorage.setItem('samsyn.lang', 'en'));
    await en.reload();
    const askEn = en.getByRole('region', { name: 'Room word' });
    await askEn.getByLabel('The word on the big screen').waitFor();
    await w.check(en, 'phone-en-dark', 'room-word-voting');
    await askEn.getByRole('button', { name: 'Continue' }).tap();
    await askEn.getByRole('alert').getByText('Type the word first.').waitFor();
    await w.check(en, 'phone-en-dark', 'room-word-empty');
    await switchLang(fac, 'English');
    const panelEn = fac.getByRole('region', { name: 'The room' });
    await panelEn.getByRole('switch', { name: /^Room word/ }).waitFor();
    await panelEn.getByText('The word now:').waitFor();
    await w.check(fac, 'console-en', 'room-word-on');

    // ---- off: nothing asked, nothing shown
    await panelEn.getByRole('switch', { name: /^Room word/ }).click();
    await askEn.waitFor({ state: 'detached' });
    await screen.locator('.st-room-word').waitFor({ state: 'detached' });
    await en.getByRole('button', { name: 'Hot' }).tap();
    await en.getByRole('status').getByText('Your answer is received – you can change it until voting closes').waitFor();
    await consoleCount(fac, 'Hot', 1, 'en');
    await switchLang(fac, 'Svenska');
    w.expectClean();
  }));

test('a burst of new phones from one network: warned, left out of the count, counted again', () =>
  w.guard(async () => {
    const session = await createSession(w.server, { ...SEMINAR, title: 'Skur av telefoner' });
    const fac = await w.open('desktop', 'facilitator-burst', session.links.facilitator);
    const detail = fac.locator('article.detail');
    await detail.getByRole('heading', { name: QUESTION }).waitFor();
    await detail.getByRole('button', { name: 'Öppna röstning' }).click();
    const panel = fac.getByRole('region', { name: 'Rummet' });

    // A phone of the same network (this machine), then 32 sockets from it, each voting "Hot".
    const phone = await w.open('phone', 'phone-burst', session.links.join);
    await phone.getByRole('button', { name: 'Möjlighet' }).tap();
    await phone.getByRole('status').getByText(RECEIVED).waitFor();
    const driver = await w.open('desktop', 'driver', '/');
    await driver.getByRole('button', { name: 'Starta workshop' }).waitFor();
    const laptop = await connect(driver, session, 'burst', 32);
    await laptop.votes('hot', 1, Array.from({ length: 32 }, () => [0]));
    await consoleCount(fac, 'Hot', 32);
    await consoleCount(fac, 'Möjlighet', 1);

    const warning = panel.locator('[aria-live="polite"]');
    await warning.getByText('33 nya telefoner anslöt från samma nätverk inom en minut.').waitFor();
    await warning.getByText(/Sitter publiken inte på ett gemensamt nätverk kan det vara en person som röstar många gånger\./).waitFor();
    await panel.getByText('Nya telefoner senaste minuten: 33').waitFor();
    await w.check(fac, 'console', 'burst-warning');
    await switchLang(fac, 'English');
    const panelEn = fac.getByRole('region', { name: 'The room' });
    await panelEn.getByText('33 new phones joined from the same network within a minute.').waitFor();
    await w.check(fac, 'console-en', 'burst-warning');
    await switchLang(fac, 'Svenska');

    // ---- left out: their votes drop from the count, and further answers are refused
    await panel.getByRole('button', { name: 'Räkna bort dem' }).click();
    await panel.getByText('33 deltagare räknas inte med.').waitFor();
    await warning.getByText(/nya telefoner/).waitFor({ state: 'detached' });
    await consoleNobody(fac);
    await w.check(fac, 'console', 'burst-left-out');
    const refused = await driver.evaluate(() =>
      window.__samsyn.burst.phones[0].call({ type: 'vote', item: 'hot', round: 1, answer: [1] }).then(
        () => 'accepted',
        (e) => e.message,
      ),
    );
    assert.match(refused, /^vote: left_out /);
    await phone.getByRole('button', { name: 'Hot' }).tap();
    await phone.getByRole('alert').getByText('Facilitatorn har räknat bort svaren från den här telefonen.').waitFor();
    // The answer it had is no longer said to be received.
    await phone.getByRole('status').getByText('Facilitatorn har räknat bort svaren från den här telefonen.').waitFor();
    assert.equal(await phone.getByText(RECEIVED).count(), 0);
    await w.check(phone, 'phone', 'left-out');

    // ---- counted again: the answers they had given come back
    await switchLang(fac, 'English');
    await panelEn.getByText('33 participants are left out of the count.').waitFor();
    await w.check(fac, 'console-en', 'burst-left-out');
    await panelEn.getByRole('button', { name: 'Count them again' }).click();
    await panelEn.getByText(/left out of the count/).waitFor({ state: 'detached' });
    await consoleCount(fac, 'Hot', 32, 'en');
    await consoleCount(fac, 'Möjlighet', 1, 'en');
    await switchLang(fac, 'Svenska');
    // The phone counts again, and may change its answer.
    await phone.getByRole('button', { name: 'Stäng' }).tap();
    await phone.getByRole('button', { name: 'Hot' }).tap();
    await phone.getByRole('status').getByText(RECEIVED).waitFor();
    await consoleCount(fac, 'Hot', 33);
    // Everyone of the burst counted again: nothing left to warn about but the burst itself.
    await panel.getByRole('button', { name: 'Räkna bort dem' }).waitFor();
    w.expectClean();
  }));
