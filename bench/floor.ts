/**
 * Floor benchmark (`npm run bench -- floor [--quick] [--runs N] [--scale N] [--cpu-prof DIR] [--streams a,b]`): the CPU a record
 * must cost, and what the connector's source costs for the same records, in the same run.
 *
 * The floor is what has to happen to every record: parse its page's JSON, encode it to Avro
 * (bare avsc with the stream's schema, see toBuffer below, after the least mapping the schema needs:
 * fields looked up by their Ashby name, null for what is missing, ISO instants as Date,
 * `value` alternatives by JSON type) and hand it to librdkafka (node-rdkafka `produce`, page by
 * page, with the connector's producer settings and delivery reports, until every record is
 * acknowledged by the real broker). The pages are the sandbox's, fetched once as raw bytes.
 *
 * The connector's figure is a real source pass (SourceRunner, full refresh) of the same stream
 * reading the same bytes: the captured responses go through the Ashby client's classification
 * and paginator (only undici is left out), then the stream reader, mapping, serde in Confluent
 * format, headers, producer and delivery tracking. The same pass reading from the sandbox over
 * HTTP (its own child process, no added latency) is reported next to it: the HTTP reading is
 * the client benchmark's business, and the tenants-per-core figure uses it. Floor and connector run in
 * two children of their own, kept alive between runs, so `process.cpuUsage()` (librdkafka's
 * threads included) counts one of them each; runs alternate floor and connector, the first run
 * of each warms up (JIT, connections, topics, schema registration) and is not counted. Figures
 * are medians of the remaining runs; the ratio is the median of the per-run ratios.
 * `--cpu-prof DIR` writes a V8 CPU profile of the connector child into DIR.
 *
 * Sizes: 20,000 candidates (about 28,000 applications, 11 departments); `--quick` 5,000.
 * Departments is a small metadata stream: the floor repeats its one page up to 2,000 records,
 * while the connector's figure for it is a whole pass per record (one page, plus the pass's
 * fixed costs), which is why its ratio has no target.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type avsc from 'avsc';
import Kafka from 'node-rdkafka';
import { request } from 'undici';
import {
  AshbyClient,
  type ApiKeyInfo,
  type AshbyPage,
  type AshbyResult,
  type PagesOptions,
} from '../src/ashby/index.js';
import { classifyResponse } from '../src/ashby/classify.js';
import { parseJsonBody } from '../src/ashby/json-body.js';
import { firstPageBody, paginate, type EnvelopeFetcher } from '../src/ashby/paginator.js';
import { createSerde, createStreamMapper, loadContract } from '../src/avro/index.js';
import { serdeConfigFrom } from '../src/config/serde-options.js';
import { withAshbyDefaults } from '../src/config/ashby-options.js';
import { rdkafkaConfig } from '../src/config/kafka-options.js';
import { resolveConfig } from '../src/config/load.js';
import type { PipelineConfig } from '../src/config/schema.js';
import { DEFAULT_MAX_IN_FLIGHT, KafkaAdmin, POLL_INTERVAL_MS, PRODUCER_DEFAULTS, RdCode } from '../src/kafka/index.js';
import { silentLogger } from '../src/log/logger.js';
import { DEFAULT_CATALOG } from '../src/source/catalog.js';
import { kafkaForSource, SourceRunner, type SourceClient } from '../src/source/runtime/source-runner.js';
import { selectedHeaders } from '../src/source/headers.js';
import { toOutgoing, type EncodeContext } from '../src/source/runtime/stream-task.js';
import { readStream } from '../src/source/stream-reader.js';
import { startSandbox } from '../src/sandbox/index.js';
import { figure, met, ResultRecorder, summarize, type Figure, type SeriesRow } from './lib/results.js';

const median = (xs: readonly number[]): number => summarize(xs).median;
const verdict = (f: Figure): string => (f.target ? (met(f) ? 'met' : 'missed') : '');

const SELF = fileURLToPath(import.meta.url);
const BOOTSTRAP = process.env.KAFKA_BOOTSTRAP ?? '127.0.0.1:9092';
const REGISTRY = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const API_KEY = 'sandbox_full';
const ALL_STREAMS = ['candidates', 'applications', 'departments'] as const;
type StreamName = (typeof ALL_STREAMS)[number];
/** `--streams a,b`: only these (e.g. to profile one); the children learn it from the environment. */
const STREAMS: readonly StreamName[] = (() => {
  const i = process.argv.indexOf('--streams');
  const only = (i > 0 ? process.argv[i + 1] : process.env.BENCH_FLOOR_STREAMS)?.split(',');
  process.env.BENCH_FLOOR_STREAMS = (only ?? ALL_STREAMS).join(',');
  return only ? ALL_STREAMS.filter((s) => only.includes(s)) : ALL_STREAMS;
})();
/** Target of connector CPU per record ÷ floor, candidates (issue 18). */
const RATIO_TARGET = 1.5;
/** The floor repeats a small stream's pages up to this many records, so its figure is per record, not per call. */
const MIN_FLOOR_RECORDS = 2_000;

