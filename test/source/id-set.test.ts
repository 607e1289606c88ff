import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { IdSet } from '../../src/source/deletes/id-set.js';

describe('IdSet', () => {
  it('adds, finds, deletes and lists UUIDs and other ids like a Set', () => {
    const set = new IdSet(4);
    const model = new Set<string>();
    const ids: string[] = Array.from({ length: 5_000 }, () => randomUUID());
    ids.push('not-a-uuid', 'ABCDEF00-0000-0000-0000-000000000000');
    for (const id of ids) {
      set.add(id);
      model.add(id);
    }
    set.add(ids[0]!);
    for (const id of ids.filter((_, i) => i % 3 === 0)) {
      expect(set.delete(id)).toBe(true);
      model.delete(id);
    }
    expect(set.delete(ids[0]!)).toBe(false);
    // Re-adding after removal reuses removed slots without losing anything.
    for (const id of ids.slice(0, 30)) {
      set.add(id);
      model.add(id);
    }
    expect(set.size).toBe(model.size);
    expect(new Set(set)).toEqual(model);
    for (const id of ids) expect(set.has(id)).toBe(model.has(id));
    expect(set.has(randomUUID())).toBe(false);
  });

  it('holds 100,000 UUIDs in well under half the memory of their strings', () => {
    const set = new IdSet();
    for (let i = 0; i < 100_000; i++) set.add(randomUUID());
    expect(set.size).toBe(100_000);
    expect(set.bytes).toBeLessThan(100_000 * 45);
  });
});
