//! An organisation in a real browser, on a server that wants a signed-in member (no
//! --allow-anonymous): the first administrator opens the organisation page from the start page's
//! header, adds two units and invites a facilitator; a second browser opens the invitation link and
//! makes an account; the administrator sees the new facilitator, makes them a viewer (whose start
//! page then has no create buttons), is refused leaving as the last administrator, and removes the
//! member, who is signed out on the next page load. The console's delegate link opens a console in a
//! third browser until the key is changed; revoking it shuts every key link out. A session made
//! without an account is moved into the organisation with its key. The organisation page and the
//! invitation page are checked with axe in Swedish and English and photographed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SIZES, WAIT, setUp, startServer } from './harness.mjs';
import { ADMIN, createAdmin, described, signIn, switchLang } from './staff.mjs';

/** @type {Awaited<ReturnType<typeof setUp>>} */
let w;
before(async () => {
  w = await setUp('organisation', { anonymous: false });
});
after(async () => {
  if (!w) return;
  console.log(w.summary());
  await w.tearDown();
});

const BERIT = { name: 'Berit Samtalsledare', email: 'berit@exempelby.se', password: 'berits-lösen-2026' };

/** The admin's page, kept from the first test for the later ones. */
let admin;
let orgId;
/** The second organisation, made on the phone. */
let kulturId;

