/**
 * Sandbox benchmark (`npm run bench -- sandbox`): is the local Ashby fast enough never to be the
 * bottleneck of the connector's own benchmarks?
 *
 * Measures, with the sandbox in a child process so its CPU and memory are its own:
 * - candidate.list pages per second at limit 100 over keep-alive HTTP (4 concurrent clients),
 *   against a baseline: a plain node:http server in the same kind of child answering a
 *   same-sized static JSON body (the cost of HTTP and the client alone);
 * - sandbox CPU time per page, from the child's process.cpuUsage(), and the engine alone (no HTTP);
 * - RSS of a sandbox at --scale 1,000,000 after start and after the run.
 * Each throughput figure is the median of several runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { createSandboxEngine, startSandbox } from '../src/sandbox/index.js';
import { figure, ResultRecorder } from './lib/results.js';

const QUICK = process.argv.includes('--quick');
const SCALE = 1_000_000;
const RUNS = QUICK ? 3 : 5;
const RUN_MS = QUICK ? 1_500 : 2_500;
const CONCURRENCY = 4;
const AUTH = `Basic ${Buffer.from('sandbox_full:').toString('base64')}`;

interface ChildStats {
  cpuMs: number;
  rssMb: number;
  heapMb: number;
}

// ---- child side -----------------------------------------------------------------------------

async function child(kind: string, scale: number): Promise<void> {
  let url: string;
  if (kind === 'baseline') {
    // A page of the same size, served with no work at all.
    const { engine } = createSandboxEngine({ scale });
    const page = engine.handle({
      method: 'POST',
      path: '/candidate.list',
      headers: { authorization: AUTH },
      body: '',
    }).body;
    const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(page),
        });
        res.end(page);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  } else {
    url = (await startSandbox({ scale })).url;
  }
  const stats = (): ChildStats => {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    return { cpuMs: (cpu.user + cpu.system) / 1000, rssMb: mem.rss / 1e6, heapMb: mem.heapUsed / 1e6 };
  };
  process.on('message', (m) => {
    if (m === 'stats') process.send!({ stats: stats() });
    if (m === 'exit') process.exit(0);
  });
  process.send!({ url, stats: stats() });
}

// ---- parent side ----------------------------------------------------------------------------

function spawn(kind: string, scale: number): Promise<{ proc: ChildProcess; url: string; stats: ChildStats }> {
  const proc = fork(fileURLToPath(import.meta.url), ['--child', kind, String(scale)], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { url: string; stats: ChildStats }) => resolve({ proc, url: m.url, stats: m.stats }));
    proc.once('error', reject);
  });
}

function childStats(proc: ChildProcess): Promise<ChildStats> {
  return new Promise((resolve) => {
    proc.once('message', (m: { stats: ChildStats }) => resolve(m.stats));
    proc.send('stats');
  });
}

async function pagesFor(url: string, ms: number, agent: Agent): Promise<number> {
  const until = performance.now() + ms;
  let pages = 0;
  const worker = async (): Promise<void> => {
    let cursor: string | undefined;
    while (performance.now() < until) {
      const res = await request(`${url}/candidate.list`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ limit: 100, ...(cursor ? { cursor } : {}) }),
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`page failed: ${res.statusCode} ${text.slice(0, 200)}`);
      // The client only needs the cursor; parsing 200 KB would make the client the bottleneck.
      cursor = /"nextCursor":"([^"]+)"/.exec(text)?.[1];
      pages++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return pages / (ms / 1000);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function engineCpuPerPage(scale: number, pages: number): number {
  const { engine } = createSandboxEngine({ scale });
  const headers = { authorization: AUTH, 'content-type': 'application/json' };
  let cursor: string | undefined;
  const step = (): void => {
    const r = engine.handle({
      method: 'POST',
      path: '/candidate.list',
      headers,
      body: JSON.stringify({ limit: 100, ...(cursor ? { cursor } : {}) }),
    });
    cursor = /"nextCursor":"([^"]+)"/.exec(r.body)?.[1];
  };
  for (let i = 0; i < 100; i++) step();
  const t0 = process.cpuUsage();
  for (let i = 0; i < pages; i++) step();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / pages;
}

async function main(): Promise<void> {
  const recorder = new ResultRecorder('sandbox');
  console.log(
    `sandbox benchmark: candidate.list, limit 100, scale ${SCALE.toLocaleString('en')}, ${CONCURRENCY} keep-alive clients, median of ${RUNS} runs of ${RUN_MS} ms`,
  );
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: CONCURRENCY });
  const baseline = await spawn('baseline', 200);
  const sandbox = await spawn('sandbox', SCALE);
  const rssAtStart = sandbox.stats.rssMb;
  const basePps: number[] = [];
  const sbPps: number[] = [];
  const sbCpu: number[] = [];
  try {
    await pagesFor(baseline.url, 500, agent);
    await pagesFor(sandbox.url, 500, agent);
    for (let run = 0; run < RUNS; run++) {
      basePps.push(await pagesFor(baseline.url, RUN_MS, agent));
      const before = await childStats(sandbox.proc);
      const pps = await pagesFor(sandbox.url, RUN_MS, agent);
      const after = await childStats(sandbox.proc);
      sbPps.push(pps);
      sbCpu.push((after.cpuMs - before.cpuMs) / (pps * (RUN_MS / 1000)));
    }
    const end = await childStats(sandbox.proc);
    const engineMs = median(Array.from({ length: 3 }, () => engineCpuPerPage(SCALE, 1_000)));
    const b = median(basePps);
    const s = median(sbPps);
    console.log('');
    console.log(`baseline (static 200 KB JSON page, no work)   ${b.toFixed(0).padStart(6)} pages/s`);
    console.log(
      `sandbox candidate.list                        ${s.toFixed(0).padStart(6)} pages/s   ratio ${(s / b).toFixed(2)} of baseline`,
    );
    console.log(`sandbox process CPU per page (HTTP included)  ${median(sbCpu).toFixed(2).padStart(6)} ms`);
    console.log(`sandbox engine CPU per page (no HTTP)         ${engineMs.toFixed(2).padStart(6)} ms`);
    console.log(
      `sandbox RSS at scale ${SCALE.toLocaleString('en')}: ${rssAtStart.toFixed(0)} MB after start, ${end.rssMb.toFixed(0)} MB after ${(sbPps.length * RUN_MS) / 1000} s of paging (heap ${end.heapMb.toFixed(0)} MB)`,
    );
    console.log(
      `runs (pages/s): baseline ${basePps.map((x) => x.toFixed(0)).join(' ')} | sandbox ${sbPps.map((x) => x.toFixed(0)).join(' ')}`,
    );
    recorder
      .add(
        figure(
          'sandbox.pages_per_s',
          'Sandbox candidate.list pages/s (100 per page, scale 1,000,000)',
          'pages/s',
          sbPps,
        ),
        figure(
          'sandbox.ratio_to_static',
          'Sandbox pages/s ÷ a static page of the same size',
          'ratio',
          sbPps.map((x, i) => x / basePps[i]!),
        ),
        figure(
          'sandbox.cpu_per_page',
          'Sandbox process CPU per page (HTTP included)',
          'us',
          sbCpu.map((x) => x * 1000),
        ),
        figure('sandbox.rss', `Sandbox RSS at scale ${SCALE.toLocaleString('en')} after paging`, 'MB', end.rssMb),
      )
      .write();
  } finally {
    baseline.proc.send('exit');
    sandbox.proc.send('exit');
    await agent.close();
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1]!, Number(process.argv[at + 2]));
else await main();
