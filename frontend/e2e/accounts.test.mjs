//! Accounts and organisations in a real browser, on a server that wants a signed-in member to
//! create sessions (no --allow-anonymous): the first visit creates the administrator, who starts
//! a LIKA workshop whose console opens without a key; a phone votes by code; the session is
//! listed by the server on the start page; signing out hides it and shows the sign-in form; a
//! wrong password is explained; signing in again brings the list back and opens the console.
//! The first-run form, the sign-in form and the signed-in start page are checked with axe in
//! Swedish and English and photographed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SIZES, WAIT, setUp, startServer } from './harness.mjs';
import { ADMIN, described, switchLang } from './staff.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('accounts', { anonymous: false });
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

test('the server keeps to the accounts contract before anyone signs in', () =>
  w.guard(async () => {
    const me = await fetch(`${w.server.url}/api/me`);
    assert.equal(me.status, 200);
    assert.match(me.headers.get('cache-control') ?? '', /no-store/);
    const body = await me.json();
    assert.equal(body.first_run, true);
    assert.equal(body.allow_anonymous, false);
    assert.equal(body.account, null);
    assert.deepEqual(body.organisations, []);
    const create = await fetch(`${w.server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ catalogue: 'lika' }),
    });
    assert.equal(create.status, 401);
    assert.equal((await create.json()).code, 'unauthorized');
  }));

test('a new server: the administrator, a workshop without a key, sign out and in again', () =>
  w.guard(async () => {
    // A refused sign-in answers 401, which the browser reports in its console.
    w.allowConsole.push(/status of 401/);
    const catalogue = await (await fetch(`${w.server.url}/api/catalogues/lika`)).json();
    const l1 = catalogue.areas[0].indicators[0];
    const label = (n) => catalogue.scale.levels.find((l) => l.level === n).label.sv;

    // ---- first run: the administrator comes first
    const fac = await w.open('desktop', 'facilitator', '/');
    const setup = fac.getByRole('region', { name: 'Skapa administratören' });
    await setup.waitFor();
    assert.equal(await fac.getByRole('button', { name: 'Starta workshop' }).count(), 0);
    await setup.getByText('Minst 8 tecken.').waitFor();
    await w.check(fac, 'first-run', 'sv');
    await switchLang(fac, 'English');
    await fac.getByRole('region', { name: 'Create the administrator' }).waitFor();
    await w.check(fac, 'first-run', 'en');
    await switchLang(fac, 'Svenska');

    // Empty fields and a short password are explained beside their fields, and the first one gets focus.
    await setup.getByLabel('Lösenord').fill('kort');
    await setup.getByRole('button', { name: 'Skapa administratören' }).click();
    await setup.getByText('Skriv ditt namn.').waitFor();
    await setup.getByText('Lösenordet behöver minst 8 tecken.').waitFor();
    assert.equal(await fac.evaluate(() => document.activeElement?.id), 'setup-name');
    const password = setup.getByLabel('Lösenord');
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    assert.match(await described(password), /Lösenordet behöver minst 8 tecken\./);
    await w.check(fac, 'first-run', 'invalid');

    await setup.getByLabel('Ditt namn').fill(ADMIN.name);
    await setup.getByLabel('E-postadress').fill(ADMIN.email);
    await password.fill(ADMIN.password);
    await setup.getByLabel('Organisationens namn').fill(ADMIN.organisation);
    await setup.getByRole('button', { name: 'Skapa administratören' }).click();

    // ---- signed in: the person, the organisation, sign-out, and an empty list from the server
    const header = fac.locator('header');
    await header.getByText(ADMIN.name).waitFor();
    await header.getByText(ADMIN.organisation).waitFor();
    await header.getByRole('button', { name: 'Logga ut' }).waitFor();
    await fac.getByRole('status').getByText(`Inloggad som ${ADMIN.name}.`).waitFor();
    const list = fac.getByRole('region', { name: `Sessioner i ${ADMIN.organisation}` });
    await list.getByText('Inga sessioner än.').waitFor();
    await fac.getByRole('radio', { name: /LIKA – socialtjänst/ }).waitFor();
    await w.check(fac, 'start-signed-in', 'sv');
    await switchLang(fac, 'English');
    await fac.getByRole('region', { name: `Sessions in ${ADMIN.organisation}` }).waitFor();
    await w.check(fac, 'start-signed-in', 'en');
    await switchLang(fac, 'Svenska');

    // ---- a LIKA workshop: the console opens without a key
    await fac.getByLabel('Titel (valfri)').fill('Exempelby 2026');
    await fac.getByRole('button', { name: 'Starta workshop' }).click();
    await fac.waitForURL(/\/facilitate\/\d{6}$/);
    assert.equal(new URL(fac.url()).hash, '', 'the console has no #key');
    const code = new URL(fac.url()).pathname.split('/').pop();
    await fac.getByRole('heading', { level: 1, name: 'Exempelby 2026' }).waitFor();
    const detail = fac.locator('article.detail');
    await detail.getByRole('heading', { name: l1.title.sv }).waitFor();
    await w.check(fac, 'facilitator-signed-in', 'pending');

    // ---- a phone joins by code and votes
    const phone = await w.open('phone', 'phone', '/join');
    await phone.getByLabel('Kod (6 siffror)').fill(code);
    await phone.getByRole('button', { name: 'Gå med' }).tap();
    await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
    await fac.getByText('1 deltagare').waitFor();
    await detail.getByRole('button', { name: 'Öppna röstning' }).click();
    const three = phone.getByRole('button', { name: new RegExp(`^3 – ${label(3)}`) });
    await three.tap();
    await phone.getByRole('status').getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
    await detail.locator('p.progress').getByText('1 av 1 har svarat').waitFor();

    // ---- back on the start page: the server lists the session
    await fac.goto(`${w.server.url}/`);
    const entry = list.getByRole('listitem').filter({ hasText: `Kod ${code}` });
    await entry.getByText('Exempelby 2026').waitFor();
    await entry.getByText('Workshop').waitFor();
    assert.equal(await entry.getByRole('link', { name: 'Öppna samtalsledarvyn' }).getAttribute('href'), `/facilitate/${code}`);
    assert.equal(await entry.getByRole('link', { name: 'Skärmvy' }).getAttribute('href'), `/screen/${code}`);
    // Nothing of it was kept in this browser: the server is where the list lives.
    assert.equal(await fac.getByRole('heading', { name: 'Sparade i den här webbläsaren' }).count(), 0);
    await w.check(fac, 'start-signed-in', 'with-session');

    // ---- sign out: the list is gone, the sign-in form shows
    await header.getByRole('button', { name: 'Logga ut' }).click();
    const signIn = fac.getByRole('region', { name: 'Logga in' });
    await signIn.waitFor();
    await fac.getByRole('status').getByText('Du är utloggad.').waitFor();
    assert.equal(await fac.getByText('Exempelby 2026').count(), 0);
    assert.equal(await header.getByText(ADMIN.name).count(), 0);
    assert.equal(await fac.evaluate(() => document.activeElement?.id), 'signin-title');
    await w.check(fac, 'sign-in', 'sv');
    await switchLang(fac, 'English');
    await fac.getByRole('region', { name: 'Sign in' }).waitFor();
    await w.check(fac, 'sign-in', 'en');
    await switchLang(fac, 'Svenska');

    // ---- a wrong password is explained, tied to the fields
    await signIn.getByLabel('E-postadress').fill(ADMIN.email);
    await signIn.getByLabel('Lösenord').fill('fel-lösenord');
    await signIn.getByRole('button', { name: 'Logga in', exact: true }).click();
    const wrong = 'Fel e-postadress eller lösenord. Kontrollera båda och försök igen.';
    await signIn.getByRole('alert').getByText(wrong).waitFor();
    const pw = signIn.getByLabel('Lösenord');
    assert.equal(await pw.getAttribute('aria-invalid'), 'true');
    assert.match(await described(pw), new RegExp(wrong.replace(/\./g, '\\.')));
    assert.equal(await fac.evaluate(() => document.activeElement?.id), 'signin-password');
    await w.check(fac, 'sign-in', 'wrong-password');

    // ---- sign in again: the session is still listed and opens
    await pw.fill(ADMIN.password);
    await signIn.getByRole('button', { name: 'Logga in', exact: true }).click();
    await entry.getByText('Exempelby 2026').waitFor();
    await entry.getByRole('link', { name: 'Öppna samtalsledarvyn' }).click();
    await fac.waitForURL(new RegExp(`/facilitate/${code}$`));
    await detail.getByRole('heading', { name: l1.title.sv }).waitFor();
    await detail.locator('p.progress').getByText('1 av 1 har svarat').waitFor();

    w.expectClean();
  }));

test('the console without a key sends a stranger to sign in, and back', () =>
  w.guard(async () => {
    w.allowConsole.push(/status of 401/);
    const sessions = await (await w.contexts[0].request.get(`${w.server.url}/api/me`)).json();
    const org = sessions.organisations[0].id;
    const [first] = await (await w.contexts[0].request.get(`${w.server.url}/api/organisations/${org}/sessions`)).json();
    const code = first.code;

    const page = await w.open('desktop', 'stranger', `/facilitate/${code}`);
    await page.getByRole('heading', { level: 1, name: 'Nyckeln saknas' }).waitFor();
    await page.getByText(/Logga in med ett konto i sessionens organisation/).waitFor();
    await w.check(page, 'facilitator-no-key', 'signed-out');
    await page.getByRole('link', { name: 'Logga in' }).click();
    const signIn = page.getByRole('region', { name: 'Logga in' });
    await signIn.getByLabel('E-postadress').fill(ADMIN.email);
    await signIn.getByLabel('Lösenord').fill(ADMIN.password);
    await signIn.getByRole('button', { name: 'Logga in', exact: true }).click();
    await page.waitForURL(new RegExp(`/facilitate/${code}$`));
    await page.getByRole('heading', { level: 1, name: 'Exempelby 2026' }).waitFor();
    w.expectClean();
  }));

test('the signed-in start page fits a phone', () =>
  w.guard(async () => {
    const signedIn = await w.contexts[0].cookies();
    const context = await w.context('phone', 'phone-start');
    await context.addCookies(signedIn);
    const page = await context.newPage();
    await page.goto(`${w.server.url}/`);
    await page.locator('header').getByText(ADMIN.organisation).waitFor();
    await page.getByRole('region', { name: `Sessioner i ${ADMIN.organisation}` }).getByText('Exempelby 2026').waitFor();
    await w.check(page, 'start-signed-in', 'phone');
    // The header keeps its buttons in reach and nothing is cut: the name sits on a row of its own.
    const box = await page.locator('header').getByText(ADMIN.name).boundingBox();
    assert.ok(box && box.width > 100, `the name has room: ${JSON.stringify(box)}`);
    w.expectClean();
  }));

test('the keyless console exports with the sign-in cookie and deletes with the CSRF token', () =>
  w.guard(async () => {
    const fac = w.contexts[0].pages()[0];
    const me = await (await w.contexts[0].request.get(`${w.server.url}/api/me`)).json();
    const [first] = await (await w.contexts[0].request.get(`${w.server.url}/api/organisations/${me.organisations[0].id}/sessions`)).json();
    await fac.goto(`${w.server.url}/facilitate/${first.code}`);
    await fac.getByRole('button', { name: /^Sammanfattning och handlingsplan/ }).click();
    const [download] = await Promise.all([fac.waitForEvent('download'), fac.getByRole('button', { name: 'Ladda ner CSV (Excel)' }).click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    await fac.getByRole('button', { name: 'Radera sessionen…' }).click();
    await fac.getByRole('button', { name: 'Radera för gott' }).click();
    await fac.waitForURL(`${w.server.url}/`);
    await fac.getByRole('status').getByText(new RegExp(first.code)).waitFor();
    await fac.getByRole('region', { name: `Sessioner i ${ADMIN.organisation}` }).getByText('Inga sessioner än.').waitFor();
    w.expectClean();
  }));

test('with --allow-anonymous the start page works without an account and offers the sign-in', () =>
  w.guard(async () => {
    const quick = await startServer();
    try {
      const setup = await fetch(`${quick.url}/api/setup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      assert.equal(setup.status, 201);
      const context = await w.browser.newContext({ viewport: SIZES.desktop, locale: 'sv-SE' });
      context.setDefaultTimeout(WAIT);
      try {
        const page = await context.newPage();
        await page.goto(`${quick.url}/`);
        // Anonymous as before: the start button and this browser's sessions, and a way to sign in.
        await page.getByRole('button', { name: 'Starta workshop' }).waitFor();
        await page.getByRole('heading', { name: 'Dina sessioner' }).waitFor();
        await page.locator('header').getByRole('button', { name: 'Logga in' }).click();
        const signIn = page.getByRole('region', { name: 'Logga in' });
        await signIn.waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'signin-title');
        await w.axeViolations(page);
        await signIn.getByLabel('E-postadress').fill(ADMIN.email);
        await signIn.getByLabel('Lösenord').fill(ADMIN.password);
        await signIn.getByRole('button', { name: 'Logga in', exact: true }).click();
        await page.locator('header').getByText(ADMIN.organisation).waitFor();
        await page.getByRole('region', { name: `Sessioner i ${ADMIN.organisation}` }).getByText('Inga sessioner än.').waitFor();
        // Nothing was started in this browser, so there is no "Saved in this browser" section.
        assert.equal(await page.getByRole('heading', { name: 'Sparade i den här webbläsaren' }).count(), 0);
        await page.locator('header').getByRole('button', { name: 'Logga ut' }).click();
        await page.locator('header').getByRole('button', { name: 'Logga in' }).waitFor();
        await page.getByRole('button', { name: 'Starta workshop' }).waitFor();
      } finally {
        await context.close();
      }
    } finally {
      await quick.stop();
    }
  }));
