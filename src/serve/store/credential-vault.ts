import { deriveKey, newKdfParams, open, seal, type KdfParams } from '../../credentials/crypto.js';
import { CredentialError } from '../../credentials/errors.js';
import { normalizeKey, validateCredentialName } from '../../credentials/store.js';
import { readableModules, type KeyTestReport } from '../../credentials/key-test.js';
import { registerSecret } from '../../log/secrets.js';
import { ServeError } from '../errors.js';
import { credentialKey, type CredentialRecord } from '../model.js';
import type { JsonMap } from './json-map.js';

/**
 * Credentials every worker of the group can use: each Ashby key sealed with AES-256-GCM under
 * a key derived (scrypt, per-record salt) from the worker's master key, with the credential
 * name as additional authenticated data. Views never carry the key; `key()` is for the
 * pipeline that runs with it and registers it with the log scrubber.
 */
export interface CredentialView {
  name: string;
  title?: string;
  scopes?: string[];
  readable_modules: string[];
  /** Whether the key sees confidential jobs (and their applications), as its test found. */
  confidential_jobs?: CredentialRecord['confidential_jobs'];
  base_url: string;
  created_at: string;
  rotated_at?: string;
  tested_at: string;
  used_by: string[];
}

/** Tests a key against Ashby before it is stored (POST /credentials); throws on a rejected key. */
export type KeyTester = (key: string, baseUrl: string) => Promise<KeyTestReport>;

export class CredentialVault {
  private readonly derived = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly map: JsonMap<CredentialRecord>,
    private readonly masterKey: string,
    private readonly tester: KeyTester,
    private readonly usedBy: (name: string) => string[],
  ) {}

  list(): CredentialView[] {
    return this.map
      .values()
      .map((r) => this.view(r))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): CredentialView {
    return this.view(this.record(name));
  }

  has(name: string): boolean {
    return this.map.get(credentialKey(name)) !== undefined;
  }

  async add(name: string, rawKey: string, baseUrl: string): Promise<CredentialView> {
    validateCredentialName(name);
    await this.map.sync();
    if (this.has(name))
      throw new ServeError(
        'SERVE_CONFLICT',
        `credential ${name} already exists; rotate it (POST /credentials/${name}/rotate) or delete it first`,
        { name },
      );
    const now = new Date().toISOString();
    const record = await this.sealed(name, rawKey, baseUrl, { created_at: now });
    await this.map.put(credentialKey(name), record);
    return this.view(record);
  }

  async rotate(name: string, rawKey: string, baseUrl?: string): Promise<CredentialView> {
    await this.map.sync();
    const old = this.record(name);
    const record = await this.sealed(name, rawKey, baseUrl ?? old.base_url, {
      created_at: old.created_at,
      rotated_at: new Date().toISOString(),
    });
    await this.map.put(credentialKey(name), record);
    return this.view(record);
  }

  async remove(name: string): Promise<void> {
    await this.map.sync();
    this.record(name);
    const users = this.usedBy(name);
    if (users.length)
      throw new ServeError(
        'SERVE_CREDENTIAL_IN_USE',
        `credential ${name} is used by ${users.join(', ')}; delete or change those pipelines first`,
        { name, pipelines: users },
      );
    await this.map.remove(credentialKey(name));
  }

  /** The decrypted key, for a pipeline about to run with it. */
  async key(name: string): Promise<string> {
    const r = this.record(name);
    const key = open(await this.derive(r.kdf), r.sealed, r.name);
    if (key === undefined) {
      throw new CredentialError(
        'CREDENTIAL_DECRYPT_FAILED',
        `credential ${name} cannot be decrypted with this worker's master key: every worker of the group needs the same worker.master_key`,
        { name },
      );
    }
    registerSecret(key);
    return key;
  }

  private record(name: string): CredentialRecord {
    const r = this.map.get(credentialKey(name));
    if (!r)
      throw new ServeError('SERVE_NOT_FOUND', `no credential named ${name} (GET /credentials lists them)`, { name });
    return r;
  }

  private async sealed(
    name: string,
    rawKey: string,
    baseUrl: string,
    dates: { created_at: string; rotated_at?: string },
  ): Promise<CredentialRecord> {
    const key = normalizeKey(rawKey);
    registerSecret(key);
    const report = await this.tester(key, baseUrl);
    const kdf = newKdfParams();
    return {
      name,
      kdf,
      sealed: seal(await this.derive(kdf), key, name),
      ...(report.title !== undefined ? { title: report.title } : {}),
      ...(report.scopes ? { scopes: report.scopes } : {}),
      readable_modules: readableModules(report),
      confidential_jobs: { ...report.confidentialJobs },
      base_url: baseUrl,
      ...dates,
      tested_at: report.testedAt,
    };
  }

  private derive(kdf: KdfParams): Promise<Buffer> {
    let p = this.derived.get(kdf.salt);
    if (!p) {
      p = deriveKey(this.masterKey, kdf);
      this.derived.set(kdf.salt, p);
    }
    return p;
  }

  private view(r: CredentialRecord): CredentialView {
    return {
      name: r.name,
      ...(r.title !== undefined ? { title: r.title } : {}),
      ...(r.scopes ? { scopes: r.scopes } : {}),
      readable_modules: r.readable_modules,
      ...(r.confidential_jobs ? { confidential_jobs: r.confidential_jobs } : {}),
      base_url: r.base_url,
      created_at: r.created_at,
      ...(r.rotated_at ? { rotated_at: r.rotated_at } : {}),
      tested_at: r.tested_at,
      used_by: this.usedBy(r.name),
    };
  }
}
