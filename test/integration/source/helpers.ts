import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Kafka from 'node-rdkafka';
import { AshbyClient } from '../../../src/ashby/index.js';
import { createSerde, loadContract, type Serde } from '../../../src/avro/index.js';
import { resolveConfig } from '../../../src/config/load.js';
import type { PipelineConfig } from '../../../src/config/schema.js';
import { createLogger, type Logger } from '../../../src/log/logger.js';
import { SourceRunner, type PassResult } from '../../../src/source/runtime/source-runner.js';
import type { SandboxEngine } from '../../../src/sandbox/index.js';
import type { EntityName } from '../../../src/sandbox/store/entities.js';
import { FULL_VIEWER, ViewContext } from '../../../src/sandbox/views/context.js';
import { postingPublished } from '../../../src/sandbox/views/jobs.js';
import { BOOTSTRAP, REGISTRY_URL, uniqueName } from '../../support/stack.js';
import { withAshbyDefaults } from '../../../src/config/ashby-options.js';

/**
 * Shared helpers of the source integration tests: a pipeline config per test (unique topic
 * prefix and state topic), one pass through the real runner, and reading a topic back from the
 * real broker, decoded with the real registry.
 */

export interface SourceTestConfig {
  url: string;
  key: string;
  streams?: 'all' | string[];
  exclude?: string[];
  exactlyOnce?: boolean;
  mode?: 'incremental' | 'full_refresh';
  state?: string;
  prefix?: string;
  checkpointInterval?: string;
  /** source.webhooks, as written in a config file. */
  webhooks?: Record<string, unknown>;
  /** More `source` settings, as written in a config file. */
  extra?: Record<string, unknown>;
}

export function sourceConfig(opts: SourceTestConfig): PipelineConfig {
  const prefix = opts.prefix ?? `${uniqueName('src')}.`;
  return resolveConfig(
    {
      ashby: {
        api_key: opts.key,
        base_url: opts.url,
        retry: { retries: 2, min_delay_ms: 10, max_delay_ms: 50 },
        rate: { requests_per_second: 500, burst: 500, max_concurrent: 16 },
      },
      kafka: { bootstrap_servers: BOOTSTRAP, librdkafka: { log_level: 0 } },
      schema_registry: { url: REGISTRY_URL },
      source: {
        streams: opts.streams ?? 'all',
        exclude: opts.exclude ?? [],
        topic_prefix: prefix,
        mode: opts.mode ?? 'incremental',
        state: opts.state ?? 'kafka',
        state_topic: `${prefix}state`,
        exactly_once: opts.exactlyOnce ?? false,
        ...(opts.checkpointInterval !== undefined ? { checkpoint_interval: opts.checkpointInterval } : {}),
        ...(opts.webhooks ? { webhooks: opts.webhooks } : {}),
        ...opts.extra,
        topics: { partitions: 2 },
      },
      logging: { level: 'warn' },
    },
    { env: {} },
  );
}

