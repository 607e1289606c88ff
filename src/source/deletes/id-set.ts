/**
 * A set of record ids in compact memory, for delete reconciliation over topics of 100,000s of
 * keys. Ashby ids are lowercase UUIDs (docs/ashby-api.md §5.1): each is kept as 16 bytes in one
 * open-addressing table (about 40 bytes per id at the worst load, against about 100 for a
 * `Set<string>` of 36-character strings). Anything that is not a lowercase UUID goes to a plain
 * Set beside it.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMPTY = 0;
const FULL = 1;
const REMOVED = 2;
const MAX_LOAD = 0.7;

export class IdSet {
  /** Four 32-bit words per slot. */
  private words: Uint32Array;
  private slots: Uint8Array;
  private used = 0;
  private count = 0;
  private readonly others = new Set<string>();
  private readonly probe = new Uint32Array(4);

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity / MAX_LOAD) cap *= 2;
    this.words = new Uint32Array(cap * 4);
    this.slots = new Uint8Array(cap);
  }

  get size(): number {
    return this.count + this.others.size;
  }

  /** Bytes held by the table (for reports). */
  get bytes(): number {
    return this.words.byteLength + this.slots.byteLength;
  }

  add(id: string): void {
    if (!pack(id, this.probe)) {
      this.others.add(id);
      return;
    }
    if (this.find(this.probe) >= 0) return;
    if ((this.used + 1) / this.slots.length > MAX_LOAD) this.rehash(this.count + 1 > this.slots.length * 0.35);
    this.insert(this.probe);
  }

  has(id: string): boolean {
    if (!pack(id, this.probe)) return this.others.has(id);
    return this.find(this.probe) >= 0;
  }

  delete(id: string): boolean {
    if (!pack(id, this.probe)) return this.others.delete(id);
    const at = this.find(this.probe);
    if (at < 0) return false;
    this.slots[at] = REMOVED;
    this.count--;
    return true;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i] === FULL) yield unpack(this.words, i * 4);
    yield* this.others;
  }

  private find(w: Uint32Array): number {
    const mask = this.slots.length - 1;
    for (let i = hash(w) & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i];
      if (s === EMPTY) return -1;
      if (s === FULL) {
        const o = i * 4;
        const t = this.words;
        if (t[o] === w[0] && t[o + 1] === w[1] && t[o + 2] === w[2] && t[o + 3] === w[3]) return i;
      }
    }
  }

  private insert(w: Uint32Array): void {
    const mask = this.slots.length - 1;
    let i = hash(w) & mask;
    while (this.slots[i] === FULL) i = (i + 1) & mask;
    if (this.slots[i] === EMPTY) this.used++;
    this.slots[i] = FULL;
    this.words.set(w, i * 4);
    this.count++;
  }

  /** Rebuilds the table without removed slots, doubled when `grow`. */
  private rehash(grow: boolean): void {
    const oldWords = this.words;
    const oldSlots = this.slots;
    const cap = grow ? oldSlots.length * 2 : oldSlots.length;
    this.words = new Uint32Array(cap * 4);
    this.slots = new Uint8Array(cap);
    this.used = 0;
    this.count = 0;
    const w = new Uint32Array(4);
    for (let i = 0; i < oldSlots.length; i++) {
      if (oldSlots[i] !== FULL) continue;
      w.set(oldWords.subarray(i * 4, i * 4 + 4));
      this.insert(w);
    }
  }
}

function pack(id: string, out: Uint32Array): boolean {
  if (id.length !== 36 || !UUID.test(id)) return false;
  const hex = id.slice(0, 8) + id.slice(9, 13) + id.slice(14, 18) + id.slice(19, 23) + id.slice(24);
  for (let k = 0; k < 4; k++) out[k] = parseInt(hex.slice(k * 8, k * 8 + 8), 16);
  return true;
}

function unpack(words: Uint32Array, o: number): string {
  const hex = [0, 1, 2, 3].map((k) => words[o + k]!.toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function hash(w: Uint32Array): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < 4; k++) h = Math.imul(h ^ w[k]!, 0x01000193) ^ (w[k]! >>> 15);
  return h >>> 0;
}
