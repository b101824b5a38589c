//! Phones without rough edges: the participant's page at 320 and 390 px in every state of every
//! item kind has no sideways scrolling, and axe finds nothing in Swedish (light) and in English
//! (dark colour scheme). Before the first touch the points ballot shows a neutral hint, not an
//! error; no internal item id is shown; the waiting screen says "Du är med!" and that answers
//! are anonymous; when the item changes the focus moves to its question.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect } from './driver.mjs';
import { assertNoSidewaysScroll, createSession, setUp } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('phones');
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

const ITEMS = [
  {
    id: 'hot',
    kind: 'choice',
    title: { sv: 'Är digitaliseringsarbetet ett hot eller en möjlighet?', en: 'Is the digitalisation work a threat or an opportunity?' },
    options: [{ sv: 'Hot', en: 'Threat' }, { sv: 'Möjlighet för digitaliseringsarbetet', en: 'An opportunity for the digitalisation work' }],
  },
  {
    id: 'prio1',
    kind: 'points',
    title: { sv: 'Vad ska vi prioritera?', en: 'What should we prioritise?' },
    options: [
      { sv: 'Välfärdsteknik i hemtjänsten', en: 'Welfare technology in home care' },
      { sv: 'Kompetensutveckling för medarbetarna', en: 'Skills development for the staff' },
      { sv: 'Infrastruktur', en: 'Infrastructure' },
    ],
    budget: 100,
  },
  { id: 'ord', kind: 'words', title: { sv: 'Ett ord om digitalisering', en: 'One word about digitalisation' }, max_words: 3 },
  {
    id: 'redo',
    kind: 'scale',
    title: { sv: 'Hur redo är vi?', en: 'How ready are we?' },
    scale: { levels: [{ level: 1, label: { sv: 'Inte alls', en: 'Not at all' } }, { level: 2, label: '2' }, { level: 3, label: '3' }, { level: 4, label: '4' }, { level: 5, label: { sv: 'Helt och hållet', en: 'Completely' } }] },
  },
];

const WIDTHS = [320, 390];

