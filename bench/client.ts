import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { AshbyClient } from '../src/ashby/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import { withAshbyDefaults } from '../src/config/ashby-options.js';
import { figure, ResultRecorder, type Figure } from './lib/results.js';

/**
 * `npm run bench -- client`: per-call cost of AshbyClient against a bare undici request to the
 * same sandbox (running in a child process with no added latency, so the client's CPU is what
 * differs). Both sides use a keep-alive Pool of the same size, send the same headers and body,
 * read the body and JSON.parse it. The client adds: the rate budget, the retry wrapper,
 * envelope classification, warnings and (typed calls) record validation.
 *
 * Calls: `candidate.info` (one small record) and `candidate.list` with limit 100 (one ~100-record
 * page), sequential (concurrency 1) and 8 in flight. Each repetition times the baseline and the
 * client back to back in alternating order; the printed ratio is the median of the
 * per-repetition ratios (the machine is shared and noisy). Target: ratio ≤ 1.10.
 */
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 11);
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 400);
const TARGET = 1.1;
const KEY = 'sandbox_full';

if (process.argv[2] === '--child') {
  const sb = await startSandbox({ seed: 1, scale: 500 });
  process.send?.({ url: sb.url });
  process.on('message', async () => {
    await sb.close();
    process.exit(0);
  });
} else {
  await main();
}

function startChild(): Promise<{ proc: ChildProcess; url: string }> {
  const proc = fork(fileURLToPath(import.meta.url), ['--child'], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { url: string }) => resolve({ proc, url: m.url }));
    proc.once('error', reject);
  });
}

type Call = () => Promise<unknown>;

/** Calls completed per second over one time slice, `concurrency` loops in parallel. */
async function rate(call: Call, concurrency: number): Promise<number> {
  const deadline = performance.now() + SLICE_MS;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await call();
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const { proc, url } = await startChild();
  const connections = 8;
  const pool = new Pool(url, { connections });
  const headers = {
    authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`,
    'content-type': 'application/json',
    accept: 'application/json; version=1',
    'user-agent': 'bench',
  };
  const bare = async (endpoint: string, body: unknown): Promise<unknown> => {
    const res = await pool.request({ method: 'POST', path: `/${endpoint}`, headers, body: JSON.stringify(body) });
    const parsed = JSON.parse(await res.body.text()) as { success: boolean };
    if (res.statusCode !== 200 || !parsed.success) throw new Error(`bare ${endpoint}: HTTP ${res.statusCode}`);
    return parsed;
  };
  const client = new AshbyClient(
    withAshbyDefaults({
      apiKey: KEY,
      baseUrl: url,
      rate: { requestsPerSecond: 1_000_000, burst: 1_000_000, maxConcurrent: connections },
      retry: { retries: 0 },
    }),
  );
  const first = (await client.call<{ id: string }[]>('candidate.list', { limit: 1 })).results[0]!;

  const cases: Array<{ name: string; concurrency: number; base: Call; ours: Call }> = [
    {
      name: 'candidate.info (typed)',
      concurrency: 1,
      base: () => bare('candidate.info', { id: first.id }),
      ours: () => client.candidate.info({ id: first.id }),
    },
    {
      name: 'candidate.info (call)',
      concurrency: 1,
      base: () => bare('candidate.info', { id: first.id }),
      ours: () => client.call('candidate.info', { id: first.id }),
    },
    {
      name: 'candidate.info ×8 in flight',
      concurrency: 8,
      base: () => bare('candidate.info', { id: first.id }),
      ours: () => client.candidate.info({ id: first.id }),
    },
    {
      name: 'candidate.list 100 (typed page)',
      concurrency: 1,
      base: () => bare('candidate.list', { limit: 100 }),
      ours: async () => {
        for await (const _page of client.candidate.list({}, { limit: 100 })) return;
      },
    },
  ];

  // Warm-up: JIT, sockets, sandbox caches.
  for (const c of cases) {
    await rate(c.base, c.concurrency);
    await rate(c.ours, c.concurrency);
  }

  console.log(
    `AshbyClient vs bare undici against the sandbox (child process, no latency); ${REPETITIONS} repetitions of ${SLICE_MS} ms slices`,
  );
  const load = loadavg()[0]!;
  const cores = availableParallelism();
  if (load > cores * 0.75)
    console.log(
      `note: load average ${load.toFixed(1)} on ${cores} cores; other work on the machine makes the ratios noisy (rerun when idle)`,
    );
  console.log(
    'case                               bare calls/s   client calls/s   µs/call bare   µs/call client   ratio (median)',
  );
  const recorder = new ResultRecorder('client');
  let worst = 0;
  let worstFigure: Figure | undefined;
  for (const c of cases) {
    const ratios: number[] = [];
    const baseRates: number[] = [];
    const ourRates: number[] = [];
    for (let i = 0; i < REPETITIONS; i++) {
      const order = i % 2 === 0 ? ['base', 'ours'] : ['ours', 'base'];
      const r: Record<string, number> = {};
      for (const which of order) r[which] = await rate(which === 'base' ? c.base : c.ours, c.concurrency);
      baseRates.push(r.base!);
      ourRates.push(r.ours!);
      ratios.push(r.base! / r.ours!);
    }
    const ratio = median(ratios);
    const f = figure(
      `client.${c.name.trim().replace(/\W+/g, '_')}`,
      `Client ÷ bare undici, ${c.name.trim()}`,
      'ratio',
      ratios,
    );
    recorder.add(f);
    if (ratio >= worst) worstFigure = f;
    worst = Math.max(worst, ratio);
    const b = median(baseRates);
    const o = median(ourRates);
    console.log(
      `${c.name.padEnd(34)} ${b.toFixed(0).padStart(12)} ${o.toFixed(0).padStart(16)} ${(1e6 / b).toFixed(0).padStart(14)} ${(1e6 / o).toFixed(0).padStart(16)} ${ratio.toFixed(3).padStart(16)}`,
    );
  }
  console.log(
    `worst ratio ${worst.toFixed(3)} (time per call, client / bare; target ≤ ${TARGET}) ${worst <= TARGET ? 'OK' : 'MISSED'}`,
  );

  if (worstFigure)
    recorder.figures.unshift({
      ...worstFigure,
      id: 'client.worst_ratio',
      label: `Client ÷ bare undici per call, worst case (${worstFigure.label.replace('Client ÷ bare undici, ', '')})`,
      target: { op: '<=', value: TARGET },
    });
  recorder.write();

  await client.close();
  await pool.close();
  proc.send('stop');
  await new Promise((r) => proc.once('exit', r));
}
