import { registerSecret } from '../log/secrets.js';
import { open as openSealed, newEncryptionHeader, seal, unlock, type EncryptionHeader, type Sealed } from './crypto.js';
import { CredentialError } from './errors.js';
import { readSecureFile, withFileLock, writeFileAtomic } from './file-io.js';
import { MASTER_KEY_ENV, resolveStorePath } from './paths.js';

/**
 * The named-credential store: a JSON file of entries, each wrapping one Ashby key under a name
 * that pipeline configs reference (`ashby.credential: prod`), so configs hold no secret.
 *
 * Every mutation is lock → read the current file → change → atomic write, so concurrent CLI
 * runs cannot drop each other's entries. Keys are only decrypted by `getKey`, and every key that
 * passes through here is registered with the log scrubber first.
 */
export const STORE_VERSION = 1;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Shorter strings are not plausible Ashby keys (and would escape the scrubber, see log/secrets.ts). */
const MIN_KEY_LENGTH = 8;

/** What the last `credentials test` found. Never holds the key. */
export interface CredentialTestRecord {
  ok: boolean;
  tested_at: string;
  base_url: string;
  title?: string;
  /** From apiKey.info, e.g. "candidates:read"; absent when the key may not read API Keys. */
  scopes?: string[];
  /** From the per-module probes when apiKey.info was not readable. */
  readable_modules?: string[];
  confidential_jobs_visible?: boolean;
  error_code?: string;
  error?: string;
}

export interface CredentialEntry {
  name: string;
  /** Plain text, or AES-256-GCM sealed when the store is encrypted. */
  key: string | Sealed;
  created_at: string;
  rotated_at: string | null;
  last4: string;
  last_test: CredentialTestRecord | null;
}

/** An entry as shown to users: everything but the key. */
export type CredentialInfo = Omit<CredentialEntry, 'key'>;

interface StoreFile {
  version: typeof STORE_VERSION;
  encryption?: EncryptionHeader;
  credentials: CredentialEntry[];
}

export interface CredentialStoreOptions {
  /** Explicit path (`--store`); otherwise $ASHBY_KAFKA_CREDENTIALS_FILE or the XDG default. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export function validateCredentialName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new CredentialError(
      'CREDENTIAL_NAME_INVALID',
      `"${name}" is not a valid credential name: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit.`,
      { name },
    );
  }
}

/** Trims the key as read from stdin or a prompt and rejects values that cannot be an Ashby key. Never echoes the value. */
export function normalizeKey(raw: string): string {
  const key = raw.trim();
  if (key.length === 0)
    throw new CredentialError(
      'CREDENTIAL_KEY_INVALID',
      'The API key is empty. Pipe it on stdin or type it at the prompt.',
    );
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(key)) {
    throw new CredentialError(
      'CREDENTIAL_KEY_INVALID',
      'The API key contains whitespace or control characters; paste exactly one key, on one line.',
    );
  }
  if (key.length < MIN_KEY_LENGTH) {
    throw new CredentialError(
      'CREDENTIAL_KEY_INVALID',
      `The API key is only ${key.length} characters long; Ashby keys are much longer. Check what was pasted.`,
    );
  }
  return key;
}

function isSealed(v: unknown): v is Sealed {
  const s = v as Sealed;
  return (
    !!s && typeof s === 'object' && typeof s.iv === 'string' && typeof s.tag === 'string' && typeof s.data === 'string'
  );
}

