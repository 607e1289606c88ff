import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/package-info.js';
import { runSink } from '../../../src/sink/runner.js';
import { sinkFixture, type SinkFixture } from './helpers.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * `ashby-kafka sink` as a user runs it: a child process of the built CLI (run `npm run build`
 * first). Exit codes and messages, and a SIGKILL in the middle of a batch followed by a restart.
 */
const BIN = join(PACKAGE_ROOT, 'bin', 'ashby-kafka.js');
const fixtures: SinkFixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.close();
});

interface Child {
  code: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    code: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    stdout: () => out,
    stderr: () => err,
    kill: (signal) => child.kill(signal),
  };
}

describe('ashby-kafka sink (CLI child process)', () => {
  it('--once with a read-only key exits 1 with `error [ASHBY_PERMISSION_DENIED]: …` naming the endpoint and the permission', async () => {
    const f = await sinkFixture('sink-cli-perm');
    fixtures.push(f);
    await f.send('job', [
      { key: 'k', value: { operation: 'setStatus', jobId: '00000000-0000-4000-8000-000000000001', status: 'Open' } },
    ]);
    const child = cli(['sink', '--config', f.configFile({ key: f.sandbox.keys.readonly }), '--once']);
    expect(await child.code).toBe(1);
    expect(child.stderr()).toMatch(
      /error \[ASHBY_PERMISSION_DENIED\]: sink stopped: job\.setStatus needs Jobs: write\. Ask an Ashby admin to edit this API key .* grant Jobs write/,
    );
    expect(child.stderr()).not.toMatch(/\n\s+at /);
    expect(child.stdout()).toMatch(/processed 0 command\(s\).*failed 1/);
    expect(await f.committed('job')).toEqual([0, 0]);
  });

  it('kill -9 in the middle of a batch, then a restart: every candidate exists exactly once', async () => {
    const f = await sinkFixture('sink-cli-kill', { sandbox: { latencyMs: 40 } });
    fixtures.push(f);
    const stamp = Date.now();
    const emails = Array.from({ length: 40 }, (_, i) => `kill.${stamp}.${i}@example.com`);
    await f.send(
      'candidate',
      emails.map((email, i) => ({ key: `cand-${i}`, value: { operation: 'create', name: `Killed ${i}`, email } })),
    );

    const child = cli(['sink', '--config', f.configFile({ destination: { concurrency: 4 } })]);
    const created = () => f.sandbox.admin.callLog({ path: '/candidate.create' }).length;
    await waitFor('12 creates', () => (created() >= 12 ? true : undefined), 40_000, 50);
    child.kill('SIGKILL');
    expect(await child.code).toBeNull();
    const beforeRestart = created();
    expect(beforeRestart).toBeLessThan(40);

    // The restart takes over the dead process's intents after the grace period and settles them by lookup.
    const rerun = await runSink(f.config({ destination: { concurrency: 4 } }), { once: true, takeoverGraceMs: 1000 });
    expect(rerun.error).toBeUndefined();
    for (const email of emails)
      expect({ email, count: await f.candidatesWithEmail(email) }).toEqual({ email, count: 1 });
    expect(f.sandbox.admin.callLog({ path: '/candidate.create' }).filter((c) => c.status === 200)).toHaveLength(40);
    expect((await f.committed('candidate')).reduce((a, b) => a + b, 0)).toBe(40);
  }, 120_000);
});
