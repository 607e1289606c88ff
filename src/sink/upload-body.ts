import { FilePart } from '../ashby/multipart.js';
import { FileFetchError, fetchFile, redactUrl, typeAllowed, type FileLimits } from './file-fetch.js';

/**
 * An upload command names its file as `{url}` (an https URL the sink downloads) or
 * `{bytes, filename, contentType}` (inline, up to `max_inline_bytes`). Just before the upload
 * step runs, the file becomes a FilePart, and the call goes out as multipart/form-data.
 */
export interface UploadLimits extends FileLimits {
  /** Largest inline file, in bytes. */
  maxInlineBytes: number;
}

/** Field of each upload endpoint that holds the file (https://developers.ashbyhq.com/reference/candidateuploadresume). */
export const UPLOAD_FIELDS: Readonly<Record<string, string>> = {
  'candidate.uploadFile': 'file',
  'candidate.uploadResume': 'resume',
};

interface FileSpec {
  url?: string | null;
  bytes?: Buffer | Uint8Array | string | null;
  filename?: string | null;
  contentType?: string | null;
}

function inline(spec: FileSpec, limits: UploadLimits): FilePart {
  // JSON commands carry bytes as base64; Avro ones as bytes.
  const bytes = typeof spec.bytes === 'string' ? Buffer.from(spec.bytes, 'base64') : Buffer.from(spec.bytes!);
  if (bytes.length > limits.maxInlineBytes) {
    throw new FileFetchError(
      'SINK_FILE_TOO_LARGE',
      `The inline file "${spec.filename ?? ''}" is ${bytes.length} bytes, over destination.files.max_inline_bytes (${limits.maxInlineBytes}); give a URL instead.`,
      {
        bytes: bytes.length,
        maxInlineBytes: limits.maxInlineBytes,
      },
    );
  }
  const contentType = (spec.contentType ?? 'application/octet-stream').toLowerCase();
  if (!typeAllowed(contentType, limits.contentTypes)) {
    throw new FileFetchError(
      'SINK_FILE_TYPE_REFUSED',
      `The inline file is ${contentType}, which is not among destination.files.content_types (${limits.contentTypes.join(', ')}).`,
      { contentType },
    );
  }
  if (!spec.filename) throw new FileFetchError('SINK_FILE_URL_INVALID', 'An inline file needs a filename.', {});
  return new FilePart(spec.filename, contentType, bytes);
}

export function createUploadResolver(
  limits: UploadLimits,
): (endpoint: string, body: Record<string, unknown>, signal?: AbortSignal) => Promise<Record<string, unknown>> {
  return async (endpoint, body, signal) => {
    const field = UPLOAD_FIELDS[endpoint];
    const spec = field ? (body[field] as FileSpec | undefined) : undefined;
    if (!field || !spec || spec instanceof FilePart) return body;
    const hasUrl = typeof spec.url === 'string' && spec.url !== '';
    const hasBytes = spec.bytes !== undefined && spec.bytes !== null;
    if (hasUrl === hasBytes)
      throw new FileFetchError(
        'SINK_FILE_URL_INVALID',
        `${endpoint}: give the file as exactly one of url or bytes.`,
        {},
      );
    let part: FilePart;
    if (hasBytes) part = inline(spec, limits);
    else {
      const fetched = await fetchFile(spec.url!, limits, signal);
      const filename = spec.filename ?? fetched.filename;
      if (!filename)
        throw new FileFetchError(
          'SINK_FILE_URL_INVALID',
          `The file at ${redactUrl(new URL(spec.url!))} has no name; set filename in the command.`,
          {},
        );
      part = new FilePart(filename, spec.contentType ?? fetched.contentType, fetched.bytes);
    }
    return { ...body, [field]: part };
  };
}
