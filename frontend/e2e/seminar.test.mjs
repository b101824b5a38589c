//! A seminar in a real browser: built in the start page's builder (a choice question, a word
//! cloud and points), answered on three phones; the cloud appears on the projector, and a
//! word the facilitator hides disappears from it. Every view is checked with axe.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertFitsWindow, assertLabelsWhole, createSession, setUp } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('seminar');
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

const CHOICE = 'Är digitaliseringen ett hot eller en möjlighet?';
const WORDS = 'Vilket ord kommer du att tänka på?';
const POINTS = 'Vad ska vi prioritera?';

test('a seminar built in the builder: choice, word cloud with moderation, points', () =>
  w.guard(async () => {
    // ---- build it on the start page
    const fac = await w.open('desktop', 'facilitator', '/');
    await fac.getByRole('button', { name: 'Bygg ett seminarium' }).click();
    const builder = fac.locator('form.builder');
    await builder.getByRole('heading', { name: 'Bygg ett seminarium' }).waitFor();
    await w.check(fac, 'builder', 'empty');

    await builder.getByLabel('Titel på seminariet (valfri)').fill('Digitaliseringsdagen');
    await builder.getByRole('button', { name: 'Val', exact: true }).click();
    // Saving an empty question shows what to fix, with links to the fields.
    await builder.getByRole('button', { name: 'Spara och starta' }).click();
    await builder.getByText('Rätta 3 fel innan du sparar:').waitFor();
    await w.check(fac, 'builder', 'problems');

    const choice = builder.getByRole('region', { name: 'Fråga 1: Val' });
    await choice.getByLabel('Fråga (svenska)').fill(CHOICE);
    await choice.getByLabel('Alternativ 1 (svenska)').fill('Hot');
    await choice.getByLabel('Alternativ 2 (svenska)').fill('Möjlighet');

    await builder.getByRole('button', { name: 'Ordmoln', exact: true }).click();
    await builder.getByRole('region', { name: 'Fråga 2: Ordmoln' }).getByLabel('Fråga (svenska)').fill(WORDS);

    await builder.getByRole('button', { name: 'Poäng', exact: true }).click();
    const points = builder.getByRole('region', { name: 'Fråga 3: Poäng' });
    await points.getByLabel('Fråga (svenska)').fill(POINTS);
    await points.getByLabel('Alternativ 1 (svenska)').fill('Välfärdsteknik');
    await points.getByLabel('Alternativ 2 (svenska)').fill('Kompetens');
    await points.getByRole('button', { name: '+ Alternativ' }).click();
    await points.getByLabel('Alternativ 3 (svenska)').fill('Infrastruktur');
    await w.check(fac, 'builder', 'filled');
    // Radio buttons and check boxes are targets of at least 24 × 24 px.
    const small = await builder.evaluate((form) =>
      [...form.querySelectorAll('input[type=radio], input[type=checkbox]')]
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.width > 0 && (r.width < 24 || r.height < 24))
        .map((r) => `${r.width}×${r.height}`),
    );
    assert.deepEqual(small, [], 'builder targets under 24 px');

    await builder.getByRole('button', { name: 'Spara och starta' }).click();
    await fac.waitForURL(/\/facilitate\/\d{6}#key=[0-9a-f]{64}$/);
    const code = new URL(fac.url()).pathname.split('/').pop();
    const detail = fac.locator('article.detail');
    await detail.getByRole('heading', { name: CHOICE }).waitFor();
    await w.check(fac, 'facilitator', 'seminar-pending');

    // ---- the projector and three phones
    const screen = await w.open('projector', 'screen', `/screen/${code}`);
    await screen.getByRole('heading', { name: 'Väntar på samtalsledaren' }).waitFor();
    const joinHref = await fac.getByRole('link', { name: new RegExp(`/join/${code}$`) }).getAttribute('href');
    const phones = [];
    for (let i = 0; i < 3; i++) {
      const phone = await w.open('phone', `phone${i + 1}`, joinHref);
      await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
      phones.push(phone);
    }
    await fac.getByText('3 deltagare').waitFor();

    // ---- choice: results are live by default
    await detail.getByRole('button', { name: 'Öppna röstning' }).click();
    for (const phone of phones) await phone.getByRole('button', { name: 'Möjlighet' }).waitFor();
    await screen.getByRole('heading', { level: 1, name: CHOICE }).waitFor();
    await w.check(phones[0], 'phone', 'choice-voting');
    for (const [i, option] of ['Möjlighet', 'Möjlighet', 'Hot'].entries()) {
      await phones[i].getByRole('button', { name: option }).tap();
      await phones[i].getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
    }
    for (const page of [screen, phones[0]]) {
      const table = page.getByRole('table', { name: 'Svar per alternativ, omgång 1' });
      await rowCount(table, 'Möjlighet', '2');
      await rowCount(table, 'Hot', '1');
    }
    await screen.locator('.st-progress-text').getByText('3 av 3 har svarat').waitFor();
    await w.check(phones[0], 'phone', 'choice-answered-live');
    await assertLabelsWhole(phones[0], 'the phone (choice-answered-live)');
    await w.check(screen, 'screen', 'choice-live');
    await assertFitsWindow(screen, 'the projector (choice-live)');
    await assertLabelsWhole(screen, 'the projector (choice-live)');
    await detail.getByRole('button', { name: 'Visa resultat' }).click();
    await phones[2].getByText('Ditt svar: Hot').waitFor();
    await screen.locator('.badge').getByText('Resultat visas').waitFor();
    await w.check(phones[2], 'phone', 'choice-revealed');
    await w.check(screen, 'screen', 'choice-revealed');
    await w.check(fac, 'facilitator', 'choice-revealed');

    // ---- the word cloud: phones send words, the projector shows them at once
    await detail.getByRole('button', { name: /^Nästa: öppna/ }).click();
    for (const phone of phones) await phone.getByRole('heading', { level: 1, name: WORDS }).waitFor();
    await screen.getByRole('heading', { level: 1, name: WORDS }).waitFor();
    await w.check(phones[0], 'phone', 'words-voting');
    await sendWord(phones[0], 'Framtid', 'framtid');
    await sendWord(phones[0], 'tråkigt', 'tråkigt');
    await sendWord(phones[1], '  framtid ', 'framtid');
    await sendWord(phones[2], 'Möjligheter', 'möjligheter');
    // The same word twice from one phone is refused beside the field.
    await phones[0].getByLabel('Ditt ord').fill('framtid');
    await phones[0].getByRole('button', { name: 'Skicka' }).tap();
    await phones[0].getByRole('alert').getByText('Du har redan skickat ”framtid”.').waitFor();
    await phones[0].getByText('2 av 3 ord skickade').waitFor();

    const cloud = screen.locator('.cloud');
    // Each group shows the spelling people used most (on a tie, the first sent): "Framtid" before "  framtid ".
    for (const word of ['Framtid', 'tråkigt', 'Möjligheter']) await cloud.getByText(word, { exact: true }).waitFor();
    await rowCount(screen.getByRole('table', { name: 'Ord och hur många som skrev dem, omgång 1' }), 'Framtid', '2');
    await phones[1].locator('.cloud').getByText('tråkigt', { exact: true }).waitFor();
    await w.check(phones[0], 'phone', 'words-answered');
    await w.check(screen, 'screen', 'words-cloud');
    await assertFitsWindow(screen, 'the projector (words-cloud)');
    await assertLabelsWhole(screen, 'the projector (words-cloud)');
    await w.check(fac, 'facilitator', 'moderation');

    // ---- moderation: hide a word, and it disappears from the projector and the phones
    const moderation = fac.getByRole('region', { name: 'Moderering' });
    await moderation.getByRole('button', { name: 'Dölj tråkigt' }).click();
    await moderation.getByRole('button', { name: 'Visa tråkigt igen' }).waitFor();
    await cloud.getByText('tråkigt', { exact: true }).waitFor({ state: 'detached' });
    await phones[1].locator('.cloud').getByText('tråkigt', { exact: true }).waitFor({ state: 'detached' });
    assert.equal(await screen.getByText('tråkigt').count(), 0);
    await cloud.getByText('Framtid', { exact: true }).waitFor();
    // Merge a variant into another group: the projector counts them together.
    await moderation.getByLabel('Ord', { exact: true }).selectOption('möjligheter');
    await moderation.getByLabel('räknas som').selectOption('framtid');
    await moderation.getByRole('button', { name: 'Slå ihop', exact: true }).click();
    await rowCount(screen.getByRole('table', { name: 'Ord och hur många som skrev dem, omgång 1' }), 'Framtid', '3');
    await cloud.getByText('Möjligheter', { exact: true }).waitFor({ state: 'detached' });
    await moderation.getByRole('button', { name: 'Dela upp möjligheter från Framtid' }).waitFor();
    await w.check(fac, 'facilitator', 'moderation-hidden-merged');
    await w.check(screen, 'screen', 'words-cloud-moderated');
    // The console's link with ?words=list shows the words as a list (the projector has no controls).
    assert.equal(await screen.getByRole('button').count(), 0, 'the projector shows no controls');
    await screen.goto(`${w.server.url}/screen/${code}?words=list`);
    await screen.locator('.st-word-list').getByText('Framtid', { exact: true }).waitFor();
    await w.check(screen, 'screen', 'words-list');
    await assertFitsWindow(screen, 'the projector (words-list)');

    // ---- points: after the reveal
    await detail.getByRole('button', { name: 'Visa resultat' }).click();
    await phones[0].getByText('Ditt svar: framtid, tråkigt').waitFor();
    await w.check(phones[0], 'phone', 'words-revealed');
    await detail.getByRole('button', { name: /^Nästa: öppna/ }).click();
    for (const phone of phones) await phone.getByRole('heading', { level: 1, name: POINTS }).waitFor();
    await w.check(phones[0], 'phone', 'points-voting');
    await givePoints(phones[0], { Välfärdsteknik: '60', Kompetens: '40' });
    await givePoints(phones[1], { Välfärdsteknik: '50', Infrastruktur: '50' });
    // The step buttons work too: +5 twice on Kompetens.
    const plus5 = phones[2].getByRole('button', { name: '+5 poäng till Kompetens' });
    await plus5.tap();
    await plus5.tap();
    await phones[2].getByText('Poäng kvar: 90 av 100').waitFor();
    await phones[2].getByRole('button', { name: 'Skicka', exact: true }).tap();
    await phones[2].getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
    await w.check(phones[0], 'phone', 'points-answered');
    await screen.locator('.st-progress-text').getByText('3 av 3 har svarat').waitFor();
    assert.equal(await screen.locator('table').count(), 0, 'points are shown only after the reveal');
    await w.check(screen, 'screen', 'points-voting');
    await detail.getByRole('button', { name: 'Visa resultat' }).click();
    for (const page of [screen, phones[0]]) {
      const table = page.getByRole('table', { name: 'Poäng per alternativ, omgång 1' });
      await rowCount(table, 'Välfärdsteknik', '110');
      await rowCount(table, 'Kompetens', '50');
      await rowCount(table, 'Infrastruktur', '50');
    }
    await phones[0].getByText('Ditt svar: Välfärdsteknik 60, Kompetens 40').waitFor();
    await w.check(phones[0], 'phone', 'points-revealed');
    await assertLabelsWhole(phones[0], 'the phone (points-revealed)');
    await w.check(screen, 'screen', 'points-revealed');
    await assertFitsWindow(screen, 'the projector (points-revealed)');
    await assertLabelsWhole(screen, 'the projector (points-revealed)');
    await detail.getByText('Det här är sista frågan.').waitFor();
    await w.check(fac, 'facilitator', 'points-revealed-last');

    w.expectClean();
  }));

