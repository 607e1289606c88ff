import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/output.js';

/** `ashby-kafka sink` failures that happen before any connection (the rest is in test/integration/sink/). */
function io() {
  let out = '';
  let err = '';
  const value: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  return { value, out: () => out, err: () => err };
}

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sink-cli-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('ashby-kafka sink', () => {
  it('is a real command in --help, not a pending one', async () => {
    const o = io();
    expect(await run(['node', 'ashby-kafka', 'sink', '--help'], o.value)).toBe(0);
    expect(o.out()).toContain('--once');
    expect(o.out()).not.toContain('not available');
  });

  it('exits 2 with error [CONFIG_INVALID] when the pipeline has no destination', async () => {
    const o = io();
    const config = file('p.yaml', 'ashby: { api_key: k }\nkafka: { bootstrap_servers: 127.0.0.1:1 }\n');
    expect(await run(['node', 'ashby-kafka', 'sink', '--config', config, '--once'], o.value)).toBe(2);
    expect(o.err()).toMatch(/^error \[CONFIG_INVALID\]: this pipeline has no `destination` section/);
  });

  it('exits 2 naming the path of an invalid destination key', async () => {
    const o = io();
    const config = file(
      'p.yaml',
      'ashby: { api_key: k }\ndestination:\n  topics: [{ topic: t, entity: offers }]\n  on_permission_error: skip\n',
    );
    expect(await run(['node', 'ashby-kafka', 'sink', '--config', config], o.value)).toBe(2);
    expect(o.err()).toContain('destination.on_permission_error: must be one of fail, dlq (got "skip")');
    expect(o.err()).toContain('destination.topics[0].entity');
  });

  it('requires --config', async () => {
    const o = io();
    expect(await run(['node', 'ashby-kafka', 'sink'], o.value)).toBe(2);
    expect(o.err()).toContain("required option '-c, --config <file>'");
  });
});
