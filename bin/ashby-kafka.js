#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (npm test, npm run demo and
// scripts/setup.sh build it).
import('../dist/src/cli/main.js')
  .then((cli) => cli.main(process.argv))
  .catch((err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli')) {
      process.stderr.write('ashby-kafka is not built yet: run `npm run build` in the package folder.\n');
    } else {
      process.stderr.write(`ashby-kafka failed to start: ${err && err.message ? err.message : err}\n`);
    }
    process.exit(70);
  });
