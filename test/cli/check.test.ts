import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { formatChecklist, registerCheckCommand } from '../../src/cli/check.js';
import { COMMAND_ENTITIES } from '../../src/avro/contract.js';
import { CATALOG } from '../../src/sink/operations/catalog.js';
import { reportError, type CliIo } from '../../src/cli/output.js';
import { permissionFor } from '../../src/ashby/index.js';
import { clearSecretsForTests } from '../../src/log/secrets.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

/**
 * `ashby-kafka check` in-process against a sandbox. Kafka points at a closed port so these
 * tests need no broker (test/integration/leak.test.ts runs check against the real stack).
 */
let sb: RunningSandbox;
let dir: string;
beforeAll(async () => {
  sb = await startSandbox({
    seed: 3,
    scale: 50,
    keys: [
      { name: 'partial', secret: 'partial-secret-123', permissions: ['jobsRead', 'candidatesRead', 'apiKeysRead'] },
    ],
  });
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ak-cli-check-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  clearSecretsForTests();
});

async function check(yaml: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const file = join(dir, 'pipeline.yaml');
  await writeFile(file, yaml);
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  const program = new Command('ashby-kafka').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerCheckCommand(program, io, { env });
  let code = 0;
  try {
    await program.parseAsync(['node', 'ashby-kafka', 'check', '--config', file, '--timeout-ms', '1500']);
  } catch (e) {
    code = e instanceof CommanderError ? 2 : reportError(e, io);
  }
  return { code, out, err };
}

const pipeline = (destination: boolean): string =>
  [
    'ashby:',
    '  api_key: ${KEY}',
    '  base_url: ${ASHBY_URL}',
    'kafka:',
    '  bootstrap_servers: 127.0.0.1:1',
    ...(destination ? ['destination:', '  topics:', '    - topic: cmds.candidates', '      entity: candidate'] : []),
  ].join('\n');

it('reports every item, fails on an unreachable Kafka, and exits 1', async () => {
  const r = await check(pipeline(false), { KEY: sb.keys.full, ASHBY_URL: sb.url });
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/\[ ok \] Ashby key\s+ashby.api_key from the config/);
  expect(r.out).toMatch(/\[ ok \] Ashby API\s+key "Sandbox full access" at http:\/\/127\.0\.0\.1:\d+/);
  expect(r.out).toMatch(/\[FAIL\] Kafka\s+127\.0\.0\.1:1: \[KAFKA_/);
  expect(r.out).toMatch(/\[skip\] Schema registry\s+not configured/);
  expect(r.out).toContain('1 check(s) failed.');
  expect(r.err).toContain('error [CHECK_FAILED]');
});

it('fails the destination when the key lacks the write scope it needs', async () => {
  const r = await check(pipeline(true), { KEY: sb.keys.readonly, ASHBY_URL: sb.url });
  expect(r.out).toMatch(
    /\[FAIL\] Destination access\s+the destination writes candidate but the key lacks candidates:write/,
  );
  expect(r.out).toContain('Admin → Integrations → API Keys');
  const ok = await check(pipeline(true), { KEY: sb.keys.full, ASHBY_URL: sb.url });
  expect(ok.out).toMatch(/\[ ok \] Destination access\s+the key may write candidate/);
});

it('checks the source streams against the key: listed unreadable streams fail, `all` warns about the ones it will skip', async () => {
  const withSource = (streams: string): string => `${pipeline(false)}\nsource:\n  streams: ${streams}`;
  const all = await check(withSource('all'), { KEY: 'partial-secret-123', ASHBY_URL: sb.url });
  expect(all.out).toMatch(
    /\[WARN\] Source access\s+\d+ of \d+ stream\(s\) readable; skipped, the key cannot read them: .*offers \(Offers: read\)/,
  );
  const listed = await check(withSource('[candidates, offers]'), { KEY: 'partial-secret-123', ASHBY_URL: sb.url });
  expect(listed.out).toMatch(/\[FAIL\] Source access\s+the key cannot read listed stream\(s\) offers \(Offers: read\)/);
  const full = await check(withSource('all'), { KEY: sb.keys.full, ASHBY_URL: sb.url });
  expect(full.out).toMatch(/\[ ok \] Source access\s+the key can read all \d+ selected stream\(s\)/);
});

it('fails the key item with the credential error when the named credential is missing', async () => {
  const yaml = pipeline(false).replace('  api_key: ${KEY}', '  credential: nope');
  const r = await check(yaml, { ASHBY_URL: sb.url, ASHBY_KAFKA_CREDENTIALS_FILE: join(dir, 'none', 'c.json') });
  expect(r.out).toMatch(/\[FAIL\] Ashby key\s+\[CREDENTIAL_NOT_FOUND\] No credential named "nope"/);
  expect(r.out).toMatch(/\[skip\] Ashby API\s+no key/);
});

it('an unknown key fails the Ashby API item with its code and request id', async () => {
  const r = await check(pipeline(false), { KEY: 'unknown-key-42424242', ASHBY_URL: sb.url });
  expect(r.out).toMatch(
    /\[FAIL\] Ashby API\s+http:\/\/127\.0\.0\.1:\d+: \[ASHBY_INVALID_KEY\] .*\(Ashby request id \w{26}\)/,
  );
});

it('every endpoint the operation catalog names has a known permission: read for lookups, write for the rest', () => {
  for (const entity of COMMAND_ENTITIES)
    for (const e of CATALOG.endpointsOf(entity))
      expect([e, permissionFor(e)?.access]).toEqual([e, /\.(search|info|list\w*)$/.test(e) ? 'read' : 'write']);
  expect(formatChecklist([{ name: 'A', status: 'warn', detail: 'x' }])).toBe(
    '[WARN] A  x\nAll checks passed (1 warning(s)).\n',
  );
});