interface RunResult {
  cpuUs: number;
  records: number;
  wallMs: number;
  sink?: number;
}

/**
 * Cumulative phases, for the breakdown: the floor stops after parsing, mapping, encoding or
 * producing; the connector after reading (Ashby client and stream reader), encoding (the
 * records as handed to the producer: the Avro bytes written straight from the JSON, or mapped
 * then encoded for a record that needs its catch-all; serde, headers) or a whole pass.
 */
const FLOOR_PHASES = ['parse', 'map', 'encode', 'produce'] as const;
type FloorPhase = (typeof FLOOR_PHASES)[number];
const CONNECTOR_PHASES = ['read', 'encode', 'pass'] as const;
/** `http`: the same pass with the real client reading from the sandbox over HTTP. */
type ConnectorPhase = (typeof CONNECTOR_PHASES)[number] | 'http';

// ---- the least mapping ----------------------------------------------------------------------

type Least = (json: unknown) => unknown;
type Json = Record<string, unknown>;
type Kind = 'string' | 'boolean' | 'number' | 'array' | 'record' | 'any';

const identity: Least = (v) => v;

/**
 * What avsc needs to encode an Ashby record with the stream's schema, and nothing more:
 * each field read under its Ashby name (`ashby.name`), null when missing, instants as Date,
 * a value with alternatives (`value` → valueString, valueBoolean, …) put in the one matching its
 * JSON type. Fields the schema does not know are dropped (the connector keeps them in the
 * catch-all; the floor does not).
 */
