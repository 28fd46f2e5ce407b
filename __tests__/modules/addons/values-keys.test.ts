import { readFileSync } from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
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

/**
 * Helm ignores a misspelled key without a word, so every key path Shipyard sets must exist in the chart's
 * default values.yaml at the pinned version (vendored under __tests__/fixtures/chart-values). Free-form maps
 * of the chart (annotations, resources, affinity, extraArgs …) are allowed below by an explicit list.
 */

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "chart-values");

function fixture(chart: string, version: string): unknown {
  return parse(readFileSync(path.join(FIXTURES, `${chart}-${version}.yaml`), "utf8"));
}

/** Glob over dotted paths: `*` one segment, `**` any number of leading segments. */
function matches(pattern: string, keyPath: string): boolean {
  const re = new RegExp(`^${pattern.split(".").map((s) => (s === "**" ? "(?:[^.]+\\.)*?" : s === "*" ? "[^.]+\\." : `${s.replace(/[-/]/g, "\\$&")}\\.`)).join("")}$`);
  return re.test(`${keyPath}.`);
}

/** Maps whose keys the chart cannot know (Kubernetes objects, annotations, arguments). */
const ALLOW_EVERY_CHART = ["**.annotations.*", "**.resources.*", "**.affinity.*", "**.nodeSelector.*"];
const ALLOW: Record<string, string[]> = {
  "kube-prometheus-stack": [
    "additionalPrometheusRulesMap.*",
    "alertmanager.config.*",
    "prometheus.prometheusSpec.externalLabels.*",
    "prometheus.prometheusSpec.storageSpec.*",
    "alertmanager.alertmanagerSpec.storage.*",
  ],
  "aws-load-balancer-controller": ["podDisruptionBudget.*"],
  "cluster-autoscaler": ["extraArgs.*", "expanderPriorities.*"],
  velero: ["schedules.*"],
};

/**
 * Keys a chart documents only as a comment in values.yaml (`# key: example`); each must appear so, as a comment
 * under its parent, in the vendored text.
 */
const COMMENTED: Record<string, { readonly fixture: string; readonly path: string }[]> = {
  "kube-prometheus-stack": [{ fixture: "grafana-10.5.12", path: "grafana.persistence.storageClassName" }],
};

/** Subcharts of kube-prometheus-stack: their keys are checked against their own values.yaml. */
const SUBCHARTS: Record<string, Record<string, string>> = {
  "kube-prometheus-stack": { grafana: "grafana-10.5.12", "kube-state-metrics": "kube-state-metrics-7.1.0", "prometheus-node-exporter": "prometheus-node-exporter-4.51.0" },
};

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

/** Key paths of `values` missing from the chart's defaults (subchart keys checked against the subchart). */
export function unknownKeys(chart: string, defaults: unknown, values: unknown): string[] {
  const allow = [...ALLOW_EVERY_CHART, ...(ALLOW[chart] ?? [])];
  const subcharts = SUBCHARTS[chart] ?? {};
  const commented = (COMMENTED[chart] ?? []).filter((c) => {
    const last = c.path.split(".").pop()!;
    return new RegExp(`^\\s+# ${last}:`, "m").test(readFileSync(path.join(FIXTURES, `${c.fixture}.yaml`), "utf8"));
  });
  return keyPaths(values, allow).filter((p) => {
    if (has(defaults, p) || commented.some((c) => c.path === p)) return false;
    const [head, ...rest] = p.split(".");
    const sub = subcharts[head!];
    if (sub && rest.length > 0) {
      const [name, version] = [sub.slice(0, sub.lastIndexOf("-")), sub.slice(sub.lastIndexOf("-") + 1)];
      return !has(fixture(name, version), rest.join("."));
    }
    return true;
  });
}

function platformValues(envName: string) {
  const [env] = loadEnvironments(path.join(__dirname, "..", "..", "..", "environments"), [envName]);
  const { platform } = buildEnvironment(new App({ stackTraces: false, skipValidation: true }), env!, { outdir: "cdktf.out" });
  return [
    [KUBE_PROMETHEUS_STACK_CHART, platform.monitoring.values],
    [AWS_LOAD_BALANCER_CONTROLLER_CHART, platform.loadBalancerController.values],
    [CLUSTER_AUTOSCALER_CHART, platform.clusterAutoscaler.values],
    [METRICS_SERVER_CHART, platform.metricsServer.values],
    [EXTERNAL_SECRETS_CHART, platform.externalSecrets.values],
    [VELERO_CHART, platform.velero.values],
    [RAW_CHART, platform.externalSecrets.storeValues],
  ] as [ChartRef, unknown][];
}

describe("chart values key paths", () => {
  for (const envName of ["dev", "prod"]) {
    for (const [chart, values] of platformValues(envName)) {
      it(`${envName}: every key set for ${chart.chart} ${chart.version} exists in its values.yaml`, () => {
        const defaults = fixture(chart.chart, chart.version);
        expect(keyPaths(values, []).length).toBeGreaterThan(0);
        expect(unknownKeys(chart.chart, defaults, values)).toEqual([]);
      });
    }
  }

  it("catches a misspelled key, in the chart and in a subchart", () => {
    const defaults = fixture("kube-prometheus-stack", "81.4.5");
    expect(
      unknownKeys("kube-prometheus-stack", defaults, {
        prometheus: { prometheusSpec: { serviceMonitorSelectorNilUsesHelmValue: false, retention: "3d" } },
        grafana: { admin: { existingSecrets: "x" } },
      }),
    ).toEqual(["prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValue", "grafana.admin.existingSecrets"]);
    expect(unknownKeys("velero", fixture("velero", "7.2.0"), { serviceAccount: { sever: { name: "x" } } })).toEqual(["serviceAccount.sever.name"]);
  });

  it("allows free-form maps only where listed", () => {
    const defaults = fixture("cluster-autoscaler", "9.43.1");
    expect(unknownKeys("cluster-autoscaler", defaults, { extraArgs: { "anything-goes": true }, rbac: { serviceAccount: { annotations: { a: "b" } } } })).toEqual([]);
    expect(unknownKeys("cluster-autoscaler", defaults, { autoDiscovery: { clusterNames: "x" } })).toEqual(["autoDiscovery.clusterNames"]);
  });

  it("has a vendored values.yaml named after each pinned chart version, with its source commit", () => {
    for (const chart of [KUBE_PROMETHEUS_STACK_CHART, AWS_LOAD_BALANCER_CONTROLLER_CHART, CLUSTER_AUTOSCALER_CHART, METRICS_SERVER_CHART, EXTERNAL_SECRETS_CHART, VELERO_CHART, RAW_CHART]) {
      const text = readFileSync(path.join(FIXTURES, `${chart.chart}-${chart.version}.yaml`), "utf8");
      expect(text).toMatch(/source-commit: [0-9a-f]{40}/);
    }
  });
});
