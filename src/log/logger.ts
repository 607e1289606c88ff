import { AshbyKafkaError } from '../errors.js';
import { scrub } from './secrets.js';

/**
 * A small structured logger. Lines are JSON (one object per line) by default, or short human
 * text when `format: 'pretty'` (the CLI picks pretty on a TTY). Every line is scrubbed of
 * registered secrets just before it is written, so no call site can leak a key by mistake.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'json' | 'pretty';
export type LogFields = Record<string, unknown>;

const LEVELS: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, silent: 100 };

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; defaults to stderr so stdout stays free for command output. */
  write?: (line: string) => void;
  bindings?: LogFields;
}

export interface Logger {
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

export function serializeError(err: unknown): Record<string, unknown> {
  if (err instanceof AshbyKafkaError) return err.toJSON();
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { message: String(err) };
}

function normalize(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    out[k] = v instanceof Error ? serializeError(v) : v;
  }
  return out;
}

function prettyValue(v: unknown): string {
  if (typeof v === 'string') return /\s/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const format = options.format ?? 'json';
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const bindings = options.bindings ?? {};

  const emit = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields): void => {
    if (LEVELS[level] < threshold) return;
    const all = normalize({ ...bindings, ...(fields ?? {}) });
    let line: string;
    if (format === 'pretty') {
      const extra = Object.entries(all)
        .map(([k, v]) => `${k}=${prettyValue(v)}`)
        .join(' ');
      const tag = level === 'info' ? '' : `${level.toUpperCase()} `;
      line = `${tag}${msg}${extra ? `  ${extra}` : ''}\n`;
    } else {
      line = `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...all })}\n`;
    }
    write(scrub(line));
  };

  return {
    trace: (m, f) => emit('trace', m, f),
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (more) => createLogger({ ...options, bindings: { ...bindings, ...more } }),
    isLevelEnabled: (level) => LEVELS[level] >= threshold,
  };
}

/** A logger that drops everything; for library callers that pass none. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
