import { describe, expect, it } from "vitest";
import { ShipyardValidationError } from "../../../modules/core";
import {
  DEFAULT_LATENCY_BUCKETS,
  isAlertingRule,
  kebabCase,
  leMatcher,
  platformAlertGroups,
  sloRuleGroups,
  SLI_WINDOWS,
  type ServiceLevelObjective,
} from "../../../modules/monitoring";
import { DURATION_BUCKETS } from "../../../app/src/metrics";

const RUNBOOKS = "https://runbooks.example.com";
const web: ServiceLevelObjective = {
  name: "web",
  namespace: "shop",
  team: "shop",
  availability: 99.9,
  latency: { thresholdSeconds: 0.3, objective: 99 },
};

describe("SLO rules", () => {
  const groups = sloRuleGroups({ services: [web], runbookBaseUrl: RUNBOOKS });
  const rules = groups.flatMap((g) => g.rules);
  const alerts = rules.filter(isAlertingRule);

  it("records both error ratios over 5m, 30m, 1h, 6h and 3d, labelled for routing and dashboards", () => {
    for (const slo of ["availability", "latency"]) {
      for (const window of SLI_WINDOWS) {
        const rule = rules.find((r) => "record" in r && r.record === `slo:sli_error:ratio_rate${window}` && r.labels?.slo === slo);
        expect(rule, `${slo} ${window}`).toBeDefined();
        expect(rule!.labels).toEqual({ namespace: "shop", service: "web", team: "shop", slo });
        expect(rule!.expr).toContain(`[${window}]`);
        expect(rule!.expr).toContain('namespace="shop",service="web"');
      }
    }
    const availability = rules.find((r) => "record" in r && r.record === "slo:sli_error:ratio_rate5m" && r.labels?.slo === "availability")!;
    expect(availability.expr).toBe(
      '(sum(rate(http_requests_total{namespace="shop",service="web",code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{namespace="shop",service="web"}[5m]))',
    );
    const latency = rules.find((r) => "record" in r && r.record === "slo:sli_error:ratio_rate1h" && r.labels?.slo === "latency")!;
    expect(latency.expr).toBe(
      '1 - (sum(rate(http_request_duration_seconds_bucket{namespace="shop",service="web",le="0.3"}[1h])) / sum(rate(http_request_duration_seconds_count{namespace="shop",service="web"}[1h])))',
    );
  });

  it("alerts at 14.4x (1h & 5m) and 6x (6h & 30m) as pages and 1x (3d & 6h) as a ticket, for both objectives", () => {
    const byName = Object.fromEntries(alerts.map((a) => [a.alert, a]));
    expect(Object.keys(byName).sort()).toEqual([
      "SLOAvailabilityBudgetErosion",
      "SLOAvailabilityFastBurn",
      "SLOAvailabilitySlowBurn",
      "SLOLatencyBudgetErosion",
      "SLOLatencyFastBurn",
      "SLOLatencySlowBurn",
    ]);
    expect(byName.SLOAvailabilityFastBurn!.expr).toBe(
      'slo:sli_error:ratio_rate1h{namespace="shop",service="web",slo="availability"} > (14.4 * 0.001) and slo:sli_error:ratio_rate5m{namespace="shop",service="web",slo="availability"} > (14.4 * 0.001)',
    );
    expect(byName.SLOLatencySlowBurn!.expr).toContain("ratio_rate6h");
    expect(byName.SLOLatencySlowBurn!.expr).toContain("ratio_rate30m");
    expect(byName.SLOLatencySlowBurn!.expr).toContain("(6 * 0.01)");
    expect(byName.SLOLatencyBudgetErosion!.expr).toContain("ratio_rate3d");
    expect(byName.SLOAvailabilityFastBurn!.labels.severity).toBe("critical");
    expect(byName.SLOAvailabilitySlowBurn!.labels.severity).toBe("critical");
    expect(byName.SLOAvailabilityBudgetErosion!.labels.severity).toBe("ticket");
    for (const alert of alerts) expect(alert.labels.team).toBe("shop");
  });

  it("matches whole-number buckets as Prometheus 2 and 3 store them", () => {
    expect(leMatcher(0.5)).toBe('le="0.5"');
    expect(leMatcher(1)).toBe('le=~"1(\\\\.0)?"');
  });

  it("refuses a latency threshold that is not a bucket boundary, naming the buckets", () => {
    expect(() =>
      sloRuleGroups({ services: [{ ...web, latency: { thresholdSeconds: 0.2, objective: 99 } }], runbookBaseUrl: RUNBOOKS }),
    ).toThrowError(
      /services\[0\]\.latency\.thresholdSeconds: 0\.2 s is not a histogram bucket boundary of web.*expected one of: 0\.005, 0\.01/,
    );
  });

  it.each([
    ["availability", { ...web, availability: 100 }, /services\[0\]\.availability: 100 is not a percentage strictly between 0 and 100/],
    ["availability", { ...web, availability: 0 }, /services\[0\]\.availability: 0 is not a percentage/],
    [
      "latency objective",
      { ...web, latency: { thresholdSeconds: 0.3, objective: 90 } },
      /a 14\.4x burn would need more than 100 % of requests to fail/,
    ],
    ["name", { ...web, name: "Web_1" }, /services\[0\]\.name: "Web_1" is not a DNS label/],
  ])("refuses a bad %s", (_, slo, message) => {
    expect(() => sloRuleGroups({ services: [slo], runbookBaseUrl: RUNBOOKS })).toThrowError(ShipyardValidationError);
    expect(() => sloRuleGroups({ services: [slo], runbookBaseUrl: RUNBOOKS })).toThrowError(message);
  });

  it("names a service in errors by the caller's key path when given one", () => {
    const services = [web, { ...web, name: "api", availability: 100 }];
    expect(() => sloRuleGroups({ services, runbookBaseUrl: RUNBOOKS, servicePath: (i) => `apps[${i}].slo` })).toThrowError(
      /^apps\[1\]\.slo\.availability: 100 is not a percentage/,
    );
    expect(() => sloRuleGroups({ services: [web, web], runbookBaseUrl: RUNBOOKS, servicePath: (i) => `apps[${i}].slo` })).toThrowError(
      /^apps\[1\]\.slo: duplicate service/,
    );
  });

  it("defaults to the sample service's histogram buckets", () => {
    expect([...DEFAULT_LATENCY_BUCKETS]).toEqual([...DURATION_BUCKETS]);
  });
});

