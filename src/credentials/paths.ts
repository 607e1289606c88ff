import { homedir } from 'node:os';
import { join } from 'node:path';

/** Overrides the store location (the CLI's `--store` wins over it). */
export const STORE_PATH_ENV = 'ASHBY_KAFKA_CREDENTIALS_FILE';
/** When set, entries are encrypted at rest with a key derived from it. */
export const MASTER_KEY_ENV = 'ASHBY_KAFKA_MASTER_KEY';

/** `--store` → $ASHBY_KAFKA_CREDENTIALS_FILE → ${XDG_CONFIG_HOME:-~/.config}/ashby-kafka/credentials.json. */
export function resolveStorePath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit;
  const fromEnv = env[STORE_PATH_ENV];
  if (fromEnv) return fromEnv;
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(configHome, 'ashby-kafka', 'credentials.json');
}
