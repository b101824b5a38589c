//! Every page at phone and projector sizes: the start page, code entry, a refused session,
//! the facilitator link without its key, the projector, the console and its agenda editor;
//! plus the states the other suites do not reach (multiple choice, voting closed).
//! Each is checked with axe, photographed, and must not scroll sideways.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { SIZES, createSession, setUp } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('views');
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

const ITEMS = [
  {
    id: 'val',
    kind: 'choice',
    title: { sv: 'Vilka verktyg använder du varje vecka?', en: 'Which tools do you use every week?' },
    options: ['Journalsystemet', 'Teams', 'Digital nattillsyn', 'Inget av dem'],
    multiple: true,
  },
  { id: 'ord', kind: 'words', title: 'Ett ord om dagen', max_words: 2 },
];


test('every page fits a phone and a projector and passes axe', () =>
  w.guard(async () => {
    const created = await createSession(w.server, { title: 'Vyer', items: ITEMS });
    const code = created.code;
    const unknown = code === '999999' ? '999998' : '999999';
    for (const kind of ['phone', 'projector']) {
      const size = `${SIZES[kind].width}x${SIZES[kind].height}`;
      const page = await (await w.context(kind, `${kind}-views`)).newPage();
      const visit = async (path, ready, view) => {
        await page.goto(w.server.url + path);
        await ready();
          await w.check(page, view, size);
      };
      await visit('/', () => page.getByRole('button', { name: 'Starta workshop' }).waitFor(), 'start');
      await visit('/join', () => page.getByLabel('Kod (6 siffror)').waitFor(), 'join-code');
      await visit(`/join/${unknown}`, () => page.getByRole('heading', { name: 'Sessionen finns inte' }).waitFor(), 'join-unknown');
      await visit(`/facilitate/${code}`, () => page.getByRole('heading', { name: 'Nyckeln saknas' }).waitFor(), 'facilitator-no-key');
      await visit(`/screen/${code}`, () => page.getByRole('heading', { name: 'Väntar på samtalsledaren' }).waitFor(), 'screen-waiting');
      await visit(created.links.facilitator, () => page.getByRole('heading', { name: ITEMS[0].title.sv }).waitFor(), 'facilitator');
      await visit(`/join/${code}`, () => page.getByRole('heading', { name: 'Du är med!' }).waitFor(), 'phone-waiting');
    }
    w.expectClean();
  }));

test('the code entry explains a wrong code, and focus is visible', () =>
  w.guard(async () => {
    const page = await w.open('phone', 'phone-code', '/join');
    const field = page.getByLabel('Kod (6 siffror)');
    await field.fill('12');
    await page.getByRole('button', { name: 'Gå med' }).tap();
    await page.getByRole('alert').getByText('Koden är sex siffror.').waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await w.check(page, 'join-code', 'invalid');
    // Keyboard: from the field, Tab reaches the button, and the focus can be seen.
    await field.focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { text: el.textContent, outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow };
    });
    assert.equal(focused.text, 'Gå med');
    assert.ok(focused.outline !== 'none' && focused.width !== '0px' || focused.shadow !== 'none', `no visible focus: ${JSON.stringify(focused)}`);
    w.expectClean();
  }));

test('multiple choice, voting closed, and the agenda editor', () =>
  w.guard(async () => {
    const created = await createSession(w.server, { title: 'Flerval', items: ITEMS });
    const fac = await w.open('desktop', 'facilitator', created.links.facilitator);
    const detail = fac.locator('article.detail');
    await detail.getByRole('heading', { name: ITEMS[0].title.sv }).waitFor();
    const phone = await w.open('phone', 'phone', created.links.join);
    const screen = await w.open('projector', 'screen', `/screen/${created.code}`);
    await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();

    // Keyboard only: O opens voting.
    await fac.locator('body').press('o');
    await phone.getByRole('checkbox', { name: 'Teams' }).waitFor();
    await w.check(phone, 'phone', 'choice-multiple-voting');
    await phone.getByRole('checkbox', { name: 'Teams' }).tap();
    await phone.getByRole('checkbox', { name: 'Journalsystemet' }).tap();
    await phone.getByRole('button', { name: 'Skicka', exact: true }).tap();
    await phone.getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
    // A change is not sent until Send is pressed again, and says so.
    await phone.getByRole('checkbox', { name: 'Teams' }).tap();
    await phone.getByText('Ändringen är inte skickad än.').waitFor();
    await w.check(phone, 'phone', 'choice-multiple-unsent');
    await phone.getByRole('button', { name: 'Skicka ändringen' }).tap();
    await phone.getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();

    // C closes voting.
    await fac.locator('body').press('c');
    await phone.getByText('Röstningen är stängd.').waitFor();
    await phone.getByText('Ditt svar: Journalsystemet').waitFor();
    // With live results the projector keeps the room for the chart: the badge says it is closed.
    await screen.locator('.badge').getByText('Röstning stängd', { exact: true }).waitFor();
    await w.check(phone, 'phone', 'choice-closed');
    await w.check(screen, 'screen', 'choice-closed');
    await w.check(fac, 'facilitator', 'choice-closed');

    // The agenda editor, and back.
    await fac.getByRole('button', { name: 'Redigera agendan' }).click();
    await fac.getByRole('heading', { name: 'Redigera agendan' }).waitFor();
    await w.check(fac, 'facilitator', 'agenda-editor');
    await fac.getByRole('button', { name: 'Tillbaka till konsolen' }).click();
    await detail.getByRole('heading', { name: ITEMS[0].title.sv }).waitFor();
    w.expectClean();
  }));

