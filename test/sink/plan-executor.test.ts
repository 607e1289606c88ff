import { commandToRequests } from '../../src/sink/operations/command-mapping.js';
import { loadContract } from '../../src/avro/contract.js';
import { AshbyAmbiguousWriteError } from '../../src/ashby/errors.js';
import { PlanExecutor, stepKind, type Progress } from '../../src/sink/plan-executor.js';
import { FakeAshby, ambiguous } from './fakes.js';

/** Most cases run with the lookup before creates on (`destination.lookup_before_create: true`); the default (off) has its own case. */
const STRICT = { lookupBeforeCreate: true };

const contract = loadContract();
/** A command's Avro value from a few fields (the rest null), as the decoder would give it. */
function command(
  entity: 'candidate' | 'job' | 'application' | 'offer',
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const schema = contract.commandSchema(entity) as { fields: Array<{ name: string }> };
  return Object.fromEntries(schema.fields.map((f) => [f.name, fields[f.name] ?? null]));
}

function hooks() {
  const log: Array<[string, string, Progress]> = [];
  return {
    log,
    hooks: {
      beforeUnsafeStep: async (step: string, p: Progress) => void log.push(['before', step, structuredClone(p)]),
      afterUnsafeStep: async (step: string, p: Progress, last: boolean) =>
        void log.push([last ? 'after-last' : 'after', step, structuredClone(p)]),
    },
  };
}

describe('stepKind', () => {
  it.each([
    ['candidate.create', 'reconcilable'],
    ['job.create', 'reconcilable'],
    ['application.create', 'reconcilable'],
    ['offerProcess.start', 'once'],
    ['offer.create', 'once'],
    ['offer.approve', 'once'],
    ['candidate.update', 'repeatable'],
    ['customField.setValues', 'repeatable'],
    ['offer.start', 'repeatable'],
    ['job.setStatus', 'repeatable'],
  ])('%s is %s', (endpoint, kind) => expect(stepKind(endpoint)).toBe(kind));
});

