import { describe, expect, it } from '@jest/globals';
import { AshbyCursorError, AshbySyncTokenError, type AshbyPage, type PagesOptions } from '../../src/ashby/index.js';
import { JsonSlice } from '../../src/json/bytes.js';
import { DEFAULT_CATALOG } from '../../src/source/catalog.js';
import { readStream, type ListSource, type ReadBatch, type ReadEvent } from '../../src/source/stream-reader.js';
import type { StreamPosition } from '../../src/source/position.js';
import { liveSandbox } from '../support/source-fakes.js';

const stream = (n: string) => DEFAULT_CATALOG.get(n)!;
const top = (n: string) => DEFAULT_CATALOG.parentOf(stream(n)) ?? stream(n);

async function collect(
  source: ListSource,
  name: string,
  start: StreamPosition,
  mode: 'incremental' | 'full_refresh' = 'incremental',
): Promise<ReadEvent[]> {
  const out: ReadEvent[] = [];
  for await (const ev of readStream(source, stream(name), top(name), start, { mode })) out.push(ev);
  return out;
}
const batches = (evs: ReadEvent[]) => evs.filter((e): e is ReadBatch => e.kind === 'batch');

describe('readStream against the sandbox (exact requests)', () => {
  const live = liveSandbox({ seed: 2, scale: 250 });
  const bodies = (path: string) => live.sandbox.admin.callLog({ path }).map((c) => c.body);

  it('pages a full pass with limit 100 and the cursor, ending with the new sync token', async () => {
    live.sandbox.admin.resetCallLog();
    const evs = await collect(live.client, 'candidates', {});
    const b = batches(evs);
    // Full pages of candidates are large: their records stay bytes until they are read.
    expect(b[0]!.records.every((r) => r.json !== undefined)).toBe(true);
    expect(b[0]!.records[0]!.value).toEqual(
      JSON.parse(
        b[0]!.records[0]!.json!.src.toString('utf8', b[0]!.records[0]!.json!.start, b[0]!.records[0]!.json!.end),
      ),
    );
    expect(b.map((x) => [x.pageNumber, x.records.length, x.mode, x.last])).toEqual([
      [1, 100, 'full', false],
      [2, 100, 'full', false],
      [3, 50, 'full', true],
    ]);
    const sent = bodies('/candidate.list') as Array<Record<string, unknown>>;
    expect(sent[0]).toEqual({ limit: 100 });
    expect(sent[1]).toEqual({ limit: 100, cursor: b[0]!.position.pass!.cursor });
    expect(b[2]!.position).toEqual({ syncToken: expect.any(String) });
    expect(b[0]!.position.pass).toEqual({ mode: 'full', cursor: expect.any(String), pages: 1 });
    expect(b.flatMap((x) => x.records.map((r) => r.key))).toHaveLength(250);
  });

  it('sends the stored token on an incremental pass, and the completeness flags', async () => {
    const first = batches(await collect(live.client, 'jobs', {}));
    const token = first.at(-1)!.position.syncToken!;
    live.sandbox.admin.resetCallLog();
    const evs = batches(await collect(live.client, 'jobs', { syncToken: token }));
    expect(evs.map((e) => [e.mode, e.records.length])).toEqual([['incremental', 0]]);
    expect(bodies('/job.list')).toEqual([
      {
        status: ['Draft', 'Open', 'Closed', 'Archived'],
        includeUnpublishedJobPostingsIds: true,
        limit: 100,
        syncToken: token,
      },
    ]);
  });

  it('sends the exact bodies of the new streams: surveyType, includeDisabled, and the parent id per child', async () => {
    live.sandbox.admin.resetCallLog();
    await collect(live.client, 'survey_submissions', {});
    await collect(live.client, 'source_tracking_links', {});
    const pauses = batches(await collect(live.client, 'user_interviewer_pauses', {}));
    expect(bodies('/surveySubmission.list')[0]).toEqual({ surveyType: 'CandidateExperience', limit: 100 });
    expect(bodies('/sourceTrackingLink.list')).toEqual([{ includeDisabled: true }]);
    const users = bodies('/user.list') as Array<Record<string, unknown>>;
    const perUser = bodies('/user.listInterviewerPauses') as Array<Record<string, unknown>>;
    expect(perUser).toHaveLength(live.sandbox.admin.stats().counts.users!);
    expect(perUser[0]).toEqual({ userId: expect.any(String) });
    expect(users[0]).toEqual({ includeDeactivated: true, limit: 100 });
    expect(pauses.flatMap((b) => b.records).every((r) => r.value.userId !== undefined)).toBe(true);
  });

  it('keys candidate projects by candidateId:projectId, and assessments by assessment_type_id', async () => {
    const projects = batches(await collect(live.client, 'candidate_projects', {}, 'full_refresh')).flatMap(
      (b) => b.records,
    );
    expect(projects.length).toBeGreaterThan(0);
    for (const r of projects) expect(r.key).toBe(`${r.value.candidateId}:${r.value.id}`);
    const assessments = batches(await collect(live.client, 'assessments', {})).flatMap((b) => b.records);
    expect(assessments.map((r) => r.key)).toEqual(assessments.map((r) => r.value.assessment_type_id));
  });

  it('ignores the token in full_refresh mode and never sends one to a single-page list', async () => {
    live.sandbox.admin.resetCallLog();
    await collect(live.client, 'jobs', { syncToken: 'whatever' }, 'full_refresh');
    await collect(live.client, 'sources', { syncToken: 'whatever' });
    expect(bodies('/job.list')[0]).not.toHaveProperty('syncToken');
    expect(bodies('/source.list')).toEqual([{ includeArchived: true }]);
  });

  it('produces only new and changed records of a snapshot stream (no sync token) on incremental passes', async () => {
    const first = batches(await collect(live.client, 'sources', {}));
    expect(first.map((b) => [b.mode, b.last])).toEqual([['full', true]]);
    const all = first[0]!.records.map((r) => r.key);
    const digests = first[0]!.position.digests!;
    expect(Object.keys(digests).sort()).toEqual([...all].sort());

    const idle = batches(await collect(live.client, 'sources', first[0]!.position));
    expect(idle.map((b) => [b.mode, b.records.length])).toEqual([['incremental', 0]]);
    expect(idle[0]!.position.digests).toEqual(digests);

    live.sandbox.admin.update('source', all[1]!, { title: 'Renamed source' });
    const changed = batches(await collect(live.client, 'sources', idle[0]!.position));
    expect(changed.map((b) => [b.mode, b.records.map((r) => r.key)])).toEqual([['incremental', [all[1]]]]);
    expect(changed[0]!.records[0]!.value.title).toBe('Renamed source');
    expect(changed[0]!.position.digests![all[1]!]).not.toBe(digests[all[1]!]);

    const refresh = batches(await collect(live.client, 'sources', changed[0]!.position, 'full_refresh'));
    expect(refresh[0]!.records).toHaveLength(all.length);
    expect(refresh[0]!.position.digests).toBeUndefined();
  });

  it('resumes an unfinished pass from its cursor', async () => {
    const b = batches(await collect(live.client, 'candidates', {}));
    live.sandbox.admin.resetCallLog();
    const resumed = batches(await collect(live.client, 'candidates', b[0]!.position));
    expect(resumed.map((x) => x.pageNumber)).toEqual([2, 3]);
    expect(resumed.flatMap((x) => x.records.map((r) => r.key))).toEqual(
      b.slice(1).flatMap((x) => x.records.map((r) => r.key)),
    );
    expect((bodies('/candidate.list')[0] as Record<string, unknown>).cursor).toBe(b[0]!.position.pass!.cursor);
  });

  it('finds a changed interview stage whose plan did not change (children re-read, compared by digest)', async () => {
    const first = batches(await collect(live.client, 'interview_stages', {}));
    const last = first.at(-1)!;
    expect(last.mode).toBe('full');
    const stage = first[0]!.records[0]!;
    live.sandbox.admin.update('interviewStage', stage.key, { title: 'Renamed stage' });
    live.sandbox.admin.resetCallLog();
    const next = batches(await collect(live.client, 'interview_stages', last.position));
    expect(next.flatMap((b) => b.records.map((r) => r.key))).toEqual([stage.key]);
    expect(next.every((b) => b.mode === 'incremental')).toBe(true);
    // every plan was listed again, without a sync token, and every plan's stages read
    expect(bodies('/interviewPlan.list').every((b) => !(b as Record<string, unknown>).syncToken)).toBe(true);
    expect(bodies('/interviewStage.list')).toHaveLength(first.reduce((n, b) => n + b.calls - 1, 0));
  });

  it('reads a child stream once per parent record, naming the parent in each request', async () => {
    live.sandbox.admin.resetCallLog();
    const b = batches(await collect(live.client, 'interview_stages', {}));
    const plans = bodies('/interviewPlan.list');
    const stageCalls = bodies('/interviewStage.list') as Array<Record<string, unknown>>;
    expect(plans).toHaveLength(1);
    expect(stageCalls.length).toBe(b[0]!.calls - 1);
    expect(stageCalls.every((c) => typeof c.interviewPlanId === 'string')).toBe(true);
    expect(b[0]!.records.every((r) => stageCalls.some((c) => c.interviewPlanId === r.value.interviewPlanId))).toBe(
      true,
    );
  });

  it('adds the parent id to child records that lack it', async () => {
    const b = batches(await collect(live.client, 'candidate_notes', {}));
    const records = b.flatMap((x) => x.records);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => typeof r.value.candidateId === 'string')).toBe(true);
  });
});

