import { FilePart } from '../../src/ashby/multipart.js';
import type { CommandPlan } from '../../src/sink/operations/command-plan.js';
import { PlanExecutor, stepKind, type Progress } from '../../src/sink/plan-executor.js';
import { createUploadResolver } from '../../src/sink/upload-body.js';
import { FakeAshby, ambiguous } from './fakes.js';

/**
 * Notes and files have no natural key: an unknown outcome is settled through the intent in the
 * ledger (a marker, and what matched before) plus a lookup (reconcile-attachments.ts).
 */

const plan = (endpoint: string, body: Record<string, unknown>): CommandPlan => ({
  kind: 'sequence',
  entity: 'candidate',
  operation: endpoint.split('.')[1]!,
  idempotencyKey: undefined,
  targetId: body.candidateId as string,
  // A note's plan step is its create: the command's ashbyId is the note's id.
  steps: [{ id: endpoint === 'candidate.createNote' ? 'create' : 'main', endpoint, body, description: endpoint }],
});

/** Hooks that keep the last durable Progress, and can "crash" (throw) after a step applied. */
function ledger(crashAfter = false) {
  const saved: { progress?: Progress } = {};
  return {
    saved,
    hooks: {
      beforeUnsafeStep: async (_s: string, p: Progress) => void (saved.progress = structuredClone(p)),
      afterUnsafeStep: async () => {
        if (crashAfter) throw new Error('kill -9');
      },
    },
  };
}

describe('notes', () => {
  it('are reconcilable steps, like files', () => {
    expect(['candidate.createNote', 'candidate.uploadFile', 'candidate.uploadResume'].map(stepKind)).toEqual([
      'reconcilable',
      'reconcilable',
      'reconcilable',
    ]);
  });

  it('a crash after the note was created: the resume finds it by its createdAt marker and creates no second note', async () => {
    const notes: Array<{ id: string; createdAt: string }> = [{ id: 'old', createdAt: '2020-01-01T00:00:00.000Z' }];
    const ashby = new FakeAshby()
      .on('candidate.listNotes', () => notes.slice())
      .on('candidate.createNote', (b: Record<string, unknown>) => {
        const n = { id: `note-${notes.length}`, createdAt: b.createdAt as string };
        notes.push(n);
        return n;
      });
    const first = ledger(true);
    const p = plan('candidate.createNote', { candidateId: 'c1', note: 'Called, keen.' });
    await expect(new PlanExecutor(ashby).execute(p, { done: {} }, first.hooks)).rejects.toThrow('kill -9');
    const intent = first.saved.progress!;
    expect(intent).toMatchObject({
      started: 'create',
      existing: { create: [] },
      markers: { create: expect.any(String) },
    });
    const out = await new PlanExecutor(ashby).execute(p, intent, ledger().hooks);
    expect(ashby.endpoints().filter((e) => e === 'candidate.createNote')).toHaveLength(1);
    expect(notes).toHaveLength(2);
    expect(out).toMatchObject({ ashbyId: 'note-1' });
    expect(ashby.calls.find((c) => c.endpoint === 'candidate.createNote')!.body.createdAt).toBe(intent.markers!.create);
  });

  it('a crash before the note was sent: the resume finds none and sends it once, with the same marker', async () => {
    const ashby = new FakeAshby()
      .on('candidate.listNotes', [])
      .on('candidate.createNote', (b: Record<string, unknown>) => ({ id: 'n', createdAt: b.createdAt }));
    const intent: Progress = {
      started: 'create',
      done: {},
      existing: { create: [] },
      markers: { create: '2026-12-03T10:00:00.123Z' },
    };
    await new PlanExecutor(ashby).execute(
      plan('candidate.createNote', { candidateId: 'c1', note: 'x' }),
      intent,
      ledger().hooks,
    );
    expect(ashby.endpoints()).toEqual(['candidate.listNotes', 'candidate.createNote']);
    expect(ashby.calls[1]!.body.createdAt).toBe('2026-12-03T10:00:00.123Z');
  });

  it('a note that already existed at the same instant is never adopted', async () => {
    const at = '2026-12-03T10:00:00.123Z';
    const ashby = new FakeAshby()
      .on('candidate.listNotes', [{ id: 'older', createdAt: at }])
      .on('candidate.createNote', ambiguous('candidate.createNote'), { id: 'mine', createdAt: at });
    const out = await new PlanExecutor(ashby).execute(
      plan('candidate.createNote', { candidateId: 'c1', note: 'x', createdAt: at }),
      { done: {} },
      ledger().hooks,
    );
    // before (records "older"), the ambiguous send, the settling lookup (only "older": not ours), the second send
    expect(ashby.endpoints()).toEqual([
      'candidate.listNotes',
      'candidate.createNote',
      'candidate.listNotes',
      'candidate.createNote',
    ]);
    expect(out.ashbyId).toBe('mine');
  });
});

