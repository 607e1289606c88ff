import { CREATED_INDEX_BASE, type Kind } from '../data/ids.js';
import type { World } from '../data/world.js';
import { ENTITY_BY_NAME, type EntityDef, type EntityName } from './entities.js';

/**
 * Records = generated records, overlaid with what writes changed. Only mutations are stored:
 * an untouched record is regenerated from (seed, index) whenever it is read, which is what keeps
 * memory flat at a million candidates.
 *
 * Every mutation takes the next value of one change sequence. Sync tokens remember the sequence
 * at the end of a pass, and an incremental pass returns exactly the records whose latest change
 * is after it (docs/ashby-api.md §2.5).
 */

export interface StoredRecord {
  id: string;
  [key: string]: unknown;
}

class EntityState {
  readonly overrides = new Map<string, StoredRecord>();
  readonly deleted = new Set<string>();
  /** Ids of records created after start, in creation order (they follow the generated slots in lists). */
  readonly created: string[] = [];
  readonly changeSeqs: number[] = [];
  readonly changeIds: string[] = [];
  readonly latestSeq = new Map<string, number>();
  readonly cache = new Map<number, StoredRecord | null>();
  nextCreated = CREATED_INDEX_BASE;
  /** Whether any write moved a record's createdAt, which disables the time-ordered skip in lists. */
  createdAtMoved = false;
  constructor(readonly def: EntityDef) {}
}

export type ChangeListener = (entity: EntityName, id: string, change: 'create' | 'update' | 'delete') => void;

export class Store {
  private seqValue = 0;
  private readonly states = new Map<EntityName, EntityState>();
  private readonly listeners: ChangeListener[] = [];
  /** Children created after start whose parent model does not list them (a candidate's new notes). */
  private readonly links = new Map<string, string[]>();

  constructor(readonly world: World) {
    for (const def of ENTITY_BY_NAME.values()) this.states.set(def.name, new EntityState(def));
  }

