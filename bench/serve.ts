/**
 * Service-mode benchmark (`npm run bench -- serve [--quick] [--only single|cluster] [--runs N]
 * [--cpu-prof]`): what one `ashby-kafka serve` worker costs per tenant, and how a group of
 * workers shares pipelines and survives a `kill -9`.
 *
 * Real worker processes (the built CLI, as `docs/serve.md` starts them), the real broker and
 * registry, and sandbox tenants in one child process (each tenant its own sandbox, seed and
 * key, so its own rate budget), with a fixed latency per page. The CPU and peak RSS are the
 * worker process's own, from /proc (every thread, librdkafka's included).
 *
 * 1. One worker, `SERVE_BENCH_TENANTS` (50) source pipelines, one per tenant of
 *    `SERVE_BENCH_CANDIDATES` (2,000) candidates, `SERVE_BENCH_LATENCY_MS` (50) ms per page,
 *    each key limited to `SERVE_BENCH_RPM` (1,000) requests per minute, streams
 *    `SERVE_BENCH_STREAMS` (candidates), record headers `SERVE_BENCH_HEADERS` (`none`, the
 *    default of `source.headers`; or `all`), a pass every second, and every pass a full one (the
 *    tenants' sync tokens expire at once). First the first pass of every pipeline (from the
 *    first POST: pipeline start-up included; at most `SERVE_BENCH_FIRST_PASS_S`, 600 s):
 *    records/s and CPU per record. Then a steady
 *    window of `SERVE_BENCH_STEADY_S` (30) s with every pipeline reading full pages back to back:
 *    records/s, worker CPU per record and per Ashby request (everything the worker does in that
 *    window, status writes and metrics included, divided by the requests it made), peak RSS.
 *    Tenants one core keeps at R requests per minute each: 1 s ÷ (R/60 × CPU per request).
 *    The steady CPU per record is also split by kind of thread (threadCpuSeconds).
 * 2. `SERVE_BENCH_WORKERS` (3) workers, `SERVE_BENCH_PIPELINES` (60) source pipelines on small
 *    tenants (`SERVE_BENCH_SMALL_CANDIDATES`, 200), passes every `SERVE_BENCH_INTERVAL` (5s):
 *    pipelines per worker; then `kill -9` of the worker with the most pipelines: time until a
 *    survivor logged "pipeline starting" for each of its pipelines, and how many pipelines of
 *    the survivors logged "pipeline stopped" (stopped by the rebalance although they did not
 *    move); then the killed worker comes back: the same two counts for its return.
 * `--quick`: 10 tenants of 500 candidates, 12 pipelines. `--runs N` repeats part 1 (medians).
 * `SERVE_BENCH_NODE_ARGS` (space-separated) adds node options to every worker, to compare V8
 * settings (`--max-old-space-size=256`, `--trace-gc`, …).
 */
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../src/config/load.js';
import { rdkafkaConfig } from '../src/config/kafka-options.js';
import { KafkaAdmin } from '../src/kafka/index.js';
import { PACKAGE_ROOT } from '../src/package-info.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/index.js';
import { figure, ResultRecorder } from './lib/results.js';
import { waitFor } from './lib/wait-for.js';

const SELF = fileURLToPath(import.meta.url);
const BOOTSTRAP = process.env.KAFKA_BOOTSTRAP ?? '127.0.0.1:9092';
const REGISTRY = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const TOKEN = `bench-${process.pid}-${Date.now().toString(36)}`;
const MASTER_KEY = `bench-master-${process.pid}-${Date.now().toString(36)}`;
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

const argv = process.argv.slice(2);
const recorder = new ResultRecorder('serve');
const flag = (name: string): boolean => argv.includes(name);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag('--quick');
const num = (env: string, full: number, small: number): number => Number(process.env[env] ?? (quick ? small : full));

