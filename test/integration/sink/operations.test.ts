import { header, sandboxIds, sinkFixture, type SinkFixture } from './helpers.js';

/**
 * Every operation of the four command entities, applied by the sink against the sandbox over
 * the real broker and registry, checked through the sandbox's state.
 */
let f: SinkFixture;
let ids: Awaited<ReturnType<typeof sandboxIds>>;

beforeAll(async () => {
  f = await sinkFixture('sink-ops');
  ids = await sandboxIds(f.sandbox);
});
afterAll(async () => f?.close());

async function resultsByKey(): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const m of await f.readAll(f.results)) out.set(m.key!.toString(), await f.decodeResult(m));
  return out;
}

describe('sink operations (Avro commands)', () => {
  it('candidates: create (with custom fields), update, addTag, upsert both ways', async () => {
    const email = `ada.${Date.now()}@example.com`;
    await f.send('candidate', [
      {
        key: 'c-create',
        value: {
          operation: 'create',
          name: 'Ada Lovelace',
          email,
          phoneNumber: '+44 20 7946 0000',
          customFields: [{ fieldId: ids.candidateStringField, fieldValue: 'Ada' }],
        },
      },
      {
        key: 'c-upsert-new',
        value: { operation: 'upsert', name: 'Grace Hopper', email: `grace.${Date.now()}@example.com` },
      },
    ]);
    let run = await f.run();
    expect(run.error).toBeUndefined();
    let results = await resultsByKey();
    const created = results.get('c-create')!;
    expect(created).toMatchObject({
      status: 'ok',
      entity: 'candidate',
      operation: 'create',
      action: 'created',
      error: null,
    });
    const candidateId = created.ashbyId as string;
    const stored = f.sandbox.admin.get('candidate', candidateId)!;
    expect(stored).toMatchObject({ name: 'Ada Lovelace', primaryEmailAddress: { value: email } });
    expect(stored.customFields).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: ids.candidateStringField, value: 'Ada' })]),
    );
    const upserted = results.get('c-upsert-new')!;
    expect(upserted).toMatchObject({ status: 'ok', action: 'created' });
    expect(f.sandbox.admin.get('candidate', upserted.ashbyId as string)).toMatchObject({ name: 'Grace Hopper' });

    await f.send('candidate', [
      {
        key: 'c-create',
        value: { operation: 'update', candidateId, name: 'Ada King', websiteUrl: 'https://ada.example.com' },
      },
      { key: 'c-tag', value: { operation: 'addTag', candidateId, tagId: ids.tagId } },
      { key: 'c-upsert-old', value: { operation: 'upsert', name: 'Ada Byron King', email } },
    ]);
    run = await f.run();
    expect(run.error).toBeUndefined();
    expect(run.summary).toMatchObject({ ok: 3, deadLettered: 0 });
    results = await resultsByKey();
    expect(results.get('c-upsert-old')).toMatchObject({ status: 'ok', action: 'updated', ashbyId: candidateId });
    expect(results.get('c-create')).toMatchObject({
      status: 'ok',
      operation: 'update',
      action: 'updated',
      ashbyId: candidateId,
    });
    expect(results.get('c-tag')).toMatchObject({ status: 'ok', operation: 'addTag', ashbyId: candidateId });
    const after = f.sandbox.admin.get('candidate', candidateId)! as {
      name: string;
      tags: Array<{ id: string }>;
      socialLinks: Array<{ type: string; url: string }>;
    };
    expect(after.tags.map((t) => t.id)).toContain(ids.tagId);
    expect(after.socialLinks).toEqual(expect.arrayContaining([{ type: 'Website', url: 'https://ada.example.com' }]));
    // update and upsert share the key c-create / differ; the upsert ran last of the two names.
    expect(['Ada King', 'Ada Byron King']).toContain(after.name);
    expect(f.sandbox.admin.callLog({ path: '/candidate.create' })).toHaveLength(2);
  });

  it('jobs: create, update, setStatus', async () => {
    const title = `Sink Engineer ${Date.now()}`;
    await f.send('job', [
      {
        key: 'j1',
        value: {
          operation: 'create',
          title,
          teamId: ids.teamId,
          locationId: ids.locationId,
          defaultInterviewPlanId: ids.openJob.defaultInterviewPlanId,
        },
      },
    ]);
    expect((await f.run()).error).toBeUndefined();
    const jobId = (await resultsByKey()).get('j1')!.ashbyId as string;
    expect(f.sandbox.admin.get('job', jobId)).toMatchObject({ title, status: 'Draft' });
    await f.send('job', [
      { key: 'j1', value: { operation: 'update', jobId, title: `${title} II` } },
      { key: 'j1', value: { operation: 'setStatus', jobId, status: 'Open' } },
    ]);
    expect((await f.run()).error).toBeUndefined();
    expect(f.sandbox.admin.get('job', jobId)).toMatchObject({ title: `${title} II`, status: 'Open' });
  });

  it('applications: create, update, changeStage, changeSource (with custom fields)', async () => {
    const cand = f.sandbox.admin.create('candidate', { name: 'Application Person' }) as { id: string };
    await f.send('application', [
      {
        key: 'a1',
        value: {
          operation: 'create',
          candidateId: cand.id,
          jobId: ids.openJob.id,
          customFields: [{ fieldId: ids.applicationLongTextField, fieldValue: 'strong' }],
        },
      },
    ]);
    expect((await f.run()).error).toBeUndefined();
    const applicationId = (await resultsByKey()).get('a1')!.ashbyId as string;
    expect(f.sandbox.admin.get('application', applicationId)).toMatchObject({
      candidate: { id: cand.id },
      job: { id: ids.openJob.id },
    });
    await f.send('application', [
      { key: 'a1', value: { operation: 'update', applicationId, creditedToUserId: ids.adminUserId } },
      { key: 'a1', value: { operation: 'changeStage', applicationId, interviewStageId: ids.stage('Active') } },
      { key: 'a1', value: { operation: 'changeSource', applicationId, sourceId: ids.sourceId } },
    ]);
    const run = await f.run();
    expect(run.error).toBeUndefined();
    expect(run.summary.byOperation).toMatchObject({
      'application.update': { ok: 1 },
      'application.changeStage': { ok: 1 },
      'application.changeSource': { ok: 1 },
    });
    expect(f.sandbox.admin.get('application', applicationId)).toMatchObject({
      status: 'Active',
      currentInterviewStage: { id: ids.stage('Active') },
      source: { id: ids.sourceId },
      creditedToUser: { id: ids.adminUserId },
    });
  });

  it('offers: create (offerProcess.start → offer.start → offer.create), update, startApproval, approve, setStatus', async () => {
    const cand = f.sandbox.admin.create('candidate', { name: 'Offer Person' }) as { id: string };
    const app = f.sandbox.admin.create('application', { candidateId: cand.id, jobId: ids.openJob.id }) as {
      id: string;
    };
    const form = (salary: number) => ({
      fieldSubmissions: [
        { path: '_systemfield_start_date', value: '2027-01-04' },
        { path: '_systemfield_salary', value: { currencyCode: 'USD', value: salary } },
      ],
    });
    await f.send('offer', [
      { key: 'o1', value: { operation: 'create', applicationId: app.id, offerForm: form(150000) } },
    ]);
    expect((await f.run()).error).toBeUndefined();
    const offerId = (await resultsByKey()).get('o1')!.ashbyId as string;
    expect(f.sandbox.admin.get('offer', offerId)).toMatchObject({
      applicationId: app.id,
      latestVersion: { salary: { value: 150000 } },
    });

    await f.send('offer', [{ key: 'o1', value: { operation: 'update', offerId, offerForm: form(160000) } }]);
    expect((await f.run()).error).toBeUndefined();
    const versionId = (
      f.sandbox.admin.get('offer', offerId) as { latestVersion: { id: string; salary: { value: number } } }
    ).latestVersion;
    expect(versionId.salary.value).toBe(160000);
    await f.send('offer', [
      { key: 'o1', value: { operation: 'startApproval', offerVersionId: versionId.id } },
      { key: 'o1', value: { operation: 'approve', offerVersionId: versionId.id } },
      { key: 'o1', value: { operation: 'setStatus', offerId, acceptanceStatus: 'Accepted' } },
    ]);
    const run = await f.run();
    expect(run.error).toBeUndefined();
    expect(run.summary).toMatchObject({ ok: 3, deadLettered: 0 });
    expect(f.sandbox.admin.get('offer', offerId)).toMatchObject({ acceptanceStatus: 'Accepted' });
  });

  it('dead-letters an Ashby validation error with Kafka Connect style headers and a result, and goes on', async () => {
    await f.send('job', [
      {
        key: 'bad-job',
        value: { operation: 'setStatus', jobId: '00000000-0000-4000-8000-000000000000', status: 'Open' },
      },
      { key: 'garbage', value: Buffer.from('not avro at all') },
    ]);
    const run = await f.run();
    expect(run.error).toBeUndefined();
    expect(run.summary.deadLettered).toBe(2);
    const dead = await f.readAll(f.dlq);
    const byKey = new Map(dead.map((m) => [m.key!.toString(), m]));
    const notFound = byKey.get('bad-job')!;
    expect(header(notFound, '__connect.errors.topic')).toBe(f.topics.job);
    expect(header(notFound, '__connect.errors.code')).toBe('ASHBY_API_ERROR');
    expect(header(notFound, '__connect.errors.exception.message')).toContain('job_not_found');
    expect(header(notFound, '__connect.errors.ashby.request.id')).toMatch(/^[0-9A-Z]{26}$/);
    expect(header(notFound, '__connect.errors.ashby.endpoint')).toBe('job.setStatus');
    expect(header(notFound, '__connect.errors.stage')).toBe('TASK_PUT');
    // The exact position of the bad command, as the broker stored it.
    const original = (await f.readAll(f.topics.job)).filter((m) => m.key?.toString() === 'bad-job');
    expect(original).toHaveLength(1);
    expect(header(notFound, '__connect.errors.partition')).toBe(String(original[0]!.partition));
    expect(header(notFound, '__connect.errors.offset')).toBe(String(original[0]!.offset));
    expect(header(notFound, '__connect.errors.attempts')).toBe('1');
    expect(Date.parse(header(notFound, '__connect.errors.timestamp')!)).not.toBeNaN();
    expect(header(byKey.get('garbage')!, '__connect.errors.code')).toBe('AVRO_DECODE_FAILED');
    expect(header(byKey.get('garbage')!, '__connect.errors.stage')).toBe('VALUE_CONVERTER');
    expect(byKey.get('garbage')!.value!.toString()).toBe('not avro at all');
    const results = await resultsByKey();
    expect(results.get('bad-job')).toMatchObject({ status: 'dead_lettered', error: { code: 'ASHBY_API_ERROR' } });
  });
});
