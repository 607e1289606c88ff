import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/output.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

/** `source` and `discover` on the command line: config errors (no service needed) and discover against the in-process sandbox. */
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

const dir = mkdtempSync(join(tmpdir(), 'cli-source-'));
function configFile(name: string, source: Record<string, unknown> | undefined, baseUrl = 'http://127.0.0.1:9'): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({ ashby: { api_key: 'sandbox_full', base_url: baseUrl }, ...(source ? { source } : {}) }),
  );
  return file;
}

describe('ashby-kafka source: configuration errors', () => {
  it.each([
    ['no-source', undefined, 'error [CONFIG_INVALID]: this pipeline has no `source` section'],
    ['unknown', { streams: ['candidatez'] }, 'unknown stream "candidatez"'],
    ['eos-file', { exactly_once: true, state: 'file:/tmp/x.json' }, 'source.exactly_once needs source.state: kafka'],
  ])('%s', async (name, source, message) => {
    const io = capture();
    const code = await run(['node', 'ashby-kafka', 'source', '--config', configFile(name, source), '--once'], io);
    expect(code).toBe(2);
    expect(io.stderr()).toContain(message);
    expect(io.stderr()).not.toMatch(/\n\s+at /);
  });
});

describe('ashby-kafka discover', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({
      seed: 1,
      scale: 20,
      keys: [
        { name: 'jobs_only', permissions: ['jobsRead', 'apiKeysRead'] },
        { name: 'jobs_no_info', permissions: ['jobsRead'] },
      ],
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const discover = async (key: string, json: boolean) => {
    const file = join(dir, `discover-${key}.json`);
    writeFileSync(file, JSON.stringify({ ashby: { api_key: key, base_url: sandbox.url } }));
    const io = capture();
    const code = await run(['node', 'ashby-kafka', 'discover', '--config', file, ...(json ? ['--json'] : [])], io);
    return { code, io };
  };

  it('prints a table of streams with key, schema, sync modes, parent, default and readability', async () => {
    const { code, io } = await discover('sandbox_full', false);
    expect(code).toBe(0);
    expect(io.stdout()).toMatch(/^STREAM\s+KEY\s+SCHEMA\s+SYNC MODES\s+PARENT\s+DEFAULT\s+READABLE\s+ENDPOINT/);
    expect(io.stdout()).toMatch(
      /\ninterview_stages\s+id\s+io\.ashbykafka\.v1\.InterviewStage\s+incremental,full_refresh\s+interview_plans\s+on\s+yes\s+interviewStage\.list/,
    );
    expect(io.stdout()).toMatch(
      /\nsources\s+id\s+io\.ashbykafka\.v1\.Source\s+incremental,full_refresh\s+-\s+on\s+yes/,
    );
    // 43 streams; assessment.list needs no documented permission, so scopes cannot tell (`?`).
    expect(
      io
        .stdout()
        .split('\n')
        .filter((l) => /^[a-z_]+\s+[a-zA-Z_:]+\s+io\.ashbykafka/.test(l)),
    ).toHaveLength(43);
    expect(io.stdout()).toMatch(
      /\nassessments\s+assessment_type_id\s+io\.ashbykafka\.v1\.Assessment\s+incremental,full_refresh\s+-\s+on\s+\?\s+assessment\.list/,
    );
    expect(io.stdout()).toMatch(
      /\ncandidate_projects\s+candidateId:id\s+io\.ashbykafka\.v1\.CandidateProject\s+incremental,full_refresh\s+candidates\s+off\s+yes/,
    );
    expect(io.stdout()).toContain('42 of 43 streams readable with this key (checked via apiKey.info scopes)');
  });

  it.each([
    ['jobs_only', 'scopes'],
    ['jobs_no_info', 'probe'],
  ])('tells which streams a limited key can read (%s, via %s)', async (key, via) => {
    const { code, io } = await discover(key, true);
    expect(code).toBe(0);
    const out = JSON.parse(io.stdout()) as {
      checkedVia: string;
      streams: Array<{ stream: string; readable: boolean | null; scopes: string[] }>;
    };
    expect(out.checkedVia).toBe(via);
    const readable = Object.fromEntries(out.streams.map((s) => [s.stream, s.readable]));
    expect(readable.jobs).toBe(true);
    expect(readable.candidates).toBe(false);
    expect(out.streams.find((s) => s.stream === 'candidates')!.scopes).toEqual(['candidates:read']);
  });
});