const SETTINGS = {
  tenants: num('SERVE_BENCH_TENANTS', 50, 10),
  candidates: num('SERVE_BENCH_CANDIDATES', 2_000, 500),
  latencyMs: num('SERVE_BENCH_LATENCY_MS', 50, 50),
  rpm: num('SERVE_BENCH_RPM', 1_000, 1_000),
  steadyS: num('SERVE_BENCH_STEADY_S', 30, 15),
  firstPassS: num('SERVE_BENCH_FIRST_PASS_S', 600, 300),
  streams: (process.env.SERVE_BENCH_STREAMS ?? 'candidates').split(',').map((s) => s.trim()),
  /** `source.headers` of every pipeline (`none`, the default, or `all`). */
  headers: process.env.SERVE_BENCH_HEADERS ?? 'none',
  workers: num('SERVE_BENCH_WORKERS', 3, 3),
  pipelines: num('SERVE_BENCH_PIPELINES', 60, 12),
  smallCandidates: num('SERVE_BENCH_SMALL_CANDIDATES', 200, 100),
  interval: process.env.SERVE_BENCH_INTERVAL ?? '5s',
  sessionTimeoutMs: num('SERVE_BENCH_SESSION_TIMEOUT_MS', 10_000, 10_000),
  runs: Number(option('--runs') ?? 1),
  only: option('--only') as 'single' | 'cluster' | undefined,
  cpuProf: flag('--cpu-prof'),
};

// ---- sandbox tenants (child process) -------------------------------------------------------

interface TenantsJob {
  count: number;
  scale: number;
  latencyMs: number;
  seedBase: number;
  /** Every sync token expires at once: each pass after the first is a full pass again. */
  fullPasses: boolean;
}

interface TenantInfo {
  name: string;
  url: string;
  secret: string;
}

const secretOf = (seedBase: number, i: number): string => `sk_bench_${seedBase}_${i}_${process.ppid}`;

async function tenantsChild(job: TenantsJob): Promise<void> {
  const sandboxes: RunningSandbox[] = [];
  const tenants: TenantInfo[] = [];
  for (let i = 0; i < job.count; i++) {
    const secret = secretOf(job.seedBase, i);
    const sandbox = await startSandbox({
      seed: job.seedBase + i,
      scale: job.scale,
      ...(job.latencyMs > 0 ? { latencyMs: job.latencyMs } : {}),
      keys: [{ name: 'tenant', secret, permissions: ['*'], confidential: true, privateFields: true }],
      ...(job.fullPasses ? { clock: { start: '2026-01-01T00:00:00Z', follow: true }, syncTokenTtlMs: 1 } : {}),
    });
    sandboxes.push(sandbox);
    tenants.push({ name: `t${i}`, url: sandbox.url, secret });
  }
  process.send!(tenants);
  process.on('message', async (m) => {
    if (m === 'exit') {
      for (const s of sandboxes) await s.close();
      process.exit(0);
    }
  });
}

