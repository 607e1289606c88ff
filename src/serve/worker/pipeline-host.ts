import { AshbyClient } from '../../ashby/index.js';
import { parseDuration } from '../../config/duration.js';
import type { PipelineConfig } from '../../config/schema.js';
import { AshbyKafkaError } from '../../errors.js';
import type { KafkaResources } from '../../kafka/index.js';
import type { Logger } from '../../log/logger.js';
import { ashbyClientOptions } from '../../config/ashby-options.js';
import { SourceRunner, type PassResult } from '../../source/runtime/source-runner.js';
import { runSink } from '../../sink/runner.js';
import type { ServeMetrics } from '../metrics/metrics.js';
import { readPipelineState } from './pipeline-state.js';
import type { PipelineRecord, PipelineStatus, StreamStatus } from '../model.js';

/**
 * Runs one pipeline on this worker until stopped: builds its client (its own key, so its own
 * rate budget) and runner, runs passes (source) or the consume loop (sink), and reports
 * status. A failure makes the pipeline FAILED with its error code; it is restarted after a
 * backoff that doubles with each failure in a row and resets after a successful pass. Nothing
 * a pipeline throws reaches the worker.
 */
export interface PipelineHostDeps {
  record: PipelineRecord;
  workerId: string;
  /** Resolves the pipeline's config (worker defaults merged) and its Ashby key. */
  resolve: (record: PipelineRecord) => Promise<{ config: PipelineConfig; apiKey: string }>;
  writeStatus: (status: PipelineStatus) => Promise<void>;
  metrics: ServeMetrics;
  logger: Logger;
  backoff: { minMs: number; maxMs: number };
  /** The worker's Kafka clients that its source pipelines share (producer, admin, state reader). */
  sharedKafka?: KafkaResources;
}

/**
 * Records a source stream may have in flight (sent, not yet acknowledged) before it waits. The
 * standalone source allows 5,000; a worker's streams share one producer, and with 50 pipelines
 * each 5,000 ahead the worker held up to ~67,000 unacknowledged records (hundreds of MB) when
 * its CPU fell behind. 200 is two full pages ahead per stream: at a few milliseconds per
 * acknowledgement that is still thousands of records a second, more than a key's rate budget
 * lets a stream read. 250 streams stay within the shared producer's in-flight limit
 * (SHARED_PRODUCER_MAX_IN_FLIGHT, src/kafka/shared-clients.ts), so no send waits there record
 * by record.
 */
const MAX_OUTSTANDING_PER_STREAM = 200;

/**
 * Pages a source stream reads ahead while it encodes the current one. One keeps the next Ashby
 * request in flight; a second only holds another parsed page (about 0.5 MB for 100 candidates)
 * while the worker's CPU is the bottleneck, which is when 50 pipelines hold 50 of them.
 */
const PREFETCH_PAGES = 1;

/** Status writes while a pass runs: often enough to watch, rare enough for a compacted topic. */
const PROGRESS_STATUS_INTERVAL_MS = 5_000;

export class PipelineHost {
  private readonly stop = new AbortController();
  private running: Promise<void> | undefined;
  private failures = 0;
  private lastError: PipelineStatus['last_error'];
  private lastPass: Record<string, unknown> | undefined;
  private streams: StreamStatus[] = [];
  private state: PipelineStatus['state'] = 'RUNNING';
  private readonly log: Logger;
  private lastProgressWrite = 0;

  constructor(private readonly deps: PipelineHostDeps) {
    this.log = deps.logger.child({ pipeline: deps.record.name });
  }

  get name(): string {
    return this.deps.record.name;
  }

