import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PACKAGE_ROOT } from '../../src/package-info.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { BOOTSTRAP, REGISTRY_URL } from '../support/stack.js';
import { sinkFixture } from './sink/helpers.js';

/**
 * No key leaks through the built CLI. Known keys (random per run, registered as sandbox keys)
 * go through `credentials add/test/list/rotate`, `check` against the real Kafka and registry
 * (with debug logging, a key that is refused modules, and a read-only key whose destination
 * needs write access), a `sink --once` whose read-only key hits candidate.create, failing runs,
 * `--help` and ASHBY_KAFKA_DEBUG=1 stack traces. Every byte
 * of stdout and stderr is searched for each key, base64("key:") and base64(key).
 */
const BIN = join(PACKAGE_ROOT, 'bin', 'ashby-kafka.js');
const FULL = `akfull_${randomBytes(12).toString('hex')}`;
const PARTIAL = `akpart_${randomBytes(12).toString('hex')}`;
const READONLY = `akread_${randomBytes(12).toString('hex')}`;
const MASTER = `master_${randomBytes(12).toString('hex')}`;
const SECRETS = [FULL, PARTIAL, READONLY, MASTER];

function forms(secret: string): string[] {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  // Padding-free stems, so a match inside a longer base64 run is still found.
  return [secret, b64(`${secret}:`).replace(/=+$/, ''), b64(secret).replace(/=+$/, '')];
}

interface Run {
  args: string[];
  code: number | null;
  output: Buffer;
}

let sb: RunningSandbox;
let dir: string;
let env: NodeJS.ProcessEnv;
const runs: Run[] = [];

function cli(args: string[], stdin = '', extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...env, ...extraEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const run = { args, code, output: Buffer.concat(chunks) };
      runs.push(run);
      resolve(run);
    });
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  if (!existsSync(join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('build first: npm run build');
  sb = await startSandbox({
    seed: 5,
    scale: 60,
    keys: [
      { name: 'leak_full', secret: FULL, title: 'Leak test full', permissions: ['*'], confidential: true },
      {
        name: 'leak_partial',
        secret: PARTIAL,
        title: 'Leak test partial',
        permissions: ['jobsRead', 'candidatesRead'],
      },
      { name: 'leak_readonly', secret: READONLY, title: 'Leak test read-only', permissions: ['*Read'] },
    ],
  });
  dir = await mkdtemp(join(tmpdir(), 'ak-leak-'));
  const { ASHBY_KAFKA_MASTER_KEY: _m, ASHBY_KAFKA_CREDENTIALS_FILE: _f, ...rest } = process.env;
  env = {
    ...rest,
    ASHBY_KAFKA_CREDENTIALS_FILE: join(dir, 'store', 'credentials.json'),
    ASHBY_KAFKA_MASTER_KEY: MASTER,
    NO_COLOR: '1',
  };
});
afterAll(async () => {
  await sb?.close();
  await rm(dir, { recursive: true, force: true });
});

function pipeline(key: 'credential' | 'env', level: string): string {
  return [
    'ashby:',
    key === 'credential' ? '  credential: partial' : '  api_key: ${LEAK_KEY}',
    `  base_url: ${sb.url}`,
    'kafka:',
    `  bootstrap_servers: ${BOOTSTRAP}`,
    'schema_registry:',
    `  url: ${REGISTRY_URL}`,
    'destination:',
    '  topics:',
    '    - topic: leak.commands.candidates',
    '      entity: candidate',
    'logging:',
    `  level: ${level}`,
    '  format: json',
  ].join('\n');
}

