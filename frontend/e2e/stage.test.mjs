//! The projector as a stage: every state of every item kind, at 1280×720, 1280×800, 1920×1080
//! and 3840×2160, fits the window (no scrolling, nothing drawn outside it), the question and the
//! key figures are at least 1/20 of the window's height, and no text the room reads is smaller
//! than 28 px at 1080p (scaled with the window). Axe checks each state in Swedish and in English
//! (the English page on the dark stage, `?theme=dark`, with a dark colour-scheme preference the stage ignores). The
//! Swedish page at 1920×1080 is saved per state in test-results/stage/, and in docs/screen-gallery/
//! when the suite runs with SAMSYN_WRITE_GALLERY=1 (the shots hold each run's join code, so an ordinary
//! run leaves the committed gallery alone).
//! The session is driven over the WebSocket protocol from the start page (a facilitator and
//! phones as sockets), so that the suite is quick and every state is exact.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connect } from './driver.mjs';
import { FRONTEND, createSession, setUp } from './harness.mjs';

const GALLERY = process.env.SAMSYN_WRITE_GALLERY
  ? join(FRONTEND, '..', 'docs', 'screen-gallery')
  : join(FRONTEND, 'test-results', 'stage');
const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('stage');
  mkdirSync(GALLERY, { recursive: true });
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

const CHOICE = 'Är digitalisering ett hot eller en möjlighet?';
const WORDS = 'Vilket ord kommer du att tänka på med ”digitalisering”?';
const SEMINAR = [
  { id: 'hot', kind: 'choice', title: { sv: CHOICE, en: 'Is digitalisation a threat or an opportunity?' }, options: [{ sv: 'Hot', en: 'Threat' }, { sv: 'Möjlighet', en: 'Opportunity' }] },
  { id: 'ord', kind: 'words', title: { sv: WORDS, en: 'Which word comes to mind with “digitalisation”?' }, max_words: 3 },
];
const WORD_LIST = [
  ['framtid', 5], ['möjligheter', 4], ['effektivisering', 3], ['oro', 3], ['digitaliseringsarbete', 2],
  ['babels torn', 2], ['AI', 2], ['välfärdsteknik', 1], ['trygghet', 1], ['kompetens', 1], ['förändring', 1],
  ['journalsystem', 1], ['samverkan', 1], ['självständighet', 1],
];

/**
 * What the key figures are in a state: the question and the join code in the lobby, and every
 * big number of the results (percentages, the consensus figures, the two camps, the locked level),
 * and the shared summary's title and the areas' average levels.
 */
const KEY_FIGURES =
  '.st-question, .lobby .waiting, .lobby .join-code, .st-progress-text, .st-bar-pct, .st-figures-list:not(.is-demoted) dd, .st-camps strong, .st-level-num, .st-level-label, .screen-summary h1, .ss-avg';

let screens;

