import { fixture } from './helpers/sandbox-fixture.js';

/** Lists (docs/ashby-api.md §2): page size, cursors, sync-token placement, empty pages, created-at windows. */

const f = fixture({ scale: 250 });

describe('limit', () => {
  it('defaults to 100 and caps pages at it', () => {
    const page = f.ok('candidate.list');
    expect(page.results).toHaveLength(100);
    expect(page.moreDataAvailable).toBe(true);
  });

  it.each([[0], [101], [-1], [2.5], ['abc'], [true]])('rejects limit %j with invalid_input', (limit) => {
    const r = f.call('candidate.list', { limit });
    expect([r.status, r.json.errorInfo.code]).toEqual([200, 'invalid_input']);
  });

  it('coerces numeric strings, as Ashby does since its schema-validation migration', () => {
    expect(f.ok('candidate.list', { limit: '25' }).results).toHaveLength(25);
  });
});

describe('cursors and sync tokens', () => {
  it('walks every record exactly once; nextCursor absent and syncToken present only on the last page', () => {
    const { records, pages, syncToken } = f.all('candidate.list', { limit: 60 });
    expect(records).toHaveLength(250);
    expect(new Set(records.map((c) => c.id)).size).toBe(250);
    for (const p of pages.slice(0, -1)) {
      expect(p.json.moreDataAvailable).toBe(true);
      expect(typeof p.json.nextCursor).toBe('string');
      expect('syncToken' in p.json).toBe(false);
    }
    const last = pages[pages.length - 1]!.json;
    expect('nextCursor' in last).toBe(false);
    expect(typeof syncToken).toBe('string');
  });

  it('sends no syncToken on cursor-only and single-page lists', () => {
    const app = f.ok('application.list', { status: 'Archived', limit: 1 }).results[0];
    const history = f.ok('application.listHistory', { applicationId: app.id, limit: 1 });
    expect(history.moreDataAvailable).toBe(true);
    const { pages } = f.all('application.listHistory', { applicationId: app.id, limit: 1 });
    expect(pages.every((p) => !('syncToken' in p.json))).toBe(true);
    expect(Object.keys(f.ok('source.list'))).toEqual(['success', 'results', 'moreDataAvailable']);
    expect(Object.keys(f.ok('archiveReason.list'))).toEqual(['success', 'results']);
  });

  it('lets the cursor alone identify the pass: later filters and a resent syncToken change nothing', () => {
    const first = f.ok('job.list', { limit: 2, status: ['Open'] });
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = f.ok('job.list', { cursor: first.nextCursor, limit: 2 });
    expect(second.results).toHaveLength(2);
    expect(second.results.every((j: any) => j.status === 'Open')).toBe(true);
    const token = f.all('job.list').syncToken;
    const inc = f.ok('job.list', { syncToken: token, limit: 1 });
    expect(inc.results).toEqual([]);
    const withBoth = f.ok('job.list', { limit: 2, status: ['Open'] });
    const again = f.ok('job.list', { cursor: withBoth.nextCursor, syncToken: token, limit: 2 });
    expect(again.results).toEqual(second.results);
  });

  it('treats null cursor and syncToken as absent', () => {
    expect(f.ok('candidate.list', { cursor: null, syncToken: null, limit: 3 }).results.map((c: any) => c.id)).toEqual(
      f.ok('candidate.list', { limit: 3 }).results.map((c: any) => c.id),
    );
  });

  it('gives the same page again for a retried cursor', () => {
    const first = f.ok('application.list', { limit: 10 });
    expect(f.ok('application.list', { cursor: first.nextCursor, limit: 10 })).toEqual(
      f.ok('application.list', { cursor: first.nextCursor, limit: 10 }),
    );
  });

  it('refuses a cursor of another list with invalid_next_cursor', () => {
    const cursor = f.ok('candidate.list', { limit: 5 }).nextCursor;
    expect(f.call('application.list', { cursor }).json.errorInfo.code).toBe('invalid_next_cursor');
  });
});

