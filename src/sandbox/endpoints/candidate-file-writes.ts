import { iso } from '../clock.js';
import { fileHandle } from '../data/candidates.js';
import type { CandidateModel, FileHandle } from '../data/models.js';
import { isUploadedFile, type UploadedFile } from '../http/multipart.js';
import { reqId, type Body } from '../http/params.js';
import type { Handler, HandlerResult, RequestContext } from '../http/request-context.js';
import { AshbyWireError, invalidInput, notFound } from '../http/wire-error.js';
import { candidateView } from '../views/candidates.js';

/**
 * candidate.removeTag, candidate.uploadFile and candidate.uploadResume
 * (https://developers.ashbyhq.com/reference/candidateuploadfile). Uploads come as
 * multipart/form-data with the file in a `file` (or `resume`) part; each returns the full
 * candidate, whose fileHandles (and resumeFileHandle) then name the new file.
 */

/** Index space of uploaded files' handles, clear of generated ones (2 per candidate) and offer letters (2^37 up). */
const UPLOADED_FILE_BASE = 2 ** 38;

function visibleCandidate(ctx: RequestContext, id: string): CandidateModel {
  const c = ctx.core.store.get<CandidateModel>('candidate', id);
  if (!c || !ctx.view.candidateVisible(c)) throw notFound('candidate', id);
  return c;
}

function uploaded(body: Body, part: 'file' | 'resume', handleField: string): UploadedFile {
  const v = body[part];
  if (isUploadedFile(v)) {
    if (v.size === 0) throw invalidInput(`${part} must not be empty`);
    return v;
  }
  if (typeof body[handleField] === 'string') {
    // file.createFileUploadHandle (the presigned upload) is not in the sandbox, so no handle can be valid here.
    throw new AshbyWireError(
      'invalid_input',
      `${handleField} is not a handle this sandbox issued: send the ${part} as multipart/form-data instead`,
    );
  }
  throw invalidInput(`${part} is required: send it as a multipart/form-data file part named "${part}"`);
}

function attach(ctx: RequestContext, part: 'file' | 'resume', handleField: string): HandlerResult {
  const candidate = visibleCandidate(ctx, reqId(ctx.body, 'candidateId'));
  const file = uploaded(ctx.body, part, handleField);
  const { store, world } = ctx.core;
  const handle: FileHandle = fileHandle(
    world,
    UPLOADED_FILE_BASE + store.seq,
    candidate.id,
    file.filename,
    part === 'resume' ? 'ResumeFile' : 'CandidateFile',
  );
  const now = iso(ctx.core.clock.stamp());
  const updated = store.update<CandidateModel>('candidate', candidate.id, (c) => {
    c.fileHandles.push(handle);
    if (part === 'resume') c.resumeFileHandle = handle;
    c.updatedAt = now;
  })!;
  return { results: candidateView(updated, ctx.view) };
}

export const CANDIDATE_FILE_HANDLERS: Record<string, Handler> = {
  'candidate.removeTag': (ctx) => {
    const candidate = visibleCandidate(ctx, reqId(ctx.body, 'candidateId'));
    const tagId = reqId(ctx.body, 'tagId');
    if (!ctx.core.store.get('candidateTag', tagId)) throw notFound('candidateTag', tagId);
    if (!candidate.tagIds.includes(tagId)) return { results: candidateView(candidate, ctx.view) };
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<CandidateModel>('candidate', candidate.id, (c) => {
      c.tagIds = c.tagIds.filter((t) => t !== tagId);
      c.updatedAt = now;
    })!;
    return { results: candidateView(updated, ctx.view) };
  },
  'candidate.uploadFile': (ctx) => attach(ctx, 'file', 'fileHandle'),
  'candidate.uploadResume': (ctx) => attach(ctx, 'resume', 'resumeHandle'),
};
