import {
  AshbyCursorError,
  AshbySyncTokenError,
  CURSOR_RESTART_CODES,
  SYNC_TOKEN_RESTART_CODES,
  type AshbyPage,
} from '../../../src/ashby/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { drain, rejection, withSandbox } from './helpers.js';

/** docs/ashby-api.md §2.1–2.2 paging against the sandbox: empty pages mid-pass, the final sync token, and every restart code. */
let sb: RunningSandbox;
const pool = withSandbox({ pageSize: { emptyPageEvery: 2 } }, (ready) => (sb = ready));

async function collect<T>(pages: AsyncIterable<AshbyPage<T>>): Promise<AshbyPage<T>[]> {
  const out: AshbyPage<T>[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

describe('a pass with empty pages in the middle', () => {
  it('keeps going while moreDataAvailable, gets every record once, and ends with the sync token', async () => {
    const client = pool.make(sb.url, sb.keys.full);
    const pages = await collect(client.pages<{ id: string }>('candidate.list', {}, { limit: 25 }));
    const empties = pages.filter((p) => p.results.length === 0 && p.moreDataAvailable);
    expect(empties.length).toBeGreaterThan(0);
    const ids = pages.flatMap((p) => p.results.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(sb.admin.stats().counts.candidates);
    const last = pages.at(-1)!;
    expect(last.moreDataAvailable).toBe(false);
    expect(last.syncToken).toEqual(expect.any(String));
    expect(pages.slice(0, -1).every((p) => p.syncToken === undefined)).toBe(true);
    // Exact request bodies: page 1 has limit only; later pages repeat it with the previous cursor.
    const bodies = sb.admin.callLog({ path: '/candidate.list' }).map((e) => e.body as Record<string, unknown>);
    expect(bodies).toHaveLength(pages.length);
    expect(bodies[0]).toEqual({ limit: 25 });
    for (let i = 1; i < pages.length; i++) expect(bodies[i]).toEqual({ limit: 25, cursor: pages[i - 1]!.nextCursor });
  });

  it('an incremental pass from that token returns exactly the records changed since', async () => {
    const client = pool.make(sb.url, sb.keys.full);
    const first = await collect(client.pages<{ id: string }>('candidate.list', {}, { limit: 100 }));
    const token = first.at(-1)!.syncToken!;
    const some = first.flatMap((p) => p.results).slice(0, 3);
    for (const c of some) sb.admin.update('candidate', c.id, { name: `Renamed ${c.id.slice(0, 4)}` });
    sb.admin.resetCallLog();
    const changed = await drain(client.pages<{ id: string }>('candidate.list', {}, { syncToken: token }));
    expect(changed.map((c) => c.id).sort()).toEqual(some.map((c) => c.id).sort());
    expect(sb.admin.callLog({ path: '/candidate.list' })[0]!.body).toEqual({ limit: 100, syncToken: token });
  });

  it('sends the completeness flags of docs/ashby-api.md §2.4 (Draft jobs included)', async () => {
    const jobs = await drain(pool.make(sb.url, sb.keys.full).pages<{ status: string }>('job.list'));
    expect(jobs.some((j) => j.status === 'Draft')).toBe(true);
    expect(sb.admin.callLog({ path: '/job.list' })[0]!.body).toMatchObject({
      status: ['Draft', 'Open', 'Closed', 'Archived'],
    });
  });
});

describe('restart codes surface as typed errors', () => {
  it.each([...SYNC_TOKEN_RESTART_CODES])('%s → AshbySyncTokenError (drop the token, full sync)', async (code) => {
    sb.admin.forceRestart('application.list', code as 'sync_token_expired');
    const err = await rejection(
      drain(pool.make(sb.url, sb.keys.full).pages('application.list', {}, { syncToken: 'some-token' })),
    );
    expect(err).toBeInstanceOf(AshbySyncTokenError);
    expect(err).toMatchObject({ code: 'ASHBY_SYNC_TOKEN_REJECTED', ashbyCode: code, retriable: false });
    expect(err.message).toContain('full sync');
    expect(sb.admin.callLog({ path: '/application.list' })).toHaveLength(1);
  });

  it.each([...CURSOR_RESTART_CODES].filter((c) => c !== 'cursor_invalid'))(
    '%s on page 2 → AshbyCursorError (restart the pass)',
    async (code) => {
      const client = pool.make(sb.url, sb.keys.full);
      const iterator = client.pages('application.list', {}, { limit: 10 })[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      sb.admin.forceRestart('application.list', code as 'next_cursor_expired');
      const err = await rejection(iterator.next());
      expect(err).toBeInstanceOf(AshbyCursorError);
      expect(err).toMatchObject({ code: 'ASHBY_CURSOR_REJECTED', ashbyCode: code, retriable: false });
      expect((err as unknown as { details: Record<string, unknown> }).details).toMatchObject({ pageNumber: 2 });
      expect(err.message).toContain('Restart the pass');
    },
  );

  it('cursor_invalid (seen in third-party tests) → AshbyCursorError too', async () => {
    sb.admin.forceNext('application.list', 1, { errorCode: 'cursor_invalid' });
    expect(await rejection(drain(pool.make(sb.url, sb.keys.full).pages('application.list')))).toBeInstanceOf(
      AshbyCursorError,
    );
  });

  it('naturally expired and invalidated tokens and cursors give the same errors', async () => {
    const client = pool.make(sb.url, sb.keys.full);
    const pages = await collect(client.pages('offer.list', {}, { limit: 100 }));
    const token = pages.at(-1)!.syncToken!;
    sb.admin.expireSyncTokens();
    expect(await rejection(drain(client.pages('offer.list', {}, { syncToken: token })))).toMatchObject({
      ashbyCode: 'sync_token_expired',
    });
    const it = client.pages('application.list', {}, { limit: 5 })[Symbol.asyncIterator]();
    await it.next();
    sb.admin.invalidateCursors();
    expect(await rejection(it.next())).toMatchObject({ ashbyCode: 'invalid_next_cursor' });
  });
});
