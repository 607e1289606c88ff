import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/package-info.js';
import { runSink } from '../../../src/sink/runner.js';
import { sandboxIds, sinkFixture, type SinkFixture } from './helpers.js';

/**
 * The interview_schedule entity against the sandbox: create, update (add, change and cancel
 * events) and cancel; a read-only key's permission error on each; an outcome lost after Ashby
 * applied the write, or a kill -9, settled by the marker in the events' extraData (one schedule,
 * one event).
 */
const fixtures: SinkFixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.close();
});

async function fixture(name: string): Promise<SinkFixture> {
  const f = await sinkFixture(name);
  fixtures.push(f);
  return f;
}

async function api(f: SinkFixture, endpoint: string, body: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${f.sandbox.url}/${endpoint}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${f.sandbox.keys.full}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { results: unknown }).results;
}

async function results(f: SinkFixture): Promise<Map<string, Record<string, any>>> {
  const out = new Map<string, Record<string, any>>();
  for (const m of await f.readAll(f.results)) {
    const r = await f.decodeResult(m);
    out.set(`${m.key!.toString()}@${String(r.sourceOffset)}`, r);
    out.set(m.key!.toString(), r);
  }
  return out;
}

/** An application of a fresh candidate, and two interviewers' emails. */
async function setup(f: SinkFixture) {
  const ids = await sandboxIds(f.sandbox);
  const cand = f.sandbox.admin.create('candidate', { name: `Scheduled ${Date.now()}` }) as { id: string };
  const app = f.sandbox.admin.create('application', { candidateId: cand.id, jobId: ids.openJob.id }) as { id: string };
  const users = (await api(f, 'user.list', {})).filter((u: any) => u.isEnabled);
  return { applicationId: app.id, emails: [users[0].email as string, users[1].email as string] };
}

const event = (hour: number, email: string) => ({
  startTime: `2027-03-01T${String(hour).padStart(2, '0')}:00:00.000Z`,
  endTime: `2027-03-01T${String(hour + 1).padStart(2, '0')}:00:00.000Z`,
  interviewers: [{ email, feedbackRequired: true }],
});

const schedulesOf = async (f: SinkFixture, applicationId: string): Promise<any[]> =>
  api(f, 'interviewSchedule.list', { applicationId });

it('create, update (add, change, cancel an event) and cancel an interview schedule', async () => {
  const f = await fixture('sched-ops');
  const { applicationId, emails } = await setup(f);
  await f.send('interview_schedule', [
    {
      key: 's',
      value: {
        operation: 'create',
        applicationId,
        interviewEvents: [{ ...event(9, emails[0]!), extraData: { crm_id: 'crm-1' } }, event(11, emails[1]!)],
      },
    },
  ]);
  expect((await f.run()).error).toBeUndefined();
  const created = (await results(f)).get('s')!;
  expect(created).toMatchObject({ status: 'ok', entity: 'interview_schedule', operation: 'create', action: 'created' });
  const scheduleId = created.ashbyId as string;
  const [schedule] = await schedulesOf(f, applicationId);
  expect(schedule).toMatchObject({ id: scheduleId, status: 'Scheduled' });
  expect(schedule.interviewEvents).toHaveLength(2);
  // The command's own extraData is kept beside the sink's marker.
  expect(schedule.interviewEvents[0].extraData).toEqual({
    crm_id: 'crm-1',
    ashby_kafka_marker: expect.stringMatching(/^ashby-kafka:/),
  });

  const [first, second] = schedule.interviewEvents as Array<{ id: string }>;
  await f.send('interview_schedule', [
    {
      key: 's',
      value: { operation: 'update', interviewScheduleId: scheduleId, interviewEvent: [event(14, emails[0]!)] },
    },
    {
      key: 's',
      value: {
        operation: 'update',
        interviewScheduleId: scheduleId,
        interviewEvent: [{ ...event(15, emails[1]!), interviewEventId: first!.id }],
      },
    },
    {
      key: 's',
      value: { operation: 'update', interviewScheduleId: scheduleId, interviewEventIdToCancel: [second!.id] },
    },
  ]);
  const run2 = await f.run();
  expect(run2.error).toBeUndefined();
  expect(run2.summary).toMatchObject({ ok: 3, deadLettered: 0 });
  const events = await api(f, 'interviewEvent.list', { interviewScheduleId: scheduleId });
  expect(events.map((e: any) => e.startTime).sort()).toEqual(['2027-03-01T14:00:00.000Z', '2027-03-01T15:00:00.000Z']);
  expect(events.find((e: any) => e.id === first!.id).interviewers.map((u: any) => u.email)).toEqual([emails[1]]);

  await f.send('interview_schedule', [
    { key: 's', value: { operation: 'cancel', interviewScheduleId: scheduleId, allowReschedule: false } },
  ]);
  const run3 = await f.run();
  expect(run3.summary).toMatchObject({ ok: 1, deadLettered: 0 });
  expect((await schedulesOf(f, applicationId))[0]).toMatchObject({ id: scheduleId, status: 'Cancelled' });
  expect(f.sandbox.admin.callLog({ path: 'interviewSchedule.cancel' }).map((c) => (c.body as any).id)).toEqual([
    scheduleId,
  ]);
}, 90_000);

