//! UI texts of accounts and organisations (the start page's sign-in and the console without a
//! key), in Swedish and English.

import type { Dict, Params } from './i18n';

/** "30 sekunder" or "2 minuter": the wait of a rate limit, rounded up to whole minutes past 90 s. */
const wait = (sv: boolean) => (p: Params) => {
  const s = Math.max(1, Number(p.seconds) || 0);
  if (s <= 90) return sv ? `${s} ${s === 1 ? 'sekund' : 'sekunder'}` : `${s} ${s === 1 ? 'second' : 'seconds'}`;
  const m = Math.ceil(s / 60);
  return sv ? `${m} ${m === 1 ? 'minut' : 'minuter'}` : `${m} ${m === 1 ? 'minute' : 'minutes'}`;
};

export const acc = {
  loading: { sv: 'Hämtar…', en: 'Loading…' },
  // ---- the administrator of a new server
  setupTitle: { sv: 'Skapa administratören', en: 'Create the administrator' },
  setupLead: {
    sv: 'Servern är ny och har inga konton än. Den som skapar administratören loggas in direkt och kan starta en workshop.',
    en: 'The server is new and has no accounts yet. Whoever creates the administrator is signed in at once and can start a workshop.',
  },
  setupOffer: {
    sv: 'Servern har inga konton än. Med konton sparas sessionerna hos servern, för hela organisationen, och samtalsledarvyn öppnas utan hemlig länk.',
    en: 'The server has no accounts yet. With accounts, sessions are kept on the server for the whole organisation, and the console opens without a secret link.',
  },
  accountsTitle: { sv: 'Konton', en: 'Accounts' },
  name: { sv: 'Ditt namn', en: 'Your name' },
  email: { sv: 'E-postadress', en: 'Email address' },
  password: { sv: 'Lösenord', en: 'Password' },
  passwordRule: { sv: 'Minst 8 tecken.', en: 'At least 8 characters.' },
  organisation: { sv: 'Organisationens namn', en: "The organisation's name" },
  organisationHelp: {
    sv: 'Till exempel ”Exempelby kommun, socialförvaltningen”.',
    en: 'For example “Exempelby kommun, socialförvaltningen”.',
  },
  setupButton: { sv: 'Skapa administratören', en: 'Create the administrator' },
  settingUp: { sv: 'Skapar…', en: 'Creating…' },
  cancel: { sv: 'Avbryt', en: 'Cancel' },
  missing_name: { sv: 'Skriv ditt namn.', en: 'Enter your name.' },
  missing_email: { sv: 'Skriv din e-postadress.', en: 'Enter your email address.' },
  email_email: { sv: 'Skriv en e-postadress som namn@exempel.se.', en: 'Enter an email address such as name@example.com.' },
  missing_password: { sv: 'Skriv ett lösenord.', en: 'Enter a password.' },
  short_password: { sv: 'Lösenordet behöver minst 8 tecken.', en: 'The password needs at least 8 characters.' },
  missing_organisation: { sv: 'Skriv organisationens namn.', en: "Enter the organisation's name." },
  invalid_name: { sv: 'Servern tog inte emot namnet.', en: 'The server did not accept the name.' },
  invalid_email: { sv: 'Servern tog inte emot e-postadressen.', en: 'The server did not accept the email address.' },
  invalid_password: { sv: 'Servern tog inte emot lösenordet. Det behöver minst 8 tecken.', en: 'The server did not accept the password. It needs at least 8 characters.' },
  invalid_organisation: { sv: 'Servern tog inte emot organisationens namn.', en: "The server did not accept the organisation's name." },
  setupDone: {
    sv: 'Administratören är redan skapad. Logga in i stället.',
    en: 'The administrator has already been created. Sign in instead.',
  },
  setupRemote: {
    sv: 'Administratören skapas från serverns egen dator (öppna Samsyn där) eller med kommandot samsyn admin create-user.',
    en: 'The administrator is created from the server’s own machine (open Samsyn there) or with the command samsyn admin create-user.',
  },
  setupFailed: { sv: 'Administratören skapades inte.', en: 'The administrator was not created.' },
  // ---- signing in and out
  signInTitle: { sv: 'Logga in', en: 'Sign in' },
  signInLead: {
    sv: 'För dig som leder sessioner. Deltagare behöver inget konto – de går med med koden.',
    en: 'For those who run sessions. Participants need no account – they join with the code.',
  },
  signInButton: { sv: 'Logga in', en: 'Sign in' },
  signingIn: { sv: 'Loggar in…', en: 'Signing in…' },
  wrongPassword: {
    sv: 'Fel e-postadress eller lösenord. Kontrollera båda och försök igen.',
    en: 'Wrong email address or password. Check both and try again.',
  },
  rateLimited: {
    sv: (p: Params) => `För många försök. Vänta ${wait(true)(p)} och försök igen.`,
    en: (p: Params) => `Too many attempts. Wait ${wait(false)(p)} and try again.`,
  },
  rateLimitedPlain: {
    sv: 'För många försök. Vänta en stund och försök igen.',
    en: 'Too many attempts. Wait a while and try again.',
  },
  signInFailed: { sv: 'Inloggningen misslyckades.', en: 'Signing in failed.' },
  signInOffer: { sv: 'Logga in', en: 'Sign in' },
  signOut: { sv: 'Logga ut', en: 'Sign out' },
  signedOut: { sv: 'Du är utloggad.', en: 'You are signed out.' },
  signOutFailed: { sv: 'Utloggningen misslyckades. Försök igen.', en: 'Signing out failed. Try again.' },
  welcome: { sv: 'Inloggad som {name}.', en: 'Signed in as {name}.' },
  signedInAs: { sv: 'Inloggad: {name}', en: 'Signed in: {name}' },
  networkFailed: { sv: 'Ingen kontakt med servern. Försök igen.', en: 'No contact with the server. Try again.' },
  // ---- the organisation and its sessions
  organisationPick: { sv: 'Organisation', en: 'Organisation' },
  noOrganisation: {
    sv: 'Ditt konto hör inte till någon organisation än. Be en administratör att lägga till dig.',
    en: 'Your account belongs to no organisation yet. Ask an administrator to add you.',
  },
  viewerNote: {
    sv: 'Du har läsbehörighet i {org}: du ser organisationens sessioner men kan inte starta eller leda dem.',
    en: 'You have read access in {org}: you see the organisation’s sessions but cannot start or run them.',
  },
  orgSessions: { sv: 'Sessioner i {org}', en: 'Sessions in {org}' },
  orgSessionsHelp: {
    sv: 'Alla sessioner i organisationen. Samtalsledarvyn öppnas med ditt konto – ingen hemlig länk behövs.',
    en: 'Every session of the organisation. The console opens with your account – no secret link needed.',
  },
  loadingSessions: { sv: 'Hämtar sessionerna…', en: 'Loading the sessions…' },
  sessionsFailed: { sv: 'Kunde inte hämta sessionerna.', en: 'Could not load the sessions.' },
  retry: { sv: 'Försök igen', en: 'Try again' },
  noOrgSessions: { sv: 'Inga sessioner än.', en: 'No sessions yet.' },
  kind_workshop: { sv: 'Workshop', en: 'Workshop' },
  kind_seminar: { sv: 'Seminarium', en: 'Seminar' },
  savedHere: { sv: 'Sparade i den här webbläsaren', en: 'Saved in this browser' },
  savedHereHelp: {
    sv: 'Sessioner som startades utan konto i den här webbläsaren. De öppnas med sin hemliga länk.',
    en: 'Sessions started without an account in this browser. They open with their secret link.',
  },
  // ---- the console without a key
  consoleSignIn: {
    sv: 'Logga in med ett konto i sessionens organisation för att leda den, eller öppna den fullständiga länken som slutar med #key=… och som du fick när sessionen skapades.',
    en: 'Sign in with an account of the session’s organisation to run it, or open the full link ending in #key=… that you got when the session was created.',
  },
  consoleForbidden: {
    sv: 'Du är inloggad som {name}, men ditt konto får inte leda den här sessionen: den hör till en annan organisation eller skapades utan konto, eller så har du bara läsbehörighet. Öppna länken med nyckeln (#key=…), eller logga in med ett annat konto.',
    en: 'You are signed in as {name}, but your account may not run this session: it belongs to another organisation or was created without an account, or you only have read access. Open the link with the key (#key=…), or sign in with another account.',
  },
  signInOther: { sv: 'Logga in med ett annat konto', en: 'Sign in with another account' },
  // ---- OpenID Connect
  oidcButton: { sv: 'Logga in med {name}', en: 'Sign in with {name}' },
  oidcOr: { sv: 'eller med e-post och lösenord', en: 'or with email and password' },
  oidcFirstRun: {
    sv: 'Den som först loggar in med {name} blir administratör för en ny organisation.',
    en: 'The first person to sign in with {name} becomes the administrator of a new organisation.',
  },
  oidc_provider_unreachable: {
    sv: 'Inloggningstjänsten svarar inte just nu. Försök igen om en stund, eller kontakta den som sköter servern.',
    en: 'The sign-in service does not answer right now. Try again in a while, or contact whoever runs the server.',
  },
  oidc_provider_refused: {
    sv: 'Inloggningstjänsten avbröt inloggningen. Försök igen.',
    en: 'The sign-in service cancelled the sign-in. Try again.',
  },
  oidc_expired: {
    sv: 'Inloggningen tog för lång tid eller gjordes redan. Börja om.',
    en: 'The sign-in took too long or was already used. Start again.',
  },
  oidc_code_refused: {
    sv: 'Inloggningstjänsten godtog inte inloggningen: den hade gått ut eller använts redan. Börja om.',
    en: 'The sign-in service did not accept the sign-in: it had expired or was already used. Start again.',
  },
  oidc_wrong_audience: {
    sv: 'Inloggningen var utfärdad till en annan tillämpning än den här servern. Den som sköter servern behöver kontrollera klient-id:t (--oidc-client-id).',
    en: 'The sign-in was issued to another application than this server. Whoever runs the server needs to check the client id (--oidc-client-id).',
  },
  oidc_invalid_token: {
    sv: 'Inloggningen kunde inte kontrolleras och godtogs inte. Försök igen.',
    en: 'The sign-in could not be verified and was not accepted. Try again.',
  },
} satisfies Dict;
