import { loadContract } from '../../src/avro/contract.js';
import { createCommandMapper } from '../../src/sink/operations/command-mapping.js';
import { AshbyPermissionError, AshbyServerError } from '../../src/ashby/errors.js';
import type { ConsumedMessage } from '../../src/kafka/consumer.js';
import type { OutgoingRecord } from '../../src/kafka/producer.js';
import { silentLogger } from '../../src/log/logger.js';
import { CommandProcessor, isRecordError, type ProcessorOptions } from '../../src/sink/command-processor.js';
import { RESENT_FROM_HEADER } from '../../src/sink/dead-letters.js';
import { commandIdentity } from '../../src/sink/ledger.js';
import type { CommandResult } from '../../src/sink/results.js';
import { FakeAshby, FakeLedger, apiError } from './fakes.js';

const contract = loadContract();
let offset = 0;

function message(value: unknown, key = 'k'): ConsumedMessage {
  return {
    topic: 'cmds',
    partition: 0,
    offset: offset++,
    key: Buffer.from(key),
    value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    headers: { trace: Buffer.from('t-1') },
    timestamp: 1_700_000_000_000,
  };
}

function setup(ashby: FakeAshby, o: Partial<ProcessorOptions> = {}) {
  const ledger = new FakeLedger();
  const dead: OutgoingRecord[] = [];
  const results: CommandResult[] = [];
  const processor = new CommandProcessor({
    contract,
    mapper: createCommandMapper(contract),
    serde: undefined,
    valueFormat: 'json',
    onPermissionError: 'fail',
    deadLetterTopic: 'dlq',
    ashby,
    taskId: 'g/1',
    logger: silentLogger,
    takeoverGraceMs: 0,
    lookupBeforeCreate: true,
    outputs: { ledger, deadLetter: async (r) => void dead.push(r), result: async (_k, r) => void results.push(r) },
    ...o,
  });
  return { processor, ledger, dead, results };
}

const permissionDenied = () =>
  new AshbyPermissionError({
    endpoint: 'candidate.create',
    module: 'Candidates',
    access: 'write',
    httpStatus: 403,
    requestId: 'req-403',
  });

