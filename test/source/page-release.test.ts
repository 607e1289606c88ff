import { describe, expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AshbyEnvelope } from '../../src/ashby/classify.js';
import { paginate, type EnvelopeFetcher } from '../../src/ashby/paginator.js';
import type { AshbyPage, PagesOptions } from '../../src/ashby/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { DEFAULT_CATALOG } from '../../src/source/catalog.js';
import { readStream, type ListSource, type ReadEvent } from '../../src/source/stream-reader.js';

/**
 * A parsed page must be collectable once its batch is taken, while the reader waits for the
 * next page (docs/profiles/serve-cpu.md): a suspended generator keeps its locals, and a reader
 * that held the last page would keep every stream's parsed records alive into V8's old
 * generation. Checked with a full collection and a WeakRef to a record of the first page.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const candidates = DEFAULT_CATALOG.get('candidates')!;

function pageOf(from: number, more: boolean): AshbyEnvelope {
  const results = Array.from({ length: 50 }, (_, i) => ({ id: `c-${from + i}`, name: `Candidate ${from + i}` }));
  return { success: true, results, moreDataAvailable: more, ...(more ? { nextCursor: `after-${from}` } : {}) };
}

describe('the reader releases a page once its batch is taken', () => {
  it('lets the first page be collected while the second one is being fetched', async () => {
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

    let first: IteratorResult<ReadEvent> | undefined = await events.next();
    expect(first.value).toMatchObject({ kind: 'batch', pageNumber: 1 });
    expect((first.value as { records: unknown[] }).records).toHaveLength(50);
    // eslint-disable-next-line no-useless-assignment -- drops the test's own reference
    first = undefined;
    const pending = events.next(); // the reader resumes and waits for page 2

    await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef holds its target until the job ends
    gc();
    expect(firstRecord!.deref()).toBeUndefined();

    released();
    const second = await pending;
    expect(second.value).toMatchObject({ kind: 'batch', pageNumber: 2, last: true });
    expect((await events.next()).done).toBe(true);
  });
});
