import { createHash, createHmac, randomInt } from 'node:crypto';

/**
 * Sync tokens and cursors: opaque to clients (docs/ashby-api.md §2.1), signed so the sandbox can tell a
 * token it issued from garbage, and self-describing so the natural restart rules work:
 * - garbage, a bad signature or a token from an invalidated generation → *_invalid;
 * - a token older than its TTL, issued before an admin "expire", or issued by an earlier run of
 *   the sandbox (a restart forgets cursors and changes) → *_expired.
 *
 * Layouts (big-endian, then base64url):
 *   sync token: 1 version · 4 instance · 2 generation · 2 endpoint · 6 seq · 6 issuedAt · 8 MAC
 *   cursor:     2 version · 4 instance · 2 generation · 4 run · 6 position · 4 page · 6 issuedAt · 8 MAC
 */

const SYNC_VERSION = 1;
const CURSOR_VERSION = 2;
const MAC_BYTES = 8;

export type TokenCheck<T> = { ok: true; value: T } | { ok: false; reason: 'invalid' | 'foreign' };

export interface SyncTokenValue {
  endpoint: number;
  seq: number;
  issuedAt: number;
  generation: number;
}

export interface CursorValue {
  run: number;
  position: number;
  page: number;
  issuedAt: number;
  generation: number;
}

/** 16-bit code of an endpoint name, so a token from one list is refused by another. */
export function endpointCode(endpoint: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < endpoint.length; i++) h = Math.imul(h ^ endpoint.charCodeAt(i), 0x01000193);
  return (h >>> 0) & 0xffff;
}

function writeUint48(buf: Buffer, value: number, offset: number): void {
  buf.writeUIntBE(Math.max(0, Math.min(value, 2 ** 48 - 1)), offset, 6);
}

export class TokenCodec {
  private readonly key: Buffer;
  /** Differs on every start: tokens from an earlier run are recognisable as such. */
  readonly instance = randomInt(1, 2 ** 32 - 1);

  constructor(seed: number) {
    this.key = createHash('sha256').update(`ashby-sandbox-token:${seed}`).digest();
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }

  private seal(body: Buffer): string {
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  private open(token: unknown, version: number, length: number): Buffer | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token))
      return undefined;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length !== length + MAC_BYTES || raw[0] !== version) return undefined;
    const body = raw.subarray(0, length);
    return this.mac(body).equals(raw.subarray(length)) ? body : undefined;
  }

  issueSyncToken(endpoint: number, seq: number, issuedAt: number, generation: number): string {
    const body = Buffer.alloc(21);
    body[0] = SYNC_VERSION;
    body.writeUInt32BE(this.instance, 1);
    body.writeUInt16BE(generation & 0xffff, 5);
    body.writeUInt16BE(endpoint, 7);
    writeUint48(body, seq, 9);
    writeUint48(body, issuedAt, 15);
    return this.seal(body);
  }

  readSyncToken(token: unknown): TokenCheck<SyncTokenValue> {
    const body = this.open(token, SYNC_VERSION, 21);
    if (!body) return { ok: false, reason: 'invalid' };
    if (body.readUInt32BE(1) !== this.instance) return { ok: false, reason: 'foreign' };
    return {
      ok: true,
      value: {
        generation: body.readUInt16BE(5),
        endpoint: body.readUInt16BE(7),
        seq: body.readUIntBE(9, 6),
        issuedAt: body.readUIntBE(15, 6),
      },
    };
  }

  issueCursor(run: number, position: number, page: number, issuedAt: number, generation: number): string {
    const body = Buffer.alloc(27);
    body[0] = CURSOR_VERSION;
    body.writeUInt32BE(this.instance, 1);
    body.writeUInt16BE(generation & 0xffff, 5);
    body.writeUInt32BE(run >>> 0, 7);
    writeUint48(body, position, 11);
    body.writeUInt32BE(page >>> 0, 17);
    writeUint48(body, issuedAt, 21);
    return this.seal(body);
  }

  readCursor(cursor: unknown): TokenCheck<CursorValue> {
    const body = this.open(cursor, CURSOR_VERSION, 27);
    if (!body) return { ok: false, reason: 'invalid' };
    if (body.readUInt32BE(1) !== this.instance) return { ok: false, reason: 'foreign' };
    return {
      ok: true,
      value: {
        generation: body.readUInt16BE(5),
        run: body.readUInt32BE(7),
        position: body.readUIntBE(11, 6),
        page: body.readUInt32BE(17),
        issuedAt: body.readUIntBE(21, 6),
      },
    };
  }
}