describe("platform alerts", () => {
  const groups = platformAlertGroups({ runbookBaseUrl: `${RUNBOOKS}/`, teamNamespaces: { payments: ["payments", "payments-batch"] } });
  const alerts = groups.flatMap((g) => g.rules).filter(isAlertingRule);

  it("covers nodes, workloads, storage, autoscaler, Prometheus, Alertmanager and the Watchdog", () => {
    expect([...new Set(alerts.map((a) => a.alert))].sort()).toEqual([
      "AlertmanagerConfigReloadFailed",
      "AlertmanagerNotificationsFailing",
      "ClusterAutoscalerErrors",
      "ClusterAutoscalerScaleUpFailed",
      "ClusterAutoscalerUnsafeToScale",
      "KubeDeploymentReplicasUnavailable",
      "KubeHpaMaxedOut",
      "KubeNodeDiskPressure",
      "KubeNodeMemoryPressure",
      "KubeNodeNotReady",
      "KubePersistentVolumeFillingUp",
      "KubePodCrashLooping",
      "KubePodUnschedulable",
      "NodeFilesystemAlmostFull",
      "PrometheusConfigReloadFailed",
      "PrometheusNotConnectedToAlertmanagers",
      "PrometheusRuleEvaluationFailures",
      "TargetDown",
      "Watchdog",
    ]);
    expect(alerts.find((a) => a.alert === "Watchdog")).toMatchObject({ expr: "vector(1)", labels: { severity: "none", team: "platform" } });
  });

  it("gives namespaced alerts to the team owning the namespace, and the rest to the platform team", () => {
    const crash = alerts.filter((a) => a.alert === "KubePodCrashLooping");
    expect(crash.map((a) => [a.labels.team, /namespace[!=]~"[^"]*"/.exec(a.expr)![0]])).toEqual([
      ["payments", 'namespace=~"payments|payments-batch"'],
      ["platform", 'namespace!~"payments|payments-batch"'],
    ]);
    expect(alerts.filter((a) => a.alert === "KubeNodeNotReady").map((a) => a.labels.team)).toEqual(["platform"]);
  });

  it("gives every alert severity, team, summary, description and a runbook URL named after it", () => {
    const slo = sloRuleGroups({ services: [web], runbookBaseUrl: RUNBOOKS })
      .flatMap((g) => g.rules)
      .filter(isAlertingRule);
    for (const alert of [...alerts, ...slo]) {
      expect(["critical", "warning", "ticket", "none"]).toContain(alert.labels.severity);
      expect(alert.labels.team).toMatch(/^[a-z]/);
      expect(alert.annotations.summary.length).toBeGreaterThan(10);
      expect(alert.annotations.description.length).toBeGreaterThan(20);
      expect(alert.annotations.runbook_url).toBe(`${RUNBOOKS}/${kebabCase(alert.alert)}`);
    }
    expect(kebabCase("SLOAvailabilityFastBurn")).toBe("slo-availability-fast-burn");
    expect(kebabCase("KubeHpaMaxedOut")).toBe("kube-hpa-maxed-out");
  });

  it("refuses a namespace claimed by two teams and inverted PVC thresholds", () => {
    expect(() => platformAlertGroups({ runbookBaseUrl: RUNBOOKS, teamNamespaces: { a: ["x"], b: ["x"] } })).toThrowError(
      /namespace x already belongs to team a/,
    );
    expect(() => platformAlertGroups({ runbookBaseUrl: RUNBOOKS, pvcWarningFreeRatio: 0.05, pvcCriticalFreeRatio: 0.1 })).toThrowError(
      /pvcCriticalFreeRatio: must be below pvcWarningFreeRatio/,
    );
    expect(() => platformAlertGroups({ runbookBaseUrl: "runbooks" })).toThrowError(/runbookBaseUrl: "runbooks" is not an http\(s\) URL/);
  });
});
