/**
 * `node dist/bench/lib/write-report.js <results-dir> <bench>...`: the last step of
 * `npm run bench` with no name. Reads `<results-dir>/<bench>.json` for every bench named (a bench
 * without one failed: `<bench>.rc` holds its exit code), renders the charts to
 * docs/benchmarks/*.svg, keeps the results as docs/benchmarks/results.json, and rewrites the
 * generated part of docs/benchmarks.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-info.js';
import { chartsFor, renderSvg } from './charts.js';
import { renderReport, replaceGenerated, thisMachine, type Machine } from './report.js';
import type { BenchResult } from './results.js';

const [dir, ...benches] = process.argv.slice(2);
if (!dir || benches.length === 0) {
  process.stderr.write('usage: write-report.js <results-dir> <bench>...\n');
  process.exit(2);
}
const results: BenchResult[] = [];
const failed: Array<{ bench: string; reason: string }> = [];
for (const bench of benches) {
  const file = join(dir, `${bench}.json`);
  if (existsSync(file)) results.push(JSON.parse(readFileSync(file, 'utf8')) as BenchResult);
  else {
    const rc = join(dir, `${bench}.rc`);
    failed.push({ bench, reason: existsSync(rc) ? `exit code ${readFileSync(rc, 'utf8').trim()}` : 'no result' });
  }
}
const machineFile = join(dir, 'machine.json');
const machine: Machine = existsSync(machineFile)
  ? (JSON.parse(readFileSync(machineFile, 'utf8')) as Machine)
  : thisMachine();

const docs = join(PACKAGE_ROOT, 'docs');
const chartDir = join(docs, 'benchmarks');
mkdirSync(chartDir, { recursive: true });
const charts: Array<{ title: string; path: string }> = [];
for (const c of chartsFor(results)) {
  writeFileSync(join(chartDir, `${c.name}.svg`), await renderSvg(c.spec));
  charts.push({ title: c.title, path: `benchmarks/${c.name}.svg` });
}
writeFileSync(join(chartDir, 'results.json'), `${JSON.stringify({ machine, results, failed }, null, 2)}\n`);
const page = join(docs, 'benchmarks.md');
const generated = renderReport({
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  machine,
  results,
  failed,
  charts,
  command:
    '`npm run bench` (every benchmark at its report size; raw results in [benchmarks/results.json](benchmarks/results.json))',
});
writeFileSync(page, replaceGenerated(readFileSync(page, 'utf8'), generated));
process.stdout.write(
  `wrote ${page}, ${charts.length} chart(s) in ${chartDir}${failed.length ? `; failed: ${failed.map((f) => f.bench).join(', ')}` : ''}\n`,
);
