import { describe, expect, it } from "vitest";
import { MetricsServer, type MetricsServerProps } from "../../../modules/addons";
import { ShipyardValidationError } from "../../../modules/core";
import { expectSafeRelease, PLACEMENT, release, releaseValues, synth } from "./helpers";

function build(over: Partial<MetricsServerProps> = {}) {
  const r = release(
    synth((s) => new MetricsServer(s, "ms", { replicas: 1, placement: PLACEMENT, ...over })),
    "metrics-server",
  );
  expectSafeRelease(r);
  return { r, v: releaseValues(r) };
}

describe("MetricsServer", () => {
  it("pins the chart into kube-system", () => {
    expect(build().r).toMatchObject({ chart: "metrics-server", version: "3.13.1", namespace: "kube-system", create_namespace: false });
  });

  it("runs one replica in dev and two with a PDB in prod", () => {
    expect(build().v).toMatchObject({ replicas: 1, podDisruptionBudget: { enabled: false } });
    expect(build({ replicas: 2 }).v).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
    // Two replicas never share a node (the system-group affinity replaces the chart's own spread).
    expect(build({ replicas: 2 }).v.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "DoNotSchedule",
    });
  });

  it("creates a ServiceMonitor only when asked", () => {
    expect(build().v.serviceMonitor).toEqual({ enabled: false });
    expect(build({ serviceMonitor: true }).v).toMatchObject({ serviceMonitor: { enabled: true }, metrics: { enabled: true } });
  });

  it.each([
    ["zero replicas", { replicas: 0 }, /outside 1-3/],
    [
      "a chart range",
      { chart: { repository: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server", version: ">=3.12.0" } },
      /not an exact version/,
    ],
  ] as [string, Partial<MetricsServerProps>, RegExp][])("refuses %s", (_n, over, message) => {
    expect(() => build(over)).toThrow(ShipyardValidationError);
    expect(() => build(over)).toThrow(message);
  });
});
