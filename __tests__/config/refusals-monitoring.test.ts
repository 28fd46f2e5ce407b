import { describe, expect, it } from "vitest";
import type { Document } from "yaml";
import type { ConfigProblem } from "../../src/config/errors";
import { editDocument, environmentYaml, parse, problemsOf as refusal } from "../support/environments";
import { DEFAULT_LATENCY_BUCKETS, MIN_PAGEABLE_OBJECTIVE_PERCENT } from "../../modules/monitoring/slo";

const FILE = "environments/prod.yaml";
const PROD = environmentYaml("prod");

/** prod.yaml with one edit applied to its parsed document. */
const prodWith = (edit: (doc: Document) => void): string => editDocument(PROD, edit);
const problemsOf = (text: string): ConfigProblem[] => [...refusal(text).problems];

/** The line of the first occurrence of `text` after the line holding `after`. */
function lineOf(source: string, after: string, text: string): number {
  const lines = source.split("\n");
  const start = lines.findIndex((l) => l.includes(after));
  return lines.findIndex((l, i) => i >= start && l.includes(text)) + 1;
}

describe("monitoring refusals in prod (shipyard validate)", () => {
  it("accepts the unedited file, its route and heartbeat included", () => {
    const env = parse(PROD);
    expect(env.monitoring.alerting.routes).toEqual([{ team: "payments", namespaces: ["payments"], alertnames: ["KubeHpaMaxedOut"] }]);
    expect(env.monitoring.alerting.heartbeat).toEqual({
      url: "https://heartbeat.shipyard.example.com/ping/prod-watchdog",
      credentialsSecret: "alertmanager-heartbeat",
    });
  });

  it("refuses a route to an unknown team, with the key, the teams it knows and the line", () => {
    const bytes = prodWith((doc) => doc.setIn(["monitoring", "alerting", "routes", 0, "team"], "search"));
    const problems = problemsOf(bytes);
    expect(problems).toEqual([
      expect.objectContaining({
        file: FILE,
        path: "monitoring.alerting.routes[0].team",
        message: "unknown team search (expected one of: payments, platform)",
      }),
    ]);
    expect(problems[0]!.line).toBe(lineOf(bytes, "routes:", "team: search"));
  });

  it.each([
    [
      "a route without matchers",
      (doc: Document) => doc.setIn(["monitoring", "alerting", "routes"], doc.createNode([{ team: "platform" }])),
      "monitoring.alerting.routes[0]",
      /matches every alert \(expected namespaces, alertnames or both\)/,
    ],
    [
      "a route with an empty namespace list",
      (doc: Document) => doc.setIn(["monitoring", "alerting", "routes", 0, "namespaces"], doc.createNode([])),
      "monitoring.alerting.routes[0].namespaces",
      /.+/,
    ],
    [
      "a route to a namespace that is not a DNS label",
      (doc: Document) => doc.setIn(["monitoring", "alerting", "routes", 0, "namespaces", 0], "Payments"),
      "monitoring.alerting.routes[0].namespaces[0]",
      /Kubernetes namespace/,
    ],
    [
      "a route with a malformed alert name",
      (doc: Document) => doc.setIn(["monitoring", "alerting", "routes", 0, "alertnames", 0], "Kube Hpa"),
      "monitoring.alerting.routes[0].alertnames[0]",
      /alert name such as KubeHpaMaxedOut/,
    ],
    [
      "a route to a team without an alerting block",
      (doc: Document) => doc.deleteIn(["teams", 0, "alerting"]),
      "monitoring.alerting.routes[0].team",
      /team payments has no alerting block, so Alertmanager has no receiver for it/,
    ],
  ])("refuses %s", (_, edit, where, message) => {
    expect(problemsOf(prodWith(edit))).toContainEqual(expect.objectContaining({ path: where, message: expect.stringMatching(message) }));
  });

  it("refuses a route that takes another team's namespace to a different team (no team pages another)", () => {
    const bytes = prodWith((doc) => doc.setIn(["monitoring", "alerting", "routes", 0, "team"], "platform"));
    expect(problemsOf(bytes)).toEqual([
      expect.objectContaining({
        file: FILE,
        path: "monitoring.alerting.routes[0].namespaces[0]",
        message:
          "namespace payments belongs to team payments, so its alerts cannot be routed to platform (expected namespaces of team platform only)",
      }),
    ]);
  });

  it("refuses a metrics retention shorter than the SLO period", () => {
    const bytes = prodWith((doc) => doc.setIn(["monitoring", "prometheus", "retentionDays"], 14));
    expect(problemsOf(bytes)).toEqual([
      expect.objectContaining({
        file: FILE,
        path: "monitoring.prometheus.retentionDays",
        message:
          "14 days is shorter than the 30-day SLO period of the applications' error budgets, which would be computed from missing data (expected at least 30)",
        line: lineOf(bytes, "prometheus:", "retentionDays"),
      }),
    ]);
  });

  it("refuses a team channel posted through another channel's Slack webhook, and a team paging through another team's key", () => {
    const bytes = prodWith((doc) => {
      doc.deleteIn(["teams", 0, "alerting", "slackSecret"]);
      doc.deleteIn(["teams", 0, "alerting", "pagerdutySecret"]);
    });
    expect(problemsOf(bytes)).toEqual([
      expect.objectContaining({
        file: FILE,
        path: "teams[0].alerting.slackChannel",
        message:
          "the Slack webhook in secret alertmanager-slack already posts to #platform-alerts, and Slack app webhooks ignore a channel override (expected teams[0].alerting.slackSecret naming a secret with the webhook of #payments-alerts)",
      }),
      expect.objectContaining({
        file: FILE,
        path: "teams[0].alerting.pagerduty",
        message:
          "team payments would page through the routing key of team platform (secret alertmanager-pagerduty) (expected teams[0].alerting.pagerdutySecret naming a secret with this team's routing key)",
      }),
    ]);
  });

  it("refuses an ALB ingress group shared by two teams", () => {
    const bytes = prodWith((doc) => {
      doc.addIn(
        ["teams"],
        doc.createNode({
          name: "search",
          namespaces: ["search"],
          ingressGroup: "payments",
          quota: { requestsCpu: "1", requestsMemory: "1Gi", limitsCpu: "2", limitsMemory: "2Gi", pods: 10 },
        }),
      );
    });
    expect(problemsOf(bytes)).toEqual([
      expect.objectContaining({
        file: FILE,
        path: "teams[1].ingressGroup",
        message:
          "ingress group payments is already team payments's (expected a group name of this team's own; teams never share an ALB IngressGroup)",
      }),
    ]);
  });

  it("refuses a latency threshold that is not a histogram bucket, listing the buckets", () => {
    const bytes = prodWith((doc) => doc.setIn(["applications", 0, "slo", "latency", "thresholdSeconds"], 0.2));
    const problems = problemsOf(bytes);
    expect(problems).toEqual([
      expect.objectContaining({
        path: "applications[0].slo.latency.thresholdSeconds",
        message: `0.2 s is not a histogram bucket boundary of http_request_duration_seconds, so the share of faster requests cannot be computed exactly (expected one of: ${DEFAULT_LATENCY_BUCKETS.join(", ")})`,
      }),
    ]);
    expect(problems[0]!.message).toContain("0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10");
    expect(problems[0]!.line).toBe(lineOf(bytes, "slo:", "thresholdSeconds"));
  });

  it.each([
    ["an availability of 93 %", ["applications", 0, "slo", "availability"], 93, "applications[0].slo.availability"],
    ["a latency objective of 90 %", ["applications", 0, "slo", "latency", "objective"], 90, "applications[0].slo.latency.objective"],
    [
      "an objective exactly at the limit",
      ["applications", 0, "slo", "availability"],
      MIN_PAGEABLE_OBJECTIVE_PERCENT,
      "applications[0].slo.availability",
    ],
  ])("refuses %s: the 14.4x page could never fire", (_, key, value, where) => {
    const problems = problemsOf(prodWith((doc) => doc.setIn(key as (string | number)[], value)));
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: where,
        message: expect.stringMatching(
          /a 14\.4x burn would need more than 100 % of requests to fail, so the page could never fire \(expected an objective above 93\.06 %\)/,
        ),
      }),
    );
  });

  it("accepts the lowest objectives the page can still fire for, and every bucket", () => {
    for (const bucket of DEFAULT_LATENCY_BUCKETS) {
      expect(() => parse(prodWith((doc) => doc.setIn(["applications", 0, "slo", "latency", "thresholdSeconds"], bucket)))).not.toThrow();
    }
    expect(() => parse(prodWith((doc) => doc.setIn(["applications", 0, "slo", "availability"], 93.1)))).not.toThrow();
  });
});
