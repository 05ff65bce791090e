/**
 * Structured logs: one JSON object per line, to a file in the data directory and/or stderr
 * (stdout belongs to server mode's single "Desk ready" line). Values under keys that name a
 * secret are replaced before anything is written, and so is any string registered as secret
 * (the launch token, account tokens), wherever it appears.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** Never write this value, wherever it shows up. */
  redact(secret: string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|secret|password|authorization|cookie|key$/i;
const REDACTED = '[redacted]';

export interface LoggerOptions {
  file?: string;
  /** Lowest level written to the file. */
  level?: LogLevel;
  /** Lowest level also written to stderr; absent: nothing goes to stderr. */
  stderrLevel?: LogLevel;
  clock?: () => number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const fileMinimum = ORDER[options.level ?? 'info'];
  const stderrMinimum = options.stderrLevel === undefined ? Infinity : ORDER[options.stderrLevel];
  const secrets = new Set<string>();
  const now = options.clock ?? Date.now;
  if (options.file) mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });

  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') {
      let text = value;
      for (const secret of secrets) if (secret.length > 0) text = text.split(secret).join(REDACTED);
      return text;
    }
    if (value instanceof Error) return { name: value.name, message: scrub(value.message, depth), stack: scrub(value.stack, depth) };
    if (depth > 4 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? REDACTED : scrub(item, depth + 1);
    return out;
  };

  const write = (level: LogLevel, event: string, fields?: LogFields): void => {
    const toFile = options.file !== undefined && ORDER[level] >= fileMinimum;
    const toStderr = ORDER[level] >= stderrMinimum;
    if (!toFile && !toStderr) return;
    const line = `${JSON.stringify({ at: new Date(now()).toISOString(), level, event, ...(scrub(fields ?? {}, 0) as LogFields) })}\n`;
    if (toFile && options.file) {
      try {
        appendFileSync(options.file, line, { mode: 0o600 });
      } catch {
        // A full disk must not take the desk down with it; stderr still gets the line.
      }
    }
    if (toStderr) process.stderr.write(line);
  };

  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    redact: (secret) => {
      secrets.add(secret);
    },
  };
}

/** For tests and tools that want no output. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, redact() {} };