test('the phone at 320 and 390 px in every state, in Swedish and in English (dark)', () =>
  w.guard(async () => {
    const session = await createSession(w.server, { title: 'Telefoner', items: ITEMS });
    const driver = await w.open('desktop', 'driver', '/');
    await driver.getByRole('button', { name: 'Starta workshop' }).waitFor();
    const s = await connect(driver, session, 'phones', 3);

    const sv = await (await w.context('phone', 'phone-sv')).newPage();
    await sv.goto(w.server.url + session.links.join);
    const en = await (await w.context('phone', 'phone-en')).newPage();
    await en.emulateMedia({ colorScheme: 'dark' });
    await en.goto(w.server.url + session.links.join);
    await en.evaluate(() => localStorage.setItem('samsyn.lang', 'en'));
    await en.reload();
    const phones = [
      { page: sv, lang: 'sv' },
      { page: en, lang: 'en' },
    ];
    const state = async (name, ready) => {
      for (const { page, lang } of phones) {
        await ready(page, lang);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 740 });
          await assertNoSidewaysScroll(page, `the phone (${name}, ${lang}, ${width} px)`);
        }
        await w.shot(page, `phone-${lang}-${name}`);
        await w.axe(page, `phone-${lang}${lang === 'en' ? '-dark' : ''}`, name);
      }
    };

    // ---- waiting: "Du är med!" and a word on anonymity
    await state('waiting', async (page, lang) => {
      await page.getByRole('heading', { level: 1, name: lang === 'sv' ? 'Du är med!' : 'You are in!' }).waitFor();
      await page.getByText(lang === 'sv' ? /Dina svar är anonyma/ : /Your answers are anonymous/).waitFor();
    });

    // ---- choice: voting, then revealed; the focus moves to the new question
    await s.fac({ type: 'open', item: 'hot' });
    await state('choice-voting', async (page, lang) => {
      const title = ITEMS[0].title[lang];
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.waitForFunction((t) => document.activeElement?.textContent === t, title);
      assert.equal(await page.getByText('hot', { exact: true }).count(), 0, 'no internal item id');
    });
    await s.votes('hot', 1, [[0], [1], [1]]);
    await sv.getByRole('button', { name: 'Möjlighet för digitaliseringsarbetet' }).tap();
    await s.fac({ type: 'reveal', item: 'hot' });
    await state('choice-revealed', (page, lang) => page.getByRole('table', { name: lang === 'sv' ? 'Svar per alternativ, omgång 1' : 'Answers per option, round 1' }).waitFor());

    // ---- points: a neutral hint before the first touch, then revealed with the people column
    await s.fac({ type: 'open', item: 'prio1' });
    await state('points-voting', async (page, lang) => {
      await page.getByRole('heading', { level: 1, name: ITEMS[1].title[lang] }).waitFor();
      await page.getByText(lang === 'sv' ? 'Fördela poängen med knapparna eller skriv ett tal.' : 'Spread the points with the buttons or type a number.').waitFor();
      assert.equal(await page.locator('.points-problem').count(), 0, 'no error before the first touch');
      assert.equal(await page.getByText('prio1', { exact: true }).count(), 0, 'no internal item id');
    });
    const plus10 = sv.getByRole('button', { name: '+10 poäng till Infrastruktur' });
    await plus10.tap();
    await plus10.tap();
    await sv.getByText('Poäng kvar: 80 av 100').waitFor();
    await s.votes('prio1', 1, [[60, 40, 0], [50, 0, 50], [0, 100, 0]]);
    await s.fac({ type: 'reveal', item: 'prio1' });
    await state('points-revealed', (page, lang) => page.getByRole('table', { name: lang === 'sv' ? 'Poäng per alternativ, omgång 1' : 'Points per option, round 1' }).waitFor());

    // ---- words: voting, then the cloud
    await s.fac({ type: 'open', item: 'ord' });
    await state('words-voting', (page, lang) => page.getByRole('heading', { level: 1, name: ITEMS[2].title[lang] }).waitFor());
    await s.words('ord', 1, [['framtid', 3], ['digitaliseringsarbetet', 2], ['oro', 1]]);
    await s.fac({ type: 'reveal', item: 'ord' });
    await state('words-revealed', (page) => page.locator('.cloud').getByText('digitaliseringsarbetet', { exact: true }).waitFor());

    // ---- scale: voting, revealed in two camps, re-voted, locked
    await s.fac({ type: 'open', item: 'redo' });
    await state('scale-voting', (page, lang) => page.getByRole('heading', { level: 1, name: ITEMS[3].title[lang] }).waitFor());
    await s.votes('redo', 1, [1, 1, 5]);
    await s.fac({ type: 'reveal', item: 'redo' });
    await s.fac({ type: 'revote', item: 'redo' });
    await s.votes('redo', 2, [3, 3, 4]);
    await s.fac({ type: 'reveal', item: 'redo' });
    await state('scale-two-rounds', (page, lang) => page.getByRole('table', { name: lang === 'sv' ? 'Svarsfördelning, omgång 2' : 'Distribution of answers, round 2' }).waitFor());
    await s.fac({ type: 'lock', item: 'redo', level: 3, note: 'Vi är på väg men saknar en gemensam plan för digitaliseringsarbetet', dissent: null });
    await state('scale-locked', (page, lang) => page.getByRole('region', { name: lang === 'sv' ? 'Gruppens samsyn' : "The group's consensus" }).waitFor());

    // ---- the console follows the dark colour scheme too
    const fac = await (await w.context('desktop', 'console-dark')).newPage();
    await fac.emulateMedia({ colorScheme: 'dark' });
    await fac.goto(w.server.url + session.links.facilitator);
    await fac.locator('article.detail').getByRole('heading', { name: ITEMS[3].title.sv }).waitFor();
    assert.notEqual(await fac.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(246, 248, 251)', 'the console is dark');
    await w.check(fac, 'facilitator-dark', 'locked');
    await fac.evaluate(() => localStorage.setItem('samsyn.lang', 'en'));
    await fac.reload();
    await fac.locator('article.detail').getByRole('heading', { name: ITEMS[3].title.en }).waitFor();
    await w.check(fac, 'facilitator-dark-en', 'locked');

    w.expectClean();
  }));
