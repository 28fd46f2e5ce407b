/**
 * Settings of the sample service, read from environment variables and validated once at start.
 *
 * Every variable is optional and has a default. An empty value (`PORT=`) counts as unset, the way
 * `docker run -e PORT=` and an empty Kubernetes `value: ""` are usually meant. A value that is set
 * but invalid is refused with a message that names the variable, the value and what was expected.
 */

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Settings {
  /** TCP port to listen on; 0 picks a free port (tests). Env `PORT`, default 8080. */
  readonly port: number;
  /** Address to bind. Env `HOST`, default `0.0.0.0`. */
  readonly host: string;
  /** Lowest level written to the log. Env `LOG_LEVEL`, default `info`. */
  readonly logLevel: LogLevel;
  /**
   * Whole shutdown budget, counted from the signal: pre-stop delay plus draining. When it runs out the
   * process exits 1. Keep it below the pod's `terminationGracePeriodSeconds` (Kubernetes default 30).
   * Env `SHUTDOWN_GRACE_SECONDS`, default 25.
   */
  readonly shutdownGraceSeconds: number;
  /**
   * How long to keep serving (with `/readyz` answering 503) after the signal, before the listener
   * closes, so load balancers and Endpoints stop sending new traffic. Must be below the grace period.
   * Env `PRESTOP_DELAY_SECONDS`, default 5.
   */
  readonly prestopDelaySeconds: number;
  /** Share (0..1) of `/api/*` requests answered with an injected 500, to exercise alerts. Env `ERROR_RATE`, default 0. */
  readonly errorRate: number;
  /** Upper bound of `GET /api/work?ms=N`. Env `WORK_MAX_MS`, default 10000. */
  readonly workMaxMs: number;
  /**
   * Idle keep-alive timeout of the HTTP server. Must be longer than the load balancer's idle timeout
   * (ALB: 60 s) or the balancer may reuse a connection the server is closing (sporadic 502s).
   * Env `KEEP_ALIVE_TIMEOUT_SECONDS`, default 65.
   */
  readonly keepAliveTimeoutSeconds: number;
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  port: 8080,
  host: "0.0.0.0",
  logLevel: "info",
  shutdownGraceSeconds: 25,
  prestopDelaySeconds: 5,
  errorRate: 0,
  workMaxMs: 10_000,
  keepAliveTimeoutSeconds: 65,
});

/** One invalid variable. */
export interface SettingsProblem {
  readonly variable: string;
  readonly message: string;
}

/** Thrown by {@link loadSettings}; `message` lists every problem, one line each. */
export class SettingsError extends Error {
  readonly problems: readonly SettingsProblem[];

  constructor(problems: readonly SettingsProblem[]) {
    super(problems.map((p) => p.message).join("\n"));
    this.name = "SettingsError";
    this.problems = problems;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Shows a value in a message without flooding the terminal. */
function show(raw: string): string {
  const clipped = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  return JSON.stringify(clipped);
}

const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
const INTEGER = /^\d+$/;

/**
 * Reads and validates the settings. Throws {@link SettingsError} naming every invalid variable.
 * Pure: reads only the `env` it is given.
 */
export function loadSettings(env: Env = process.env): Settings {
  const problems: SettingsProblem[] = [];

  const read = (variable: string): string | undefined => {
    const raw = env[variable];
    if (raw === undefined) return undefined;
    const trimmed = raw.trim();
    return trimmed === "" ? undefined : trimmed;
  };
  const refuse = (variable: string, raw: string, expected: string): void => {
    problems.push({ variable, message: `${variable}=${show(raw)} is invalid: expected ${expected}` });
  };

  const integer = (variable: string, fallback: number, min: number, max: number): number => {
    const raw = read(variable);
    if (raw === undefined) return fallback;
    const value = INTEGER.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      refuse(variable, raw, `a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };

  const decimal = (
    variable: string,
    fallback: number,
    min: number,
    max: number,
    opts: { minExclusive?: boolean; unit?: string } = {},
  ): number => {
    const raw = read(variable);
    if (raw === undefined) return fallback;
    const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
    const belowMin = opts.minExclusive ? value <= min : value < min;
    if (!Number.isFinite(value) || belowMin || value > max) {
      const lower = opts.minExclusive ? `greater than ${min}` : `from ${min}`;
      const upper = opts.minExclusive ? `and at most ${max}` : `to ${max}`;
      const unit = opts.unit ? ` ${opts.unit}` : "";
      refuse(variable, raw, `a number ${lower} ${upper}${unit}`);
      return fallback;
    }
    return value;
  };

  const port = integer("PORT", DEFAULT_SETTINGS.port, 0, 65535);

  let host = DEFAULT_SETTINGS.host;
  const rawHost = read("HOST");
  if (rawHost !== undefined) {
    if (/^[A-Za-z0-9.:\-\[\]%]+$/.test(rawHost) && rawHost.length <= 253) host = rawHost;
    else refuse("HOST", rawHost, "an IP address or host name to bind, such as 0.0.0.0, :: or 127.0.0.1");
  }

  let logLevel: LogLevel = DEFAULT_SETTINGS.logLevel;
  const rawLevel = read("LOG_LEVEL");
  if (rawLevel !== undefined) {
    const lower = rawLevel.toLowerCase();
    if ((LOG_LEVELS as readonly string[]).includes(lower)) logLevel = lower as LogLevel;
    else refuse("LOG_LEVEL", rawLevel, `one of ${LOG_LEVELS.join(", ")}`);
  }

  const shutdownGraceSeconds = decimal("SHUTDOWN_GRACE_SECONDS", DEFAULT_SETTINGS.shutdownGraceSeconds, 0, 3600, {
    minExclusive: true,
    unit: "(seconds)",
  });
  const prestopDelaySeconds = decimal("PRESTOP_DELAY_SECONDS", DEFAULT_SETTINGS.prestopDelaySeconds, 0, 3600, {
    unit: "(seconds)",
  });
  const errorRate = decimal("ERROR_RATE", DEFAULT_SETTINGS.errorRate, 0, 1, { unit: "(a share, e.g. 0.05 for 5%)" });
  const workMaxMs = integer("WORK_MAX_MS", DEFAULT_SETTINGS.workMaxMs, 0, 600_000);
  const keepAliveTimeoutSeconds = decimal("KEEP_ALIVE_TIMEOUT_SECONDS", DEFAULT_SETTINGS.keepAliveTimeoutSeconds, 0, 3600, {
    minExclusive: true,
    unit: "(seconds)",
  });

  // Cross-field rule, checked only when both values are themselves valid.
  const bothValid = !problems.some((p) => p.variable === "PRESTOP_DELAY_SECONDS" || p.variable === "SHUTDOWN_GRACE_SECONDS");
  if (bothValid && prestopDelaySeconds >= shutdownGraceSeconds) {
    problems.push({
      variable: "PRESTOP_DELAY_SECONDS",
      message:
        `PRESTOP_DELAY_SECONDS=${prestopDelaySeconds} is invalid: expected less than ` +
        `SHUTDOWN_GRACE_SECONDS (${shutdownGraceSeconds}), so that time is left to drain requests`,
    });
  }

  if (problems.length > 0) throw new SettingsError(problems);

  return Object.freeze({
    port,
    host,
    logLevel,
    shutdownGraceSeconds,
    prestopDelaySeconds,
    errorRate,
    workMaxMs,
    keepAliveTimeoutSeconds,
  });
}
