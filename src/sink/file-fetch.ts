import { request } from 'undici';
import { SinkError } from './errors.js';

/**
 * Downloads the file an upload command names by URL (candidate.uploadFile / uploadResume), under
 * limits: https only, a byte limit checked against Content-Length and again while reading, one
 * deadline for the whole download, and an allow-list of content types. The bytes are held in
 * memory (the limit bounds them) because Ashby's multipart upload needs the whole file.
 */
export interface FileLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Deadline for the whole download (connect, headers and body), ms. */
  timeoutMs: number;
  /** Accepted media types (`application/pdf`, or `image/*`); empty accepts any. */
  contentTypes: readonly string[];
  /** Redirects followed, each to an https URL again. */
  maxRedirects?: number;
  /** Tests only: allow plain http to 127.0.0.1 / localhost / [::1]. */
  allowLoopbackHttp?: boolean;
}

export interface FetchedFile {
  bytes: Buffer;
  /** The media type the server sent, without parameters. */
  contentType: string;
  /** From Content-Disposition, else the URL's last path segment. */
  filename: string | undefined;
}

export type FileErrorCode =
  'SINK_FILE_URL_INVALID' | 'SINK_FILE_TOO_LARGE' | 'SINK_FILE_TYPE_REFUSED' | 'SINK_FILE_FETCH_FAILED';

export class FileFetchError extends SinkError {
  constructor(code: FileErrorCode, message: string, details: Record<string, unknown>, retriable = false) {
    super(code, message, { details, retriable });
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL without its query string, which may hold a signature. */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function checkUrl(raw: string, limits: FileLimits): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FileFetchError(
      'SINK_FILE_URL_INVALID',
      `The file URL ${JSON.stringify(raw.slice(0, 200))} is not a valid URL.`,
      {},
    );
  }
  const loopbackHttp =
    limits.allowLoopbackHttp === true && url.protocol === 'http:' && LOOPBACK.has(url.hostname.toLowerCase());
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new FileFetchError(
      'SINK_FILE_URL_INVALID',
      `The file URL ${redactUrl(url)} is not https; the sink downloads files over https only.`,
      { url: redactUrl(url) },
    );
  }
  if (url.username || url.password)
    throw new FileFetchError(
      'SINK_FILE_URL_INVALID',
      `The file URL ${redactUrl(url)} carries credentials; use a signed URL instead.`,
      { url: redactUrl(url) },
    );
  return url;
}

export function typeAllowed(contentType: string, allowed: readonly string[]): boolean {
  if (!allowed.length) return true;
  return allowed.some((a) => (a.endsWith('/*') ? contentType.startsWith(a.slice(0, -1)) : a === contentType));
}

function filenameOf(disposition: string | undefined, url: URL): string | undefined {
  const star = disposition ? /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition) : null;
  if (star) return decodeURIComponent(star[1]!.trim());
  const plain = disposition ? /filename\s*=\s*"?([^";]+)"?/i.exec(disposition) : null;
  if (plain) return plain[1]!.trim();
  const last = url.pathname.split('/').pop();
  return last ? decodeURIComponent(last) : undefined;
}

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export async function fetchFile(rawUrl: string, limits: FileLimits, signal?: AbortSignal): Promise<FetchedFile> {
  let url = checkUrl(rawUrl, limits);
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const abort = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const shown = redactUrl(url);
  try {
    for (let hop = 0; ; hop++) {
      const res = await request(url, {
        method: 'GET',
        signal: abort,
        headersTimeout: limits.timeoutMs,
        bodyTimeout: limits.timeoutMs,
      });
      const headers = res.headers as Record<string, string | string[] | undefined>;
      if (res.statusCode >= 300 && res.statusCode < 400 && header(headers, 'location')) {
        await res.body.dump();
        if (hop >= (limits.maxRedirects ?? 3))
          throw new FileFetchError(
            'SINK_FILE_FETCH_FAILED',
            `The file URL ${shown} redirects more than ${limits.maxRedirects ?? 3} times.`,
            { url: shown },
          );
        url = checkUrl(new URL(header(headers, 'location')!, url).toString(), limits);
        continue;
      }
      if (res.statusCode !== 200) {
        await res.body.dump();
        const retriable = res.statusCode >= 500 || res.statusCode === 429;
        throw new FileFetchError(
          'SINK_FILE_FETCH_FAILED',
          `Downloading ${shown} answered HTTP ${res.statusCode}.`,
          { url: shown, status: res.statusCode },
          retriable,
        );
      }
      const contentType = (header(headers, 'content-type') ?? 'application/octet-stream')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      if (!typeAllowed(contentType, limits.contentTypes)) {
        await res.body.dump();
        throw new FileFetchError(
          'SINK_FILE_TYPE_REFUSED',
          `The file at ${shown} is ${contentType}, which is not among destination.files.content_types (${limits.contentTypes.join(', ')}).`,
          { url: shown, contentType },
        );
      }
      const declared = Number(header(headers, 'content-length'));
      const tooLarge = (size: number, how: string) =>
        new FileFetchError(
          'SINK_FILE_TOO_LARGE',
          `The file at ${shown} is ${how}${size} bytes, over destination.files.max_bytes (${limits.maxBytes}).`,
          { url: shown, bytes: size, maxBytes: limits.maxBytes },
        );
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        // Closing the connection early is the point; the abort it reports is expected.
        res.body.on('error', () => undefined).destroy();
        throw tooLarge(declared, '');
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > limits.maxBytes) {
          res.body.on('error', () => undefined).destroy();
          throw tooLarge(size, 'more than ');
        }
        chunks.push(chunk as Buffer);
      }
      return {
        bytes: Buffer.concat(chunks),
        contentType,
        filename: filenameOf(header(headers, 'content-disposition'), url),
      };
    }
  } catch (err) {
    if (err instanceof FileFetchError) throw err;
    if (signal?.aborted) throw err;
    if (deadline.aborted) {
      throw new FileFetchError(
        'SINK_FILE_FETCH_FAILED',
        `Downloading ${shown} took longer than destination.files.timeout (${limits.timeoutMs} ms).`,
        { url: shown, timeoutMs: limits.timeoutMs },
        true,
      );
    }
    throw new FileFetchError(
      'SINK_FILE_FETCH_FAILED',
      `Downloading ${shown} failed: ${(err as Error).message}`,
      { url: shown },
      true,
    );
  }
}
