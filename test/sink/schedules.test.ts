import { commandToRequests, parseJsonCommand } from '../../src/sink/operations/command-mapping.js';
import { PlanExecutor, stepKind, type Progress } from '../../src/sink/plan-executor.js';
import { MARKER_KEY, scheduleUpdateApplied, stampCreate, stampUpdate } from '../../src/sink/reconcile-schedules.js';
import { FakeAshby, ambiguous } from './fakes.js';

/**
 * Interview schedules have no natural key: the sink stamps a marker in the extraData of the
 * events it adds, keeps it with the intent, and settles an unknown outcome by finding it
 * (reconcile-schedules.ts).
 */
const plan = (command: Record<string, unknown>) =>
  commandToRequests('interview_schedule', parseJsonCommand('interview_schedule', command));
const ev = (h: number) => ({
  startTime: `2027-03-01T0${h}:00:00.000Z`,
  endTime: `2027-03-01T0${h + 1}:00:00.000Z`,
  interviewers: [{ email: 'lee@example.com' }],
});
const hooks = (saved: { p?: Progress } = {}) => ({
  beforeUnsafeStep: async (_s: string, p: Progress) => void (saved.p = structuredClone(p)),
  afterUnsafeStep: async () => undefined,
});

it('create and update are reconcilable (by the marker), cancel is repeatable', () => {
  expect(['interviewSchedule.create', 'interviewSchedule.update', 'interviewSchedule.cancel'].map(stepKind)).toEqual([
    'reconcilable',
    'reconcilable',
    'repeatable',
  ]);
});

it('plans: update sends lists, cancel sends the schedule as id', () => {
  const update = plan({ operation: 'update', interviewScheduleId: 's1', interviewEventIdToCancel: ['e1'] });
  expect(update.kind === 'sequence' && update.steps[0]!.body).toEqual({
    interviewScheduleId: 's1',
    interviewEventIdToCancel: ['e1'],
  });
  const cancel = plan({ operation: 'cancel', interviewScheduleId: 's1' });
  expect(cancel.kind === 'sequence' && cancel.steps[0]).toMatchObject({
    endpoint: 'interviewSchedule.cancel',
    body: { id: 's1' },
  });
  expect(() => plan({ operation: 'update', interviewScheduleId: 's1' })).toThrow(/interviewEvent/);
});

it('stamps the marker on every event of a create, and only on the events an update adds', () => {
  expect(stampCreate({ applicationId: 'a', interviewEvents: [{ ...ev(1), extraData: { x: '1' } }] }, 'M')).toEqual({
    applicationId: 'a',
    interviewEvents: [{ ...ev(1), extraData: { x: '1', [MARKER_KEY]: 'M' } }],
  });
  const stamped = stampUpdate({ interviewEvent: [ev(1), { ...ev(2), interviewEventId: 'e1' }] }, 'M')!;
  expect((stamped.interviewEvent as Array<Record<string, unknown>>).map((e) => e.extraData)).toEqual([
    { [MARKER_KEY]: 'M' },
    undefined,
  ]);
  expect(stampUpdate({ interviewEvent: [{ ...ev(2), interviewEventId: 'e1' }] }, 'M')).toBeUndefined();
  expect(stampUpdate({ interviewEventIdToCancel: ['e1'] }, 'M')).toBeUndefined();
});

it('a create answered with a lost response is found by its marker, with the marker kept in the intent', async () => {
  const schedules: Array<{ id: string; interviewEvents: Array<{ id: string; extraData: unknown }> }> = [
    // Same application, same times: only the marker tells it apart.
    { id: 'old', interviewEvents: [{ id: 'e0', extraData: {} }] },
  ];
  const ashby = new FakeAshby()
    .on('interviewSchedule.create', (b: Record<string, unknown>) => {
      const events = b.interviewEvents as Array<{ extraData: unknown }>;
      schedules.push({
        id: 'new',
        interviewEvents: events.map((e, i) => ({ id: `e${i + 1}`, extraData: e.extraData })),
      });
      return ambiguous('interviewSchedule.create');
    })
    .on('interviewSchedule.list', () => schedules.slice());
  const saved: { p?: Progress } = {};
  const out = await new PlanExecutor(ashby).execute(
    plan({ operation: 'create', applicationId: 'a1', interviewEvents: [ev(1)] }),
    { done: {} },
    hooks(saved),
  );
  expect(out).toMatchObject({ ashbyId: 'new', action: 'created' });
  expect(ashby.endpoints()).toEqual(['interviewSchedule.create', 'interviewSchedule.list']);
  expect(saved.p!.markers!.create).toMatch(/^ashby-kafka:/);
  expect((schedules[1]!.interviewEvents[0]!.extraData as Record<string, string>)[MARKER_KEY]).toBe(
    saved.p!.markers!.create,
  );
});

it('an update is applied when the events it adds carry the marker and the events it cancels are gone', async () => {
  const events = (ids: Array<[string, string?]>) =>
    new FakeAshby().on(
      'interviewEvent.list',
      ids.map(([id, m]) => ({ id, extraData: m ? { [MARKER_KEY]: m } : {} })),
    );
  const added = { interviewScheduleId: 's1', interviewEvent: [{ ...ev(1), extraData: { [MARKER_KEY]: 'M' } }] };
  expect(await scheduleUpdateApplied(events([['e1'], ['e2', 'M']]), added)).toMatchObject({ ids: ['s1'] });
  expect(await scheduleUpdateApplied(events([['e1']]), added)).toMatchObject({ ids: [] });
  const cancel = { interviewScheduleId: 's1', interviewEventIdToCancel: ['e1'] };
  expect(await scheduleUpdateApplied(events([['e2']]), cancel)).toMatchObject({ ids: ['s1'] });
  expect(await scheduleUpdateApplied(events([['e1'], ['e2']]), cancel)).toMatchObject({ ids: [] });
  // Changes to existing events only: nothing to look up, sending it again sets the same.
  const change = { interviewScheduleId: 's1', interviewEvent: [{ ...ev(1), interviewEventId: 'e1' }] };
  const none = new FakeAshby();
  expect(await scheduleUpdateApplied(none, change)).toMatchObject({ ids: [] });
  expect(none.calls).toEqual([]);
});
