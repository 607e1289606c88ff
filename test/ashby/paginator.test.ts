import { AshbyClient } from '../../src/ashby/client.js';
import { AshbyCursorError, AshbyInvalidResponseError, AshbySyncTokenError } from '../../src/ashby/errors.js';
import { AshbyPagingUsageError, firstPageBody } from '../../src/ashby/paginator.js';
import type { AshbyPage } from '../../src/ashby/types.js';
import { clearSecretsForTests } from '../../src/log/secrets.js';
import { fail, ok, startFakeAshby, type FakeAshby } from './fake-ashby.js';
import { withAshbyDefaults } from '../../src/config/ashby-options.js';

let fake: FakeAshby;
let client: AshbyClient;

beforeEach(async () => {
  fake = await startFakeAshby();
  client = new AshbyClient(
    withAshbyDefaults({
      apiKey: 'paging_test_key_0000',
      baseUrl: fake.url,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      rate: { requestsPerSecond: 10_000, burst: 10_000 },
    }),
  );
});
afterEach(async () => {
  await client.close();
  await fake.close();
  clearSecretsForTests();
});

async function collect<T>(it: AsyncIterable<AshbyPage<T>>): Promise<AshbyPage<T>[]> {
  const out: AshbyPage<T>[] = [];
  for await (const p of it) out.push(p);
  return out;
}

const bodies = (): unknown[] => fake.requests.map((r) => r.body);

