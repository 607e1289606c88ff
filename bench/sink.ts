/**
 * Sink benchmark (`npm run bench -- sink`).
 *
 * The sandbox runs in a child process (its CPU is its own), with a token-bucket rate limit of R
 * requests per second; the sink's client budget is configured to the same R. Measured:
 * 1. throughput: candidate.create commands (one Ashby write each, with the idempotency ledger's
 *    intent and outcome entries and a results record), writes per second over the steady part of
 *    the run, as a ratio to R (target ≥ 0.9), and the number of 429s at steady state (target 0);
 * 2. added latency: with no rate limit, commands of one key (so strictly one after another), the
 *    median time between consecutive Ashby calls minus the median duration of a bare client call
 *    of the same kind: what the connector adds per command (decode, plan, ledger, results, offsets).
 * Medians of RUNS runs. Needs the local Kafka and registry (npm run stack:up).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadContract } from '../src/avro/contract.js';
import { createCommandMapper } from '../src/sink/operations/command-mapping.js';
import { createSerde } from '../src/avro/serde/create-serde.js';
import { AshbyClient } from '../src/ashby/client.js';
import { resolveConfig } from '../src/config/load.js';
import { KafkaAdmin } from '../src/kafka/admin.js';
import { KafkaProducer } from '../src/kafka/producer.js';
import { createLogger } from '../src/log/logger.js';
import { startSandbox } from '../src/sandbox/index.js';
import { openSink, type SinkRunResult } from '../src/sink/runner.js';
import { withAshbyDefaults } from '../src/config/ashby-options.js';
import { figure, ResultRecorder } from './lib/results.js';

const BOOTSTRAP = process.env.KAFKA_BOOTSTRAP ?? '127.0.0.1:9092';
const REGISTRY_URL = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const R = Number(process.env.SINK_BENCH_RATE ?? 20);
const QUICK = process.argv.includes('--quick');
const THROUGHPUT_SECONDS = 8;
const LATENCY_COMMANDS = 60;
/** Runs of each part (`--quick`: 1). */
const RUNS = QUICK ? 1 : 3;
/** The first part of a throughput run (the budget's initial burst, the group join) is not steady state. */
const WARMUP_SHARE = 0.15;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// ---- child: the sandbox -----------------------------------------------------------------------

async function child(rate: number): Promise<void> {
  const sandbox = await startSandbox({
    seed: 1,
    scale: 200,
    ...(rate > 0 ? { rateLimit: { perSecond: rate, burst: Math.max(1, Math.ceil(rate / 4)) } } : {}),
  });
  process.on('message', (m) => m === 'exit' && void sandbox.close().then(() => process.exit(0)));
  process.send!({ url: sandbox.url });
}

function spawnSandbox(rate: number): Promise<{ proc: ChildProcess; url: string }> {
  const proc = fork(fileURLToPath(import.meta.url), ['--child', String(rate)], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { url: string }) => resolve({ proc, url: m.url }));
    proc.once('error', reject);
  });
}

// ---- parent --------------------------------------------------------------------------------

const contract = loadContract();
const mapper = createCommandMapper(contract);
const unique = (p: string) => `bench.sink.${p}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}`;

interface Timed {
  starts: number[];
  ends: number[];
  rateLimited: number[];
  /** End of every call, by endpoint. */
  endsBy: Record<string, number[]>;
}

/** A client whose write calls are timed (the sink's own client, built as the CLI would, plus a stopwatch). */
function timedClient(url: string, rate: number, timed: Timed): AshbyClient {
  const logger = createLogger({
    level: 'warn',
    write: (line) => {
      if (line.includes('ASHBY_RATE_LIMITED')) timed.rateLimited.push(performance.now());
    },
  });
  const client = new AshbyClient(
    withAshbyDefaults({
      apiKey: 'sandbox_full',
      baseUrl: url,
      logger,
      retry: { retries: 20, minDelayMs: 50, maxDelayMs: 1000 },
      // A small burst (below the sandbox's) so a late timer does not waste a token; never above what the sandbox allows.
      rate:
        rate > 0
          ? { requestsPerSecond: rate, burst: Math.max(1, Math.ceil(rate / 10)), maxConcurrent: 8 }
          : { requestsPerSecond: 10_000, burst: 10_000, maxConcurrent: 8 },
    }),
  );
  const call = client.call.bind(client);
  client.call = (async (
    endpoint: string,
    body?: Record<string, unknown>,
    options?: Parameters<AshbyClient['call']>[2],
  ) => {
    const started = performance.now();
    const out = await call(endpoint, body, options);
    (timed.endsBy[endpoint] ??= []).push(performance.now());
    if (endpoint === 'candidate.create') {
      timed.starts.push(started);
      timed.ends.push(performance.now());
    }
    return out;
  }) as AshbyClient['call'];
  return client;
}

