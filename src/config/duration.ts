import { ConfigError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "500ms" | "30s" | "15m" | "1h" | seconds as a number → milliseconds. */
export function parseDuration(value: string | number, path = 'duration'): number {
  if (typeof value === 'number') return value * 1000;
  const m = /^(\d+)(ms|s|m|h)$/.exec(value);
  if (!m) throw new ConfigError(`${path}: "${value}" is not a duration; use e.g. "30s", "15m" or "1h".`, { path });
  return Number(m[1]) * (UNITS[m[2]!] ?? 1);
}
