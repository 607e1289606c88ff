import type { FastifyInstance } from 'fastify';
import { AshbyClient } from '../../ashby/index.js';
import { testAshbyKey } from '../../credentials/key-test.js';
import { withAshbyDefaults } from '../../config/ashby-options.js';
import { rdkafkaConfig } from '../../config/kafka-options.js';
import type { RdConfig } from '../../kafka/index.js';
import type { Logger } from '../../log/logger.js';
import { GroupMembership, KafkaResources } from '../../kafka/index.js';
import { resolvePipelineConfig } from '../config/pipeline-spec.js';
import type { WorkerConfig } from '../config/schema.js';
import { HistoryStore } from '../metrics/history-store.js';
import { ServeMetrics } from '../metrics/metrics.js';
import {
  parseStatusTopicValue,
  pipelineKey,
  statusKey,
  statusOf,
  type CredentialRecord,
  type PipelineRecord,
  type StatusTopicValue,
} from '../model.js';
import { buildRestServer } from '../rest/server.js';
import { ClusterService } from '../service.js';
import { CredentialVault } from '../store/credential-vault.js';
import { JsonMap } from '../store/json-map.js';
import { PipelineHost } from './pipeline-host.js';

/**
 * One `ashby-kafka serve` worker: holds the group's config, status and credential topics,
 * takes part in the worker group (GroupMembership), runs the pipelines of the slots it owns
 * (one PipelineHost each) and serves the REST API. `reconcile` compares what should run here
 * with what does, after every config change and every rebalance; only pipelines whose slot
 * moved, or whose config, target or generation changed, are stopped or started.
 */
export interface WorkerOptions {
  config: WorkerConfig;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

export class Worker {
  readonly metrics: ServeMetrics;
  private readonly rd: RdConfig;
  private readonly log: Logger;
  private readonly configs: JsonMap<PipelineRecord>;
  /** Statuses and the pipelines' stored hours (model.ts). */
  private readonly statuses: JsonMap<StatusTopicValue>;
  private readonly history: HistoryStore;
  private readonly credentials: JsonMap<CredentialRecord>;
  private readonly vault: CredentialVault;
  private readonly membership: GroupMembership;
  private readonly hosts = new Map<string, PipelineHost>();
  /** One producer, admin client and state reader for all the source pipelines here (not one each). */
  private readonly sharedKafka: KafkaResources;
  /** Reconciles run one at a time, in order. */
  private chain: Promise<void> = Promise.resolve();
  private server: FastifyInstance | undefined;
  private stopping = false;
  readonly service: ClusterService;

  constructor(private readonly options: WorkerOptions) {
    const w = options.config.worker;
    this.log = options.logger.child({ worker: w.id });
    this.rd = rdkafkaConfig(options.config.kafka);
    this.metrics = new ServeMetrics(w.id);
    this.sharedKafka = new KafkaResources({ logger: this.log });
    this.metrics.pendingRecords = () => this.sharedKafka.pendingRecords;
    const topic = (name: string) => ({
      rd: this.rd,
      topic: name,
      replicationFactor: w.topics.replication_factor,
      logger: this.log,
    });
    this.configs = new JsonMap<PipelineRecord>(topic(w.topics.config), (v) => v as PipelineRecord);
    this.statuses = new JsonMap<StatusTopicValue>(topic(w.topics.status), parseStatusTopicValue);
    this.history = new HistoryStore({
      history: this.metrics.history,
      statuses: this.statuses,
      workerId: w.id,
      logger: this.log,
    });
    this.credentials = new JsonMap<CredentialRecord>(topic(w.topics.credentials), (v) => v as CredentialRecord);
    this.vault = new CredentialVault(
      this.credentials,
      w.master_key,
      (key, baseUrl) => this.testKey(key, baseUrl),
      (name) => this.service.usersOf(name),
    );
    this.membership = new GroupMembership({
      rd: this.rd,
      groupId: w.group_id,
      workerId: w.id,
      topic: w.topics.assignment,
      partitions: w.topics.assignment_partitions,
      replicationFactor: w.topics.replication_factor,
      sessionTimeoutMs: w.session_timeout_ms,
      logger: this.log,
      onAssigned: () => this.rebalanced(),
      onRevoked: () => this.rebalanced(),
    });
    this.service = new ClusterService({
      worker: options.config,
      configs: this.configs,
      statuses: this.statuses,
      vault: this.vault,
      partitions: () => this.membership.partitionCount,
      ready: () => this.membership.ready && !this.stopping,
      history: (name) => this.history.answer(name),
      ...(options.env ? { env: options.env } : {}),
    });
  }

  /** Reads the group's topics, joins the group, then listens. Resolves with the REST address. */
  async start(): Promise<string> {
    await Promise.all([this.configs.start(), this.statuses.start(), this.credentials.start()]);
    this.configs.onChange(() => this.reconcileSoon());
    this.history.start();
    await this.membership.start();
    const w = this.options.config.worker;
    this.server = buildRestServer({
      api: this.service,
      tokens: w.rest.tokens,
      registry: this.metrics.registry,
      logger: this.log,
    });
    const address = await this.server.listen({ host: w.rest.host, port: w.rest.port });
    this.log.info('worker started', { address, group: w.group_id });
    return address;
  }

  /** Pipelines running here now. */
  running(): string[] {
    return [...this.hosts.keys()].sort();
  }