describe('pages()', () => {
  it('continues across an empty intermediate page, repeats the body with the cursor and exposes the final syncToken', async () => {
    fake.enqueue(
      'candidate.list',
      ok([{ id: 'c1' }, { id: 'c2' }], { moreDataAvailable: true, nextCursor: 'bB' }),
      ok([], { moreDataAvailable: true, nextCursor: 'Ya6' }),
      ok([{ id: 'c3' }], { moreDataAvailable: false, syncToken: 'Q7xkP2mVa' }),
    );
    const pages = await collect(
      client.pages<{ id: string }>('candidate.list', { createdAfter: 1700000000000 }, { limit: 2 }),
    );
    expect(
      pages.map((p) => [p.pageNumber, p.results.map((r) => r.id), p.moreDataAvailable, p.nextCursor, p.syncToken]),
    ).toEqual([
      [1, ['c1', 'c2'], true, 'bB', undefined],
      [2, [], true, 'Ya6', undefined],
      [3, ['c3'], false, undefined, 'Q7xkP2mVa'],
    ]);
    expect(bodies()).toEqual([
      { createdAfter: 1700000000000, limit: 2 },
      { createdAfter: 1700000000000, limit: 2, cursor: 'bB' },
      { createdAfter: 1700000000000, limit: 2, cursor: 'Ya6' },
    ]);
  });

  it('runs an incremental pass: syncToken on every page, limit 100 by default', async () => {
    fake.enqueue(
      'application.list',
      ok([{ id: 'a1' }], { moreDataAvailable: true, nextCursor: 'x8FJ' }),
      ok([{ id: 'a2' }], { moreDataAvailable: false, syncToken: 'nRW7mj0zY' }),
    );
    const pages = await collect(client.pages('application.list', {}, { syncToken: 'qQW6pmNv7' }));
    expect(pages.at(-1)!.syncToken).toBe('nRW7mj0zY');
    expect(bodies()).toEqual([
      { limit: 100, syncToken: 'qQW6pmNv7' },
      { limit: 100, syncToken: 'qQW6pmNv7', cursor: 'x8FJ' },
    ]);
  });

  it('applies the completeness flags (docs/ashby-api.md §2.4) unless told not to, and the caller wins on conflicts', async () => {
    fake.fallback('job.list', () => ok([], { moreDataAvailable: false, syncToken: 't' }));
    await collect(client.pages('job.list'));
    await collect(client.pages('job.list', { status: ['Open'] }));
    await collect(client.pages('job.list', {}, { completeness: false }));
    expect(bodies()).toEqual([
      { status: ['Draft', 'Open', 'Closed', 'Archived'], includeUnpublishedJobPostingsIds: true, limit: 100 },
      { status: ['Open'], includeUnpublishedJobPostingsIds: true, limit: 100 },
      { limit: 100 },
    ]);
  });

  it('sends no limit to single-page endpoints and stops after their one page', async () => {
    fake.enqueue('source.list', ok([{ id: 's1' }], { moreDataAvailable: false }));
    const pages = await collect(client.pages('source.list'));
    expect(pages).toHaveLength(1);
    expect(bodies()).toEqual([{ includeArchived: true }]);
  });

  it('treats a missing moreDataAvailable as the last page (jobPosting.list sends none)', async () => {
    fake.enqueue('jobPosting.list', ok([{ id: 'p1' }]));
    const pages = await collect(client.pages('jobPosting.list'));
    expect(pages).toEqual([
      { results: [{ id: 'p1' }], requestId: '01JZ00000000000000000000HD', pageNumber: 1, moreDataAvailable: false },
    ]);
  });

  it.each(['sync_token_expired', 'sync_token_invalid', 'incremental_sync_too_large'])(
    '%s raises AshbySyncTokenError (fall back to a full sync)',
    async (code) => {
      fake.enqueue('candidate.list', ok([{ id: 'c1' }], { moreDataAvailable: true, nextCursor: 'bB' }), fail(code));
      const seen: string[] = [];
      const err = await (async () => {
        for await (const p of client.pages<{ id: string }>('candidate.list', {}, { syncToken: 'old' }))
          seen.push(...p.results.map((r) => r.id));
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AshbySyncTokenError);
      expect(err).toMatchObject({
        ashbyCode: code,
        details: { pageNumber: 2, incremental: true, endpoint: 'candidate.list' },
      });
      expect(seen).toEqual(['c1']);
      expect(fake.requests).toHaveLength(2);
    },
  );

  it.each(['next_cursor_expired', 'invalid_next_cursor'])(
    '%s raises AshbyCursorError (restart the pass)',
    async (code) => {
      fake.enqueue('candidate.list', ok([{ id: 'c1' }], { moreDataAvailable: true, nextCursor: 'bB' }), fail(code));
      const err = await collect(client.pages('candidate.list')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AshbyCursorError);
      expect(err).toMatchObject({ ashbyCode: code, details: { pageNumber: 2, incremental: false } });
      expect(fake.requests).toHaveLength(2);
    },
  );

  it('refuses to loop forever on a page that claims more data without a new cursor', async () => {
    fake.enqueue('candidate.list', ok([], { moreDataAvailable: true }));
    await expect(collect(client.pages('candidate.list'))).rejects.toBeInstanceOf(AshbyInvalidResponseError);
    fake.enqueue(
      'user.list',
      ok([], { moreDataAvailable: true, nextCursor: 'same' }),
      ok([], { moreDataAvailable: true, nextCursor: 'same' }),
    );
    await expect(collect(client.pages('user.list'))).rejects.toThrow(/the same nextCursor twice/);
  });

  it('retries a 5xx page transparently without losing the cursor', async () => {
    fake.enqueue(
      'department.list',
      ok([{ id: 'd1' }], { moreDataAvailable: true, nextCursor: 'c2' }),
      { status: 502, text: 'gateway' },
      ok([{ id: 'd2' }], { moreDataAvailable: false, syncToken: 'tok' }),
    );
    const pages = await collect(client.pages('department.list'));
    expect(pages.flatMap((p) => p.results)).toEqual([{ id: 'd1' }, { id: 'd2' }]);
    expect(bodies().slice(1)).toEqual([
      { includeArchived: true, limit: 100, cursor: 'c2' },
      { includeArchived: true, limit: 100, cursor: 'c2' },
    ]);
  });
});

describe('firstPageBody', () => {
  it('rejects a sync token on endpoints without incremental sync, and out-of-range page sizes', () => {
    expect(() => firstPageBody('source.list', {}, { syncToken: 't' })).toThrow(AshbyPagingUsageError);
    expect(() => firstPageBody('application.listHistory', {}, { syncToken: 't' })).toThrow(
      /does not support incremental sync/,
    );
    expect(() => firstPageBody('candidate.list', {}, { limit: 101 })).toThrow(/1 to 100/);
    expect(() => firstPageBody('candidate.list', {}, { limit: 0 })).toThrow(AshbyPagingUsageError);
    expect(firstPageBody('application.listHistory', { applicationId: 'a' }, {})).toEqual({
      applicationId: 'a',
      limit: 100,
    });
  });

  it('does not share the completeness arrays between requests', () => {
    const a = firstPageBody('job.list', {}, {});
    (a.status as string[]).push('Bogus');
    expect(firstPageBody('job.list', {}, {}).status).toEqual(['Draft', 'Open', 'Closed', 'Archived']);
  });
});
