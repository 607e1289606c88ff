/**
 * "What to do" about an error code: docs/troubleshooting.md's text, put into the bundle by
 * ui/build.mjs (one source, never written twice).
 */
declare const __ERROR_HELP__: Record<string, string>;

export function helpFor(code: string): string | undefined {
  return __ERROR_HELP__[code];
}

/** Renders the text's `code` spans as code. */
export function ErrorHelp({ code }: { code: string }) {
  const text = helpFor(code);
  if (!text) return null;
  return (
    <p class="help" data-help={code}>
      <strong>What to do: </strong>
      {text.split('`').map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}
    </p>
  );
}
