//! Issue 19's story in one real browser run, on a server that wants a signed-in member (no
//! --allow-anonymous), through the UI a person uses: the first administrator is made on the start
//! page and invites a facilitator from the organisation page; the facilitator makes an account from
//! the link in another browser context. The administrator starts a workshop on the start page and
//! the facilitator opens its console from the organisation's list: two consoles on one session
//! while two phones vote; both see the count rise, the facilitator reveals and locks L1 and the
//! administrator's console shows it locked; the administrator finishes it. The administrator
//! downloads the LIKA catalogue from the catalogue library, makes a version whose L1-ny `replaces`
//! L1 and imports it there; the facilitator starts the second workshop on that version from the
//! library, a phone votes, it is finished dated two years later. The trend on the organisation page
//! shows both occasions on one line; a used version cannot be deleted (said so) but is retired and
//! brought back, and an unused one is deleted. Signed out and in again, everything is still there. The organisation page (with
//! the trend and the members) is checked with axe in Swedish and English, and photographed.

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setUp } from './harness.mjs';
import { ADMIN, createAdmin, phoneVote, signIn, signOut, switchLang } from './staff.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('story', { anonymous: false });
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

const BERIT = { name: 'Berit Samtalsledare', email: 'berit@exempelby.se', password: 'berits-lösen-2026' };

