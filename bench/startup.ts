/**
 * Start-up benchmark (`npm run bench -- startup [--quick] [--runs N]`).
 *
 * 1. `ashby-kafka --version` and `--help` wall time ÷ `node -e 0`, measured in the same run:
 *    the three commands alternate, `--runs` times each (default 11; 5 with --quick), medians.
 *    Target ≤ 3. The CLI is the package's bin (bin/ashby-kafka.js, which loads dist/).
 * 2. Time to first request of a `source --once` pass: from spawning the real CLI to the first
 *    request the sandbox receives (a small HTTP hook in front of a sandbox child records the
 *    arrival time), against the real local broker and registry. Medians of `--runs` (3; 1 with
 *    --quick). Also the whole pass's wall time, for context.
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../src/config/load.js';
import { rdkafkaConfig } from '../src/config/kafka-options.js';
import { KafkaAdmin } from '../src/kafka/index.js';
import { PACKAGE_ROOT } from '../src/package-info.js';
import { startSandbox } from '../src/sandbox/index.js';
import { figure, ResultRecorder, summarize } from './lib/results.js';
import { sandboxInChild } from './lib/sandbox-child.js';

const SELF = fileURLToPath(import.meta.url);
const BOOTSTRAP = process.env.KAFKA_BOOTSTRAP ?? '127.0.0.1:9092';
const REGISTRY = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const TARGET = 3;

/** The CLI as installed: the `bin` that package.json declares. */
function cliPath(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return join(PACKAGE_ROOT, Object.values(pkg.bin)[0]!);
}

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

// ---- sandbox child --------------------------------------------------------------------------

async function sandboxChild(): Promise<void> {
  const sandbox = await startSandbox({ scale: 200, seed: 1 });
  process.send!({ url: sandbox.url });
  process.on('message', (m) => m === 'exit' && void sandbox.close().then(() => process.exit(0)));
}

async function startSandboxChild(): Promise<{ url: string; stop: () => Promise<void> }> {
  return sandboxInChild(fork(SELF, ['sandbox-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/** An HTTP hook in front of the sandbox: forwards every request, remembers when the first arrived. */
async function hook(
  target: string,
): Promise<{ url: string; first: () => number | undefined; reset: () => void; close: () => Promise<void> }> {
  const to = new URL(target);
  let first: number | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    first ??= performance.now();
    const up = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    first: () => first,
    reset: () => (first = undefined),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** One `source --once` pass of the real CLI: ms from spawn to the first request, and to the exit. */
async function sourcePass(
  cli: string,
  config: string,
  env: NodeJS.ProcessEnv,
  h: Awaited<ReturnType<typeof hook>>,
): Promise<{ firstMs: number; passMs: number }> {
  h.reset();
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, 'source', '--config', config, '--once'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const passMs = performance.now() - t0;
  const first = h.first();
  if (code !== 0 || first === undefined) throw new Error(`source --once exited ${code}: ${stderr.slice(-2000)}`);
  return { firstMs: first - t0, passMs };
}

async function main(): Promise<void> {
  const recorder = new ResultRecorder('startup');
  const quick = process.argv.includes('--quick');
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : quick ? 5 : 11;
  const passRuns = runsArg > 0 ? Number(process.argv[runsArg + 1]) : quick ? 1 : 3;
  const cli = cliPath();
  console.log(`start-up benchmark: ${runs} alternating runs of node -e 0, --version and --help (${cli})`);

  const times: Record<'node' | 'version' | 'help', number[]> = { node: [], version: [], help: [] };
  wallMs(['-e', '0']); // warm the file cache
  wallMs([cli, '--version']);
  for (let i = 0; i < runs; i++) {
    times.node.push(wallMs(['-e', '0']));
    times.version.push(wallMs([cli, '--version']));
    times.help.push(wallMs([cli, '--help']));
  }
  // Each run's ratio against the `node -e 0` of the same run.
  const ratio = (xs: number[]): number[] => xs.map((x, i) => x / times.node[i]!);
  const fmt = (xs: number[]): string => {
    const s = summarize(xs);
    return `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
  };
  console.log(`  node -e 0      ${fmt(times.node)}`);
  console.log(
    `  --version      ${fmt(times.version)}   ratio ${summarize(ratio(times.version)).median.toFixed(2)} (target ≤ ${TARGET})`,
  );
  console.log(
    `  --help         ${fmt(times.help)}   ratio ${summarize(ratio(times.help)).median.toFixed(2)} (target ≤ ${TARGET})`,
  );
  recorder.add(
    figure(
      'startup.version_over_node',
      '`ashby-kafka --version` wall time ÷ `node -e 0`',
      'ratio',
      ratio(times.version),
      {
        op: '<=',
        value: TARGET,
      },
    ),
    figure('startup.help_over_node', '`ashby-kafka --help` wall time ÷ `node -e 0`', 'ratio', ratio(times.help), {
      op: '<=',
      value: TARGET,
    }),
    figure('startup.node', '`node -e 0` wall time', 'ms', times.node),
    figure('startup.version', '`ashby-kafka --version` wall time', 'ms', times.version),
  );

  // Time to first request of a `source --once` pass.
  const sandbox = await startSandboxChild();
  const h = await hook(sandbox.url);
  const dir = mkdtempSync(join(tmpdir(), 'ashby-kafka-bench-startup-'));
  const prefix = `bench.startup.${Date.now().toString(36)}.`;
  const config = join(dir, 'pipeline.yaml');
  writeFileSync(
    config,
    [
      'ashby:',
      '  api_key: ${ASHBY_API_KEY}',
      `  base_url: ${h.url}`,
      'kafka:',
      `  bootstrap_servers: ${BOOTSTRAP}`,
      '  librdkafka: { log_level: 0 }',
      'schema_registry:',
      `  url: ${REGISTRY}`,
      'source:',
      '  streams: [candidates]',
      `  topic_prefix: "${prefix}"`,
      '  mode: full_refresh',
      `  state: file:${join(dir, 'state.json')}`,
      'logging:',
      '  level: warn',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, ASHBY_API_KEY: 'sandbox_full' };
  const first: number[] = [];
  const pass: number[] = [];
  try {
    for (let i = 0; i < passRuns; i++) {
      const r = await sourcePass(cli, config, env, h);
      first.push(r.firstMs);
      pass.push(r.passMs);
      console.log(
        `  source --once run ${i + 1}: first request after ${r.firstMs.toFixed(0)} ms, pass ${r.passMs.toFixed(0)} ms`,
      );
    }
  } finally {
    await h.close();
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
    const admin = KafkaAdmin.create(
      rdkafkaConfig(
        resolveConfig({ ashby: { api_key: 'x' }, kafka: { bootstrap_servers: BOOTSTRAP } }, { env: {} }).kafka,
      ),
    );
    await admin.deleteTopic(`${prefix}candidates`).catch(() => undefined);
    admin.close();
  }
  console.log(`  source --once: spawn → first Ashby request ${fmt(first)}; whole pass (200 candidates) ${fmt(pass)}`);
  recorder.add(
    figure('startup.source_first_request', '`source --once`: process spawn → first Ashby request', 'ms', first),
    figure('startup.source_pass', '`source --once` of 200 candidates, spawn → exit', 'ms', pass),
  );
  recorder.write();
}

if (process.argv[2] === 'sandbox-child') await sandboxChild();
else await main();
