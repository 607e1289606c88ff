import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CredentialError } from './errors.js';

/**
 * The store file's guard rails: owner-only modes (0600 file in a 0700 directory), atomic
 * replacement (temp file + fsync + rename + directory fsync) and a lock file so two CLI runs
 * cannot lose each other's changes.
 */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
/** Any group or other permission bit makes the store insecure. */
const LOOSE_BITS = 0o077;
const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 50;
/** A lock older than this was left by a crashed process. */
const LOCK_STALE_MS = 30_000;

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function ioError(action: string, path: string, err: unknown): CredentialError {
  const reason = errno(err) ?? (err instanceof Error ? err.message : String(err));
  return new CredentialError('CREDENTIAL_STORE_IO', `Cannot ${action} ${path} (${reason}).`, { file: path }, err);
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}

/** Refuses a directory that group or others can use. Returns false when it does not exist (yet). */
export async function checkDirectory(dir: string): Promise<boolean> {
  let st;
  try {
    st = await stat(dir);
  } catch (err) {
    if (errno(err) === 'ENOENT') return false;
    throw ioError('inspect the directory', dir, err);
  }
  if (!st.isDirectory()) throw new CredentialError('CREDENTIAL_STORE_IO', `${dir} is not a directory.`, { file: dir });
  if (process.platform !== 'win32' && (st.mode & LOOSE_BITS) !== 0) {
    // chmod is only good advice for the user's own directory, not for /tmp or a shared one.
    const own = process.getuid === undefined || st.uid === process.getuid();
    const fix = own
      ? `Fix it with: chmod 700 '${dir}'`
      : `It belongs to another user, so keep the store in a directory of your own instead (e.g. mkdir -m 700 ~/.config/ashby-kafka) and point --store or ASHBY_KAFKA_CREDENTIALS_FILE at a file in it.`;
    throw new CredentialError(
      'CREDENTIAL_STORE_INSECURE',
      `The credential store directory ${dir} has mode ${octal(st.mode)}; other users could read or replace the keys in it. ${fix}`,
      { file: dir, mode: octal(st.mode) },
    );
  }
  return true;
}

/** Reads the store file after checking its and its directory's modes; undefined when there is no store yet. */
export async function readSecureFile(path: string): Promise<string | undefined> {
  if (!(await checkDirectory(dirname(path)))) return undefined;
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    if (errno(err) === 'ENOENT') return undefined;
    throw ioError('inspect', path, err);
  }
  if (!st.isFile()) throw new CredentialError('CREDENTIAL_STORE_IO', `${path} is not a regular file.`, { file: path });
  if (process.platform !== 'win32' && (st.mode & LOOSE_BITS) !== 0) {
    throw new CredentialError(
      'CREDENTIAL_STORE_INSECURE',
      `The credential store ${path} has mode ${octal(st.mode)}, readable by other users; it was not read. Fix it with: chmod 600 '${path}' (and rotate the keys in it if others may have read them).`,
      { file: path, mode: octal(st.mode) },
    );
  }
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw ioError('read', path, err);
  }
}

export async function ensureDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
  } catch (err) {
    throw ioError('create the directory', dir, err);
  }
  await checkDirectory(dir);
}

/** Replaces `path` atomically: a reader sees the old file or the new one, never a torn write. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  await ensureDirectory(dir);
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
    try {
      await fh.writeFile(content, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw ioError('write', path, err);
  }
  // Make the rename itself durable; some platforms cannot open a directory, which is fine.
  try {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    /* best effort */
  }
}

/**
 * Holds `<path>.lock` while `fn` runs (a read-modify-write of the store). Waits up to 5 s for
 * another process; a lock older than 30 s is treated as left by a crash and taken over.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  await ensureDirectory(dirname(path));
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fh = await open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw ioError('create the lock file', lock, err);
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MS) {
        await unlink(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw new CredentialError(
          'CREDENTIAL_STORE_LOCKED',
          `The credential store is locked by another ashby-kafka process (${lock}). Retry when it finishes, or delete the lock file if no other process is running.`,
          { file: lock },
        );
      }
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}