async function startTenants(job: TenantsJob): Promise<{ tenants: TenantInfo[]; stop: () => Promise<void> }> {
  const child: ChildProcess = fork(SELF, ['tenants-child', JSON.stringify(job)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--max-old-space-size=2048'],
  });
  const tenants = await new Promise<TenantInfo[]>((resolve, reject) => {
    child.once('message', (m) => resolve(m as TenantInfo[]));
    child.once('exit', (code) => reject(new Error(`sandbox child exited with ${code}`)));
  });
  return {
    tenants,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.send('exit');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

// ---- worker processes ----------------------------------------------------------------------

interface Group {
  prefix: string;
  groupId: string;
}

interface LogLine {
  time: string;
  msg: string;
  pipeline?: string;
  [k: string]: unknown;
}

interface WorkerProc {
  id: string;
  proc: ChildProcess;
  pid: number;
  url: string;
  lines: LogLine[];
  logFile: string;
  exited: Promise<unknown>;
}

function newGroup(kind: string): Group {
  const prefix = `bench.serve.${kind}.${Date.now().toString(36)}`;
  return { prefix, groupId: `${prefix}.group` };
}

/** Extra node options for every worker (`SERVE_BENCH_NODE_ARGS`, space-separated), to compare V8 settings. */
const WORKER_NODE_ARGS = (process.env.SERVE_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

async function startWorker(id: string, group: Group, nodeArgs: string[] = []): Promise<WorkerProc> {
  const dir = join(tmpdir(), 'ashby-kafka-bench-serve');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${group.prefix}.${id}.yaml`);
  writeFileSync(
    file,
    [
      `kafka: { bootstrap_servers: "${BOOTSTRAP}", librdkafka: { log_level: 0 } }`,
      `schema_registry: { url: "${REGISTRY}" }`,
      'worker:',
      `  id: ${id}`,
      `  group_id: ${group.groupId}`,
      '  master_key: ${BENCH_MASTER_KEY}',
      `  session_timeout_ms: ${SETTINGS.sessionTimeoutMs}`,
      '  rest: { port: 0, tokens: [ "${BENCH_TOKEN}" ] }',
      `  topics: { config: ${group.prefix}.configs, status: ${group.prefix}.status, credentials: ${group.prefix}.credentials, assignment: ${group.prefix}.assignment }`,
      'logging: { level: info }',
      '',
    ].join('\n'),
  );
  const logFile = join(dir, `${group.prefix}.${id}.log`);
  const proc = spawn(
    process.execPath,
    [...WORKER_NODE_ARGS, ...nodeArgs, join(PACKAGE_ROOT, 'bin', 'ashby-kafka.js'), 'serve', '--config', file],
    {
      env: { ...process.env, BENCH_MASTER_KEY: MASTER_KEY, BENCH_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dir,
    },
  );
  const lines: LogLine[] = [];
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker ${id} did not start within 60 s (log: ${logFile})`)),
      60_000,
    );
    let rest = '';
    const collect = (chunk: Buffer): void => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        if (!line) continue;
        appendFileSync(logFile, `${line}\n`);
        if (line.startsWith('{')) {
          try {
            lines.push(JSON.parse(line) as LogLine);
          } catch {
            // not a log line
          }
        }
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      }
    };
    proc.stdout!.on('data', collect);
    proc.stderr!.on('data', collect);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${id} exited with ${String(code)} (log: ${logFile})`));
    });
  });
  await waitFor(
    `worker ${id} ready`,
    async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined),
    60_000,
  );
  return { id, proc, pid: proc.pid!, url, lines, logFile, exited };
}

async function stopWorker(w: WorkerProc, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (w.proc.exitCode !== null || w.proc.signalCode !== null) return;
  process.kill(w.pid, signal);
  await Promise.race([w.exited, new Promise((r) => setTimeout(r, 60_000).unref())]);
  if (w.proc.exitCode === null && w.proc.signalCode === null) process.kill(w.pid, 'SIGKILL');
}

/** User + system CPU seconds in the text of a /proc `stat` file (a process's or a thread's). */
function statCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** CPU seconds (user + system, every thread) of a live process. */
function cpuSeconds(pid: number): number {
  return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/**
 * CPU seconds of a live process by kind of thread: the main (JavaScript) thread, librdkafka's
 * threads (named `rdk:*`), and the rest: node names its other threads after itself, and they are
 * V8's platform workers (parallel scavenges, concurrent marking, compilers) and libuv's pool,
 * which a worker barely uses.
 */
function threadCpuSeconds(pid: number): Record<string, number> {
  const out: Record<string, number> = { main: 0, librdkafka: 0, 'V8 and libuv helpers': 0 };
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out; // the process has exited
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const kind = tid === String(pid) ? 'main' : name.startsWith('rdk:') ? 'librdkafka' : 'V8 and libuv helpers';
    out[kind]! += statCpuSeconds(stat);
  }
  return out;
}

/** Peak and current resident memory of a live process, MB. */
function memoryMb(pid: number): { peak: number; now: number; threads: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  const threads = Number(/^Threads:\s+(\d+)$/m.exec(status)?.[1] ?? 0);
  return { peak: (kb('VmHWM') * 1024) / 1e6, now: (kb('VmRSS') * 1024) / 1e6, threads };
}

// ---- REST ----------------------------------------------------------------------------------

/** The parts of `GET /pipelines/{name}/status` the benchmark reads. */
interface StatusBody {
  state?: string;
  worker_id?: string;
  last_pass?: { result?: string; records?: number; ended_at?: string };
}

async function api<T = StatusBody>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    signal: AbortSignal.timeout(60_000),
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function must(url: string, method: string, path: string, body: unknown, expected: number): Promise<void> {
  const res = await api(url, method, path, body);
  if (res.status !== expected) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Sums of Prometheus samples by metric name, over the series whose labels match `where`. */
function metricSum(text: string, name: string, where: (labels: string) => boolean = () => true): number {
  let sum = 0;
  const re = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm');
  for (let m = re.exec(text); m; m = re.exec(text)) if (where(m[1]!)) sum += Number(m[2]);
  return sum;
}

function pipelineConfig(t: TenantInfo, prefix: string, interval: string): Record<string, unknown> {
  return {
    ashby: { credential: t.name, base_url: t.url, rate: { requests_per_second: SETTINGS.rpm / 60 } },
    source: {
      streams: SETTINGS.streams,
      headers: SETTINGS.headers,
      topic_prefix: `${prefix}.${t.name}.`,
      state_topic: `${prefix}.state`,
      interval,
      topics: { partitions: 1 },
    },
  };
}

async function addTenants(url: string, tenants: TenantInfo[], prefix: string, interval: string): Promise<number> {
  for (const t of tenants)
    await must(url, 'POST', '/credentials', { name: t.name, key: t.secret, base_url: t.url }, 201);
  const t0 = performance.now();
  for (const t of tenants)
    await must(url, 'POST', '/pipelines', { name: t.name, config: pipelineConfig(t, prefix, interval) }, 201);
  return performance.now() - t0;
}

async function dropTopics(names: string[]): Promise<void> {
  const admin = KafkaAdmin.create(
    rdkafkaConfig(
      resolveConfig({ ashby: { api_key: 'x' }, kafka: { bootstrap_servers: BOOTSTRAP } }, { env: {} }).kafka,
    ),
  );
  try {
    for (const n of names) await admin.deleteTopic(n).catch(() => undefined);
  } finally {
    admin.close();
  }
}

const groupTopics = (g: Group): string[] =>
  ['configs', 'status', 'credentials', 'assignment', 'state'].map((s) => `${g.prefix}.${s}`);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function printRows(rows: Array<[string, string]>): void {
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}

// ---- part 1: one worker, many tenants ------------------------------------------------------

interface SingleResult {
  /** First pass of every pipeline, from the first POST (pipeline start-up included). */
  records: number;
  calls: number;
  wallS: number;
  postS: number;
  cpuS: number;
  /** Pipelines that finished their first pass within SERVE_BENCH_FIRST_PASS_S. */
  passed: number;
  /** Steady state: a window in which every pipeline runs full passes back to back. */
  steady: {
    seconds: number;
    cpuS: number;
    calls: number;
    records: number;
    /** CPU µs per record by kind of thread (threadCpuSeconds). */
    threadsUsPerRecord: Record<string, number>;
  };
  peakRssMb: number;
  rssAfterMb: number;
  /** The most threads the worker process had at any 1-s sample (librdkafka's included). */
  peakThreads: number;
  eventLoopLagP99Ms: number;
  failed: number;
  loadBefore: string;
  loadAfter: string;
}

interface Sample {
  cpuS: number;
  threads: Record<string, number>;
  calls: number;
  records: number;
  passesOk: number;
  passesFailed: number;
  eventLoopLagS: number;
  text: string;
}

async function sample(w: WorkerProc): Promise<Sample> {
  const text = await (await fetch(`${w.url}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
  return {
    cpuS: cpuSeconds(w.pid),
    threads: threadCpuSeconds(w.pid),
    calls: metricSum(text, 'ashby_kafka_ashby_calls_total'),
    records: metricSum(text, 'ashby_kafka_source_records_total'),
    passesOk: metricSum(text, 'ashby_kafka_source_passes_total', (l) => l.includes('result="ok"')),
    passesFailed: metricSum(text, 'ashby_kafka_source_passes_total', (l) => l.includes('result="failed"')),
    eventLoopLagS: Number(/^nodejs_eventloop_lag_p99_seconds\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? NaN),
    text,
  };
}

