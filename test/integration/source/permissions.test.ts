import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KafkaProducer } from '../../../src/kafka/index.js';
import { transactionalIdFor } from '../../../src/source/runtime/source-runner.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { kafkaTestConfig } from '../../support/stack.js';
import { EXPECTED_STREAMS } from '../../support/streams.js';
import { captureLogger, readTopic, runPass, sourceConfig } from './helpers.js';

/** Streams a key cannot read, and a second process with the same exactly-once config. */

/** The streams the `all` passes below keep: what these keys' modules cover, plus offers. */
const KEPT = [
  'candidates',
  'offers',
  'jobs',
  'interview_events',
  'application_history',
  'candidate_notes',
  'application_criteria_evaluations',
  'candidate_projects',
  'candidate_client_info',
  'candidate_fraud_checks',
  'user_interviewer_pauses',
];
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    seed: 3,
    scale: 60,
    keys: [
      // No Offers module; may call apiKey.info (scopes decide before anything runs).
      { name: 'no_offers', permissions: ['candidatesRead', 'jobsRead', 'apiKeysRead'] },
      // No Offers and no API Keys module: the refusal comes from offer.list itself.
      { name: 'no_offers_no_info', permissions: ['candidatesRead', 'jobsRead'] },
    ],
    latencyMs: 0,
  });
});
afterAll(async () => {
  await sandbox.close();
});

describe('source: permissions', () => {
  it.each(['no_offers', 'no_offers_no_info'])(
    'skips an unreadable stream of `all` with one warning (%s)',
    async (key) => {
      const config = sourceConfig({ url: sandbox.url, key, streams: 'all', exclude: [] });
      // Keep the pass small.
      config.source!.exclude = EXPECTED_STREAMS.filter((s) => !KEPT.includes(s));
      const { logger, lines } = captureLogger();
      const result = await runPass(config, logger);
      expect(result.error).toBeUndefined();
      const phases = Object.fromEntries(result.streams.map((s) => [s.stream, s.phase]));
      expect(phases).toEqual({ candidates: 'done', jobs: 'done', offers: 'skipped' });
      const warnings = lines.filter((l) => l.level === 'warn' && l.msg.includes('offers'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.msg).toContain('cannot read');
      expect((await readTopic(`${config.source!.topic_prefix}candidates`)).length).toBe(result.streams[0]!.records);
    },
  );

  it.each(['no_offers', 'no_offers_no_info'])(
    'fails the pass when the unreadable stream is listed explicitly (%s)',
    async (key) => {
      const config = sourceConfig({ url: sandbox.url, key, streams: ['candidates', 'offers'] });
      const result = await runPass(config);
      expect(result.error?.code).toBe('ASHBY_PERMISSION_DENIED');
      expect(result.error?.message).toContain('Offers');
    },
  );
});

describe('source: exactly-once fencing', () => {
  it('stops a process whose transactional id another process with the same config took over', async () => {
    const slow = await startSandbox({ seed: 3, scale: 2000, latencyMs: 30 });
    try {
      const config = sourceConfig({ url: slow.url, key: slow.keys.full, streams: ['candidates'], exactlyOnce: true });
      // Enough retries to wait out the hold below.
      config.ashby.retry.retries = 60;
      const pass = runPass(config);
      // Let the first process commit a few pages, then hold it (429, Retry-After 1 s) while "another
      // process" with the same transactional id connects: on a busy machine that can take longer than
      // the rest of the pass, which would then end before anything fenced it.
      const deadline = Date.now() + 20_000;
      while (slow.admin.callLog({ path: '/candidate.list' }).length < 3 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      slow.admin.forceNext('/candidate.list', 60, { status: 429, retryAfterSeconds: 1 });
      const intruder = await KafkaProducer.connect({
        config: kafkaTestConfig(),
        transactionalId: transactionalIdFor(config, `${config.source!.topic_prefix}candidates`),
      });
      slow.admin.clearForced();
      const result = await pass;
      await intruder.close();
      expect(result.streams[0]!.phase).not.toBe('done');
      expect(result.error?.code).toBe('KAFKA_FENCED');
      expect(result.error?.message).toContain('another process with the same transactional id');
    } finally {
      await slow.close();
    }
  });
});
