//! Reading the session code and the facilitator key from the page's address.
//! Pure string functions, tested without a browser.

/** The code in `/join/482913`, `/screen/482913` or `/facilitate/482913` (trailing slash allowed). */
export function codeFromPath(pathname: string, prefix: 'join' | 'screen' | 'facilitate'): string | null {
  const match = new RegExp(`^/${prefix}/(\\d{6})/?$`).exec(pathname);
  return match ? match[1] : null;
}

/** The facilitator key in a fragment such as `#key=9f2c…`; null when absent. */
export function keyFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const key = params.get('key');
  return key && key.length > 0 ? key : null;
}
