import { afterEach, describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import { signWebhook } from '../../../src/sandbox/index.js';
import { signatureValid, WebhookReceiver, type WebhookEvent } from '../../../src/source/webhooks/receiver.js';

const SECRET = 'whsec-test';
let receiver: WebhookReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function start(events: WebhookEvent[], maxBodyBytes = 4_096): Promise<WebhookReceiver> {
  receiver = await WebhookReceiver.start({
    host: '127.0.0.1',
    port: 0,
    path: '/webhooks/ashby',
    secret: SECRET,
    maxBodyBytes,
    replayWindowMs: 60_000,
    onEvent: (e) => events.push(e),
  });
  return receiver;
}

async function post(
  url: string,
  body: string,
  signature: string | undefined,
  contentType = 'application/json',
): Promise<number> {
  const res = await request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType, ...(signature !== undefined ? { 'ashby-signature': signature } : {}) },
  });
  await res.body.dump();
  return res.statusCode;
}

describe('webhook receiver', () => {
  it('accepts a signed delivery and hands it on with the body digest as event id', async () => {
    const events: WebhookEvent[] = [];
    const r = await start(events);
    const body = JSON.stringify({ action: 'candidateDelete', data: { candidate: { id: 'c-1' } } });
    expect(await post(r.url, body, signWebhook(body, SECRET))).toBe(204);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'candidateDelete', data: { candidate: { id: 'c-1' } } });
    expect(events[0]!.id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.counters()).toEqual({ accepted: 1, badSignature: 0, tooLarge: 0, malformed: 0, replayed: 0 });
  });

  it('checks the signature over the exact bytes, whatever the content type', async () => {
    const events: WebhookEvent[] = [];
    const r = await start(events);
    // Same JSON, different bytes: a parser-then-reserialise check would wrongly accept the second.
    const body = '{"action":"ping",  "data":{"webhookActionType":"ping"}}';
    expect(await post(r.url, body, signWebhook(body, SECRET), 'text/plain')).toBe(204);
    expect(await post(r.url, JSON.stringify(JSON.parse(body)), signWebhook(body, SECRET))).toBe(401);
    expect(events.map((e) => e.action)).toEqual(['ping']);
  });

  it('refuses missing, malformed and wrong signatures with 401 and counts them; nothing is handed on', async () => {
    const events: WebhookEvent[] = [];
    const r = await start(events);
    const body = JSON.stringify({ action: 'candidateDelete', data: { candidate: { id: 'c-1' } } });
    expect(await post(r.url, body, undefined)).toBe(401);
    expect(await post(r.url, body, 'sha256=zz')).toBe(401);
    expect(await post(r.url, body, signWebhook(body, 'another-secret'))).toBe(401);
    expect(await post(r.url, body, signWebhook(body, SECRET).replace('sha256=', 'sha1='))).toBe(401);
    expect(events).toEqual([]);
    expect(r.counters().badSignature).toBe(4);
  });

  it('refuses an oversized body with 413 and a signed non-delivery with 400', async () => {
    const events: WebhookEvent[] = [];
    const r = await start(events, 2_048);
    const big = JSON.stringify({ action: 'applicationUpdate', data: { pad: 'x'.repeat(3_000) } });
    expect(await post(r.url, big, signWebhook(big, SECRET))).toBe(413);
    const notDelivery = JSON.stringify({ hello: 'world' });
    expect(await post(r.url, notDelivery, signWebhook(notDelivery, SECRET))).toBe(400);
    expect(events).toEqual([]);
    expect(r.counters()).toMatchObject({ tooLarge: 1, malformed: 1, accepted: 0 });
  });

  it('acknowledges a replayed delivery but hands it on only once', async () => {
    const events: WebhookEvent[] = [];
    const r = await start(events);
    const body = JSON.stringify({ action: 'offerDelete', data: { offer: { id: 'o-1', applicationId: 'a-1' } } });
    expect(await post(r.url, body, signWebhook(body, SECRET))).toBe(204);
    expect(await post(r.url, body, signWebhook(body, SECRET))).toBe(200);
    expect(events).toHaveLength(1);
    expect(r.counters()).toMatchObject({ accepted: 1, replayed: 1 });
  });

  it('compares signatures of the right length only', () => {
    const body = Buffer.from('{}');
    expect(signatureValid(body, signWebhook('{}', SECRET), SECRET)).toBe(true);
    expect(signatureValid(body, `${signWebhook('{}', SECRET)}00`, SECRET)).toBe(false);
    expect(signatureValid(body, undefined, SECRET)).toBe(false);
  });
});