/** Writes the config as a YAML-compatible JSON file for the CLI. */
export function writeConfigFile(config: PipelineConfig): string {
  const file = join(tmpdir(), `${uniqueName('cfg')}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

export interface LoggedLine {
  level: string;
  msg: string;
  [k: string]: unknown;
}

export function captureLogger(): { logger: Logger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const logger = createLogger({ level: 'info', format: 'json', write: (l) => lines.push(JSON.parse(l) as LoggedLine) });
  return { logger, lines };
}

/** One pass with a fresh client and runner, closed afterwards. */
export async function runPass(config: PipelineConfig, logger?: Logger): Promise<PassResult> {
  const client = new AshbyClient(
    withAshbyDefaults({
      apiKey: config.ashby.api_key!,
      baseUrl: config.ashby.base_url,
      retry: { retries: 2, minDelayMs: 10, maxDelayMs: 50 },
      rate: { requestsPerSecond: 500, burst: 500, maxConcurrent: 16 },
    }),
  );
  const runner = await SourceRunner.open(config, { client, ...(logger ? { logger } : {}) });
  try {
    return await runner.runPass();
  } finally {
    await runner.close();
    await client.close();
  }
}

export interface TopicRecord {
  key: string;
  keyBytes: Buffer;
  value: Buffer;
  headers: Record<string, string>;
  partition: number;
  offset: number;
  /** The record's Kafka timestamp (ms). */
  timestamp: number;
}

/** Every record of a topic, from the beginning to the end (committed records only by default). */
export async function readTopic(
  topic: string,
  isolation: 'read_committed' | 'read_uncommitted' = 'read_committed',
): Promise<TopicRecord[]> {
  const consumer = new Kafka.KafkaConsumer(
    {
      'bootstrap.servers': BOOTSTRAP,
      'group.id': uniqueName('reader'),
      'enable.auto.commit': false,
      'enable.partition.eof': true,
      'isolation.level': isolation,
      log_level: 0,
    } as Kafka.ConsumerGlobalConfig,
    {},
  );
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 10_000 }, (err) => (err ? reject(err) : resolve())),
  );
  try {
    const md = await new Promise<Kafka.Metadata>((resolve, reject) =>
      consumer.getMetadata({ topic, timeout: 10_000 }, (err, d) => (err ? reject(err) : resolve(d))),
    );
    const partitions = md.topics.find((t) => t.name === topic)?.partitions.map((p) => p.id) ?? [];
    const open = new Set(partitions);
    const out: TopicRecord[] = [];
    consumer.on('partition.eof', (e: { partition: number }) => open.delete(e.partition));
    consumer.assign(partitions.map((partition) => ({ topic, partition, offset: -2 })));
    consumer.setDefaultConsumeTimeout(200);
    const deadline = Date.now() + 30_000;
    while (open.size > 0 && Date.now() < deadline) {
      const msgs = await new Promise<Kafka.Message[]>((resolve, reject) =>
        consumer.consume(1000, (err, m) => (err ? reject(err) : resolve(m))),
      );
      for (const m of msgs) {
        const headers: Record<string, string> = {};
        for (const h of m.headers ?? [])
          for (const [k, v] of Object.entries(h)) headers[k] = Buffer.isBuffer(v) ? v.toString() : String(v);
        const keyBytes =
          m.key === undefined || m.key === null
            ? Buffer.alloc(0)
            : Buffer.isBuffer(m.key)
              ? m.key
              : Buffer.from(String(m.key));
        out.push({
          key: keyBytes.toString(),
          keyBytes,
          value: m.value ?? Buffer.alloc(0),
          headers,
          partition: m.partition,
          offset: m.offset,
          timestamp: m.timestamp ?? 0,
        });
      }
    }
    if (open.size > 0) throw new Error(`reading ${topic} did not reach the end`);
    return out;
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

export function registrySerde(): Serde {
  return createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, loadContract());
}

/** Stream name → the sandbox entity it lists (hiring_team_roles is a fixed list, not a stored entity; candidate_projects is keyed by pairs). */
export const STREAM_ENTITY: Record<string, EntityName> = {
  candidates: 'candidate',
  applications: 'application',
  jobs: 'job',
  job_postings: 'jobPosting',
  openings: 'opening',
  offers: 'offer',
  interviews: 'interview',
  interview_plans: 'interviewPlan',
  interview_stages: 'interviewStage',
  interview_schedules: 'interviewSchedule',
  interview_events: 'interviewEvent',
  departments: 'department',
  locations: 'location',
  users: 'user',
  sources: 'source',
  archive_reasons: 'archiveReason',
  close_reasons: 'closeReason',
  candidate_tags: 'candidateTag',
  custom_fields: 'customField',
  feedback_form_definitions: 'feedbackFormDefinition',
  application_feedback: 'applicationFeedback',
  approvals: 'approval',
  projects: 'project',
  job_templates: 'jobTemplate',
  interviewer_pools: 'interviewerPool',
  survey_form_definitions: 'surveyFormDefinition',
  candidate_notes: 'note',
  brands: 'brand',
  communication_templates: 'communicationTemplate',
  interview_stage_groups: 'interviewStageGroup',
  job_boards: 'jobBoard',
  source_tracking_links: 'sourceTrackingLink',
  survey_requests: 'surveyRequest',
  survey_submissions: 'surveySubmission',
  assessments: 'assessment',
  application_hiring_team_roles: 'applicationHiringTeamRole',
};

/**
 * Ids of every stored record of an entity, straight from the sandbox store (not through the
 * API). Job postings count only while published: jobPosting.list has no way to ask for others.
 */
export function storedIds(engine: SandboxEngine, entity: EntityName): Set<string> {
  const out = new Set<string>();
  const view = new ViewContext(engine.store, FULL_VIEWER);
  const n = engine.store.positions(entity);
  for (let i = 0; i < n; i++) {
    const r = engine.store.atPosition(entity, i);
    if (!r) continue;
    if (entity === 'jobPosting' && !postingPublished(r as never, view)) continue;
    out.add(r.id);
  }
  return out;
}

/** Ids of confidential records (and candidates attached only to confidential things), for a key without the confidential option. */
export function hiddenFromReadonly(
  engine: SandboxEngine,
  entity: 'candidate' | 'application' | 'job' | 'project',
): Set<string> {
  const view = new ViewContext(engine.store, { confidential: false, privateFields: false });
  const out = new Set<string>();
  for (const id of storedIds(engine, entity)) {
    const r = engine.store.get<Record<string, unknown>>(entity, id)!;
    const visible =
      entity === 'job'
        ? view.jobVisible(id)
        : entity === 'application'
          ? view.applicationVisible(id)
          : entity === 'project'
            ? view.projectVisible(r as never)
            : view.candidateVisible(r as never);
    if (!visible) out.add(id);
  }
  return out;
}
