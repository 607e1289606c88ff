import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAshbyApiKey } from '../../src/config/ashby-key.js';
import { CredentialError, CredentialStore, resolveStorePath } from '../../src/credentials/index.js';
import { clearSecretsForTests, scrub } from '../../src/log/secrets.js';

const KEY = 'test_key_7c2e9b41d0a5f3';
const OTHER = 'second_key_88aa11bb22cc';
const MASTER = 'correct horse battery staple';

let dir: string;
let storePath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ak-cred-'));
  storePath = join(dir, 'store', 'credentials.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  clearSecretsForTests();
});

function store(env: NodeJS.ProcessEnv = {}): CredentialStore {
  return new CredentialStore({ path: storePath, env });
}

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CredentialError);
    const e = err as CredentialError;
    return { code: e.code, message: e.message };
  }
  throw new Error('expected a CredentialError');
}

describe('store location', () => {
  it('uses --store, then $ASHBY_KAFKA_CREDENTIALS_FILE, then $XDG_CONFIG_HOME, then ~/.config', () => {
    expect(resolveStorePath('/x/c.json', { ASHBY_KAFKA_CREDENTIALS_FILE: '/y/c.json' })).toBe('/x/c.json');
    expect(resolveStorePath(undefined, { ASHBY_KAFKA_CREDENTIALS_FILE: '/y/c.json', XDG_CONFIG_HOME: '/z' })).toBe(
      '/y/c.json',
    );
    expect(resolveStorePath(undefined, { XDG_CONFIG_HOME: '/z' })).toBe('/z/ashby-kafka/credentials.json');
    expect(resolveStorePath(undefined, { HOME: '/home/u' })).toBe('/home/u/.config/ashby-kafka/credentials.json');
  });
});

describe('plain store', () => {
  it('round-trips a key and keeps metadata, with 0600 file in a 0700 directory', async () => {
    const s = store();
    const info = await s.add('prod', `  ${KEY}\n`);
    expect(info).toEqual({
      name: 'prod',
      created_at: expect.any(String),
      rotated_at: null,
      last4: KEY.slice(-4),
      last_test: null,
    });
    expect(info).not.toHaveProperty('key');
    expect(await store().getKey('prod')).toBe(KEY);
    expect((await stat(storePath)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'store'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir, 'store'))).toEqual(['credentials.json']);
  });

  it('registers the key with the log scrubber when it is read', async () => {
    await store().add('prod', KEY);
    clearSecretsForTests();
    await store().getKey('prod');
    expect(scrub(`key=${KEY}`)).toBe('key=[REDACTED]');
  });

  it('refuses to add an existing name and points at rotate', async () => {
    await store().add('prod', KEY);
    const e = await codeOf(store().add('prod', OTHER));
    expect(e.code).toBe('CREDENTIAL_EXISTS');
    expect(e.message).toContain('credentials rotate prod');
    expect(await store().getKey('prod')).toBe(KEY);
  });

  it('rotates, records tests, lists without keys and removes', async () => {
    const s = store();
    await s.add('b', KEY);
    await s.add('a', OTHER);
    const rotated = await s.rotate('b', OTHER);
    expect(rotated.rotated_at).toEqual(expect.any(String));
    expect(rotated.last4).toBe(OTHER.slice(-4));
    await s.recordTest('a', {
      ok: true,
      tested_at: '2026-01-01T00:00:00.000Z',
      base_url: 'http://x',
      title: 'T',
      scopes: ['candidates:read'],
    });
    const list = await s.list();
    expect(list.map((c) => c.name)).toEqual(['a', 'b']);
    expect(list[0]!.last_test?.scopes).toEqual(['candidates:read']);
    expect(JSON.stringify(list)).not.toContain(OTHER);
    await s.remove('a');
    expect((await s.list()).map((c) => c.name)).toEqual(['b']);
    expect((await codeOf(s.getKey('a'))).code).toBe('CREDENTIAL_NOT_FOUND');
  });

  it('names the known credentials when one is missing', async () => {
    await store().add('prod', KEY);
    const e = await codeOf(store().getKey('staging'));
    expect(e.code).toBe('CREDENTIAL_NOT_FOUND');
    expect(e.message).toContain('Known credentials: prod');
    expect(e.message).toContain(storePath);
  });

  it('rejects bad names and implausible keys without echoing the key', async () => {
    expect((await codeOf(store().add('../etc', KEY))).code).toBe('CREDENTIAL_NAME_INVALID');
    const spaced = await codeOf(store().add('x', 'abc def ghi jkl'));
    expect(spaced.code).toBe('CREDENTIAL_KEY_INVALID');
    expect(spaced.message).not.toContain('abc def');
    expect((await codeOf(store().add('x', '   '))).code).toBe('CREDENTIAL_KEY_INVALID');
    expect((await codeOf(store().add('x', 'short'))).code).toBe('CREDENTIAL_KEY_INVALID');
  });

  it('keeps every entry when adds run concurrently (lock + atomic write)', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `c${i}`);
    await Promise.all(names.map((n) => store().add(n, `${KEY}_${n}`)));
    expect((await store().list()).map((c) => c.name)).toEqual(names);
    expect(await readdir(join(dir, 'store'))).toEqual(['credentials.json']);
  });
});

