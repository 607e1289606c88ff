/**
 * Redaction by value. Every secret the process learns (an Ashby key, a registry password,
 * a master key) is registered here the moment it is loaded; every byte the logger, the CLI's
 * error printer and the test recorder emit passes through `scrub`. Registering the key also
 * registers the forms it travels in: base64 of "key:" (the Basic `Authorization` header) and
 * base64 of the bare key.
 */
const REDACTED = '[REDACTED]';
/** Shorter values are not treated as secrets: redacting them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;

const secrets = new Set<string>();
let pattern: RegExp | undefined;

export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return;
  const forms = [value, Buffer.from(`${value}:`).toString('base64'), Buffer.from(value).toString('base64')];
  for (const form of forms) {
    // base64 padding varies with context; match the unpadded stem.
    const stem = form.replace(/=+$/, '');
    if (!secrets.has(stem)) {
      secrets.add(stem);
      pattern = undefined;
    }
  }
}

function compiled(): RegExp | undefined {
  if (secrets.size === 0) return undefined;
  if (!pattern) {
    const alternatives = [...secrets]
      .sort((a, b) => b.length - a.length)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    pattern = new RegExp(`(?:${alternatives.join('|')})=*`, 'g');
  }
  return pattern;
}

export function scrub(text: string): string {
  const re = compiled();
  return re ? text.replace(re, REDACTED) : text;
}

/** Deep copy of a JSON-like value with every string scrubbed. */
export function scrubDeep<T>(value: T): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = scrubDeep(v);
    return out as T;
  }
  return value;
}

/** For tests only: forget every registered secret. */
export function clearSecretsForTests(): void {
  secrets.clear();
  pattern = undefined;
}