it('an update sending both interviewEvent and interviewEventIdToCancel is dead-lettered as COMMAND_INVALID', async () => {
  const f = await fixture('sched-invalid');
  const { emails } = await setup(f);
  await f.send('interview_schedule', [
    {
      key: 'x',
      value: {
        operation: 'update',
        interviewScheduleId: '00000000-0000-4000-8000-000000000001',
        interviewEvent: [event(9, emails[0]!)],
        interviewEventIdToCancel: ['00000000-0000-4000-8000-000000000002'],
      },
    },
  ]);
  expect((await f.run()).error).toBeUndefined();
  expect((await results(f)).get('x')).toMatchObject({
    status: 'dead_lettered',
    error: { code: 'COMMAND_INVALID', message: expect.stringMatching(/interviewEventIdToCancel/) },
  });
  expect(f.sandbox.admin.callLog({ path: 'interviewSchedule.update' })).toHaveLength(0);
}, 60_000);

it('a read-only key gets the runtime permission error on create, update and cancel', async () => {
  const f = await fixture('sched-perm');
  const { applicationId, emails } = await setup(f);
  const existing = await api(f, 'interviewSchedule.create', { applicationId, interviewEvents: [event(9, emails[0]!)] });
  await f.send('interview_schedule', [
    { key: 'c', value: { operation: 'create', applicationId, interviewEvents: [event(10, emails[0]!)] } },
    {
      key: 'u',
      value: { operation: 'update', interviewScheduleId: existing.id, interviewEvent: [event(12, emails[1]!)] },
    },
    { key: 'x', value: { operation: 'cancel', interviewScheduleId: existing.id } },
  ]);
  const run = await f.run({ key: f.sandbox.keys.readonly, destination: { on_permission_error: 'dlq' } });
  expect(run.error).toBeUndefined();
  const r = await results(f);
  for (const key of ['c', 'u', 'x'])
    expect({ key, status: r.get(key)!.status, code: r.get(key)!.error?.code }).toEqual({
      key,
      status: 'dead_lettered',
      code: 'ASHBY_PERMISSION_DENIED',
    });
  const after = await schedulesOf(f, applicationId);
  expect(after).toHaveLength(1);
  expect(after[0]).toMatchObject({ status: 'Scheduled' });
  expect(after[0].interviewEvents).toHaveLength(1);
}, 60_000);

it.each([
  ['a 503', { status: 503 as const, afterApply: true }],
  ['a dropped connection', { reset: true as const, afterApply: true }],
])(
  'a create and an added event that Ashby applied but answered with %s: exactly one schedule and one new event',
  async (label, outcome) => {
    const f = await fixture(`sched-lost-${label.length}`);
    const { applicationId, emails } = await setup(f);
    f.sandbox.admin.forceNext('interviewSchedule.create', 1, outcome);
    await f.send('interview_schedule', [
      { key: 's', value: { operation: 'create', applicationId, interviewEvents: [event(9, emails[0]!)] } },
    ]);
    const run = await f.run();
    expect(run.error).toBeUndefined();
    expect(run.summary).toMatchObject({ ok: 1, created: 1, deadLettered: 0 });
    // The one create was applied; the sink found it by its marker instead of sending it again.
    expect(f.sandbox.admin.callLog({ path: 'interviewSchedule.create' })).toHaveLength(1);
    expect(f.sandbox.admin.callLog({ path: 'interviewSchedule.list' }).length).toBeGreaterThanOrEqual(1);
    const schedules = await schedulesOf(f, applicationId);
    expect(schedules).toHaveLength(1);
    expect((await results(f)).get('s')).toMatchObject({ status: 'ok', action: 'created', ashbyId: schedules[0].id });

    f.sandbox.admin.forceNext('interviewSchedule.update', 1, outcome);
    await f.send('interview_schedule', [
      {
        key: 's',
        value: { operation: 'update', interviewScheduleId: schedules[0].id, interviewEvent: [event(13, emails[1]!)] },
      },
    ]);
    const run2 = await f.run();
    expect(run2.error).toBeUndefined();
    expect(run2.summary).toMatchObject({ ok: 1, deadLettered: 0 });
    expect(f.sandbox.admin.callLog({ path: 'interviewSchedule.update' })).toHaveLength(1);
    const events = await api(f, 'interviewEvent.list', { interviewScheduleId: schedules[0].id });
    expect(events.map((e: any) => e.startTime).sort()).toEqual([
      '2027-03-01T09:00:00.000Z',
      '2027-03-01T13:00:00.000Z',
    ]);
  },
  90_000,
);

