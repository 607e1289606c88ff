import { createSandboxEngine, type SandboxOptions } from '../../../src/sandbox/index.js';
import type { SandboxAdmin } from '../../../src/sandbox/admin/admin.js';
import type { SandboxEngine } from '../../../src/sandbox/engine.js';

/**
 * Drives the sandbox engine directly (no sockets) for unit tests: the engine produces exactly the
 * status, headers and body text the HTTP server writes. Integration tests in
 * test/integration/sandbox/ go through real HTTP.
 */

export interface Reply {
  status: number;
  headers: Record<string, string>;
  json: any;
  text: string;
}

export function basic(secret: string): string {
  return `Basic ${Buffer.from(`${secret}:`).toString('base64')}`;
}

export interface Fixture {
  engine: SandboxEngine;
  admin: SandboxAdmin;
  call(endpoint: string, body?: unknown, key?: string | null): Reply;
  /** Every page of a list, following nextCursor; returns the records and the final envelope. */
  all(
    endpoint: string,
    body?: Record<string, unknown>,
    key?: string,
  ): { records: any[]; pages: Reply[]; syncToken: string | undefined };
  ok(endpoint: string, body?: unknown, key?: string): any;
  /** A multipart/form-data call (candidate.uploadFile / uploadResume): text fields plus one file part. */
  multipart(endpoint: string, fields: Record<string, string>, file: FilePart, key?: string): Reply;
}

export interface FilePart {
  part: string;
  name: string;
  type: string;
  bytes: Buffer;
}

export function fixture(options: SandboxOptions = {}): Fixture {
  const { engine, admin } = createSandboxEngine(options);
  const call = (endpoint: string, body: unknown = {}, key: string | null = 'sandbox_full'): Reply => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers.authorization = basic(key);
    const r = engine.handle({ method: 'POST', path: `/${endpoint}`, headers, body: JSON.stringify(body) });
    let json: unknown;
    try {
      json = JSON.parse(r.body);
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, json, text: r.body };
  };
  const multipart = (endpoint: string, fields: Record<string, string>, file: FilePart, key = 'sandbox_full'): Reply => {
    const boundary = `----sandbox${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields))
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.part}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    const raw = Buffer.concat(parts);
    const headers = { authorization: basic(key), 'content-type': `multipart/form-data; boundary=${boundary}` };
    const r = engine.handle({ method: 'POST', path: `/${endpoint}`, headers, body: raw.toString('utf8'), raw });
    let json: unknown;
    try {
      json = JSON.parse(r.body);
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, json, text: r.body };
  };
  const ok = (endpoint: string, body: unknown = {}, key = 'sandbox_full'): any => {
    const r = call(endpoint, body, key);
    if (r.status !== 200 || r.json?.success !== true)
      throw new Error(`${endpoint} failed: ${r.status} ${r.text.slice(0, 500)}`);
    return r.json;
  };
  const all = (endpoint: string, body: Record<string, unknown> = {}, key = 'sandbox_full') => {
    const records: any[] = [];
    const pages: Reply[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 10_000; guard++) {
      const r = call(endpoint, { ...body, ...(cursor ? { cursor } : {}) }, key);
      if (r.json?.success !== true)
        throw new Error(`${endpoint} page ${pages.length + 1} failed: ${r.text.slice(0, 300)}`);
      pages.push(r);
      records.push(...r.json.results);
      if (!r.json.moreDataAvailable) return { records, pages, syncToken: r.json.syncToken as string | undefined };
      cursor = r.json.nextCursor;
    }
    throw new Error(`${endpoint}: pagination did not end`);
  };
  return { engine, admin, call, all, ok, multipart };
}