test('an admin invites a facilitator, who joins, becomes a viewer and is removed', () =>
  w.guard(async () => {
    // Refused requests (an email taken, a used link, the last admin leaving, a removed member's page) answer 400/401/403/404, which the console reports.
    w.allowConsole.push(/status of 40[0134]/);

    // ---- the first administrator, then the organisation page from the header
    admin = await w.open('desktop', 'admin', '/');
    await createAdmin(admin);
    const header = admin.locator('header');
    await header.getByRole('link', { name: `Organisationen ${ADMIN.organisation}` }).click();
    await admin.waitForURL(/\/organisations\/[\w-]+$/);
    orgId = new URL(admin.url()).pathname.split('/').pop();
    await admin.getByRole('heading', { level: 1, name: ADMIN.organisation }).waitFor();
    await admin.getByText('Din roll: administratör.').waitFor();
    const members = admin.getByRole('region', { name: 'Medlemmar' });
    await members.getByRole('listitem').filter({ hasText: ADMIN.name }).getByText('(du)').waitFor();
    await w.check(admin, 'organisation', 'sv');
    await switchLang(admin, 'English');
    await admin.getByRole('region', { name: 'Members' }).waitFor();
    await w.check(admin, 'organisation', 'en');
    await switchLang(admin, 'Svenska');

    // ---- units: an empty name is explained at its field; two are added
    const units = admin.getByRole('region', { name: 'Verksamhetsområden' });
    await units.getByRole('button', { name: 'Lägg till' }).click();
    const unitField = units.getByLabel('Nytt verksamhetsområde');
    await units.getByText('Skriv verksamhetsområdets namn.').waitFor();
    assert.equal(await unitField.getAttribute('aria-invalid'), 'true');
    assert.match(await described(unitField), /Skriv verksamhetsområdets namn\./);
    for (const name of ['Äldreomsorg', 'IFO']) {
      await unitField.fill(name);
      await unitField.press('Enter');
      await admin.getByRole('status').getByText(`${name} är tillagt.`).waitFor();
      await units.getByRole('listitem').filter({ hasText: name }).waitFor();
      await focused(admin, 'unit-name');
    }
    assert.deepEqual(await units.getByRole('listitem').locator('span').allTextContents(), ['IFO', 'Äldreomsorg']);

    // ---- an invitation link for a facilitator, absolute, with its expiry
    const inviteCard = admin.getByRole('region', { name: 'Bjud in' });
    assert.equal(await inviteCard.getByRole('radio', { name: /Samtalsledare/ }).isChecked(), true);
    await inviteCard.getByRole('button', { name: 'Skapa inbjudningslänk' }).click();
    const linkField = inviteCard.getByLabel('Inbjudningslänk (samtalsledare)');
    await linkField.waitFor();
    const link = await linkField.inputValue();
    assert.match(link, new RegExp(`^${w.server.url}/invite/[0-9a-f]{64}$`));
    await focused(admin, 'invite-link');
    assert.match(await described(linkField), /Fungerar en gång, till /);
    await admin.getByRole('status').getByText(/Inbjudningslänken är skapad\. Den gäller till /).waitFor();
    await inviteCard.getByRole('button', { name: 'Kopiera länken' }).click();
    await inviteCard.getByRole('status').getByText(/Länken är kopierad\.|Kunde inte kopiera/).waitFor();
    await w.check(admin, 'organisation', 'invitation');

    // ---- a second browser opens the link and makes an account
    const berit = await w.open('desktop', 'berit', new URL(link).pathname);
    const invited = `Du är inbjuden till ${ADMIN.organisation} som samtalsledare`;
    await berit.getByRole('heading', { level: 1, name: invited }).waitFor();
    const create = berit.getByRole('region', { name: 'Skapa ditt konto' });
    await w.check(berit, 'invitation', 'sv');
    await switchLang(berit, 'English');
    await berit.getByRole('heading', { level: 1, name: `You are invited to ${ADMIN.organisation} as facilitator` }).waitFor();
    await w.check(berit, 'invitation', 'en');
    await switchLang(berit, 'Svenska');
    // The sign-in link comes back here.
    assert.equal(
      await create.getByRole('link', { name: 'Jag har redan ett konto – logga in' }).getAttribute('href'),
      `/?signin&next=${encodeURIComponent(new URL(link).pathname)}`,
    );
    // The setup form's rules, beside their fields, the first wrong one focused.
    await create.getByLabel('E-postadress').fill('berit');
    await create.getByLabel('Lösenord').fill('kort');
    await create.getByRole('button', { name: 'Skapa kontot och gå med' }).click();
    await create.getByText('Skriv ditt namn.').waitFor();
    await create.getByText('Skriv en e-postadress som namn@exempel.se.').waitFor();
    await create.getByText('Lösenordet behöver minst 8 tecken.').waitFor();
    await focused(berit, 'invite-name');
    assert.match(await described(create.getByLabel('Lösenord')), /Lösenordet behöver minst 8 tecken\./);
    await w.check(berit, 'invitation', 'invalid');
    // An email that has an account already is refused at the email field.
    await create.getByLabel('Ditt namn').fill(BERIT.name);
    await create.getByLabel('E-postadress').fill(ADMIN.email);
    await create.getByLabel('Lösenord').fill(BERIT.password);
    await create.getByRole('button', { name: 'Skapa kontot och gå med' }).click();
    await create.getByText('Det finns redan ett konto med den e-postadressen. Logga in i stället.').waitFor();
    await focused(berit, 'invite-email');
    await create.getByLabel('E-postadress').fill(BERIT.email);
    await create.getByRole('button', { name: 'Skapa kontot och gå med' }).click();
    await berit.waitForURL(`${w.server.url}/`);
    await berit.getByRole('status').getByText(`Välkommen! Du är nu med i ${ADMIN.organisation}.`).waitFor();
    await berit.locator('header').getByText(BERIT.name).waitFor();
    await berit.getByRole('button', { name: 'Starta workshop' }).waitFor();

    // ---- the link worked once
    const again = await w.open('desktop', 'again', new URL(link).pathname);
    await again.getByRole('heading', { level: 1, name: 'Inbjudan fungerar inte' }).waitFor();
    await again.getByText('Inbjudningslänken fungerar inte: den är redan använd eller för gammal.').waitFor();
    await w.check(again, 'invitation', 'used');
    await again.context().close();

    // ---- the admin sees the facilitator and makes them a viewer
    await admin.reload();
    const row = members.getByRole('listitem').filter({ hasText: BERIT.name });
    const role = row.getByRole('combobox', { name: `Roll för ${BERIT.name}` });
    assert.equal(await role.inputValue(), 'facilitator');
    await role.selectOption('viewer');
    await admin.getByRole('status').getByText(`${BERIT.name} är nu läsare.`).waitFor();
    assert.equal(await role.inputValue(), 'viewer');

    // ---- the viewer's start page has no create buttons, and the organisation page reads only
    await berit.reload();
    await berit.getByText(`Du har läsbehörighet i ${ADMIN.organisation}`, { exact: false }).waitFor();
    assert.equal(await berit.getByRole('button', { name: 'Starta workshop' }).count(), 0);
    assert.equal(await berit.getByRole('button', { name: 'Bygg ett seminarium' }).count(), 0);
    await berit.locator('header').getByRole('link', { name: `Organisationen ${ADMIN.organisation}` }).click();
    await berit.getByRole('heading', { level: 1, name: ADMIN.organisation }).waitFor();
    await berit.getByText('Din roll: läsare.', { exact: false }).waitFor();
    const beritMembers = berit.getByRole('region', { name: 'Medlemmar' });
    await beritMembers.getByRole('listitem').filter({ hasText: ADMIN.name }).getByText('Administratör', { exact: true }).waitFor();
    // No role to change (the history's unit filter is the one select a viewer has).
    assert.equal(await beritMembers.getByRole('combobox').count(), 0);
    assert.deepEqual(await berit.getByRole('combobox').evaluateAll((all) => all.map((el) => el.id)), ['trend-unit']);
    assert.equal(await berit.getByRole('region', { name: 'Bjud in' }).count(), 0);
    assert.equal(await berit.getByRole('button', { name: /^Ta bort/ }).count(), 0);
    await berit.getByRole('region', { name: 'Verksamhetsområden' }).getByText('Äldreomsorg', { exact: true }).waitFor();
    await w.check(berit, 'organisation', 'viewer');

    // ---- the last admin can neither leave nor become a viewer: the server's rule is shown
    await admin.getByRole('button', { name: 'Lämna organisationen…' }).click();
    await admin.getByRole('button', { name: `Lämna ${ADMIN.organisation}` }).click();
    const lastAdmin = 'En organisation behöver minst en administratör. Gör någon annan till administratör först.';
    await admin.getByRole('region', { name: 'Lämna organisationen' }).getByRole('alert').getByText(lastAdmin).waitFor();
    await focused(admin, 'leave-open');
    const own = members.getByRole('listitem').filter({ hasText: ADMIN.name }).getByRole('combobox');
    await own.selectOption('viewer');
    await members.getByRole('listitem').filter({ hasText: ADMIN.name }).getByRole('alert').getByText(lastAdmin).waitFor();
    assert.equal(await own.inputValue(), 'admin');
    assert.equal(await own.getAttribute('aria-invalid'), 'true');

    // ---- the admin removes the member, after a confirm step
    await row.getByRole('button', { name: 'Ta bort…' }).click();
    await admin.waitForFunction(() => document.activeElement?.id?.endsWith('-confirm'));
    await row.getByText(`Ta bort ${BERIT.name} ur organisationen?`, { exact: false }).waitFor();
    await w.check(admin, 'organisation', 'confirm-remove');
    await row.getByRole('button', { name: 'Avbryt' }).click();
    await row.getByRole('button', { name: 'Ta bort…' }).click();
    await row.getByRole('button', { name: `Ta bort ${BERIT.name}`, exact: true }).click();
    await admin.getByRole('status').getByText(`${BERIT.name} är borttagen ur organisationen.`).waitFor();
    assert.equal(await members.getByText(BERIT.name).count(), 0);
    await focused(admin, 'members-title');

    // ---- the removed person's next page load shows them signed out
    await berit.reload();
    await berit.getByRole('link', { name: 'Logga in' }).waitFor();
    await berit.getByText('Logga in för att se organisationen.').waitFor();
    await berit.goto(`${w.server.url}/`);
    await berit.getByRole('region', { name: 'Logga in' }).waitFor();
    assert.equal(await berit.locator('header').getByText(BERIT.name).count(), 0);

    w.expectClean();
  }));

