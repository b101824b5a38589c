//! Handing a link on: copying it to the clipboard (or, where the browser refuses, selecting it
//! for Ctrl+C), and the read-only field with its copy button and status that shows it.

import { useEffect, useRef, useState } from 'preact/hooks';
import { translate as tr, type Lang } from './i18n';
import { org as o } from './orgStrings';

/**
 * Copies `text`: the Clipboard API where the page may use it (https, localhost), else the old
 * copy command on the selected field. Answers whether it worked.
 */
export async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, not a secure context): try the old way.
  }
  // Focus moves to the link only when the browser refused: then it is selected for the person to copy.
  field?.focus();
  field?.select();
  try {
    return field ? document.execCommand('copy') : false;
  } catch {
    return false;
  }
}

/** A link to hand on: shown in a read-only field (to select by hand too) with a copy button and its own status. */
export function CopyLink({
  id,
  lang,
  label,
  url,
  help,
  inputRef,
}: {
  id: string;
  lang: Lang;
  label: string;
  url: string;
  help?: string;
  inputRef?: { current: HTMLInputElement | null };
}) {
  const own = useRef<HTMLInputElement>(null);
  const ref = inputRef ?? own;
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => setCopied(null), [url]);
  return (
    <div class="copy-link">
      <label for={id}>{label}</label>
      {help && (
        <p id={`${id}-help`} class="muted small field-help">
          {help}
        </p>
      )}
      <input
        id={id}
        ref={ref}
        type="text"
        readOnly
        value={url}
        spellcheck={false}
        aria-describedby={help ? `${id}-help` : undefined}
        onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
      />
      <p class="button-row">
        <button
          type="button"
          class="btn"
          onClick={async () => {
            setCopied(null);
            const ok = await copyText(url, ref.current);
            setCopied(ok);
          }}
        >
          {tr(lang, o.copy)}
        </button>
        <span role="status" class={copied === false ? 'field-error' : 'ok-text'}>
          {copied === null ? '' : copied ? tr(lang, o.copied) : tr(lang, o.copyFailed)}
        </span>
      </p>
    </div>
  );
}