describe('CommandProcessor', () => {
  it('applies a command, then writes its ledger outcome and its result', async () => {
    const { processor, ledger, results } = setup(
      new FakeAshby().on('candidate.search', []).on('candidate.create', { id: 'c1' }),
    );
    const msg = message({ operation: 'create', name: 'Ada', email: 'ada@example.com' });
    const out = await processor.process(msg, 'candidate');
    expect(out).toMatchObject({ kind: 'ok', operation: 'create', action: 'created', ashbyId: 'c1' });
    const id = commandIdentity('candidate', undefined, msg);
    expect(ledger.writes.map((w) => w.entry.state)).toEqual(['started', 'done']);
    // req-1 is the lookup of what matched before the create (recorded with the intent).
    expect(ledger.get(id)).toMatchObject({
      state: 'done',
      outcome: { ashbyId: 'c1', action: 'created', requestId: 'req-2' },
      source: { topic: 'cmds', offset: msg.offset },
    });
    expect(results).toEqual([
      expect.objectContaining({
        status: 'ok',
        entity: 'candidate',
        operation: 'create',
        ashbyId: 'c1',
        requestId: 'req-2',
        sourceOffset: msg.offset,
        error: null,
      }),
    ]);
  });

  it('skips a redelivery the ledger shows done, without a call, and sends its result again from the ledger', async () => {
    const ashby = new FakeAshby().on('candidate.search', []).on('candidate.create', { id: 'c1' });
    const { processor, results } = setup(ashby);
    const msg = message({ operation: 'create', name: 'Ada', email: 'ada@example.com' });
    await processor.process(msg, 'candidate');
    expect(await processor.process(msg, 'candidate')).toMatchObject({ kind: 'skipped' });
    expect(ashby.endpoints().filter((e) => e.endsWith('.create'))).toHaveLength(1);
    // The first result may have been lost in a crash between the two acknowledgements: it is sent again, identical.
    expect(results).toHaveLength(2);
    const strip = ({ processedAt: _p, ...r }: CommandResult) => r;
    expect(strip(results[1]!)).toEqual(strip(results[0]!));
  });

  it('a redelivery whose first result was lost (crash after the ledger write) still yields a result', async () => {
    const ashby = new FakeAshby().on('candidate.search', []).on('candidate.create', { id: 'c1' });
    let lose = true;
    const results: CommandResult[] = [];
    const { processor } = setup(ashby, {
      outputs: {
        ledger: new FakeLedger(),
        deadLetter: async () => undefined,
        result: async (_k, r) => {
          if (lose) throw new Error('killed before the result was acknowledged');
          results.push(r);
        },
      },
    });
    const msg = message({ operation: 'create', name: 'Ada', email: 'ada@example.com' });
    expect(await processor.process(msg, 'candidate')).toMatchObject({ kind: 'fatal' });
    lose = false;
    expect(await processor.process(msg, 'candidate')).toMatchObject({ kind: 'skipped' });
    expect(ashby.endpoints().filter((e) => e.endsWith('.create'))).toHaveLength(1);
    expect(results).toEqual([
      expect.objectContaining({
        status: 'ok',
        action: 'created',
        ashbyId: 'c1',
        requestId: 'req-2',
        sourceOffset: msg.offset,
      }),
    ]);
  });

  it('a redelivered dead-lettered command sends its dead-letter result again', async () => {
    const ashby = new FakeAshby()
      .on('candidate.search', [])
      .on('candidate.create', apiError('candidate.create', 'invalid_input'));
    const { processor, results, dead } = setup(ashby);
    const msg = message({ operation: 'create', name: 'Ada', email: 'ada@example.com' });
    expect(await processor.process(msg, 'candidate')).toMatchObject({ kind: 'dead_lettered' });
    expect(await processor.process(msg, 'candidate')).toMatchObject({ kind: 'skipped' });
    expect(dead).toHaveLength(1);
    expect(results.map((r) => [r.status, r.action, r.requestId, r.error?.code])).toEqual([
      ['dead_lettered', null, 'req-err', 'ASHBY_API_ERROR'],
      ['dead_lettered', null, 'req-err', 'ASHBY_API_ERROR'],
    ]);
  });

  it('a dead letter re-sent with its idempotencyKey (resent header) is tried again once; copies are skipped', async () => {
    const ashby = new FakeAshby()
      .on('candidate.search', [])
      .on('candidate.create', apiError('candidate.create', 'invalid_input'), { id: 'c1' });
    const { processor, results } = setup(ashby);
    const cmd = { operation: 'create', name: 'Ada', email: 'ada@example.com', idempotencyKey: 'ik-dl' };
    expect(await processor.process(message(cmd), 'candidate')).toMatchObject({ kind: 'dead_lettered' });
    // A plain duplicate of the key is not a re-send: skipped, like any duplicate.
    expect(await processor.process(message(cmd), 'candidate')).toMatchObject({ kind: 'skipped' });
    const resent = (): ConsumedMessage => {
      const m = message(cmd);
      m.headers[RESENT_FROM_HEADER] = Buffer.from('dlq/0/0');
      return m;
    };
    const first = resent();
    expect(await processor.process(first, 'candidate')).toMatchObject({ kind: 'ok', ashbyId: 'c1' });
    expect(await processor.process(resent(), 'candidate')).toMatchObject({ kind: 'skipped' });
    expect(await processor.process(first, 'candidate')).toMatchObject({ kind: 'skipped' });
    expect(ashby.endpoints().filter((e) => e === 'candidate.create')).toHaveLength(2);
    expect(results.map((r) => [r.status, r.action])).toEqual([
      ['dead_lettered', null],
      ['dead_lettered', 'unchanged'],
      ['ok', 'created'],
      ['ok', 'unchanged'],
      ['ok', 'created'],
    ]);
  });

  it('permission error: fatal in fail mode (nothing written), dead-lettered in dlq mode', async () => {
    const failing = setup(new FakeAshby().on('candidate.search', []).on('candidate.create', permissionDenied()));
    const out = await failing.processor.process(message({ operation: 'create', name: 'Ada' }), 'candidate');
    expect(out).toMatchObject({ kind: 'fatal', error: { code: 'ASHBY_PERMISSION_DENIED' } });
    expect(failing.dead).toHaveLength(0);
    expect(failing.results).toHaveLength(0);
    // Ashby refused the call, so the intent is withdrawn: a rerun need not wait for this process.
    expect(failing.ledger.writes.map((w) => w.entry.progress)).toEqual([{ started: 'create', done: {} }, { done: {} }]);

    const dlq = setup(new FakeAshby().on('candidate.search', []).on('candidate.create', permissionDenied()), {
      onPermissionError: 'dlq',
    });
    const msg = message({ operation: 'create', name: 'Ada' }, 'key-7');
    expect(await dlq.processor.process(msg, 'candidate')).toMatchObject({ kind: 'dead_lettered' });
    const [record] = dlq.dead;
    expect(record).toMatchObject({
      topic: 'dlq',
      key: Buffer.from('key-7'),
      value: msg.value,
      timestamp: 1_700_000_000_000,
    });
    expect(record!.headers).toMatchObject({
      trace: Buffer.from('t-1'),
      '__connect.errors.topic': 'cmds',
      '__connect.errors.partition': '0',
      '__connect.errors.offset': String(msg.offset),
      '__connect.errors.code': 'ASHBY_PERMISSION_DENIED',
      '__connect.errors.class.name': 'AshbyPermissionError',
      '__connect.errors.ashby.request.id': 'req-403',
      '__connect.errors.ashby.endpoint': 'candidate.create',
      '__connect.errors.ashby.operation': 'create',
      '__connect.errors.stage': 'TASK_PUT',
      '__connect.errors.connector.name': 'ashby-kafka-sink',
      '__connect.errors.task.id': 'g/1',
      '__connect.errors.attempts': '1',
    });
    expect(dlq.results).toEqual([
      expect.objectContaining({
        status: 'dead_lettered',
        error: { code: 'ASHBY_PERMISSION_DENIED', message: expect.stringContaining('Candidates: write') },
      }),
    ]);
    expect(dlq.ledger.get(commandIdentity('candidate', undefined, msg))).toMatchObject({ state: 'dead_lettered' });
  });

  it('dead-letters invalid commands at the stage that rejected them', async () => {
    const { processor, dead } = setup(new FakeAshby());
    await processor.process(message('{ nope'), 'job');
    await processor.process(message({ operation: 'launch' }), 'job');
    await processor.process(message({ operation: 'create', title: 'x' }), 'job');
    await processor.process(message(null), 'job');
    expect(dead.map((d) => [d.headers!['__connect.errors.code'], d.headers!['__connect.errors.stage']])).toEqual([
      ['COMMAND_INVALID', 'VALUE_CONVERTER'],
      ['COMMAND_INVALID', 'VALUE_CONVERTER'],
      ['COMMAND_INVALID', 'TRANSFORMATION'],
      ['COMMAND_INVALID', 'VALUE_CONVERTER'],
    ]);
    expect(String(dead[2]!.headers!['__connect.errors.exception.message'])).toContain(
      'field teamId is required for operation create',
    );
  });

  it('dead-letters Ashby validation errors; a retriable error the client gave up on is fatal', async () => {
    const rejected = setup(new FakeAshby().on('job.setStatus', apiError('job.setStatus', 'job_not_found')));
    expect(
      await rejected.processor.process(message({ operation: 'setStatus', jobId: 'j', status: 'Open' }), 'job'),
    ).toMatchObject({ kind: 'dead_lettered' });
    const down = setup(
      new FakeAshby().on('job.setStatus', new AshbyServerError({ endpoint: 'job.setStatus', httpStatus: 503 })),
    );
    expect(
      await down.processor.process(message({ operation: 'setStatus', jobId: 'j', status: 'Open' }), 'job'),
    ).toMatchObject({ kind: 'fatal' });
    expect(down.dead).toHaveLength(0);
  });

  it('a second message with the same idempotencyKey is not applied again, and gets an `unchanged` result', async () => {
    const ashby = new FakeAshby().on('candidate.search', []).on('candidate.create', { id: 'c1' });
    const { processor, results } = setup(ashby);
    const cmd = { operation: 'create', name: 'Ada', email: 'ada@example.com', idempotencyKey: 'ik-1' };
    await processor.process(message(cmd), 'candidate');
    expect(await processor.process(message(cmd), 'candidate')).toMatchObject({ kind: 'skipped' });
    expect(ashby.endpoints().filter((e) => e.endsWith('.create'))).toHaveLength(1);
    expect(results.map((r) => [r.action, r.ashbyId, r.idempotencyKey])).toEqual([
      ['created', 'c1', 'ik-1'],
      ['unchanged', 'c1', 'ik-1'],
    ]);
  });

  it('settles an intent left by a crashed run by lookup before creating', async () => {
    const ashby = new FakeAshby().on('candidate.search', [
      { id: 'c-old', name: 'Ada', primaryEmailAddress: { value: 'ada@example.com' } },
    ]);
    const { processor, ledger } = setup(ashby);
    const msg = message({ operation: 'create', name: 'Ada', email: 'ada@example.com' });
    const id = commandIdentity('candidate', undefined, msg);
    ledger.entries.set(id, {
      state: 'started',
      entity: 'candidate',
      operation: 'create',
      source: { topic: 'cmds', partition: 0, offset: msg.offset },
      progress: { started: 'create', done: {} },
      attempts: 1,
      owner: 'dead-process',
      at: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(await processor.process(msg, 'candidate')).toMatchObject({ kind: 'ok', ashbyId: 'c-old' });
    expect(ashby.endpoints()).toEqual(['candidate.search']);
  });

  it('stops before the call when the partition was lost, withdrawing the intent', async () => {
    const ashby = new FakeAshby().on('candidate.search', []).on('candidate.create', { id: 'c1' });
    let checks = 0;
    // Owned when the command starts, lost by the time its intent is durable.
    const { processor, ledger } = setup(ashby, { stillOwned: () => ++checks === 1 });
    const msg = message({ operation: 'create', name: 'Ada', email: 'ada@example.com' });
    expect(await processor.process(msg, 'candidate')).toMatchObject({ kind: 'aborted' });
    expect(ashby.endpoints()).toEqual(['candidate.search']);
    expect(ledger.writes.map((w) => w.entry.progress)).toEqual([
      { started: 'create', done: {}, existing: { create: [] } },
      { done: {} },
    ]);
  });

  it('makes no update, setStatus or stage change once the partition is lost, and none when it was lost before the start', async () => {
    let owned = true;
    const ashby = new FakeAshby().on('application.changeStage', () => {
      owned = false; // a rebalance takes the partition during the first call
      return { id: 'a1' };
    });
    const { processor, ledger } = setup(ashby, { stillOwned: () => owned });
    const first = message({ operation: 'changeStage', applicationId: 'a1', interviewStageId: 's1' });
    expect(await processor.process(first, 'application')).toMatchObject({ kind: 'ok' });
    const second = message({ operation: 'changeStage', applicationId: 'a1', interviewStageId: 's2' });
    expect(await processor.process(second, 'application')).toMatchObject({ kind: 'aborted' });
    expect(ashby.endpoints()).toEqual(['application.changeStage']);
    expect(ledger.get(commandIdentity('application', undefined, second))).toBeUndefined();

    // Lost between the start and the call (a multi-call command: the custom fields after the update).
    let checks = 0;
    const updates = new FakeAshby().on('candidate.update', { id: 'c1' }).on('customField.setValues', { id: 'c1' });
    const lostMidway = setup(updates, { stillOwned: () => ++checks <= 2 });
    const cmd = message({
      operation: 'update',
      candidateId: 'c1',
      name: 'Ada',
      customFields: [{ fieldId: 'f', fieldValue: 1 }],
    });
    expect(await lostMidway.processor.process(cmd, 'candidate')).toMatchObject({ kind: 'aborted' });
    expect(updates.endpoints()).toEqual(['candidate.update']);
  });

  it('classifies record errors', () => {
    expect(isRecordError(apiError('x', 'invalid_input'))).toBe(true);
    expect(isRecordError(permissionDenied())).toBe(false);
    expect(isRecordError(new AshbyServerError({ httpStatus: 500 }))).toBe(false);
  });
});

describe('CommandProcessor partial failures', () => {
  it('a create that applied before its custom fields were rejected is dead-lettered naming the created record', async () => {
    const ashby = new FakeAshby()
      .on('candidate.search', [])
      .on('candidate.create', { id: 'c1' })
      .on('customField.setValues', apiError('customField.setValues', 'invalid_input'));
    const { processor, dead, results } = setup(ashby);
    const out = await processor.process(
      message({
        operation: 'create',
        name: 'Ada',
        email: 'a@example.com',
        customFields: [{ fieldId: 'f', fieldValue: 1 }],
      }),
      'candidate',
    );
    expect(out).toMatchObject({ kind: 'dead_lettered' });
    expect(dead[0]!.headers!['__connect.errors.ashby.applied']).toBe('candidate.create=c1');
    expect(results[0]).toMatchObject({
      status: 'dead_lettered',
      action: 'partially_applied',
      ashbyId: 'c1',
      error: { code: 'ASHBY_API_ERROR' },
    });
  });
});

describe('CommandProcessor graceful stop', () => {
  it('a command not yet at Ashby when the stop comes gives up, to run again next time', async () => {
    const stop = new AbortController();
    stop.abort();
    const ashby = new FakeAshby().on('candidate.search', []).on('candidate.create', { id: 'c1' });
    const { processor, ledger } = setup(ashby, { stopSignal: stop.signal });
    expect(await processor.process(message({ operation: 'create', name: 'Ada' }), 'candidate')).toMatchObject({
      kind: 'aborted',
    });
    expect(ashby.calls).toHaveLength(0);
    expect(ledger.writes).toHaveLength(0);
  });
});

describe('CommandProcessor same idempotencyKey under different record keys', () => {
  it('runs them one after the other, so the second sees the first in the ledger', async () => {
    let calls = 0;
    const ashby = new FakeAshby().on('job.search', []).on('job.create', async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return { id: 'j1' };
    });
    // The fake answers with the promise itself; unwrap it the way a real call would.
    const call = ashby.call.bind(ashby);
    ashby.call = (async (...args: Parameters<FakeAshby['call']>) => {
      const r = await call(...args);
      return { ...r, results: await (r.results as unknown as Promise<unknown>) };
    }) as FakeAshby['call'];
    const { processor } = setup(ashby);
    const cmd = { operation: 'create', title: 'Eng', teamId: 't', locationId: 'l', idempotencyKey: 'same' };
    const [a, b] = await Promise.all([
      processor.process(message(cmd, 'k1'), 'job'),
      processor.process(message(cmd, 'k2'), 'job'),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(['ok', 'skipped']);
    expect(calls).toBe(1);
  });
});
