/**
 * Where Avro bytes are written by hand (mapping/direct-writer.ts) and framed (serde/framing.ts).
 * A write past the end of `buf` only advances `pos`, as avsc's Tap does: the caller sees
 * `pos > buf.length`, grows the buffer and writes again.
 */
export interface ByteWriter {
  buf: Buffer;
  pos: number;
}

/**
 * Writes the Avro body of `json` from `w.pos`; false when it cannot (the caller then encodes
 * another way). `json` is parsed JSON (mapping/direct-writer.ts) or its bytes (mapping/raw-writer.ts).
 */
export type BodyWriter<T = unknown> = (json: T, w: ByteWriter) => boolean;