describe('page-shape knobs', () => {
  it('returns empty intermediate pages that still carry moreDataAvailable and a cursor', () => {
    const g = fixture({ scale: 250, pageSize: { emptyPageEvery: 2 } });
    const { records, pages } = g.all('candidate.list', { limit: 50 });
    expect(records).toHaveLength(250);
    const empty = pages.filter((p) => p.json.results.length === 0);
    expect(empty.length).toBeGreaterThan(0);
    for (const p of empty) expect(p.json).toMatchObject({ moreDataAvailable: true, nextCursor: expect.any(String) });
  });

  it('caps pages below limit with maxPerPage', () => {
    const g = fixture({ scale: 250, pageSize: { maxPerPage: 7 } });
    expect(g.ok('candidate.list', { limit: 100 }).results).toHaveLength(7);
  });
});

describe('createdAfter / createdBefore', () => {
  const all = f.all('candidate.list').records;
  const times = all.map((c) => Date.parse(c.createdAt)).sort((a, b) => a - b);
  const after = times[100]!;
  const before = times[200]!;

  it('filters on creation time in epoch milliseconds, exclusive', () => {
    const got = f.all('candidate.list', { createdAfter: after, createdBefore: before }).records;
    expect(got.map((c) => c.id).sort()).toEqual(
      all
        .filter((c) => Date.parse(c.createdAt) > after && Date.parse(c.createdAt) < before)
        .map((c) => c.id)
        .sort(),
    );
    expect(got).toHaveLength(99);
  });

  it('works on applications too, and keeps the filter across pages', () => {
    const apps = f.all('application.list').records;
    const cut = Date.parse(apps[Math.floor(apps.length / 2)].createdAt);
    const got = f.all('application.list', { createdAfter: cut, limit: 20 }).records;
    expect(got.map((a) => a.id).sort()).toEqual(
      apps
        .filter((a) => Date.parse(a.createdAt) > cut)
        .map((a) => a.id)
        .sort(),
    );
  });

  it.each([
    [{ createdAfter: Date.parse('2030-01-01') }, 'createdAfter must not be in the future'],
    [{ createdBefore: Date.parse('2030-01-01') }, 'createdBefore must not be in the future'],
    [{ createdAfter: 2000, createdBefore: 1000 }, 'createdAfter must not be later than createdBefore'],
    [{ createdAfter: 'yesterday' }, 'createdAfter must be an integer'],
  ])('rejects %j with invalid_input', (body, message) => {
    const r = f.call('candidate.list', body);
    expect(r.json.errorInfo).toMatchObject({ code: 'invalid_input', message: expect.stringContaining(message) });
  });
});

describe('completeness filters (docs/ashby-api.md §2.4)', () => {
  it.each([
    ['job.list', {}, { status: ['Draft', 'Open', 'Closed', 'Archived'] }, (r: any) => r.status === 'Draft'],
    ['user.list', {}, { includeDeactivated: true }, (r: any) => !r.isEnabled],
    ['department.list', {}, { includeArchived: true }, (r: any) => r.isArchived],
    ['location.list', {}, { includeLocationHierarchy: true }, (r: any) => r.type === 'LocationHierarchy'],
    ['location.list', {}, { includeArchived: true }, (r: any) => r.isArchived],
    ['source.list', {}, { includeArchived: true }, (r: any) => r.isArchived],
    ['archiveReason.list', {}, { includeArchived: true }, (r: any) => r.isArchived],
    ['candidateTag.list', {}, { includeArchived: true }, (r: any) => r.isArchived],
    ['customField.list', {}, { includeArchived: true }, (r: any) => r.isArchived],
    ['interview.list', {}, { includeNonSharedInterviews: true }, (r: any) => r.jobId !== undefined],
    ['interviewerPool.list', {}, { includeArchivedPools: true }, (r: any) => r.isArchived],
  ])('%s leaves out records by default, includes them with %j', (endpoint, base, flag, matches) => {
    expect(f.all(endpoint, base).records.some(matches)).toBe(false);
    expect(f.all(endpoint, { ...base, ...flag }).records.some(matches)).toBe(true);
  });
});
