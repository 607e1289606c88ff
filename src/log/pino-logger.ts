import pino, { type Logger as Pino } from 'pino';
import { serializeError, type LogFields, type LogLevel, type Logger } from './logger.js';
import { scrub } from './secrets.js';

/**
 * The project's Logger on top of pino, for the long-running worker (`serve`): the same JSON
 * lines (`time`, `level`, `msg`, fields), pino's speed, and every line scrubbed of registered
 * secrets before it is written, exactly like createLogger's.
 */
export function createPinoLogger(
  options: { level?: LogLevel; bindings?: LogFields; write?: (line: string) => void } = {},
): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const base = pino(
    {
      level: options.level ?? 'info',
      base: options.bindings ?? {},
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => write(scrub(line)) },
  );
  return wrap(base);
}

function normalize(fields: LogFields | undefined): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields ?? {}))
    if (v !== undefined) out[k] = v instanceof Error ? serializeError(v) : v;
  return out;
}

function wrap(p: Pino): Logger {
  return {
    trace: (m, f) => p.trace(normalize(f), m),
    debug: (m, f) => p.debug(normalize(f), m),
    info: (m, f) => p.info(normalize(f), m),
    warn: (m, f) => p.warn(normalize(f), m),
    error: (m, f) => p.error(normalize(f), m),
    child: (bindings) => wrap(p.child(normalize(bindings))),
    isLevelEnabled: (level) => (level === 'silent' ? false : p.isLevelEnabled(level)),
  };
}
