import { RESTART_CODES } from '../../src/sandbox/index.js';
import { fixture } from './helpers/sandbox-fixture.js';

/** Incremental sync and the five restart errors (docs/ashby-api.md §2.2, §2.5). */

const DAY = 86_400_000;

describe('incremental sync', () => {
  it('returns exactly the records written since the token was issued, with bumped updatedAt', () => {
    const f = fixture({ scale: 150 });
    const { syncToken, records } = f.all('candidate.list');
    expect(f.ok('candidate.list', { syncToken }).results).toEqual([]);

    const [a, b] = [records[3], records[40]];
    f.ok('candidate.update', { candidateId: a.id, name: 'Renamed Person' });
    f.ok('candidate.addTag', { candidateId: b.id, tagId: f.ok('candidateTag.list').results[0].id });
    const created = f.ok('candidate.create', { name: 'Brand New' }).results;

    const pass = f.all('candidate.list', { syncToken, limit: 2 });
    expect(pass.records.map((c) => c.id).sort()).toEqual([a.id, b.id, created.id].sort());
    expect(pass.records.find((c) => c.id === a.id).name).toBe('Renamed Person');
    for (const c of pass.records)
      expect(Date.parse(c.updatedAt)).toBeGreaterThan(
        Date.parse(records.find((r) => r.id === c.id)?.updatedAt ?? '1970-01-01'),
      );
    // Chained: the new token sees nothing until the next write.
    expect(f.ok('candidate.list', { syncToken: pass.syncToken }).results).toEqual([]);
  });

  it('sees writes to applications, jobs, offers and custom fields on their own lists', () => {
    const f = fixture({ scale: 150 });
    const tokens = Object.fromEntries(
      ['application.list', 'job.list', 'offer.list'].map((e) => [e, f.all(e).syncToken]),
    );
    const app = f.ok('application.list', { status: 'Active', limit: 1 }).results[0];
    const stage = f
      .ok('interviewStage.list', { interviewPlanId: app.currentInterviewStage.interviewPlanId })
      .results.find((s: any) => s.type === 'Offer');
    f.ok('application.changeStage', { applicationId: app.id, interviewStageId: stage.id });
    const job = f.ok('job.list', { limit: 1 }).results[0];
    const costCenter = f.ok('customField.list').results.find((c: any) => c.title === 'Cost Center');
    f.ok('customField.setValue', {
      objectId: job.id,
      objectType: 'Job',
      fieldId: costCenter.id,
      fieldValue: 'cc_300_g_a',
    });
    const offer = f.ok('offer.list', { offerStatus: ['WaitingOnCandidateResponse'], limit: 1 }).results[0];
    f.ok('offer.setStatus', { offerId: offer.id, acceptanceStatus: 'Declined' });

    expect(f.all('application.list', { syncToken: tokens['application.list'] }).records.map((a) => a.id)).toEqual([
      app.id,
    ]);
    const jobs = f.all('job.list', { syncToken: tokens['job.list'] }).records;
    expect(jobs.map((j) => j.id)).toEqual([job.id]);
    expect(jobs[0].customFields.find((c: any) => c.title === 'Cost Center').value).toBe('cc_300_g_a');
    expect(
      f.all('offer.list', { syncToken: tokens['offer.list'] }).records.map((o) => [o.id, o.acceptanceStatus]),
    ).toEqual([[offer.id, 'Declined']]);
  });

  it('serves a pass from its snapshot: records changed again mid-pass wait for the next pass', () => {
    const f = fixture({ scale: 150 });
    const { syncToken, records } = f.all('candidate.list');
    const [a, b, c] = records;
    for (const x of [a, b, c]) f.ok('candidate.update', { candidateId: x.id, name: `${x.name} v1` });
    const page1 = f.ok('candidate.list', { syncToken, limit: 1 });
    expect(page1.results.map((x: any) => x.id)).toEqual([a.id]);
    f.ok('candidate.update', { candidateId: a.id, name: 'a v2' });
    f.ok('candidate.update', { candidateId: c.id, name: 'c v2' });
    const rest = f.all('candidate.list', { cursor: page1.nextCursor, limit: 1 });
    // c changed after the pass began: its v1 is stale and its v2 belongs to the next pass.
    expect(rest.records.map((x) => x.id)).toEqual([b.id]);
    const next = f.all('candidate.list', { syncToken: rest.syncToken });
    expect(next.records.map((x) => x.name).sort()).toEqual(['a v2', 'c v2']);
  });

  it('does not return deleted records (no tombstones)', () => {
    const f = fixture({ scale: 150 });
    const { syncToken, records } = f.all('candidate.list');
    f.ok('candidate.update', { candidateId: records[0].id, name: 'Soon gone' });
    f.admin.delete('candidate', records[0].id);
    expect(f.all('candidate.list', { syncToken }).records).toEqual([]);
  });

  it('scopes incremental passes of per-parent lists to the parent', () => {
    const f = fixture({ scale: 150 });
    const candidates = f.ok('candidate.list', { limit: 2 }).results;
    const token = f.all('candidate.listNotes', { candidateId: candidates[0].id }).syncToken;
    f.ok('candidate.createNote', { candidateId: candidates[0].id, note: 'mine' });
    f.ok('candidate.createNote', { candidateId: candidates[1].id, note: 'theirs' });
    expect(
      f.all('candidate.listNotes', { candidateId: candidates[0].id, syncToken: token }).records.map((n) => n.content),
    ).toEqual(['mine']);
  });
});