type Build = (i: number, stamp: number) => Record<string, unknown>;
const createCandidate: Build = (i, stamp) => ({
  operation: 'create',
  name: `Bench ${i}`,
  email: `bench.${stamp}.${i}@example.com`,
});

async function runOnce(
  url: string,
  rate: number,
  commands: number,
  sameKey: boolean,
  build: Build = createCandidate,
): Promise<Timed> {
  const topic = unique('candidates');
  const admin = KafkaAdmin.create({ 'bootstrap.servers': BOOTSTRAP, log_level: 0 });
  await admin.ensureTopics([{ name: topic, partitions: 4, replicationFactor: 1 }]);
  for (const t of ['jobs', 'applications', 'offers'])
    await admin.ensureTopics([{ name: `${topic}.${t}`, partitions: 1, replicationFactor: 1 }]);
  admin.close();
  const serde = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
  const producer = await KafkaProducer.connect({ config: { 'bootstrap.servers': BOOTSTRAP, log_level: 0 } });
  const stamp = Date.now();
  await Promise.all(
    Array.from({ length: commands }, async (_, i) => {
      const value = mapper.parseJsonCommand('candidate', build(i, stamp));
      await producer.send({
        topic,
        key: sameKey ? 'one' : `k${i}`,
        value: await serde.encodeValue(topic, contract.commandType('candidate'), value),
      });
    }),
  );
  await producer.close();
  await serde.close();
  const timed: Timed = { starts: [], ends: [], rateLimited: [], endsBy: {} };
  const client = timedClient(url, rate, timed);
  const config = resolveConfig(
    {
      ashby: { api_key: 'sandbox_full', base_url: url },
      kafka: { bootstrap_servers: BOOTSTRAP, group_id: unique('group'), librdkafka: { log_level: 0 } },
      schema_registry: { url: REGISTRY_URL },
      destination: {
        topics: [
          { topic, entity: 'candidate' },
          { topic: `${topic}.jobs`, entity: 'job' },
          { topic: `${topic}.applications`, entity: 'application' },
          { topic: `${topic}.offers`, entity: 'offer' },
        ],
        dead_letter_topic: unique('dlq'),
        results_topic: unique('results'),
        ledger_topic: unique('ledger'),
      },
      logging: { level: 'silent' },
    },
    { env: {} },
  );
  // The loop takes its pieces injected: the sink's own, with the timed client in place of the one built from the config.
  const sink = await openSink(config);
  let result: SinkRunResult;
  try {
    result = await sink.loop.run({ ...sink.parts, ashby: client }, { once: true, allowLoopbackFileUrls: true });
  } finally {
    await sink.close();
    await client.close();
  }
  if (result.error) throw result.error;
  if (result.summary.ok !== commands)
    throw new Error(`expected ${commands} commands applied, got ${JSON.stringify(result.summary)}`);
  return timed;
}

const MB = 1024 * 1024;
const FILE = Buffer.alloc(MB, 0x25);
const BREADTH_COMMANDS = 80;

/** Candidates for the note and upload runs, created once through a bare client. */
async function benchCandidates(url: string, n: number): Promise<string[]> {
  const client = new AshbyClient(
    withAshbyDefaults({ apiKey: 'sandbox_full', baseUrl: url, rate: { requestsPerSecond: 10_000, burst: 10_000 } }),
  );
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(
      (await client.call<{ id: string }>('candidate.create', { name: `Breadth ${i}` }, { kind: 'write' })).results.id,
    );
  await client.close();
  return ids;
}

/** Commands per second over the calls to the command's own endpoint (first to last). */
function commandsPerSecond(t: Timed, endpoint: string): number {
  const ends = t.endsBy[endpoint] ?? [];
  const sorted = [...ends].sort((a, b) => a - b);
  return (sorted.length - 1) / ((sorted[sorted.length - 1]! - sorted[0]!) / 1000);
}

async function bareCallMs(url: string, n: number): Promise<number> {
  const client = new AshbyClient(
    withAshbyDefaults({ apiKey: 'sandbox_full', baseUrl: url, rate: { requestsPerSecond: 10_000, burst: 10_000 } }),
  );
  const stamp = Date.now();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await client.call(
      'candidate.create',
      { name: `Bare ${i}`, email: `bare.${stamp}.${i}@example.com` },
      { kind: 'write' },
    );
    times.push(performance.now() - t);
  }
  await client.close();
  return median(times.slice(5));
}