function compileLeast(root: unknown): Least {
  const named = new Map<string, Least>();
  const kinds = new Map<string, Kind>();
  const recordKeys = new Map<string, Set<string>>();
  const full = (name: string, ns: string | undefined): string => (name.includes('.') || !ns ? name : `${ns}.${name}`);
  const lookup = (name: string, ns: string | undefined): string =>
    named.has(full(name, ns)) ? full(name, ns) : named.has(name) ? name : full(name, ns);

  const kindOf = (s: unknown, ns: string | undefined): Kind => {
    if (Array.isArray(s)) return kindOf(s[1], ns);
    if (typeof s === 'string') {
      if (s === 'string') return 'string';
      if (s === 'boolean') return 'boolean';
      if (['double', 'float', 'long', 'int'].includes(s)) return 'number';
      return kinds.get(lookup(s, ns)) ?? 'any';
    }
    const o = s as Json;
    if (o.logicalType === 'json') return 'any';
    if (o.logicalType) return 'string';
    if (o.type === 'array') return 'array';
    if (o.type === 'record') return 'record';
    if (o.type === 'enum') return 'string';
    return kindOf(o.type, ns);
  };

  const compile = (s: unknown, ns: string | undefined): Least => {
    if (Array.isArray(s)) {
      const inner = compile(s[1], ns);
      return (v) => (v === null || v === undefined ? null : inner(v));
    }
    if (typeof s === 'string') {
      if (['string', 'boolean', 'double', 'float', 'long', 'int'].includes(s)) return identity;
      const name = lookup(s, ns);
      return (v) => named.get(name)!(v);
    }
    const o = s as Json;
    if (o.logicalType === 'timestamp-millis') return (v) => new Date(v as string);
    if (o.logicalType) return identity;
    if (o.type === 'array') {
      const items = compile(o.items, ns);
      return (v) => (v as unknown[]).map(items);
    }
    if (o.type === 'enum') {
      named.set(full(o.name as string, ns), identity);
      kinds.set(full(o.name as string, ns), 'string');
      return identity;
    }
    if (o.type !== 'record') return compile(o.type, ns);
    const name = full(o.name as string, typeof o.namespace === 'string' ? o.namespace : ns);
    const childNs = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : ns;
    kinds.set(name, 'record');
    named.set(name, identity); // replaced below; recursive references resolve lazily
    const fields = o.fields as Json[];
    recordKeys.set(name, new Set(fields.map((f) => (f['ashby.name'] as string | undefined) ?? (f.name as string))));
    const avroNames = fields.map((f) => f.name as string);
    const groups = new Map<string, Array<{ name: string; kind: Kind; map: Least; type: unknown }>>();
    for (const f of fields) {
      if (f.name === 'additionalProperties') continue;
      const json = (f['ashby.name'] as string | undefined) ?? (f.name as string);
      const list = groups.get(json) ?? [];
      list.push({ name: f.name as string, kind: kindOf(f.type, childNs), map: compile(f.type, childNs), type: f.type });
      groups.set(json, list);
    }
    const plan = [...groups.entries()];
    const pick = (alternatives: Array<{ name: string; kind: Kind; map: Least; type: unknown }>, v: unknown) => {
      const kind: Kind =
        typeof v === 'string'
          ? 'string'
          : typeof v === 'boolean'
            ? 'boolean'
            : typeof v === 'number'
              ? 'number'
              : Array.isArray(v)
                ? 'array'
                : 'record';
      if (kind !== 'record')
        return alternatives.find((a) => a.kind === kind) ?? alternatives.find((a) => a.kind === 'any');
      let best: (typeof alternatives)[number] | undefined;
      let score = -1;
      for (const a of alternatives) {
        if (a.kind !== 'record') continue;
        const t = Array.isArray(a.type) ? a.type[1] : a.type;
        const keys = recordKeys.get(
          typeof t === 'string' ? lookup(t, childNs) : full((t as Json).name as string, childNs),
        );
        const n = Object.keys(v as Json).filter((k) => keys?.has(k)).length;
        if (n > score) [best, score] = [a, n];
      }
      return best;
    };
    const map: Least = (v) => {
      const json = v as Json;
      const out: Json = {};
      for (const n of avroNames) out[n] = null;
      for (const [key, alternatives] of plan) {
        const value = json[key];
        if (alternatives.length === 1) out[alternatives[0]!.name] = alternatives[0]!.map(value);
        else if (value !== null && value !== undefined) {
          const a = pick(alternatives, value);
          if (a) out[a.name] = a.map(value);
        }
      }
      return out;
    };
    named.set(name, map);
    return map;
  };
  return compile(root, undefined);
}

// ---- the floor child ------------------------------------------------------------------------

let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * avsc's `toBuffer` without its one weakness: it encodes into a 1 KiB buffer and, for a larger
 * record (most candidates are 1.2–1.5 KiB of Avro), encodes the record a second time. This
 * encodes once into a 64 KiB scratch buffer and copies the bytes out, the least avsc can do.
 */
function toBuffer(type: avsc.Type, value: unknown): Buffer {
  let end = type.encode(value, scratch, 0);
  while (end < 0) {
    scratch = Buffer.allocUnsafe(scratch.length * 2);
    end = type.encode(value, scratch, 0);
  }
  const out = Buffer.allocUnsafe(end);
  scratch.copy(out, 0, 0, end);
  return out;
}

