import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/package-info.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { uniqueName } from '../../support/stack.js';
import {
  TOKEN,
  api,
  groupSettings,
  startWorker,
  stopWorker,
  waitFor,
  type GroupSettings,
  type WorkerProcess,
} from './helpers.js';

/**
 * `ashby-kafka pipelines list|create|status|pause|resume|restart|delete`, the built CLI (a
 * child process, as a user runs it) against one real worker (`ashby-kafka serve`) on the real
 * broker and registry, with a sandbox tenant. The CLI runs asynchronously: the sandbox lives in
 * this process and must keep answering while it runs.
 */
let sandbox: RunningSandbox;
let worker: WorkerProcess;
let group: GroupSettings;
const dir = mkdtempSync(join(tmpdir(), 'ashby-kafka-pipelines-cli-'));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(PACKAGE_ROOT, 'bin', 'ashby-kafka.js'), 'pipelines', ...args],
      {
        env: { ...process.env, ASHBY_KAFKA_URL: worker.url, ASHBY_KAFKA_TOKEN: TOKEN, ...env },
        timeout: 60_000,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: unknown }).code as number) : 0, stdout, stderr }),
    );
  });
}

async function cliStatus(name: string): Promise<Record<string, any>> {
  const r = await cli(['status', name]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(r.stdout) as Record<string, any>;
}

function writePipelineFile(name: string, config: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

function sourceConfig(prefix: string): Record<string, unknown> {
  return {
    ashby: { credential: 'tenant', base_url: sandbox.url, retry: { retries: 5, min_delay_ms: 10, max_delay_ms: 100 } },
    source: {
      streams: ['jobs'],
      topic_prefix: prefix,
      state_topic: `${group.prefix}.state`,
      interval: '1h',
      topics: { partitions: 1 },
    },
  };
}

beforeAll(async () => {
  group = groupSettings(4);
  sandbox = await startSandbox({ seed: 31, scale: 100 });
  worker = await startWorker('w1', group);
  await waitFor('the worker ready', async () => ((await fetch(`${worker.url}/readyz`)).ok ? true : undefined), 60_000);
  const res = await api(worker.url, 'POST', '/credentials', {
    name: 'tenant',
    key: sandbox.keys.full,
    base_url: sandbox.url,
  });
  expect(res.status).toBe(201);
}, 120_000);

afterAll(async () => {
  if (worker) await stopWorker(worker, 'SIGKILL');
  await sandbox?.close();
}, 60_000);

describe('ashby-kafka pipelines (the CLI over the REST API of a real worker)', () => {
  const name = 'cli-jobs';

  it('creates a pipeline from a file, lists it and shows its status once it ran', async () => {
    const prefix = `${uniqueName('cli')}.`;
    const created = await cli(['create', '--name', name, '--config', writePipelineFile(name, sourceConfig(prefix))]);
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(created.stdout)).toMatchObject({ name, kind: 'source' });

    const status = await waitFor(
      'a successful pass',
      async () => {
        const s = await cliStatus(name);
        return s.state === 'RUNNING' && s.last_pass?.result === 'ok' ? s : undefined;
      },
      60_000,
      1000,
    );
    expect(status).toMatchObject({ name, worker_id: 'w1' });
    expect(status.last_pass.records).toBeGreaterThan(0);

    const list = await cli(['list']);
    expect(list.code).toBe(0);
    const rows = list.stdout.trim().split('\n');
    expect(rows[0]!.split(/\s+/)).toEqual(['NAME', 'KIND', 'STATE', 'WORKER']);
    expect(rows.slice(1).map((r) => r.split(/\s+/))).toEqual([[name, 'source', 'RUNNING', 'w1']]);
  }, 90_000);

  it('pauses, resumes and restarts it', async () => {
    const paused = await cli(['pause', name]);
    expect(paused).toEqual({ code: 0, stdout: `${name}: pause requested\n`, stderr: '' });
    await waitFor('PAUSED', async () => ((await cliStatus(name)).state === 'PAUSED' ? true : undefined), 30_000, 1000);

    expect(await cli(['resume', name])).toEqual({ code: 0, stdout: `${name}: resume requested\n`, stderr: '' });
    await waitFor(
      'RUNNING',
      async () => ((await cliStatus(name)).state === 'RUNNING' ? true : undefined),
      30_000,
      1000,
    );

    const generation = (await cliStatus(name)).generation as number;
    expect(await cli(['restart', name])).toEqual({ code: 0, stdout: `${name}: restart requested\n`, stderr: '' });
    await waitFor(
      'the next generation running',
      async () => {
        const s = await cliStatus(name);
        return s.generation === generation + 1 && s.state === 'RUNNING' ? true : undefined;
      },
      30_000,
      1000,
    );
  }, 120_000);

  it('reports errors with their code and a non-zero exit: bad config, conflict, no token, unknown pipeline, no worker', async () => {
    const invalid = await cli([
      'create',
      '--name',
      'broken',
      '--config',
      writePipelineFile('broken', { ashby: { credential: 'tenant' }, source: { streams: 'jobs' } }),
    ]);
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toMatch(/^error \[CONFIG_INVALID\]: .*HTTP 400/);
    expect(invalid.stderr).toContain('source.streams: must be');

    const again = await cli(['create', '--name', name, '--config', join(dir, `${name}.json`)]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/^error \[SERVE_CONFLICT\]: .*HTTP 409/);

    const noToken = await cli(['list'], { ASHBY_KAFKA_TOKEN: '' });
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toMatch(/^error \[SERVE_UNAUTHORIZED\]: .*HTTP 401/);

    const unknown = await cli(['status', 'no-such-pipeline']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/^error \[SERVE_NOT_FOUND\]: .*HTTP 404/);

    const nobody = await cli(['list', '--url', 'http://127.0.0.1:9']);
    expect(nobody.code).not.toBe(0);
    expect(nobody.stderr).toMatch(/^error \[SERVE_UNREACHABLE\]: cannot reach the worker at http:\/\/127\.0\.0\.1:9/);
  }, 90_000);

  it('deletes it', async () => {
    expect(await cli(['delete', name])).toEqual({ code: 0, stdout: `${name}: deleted\n`, stderr: '' });
    const gone = await cli(['status', name]);
    expect(gone.stderr).toMatch(/^error \[SERVE_NOT_FOUND\]/);
    const list = await cli(['list']);
    expect(list.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^NAME\s+KIND\s+STATE\s+WORKER$/)]);
  }, 60_000);
});
