import type { LogLevel } from "./settings";

/**
 * A small structured logger: one JSON object per line, `{"time","level","msg",...fields}`.
 *
 * Callers pass only fields they chose (method, route, code, duration_ms …): nothing copies request
 * headers, query strings or bodies into a log line, so no token or cookie can leak through it.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names the logger owns; a caller's field with one of these names is ignored. */
const RESERVED = new Set(["time", "level", "msg"]);

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Receives each line, newline included. Default: `process.stdout.write`. */
  readonly write?: (line: string) => void;
  /** Default: `() => new Date()`. */
  readonly now?: () => Date;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const now = options.now ?? (() => new Date());
  const threshold = RANK[options.level];

  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (RANK[level] < threshold) return;
    const record: Record<string, unknown> = { time: now().toISOString(), level, msg };
    if (fields) {
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined && !RESERVED.has(key)) record[key] = value;
      }
    }
    write(`${JSON.stringify(record)}\n`);
  };

  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}

/** The name and message of an error, for a log field; never the stack of a user-facing error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