describe('file modes', () => {
  it('refuses a group/world-readable file (0644), naming the file and the chmod fix', async () => {
    await store().add('prod', KEY);
    await chmod(storePath, 0o644);
    const e = await codeOf(store().getKey('prod'));
    expect(e.code).toBe('CREDENTIAL_STORE_INSECURE');
    expect(e.message).toContain(storePath);
    expect(e.message).toContain(`chmod 600 '${storePath}'`);
    expect(e.message).not.toContain(KEY);
  });

  it('refuses a 0755 directory, naming the chmod fix', async () => {
    await store().add('prod', KEY);
    await chmod(join(dir, 'store'), 0o755);
    const e = await codeOf(store().list());
    expect(e.code).toBe('CREDENTIAL_STORE_INSECURE');
    expect(e.message).toContain(`chmod 700 '${join(dir, 'store')}'`);
    // writes are refused too: nothing lands in an open directory
    expect((await codeOf(store().add('other', OTHER))).code).toBe('CREDENTIAL_STORE_INSECURE');
  });

  it('does not advise chmod on a shared directory it does not own (/tmp)', async () => {
    const e = await codeOf(new CredentialStore({ path: join(tmpdir(), 'ak-credentials.json'), env: {} }).list());
    expect(e.code).toBe('CREDENTIAL_STORE_INSECURE');
    if (process.getuid?.() !== 0) expect(e.message).toContain('directory of your own');
  });

  it('reports a damaged file clearly', async () => {
    await mkdir(join(dir, 'store'), { mode: 0o700 });
    await writeFile(storePath, '{"version":1,', { mode: 0o600 });
    const e = await codeOf(store().list());
    expect(e.code).toBe('CREDENTIAL_STORE_CORRUPT');
    expect(e.message).toContain(storePath);
  });
});

