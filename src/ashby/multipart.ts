import { randomBytes } from 'node:crypto';

/**
 * multipart/form-data request bodies, for the endpoints that take a file
 * (candidate.uploadFile, candidate.uploadResume:
 * https://developers.ashbyhq.com/reference/candidateuploadfile). A call whose body holds a
 * FilePart is sent as multipart: every other field becomes a text part (objects as JSON), the
 * FilePart a file part. Everything else about the call (retries, rate budget, errors) is the same.
 */
export class FilePart {
  constructor(
    readonly filename: string,
    readonly contentType: string,
    readonly bytes: Buffer,
  ) {}

  /** Logs and errors show the file's name and size, never its bytes. */
  toJSON(): Record<string, unknown> {
    return { filename: this.filename, contentType: this.contentType, size: this.bytes.length };
  }
}

export function hasFilePart(body: Record<string, unknown>): boolean {
  return Object.values(body).some((v) => v instanceof FilePart);
}

/** Quotes a header parameter value (RFC 7578 §4.2: names and filenames as quoted strings). */
function quoted(v: string): string {
  return `"${v.replace(/[\r\n]/g, ' ').replace(/(["\\])/g, '\\$1')}"`;
}

export function encodeMultipart(body: Record<string, unknown>): { contentType: string; bytes: Buffer } {
  const boundary = `----ashby-kafka-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if (value instanceof FilePart) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}; filename=${quoted(value.filename)}\r\nContent-Type: ${value.contentType}\r\n\r\n`,
        ),
        value.bytes,
        Buffer.from('\r\n'),
      );
    } else {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${text}\r\n`),
      );
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, bytes: Buffer.concat(parts) };
}
