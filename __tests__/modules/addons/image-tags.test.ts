import { describe, expect, it } from "vitest";
import * as path from "node:path";
import {
  CLUSTER_AUTOSCALER_CHART,
  CLUSTER_AUTOSCALER_IMAGE_TAGS,
  KUBECTL_IMAGE_TAGS,
  VELERO_AWS_PLUGIN_IMAGE,
  VELERO_AWS_PLUGIN_LINE,
  VELERO_CHART,
} from "../../../modules/addons";
import { loadEnvironments } from "../../../src/config";
import { chartYaml, requireSharedCharts } from "../../support/charts";

/** `v1.36.1` or `1.36.1` → `1.36`. */
const minorOf = (version: string) => /^v?(\d+\.\d+)\.\d+$/.exec(version)?.[1];

describe.skipIf(!requireSharedCharts())("image tags the values set follow the chart or the cluster", () => {
  const envs = loadEnvironments(path.join(__dirname, "..", "..", "..", "environments"));

  it("runs, in every environment, the cluster-autoscaler built for the cluster's Kubernetes minor", () => {
    for (const env of envs) {
      const tag = CLUSTER_AUTOSCALER_IMAGE_TAGS[env.cluster.version];
      expect(tag, `${env.name}: no autoscaler image for Kubernetes ${env.cluster.version}`).toBeDefined();
      expect(minorOf(tag!)).toBe(env.cluster.version);
    }
    for (const [minor, tag] of Object.entries(CLUSTER_AUTOSCALER_IMAGE_TAGS)) expect(minorOf(tag)).toBe(minor);
  });

  it("pins, for every environment's Kubernetes minor, the kubectl of the CRD upgrade jobs to that minor", () => {
    for (const env of envs) expect(minorOf(KUBECTL_IMAGE_TAGS[env.cluster.version] ?? "")).toBe(env.cluster.version);
  });

  it("uses an autoscaler chart whose app version is at most one minor behind the image it runs", () => {
    const appMinor = minorOf(chartYaml(CLUSTER_AUTOSCALER_CHART.chart, CLUSTER_AUTOSCALER_CHART.version).appVersion!)!;
    for (const tag of Object.values(CLUSTER_AUTOSCALER_IMAGE_TAGS)) {
      const [a, b] = [appMinor, minorOf(tag)!].map((m) => Number(m.split(".")[1]));
      expect(b! - a!).toBeGreaterThanOrEqual(0);
      expect(b! - a!).toBeLessThanOrEqual(1);
    }
  });

  it("runs the Velero AWS plugin line made for the chart's Velero version", () => {
    const velero = minorOf(chartYaml(VELERO_CHART.chart, VELERO_CHART.version).appVersion!)!;
    const plugin = minorOf(VELERO_AWS_PLUGIN_IMAGE.split(":")[1]!);
    expect(VELERO_AWS_PLUGIN_LINE[velero], `no plugin line recorded for Velero ${velero}`).toBeDefined();
    expect(plugin).toBe(VELERO_AWS_PLUGIN_LINE[velero]);
  });
});
