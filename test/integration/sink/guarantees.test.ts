import { header, sandboxIds, sinkFixture, type SinkFixture } from './helpers.js';

/**
 * What the sink promises beyond applying commands: permission errors at runtime (fail and dlq),
 * exactly-once effect across reruns and ambiguous writes, the error-rate stop, JSON commands.
 */
const fixtures: SinkFixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.close();
});

async function fixture(name: string): Promise<SinkFixture> {
  const f = await sinkFixture(name);
  fixtures.push(f);
  return f;
}

const creates = (f: SinkFixture, keyName?: string) =>
  f.sandbox.admin.callLog({ path: '/candidate.create', ...(keyName ? { keyName } : {}) });

describe('permission errors at runtime', () => {
  it('fail: stops at the first write with the actionable error, commits nothing of it; a rerun with a write key applies it exactly once', async () => {
    const f = await fixture('sink-perm-fail');
    const email = `perm.${Date.now()}@example.com`;
    await f.send('candidate', [{ key: 'k1', value: { operation: 'create', name: 'Read Only', email } }]);

    const first = await f.run({ key: f.sandbox.keys.readonly });
    expect(first.error).toMatchObject({
      code: 'ASHBY_PERMISSION_DENIED',
      endpoint: 'candidate.create',
      module: 'Candidates',
      access: 'write',
    });
    expect((first.error as Error).message).toMatch(
      /candidate\.create needs Candidates: write.*Admin → Integrations → API Keys/,
    );
    expect(first.summary).toMatchObject({ failed: 1, ok: 0 });
    expect(await f.committed('candidate')).toEqual([0, 0]);
    expect(await f.readAll(f.dlq)).toHaveLength(0);

    const second = await f.run({ key: f.sandbox.keys.full });
    expect(second.error).toBeUndefined();
    expect(second.summary).toMatchObject({ ok: 1, created: 1 });
    expect(creates(f, 'sandbox_full').filter((c) => c.status === 200)).toHaveLength(1);
    expect((await f.committed('candidate')).reduce((a, b) => a + b, 0)).toBe(1);

    // A third run finds nothing new: still one candidate with that email.
    const third = await f.run({ key: f.sandbox.keys.full });
    expect(third.summary.processed).toBe(0);
    expect(creates(f, 'sandbox_full')).toHaveLength(1);
  });

  it('dlq: dead-letters the command with the permission error in its headers and goes on', async () => {
    const f = await fixture('sink-perm-dlq');
    await f.send('candidate', [
      { key: 'a', value: { operation: 'create', name: 'First', email: `a.${Date.now()}@example.com` } },
      { key: 'b', value: { operation: 'create', name: 'Second', email: `b.${Date.now()}@example.com` } },
    ]);
    const run = await f.run({ key: f.sandbox.keys.readonly, destination: { on_permission_error: 'dlq' } });
    expect(run.error).toBeUndefined();
    expect(run.summary).toMatchObject({ deadLettered: 2, failed: 0 });
    const dead = await f.readAll(f.dlq);
    expect(dead).toHaveLength(2);
    for (const m of dead) {
      expect(header(m, '__connect.errors.code')).toBe('ASHBY_PERMISSION_DENIED');
      expect(header(m, '__connect.errors.exception.message')).toContain('Candidates: write');
      expect(header(m, '__connect.errors.ashby.endpoint')).toBe('candidate.create');
    }
    expect((await f.committed('candidate')).reduce((a, b) => a + b, 0)).toBe(2);
  });
});

