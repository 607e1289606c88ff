import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { readTopic, sourceConfig, storedIds, writeConfigFile } from './helpers.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * `kill -9` in the middle of a pass, then a rerun: the CLI runs as a child process (built
 * dist/, so run `npm run build` first). At-least-once: every record is there afterwards.
 * Exactly-once: a read_committed consumer sees every record exactly once.
 */
const BIN = fileURLToPath(new URL('../../../bin/ashby-kafka.js', import.meta.url));
let sandbox: RunningSandbox;

beforeAll(async () => {
  // 40 pages of candidates at 40 ms each: long enough to kill the pass in the middle.
  sandbox = await startSandbox({ seed: 5, scale: 4000, latencyMs: 40 });
});
afterAll(async () => {
  await sandbox.close();
});

function cli(configFile: string): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [BIN, 'source', '--config', configFile, '--once'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

/** Waits until the sandbox has served `pages` candidate pages since `before`. */
async function waitForPages(before: number, pages: number): Promise<void> {
  await waitFor(
    'the pass to get going',
    () => (sandbox.admin.callLog({ path: '/candidate.list' }).length >= before + pages ? true : undefined),
    30_000,
    10,
  );
}

describe.each([false, true])('source: kill -9 mid-pass (exactly_once %s)', (exactlyOnce) => {
  it(
    'leaves every record present after a rerun' + (exactlyOnce ? ', each exactly once for read_committed' : ''),
    async () => {
      // At-least-once checkpoints after every acknowledged page, so the rerun can resume mid-pass.
      const config = sourceConfig({
        url: sandbox.url,
        key: sandbox.keys.full,
        streams: ['candidates'],
        exactlyOnce,
        checkpointInterval: '0s',
      });
      const file = writeConfigFile(config);
      const topic = `${config.source!.topic_prefix}candidates`;

      const before = sandbox.admin.callLog({ path: '/candidate.list' }).length;
      const first = cli(file);
      await waitForPages(before, 12);
      first.child.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.code).toBeNull();
      const partial = await readTopic(topic);
      const expected = storedIds(sandbox.engine, 'candidate');
      expect(partial.length).toBeLessThan(expected.size);

      const rerun = await cli(file).done;
      expect({ code: rerun.code, stderr: rerun.code === 0 ? '' : rerun.stderr }).toEqual({ code: 0, stderr: '' });
      expect(rerun.stdout).toMatch(/^STREAM\s+MODE\s+RECORDS/m);

      const records = await readTopic(topic, 'read_committed');
      const keys = records.map((r) => r.key);
      expect(new Set(keys)).toEqual(expected);
      if (exactlyOnce) expect(keys.length).toBe(expected.size);
      // Either way the rerun continued from the last committed / checkpointed page instead of starting over.
      const summary = /candidates\s+\w+\s+(\d+)/.exec(rerun.stdout);
      expect(Number(summary![1])).toBeLessThan(expected.size);
    },
  );
});
