import type { Logger } from '../../log/logger.js';

/**
 * What a source pass shows while it runs and when it ends. The runner updates one
 * `StreamProgress` per stream; a renderer shows them: on a terminal a live block of lines
 * redrawn a few times a second, otherwise one structured log line per stream now and then.
 * Every pass ends with a summary table (formatSummary).
 */
export type StreamPhase = 'waiting' | 'reading' | 'flushing' | 'done' | 'skipped' | 'failed' | 'stopped';
export type StreamStatus = 'ok' | 'skipped' | 'failed' | 'stopped';

export interface StreamProgress {
  stream: string;
  topic: string;
  mode: 'full' | 'incremental' | '-';
  phase: StreamPhase;
  records: number;
  pages: number;
  /** Bytes produced: the keys and values of the records (headers not counted). */
  bytes: number;
  /** Ashby calls made (pages, plus one per parent record for child streams). */
  calls: number;
  restarts: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  /** Why it was skipped or failed. */
  detail?: string;
}

export interface ProgressSink {
  /** Called whenever a stream's numbers change; cheap. */
  update(p: StreamProgress): void;
  /** Called once when the pass ends, before the summary is printed. */
  finish(): void;
}

export const silentProgress: ProgressSink = { update: () => undefined, finish: () => undefined };

function durationMs(p: StreamProgress, now = performance.now()): number {
  if (p.startedAt === undefined) return 0;
  return (p.endedAt ?? now) - p.startedAt;
}

function rate(p: StreamProgress): number {
  const s = durationMs(p) / 1000;
  return s > 0 ? p.records / s : 0;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${Math.round((ms % 60_000) / 1000)}s`;
}

function pad(rows: string[][], right: Set<number>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const STATUS_OF: Record<StreamPhase, StreamStatus> = {
  waiting: 'stopped',
  reading: 'stopped',
  flushing: 'stopped',
  done: 'ok',
  skipped: 'skipped',
  failed: 'failed',
  stopped: 'stopped',
};

export function statusOf(p: StreamProgress): StreamStatus {
  return STATUS_OF[p.phase];
}

/** The end-of-pass table: stream, mode, records, pages, topic, duration, status. */
export function formatSummary(streams: readonly StreamProgress[], totalMs: number): string {
  const rows = [['STREAM', 'MODE', 'RECORDS', 'PAGES', 'TOPIC', 'DURATION', 'STATUS']];
  let records = 0;
  let pages = 0;
  for (const p of streams) {
    records += p.records;
    pages += p.pages;
    const status = statusOf(p);
    rows.push([
      p.stream,
      p.mode === '-' ? '-' : p.mode,
      String(p.records),
      String(p.pages),
      p.topic,
      formatDuration(durationMs(p)),
      p.detail && status !== 'ok' ? `${status}: ${p.detail}` : status,
    ]);
  }
  rows.push(['total', '', String(records), String(pages), '', formatDuration(totalMs), '']);
  return `${pad(rows, new Set([2, 3, 5]))}\n`;
}

/** Live view for a terminal: one line per stream, redrawn in place. */
export class TtyProgress implements ProgressSink {
  private readonly streams = new Map<string, StreamProgress>();
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly intervalMs = 250,
  ) {}

  update(p: StreamProgress): void {
    this.streams.set(p.stream, p);
    this.timer ??= setInterval(() => this.draw(), this.intervalMs);
    this.timer.unref?.();
  }

  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.draw();
    this.drawn = 0;
  }

  private draw(): void {
    const rows = [...this.streams.values()].map((p) => [
      p.stream,
      p.phase,
      p.mode === '-' ? '' : p.mode,
      `${p.records} rec`,
      `${p.pages} pages`,
      p.phase === 'reading' ? `${Math.round(rate(p))} rec/s` : formatDuration(durationMs(p)),
      p.restarts ? `${p.restarts} restart(s)` : '',
    ]);
    if (rows.length === 0) return;
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    const text = pad(rows, new Set([3, 4, 5]))
      .split('\n')
      .map((l) => `\x1b[2K${l}`)
      .join('\n');
    this.write(`${up}${text}\n`);
    this.drawn = rows.length;
  }
}

/** Without a terminal: a log line per stream at most every `everyMs`, and one when it ends. */
export class LogProgress implements ProgressSink {
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly everyMs = 5_000,
  ) {}

  update(p: StreamProgress): void {
    const now = performance.now();
    const ended = p.phase === 'done' || p.phase === 'failed' || p.phase === 'skipped' || p.phase === 'stopped';
    const last = this.lastLogged.get(p.stream);
    if (!ended && p.phase !== 'reading') return;
    if (!ended && last !== undefined && now - last < this.everyMs) return;
    this.lastLogged.set(p.stream, now);
    const fields = {
      stream: p.stream,
      phase: p.phase,
      mode: p.mode,
      records: p.records,
      pages: p.pages,
      recordsPerSecond: Math.round(rate(p)),
      ...(ended ? { durationMs: Math.round(durationMs(p)) } : {}),
      ...(p.detail ? { detail: p.detail } : {}),
    };
    if (p.phase === 'failed') this.logger.error('stream failed', fields);
    else if (ended) this.logger.info(`stream ${p.phase}`, fields);
    else this.logger.info('stream progress', fields);
  }

  finish(): void {}
}