/** The texts of a table's cells, row by row (header cells included). */
function cells(table) {
  return table.evaluate((t) => [...t.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

/** Finishes the workshop in a console: the summary from the agenda, then the finish form with a date. */
async function finish(fac, date) {
  await fac.locator('.agenda').getByRole('button', { name: /^Sammanfattning och handlingsplan/ }).click();
  const form = fac.locator('article.summary-view').getByRole('form', { name: 'Avsluta bedömningen' });
  await form.getByLabel('Organisation').fill(ADMIN.organisation);
  await form.getByLabel('Verksamhetsområde (valfritt)').fill('Äldreomsorg');
  await form.getByLabel('Datum').fill(date);
  await form.getByRole('button', { name: 'Avsluta och spara tillfället' }).click();
  await form.getByText('Tillfället är sparat.').waitFor();
}

/** An element's own screenshot beside the harness's full-page ones. */
async function shoot(region, name) {
  const file = join(w.dir, `${name}.png`);
  await region.screenshot({ path: file, animations: 'disabled' });
  return file;
}

test('first run, an invited facilitator, two consoles, two occasions two years apart, one trend', () =>
  w.guard(async () => {
    // Refused requests (the used catalogue version's delete) answer 409, which the console reports.
    w.allowConsole.push(/status of 409/);
    const catalogue = await (await fetch(`${w.server.url}/api/catalogues/lika`)).json();
    const l1 = catalogue.areas[0].indicators[0];
    const label = (n) => catalogue.scale.levels.find((l) => l.level === n).label.sv;

    // ---- the first administrator, then the organisation page from the header
    const admin = await w.open('desktop', 'admin', '/');
    await createAdmin(admin);
    await admin.locator('header').getByRole('link', { name: `Organisationen ${ADMIN.organisation}` }).click();
    await admin.waitForURL(/\/organisations\/[\w-]+$/);
    const orgPath = new URL(admin.url()).pathname;

    // ---- an invitation for a facilitator; the facilitator makes an account in another browser
    const inviteCard = admin.getByRole('region', { name: 'Bjud in' });
    await inviteCard.getByRole('button', { name: 'Skapa inbjudningslänk' }).click();
    const link = await inviteCard.getByLabel('Inbjudningslänk (samtalsledare)').inputValue();
    const berit = await w.open('desktop', 'berit', new URL(link).pathname);
    const create = berit.getByRole('region', { name: 'Skapa ditt konto' });
    await create.getByLabel('Ditt namn').fill(BERIT.name);
    await create.getByLabel('E-postadress').fill(BERIT.email);
    await create.getByLabel('Lösenord').fill(BERIT.password);
    await create.getByRole('button', { name: 'Skapa kontot och gå med' }).click();
    await berit.waitForURL(`${w.server.url}/`);
    await berit.locator('header').getByText(BERIT.name).waitFor();

    // ---- the administrator starts a workshop on the start page
    await admin.goto(`${w.server.url}/`);
    await admin.getByRole('radio', { name: /LIKA – socialtjänst/ }).waitFor();
    await admin.getByLabel('Titel (valfri)').fill('LIKA 2026');
    await admin.getByRole('button', { name: 'Starta workshop' }).click();
    await admin.waitForURL(/\/facilitate\/\d{6}$/);
    const code = new URL(admin.url()).pathname.split('/').pop();

    // ---- the facilitator opens the same console from the organisation's list
    await berit.reload();
    const entry = berit.getByRole('listitem').filter({ hasText: `Kod ${code}` });
    await entry.getByRole('link', { name: 'Öppna samtalsledarvyn' }).click();
    await berit.waitForURL(new RegExp(`/facilitate/${code}$`));
    const consoles = [admin, berit];
    for (const fac of consoles) {
      await fac.getByRole('heading', { level: 1, name: 'LIKA 2026' }).waitFor();
      await fac.locator('article.detail').getByRole('heading', { name: l1.title.sv }).waitFor();
    }

    // ---- two phones join; the administrator opens voting; both consoles see the count rise
    const phones = [];
    for (let i = 0; i < 2; i++) {
      const phone = await w.open('phone', `phone${i + 1}`, `/join/${code}`);
      await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
      phones.push(phone);
    }
    for (const fac of consoles) await fac.getByText('2 deltagare').waitFor();
    await admin.locator('article.detail').getByRole('button', { name: 'Öppna röstning' }).click();
    await phones[0].getByRole('heading', { level: 1, name: l1.title.sv }).waitFor();
    await phoneVote(phones[0], 3, label);
    for (const fac of consoles) await fac.locator('article.detail p.progress').getByText('1 av 2 har svarat').waitFor();
    await phones[1].getByRole('heading', { level: 1, name: l1.title.sv }).waitFor();
    await phoneVote(phones[1], 3, label);
    for (const fac of consoles) await fac.locator('article.detail p.progress').getByText('2 av 2 har svarat').waitFor();

    // ---- the facilitator reveals and locks L1; the administrator's console shows it locked
    const beritDetail = berit.locator('article.detail');
    await beritDetail.getByRole('button', { name: 'Visa resultat' }).click();
    const lockForm = berit.locator('form.lock-form');
    await lockForm.getByLabel('Motivering').fill('Planen finns men saknar budget');
    await lockForm.getByRole('button', { name: 'Lås nivå 3' }).click();
    for (const fac of consoles) await fac.locator('.agenda').getByText('nivå 3').waitFor();
    await admin.locator('article.detail').getByText('Planen finns men saknar budget').first().waitFor();

    // ---- the administrator finishes the first occasion
    await finish(admin, '2026-11-20');
    for (const phone of phones) await phone.context().close();

    // ---- a new catalogue version from the library: downloaded, L1 renamed with `replaces`, imported
    await admin.goto(w.server.url + orgPath);
    const library = admin.getByRole('region', { name: 'Katalogbibliotek' });
    const likaVersion = (page, version) =>
      page.getByRole('region', { name: 'Katalogbibliotek' }).getByRole('listitem', { name: `Version ${version}`, exact: true });
    const builtIn = likaVersion(admin, catalogue.version);
    await builtIn.getByText('inbyggd').waitFor();
    const [download] = await Promise.all([admin.waitForEvent('download'), builtIn.getByRole('button', { name: 'Hämta' }).click()]);
    assert.equal(download.suggestedFilename(), `lika-${catalogue.version}.json`);
    const next = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(next.version, catalogue.version);
    next.version = '2028.1';
    next.areas[0].indicators[0].id = 'L1-ny';
    next.areas[0].indicators[0].replaces = ['L1'];
    const file = join(w.dir, 'lika-2028.1.json');
    await writeFile(file, JSON.stringify(next));
    const importForm = library.getByRole('region', { name: 'Importera en katalog' });
    await importForm.getByLabel('Katalogfil (.json)').setInputFiles(file);
    await importForm.getByRole('button', { name: 'Importera' }).click();
    await admin.getByRole('status').getByText(`Version 2028.1 av lika är importerad med ${catalogue.areas.flatMap((a) => a.indicators).length} indikatorer.`).waitFor();
    await likaVersion(admin, '2028.1').getByText('importerad av er').waitFor();
    // The same file again is refused, and said why.
    await importForm.getByLabel('Katalogfil (.json)').setInputFiles(file);
    await importForm.getByRole('button', { name: 'Importera' }).click();
    await importForm.getByText('Katalogen importerades inte. Den versionen av katalogen finns redan.', { exact: false }).waitFor();

    // ---- the facilitator starts the second workshop on that version from the library
    await berit.goto(w.server.url + orgPath);
    const newer = likaVersion(berit, '2028.1');
    await newer.getByRole('button', { name: 'Starta workshop på den här versionen' }).click();
    await newer.getByLabel('Titel på workshoppen (valfri)').fill('LIKA 2028');
    await newer.getByRole('button', { name: 'Starta workshoppen' }).click();
    await berit.waitForURL(/\/facilitate\/\d{6}$/);
    const second = new URL(berit.url()).pathname.split('/').pop();
    await berit.getByRole('heading', { level: 1, name: 'LIKA 2028' }).waitFor();
    const phone = await w.open('phone', 'phone3', `/join/${second}`);
    await phone.getByRole('heading', { name: 'Du är med!' }).waitFor();
    await beritDetail.getByRole('button', { name: 'Öppna röstning' }).click();
    await phone.getByRole('heading', { level: 1, name: l1.title.sv }).waitFor();
    await phoneVote(phone, 4, label);
    await beritDetail.locator('p.progress').getByText('1 av 1 har svarat').waitFor();
    await beritDetail.getByRole('button', { name: 'Visa resultat' }).click();
    await berit.locator('form.lock-form').getByRole('button', { name: 'Lås nivå 4' }).click();
    await berit.locator('.agenda').getByText('nivå 4').waitFor();
    await finish(berit, '2028-11-22');
    await phone.context().close();

    // ---- the trend on the organisation page: both occasions, one line across the rename
    await admin.reload();
    const checkTrend = async () => {
      const trend = admin.getByRole('region', { name: 'Utveckling över tid' });
      const occasions = trend.getByRole('list', { name: 'Avslutade tillfällen, äldst först' });
      await occasions.waitFor();
      const listed = (await occasions.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      assert.equal(listed.length, 2, JSON.stringify(listed));
      assert.match(listed[0], /^LIKA 2026 20 nov\. 2026 Verksamhetsområde: Äldreomsorg Katalogversion: lika 2026\.1 /);
      assert.match(listed[1], /^LIKA 2028 22 nov\. 2028 Verksamhetsområde: Äldreomsorg Katalogversion: lika 2028\.1 /);
      const ledning = await cells(trend.getByRole('table', { name: 'Ledning: låst nivå per indikator och tillfälle' }));
      const line = ledning.find((r) => r[0].startsWith('L1-ny'));
      assert.ok(line, JSON.stringify(ledning));
      assert.match(line[0], /\(tidigare L1\)/);
      assert.deepEqual(line.slice(1), ['3', '4']);
      assert.equal(await trend.locator('.trend-radar .trend-series').count(), 2);
      return trend;
    };
    const trend = await checkTrend();
    const members = admin.getByRole('region', { name: 'Medlemmar' });
    await members.getByRole('listitem').filter({ hasText: BERIT.name }).waitFor();

    // ---- the library: the occasions per version; a used version is not deleted but retired
    const older = likaVersion(admin, catalogue.version);
    await older.getByText('Vilka tillfällen använde den?').click();
    const used = older.getByRole('list', { name: `Tillfällen på version ${catalogue.version}` });
    assert.equal(await used.getByRole('link', { name: `LIKA 2026 (${code})` }).getAttribute('href'), `/facilitate/${code}`);
    const mine = likaVersion(admin, '2028.1');
    await mine.getByRole('button', { name: 'Ta bort…' }).click();
    await mine.getByRole('group').getByText('Ta bort version 2028.1 av LIKA – socialtjänst? Det går inte att ångra.').waitFor();
    await mine.getByRole('button', { name: 'Ta bort version 2028.1' }).click();
    await mine
      .getByRole('alert')
      .getByText(/^Versionen kunde inte tas bort: tillfällen har använt den\. Pensionera den i stället.*Servern svarade: 1 session/)
      .waitFor();
    await mine.getByRole('button', { name: 'Pensionera' }).click();
    await admin.getByRole('status').getByText('Version 2028.1 är pensionerad.').waitFor();
    await mine.getByText('pensionerad', { exact: true }).waitFor();
    assert.equal(await mine.getByRole('button', { name: 'Starta workshop på den här versionen' }).count(), 0);
    await w.check(admin, 'organisation-library', 'retired');
    const libraryShot = await shoot(library, 'library-retired');
    await mine.getByRole('button', { name: 'Återta' }).click();
    await admin.getByRole('status').getByText('Version 2028.1 kan användas igen.').waitFor();
    // A version no session used is deleted after its confirm step.
    next.version = '2028.2';
    const draft = join(w.dir, 'lika-2028.2.json');
    await writeFile(draft, JSON.stringify(next));
    await importForm.getByLabel('Katalogfil (.json)').setInputFiles(draft);
    await importForm.getByRole('button', { name: 'Importera' }).click();
    const unused = likaVersion(admin, '2028.2');
    await unused.getByRole('button', { name: 'Ta bort…' }).click();
    await unused.getByRole('button', { name: 'Ta bort version 2028.2' }).click();
    await admin.getByRole('status').getByText('Version 2028.2 av LIKA – socialtjänst är borttagen.').waitFor();
    assert.equal(await unused.count(), 0);
    await admin.waitForFunction(() => document.activeElement?.id === 'library-title');

    // ---- screenshots and axe: the organisation page, the trend, the members, in sv and en
    await w.check(admin, 'organisation', 'sv');
    const shots = [libraryShot, await shoot(trend, 'trend-sv'), await shoot(members, 'members-sv')];
    await switchLang(admin, 'English');
    await admin.getByRole('region', { name: 'Development over time' }).getByRole('table', { name: 'Leadership: locked level per indicator and occasion' }).waitFor();
    await admin.getByRole('region', { name: 'Catalogue library' }).getByText('imported by you').waitFor();
    await w.check(admin, 'organisation', 'en');
    shots.push(
      await shoot(admin.getByRole('region', { name: 'Development over time' }), 'trend-en'),
      await shoot(admin.getByRole('region', { name: 'Members' }), 'members-en'),
    );
    await switchLang(admin, 'Svenska');
    console.log(`screenshots: ${shots.join(', ')}`);

    // ---- sign out, sign in again: everything is there
    await admin.goto(`${w.server.url}/`);
    await signOut(admin);
    await signIn(admin, ADMIN);
    await admin.locator('header').getByText(ADMIN.name).waitFor();
    const list = admin.getByRole('region', { name: `Sessioner i ${ADMIN.organisation}` });
    await list.getByRole('listitem').filter({ hasText: `Kod ${code}` }).waitFor();
    await list.getByRole('listitem').filter({ hasText: `Kod ${second}` }).waitFor();
    await admin.goto(w.server.url + orgPath);
    await checkTrend();
    await admin.getByRole('region', { name: 'Medlemmar' }).getByRole('listitem').filter({ hasText: BERIT.name }).waitFor();
    await likaVersion(admin, '2028.1').getByText('importerad av er').waitFor();
    await w.check(admin, 'organisation', 'signed-in-again');
    w.expectClean();
  }));
