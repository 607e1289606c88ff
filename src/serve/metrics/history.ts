import type { MinuteCounts, PipelineHistory } from '../rest/response-types.js';

export type { MinuteCounts, PipelineHistory } from '../rest/response-types.js';

/**
 * The last hour of each pipeline, minute by minute, for `GET /pipelines/{name}/history` and the
 * console's charts: the same events the Prometheus counters count (records and pages per
 * stream, Ashby calls, 429s, retries, sink commands by outcome), kept by the worker running the
 * pipeline as a ring of per-minute buckets. That worker stores the ring's finished minutes in the
 * group's status topic (history-store.ts), so any worker answers from the stored hour, and a
 * restarted worker or the new owner of a moved pipeline goes on from it. This module is the
 * ring and its merges, with no Kafka.
 */
/**
 * A pipeline's hour as stored in the status topic (key `history:<name>`): only the minutes in
 * which something happened, and of those only the counts that are not zero, so an idle
 * pipeline's record is a few bytes and a busy one's a few kB. Quiet minutes and minutes older
 * than an hour are dropped by the reader's clock, so nothing needs rewriting while a pipeline
 * is idle.
 */
export interface StoredHistory {
  name: string;
  /** The worker that wrote it (the one running the pipeline then). */
  worker_id: string;
  minutes: Array<Partial<MinuteCounts> & { minute: string }>;
}

/** Minutes kept per pipeline: one hour. */
export const HISTORY_MINUTES = 60;
const MINUTE_MS = 60_000;
const COUNTERS = ['records', 'pages', 'calls', 'rate_limited', 'retries'] as const;

export type HistoryCounter = (typeof COUNTERS)[number];

interface Ring {
  /** Buckets by minute (ISO), at most the last hour's. */
  buckets: Map<string, MinuteCounts>;
  /**
   * The stored hour of another worker this ring started from or took in (see `merge`); absent
   * once this worker has stored the ring itself, after which it takes in nothing more.
   */
  base: Map<string, MinuteCounts> | undefined;
  /** The newest finished minute already stored. */
  stored: string | undefined;
}

export class MetricsHistory {
  private readonly rings = new Map<string, Ring>();

  constructor(private readonly now: () => number = Date.now) {}

  add(pipeline: string, counter: HistoryCounter, n = 1, stream?: string): void {
    const b = this.bucket(pipeline);
    b[counter] += n;
    if (stream && counter === 'records') b.streams[stream] = (b.streams[stream] ?? 0) + n;
  }

  command(pipeline: string, outcome: string, n: number): void {
    const b = this.bucket(pipeline);
    b.commands[outcome] = (b.commands[outcome] ?? 0) + n;
  }

  /** Pipelines whose ring this worker holds (those it runs, or ran until `drop`). */
  pipelines(): string[] {
    return [...this.rings.keys()];
  }

  holds(pipeline: string): boolean {
    return this.rings.has(pipeline);
  }

  /**
   * The last hour, oldest first, with a zero bucket for every minute nothing happened in: this
   * worker's ring where it holds one (the running pipeline's current minute included), else the
   * stored hour (`stored`, from the status topic).
   */
  get(pipeline: string, stored?: StoredHistory): PipelineHistory {
    const local = this.rings.get(pipeline)?.buckets;
    const fromStore = stored ? unpack(stored) : undefined;
    const current = this.minuteStart(0);
    const minutes: MinuteCounts[] = [];
    for (let i = HISTORY_MINUTES - 1; i >= 0; i--) {
      const minute = new Date(current - i * MINUTE_MS).toISOString();
      minutes.push(local?.get(minute) ?? fromStore?.get(minute) ?? empty(minute));
    }
    return { name: pipeline, minutes };
  }

  /**
   * Takes in a stored hour written by another worker, for a pipeline this worker now runs. With
   * no ring yet, the ring starts as that hour (the new owner of a moved pipeline, a restarted
   * worker). With one, each minute gains what the other worker added since the hour this ring
   * last took in: a previous owner still finishing its last page when this worker started the
   * pipeline stores its final counts late, and they are added, not lost or counted twice. Once
   * this worker has stored the ring, later records of others are ignored (its own hold them, or
   * they come from a worker that no longer runs the pipeline).
   */
  merge(pipeline: string, stored: StoredHistory | undefined): void {
    let ring = this.rings.get(pipeline);
    const incoming = stored ? unpack(stored) : new Map<string, MinuteCounts>();
    if (!ring) {
      ring = { buckets: new Map(), base: new Map(), stored: undefined };
      this.rings.set(pipeline, ring);
    }
    if (!ring.base) return;
    for (const [minute, counts] of incoming) {
      const before = ring.base.get(minute) ?? empty(minute);
      let b = ring.buckets.get(minute);
      if (!b) ring.buckets.set(minute, (b = empty(minute)));
      addInto(b, counts, before);
    }
    ring.base = incoming;
    // Minutes already stored (by the other worker) need no write of their own; a later one does.
    const current = new Date(this.minuteStart(0)).toISOString();
    for (const minute of incoming.keys())
      if (minute < current && (ring.stored === undefined || minute > ring.stored)) ring.stored = minute;
    this.trim(ring);
  }

