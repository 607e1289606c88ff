/**
 * Source benchmark (`npm run bench -- source [--quick] [--runs N]`): how close a source pass
 * gets to what the Ashby API allows, what it costs in CPU per record, and how much memory it
 * needs for a very large stream.
 *
 * The sandbox runs in its own child process (its CPU and memory are not the connector's), with
 * a fixed latency per page. The connector runs in another child, so its peak RSS
 * (resourceUsage().maxRSS) and CPU (cpuUsage(), librdkafka threads included) are its own.
 *
 * 1. Throughput: every default stream of an org with 100,000 candidates, 50 ms per page,
 *    `source.concurrency` 4, real broker and registry. Compared with
 *    - the API-bound floor as the issue defines it: calls × latency ÷ concurrency;
 *    - the critical path: the longest stream's calls × latency (cursor paging is sequential
 *      within a stream, so no reader can beat it);
 *    - a baseline measured in the same run: the same calls made by the Ashby client alone
 *      (no mapping, encoding or Kafka), same concurrency.
 * 2. Memory: one pass of a 1,000,000-candidate stream (no added latency: RSS does not depend
 *    on it), peak RSS of the connector process.
 * Throughput figures are medians of `--runs` runs (default 3; 1 with --quick). `--memory-only`
 * runs part 2 alone; `--memory-scale N` changes its size.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AshbyClient } from '../src/ashby/index.js';
import { resolveConfig } from '../src/config/load.js';
import type { PipelineConfig } from '../src/config/schema.js';
import { rdkafkaConfig } from '../src/config/kafka-options.js';
import { KafkaAdmin } from '../src/kafka/index.js';
import { SourceRunner } from '../src/source/runtime/source-runner.js';
import { DEFAULT_CATALOG } from '../src/source/catalog.js';
import { readStream } from '../src/source/stream-reader.js';
import { startSandbox } from '../src/sandbox/index.js';
import { withAshbyDefaults } from '../src/config/ashby-options.js';
import type { StreamProgress } from '../src/source/runtime/progress.js';
import { measurePhases } from './lib/phases.js';
import { figure, ResultRecorder, type Figure, type SeriesRow } from './lib/results.js';
import { sandboxInChild } from './lib/sandbox-child.js';

const SELF = fileURLToPath(import.meta.url);
/** Targets of issue 18: source wall ÷ API-bound floor, and peak RSS of the big stream. */
const WALL_TARGET = 1.1;
const RSS_TARGET_MB = 150;
const BOOTSTRAP = process.env.KAFKA_BOOTSTRAP ?? '127.0.0.1:9092';
const REGISTRY = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const CONCURRENCY = 4;

interface ConnectorJob {
  kind: 'connector' | 'baseline';
  url: string;
  streams: 'all' | string[];
  prefix: string;
  /** Record the throughput per second and each stream's start and end (connector only). */
  trace?: boolean;
}

interface ConnectorResult {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  records: number;
  calls: number;
  perStreamCalls: Record<string, number>;
  /** With `trace`: records/s of each stream in each second of the pass. */
  throughput?: SeriesRow[];
  /** With `trace`: when each stream started and ended, seconds from the start of the pass. */
  timeline?: SeriesRow[];
  /** Sampled every 100 ms: largest V8 heap (total, used), Buffers outside it, RSS. */
  peaks: { heapTotalMb: number; heapUsedMb: number; externalMb: number; rssMb: number };
  error?: string;
}

// ---- children -------------------------------------------------------------------------------

async function sandboxChild(scale: number, latencyMs: number): Promise<void> {
  const sandbox = await startSandbox({ scale, seed: 1, ...(latencyMs > 0 ? { latencyMs } : {}) });
  process.send!({ url: sandbox.url });
  process.on('message', async (m) => {
    if (m === 'exit') {
      await sandbox.close();
      process.exit(0);
    }
  });
}

function pipeline(job: ConnectorJob): PipelineConfig {
  return resolveConfig(
    {
      ashby: {
        api_key: 'sandbox_full',
        base_url: job.url,
        rate: { requests_per_second: 10_000, burst: 10_000, max_concurrent: 32 },
      },
      kafka: { bootstrap_servers: BOOTSTRAP, librdkafka: { log_level: 0 } },
      schema_registry: { url: REGISTRY },
      source: {
        streams: job.streams,
        topic_prefix: job.prefix,
        state: 'kafka',
        state_topic: `${job.prefix}state`,
        concurrency: CONCURRENCY,
        topics: { partitions: 3 },
      },
      logging: { level: 'warn' },
    },
    { env: {} },
  );
}

