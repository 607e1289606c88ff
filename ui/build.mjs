// Bundles the web console (ui/src) into dist/console: one script, one stylesheet, one page.
// Run by `npm run build`; the worker serves dist/console at /ui (src/serve/rest/console.ts).
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'console');
mkdirSync(out, { recursive: true });

// "What to do" for each error code, taken from docs/troubleshooting.md's tables at build time:
// the one place that text is written (a drift test checks every code is there).
const help = {};
for (const line of readFileSync(join(here, '..', 'docs', 'troubleshooting.md'), 'utf8').split('\n')) {
  const m = /^\| `([A-Z][A-Z0-9_]+)` \| (yes|no) \| (.+) \|$/.exec(line);
  if (m) help[m[1]] = m[3].replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
}

await build({
  entryPoints: [join(here, 'src', 'main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outfile: join(out, 'app.js'),
  legalComments: 'eof',
  logLevel: 'warning',
  define: { __ERROR_HELP__: JSON.stringify(help) },
});
for (const file of ['index.html', 'app.css']) copyFileSync(join(here, file), join(out, file));
