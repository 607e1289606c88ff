import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile, resolveConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { clearSecretsForTests, scrub } from '../../src/log/secrets.js';

const base = { ashby: { api_key: 'k'.repeat(20) }, kafka: {} };

function problemsOf(raw: unknown, env: NodeJS.ProcessEnv = {}): string {
  try {
    resolveConfig(raw, { env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('CONFIG_INVALID');
    return (err as Error).message;
  }
  throw new Error('config was accepted');
}

afterEach(() => clearSecretsForTests());

describe('config defaults', () => {
  it('fills every default of the documented contract', () => {
    const c = resolveConfig({ ...base, source: {} }, { env: {} });
    expect(c.ashby.base_url).toBe('https://api.ashbyhq.com');
    expect(c.ashby.retry).toEqual({ retries: 8, min_delay_ms: 500, max_delay_ms: 30_000 });
    expect(c.kafka.bootstrap_servers).toBe('127.0.0.1:9092');
    expect(c.source).toMatchObject({
      streams: 'all',
      topic_prefix: 'ashby.',
      mode: 'incremental',
      state: 'kafka',
      exactly_once: false,
      interval: '15m',
    });
    expect(c.schema_registry).toBeUndefined();
    expect(c.logging).toEqual({ level: 'info', format: 'auto' });
  });

  it('accepts the destination contract of the docs', () => {
    const c = resolveConfig(
      { ...base, destination: { topics: [{ topic: 'ashby.commands.candidates', entity: 'candidate' }] } },
      { env: {} },
    );
    expect(c.destination).toMatchObject({
      value_format: 'avro',
      on_permission_error: 'fail',
      dead_letter_topic: 'ashby.commands.dlq',
      results_topic: 'ashby.commands.results',
      concurrency: 8,
    });
  });
});

describe('invalid configs name the path and the reason', () => {
  const table: Array<[string, unknown, string]> = [
    ['not a mapping', ['x'], 'the config must be a mapping'],
    ['missing ashby', { kafka: {} }, 'ashby: is required'],
    ['no key at all', { ashby: {}, kafka: {} }, 'ashby: set api_key'],
    [
      'key and credential',
      { ashby: { api_key: 'abcdefgh', credential: 'prod' }, kafka: {} },
      'either api_key or credential, not both',
    ],
    [
      'typo in a key',
      { ...base, source: { topic_prefx: 'x' } },
      'source.topic_prefx: unknown key (known keys: streams, exclude, topic_prefix',
    ],
    [
      'bad enum',
      { ...base, source: { mode: 'incremetal' } },
      'source.mode: must be one of incremental, full_refresh (got "incremetal")',
    ],
    [
      'bad url',
      { ...base, ashby: { api_key: 'abcdefgh', base_url: 'api.ashbyhq.com' } },
      'ashby.base_url: "api.ashbyhq.com" is not an http(s) URL',
    ],
    [
      'bad duration',
      { ...base, source: { interval: '15 minutes' } },
      'source.interval: "15 minutes" is not a duration; use e.g. "30s", "15m", "1h"',
    ],
    ['bad state', { ...base, source: { state: 'redis' } }, 'source.state: "redis" must be `kafka` or `file:<path>`'],
    [
      'unknown name in a list a union takes',
      { ...base, source: { headers: ['ashby.stream', 'ashby.emited_at'] } },
      'source.headers[1]: must be one of ashby.stream, ashby.sync_mode, ashby.sync_run_id, ashby.request_id, ashby.emitted_at (got "ashby.emited_at")',
    ],
    [
      'an item listed twice',
      { ...base, source: { headers: ['ashby.stream', 'ashby.stream'] } },
      'source.headers: names an item more than once; list each once (got ["ashby.stream","ashby.stream"])',
    ],
    [
      'neither a word nor a list',
      { ...base, source: { headers: 'some' } },
      'source.headers: must be "none" or "all" or a list (got "some")',
    ],
    [
      'negative number',
      { ...base, ashby: { api_key: 'abcdefgh', retry: { retries: -1 } } },
      'ashby.retry.retries: expected integer to be greater or equal to 0 (got -1)',
    ],
    [
      'wrong type in list',
      { ...base, destination: { topics: [{ topic: 't', entity: 'candidates' }] } },
      'destination.topics[0].entity: must be one of candidate, job, application, offer, interview_schedule (got "candidates")',
    ],
    [
      'empty topic list',
      { ...base, destination: { topics: [] } },
      'destination.topics: expected array length to be greater or equal to 1',
    ],
    [
      'duplicate topic',
      {
        ...base,
        destination: {
          topics: [
            { topic: 't', entity: 'job' },
            { topic: 't', entity: 'offer' },
          ],
        },
      },
      'destination.topics: topic t is listed twice',
    ],
    [
      'sasl without creds',
      { ...base, kafka: { security: { protocol: 'sasl_ssl' } } },
      'kafka.security: protocol sasl_ssl needs sasl_mechanism, username and password',
    ],
    [
      'registry half auth',
      { ...base, schema_registry: { url: 'http://r', username: 'u' } },
      'schema_registry: username and password go together',
    ],
  ];
  it.each(table)('%s', (_name, raw, expected) => {
    expect(problemsOf(raw)).toContain(expected);
  });
});

describe('environment interpolation', () => {
  it('substitutes ${VAR} and ${VAR:-default}, and $${ escapes', () => {
    const c = resolveConfig(
      { ashby: { api_key: '${KEY}', base_url: '${URL:-http://127.0.0.1:4010}' }, kafka: { client_id: 'a$${b}' } },
      { env: { KEY: 'secret-value-123' } },
    );
    expect(c.ashby.api_key).toBe('secret-value-123');
    expect(c.ashby.base_url).toBe('http://127.0.0.1:4010');
    expect(c.kafka.client_id).toBe('a${b}');
  });

  it('fails naming the path and the variable when it is unset', () => {
    expect(problemsOf({ ashby: { api_key: '${ASHBY_API_KEY}' }, kafka: {} })).toBe(
      'ashby.api_key: environment variable ASHBY_API_KEY is not set. Export it, or write ${ASHBY_API_KEY:-default}.',
    );
  });

  it('registers secret fields with the scrubber as soon as they load', () => {
    resolveConfig(
      { ashby: { api_key: '${KEY}' }, kafka: {}, schema_registry: { url: 'http://r', bearer_token: 'tok-tok-tok' } },
      { env: { KEY: 'the-secret-key' } },
    );
    expect(scrub('a the-secret-key b tok-tok-tok')).toBe('a [REDACTED] b [REDACTED]');
  });
});

describe('files', () => {
  it('reads YAML and JSON, and reports unreadable or malformed files with the file name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    await writeFile(join(dir, 'a.yaml'), 'ashby:\n  api_key: abcdefghij\nkafka: {}\n');
    await writeFile(join(dir, 'b.json'), JSON.stringify(base));
    await writeFile(join(dir, 'bad.yaml'), 'ashby: [unclosed\n');
    expect((await loadConfigFile(join(dir, 'a.yaml'), { env: {} })).ashby.api_key).toBe('abcdefghij');
    expect((await loadConfigFile(join(dir, 'b.json'), { env: {} })).kafka.bootstrap_servers).toBe('127.0.0.1:9092');
    await expect(loadConfigFile(join(dir, 'missing.yaml'))).rejects.toThrow(
      `cannot read config ${join(dir, 'missing.yaml')}: no such file`,
    );
    await expect(loadConfigFile(join(dir, 'bad.yaml'))).rejects.toThrow(/bad\.yaml is not valid YAML/);
  });
});

describe('secrets in config errors', () => {
  const key = 'sk_live_TOTALLYSECRET_9f8e7d';

  it('a secret value quoted by a validation error is scrubbed, even though validation failed', () => {
    const message = problemsOf({ ashby: { api_key: key, timeouts: { connect_ms: key } }, kafka: {} });
    expect(message).toContain('ashby.timeouts.connect_ms');
    expect(scrub(message)).not.toContain(key);
  });

  it('a numeric registry password is registered as a secret', () => {
    const message = problemsOf({ ...base, schema_registry: { url: 'http://r', password: 987654321012 } });
    expect(message).toContain('schema_registry.password');
    expect(scrub(message)).not.toContain('987654321012');
  });

  it('a YAML syntax error does not quote the offending line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ashby-kafka-yaml-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, `ashby:\n  api_key: ${key}\n   base_url: "unterminated\n`);
    await expect(loadConfigFile(file, { env: {} })).rejects.toThrow(/is not valid YAML: .*line \d+/);
    await loadConfigFile(file, { env: {} }).catch((err: Error) => expect(err.message).not.toContain(key));
  });
});

describe('unquoted ${VAR} in YAML flow mappings', () => {
  it('parses the documented one-line form', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ashby-kafka-flow-'));
    const file = join(dir, 'flow.yaml');
    await writeFile(
      file,
      'ashby: { api_key: ${ASHBY_API_KEY}, base_url: ${BASE:-https://api.ashbyhq.com} }\nkafka: { bootstrap_servers: 127.0.0.1:9092, group_id: ashby-writer }\n',
    );
    const c = await loadConfigFile(file, { env: { ASHBY_API_KEY: 'k'.repeat(24) } });
    expect(c.ashby.api_key).toBe('k'.repeat(24));
    expect(c.ashby.base_url).toBe('https://api.ashbyhq.com');
    expect(c.kafka.group_id).toBe('ashby-writer');
  });

  it('a value cannot change the structure: it is interpolated after parsing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ashby-kafka-flow-'));
    const file = join(dir, 'flow.yaml');
    await writeFile(file, 'ashby: { api_key: ${K} }\n');
    const c = await loadConfigFile(file, { env: { K: 'abc}, base_url: http://evil' } });
    expect(c.ashby.api_key).toBe('abc}, base_url: http://evil');
    expect(c.ashby.base_url).toBe('https://api.ashbyhq.com');
  });
});
