import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AshbyClient } from '../../../src/ashby/index.js';
import { withAshbyDefaults } from '../../../src/config/ashby-options.js';
import type { PipelineConfig } from '../../../src/config/schema.js';
import { SourceRunner } from '../../../src/source/runtime/source-runner.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import type { ApplicationModel, CandidateModel } from '../../../src/sandbox/data/models.js';
import { hiddenFromReadonly, readTopic, registrySerde, sourceConfig, storedIds, type TopicRecord } from './helpers.js';

/**
 * A key that loses confidential access, against the real broker, registry and sandbox (the
 * sandbox toggles the key's option, no webhook is sent): reconciliation reports the records it
 * can no longer see as `no_longer_visible` (without tombstones by default, with them under
 * `reconcile_invisible: tombstone`), a candidate really deleted meanwhile as `deleted`, and a
 * compacted read of each topic afterwards holds exactly what the sandbox lets the key see.
 */
const KEY = 'confidential_reader';
const STREAMS = { jobs: 'job', applications: 'application', candidates: 'candidate' } as const;

let sandbox: RunningSandbox;
let config: PipelineConfig;
let client: AshbyClient;
const runners: SourceRunner[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({
    seed: 41,
    scale: 120,
    keys: [{ name: KEY, permissions: ['*Read'], confidential: true }],
  });
  config = sourceConfig({
    url: sandbox.url,
    key: sandbox.keys[KEY]!,
    streams: Object.keys(STREAMS),
    extra: { reconcile_invisible: 'tombstone' },
  });
  client = new AshbyClient(
    withAshbyDefaults({
      apiKey: config.ashby.api_key!,
      baseUrl: config.ashby.base_url,
      retry: { retries: 2, minDelayMs: 10, maxDelayMs: 50 },
      rate: { requestsPerSecond: 500, burst: 500, maxConcurrent: 16 },
    }),
  );
});

afterAll(async () => {
  for (const r of runners) await r.close();
  await client?.close();
  await sandbox?.close();
});

async function open(invisible: 'report' | 'tombstone'): Promise<SourceRunner> {
  const runner = await SourceRunner.open(
    { ...config, source: { ...config.source!, reconcile_invisible: invisible } },
    { client },
  );
  runners.push(runner);
  return runner;
}

function compactedKeys(records: TopicRecord[]): Set<string> {
  const out = new Set<string>();
  for (const r of records) {
    if (r.value.length === 0) out.delete(r.key);
    else out.add(r.key);
  }
  return out;
}

describe('reconciliation after a loss of confidential access', () => {
  it('reports hidden records as no_longer_visible, tombstones them when asked, and leaves the topics equal to what the key sees', async () => {
    const reporter = await open('report');
    expect((await reporter.runPass()).error).toBeUndefined();
    const engine = sandbox.engine;
    const before = Object.fromEntries(
      await Promise.all(
        Object.keys(STREAMS).map(
          async (s) => [s, compactedKeys(await readTopic(`${config.source!.topic_prefix}${s}`))] as const,
        ),
      ),
    );

    // A visible candidate whose applications are all to non-confidential jobs is really deleted (no webhook).
    const hiddenJobs = hiddenFromReadonly(engine, 'job');
    expect(hiddenJobs.size).toBeGreaterThan(0);
    const deleted = [...storedIds(engine, 'candidate')]
      .map((id) => engine.store.get<CandidateModel>('candidate', id)!)
      .find(
        (c) =>
          c.applicationIds.length > 0 &&
          c.applicationIds.every((a) => !hiddenJobs.has(engine.store.get<ApplicationModel>('application', a)!.jobId)),
      )!;
    const deletedApps = [...deleted.applicationIds];
    expect(sandbox.admin.delete('candidate', deleted.id)).toBe(true);
    sandbox.admin.setKeyAccess(KEY, { confidential: false });

    const hidden = {
      jobs: hiddenFromReadonly(engine, 'job'),
      applications: hiddenFromReadonly(engine, 'application'),
      candidates: hiddenFromReadonly(engine, 'candidate'),
    };
    const nHidden = Object.values(hidden).reduce((n, s) => n + s.size, 0);
    expect(hidden.candidates.size).toBeGreaterThan(0);
    expect(hidden.applications.size).toBeGreaterThan(0);

    // Default (report): hidden records are reported, not tombstoned; the real deletes are tombstoned.
    const reported = await reporter.reconcile();
    expect(reported).toMatchObject({ noLongerVisible: nHidden, deleted: 1 + deletedApps.length, skipped: [] });
    expect(reported.tombstones).toBe(1 + deletedApps.length);

    // Asked to tombstone them: the hidden ones are tombstoned too; the deleted ones are gone already.
    const tombstoner = await open('tombstone');
    const second = await tombstoner.reconcile();
    expect(second).toMatchObject({ noLongerVisible: nHidden, deleted: 0, tombstones: nHidden });

    const serde = registrySerde();
    try {
      const records = await readTopic(reporter.deletionsTopic());
      const values = await Promise.all(
        records.map(
          async (r) => (await serde.decodeValue(reporter.deletionsTopic(), r.value)) as Record<string, unknown>,
        ),
      );
      const summary = (reason: string, tombstoned: boolean): string[] =>
        values
          .filter((v) => v['reason'] === reason && v['tombstoned'] === tombstoned)
          .map((v) => `${String(v['stream'])}/${String(v['id'])}`)
          .sort();
      const hiddenKeys = Object.entries(hidden)
        .flatMap(([s, ids]) => [...ids].map((id) => `${s}/${id}`))
        .sort();
      expect(summary('no_longer_visible', false)).toEqual(hiddenKeys);
      expect(summary('no_longer_visible', true)).toEqual(hiddenKeys);
      expect(summary('deleted', true)).toEqual(
        [`candidates/${deleted.id}`, ...deletedApps.map((a) => `applications/${a}`)].sort(),
      );
      expect(values).toHaveLength(2 * nHidden + 1 + deletedApps.length);
    } finally {
      await serde.close();
    }

    // The compacted topics now hold exactly what the key sees.
    for (const [stream, entity] of Object.entries(STREAMS)) {
      const visible = [...storedIds(engine, entity)].filter((id) => !hiddenFromReadonly(engine, entity).has(id));
      const keys = compactedKeys(await readTopic(`${config.source!.topic_prefix}${stream}`));
      expect({ stream, keys }).toEqual({ stream, keys: new Set(visible) });
      expect(before[stream]!.size).toBeGreaterThan(keys.size);
    }
  }, 120_000);
});
