import { KeyScheduler } from '../../src/sink/key-scheduler.js';
import { ErrorWindow } from '../../src/sink/error-window.js';
import { commandResultType, resultToJson } from '../../src/sink/results.js';
import { countOutcome, emptySummary, formatSummary } from '../../src/sink/summary.js';
import { commandIdentity } from '../../src/sink/ledger.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('KeyScheduler', () => {
  it('runs one key in order and different keys concurrently, never above the limit', async () => {
    const s = new KeyScheduler<null>(2);
    const order: string[] = [];
    let running = 0;
    let peak = 0;
    const task = (key: string, n: number) => ({
      key,
      meta: null,
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await tick();
        order.push(`${key}${n}`);
        running--;
      },
    });
    for (let i = 0; i < 3; i++) for (const k of ['a', 'b', 'c']) s.submit(task(k, i));
    await s.idle();
    expect(peak).toBe(2);
    for (const k of ['a', 'b', 'c']) expect(order.filter((o) => o.startsWith(k))).toEqual([`${k}0`, `${k}1`, `${k}2`]);
  });

  it('drops queued tasks matching a filter, keeps running ones', async () => {
    const s = new KeyScheduler<{ p: number }>(1);
    const ran: number[] = [];
    for (let i = 0; i < 4; i++)
      s.submit({ key: `k${i}`, meta: { p: i % 2 }, run: async () => void (await tick(), ran.push(i)) });
    const dropped = s.drop((m) => m.p === 1);
    expect(dropped.map((t) => t.key)).toEqual(['k1', 'k3']);
    await s.idle();
    expect(ran).toEqual([0, 2]);
    expect(s.pending).toBe(0);
  });
});

describe('ErrorWindow', () => {
  it('judges only a full window and trips above the rate', () => {
    const w = new ErrorWindow(4, 0.5);
    expect([true, true, true].map((f) => w.record(f))).toEqual([false, false, false]);
    expect(w.record(false)).toBe(true); // 3 of 4 failed
    const calm = new ErrorWindow(4, 0.5);
    expect([true, false, true, false, true, false].map((f) => calm.record(f))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('results and identity', () => {
  it('encodes a result with the Avro schema and as JSON', () => {
    const r = {
      status: 'ok' as const,
      entity: 'candidate',
      operation: 'create',
      action: 'created',
      ashbyId: 'c1',
      requestId: 'r',
      idempotencyKey: null,
      error: null,
      sourceTopic: 't',
      sourcePartition: 1,
      sourceOffset: 42,
      processedAt: new Date('2026-01-01T00:00:00Z'),
    };
    const type = commandResultType();
    // A result written without ashbyUpdatedAt (an older writer) reads back with its default, null.
    expect(type.fromBuffer(type.toBuffer(r))).toEqual({ ...r, ashbyUpdatedAt: null, dryRun: false, problems: [] });
    const written = {
      ...r,
      ashbyUpdatedAt: new Date('2026-01-01T00:00:00.123Z'),
      dryRun: true,
      problems: ['tagId x is not a candidate tag in Ashby'],
    };
    expect(type.fromBuffer(type.toBuffer(written))).toEqual(written);
    expect(resultToJson(r)).toMatchObject({
      processedAt: '2026-01-01T00:00:00.000Z',
      ashbyId: 'c1',
      ashbyUpdatedAt: null,
    });
    expect(resultToJson(written)).toMatchObject({ ashbyUpdatedAt: '2026-01-01T00:00:00.123Z' });
  });

  it('identifies a command by idempotencyKey when it has one, else by position and content', () => {
    const m = { topic: 't', partition: 0, offset: 5, key: Buffer.from('k'), value: Buffer.from('v') };
    expect(commandIdentity('job', 'ik', m)).toBe('job/key/ik');
    expect(commandIdentity('job', undefined, m)).toMatch(/^job\/at\/t\/0\/5\/[0-9a-f]{16}$/);
    expect(commandIdentity('job', undefined, { ...m, value: Buffer.from('w') })).not.toBe(
      commandIdentity('job', undefined, m),
    );
  });
});

describe('summary', () => {
  it('counts outcomes per operation and prints them', () => {
    const s = emptySummary();
    countOutcome(s, 'candidate', { kind: 'ok', operation: 'create', action: 'created', ashbyId: 'c' });
    countOutcome(s, 'candidate', { kind: 'skipped', operation: 'create' });
    countOutcome(s, 'job', { kind: 'fatal', operation: 'setStatus', error: new Error('x') });
    expect(s).toMatchObject({ processed: 2, ok: 1, created: 1, skipped: 1, failed: 1 });
    const text = formatSummary(s, 2);
    expect(text).toContain(
      'processed 2 command(s) in 2.0s: ok 1 (created 1, updated 0), already applied 1, dead-lettered 0, failed 1',
    );
    expect(text).toMatch(/job\.setStatus\s+ok 0, failed 1/);
  });
});

describe('preflight scope warning', () => {
  it('names the scopes a key lacks for the configured entities, with the endpoints that need them', async () => {
    const { missingScopes, warnAboutScopes } = await import('../../src/sink/preflight.js');
    const readOnly = ['candidates:read', 'jobs:read', 'offers:read', 'apiKeys:read'];
    expect(missingScopes(readOnly, ['candidate', 'offer'])).toEqual([
      {
        scope: 'candidates:write',
        endpoints: [
          'candidate.create',
          'candidate.update',
          'candidate.addTag',
          'candidate.removeTag',
          'candidate.createNote',
          'candidate.uploadFile',
          'candidate.uploadResume',
          'customField.setValues',
        ],
      },
      {
        scope: 'offers:write',
        endpoints: [
          'offerProcess.start',
          'offer.start',
          'offer.create',
          'offer.update',
          'offer.startApprovalProcess',
          'offer.approve',
          'offer.setStatus',
        ],
      },
    ]);
    expect(missingScopes(['candidates:read', 'candidates:write'], ['candidate'])).toEqual([]);
    const lines: string[] = [];
    const { createLogger } = await import('../../src/log/logger.js');
    const log = createLogger({ level: 'warn', write: (l) => void lines.push(l) });
    const ashby = { call: async () => ({ results: { scopes: readOnly }, warnings: [] }) } as never;
    await warnAboutScopes(ashby, ['job'], 'fail', log);
    expect(lines.join('')).toContain(
      'the API key lacks jobs:write, which job.create, job.update, job.setStatus need; those commands will stop the sink',
    );
  });
});
