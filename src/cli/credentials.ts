import type { Command } from 'commander';
import { AshbyClient } from '../ashby/index.js';
import {
  CredentialStore,
  normalizeKey,
  readApiKey,
  validateCredentialName,
  testAshbyKey,
  toTestRecord,
  type CredentialInfo,
  type CredentialTestRecord,
  type KeyInput,
  type KeyTestReport,
} from '../credentials/index.js';
import { AshbyKafkaError } from '../errors.js';
import { registerSecret } from '../log/secrets.js';
import { cliLogger, type CliIo } from './output.js';
import { DEFAULT_ASHBY_BASE_URL, withAshbyDefaults } from '../config/ashby-options.js';
import { SUMMARIES } from './summaries.js';

/**
 * `ashby-kafka credentials add|list|test|rotate|remove`: named Ashby keys in the credential
 * store (docs/credentials.md). Keys are read from piped stdin or a hidden prompt, never from
 * the command line.
 */
export interface CredentialsCliDeps {
  env?: NodeJS.ProcessEnv;
  /** Where keys are read from; tests pass a stream. */
  keyInput?: KeyInput;
}

interface StoreOpts {
  store?: string;
}
interface TestOpts extends StoreOpts {
  baseUrl?: string;
  confidentialJob?: string;
}
interface AddOpts extends TestOpts {
  test?: boolean;
}

const MODULE_LABEL_WIDTH = 24;

function describeRead(m: KeyTestReport['modules'][number]): string {
  switch (m.read) {
    case 'readable':
    case 'readable-by-scope':
      return 'read';
    case 'no-scope':
    case 'not-readable':
      return 'no read';
    default:
      return 'read ?';
  }
}

/** Human report of a key test, shared by `credentials test` and `check`. */
export function formatKeyReport(report: KeyTestReport, indent = '  '): string {
  const lines: string[] = [];
  if (report.title !== undefined) lines.push(`${indent}title   ${report.title}`);
  if (report.scopes) {
    lines.push(`${indent}scopes  ${report.scopes.length ? report.scopes.join(', ') : '(none)'}`);
    for (const m of report.modules) {
      lines.push(
        `${indent}  ${m.module.padEnd(MODULE_LABEL_WIDTH)} ${describeRead(m).padEnd(8)} ${m.write === 'yes' ? 'write' : 'no write'}`,
      );
    }
  } else {
    lines.push(
      `${indent}scopes  unknown: the key lacks API Keys: read, so apiKey.info is refused. Probed one read per module instead:`,
    );
    for (const m of report.modules) {
      const how = m.endpoint ? ` (${m.endpoint}${m.note ? `: ${m.note}` : ''})` : m.note ? ` (${m.note})` : '';
      const state =
        { readable: 'readable', 'not-readable': 'not readable', 'not-probed': 'not probed' }[m.read as 'readable'] ??
        m.read;
      lines.push(`${indent}  ${m.module.padEnd(MODULE_LABEL_WIDTH)} ${state}${how}`);
    }
    lines.push(`${indent}write access cannot be checked without API Keys: read (writes are never probed).`);
  }
  const c = report.confidentialJobs;
  const state = { visible: 'visible', 'not-visible': 'not visible', unknown: 'unknown' }[c.state];
  lines.push(`${indent}confidential jobs  ${state}: ${c.evidence}`);
  return `${lines.join('\n')}\n`;
}

/** `candidates:read, candidates:write, jobs:read` → `candidates:rw, jobs:r` (a list row stays readable). */
export function compactScopes(scopes: readonly string[]): string {
  const byModule = new Map<string, string>();
  for (const s of scopes) {
    const [module, access] = s.split(':');
    const letter = access === 'read' ? 'r' : access === 'write' ? 'w' : `(${access ?? '?'})`;
    byModule.set(module!, `${byModule.get(module!) ?? ''}${letter}`);
  }
  return [...byModule].map(([m, a]) => `${m}:${[...a].sort().join('')}`).join(', ');
}

function testSummary(t: CredentialTestRecord | null): string {
  if (!t) return 'not tested';
  if (!t.ok) return `last test failed (${t.error_code ?? 'error'}, ${t.tested_at.slice(0, 10)})`;
  const what = t.scopes
    ? t.scopes.length
      ? compactScopes(t.scopes)
      : '(no scopes)'
    : `reads ${t.readable_modules?.join(', ') || 'nothing'} (scopes unknown)`;
  return `${what}  [tested ${t.tested_at.slice(0, 10)}]`;
}