test('a member of the organisation delegates the console by its key link, changes the key and revokes it', () =>
  w.guard(async () => {
    // The old key is refused (403), and the claim probe of a keyed console answers 403 for a stranger.
    w.allowConsole.push(/status of 40[13]/, /WebSocket/);
    await admin.goto(`${w.server.url}/`);
    await admin.getByLabel('Titel (valfri)').fill('Delegerad workshop');
    await admin.getByRole('button', { name: 'Starta workshop' }).click();
    await admin.waitForURL(/\/facilitate\/\d{6}$/);
    const code = new URL(admin.url()).pathname.split('/').pop();
    await admin.getByRole('heading', { level: 1, name: 'Delegerad workshop' }).waitFor();

    // ---- the disclosure is folded away; the key link is fetched only on request
    const aside = admin.getByRole('complementary');
    await aside.getByText('Delegera').click();
    await aside.getByRole('button', { name: 'Visa länken med nyckel' }).click();
    const keyField = aside.getByLabel('Länk med nyckel');
    await keyField.waitFor();
    const first = await keyField.inputValue();
    assert.match(first, new RegExp(`^${w.server.url}/facilitate/${code}#key=[0-9a-f]{64}$`));
    await w.check(admin, 'facilitator-delegate', 'shown');

    // ---- the shortcuts still work: O opens the voting of the selected item once focus leaves the panel
    await admin.locator('article.detail').getByRole('heading').first().click();
    await admin.keyboard.press('o');
    await admin.locator('article.detail').getByRole('button', { name: /^Stäng röstning/ }).waitFor();

    // ---- someone without an account opens the delegate link: a console
    const helper = await w.open('desktop', 'delegate', `/facilitate/${code}#key=${first.split('#key=')[1]}`);
    await helper.getByRole('heading', { level: 1, name: 'Delegerad workshop' }).waitFor();
    assert.equal(await helper.getByText('Delegera', { exact: true }).count(), 0);

    // ---- "Change the key": confirm, then the old link is refused, the open console too
    await aside.getByRole('button', { name: 'Byt nyckel…' }).click();
    await aside.getByText('Byta nyckel? Den gamla länken slutar fungera', { exact: false }).waitFor();
    await focused(admin, 'key-confirm');
    await w.check(admin, 'facilitator-delegate', 'confirm-rotate');
    await aside.getByRole('button', { name: 'Byt nyckel', exact: true }).click();
    await aside.getByRole('status').getByText('Nyckeln är bytt. Den gamla länken fungerar inte längre.').waitFor();
    const second = await keyField.inputValue();
    assert.notEqual(second, first);
    await helper.getByRole('heading', { level: 1, name: 'Ingen åtkomst' }).waitFor({ timeout: WAIT * 2 });
    await helper.goto('about:blank');
    await helper.goto(first.replace(w.server.url, w.server.url));
    await helper.getByRole('heading', { level: 1, name: 'Ingen åtkomst' }).waitFor();
    // The new link works.
    await helper.goto('about:blank');
    await helper.goto(second);
    await helper.getByRole('heading', { level: 1, name: 'Delegerad workshop' }).waitFor();
    // The member's own console carries on.
    await admin.getByRole('heading', { level: 1, name: 'Delegerad workshop' }).waitFor();

    // ---- "Revoke the key": no key link works; the member still opens the console
    await aside.getByRole('button', { name: 'Återkalla nyckeln…' }).click();
    await aside.getByRole('button', { name: 'Återkalla nyckeln', exact: true }).click();
    await aside.getByRole('status').getByText(/Nyckeln är återkallad\./).waitFor();
    await aside.getByRole('button', { name: 'Skapa en ny länk' }).waitFor();
    assert.equal(await aside.getByLabel('Länk med nyckel').count(), 0);
    await helper.getByRole('heading', { level: 1, name: 'Ingen åtkomst' }).waitFor({ timeout: WAIT * 2 });
    await admin.reload();
    await admin.getByRole('heading', { level: 1, name: 'Delegerad workshop' }).waitFor();
    await admin.getByRole('complementary').getByText('Delegera').click();
    await admin.getByRole('complementary').getByRole('button', { name: 'Visa länken med nyckel' }).click();
    await admin.getByRole('complementary').getByRole('button', { name: 'Skapa en ny länk' }).waitFor();
    await w.check(admin, 'facilitator-delegate', 'revoked');
    await helper.context().close();
    w.expectClean();
  }));

