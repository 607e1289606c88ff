import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Kafka from 'node-rdkafka';
import type { Message } from 'node-rdkafka';
import { loadContract, type CommandEntity } from '../../../src/avro/contract.js';
import { createCommandMapper } from '../../../src/sink/operations/command-mapping.js';
import { createSerde } from '../../../src/avro/serde/create-serde.js';
import type { Serde } from '../../../src/avro/serde/serde.js';
import { resolveConfig } from '../../../src/config/load.js';
import type { PipelineConfig } from '../../../src/config/schema.js';
import { KafkaAdmin } from '../../../src/kafka/admin.js';
import { KafkaProducer } from '../../../src/kafka/producer.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { runSink, type SinkRunOptions, type SinkRunResult } from '../../../src/sink/runner.js';
import { BOOTSTRAP, REGISTRY_URL, kafkaTestConfig, uniqueName } from '../../support/stack.js';

/**
 * One sink pipeline per test: an in-process sandbox, unique command/DLQ/results/ledger topics on
 * the real broker, the real registry, and helpers to produce commands and read what came out.
 */
export const ENTITIES: CommandEntity[] = ['candidate', 'job', 'application', 'offer', 'interview_schedule'];
const contract = loadContract();
const mapper = createCommandMapper(contract);

export interface ConfigOverrides {
  key?: string;
  destination?: Record<string, unknown>;
  format?: 'avro' | 'json';
  logLevel?: string;
}

export interface SinkFixture {
  sandbox: RunningSandbox;
  topics: Record<CommandEntity, string>;
  dlq: string;
  results: string;
  ledger: string;
  groupId: string;
  config(overrides?: ConfigOverrides): PipelineConfig;
  /** The same config as a JSON file, for the CLI. */
  configFile(overrides?: ConfigOverrides): string;
  rawConfig(overrides?: ConfigOverrides): Record<string, unknown>;
  /** Sends commands (plain JSON objects, validated against the command schema) and waits for their acknowledgement. */
  send(
    entity: CommandEntity,
    commands: Array<{ key: string; value: Record<string, unknown> | string | Buffer }>,
    format?: 'avro' | 'json',
  ): Promise<void>;
  run(overrides?: Parameters<SinkFixture['config']>[0], options?: SinkRunOptions): Promise<SinkRunResult>;
  readAll(topic: string): Promise<Message[]>;
  decodeResult(m: Message): Promise<Record<string, unknown>>;
  committed(entity: CommandEntity): Promise<number[]>;
  /** How many candidates with this email the sandbox holds, found through Ashby's own `candidate.search`. */
  candidatesWithEmail(email: string): Promise<number>;
  close(): Promise<void>;
}

