import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/output.js';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../src/package-info.js';

function captureIo(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    isTTY: false,
    stdout: () => out,
    stderr: () => err,
  };
}

async function cli(...args: string[]) {
  const io = captureIo();
  const code = await run(['node', 'ashby-kafka', ...args], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ashby-kafka-cli-')), name);
  writeFileSync(path, text);
  return path;
}

describe('ashby-kafka CLI', () => {
  it('--help lists every subcommand and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const sub of ['validate', 'sandbox', 'source', 'sink', 'discover', 'inspect', 'check', 'credentials']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${sub}\\b`, 'm'));
    }
  });

  it('--version prints the package version', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(PACKAGE_VERSION);
  });

  it('an unknown command is a usage error (exit 2), not a stack trace', async () => {
    const r = await cli('sourse');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate accepts a good pipeline and names the parts it found', async () => {
    const file = tempFile(
      'ok.yaml',
      'ashby:\n  api_key: ${TEST_KEY:-sandbox_full}\nsource:\n  streams: [candidates]\n',
    );
    const r = await cli('validate', '--config', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid (source)');
  });

  it('validate rejects a bad pipeline with the path and reason, exit 2, no stack', async () => {
    const file = tempFile('bad.yaml', 'ashby:\n  api_key: k\nsource:\n  mode: sometimes\n');
    const r = await cli('validate', '--config', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error \[CONFIG_INVALID\]: .*bad\.yaml: invalid config/m);
    expect(r.stderr).toMatch(/source\.mode: must be one of incremental, full_refresh \(got "sometimes"\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate reports a missing file clearly', async () => {
    const r = await cli('validate', '--config', join(tmpdir(), 'does-not-exist.yaml'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error \[[A-Z_]+\]: .*does-not-exist\.yaml/m);
  });

  it('the shipped example pipelines validate', async () => {
    for (const file of ['ashby-to-kafka.yaml', 'kafka-to-ashby.yaml']) {
      const path = join(PACKAGE_ROOT, 'config', file);
      const io = captureIo();
      const prev = process.env.ASHBY_API_KEY;
      process.env.ASHBY_API_KEY = 'sandbox_full';
      try {
        expect(await run(['node', 'ashby-kafka', 'validate', '--config', path], io)).toBe(0);
      } finally {
        if (prev === undefined) delete process.env.ASHBY_API_KEY;
        else process.env.ASHBY_API_KEY = prev;
      }
    }
  });
});

describe('bin/ashby-kafka.js (built)', () => {
  it('runs the compiled CLI and exits with its code', async () => {
    const exec = promisify(execFile);
    const { stdout } = await exec(process.execPath, [join(PACKAGE_ROOT, 'bin', 'ashby-kafka.js'), '--help']);
    expect(stdout).toContain('Usage: ashby-kafka');
    await expect(exec(process.execPath, [join(PACKAGE_ROOT, 'bin', 'ashby-kafka.js'), 'nope'])).rejects.toMatchObject({
      code: 2,
    });
  });
});

describe('validate: what `source` would refuse at start', () => {
  it.each([
    ['an unknown stream name', 'source:\n  streams: [candidate]\n', /unknown stream "candidate"/],
    [
      'exactly_once with file state',
      'source:\n  exactly_once: true\n  state: file:/tmp/x.json\n',
      /source\.exactly_once needs source\.state: kafka/,
    ],
  ])('rejects %s', async (_what, yaml, message) => {
    const file = tempFile('src.yaml', `ashby:\n  api_key: k_${'x'.repeat(16)}\n${yaml}`);
    const r = await cli('validate', '--config', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
