import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PACKAGE_ROOT } from '../../../src/package-info.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { BOOTSTRAP, REGISTRY_URL, uniqueName } from '../../support/stack.js';
import { runPass, sourceConfig, storedIds } from '../source/helpers.js';

/**
 * The consumer guide's Python example (docs/examples/consume.py) runs as written, with Debian's
 * python3-confluent-kafka, against topics the source just filled from the sandbox through the
 * real registry: every record comes back with its key and its decoded fields.
 */
const PYTHON = '/usr/bin/python3';
const EXAMPLE = join(PACKAGE_ROOT, 'docs', 'examples', 'consume.py');

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11, scale: 30 });
});
afterAll(async () => {
  await sandbox.close();
});

describe('docs/examples/consume.py', () => {
  it('prints every candidate of the topic: the string key, the id and the decoded name', async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import confluent_kafka.schema_registry, avro'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      throw new Error(
        `${PYTHON} cannot import confluent_kafka.schema_registry and avro: apt-get install python3-confluent-kafka python3-requests python3-avro (scripts/setup.sh does)\n${probe.stderr}`,
      );
    }
    const prefix = `${uniqueName('py')}.`;
    const config = sourceConfig({ url: sandbox.url, key: sandbox.keys.full, streams: ['candidates'], prefix });
    await runPass(config);

    const run = spawnSync(PYTHON, [EXAMPLE], {
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: process.env.PATH,
        PYTHONPATH: join(PACKAGE_ROOT, 'test', 'integration', 'docs', 'fastavro-shim'),
        BOOTSTRAP,
        REGISTRY_URL,
        TOPIC: `${prefix}candidates`,
        GROUP: uniqueName('py-group'),
        IDLE_EXIT_SECONDS: '8',
      },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; id: string; name: string; extra: unknown });
    const ids = storedIds(sandbox.engine, 'candidate');
    expect(ids.size).toBe(30);
    expect(lines.map((l) => l.key).sort()).toEqual([...ids].sort());
    for (const l of lines) {
      expect(l.id).toBe(l.key);
      expect(l.name).toBe(sandbox.engine.store.get<{ name: string }>('candidate', l.id)?.name);
    }
  }, 180_000);

  it('the guide shows the example as it is in the repository', () => {
    expect(readFileSync(join(PACKAGE_ROOT, 'docs', 'consumers.md'), 'utf8')).toContain(readFileSync(EXAMPLE, 'utf8'));
  });
});