export async function sinkFixture(
  name: string,
  options: { partitions?: number; sandbox?: Parameters<typeof startSandbox>[0] } = {},
): Promise<SinkFixture> {
  const sandbox = await startSandbox({ seed: 1, scale: 200, ...(options.sandbox ?? {}) });
  const admin = KafkaAdmin.create(kafkaTestConfig());
  const topics = Object.fromEntries(ENTITIES.map((e) => [e, uniqueName(`${name}.${e}`)])) as Record<
    CommandEntity,
    string
  >;
  await admin.ensureTopics(
    ENTITIES.map((e) => ({ name: topics[e], partitions: options.partitions ?? 2, replicationFactor: 1 })),
  );
  admin.close();
  const producer = await KafkaProducer.connect({ config: kafkaTestConfig() });
  const serde: Serde = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
  const dlq = uniqueName(`${name}.dlq`);
  const results = uniqueName(`${name}.results`);
  const ledger = uniqueName(`${name}.ledger`);
  const groupId = uniqueName(`${name}.group`);

  const fixture: SinkFixture = {
    sandbox,
    topics,
    dlq,
    results,
    ledger,
    groupId,
    config: (o = {}) => resolveConfig(fixture.rawConfig(o), { env: {} }),
    configFile(o = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'ashby-kafka-sink-'));
      const file = join(dir, 'pipeline.json');
      writeFileSync(file, JSON.stringify(fixture.rawConfig(o), null, 2));
      return file;
    },
    rawConfig: (o = {}) => ({
      ashby: {
        api_key: o.key ?? sandbox.keys.full,
        base_url: sandbox.url,
        retry: { retries: 2, min_delay_ms: 10, max_delay_ms: 50 },
      },
      // A short session, so a group member killed with SIGKILL is evicted quickly.
      kafka: {
        bootstrap_servers: BOOTSTRAP,
        group_id: groupId,
        librdkafka: { log_level: 0, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 1000 },
      },
      schema_registry: { url: REGISTRY_URL },
      destination: {
        topics: ENTITIES.map((e) => ({ topic: topics[e], entity: e })),
        value_format: o.format ?? 'avro',
        dead_letter_topic: dlq,
        results_topic: results,
        ledger_topic: ledger,
        ...(o.destination ?? {}),
      },
      logging: { level: o.logLevel ?? 'silent' },
    }),
    async send(entity, commands, format = 'avro') {
      await Promise.all(
        commands.map(async ({ key, value }) => {
          let bytes: Buffer;
          if (Buffer.isBuffer(value)) bytes = value;
          else if (format === 'json') bytes = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
          else
            bytes = await serde.encodeValue(
              topics[entity],
              contract.commandType(entity),
              mapper.parseJsonCommand(entity, value as Record<string, unknown>),
            );
          await producer.send({ topic: topics[entity], key, value: bytes });
        }),
      );
    },
    run: (o, runOptions) => runSink(fixture.config(o), { once: true, takeoverGraceMs: 0, ...(runOptions ?? {}) }),
    readAll: (topic) => readAll(topic),
    async decodeResult(m) {
      return (await serde.decodeValue(results, m.value!)) as Record<string, unknown>;
    },
    async candidatesWithEmail(email) {
      const res = await fetch(`${sandbox.url}/candidate.search`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${sandbox.keys.full}:`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ email }),
      });
      return ((await res.json()) as { results: unknown[] }).results.length;
    },
    async committed(entity) {
      const c = new Kafka.KafkaConsumer(
        { 'bootstrap.servers': BOOTSTRAP, 'group.id': groupId, log_level: 0 } as Kafka.ConsumerGlobalConfig,
        {},
      );
      await new Promise<void>((res, rej) => c.connect({ timeout: 10_000 }, (e) => (e ? rej(e) : res())));
      const parts = Array.from({ length: options.partitions ?? 2 }, (_, partition) => ({
        topic: topics[entity],
        partition,
      }));
      const got = await new Promise<Array<{ offset?: number }>>((res, rej) =>
        c.committed(parts, 10_000, (e, tps) => (e ? rej(e) : res(tps))),
      );
      await new Promise<void>((res) => c.disconnect(() => res()));
      return got.map((t) => (typeof t.offset === 'number' && t.offset >= 0 ? t.offset : 0));
    },
    async close() {
      await producer.close();
      await serde.close();
      await sandbox.close();
    },
  };
  return fixture;
}

/** Every message of a topic (all partitions), read with a throwaway assignment. */
export async function readAll(topic: string): Promise<Message[]> {
  const c = new Kafka.KafkaConsumer(
    {
      'bootstrap.servers': BOOTSTRAP,
      'group.id': uniqueName('reader'),
      'enable.auto.commit': false,
      log_level: 0,
    } as Kafka.ConsumerGlobalConfig,
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((res, rej) => c.connect({ timeout: 10_000 }, (e) => (e ? rej(e) : res())));
  try {
    const md = await new Promise<Kafka.Metadata>((res, rej) =>
      c.getMetadata({ topic, timeout: 10_000 }, (e, m) => (e ? rej(e) : res(m))),
    );
    const partitions = md.topics.find((t) => t.name === topic)?.partitions.map((p) => p.id) ?? [];
    const ends = await Promise.all(
      partitions.map(
        (p) =>
          new Promise<number>((res, rej) =>
            c.queryWatermarkOffsets(topic, p, 10_000, (e, w) => (e ? rej(e) : res(w.highOffset))),
          ),
      ),
    );
    const total = ends.reduce((a, b) => a + b, 0);
    if (total === 0) return [];
    c.assign(partitions.map((partition) => ({ topic, partition, offset: 0 })));
    c.setDefaultConsumeTimeout(200);
    const out: Message[] = [];
    const deadline = Date.now() + 20_000;
    while (out.length < total && Date.now() < deadline) {
      out.push(...(await new Promise<Message[]>((res, rej) => c.consume(500, (e, m) => (e ? rej(e) : res(m))))));
    }
    return out;
  } finally {
    await new Promise<void>((res) => c.disconnect(() => res()));
  }
}

export function header(m: Message, name: string): string | undefined {
  for (const h of m.headers ?? []) if (name in h) return Buffer.from(h[name] as Buffer).toString('utf8');
  return undefined;
}

/** Stable ids of the seeded sandbox (seed 1, scale 200), looked up through its API. */
export async function sandboxIds(sandbox: RunningSandbox) {
  const call = async (endpoint: string, body: Record<string, unknown> = {}) => {
    const res = await fetch(`${sandbox.url}/${endpoint}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sandbox.keys.full}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return ((await res.json()) as { results: Array<Record<string, unknown>> }).results;
  };
  const departments = await call('department.list');
  const locations = (await call('location.list')).filter((l) => l.type !== 'LocationHierarchy' && !l.isArchived);
  const jobs = await call('job.list');
  const openJob = jobs.find((j) => j.status === 'Open' && !j.confidential)!;
  const stages = await call('interviewStage.list', { interviewPlanId: openJob.defaultInterviewPlanId });
  const sources = (await call('source.list')).filter((s) => !s.isArchived);
  const tags = (await call('candidateTag.list')).filter((t) => !t.isArchived);
  const fields = await call('customField.list');
  const users = (await call('user.list')).filter((u) => u.isEnabled);
  const archiveReasons = (await call('archiveReason.list')).filter((a) => !a.isArchived);
  return {
    teamId: (departments.find((d) => !d.isArchived && d.parentId)?.id as string) ?? (departments[0]!.id as string),
    locationId: locations[0]!.id as string,
    openJob: openJob as { id: string; defaultInterviewPlanId: string },
    stage: (type: string) => stages.find((s) => s.type === type)!.id as string,
    sourceId: sources[0]!.id as string,
    tagId: tags[0]!.id as string,
    candidateStringField: fields.find((f) => f.objectType === 'Candidate' && f.fieldType === 'String' && !f.isArchived)!
      .id as string,
    applicationLongTextField: fields.find(
      (f) => f.objectType === 'Application' && f.fieldType === 'LongText' && !f.isArchived,
    )!.id as string,
    adminUserId: users.find((u) => u.globalRole === 'Organization Admin')!.id as string,
    archiveReasonId: archiveReasons[0]!.id as string,
  };
}

/**
 * Removes records of a topic's partitions up to (not including) the given offsets, as retention
 * would: the Admin API's DeleteRecords, which node-rdkafka does not expose, run by a one-file Java
 * program on the Kafka client jars of the local stack (stack/stack.sh keeps them in
 * ASHBY_KAFKA_CACHE, default ~/.cache/ashby-kafka).
 */
export function deleteRecords(topic: string, before: Array<[partition: number, offset: number]>): void {
  const cache = process.env.ASHBY_KAFKA_CACHE ?? join(homedir(), '.cache', 'ashby-kafka');
  const kafka = readdirSync(cache).find((d) => d.startsWith('kafka-') && existsSync(join(cache, d, 'libs')));
  if (!kafka) throw new Error(`no Kafka distribution under ${cache}; run npm run stack:up`);
  const source = fileURLToPath(new URL('./DeleteRecords.java', import.meta.url));
  execFileSync(
    'java',
    ['-cp', join(cache, kafka, 'libs', '*'), source, BOOTSTRAP, topic, ...before.map(([p, o]) => `${p}:${o}`)],
    { stdio: 'pipe', timeout: 60_000 },
  );
}