function parseStore(text: string, path: string): StoreFile {
  const corrupt = (why: string): CredentialError =>
    new CredentialError(
      'CREDENTIAL_STORE_CORRUPT',
      `The credential store ${path} is damaged (${why}). Restore it from a backup, or move it away and add the credentials again.`,
      { file: path },
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw corrupt('not valid JSON');
  }
  const file = data as Partial<StoreFile>;
  if (!file || typeof file !== 'object') throw corrupt('not a JSON object');
  if (file.version !== STORE_VERSION)
    throw corrupt(
      `unsupported version ${JSON.stringify(file.version)}; this ashby-kafka reads version ${STORE_VERSION}`,
    );
  if (!Array.isArray(file.credentials)) throw corrupt('no "credentials" list');
  const encrypted = file.encryption !== undefined;
  for (const e of file.credentials) {
    if (!e || typeof e.name !== 'string' || typeof e.created_at !== 'string')
      throw corrupt('an entry lacks its name or created_at');
    if (encrypted ? !isSealed(e.key) : typeof e.key !== 'string') {
      throw corrupt(
        `entry "${e.name}" is ${encrypted ? 'not encrypted in an encrypted store' : 'encrypted in a plain store'}`,
      );
    }
  }
  if (encrypted && (!file.encryption?.kdf || !isSealed(file.encryption.verifier)))
    throw corrupt('incomplete encryption header');
  return file as StoreFile;
}

export class CredentialStore {
  readonly path: string;
  private readonly masterKey: string | undefined;
  private readonly now: () => Date;
  /** Derived keys by salt: scrypt is deliberately slow, so derive once per process. */
  private readonly keys = new Map<string, Buffer>();

  constructor(options: CredentialStoreOptions = {}) {
    const env = options.env ?? process.env;
    this.path = resolveStorePath(options.path, env);
    this.masterKey = env[MASTER_KEY_ENV] || undefined;
    registerSecret(this.masterKey);
    this.now = options.now ?? (() => new Date());
  }

  /** Whether a master key is configured (new and rewritten stores are then encrypted). */
  get encryptsAtRest(): boolean {
    return this.masterKey !== undefined;
  }

  /** Whether the file on disk is encrypted; false when there is no file yet. */
  async isEncrypted(): Promise<boolean> {
    return (await this.read())?.encryption !== undefined;
  }

  async list(): Promise<CredentialInfo[]> {
    const file = await this.read();
    // Names and metadata are not encrypted, so listing needs no master key; a master key that
    // is set is still checked, so a wrong one shows up here rather than at the next pipeline start.
    if (file?.encryption && this.masterKey) await this.unlockFile(file.encryption);
    return (file?.credentials ?? []).map(({ key: _key, ...info }) => info).sort((a, b) => a.name.localeCompare(b.name));
  }

  async info(name: string): Promise<CredentialInfo> {
    const { key: _key, ...info } = this.find(await this.read(), name);
    return info;
  }

  /** The decrypted key, registered with the log scrubber before it is returned. */
  async getKey(name: string): Promise<string> {
    const file = await this.read();
    const entry = this.find(file, name);
    if (typeof entry.key === 'string') {
      registerSecret(entry.key);
      return entry.key;
    }
    const key = await this.unlockFile(file!.encryption!);
    const plain = openSealed(key, entry.key, entry.name);
    if (plain === undefined) {
      throw new CredentialError(
        'CREDENTIAL_DECRYPT_FAILED',
        `Cannot decrypt credential "${name}" in ${this.path}: the entry was altered or moved. Add it again with \`ashby-kafka credentials rotate ${name}\`.`,
        { file: this.path, name },
      );
    }
    registerSecret(plain);
    return plain;
  }

  /** Throws CREDENTIAL_EXISTS when the name is taken (the CLI checks before asking for a key). */
  async assertAbsent(name: string): Promise<void> {
    this.refuseExisting(await this.read(), name);
  }

  async add(name: string, rawKey: string, test: CredentialTestRecord | null = null): Promise<CredentialInfo> {
    validateCredentialName(name);
    const key = normalizeKey(rawKey);
    registerSecret(key);
    return this.mutate(async (file, sealKey) => {
      this.refuseExisting(file, name);
      const entry: CredentialEntry = {
        name,
        key: sealKey(name, key),
        created_at: this.now().toISOString(),
        rotated_at: null,
        last4: key.slice(-4),
        last_test: test,
      };
      file.credentials.push(entry);
      return entry;
    });
  }