  /** The current change sequence: the last value any mutation took. */
  get seq(): number {
    return this.seqValue;
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  private state(entity: EntityName): EntityState {
    const s = this.states.get(entity);
    if (!s) throw new Error(`unknown entity ${entity}`);
    return s;
  }

  /** The record with this id, or undefined if it does not exist, was deleted, or is another entity's. */
  get<T = StoredRecord>(entity: EntityName, id: unknown): T | undefined {
    const s = this.state(entity);
    const index = this.world.ids.indexOf(s.def.kind, id);
    if (index === undefined) return undefined;
    return this.byIndex(s, index, id as string) as T | undefined;
  }

  private byIndex(s: EntityState, index: number, id: string): StoredRecord | undefined {
    if (s.deleted.has(id)) return undefined;
    const override = s.overrides.get(id);
    if (override) return override;
    if (index >= CREATED_INDEX_BASE || index >= s.def.slots(this.world)) return undefined;
    if (!s.def.cache) return s.def.generate(this.world, index) as StoredRecord | undefined;
    let hit = s.cache.get(index);
    if (hit === undefined) {
      hit = (s.def.generate(this.world, index) as StoredRecord | undefined) ?? null;
      s.cache.set(index, hit);
    }
    return hit ?? undefined;
  }

  /** The stored (overridden or created) version of a record, without generating anything. */
  override<T = StoredRecord>(entity: EntityName, id: string): T | undefined {
    return this.state(entity).overrides.get(id) as T | undefined;
  }

  isDeleted(entity: EntityName, id: string): boolean {
    return this.state(entity).deleted.has(id);
  }

  /** Number of list positions: generated slots, then created records. */
  positions(entity: EntityName): number {
    const s = this.state(entity);
    return s.def.slots(this.world) + s.created.length;
  }

  generatedSlots(entity: EntityName): number {
    return this.state(entity).def.slots(this.world);
  }

  /** The record at a list position, or undefined for an empty slot or a deleted record. */
  atPosition(entity: EntityName, position: number): StoredRecord | undefined {
    const s = this.state(entity);
    const slots = s.def.slots(this.world);
    if (position < slots) return this.byIndex(s, position, this.world.id(s.def.kind, position));
    const id = s.created[position - slots];
    return id === undefined ? undefined : this.byIndex(s, CREATED_INDEX_BASE, id);
  }

  createdAtMoved(entity: EntityName): boolean {
    return this.state(entity).createdAtMoved;
  }

  private readonly counters = new Map<Kind, number>();

  /** A fresh id of a kind that is not a stored entity of its own (history entries, offer versions, form instances…). */
  newId(kind: Kind): string {
    const next = this.counters.get(kind) ?? CREATED_INDEX_BASE;
    this.counters.set(kind, next + 1);
    return this.world.id(kind, next);
  }

  /** A fresh id for a record about to be created. */
  allocateId(entity: EntityName): string {
    const s = this.state(entity);
    return this.world.id(s.def.kind, s.nextCreated++);
  }

  /** Store a new record (its id from `allocateId`). */
  insert<T extends StoredRecord>(entity: EntityName, record: T): T {
    const s = this.state(entity);
    s.overrides.set(record.id, record);
    s.created.push(record.id);
    this.recordChange(s, record.id, 'create');
    return record;
  }

  /**
   * Apply `mutate` to a private copy of the record and store the copy. Returns the new record, or
   * undefined when there is no such record. Readers holding the old object never see it change.
   */
  update<T = StoredRecord>(entity: EntityName, id: string, mutate: (draft: T) => void): T | undefined {
    const s = this.state(entity);
    const current = this.get<StoredRecord>(entity, id);
    if (!current) return undefined;
    const draft = structuredClone(current) as StoredRecord;
    mutate(draft as T);
    draft.id = current.id;
    if (draft.createdAt !== current.createdAt) s.createdAtMoved = true;
    s.overrides.set(current.id, draft);
    this.recordChange(s, current.id, 'update');
    return draft as T;
  }

  delete(entity: EntityName, id: string): boolean {
    const s = this.state(entity);
    if (!this.get(entity, id)) return false;
    s.deleted.add(id);
    s.overrides.delete(id);
    s.latestSeq.delete(id);
    this.seqValue++;
    for (const l of this.listeners) l(entity, id, 'delete');
    return true;
  }

  private recordChange(s: EntityState, id: string, change: 'create' | 'update'): void {
    const seq = ++this.seqValue;
    s.changeSeqs.push(seq);
    s.changeIds.push(id);
    s.latestSeq.set(id, seq);
    for (const l of this.listeners) l(s.def.name, id, change);
  }

  /**
   * Ids whose latest change has a sequence in (after, upTo], oldest change first. A record changed
   * again after `upTo` is left out: its newer change belongs to a later pass.
   */
  changedIds(entity: EntityName, after: number, upTo: number): string[] {
    const s = this.state(entity);
    const out: string[] = [];
    let lo = 0;
    let hi = s.changeSeqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s.changeSeqs[mid]! <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < s.changeSeqs.length && s.changeSeqs[k]! <= upTo; k++) {
      const id = s.changeIds[k]!;
      if (s.latestSeq.get(id) === s.changeSeqs[k]) out.push(id);
    }
    return out;
  }

  /** Sequence of a record's latest change; 0 for a record never written since start. */
  lastChange(entity: EntityName, id: string): number {
    return this.state(entity).latestSeq.get(id) ?? 0;
  }

  /** Number of change-log entries in (after, now]: an upper bound on an incremental pass's size. */
  changeCountSince(entity: EntityName, after: number): number {
    const seqs = this.state(entity).changeSeqs;
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqs[mid]! <= after) lo = mid + 1;
      else hi = mid;
    }
    return seqs.length - lo;
  }

  /** Ids of every record overridden or created, for filters that must look beyond the generated order. */
  touchedIds(entity: EntityName): IterableIterator<string> {
    return this.state(entity).overrides.keys();
  }

  link(relation: string, parentId: string, childId: string): void {
    const key = `${relation}:${parentId}`;
    const list = this.links.get(key);
    if (list) list.push(childId);
    else this.links.set(key, [childId]);
  }

  linked(relation: string, parentId: string): readonly string[] {
    return this.links.get(`${relation}:${parentId}`) ?? [];
  }

  stats(): Record<string, { overridden: number; created: number; deleted: number }> {
    const out: Record<string, { overridden: number; created: number; deleted: number }> = {};
    for (const [name, s] of this.states) {
      if (s.overrides.size || s.deleted.size)
        out[name] = { overridden: s.overrides.size, created: s.created.length, deleted: s.deleted.size };
    }
    return out;
  }
}