  /**
   * Clean shutdown: stop every pipeline (in-flight pages and commands finish, state is
   * stored), then leave the group so others take over at once, then close the topics.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info('worker stopping', { pipelines: this.running() });
    await this.chain.catch(() => undefined);
    const timeout = this.options.config.worker.shutdown_timeout_ms;
    const halted = Promise.all([...this.hosts.values()].map((h) => h.halt()));
    const timedOut = await Promise.race([
      halted.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), timeout).unref()),
    ]);
    if (timedOut)
      this.log.warn(
        'pipelines did not stop within worker.shutdown_timeout_ms; leaving anyway (their unacknowledged work is redone by the next owner)',
        { timeoutMs: timeout },
      );
    this.hosts.clear();
    // Their hours, current minute included, for whoever runs them next; a broker that does not
    // answer holds the shutdown no longer than the pipelines may take (their minutes are then lost).
    await Promise.race([this.history.stop(), new Promise<void>((r) => setTimeout(r, timeout).unref())]);
    await this.sharedKafka.close();
    await this.membership.stop();
    await this.server?.close();
    await Promise.all([this.configs.stop(), this.statuses.stop(), this.credentials.stop()]);
    this.log.info('worker stopped');
  }

  private rebalanced(): void {
    this.metrics.rebalances.inc();
    this.reconcileSoon();
  }

  private reconcileSoon(): void {
    if (this.stopping) return;
    this.chain = this.chain
      .then(() => this.reconcile())
      .catch((err: unknown) => this.log.error('reconciling pipelines failed', { err: err as Error }));
  }

  private async reconcile(): Promise<void> {
    if (this.stopping) return;
    const owned = this.membership.slots();
    const wanted = new Map<string, PipelineRecord>();
    for (const r of this.configs.values()) if (owned.has(r.slot)) wanted.set(r.name, r);
    const stops: Promise<void>[] = [];
    for (const [name, host] of this.hosts) {
      const r = wanted.get(name);
      if (r && r.target === 'RUNNING' && r.generation === host.generation) continue;
      this.hosts.delete(name);
      stops.push(
        host.halt().then(async () => {
          // Owner-only writes: a pipeline that moved away gets its status from the new owner.
          if (r && r.target === 'PAUSED' && this.membership.slots().has(r.slot)) await this.writePaused(r);
          if (!r) this.metrics.setState(name, undefined);
        }),
      );
    }
    await Promise.all(stops);
    // Hours of pipelines no longer run here: stored for their next owner, or deleted with them.
    await Promise.all(
      this.metrics.history
        .pipelines()
        .filter((name) => !wanted.has(name))
        .map((name) => (this.configs.get(pipelineKey(name)) ? this.history.release(name) : this.history.removed(name))),
    );
    // The stored hours of pipelines about to start here, including a previous owner's last write.
    if ([...wanted.values()].some((r) => r.target === 'RUNNING' && !this.hosts.has(r.name))) await this.statuses.sync();
    for (const r of wanted.values()) {
      if (this.hosts.has(r.name) || this.stopping) continue;
      if (r.target === 'PAUSED') {
        const s = statusOf(this.statuses, r.name);
        if (s?.state !== 'PAUSED' || s.worker_id !== this.options.config.worker.id) await this.writePaused(r);
        continue;
      }
      const host = new PipelineHost({
        record: r,
        workerId: this.options.config.worker.id,
        resolve: (rec) => this.resolve(rec),
        writeStatus: (s) => this.statuses.put(statusKey(s.name), s),
        metrics: this.metrics,
        logger: this.log,
        sharedKafka: this.sharedKafka,
        backoff: {
          minMs: this.options.config.worker.restart.min_backoff_ms,
          maxMs: this.options.config.worker.restart.max_backoff_ms,
        },
      });
      this.hosts.set(r.name, host);
      this.history.started(r.name);
      host.start();
    }
    this.metrics.assigned.set(this.hosts.size);
  }

  private async writePaused(r: PipelineRecord): Promise<void> {
    this.metrics.setState(r.name, 'PAUSED');
    const old = statusOf(this.statuses, r.name);
    await this.statuses.put(statusKey(r.name), {
      name: r.name,
      state: 'PAUSED',
      worker_id: this.options.config.worker.id,
      generation: r.generation,
      streams: old?.streams ?? [],
      ...(old?.last_pass ? { last_pass: old.last_pass } : {}),
      ...(old?.last_error ? { last_error: old.last_error } : {}),
      failures: 0,
      updated_at: new Date().toISOString(),
    });
  }

  private async resolve(
    r: PipelineRecord,
  ): Promise<{ config: ReturnType<typeof resolvePipelineConfig>; apiKey: string }> {
    const config = resolvePipelineConfig(r.name, r.config, this.options.config, this.options.env);
    const apiKey = config.ashby.credential ? await this.vault.key(config.ashby.credential) : config.ashby.api_key!;
    return { config, apiKey };
  }

  private async testKey(key: string, baseUrl: string) {
    const client = new AshbyClient(
      withAshbyDefaults({
        apiKey: key,
        baseUrl,
        retry: { retries: 2, minDelayMs: 200, maxDelayMs: 2_000 },
        logger: this.log,
      }),
    );
    try {
      return await testAshbyKey(client, { logger: this.log });
    } finally {
      await client.close();
    }
  }
}
