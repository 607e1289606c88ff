import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { compactScopes, registerCredentialsCommand } from '../../src/cli/credentials.js';
import { reportError, type CliIo } from '../../src/cli/output.js';
import { clearSecretsForTests } from '../../src/log/secrets.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

/** `ashby-kafka credentials …` in-process, with the key on a piped stdin and a real sandbox to test against. */
let sb: RunningSandbox;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  sb = await startSandbox({ seed: 3, scale: 50 });
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ak-cli-cred-'));
  env = { ASHBY_KAFKA_CREDENTIALS_FILE: join(dir, 'store', 'credentials.json') };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  clearSecretsForTests();
});

async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  const program = new Command('ashby-kafka').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  const input = Readable.from([Buffer.from(stdin)]) as unknown as NodeJS.ReadStream;
  registerCredentialsCommand(program, io, { env, keyInput: { stdin: input, promptTo: io.err } });
  let code = 0;
  try {
    await program.parseAsync(['node', 'ashby-kafka', 'credentials', ...args]);
  } catch (e) {
    code = e instanceof CommanderError ? (e.exitCode === 0 ? 0 : 2) : reportError(e, io);
  }
  return { code, out, err };
}

it('add reads the key from stdin, list shows name, created, last4 and never the key', async () => {
  const add = await cli(['add', 'prod'], 'sandbox_full\n');
  expect(add).toMatchObject({ code: 0, err: '' });
  expect(add.out).toContain('Added credential "prod" (key …full)');
  const list = await cli(['list']);
  expect(list.out).toMatch(
    /^NAME\s+CREATED\s+KEY\s+SCOPES \(LAST TEST\)\nprod\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+…full\s+not tested\n$/,
  );
  const json = JSON.parse((await cli(['list', '--json'])).out);
  expect(json).toEqual([
    { name: 'prod', created_at: expect.any(String), rotated_at: null, last4: 'full', last_test: null },
  ]);
  expect(await readFile(env.ASHBY_KAFKA_CREDENTIALS_FILE!, 'utf8')).toContain('sandbox_full');
});

it('test prints title and scopes and records them for list', async () => {
  await cli(['add', 'ro'], 'sandbox_readonly');
  const t = await cli(['test', 'ro', '--base-url', sb.url]);
  expect(t.code).toBe(0);
  expect(t.out).toContain('title   Sandbox read-only');
  expect(t.out).toMatch(/scopes {2}.*candidates:read/);
  expect(t.out).toContain('confidential jobs  not visible');
  expect((await cli(['list'])).out).toMatch(/ro .*…only .*candidates:r, .*\[tested /);
});

it('add --test saves nothing when the key is refused, and exits 1 with the error code', async () => {
  const r = await cli(['add', 'bad', '--test', '--base-url', sb.url], 'not-a-sandbox-key');
  expect(r.code).toBe(1);
  expect(r.err).toContain('error [ASHBY_INVALID_KEY]');
  expect(r.err).not.toContain('not-a-sandbox-key');
  expect((await cli(['list'])).out).toContain('No credentials yet');
});

it('add refuses an existing name before reading a key; rotate replaces it; remove deletes it', async () => {
  await cli(['add', 'prod'], 'sandbox_readonly');
  const again = await cli(['add', 'prod'], 'sandbox_full');
  expect(again.code).toBe(1);
  expect(again.err).toContain('error [CREDENTIAL_EXISTS]');
  expect(again.err).toContain('credentials rotate prod');
  const rotated = await cli(['rotate', 'prod', '--test', '--base-url', sb.url], 'sandbox_full');
  expect(rotated.code).toBe(0);
  expect(rotated.out).toContain('Rotated credential "prod" (key …full)');
  expect((await cli(['list', '--json'])).out).toContain('"rotated_at": "2');
  expect((await cli(['remove', 'prod'])).out).toContain('Removed credential "prod"');
  expect((await cli(['test', 'prod', '--base-url', sb.url])).err).toContain('error [CREDENTIAL_NOT_FOUND]');
});

it('a failed test is recorded in the store and shown by list', async () => {
  await cli(['add', 'stale'], 'revoked-key-123456');
  const t = await cli(['test', 'stale', '--base-url', sb.url]);
  expect(t.code).toBe(1);
  expect((await cli(['list'])).out).toContain('last test failed (ASHBY_INVALID_KEY');
});

it('takes no key from argv: an extra argument is a usage error that does not echo it', async () => {
  const r = await cli(['add', 'prod', 'sandbox_full_as_argv']);
  expect(r.code).toBe(2);
  expect(r.err).not.toContain('sandbox_full_as_argv');
  expect((await cli(['list'])).out).toContain('No credentials yet');
});

it('compacts scopes per module in list rows', () => {
  expect(compactScopes(['candidates:read', 'jobs:read', 'candidates:write'])).toBe('candidates:rw, jobs:r');
});

it('rejects an empty stdin with CREDENTIAL_KEY_INVALID', async () => {
  const r = await cli(['add', 'prod'], '');
  expect(r.code).toBe(1);
  expect(r.err).toContain('error [CREDENTIAL_KEY_INVALID]');
});
