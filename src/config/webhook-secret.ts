import { ConfigError } from '../errors.js';
import { registerSecret } from '../log/secrets.js';
import { CredentialStore } from '../credentials/store.js';
import type { SourceConfig } from './schema.js';
import type { ResolveKeyOptions } from './ashby-key.js';

/**
 * The webhook signing secret of a pipeline: `source.webhooks.secret` (already ${ENV}-interpolated
 * by the config loader) or the entry named by `source.webhooks.credential` in the credential
 * store, like `ashby.credential` for the API key. Exactly one must be set. The secret is
 * registered with the log scrubber before it is returned, so it is never printed.
 */
export async function resolveWebhookSecret(
  hooks: Pick<NonNullable<SourceConfig['webhooks']>, 'secret' | 'credential'>,
  opts: ResolveKeyOptions = {},
): Promise<string> {
  if (hooks.secret !== undefined && hooks.credential !== undefined)
    throw new ConfigError('source.webhooks: set either secret or credential, not both.', { path: 'source.webhooks' });
  if (hooks.secret !== undefined) {
    const secret = hooks.secret.trim();
    if (secret === '')
      throw new ConfigError(
        'source.webhooks.secret is empty (is the environment variable it refers to set?). Set it, or use source.webhooks.credential.',
        { path: 'source.webhooks.secret' },
      );
    registerSecret(secret);
    return secret;
  }
  if (hooks.credential !== undefined) {
    const store = new CredentialStore({ path: opts.storePath, env: opts.env });
    return store.getKey(hooks.credential);
  }
  throw new ConfigError(
    'source.webhooks: set secret (e.g. ${ASHBY_WEBHOOK_SECRET}) or credential (a name from `ashby-kafka credentials list`).',
    { path: 'source.webhooks' },
  );
}