test('a session made without an account is moved into the organisation with its key', () =>
  w.guard(async () => {
    w.allowConsole.push(/status of 403/);
    const quick = await startServer();
    try {
      const setup = await fetch(`${quick.url}/api/setup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      assert.equal(setup.status, 201);
      const made = await (
        await fetch(`${quick.url}/api/sessions`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ catalogue: 'lika', title: 'Utan konto' }),
        })
      ).json();
      const context = await w.browser.newContext({ viewport: SIZES.desktop, locale: 'sv-SE' });
      context.setDefaultTimeout(WAIT);
      try {
        const page = await context.newPage();
        await page.goto(`${quick.url}/?signin`);
        await signIn(page, ADMIN);
        await page.locator('header').getByRole('button', { name: 'Logga ut' }).waitFor();
        await page.goto(`${quick.url}${made.links.facilitator}`);
        await page.getByRole('heading', { level: 1, name: 'Utan konto' }).waitFor();
        const aside = page.getByRole('complementary');
        assert.equal(await aside.getByText('Delegera').count(), 0);
        await aside.getByText('Flytta till en organisation').click();
        await w.axeViolations(page);
        await aside.getByRole('button', { name: `Flytta till ${ADMIN.organisation}` }).click();
        await aside.getByRole('status').getByText(`Sessionen hör nu till ${ADMIN.organisation}.`).waitFor();
        // The organisation lists it now, and its console opens without the key.
        const me = await (await context.request.get(`${quick.url}/api/me`)).json();
        const list = await (await context.request.get(`${quick.url}/api/organisations/${me.organisations[0].id}/sessions`)).json();
        assert.deepEqual(
          list.map((s) => s.code),
          [made.code],
        );
        await page.goto(`${quick.url}/facilitate/${made.code}`);
        await page.getByRole('heading', { level: 1, name: 'Utan konto' }).waitFor();
        // Once it is the organisation's, a keyed console offers no claim.
        await page.goto(`${quick.url}${made.links.facilitator}`);
        await page.getByRole('heading', { level: 1, name: 'Utan konto' }).waitFor();
        await page.waitForTimeout(500);
        assert.equal(await page.getByText('Flytta till en organisation').count(), 0);
      } finally {
        await context.close();
      }
    } finally {
      await quick.stop();
    }
    w.expectClean();
  }));

test('the organisation page fits a phone, and a new organisation can be made', () =>
  w.guard(async () => {
    const cookies = await w.contexts[0].cookies();
    const context = await w.context('phone', 'phone-org');
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto(`${w.server.url}/organisation`);
    await page.waitForURL(new RegExp(`/organisations/${orgId}$`));
    await page.getByRole('heading', { level: 1, name: ADMIN.organisation }).waitFor();
    await w.check(page, 'organisation', 'phone');
    // The device's dark scheme keeps every pair readable.
    await page.emulateMedia({ colorScheme: 'dark' });
    await w.check(page, 'organisation', 'phone-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    const fresh = page.getByRole('region', { name: 'Ny organisation' });
    await fresh.getByLabel('Den nya organisationens namn').fill('Exempelby kommun, kultur');
    await fresh.getByRole('button', { name: 'Skapa organisationen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Exempelby kommun, kultur' }).waitFor();
    await page.getByRole('status').getByText('Exempelby kommun, kultur är skapad. Du är dess administratör.').waitFor();
    kulturId = new URL(page.url()).pathname.split('/').pop();
    assert.notEqual(kulturId, orgId);
    // Two organisations now: the other is one choice away.
    const other = page.getByRole('region', { name: 'Organisation' });
    await other.getByLabel('Visa en annan organisation').selectOption({ label: ADMIN.organisation });
    await other.getByRole('button', { name: 'Visa' }).click();
    await page.getByRole('heading', { level: 1, name: ADMIN.organisation }).waitFor();
    w.expectClean();
  }));

test('someone with an account signs in from an invitation and joins with one button', () =>
  w.guard(async () => {
    w.allowConsole.push(/status of 401/);
    const CECILIA = { name: 'Cecilia Ny', email: 'cecilia@exempelby.se', password: 'cecilias-lösen-26' };
    const inviteLink = async (id, role) => {
      await admin.goto(`${w.server.url}/organisations/${id}`);
      const card = admin.getByRole('region', { name: 'Bjud in' });
      await card.getByRole('radio', { name: new RegExp(role) }).check();
      await card.getByRole('button', { name: 'Skapa inbjudningslänk' }).click();
      return new URL(await card.getByRole('textbox').inputValue()).pathname;
    };
    const toSocial = await inviteLink(orgId, 'Samtalsledare');
    const toCulture = await inviteLink(kulturId, 'Läsare');

    // ---- an account from the first link, then signed out
    const page = await w.open('desktop', 'cecilia', toSocial);
    const create = page.getByRole('region', { name: 'Skapa ditt konto' });
    await create.getByLabel('Ditt namn').fill(CECILIA.name);
    await create.getByLabel('E-postadress').fill(CECILIA.email);
    await create.getByLabel('Lösenord').fill(CECILIA.password);
    await create.getByRole('button', { name: 'Skapa kontot och gå med' }).click();
    await page.getByRole('status').getByText(`Välkommen! Du är nu med i ${ADMIN.organisation}.`).waitFor();
    await page.locator('header').getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('region', { name: 'Logga in' }).waitFor();

    // ---- the second link: "I already have an account" signs in and comes back
    await page.goto(`${w.server.url}${toCulture}`);
    await page.getByRole('link', { name: 'Jag har redan ett konto – logga in' }).click();
    await signIn(page, CECILIA);
    await page.waitForURL(`${w.server.url}${toCulture}`);
    await page.getByRole('heading', { level: 1, name: 'Du är inbjuden till Exempelby kommun, kultur som läsare' }).waitFor();
    await page.getByText(`Du är inloggad som ${CECILIA.name} (${CECILIA.email}).`).waitFor();
    await w.check(page, 'invitation', 'signed-in');
    await page.getByRole('button', { name: 'Gå med', exact: true }).click();

    // ---- the start page, with that organisation chosen
    await page.waitForURL(`${w.server.url}/`);
    await page.getByRole('status').getByText('Välkommen! Du är nu med i Exempelby kommun, kultur.').waitFor();
    assert.equal(await page.locator('header').getByLabel('Organisation').inputValue(), kulturId);
    await page.getByText('Du har läsbehörighet i Exempelby kommun, kultur', { exact: false }).waitFor();
    await page.locator('header').getByRole('link', { name: 'Organisationen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Exempelby kommun, kultur' }).waitFor();

    // ---- a link into an organisation one is in already says that it keeps one's role
    const demote = await inviteLink(orgId, 'Läsare');
    await page.goto(`${w.server.url}${demote}`);
    const warning = `Du är redan med i ${ADMIN.organisation} som samtalsledare. Din roll ändras inte av länken; en administratör kan ändra den.`;
    await page.getByText(warning).waitFor();
    assert.match(await described(page.getByRole('button', { name: 'Gå med', exact: true })), new RegExp(warning.replace(/\./g, '\\.')));
    w.expectClean();
  }));

/** Waits until the element with `id` has the focus (focus moves after the next render). */
function focused(page, id) {
  return page.waitForFunction((want) => document.activeElement?.id === want, id, { timeout: 2_000 });
}