  get generation(): number {
    return this.deps.record.generation;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops the pipeline: in-flight pages and commands finish and their state is stored; resolves when it has. */
  async halt(): Promise<void> {
    this.stop.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const signal = this.stop.signal;
    this.log.info('pipeline starting', { kind: this.deps.record.kind, generation: this.generation });
    while (!signal.aborted) {
      let error: unknown;
      try {
        error = await this.runOnce();
      } catch (err) {
        error = err;
      }
      if (signal.aborted) break;
      if (error === undefined) continue;
      this.failures++;
      const delay = Math.min(this.deps.backoff.maxMs, this.deps.backoff.minMs * 2 ** (this.failures - 1));
      const e =
        error instanceof AshbyKafkaError
          ? error
          : new AshbyKafkaError('INTERNAL', error instanceof Error ? error.message : String(error));
      this.lastError = { error_code: e.code, message: e.message, at: new Date().toISOString() };
      this.state = 'FAILED';
      this.log.error('pipeline failed; restarting after a backoff', {
        code: e.code,
        message: e.message,
        failures: this.failures,
        restartInMs: delay,
      });
      await this.report({ next_restart_at: new Date(Date.now() + delay).toISOString() });
      this.deps.metrics.restarts.inc({ pipeline: this.name });
      await sleep(delay, signal);
    }
    this.log.info('pipeline stopped');
  }

  /** One life of the runner: resolves with the error that ended it, or undefined when stopped. */
  private async runOnce(): Promise<unknown> {
    const signal = this.stop.signal;
    const { config, apiKey } = await this.deps.resolve(this.deps.record);
    const client = new AshbyClient({
      ...ashbyClientOptions(config.ashby, apiKey, { logger: this.log, signal }),
      observer: this.deps.metrics.callObserver(this.name),
    });
    try {
      if (this.deps.record.kind === 'sink') return await this.runSink(config, client);
      return await this.runSource(config, client);
    } finally {
      await client.close();
    }
  }

  private async runSource(config: PipelineConfig, client: AshbyClient): Promise<unknown> {
    const signal = this.stop.signal;
    const runner = await SourceRunner.open(config, {
      client,
      logger: this.log,
      signal,
      maxOutstanding: MAX_OUTSTANDING_PER_STREAM,
      prefetchPages: PREFETCH_PAGES,
      onRegistryRetry: this.deps.metrics.registryRetryObserver(this.name),
      ...(this.deps.sharedKafka ? { sharedKafka: this.deps.sharedKafka } : {}),
      progress: () => this.deps.metrics.passProgress(this.name, (p) => this.onStreamProgress(p)),
    });
    if (this.failures === 0) {
      this.state = 'RUNNING';
      await this.report();
    }
    try {
      await runner.runForever(
        parseDuration(config.source!.interval, 'source.interval'),
        (r) => void this.onPass(r),
        true,
      );
      return undefined;
    } catch (err) {
      return err;
    } finally {
      await runner.close();
    }
  }

  private async onPass(r: PassResult): Promise<void> {
    const result = r.error ? 'failed' : r.stopped ? 'stopped' : 'ok';
    this.deps.metrics.passFinished(this.name, result);
    this.streams = r.streams.map(streamStatus);
    this.lastPass = {
      run_id: r.runId,
      result,
      records: r.streams.reduce((n, p) => n + p.records, 0),
      duration_ms: Math.round(r.durationMs),
      ended_at: new Date().toISOString(),
      ...(r.error ? { error_code: r.error.code } : {}),
    };
    if (result === 'ok') {
      this.failures = 0;
      this.state = 'RUNNING';
    }
    if (!this.stop.signal.aborted && result !== 'failed') await this.report();
  }

  private onStreamProgress(p: {
    stream: string;
    topic: string;
    phase: string;
    records: number;
    pages: number;
    detail?: string;
  }): void {
    const i = this.streams.findIndex((s) => s.stream === p.stream);
    const s = streamStatus(p);
    if (i >= 0) this.streams[i] = s;
    else this.streams.push(s);
    if (Date.now() - this.lastProgressWrite >= PROGRESS_STATUS_INTERVAL_MS && !this.stop.signal.aborted) {
      this.lastProgressWrite = Date.now();
      void this.report();
    }
  }

  private async runSink(config: PipelineConfig, client: AshbyClient): Promise<unknown> {
    this.state = 'RUNNING';
    await this.report();
    const count = this.deps.metrics.sinkProgress(this.name);
    const unwatch = this.deps.metrics.watchSinkLag(this.name, async () => {
      const state = (await readPipelineState(config)) as { partitions: Array<{ topic: string; lag: number }> };
      return state.partitions;
    });
    const result = await runSink(config, {
      logger: this.log,
      signal: this.stop.signal,
      ashbyClient: client,
      onRegistryRetry: this.deps.metrics.registryRetryObserver(this.name),
      progressIntervalMs: PROGRESS_STATUS_INTERVAL_MS,
      onProgress: (summary, seconds) => {
        count(summary);
        this.lastPass = { ...summary, seconds: Math.round(seconds) };
        if (!this.stop.signal.aborted) void this.report();
      },
    }).finally(unwatch);
    if (result.error === undefined) this.failures = 0;
    return result.error;
  }

  private async report(extra: Partial<PipelineStatus> = {}): Promise<void> {
    this.deps.metrics.setState(this.name, this.state);
    const status: PipelineStatus = {
      name: this.name,
      state: this.state,
      worker_id: this.deps.workerId,
      generation: this.generation,
      streams: this.streams,
      ...(this.lastPass ? { last_pass: this.lastPass } : {}),
      ...(this.lastError ? { last_error: this.lastError } : {}),
      failures: this.failures,
      ...extra,
      updated_at: new Date().toISOString(),
    };
    await this.deps
      .writeStatus(status)
      .catch((err: unknown) => this.log.warn('could not write the pipeline status', { err: err as Error }));
  }
}

function streamStatus(p: {
  stream: string;
  topic: string;
  phase: string;
  records: number;
  pages: number;
  detail?: string;
}): StreamStatus {
  return {
    stream: p.stream,
    topic: p.topic,
    phase: p.phase,
    records: p.records,
    pages: p.pages,
    ...(p.detail ? { detail: p.detail } : {}),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
