import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HEADERS } from '../../../src/source/headers.js';
import { RESTART_CODES, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { captureLogger, readTopic, registrySerde, runPass, sourceConfig, storedIds } from './helpers.js';

/**
 * Incremental passes: only what changed since the stored sync token, and every restart code of
 * docs/ashby-api.md §2.2 recovers on its own (token codes → full sync, cursor codes → the pass restarts).
 */
let sandbox: RunningSandbox;

beforeAll(async () => {
  // Small pages so a pass spans several cursors.
  sandbox = await startSandbox({ seed: 11, scale: 120, pageSize: { maxPerPage: 25, emptyPageEvery: 0 } });
});
afterAll(async () => {
  await sandbox.close();
});

/** Passes are told apart by the run id each record carries (source.headers asks for it). */
const RUN_ID_HEADER = { headers: [HEADERS.runId] };

async function idsOfRun(topic: string, runId: string): Promise<string[]> {
  return (await readTopic(topic))
    .filter((r) => r.headers[HEADERS.runId] === runId)
    .map((r) => r.key)
    .sort();
}

describe('source: incremental', () => {
  it('produces exactly the changed records on the next pass, and nothing when nothing changed', async () => {
    const config = sourceConfig({
      extra: RUN_ID_HEADER,
      url: sandbox.url,
      key: sandbox.keys.full,
      streams: ['candidates', 'jobs', 'departments', 'sources'],
    });
    const first = await runPass(config);
    expect(first.error).toBeUndefined();
    const idle = await runPass(config);
    expect(idle.streams.map((s) => [s.stream, s.mode, s.records])).toEqual([
      ['candidates', 'incremental', 0],
      ['jobs', 'incremental', 0],
      ['departments', 'incremental', 0],
      ['sources', 'incremental', 0],
    ]);

    const candidates = [...storedIds(sandbox.engine, 'candidate')];
    const jobs = [...storedIds(sandbox.engine, 'job')];
    const sources = [...storedIds(sandbox.engine, 'source')];
    sandbox.admin.advanceClock(60_000);
    sandbox.admin.update('candidate', candidates[3]!, { name: 'Renamed Person' });
    const created = sandbox.admin.create('candidate', { name: 'New Person' }) as { id: string };
    sandbox.admin.update('job', jobs[2]!, { title: 'Renamed Job' });
    // sources has no sync token (a single-response list): changes are found by record digest.
    sandbox.admin.update('source', sources[1]!, { title: 'Renamed Source' });

    const second = await runPass(config);
    expect(second.error).toBeUndefined();
    const prefix = config.source!.topic_prefix;
    expect(await idsOfRun(`${prefix}candidates`, second.runId)).toEqual([candidates[3]!, created.id].sort());
    expect(await idsOfRun(`${prefix}jobs`, second.runId)).toEqual([jobs[2]!]);
    expect(await idsOfRun(`${prefix}departments`, second.runId)).toEqual([]);
    expect(await idsOfRun(`${prefix}sources`, second.runId)).toEqual([sources[1]!]);
    const modes = Object.fromEntries(second.streams.map((s) => [s.stream, s.mode]));
    expect(modes).toEqual({
      candidates: 'incremental',
      jobs: 'incremental',
      departments: 'incremental',
      sources: 'incremental',
    });
  });

  it.each(RESTART_CODES)('recovers from %s', async (code) => {
    const config = sourceConfig({
      extra: RUN_ID_HEADER,
      url: sandbox.url,
      key: sandbox.keys.full,
      streams: ['candidates'],
    });
    expect((await runPass(config)).error).toBeUndefined();
    const all = storedIds(sandbox.engine, 'candidate');
    const changed = [...all][5]!;
    sandbox.admin.advanceClock(60_000);
    sandbox.admin.update('candidate', changed, { name: `Changed for ${code}` });

    sandbox.admin.forceRestart('candidate.list', code, 1);
    const { logger, lines } = captureLogger();
    const result = await runPass(config, logger);
    expect(result.error).toBeUndefined();
    const [p] = result.streams;
    expect(p!.restarts).toBe(1);
    const tokenCode = code.startsWith('sync_token') || code === 'incremental_sync_too_large';
    const produced = await idsOfRun(`${config.source!.topic_prefix}candidates`, result.runId);
    if (tokenCode) {
      // The token was dropped: a full sync of every candidate, logged with the reason.
      expect(p!.mode).toBe('full');
      expect(new Set(produced)).toEqual(storedIds(sandbox.engine, 'candidate'));
      expect(lines.some((l) => l.level === 'warn' && l.msg.includes('full sync') && l.ashbyCode === code)).toBe(true);
    } else {
      // The pass restarted from its first page with the same token: still only the change.
      expect(p!.mode).toBe('incremental');
      expect(produced).toEqual([changed]);
      expect(
        lines.some((l) => l.level === 'warn' && l.msg.includes('restarting the pass') && l.ashbyCode === code),
      ).toBe(true);
    }
    // And the pass after that is a normal incremental one.
    const after = await runPass(config);
    expect(after.streams[0]!.restarts).toBe(0);
    expect(after.streams[0]!.mode).toBe('incremental');
    expect(after.streams[0]!.records).toBe(0);
  });

  it('falls back to a full sync when sync tokens expire naturally, with state in a file', async () => {
    const state = `file:${join(mkdtempSync(join(tmpdir(), 'src-state-')), 'state.json')}`;
    const config = sourceConfig({
      extra: RUN_ID_HEADER,
      url: sandbox.url,
      key: sandbox.keys.full,
      streams: ['departments', 'sources'],
      state,
    });
    expect((await runPass(config)).error).toBeUndefined();
    const stored = JSON.parse(readFileSync(state.slice(5), 'utf8')) as {
      streams: Record<string, { syncToken?: string; digests?: Record<string, string> }>;
    };
    expect(stored.streams[`${config.source!.topic_prefix}departments`]!.syncToken).toEqual(expect.any(String));
    // Snapshot streams store no token but a digest per record: every pass reads them whole and produces what changed.
    expect(stored.streams[`${config.source!.topic_prefix}sources`]!.syncToken).toBeUndefined();
    expect(Object.keys(stored.streams[`${config.source!.topic_prefix}sources`]!.digests!).sort()).toEqual(
      [...storedIds(sandbox.engine, 'source')].sort(),
    );
    sandbox.admin.expireSyncTokens();
    const result = await runPass(config);
    expect(result.error).toBeUndefined();
    const modes = Object.fromEntries(result.streams.map((s) => [s.stream, [s.mode, s.restarts, s.records]]));
    expect(modes.departments).toEqual(['full', 1, storedIds(sandbox.engine, 'department').size]);
    // Expired tokens do not concern a snapshot stream: nothing changed, nothing produced.
    expect(modes.sources).toEqual(['incremental', 0, 0]);
  });

  it('writes Avro-encoded keys with key_format: avro', async () => {
    const config = sourceConfig({
      extra: RUN_ID_HEADER,
      url: sandbox.url,
      key: sandbox.keys.full,
      streams: ['departments'],
    });
    config.source!.key_format = 'avro';
    expect((await runPass(config)).error).toBeUndefined();
    const topic = `${config.source!.topic_prefix}departments`;
    const serde = registrySerde();
    try {
      const records = await readTopic(topic);
      const keys = await Promise.all(records.map((r) => serde.decodeKey(topic, r.keyBytes)));
      expect(new Set(keys)).toEqual(storedIds(sandbox.engine, 'department'));
    } finally {
      await serde.close();
    }
  });
});
