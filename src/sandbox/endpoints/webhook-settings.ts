import { ASHBY_WEBHOOK_TYPES } from '../../ashby/webhook-types.js';
import { optBool, optString, reqId, reqString } from '../http/params.js';
import type { Handler, RequestContext, WebhookSettings } from '../http/request-context.js';
import { AshbyWireError, invalidInput, notFound } from '../http/wire-error.js';

/**
 * webhook.create / info / update / delete (reference §6): settings of one event type each, that
 * the sandbox's dispatcher then delivers to, signed with their secret token. Ashby has no
 * webhook.list. webhook.info does not return the secret token.
 */
const WEBHOOK_TYPES: readonly string[] = ASHBY_WEBHOOK_TYPES;

function settings(ctx: RequestContext): WebhookSettings {
  if (!ctx.core.webhookSettings)
    throw new AshbyWireError('not_implemented_in_sandbox', 'webhook settings are not available in this sandbox', 501);
  return ctx.core.webhookSettings;
}

function url(value: string): string {
  if (!/^https?:\/\//.test(value)) throw invalidInput('requestUrl must be an http(s) URL');
  return value;
}

export const WEBHOOK_SETTING_HANDLERS: Record<string, Handler> = {
  'webhook.create': (ctx) => {
    const type = reqString(ctx.body, 'webhookType');
    if (!WEBHOOK_TYPES.includes(type)) throw invalidInput(`webhookType must be one of ${WEBHOOK_TYPES.join(', ')}`);
    return {
      results: settings(ctx).createSetting(
        type,
        url(reqString(ctx.body, 'requestUrl')),
        reqString(ctx.body, 'secretToken'),
      ),
    };
  },
  'webhook.info': (ctx) => {
    const id = reqId(ctx.body, 'webhookId');
    const s = settings(ctx).setting(id);
    if (!s) throw notFound('webhook', id);
    const { secretToken: _secret, ...info } = s;
    return { results: info };
  },
  'webhook.update': (ctx) => {
    const id = reqId(ctx.body, 'webhookId');
    const enabled = optBool(ctx.body, 'enabled');
    const requestUrl = optString(ctx.body, 'requestUrl');
    const secretToken = optString(ctx.body, 'secretToken');
    if (enabled === undefined && requestUrl === undefined && secretToken === undefined)
      throw invalidInput('One of enabled, requestUrl or secretToken must be provided');
    const s = settings(ctx).updateSetting(id, {
      ...(enabled !== undefined ? { enabled } : {}),
      ...(requestUrl !== undefined ? { requestUrl: url(requestUrl) } : {}),
      ...(secretToken !== undefined ? { secretToken } : {}),
    });
    if (!s) throw notFound('webhook', id);
    return { results: s };
  },
  'webhook.delete': (ctx) => {
    const id = reqId(ctx.body, 'webhookId');
    const s = settings(ctx).deleteSetting(id);
    if (!s) throw notFound('webhook', id);
    return { results: { webhookId: id } };
  },
};