  /**
   * What to store for a pipeline now: its hour up to the last finished minute when that minute
   * is newer than the last stored one and had something in it, else undefined (nothing new to
   * say). With `all`, every minute including the current one, whenever the ring has any (the
   * pipeline stops here and its next owner goes on from this).
   */
  pending(pipeline: string, workerId: string, all = false): StoredHistory | undefined {
    const ring = this.rings.get(pipeline);
    if (!ring) return undefined;
    this.trim(ring);
    const current = new Date(this.minuteStart(0)).toISOString();
    const minutes = [...ring.buckets.values()]
      .filter((b) => all || b.minute < current)
      .sort((a, b) => (a.minute < b.minute ? -1 : 1));
    const last = minutes.at(-1)?.minute;
    if (!last || (!all && ring.stored !== undefined && last <= ring.stored)) return undefined;
    return { name: pipeline, worker_id: workerId, minutes: minutes.map(pack) };
  }

  /** Marks what `pending` returned as stored: the ring takes in no more of other workers' hours. */
  stored(pipeline: string, history: StoredHistory): void {
    const ring = this.rings.get(pipeline);
    if (!ring) return;
    ring.base = undefined;
    const last = history.minutes.at(-1)?.minute;
    if (last && (ring.stored === undefined || last > ring.stored)) ring.stored = last;
  }

  drop(pipeline: string): void {
    this.rings.delete(pipeline);
  }

  private bucket(pipeline: string): MinuteCounts {
    let ring = this.rings.get(pipeline);
    if (!ring) this.rings.set(pipeline, (ring = { buckets: new Map(), base: new Map(), stored: undefined }));
    const minute = new Date(this.minuteStart(0)).toISOString();
    let b = ring.buckets.get(minute);
    if (!b) {
      ring.buckets.set(minute, (b = empty(minute)));
      this.trim(ring);
    }
    return b;
  }

  /** Drops buckets older than the hour. */
  private trim(ring: Ring): void {
    const oldest = new Date(this.minuteStart(HISTORY_MINUTES - 1)).toISOString();
    for (const minute of ring.buckets.keys()) if (minute < oldest) ring.buckets.delete(minute);
  }

  private minuteStart(minutesAgo: number): number {
    return Math.floor(this.now() / MINUTE_MS) * MINUTE_MS - minutesAgo * MINUTE_MS;
  }
}

function empty(minute: string): MinuteCounts {
  return { minute, records: 0, pages: 0, calls: 0, rate_limited: 0, retries: 0, streams: {}, commands: {} };
}

/** `into += counts - before`, counter by counter (a count never goes below zero). */
function addInto(into: MinuteCounts, counts: MinuteCounts, before: MinuteCounts): void {
  for (const c of COUNTERS) into[c] = Math.max(0, into[c] + counts[c] - before[c]);
  for (const field of ['streams', 'commands'] as const) {
    for (const k of new Set([...Object.keys(counts[field]), ...Object.keys(before[field])])) {
      const n = Math.max(0, (into[field][k] ?? 0) + (counts[field][k] ?? 0) - (before[field][k] ?? 0));
      if (n > 0) into[field][k] = n;
      else delete into[field][k];
    }
  }
}

function pack(b: MinuteCounts): StoredHistory['minutes'][number] {
  const out: StoredHistory['minutes'][number] = { minute: b.minute };
  for (const c of COUNTERS) if (b[c] > 0) out[c] = b[c];
  if (Object.keys(b.streams).length) out.streams = { ...b.streams };
  if (Object.keys(b.commands).length) out.commands = { ...b.commands };
  return out;
}

function unpack(stored: StoredHistory): Map<string, MinuteCounts> {
  const out = new Map<string, MinuteCounts>();
  for (const m of stored.minutes) {
    const b = empty(m.minute);
    for (const c of COUNTERS) b[c] = m[c] ?? 0;
    b.streams = { ...(m.streams ?? {}) };
    b.commands = { ...(m.commands ?? {}) };
    out.set(m.minute, b);
  }
  return out;
}

/** A stored hour read from the topic, or undefined when the value is not one (it is then ignored). */
export function parseStoredHistory(raw: unknown): StoredHistory | undefined {
  const r = raw as Partial<StoredHistory> | null;
  if (!r || typeof r !== 'object' || typeof r.name !== 'string' || typeof r.worker_id !== 'string') return undefined;
  if (!Array.isArray(r.minutes) || !r.minutes.every((m) => m && typeof m.minute === 'string')) return undefined;
  return r as StoredHistory;
}
