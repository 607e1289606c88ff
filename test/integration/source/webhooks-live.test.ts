import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import { signWebhook, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { readTopic, sourceConfig, storedIds, writeConfigFile } from './helpers.js';

/**
 * The contract as a user meets it: `ashby-kafka source` (without --once) listens on
 * source.webhooks.host/port/path, answers 2xx to a signed delivery and 401 to a bad signature,
 * and a signed candidateDelete becomes a tombstone on the candidates topic. Runs the built CLI
 * (npm test builds dist/) as a child process and stops it with SIGINT.
 */
const SECRET = 'live-webhook-secret';
let sandbox: RunningSandbox;
let child: ChildProcess | undefined;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 9, scale: 30 });
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await sandbox.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function post(url: string, body: string, signature: string): Promise<number> {
  const res = await request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'ashby-signature': signature },
  });
  await res.body.dump();
  return res.statusCode;
}

describe('ashby-kafka source with source.webhooks', () => {
  it('answers 2xx to a signed delivery and 401 to a bad signature; a delete becomes a tombstone', async () => {
    const port = await freePort();
    const config = sourceConfig({
      url: sandbox.url,
      key: sandbox.keys.full,
      streams: ['candidates'],
      webhooks: { port, secret: SECRET, coalesce: '100ms' },
    });
    config.logging.level = 'info';
    config.logging.format = 'json';
    const file = writeConfigFile(config);
    let stderr = '';
    child = spawn(process.execPath, ['bin/ashby-kafka.js', 'source', '--config', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.stdout!.resume();
    const url = `http://127.0.0.1:${port}/webhooks/ashby`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const up = await request(url).then(
        async (r) => (await r.body.dump(), r.statusCode === 200),
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the receiver did not come up: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Wait for the first pass so the delete lands after the candidate.
    const topic = `${config.source!.topic_prefix}candidates`;
    while (!stderr.includes('next source pass scheduled')) {
      if (Date.now() > deadline) throw new Error(`the first pass did not finish: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const id = [...storedIds(sandbox.engine, 'candidate')][2]!;
    sandbox.admin.delete('candidate', id);
    const body = JSON.stringify({ action: 'candidateDelete', data: { candidate: { id } } });
    expect(await post(url, body, signWebhook(body, 'not-the-secret'))).toBe(401);
    expect(await post(url, body, signWebhook(body, SECRET))).toBe(204);

    let tombstoned = false;
    while (!tombstoned && Date.now() < deadline) {
      tombstoned = (await readTopic(topic)).some((r) => r.key === id && r.value.length === 0);
      if (!tombstoned) await new Promise((r) => setTimeout(r, 300));
    }
    expect(tombstoned).toBe(true);

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('webhook receiver listening');
  });
});
