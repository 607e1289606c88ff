import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../../src/source/catalog.js';
import { HEADERS } from '../../../src/source/headers.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import {
  hiddenFromReadonly,
  readTopic,
  registrySerde,
  runPass,
  sourceConfig,
  storedIds,
  STREAM_ENTITY,
} from './helpers.js';

/**
 * A first pass of every stream through the real broker and registry: each topic holds exactly
 * the records the key can see, compared with the sandbox's own store (not with its API).
 */
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7, scale: 150 });
});
afterAll(async () => {
  await sandbox.close();
});

describe('source: first pass', () => {
  it('fills every default stream with exactly the records the full key can see, decodable through the registry', async () => {
    const config = sourceConfig({ url: sandbox.url, key: sandbox.keys.full });
    const started = Date.now();
    const result = await runPass(config);
    const ended = Date.now();
    expect(result.error).toBeUndefined();
    const defaults = DEFAULT_CATALOG.all()
      .filter((s) => s.enabledByDefault)
      .map((s) => s.name);
    expect(result.streams.map((s) => s.stream)).toEqual(defaults);
    const serde = registrySerde();
    try {
      for (const p of result.streams) {
        expect({ stream: p.stream, phase: p.phase }).toEqual({ stream: p.stream, phase: 'done' });
        const records = await readTopic(p.topic);
        const keys = records.map((r) => r.key);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.length).toBe(p.records);
        const entity = STREAM_ENTITY[p.stream];
        if (entity)
          expect({ stream: p.stream, ids: new Set(keys) }).toEqual({
            stream: p.stream,
            ids: storedIds(sandbox.engine, entity),
          });
        else expect(keys.length).toBeGreaterThan(0);
        // Decode one record per stream with the registry's schema; key = Ashby id.
        const first = records[0]!;
        const value = (await serde.decodeValue(p.topic, first.value)) as { id: string; assessment_type_id?: string };
        expect(p.stream === 'assessments' ? value.assessment_type_id : value.id).toBe(first.key);
        // source.headers: none (the default): no headers; the timestamp is when the page was encoded.
        expect(records.every((r) => Object.keys(r.headers).length === 0)).toBe(true);
        expect(first.timestamp).toBeGreaterThanOrEqual(started);
        expect(first.timestamp).toBeLessThanOrEqual(ended);
      }
    } finally {
      await serde.close();
    }
    // 35 topics, each read back with its own consumer: above the 60 s default on a loaded machine.
  }, 120_000);

  it('reads the fan-out child streams when listed, with the parent id added where Ashby leaves it out', async () => {
    const streams = ['interview_events', 'application_history', 'candidate_notes'];
    const config = sourceConfig({ url: sandbox.url, key: sandbox.keys.full, streams, extra: { headers: 'all' } });
    const result = await runPass(config);
    expect(result.error).toBeUndefined();
    const serde = registrySerde();
    try {
      for (const p of result.streams) {
        const records = await readTopic(p.topic);
        expect(records.length).toBe(p.records);
        expect(records.length).toBeGreaterThan(0);
        const entity = STREAM_ENTITY[p.stream];
        if (entity)
          expect({ stream: p.stream, ids: new Set(records.map((r) => r.key)) }).toEqual({
            stream: p.stream,
            ids: storedIds(sandbox.engine, entity),
          });
        const value = (await serde.decodeValue(p.topic, records[0]!.value)) as Record<string, unknown>;
        // source.headers: all: the five headers on every record, the emitted time its timestamp.
        for (const r of [records[0]!, records[records.length - 1]!]) {
          expect(r.headers[HEADERS.stream]).toBe(p.stream);
          expect(r.headers[HEADERS.syncMode]).toBe('full');
          expect(r.headers[HEADERS.runId]).toBe(result.runId);
          expect(r.headers[HEADERS.requestId]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
          expect(Date.parse(r.headers[HEADERS.emittedAt]!)).toBe(r.timestamp);
        }
        if (p.stream === 'application_history') expect(typeof value.applicationId).toBe('string');
        if (p.stream === 'candidate_notes') expect(typeof value.candidateId).toBe('string');
      }
    } finally {
      await serde.close();
    }
  });

  it('gives a read-only key everything except confidential records', async () => {
    const full = sourceConfig({
      url: sandbox.url,
      key: sandbox.keys.full,
      streams: ['candidates', 'applications', 'jobs', 'projects'],
    });
    const ro = sourceConfig({
      url: sandbox.url,
      key: sandbox.keys.readonly,
      streams: ['candidates', 'applications', 'jobs', 'projects'],
    });
    const [a, b] = [await runPass(full), await runPass(ro)];
    expect(a.error).toBeUndefined();
    expect(b.error).toBeUndefined();
    const entities = {
      candidates: 'candidate',
      applications: 'application',
      jobs: 'job',
      projects: 'project',
    } as const;
    let hiddenTotal = 0;
    for (const [stream, entity] of Object.entries(entities)) {
      const fullIds = new Set((await readTopic(`${full.source!.topic_prefix}${stream}`)).map((r) => r.key));
      const roIds = new Set((await readTopic(`${ro.source!.topic_prefix}${stream}`)).map((r) => r.key));
      const hidden = hiddenFromReadonly(sandbox.engine, entity);
      hiddenTotal += hidden.size;
      expect({ stream, ids: roIds }).toEqual({ stream, ids: new Set([...fullIds].filter((id) => !hidden.has(id))) });
    }
    expect(hiddenTotal).toBeGreaterThan(0);
  });
});