  async rotate(name: string, rawKey: string, test: CredentialTestRecord | null = null): Promise<CredentialInfo> {
    const key = normalizeKey(rawKey);
    registerSecret(key);
    return this.mutate(async (file, sealKey) => {
      const entry = this.find(file, name);
      entry.key = sealKey(name, key);
      entry.rotated_at = this.now().toISOString();
      entry.last4 = key.slice(-4);
      entry.last_test = test;
      return entry;
    });
  }

  async remove(name: string): Promise<CredentialInfo> {
    return this.mutate(async (file) => {
      const entry = this.find(file, name);
      file.credentials = file.credentials.filter((e) => e !== entry);
      return entry;
    });
  }

  async recordTest(name: string, test: CredentialTestRecord): Promise<CredentialInfo> {
    return this.mutate(async (file) => {
      const entry = this.find(file, name);
      entry.last_test = test;
      return entry;
    });
  }

  private async read(): Promise<StoreFile | undefined> {
    const text = await readSecureFile(this.path);
    return text === undefined ? undefined : parseStore(text, this.path);
  }

  private refuseExisting(file: StoreFile | undefined, name: string): void {
    if (file?.credentials.some((e) => e.name === name)) {
      throw new CredentialError(
        'CREDENTIAL_EXISTS',
        `A credential named "${name}" already exists in ${this.path}. Replace its key with \`ashby-kafka credentials rotate ${name}\`.`,
        { name, file: this.path },
      );
    }
  }

  private find(file: StoreFile | undefined, name: string): CredentialEntry {
    const entry = file?.credentials.find((e) => e.name === name);
    if (entry) return entry;
    const known = file?.credentials.map((e) => e.name).sort() ?? [];
    const hint = known.length
      ? ` Known credentials: ${known.join(', ')}.`
      : file
        ? ' The store is empty.'
        : ' The store does not exist yet.';
    throw new CredentialError(
      'CREDENTIAL_NOT_FOUND',
      `No credential named "${name}" in ${this.path}.${hint} Add it with \`ashby-kafka credentials add ${name}\` (the key is read from stdin or a prompt).`,
      { name, file: this.path },
    );
  }

  private async unlockFile(header: EncryptionHeader): Promise<Buffer> {
    if (!this.masterKey) {
      throw new CredentialError(
        'CREDENTIAL_MASTER_KEY_REQUIRED',
        `The credential store ${this.path} is encrypted; set ${MASTER_KEY_ENV} to the master key it was created with.`,
        { file: this.path },
      );
    }
    const cached = this.keys.get(header.kdf.salt);
    if (cached) return cached;
    const key = await unlock(this.masterKey, header, this.path);
    this.keys.set(header.kdf.salt, key);
    return key;
  }

  /**
   * Lock, read the current file (or start an empty one), let `change` edit it, write it back.
   * With a master key, a plain store is encrypted on this write; without one, an encrypted
   * store cannot be changed.
   */
  private async mutate(
    change: (file: StoreFile, sealKey: (name: string, key: string) => string | Sealed) => Promise<CredentialEntry>,
  ): Promise<CredentialInfo> {
    return withFileLock(this.path, async () => {
      const file: StoreFile = (await this.read()) ?? { version: STORE_VERSION, credentials: [] };
      let cryptoKey: Buffer | undefined;
      if (file.encryption) {
        cryptoKey = await this.unlockFile(file.encryption);
      } else if (this.masterKey) {
        const fresh = await newEncryptionHeader(this.masterKey);
        file.encryption = fresh.header;
        cryptoKey = fresh.key;
        this.keys.set(fresh.header.kdf.salt, fresh.key);
        for (const e of file.credentials) e.key = seal(fresh.key, e.key as string, e.name);
      }
      const sealKey = (name: string, key: string): string | Sealed => (cryptoKey ? seal(cryptoKey, key, name) : key);
      const entry = await change(file, sealKey);
      file.credentials.sort((a, b) => a.name.localeCompare(b.name));
      await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
      const { key: _key, ...info } = entry;
      return info;
    });
  }
}
