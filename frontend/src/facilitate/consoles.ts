//! Who else is driving the session: the other open consoles, by name, for the topbar.

/**
 * The other consoles' names, given every open console's name (`''` for a key link's holder) and the
 * person at this one (`null` when not signed in). This console itself is left out once.
 */
export function otherConsoles(consoles: readonly string[], me: string | null, byKey: string): string[] {
  const rest = [...consoles];
  const mine = rest.indexOf(me ?? '');
  if (mine >= 0) rest.splice(mine, 1);
  return rest.map((name) => (name === '' ? byKey : name));
}