/**
 * Where the worker's memory was when its RSS was highest among the samples (once a second in
 * the first passes, and at the end): V8's heap (total and used), and memory outside it
 * (Buffers, librdkafka), from the worker's default Node metrics.
 */
class HeapAtPeak {
  rssMb = 0;
  heapTotalMb = NaN;
  heapUsedMb = NaN;
  externalMb = NaN;

  observe(metrics: string, rssMb: number): void {
    if (rssMb <= this.rssMb) return;
    const mb = (name: string): number => metricSum(metrics, name) / 1e6;
    this.rssMb = rssMb;
    this.heapTotalMb = mb('nodejs_heap_size_total_bytes');
    this.heapUsedMb = mb('nodejs_heap_size_used_bytes');
    this.externalMb = mb('nodejs_external_memory_bytes');
  }

  toString(): string {
    return `at the highest sampled RSS (${this.rssMb.toFixed(0)} MB): V8 heap ${this.heapTotalMb.toFixed(0)} MB (${this.heapUsedMb.toFixed(0)} MB used), external ${this.externalMb.toFixed(0)} MB`;
  }
}

async function singleRun(run: number): Promise<SingleResult> {
  const group = newGroup('single');
  const { tenants, stop } = await startTenants({
    count: SETTINGS.tenants,
    scale: SETTINGS.candidates,
    latencyMs: SETTINGS.latencyMs,
    seedBase: 1000 * (run + 1),
    fullPasses: true,
  });
  const profDir = join(tmpdir(), 'ashby-kafka-bench-serve', `${group.prefix}.prof`);
  const worker = await startWorker('w1', group, SETTINGS.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  try {
    const loadBefore = load();
    const cpu0 = cpuSeconds(worker.pid);
    const startedAt = Date.now();
    // A pass every second; every pass is a full one (the tenants' sync tokens expire at once).
    const postMs = await addTenants(worker.url, tenants, group.prefix, '1s');
    const names = tenants.map((t) => t.name);
    // 1. The first pass of every pipeline, start-up included.
    // (Per-pipeline pass counts from /metrics: one request a second, not one per pipeline.)
    // Bounded (SERVE_BENCH_FIRST_PASS_S): on a loaded machine the last pipelines may take minutes to start.
    let passed = 0;
    let peakThreads = 0;
    const heap = new HeapAtPeak();
    const deadline = Date.now() + SETTINGS.firstPassS * 1000;
    for (;;) {
      const text = await (await fetch(`${worker.url}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
      passed = names.filter(
        (n) => metricSum(text, 'ashby_kafka_source_passes_total', (l) => l.includes(`pipeline="${n}"`)) > 0,
      ).length;
      peakThreads = Math.max(peakThreads, memoryMb(worker.pid).threads);
      heap.observe(text, memoryMb(worker.pid).now);
      if (passed === names.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const first = await sample(worker);
    const lastEnd = Date.now();
    // Records written in the window (pipelines done early may have started their second pass).
    const records = first.records;
    let failed = first.passesFailed;
    // 2. Steady state: every pipeline reads full passes as fast as its budget and the CPU allow.
    const a = await sample(worker);
    const ta = performance.now();
    await new Promise((r) => setTimeout(r, SETTINGS.steadyS * 1000));
    const b = await sample(worker);
    const mem = memoryMb(worker.pid);
    heap.observe(b.text, mem.now);
    peakThreads = Math.max(peakThreads, mem.threads);
    failed += b.passesFailed - a.passesFailed;
    const result: SingleResult = {
      records,
      calls: first.calls,
      wallS: (lastEnd - startedAt) / 1000,
      postS: postMs / 1000,
      cpuS: first.cpuS - cpu0,
      passed,
      steady: {
        seconds: (performance.now() - ta) / 1000,
        cpuS: b.cpuS - a.cpuS,
        calls: b.calls - a.calls,
        records: b.records - a.records,
        threadsUsPerRecord: Object.fromEntries(
          Object.entries(b.threads).map(([k, v]) => [k, ((v - (a.threads[k] ?? 0)) * 1e6) / (b.records - a.records)]),
        ),
      },
      peakRssMb: mem.peak,
      rssAfterMb: mem.now,
      peakThreads,
      eventLoopLagP99Ms: b.eventLoopLagS * 1000,
      failed,
      loadBefore,
      loadAfter: load(),
    };
    const st = result.steady;
    console.log(
      `  run ${run + 1}: first pass ${records.toLocaleString('en')} records, ${first.calls.toLocaleString('en')} calls in ${result.wallS.toFixed(1)} s (creating the pipelines took ${result.postS.toFixed(1)} s), worker CPU ${result.cpuS.toFixed(1)} s; steady ${st.seconds.toFixed(0)} s: ${st.records.toLocaleString('en')} records, ${st.calls.toLocaleString('en')} calls, CPU ${st.cpuS.toFixed(1)} s; peak RSS ${mem.peak.toFixed(0)} MB, ${peakThreads} threads; ${failed} failed passes; load ${loadBefore} → ${result.loadAfter}`,
    );
    console.log(`    memory ${heap}`);
    console.log(
      `    steady CPU per record by thread: ${Object.entries(st.threadsUsPerRecord)
        .map(([k, v]) => `${k} ${v.toFixed(1)} µs`)
        .join(', ')}`,
    );
    return result;
  } finally {
    await stopWorker(worker, 'SIGTERM');
    await stop();
    await dropTopics([
      ...groupTopics(group),
      ...tenants.flatMap((t) => SETTINGS.streams.map((s) => `${group.prefix}.${t.name}.${s}`)),
    ]);
    if (SETTINGS.cpuProf) console.log(`  CPU profile of the worker: ${profDir}`);
  }
}

async function single(): Promise<void> {
  console.log(
    `\n1. One worker, ${SETTINGS.tenants} tenants × ${SETTINGS.candidates.toLocaleString('en')} candidates (streams: ${SETTINGS.streams.join(', ')}; headers: ${SETTINGS.headers}), ${SETTINGS.latencyMs} ms per page, ${SETTINGS.rpm} requests/min per key, ${SETTINGS.runs} run(s)`,
  );
  const runs: SingleResult[] = [];
  for (let i = 0; i < SETTINGS.runs; i++) runs.push(await singleRun(i));
  const m = (f: (r: SingleResult) => number): number => median(runs.map(f));
  const steadyCpuPerCallMs = m((r) => (r.steady.cpuS * 1000) / r.steady.calls);
  const steadyCpuPerRecordUs = m((r) => (r.steady.cpuS * 1e6) / r.steady.records);
  const perSecond = SETTINGS.rpm / 60;
  const tenantsPerCore = 1000 / (perSecond * steadyCpuPerCallMs);
  const each = (f: (r: SingleResult) => number): number[] => runs.map(f);
  recorder.add(
    figure(
      'serve.tenants_per_core',
      `Tenants one core keeps at ${SETTINGS.rpm} requests/min each (${SETTINGS.tenants} tenants × ${SETTINGS.candidates} candidates)`,
      'count',
      each((r) => 1000 / (perSecond * ((r.steady.cpuS * 1000) / r.steady.calls))),
      { op: '>=', value: 15 },
    ),
    figure(
      'serve.steady_cpu_per_record',
      'Worker CPU per record at steady state (every thread)',
      'us',
      each((r) => (r.steady.cpuS * 1e6) / r.steady.records),
    ),
    figure(
      'serve.steady_records_per_s',
      'Worker records/s at steady state',
      'records/s',
      each((r) => r.steady.records / r.steady.seconds),
    ),
    figure(
      'serve.peak_rss',
      'Peak RSS of the worker',
      'MB',
      each((r) => r.peakRssMb),
      { op: '<=', value: 400 },
    ),
  );
  console.log('');
  printRows([
    [
      'first passes: records written, Ashby calls',
      `${runs[0]!.records.toLocaleString('en')}, ${runs[0]!.calls.toLocaleString('en')}`,
    ],
    ['  records/s, first POST → last first pass ended (median)', m((r) => r.records / r.wallS).toFixed(0)],
    [
      '  worker CPU per record, start-up of every pipeline included',
      `${m((r) => (r.cpuS * 1e6) / r.records).toFixed(1)} µs`,
    ],
    [
      'steady state (full passes back to back): records/s (median)',
      m((r) => r.steady.records / r.steady.seconds).toFixed(0),
    ],
    [
      '  Ashby requests/s; worker CPU, cores',
      `${m((r) => r.steady.calls / r.steady.seconds).toFixed(0)}; ${m((r) => r.steady.cpuS / r.steady.seconds).toFixed(2)}`,
    ],
    ['  worker CPU per record (every thread)', `${steadyCpuPerRecordUs.toFixed(1)} µs`],
    ['  worker CPU per Ashby request', `${steadyCpuPerCallMs.toFixed(2)} ms`],
    [
      'peak RSS (target ≤ 400 MB)',
      `${m((r) => r.peakRssMb).toFixed(0)} MB (RSS at the end ${m((r) => r.rssAfterMb).toFixed(0)} MB)`,
    ],
    [
      `tenants one core keeps at ${SETTINGS.rpm} requests/min each (target ≥ 15)`,
      `${tenantsPerCore.toFixed(1)} = 1,000 ms ÷ (${perSecond.toFixed(2)} requests/s × ${steadyCpuPerCallMs.toFixed(2)} ms of worker CPU per request)`,
    ],
    ['  threads of the worker process (most seen)', m((r) => r.peakThreads).toFixed(0)],
    ['  event-loop lag p99 of the worker at the end', `${m((r) => r.eventLoopLagP99Ms).toFixed(0)} ms`],
    [
      'pipelines that finished a first pass (within SERVE_BENCH_FIRST_PASS_S)',
      runs.map((r) => `${r.passed} of ${SETTINGS.tenants}`).join('; '),
    ],
    ['failed passes', String(runs.reduce((n, r) => n + r.failed, 0))],
    ['load average (1, 5, 15 min) before → after', runs.map((r) => `${r.loadBefore} → ${r.loadAfter}`).join('; ')],
  ]);
}

// ---- part 2: a group of workers, kill -9 ---------------------------------------------------

/** Time of the first log line of `w` after `after` matching msg and pipeline. */
function logged(w: WorkerProc, msg: string, pipeline: string, after: number): number | undefined {
  for (const l of w.lines) {
    if (l.msg !== msg || l.pipeline !== pipeline) continue;
    const at = Date.parse(l.time);
    if (at > after) return at;
  }
  return undefined;
}

/**
 * Which live worker runs each pipeline, from the workers' own logs ("pipeline starting" and
 * "pipeline stopped", in order). Not from `GET …/status`: under load a status read waits for
 * the status topic to be read to its end (see docs/benchmarks.md), and 60 of them take minutes.
 */
async function owners(workers: WorkerProc[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const w of workers) {
    const here = new Set<string>();
    for (const l of w.lines) {
      if (!l.pipeline) continue;
      if (l.msg === 'pipeline starting') here.add(l.pipeline);
      else if (l.msg === 'pipeline stopped') here.delete(l.pipeline);
    }
    for (const name of here) out.set(name, w.id);
  }
  return Promise.resolve(out);
}

function spread(byPipeline: Map<string, string>, ids: string[]): { counts: number[]; ratio: number } {
  const counts = ids.map((id) => [...byPipeline.values()].filter((w) => w === id).length);
  return { counts, ratio: Math.max(...counts) / Math.max(1, Math.min(...counts)) };
}

/** Pipelines that ran on the survivors before `since` and that the survivors stopped or (re)started after it. */
function disturbed(survivors: WorkerProc[], stayed: Map<string, string>, since: number): string[] {
  const out: string[] = [];
  for (const [name, id] of stayed) {
    const w = survivors.find((x) => x.id === id)!;
    if (
      logged(w, 'pipeline stopped', name, since) !== undefined ||
      logged(w, 'pipeline starting', name, since) !== undefined
    )
      out.push(name);
  }
  return out;
}

async function cluster(): Promise<void> {
  const n = SETTINGS.pipelines;
  console.log(
    `\n2. ${SETTINGS.workers} workers, ${n} source pipelines (${SETTINGS.smallCandidates} candidates each, a pass every ${SETTINGS.interval}), session timeout ${SETTINGS.sessionTimeoutMs} ms`,
  );
  const group = newGroup('cluster');
  const { tenants, stop } = await startTenants({
    count: n,
    scale: SETTINGS.smallCandidates,
    latencyMs: SETTINGS.latencyMs,
    seedBase: 7000,
    fullPasses: false,
  });
  const workers: WorkerProc[] = [];
  const alive = (): WorkerProc[] => workers.filter((w) => w.proc.exitCode === null && w.proc.signalCode === null);
  const rows: Array<[string, string]> = [];
  try {
    for (let i = 1; i <= SETTINGS.workers; i++) workers.push(await startWorker(`w${i}`, group));
    const ids = workers.map((w) => w.id);
    await addTenants(workers[0]!.url, tenants, group.prefix, SETTINGS.interval);
    const names = tenants.map((t) => t.name);
    const before = await waitFor(
      'every pipeline RUNNING on a worker',
      async () => {
        const o = await owners(alive());
        return o.size === n ? o : undefined;
      },
      300_000,
      2000,
    );
    const s0 = spread(before, ids);
    recorder.add(
      figure(
        'serve.spread',
        `Pipelines per worker, max ÷ min (${SETTINGS.workers} workers, ${n} pipelines)`,
        'ratio',
        s0.ratio,
        {
          op: '<=',
          value: 1.25,
        },
      ),
    );
    rows.push([
      `pipelines per worker (${ids.join(', ')}), max ÷ min (target ≤ 1.25)`,
      `${s0.counts.join(', ')}; ${s0.ratio.toFixed(2)}`,
    ]);
    // Let passes run (every pipeline works on its interval), then kill the busiest worker.
    await new Promise((r) => setTimeout(r, 5000));
    const victim = workers.find((w) => w.id === ids[s0.counts.indexOf(Math.max(...s0.counts))])!;
    const moved = names.filter((name) => before.get(name) === victim.id);
    const stayed = new Map([...before].filter(([, id]) => id !== victim.id));
    const loadAtKill = load();
    const killedAt = Date.now();
    await stopWorker(victim, 'SIGKILL');
    const survivors = alive();
    const startedAt = await waitFor(
      `the ${moved.length} pipelines of ${victim.id} started on a survivor`,
      async () => {
        const at = moved.map((name) =>
          survivors.map((w) => logged(w, 'pipeline starting', name, killedAt)).find((x) => x !== undefined),
        );
        return at.every((x) => x !== undefined) ? Math.max(...(at as number[])) : undefined;
      },
      SETTINGS.sessionTimeoutMs + 120_000,
      250,
    );
    // Give late effects of the rebalance time to show in the logs.
    await new Promise((r) => setTimeout(r, 5000));
    const hit = disturbed(survivors, stayed, killedAt);
    recorder.add(
      figure(
        'serve.takeover',
        'kill -9 of a worker → all its pipelines started on survivors',
        's',
        (startedAt - killedAt) / 1000,
        {
          op: '<=',
          value: SETTINGS.sessionTimeoutMs / 1000 + 5,
        },
      ),
      figure(
        'serve.disturbed_by_kill',
        'Pipelines that did not move but were stopped by the kill',
        'count',
        hit.length,
        {
          op: '<=',
          value: 0,
        },
      ),
    );
    const after = await waitFor(
      'every pipeline RUNNING on a survivor',
      async () => {
        const o = await owners(survivors);
        return o.size === n && [...o.values()].every((id) => id !== victim.id) ? o : undefined;
      },
      120_000,
      2000,
    );
    const s1 = spread(
      after,
      survivors.map((w) => w.id),
    );
    rows.push(
      [
        `kill -9 ${victim.id} (${moved.length} pipelines): until all run on survivors (target ≤ ${(SETTINGS.sessionTimeoutMs / 1000).toFixed(0)} + 5 s)`,
        `${((startedAt - killedAt) / 1000).toFixed(1)} s (load ${loadAtKill})`,
      ],
      [
        `pipelines that did not move but were stopped or restarted (target 0)`,
        `${hit.length} of ${stayed.size}${hit.length ? ` (${hit.join(', ')})` : ''}`,
      ],
      [
        `pipelines per survivor (${survivors.map((w) => w.id).join(', ')})`,
        `${s1.counts.join(', ')}; ${s1.ratio.toFixed(2)}`,
      ],
    );
    // The killed worker comes back: pipelines move to it, the others must keep running.
    const backAt = Date.now();
    const back = await startWorker(victim.id, group);
    workers.push(back);
    // Settled: the returning worker runs pipelines, and the owners did not change for two polls.
    let previous = '';
    const returned = await waitFor(
      'the returning worker running its share',
      async () => {
        const o = await owners(alive());
        const key = JSON.stringify([...o]);
        const settled = o.size === n && [...o.values()].includes(back.id) && key === previous;
        previous = key;
        return settled ? o : undefined;
      },
      SETTINGS.sessionTimeoutMs + 120_000,
      2000,
    );
    const movedBack = names.filter((name) => returned.get(name) === back.id);
    const stayed2 = new Map([...after].filter(([name]) => !movedBack.includes(name)));
    await new Promise((r) => setTimeout(r, 5000));
    const hit2 = disturbed(survivors, stayed2, backAt);
    const s2 = spread(
      returned,
      alive().map((w) => w.id),
    );
    rows.push(
      [
        `${victim.id} back: pipelines per worker (${alive()
          .map((w) => w.id)
          .join(', ')})`,
        `${s2.counts.join(', ')}; ${s2.ratio.toFixed(2)}`,
      ],
      [
        `  pipelines that did not move but were stopped or restarted (target 0)`,
        `${hit2.length} of ${stayed2.size}${hit2.length ? ` (${hit2.join(', ')})` : ''}`,
      ],
    );
    const failedLines = alive().flatMap((w) => w.lines.filter((l) => l.msg.startsWith('pipeline failed')));
    rows.push(
      ['pipeline failures logged by the workers', String(failedLines.length)],
      ['load average at the end (1, 5, 15 min)', load()],
      ['worker logs', join(tmpdir(), 'ashby-kafka-bench-serve', `${group.prefix}.w*.log`)],
    );
  } finally {
    for (const w of alive()) await stopWorker(w, 'SIGKILL');
    await stop();
    await dropTopics([
      ...groupTopics(group),
      ...tenants.flatMap((t) => SETTINGS.streams.map((s) => `${group.prefix}.${t.name}.${s}`)),
    ]);
  }
  console.log('');
  printRows(rows);
}

async function main(): Promise<void> {
  console.log(
    `serve benchmark${quick ? ' (--quick)' : ''}; load average ${load()} on ${(await import('node:os')).cpus().length} cores`,
  );
  if (SETTINGS.only !== 'cluster') await single();
  if (SETTINGS.only !== 'single') await cluster();
  recorder.write();
}

const [mode, a] = argv;
if (mode === 'tenants-child') await tenantsChild(JSON.parse(a!) as TenantsJob);
else await main();
