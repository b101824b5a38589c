//! UI texts of the organisation page, the invitation page and the console's key panel, in
//! Swedish and English.

import type { Dict, Msg, Params } from './i18n';
import type { Role } from './account';

export const org = {
  // ---- roles
  role_admin: { sv: 'Administratör', en: 'Administrator' },
  role_facilitator: { sv: 'Samtalsledare', en: 'Facilitator' },
  role_viewer: { sv: 'Läsare', en: 'Viewer' },
  roleHelp_admin: { sv: 'hanterar medlemmar och inställningar, leder sessioner', en: 'manages members and settings, runs sessions' },
  roleHelp_facilitator: { sv: 'startar och leder sessioner, importerar kataloger', en: 'starts and runs sessions, imports catalogues' },
  roleHelp_viewer: { sv: 'läser resultat och historik', en: 'reads results and history' },
  // ---- the page
  pageTitle: { sv: 'Organisation', en: 'Organisation' },
  docTitle: { sv: '{org} – Samsyn', en: '{org} – Samsyn' },
  toStart: { sv: 'Till startsidan', en: 'To the start page' },
  yourRole: { sv: 'Din roll: {role}.', en: 'Your role: {role}.' },
  readOnly: {
    sv: 'Bara administratörer ändrar namn, verksamhetsområden och medlemmar.',
    en: 'Only administrators change the name, the units and the members.',
  },
  loading: { sv: 'Hämtar organisationen…', en: 'Loading the organisation…' },
  loadFailed: { sv: 'Kunde inte hämta organisationen.', en: 'Could not load the organisation.' },
  notMember: {
    sv: 'Du är inte medlem i den här organisationen, eller så finns den inte.',
    en: 'You are not a member of this organisation, or it does not exist.',
  },
  signInFirst: { sv: 'Logga in för att se organisationen.', en: 'Sign in to see the organisation.' },
  noOrganisation: {
    sv: 'Ditt konto hör inte till någon organisation än. Be en administratör om en inbjudningslänk, eller skapa en ny organisation.',
    en: 'Your account belongs to no organisation yet. Ask an administrator for an invitation link, or create a new organisation.',
  },
  otherOrganisation: { sv: 'Visa en annan organisation', en: 'Show another organisation' },
  show: { sv: 'Visa', en: 'Show' },
  // ---- name
  nameTitle: { sv: 'Namn', en: 'Name' },
  nameLabel: { sv: 'Organisationens namn', en: "The organisation's name" },
  rename: { sv: 'Spara namnet', en: 'Save the name' },
  renamed: { sv: 'Organisationen heter nu {name}.', en: 'The organisation is now called {name}.' },
  renameFailed: { sv: 'Namnet sparades inte.', en: 'The name was not saved.' },
  missingName: { sv: 'Skriv ett namn.', en: 'Enter a name.' },
  // ---- units
  unitsTitle: { sv: 'Verksamhetsområden', en: 'Units' },
  unitsHelp: {
    sv: 'Till exempel Äldreomsorg, IFO och Funktionsnedsättning. Varje tillfälle kan höra till ett verksamhetsområde.',
    en: 'For example elderly care, individual and family care, and disability. Each occasion can belong to a unit.',
  },
  noUnits: { sv: 'Inga verksamhetsområden än.', en: 'No units yet.' },
  unitLabel: { sv: 'Nytt verksamhetsområde', en: 'New unit' },
  addUnit: { sv: 'Lägg till', en: 'Add' },
  unitAdded: { sv: '{name} är tillagt.', en: '{name} was added.' },
  unitAddFailed: { sv: 'Verksamhetsområdet lades inte till.', en: 'The unit was not added.' },
  missingUnit: { sv: 'Skriv verksamhetsområdets namn.', en: "Enter the unit's name." },
  removeUnit: { sv: 'Ta bort', en: 'Remove' },
  removeUnitLabel: { sv: 'Ta bort {name}', en: 'Remove {name}' },
  unitRemoved: { sv: '{name} är borttaget.', en: '{name} was removed.' },
  unitRemoveFailed: { sv: '{name} togs inte bort.', en: '{name} was not removed.' },
  // ---- members
  membersTitle: { sv: 'Medlemmar', en: 'Members' },
  membersCount: {
    sv: (p: Params) => `${p.n} ${Number(p.n) === 1 ? 'medlem' : 'medlemmar'}`,
    en: (p: Params) => `${p.n} ${Number(p.n) === 1 ? 'member' : 'members'}`,
  },
  colName: { sv: 'Namn', en: 'Name' },
  colEmail: { sv: 'E-post', en: 'Email' },
  colRole: { sv: 'Roll', en: 'Role' },
  colActions: { sv: 'Åtgärder', en: 'Actions' },
  you: { sv: '(du)', en: '(you)' },
  roleFor: { sv: 'Roll för {name}', en: 'Role of {name}' },
  roleChanged: { sv: '{name} är nu {role}.', en: '{name} is now {role}.' },
  roleFailed: { sv: 'Rollen ändrades inte.', en: 'The role was not changed.' },
  lastAdmin: {
    sv: 'En organisation behöver minst en administratör. Gör någon annan till administratör först.',
    en: 'An organisation keeps at least one administrator. Make someone else administrator first.',
  },
  remove: { sv: 'Ta bort…', en: 'Remove…' },
  removeConfirm: {
    sv: 'Ta bort {name} ur organisationen? Resultaten finns kvar. Hör personen inte till någon annan organisation tas kontot bort, med namn och e-post.',
    en: 'Remove {name} from the organisation? The results stay. If the person belongs to no other organisation, the account goes, with name and email.',
  },
  removeYes: { sv: 'Ta bort {name}', en: 'Remove {name}' },
  cancel: { sv: 'Avbryt', en: 'Cancel' },
  removed: { sv: '{name} är borttagen ur organisationen.', en: '{name} was removed from the organisation.' },
  removeFailed: { sv: '{name} togs inte bort.', en: '{name} was not removed.' },
  // ---- leaving
  leaveTitle: { sv: 'Lämna organisationen', en: 'Leave the organisation' },
  leaveHelp: {
    sv: 'Du förlorar tillgången till organisationens sessioner. Hör du inte till någon annan organisation tas ditt konto bort.',
    en: 'You lose access to the organisation’s sessions. If you belong to no other organisation, your account is deleted.',
  },
  leave: { sv: 'Lämna organisationen…', en: 'Leave the organisation…' },
  leaveConfirm: { sv: 'Vill du lämna {org}?', en: 'Do you want to leave {org}?' },
  leaveYes: { sv: 'Lämna {org}', en: 'Leave {org}' },
  leaveFailed: { sv: 'Du lämnade inte organisationen.', en: 'You did not leave the organisation.' },
  left: { sv: 'Du har lämnat {org}.', en: 'You have left {org}.' },
  // ---- invitations
  inviteTitle: { sv: 'Bjud in', en: 'Invite' },
  inviteHelp: {
    sv: 'Skapa en länk och skicka den till den du vill bjuda in. Länken fungerar en gång, i en vecka.',
    en: 'Create a link and send it to the person you invite. The link works once, for a week.',
  },
  inviteRole: { sv: 'Roll för den inbjudna', en: 'Role of the person invited' },
  inviteButton: { sv: 'Skapa inbjudningslänk', en: 'Create an invitation link' },
  inviting: { sv: 'Skapar…', en: 'Creating…' },
  inviteLink: { sv: 'Inbjudningslänk ({role})', en: 'Invitation link ({role})' },
  inviteExpires: {
    sv: 'Fungerar en gång, till {date}. Skicka den bara till den du bjuder in.',
    en: 'Works once, until {date}. Send it only to the person you invite.',
  },
  inviteCreated: {
    sv: 'Inbjudningslänken är skapad. Den gäller till {date}.',
    en: 'The invitation link was created. It is valid until {date}.',
  },
  inviteFailed: { sv: 'Ingen länk skapades.', en: 'No link was created.' },
  copy: { sv: 'Kopiera länken', en: 'Copy the link' },
  copied: { sv: 'Länken är kopierad.', en: 'The link was copied.' },
  copyFailed: {
    sv: 'Kunde inte kopiera. Länken är markerad – kopiera den med Ctrl+C (⌘C på Mac).',
    en: 'Could not copy. The link is selected – copy it with Ctrl+C (⌘C on a Mac).',
  },
  // ---- a new organisation
  newTitle: { sv: 'Ny organisation', en: 'New organisation' },
  newHelp: {
    sv: 'En ny organisation med dig som administratör. Du kan höra till flera.',
    en: 'A new organisation with you as its administrator. You can belong to several.',
  },
  newLabel: { sv: 'Den nya organisationens namn', en: "The new organisation's name" },
  newButton: { sv: 'Skapa organisationen', en: 'Create the organisation' },
  newFailed: { sv: 'Organisationen skapades inte.', en: 'The organisation was not created.' },
  created: { sv: '{name} är skapad. Du är dess administratör.', en: '{name} was created. You are its administrator.' },
  // ---- the start page
  orgPage: { sv: 'Organisationen', en: 'Organisation' },
  orgPageOf: { sv: 'Organisationen {org}', en: 'The organisation {org}' },
  createOrg: { sv: 'Skapa en organisation', en: 'Create an organisation' },
  joinedNotice: { sv: 'Välkommen! Du är nu med i {org}.', en: 'Welcome! You are now a member of {org}.' },
  leftNotice: { sv: 'Du har lämnat organisationen.', en: 'You have left the organisation.' },
  // ---- the invitation page
  inviteHeading: { sv: 'Inbjudan', en: 'Invitation' },
  inviteDocTitle: { sv: 'Inbjudan – Samsyn', en: 'Invitation – Samsyn' },
  invited: { sv: 'Du är inbjuden till {org} som {role}', en: 'You are invited to {org} as {role}' },
  invitedValid: { sv: 'Länken gäller till {date}.', en: 'The link is valid until {date}.' },
  loadingInvite: { sv: 'Hämtar inbjudan…', en: 'Loading the invitation…' },
  deadTitle: { sv: 'Inbjudan fungerar inte', en: 'The invitation does not work' },
  deadHelp: {
    sv: 'En inbjudningslänk fungerar en gång och i en vecka. Be den som bjöd in dig om en ny länk.',
    en: 'An invitation link works once and for a week. Ask the person who invited you for a new link.',
  },
  inviteLoadFailed: { sv: 'Kunde inte hämta inbjudan.', en: 'Could not load the invitation.' },
  signedInAs: { sv: 'Du är inloggad som {name} ({email}).', en: 'You are signed in as {name} ({email}).' },
  alreadyMember: {
    sv: 'Du är redan med i {org} som {role}. Din roll ändras inte av länken; en administratör kan ändra den.',
    en: 'You are a member of {org} already, as {role}. The link does not change your role; an admin can.',
  },
  join: { sv: 'Gå med', en: 'Join' },
  joining: { sv: 'Går med…', en: 'Joining…' },
  joinFailed: { sv: 'Du gick inte med.', en: 'You did not join.' },
  notYou: { sv: 'Inte du? Logga ut', en: 'Not you? Sign out' },
  createTitle: { sv: 'Skapa ditt konto', en: 'Create your account' },
  createLead: {
    sv: 'Med kontot loggar du in i Samsyn och når organisationens sessioner.',
    en: 'With the account you sign in to Samsyn and reach the organisation’s sessions.',
  },
  createButton: { sv: 'Skapa kontot och gå med', en: 'Create the account and join' },
  haveAccount: { sv: 'Jag har redan ett konto – logga in', en: 'I already have an account – sign in' },
  emailTaken: {
    sv: 'Det finns redan ett konto med den e-postadressen. Logga in i stället.',
    en: 'An account with this email address exists already. Sign in instead.',
  },
  // ---- the console's key panel
  delegate: { sv: 'Delegera', en: 'Delegate link' },
  delegateHelp: {
    sv: 'En länk med sessionens nyckel låter någon utan konto leda sessionen. Dela den bara med den som ska leda.',
    en: 'A link with the session’s key lets someone without an account run the session. Share it only with whoever is to run it.',
  },
  showKey: { sv: 'Visa länken med nyckel', en: 'Show the link with the key' },
  keyLoading: { sv: 'Hämtar…', en: 'Loading…' },
  keyLink: { sv: 'Länk med nyckel', en: 'Link with the key' },
  rotate: { sv: 'Byt nyckel…', en: 'Change the key…' },
  rotateConfirm: {
    sv: 'Byta nyckel? Den gamla länken slutar fungera och samtalsledarvyer som är öppna med den kopplas bort.',
    en: 'Change the key? The old link stops working and consoles open with it are disconnected.',
  },
  rotateYes: { sv: 'Byt nyckel', en: 'Change the key' },
  rotated: { sv: 'Nyckeln är bytt. Den gamla länken fungerar inte längre.', en: 'The key was changed. The old link no longer works.' },
  revoke: { sv: 'Återkalla nyckeln…', en: 'Revoke the key…' },
  revokeConfirm: {
    sv: 'Återkalla nyckeln? Ingen länk med nyckel fungerar längre. Medlemmar öppnar samtalsledarvyn som förut.',
    en: 'Revoke the key? No link with a key works any more. Members open the console as before.',
  },
  revokeYes: { sv: 'Återkalla nyckeln', en: 'Revoke the key' },
  revoked: {
    sv: 'Nyckeln är återkallad. Ingen länk med nyckel fungerar. Skapa en ny länk när du behöver en.',
    en: 'The key was revoked. No link with a key works. Create a new link when you need one.',
  },
  newKey: { sv: 'Skapa en ny länk', en: 'Create a new link' },
  keyFailed: { sv: 'Det gick inte.', en: 'That did not work.' },
  keyUnavailable: {
    sv: 'Servern delar inte sessionens nyckel. Uppdatera Samsyn på servern.',
    en: 'The server does not share the session’s key. Update Samsyn on the server.',
  },
  claimTitle: { sv: 'Flytta till en organisation', en: 'Move to an organisation' },
  claimHelp: {
    sv: 'Sessionen skapades utan konto. Flyttas den till en organisation når alla dess samtalsledare den utan länk. Nyckellänken fungerar som förut.',
    en: 'The session was created without an account. Moved to an organisation, all its facilitators reach it without a link. The key link works as before.',
  },
  claim: { sv: 'Flytta till {org}', en: 'Move to {org}' },
  claimed: { sv: 'Sessionen hör nu till {org}.', en: 'The session now belongs to {org}.' },
  claimFailed: { sv: 'Sessionen flyttades inte.', en: 'The session was not moved.' },
  claimTaken: { sv: 'Sessionen hör redan till en organisation.', en: 'The session belongs to an organisation already.' },
} satisfies Dict;

/** The name of a role, capitalised as in a table ("Samtalsledare"). */
export function roleName(role: Role): Msg {
  return org[`role_${role}`];
}

/** The name of a role inside a sentence ("som samtalsledare", "as facilitator"). */
export function roleWord(lang: 'sv' | 'en', role: Role): string {
  const name = org[`role_${role}`][lang];
  return name.charAt(0).toLowerCase() + name.slice(1);
}
