import { Construct } from "constructs";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { KUBE_SYSTEM_NAMESPACE, ShipyardValidationError } from "../../core";
import {
  commonAddonRelease,
  assertChart,
  systemAffinity,
  systemTolerations,
  type Affinity,
  type AddonCommonProps,
  type ChartRef,
  type ResourceRequirements,
  type Toleration,
  type TopologySpreadConstraint,
  spreadReplicas,
} from "../release";

/** kubernetes-sigs/metrics-server (metrics-server v0.8.1). */
export const METRICS_SERVER_CHART: ChartRef = {
  repository: "https://kubernetes-sigs.github.io/metrics-server/",
  chart: "metrics-server",
  version: "3.13.1",
};

export interface MetricsServerValues {
  readonly replicas: number;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable?: number };
  readonly resources: ResourceRequirements;
  readonly tolerations: readonly Toleration[];
  readonly affinity: Affinity;
  readonly topologySpreadConstraints: readonly TopologySpreadConstraint[];
  readonly priorityClassName: string;
  readonly serviceMonitor: { readonly enabled: boolean };
  readonly metrics: { readonly enabled: boolean };
}

/** Namespace `kube-system` and chart `METRICS_SERVER_CHART` unless given; `serviceMonitor` also exposes /metrics. */
export interface MetricsServerProps extends AddonCommonProps {
  /** 2 in prod (HPA keeps working through a node drain), 1 elsewhere. */
  readonly replicas: number;
}

/** metrics-server: the resource metrics API behind `kubectl top` and HorizontalPodAutoscalers. */
export class MetricsServer extends Construct {
  public readonly release: Release;
  public readonly values: MetricsServerValues;

  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    const chart = props.chart ?? METRICS_SERVER_CHART;
    assertChart("metricsServer.chart", chart);
    if (!Number.isInteger(props.replicas) || props.replicas < 1 || props.replicas > 3) {
      throw new ShipyardValidationError("metricsServer.replicas", `${props.replicas} is outside 1-3`);
    }
    this.values = {
      replicas: props.replicas,
      podDisruptionBudget: props.replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
      resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } },
      tolerations: systemTolerations(),
      affinity: systemAffinity(props.placement),
      // Stateless: every replica serves the metrics API, no leader election needed.
      topologySpreadConstraints: spreadReplicas(props.replicas, {
        "app.kubernetes.io/name": "metrics-server",
        "app.kubernetes.io/instance": "metrics-server",
      }),
      priorityClassName: "system-cluster-critical",
      serviceMonitor: { enabled: props.serviceMonitor ?? false },
      metrics: { enabled: props.serviceMonitor ?? false },
    };
    this.release = commonAddonRelease(
      this,
      chart,
      { name: "metrics-server", namespace: KUBE_SYSTEM_NAMESPACE, createNamespace: false },
      props,
      this.values,
    );
  }
}