describe('exactly once in effect', () => {
  it('an ambiguous create that Ashby did not apply (a 5xx before the write) is looked up, found missing and sent again: one candidate', async () => {
    const f = await fixture('sink-ambiguous');
    const email = `amb.${Date.now()}@example.com`;
    f.sandbox.admin.forceNext('candidate.create', 1, { status: 503 });
    await f.send('candidate', [{ key: 'x', value: { operation: 'create', name: 'Ambiguous Person', email } }]);
    const run = await f.run();
    expect(run.error).toBeUndefined();
    expect(f.sandbox.admin.callLog({ path: '/candidate.search' }).length).toBeGreaterThanOrEqual(1);
    expect(creates(f).map((c) => c.status)).toEqual([503, 200]);
    const found = await fetch(`${f.sandbox.url}/candidate.search`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sandbox_full:').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ email }),
    });
    expect(((await found.json()) as { results: unknown[] }).results).toHaveLength(1);
  });

  it.each([
    ['a 503', { status: 503 as const, afterApply: true }, 503],
    ['a dropped connection', { reset: true as const, afterApply: true }, 0],
  ])(
    'adopts a create that Ashby applied but answered with %s: one candidate, one create call, the result names it',
    async (_label, outcome, status) => {
      const f = await fixture(`sink-applied-${status}`);
      const email = `applied.${status}.${Date.now()}@example.com`;
      f.sandbox.admin.forceNext('candidate.create', 1, outcome);
      await f.send('candidate', [{ key: 'x', value: { operation: 'create', name: 'Applied Unanswered', email } }]);
      const run = await f.run();
      expect(run.error).toBeUndefined();
      expect(run.summary).toMatchObject({ ok: 1, created: 1, failed: 0, deadLettered: 0 });
      // The one create was applied; the sink found it by email instead of sending it again.
      expect(creates(f).map((c) => c.status)).toEqual([status]);
      expect(await f.candidatesWithEmail(email)).toBe(1);
      const [result] = await Promise.all((await f.readAll(f.results)).map((m) => f.decodeResult(m)));
      expect(result).toMatchObject({ status: 'ok', action: 'created' });
      const candidate = f.sandbox.admin.get('candidate', result!.ashbyId as string);
      expect(candidate).toMatchObject({ name: 'Applied Unanswered', primaryEmailAddress: { value: email } });
      expect((await f.committed('candidate')).reduce((a, b) => a + b, 0)).toBe(1);
    },
  );

  it('an idempotencyKey makes a resent command a no-op with a result saying so', async () => {
    const f = await fixture('sink-idem');
    const ids = await sandboxIds(f.sandbox);
    const title = `Idem Job ${Date.now()}`;
    const cmd = {
      operation: 'create',
      idempotencyKey: `job-${title}`,
      title,
      teamId: ids.teamId,
      locationId: ids.locationId,
    };
    await f.send('job', [{ key: 'j', value: cmd }]);
    await f.send('job', [{ key: 'j', value: cmd }]);
    const run = await f.run();
    expect(run.error).toBeUndefined();
    expect(run.summary).toMatchObject({ ok: 1, skipped: 1 });
    expect(f.sandbox.admin.callLog({ path: '/job.create' })).toHaveLength(1);
    const results = await Promise.all((await f.readAll(f.results)).map((m) => f.decodeResult(m)));
    expect(results.map((r) => r.action).sort()).toEqual(['created', 'unchanged']);
    expect(new Set(results.map((r) => r.ashbyId)).size).toBe(1);
  });
});

