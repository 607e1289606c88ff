import type { AshbyConfig } from './schema.js';
import { ConfigError } from '../errors.js';
import { registerSecret } from '../log/secrets.js';
import { CredentialStore } from '../credentials/store.js';

export interface ResolveKeyOptions {
  env?: NodeJS.ProcessEnv;
  /** Store file; defaults to $ASHBY_KAFKA_CREDENTIALS_FILE or ~/.config/ashby-kafka/credentials.json. */
  storePath?: string;
}

/**
 * The Ashby key of a pipeline: `ashby.api_key` (already ${ENV}-interpolated by the config
 * loader) or the key stored under `ashby.credential`. Exactly one must be set. The key is
 * registered with the log scrubber before it is returned.
 */
export async function resolveAshbyApiKey(
  ashby: Pick<AshbyConfig, 'api_key' | 'credential'>,
  opts: ResolveKeyOptions = {},
): Promise<string> {
  if (ashby.api_key && ashby.credential) {
    throw new ConfigError('ashby: set either api_key or credential, not both.', { path: 'ashby' });
  }
  if (ashby.api_key !== undefined) {
    const key = ashby.api_key.trim();
    registerSecret(key);
    if (key === '') {
      throw new ConfigError(
        'ashby.api_key is empty (is the environment variable it refers to set?). Set it, or use ashby.credential.',
        { path: 'ashby.api_key' },
      );
    }
    return key;
  }
  if (ashby.credential) {
    const store = new CredentialStore({ path: opts.storePath, env: opts.env });
    return store.getKey(ashby.credential);
  }
  throw new ConfigError(
    'ashby: set api_key (e.g. ${ASHBY_API_KEY}) or credential (a name from `ashby-kafka credentials list`).',
    { path: 'ashby' },
  );
}
