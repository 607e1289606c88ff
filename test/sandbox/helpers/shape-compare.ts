/**
 * Compares a sandbox response with a recorded Ashby response by shape: values may differ, but
 * field names, JSON types and the null-vs-absent convention must agree (the "Done when").
 *
 * Record-level rules, for each record path (arrays written `x[]`):
 * - absent stays absent: the sandbox may send a field only if the recorded exchange sends it, or
 *   the field is "proven optional" for the record kind (some recorded response has it on some
 *   records and not on others, e.g. candidate `location` 19/20), or the recording holds no
 *   evidence about the enclosing object (it was always null, or an array always empty);
 * - present stays present: a field the recorded exchange sends on every record must be on every
 *   sandbox record, unless proven optional;
 * - types: the sandbox's JSON type for a field must be one the recordings of the record kind show
 *   for it (so a field Ashby sends as null when unset is sent as null, never omitted or ""), except
 *   where the recordings only ever show null: then the spec validator judges the value.
 */

export interface PathStats {
  types: Set<string>;
  /** Records (or parent objects) that had this path. */
  count: number;
  /** Number of times the parent object was present (non-null object) where this path could appear. */
  parentCount: number;
}

export type Profile = Map<string, PathStats>;

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Path statistics over a list of records. */
export function profile(records: readonly unknown[]): Profile {
  const out: Profile = new Map();
  const stat = (path: string): PathStats => {
    let s = out.get(path);
    if (!s) out.set(path, (s = { types: new Set(), count: 0, parentCount: 0 }));
    return s;
  };
  const walkObject = (obj: Record<string, unknown>, prefix: string, siblings: Set<string>): void => {
    for (const [k, v] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${k}` : k;
      siblings.add(path);
      walk(v, path);
    }
  };
  // parentCount: how many times each known child path's parent object appeared.
  const parents = new Map<string, number>();
  const walk = (v: unknown, path: string): void => {
    const s = stat(path);
    s.types.add(jsonType(v));
    s.count++;
    if (Array.isArray(v)) v.forEach((item) => walk(item, `${path}[]`));
    else if (v && typeof v === 'object') {
      parents.set(path, (parents.get(path) ?? 0) + 1);
      walkObject(v as Record<string, unknown>, path, new Set());
    }
  };
  for (const r of records) {
    parents.set('', (parents.get('') ?? 0) + 1);
    if (r && typeof r === 'object' && !Array.isArray(r)) walkObject(r as Record<string, unknown>, '', new Set());
  }
  for (const [path, s] of out) s.parentCount = parents.get(parentOf(path)) ?? 0;
  return out;
}

export function parentOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

/** Whether the recordings show what is inside `path`: it was a non-empty array or a non-null object at least once. */
function hasEvidence(p: Profile, path: string): boolean {
  if (path === '') return (p.get('')?.count ?? 1) > 0;
  const s = p.get(path);
  if (!s) return false;
  if (s.types.has('object')) return true;
  if (s.types.has('array')) return p.has(`${path}[]`);
  return false;
}

/** The closest enclosing path (array element or object) that the profile knows. */
function nearestKnownAncestor(p: Profile, path: string): string | undefined {
  let cur = path;
  while (cur) {
    cur = cur.endsWith('[]') ? cur.slice(0, -2) : parentOf(cur);
    if (cur === '' || p.has(cur)) return cur;
  }
  return undefined;
}

export interface FamilyKnowledge {
  profile: Profile;
  /** Paths present on some records and absent on others within one recorded response. */
  optional: Set<string>;
}

export function familyKnowledge(exchanges: readonly (readonly unknown[])[]): FamilyKnowledge {
  const optional = new Set<string>();
  for (const records of exchanges) {
    for (const [path, s] of profile(records)) if (!path.endsWith('[]') && s.count < s.parentCount) optional.add(path);
  }
  return { profile: profile(exchanges.flat()), optional };
}

/** The path, or an object it sits in, is proven optional: its presence says nothing about the shape. */
function optionalWithin(family: FamilyKnowledge, path: string): boolean {
  for (let cur = path; cur; cur = cur.endsWith('[]') ? cur.slice(0, -2) : parentOf(cur))
    if (family.optional.has(cur)) return true;
  return false;
}

export function compareRecords(
  recorded: readonly unknown[],
  sandbox: readonly unknown[],
  family: FamilyKnowledge,
): string[] {
  const problems: string[] = [];
  const rec = profile(recorded);
  const sb = profile(sandbox);
  const fam = family.profile;
  for (const [path, s] of sb) {
    const known = rec.get(path) ?? fam.get(path);
    if (!rec.has(path) && !(optionalWithin(family, path) && fam.has(path))) {
      const ancestor = nearestKnownAncestor(rec, path);
      const noEvidence = recorded.length === 0 || (ancestor !== undefined && !hasEvidence(rec, ancestor));
      if (!noEvidence) {
        problems.push(`${path}: the sandbox sends it, the recorded response does not (absent must stay absent)`);
        continue;
      }
      if (!fam.has(path) && hasEvidence(fam, nearestKnownAncestor(fam, path) ?? '')) {
        problems.push(
          `${path}: never seen in any recorded ${recorded.length ? 'exchange' : 'response'} of this record kind`,
        );
        continue;
      }
    }
    if (!known) continue;
    const allowed = new Set([...(rec.get(path)?.types ?? []), ...(fam.get(path)?.types ?? [])]);
    const onlyNull = [...allowed].every((t) => t === 'null');
    for (const t of s.types) {
      if (!allowed.has(t) && !onlyNull)
        problems.push(`${path}: the sandbox sends ${t}, the recordings show ${[...allowed].join('|')}`);
    }
  }
  for (const [path, s] of rec) {
    if (path.endsWith('[]') || s.count < s.parentCount || family.optional.has(path)) continue;
    const mine = sb.get(path);
    const parentPresent = sb.get(parentOf(path))?.types.has('object') ?? parentOf(path) === '';
    if (sandbox.length && parentPresent && (!mine || mine.count < mine.parentCount)) {
      problems.push(
        `${path}: always present in the recorded response, missing from the sandbox's (present must stay present)`,
      );
    }
  }
  return problems;
}

/** Envelope keys and their JSON types must match exactly. */
export function compareEnvelope(recorded: Record<string, unknown>, sandbox: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of new Set([...Object.keys(recorded), ...Object.keys(sandbox)])) {
    if (!(key in sandbox)) problems.push(`envelope.${key}: recorded, missing from the sandbox`);
    else if (!(key in recorded)) problems.push(`envelope.${key}: sent by the sandbox, absent from the recording`);
    else if (jsonType(recorded[key]) !== jsonType(sandbox[key]))
      problems.push(`envelope.${key}: ${jsonType(sandbox[key])} vs recorded ${jsonType(recorded[key])}`);
  }
  return problems;
}
