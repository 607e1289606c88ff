/**
 * Deterministic randomness for the generator. Every generated value is a pure function of
 * (seed, entity kind, record index, field salt): no state is carried between records, which is
 * what lets record i of a 1,000,000-record entity be produced on demand without producing the
 * records before it.
 */

/** murmur3's 32-bit finalizer: cheap and well-spread, good enough for test data. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;

/** Hash of up to four integers (each may exceed 32 bits, up to 2^53). Unsigned 32-bit result. */
export function hash4(a: number, b: number, c = 0, d = 0): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ (b | 0) ^ Math.imul(Math.floor(b / TWO_POW_32) | 0, 0x27d4eb2d));
  h = mix32(h ^ (c | 0) ^ Math.imul(Math.floor(c / TWO_POW_32) | 0, 0x165667b1));
  return mix32(h ^ (d | 0) ^ Math.imul(Math.floor(d / TWO_POW_32) | 0, 0x61c88647));
}

/** A uniform number in [0, 1) from a hash. */
export function unit(h: number): number {
  return h / TWO_POW_32;
}

/**
 * A small sequential generator (mulberry32) for the many cosmetic choices inside one record.
 * Structural choices that other records depend on (how many applications a candidate has, which
 * job an application is for) use `hash4` directly so they can be computed from either side.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Up to `count` distinct items, in the order they appear in `items`. */
  sample<T>(items: readonly T[], count: number): T[] {
    if (count >= items.length) return items.slice();
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(this.int(items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
  }
}