describe('PlanExecutor', () => {
  it('runs a create with custom fields, feeding the created id into customField.setValues, with the intent recorded first', async () => {
    const ashby = new FakeAshby()
      .on('candidate.search', [])
      .on('candidate.create', { id: 'cand-1', name: 'Ada' })
      .on('customField.setValues', { id: 'cand-1' });
    const plan = commandToRequests(
      'candidate',
      command('candidate', {
        operation: 'create',
        name: 'Ada',
        email: 'ada@example.com',
        customFields: [{ fieldId: 'f1', fieldValue: '"x"' }],
      }),
    );
    const { log, hooks: h } = hooks();
    const out = await new PlanExecutor(ashby, undefined, STRICT).execute(plan, { done: {} }, h);
    expect(ashby.calls.map((c) => [c.endpoint, c.kind])).toEqual([
      ['candidate.search', 'read'],
      ['candidate.create', 'write'],
      ['customField.setValues', 'write'],
    ]);
    expect(ashby.calls[2]!.body).toMatchObject({ objectId: 'cand-1', objectType: 'Candidate' });
    expect(log.map(([k, s]) => `${k}:${s}`)).toEqual(['before:create', 'after:create']);
    // What matched before the create is part of the intent.
    expect(log[0]![2]).toEqual({ started: 'create', done: {}, existing: { create: [] } });
    expect(out).toMatchObject({ ashbyId: 'cand-1', action: 'created', requestId: 'req-2', calls: 3 });
  });

  it('marks the last unsafe step (the final ledger entry records it)', async () => {
    const ashby = new FakeAshby().on('candidate.create', { id: 'c' });
    const { log, hooks: h } = hooks();
    await new PlanExecutor(ashby, undefined, STRICT).execute(
      commandToRequests('candidate', command('candidate', { operation: 'create', name: 'A' })),
      { done: {} },
      h,
    );
    expect(log.map(([k]) => k)).toEqual(['before', 'after-last']);
  });

  it('settles an ambiguous create by lookup: found → no second create', async () => {
    const ashby = new FakeAshby()
      .on('candidate.create', ambiguous('candidate.create'))
      .on(
        'candidate.search',
        [],
        [{ id: 'cand-9', name: 'Ada', primaryEmailAddress: { value: 'ADA@example.com' }, emailAddresses: [] }],
      );
    const plan = commandToRequests(
      'candidate',
      command('candidate', { operation: 'create', name: 'Ada', email: 'ada@example.com' }),
    );
    const out = await new PlanExecutor(ashby, undefined, STRICT).execute(plan, { done: {} }, hooks().hooks);
    expect(ashby.endpoints()).toEqual(['candidate.search', 'candidate.create', 'candidate.search']);
    expect(ashby.calls[2]).toMatchObject({ body: { email: 'ada@example.com' }, kind: 'read' });
    expect(out).toMatchObject({ ashbyId: 'cand-9', action: 'created' });
  });

  it('settles an ambiguous create by lookup: not found → creates again, once', async () => {
    const ashby = new FakeAshby()
      .on('job.create', ambiguous('job.create'), { id: 'job-2' })
      .on('job.search', [{ id: 'other', title: 'Eng', departmentId: 'elsewhere', locationId: 'l' }]);
    const plan = commandToRequests(
      'job',
      command('job', { operation: 'create', title: 'Eng', teamId: 't', locationId: 'l' }),
    );
    const out = await new PlanExecutor(ashby, undefined, STRICT).execute(plan, { done: {} }, hooks().hooks);
    expect(ashby.endpoints()).toEqual(['job.search', 'job.create', 'job.search', 'job.create']);
    expect(out.ashbyId).toBe('job-2');
  });

  it('never adopts a record that matched before the create was first sent: creates again, or refuses to guess', async () => {
    const older = { id: 'cand-old', name: 'Ada', primaryEmailAddress: { value: 'ada@example.com' } };
    const plan = commandToRequests(
      'candidate',
      command('candidate', { operation: 'create', name: 'Ada', email: 'ada@example.com' }),
    );
    // Ours did not happen: only the older one matches afterwards → sent again.
    const notApplied = new FakeAshby()
      .on('candidate.create', ambiguous('candidate.create'), { id: 'cand-new' })
      .on('candidate.search', [older]);
    const out = await new PlanExecutor(notApplied, undefined, STRICT).execute(plan, { done: {} }, hooks().hooks);
    expect(notApplied.endpoints()).toEqual([
      'candidate.search',
      'candidate.create',
      'candidate.search',
      'candidate.create',
    ]);
    expect(out.ashbyId).toBe('cand-new');
    // Ours did happen: the older one and ours match → ours is adopted.
    const applied = new FakeAshby()
      .on('candidate.create', ambiguous('candidate.create'))
      .on('candidate.search', [older], [older, { ...older, id: 'cand-ours' }]);
    expect(
      (await new PlanExecutor(applied, undefined, STRICT).execute(plan, { done: {} }, hooks().hooks)).ashbyId,
    ).toBe('cand-ours');
    // Resumed from an intent that recorded the older one: it is not adopted either.
    const resumed = new FakeAshby().on('candidate.search', [older]).on('candidate.create', { id: 'cand-2' });
    const progress: Progress = { started: 'create', done: {}, existing: { create: ['cand-old'] } };
    expect((await new PlanExecutor(resumed, undefined, STRICT).execute(plan, progress, hooks().hooks)).ashbyId).toBe(
      'cand-2',
    );
    expect(resumed.endpoints()).toEqual(['candidate.search', 'candidate.create']);
  });

  it('with lookupBeforeCreate off, makes no lookup before the create (and adopts any single match after an unknown outcome)', async () => {
    const older = { id: 'cand-old', name: 'Ada', primaryEmailAddress: { value: 'ada@example.com' } };
    const plan = commandToRequests(
      'candidate',
      command('candidate', { operation: 'create', name: 'Ada', email: 'ada@example.com' }),
    );
    const ashby = new FakeAshby().on('candidate.create', ambiguous('candidate.create')).on('candidate.search', [older]);
    const out = await new PlanExecutor(ashby, undefined, { lookupBeforeCreate: false }).execute(
      plan,
      { done: {} },
      hooks().hooks,
    );
    expect(ashby.endpoints()).toEqual(['candidate.create', 'candidate.search']);
    expect(out.ashbyId).toBe('cand-old');
  });

  it('the same for jobs: an older job with the same title, team and location is not adopted', async () => {
    const older = { id: 'job-old', title: 'Eng', departmentId: 't', locationId: 'l' };
    const ashby = new FakeAshby()
      .on('job.create', ambiguous('job.create'), { id: 'job-new' })
      .on('job.search', [older]);
    const plan = commandToRequests(
      'job',
      command('job', { operation: 'create', title: 'Eng', teamId: 't', locationId: 'l' }),
    );
    expect((await new PlanExecutor(ashby, undefined, STRICT).execute(plan, { done: {} }, hooks().hooks)).ashbyId).toBe(
      'job-new',
    );
  });

  it("reconciles an application by the candidate's applications for that job", async () => {
    const ashby = new FakeAshby()
      .on('application.create', ambiguous('application.create'))
      .on('candidate.info', { id: 'c', applicationIds: ['a1', 'a2'] })
      .on('application.info', (b: Record<string, unknown>) => ({
        id: b.applicationId,
        job: { id: b.applicationId === 'a2' ? 'j' : 'other' },
      }));
    const plan = commandToRequests(
      'application',
      command('application', { operation: 'create', candidateId: 'c', jobId: 'j' }),
    );
    const out = await new PlanExecutor(ashby, undefined, STRICT).execute(plan, { done: {} }, hooks().hooks);
    expect(out.ashbyId).toBe('a2');
    expect(ashby.endpoints()).toEqual(['application.create', 'candidate.info', 'application.info', 'application.info']);
  });

  it('refuses to guess when several records match, and when a create has nothing to look up by', async () => {
    const many = new FakeAshby().on('candidate.create', ambiguous('candidate.create')).on(
      'candidate.search',
      [],
      [
        { id: 'x', name: 'Ada', primaryEmailAddress: { value: 'ada@example.com' } },
        { id: 'y', name: 'Ada', emailAddresses: [{ value: 'ada@example.com' }] },
      ],
    );
    const plan = commandToRequests(
      'candidate',
      command('candidate', { operation: 'create', name: 'Ada', email: 'ada@example.com' }),
    );
    await expect(
      new PlanExecutor(many, undefined, STRICT).execute(plan, { done: {} }, hooks().hooks),
    ).rejects.toMatchObject({ code: 'SINK_RECONCILE_AMBIGUOUS' });
    const noEmail = new FakeAshby().on('candidate.create', ambiguous('candidate.create'));
    const plan2 = commandToRequests('candidate', command('candidate', { operation: 'create', name: 'Ada' }));
    await expect(
      new PlanExecutor(noEmail, undefined, STRICT).execute(plan2, { done: {} }, hooks().hooks),
    ).rejects.toMatchObject({ code: 'SINK_WRITE_OUTCOME_UNKNOWN' });
    expect(noEmail.endpoints()).toEqual(['candidate.create']);
  });

  it('never repeats a once-only step after an unknown outcome', async () => {
    const ashby = new FakeAshby().on('offerProcess.start', ambiguous('offerProcess.start'));
    const plan = commandToRequests(
      'offer',
      command('offer', { operation: 'create', applicationId: 'a', offerForm: { fieldSubmissions: [] } }),
    );
    await expect(
      new PlanExecutor(ashby, undefined, STRICT).execute(plan, { done: {} }, hooks().hooks),
    ).rejects.toMatchObject({ code: 'SINK_WRITE_OUTCOME_UNKNOWN', details: { endpoint: 'offerProcess.start' } });
    expect(ashby.endpoints()).toEqual(['offerProcess.start']);
  });

  it('repeats a repeatable step after an unknown outcome, and gives up after a few', async () => {
    const ok = new FakeAshby().on('job.setStatus', ambiguous('job.setStatus'), { id: 'j' });
    await new PlanExecutor(ok, undefined, STRICT).execute(
      commandToRequests('job', command('job', { operation: 'setStatus', jobId: 'j', status: 'Open' })),
      { done: {} },
      hooks().hooks,
    );
    expect(ok.endpoints()).toEqual(['job.setStatus', 'job.setStatus']);
    const never = new FakeAshby().on('job.setStatus', ambiguous('job.setStatus'));
    await expect(
      new PlanExecutor(never, undefined, STRICT).execute(
        commandToRequests('job', command('job', { operation: 'setStatus', jobId: 'j', status: 'Open' })),
        { done: {} },
        hooks().hooks,
      ),
    ).rejects.toBeInstanceOf(AshbyAmbiguousWriteError);
    expect(never.calls).toHaveLength(3);
  });

  it('resumes an offer create from the ledger: done steps are skipped, a started step is settled first', async () => {
    const ashby = new FakeAshby().on('offer.start', { id: 'form-2' }).on('offer.create', { id: 'offer-1' });
    const plan = commandToRequests(
      'offer',
      command('offer', { operation: 'create', applicationId: 'a', offerForm: { fieldSubmissions: [] } }),
    );
    const progress: Progress = {
      done: { offerProcess: { endpoint: 'offerProcess.start', results: { id: 'proc-1' } } },
    };
    const out = await new PlanExecutor(ashby, undefined, STRICT).execute(plan, progress, hooks().hooks);
    expect(ashby.calls.map((c) => [c.endpoint, c.body])).toEqual([
      ['offer.start', { offerProcessId: 'proc-1' }],
      ['offer.create', { offerForm: { fieldSubmissions: [] }, offerProcessId: 'proc-1', offerFormId: 'form-2' }],
    ]);
    expect(out).toMatchObject({ ashbyId: 'offer-1', action: 'created' });

    // offer.create was announced but its outcome never recorded: dead-letter rather than risk a second offer.
    const again = new FakeAshby().on('offer.start', { id: 'form-3' });
    const interrupted: Progress = { ...progress, started: 'create' };
    await expect(
      new PlanExecutor(again, undefined, STRICT).execute(plan, interrupted, hooks().hooks),
    ).rejects.toMatchObject({ code: 'SINK_WRITE_OUTCOME_UNKNOWN' });
    expect(again.endpoints()).toEqual(['offer.start']);
  });

  it('a redelivered command whose every step is recorded makes no call', async () => {
    const ashby = new FakeAshby();
    const plan = commandToRequests(
      'candidate',
      command('candidate', { operation: 'create', name: 'A', email: 'a@example.com' }),
    );
    const out = await new PlanExecutor(ashby, undefined, STRICT).execute(
      plan,
      { done: { create: { endpoint: 'candidate.create', results: { id: 'c1' } } } },
      hooks().hooks,
    );
    expect(ashby.calls).toHaveLength(0);
    expect(out).toMatchObject({ ashbyId: 'c1', action: 'unchanged' });
  });

  it('upsert: updates the single match, creates when none, refuses several', async () => {
    const upsert = commandToRequests(
      'candidate',
      command('candidate', {
        operation: 'upsert',
        name: 'Ada',
        email: 'ada@example.com',
        website: 'https://a.example',
      }),
    );
    const found = new FakeAshby().on('candidate.search', [{ id: 'c1' }]).on('candidate.update', { id: 'c1' });
    expect(await new PlanExecutor(found, undefined, STRICT).execute(upsert, { done: {} }, hooks().hooks)).toMatchObject(
      { ashbyId: 'c1', action: 'updated' },
    );
    expect(found.calls[1]!.body).toEqual({
      candidateId: 'c1',
      name: 'Ada',
      email: 'ada@example.com',
      websiteUrl: 'https://a.example',
    });
    const missing = new FakeAshby().on('candidate.search', []).on('candidate.create', { id: 'c2' });
    expect(
      await new PlanExecutor(missing, undefined, STRICT).execute(upsert, { done: {} }, hooks().hooks),
    ).toMatchObject({ ashbyId: 'c2', action: 'created' });
    const several = new FakeAshby().on('candidate.search', [{ id: 'a' }, { id: 'b' }]);
    await expect(
      new PlanExecutor(several, undefined, STRICT).execute(upsert, { done: {} }, hooks().hooks),
    ).rejects.toMatchObject({ code: 'SINK_UPSERT_AMBIGUOUS' });
  });

  it('names the missing field when Ashby answers without the id the next call needs', async () => {
    const ashby = new FakeAshby().on('offerProcess.start', { status: 'x' });
    const plan = commandToRequests(
      'offer',
      command('offer', { operation: 'create', applicationId: 'a', offerForm: { fieldSubmissions: [] } }),
    );
    await expect(
      new PlanExecutor(ashby, undefined, STRICT).execute(plan, { done: {} }, hooks().hooks),
    ).rejects.toMatchObject({ code: 'SINK_RESULT_MISSING' });
  });
});