it('an outcome lost before Ashby applied the create: the lookup finds nothing, the create is sent again, one schedule', async () => {
  const f = await fixture('sched-lost-before');
  const { applicationId, emails } = await setup(f);
  // A schedule of the same application and times already exists: only the marker tells them apart.
  await api(f, 'interviewSchedule.create', { applicationId, interviewEvents: [event(9, emails[0]!)] });
  f.sandbox.admin.forceNext('interviewSchedule.create', 1, { reset: true });
  await f.send('interview_schedule', [
    { key: 's', value: { operation: 'create', applicationId, interviewEvents: [event(9, emails[0]!)] } },
  ]);
  const run = await f.run();
  expect(run.error).toBeUndefined();
  expect(run.summary).toMatchObject({ ok: 1, created: 1 });
  const creates = f.sandbox.admin.callLog({ path: 'interviewSchedule.create' });
  // One by the test, then the sink's lost one and its resend.
  expect(creates).toHaveLength(3);
  expect((creates[1]!.body as any).interviewEvents[0].extraData).toEqual(
    (creates[2]!.body as any).interviewEvents[0].extraData,
  );
  expect(await schedulesOf(f, applicationId)).toHaveLength(2);
}, 60_000);

it('a dry run flags a missing application, an unknown interviewer and an unknown interview, and writes nothing', async () => {
  const f = await fixture('sched-dry');
  const { applicationId, emails } = await setup(f);
  const MISSING = '00000000-0000-4000-8000-00000000beef';
  await f.send('interview_schedule', [
    { key: 'good', value: { operation: 'create', applicationId, interviewEvents: [event(9, emails[0]!)] } },
    { key: 'app', value: { operation: 'create', applicationId: MISSING, interviewEvents: [event(9, emails[0]!)] } },
    {
      key: 'who',
      value: {
        operation: 'create',
        applicationId,
        interviewEvents: [{ ...event(9, 'nobody@example.com'), interviewId: MISSING }],
      },
    },
  ]);
  f.sandbox.admin.resetCallLog();
  const dry = await f.run({ destination: { dry_run: true } });
  expect(dry.error).toBeUndefined();
  expect(f.sandbox.admin.callLog().filter((c) => !/\.(list|info|search)$/.test(c.path))).toEqual([]);
  const r = await results(f);
  expect(r.get('good')).toMatchObject({ dryRun: true, problems: [] });
  expect(r.get('app')!.problems).toEqual([expect.stringMatching(/application .* does not exist/)]);
  expect(r.get('who')!.problems).toEqual([
    expect.stringMatching(/interviewer nobody@example.com is not an Ashby user/),
    expect.stringMatching(/interviewId .* is not an interview/),
  ]);
}, 60_000);

it('kill -9 during schedule creates, then a restart: exactly one schedule per command', async () => {
  const f = await sinkFixture('sched-kill', { sandbox: { latencyMs: 60 } });
  fixtures.push(f);
  const { emails } = await setup(f);
  const ids = await sandboxIds(f.sandbox);
  const n = 12;
  const apps = Array.from({ length: n }, (_, i) => {
    const cand = f.sandbox.admin.create('candidate', { name: `Killed Schedule ${i}` }) as { id: string };
    return (f.sandbox.admin.create('application', { candidateId: cand.id, jobId: ids.openJob.id }) as { id: string })
      .id;
  });
  await f.send(
    'interview_schedule',
    apps.map((applicationId, i) => ({
      key: `s${i}`,
      value: { operation: 'create', applicationId, interviewEvents: [event(9, emails[0]!)] },
    })),
  );
  const child = spawn(
    process.execPath,
    [
      join(PACKAGE_ROOT, 'bin', 'ashby-kafka.js'),
      'sink',
      '--config',
      f.configFile({ destination: { concurrency: 4 } }),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const creates = () => f.sandbox.admin.callLog({ path: 'interviewSchedule.create' }).length;
  const deadline = Date.now() + 40_000;
  while (creates() < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await exited;
  expect(creates()).toBeGreaterThanOrEqual(1);
  expect(creates()).toBeLessThan(n);

  const rerun = await runSink(f.config({ destination: { concurrency: 4 } }), { once: true, takeoverGraceMs: 1000 });
  expect(rerun.error).toBeUndefined();
  const counts = await Promise.all(apps.map(async (a) => (await schedulesOf(f, a)).length));
  expect(counts).toEqual(apps.map(() => 1));
}, 120_000);
