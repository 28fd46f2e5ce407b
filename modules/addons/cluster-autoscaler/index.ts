import { Construct } from "constructs";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { AWS_REGION, ShipyardValidationError } from "../../core";
import {
  commonAddonRelease,
  assertChart,
  IAM_ROLE_ARN,
  IRSA_ANNOTATION,
  requirePattern,
  requireValue,
  systemAffinity,
  systemTolerations,
  type Affinity,
  type AddonCommonProps,
  type ChartRef,
  type ResourceRequirements,
  type Toleration,
} from "../release";
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT as IDENTITY } from "./service-account";

export * from "./service-account";

/**
 * kubernetes/autoscaler cluster-autoscaler. 9.54 or later: from autoscaler 1.35 the pod watches `resource.k8s.io`
 * objects, and older ClusterRoles cannot read them (its informers never sync and it never scales).
 */
export const CLUSTER_AUTOSCALER_CHART: ChartRef = {
  repository: "https://kubernetes.github.io/autoscaler",
  chart: "cluster-autoscaler",
  version: "9.59.0",
};

/**
 * The cluster-autoscaler release for each Kubernetes minor version: the autoscaler is built against one
 * minor and is supported only with it, so the image follows the cluster, not the chart's default.
 * v1.36.1 is listed in the upstream release notes (registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1).
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = { "1.36": "v1.36.1" };

/** Node groups in order of preference for the priority expander. */
export interface NodeGroupPreference {
  /** Node group name as configured (the ASG of a managed node group is `eks-<nodegroup>-<uuid>`). */
  readonly name: string;
  readonly kind: "system" | "general" | "spot";
}

/** Priorities of the priority expander: higher wins. Spot first, then on-demand workload groups, system last. */
export const EXPANDER_PRIORITY = { spot: 50, general: 10, system: 1 } as const;

export interface ClusterAutoscalerValues {
  readonly cloudProvider: "aws";
  readonly awsRegion: string;
  readonly image: { readonly tag: string };
  readonly autoDiscovery: { readonly clusterName: string };
  readonly rbac: {
    readonly serviceAccount: { readonly create: boolean; readonly name: string; readonly annotations: Record<string, string> };
  };
  /** Rendered into the `cluster-autoscaler-priority-expander` ConfigMap: priority → list of ASG name regexes. */
  readonly expanderPriorities: Record<number, readonly string[]>;
  readonly extraArgs: Record<string, string | number | boolean>;
  readonly replicaCount: number;
  readonly podDisruptionBudget: { readonly maxUnavailable: number };
  readonly resources: ResourceRequirements;
  readonly tolerations: readonly Toleration[];
  readonly affinity: Affinity;
  readonly priorityClassName: string;
  readonly serviceMonitor: { readonly enabled: boolean };
}

/** Namespace `CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace` and chart `CLUSTER_AUTOSCALER_CHART` unless given. */
export interface ClusterAutoscalerProps extends AddonCommonProps {
  /** Cluster whose node groups are found by their `k8s.io/cluster-autoscaler/<name>` tags. */
  readonly clusterName: string;
  /** AWS region of the Auto Scaling groups (set explicitly: hop limit 1 hides instance metadata). */
  readonly region: string;
  /** IRSA role the cluster-autoscaler service account assumes. */
  readonly roleArn: string;
  /** The cluster's Kubernetes minor version (e.g. `1.36`); picks the autoscaler release built for it. */
  readonly kubernetesVersion: string;
  /** @default CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.serviceAccount (the name the IRSA role trusts) */
  readonly serviceAccountName?: string;
  /** Every node group; spot groups are preferred by the priority expander. */
  readonly nodeGroups: readonly NodeGroupPreference[];
}

/**
 * Regex on an ASG name matching one configured node group (`eks-<nodegroup>-<uuid>`), with or without the
 * cluster prefix, and with or without the zone letter of its per-zone groups (`general-a`).
 */
export function nodeGroupAsgPattern(name: string): string {
  return `^eks-(.*-)?${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(-[a-z])?-[0-9a-f-]+$`;
}

/**
 * cluster-autoscaler with ASG auto-discovery by the cluster's tags. Expanders `priority,least-waste`: the
 * priority expander picks spot groups first (cheapest for interruptible work), then on-demand workload groups,
 * the system group last; among groups of equal priority (several spot groups), least-waste breaks the tie by
 * the least idle CPU and memory after scale-up. `balance-similar-node-groups` keeps zones even;
 * `skip-nodes-with-system-pods=false` lets nodes running kube-system pods (with PDBs) scale down.
 */
export class ClusterAutoscaler extends Construct {
  public readonly release: Release;
  public readonly values: ClusterAutoscalerValues;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const chart = props.chart ?? CLUSTER_AUTOSCALER_CHART;
    assertChart("clusterAutoscaler.chart", chart);
    requireValue("clusterAutoscaler.clusterName", props.clusterName, "the EKS cluster name");
    requirePattern("clusterAutoscaler.region", props.region, AWS_REGION, "an AWS region such as eu-west-1");
    requirePattern("clusterAutoscaler.roleArn", props.roleArn, IAM_ROLE_ARN, "an IAM role ARN");
    if (props.nodeGroups.length === 0) throw new ShipyardValidationError("clusterAutoscaler.nodeGroups", "at least one node group");
    const imageTag = CLUSTER_AUTOSCALER_IMAGE_TAGS[props.kubernetesVersion];
    if (!imageTag) {
      throw new ShipyardValidationError(
        "clusterAutoscaler.kubernetesVersion",
        `no cluster-autoscaler release is pinned for Kubernetes ${props.kubernetesVersion} (expected one of: ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ")}; add its release to CLUSTER_AUTOSCALER_IMAGE_TAGS)`,
      );
    }
    const priorities: Record<number, string[]> = {};
    for (const ng of props.nodeGroups) {
      const priority = EXPANDER_PRIORITY[ng.kind];
      (priorities[priority] ??= []).push(nodeGroupAsgPattern(ng.name));
    }
    this.values = {
      cloudProvider: "aws",
      awsRegion: props.region,
      image: { tag: imageTag },
      autoDiscovery: { clusterName: props.clusterName },
      rbac: {
        serviceAccount: {
          create: true,
          name: props.serviceAccountName ?? IDENTITY.serviceAccount,
          annotations: { [IRSA_ANNOTATION]: props.roleArn },
        },
      },
      expanderPriorities: priorities,
      extraArgs: {
        expander: "priority,least-waste",
        "balance-similar-node-groups": true,
        "skip-nodes-with-system-pods": false,
        "skip-nodes-with-local-storage": false,
        "scale-down-unneeded-time": "10m",
        "scale-down-delay-after-add": "10m",
        "max-node-provision-time": "15m0s",
        // Spot and on-demand groups of the same size differ only in these labels; balance across zones anyway.
        "balancing-ignore-label_1": "eks.amazonaws.com/nodegroup",
        "balancing-ignore-label_2": "eks.amazonaws.com/capacityType",
      },
      replicaCount: 1,
      podDisruptionBudget: { maxUnavailable: 1 },
      resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
      tolerations: systemTolerations(),
      affinity: systemAffinity(props.placement),
      priorityClassName: "system-cluster-critical",
      serviceMonitor: { enabled: props.serviceMonitor ?? false },
    };
    this.release = commonAddonRelease(
      this,
      chart,
      { name: "cluster-autoscaler", namespace: IDENTITY.namespace, createNamespace: false },
      props,
      this.values,
    );
  }
}