describe('encrypted store (ASHBY_KAFKA_MASTER_KEY)', () => {
  const env = { ASHBY_KAFKA_MASTER_KEY: MASTER };

  it('round-trips, and the file contains neither the key nor its base64 forms', async () => {
    await store(env).add('prod', KEY);
    await store(env).add('other', OTHER);
    expect(await store(env).getKey('prod')).toBe(KEY);
    expect(await store(env).getKey('other')).toBe(OTHER);
    const raw = await readFile(storePath);
    for (const secret of [KEY, OTHER, MASTER]) {
      expect(raw.includes(Buffer.from(secret))).toBe(false);
      expect(raw.includes(Buffer.from(Buffer.from(secret).toString('base64').replace(/=+$/, '')))).toBe(false);
      expect(raw.includes(Buffer.from(Buffer.from(`${secret}:`).toString('base64').replace(/=+$/, '')))).toBe(false);
    }
    const file = JSON.parse(raw.toString('utf8'));
    expect(file.encryption).toMatchObject({ cipher: 'aes-256-gcm', kdf: { name: 'scrypt' } });
    expect(file.credentials[0].key).toEqual({
      iv: expect.any(String),
      tag: expect.any(String),
      data: expect.any(String),
    });
    // one IV per entry
    expect(file.credentials[0].key.iv).not.toBe(file.credentials[1].key.iv);
  });

  it('fails clearly on a wrong master key (code, no stack in the message, no key)', async () => {
    await store(env).add('prod', KEY);
    const e = await codeOf(store({ ASHBY_KAFKA_MASTER_KEY: 'not the master key' }).getKey('prod'));
    expect(e.code).toBe('CREDENTIAL_DECRYPT_FAILED');
    expect(e.message).toContain('ASHBY_KAFKA_MASTER_KEY');
    expect(e.message).not.toMatch(/\n\s+at /);
    expect(e.message).not.toContain(KEY);
    // and a wrong key cannot add to the store either
    expect((await codeOf(store({ ASHBY_KAFKA_MASTER_KEY: 'not the master key' }).add('x', OTHER))).code).toBe(
      'CREDENTIAL_DECRYPT_FAILED',
    );
  });

  it('asks for the master key when the store is encrypted and none is set', async () => {
    await store(env).add('prod', KEY);
    const e = await codeOf(store({}).getKey('prod'));
    expect(e.code).toBe('CREDENTIAL_MASTER_KEY_REQUIRED');
    expect(e.message).toContain(storePath);
    // listing reads only metadata: it works without the master key, and checks a wrong one
    expect((await store({}).list()).map((c) => c.name)).toEqual(['prod']);
    expect((await codeOf(store({ ASHBY_KAFKA_MASTER_KEY: 'wrong' }).list())).code).toBe('CREDENTIAL_DECRYPT_FAILED');
    expect((await codeOf(store({}).add('more', OTHER))).code).toBe('CREDENTIAL_MASTER_KEY_REQUIRED');
  });

  it('detects an entry moved under another name (the name is authenticated)', async () => {
    await store(env).add('a', KEY);
    await store(env).add('b', OTHER);
    const file = JSON.parse(await readFile(storePath, 'utf8'));
    [file.credentials[0].key, file.credentials[1].key] = [file.credentials[1].key, file.credentials[0].key];
    await writeFile(storePath, JSON.stringify(file));
    expect((await codeOf(store(env).getKey('a'))).code).toBe('CREDENTIAL_DECRYPT_FAILED');
  });

  /** Flips one bit of one byte of a base64 field of entry `name`'s sealed key, as damage or tampering would. */
  async function flipByte(name: string, field: 'data' | 'tag' | 'iv', at = 0): Promise<void> {
    const file = JSON.parse(await readFile(storePath, 'utf8'));
    const sealed = file.credentials.find((c: { name: string }) => c.name === name).key;
    const bytes = Buffer.from(sealed[field], 'base64');
    bytes[at] = bytes[at]! ^ 0x01;
    sealed[field] = bytes.toString('base64');
    await writeFile(storePath, JSON.stringify(file, null, 2));
  }

  it.each(['data', 'tag', 'iv'] as const)(
    'a flipped %s byte: CREDENTIAL_DECRYPT_FAILED naming the entry, no key or part of it returned or printed; other entries still open',
    async (field) => {
      await store(env).add('prod', KEY);
      await store(env).add('other', OTHER);
      await flipByte('prod', field, 3);
      let returned: string | undefined;
      const e = await codeOf(
        store(env)
          .getKey('prod')
          .then((k) => (returned = k)),
      );
      expect(returned).toBeUndefined();
      expect(e.code).toBe('CREDENTIAL_DECRYPT_FAILED');
      expect(e.message).toContain('"prod"');
      expect(e.message).toContain(storePath);
      expect(e.message).toContain('credentials rotate prod');
      expect(e.message).not.toMatch(/\n\s+at /);
      // GCM's update() yields plaintext before final() checks the tag: none of it may escape.
      for (let i = 0; i + 6 <= KEY.length; i++) expect(e.message).not.toContain(KEY.slice(i, i + 6));
      expect(await store(env).getKey('other')).toBe(OTHER);
    },
  );

  it('a wrong master key on an empty encrypted store fails at the verifier, and nothing is written', async () => {
    await store(env).add('gone', KEY);
    await store(env).remove('gone');
    const before = await readFile(storePath, 'utf8');
    expect(JSON.parse(before)).toMatchObject({ encryption: { verifier: expect.any(Object) }, credentials: [] });
    const wrong = { ASHBY_KAFKA_MASTER_KEY: 'not the master key' };
    const listed = await codeOf(store(wrong).list());
    expect(listed.code).toBe('CREDENTIAL_DECRYPT_FAILED');
    expect(listed.message).toContain('ASHBY_KAFKA_MASTER_KEY is not the key it was encrypted with');
    // With no entry to fail on, only the verifier stops a wrong key from sealing a new entry under it.
    expect((await codeOf(store(wrong).add('new', OTHER))).code).toBe('CREDENTIAL_DECRYPT_FAILED');
    expect(await readFile(storePath, 'utf8')).toBe(before);
    expect(await store(env).list()).toEqual([]);
  });

  it('encrypts a plain store on its next write once a master key is set', async () => {
    await store({}).add('old', KEY);
    await store(env).add('new', OTHER);
    const raw = await readFile(storePath, 'utf8');
    expect(raw).not.toContain(KEY);
    expect(await store(env).getKey('old')).toBe(KEY);
  });
});

describe('resolveAshbyApiKey', () => {
  it('returns ashby.api_key (trimmed) and registers it', async () => {
    expect(await resolveAshbyApiKey({ api_key: ` ${KEY} ` })).toBe(KEY);
    expect(scrub(KEY)).toBe('[REDACTED]');
  });

  it('reads ashby.credential from the store named by env or storePath', async () => {
    await store().add('prod', KEY);
    expect(await resolveAshbyApiKey({ credential: 'prod' }, { storePath })).toBe(KEY);
    expect(await resolveAshbyApiKey({ credential: 'prod' }, { env: { ASHBY_KAFKA_CREDENTIALS_FILE: storePath } })).toBe(
      KEY,
    );
  });

  it.each([
    [{}, 'CONFIG_INVALID', 'set api_key'],
    [{ api_key: KEY, credential: 'prod' }, 'CONFIG_INVALID', 'not both'],
    [{ api_key: '  ' }, 'CONFIG_INVALID', 'empty'],
  ])('rejects %j with %s', async (ashby, code, text) => {
    await expect(resolveAshbyApiKey(ashby, { storePath })).rejects.toMatchObject({
      code,
      message: expect.stringContaining(text),
    });
  });

  it('fails with CREDENTIAL_NOT_FOUND for an unknown name', async () => {
    await expect(resolveAshbyApiKey({ credential: 'nope' }, { storePath })).rejects.toMatchObject({
      code: 'CREDENTIAL_NOT_FOUND',
    });
  });
});