export function formatCredentialList(list: CredentialInfo[]): string {
  if (list.length === 0)
    return 'No credentials yet. Add one with `ashby-kafka credentials add NAME` (the key is read from stdin or a prompt).\n';
  const rows = list.map((c) => [
    c.name,
    `${c.created_at.slice(0, 16).replace('T', ' ')}Z`,
    `…${c.last4}`,
    testSummary(c.last_test),
  ]);
  const header = ['NAME', 'CREATED', 'KEY', 'SCOPES (LAST TEST)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string =>
    r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return `${[fmt(header), ...rows.map(fmt)].join('\n')}\n`;
}

/** Tests a key against Ashby with a short-lived client (few retries: a person is waiting). */
export async function testKey(apiKey: string, opts: TestOpts, io: CliIo): Promise<KeyTestReport> {
  const client = new AshbyClient(
    withAshbyDefaults({
      apiKey,
      baseUrl: opts.baseUrl ?? DEFAULT_ASHBY_BASE_URL,
      retry: { retries: 2, minDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 },
      logger: cliLogger(io, 'warn'),
    }),
  );
  try {
    return await testAshbyKey(client, opts.confidentialJob ? { confidentialJobId: opts.confidentialJob } : {});
  } finally {
    await client.close();
  }
}

function failedRecord(err: unknown, baseUrl: string): CredentialTestRecord {
  const e = err instanceof AshbyKafkaError ? err : undefined;
  return {
    ok: false,
    tested_at: new Date().toISOString(),
    base_url: baseUrl,
    error_code: e?.code ?? 'INTERNAL',
    error: err instanceof Error ? err.message : String(err),
  };
}

function defaultKeyInput(io: CliIo): KeyInput {
  return { stdin: process.stdin, promptTo: io.err };
}

export function registerCredentialsCommand(program: Command, io: CliIo, deps: CredentialsCliDeps = {}): void {
  const env = deps.env ?? process.env;
  const keyInput = (): KeyInput => deps.keyInput ?? defaultKeyInput(io);
  const store = (opts: StoreOpts): CredentialStore =>
    new CredentialStore({ ...(opts.store ? { path: opts.store } : {}), env });

  const cmd = program
    .command('credentials')
    .description(SUMMARIES.credentials)
    .addHelpText(
      'after',
      '\nThe store is ${XDG_CONFIG_HOME:-~/.config}/ashby-kafka/credentials.json (override with --store or ASHBY_KAFKA_CREDENTIALS_FILE);\n' +
        'set ASHBY_KAFKA_MASTER_KEY to encrypt it at rest. Pipelines reference a key with `ashby: {credential: NAME}`.\n' +
        'Example: printf %s "$KEY" | ashby-kafka credentials add prod --test',
    );
  const storeOption = ['--store <file>', 'credential store file'] as const;
  const baseUrlOption = ['--base-url <url>', `Ashby API base URL (default ${DEFAULT_ASHBY_BASE_URL})`] as const;
  const confidentialOption = [
    '--confidential-job <id>',
    'a confidential job id: checks whether the key can see it',
  ] as const;

  const addOrRotate = (verb: 'add' | 'rotate') => async (name: string, opts: AddOpts) => {
    const s = store(opts);
    // Fail on the name before asking for a key.
    if (verb === 'rotate') await s.info(name);
    else {
      validateCredentialName(name);
      await s.assertAbsent(name);
    }
    const key = normalizeKey(await readApiKey(keyInput(), `Ashby API key for "${name}" (input hidden): `));
    registerSecret(key);
    let record: CredentialTestRecord | null = null;
    if (opts.test) {
      const report = await testKey(key, opts, io);
      io.out(`Tested against ${report.baseUrl}:\n${formatKeyReport(report)}`);
      record = toTestRecord(report);
    }
    const info = verb === 'add' ? await s.add(name, key, record) : await s.rotate(name, key, record);
    const where = `${s.path}${(await s.isEncrypted()) ? ', encrypted' : ''}`;
    io.out(`${verb === 'add' ? 'Added' : 'Rotated'} credential "${info.name}" (key …${info.last4}) in ${where}.\n`);
    if (!opts.test) io.out(`Test it with: ashby-kafka credentials test ${info.name}\n`);
  };

  cmd
    .command('add')
    .description('store a new key under NAME (refuses an existing name: use rotate)')
    .argument('<name>', 'credential name, e.g. prod')
    .option('--test', 'test the key against Ashby before saving it (nothing is saved if the test fails)')
    .option(...baseUrlOption)
    .option(...confidentialOption)
    .option(...storeOption)
    .action(addOrRotate('add'));

  cmd
    .command('rotate')
    .description("replace NAME's key (keeps its name and created time)")
    .argument('<name>', 'credential name')
    .option('--test', 'test the new key before saving it')
    .option(...baseUrlOption)
    .option(...confidentialOption)
    .option(...storeOption)
    .action(addOrRotate('rotate'));

  cmd
    .command('list')
    .description('show stored credentials: name, created time, last four characters, scopes from the last test')
    .option('--json', 'print JSON instead of a table')
    .option(...storeOption)
    .action(async (opts: StoreOpts & { json?: boolean }) => {
      const list = await store(opts).list();
      io.out(opts.json ? `${JSON.stringify(list, null, 2)}\n` : formatCredentialList(list));
    });

  cmd
    .command('test')
    .description(
      'call apiKey.info with the key and print its title and scopes (or probe each module when it lacks API Keys read)',
    )
    .argument('<name>', 'credential name')
    .option(...baseUrlOption)
    .option(...confidentialOption)
    .option(...storeOption)
    .action(async (name: string, opts: TestOpts) => {
      const s = store(opts);
      const key = await s.getKey(name);
      const info = await s.info(name);
      const baseUrl = opts.baseUrl ?? DEFAULT_ASHBY_BASE_URL;
      let report: KeyTestReport;
      try {
        report = await testKey(key, opts, io);
      } catch (err) {
        await s.recordTest(name, failedRecord(err, baseUrl));
        throw err;
      }
      await s.recordTest(name, toTestRecord(report));
      io.out(`Credential "${name}" (key …${info.last4}) works at ${report.baseUrl}\n${formatKeyReport(report)}`);
    });

  cmd
    .command('remove')
    .description('delete NAME from the store (the key stays valid in Ashby: revoke it there too if it leaked)')
    .argument('<name>', 'credential name')
    .option(...storeOption)
    .action(async (name: string, opts: StoreOpts) => {
      const info = await store(opts).remove(name);
      io.out(
        `Removed credential "${info.name}" (key …${info.last4}). Revoke the key in Ashby (Admin → Integrations → API Keys) if it is no longer used.\n`,
      );
    });
}
