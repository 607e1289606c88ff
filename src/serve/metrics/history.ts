/**
 * The last hour of each pipeline this worker runs, minute by minute, for
 * `GET /pipelines/{name}/history` and the console's charts: the same events the Prometheus
 * counters count (records and pages per stream, Ashby calls, 429s, retries, sink commands by
 * outcome), kept in memory as a ring of per-minute buckets. Nothing is stored: a restarted
 * worker, or the new owner of a moved pipeline, starts an empty hour.
 */
export interface MinuteCounts {
  /** Start of the minute (ISO). */
  minute: string;
  records: number;
  pages: number;
  calls: number;
  rate_limited: number;
  retries: number;
  /** Records per stream. */
  streams: Record<string, number>;
  /** Sink commands by outcome (ok, skipped, dead_lettered, failed). */
  commands: Record<string, number>;
}

export interface PipelineHistory {
  name: string;
  minutes: MinuteCounts[];
}

/** Minutes kept per pipeline: one hour. */
export const HISTORY_MINUTES = 60;
const MINUTE_MS = 60_000;

export type HistoryCounter = 'records' | 'pages' | 'calls' | 'rate_limited' | 'retries';

export class MetricsHistory {
  private readonly rings = new Map<string, MinuteCounts[]>();

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

  /** The last hour, oldest first, with a zero bucket for every minute nothing happened in. */
  get(pipeline: string): PipelineHistory {
    const ring = this.rings.get(pipeline) ?? [];
    const byMinute = new Map(ring.map((b) => [b.minute, b]));
    const current = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    const minutes: MinuteCounts[] = [];
    for (let i = HISTORY_MINUTES - 1; i >= 0; i--) {
      const minute = new Date(current - i * MINUTE_MS).toISOString();
      minutes.push(byMinute.get(minute) ?? empty(minute));
    }
    return { name: pipeline, minutes };
  }

  drop(pipeline: string): void {
    this.rings.delete(pipeline);
  }

  private bucket(pipeline: string): MinuteCounts {
    let ring = this.rings.get(pipeline);
    if (!ring) this.rings.set(pipeline, (ring = []));
    const minute = new Date(Math.floor(this.now() / MINUTE_MS) * MINUTE_MS).toISOString();
    const last = ring[ring.length - 1];
    if (last?.minute === minute) return last;
    const b = empty(minute);
    ring.push(b);
    if (ring.length > HISTORY_MINUTES) ring.splice(0, ring.length - HISTORY_MINUTES);
    return b;
  }
}

function empty(minute: string): MinuteCounts {
  return { minute, records: 0, pages: 0, calls: 0, rate_limited: 0, retries: 0, streams: {}, commands: {} };
}
