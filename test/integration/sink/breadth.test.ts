import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/package-info.js';
import { runSink } from '../../../src/sink/runner.js';
import { sandboxIds, sinkFixture, type SinkFixture } from './helpers.js';

/**
 * The sink's notes, tags, uploads (multipart, by URL or inline), archive, transfer and hiring
 * team against the sandbox; limits, permissions, and a kill -9 in the middle of notes and uploads.
 */
const fixtures: SinkFixture[] = [];
let files: Server;
let filesUrl: string;
const MB = 1024 * 1024;

beforeAll(async () => {
  files = createServer((req, res) => {
    const size = req.url?.startsWith('/20mb') ? 20 * MB : MB;
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(size) });
    res.end(Buffer.alloc(size, 0x25));
  });
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const f of fixtures) await f.close();
  files.closeAllConnections();
  await new Promise((r) => files.close(r));
});

async function fixture(name: string, options: Parameters<typeof sinkFixture>[1] = {}): Promise<SinkFixture> {
  const f = await sinkFixture(name, options);
  fixtures.push(f);
  return f;
}

async function results(f: SinkFixture): Promise<Map<string, Record<string, any>>> {
  const out = new Map<string, Record<string, any>>();
  for (const m of await f.readAll(f.results)) out.set(m.key!.toString(), await f.decodeResult(m));
  return out;
}

const inlinePdf = (name: string) => ({
  bytes: Buffer.from(`%PDF-1.4 ${name}`).toString('base64'),
  filename: name,
  contentType: 'application/pdf',
});

it('candidates: createNote, removeTag, uploadFile from a 1 MB URL, uploadResume inline', async () => {
  const f = await fixture('breadth-cand');
  const ids = await sandboxIds(f.sandbox);
  const cand = f.sandbox.admin.create('candidate', { name: 'Breadth Candidate' }) as { id: string };
  f.sandbox.admin.update('candidate', cand.id, { tagIds: [ids.tagId] });
  await f.send('candidate', [
    {
      key: 'n',
      value: {
        operation: 'createNote',
        candidateId: cand.id,
        note: { type: 'text/html', value: '<b>Strong</b> systems background' },
        sendNotifications: false,
      },
    },
    { key: 't', value: { operation: 'removeTag', candidateId: cand.id, tagId: ids.tagId } },
    {
      key: 'f',
      value: { operation: 'uploadFile', candidateId: cand.id, file: { url: `${filesUrl}/portfolio.pdf?sig=abc` } },
    },
    { key: 'r', value: { operation: 'uploadResume', candidateId: cand.id, resume: inlinePdf('cv.pdf') } },
  ]);
  const run = await f.run(undefined, { allowLoopbackFileUrls: true });
  expect(run.error).toBeUndefined();
  const r = await results(f);
  expect([...r.values()].map((x) => [x.operation, x.status])).toEqual(
    expect.arrayContaining([
      ['createNote', 'ok'],
      ['removeTag', 'ok'],
      ['uploadFile', 'ok'],
      ['uploadResume', 'ok'],
    ]),
  );
  const info = f.sandbox.admin.get('candidate', cand.id) as any;
  expect(info.tags).toEqual([]);
  // admin.create generates a resume of its own; ours are added to it.
  expect(info.fileHandles.map((h: any) => h.name)).toEqual(expect.arrayContaining(['cv.pdf', 'portfolio.pdf']));
  expect(info.resumeFileHandle.name).toBe('cv.pdf');
  const upload = f.sandbox.admin.callLog({ path: 'candidate.uploadFile' })[0]!;
  expect((upload.body as any).file).toMatchObject({
    filename: 'portfolio.pdf',
    contentType: 'application/pdf',
    size: MB,
  });
  const notes = f.sandbox.admin.callLog({ path: 'candidate.createNote' });
  expect(notes).toHaveLength(1);
  expect(r.get('n')!.ashbyId).toEqual(expect.any(String));
}, 60_000);

