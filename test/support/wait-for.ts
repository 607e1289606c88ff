/**
 * The one polling helper of the tests: `waitFor(what, probe, timeoutMs, everyMs)`. It lives with
 * the benchmarks, which poll workers the same way; tests import it from here.
 */
export { waitFor } from '../../bench/lib/wait-for.js';
