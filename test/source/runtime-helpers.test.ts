import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DeliveryTracker } from '../../src/source/runtime/delivery-tracker.js';
import { prefetch } from '../../src/source/runtime/prefetch.js';
import { formatSummary, type StreamProgress } from '../../src/source/runtime/progress.js';
import { FileStateStore } from '../../src/source/runtime/state-store.js';
import { parseStreamState } from '../../src/source/position.js';

/** The source runtime's small parts (the runner itself is covered by test/integration/source). */

describe('prefetch', () => {
  it('pulls at most `depth` items ahead of the consumer', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 10; i++) {
        pulled++;
        yield i;
      }
    }
    const seen: Array<[number, number]> = [];
    for await (const x of prefetch(source(), 2)) {
      await new Promise((r) => setTimeout(r, 5));
      seen.push([x, pulled]);
    }
    expect(seen.map(([x]) => x)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const [x, p] of seen) expect(p).toBeLessThanOrEqual(x + 3);
    // With a slow consumer, two items wait ready (depth 1 would never get past x + 2).
    expect(seen.some(([x, p]) => p === x + 3)).toBe(true);
  });

  it('with depth 1, stays exactly one item ahead', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 6; i++) {
        pulled++;
        yield i;
      }
    }
    const ahead: number[] = [];
    for await (const x of prefetch(source(), 1)) {
      await new Promise((r) => setTimeout(r, 5));
      ahead.push(pulled - x - 1);
    }
    expect(Math.max(...ahead)).toBe(1);
  });

  it('surfaces the source error and closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* failing() {
      yield 1;
      throw new Error('boom');
    }
    await expect(
      (async () => {
        for await (const _ of prefetch(failing(), 1)) void _;
      })(),
    ).rejects.toThrow('boom');
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const x of prefetch(endless(), 1)) if (x === 3) break;
    expect(closed).toBe(true);
  });
});

describe('DeliveryTracker', () => {
  it('settles when every delivery is acknowledged and reports the first failure', async () => {
    const t = new DeliveryTracker();
    let resolveA!: () => void;
    t.track(new Promise<void>((r) => (resolveA = r)));
    t.track(Promise.reject(new Error('first')));
    t.track(Promise.reject(new Error('second')));
    expect(t.outstanding).toBe(3);
    let settled = false;
    const done = t.settled().catch((e: Error) => {
      settled = true;
      return e.message;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(settled).toBe(false);
    resolveA();
    expect(await done).toBe('first');
  });

  it('below(n) waits until at most n deliveries are outstanding', async () => {
    const t = new DeliveryTracker();
    const resolvers: Array<() => void> = [];
    for (let i = 0; i < 4; i++) t.track(new Promise<void>((r) => resolvers.push(r)));
    let through = false;
    const waiting = t.below(2).then(() => (through = true));
    resolvers[0]!();
    await new Promise((r) => setTimeout(r, 1));
    expect(through).toBe(false);
    resolvers[1]!();
    await waiting;
    expect(t.outstanding).toBe(2);
  });
});

describe('summary table', () => {
  it('shows stream, mode, records, pages, topic, duration and status with totals', () => {
    const p = (stream: string, extra: Partial<StreamProgress>): StreamProgress => ({
      stream,
      topic: `ashby.${stream}`,
      mode: 'full',
      phase: 'done',
      records: 0,
      pages: 0,
      bytes: 0,
      calls: 0,
      restarts: 0,
      startedAt: 0,
      endedAt: 1500,
      ...extra,
    });
    const text = formatSummary(
      [
        p('candidates', { records: 250, pages: 3 }),
        p('offers', { mode: '-', phase: 'skipped', detail: 'no Offers read permission', startedAt: undefined }),
      ],
      2000,
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STREAM\s+MODE\s+RECORDS\s+PAGES\s+TOPIC\s+DURATION\s+STATUS$/);
    expect(lines[1]).toMatch(/^candidates\s+full\s+250\s+3\s+ashby\.candidates\s+1\.5s\s+ok$/);
    expect(lines[2]).toMatch(/^offers\s+-\s+0\s+0\s+ashby\.offers\s+0ms\s+skipped: no Offers read permission$/);
    expect(lines[3]).toMatch(/^total\s+250\s+3\s+2\.0s$/);
  });
});

describe('FileStateStore', () => {
  it('round-trips positions per topic and replaces the file atomically', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'state-')), 'nested', 'state.json');
    const a = new FileStateStore(path);
    expect((await a.load(['ashby.candidates'])).size).toBe(0);
    await Promise.all([
      a.save('ashby.candidates', { stream: 'candidates', syncToken: 't1', updatedAt: 'x', runId: 'r' }),
      a.save('ashby.jobs', {
        stream: 'jobs',
        pass: { mode: 'full', cursor: 'c', pages: 2 },
        updatedAt: 'x',
        runId: 'r',
      }),
    ]);
    const b = new FileStateStore(path);
    const loaded = await b.load(['ashby.candidates', 'ashby.jobs', 'ashby.other']);
    expect(loaded.get('ashby.candidates')?.syncToken).toBe('t1');
    expect(loaded.get('ashby.jobs')?.pass).toEqual({ mode: 'full', cursor: 'c', pages: 2 });
    expect(loaded.has('ashby.other')).toBe(false);
    expect(JSON.parse(readFileSync(path, 'utf8')).version).toBe(1);
    // Atomically: each save writes a new file and renames it over the old one (a new inode), so a
    // reader or a crash sees the old file or the new one, never a half-written one; no temp file stays.
    const inode = statSync(path).ino;
    await b.save('ashby.candidates', { stream: 'candidates', syncToken: 't2', updatedAt: 'y', runId: 'r2' });
    expect(statSync(path).ino).not.toBe(inode);
    expect(readdirSync(dirname(path))).toEqual(['state.json']);
    expect((await new FileStateStore(path).load(['ashby.candidates'])).get('ashby.candidates')?.syncToken).toBe('t2');
  });

  it('refuses a corrupt file with a code and a way out', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'state-')), 'state.json');
    writeFileSync(path, '{not json');
    await expect(new FileStateStore(path).load(['x'])).rejects.toMatchObject({
      code: 'SOURCE_STATE_FAILED',
      message: expect.stringContaining('fix or delete it'),
    });
  });

  it('treats malformed entries as "no state"', () => {
    expect(parseStreamState({ syncToken: 'x' })).toBeUndefined();
    expect(parseStreamState({ stream: 's', syncToken: '', pass: { cursor: 1 } })).toEqual({
      stream: 's',
      updatedAt: '',
      runId: '',
    });
  });
});
