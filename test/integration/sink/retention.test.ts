import { deleteRecords, readAll, sinkFixture, type SinkFixture } from './helpers.js';

/** Command partitions whose records retention removed before the sink ever read them (no committed offset, no records). */
let f: SinkFixture;
afterAll(async () => f?.close());

describe('sink --once over partitions emptied by retention', () => {
  it('finishes: an emptied partition counts as done, the command left in the other is applied', async () => {
    f = await sinkFixture('sink-retention', { partitions: 2 });
    const stamp = Date.now();
    await f.send(
      'candidate',
      Array.from({ length: 8 }, (_, i) => ({
        key: `r${i}`,
        value: { operation: 'create', name: `Kept ${i}`, email: `retention.${stamp}.${i}@example.com` },
      })),
    );
    const sent = await readAll(f.topics.candidate);
    const end = (p: number) => Math.max(...sent.filter((m) => m.partition === p).map((m) => m.offset)) + 1;
    expect(end(0)).toBeGreaterThan(0);
    expect(end(1)).toBeGreaterThan(0);
    // Partition 0: everything gone (log start = end). Partition 1: only its last command left.
    deleteRecords(f.topics.candidate, [
      [0, end(0)],
      [1, end(1) - 1],
    ]);
    const kept = sent.find((m) => m.partition === 1 && m.offset === end(1) - 1)!.key!.toString();

    const run = await f.run();
    expect(run.error).toBeUndefined();
    expect(run.summary).toMatchObject({ processed: 1, ok: 1 });
    const created = f.sandbox.admin.callLog({ path: '/candidate.create' }).filter((c) => c.status === 200);
    expect(created).toHaveLength(1);
    expect(await f.committed('candidate')).toEqual([0, end(1)]);
    expect(kept).toMatch(/^r\d$/);
  }, 90_000);
});