/** A list of `pages` pages of 2 records that fails once with `error` when asked for page `failAt`. */
function fakeList(
  pages: number,
  failAt: number,
  error: Error,
): ListSource & { calls: Array<{ body: Record<string, unknown>; options: PagesOptions }> } {
  let failed = false;
  const calls: Array<{ body: Record<string, unknown>; options: PagesOptions }> = [];
  return {
    calls,
    async *pages<T>(
      _endpoint: string,
      body: Record<string, unknown> = {},
      options: PagesOptions = {},
    ): AsyncIterable<AshbyPage<T>> {
      calls.push({ body, options });
      const startPage = typeof body.cursor === 'string' ? Number(body.cursor.slice(1)) : 1;
      for (let p = startPage, n = 1; p <= pages; p++, n++) {
        if (p === failAt && !failed) {
          failed = true;
          throw error;
        }
        const last = p === pages;
        yield {
          results: [{ id: `r${p}a` }, { id: `r${p}b` }] as T[],
          pageNumber: n,
          moreDataAvailable: !last,
          ...(last ? { syncToken: 'new-token' } : { nextCursor: `c${p + 1}` }),
        };
      }
    },
  };
}

describe('readStream restarts (docs/ashby-api.md §2.2)', () => {
  it('drops a rejected sync token and runs a full pass from page 1', async () => {
    const list = fakeList(
      3,
      2,
      new AshbySyncTokenError('sync_token_expired', undefined, { endpoint: 'candidate.list' }),
    );
    const evs = await collect(list, 'candidates', { syncToken: 'old' });
    expect(
      evs.map((e) => (e.kind === 'restart' ? `restart:${e.restart}:${e.ashbyCode}` : `${e.mode}:${e.pageNumber}`)),
    ).toEqual(['incremental:1', 'restart:full:sync_token_expired', 'full:1', 'full:2', 'full:3']);
    expect(list.calls.map((c) => c.options.syncToken)).toEqual(['old', undefined]);
    expect(batches(evs).at(-1)!.position).toEqual({ syncToken: 'new-token' });
  });

  it('restarts the pass from page 1 with the same token when a cursor is rejected midway', async () => {
    const list = fakeList(3, 3, new AshbyCursorError('next_cursor_expired', undefined, { endpoint: 'candidate.list' }));
    const evs = await collect(list, 'candidates', { syncToken: 'old' });
    expect(evs.map((e) => (e.kind === 'restart' ? `restart:${e.restart}` : `${e.mode}:${e.pageNumber}`))).toEqual([
      'incremental:1',
      'incremental:2',
      'restart:pass',
      'incremental:1',
      'incremental:2',
      'incremental:3',
    ]);
    expect(list.calls.map((c) => [c.options.syncToken, c.body.cursor])).toEqual([
      ['old', undefined],
      ['old', undefined],
    ]);
  });

  it('gives up after repeated restarts with the Ashby error', async () => {
    const always: ListSource = {
      // eslint-disable-next-line require-yield
      async *pages() {
        throw new AshbyCursorError('invalid_next_cursor', undefined, { endpoint: 'candidate.list' });
      },
    };
    await expect(collect(always, 'candidates', {})).rejects.toMatchObject({ code: 'ASHBY_CURSOR_REJECTED' });
  });

  it("asks for a top-level stream's records as bytes, and for parsed records where it digests or reads parent ids", async () => {
    const asked = async (name: string): Promise<boolean | undefined> => {
      const list = fakeList(1, 0, new Error('unused'));
      await collect(list, name, {});
      return list.calls[0]!.options.slices;
    };
    expect(await asked('candidates')).toBe(true);
    expect(await asked('interview_stages')).toBeUndefined(); // a child stream: its parents' ids
    const snapshot = fakeList(1, 0, new Error('unused'));
    await collect(snapshot, 'sources', { digests: {} }); // no sync token: digests of parsed records
    expect(snapshot.calls[0]!.options.slices).toBeUndefined();
  });

  it('keys a record read as bytes by its first id, and by the parsed value once that is read', async () => {
    const slice = (text: string): JsonSlice => new JsonSlice(Buffer.from(`[${text}]`), 1, 1 + Buffer.byteLength(text));
    const list: ListSource = {
      async *pages<T>() {
        yield {
          results: [
            slice('{"id":"plain","name":"Ada"}'),
            slice('{"id":"a\\u0062"}'), // an escaped id: parsed at once
            slice('{"id":"first","id":"last"}'), // JSON.parse keeps the last
            slice('{"id":"broken",'),
          ] as T[],
          pageNumber: 1,
          moreDataAvailable: false,
        };
      },
    };
    const [batch] = batches(await collect(list, 'candidates', {}));
    const [plain, escaped, repeated, broken] = batch!.records;
    expect([plain!.key, plain!.json?.start]).toEqual(['plain', 1]);
    expect(plain!.value).toEqual({ id: 'plain', name: 'Ada' });
    expect([escaped!.key, escaped!.json]).toEqual(['ab', undefined]);
    expect(repeated!.key).toBe('first');
    expect(repeated!.value).toEqual({ id: 'last' });
    expect(repeated!.key).toBe('last');
    expect(broken!.key).toBe('broken');
    expect(() => broken!.value).toThrow(expect.objectContaining({ code: 'ASHBY_INVALID_RESPONSE' }));
  });

  it('fails on a record without an id instead of producing a keyless message', async () => {
    const list: ListSource = {
      async *pages<T>() {
        yield { results: [{ name: 'no id' }] as T[], pageNumber: 1, moreDataAvailable: false };
      },
    };
    await expect(collect(list, 'candidates', {})).rejects.toMatchObject({ code: 'ASHBY_INVALID_RESPONSE' });
  });
});
