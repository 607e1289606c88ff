import { describe, expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AshbyEnvelope } from '../../src/ashby/classify.js';
import { paginate, type EnvelopeFetcher } from '../../src/ashby/paginator.js';
import type { AshbyPage, PagesOptions } from '../../src/ashby/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { DEFAULT_CATALOG } from '../../src/source/catalog.js';
import { readStream, type ListSource, type ReadBatch, type ReadEvent } from '../../src/source/stream-reader.js';

/**
 * A parsed page must be collectable as soon as its consumer is done with its records, whether
 * the reader is still waiting at its yield or already fetching the next page
 * (docs/profiles/serve-cpu.md): a suspended generator keeps its locals, and a reader or
 * paginator that held the last page would keep every stream's parsed records alive into V8's
 * old generation while the encoded page waits for the producer. Checked with a full collection
 * and a WeakRef to a record of the first page.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const candidates = DEFAULT_CATALOG.get('candidates')!;

function pageOf(from: number, more: boolean): AshbyEnvelope {
  const results = Array.from({ length: 50 }, (_, i) => ({ id: `c-${from + i}`, name: `Candidate ${from + i}` }));
  return { success: true, results, moreDataAvailable: more, ...(more ? { nextCursor: `after-${from}` } : {}) };
}

describe('the reader releases a page once its consumer is done with it', () => {
  it('lets the first page be collected while the reader waits at its yield and while the second page is fetched', async () => {
    let released!: () => void;
    const secondPage = new Promise<void>((resolve) => (released = resolve));
    let firstRecord: WeakRef<object> | undefined;
    const fetcher: EnvelopeFetcher = async (_endpoint, body) => {
      if (body.cursor === undefined) {
        const envelope = pageOf(0, true);
        firstRecord = new WeakRef((envelope.results as object[])[0]!);
        return { envelope, requestId: 'r1' };
      }
      await secondPage;
      return { envelope: pageOf(50, false), requestId: 'r2' };
    };
    const source: ListSource = {
      pages: <T>(endpoint: string, body: Record<string, unknown> = {}, options: PagesOptions = {}) =>
        paginate<T>(fetcher, endpoint, body, options, silentLogger) as AsyncIterable<AshbyPage<T>>,
    };
    const events = readStream(source, candidates, candidates, {}, { mode: 'full_refresh' });

    const collected = async (): Promise<boolean> => {
      await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef holds its target until the job ends
      gc();
      return firstRecord!.deref() === undefined;
    };

    let first: IteratorResult<ReadEvent> | undefined = await events.next();
    expect(first.value).toMatchObject({ kind: 'batch', pageNumber: 1 });
    const batch = first.value as ReadBatch;
    expect(batch.records).toHaveLength(50);
    // eslint-disable-next-line no-useless-assignment -- drops the test's own reference
    first = undefined;
    // The reader waits at its yield, holding the batch: the records stay while the batch has them…
    expect(await collected()).toBe(false);
    // …and go once the consumer is done with them (ReadBatch.records), before the next page is asked for,
    batch.records = [];
    expect(await collected()).toBe(true);
    // and also while the next page is being fetched.
    const pending = events.next();
    expect(await collected()).toBe(true);

    released();
    const second = await pending;
    expect(second.value).toMatchObject({ kind: 'batch', pageNumber: 2, last: true });
    expect((await events.next()).done).toBe(true);
  });
});
