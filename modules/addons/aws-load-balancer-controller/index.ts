import { Construct } from "constructs";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { ShipyardValidationError } from "../../core";
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

/** aws/eks-charts aws-load-balancer-controller (controller v3.5.0, the chart's appVersion). */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART: ChartRef = {
  repository: "https://aws.github.io/eks-charts",
  chart: "aws-load-balancer-controller",
  version: "3.5.0",
};

export interface AwsLoadBalancerControllerValues {
  readonly clusterName: string;
  /** Explicit: IMDSv2 with hop limit 1 hides instance metadata from pods. */
  readonly region: string;
  readonly vpcId: string;
  readonly replicaCount: number;
  readonly serviceAccount: { readonly create: boolean; readonly name: string; readonly annotations: Record<string, string> };
  /** Only rendered when replicaCount > 1. */
  readonly podDisruptionBudget: { readonly maxUnavailable?: number };
  readonly resources: ResourceRequirements;
  readonly tolerations: readonly Toleration[];
  readonly affinity?: Affinity;
  readonly priorityClassName: string;
  readonly defaultTargetType: "ip" | "instance";
  readonly serviceMonitor: { readonly enabled: boolean };
}

/** Namespace `kube-system` and chart `AWS_LOAD_BALANCER_CONTROLLER_CHART` unless given. */
export interface AwsLoadBalancerControllerProps extends AddonCommonProps {
  readonly clusterName: string;
  /** AWS region of the cluster. Required: the controller cannot read it from instance metadata. */
  readonly region: string;
  /** VPC of the cluster (`vpc-…`). Required for the same reason. */
  readonly vpcId: string;
  /** IRSA role of the controller. */
  readonly roleArn: string;
  /** @default "aws-load-balancer-controller" (the name the IRSA role trusts) */
  readonly serviceAccountName?: string;
  /** 2 in prod (with a PodDisruptionBudget of maxUnavailable 1), 1 elsewhere. */
  readonly replicas: number;
}

/**
 * The AWS Load Balancer Controller: Ingresses become ALBs (IP targets on the VPC CNI), Services of type
 * LoadBalancer become NLBs. Region and VPC id are set explicitly; its own IRSA role.
 */
export class AwsLoadBalancerController extends Construct {
  public readonly release: Release;
  public readonly values: AwsLoadBalancerControllerValues;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    const chart = props.chart ?? AWS_LOAD_BALANCER_CONTROLLER_CHART;
    assertChart("awsLoadBalancerController.chart", chart);
    requireValue("awsLoadBalancerController.clusterName", props.clusterName, "the EKS cluster name");
    requirePattern("awsLoadBalancerController.region", props.region, /^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as eu-west-1");
    requirePattern("awsLoadBalancerController.vpcId", props.vpcId, /^vpc-[0-9a-f]{8,17}$/, "a VPC id such as vpc-0123456789abcdef0");
    requirePattern("awsLoadBalancerController.roleArn", props.roleArn, IAM_ROLE_ARN, "an IAM role ARN");
    if (!Number.isInteger(props.replicas) || props.replicas < 1 || props.replicas > 5) {
      throw new ShipyardValidationError("awsLoadBalancerController.replicas", `${props.replicas} is outside 1-5`);
    }
    this.values = {
      clusterName: props.clusterName,
      region: props.region,
      vpcId: props.vpcId,
      replicaCount: props.replicas,
      serviceAccount: {
        create: true,
        name: props.serviceAccountName ?? "aws-load-balancer-controller",
        annotations: { [IRSA_ANNOTATION]: props.roleArn },
      },
      podDisruptionBudget: props.replicas > 1 ? { maxUnavailable: 1 } : {},
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      tolerations: systemTolerations(),
      // The chart's default anti-affinity spreads replicas over nodes; a custom affinity replaces it, so only
      // set one when there is a system group to prefer.
      ...(props.placement?.preferNodes ? { affinity: systemAffinity(props.placement) } : {}),
      priorityClassName: "system-cluster-critical",
      defaultTargetType: "ip",
      serviceMonitor: { enabled: props.serviceMonitor ?? false },
    };
    this.release = commonAddonRelease(this, chart, { name: "aws-load-balancer-controller", namespace: "kube-system", createNamespace: false }, props, this.values);
  }
}
