/**
 * The sandbox's notion of "now". Record timestamps, token issue times and token expiry all read
 * this clock, so tests can start it at a fixed instant and move it forward (to age a sync token
 * past its TTL, say) without waiting. It does not tick by itself unless `follow` is on, in which
 * case it advances with real time from where it was set: the CLI uses that so a long-running demo
 * sees time pass.
 */
export class SandboxClock {
  private baseMs: number;
  private realAtBase: number;

  constructor(
    startMs: number,
    private readonly follow: boolean,
  ) {
    this.baseMs = startMs;
    this.realAtBase = Date.now();
  }

  now(): number {
    return this.follow ? this.baseMs + (Date.now() - this.realAtBase) : this.baseMs;
  }

  /**
   * Writes must leave strictly increasing `updatedAt` values even when a frozen clock makes
   * several of them at "the same" instant, so each call returns at least 1 ms after the last.
   */
  private lastStamp = Number.NEGATIVE_INFINITY;
  stamp(): number {
    const t = Math.max(this.now(), this.lastStamp + 1);
    this.lastStamp = t;
    return t;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError('the sandbox clock only moves forward: pass a non-negative number of milliseconds');
    this.baseMs = this.now() + ms;
    this.realAtBase = Date.now();
    return this.baseMs;
  }

  set(ms: number): void {
    if (ms < this.now()) throw new RangeError('the sandbox clock only moves forward');
    this.baseMs = ms;
    this.realAtBase = Date.now();
  }
}

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/**
 * ISO-8601 with milliseconds, as Ashby sends timestamps. Same output as Date#toISOString for
 * years 0–9999, several times faster: list pages format a few thousand timestamps each.
 */
export function iso(ms: number): string {
  const t = Math.floor(ms);
  const day = Math.floor(t / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefixes.size > 10_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  let rest = t - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[rest - s * 1000]}Z`;
}
