import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { ConfigError, parseEnvironment } from "../../src/config";
import { prometheusRuleGroups } from "../../src/stacks/monitoring-props";

const ROOT = path.resolve(__dirname, "../..");
const DEV = path.join(ROOT, "environments", "dev.yaml");

function devWith(edit: (doc: ReturnType<typeof parseDocument>) => void): Uint8Array {
  const doc = parseDocument(readFileSync(DEV, "utf8"));
  edit(doc);
  return Buffer.from(doc.toString());
}

function problems(bytes: Uint8Array): { path: string; message: string }[] {
  try {
    parseEnvironment(DEV, bytes);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => ({ path: p.path, message: p.message }));
    throw error;
  }
  return [];
}

describe("config input the monitoring generator relies on", () => {
  it.each([
    ["an availability SLO of 100 %", ["applications", 0, "slo", "availability"], 100, "applications[0].slo.availability", /below 100 %/],
    ["an availability SLO of 0 %", ["applications", 0, "slo", "availability"], 0, "applications[0].slo.availability", /above 0 %/],
    [
      "a latency objective of 100 %",
      ["applications", 0, "slo", "latency", "objective"],
      100,
      "applications[0].slo.latency.objective",
      /below 100 %/,
    ],
    [
      "a latency threshold of 0 s",
      ["applications", 0, "slo", "latency", "thresholdSeconds"],
      0,
      "applications[0].slo.latency.thresholdSeconds",
      /above zero seconds/,
    ],
    [
      "an application of an unknown team",
      ["applications", 0, "team"],
      "search",
      "applications[0].team",
      /unknown team search \(expected one of: payments\)/,
    ],
    [
      "a heartbeat with a secret in its URL",
      ["monitoring", "alerting", "heartbeat"],
      { url: "https://hc-ping.example.com/x?key=s3cret" },
      "monitoring.alerting.heartbeat.url",
      /https URL without query string/,
    ],
    [
      "a heartbeat credential from an unknown secret",
      ["monitoring", "alerting", "heartbeat"],
      { url: "https://hc-ping.example.com/shipyard-dev", credentialsSecret: "nope" },
      "monitoring.alerting.heartbeat.credentialsSecret",
      /unknown secret nope/,
    ],
  ])("refuses %s", (_, key, value, where, message) => {
    const found = problems(devWith((doc) => doc.setIn(key as (string | number)[], value)));
    expect(found).toContainEqual({ path: where, message: expect.stringMatching(message) });
  });

  it("accepts a heartbeat and wires it into the Watchdog receiver", async () => {
    const env = parseEnvironment(
      DEV,
      devWith((doc) =>
        doc.setIn(["monitoring", "alerting", "heartbeat"], {
          url: "https://hc-ping.example.com/shipyard-dev",
          credentialsSecret: "alertmanager-slack",
        }),
      ),
    );
    const { alertmanagerConfig, alertmanagerSecretNames } = await import("../../src/stacks/monitoring-props");
    const receiver = alertmanagerConfig(env, "arn:aws:sns:eu-west-1:111111111111:shipyard-dev-alerts").receivers.find(
      (r) => r.name === "watchdog-heartbeat",
    )!;
    expect(receiver.webhook_configs![0]).toMatchObject({ url: "https://hc-ping.example.com/shipyard-dev" });
    expect(alertmanagerSecretNames(env)).toEqual(["alertmanager-pagerduty", "alertmanager-slack", "alertmanager-slack-payments"]);
  });

  it("keeps the generation-time guards (threshold not a bucket, objective too low), naming the config key", () => {
    // `shipyard validate` refuses these first (src/config/rules.ts); the module refuses them on its own too.
    const env = parseEnvironment(
      DEV,
      devWith(() => undefined),
    );
    const app = env.applications[0]!;
    const notBucket = { ...env, applications: [{ ...app, slo: { ...app.slo, latency: { ...app.slo.latency, thresholdSeconds: 0.2 } } }] };
    expect(() => prometheusRuleGroups(notBucket)).toThrowError(
      /environments\/dev\.yaml: applications\[0\]\.slo\.latency\.thresholdSeconds: 0\.2 s is not a histogram bucket boundary/,
    );
    const low = { ...env, applications: [{ ...app, slo: { ...app.slo, latency: { ...app.slo.latency, objective: 90 } } }] };
    expect(() => prometheusRuleGroups(low)).toThrowError(/applications\[0\]\.slo\.latency\.objective: 90 % leaves an error budget of 10 %/);
  });

  it("refuses the same input at validation time", () => {
    expect(problems(devWith((doc) => doc.setIn(["applications", 0, "slo", "latency", "thresholdSeconds"], 0.2)))).toContainEqual({
      path: "applications[0].slo.latency.thresholdSeconds",
      message: expect.stringMatching(/not a histogram bucket boundary/),
    });
    expect(problems(devWith((doc) => doc.setIn(["applications", 0, "slo", "latency", "objective"], 90)))).toContainEqual({
      path: "applications[0].slo.latency.objective",
      message: expect.stringMatching(/page could never fire/),
    });
  });
});