test('the console runs from the keyboard, and the focus stays on the next obvious action', () =>
  w.guard(async () => {
    const created = await createSession(w.server, { catalogue: 'lika' });
    const fac = await w.open('desktop', 'facilitator', created.links.facilitator);
    const focused = () => fac.evaluate(() => document.activeElement?.textContent ?? '');
    await fac.getByRole('button', { name: 'Öppna röstning' }).focus();
    for (const next of ['Stäng röstning', 'Visa resultat', 'Lås samsyn…']) {
      await fac.keyboard.press('Enter');
      await fac.getByRole('button', { name: next, exact: true }).waitFor();
      await fac.waitForFunction((text) => document.activeElement?.textContent?.startsWith(text), next);
    }
    // The lock form takes the focus on the pre-selected level (none here: nobody voted).
    await fac.keyboard.press('Enter');
    await fac.waitForFunction(() => document.activeElement?.getAttribute('type') === 'radio');
    await fac.keyboard.press('ArrowDown');
    await fac.keyboard.press('Space');
    const checked = await fac.evaluate(() => document.activeElement.closest('label').textContent);
    assert.match(checked, /^2 – Planerad/);
    await fac.getByRole('button', { name: 'Lås nivå 2' }).focus();
    assert.match(await focused(), /^Lås nivå 2/);
    await fac.keyboard.press('Enter');
    await fac.locator('.agenda').getByText('nivå 2').waitFor();
    w.expectClean();
  }));

/** What the phone may download, gzipped, in bytes: its JS and CSS (a budget, not a target). */
const PHONE_BUDGET = 40 * 1024;

test('the phone page is small and opens fast on a slow connection', () =>
  w.guard(async () => {
    const created = await createSession(w.server, { title: 'Snabb', items: ITEMS });
    // What the phone downloads: the scripts, preloads and styles that join.html names.
    const html = await (await fetch(w.server.url + created.links.join)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    const sizes = { js: 0, css: 0 };
    for (const path of assets) {
      const body = Buffer.from(await (await fetch(w.server.url + path)).arrayBuffer());
      sizes[path.endsWith('.css') ? 'css' : 'js'] += gzipSync(body, { level: 9 }).length;
    }
    const kb = (n) => (n / 1024).toFixed(1);
    console.log(`phone bundle: ${kb(sizes.js)} KB JS + ${kb(sizes.css)} KB CSS gzipped (${assets.length} files)`);
    assert.ok(sizes.js + sizes.css <= PHONE_BUDGET, `the phone bundle grew past ${kb(PHONE_BUDGET)} KB gzipped`);

    // Lighthouse's mobile profile: 150 ms round trips, 1.6 Mbit/s down, a 4× slower CPU.
    const context = await w.context('phone', 'phone-slow');
    const page = await context.newPage();
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6e6 * 0.9) / 8,
      uploadThroughput: (750e3 * 0.9) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const start = Date.now();
    await page.goto(w.server.url + created.links.join);
    await page.getByRole('heading', { name: 'Du är med!' }).waitFor();
    const joined = Date.now() - start;
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    console.log(`phone on a slow mobile connection: first paint after ${Math.round(paint)} ms, joined after ${joined} ms`);
    // Generous bounds for a busy CI machine; the printed figures are what to watch.
    assert.ok(paint !== null && paint < 3000, `first paint took ${paint} ms`);
    assert.ok(joined < 6000, `joining took ${joined} ms`);
    // The phone loads its own files and nothing of the console or the builder.
    assert.deepEqual([...new Set(requested.filter((p) => p.startsWith('/assets/')))].sort(), [...assets].sort());
    w.expectClean();
  }));

test('axe finds a violation when there is one (the checks are real)', () =>
  w.guard(async () => {
    const page = await (await w.context('desktop', 'axe-self-check')).newPage();
    await page.setContent('<html lang="sv"><title>x</title><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main></html>');
    await assert.rejects(w.axeViolations(page), /^(?=[\s\S]*image-alt)(?=[\s\S]*button-name)/);
  }));
