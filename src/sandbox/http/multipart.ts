import { createHash } from 'node:crypto';
import type { Body } from './params.js';
import { AshbyWireError } from './wire-error.js';

/**
 * multipart/form-data bodies, which candidate.uploadFile and candidate.uploadResume accept
 * (https://developers.ashbyhq.com/reference/candidateuploadfile). Text parts become strings; a
 * file part becomes an UploadedFile, which keeps the file's size and digest rather than its
 * bytes: the sandbox stores the handle, not the content, and the call log stays small.
 */
export interface UploadedFile {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

export function isUploadedFile(v: unknown): v is UploadedFile {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as UploadedFile).sha256 === 'string' &&
    typeof (v as UploadedFile).filename === 'string'
  );
}

const malformed = (why: string): AshbyWireError =>
  new AshbyWireError('invalid_input', `Request payload is malformed: ${why}`);

function boundaryOf(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw malformed('multipart/form-data without a boundary');
  return boundary;
}

function headerParam(header: string, name: string): string | undefined {
  const match =
    new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header) ??
    new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(header);
  return match?.[1]?.replace(/\\(.)/g, '$1');
}

export function parseMultipart(raw: Buffer, contentType: string): Body {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  const body: Body = {};
  let at = raw.indexOf(delimiter);
  if (at < 0) throw malformed('no multipart boundary in the body');
  for (;;) {
    at += delimiter.length;
    if (raw.subarray(at, at + 2).toString('latin1') === '--') return body;
    const headersStart = at + 2; // past CRLF
    const headersEnd = raw.indexOf('\r\n\r\n', headersStart);
    if (headersEnd < 0) throw malformed('a multipart part has no header end');
    const next = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd + 4);
    if (next < 0) throw malformed('the last multipart part is not closed');
    const headers = raw.subarray(headersStart, headersEnd).toString('utf8').split('\r\n');
    const content = raw.subarray(headersEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h));
    const name = disposition ? headerParam(disposition, 'name') : undefined;
    if (!disposition || !name) throw malformed('a multipart part has no Content-Disposition name');
    const filename = headerParam(disposition, 'filename');
    if (filename !== undefined) {
      const type =
        headers.find((h) => /^content-type:/i.test(h))?.replace(/^content-type:\s*/i, '') ?? 'application/octet-stream';
      body[name] = {
        filename,
        contentType: type,
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
      } satisfies UploadedFile;
    } else {
      body[name] = content.toString('utf8');
    }
    at = next + 2;
  }
}
