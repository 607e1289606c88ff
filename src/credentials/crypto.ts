import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { CredentialError } from './errors.js';

/**
 * Encryption at rest: AES-256-GCM under a key derived from ASHBY_KAFKA_MASTER_KEY with scrypt
 * and a per-file salt. Each entry has its own random 96-bit IV, and its name is bound as
 * additional authenticated data, so an entry cannot be moved under another name unnoticed.
 * A `verifier` blob (a known plaintext) lets a wrong master key fail before any entry is read,
 * even when the store is empty.
 */
export const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const SALT_BYTES = 16;
const VERIFIER_PLAINTEXT = 'ashby-kafka credential store';
const VERIFIER_AAD = '\0verifier';

/** scrypt cost: about 100 ms and 32 MiB per derivation; stored in the file so it can grow later. */
export interface KdfParams {
  name: 'scrypt';
  salt: string;
  N: number;
  r: number;
  p: number;
}
export const DEFAULT_KDF = { N: 2 ** 15, r: 8, p: 1 } as const;

export interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

export interface EncryptionHeader {
  cipher: typeof CIPHER;
  kdf: KdfParams;
  verifier: Sealed;
}

export function newKdfParams(): KdfParams {
  return { name: 'scrypt', salt: randomBytes(SALT_BYTES).toString('base64'), ...DEFAULT_KDF };
}

export function deriveKey(masterKey: string, kdf: KdfParams): Promise<Buffer> {
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r };
  return new Promise((resolve, reject) => {
    scrypt(masterKey, Buffer.from(kdf.salt, 'base64'), KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export function seal(key: Buffer, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Returns undefined when authentication fails (wrong key, tampered data or a renamed entry). */
export function open(key: Buffer, sealed: Sealed, aad: string): string | undefined {
  try {
    const decipher = createDecipheriv(CIPHER, key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export async function newEncryptionHeader(masterKey: string): Promise<{ header: EncryptionHeader; key: Buffer }> {
  const kdf = newKdfParams();
  const key = await deriveKey(masterKey, kdf);
  return { header: { cipher: CIPHER, kdf, verifier: seal(key, VERIFIER_PLAINTEXT, VERIFIER_AAD) }, key };
}

/** Derives the file's key and checks it against the verifier; a wrong master key fails here. */
export async function unlock(masterKey: string, header: EncryptionHeader, file: string): Promise<Buffer> {
  const key = await deriveKey(masterKey, header.kdf);
  if (open(key, header.verifier, VERIFIER_AAD) !== VERIFIER_PLAINTEXT) {
    throw new CredentialError(
      'CREDENTIAL_DECRYPT_FAILED',
      `Cannot decrypt the credential store ${file}: ASHBY_KAFKA_MASTER_KEY is not the key it was encrypted with. Set the master key used when the credentials were added.`,
      { file },
    );
  }
  return key;
}