/** Every page of a stream's list as raw bytes, as the connector's client asks for them. */
async function capture(url: string, stream: StreamName): Promise<Buffer[]> {
  return (await capturePages(url, stream)).map((p) => p.bytes);
}

interface CapturedPage {
  bytes: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** The cursor that asks for this page (undefined for the first). */
  cursor: string | undefined;
}

async function capturePages(url: string, stream: StreamName): Promise<CapturedPage[]> {
  const s = DEFAULT_CATALOG.get(stream)!;
  const first = firstPageBody(s.endpoint, { ...(s.body ?? {}) }, {});
  const pages: CapturedPage[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await request(`${url}/${s.endpoint}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
        'content-type': 'application/json',
        accept: 'application/json; version=1',
      },
      body: JSON.stringify(cursor === undefined ? first : { ...first, cursor }),
    });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode !== 200) throw new Error(`${s.endpoint}: HTTP ${res.statusCode} ${bytes.toString()}`);
    pages.push({ bytes, headers: res.headers, cursor });
    const env = JSON.parse(bytes.toString('utf8')) as { moreDataAvailable?: boolean; nextCursor?: string };
    if (!env.moreDataAvailable) return pages;
    cursor = env.nextCursor;
  }
}

async function floorChild(url: string, prefix: string): Promise<void> {
  const contract = loadContract();
  const config = resolveConfig({ ashby: { api_key: 'x' }, kafka: { bootstrap_servers: BOOTSTRAP } }, { env: {} });
  const streams = new Map<StreamName, { pages: Buffer[]; type: avsc.Type; least: Least; repeat: number }>();
  let records = 0;
  for (const name of STREAMS) {
    const pages = await capture(url, name);
    const n = pages.reduce(
      (sum, p) => sum + (JSON.parse(p.toString('utf8')) as { results: unknown[] }).results.length,
      0,
    );
    records += n;
    streams.set(name, {
      pages,
      type: contract.streamType(name),
      least: compileLeast(contract.streamSchema(name)),
      repeat: Math.max(1, Math.ceil(MIN_FLOOR_RECORDS / Math.max(1, n))),
    });
  }
  const admin = KafkaAdmin.create(rdkafkaConfig(config.kafka));
  await admin.ensureTopics(
    STREAMS.map((s) => ({
      name: `${prefix}${s}`,
      partitions: 3,
      replicationFactor: 1,
      config: { 'cleanup.policy': 'compact' },
    })),
  );
  admin.close();

  const producer = new Kafka.Producer({
    ...PRODUCER_DEFAULTS,
    ...rdkafkaConfig(config.kafka),
    dr_cb: true,
  } as Kafka.ProducerGlobalConfig);
  let sent = 0;
  let delivered = 0;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  producer.on('delivery-report', (err) => {
    delivered++;
    if (err) failed ??= new Error(err.message);
    if (wake) {
      const w = wake;
      wake = undefined;
      w();
    }
  });
  await new Promise<void>((resolve, reject) => producer.connect({}, (err) => (err ? reject(err) : resolve())));
  producer.setPollInterval(POLL_INTERVAL_MS);
  const waitBelow = async (n: number): Promise<void> => {
    while (sent - delivered > n) await new Promise<void>((r) => (wake = r));
  };

  /** Keeps the JIT from dropping work whose result is unused in the partial phases. */
  let sink = 0;
  const run = async (name: StreamName, phase: FloorPhase): Promise<RunResult> => {
    const s = streams.get(name)!;
    const topic = `${prefix}${name}`;
    const before = sent;
    let records = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let rep = 0; rep < s.repeat; rep++) {
      for (const page of s.pages) {
        const envelope = parseJsonBody(page) as { results: Json[] };
        records += envelope.results.length;
        if (phase === 'parse') continue;
        for (const record of envelope.results) {
          const mapped = s.least(record);
          if (phase === 'map') {
            sink += mapped === null ? 1 : 0;
            continue;
          }
          const value = toBuffer(s.type, mapped);
          if (phase === 'encode') {
            sink += value.length;
            continue;
          }
          for (;;) {
            try {
              producer.produce(topic, null, value, record.id as string, null);
              break;
            } catch (err) {
              if ((err as { code?: number }).code !== RdCode.QUEUE_FULL) throw err;
              await waitBelow(sent - delivered - 1);
            }
          }
          sent++;
        }
        await waitBelow(DEFAULT_MAX_IN_FLIGHT);
      }
    }
    await waitBelow(0);
    const cpu = process.cpuUsage(cpu0);
    if (failed) throw failed;
    if (phase === 'produce' && sent - before !== records) throw new Error(`sent ${sent - before} of ${records}`);
    return { cpuUs: cpu.user + cpu.system, records, wallMs: performance.now() - t0, sink };
  };

  process.send!({ ready: true, records });
  process.on('message', (m: { run?: StreamName; phase?: FloorPhase; exit?: boolean }) => {
    if (m.exit) {
      producer.setPollInterval(0);
      producer.disconnect(() => process.exit(0));
      return;
    }
    run(m.run!, m.phase ?? 'produce').then(
      (r) => process.send!(r),
      (err: Error) => process.send!({ error: err.message }),
    );
  });
}

// ---- the connector child --------------------------------------------------------------------

/**
 * The Ashby client's read path without its transport: the captured response bytes of each page
 * go through the client's own classification and paginator (src/ashby/classify.ts,
 * paginator.ts), as they would after undici; so the connector reads the very bytes the floor
 * parses.
 */
class ReplayClient implements SourceClient {
  readonly apiKey = {
    info: async (): Promise<AshbyResult<ApiKeyInfo>> => ({
      results: { scopes: null } as unknown as ApiKeyInfo,
      warnings: [],
    }),
  };

  constructor(private readonly captured: Map<string, CapturedPage[]>) {}

  pages<T = unknown>(
    endpoint: string,
    body: Record<string, unknown> = {},
    options: PagesOptions = {},
  ): AsyncIterable<AshbyPage<T>> {
    const fetch: EnvelopeFetcher = async (ep, request) => {
      const pages = this.captured.get(ep);
      const page = pages?.find((p) => p.cursor === request.cursor);
      if (!page) throw new Error(`no captured page of ${ep} for cursor ${String(request.cursor)}`);
      // As AshbyClient does: a large page's records stay bytes when the reader asks for that.
      return classifyResponse(
        ep,
        { status: 200, headers: page.headers, body: page.bytes },
        { slices: options.slices === true },
      );
    };
    return paginate<T>(fetch, endpoint, body, options, silentLogger);
  }
}

function pipeline(url: string, prefix: string, stream: StreamName, stateFile: string): PipelineConfig {
  return resolveConfig(
    {
      ashby: {
        api_key: API_KEY,
        base_url: url,
        rate: { requests_per_second: 10_000, burst: 10_000, max_concurrent: 32 },
      },
      kafka: { bootstrap_servers: BOOTSTRAP, librdkafka: { log_level: 0 } },
      schema_registry: { url: REGISTRY },
      source: {
        streams: [stream],
        mode: 'full_refresh',
        topic_prefix: prefix,
        state: `file:${stateFile}`,
        topics: { partitions: 3 },
      },
      logging: { level: 'warn' },
    },
    { env: {} },
  );
}

async function connectorChild(url: string, prefix: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  const client = new AshbyClient(
    withAshbyDefaults({
      apiKey: API_KEY,
      baseUrl: url,
      rate: { requestsPerSecond: 10_000, burst: 10_000, maxConcurrent: 32 },
    }),
  );
  const captured = new Map<string, CapturedPage[]>();
  for (const s of STREAMS) captured.set(DEFAULT_CATALOG.get(s)!.endpoint, await capturePages(url, s));
  const replay = new ReplayClient(captured);
  const first = pipeline(url, prefix, 'candidates', join(dir, 'unused.json'));
  // One producer for every stream, as in a pass of several streams.
  const kafka = kafkaForSource(rdkafkaConfig(first.kafka), silentLogger);
  const runners = new Map<string, SourceRunner>();
  for (const s of STREAMS) {
    runners.set(
      s,
      await SourceRunner.open(pipeline(url, prefix, s, join(dir, `${s}.json`)), { client: replay, kafka }),
    );
    runners.set(
      `${s}/http`,
      await SourceRunner.open(pipeline(url, prefix, s, join(dir, `${s}.http.json`)), { client, kafka }),
    );
  }

  const contract = loadContract();
  const mapper = createStreamMapper(contract);
  const serde = createSerde(serdeConfigFrom(first), contract);
  let sink = 0;
  /** The source's own path stopped early: reading only, reading + mapping, or the records as produced. */
  const partial = async (name: StreamName, phase: ConnectorPhase): Promise<number> => {
    const stream = DEFAULT_CATALOG.get(name)!;
    const ctx: EncodeContext = {
      stream,
      runId: 'bench',
      serde,
      topic: `${prefix}${name}`,
      valueType: contract.streamType(name),
      mapper,
      keyFormat: 'string',
      headers: selectedHeaders(first.source!.headers),
    };
    let records = 0;
    for await (const ev of readStream(replay, stream, stream, {}, { mode: 'full_refresh' })) {
      if (ev.kind !== 'batch') continue;
      records += ev.records.length;
      if (phase === 'encode') sink += (await toOutgoing(ctx, ev)).length;
    }
    return records;
  };
  const run = async (name: StreamName, phase: ConnectorPhase): Promise<RunResult> => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let records: number;
    if (phase === 'pass' || phase === 'http') {
      const result = await runners.get(phase === 'http' ? `${name}/http` : name)!.runPass();
      if (result.error) throw result.error;
      records = result.streams[0]!.records;
    } else {
      records = await partial(name, phase);
    }
    const cpu = process.cpuUsage(cpu0);
    return { cpuUs: cpu.user + cpu.system, records, wallMs: performance.now() - t0, sink };
  };

  process.send!({ ready: true });
  process.on('message', (m: { run?: StreamName; phase?: ConnectorPhase; exit?: boolean }) => {
    if (m.exit) {
      void (async () => {
        await serde.close();
        for (const r of runners.values()) await r.close();
        await client.close();
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      })();
      return;
    }
    run(m.run!, m.phase ?? 'pass').then(
      (r) => process.send!(r),
      (err: Error) => process.send!({ error: err.message }),
    );
  });
}

// ---- parent ---------------------------------------------------------------------------------

async function sandboxChild(scale: number): Promise<void> {
  const sandbox = await startSandbox({ scale, seed: 1 });
  process.send!({ url: sandbox.url });
  process.on('message', async (m) => {
    if (m === 'exit') {
      await sandbox.close();
      process.exit(0);
    }
  });
}

interface Child {
  process: ChildProcess;
  ready: Record<string, unknown>;
  ask(msg: unknown): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

async function startChild(args: string[], exitMessage: unknown, execArgv: string[] = []): Promise<Child> {
  const child = fork(SELF, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`${args[0]} exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        const r = m as Record<string, unknown>;
        if (typeof r.error === 'string') reject(new Error(`${args[0]}: ${r.error}`));
        else resolve(r);
      });
    });
  const ready = await next();
  return {
    process: child,
    ready,
    ask: (msg) => {
      const p = next();
      child.send(msg as string);
      return p;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send(exitMessage as string);
      await exited;
    },
  };
}

