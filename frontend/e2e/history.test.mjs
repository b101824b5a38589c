//! An organisation's history and its living plan in a real browser, on a server that wants a
//! signed-in member (no --allow-anonymous). The first administrator runs two short workshops over
//! the WebSocket (a phone votes, a level is locked on L1 and K1, each finished with a date, two
//! years apart); the second on a catalogue version imported with an indicator that `replaces` L1.
//! Then on the organisation page the trend shows both occasions (checked cell by cell), the unit
//! filter and the CSV download answer; the plan gets actions (a refused field explained beside
//! it), one goes from planned to started to done with notes and shows its history, one is
//! deleted after a confirm step, the exports answer, and the roadmap becomes a seminar; a viewer
//! reads the catalogue library without a button to change it. axe checks
//! the page with trend and plan in Swedish and English (and dark), with screenshots.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect } from './driver.mjs';
import { setUp } from './harness.mjs';
import { ADMIN, createAdmin, described, switchLang } from './staff.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('history', { anonymous: false });
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

/** A request from a signed-in page, with the CSRF token of /api/me on a change. */
function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/api/me')).json();
      const headers = { 'Content-Type': 'application/json' };
      if (method !== 'GET') headers['X-CSRF-Token'] = me.csrf_token;
      const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        // a file
      }
      return { status: res.status, json, text, type: res.headers.get('content-type') };
    },
    { method, path, body },
  );
}

/** One workshop over the WebSocket: a phone votes on each indicator, its level is locked, and it is finished. */
async function workshop(driver, title, locks, date) {
  const made = await api(driver, 'POST', '/api/sessions', { catalogue: 'lika', title });
  assert.equal(made.status, 201, made.text);
  const s = await connect(driver, made.json, `w${date}`, 1);
  for (const [item, level] of locks) {
    await s.fac({ type: 'open', item });
    await s.votes(item, 1, [level]);
    await s.fac({ type: 'reveal', item });
    await s.fac({ type: 'lock', item, level, note: `Låst ${date}` });
  }
  await s.fac({ type: 'finish', organisation: ADMIN.organisation, field: 'Äldreomsorg', date });
  return made.json.code;
}

