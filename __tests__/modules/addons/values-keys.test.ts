import * as path from "node:path";
import { App } from "cdktf";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import {
  AWS_LOAD_BALANCER_CONTROLLER_CHART,
  CLUSTER_AUTOSCALER_CHART,
  EXTERNAL_SECRETS_CHART,
  KUBE_PROMETHEUS_STACK_CHART,
  METRICS_SERVER_CHART,
  RAW_CHART,
  VELERO_CHART,
  type ChartRef,
} from "../../../modules/addons";
import { loadEnvironments } from "../../../src/config";
import { buildEnvironment } from "../../../src/stacks";
import type { PlatformStack } from "../../../src/stacks/platform";
import { chartYaml, hasChart, requireSharedCharts, valuesSchema, valuesText, valuesYaml } from "../../support/charts";

/**
 * Helm ignores a misspelled key without a word, so every key path Shipyard sets must exist in the chart's
 * default values.yaml at the pinned version, read in place from ../shared/charts/<chart>-<version>/, and the
 * values must validate against the chart's values.schema.json where it ships one. Free-form maps of the chart
 * (annotations, resources, affinity, extraArgs …) are allowed below by an explicit list.
 */

/** Every chart Shipyard pins, each defined once in its module. */
export const PINNED_CHARTS: readonly ChartRef[] = [
  KUBE_PROMETHEUS_STACK_CHART,
  AWS_LOAD_BALANCER_CONTROLLER_CHART,
  CLUSTER_AUTOSCALER_CHART,
  METRICS_SERVER_CHART,
  EXTERNAL_SECRETS_CHART,
  VELERO_CHART,
  RAW_CHART,
];

/** Glob over dotted paths: `*` one segment, `**` any number of leading segments. */
function matches(pattern: string, keyPath: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split(".")
      .map((s) => (s === "**" ? "(?:[^.]+\\.)*?" : s === "*" ? "[^.]+\\." : `${s.replace(/[-/]/g, "\\$&")}\\.`))
      .join("")}$`,
  );
  return re.test(`${keyPath}.`);
}

/** Maps whose keys the chart cannot know (Kubernetes objects, annotations, arguments). */
const ALLOW_EVERY_CHART = ["**.annotations.*", "**.resources.*", "**.affinity.*", "**.nodeSelector.*", "**.podDisruptionBudget.*"];
const ALLOW: Record<string, string[]> = {
  "kube-prometheus-stack": [
    "additionalPrometheusRulesMap.*",
    "alertmanager.config.*",
    "prometheus.prometheusSpec.externalLabels.*",
    "prometheus.prometheusSpec.storageSpec.*",
    "alertmanager.alertmanagerSpec.storage.*",
    "defaultRules.disabled.*",
    "defaultRules.additionalRuleLabels.*",
  ],
  "cluster-autoscaler": ["extraArgs.*", "expanderPriorities.*"],
  velero: ["schedules.*"],
};

/**
 * Keys a chart documents only as a comment in values.yaml (`# key: example`); each must appear so, as a comment,
 * in the upstream text.
 */
const COMMENTED: Record<string, { readonly subchart?: string; readonly path: string }[]> = {
  "kube-prometheus-stack": [{ subchart: "grafana", path: "grafana.persistence.storageClassName" }],
  velero: [{ path: "kubectl.image.tag" }],
};

