import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Top-N self-time table of a V8 `.cpuprofile` (from `node --cpu-prof`), by function and by
 * area (our modules, avsc, node-rdkafka, undici, GC…): what docs/profiles/ quotes.
 * `node dist/bench/lib/profile-top.js FILE.cpuprofile [N]`.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  area: string;
  ms: number;
}

/** The area a function's file belongs to. */
export function areaOf(url: string, name: string): string {
  if (url === '') {
    if (name === '(garbage collector)') return 'GC';
    if (name === '(idle)') return 'idle';
    if (name === '(program)') return 'program (native, unattributed)';
    return 'V8 builtins / native';
  }
  const m = /\/(src|bench)\/([a-z-]+)\//.exec(url);
  if (m && !url.includes('node_modules')) return `${m[1]}/${m[2]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node core';
  return url;
}

export function selfTimes(profile: Profile): { total: number; rows: SelfTime[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<number, number>();
  profile.samples.forEach((id, i) => ms.set(id, (ms.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const agg = new Map<string, SelfTime>();
  let total = 0;
  for (const [id, t] of ms) {
    const f = byId.get(id)!.callFrame;
    total += t;
    const where = f.url ? `${f.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const name = f.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const row = agg.get(key) ?? { name, where, area: areaOf(f.url, name), ms: 0 };
    row.ms += t;
    agg.set(key, row);
  }
  return { total, rows: [...agg.values()].sort((a, b) => b.ms - a.ms) };
}

export function byArea(rows: SelfTime[]): Array<{ area: string; ms: number }> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.area, (m.get(r.area) ?? 0) + r.ms);
  return [...m.entries()].map(([area, ms]) => ({ area, ms })).sort((a, b) => b.ms - a.ms);
}

function main(): void {
  const [file, n] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node dist/bench/lib/profile-top.js FILE.cpuprofile [N]');
    process.exit(2);
  }
  const { total, rows } = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const busy = total - rows.filter((r) => r.name === '(idle)').reduce((s, r) => s + r.ms, 0);
  const pct = (x: number): string => `${((100 * x) / busy).toFixed(1)}%`;
  console.log(`${file}: ${(busy / 1000).toFixed(2)} s of main-thread samples (idle excluded)\n`);
  console.log('| Self time | % | Function | Where |\n|---:|---:|---|---|');
  for (const r of rows.filter((x) => x.name !== '(idle)').slice(0, Number(n ?? 25)))
    console.log(`| ${r.ms.toFixed(0)} ms | ${pct(r.ms)} | \`${r.name}\` | ${r.where || r.area} |`);
  console.log('\n| Area | Self time | % |\n|---|---:|---:|');
  for (const a of byArea(rows).filter((x) => x.area !== 'idle'))
    console.log(`| ${a.area} | ${a.ms.toFixed(0)} ms | ${pct(a.ms)} |`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