test('every projector state fits the stage at four window sizes', () =>
  w.guard(async () => {
    const seminar = await createSession(w.server, { title: 'Digitaliseringsdagen', items: SEMINAR });
    const workshop = await createSession(w.server, { catalogue: 'lika', title: 'Exempelby 2026' });
    const catalogue = await (await fetch(`${w.server.url}/api/catalogues/lika`)).json();
    const [l1, l2, l3] = catalogue.areas[0].indicators;
    const [i1, i2] = catalogue.areas[1].indicators;

    const driver = await w.open('desktop', 'driver', '/');
    await driver.getByRole('button', { name: 'Starta workshop' }).waitFor();
    const sem = await connect(driver, seminar, 'sem', 10);
    const ws = await connect(driver, workshop, 'ws', 4);

    screens = await openScreens(seminar);
    // ---- the lobby
    await stage('lobby', (p) => p.getByRole('heading', { name: p.lang === 'en' ? 'Waiting for the facilitator' : 'Väntar på samtalsledaren' }).waitFor());

    // ---- choice, live results while voting; then revealed
    await sem.fac({ type: 'open', item: 'hot' });
    await sem.votes('hot', 1, [[1], [1], [1], [0]]);
    await stage('choice-live', (p) => p.locator('.st-bar-pct').getByText(/^75\s?%$/).waitFor());
    await sem.fac({ type: 'reveal', item: 'hot' });
    await stage('choice-revealed', (p) => p.locator('.badge-revealed').waitFor());

    // ---- the word cloud, revealed
    await sem.fac({ type: 'open', item: 'ord' });
    await sem.words('ord', 1, WORD_LIST);
    await sem.fac({ type: 'reveal', item: 'ord' });
    await stage('words-cloud', async (p) => {
      await p.locator('.st-cloud text').first().waitFor();
      await p.getByRole('table', { name: p.lang === 'en' ? /round 1/ : 'Ord och hur många som skrev dem, omgång 1' }).waitFor({ state: 'attached' });
    });
    // Every word is in the cloud, at a size and place inside the stage.
    const inCloud = await screens[0].locator('.st-cloud text').allTextContents();
    // Shown as people wrote them ("AI"), not as they are counted ("ai").
    assert.deepEqual([...inCloud].sort(), WORD_LIST.map(([t]) => t).sort());
    for (const p of screens) await p.close();

    // ---- a workshop: a scale voting, split into two camps, three rounds, locked
    screens = await openScreens(workshop);
    await ws.fac({ type: 'open', item: l1.id });
    await ws.votes(l1.id, 1, [1, 1]);
    await stage('scale-voting', (p) => p.locator('.st-progress-text').getByText(p.lang === 'en' ? '2 of 4 have answered' : '2 av 4 har svarat').waitFor());
    await ws.votes(l1.id, 1, [1, 1, 5, 5]);
    await ws.fac({ type: 'reveal', item: l1.id });
    await stage('scale-two-camps', (p) => p.locator('.st-camps').getByText(p.lang === 'en' ? 'Two camps: 1 and 5' : 'Två läger: 1 och 5').waitFor());
    await ws.fac({ type: 'revote', item: l1.id });
    await ws.votes(l1.id, 2, [2, 3, 3, 4]);
    await ws.fac({ type: 'reveal', item: l1.id });
    await ws.fac({ type: 'revote', item: l1.id });
    await ws.votes(l1.id, 3, [3, 3, 3, 4]);
    await ws.fac({ type: 'reveal', item: l1.id });
    await stage('scale-three-rounds', async (p) => {
      await p.getByRole('table', { name: p.lang === 'en' ? 'Distribution of answers, round 3' : 'Svarsfördelning, omgång 3' }).waitFor({ state: 'attached' });
      assert.equal(await p.locator('.st-earlier .st-round').count(), 2);
    });
    await ws.fac({ type: 'lock', item: l1.id, level: 3, note: 'Styrdokumentet finns men är inte känt i verksamheten', dissent: 'IT-enheten ser det som nivå 4' });
    await stage('scale-locked', (p) => p.getByRole('region', { name: p.lang === 'en' ? "The group's consensus" : 'Gruppens samsyn' }).getByText('IT-enheten ser det som nivå 4').waitFor());

    // ---- a prioritisation over locked gaps (long option texts), revealed
    for (const [item, level] of [[l2, 1], [l3, 2], [i1, 2], [i2, 1]]) await ws.fac({ type: 'lock', item: item.id, level, note: '' });
    await ws.fac({ type: 'start_prioritisation', max_level: 3, budget: 100 });
    await driver.waitForFunction(() => {
      const s = window.__samsyn.ws.state;
      return s.items.some((i) => i.kind === 'points' && i.id === s.current);
    });
    const prio = await driver.evaluate(() => window.__samsyn.ws.state.current);
    const options = await driver.evaluate((id) => window.__samsyn.ws.state.items.find((i) => i.id === id).options.length, prio);
    const spread = (i) => Array.from({ length: options }, (_, k) => (k === i % options ? 60 : k === (i + 1) % options ? 40 : 0));
    await ws.votes(prio, 1, [spread(0), spread(0), spread(1), spread(2)]);
    await ws.fac({ type: 'reveal', item: prio });
    await stage('prioritisation', (p) => p.locator('.st-bar-pct').first().waitFor());

    // ---- the summary, shared
    await ws.fac({ type: 'goto', item: null });
    await ws.fac({ type: 'share_summary', shared: true });
    await stage('summary', async (p) => {
      await p.getByRole('heading', { level: 1, name: p.lang === 'en' ? 'Summary' : 'Sammanfattning' }).waitFor();
      // The areas' averages large (Ledning: 3, 1 and 2 locked), and a chip per indicator.
      assert.deepEqual(await p.locator('.ss-avg').allTextContents(), p.lang === 'en' ? ['2', '1.5', '–', '–'] : ['2', '1,5', '–', '–']);
      assert.equal(await p.locator('.screen-chip').count(), catalogue.areas.reduce((n, a) => n + a.indicators.length, 0));
      await p.getByRole('table', { name: p.lang === 'en' ? 'Average level per area (locked indicators)' : 'Medelnivå per område (låsta indikatorer)' }).waitFor({ state: 'attached' });
    });

    w.expectClean();
  }));

