import { isSinkEcho, IDEMPOTENCY_KEY_HEADER, ORIGIN_HEADER, SINK_ORIGIN } from '../../../src/source/loop-guard.js';
import { readTopic, runPass, sourceConfig } from '../source/helpers.js';
import { sinkFixture, type SinkFixture } from './helpers.js';

/**
 * Two-way sync (docs/two-way-sync.md): the source's candidates topic feeds, through a transform
 * (an "HRIS" that answers every candidate change with a command), back into the sink. After one
 * external change the loop settles: exactly one sink write, and its echo comes back marked and
 * is dropped instead of causing another write.
 */

let f: SinkFixture;
beforeAll(async () => {
  f = await sinkFixture('twoway');
});
afterAll(async () => {
  await f.close();
});

async function ashby(endpoint: string, body: Record<string, unknown>): Promise<any> {
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

it('one external change → one sink write; the echo is marked and dropped; the loop settles', async () => {
  const source = sourceConfig({ url: f.sandbox.url, key: f.sandbox.keys.full, streams: ['candidates'] });
  source.source!.loop_guard = { results_topic: f.results, value_format: 'avro' };
  const topic = `${source.source!.topic_prefix}candidates`;
  const candidate = await ashby('candidate.create', { name: 'Two Way', email: 'two.way@example.org' });
  expect((await runPass(source)).error).toBeUndefined();

  const seen = new Set<string>();
  /** The transform: new records of our candidate, echoes dropped, each answered with an update command. */
  const transform = async (baseline = false): Promise<{ commands: number; echoes: Array<Record<string, string>> }> => {
    const fresh = (await readTopic(topic)).filter(
      (r) => r.key === candidate.id && !seen.has(`${r.partition}/${r.offset}`),
    );
    for (const r of fresh) seen.add(`${r.partition}/${r.offset}`);
    const echoes = fresh.filter((r) => isSinkEcho(r.headers)).map((r) => r.headers);
    const changes = baseline ? [] : fresh.filter((r) => !isSinkEcho(r.headers));
    await f.send(
      'candidate',
      changes.map((r) => ({
        key: r.key,
        value: {
          operation: 'update',
          candidateId: r.key,
          phoneNumber: '+15550100',
          idempotencyKey: `hris-${r.partition}-${r.offset}`,
        },
      })),
    );
    return { commands: changes.length, echoes };
  };
  await transform(true); // the initial snapshot is the HRIS's baseline

  // The external change: someone edits the candidate in Ashby.
  await ashby('candidate.update', { candidateId: candidate.id, name: 'Two Way Renamed' });
  let commands = 0;
  const allEchoes: Array<Record<string, string>> = [];
  for (let round = 0; round < 3; round++) {
    expect((await runPass(source)).error).toBeUndefined();
    const step = await transform();
    commands += step.commands;
    allEchoes.push(...step.echoes);
    await f.run();
  }
  // One command for the external change; the sink's write came back once, marked, and was dropped.
  expect(commands).toBe(1);
  const results = await Promise.all((await f.readAll(f.results)).map((m) => f.decodeResult(m)));
  expect(results).toHaveLength(1);
  expect(results[0]).toMatchObject({ status: 'ok', ashbyId: candidate.id, ashbyUpdatedAt: expect.any(Date) });
  expect(allEchoes).toHaveLength(1);
  expect(allEchoes[0]).toMatchObject({
    [ORIGIN_HEADER]: SINK_ORIGIN,
    [IDEMPOTENCY_KEY_HEADER]: expect.stringMatching(/^hris-/),
  });
  // Settled: a further pass and sink run produce nothing new for the candidate.
  await f.run();
  expect((await runPass(source)).error).toBeUndefined();
  expect(await transform()).toEqual({ commands: 0, echoes: [] });
  const sinkUpdates = f.sandbox.admin
    .callLog({ path: 'candidate.update' })
    .filter((e) => (e.body as { phoneNumber?: string }).phoneNumber === '+15550100');
  expect(sinkUpdates).toHaveLength(1);
}, 180_000);