async function dropTopics(prefix: string): Promise<void> {
  const config = resolveConfig({ ashby: { api_key: 'x' }, kafka: { bootstrap_servers: BOOTSTRAP } }, { env: {} });
  const admin = KafkaAdmin.create(rdkafkaConfig(config.kafka));
  try {
    for (const s of STREAMS) {
      await admin.deleteTopic(`${prefix}${s}`).catch(() => undefined);
      await admin.deleteTopic(`${prefix}conn.${s}`).catch(() => undefined);
    }
  } finally {
    admin.close();
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const recorder = new ResultRecorder('floor');
  const quick = process.argv.includes('--quick');
  const runs = Number(arg('--runs') ?? (quick ? 3 : 5));
  const scale = Number(arg('--scale') ?? (quick ? 5_000 : 20_000));
  console.log(
    `floor benchmark: ${scale.toLocaleString('en')} candidates, ${runs} counted run(s) after one warm-up, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const prefix = `bench.floor.${Date.now().toString(36)}.`;
  const sandbox = await startChild(['sandbox-child', String(scale)], 'exit');
  const url = sandbox.ready.url as string;
  const floor: Record<StreamName, RunResult[]> = { candidates: [], applications: [], departments: [] };
  const conn: Record<StreamName, RunResult[]> = { candidates: [], applications: [], departments: [] };
  const http: Record<StreamName, RunResult[]> = { candidates: [], applications: [], departments: [] };
  const phases = !process.argv.includes('--no-phases') && STREAMS.includes('candidates');
  const floorPhases: Partial<Record<FloorPhase, number[]>> = {};
  const connPhases: Partial<Record<ConnectorPhase, number[]>> = {};
  let floorChildP: Child | undefined;
  let connChildP: Child | undefined;
  try {
    floorChildP = await startChild(['floor-child', url, prefix], { exit: true });
    const profileDir = arg('--cpu-prof');
    connChildP = await startChild(
      ['connector-child', url, `${prefix}conn.`],
      { exit: true },
      profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    );
    for (let r = 0; r <= runs; r++) {
      for (const s of STREAMS) {
        const f = (await floorChildP.ask({ run: s })) as unknown as RunResult;
        const c = (await connChildP.ask({ run: s })) as unknown as RunResult;
        const h = (await connChildP.ask({ run: s, phase: 'http' })) as unknown as RunResult;
        if (r === 0) continue; // warm-up
        floor[s].push(f);
        conn[s].push(c);
        http[s].push(h);
      }
      if (phases) {
        for (const phase of FLOOR_PHASES.slice(0, -1)) {
          const f = (await floorChildP.ask({ run: 'candidates', phase })) as unknown as RunResult;
          if (r > 0) (floorPhases[phase] ??= []).push(f.cpuUs / f.records);
        }
        for (const phase of CONNECTOR_PHASES.slice(0, -1)) {
          const c = (await connChildP.ask({ run: 'candidates', phase })) as unknown as RunResult;
          if (r > 0) (connPhases[phase] ??= []).push(c.cpuUs / c.records);
        }
      }
      if (r > 0 && STREAMS.includes('candidates')) {
        const c = conn.candidates.at(-1)!;
        const f = floor.candidates.at(-1)!;
        const h = http.candidates.at(-1)!;
        console.log(
          `  run ${r}: candidates floor ${(f.cpuUs / f.records).toFixed(1)} µs/record, connector ${(c.cpuUs / c.records).toFixed(1)} (same bytes), ${(h.cpuUs / h.records).toFixed(1)} (over HTTP) µs/record (${c.records} records)`,
        );
      }
    }
  } finally {
    await connChildP?.stop();
    await floorChildP?.stop();
    await sandbox.stop();
    await dropTopics(prefix);
  }

  const figures: Figure[] = [];
  const rows: string[][] = [
    [
      'stream',
      'records',
      'floor µs/rec',
      'connector µs/rec',
      'connector ÷ floor',
      'target',
      'over HTTP µs/rec',
      'HTTP ÷ floor',
    ],
  ];
  const range = (xs: number[]): string =>
    `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  for (const s of STREAMS) {
    const fUs = floor[s].map((x) => x.cpuUs / x.records);
    const cUs = conn[s].map((x) => x.cpuUs / x.records);
    const hUs = http[s].map((x) => x.cpuUs / x.records);
    const ratios = cUs.map((c, i) => c / fUs[i]!);
    const httpRatios = hUs.map((c, i) => c / fUs[i]!);
    const target = s === 'candidates' ? { op: '<=' as const, value: RATIO_TARGET } : undefined;
    figures.push(figure(`floor.${s}.floor_us`, `Floor CPU per record, ${s} (parse, encode, produce)`, 'us', fUs));
    figures.push(
      figure(`floor.${s}.connector_us`, `Connector CPU per record, ${s} (a source pass of the same bytes)`, 'us', cUs),
    );
    const ratio = figure(
      `floor.${s}.connector_over_floor`,
      `Connector CPU per record ÷ floor, ${s}`,
      'ratio',
      ratios,
      target,
    );
    figures.push(ratio);
    figures.push(
      figure(`floor.${s}.connector_http_us`, `Connector CPU per record, ${s}, reading over HTTP (sandbox)`, 'us', hUs),
    );
    figures.push(
      figure(`floor.${s}.connector_http_over_floor`, `Connector over HTTP ÷ floor, ${s}`, 'ratio', httpRatios),
    );
    rows.push([
      s,
      String(conn[s][0]!.records),
      median(fUs).toFixed(1),
      median(cUs).toFixed(1),
      range(ratios),
      target ? `≤ ${RATIO_TARGET} ${verdict(ratio)}` : '',
      median(hUs).toFixed(1),
      range(httpRatios),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('');
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log(
    "\nfloor = JSON.parse (record by record, src/ashby/json-body.ts) + least mapping + avsc encode + node-rdkafka produce (acknowledged); connector = a full-refresh source pass of the stream reading the same bytes through the client's classification and paginator; over HTTP = the same pass reading from the sandbox (undici); departments: one page, so per-pass costs dominate",
  );

  if (STREAMS.includes('candidates')) {
    // At 1,000 requests per minute per key of full pages (100 records), one core keeps this many tenants.
    const candUs = http.candidates.map((x) => x.cpuUs / x.records);
    const tenants = figure(
      'floor.candidates.tenants_per_core',
      'Tenants one core keeps at 1,000 requests/min per key (candidates over HTTP, 100 records per request, source CPU only)',
      'count',
      candUs.map((us) => 1e6 / ((1000 / 60) * 100 * us)),
      { op: '>=', value: 15 },
    );
    figures.push(tenants);
    console.log(
      `tenants one core keeps at 1,000 requests/min of full candidate pages: ${tenants.median.toFixed(1)} (target ≥ 15)`,
    );
  }

  const series: Record<string, SeriesRow[]> = {};
  if (phases) {
    floorPhases.produce = floor.candidates.map((x) => x.cpuUs / x.records);
    connPhases.pass = conn.candidates.map((x) => x.cpuUs / x.records);
    // Cumulative medians → the CPU each phase adds (never below 0: medians of noisy runs).
    const rowsOf = (path: string, names: readonly string[], values: Partial<Record<string, number[]>>): SeriesRow[] => {
      let before = 0;
      return names.map((phase) => {
        const total = median(values[phase]!);
        const row = { path, phase, us_per_record: Math.max(0, total - before), cumulative_us: total };
        before = Math.max(before, total);
        return row;
      });
    };
    series.cpu_phases = [
      ...rowsOf('floor', FLOOR_PHASES, floorPhases),
      ...rowsOf('connector', CONNECTOR_PHASES, connPhases),
    ];
    console.log('\nCPU per candidate by phase (µs per record, medians; each phase includes the ones before it):');
    for (const row of series.cpu_phases)
      console.log(
        `  ${String(row.path).padEnd(9)} ${String(row.phase).padEnd(8)} +${Number(row.us_per_record).toFixed(1).padStart(5)}  = ${Number(row.cumulative_us).toFixed(1).padStart(5)}`,
      );
  }
  recorder.add(...figures);
  for (const [name, rows] of Object.entries(series)) recorder.addSeries(name, rows);
  recorder.write();
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'sandbox-child') await sandboxChild(Number(a));
else if (mode === 'floor-child') await floorChild(a!, b!);
else if (mode === 'connector-child') await connectorChild(a!, b!);
else await main();
