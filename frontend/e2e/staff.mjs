//! Helpers of the suites with staff accounts (accounts.test.mjs, organisation.test.mjs,
//! story.test.mjs): the first administrator, signing in and out, switching the language, reading
//! what a field's aria-describedby says, and a phone's vote on a scale item.

export const ADMIN = {
  name: 'Anna Administratör',
  email: 'anna@exempelby.se',
  password: 'långt-lösen-2026',
  organisation: 'Exempelby kommun, socialförvaltningen',
};

/** Fills the first-run form of the start page and waits until the administrator is signed in. */
export async function createAdmin(page, admin = ADMIN) {
  const setup = page.getByRole('region', { name: 'Skapa administratören' });
  await setup.getByLabel('Ditt namn').fill(admin.name);
  await setup.getByLabel('E-postadress').fill(admin.email);
  await setup.getByLabel('Lösenord').fill(admin.password);
  await setup.getByLabel('Organisationens namn').fill(admin.organisation);
  await setup.getByRole('button', { name: 'Skapa administratören' }).click();
  await page.locator('header').getByRole('button', { name: 'Logga ut' }).waitFor();
}

/** Signs in on the start page's sign-in form (which must be showing). */
export async function signIn(page, who) {
  const form = page.getByRole('region', { name: 'Logga in' });
  await form.getByLabel('E-postadress').fill(who.email);
  await form.getByLabel('Lösenord').fill(who.password);
  await form.getByRole('button', { name: 'Logga in', exact: true }).click();
}

/** Signs out from the start page's header and waits for the sign-in form. */
export async function signOut(page) {
  await page.locator('header').getByRole('button', { name: 'Logga ut' }).click();
  await page.getByRole('region', { name: 'Logga in' }).waitFor();
}

/** A level's button on a phone: "3 – Påbörjad …" (the number is read before the label). */
export function levelButton(phone, n, label) {
  return phone.getByRole('button', { name: new RegExp(`^${n} – ${label(n)}`) });
}

/** A phone taps a level and waits until the server has the vote. */
export async function phoneVote(phone, n, label) {
  await levelButton(phone, n, label).tap();
  await phone.getByRole('status').getByText('Ditt svar är mottaget – du kan ändra det tills röstningen stängs').waitFor();
}

/** Presses the header's language button and waits for the page to speak `to`. */
export async function switchLang(page, to) {
  await page.locator('header').getByRole('button', { name: to }).click();
  await page.waitForFunction((lang) => document.documentElement.lang === lang, to === 'English' ? 'en' : 'sv');
}

/** The text a field's aria-describedby points to. */
export function described(field) {
  return field.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}