/** The texts of a table's cells, row by row (header cells included). */
function cells(table) {
  return table.evaluate((t) => [...t.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

test('two occasions two years apart make a trend, and the plan lives on the organisation page', () =>
  w.guard(async () => {
    // A refused field (400) is reported by the browser's console.
    w.allowConsole.push(/status of 400/);
    const admin = await w.open('desktop', 'admin', '/');
    await createAdmin(admin);
    const me = await api(admin, 'GET', '/api/me');
    const orgId = me.json.organisations[0].id;
    for (const name of ['Äldreomsorg', 'IFO']) assert.equal((await api(admin, 'POST', `/api/organisations/${orgId}/units`, { name })).status, 201);

    // ---- two workshops, the second on a catalogue version that renames L1 (its L1-ny replaces L1)
    const driver = await admin.context().newPage();
    await driver.goto(w.server.url + '/');
    const first = await workshop(driver, 'LIKA 2024', [['L1', 2], ['K1', 3]], '2024-11-20');
    const catalogue = (await api(driver, 'GET', '/api/catalogues/lika')).json;
    catalogue.version = '2026.2';
    catalogue.areas[0].indicators[0].id = 'L1-ny';
    catalogue.areas[0].indicators[0].replaces = ['L1'];
    const imported = await api(driver, 'POST', `/api/catalogues?organisation=${orgId}`, catalogue);
    assert.equal(imported.status, 201, imported.text);
    const second = await workshop(driver, 'LIKA 2026', [['L1-ny', 4]], '2026-11-23');
    await driver.close();

    // ---- the trend on the organisation page
    await admin.goto(`${w.server.url}/organisations/${orgId}`);
    const trend = admin.getByRole('region', { name: 'Utveckling över tid' });
    const occasions = trend.getByRole('list', { name: 'Avslutade tillfällen, äldst först' });
    await occasions.waitFor();
    const listed = (await occasions.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.equal(listed.length, 2);
    assert.match(listed[0], /^LIKA 2024 20 nov\. 2024 Verksamhetsområde: Äldreomsorg Katalogversion: lika 2026\.1 /);
    assert.match(listed[1], /^LIKA 2026 23 nov\. 2026 Verksamhetsområde: Äldreomsorg Katalogversion: lika 2026\.2 /);
    assert.equal(await trend.getByRole('link', { name: /^Samtalsledarvy för LIKA 2024/ }).getAttribute('href'), `/facilitate/${first}`);
    assert.equal(await trend.getByRole('link', { name: /^Rapport för LIKA 2026/ }).getAttribute('href'), `/api/sessions/${second}/report.html?lang=sv`);
    // The report opens for the signed-in member, without a key.
    assert.equal((await api(admin, 'GET', `/api/sessions/${second}/report.html?lang=sv`)).status, 200);

    // One line across the rename: L1 then, L1-ny now, the earlier id in a note.
    const ledning = trend.getByRole('table', { name: 'Ledning: låst nivå per indikator och tillfälle' });
    const lrows = await cells(ledning);
    assert.equal(lrows[0].length, 3, 'a column per occasion');
    const l1 = lrows.find((r) => r[0].startsWith('L1-ny'));
    assert.ok(l1, JSON.stringify(lrows));
    assert.match(l1[0], /\(tidigare L1\)/);
    assert.deepEqual(l1.slice(1), ['2', '4']);
    assert.deepEqual(lrows.find((r) => r[0].startsWith('L2 ')).slice(1), ['ej låst', 'ej låst']);
    assert.deepEqual(lrows.at(-1), ['Medelnivå för området', '2', '4']);
    const kompetens = await cells(trend.getByRole('table', { name: 'Kompetens: låst nivå per indikator och tillfälle' }));
    assert.deepEqual(kompetens.find((r) => r[0].startsWith('K1 ')).slice(1), ['3', 'ej låst']);
    // The radar has a shape per occasion, and a legend that tells them apart.
    const radar = trend.getByRole('img', { name: /^Radardiagram över medelnivån per område/ });
    assert.match(await radar.getAttribute('aria-label'), /20 nov\. 2024 – LIKA 2024: Ledning 2/);
    assert.equal(await trend.locator('.trend-radar .trend-series').count(), 2);
    assert.deepEqual(await trend.getByRole('list', { name: 'Tillfällen i diagrammet' }).getByRole('listitem').allTextContents(), [
      '20 nov. 2024 – LIKA 2024',
      '23 nov. 2026 – LIKA 2026 (senaste)',
    ]);
    assert.match(await trend.getByRole('img', { name: /^Ledning: medelnivå över tid/ }).getAttribute('aria-label'), /2024-11-20|20 nov\. 2024: 2, 23 nov\. 2026: 4/);
    // The CSV download answers for the member.
    const csvHref = await trend.getByRole('link', { name: 'Ladda ner utvecklingen för Excel (CSV)' }).getAttribute('href');
    assert.equal(csvHref, `/api/organisations/${orgId}/trend.csv?lang=sv`);
    const csv = await api(admin, 'GET', csvHref);
    assert.equal(csv.status, 200);
    assert.match(csv.type, /^text\/csv/);
    assert.match(csv.text, /2024-11-20 \(Äldreomsorg\)/);

    // The unit filter: one unit by name, said in the status line.
    const unit = trend.getByLabel('Verksamhetsområde', { exact: true });
    await unit.selectOption('IFO');
    await trend.getByRole('button', { name: 'Visa' }).click();
    await admin.getByRole('status').getByText('Visar 0 tillfällen för IFO.').waitFor();
    await trend.getByText('Inga avslutade tillfällen för IFO.').waitFor();
    await unit.selectOption('Äldreomsorg');
    await trend.getByRole('button', { name: 'Visa' }).click();
    await admin.getByRole('status').getByText('Visar 2 tillfällen för Äldreomsorg.').waitFor();
    assert.equal(
      await trend.getByRole('link', { name: 'Ladda ner utvecklingen för Excel (CSV)' }).getAttribute('href'),
      `/api/organisations/${orgId}/trend.csv?lang=sv&field=%C3%84ldreomsorg`,
    );
    await occasions.waitFor();
    await w.check(admin, 'organisation-trend', 'sv');

    // ---- the plan: a missing text and a wrong quarter are explained at their fields
    const plan = admin.getByRole('region', { name: 'Handlingsplan' });
    const add = plan.getByRole('region', { name: 'Lägg till en åtgärd' });
    await add.getByRole('button', { name: 'Lägg till åtgärden' }).click();
    const text = add.getByLabel('Åtgärd', { exact: true });
    await add.getByText('Skriv vad som ska göras.').waitFor();
    assert.equal(await text.getAttribute('aria-invalid'), 'true');
    await admin.waitForFunction(() => document.activeElement?.id === 'plan-add-text');
    await text.fill('Ta fram en digital strategi');
    await add.getByLabel('Indikator (valfri)').fill('L1-ny');
    await add.getByLabel('Ansvarig (valfri)').fill('Förvaltningschef');
    await add.getByLabel('Klart senast (valfritt)').fill('2027-06-30');
    const quarter = add.getByLabel('Kvartal (valfritt)');
    await quarter.fill('2027-5');
    await add.getByRole('button', { name: 'Lägg till åtgärden' }).click();
    await add.getByText('Skriv ett kvartal som 2027-Q2.').waitFor();
    assert.equal(await quarter.getAttribute('aria-invalid'), 'true');
    assert.match(await described(quarter), /Skriv ett kvartal som 2027-Q2\./);
    await admin.waitForFunction(() => document.activeElement?.id === 'plan-add-quarter');
    await w.check(admin, 'organisation-plan', 'invalid');
    await quarter.fill('2027-Q2');
    await add.getByRole('button', { name: 'Lägg till åtgärden' }).click();
    await admin.getByRole('status').getByText('Åtgärden ”Ta fram en digital strategi” är tillagd.').waitFor();
    assert.equal(await text.inputValue(), '', 'the form is emptied');
    for (const [what, q] of [
      ['Kartlägg behoven', ''],
      ['Utbilda i e-tjänster', '2027-Q4'],
      ['Tillfällig åtgärd', ''],
    ]) {
      await text.fill(what);
      await quarter.fill(q);
      await add.getByRole('button', { name: 'Lägg till åtgärden' }).click();
      await admin.getByRole('status').getByText(`Åtgärden ”${what}” är tillagd.`).waitFor();
    }
    // The roadmap by quarter, "Utan kvartal" last.
    assert.deepEqual(await plan.locator('.plan-quarter > h3').allTextContents(), [
      'Kvartal 2 2027 (1 åtgärd)',
      'Kvartal 4 2027 (1 åtgärd)',
      'Utan kvartal (2 åtgärder)',
    ]);

    // ---- planned → started → done, each with a note, and the history shows it
    const strategy = plan.getByRole('listitem').filter({ has: admin.getByRole('heading', { name: 'Ta fram en digital strategi' }) });
    await strategy.getByText('Planerad', { exact: true }).first().waitFor();
    for (const [status, note, word] of [
      ['Påbörjad', 'Utkast på remiss', 'påbörjad'],
      ['Klar', 'Antagen i nämnden', 'klar'],
    ]) {
      await strategy.getByLabel('Ny status').selectOption({ label: status });
      await strategy.getByLabel('Vad har hänt? (valfritt)').fill(note);
      await strategy.getByRole('button', { name: 'Spara status' }).click();
      await admin.getByRole('status').getByText(`”Ta fram en digital strategi” är nu ${word}.`).waitFor();
      await strategy.locator('.roadmap-note dd').getByText(note).waitFor();
    }
    await admin.waitForFunction(() => document.activeElement?.tagName === 'H4');
    await strategy.getByText('Historik (3 steg)').click();
    const steps = await cells(strategy.getByRole('table', { name: 'Historik för Ta fram en digital strategi' }));
    assert.deepEqual(
      steps.slice(1).map((r) => r.slice(1)),
      [
        [ADMIN.name, 'Planerad', ''],
        [ADMIN.name, 'Påbörjad', 'Utkast på remiss'],
        [ADMIN.name, 'Klar', 'Antagen i nämnden'],
      ],
    );
    const facts = await strategy.locator('.roadmap-facts').textContent();
    assert.match(facts, /IndikatorL1-ny/);
    assert.match(facts, /AnsvarigFörvaltningschef/);
    assert.match(facts, /Klart senast30 juni 2027/);

    // ---- a delete waits for its confirm step
    const temporary = plan.getByRole('listitem').filter({ has: admin.getByRole('heading', { name: 'Tillfällig åtgärd' }) });
    await temporary.getByRole('button', { name: 'Ta bort…' }).click();
    await temporary.getByRole('group').getByText('Ta bort åtgärden ”Tillfällig åtgärd” med dess historik?').waitFor();
    await admin.waitForFunction(() => document.activeElement?.textContent?.startsWith('Ta bort åtgärden'));
    await temporary.getByRole('button', { name: 'Ta bort åtgärden' }).click();
    await admin.getByRole('status').getByText('Åtgärden ”Tillfällig åtgärd” är borttagen.').waitFor();
    assert.equal(await plan.getByRole('heading', { name: 'Tillfällig åtgärd' }).count(), 0);

    // ---- the exports for the organisation's own plan
    const planCsv = await api(admin, 'GET', await plan.getByRole('link', { name: 'Ladda ner för Excel' }).getAttribute('href'));
    assert.equal(planCsv.status, 200);
    assert.match(planCsv.text, /"2027-Q2";"Ta fram en digital strategi";"L1-ny";"Förvaltningschef";"2027-06-30";"Klar";"Antagen i nämnden"/);
    const ics = await api(admin, 'GET', await plan.getByRole('link', { name: 'Lägg in i kalendern' }).getAttribute('href'));
    assert.equal(ics.status, 200);
    assert.match(ics.type, /^text\/calendar/);
    assert.match(ics.text, /^BEGIN:VCALENDAR\r\n/);

    // ---- the roadmap put to a wide audience
    await plan.getByRole('button', { name: 'Låt fler prioritera' }).click();
    const made = plan.getByText(/^Seminariet \d{6} är skapat med 2 åtgärder\.$/);
    await made.waitFor();
    const code = (await made.textContent()).match(/\d{6}/)[0];
    assert.equal(await plan.getByRole('link', { name: 'Öppna seminariets storbild' }).getAttribute('href'), `${w.server.url}/screen/${code}`);
    assert.match(await plan.getByRole('link', { name: 'Öppna seminariets samtalsledarvy' }).getAttribute('href'), new RegExp(`/facilitate/${code}#key=[0-9a-f]{64}$`));
    const sessions = await api(admin, 'GET', `/api/organisations/${orgId}/sessions`);
    assert.ok(sessions.json.some((s) => s.code === code && s.kind === 'seminar'), JSON.stringify(sessions.json));
    await w.check(admin, 'organisation-plan', 'sv');

    // ---- the details of an action change in a form of their own; a wrong quarter is explained there
    const survey = plan.getByRole('listitem').filter({ has: admin.getByRole('heading', { name: 'Kartlägg behoven' }) });
    await survey.getByText('Ändra uppgifterna').click();
    const moved = survey.getByLabel('Kvartal (valfritt)');
    await moved.fill('Q3');
    await survey.getByRole('button', { name: 'Spara ändringarna' }).click();
    await survey.getByText('Skriv ett kvartal som 2027-Q2.').waitFor();
    assert.equal(await moved.getAttribute('aria-invalid'), 'true');
    await moved.fill('2027-q3');
    await survey.getByRole('button', { name: 'Spara ändringarna' }).click();
    await admin.getByRole('status').getByText('Ändringarna av ”Kartlägg behoven” är sparade.').waitFor();
    assert.deepEqual(await plan.locator('.plan-quarter > h3').allTextContents(), [
      'Kvartal 2 2027 (1 åtgärd)',
      'Kvartal 3 2027 (1 åtgärd)',
      'Kvartal 4 2027 (1 åtgärd)',
    ]);

    // ---- a viewer reads the trend and the plan, and changes nothing
    const invitation = await api(admin, 'POST', `/api/organisations/${orgId}/invitations`, { role: 'viewer' });
    const viewer = await w.open('desktop', 'viewer', invitation.json.link);
    const account = viewer.getByRole('region', { name: 'Skapa ditt konto' });
    await account.getByLabel('Ditt namn').fill('Vera Läsare');
    await account.getByLabel('E-postadress').fill('vera@exempelby.se');
    await account.getByLabel('Lösenord').fill('veras-lösen-2026');
    await account.getByRole('button', { name: 'Skapa kontot och gå med' }).click();
    await viewer.waitForURL(`${w.server.url}/`);
    await viewer.goto(`${w.server.url}/organisations/${orgId}`);
    const readPlan = viewer.getByRole('region', { name: 'Handlingsplan' });
    await readPlan.getByText('Samtalsledare och administratörer lägger till och ändrar åtgärder.').waitFor();
    await readPlan.getByRole('heading', { name: 'Ta fram en digital strategi' }).waitFor();
    const readTrend = viewer.getByRole('region', { name: 'Utveckling över tid' });
    await readTrend.getByRole('list', { name: 'Avslutade tillfällen, äldst först' }).waitFor();
    assert.equal(await readPlan.getByRole('button').count(), 0, 'no buttons in the plan for a viewer');
    assert.equal(await readPlan.getByRole('region', { name: 'Lägg till en åtgärd' }).count(), 0);
    assert.equal(await readTrend.getByRole('link', { name: /^Samtalsledarvy/ }).count(), 0);
    assert.equal(await readTrend.getByRole('link', { name: /^Rapport/ }).count(), 2);
    // The catalogue library, read only: a version is downloaded, nothing is started, changed or imported.
    const readLibrary = viewer.getByRole('region', { name: 'Katalogbibliotek' });
    await readLibrary.getByRole('listitem', { name: 'Version 2026.2', exact: true }).getByText('importerad av er').waitFor();
    await readLibrary.getByText('Samtalsledare och administratörer importerar, pensionerar och tar bort kataloger.').waitFor();
    assert.equal(await readLibrary.getByRole('button', { name: 'Hämta' }).count(), 2);
    assert.deepEqual(await readLibrary.getByRole('button').allTextContents(), ['Hämta', 'Hämta']);
    assert.equal(await readLibrary.getByRole('region', { name: 'Importera en katalog' }).count(), 0);
    await w.check(viewer, 'organisation-trend-plan', 'viewer');
    await viewer.context().close();

    // ---- a phone's width: the charts shrink, the tables scroll within themselves
    await admin.setViewportSize({ width: 360, height: 740 });
    await w.check(admin, 'organisation-trend-plan', 'phone-360');
    await admin.setViewportSize({ width: 1280, height: 800 });

    // ---- English, and the dark scheme
    await switchLang(admin, 'English');
    await admin.getByRole('region', { name: 'Development over time' }).getByRole('table', { name: 'Leadership: locked level per indicator and occasion' }).waitFor();
    await admin.getByRole('region', { name: 'Action plan' }).getByRole('heading', { name: 'Q3 2027 (1 action)' }).waitFor();
    await w.check(admin, 'organisation-trend-plan', 'en');
    await admin.emulateMedia({ colorScheme: 'dark' });
    await w.check(admin, 'organisation-trend-plan', 'en-dark');
    await admin.emulateMedia({ colorScheme: 'light' });
    await switchLang(admin, 'Svenska');
    w.expectClean();
  }));