it('runs the CLI through passing and failing paths', async () => {
  expect((await cli(['--help'])).code).toBe(0);
  expect((await cli(['credentials', '--help'])).code).toBe(0);
  expect((await cli(['credentials', 'add', '--help'])).code).toBe(0);
  expect((await cli(['check', '--help'])).code).toBe(0);

  expect((await cli(['credentials', 'add', 'full', '--test', '--base-url', sb.url], `${FULL}\n`)).code).toBe(0);
  expect((await cli(['credentials', 'add', 'partial'], PARTIAL)).code).toBe(0);
  expect((await cli(['credentials', 'add', 'ro'], READONLY)).code).toBe(0);
  expect((await cli(['credentials', 'add', 'wrong'], 'not-a-key-but-long-enough')).code).toBe(0);

  const partial = await cli(['credentials', 'test', 'partial', '--base-url', sb.url]);
  expect(partial.code).toBe(0);
  expect(partial.output.toString()).toContain('Offers                   not readable (offer.list)');
  expect((await cli(['credentials', 'test', 'wrong', '--base-url', sb.url])).code).toBe(1);
  expect((await cli(['credentials', 'test', 'wrong', '--base-url', sb.url], '', { ASHBY_KAFKA_DEBUG: '1' })).code).toBe(
    1,
  );
  expect((await cli(['credentials', 'rotate', 'ro', '--test', '--base-url', sb.url], READONLY)).code).toBe(0);
  expect((await cli(['credentials', 'list'])).code).toBe(0);
  expect((await cli(['credentials', 'list', '--json'])).code).toBe(0);
  // a wrong master key fails clearly (and the debug stack trace carries no key either)
  const wrongMaster = await cli(['credentials', 'test', 'full', '--base-url', sb.url], '', {
    ASHBY_KAFKA_MASTER_KEY: 'wrong-master-key',
    ASHBY_KAFKA_DEBUG: '1',
  });
  expect(wrongMaster.code).toBe(1);
  expect(wrongMaster.output.toString()).toContain('CREDENTIAL_DECRYPT_FAILED');

  const credCfg = join(dir, 'partial.yaml');
  await writeFile(credCfg, pipeline('credential', 'debug'));
  const partialCheck = await cli(['check', '--config', credCfg]);
  expect(partialCheck.code).toBe(0); // warnings only: write scopes cannot be verified without API Keys: read
  const text = partialCheck.output.toString();
  expect(text).toMatch(/\[ ok \] Kafka/);
  expect(text).toMatch(/\[ ok \] Schema registry/);
  expect(text).toMatch(/\[WARN\] Destination access/);
  // debug logging shows the refused probes with the permission error's message
  expect(text).toContain('offer.list needs Offers: read');

  const envCfg = join(dir, 'env.yaml');
  await writeFile(envCfg, pipeline('env', 'debug'));
  const ro = await cli(['check', '--config', envCfg], '', { LEAK_KEY: READONLY, ASHBY_KAFKA_DEBUG: '1' });
  expect(ro.code).toBe(1);
  expect(ro.output.toString()).toMatch(/\[FAIL\] Destination access .*candidates:write/);
  const full = await cli(['check', '--config', envCfg], '', { LEAK_KEY: FULL });
  expect(full.output.toString()).toMatch(/\[ ok \] Destination access/);
  const bad = await cli(['check', '--config', envCfg], '', { LEAK_KEY: `${FULL}x`, ASHBY_KAFKA_DEBUG: '1' });
  expect(bad.output.toString()).toContain('ASHBY_INVALID_KEY');
});

it('a sink run whose read-only key hits a write endpoint fails with the permission error, debug logging on', async () => {
  const f = await sinkFixture('leak-sink', {
    sandbox: {
      keys: [{ name: 'leak_readonly', secret: READONLY, title: 'Leak test read-only', permissions: ['*Read'] }],
    },
  });
  try {
    await f.send('candidate', [
      { key: 'leak-1', value: { operation: 'create', name: 'Leak Probe', email: 'leak.probe@example.com' } },
    ]);
    const run = await cli(['sink', '--config', f.configFile({ key: READONLY, logLevel: 'debug' }), '--once'], '', {
      ASHBY_KAFKA_DEBUG: '1',
    });
    expect(run.code).toBe(1);
    expect(run.output.toString()).toContain('candidate.create needs Candidates: write');
    expect(run.output.toString()).toContain('"level":"debug"');
    expect(f.sandbox.admin.callLog({ path: '/candidate.create' })).toHaveLength(1);
  } finally {
    await f.close();
  }
});

it('no run printed any key, its Basic-auth form or its base64', () => {
  expect(runs.length).toBeGreaterThanOrEqual(19);
  // The detector itself finds a planted Authorization header.
  const planted = Buffer.from(`authorization: Basic ${Buffer.from(`${FULL}:`).toString('base64')}`);
  expect(forms(FULL).some((f) => planted.includes(Buffer.from(f)))).toBe(true);
  const leaks: string[] = [];
  for (const run of runs) {
    for (const secret of [...SECRETS, `${FULL}x`]) {
      for (const form of forms(secret)) {
        if (run.output.includes(Buffer.from(form)))
          leaks.push(`${run.args.join(' ')}: ${form === secret ? 'key' : 'base64 form'} of ${secret.slice(0, 7)}…`);
      }
    }
  }
  expect(leaks).toEqual([]);
});

it('the encrypted store file holds no key bytes', async () => {
  const raw = await readFile(env.ASHBY_KAFKA_CREDENTIALS_FILE!);
  for (const secret of SECRETS) for (const form of forms(secret)) expect(raw.includes(Buffer.from(form))).toBe(false);
});