describe('restart errors', () => {
  const envelope = (code: string) => ({
    success: false,
    errors: [code],
    errorInfo: { code, message: expect.any(String), requestId: expect.any(String) },
  });

  it.each(RESTART_CODES.map((c) => [c]))(
    '%s can be forced by the admin, as HTTP 200 with the error envelope',
    (code) => {
      const f = fixture({ scale: 50 });
      f.admin.forceRestart('candidate.list', code, 2);
      for (let i = 0; i < 2; i++) expect(f.call('candidate.list')).toMatchObject({ status: 200, json: envelope(code) });
      expect(f.call('candidate.list').json.success).toBe(true);
      expect(f.admin.callLog({ path: 'candidate.list' }).map((e) => e.errorCode)).toEqual([code, code, null]);
    },
  );

  it('sync_token_invalid: garbage, a token of another list, or after the admin invalidates tokens', () => {
    const f = fixture({ scale: 50 });
    const token = f.all('candidate.list').syncToken!;
    expect(f.call('candidate.list', { syncToken: 'qQW6pmNv7' }).json).toMatchObject(envelope('sync_token_invalid'));
    expect(f.call('application.list', { syncToken: token }).json).toMatchObject(envelope('sync_token_invalid'));
    expect(f.call('candidate.list', { syncToken: `${token.slice(0, -2)}AA` }).json).toMatchObject(
      envelope('sync_token_invalid'),
    );
    f.admin.invalidateSyncTokens();
    expect(f.call('candidate.list', { syncToken: token }).json).toMatchObject(envelope('sync_token_invalid'));
  });

  it('sync_token_expired: past its TTL, after the admin expires tokens, or issued by an earlier sandbox run', () => {
    const f = fixture({ scale: 50, syncTokenTtlMs: 10 * DAY });
    const token = f.all('candidate.list').syncToken!;
    f.admin.advanceClock(9 * DAY);
    expect(f.call('candidate.list', { syncToken: token }).json.success).toBe(true);
    f.admin.advanceClock(2 * DAY);
    expect(f.call('candidate.list', { syncToken: token }).json).toMatchObject(envelope('sync_token_expired'));
    const fresh = f.all('candidate.list').syncToken!;
    f.admin.expireSyncTokens();
    expect(f.call('candidate.list', { syncToken: fresh }).json).toMatchObject(envelope('sync_token_expired'));
    expect(fixture({ scale: 50 }).call('candidate.list', { syncToken: fresh }).json).toMatchObject(
      envelope('sync_token_expired'),
    );
  });

  it('incremental_sync_too_large: an incremental pass needing more pages than allowed', () => {
    const f = fixture({ scale: 50, incrementalMaxPages: 2 });
    const { syncToken, records } = f.all('candidate.list');
    for (const c of records.slice(0, 5)) f.ok('candidate.update', { candidateId: c.id, name: `${c.name} Jr.` });
    expect(f.call('candidate.list', { syncToken, limit: 2 }).json).toMatchObject(
      envelope('incremental_sync_too_large'),
    );
    expect(f.all('candidate.list', { syncToken, limit: 3 }).records).toHaveLength(5);
  });

  it('next_cursor_expired: past its TTL, after the admin expires cursors, or from an earlier sandbox run', () => {
    const f = fixture({ scale: 50, cursorTtlMs: 60_000 });
    const cursor = f.ok('candidate.list', { limit: 5 }).nextCursor;
    f.admin.advanceClock(61_000);
    expect(f.call('candidate.list', { cursor }).json).toMatchObject(envelope('next_cursor_expired'));
    const fresh = f.ok('candidate.list', { limit: 5 }).nextCursor;
    f.admin.expireCursors();
    expect(f.call('candidate.list', { cursor: fresh }).json).toMatchObject(envelope('next_cursor_expired'));
    expect(fixture({ scale: 50 }).call('candidate.list', { cursor: fresh }).json).toMatchObject(
      envelope('next_cursor_expired'),
    );
  });

  it('invalid_next_cursor: garbage or after the admin invalidates cursors', () => {
    const f = fixture({ scale: 50 });
    expect(f.call('candidate.list', { cursor: 'bB' }).json).toMatchObject(envelope('invalid_next_cursor'));
    const cursor = f.ok('candidate.list', { limit: 5 }).nextCursor;
    f.admin.invalidateCursors();
    expect(f.call('candidate.list', { cursor }).json).toMatchObject(envelope('invalid_next_cursor'));
  });

  it('recovers as docs/ashby-api.md §2.2 prescribes: a full pass after a token error, page 1 again after a cursor error', () => {
    const f = fixture({ scale: 50 });
    const first = f.all('candidate.list', { limit: 20 });
    f.admin.expireSyncTokens();
    expect(f.call('candidate.list', { syncToken: first.syncToken }).json.success).toBe(false);
    const full = f.all('candidate.list', { limit: 20 });
    expect(full.records).toHaveLength(50);
    expect(f.ok('candidate.list', { syncToken: full.syncToken }).results).toEqual([]);
  });
});
