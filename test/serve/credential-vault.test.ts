import { describe, expect, it } from '@jest/globals';
import type { KeyTestReport } from '../../src/credentials/key-test.js';
import type { CredentialRecord } from '../../src/serve/model.js';
import { CredentialVault } from '../../src/serve/store/credential-vault.js';
import type { JsonMap } from '../../src/serve/store/json-map.js';

/** The credential vault over an in-memory map standing in for the credentials topic. */
class MemoryMap {
  entries = new Map<string, CredentialRecord>();
  get(k: string) {
    return this.entries.get(k);
  }
  values() {
    return [...this.entries.values()];
  }
  async put(k: string, v: CredentialRecord) {
    this.entries.set(k, JSON.parse(JSON.stringify(v)) as CredentialRecord);
  }
  async remove(k: string) {
    this.entries.delete(k);
  }
  async sync() {}
}

const KEY = 'sk_vault_test_key_0123456789abcdef';
const report = (key: string): KeyTestReport => ({
  baseUrl: 'http://ashby',
  testedAt: '2026-12-03T00:00:00.000Z',
  title: `key ending ${key.slice(-4)}`,
  scopes: ['candidates:read'],
  modules: [{ moduleKey: 'candidates', module: 'Candidates', read: 'readable-by-scope', write: 'no' }],
  confidentialJobs: { state: 'unknown', evidence: '' },
});

function vault(map: MemoryMap, master = 'master-key-for-the-vault-test', users: string[] = []) {
  const tested: string[] = [];
  const v = new CredentialVault(
    map as unknown as JsonMap<CredentialRecord>,
    master,
    async (key) => (tested.push(key), report(key)),
    () => users,
  );
  return { v, tested };
}

describe('CredentialVault', () => {
  it('tests the key, stores it sealed, and gives it back only to pipelines', async () => {
    const map = new MemoryMap();
    const { v, tested } = vault(map);
    const view = await v.add('acme', `  ${KEY}\n`, 'http://ashby');
    expect(tested).toEqual([KEY]);
    expect(view).toMatchObject({
      name: 'acme',
      scopes: ['candidates:read'],
      readable_modules: ['candidates'],
      confidential_jobs: { state: 'unknown', evidence: '' },
      base_url: 'http://ashby',
      used_by: [],
    });
    expect(JSON.stringify(view)).not.toContain(KEY);
    expect(JSON.stringify([...map.entries.values()])).not.toContain(KEY);
    expect(await v.key('acme')).toBe(KEY);
    await expect(v.add('acme', KEY, 'http://ashby')).rejects.toMatchObject({ code: 'SERVE_CONFLICT' });
  });

  it('cannot open a credential under another master key or another name', async () => {
    const map = new MemoryMap();
    await vault(map).v.add('acme', KEY, 'http://ashby');
    await expect(vault(map, 'a-different-master-key-000').v.key('acme')).rejects.toMatchObject({
      code: 'CREDENTIAL_DECRYPT_FAILED',
    });
    map.entries.set('credential:other', { ...map.entries.get('credential:acme')!, name: 'other' });
    await expect(vault(map).v.key('other')).rejects.toMatchObject({ code: 'CREDENTIAL_DECRYPT_FAILED' });
  });

  it('rotates, and refuses to delete a credential in use', async () => {
    const map = new MemoryMap();
    const { v } = vault(map, undefined, ['p1', 'p2']);
    await v.add('acme', KEY, 'http://ashby');
    const rotated = await v.rotate('acme', `${KEY}-new`);
    expect(rotated.rotated_at).toEqual(expect.any(String));
    expect(await v.key('acme')).toBe(`${KEY}-new`);
    await expect(v.remove('acme')).rejects.toMatchObject({
      code: 'SERVE_CREDENTIAL_IN_USE',
      message: expect.stringContaining('p1, p2'),
    });
    const free = vault(map).v;
    await free.remove('acme');
    expect(free.list()).toEqual([]);
    await expect(free.remove('acme')).rejects.toMatchObject({ code: 'SERVE_NOT_FOUND' });
  });

  it('rejects names and keys the file store rejects', async () => {
    const { v } = vault(new MemoryMap());
    await expect(v.add('bad name', KEY, 'http://ashby')).rejects.toMatchObject({ code: 'CREDENTIAL_NAME_INVALID' });
    await expect(v.add('acme', 'short', 'http://ashby')).rejects.toMatchObject({ code: 'CREDENTIAL_KEY_INVALID' });
  });
});
