//! The screen inside the slides: with `--frame-ancestors`, a page of an allowed origin can show
//! the screen page in a frame, a page of another origin cannot, and no other Samsyn page can be
//! framed even by the allowed origin. Checked in Chromium with small pages that frame it, served
//! from two local origins.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { createSession, launchBrowser, startServer } from './harness.mjs';

let samsyn;
let browser;
const hosts = [];

/** A local page that frames `src`: the host that plays PowerPoint's or Teams' part. */
async function framingHost() {
  let target = '';
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Slides</title><iframe title="Samsyn" src="${target}" width="1280" height="720"></iframe>`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  hosts.push(server);
  return { origin: `http://127.0.0.1:${server.address().port}`, frame: (src) => (target = src) };
}

let allowed;
let other;
before(async () => {
  allowed = await framingHost();
  other = await framingHost();
  samsyn = await startServer(['--frame-ancestors', allowed.origin]);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close().catch(() => {});
  await samsyn?.stop();
  for (const h of hosts) h.close();
});

/** Whether the frame in `host`'s page shows the Samsyn page (the heading) or was refused. */
async function framed(host, path, heading) {
  host.frame(samsyn.url + path);
  const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(host.origin);
    const frame = page.frameLocator('iframe');
    try {
      await frame.getByRole('heading', { name: heading }).waitFor({ timeout: 5000 });
      return true;
    } catch {
      return false;
    }
  } finally {
    await context.close();
  }
}

test('only the allowed origin can frame the screen page, and only the screen page', async () => {
  const session = await createSession(samsyn, { title: 'Bildspel', items: [{ id: 'hot', kind: 'choice', title: 'Hot eller möjlighet?', options: ['Hot', 'Möjlighet'] }] });
  const csp = (await fetch(samsyn.url + session.links.screen)).headers.get('content-security-policy');
  assert.match(csp, new RegExp(`frame-ancestors 'self' ${allowed.origin};`));
  assert.match((await fetch(samsyn.url + session.links.join)).headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(await framed(allowed, session.links.screen, 'Väntar på samtalsledaren'), true, 'the allowed origin shows the screen');
  assert.equal(await framed(other, session.links.screen, 'Väntar på samtalsledaren'), false, 'another origin cannot frame the screen');
  assert.equal(await framed(allowed, session.links.join, 'Du är med!'), false, 'the phone page is never framed');
});