async function main(): Promise<void> {
  const recorder = new ResultRecorder('sink');
  console.log(
    `sink benchmark: sandbox in a child process; rate limit R = ${R} req/s (client budget set to R); medians of ${RUNS} runs`,
  );

  const limited = await spawnSandbox(R);
  const ratios: number[] = [];
  const steady429: number[] = [];
  const commands = R * THROUGHPUT_SECONDS;
  try {
    for (let run = 0; run < RUNS; run++) {
      const t = await runOnce(limited.url, R, commands, false);
      const ends = [...t.ends].sort((a, b) => a - b);
      const from = Math.floor(ends.length * WARMUP_SHARE);
      const rate = (ends.length - 1 - from) / ((ends[ends.length - 1]! - ends[from]!) / 1000);
      ratios.push(rate / R);
      steady429.push(t.rateLimited.filter((at) => at >= ends[from]!).length);
      console.log(
        `  run ${run + 1}: ${rate.toFixed(1)} writes/s (${(rate / R).toFixed(3)} × R), 429s: ${t.rateLimited.length} total, ${steady429[run]} at steady state`,
      );
    }
  } finally {
    limited.proc.send('exit');
  }

  const open = await spawnSandbox(0);
  const added: number[] = [];
  const bare: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const t = await runOnce(open.url, 0, LATENCY_COMMANDS, true);
      const starts = [...t.starts].sort((a, b) => a - b);
      const cycle = median(
        starts
          .slice(1)
          .map((s, i) => s - starts[i]!)
          .slice(5),
      );
      const b = await bareCallMs(open.url, 40);
      bare.push(b);
      added.push(cycle - b);
      console.log(
        `  run ${run + 1}: ${cycle.toFixed(2)} ms per command in the sink vs ${b.toFixed(2)} ms per bare call → +${(cycle - b).toFixed(2)} ms`,
      );
    }
  } finally {
    open.proc.send('exit');
  }

  // Notes and 1 MB uploads (downloaded from a local server), no rate limit: commands per second of the run.
  const files = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(MB) }).end(FILE),
  );
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  const fileUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/bench.pdf`;
  const noteRates: number[] = [];
  const uploadRates: number[] = [];
  const breadth = await spawnSandbox(0);
  try {
    const candidates = await benchCandidates(breadth.url, BREADTH_COMMANDS);
    for (let run = 0; run < RUNS; run++) {
      const notes = await runOnce(breadth.url, 0, BREADTH_COMMANDS, false, (i) => ({
        operation: 'createNote',
        candidateId: candidates[i]!,
        note: `bench note ${run}.${i}`,
      }));
      noteRates.push(commandsPerSecond(notes, 'candidate.createNote'));
      const uploads = await runOnce(breadth.url, 0, BREADTH_COMMANDS, false, (i) => ({
        operation: 'uploadFile',
        candidateId: candidates[i]!,
        file: { url: fileUrl, filename: `bench-${run}-${i}.pdf` },
      }));
      uploadRates.push(commandsPerSecond(uploads, 'candidate.uploadFile'));
      console.log(
        `  run ${run + 1}: ${noteRates[run]!.toFixed(1)} notes/s, ${uploadRates[run]!.toFixed(1)} uploads of 1 MB/s`,
      );
    }
  } finally {
    breadth.proc.send('exit');
    files.closeAllConnections();
    files.close();
  }

  console.log('');
  console.log(
    `notes (candidate.createNote)        ${median(noteRates).toFixed(1)} /s, ${((median(noteRates) * median(bare)) / 1000).toFixed(3)} × the bare create rate (a note also lists the candidate's notes first)`,
  );
  console.log(
    `1 MB uploads (candidate.uploadFile) ${median(uploadRates).toFixed(1)} /s, ${((median(uploadRates) * median(bare)) / 1000).toFixed(3)} × the bare create rate (download + candidate.info + multipart upload)`,
  );
  console.log(
    `throughput at R = ${R} req/s       ${median(ratios).toFixed(3)} × R (target ≥ 0.9), 429s at steady state: ${median(steady429)} (median)`,
  );
  console.log(`bare client call (candidate.create)  ${median(bare).toFixed(2)} ms`);
  console.log(
    `latency the sink adds per command    ${median(added).toFixed(2)} ms (ledger intent + outcome, result record, offset bookkeeping)`,
  );
  recorder
    .add(
      figure(
        'sink.throughput_over_rate',
        `candidate.create commands/s ÷ the rate limit R (R = ${R})`,
        'ratio',
        ratios,
        {
          op: '>=',
          value: 0.9,
        },
      ),
      figure('sink.steady_429', '429 responses at steady state', 'count', steady429, { op: '<=', value: 0 }),
      figure('sink.added_latency', 'Latency the sink adds per command', 'ms', added),
      figure('sink.notes_per_s', 'candidate.createNote commands/s, no rate limit', 'records/s', noteRates),
      figure('sink.uploads_per_s', '1 MB candidate.uploadFile commands/s, no rate limit', 'records/s', uploadRates),
    )
    .write();
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(Number(process.argv[at + 1]));
else await main();