it('applications: archive (with a reason), transfer, addHiringTeamMember', async () => {
  const f = await fixture('breadth-app');
  const ids = await sandboxIds(f.sandbox);
  const call = async (endpoint: string, body: Record<string, unknown>) => {
    const res = await fetch(`${f.sandbox.url}/${endpoint}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${f.sandbox.keys.full}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return ((await res.json()) as any).results;
  };
  const cand = f.sandbox.admin.create('candidate', { name: 'Breadth Applicant' }) as { id: string };
  const appA = (await call('application.create', { candidateId: cand.id, jobId: ids.openJob.id })).id;
  const other = (await call('job.list', {})).find(
    (j: any) => j.status === 'Open' && !j.confidential && j.id !== ids.openJob.id,
  );
  const candB = f.sandbox.admin.create('candidate', { name: 'Breadth Transfer' }) as { id: string };
  const appB = (await call('application.create', { candidateId: candB.id, jobId: ids.openJob.id })).id;
  const otherStage = (await call('interviewStage.list', { interviewPlanId: other.defaultInterviewPlanId })).find(
    (s: any) => s.type === 'Active',
  ).id;
  const role = (await call('hiringTeamRole.list', { namesOnly: false }))[0];
  await f.send('application', [
    {
      key: 'arch',
      value: {
        operation: 'archive',
        applicationId: appA,
        interviewStageId: ids.stage('Archived'),
        archiveReasonId: ids.archiveReasonId,
      },
    },
    {
      key: 'xfer',
      value: {
        operation: 'transfer',
        applicationId: appB,
        jobId: other.id,
        interviewPlanId: other.defaultInterviewPlanId,
        interviewStageId: otherStage,
      },
    },
    {
      key: 'team',
      value: { operation: 'addHiringTeamMember', applicationId: appB, teamMemberId: ids.adminUserId, roleId: role.id },
    },
  ]);
  const run = await f.run();
  expect(run.error).toBeUndefined();
  expect(run.summary).toMatchObject({ ok: 3, deadLettered: 0 });
  expect(f.sandbox.admin.get('application', appA)).toMatchObject({
    status: 'Archived',
    archiveReason: { id: ids.archiveReasonId },
  });
  const moved = f.sandbox.admin.get('application', appB) as any;
  expect(moved.job.id).toBe(other.id);
  expect(moved.hiringTeam).toEqual([expect.objectContaining({ userId: ids.adminUserId, role: role.title })]);
}, 60_000);

it('a 20 MB file URL over the limit is dead-lettered with SINK_FILE_TOO_LARGE, and the sink goes on', async () => {
  const f = await fixture('breadth-big');
  const cand = f.sandbox.admin.create('candidate', { name: 'Big File' }) as { id: string };
  await f.send('candidate', [
    { key: 'big', value: { operation: 'uploadFile', candidateId: cand.id, file: { url: `${filesUrl}/20mb.pdf` } } },
    { key: 'ok', value: { operation: 'createNote', candidateId: cand.id, note: 'after the big file' } },
  ]);
  const run = await f.run(undefined, { allowLoopbackFileUrls: true });
  expect(run.error).toBeUndefined();
  const r = await results(f);
  expect(r.get('big')).toMatchObject({ status: 'dead_lettered', error: { code: 'SINK_FILE_TOO_LARGE' } });
  expect(r.get('big')!.error.message).toMatch(/20971520 bytes, over destination\.files\.max_bytes \(10485760\)/);
  expect(r.get('ok')).toMatchObject({ status: 'ok' });
  expect(f.sandbox.admin.callLog({ path: 'candidate.uploadFile' })).toHaveLength(0);
}, 60_000);

it('a read-only key gets the runtime permission error on each new operation', async () => {
  const f = await fixture('breadth-perm');
  const ids = await sandboxIds(f.sandbox);
  const cand = f.sandbox.admin.create('candidate', { name: 'Read Only' }) as { id: string };
  const app = f.sandbox.admin.create('application', { candidateId: cand.id, jobId: ids.openJob.id }) as { id: string };
  await f.send('candidate', [
    { key: 'n', value: { operation: 'createNote', candidateId: cand.id, note: 'x' } },
    { key: 't', value: { operation: 'removeTag', candidateId: cand.id, tagId: ids.tagId } },
    { key: 'f', value: { operation: 'uploadFile', candidateId: cand.id, file: inlinePdf('a.pdf') } },
    { key: 'r', value: { operation: 'uploadResume', candidateId: cand.id, resume: inlinePdf('b.pdf') } },
  ]);
  await f.send('application', [
    {
      key: 'a',
      value: {
        operation: 'archive',
        applicationId: app.id,
        interviewStageId: ids.stage('Archived'),
        archiveReasonId: ids.archiveReasonId,
      },
    },
    {
      key: 'x',
      value: {
        operation: 'transfer',
        applicationId: app.id,
        jobId: ids.openJob.id,
        interviewPlanId: ids.openJob.defaultInterviewPlanId,
        interviewStageId: ids.stage('Active'),
      },
    },
    {
      key: 'h',
      value: {
        operation: 'addHiringTeamMember',
        applicationId: app.id,
        teamMemberId: ids.adminUserId,
        roleId: ids.adminUserId,
      },
    },
  ]);
  const run = await f.run({ key: f.sandbox.keys.readonly, destination: { on_permission_error: 'dlq' } });
  expect(run.error).toBeUndefined();
  const r = await results(f);
  expect(r.size).toBe(7);
  for (const [key, result] of r)
    expect({ key, status: result.status, code: result.error?.code }).toEqual({
      key,
      status: 'dead_lettered',
      code: 'ASHBY_PERMISSION_DENIED',
    });
}, 60_000);

it('kill -9 during notes and file uploads, then a restart: exactly one note and one file per command', async () => {
  const f = await fixture('breadth-kill', { sandbox: { latencyMs: 60 } });
  const n = 16;
  const cands = Array.from(
    { length: n },
    (_, i) => f.sandbox.admin.create('candidate', { name: `Killed ${i}` }) as { id: string },
  );
  await f.send(
    'candidate',
    cands.flatMap((c, i) => [
      { key: `c${i}`, value: { operation: 'createNote', candidateId: c.id, note: `note ${i}` } },
      { key: `c${i}`, value: { operation: 'uploadFile', candidateId: c.id, file: inlinePdf(`file-${i}.pdf`) } },
    ]),
  );
  const child = spawn(
    process.execPath,
    [
      join(PACKAGE_ROOT, 'bin', 'ashby-kafka.js'),
      'sink',
      '--config',
      f.configFile({ destination: { concurrency: 4 } }),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const writes = () =>
    f.sandbox.admin.callLog({ path: 'candidate.createNote' }).length +
    f.sandbox.admin.callLog({ path: 'candidate.uploadFile' }).length;
  const deadline = Date.now() + 40_000;
  while (writes() < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await exited;
  expect(writes()).toBeLessThan(2 * n);

  const rerun = await runSink(f.config({ destination: { concurrency: 4 } }), { once: true, takeoverGraceMs: 1000 });
  expect(rerun.error).toBeUndefined();
  for (const [i, c] of cands.entries()) {
    const info = f.sandbox.admin.get('candidate', c.id) as any;
    const res = await fetch(`${f.sandbox.url}/candidate.listNotes`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${f.sandbox.keys.full}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ candidateId: c.id }),
    });
    const notes = ((await res.json()) as any).results.filter((x: any) => x.content === `note ${i}`);
    expect({
      i,
      notes: notes.length,
      files: info.fileHandles.filter((h: any) => h.name === `file-${i}.pdf`).length,
    }).toEqual({ i, notes: 1, files: 1 });
  }
}, 120_000);

it('a dry run flags each kind of bad command, writes nothing to Ashby, and leaves the offsets for the real run', async () => {
  const f = await fixture('breadth-dry');
  const ids = await sandboxIds(f.sandbox);
  const MISSING = '00000000-0000-4000-8000-00000000beef';
  const cand = f.sandbox.admin.create('candidate', { name: 'Dry' }) as { id: string };
  const app = f.sandbox.admin.create('application', { candidateId: cand.id, jobId: ids.openJob.id }) as { id: string };
  await f.send('candidate', [
    { key: 'good', value: { operation: 'addTag', candidateId: cand.id, tagId: ids.tagId } },
    { key: 'tag', value: { operation: 'addTag', candidateId: cand.id, tagId: MISSING } },
    { key: 'src', value: { operation: 'update', candidateId: cand.id, sourceId: MISSING, creditedToUserId: MISSING } },
    {
      key: 'cf',
      value: {
        operation: 'update',
        candidateId: cand.id,
        customFields: [
          { fieldId: MISSING, fieldValue: '1' },
          { fieldId: ids.applicationLongTextField, fieldValue: '"x"' },
        ],
      },
    },
  ]);
  await f.send('application', [
    { key: 'stage', value: { operation: 'changeStage', applicationId: app.id, interviewStageId: MISSING } },
    {
      key: 'reason',
      value: {
        operation: 'archive',
        applicationId: app.id,
        interviewStageId: ids.stage('Archived'),
        archiveReasonId: MISSING,
      },
    },
  ]);
  f.sandbox.admin.resetCallLog();
  const dry = await f.run({ destination: { dry_run: true } });
  expect(dry.error).toBeUndefined();
  const writes = f.sandbox.admin.callLog().filter((c) => !/\.(list|info|search)$/.test(c.path));
  expect(writes).toEqual([]);
  const r = await results(f);
  expect(r.get('good')).toMatchObject({ dryRun: true, problems: [] });
  expect(r.get('tag')!.problems).toEqual([expect.stringMatching(/tagId .* is not a candidate tag/)]);
  expect(r.get('src')!.problems).toEqual([
    expect.stringMatching(/^sourceId/),
    expect.stringMatching(/^creditedToUserId/),
  ]);
  expect(r.get('cf')!.problems).toEqual([
    expect.stringMatching(/does not exist/),
    expect.stringMatching(/belongs to Application records/),
  ]);
  expect(r.get('stage')!.problems).toEqual([expect.stringMatching(/interviewStageId .* is not an interview stage/)]);
  expect(r.get('reason')!.problems).toEqual([expect.stringMatching(/archiveReasonId .* is not an archive reason/)]);
  expect(await f.readAll(f.dlq)).toHaveLength(0);
  expect(await f.committed('candidate')).toEqual([0, 0]);

  // The real run afterwards still sees (and applies) every command.
  const real = await f.run();
  expect(real.summary.processed).toBe(6);
}, 60_000);