describe('files', () => {
  const limits = { maxBytes: 1000, maxInlineBytes: 100, timeoutMs: 1000, contentTypes: ['application/pdf'] };
  const candidate = (names: string[]) => ({
    id: 'c1',
    fileHandles: names.map((name, i) => ({ id: `f${i}`, name, handle: 'h' })),
  });

  it('an upload sent as multipart whose outcome is unknown is settled by the file name, never adopting an older file of that name', async () => {
    const infos = [candidate(['cv.pdf']), candidate(['cv.pdf', 'cv.pdf'])];
    const ashby = new FakeAshby()
      .on('candidate.info', ...infos)
      .on('candidate.uploadFile', ambiguous('candidate.uploadFile'));
    const resolveBody = createUploadResolver(limits);
    const body = {
      candidateId: 'c1',
      file: { bytes: Buffer.from('%PDF-1.4').toString('base64'), filename: 'cv.pdf', contentType: 'application/pdf' },
    };
    const out = await new PlanExecutor(ashby, undefined, { resolveBody }).execute(
      plan('candidate.uploadFile', body),
      { done: {} },
      ledger().hooks,
    );
    expect(ashby.endpoints()).toEqual(['candidate.info', 'candidate.uploadFile', 'candidate.info']);
    const sent = ashby.calls[1]!.body.file as FilePart;
    expect(sent).toBeInstanceOf(FilePart);
    expect(sent.bytes.toString()).toBe('%PDF-1.4');
    expect(out.steps.main).toMatchObject({ results: { id: 'f1' }, reconciled: true });
  });

  it('several new files of that name: refuses to guess (dead-lettered)', async () => {
    const ashby = new FakeAshby()
      .on('candidate.info', candidate([]), candidate(['a.pdf', 'a.pdf']))
      .on('candidate.uploadResume', ambiguous('candidate.uploadResume'));
    const body = {
      candidateId: 'c1',
      resume: { bytes: Buffer.from('x'), filename: 'a.pdf', contentType: 'application/pdf' },
    };
    await expect(
      new PlanExecutor(ashby, undefined, { resolveBody: createUploadResolver(limits) }).execute(
        plan('candidate.uploadResume', body),
        { done: {} },
        ledger().hooks,
      ),
    ).rejects.toMatchObject({
      code: 'SINK_RECONCILE_AMBIGUOUS',
    });
  });

  it('inline bytes over the limit, a refused type, or both url and bytes are refused before any call', async () => {
    const resolve = createUploadResolver(limits);
    await expect(
      resolve('candidate.uploadFile', {
        candidateId: 'c1',
        file: { bytes: Buffer.alloc(101), filename: 'a.pdf', contentType: 'application/pdf' },
      }),
    ).rejects.toMatchObject({ code: 'SINK_FILE_TOO_LARGE' });
    await expect(
      resolve('candidate.uploadFile', {
        candidateId: 'c1',
        file: { bytes: Buffer.alloc(1), filename: 'a.exe', contentType: 'application/x-msdownload' },
      }),
    ).rejects.toMatchObject({ code: 'SINK_FILE_TYPE_REFUSED' });
    await expect(
      resolve('candidate.uploadFile', {
        candidateId: 'c1',
        file: { bytes: Buffer.alloc(1), url: 'https://example.org/a.pdf' },
      }),
    ).rejects.toMatchObject({ code: 'SINK_FILE_URL_INVALID' });
    expect(await resolve('candidate.update', { candidateId: 'c1' })).toEqual({ candidateId: 'c1' });
  });
});
