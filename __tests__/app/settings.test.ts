import { describe, expect, it } from "vitest";

import { DEFAULT_SETTINGS, loadSettings, SettingsError } from "../../app/src/settings";

describe("app settings from environment variables", () => {
  it("uses the documented defaults when nothing is set", () => {
    expect(loadSettings({})).toEqual({
      port: 8080,
      host: "0.0.0.0",
      logLevel: "info",
      shutdownGraceSeconds: 25,
      prestopDelaySeconds: 5,
      errorRate: 0,
      workMaxMs: 10_000,
      keepAliveTimeoutSeconds: 65,
    });
    expect(loadSettings({})).toEqual(DEFAULT_SETTINGS);
  });

  it("ignores variables it does not own", () => {
    expect(loadSettings({ PATH: "/usr/bin", HOME: "/root", NODE_ENV: "production" })).toEqual(DEFAULT_SETTINGS);
  });

  it.each([
    ["PORT=0 (any free port)", { PORT: "0" }, { port: 0 }],
    ["PORT=65535", { PORT: "65535" }, { port: 65535 }],
    ["an empty value counts as unset", { PORT: "", LOG_LEVEL: "  " }, { port: 8080, logLevel: "info" }],
    ["surrounding spaces are trimmed", { PORT: " 9090 " }, { port: 9090 }],
    ["HOST as IPv6 any", { HOST: "::" }, { host: "::" }],
    ["HOST as loopback", { HOST: "127.0.0.1" }, { host: "127.0.0.1" }],
    ["LOG_LEVEL in any case", { LOG_LEVEL: "DEBUG" }, { logLevel: "debug" }],
    ["LOG_LEVEL=error", { LOG_LEVEL: "error" }, { logLevel: "error" }],
    ["ERROR_RATE as a share", { ERROR_RATE: "0.05" }, { errorRate: 0.05 }],
    ["ERROR_RATE=1 fails every API call", { ERROR_RATE: "1" }, { errorRate: 1 }],
    [
      "fractional seconds",
      { SHUTDOWN_GRACE_SECONDS: "2.5", PRESTOP_DELAY_SECONDS: ".5" },
      { shutdownGraceSeconds: 2.5, prestopDelaySeconds: 0.5 },
    ],
    ["no pre-stop delay", { PRESTOP_DELAY_SECONDS: "0" }, { prestopDelaySeconds: 0 }],
    ["WORK_MAX_MS", { WORK_MAX_MS: "250" }, { workMaxMs: 250 }],
    ["KEEP_ALIVE_TIMEOUT_SECONDS", { KEEP_ALIVE_TIMEOUT_SECONDS: "350" }, { keepAliveTimeoutSeconds: 350 }],
  ])("accepts %s", (_name, env, expected) => {
    expect(loadSettings(env)).toMatchObject(expected);
  });

  it.each([
    ["PORT", "abc", "a whole number from 0 to 65535"],
    ["PORT", "-1", "a whole number from 0 to 65535"],
    ["PORT", "65536", "a whole number from 0 to 65535"],
    ["PORT", "80.5", "a whole number from 0 to 65535"],
    ["PORT", "1e3", "a whole number from 0 to 65535"],
    ["HOST", "my host", "an IP address or host name"],
    ["HOST", "http://0.0.0.0", "an IP address or host name"],
    ["LOG_LEVEL", "verbose", "one of debug, info, warn, error"],
    ["ERROR_RATE", "1.5", "a number from 0 to 1"],
    ["ERROR_RATE", "-0.1", "a number from 0 to 1"],
    ["ERROR_RATE", "5%", "a number from 0 to 1"],
    ["ERROR_RATE", "NaN", "a number from 0 to 1"],
    ["SHUTDOWN_GRACE_SECONDS", "0", "a number greater than 0"],
    ["SHUTDOWN_GRACE_SECONDS", "ten", "a number greater than 0"],
    ["SHUTDOWN_GRACE_SECONDS", "30s", "a number greater than 0"],
    ["PRESTOP_DELAY_SECONDS", "-1", "a number from 0 to 3600"],
    ["PRESTOP_DELAY_SECONDS", "25", "less than SHUTDOWN_GRACE_SECONDS (25)"],
    ["WORK_MAX_MS", "1.5", "a whole number from 0 to 600000"],
    ["KEEP_ALIVE_TIMEOUT_SECONDS", "0", "a number greater than 0"],
  ])("refuses %s=%j, expecting %s", (variable, value, expected) => {
    let error: unknown;
    try {
      loadSettings({ [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const problems = (error as SettingsError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.variable).toBe(variable);
    // The message names the variable, the value given and what was expected.
    expect(problems[0]?.message).toContain(variable);
    expect(problems[0]?.message).toContain(JSON.stringify(value).slice(1, -1));
    expect(problems[0]?.message).toContain(`expected ${expected}`);
  });

  it("checks the pre-stop delay against the grace period actually configured", () => {
    expect(() => loadSettings({ SHUTDOWN_GRACE_SECONDS: "10", PRESTOP_DELAY_SECONDS: "10" })).toThrow(
      /PRESTOP_DELAY_SECONDS=10 is invalid: expected less than SHUTDOWN_GRACE_SECONDS \(10\)/,
    );
    expect(loadSettings({ SHUTDOWN_GRACE_SECONDS: "60", PRESTOP_DELAY_SECONDS: "30" })).toMatchObject({
      shutdownGraceSeconds: 60,
      prestopDelaySeconds: 30,
    });
  });

  it("reports every invalid variable at once, one line each", () => {
    let error: unknown;
    try {
      loadSettings({ PORT: "http", LOG_LEVEL: "loud", ERROR_RATE: "2" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems.map((p) => p.variable)).toEqual(["PORT", "LOG_LEVEL", "ERROR_RATE"]);
    expect((error as SettingsError).message.split("\n")).toHaveLength(3);
  });

  it("clips a very long value in the message", () => {
    expect(() => loadSettings({ PORT: "9".repeat(500) })).toThrow(/PORT="9{40}…" is invalid/);
  });

  it("returns frozen settings", () => {
    expect(Object.isFrozen(loadSettings({ PORT: "1234" }))).toBe(true);
  });
});