async function connectorChild(job: ConnectorJob): Promise<void> {
  const config = pipeline(job);
  const client = new AshbyClient(
    withAshbyDefaults({
      apiKey: 'sandbox_full',
      baseUrl: job.url,
      rate: { requestsPerSecond: 10_000, burst: 10_000, maxConcurrent: 32 },
    }),
  );
  // Where the memory is: the largest V8 heap and off-heap (Buffers) seen, sampled.
  const peaks = { heapTotalMb: 0, heapUsedMb: 0, externalMb: 0, rssMb: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peaks.heapTotalMb = Math.max(peaks.heapTotalMb, m.heapTotal / 1e6);
    peaks.heapUsedMb = Math.max(peaks.heapUsedMb, m.heapUsed / 1e6);
    peaks.externalMb = Math.max(peaks.externalMb, m.external / 1e6);
    peaks.rssMb = Math.max(peaks.rssMb, m.rss / 1e6);
  }, 100);
  sampler.unref();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let records = 0;
  let calls = 0;
  const perStreamCalls: Record<string, number> = {};
  let error: string | undefined;
  const throughput: SeriesRow[] = [];
  const timeline: SeriesRow[] = [];
  if (job.kind === 'connector') {
    // The runner's progress sink, sampled once a second: records per stream per second.
    const latest = new Map<string, StreamProgress>();
    const seen = new Map<string, number>();
    let tick = 0;
    const sample = (): void => {
      tick++;
      for (const [stream, p] of latest) {
        const n = p.records - (seen.get(stream) ?? 0);
        seen.set(stream, p.records);
        if (n > 0 || (p.phase === 'reading' && p.startedAt !== undefined))
          throughput.push({ t_s: tick, stream, records_per_s: n });
      }
    };
    const timer = job.trace ? setInterval(sample, 1000) : undefined;
    const runner = await SourceRunner.open(config, {
      client,
      ...(job.trace
        ? {
            progress: () => ({
              update: (p: StreamProgress) => void latest.set(p.stream, { ...p }),
              finish: () => undefined,
            }),
          }
        : {}),
    });
    const result = await runner.runPass();
    if (timer) {
      clearInterval(timer);
      sample();
    }
    await runner.close();
    if (job.trace)
      for (const s of result.streams)
        if (s.startedAt !== undefined)
          timeline.push({
            stream: s.stream,
            start_s: Math.round(((s.startedAt - t0) / 1000) * 100) / 100,
            end_s: Math.round((((s.endedAt ?? performance.now()) - t0) / 1000) * 100) / 100,
            records: s.records,
            calls: s.calls,
          });
    for (const s of result.streams) {
      records += s.records;
      calls += s.calls;
      perStreamCalls[s.stream] = s.calls;
    }
    if (result.error) error = `${result.error.code}: ${result.error.message}`;
  } else {
    // Baseline: the same reads, same concurrency, nothing done with the records.
    const queue = DEFAULT_CATALOG.all().filter((s) =>
      job.streams === 'all' ? s.enabledByDefault : job.streams.includes(s.name),
    );
    const worker = async (): Promise<void> => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        let n = 0;
        for await (const ev of readStream(client, s, DEFAULT_CATALOG.parentOf(s) ?? s, {}, { mode: 'full_refresh' })) {
          if (ev.kind !== 'batch') continue;
          records += ev.records.length;
          n += ev.calls;
        }
        calls += n;
        perStreamCalls[s.name] = n;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  await client.close();
  const out: ConnectorResult = {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
    records,
    calls,
    perStreamCalls,
    ...(job.trace ? { throughput, timeline } : {}),
    peaks,
    ...(error ? { error } : {}),
  };
  process.send!(out);
}

// ---- parent ---------------------------------------------------------------------------------

/**
 * The sandbox child gets a large heap (a 1,000,000-candidate organisation); the connector runs
 * with node's defaults, as the CLI does, so its memory figures are the CLI's.
 */
function childProcess(args: string[]): ChildProcess {
  const execArgv = args[0] === 'sandbox-child' ? ['--max-old-space-size=2048'] : [];
  return fork(SELF, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
}

async function startSandboxChild(
  scale: number,
  latencyMs: number,
): Promise<{ url: string; stop: () => Promise<void> }> {
  return sandboxInChild(childProcess(['sandbox-child', String(scale), String(latencyMs)]));
}

async function runConnector(job: ConnectorJob): Promise<ConnectorResult> {
  const child = childProcess(['connector-child', JSON.stringify(job)]);
  return new Promise<ConnectorResult>((resolve, reject) => {
    let result: ConnectorResult | undefined;
    child.on('message', (m) => (result = m as ConnectorResult));
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`connector child exited with ${code}`))));
  });
}

