import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';

/** Webhooks delivered over real HTTP to a receiver, signed as Ashby signs them (docs/ashby-api.md §6.1). */

interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: { action: string; data: any };
}

async function receiver(
  statusFor: (n: number) => number = () => 200,
): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
      res.statusCode = statusFor(received.length);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

function verify(r: Received, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(r.raw).digest('hex')}`);
  const got = Buffer.from(String(r.headers['ashby-signature']));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

describe('webhooks', () => {
  let sb: RunningSandbox;
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    hook = await receiver();
    sb = await startSandbox({ scale: 60, webhooks: [{ url: hook.url, secret: 'whsec_test_123' }] });
  });
  afterAll(async () => {
    await sb.close();
    await close(hook.server);
  });
  const call = (endpoint: string, body: unknown) =>
    sb.engine.handle({
      method: 'POST',
      path: `/${endpoint}`,
      headers: {
        authorization: `Basic ${Buffer.from('sandbox_full:').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  const ok = (endpoint: string, body: unknown) => JSON.parse(call(endpoint, body).body).results;

  it('POSTs {action, data} signed with Ashby-Signature for application, job, offer changes and candidate deletes', async () => {
    const candidate = ok('candidate.create', { name: 'Hooked' });
    const job = ok('job.list', { limit: 1 })[0];
    const app = ok('application.create', { candidateId: candidate.id, jobId: job.id });
    const stages = ok('interviewStage.list', { interviewPlanId: job.defaultInterviewPlanId });
    ok('application.changeStage', {
      applicationId: app.id,
      interviewStageId: stages.find((s: any) => s.type === 'Hired').id,
    });
    ok('job.update', { jobId: job.id, title: 'Retitled' });
    const process = ok('offerProcess.start', { applicationId: app.id });
    const form = ok('offer.start', { offerProcessId: process.id });
    const offer = ok('offer.create', {
      offerProcessId: process.id,
      offerFormId: form.id,
      offerForm: {
        fieldSubmissions: [
          { path: '_systemfield_start_date', value: '2027-01-04' },
          { path: '_systemfield_salary', value: { currencyCode: 'USD', value: 1 } },
        ],
      },
    });
    sb.admin.delete('offer', offer.id);
    sb.admin.delete('candidate', candidate.id);
    await sb.admin.flushWebhooks();

    expect(hook.received.map((r) => r.body.action)).toEqual([
      'applicationSubmit',
      'candidateStageChange',
      'candidateHire',
      'jobUpdate',
      'offerCreate',
      'offerDelete',
      'candidateDelete',
    ]);
    for (const r of hook.received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(verify(r, 'whsec_test_123')).toBe(true);
      expect(verify(r, 'wrong-secret')).toBe(false);
    }
    const by = (action: string) => hook.received.find((r) => r.body.action === action)!.body.data;
    expect(by('applicationSubmit').application).toMatchObject({
      id: app.id,
      status: 'Lead',
      candidate: { id: candidate.id },
    });
    expect(by('candidateHire')).toMatchObject({ application: { id: app.id, status: 'Hired' } });
    expect(by('jobUpdate').job).toMatchObject({ id: job.id, title: 'Retitled' });
    expect(by('offerCreate').offer).toMatchObject({ id: offer.id, applicationId: app.id });
    expect(by('offerDelete')).toEqual({ offer: { id: offer.id, applicationId: app.id } });
    expect(by('candidateDelete')).toEqual({ candidate: { id: candidate.id } });
    expect(sb.admin.webhookDeliveries().every((d) => d.ok && d.attempts === 1)).toBe(true);
  });
});

describe('webhook delivery', () => {
  it('only sends the configured events, retries failures and gives up on 410', async () => {
    const flaky = await receiver((n) => (n === 1 ? 500 : 200));
    const gone = await receiver(() => 410);
    const sb = await startSandbox({
      scale: 30,
      webhooks: [
        { url: flaky.url, secret: 's1', events: ['jobCreate'] },
        { url: gone.url, secret: 's2' },
      ],
    });
    try {
      const call = (endpoint: string, body: unknown) =>
        sb.engine.handle({
          method: 'POST',
          path: `/${endpoint}`,
          headers: {
            authorization: `Basic ${Buffer.from('sandbox_full:').toString('base64')}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
        });
      const dept = JSON.parse(call('department.list', {}).body).results.find((d: any) => d.parentId);
      const location = JSON.parse(call('location.list', {}).body).results[0];
      call('job.create', { title: 'Hooked job', teamId: dept.id, locationId: location.id });
      call('candidate.create', { name: 'No event for this' });
      await sb.admin.flushWebhooks();
      expect(flaky.received.map((r) => r.body.action)).toEqual(['jobCreate', 'jobCreate']);
      expect(gone.received).toHaveLength(1);
      const deliveries = sb.admin.webhookDeliveries();
      expect(deliveries).toContainEqual({ url: flaky.url, action: 'jobCreate', status: 200, attempts: 2, ok: true });
      expect(deliveries).toContainEqual({ url: gone.url, action: 'jobCreate', status: 410, attempts: 1, ok: false });
    } finally {
      await sb.close();
      await close(flaky.server);
      await close(gone.server);
    }
  });
});