describe('retriable failures', () => {
  it('are retried by the client and never skipped: a 429 then success applies the command; exhausted retries stop the sink uncommitted', async () => {
    const f = await fixture('sink-retry');
    const ids = await sandboxIds(f.sandbox);
    f.sandbox.admin.forceNext('job.setStatus', 1, { status: 429, retryAfterSeconds: 0 });
    await f.send('job', [{ key: 'j', value: { operation: 'setStatus', jobId: ids.openJob.id, status: 'Open' } }]);
    const ok = await f.run();
    expect(ok.error).toBeUndefined();
    expect(ok.summary.ok).toBe(1);
    expect(f.sandbox.admin.callLog({ path: '/job.setStatus' }).map((c) => c.status)).toEqual([429, 200]);

    // Three 429s in a row outlast the test config's 2 retries.
    f.sandbox.admin.forceNext('job.setStatus', 3, { status: 429, retryAfterSeconds: 0 });
    await f.send('job', [{ key: 'j', value: { operation: 'setStatus', jobId: ids.openJob.id, status: 'Open' } }]);
    const before = (await f.committed('job')).reduce((a, b) => a + b, 0);
    const stopped = await f.run();
    expect(stopped.error).toMatchObject({ code: 'ASHBY_RATE_LIMITED', retriable: true });
    expect(stopped.summary).toMatchObject({ failed: 1, deadLettered: 0 });
    expect((await f.committed('job')).reduce((a, b) => a + b, 0)).toBe(before);
    expect(await f.readAll(f.dlq)).toHaveLength(0);

    const rerun = await f.run();
    expect(rerun.error).toBeUndefined();
    expect(rerun.summary.ok).toBe(1);
    expect((await f.committed('job')).reduce((a, b) => a + b, 0)).toBe(before + 1);
  });
});

describe('error-rate threshold', () => {
  it('stops the sink when more than max_error_rate of the last error_window commands failed', async () => {
    const f = await fixture('sink-rate');
    // One key, so they run one after another and the stop comes exactly after the fourth.
    for (let i = 0; i < 6; i++) await f.send('job', [{ key: 'bad', value: Buffer.from(`junk ${i}`) }]);
    const run = await f.run({ destination: { error_window: 4, max_error_rate: 0.5 } });
    expect(run.error).toMatchObject({ code: 'SINK_ERROR_RATE_EXCEEDED' });
    expect((run.error as Error).message).toContain('of the last 4 commands failed');
    expect(run.summary.deadLettered).toBe(4);
    expect((await f.readAll(f.dlq)).map((m) => m.value!.toString())).toEqual(['junk 0', 'junk 1', 'junk 2', 'junk 3']);
  });
});

describe('JSON commands', () => {
  it('applies JSON commands and writes JSON results; invalid JSON is dead-lettered with the field named', async () => {
    const f = await fixture('sink-json');
    const ids = await sandboxIds(f.sandbox);
    const email = `json.${Date.now()}@example.com`;
    await f.send(
      'candidate',
      [
        {
          key: 'j1',
          value: {
            operation: 'upsert',
            name: 'Json Person',
            email,
            location: { city: 'Lisbon', country: 'Portugal' },
            customFields: [{ fieldId: ids.candidateStringField, fieldValue: 'JP' }],
          },
        },
        { key: 'j2', value: { operation: 'create', name: 'No Such Field', nickname: 'x' } },
        { key: 'j3', value: '{ not json' },
      ],
      'json',
    );
    const run = await f.run({ format: 'json' });
    expect(run.error).toBeUndefined();
    expect(run.summary).toMatchObject({ ok: 1, deadLettered: 2 });
    const results = new Map(
      (await f.readAll(f.results)).map((m) => [
        m.key!.toString(),
        JSON.parse(m.value!.toString()) as Record<string, unknown>,
      ]),
    );
    expect(results.get('j1')).toMatchObject({ status: 'ok', operation: 'upsert', action: 'created', error: null });
    const candidate = f.sandbox.admin.get('candidate', results.get('j1')!.ashbyId as string)!;
    expect(candidate).toMatchObject({ name: 'Json Person', primaryEmailAddress: { value: email } });
    expect(results.get('j2')).toMatchObject({ status: 'dead_lettered', error: { code: 'COMMAND_INVALID' } });
    expect((results.get('j2')!.error as { message: string }).message).toContain('nickname');
    const dead = new Map((await f.readAll(f.dlq)).map((m) => [m.key!.toString(), m]));
    expect(header(dead.get('j3')!, '__connect.errors.code')).toBe('COMMAND_INVALID');
    expect(header(dead.get('j3')!, '__connect.errors.stage')).toBe('VALUE_CONVERTER');
  });
});
