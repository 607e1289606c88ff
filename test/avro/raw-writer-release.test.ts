import { describe, expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { compileSchema } from '../../src/avro/mapping/compile.js';
import { compileRawWriter } from '../../src/avro/mapping/raw-writer.js';
import { frameBody } from '../../src/avro/serde/framing.js';
import { JsonSlice, markReleasable, releaseBody } from '../../src/json/bytes.js';
import { EVERY_TYPE_SCHEMA, EVERY_TYPE_VALUE } from './samples.js';

/**
 * A raw writer lives as long as its pipeline, and a page's body is large. Once a record is
 * written or declined, the writer must hold nothing of the body: a writer that kept its last
 * body kept one body per pipeline alive between pages, 10 MB in a worker with 50 pipelines of
 * candidates (docs/profiles/serve-cpu.md, sixth round). Checked with a full collection and a
 * WeakRef to the body.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const HEADER = Buffer.from([0, 0, 0, 0, 42]);
const raw = compileRawWriter(compileSchema(EVERY_TYPE_SCHEMA, 'test schema'));

/** Writes the record in `text` from a body of its own, and says whether the body could then be collected. */
async function bodyCollectedAfter(text: string): Promise<{ written: boolean; collected: boolean }> {
  let body: WeakRef<Buffer> | undefined;
  const written = ((): boolean => {
    const bytes = Buffer.from(text, 'utf8');
    body = new WeakRef(bytes);
    return frameBody(HEADER, raw, new JsonSlice(bytes, 0, bytes.length)) !== undefined;
  })();
  await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef holds its target until the job ends
  gc();
  return { written, collected: body!.deref() === undefined };
}

describe('a raw writer keeps no page body alive', () => {
  it('after writing a record', async () => {
    expect(await bodyCollectedAfter(JSON.stringify(EVERY_TYPE_VALUE))).toEqual({ written: true, collected: true });
  });

  it('after declining one', async () => {
    // An escape in a string: the raw writer declines and leaves the record to the other writers.
    const escaped = JSON.stringify({ ...EVERY_TYPE_VALUE, note: 'a "quoted" word' });
    expect(await bodyCollectedAfter(escaped)).toEqual({ written: false, collected: true });
  });

  it('declines a record whose body was released, rather than throwing', () => {
    const bytes = markReleasable(
      Buffer.concat([Buffer.from(JSON.stringify(EVERY_TYPE_VALUE)), Buffer.alloc(20_000, 0x20)]),
    );
    const slice = new JsonSlice(bytes, 0, bytes.length);
    expect(frameBody(HEADER, raw, slice)).toBeDefined();
    expect(releaseBody(bytes)).toBe(true);
    expect(frameBody(HEADER, raw, slice)).toBeUndefined();
  });

  it('and the check can tell a kept body from a released one', async () => {
    const kept: Buffer[] = [];
    let body: WeakRef<Buffer> | undefined;
    ((): void => {
      const bytes = Buffer.from(JSON.stringify(EVERY_TYPE_VALUE), 'utf8');
      kept.push(bytes);
      body = new WeakRef(bytes);
    })();
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(body!.deref()).toBe(kept[0]);
  });
});
