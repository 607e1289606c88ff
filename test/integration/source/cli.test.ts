import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { run } from '../../../src/cli/main.js';
import type { CliIo } from '../../../src/cli/output.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { readTopic, sourceConfig, writeConfigFile } from './helpers.js';

/** `ashby-kafka source --once` end to end: summary table on stdout, structured logs on stderr, clear errors. */
function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
    stdout: () => out,
    stderr: () => err,
  };
}

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 4, scale: 80 });
});
afterAll(async () => {
  await sandbox.close();
});

describe('ashby-kafka source --once', () => {
  it('runs one pass, prints the per-stream summary and exits 0; the next pass is incremental', async () => {
    const config = sourceConfig({
      url: sandbox.url,
      key: sandbox.keys.full,
      streams: ['candidates', 'jobs', 'sources'],
    });
    config.logging.level = 'info';
    const file = writeConfigFile(config);
    const io = capture();
    expect(await run(['node', 'ashby-kafka', 'source', '--config', file, '--once'], io)).toBe(0);
    const prefix = config.source!.topic_prefix;
    expect(io.stdout()).toMatch(
      new RegExp(`\\ncandidates\\s+full\\s+80\\s+1\\s+${prefix.replace(/\./g, '\\.')}candidates\\s+\\S+\\s+ok\\n`),
    );
    expect(io.stdout()).toMatch(/\ntotal\s+\d+\s+\d+\s+\S+\n$/);
    const logs = io
      .stderr()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; stream?: string });
    expect(
      logs
        .filter((l) => l.msg === 'stream done')
        .map((l) => l.stream)
        .sort(),
    ).toEqual(['candidates', 'jobs', 'sources']);
    expect((await readTopic(`${prefix}candidates`)).length).toBe(80);

    const again = capture();
    expect(await run(['node', 'ashby-kafka', 'source', '--config', file, '--once'], again)).toBe(0);
    expect(again.stdout()).toMatch(/\ncandidates\s+incremental\s+0\s+1\s/);
    // sources has no sync token: it is read whole, and nothing changed, so nothing is produced.
    expect(again.stdout()).toMatch(/\nsources\s+incremental\s+0\s+1\s/);
  });

  it('fails with a coded one-line error for a key Ashby refuses', async () => {
    const config = sourceConfig({ url: sandbox.url, key: 'not_a_key', streams: ['candidates'] });
    const io = capture();
    expect(await run(['node', 'ashby-kafka', 'source', '--config', writeConfigFile(config), '--once'], io)).toBe(1);
    expect(io.stderr()).toMatch(/^error \[ASHBY_INVALID_KEY\]: .*refused the API key/m);
    expect(io.stderr()).not.toMatch(/\n\s+at /);
  });
});