/**
 * Two projectors: Swedish (reduced motion, for the gallery) and English on the dark stage the console
 * can choose (`?theme=dark`, with a dark preference the stage ignores), so every state is measured and
 * checked by axe in both themes.
 */
async function openScreens(session) {
  const sv = await (await w.context('projector', 'screen-sv')).newPage();
  await sv.emulateMedia({ reducedMotion: 'reduce' });
  await sv.goto(w.server.url + session.links.screen);
  const en = await (await w.context('projector', 'screen-en')).newPage();
  await en.emulateMedia({ colorScheme: 'dark' });
  await en.goto(`${w.server.url}${session.links.screen}?lang=en&theme=dark`);
  sv.lang = 'sv';
  en.lang = 'en';
  return [sv, en];
}

/** One state: ready on both projectors, then measured at every size, axe, and the gallery shot. */
async function stage(name, ready) {
  for (const page of screens) {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await ready(page);
    await settle(page);
    await w.axe(page, `screen-${page.lang}`, name);
    for (const size of VIEWPORTS) {
      await page.setViewportSize(size);
      await settle(page);
      await assertStage(page, `${name} (${page.lang}, ${size.width}×${size.height})`);
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    await settle(page);
    const shot = page.lang === 'sv' ? join(GALLERY, `${name}.png`) : join(FRONTEND, 'test-results', 'stage', `${name}-en-dark.png`);
    await page.screenshot({ path: shot, animations: 'disabled' });
  }
}

/** Two frames and a moment for the cloud to measure its box and lay out. */
async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(150);
}

async function assertStage(page, what) {
  const m = await page.evaluate((keySelector) => {
    const H = innerHeight;
    const W = innerWidth;
    const hidden = (el) => el.closest('.sr-only, [hidden]') || getComputedStyle(el).visibility === 'hidden';
    const outside = [];
    const small = [];
    for (const el of document.querySelectorAll('body *')) {
      if (hidden(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.bottom > H + 1 || r.right > W + 1 || r.left < -1 || r.top < -1) outside.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`);
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (own) {
        // SVG text is scaled with its drawing: take its height on the screen (about 1.15 em).
        const size = el instanceof SVGElement ? r.height / 1.15 : parseFloat(getComputedStyle(el).fontSize);
        small.push({ text: el.textContent.trim().slice(0, 40), size: Math.round(size * 10) / 10 });
      }
    }
    const keys = [...document.querySelectorAll(keySelector)].filter((el) => !hidden(el)).map((el) => ({ text: el.textContent.trim().slice(0, 40), size: parseFloat(getComputedStyle(el).fontSize) }));
    return { H, W, scrollH: document.documentElement.scrollHeight, scrollW: document.documentElement.scrollWidth, outside, texts: small, keys };
  }, KEY_FIGURES);
  assert.ok(m.scrollH <= m.H, `${what}: the page is ${m.scrollH} px high in a ${m.H} px window`);
  assert.ok(m.scrollW <= m.W, `${what}: the page is ${m.scrollW} px wide in a ${m.W} px window`);
  assert.deepEqual(m.outside.slice(0, 5), [], `${what}: drawn outside the window`);
  // Readable from the back: key figures ≥ 1/20 of the height; all text ≥ 28 px at 1080p, scaled.
  const keyMin = m.H / 20;
  const textMin = 28 * Math.min(m.H / 1080, m.W / 1920) - 0.5;
  assert.ok(m.keys.length > 0, `${what}: no key figures found`);
  const tooSmall = m.keys.filter((k) => k.size < keyMin - 0.5);
  assert.deepEqual(tooSmall, [], `${what}: key figures under ${keyMin.toFixed(1)} px`);
  const tiny = m.texts.filter((t) => t.size < textMin);
  assert.deepEqual(tiny.slice(0, 5), [], `${what}: text under ${textMin.toFixed(1)} px`);
}