/** Subcharts of a chart, by values key, at the versions its Chart.yaml requires. */
function subcharts(chart: ChartRef): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dep of chartYaml(chart.chart, chart.version).dependencies ?? []) {
    if (hasChart(dep.name, dep.version)) out[dep.name] = dep.version;
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Leaf key paths of a values object; lists and empty maps are leaves; allowed free-form maps stop the walk. */
export function keyPaths(values: unknown, allow: readonly string[], prefix = ""): string[] {
  if (!isMap(values)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (allow.some((a) => matches(a, `${p}.x`)) || !isMap(v) || Object.keys(v).length === 0) out.push(p);
    else out.push(...keyPaths(v, allow, p));
  }
  return out;
}

function has(tree: unknown, keyPath: string): boolean {
  let node: unknown = tree;
  for (const seg of keyPath.split(".")) {
    if (!isMap(node) || !(seg in node)) return false;
    node = node[seg];
  }
  return true;
}

/** Key paths of `values` missing from the pinned chart's defaults (subchart keys checked against the subchart). */
export function unknownKeys(chart: ChartRef, values: unknown): string[] {
  const defaults = valuesYaml(chart.chart, chart.version);
  const allow = [...ALLOW_EVERY_CHART, ...(ALLOW[chart.chart] ?? [])];
  const subs = subcharts(chart);
  const commented = (COMMENTED[chart.chart] ?? []).filter((c) => {
    const last = c.path.split(".").pop()!;
    const text = c.subchart ? valuesText(c.subchart, subs[c.subchart]!) : valuesText(chart.chart, chart.version);
    return new RegExp(`^\\s+# ${last}:`, "m").test(text);
  });
  return keyPaths(values, allow).filter((p) => {
    if (has(defaults, p) || commented.some((c) => c.path === p)) return false;
    const [head, ...rest] = p.split(".");
    const sub = subs[head!];
    if (sub && rest.length > 0) return !has(valuesYaml(head!, sub), rest.join("."));
    return true;
  });
}

/** JSON Schema errors of `values` against the chart's values.schema.json; undefined when it ships none. */
export function schemaErrors(chart: ChartRef, values: unknown): string[] | undefined {
  const schema = valuesSchema(chart.chart, chart.version);
  if (!schema) return undefined;
  const draft2020 = String(schema.$schema ?? "").includes("2020-12");
  const ajv = draft2020 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  // Helm validates the merged values: the chart's defaults with Shipyard's on top (JSON round trip: what Helm reads).
  const merged = merge(valuesYaml(chart.chart, chart.version), JSON.parse(JSON.stringify(values)));
  return validate(merged) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}

function merge(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** Whether a Chart.yaml kubeVersion constraint (`>=1.25.0-0`, `>= 1.19.0-0`, `^1.25.0-0`, space-separated ANDs) admits `version`. */
function admits(constraint: string, version: string): boolean {
  const num = (v: string) => v.replace(/^v/, "").replace(/-.*$/, "").split(".").map(Number);
  const cmp = (a: number[], b: number[]) => a[0]! - b[0]! || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0);
  const v = num(version);
  return constraint
    .replace(/([<>=^~]+)\s+/g, "$1")
    .split(/\s+/)
    .every((part) => {
      const m = /^(>=|<=|>|<|=|\^|~)?(.+)$/.exec(part)!;
      const c = cmp(v, num(m[2]!));
      switch (m[1]) {
        case ">=":
          return c >= 0;
        case ">":
          return c > 0;
        case "<=":
          return c <= 0;
        case "<":
          return c < 0;
        case "^":
          return c >= 0 && v[0] === num(m[2]!)[0];
        case "~":
          return c >= 0 && v[0] === num(m[2]!)[0] && v[1] === num(m[2]!)[1];
        default:
          return c === 0;
      }
    });
}

/** Every Helm release of the platform stack with its chart and values. */
export function platformReleases(platform: PlatformStack): [ChartRef, unknown, string][] {
  return [
    [KUBE_PROMETHEUS_STACK_CHART, platform.monitoring.values, "kube-prometheus-stack"],
    [AWS_LOAD_BALANCER_CONTROLLER_CHART, platform.loadBalancerController.values, "aws-load-balancer-controller"],
    [CLUSTER_AUTOSCALER_CHART, platform.clusterAutoscaler.values, "cluster-autoscaler"],
    [METRICS_SERVER_CHART, platform.metricsServer.values, "metrics-server"],
    [EXTERNAL_SECRETS_CHART, platform.externalSecrets.values, "external-secrets"],
    [VELERO_CHART, platform.velero.values, "velero"],
    [RAW_CHART, platform.externalSecrets.storeValues, "cluster-secret-store"],
    [RAW_CHART, platform.ingressClasses.values, "team-ingress-classes"],
  ];
}

function platformOf(envName: string): PlatformStack {
  const [env] = loadEnvironments(path.join(__dirname, "..", "..", "..", "environments"), [envName]);
  return buildEnvironment(new App({ stackTraces: false, skipValidation: true }), env!, { outdir: "cdktf.out" }).platform;
}

describe.skipIf(!requireSharedCharts())("chart pins and values against the upstream chart releases", () => {
  it("pins every chart to a release present in ../shared/charts, exactly the version of its Chart.yaml", () => {
    for (const chart of PINNED_CHARTS) {
      expect(hasChart(chart.chart, chart.version), `${chart.chart} ${chart.version} has no folder in ../shared/charts`).toBe(true);
      const upstream = chartYaml(chart.chart, chart.version);
      expect(upstream.name).toBe(chart.chart);
      expect(upstream.version).toBe(chart.version);
    }
  });

  it("pins charts (and kube-prometheus-stack's sub-charts) whose kubeVersion admits every environment's Kubernetes", () => {
    const envs = loadEnvironments(path.join(__dirname, "..", "..", "..", "environments"));
    const charts = [
      ...PINNED_CHARTS,
      ...Object.entries(subcharts(KUBE_PROMETHEUS_STACK_CHART)).map(([chart, version]) => ({ chart, version })),
    ];
    for (const { chart, version } of charts) {
      const constraint = chartYaml(chart, version).kubeVersion;
      if (!constraint) continue;
      for (const env of envs)
        expect(admits(constraint, `${env.cluster.version}.0`), `${chart} ${version} (${constraint}) on ${env.cluster.version}`).toBe(true);
    }
    expect(admits(">=1.37.0-0", "1.36.0")).toBe(false);
    expect(admits("^1.25.0-0", "2.0.0")).toBe(false);
  });

  it("pins each chart once (one constant per chart name)", () => {
    const names = PINNED_CHARTS.map((c) => c.chart);
    expect(new Set(names).size).toBe(names.length);
  });

  it("pins a cluster-autoscaler chart whose RBAC reads resource.k8s.io (9.54 or later)", () => {
    const [major, minor] = CLUSTER_AUTOSCALER_CHART.version.split(".").map(Number);
    expect(major! > 9 || (major === 9 && minor! >= 54)).toBe(true);
  });

  for (const envName of ["dev", "staging", "prod"]) {
    for (const [chart, values, release] of platformReleases(platformOf(envName))) {
      it(`${envName}: every key set for ${release} (${chart.chart} ${chart.version}) exists in its values.yaml`, () => {
        expect(keyPaths(values, []).length).toBeGreaterThan(0);
        expect(unknownKeys(chart, values)).toEqual([]);
      });
      it(`${envName}: the values of ${release} validate against ${chart.chart} ${chart.version}'s values.schema.json, where it has one`, () => {
        const errors = schemaErrors(chart, values);
        if (errors !== undefined) expect(errors).toEqual([]);
      });
    }
  }

  it("catches a misspelled key, in the chart and in a subchart", () => {
    expect(
      unknownKeys(KUBE_PROMETHEUS_STACK_CHART, {
        prometheus: { prometheusSpec: { serviceMonitorSelectorNilUsesHelmValue: false, retention: "3d" } },
        grafana: { admin: { existingSecrets: "x" } },
      }),
    ).toEqual(["prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValue", "grafana.admin.existingSecrets"]);
    expect(unknownKeys(VELERO_CHART, { serviceAccount: { sever: { name: "x" } } })).toEqual(["serviceAccount.sever.name"]);
  });

  it("allows free-form maps only where listed", () => {
    expect(
      unknownKeys(CLUSTER_AUTOSCALER_CHART, {
        extraArgs: { "anything-goes": true },
        rbac: { serviceAccount: { annotations: { a: "b" } } },
      }),
    ).toEqual([]);
    expect(unknownKeys(CLUSTER_AUTOSCALER_CHART, { autoDiscovery: { clusterNames: "x" } })).toEqual(["autoDiscovery.clusterNames"]);
  });

  it("catches a value of the wrong type through the chart's schema", () => {
    const errors = schemaErrors(VELERO_CHART, { upgradeCRDs: "yes" });
    expect(errors).toBeDefined();
    expect(errors!.join("\n")).toMatch(/upgradeCRDs/);
  });
});
