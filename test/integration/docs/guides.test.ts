import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PACKAGE_ROOT } from '../../../src/package-info.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { BOOTSTRAP, REGISTRY_URL, uniqueName } from '../../support/stack.js';
import { readAll } from '../sink/helpers.js';

/**
 * The guides run as written: every ```sh block of a guide, in order, in one bash script
 * (`set -euo pipefail`), with `ashby-kafka` on PATH as an install puts it (this checkout's built
 * CLI), an empty HOME, the shared stack, and unique topic names. ```shell blocks (installs,
 * schedulers) are not run. Kafka's kafka-topics.sh is stood in for by bin/kafka-topics.sh, which
 * creates the topic through the Admin API, since the local stack has no Kafka CLI tools.
 */
function shBlocks(guide: string): string {
  const text = readFileSync(join(PACKAGE_ROOT, 'docs', 'guides', guide), 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(3);
  return blocks.join('\n');
}

/** Runs asynchronously: the sandbox of a test runs in this process and must keep answering. */
async function runGuide(
  guide: string,
  env: Record<string, string>,
  stdin = '',
): Promise<{ status: number | null; stdout: string; stderr: string; home: string }> {
  const home = mkdtempSync(join(tmpdir(), 'ashby-guide-'));
  const script = join(home, 'guide.sh');
  // Background jobs the guide starts (the sandbox) end with the script, even when a step fails.
  writeFileSync(
    script,
    `set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\ncd "$HOME"\n${shBlocks(guide)}`,
  );
  const child = spawn('bash', [script], {
    env: {
      PATH: `${join(PACKAGE_ROOT, 'test', 'integration', 'docs', 'bin')}:${process.env.PATH}`,
      HOME: home,
      KAFKA_BOOTSTRAP: BOOTSTRAP,
      SCHEMA_REGISTRY_URL: REGISTRY_URL,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  child.stdin.end(stdin);
  const timer = setTimeout(() => child.kill('SIGTERM'), 240_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  return { status, stdout, stderr, home };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe('docs/guides/getting-started.md', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5, scale: 30 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('stores the key, validates, checks, discovers, runs a pass and inspects the topics', async () => {
    const prefix = `${uniqueName('guide')}.`;
    const run = await runGuide(
      'getting-started.md',
      { ASHBY_BASE_URL: sandbox.url, TOPIC_PREFIX: prefix },
      `${sandbox.keys.full}\n`,
    );
    homes.push(run.home);
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    // The credential went into the default store under the empty HOME, and the pass read every default stream.
    const store = join(run.home, '.config', 'ashby-kafka', 'credentials.json');
    expect(statSync(store).mode & 0o777).toBe(0o600);
    expect(readFileSync(store, 'utf8')).toContain('"prod"');
    expect(run.stdout).toMatch(/\ncandidates\s+full\s+30\s/);
    expect((await readAll(`${prefix}candidates`)).length).toBe(30);
  }, 300_000);
});

describe('docs/guides/sink-walkthrough.md', () => {
  it('applies a command, dead-letters the broken one, and applies it once replayed', async () => {
    const name = uniqueName('walk');
    const run = await runGuide('sink-walkthrough.md', { NAME: name, SANDBOX_PORT: String(await freePort()) });
    homes.push(run.home);
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    const results = (await readAll(`${name}.results`)).map(
      (m) =>
        JSON.parse(m.value!.toString()) as {
          status: string;
          action: string | null;
          ashbyId: string | null;
          error: { code: string } | null;
        },
    );
    // Results of different keys may sit in different partitions: compare them as a set.
    expect(results.map((r) => [r.status, r.action, r.error?.code ?? null]).sort()).toEqual(
      [
        ['ok', 'created', null],
        ['dead_lettered', null, 'COMMAND_INVALID'],
        ['ok', 'created', null],
      ].sort(),
    );
    for (const r of results.filter((x) => x.status === 'ok')) expect(r.ashbyId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await readAll(`${name}.dlq`)).length).toBe(1);
    // The walkthrough printed the results as it went.
    expect(run.stdout).toMatch(/"status":"dead_lettered"/);
  }, 300_000);
});