async function dropTopics(prefix: string, streams: string[]): Promise<void> {
  const admin = KafkaAdmin.create(
    rdkafkaConfig(
      resolveConfig({ ashby: { api_key: 'x' }, kafka: { bootstrap_servers: BOOTSTRAP } }, { env: {} }).kafka,
    ),
  );
  try {
    for (const s of [...streams, 'state']) await admin.deleteTopic(`${prefix}${s}`).catch(() => undefined);
  } finally {
    admin.close();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Memory: one pass of a `bigScale`-candidate stream, no added latency; peak RSS of the connector process. */
async function memoryPass(bigScale: number): Promise<ConnectorResult> {
  const big = await startSandboxChild(bigScale, 0);
  try {
    const prefix = `bench.source.big.${Date.now().toString(36)}.`;
    const mem = await runConnector({ kind: 'connector', url: big.url, streams: ['candidates'], prefix });
    await dropTopics(prefix, ['candidates']);
    if (mem.error) throw new Error(`${bigScale} pass failed: ${mem.error}`);
    return mem;
  } finally {
    await big.stop();
  }
}

function memoryRow(bigScale: number, mem: ConnectorResult): [string, string] {
  return [
    `peak RSS, one ${bigScale.toLocaleString('en')}-candidate stream (target ≤ ${RSS_TARGET_MB} MB)`,
    `${mem.maxRssMb.toFixed(0)} MB (${mem.records.toLocaleString('en')} records in ${(mem.wallMs / 1000).toFixed(1)} s, ${((mem.cpuMs * 1000) / mem.records).toFixed(1)} µs CPU/record; largest V8 heap ${mem.peaks.heapTotalMb.toFixed(0)} MB, ${mem.peaks.heapUsedMb.toFixed(0)} MB used; Buffers ${mem.peaks.externalMb.toFixed(0)} MB)`,
  ];
}

function memoryFigure(bigScale: number, mem: ConnectorResult): Figure {
  return figure(
    'source.peak_rss_mb',
    `Peak RSS, ${bigScale.toLocaleString('en')}-candidate stream`,
    'MB',
    [Math.round(mem.maxRssMb)],
    { op: '<=', value: RSS_TARGET_MB },
  );
}

function printRows(rows: Array<[string, string]>): void {
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log('');
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}

async function main(): Promise<void> {
  const recorder = new ResultRecorder('source');
  const quick = process.argv.includes('--quick');
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : quick ? 1 : 3;
  const scale = quick ? 10_000 : 100_000;
  const bigArg = process.argv.indexOf('--memory-scale');
  const bigScale = bigArg > 0 ? Number(process.argv[bigArg + 1]) : quick ? 100_000 : 1_000_000;
  if (process.argv.includes('--memory-only')) {
    console.log(
      `source benchmark, memory only: one ${bigScale.toLocaleString('en')}-candidate stream, load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    const mem = await memoryPass(bigScale);
    printRows([memoryRow(bigScale, mem)]);
    recorder.add(memoryFigure(bigScale, mem)).write();
    return;
  }
  const latencyMs = 50;
  const defaults = DEFAULT_CATALOG.all()
    .filter((s) => s.enabledByDefault)
    .map((s) => s.name);
  console.log(
    `source benchmark: ${scale.toLocaleString('en')} candidates + related records, ${latencyMs} ms per page, concurrency ${CONCURRENCY}, ${runs} run(s)${quick ? ' (--quick)' : ''}`,
  );

  const sandbox = await startSandboxChild(scale, latencyMs);
  const conn: ConnectorResult[] = [];
  const base: ConnectorResult[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const b = await runConnector({ kind: 'baseline', url: sandbox.url, streams: 'all', prefix: 'unused.' });
      base.push(b);
      const prefix = `bench.source.${Date.now().toString(36)}.`;
      const c = await runConnector({ kind: 'connector', url: sandbox.url, streams: 'all', prefix, trace: i === 0 });
      await dropTopics(prefix, defaults);
      if (c.error) throw new Error(`connector pass failed: ${c.error}`);
      conn.push(c);
      console.log(
        `  run ${i + 1}: connector ${(c.wallMs / 1000).toFixed(1)} s for ${c.records.toLocaleString('en')} records / ${c.calls} calls; client-only baseline ${(b.wallMs / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    await sandbox.stop();
  }
  const calls = conn[0]!.calls;
  const longest = Object.entries(conn[0]!.perStreamCalls).sort((a, b) => b[1] - a[1])[0]!;
  const floorMs = (calls * latencyMs) / CONCURRENCY;
  const criticalMs = longest[1] * latencyMs;
  const wall = median(conn.map((c) => c.wallMs));
  const baseWall = median(base.map((c) => c.wallMs));
  const cpuUsPerRecord = median(conn.map((c) => (c.cpuMs * 1000) / c.records));
  const baseCpuUsPerRecord = median(base.map((c) => (c.cpuMs * 1000) / c.records));

  const mem = await memoryPass(bigScale);

  const rows: Array<[string, string]> = [
    ['records in the pass', conn[0]!.records.toLocaleString('en')],
    ['Ashby calls (pages + child lists)', calls.toLocaleString('en')],
    ['wall time, connector (median)', `${(wall / 1000).toFixed(1)} s`],
    ['API-bound floor: calls × latency ÷ concurrency', `${(floorMs / 1000).toFixed(1)} s`],
    [`  ratio (target ≤ ${WALL_TARGET})`, (wall / floorMs).toFixed(2)],
    [`critical path: ${longest[0]} ${longest[1]} calls × latency`, `${(criticalMs / 1000).toFixed(1)} s`],
    ['  ratio to max(floor, critical path)', (wall / Math.max(floorMs, criticalMs)).toFixed(2)],
    ['baseline: same reads by the client alone (median)', `${(baseWall / 1000).toFixed(1)} s`],
    ['  ratio connector / baseline', (wall / baseWall).toFixed(2)],
    ['connector CPU per record (median, librdkafka included)', `${cpuUsPerRecord.toFixed(1)} µs`],
    ['  of which reading (client-only baseline)', `${baseCpuUsPerRecord.toFixed(1)} µs`],
    memoryRow(bigScale, mem),
  ];
  printRows(rows);

  // Where a record's CPU goes: parse, mapping and encoding measured alone on the sandbox's own
  // pages, produce measured alone against the broker; the client's share from the client-only
  // baseline; the rest of the connector's CPU per record is "other".
  const phases = await measurePhases({ bootstrap: BOOTSTRAP });
  const perRecord = (c: ConnectorResult): number => (c.cpuMs * 1000) / c.records;
  const http = Math.max(0, baseCpuUsPerRecord - phases.jsonParseUs);
  const known = phases.jsonParseUs + phases.mappingUs + phases.encodeUs + phases.produceUs + http;
  const alone = 'connector, each phase measured alone';
  const phaseRows: SeriesRow[] = [
    { what: alone, phase: 'JSON parse', us_per_record: phases.jsonParseUs },
    { what: alone, phase: 'mapping', us_per_record: phases.mappingUs },
    { what: alone, phase: 'Avro encode', us_per_record: phases.encodeUs },
    { what: alone, phase: 'produce (librdkafka)', us_per_record: phases.produceUs },
    { what: alone, phase: 'HTTP and client', us_per_record: http },
    { what: alone, phase: 'other', us_per_record: Math.max(0, cpuUsPerRecord - known) },
    // The whole connector's CPU per record in the pass, for comparison with the sum above.
    { what: 'connector, whole pass', phase: 'whole pass', us_per_record: cpuUsPerRecord },
  ].map((r) => ({ ...r, us_per_record: Math.round(Number(r.us_per_record) * 10) / 10 }));
  console.log(
    `CPU per record by phase (µs): ${phaseRows.map((r) => `${String(r.phase)} ${String(r.us_per_record)}`).join(', ')}`,
  );

  recorder.add(
    figure(
      'source.wall_over_floor',
      `Source wall ÷ API-bound floor (${scale.toLocaleString('en')} candidates, every default stream)`,
      'ratio',
      conn.map((c) => c.wallMs / floorMs),
      { op: '<=', value: WALL_TARGET },
    ),
    figure(
      'source.wall_over_baseline',
      'Source wall ÷ the client alone reading the same pages',
      'ratio',
      conn.map((c, i) => c.wallMs / base[i]!.wallMs),
    ),
    figure(
      'source.wall',
      'Source pass wall time',
      's',
      conn.map((c) => c.wallMs / 1000),
    ),
    figure('source.cpu_per_record', 'Connector CPU per record (librdkafka included)', 'us', conn.map(perRecord)),
    figure('source.baseline_cpu_per_record', '… of which reading (client-only baseline)', 'us', base.map(perRecord)),
    figure(
      'source.tenants_per_core',
      'Tenants one core keeps at 1,000 requests/min per key (≈1,667 records/s each)',
      'count',
      conn.map((c) => 1e6 / (perRecord(c) * (1000 / 60) * 100)),
      { op: '>=', value: 15 },
    ),
    memoryFigure(bigScale, mem),
  );
  recorder.addSeries('throughput', conn[0]!.throughput ?? []);
  recorder.addSeries('timeline', conn[0]!.timeline ?? []);
  recorder.addSeries('phases', phaseRows);
  recorder.write();
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'sandbox-child') await sandboxChild(Number(a), Number(b));
else if (mode === 'connector-child') await connectorChild(JSON.parse(a!) as ConnectorJob);
else await main();