test('"next" closes the question left behind before it opens the next one, and says so', () =>
  w.guard(async () => {
    const first = 'Vilken fråga är viktigast i dag?';
    const second = 'Hur långt har förvaltningen kommit med digitaliseringen av sina ärendeflöden och e-tjänster?';
    const created = await createSession(w.server, {
      title: 'Nästa fråga',
      items: [
        { id: 'q1', kind: 'choice', title: first, options: ['Hot', 'Möjlighet'] },
        { id: 'q2', kind: 'choice', title: second, options: ['Långt', 'Kort'] },
      ],
    });
    const fac = await w.open('desktop', 'facilitator', created.links.facilitator);
    const detail = fac.locator('article.detail');
    await detail.getByRole('heading', { name: first }).waitFor();
    // The page title names the item and the view (no internal id).
    assert.equal(await fac.title(), `Samsyn – ${first} – samtalsledare`);
    const phone = await w.open('phone', 'phone-next', created.links.join);
    await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
    await detail.getByRole('button', { name: 'Öppna röstning' }).click();
    await phone.getByRole('button', { name: 'Möjlighet' }).tap();
    await phone.getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();

    // While the first question is open, "next" says that it closes it.
    const next = detail.getByRole('button', { name: `Nästa: stäng röstningen och öppna ${second}` });
    await next.waitFor();
    await w.check(fac, 'facilitator', 'next-closes');
    // N, the shortcut, does what the button says.
    await fac.locator('body').press('n');
    await detail.getByRole('heading', { name: second }).waitFor();
    await phone.getByRole('heading', { level: 1, name: second }).waitFor();
    assert.equal(await fac.title(), `Samsyn – ${second} – samtalsledare`);
    const agenda = fac.getByRole('navigation', { name: 'Agenda' });
    const items = agenda.locator('li .agenda-item');
    await items.nth(0).locator('.badge').getByText('Röstning stängd', { exact: true }).waitFor();
    await items.nth(1).locator('.badge').getByText('Röstning pågår', { exact: true }).waitFor();
    assert.equal(await agenda.locator('.badge-voting').count(), 1, 'one question open at a time');
    // The previous question takes no more answers: its round is closed on the console too.
    await items.nth(0).click();
    await detail.getByRole('heading', { name: first }).waitFor();
    await detail.locator('.eyebrow .badge').getByText('Röstning stängd', { exact: true }).waitFor();
    await detail.getByText('1 svar · inte visad för deltagarna').waitFor();
    w.expectClean();
  }));

async function rowCount(table, rowHeader, count) {
  const row = table.getByRole('row', { name: new RegExp(`^${rowHeader}\\b`) });
  await row.getByRole('cell').first().getByText(count, { exact: true }).waitFor();
}

async function sendWord(phone, typed, stored) {
  await phone.getByLabel('Ditt ord').fill(typed);
  await phone.getByRole('button', { name: 'Skicka' }).tap();
  await phone.getByRole('status').getByText(`Ditt ord är mottaget: ${stored}`).waitFor();
  await phone.getByRole('list', { name: 'Dina ord' }).getByText(stored, { exact: true }).waitFor();
}

async function givePoints(phone, points) {
  for (const [option, value] of Object.entries(points)) await phone.getByLabel(option, { exact: true }).fill(value);
  await phone.getByRole('button', { name: 'Skicka', exact: true }).tap();
  await phone.getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
}
