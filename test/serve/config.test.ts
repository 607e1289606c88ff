import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/errors.js';
import { resolvePipelineConfig } from '../../src/serve/config/pipeline-spec.js';
import { renderWorkerConfigDocs, SERVE_CONFIG_DOCS_PATH } from '../../src/serve/config/docs.js';
import { resolveWorkerConfig } from '../../src/serve/config/load.js';
import { transactionalIdFor } from '../../src/source/runtime/source-runner.js';

const TOKEN = 'a-token-of-sixteen-chars';
const worker = (extra: Record<string, unknown> = {}) => ({
  worker: { id: 'w1', group_id: 'g', master_key: '${MK}', rest: { tokens: [TOKEN] }, ...extra },
});
const env = { MK: 'master-key-0123456789' };

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).details.problems as string[];
  }
  throw new Error('expected a ConfigError');
}

describe('worker config', () => {
  it('fills the defaults of the contract (REST on 127.0.0.1:8083, topics, backoff)', () => {
    const c = resolveWorkerConfig(worker(), env);
    expect(c.worker.rest).toEqual({ host: '127.0.0.1', port: 8083, tokens: [TOKEN] });
    expect(c.worker.master_key).toBe(env.MK);
    expect(c.kafka.bootstrap_servers).toBe('127.0.0.1:9092');
    expect(c.worker.topics.config).toBe('ashby-kafka.serve.configs');
    expect(c.worker.restart).toEqual({ min_backoff_ms: 1000, max_backoff_ms: 300_000 });
  });

  it.each([
    [
      { worker: { id: 'w1', group_id: 'g', master_key: 'master-key-0123456789', rest: {} } },
      'worker.rest.tokens: is required',
    ],
    [worker({ rest: { tokens: ['short'] } }), 'worker.rest.tokens[0]'],
    [worker({ rest: { tokens: [TOKEN, TOKEN] } }), 'worker.rest.tokens: a token is listed twice'],
    [worker({ rest: { tokens: [TOKEN], port: 70000 } }), 'worker.rest.port'],
    [worker({ session_timeout_ms: 1000 }), 'worker.session_timeout_ms'],
    [{ ...worker(), kafka: { bootstrap: 'x' } }, 'kafka.bootstrap: unknown key'],
    [
      { worker: { group_id: 'g', master_key: 'master-key-0123456789', rest: { tokens: [TOKEN] } } },
      'worker.id: is required',
    ],
  ])('rejects %j naming the path', (raw, expected) => {
    expect(problems(() => resolveWorkerConfig(raw, env)).join('\n')).toContain(expected);
  });

  it('refuses an unset ${VAR}', () => {
    expect(() => resolveWorkerConfig(worker(), {})).toThrow(/MK is not set/);
  });

  it('docs/serve-config.md matches the schema (run `npm run docs`)', () => {
    expect(readFileSync(SERVE_CONFIG_DOCS_PATH, 'utf8')).toBe(renderWorkerConfigDocs());
    expect(renderWorkerConfigDocs()).toMatch(/\| `worker\.master_key` \|[^\n]*\*\*Secret\*\*/);
  });
});

describe('pipeline config in service mode', () => {
  const w = resolveWorkerConfig({ ...worker(), schema_registry: { url: 'http://registry:8081' } }, env);
  const source = { ashby: { credential: 'acme' }, source: { streams: ['candidates'], topic_prefix: 'acme.' } };

  it('takes Kafka and the registry from the worker, with stable per-pipeline identities', () => {
    const c = resolvePipelineConfig('acme-source', source, w, {});
    expect(c.kafka.bootstrap_servers).toBe('127.0.0.1:9092');
    expect(c.schema_registry?.url).toBe('http://registry:8081');
    expect(c.kafka.client_id).toBe('ashby-kafka.acme-source');
    expect(transactionalIdFor(c, 'acme.candidates')).toBe('ashby-kafka.acme-source.source.acme.candidates');
    const sink = resolvePipelineConfig(
      'acme-sink',
      { ashby: { credential: 'acme' }, destination: { topics: [{ topic: 'cmds', entity: 'candidate' }] } },
      w,
      {},
    );
    expect(sink.kafka.group_id).toBe('ashby-kafka.sink.acme-sink');
    expect(sink.kafka.librdkafka['session.timeout.ms']).toBe(w.worker.session_timeout_ms);
  });

  it('keeps kafka overrides of the pipeline', () => {
    const c = resolvePipelineConfig(
      'p',
      { ...source, kafka: { group_id: 'mine', librdkafka: { 'fetch.min.bytes': 10 } } },
      w,
      {},
    );
    expect(c.kafka.group_id).toBe('mine');
    expect(c.kafka.librdkafka['fetch.min.bytes']).toBe(10);
  });

  it('lists every problem at once', () => {
    const found = problems(() =>
      resolvePipelineConfig(
        'bad name!',
        {
          ashby: { api_key: 'a-literal-key-that-would-be-stored' },
          source: { streams: ['nope'], mode: 'sometimes' },
          logging: {},
        },
        w,
        {},
      ),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('name: "bad name!"'),
        expect.stringContaining('ashby.api_key: only a `${ENV_VAR}` reference'),
        expect.stringContaining('config.logging: set by the worker'),
        expect.stringContaining('source.mode: must be one of incremental, full_refresh'),
      ]),
    );
    expect(found.join('\n')).not.toContain('a-literal-key-that-would-be-stored');
  });

  it('checks stream names against the catalog', () => {
    expect(
      problems(() => resolvePipelineConfig('p', { ...source, source: { streams: ['nope'] } }, w, {})).join('\n'),
    ).toContain('unknown stream "nope"');
  });

  it('wants a source or a destination, not both', () => {
    expect(problems(() => resolvePipelineConfig('p', { ashby: { credential: 'x' } }, w, {}))).toContain(
      'config: set `source` (Ashby → Kafka) or `destination` (Kafka → Ashby)',
    );
  });

  it('resolves ${ENV} keys on the worker', () => {
    expect(
      resolvePipelineConfig('p', { ashby: { api_key: '${ACME_KEY}' }, source: { streams: ['jobs'] } }, w, {
        ACME_KEY: 'k'.repeat(40),
      }).ashby.api_key,
    ).toBe('k'.repeat(40));
  });
});
