import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listWebhooks, RECEIVER_WEBHOOK_TYPES, registerWebhooks, removeWebhooks } from '../../../src/cli/webhooks.js';
import type { CliIo } from '../../../src/cli/output.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { probeReceiver } from '../../../src/source/webhooks/probe.js';
import { WebhookReceiver, type WebhookEvent } from '../../../src/source/webhooks/receiver.js';
import { sourceConfig, storedIds, writeConfigFile } from './helpers.js';

/**
 * `webhooks register|list|remove` against the sandbox's webhook.create / info / delete: the
 * registered settings make the sandbox deliver, signed with the configured secret, to the
 * receiver; a key without the API-keys write permission is refused with a clear error.
 */
const SECRET = 'cli-webhook-secret';
let sandbox: RunningSandbox;
let receiver: WebhookReceiver;
const events: WebhookEvent[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5, scale: 20 });
  receiver = await WebhookReceiver.start({
    host: '127.0.0.1',
    port: 0,
    path: '/hooks',
    secret: SECRET,
    maxBodyBytes: 1 << 20,
    replayWindowMs: 60_000,
    onEvent: (e) => events.push(e),
  });
});
afterAll(async () => {
  await receiver?.close();
  await sandbox?.close();
});

function io(): CliIo & { text: () => string } {
  let out = '';
  return { out: (t) => void (out += t), err: () => undefined, isTTY: false, text: () => out };
}

function configFile(key: string): string {
  return writeConfigFile(
    sourceConfig({ url: sandbox.url, key, webhooks: { port: 0, secret: SECRET, public_url: receiver.url } }),
  );
}

describe('ashby-kafka webhooks', () => {
  it('registers one setting per event type, lists and removes them; deliveries reach the receiver signed', async () => {
    const file = configFile(sandbox.keys.full);
    const created = await registerWebhooks({ config: file }, io());
    expect(created.map((s) => s.webhookType)).toEqual([...RECEIVER_WEBHOOK_TYPES]);
    expect(created.every((s) => s.enabled && s.requestUrl === receiver.url)).toBe(true);

    const candidate = [...storedIds(sandbox.engine, 'candidate')][0]!;
    sandbox.admin.delete('candidate', candidate);
    await sandbox.admin.flushWebhooks();
    expect(events.map((e) => [e.action, (e.data.candidate as { id: string }).id])).toEqual([
      ['candidateDelete', candidate],
    ]);
    expect(receiver.counters().badSignature).toBe(0);

    const listed = io();
    const ids = created.slice(0, 2).map((s) => s.id);
    expect((await listWebhooks({ config: file, id: ids }, listed)).map((s) => s.id)).toEqual(ids);
    expect(listed.text()).toContain(created[0]!.webhookType);

    await removeWebhooks({ config: file, id: created.map((s) => s.id) }, io());
    await expect(listWebhooks({ config: file, id: [created[0]!.id] }, io())).rejects.toMatchObject({
      code: expect.any(String),
    });
    const offer = [...storedIds(sandbox.engine, 'offer')][0]!;
    sandbox.admin.delete('offer', offer);
    await sandbox.admin.flushWebhooks();
    expect(events).toHaveLength(1);
  });

  it('a key that may not manage webhooks is refused with ASHBY_PERMISSION_DENIED', async () => {
    await expect(registerWebhooks({ config: configFile(sandbox.keys.readonly) }, io())).rejects.toMatchObject({
      code: 'ASHBY_PERMISSION_DENIED',
    });
  });

  it('says what is missing when there is no URL to register', async () => {
    const file = writeConfigFile(
      sourceConfig({ url: sandbox.url, key: sandbox.keys.full, webhooks: { port: 0, secret: SECRET } }),
    );
    await expect(registerWebhooks({ config: file }, io())).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('public_url'),
    });
  });

  it("check's probe: the receiver at public_url passes, a closed port warns, another server fails", async () => {
    const hooks = {
      host: '127.0.0.1',
      port: 0,
      path: '/hooks',
      secret: SECRET,
      max_body_bytes: 1 << 20,
      replay_window: '10m',
      coalesce: '250ms',
    };
    expect(await probeReceiver({ ...hooks, public_url: receiver.url }, 2_000)).toMatchObject({ status: 'pass' });
    expect(await probeReceiver({ ...hooks, public_url: 'http://127.0.0.1:1/hooks' }, 2_000)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('not reachable'),
    });
    expect(await probeReceiver({ ...hooks, public_url: `${sandbox.url}/hooks` }, 2_000)).toMatchObject({
      status: 'fail',
    });
    expect(await probeReceiver(hooks, 2_000)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('public_url'),
    });
  });
});
