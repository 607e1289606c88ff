import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AshbyCallObserver } from '../../ashby/index.js';
import type { RegistryRetryObserver } from '../../avro/index.js';
import type { ProgressSink, StreamProgress } from '../../source/runtime/progress.js';
import type { SinkSummary } from '../../sink/summary.js';
import { MetricsHistory } from './history.js';

/**
 * The worker's Prometheus metrics, served on GET /metrics. Labels carry pipeline, stream,
 * endpoint and status, never a key or a credential's contents. Process metrics (RSS,
 * event-loop lag) come from prom-client's defaults.
 */
/** Reads a sink's lag per partition (its group's committed offsets against the end of each partition). */
export type SinkLagProbe = () => Promise<ReadonlyArray<{ topic: string; lag: number }>>;

/** A scrape waits this long for a sink's lag; a slower probe leaves the previous value. */
const LAG_PROBE_TIMEOUT_MS = 5_000;

const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class ServeMetrics {
  readonly registry = new Registry();
  /** The last hour per pipeline, minute by minute (GET /pipelines/{name}/history). */
  readonly history = new MetricsHistory();
  private readonly lastSuccess = new Map<string, number>();
  private readonly lagProbes = new Map<
    string,
    { probe: SinkLagProbe; topics: Set<string>; inflight?: ReturnType<SinkLagProbe> | undefined }
  >();

  readonly records = new Counter({
    name: 'ashby_kafka_source_records_total',
    help: 'Records produced, per pipeline and stream.',
    labelNames: ['pipeline', 'stream'],
    registers: [this.registry],
  });
  readonly bytes = new Counter({
    name: 'ashby_kafka_source_bytes_total',
    help: 'Bytes produced (record keys and values, as encoded), per pipeline and stream.',
    labelNames: ['pipeline', 'stream'],
    registers: [this.registry],
  });
  readonly pages = new Counter({
    name: 'ashby_kafka_source_pages_total',
    help: 'Ashby pages produced, per pipeline and stream.',
    labelNames: ['pipeline', 'stream'],
    registers: [this.registry],
  });
  readonly passes = new Counter({
    name: 'ashby_kafka_source_passes_total',
    help: 'Finished source passes, per pipeline and result (ok, failed, stopped).',
    labelNames: ['pipeline', 'result'],
    registers: [this.registry],
  });
  readonly lastSuccessGauge = new Gauge({
    name: 'ashby_kafka_source_last_success_timestamp_seconds',
    help: 'End of the last successful pass (Unix seconds).',
    labelNames: ['pipeline'],
    registers: [this.registry],
  });
  readonly freshness = new Gauge({
    name: 'ashby_kafka_source_freshness_seconds',
    help: 'Seconds since the last successful pass ended: how old the newest complete copy of the data may be.',
    labelNames: ['pipeline'],
    registers: [this.registry],
    collect: () => {
      const now = Date.now();
      for (const [pipeline, at] of this.lastSuccess) this.freshness.set({ pipeline }, (now - at) / 1000);
    },
  });
  readonly calls = new Counter({
    name: 'ashby_kafka_ashby_calls_total',
    help: 'Ashby HTTP attempts, per pipeline, endpoint and status ("none": no response).',
    labelNames: ['pipeline', 'endpoint', 'status'],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'ashby_kafka_ashby_rate_limited_total',
    help: 'Ashby answers 429, per pipeline.',
    labelNames: ['pipeline'],
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'ashby_kafka_ashby_retries_total',
    help: 'Retries of Ashby calls, per pipeline and error code.',
    labelNames: ['pipeline', 'code'],
    registers: [this.registry],
  });
  readonly registryRetries = new Counter({
    name: 'ashby_kafka_registry_retries_total',
    help: 'Retries of schema registry calls, per pipeline, route (POST /subjects/{subject}/versions, …) and error code.',
    labelNames: ['pipeline', 'route', 'code'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'ashby_kafka_ashby_request_seconds',
    help: 'Ashby request latency, per pipeline and endpoint.',
    labelNames: ['pipeline', 'endpoint'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly sinkCommands = new Counter({
    name: 'ashby_kafka_sink_commands_total',
    help: 'Sink commands by outcome (ok, skipped, dead_lettered, failed).',
    labelNames: ['pipeline', 'outcome'],
    registers: [this.registry],
  });
  readonly sinkDeadLettered = new Counter({
    name: 'ashby_kafka_sink_dead_lettered_total',
    help: 'Commands sent to the dead-letter topic.',
    labelNames: ['pipeline'],
    registers: [this.registry],
  });
  /** Measured when scraped, for the sinks this worker runs (see watchSinkLag). */
  readonly sinkLag = new Gauge({
    name: 'ashby_kafka_sink_consumer_lag',
    help: "Commands not yet consumed by a sink's group, per pipeline and topic (measured at scrape time).",
    labelNames: ['pipeline', 'topic'],
    registers: [this.registry],
    collect: () => this.measureSinkLag(),
  });
  readonly pipelineState = new Gauge({
    name: 'ashby_kafka_pipeline_state',
    help: '1 for the state each pipeline run by this worker is in.',
    labelNames: ['pipeline', 'state'],
    registers: [this.registry],
  });
  readonly assigned = new Gauge({
    name: 'ashby_kafka_worker_assigned_pipelines',
    help: 'Pipelines this worker runs.',
    registers: [this.registry],
  });
  /** Set by the worker: records its shared producer holds that the broker has not acknowledged. */
  pendingRecords: () => number = () => 0;
  readonly producerPending: Gauge = new Gauge({
    name: 'ashby_kafka_worker_producer_pending_records',
    help: "Records the worker's shared producer (its at-least-once sources) holds that the broker has not acknowledged yet.",
    registers: [this.registry],
    collect: (): void => this.producerPending.set(this.pendingRecords()),
  });
  readonly rebalances = new Counter({
    name: 'ashby_kafka_worker_rebalances_total',
    help: 'Group rebalances this worker took part in (assign or revoke).',
    registers: [this.registry],
  });
  readonly restarts = new Counter({
    name: 'ashby_kafka_pipeline_restarts_total',
    help: 'Restarts of failed pipelines.',
    labelNames: ['pipeline'],
    registers: [this.registry],
  });

  constructor(workerId: string) {
    this.registry.setDefaultLabels({ worker: workerId });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one pipeline's schema registry retries (its serde's). */
  registryRetryObserver(pipeline: string): RegistryRetryObserver {
    return (route, code) => this.registryRetries.inc({ pipeline, route, code });
  }

  /** Ashby call metrics of one pipeline's client. */
  callObserver(pipeline: string): AshbyCallObserver {
    return {
      attempt: (endpoint, status, ms) => {
        this.calls.inc({ pipeline, endpoint, status: status === undefined ? 'none' : String(status) });
        this.history.add(pipeline, 'calls');
        if (status === 429) this.rateLimited.inc({ pipeline });
        if (status === 429) this.history.add(pipeline, 'rate_limited');
        this.latency.observe({ pipeline, endpoint }, ms / 1000);
      },
      retry: (_endpoint, code) => {
        this.retries.inc({ pipeline, code });
        this.history.add(pipeline, 'retries');
      },
    };
  }

  /** A progress sink for one pass: counts the records and pages each update adds. */
  passProgress(pipeline: string, onUpdate?: (p: StreamProgress) => void): ProgressSink {
    const seen = new Map<string, { records: number; pages: number; bytes: number }>();
    return {
      update: (p) => {
        const labels = { pipeline, stream: p.stream };
        const before = seen.get(p.stream) ?? { records: 0, pages: 0, bytes: 0 };
        if (p.records > before.records) {
          this.records.inc(labels, p.records - before.records);
          this.history.add(pipeline, 'records', p.records - before.records, p.stream);
        }
        if (p.pages > before.pages) {
          this.pages.inc(labels, p.pages - before.pages);
          this.history.add(pipeline, 'pages', p.pages - before.pages);
        }
        if (p.bytes > before.bytes) this.bytes.inc(labels, p.bytes - before.bytes);
        seen.set(p.stream, {
          records: Math.max(p.records, before.records),
          pages: Math.max(p.pages, before.pages),
          bytes: Math.max(p.bytes, before.bytes),
        });
        onUpdate?.(p);
      },
      finish: () => undefined,
    };
  }

  passFinished(pipeline: string, result: 'ok' | 'failed' | 'stopped'): void {
    this.passes.inc({ pipeline, result });
    if (result === 'ok') {
      const now = Date.now();
      this.lastSuccess.set(pipeline, now);
      this.lastSuccessGauge.set({ pipeline }, now / 1000);
    }
  }

  /** Counts what a sink summary added since the previous one of the same run. */
  sinkProgress(pipeline: string): (s: SinkSummary) => void {
    let prev = { ok: 0, skipped: 0, deadLettered: 0, failed: 0 };
    return (s) => {
      for (const [outcome, field] of [
        ['ok', 'ok'],
        ['skipped', 'skipped'],
        ['dead_lettered', 'deadLettered'],
        ['failed', 'failed'],
      ] as const) {
        const d = s[field] - prev[field];
        if (d > 0) this.sinkCommands.inc({ pipeline, outcome }, d);
        if (d > 0) this.history.command(pipeline, outcome, d);
      }
      if (s.deadLettered > prev.deadLettered)
        this.sinkDeadLettered.inc({ pipeline }, s.deadLettered - prev.deadLettered);
      prev = { ok: s.ok, skipped: s.skipped, deadLettered: s.deadLettered, failed: s.failed };
    };
  }

  /** Reports a sink's consumer lag while it runs here; the returned function stops it and drops its series. */
  watchSinkLag(pipeline: string, probe: SinkLagProbe): () => void {
    const entry = { probe, topics: new Set<string>() };
    this.lagProbes.set(pipeline, entry);
    return () => {
      if (this.lagProbes.get(pipeline) !== entry) return;
      this.lagProbes.delete(pipeline);
      for (const topic of entry.topics) this.sinkLag.remove({ pipeline, topic });
    };
  }

  private async measureSinkLag(): Promise<void> {
    await Promise.all(
      [...this.lagProbes].map(async ([pipeline, entry]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          // One probe at a time per sink: a slow one is awaited by the next scrape rather than doubled.
          entry.inflight ??= entry.probe().finally(() => (entry.inflight = undefined));
          const partitions = await Promise.race([
            entry.inflight,
            new Promise<undefined>((resolve) => {
              timer = setTimeout(() => resolve(undefined), LAG_PROBE_TIMEOUT_MS);
            }),
          ]);
          if (!partitions || this.lagProbes.get(pipeline) !== entry) return;
          const perTopic = new Map<string, number>();
          for (const p of partitions) perTopic.set(p.topic, (perTopic.get(p.topic) ?? 0) + p.lag);
          for (const [topic, lag] of perTopic) {
            entry.topics.add(topic);
            this.sinkLag.set({ pipeline, topic }, lag);
          }
        } catch {
          // The previous value stays; the pipeline's own status reports Kafka errors.
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  setState(pipeline: string, state: string | undefined): void {
    for (const s of ['RUNNING', 'PAUSED', 'FAILED'])
      this.pipelineState.set({ pipeline, state: s }, s === state ? 1 : 0);
    if (state === undefined)
      for (const s of ['RUNNING', 'PAUSED', 'FAILED']) this.pipelineState.remove({ pipeline, state: s });
  }
}
