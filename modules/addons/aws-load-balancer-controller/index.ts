import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { AWS_REGION, KUBE_SYSTEM_NAMESPACE, ShipyardValidationError } from "../../core";
import {
  addonRelease,
  commonAddonRelease,
  assertChart,
  DNS_LABEL,
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
  type TopologySpreadConstraint,
  spreadReplicas,
} from "../release";
import { AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT as IDENTITY } from "./service-account";

export * from "./service-account";

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
  readonly topologySpreadConstraints: readonly TopologySpreadConstraint[];
  readonly priorityClassName: string;
  readonly defaultTargetType: "ip" | "instance";
  readonly serviceMonitor: { readonly enabled: boolean };
  /** false: no shared `alb` IngressClass (and no IngressClassParams of that name) that every namespace could use. */
  readonly createIngressClassResource: boolean;
  readonly ingressClassParams: { readonly create: boolean };
  /** true: the `alb.ingress.kubernetes.io/group.name` annotation is ignored; the team class fixes the group. */
  readonly disableIngressGroupNameAnnotation: boolean;
  /** true: the legacy `kubernetes.io/ingress.class` annotation is ignored; only `ingressClassName` counts. */
  readonly disableIngressClassAnnotation: boolean;
}

/** Namespace `AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace` and chart `AWS_LOAD_BALANCER_CONTROLLER_CHART` unless given. */
export interface AwsLoadBalancerControllerProps extends AddonCommonProps {
  /** EKS cluster whose Ingresses and Services the controller serves. */
  readonly clusterName: string;
  /** AWS region of the cluster. Required: the controller cannot read it from instance metadata. */
  readonly region: string;
  /** VPC of the cluster (`vpc-…`). Required for the same reason. */
  readonly vpcId: string;
  /** IRSA role of the controller. */
  readonly roleArn: string;
  /** @default AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.serviceAccount (the name the IRSA role trusts) */
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
    requirePattern("awsLoadBalancerController.region", props.region, AWS_REGION, "an AWS region such as eu-west-1");
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
        name: props.serviceAccountName ?? IDENTITY.serviceAccount,
        annotations: { [IRSA_ANNOTATION]: props.roleArn },
      },
      podDisruptionBudget: props.replicas > 1 ? { maxUnavailable: 1 } : {},
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      tolerations: systemTolerations(),
      // The chart's default anti-affinity spreads replicas over nodes; a custom affinity replaces it, so only
      // set one when there is a system group to prefer.
      ...(props.placement?.preferNodes ? { affinity: systemAffinity(props.placement) } : {}),
      // Leader election is the controller's default; one active replica, the other takes over.
      topologySpreadConstraints: spreadReplicas(props.replicas, {
        "app.kubernetes.io/name": "aws-load-balancer-controller",
        "app.kubernetes.io/instance": "aws-load-balancer-controller",
      }),
      priorityClassName: "system-cluster-critical",
      defaultTargetType: "ip",
      serviceMonitor: { enabled: props.serviceMonitor ?? false },
      createIngressClassResource: false,
      ingressClassParams: { create: false },
      disableIngressGroupNameAnnotation: true,
      disableIngressClassAnnotation: true,
    };
    this.release = commonAddonRelease(
      this,
      chart,
      { name: "aws-load-balancer-controller", namespace: IDENTITY.namespace, createNamespace: false },
      props,
      this.values,
    );
  }
}

/** One ALB IngressClass of a team: its own IngressGroup (one load balancer per scheme), usable only from its namespaces. */
export interface TeamIngressClass {
  /** IngressClass (and IngressClassParams) name, e.g. `alb-payments-public`. */
  readonly name: string;
  /** The IngressGroup every Ingress of the class joins; the annotation `group.name` is ignored. */
  readonly groupName: string;
  readonly scheme: "internal" | "internet-facing";
  /** Namespaces allowed to use the class: those labelled `label=value` (e.g. `shipyard.io/team=payments`). */
  readonly namespaceLabel: { readonly key: string; readonly value: string };
}

export interface TeamIngressClassesProps {
  /** One IngressClass (with its IngressClassParams) per team and scheme, each bound to the team's namespaces and IngressGroup. */
  readonly classes: readonly TeamIngressClass[];
  /**
   * Tags selecting the subnets the load balancers are placed in (internal ones too), so that the team
   * NetworkPolicies can admit exactly those subnets. @default { "kubernetes.io/role/elb": ["1"] } (the public subnets)
   */
  readonly subnetTags?: Readonly<Record<string, readonly string[]>>;
  /** @default "kube-system" */
  readonly namespace?: string;
  /** @default RAW_CHART of modules/addons/external-secrets */
  readonly rawChart: ChartRef;
  /** The load balancer controller release (its CRDs and webhook must exist first). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** API group of IngressClassParams (a CRD of the load balancer controller). */
export const ELBV2_API_GROUP = "elbv2.k8s.aws";

/**
 * IngressClasses bound to teams: each has IngressClassParams fixing the IngressGroup, the scheme, the subnets
 * and the namespaces allowed to use it (`namespaceSelector`). With the controller's `group.name` and
 * `ingress.class` annotations disabled and no shared `alb` class, no namespace can join another team's
 * load balancer and take its hosts. A Helm (raw) release, because IngressClassParams is a custom resource
 * installed by the controller's release in the same apply.
 */
export class TeamIngressClasses extends Construct {
  public readonly release: Release;
  public readonly values: { readonly resources: readonly unknown[] };

  constructor(scope: Construct, id: string, props: TeamIngressClassesProps) {
    super(scope, id);
    const seenGroups = new Map<string, string>();
    props.classes.forEach((c, i) => {
      requirePattern(`ingressClasses[${i}].name`, c.name, DNS_LABEL, "a DNS label");
      requirePattern(
        `ingressClasses[${i}].groupName`,
        c.groupName,
        /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/,
        "an IngressGroup name (63 characters at most)",
      );
      const key = `${c.namespaceLabel.key}=${c.namespaceLabel.value}`;
      const owner = seenGroups.get(c.groupName);
      if (owner !== undefined && owner !== key) {
        throw new ShipyardValidationError(
          `ingressClasses[${i}].groupName`,
          `group ${c.groupName} is already bound to namespaces ${owner} (expected one group per team)`,
        );
      }
      seenGroups.set(c.groupName, key);
    });
    const subnetTags = props.subnetTags ?? { "kubernetes.io/role/elb": ["1"] };
    const resources = props.classes.flatMap((c) => [
      {
        apiVersion: `${ELBV2_API_GROUP}/v1beta1`,
        kind: "IngressClassParams",
        metadata: { name: c.name },
        spec: {
          namespaceSelector: { matchLabels: { [c.namespaceLabel.key]: c.namespaceLabel.value } },
          group: { name: c.groupName },
          scheme: c.scheme,
          subnets: { tags: Object.fromEntries(Object.entries(subnetTags).map(([k, v]) => [k, [...v]])) },
        },
      },
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "IngressClass",
        metadata: { name: c.name },
        spec: { controller: "ingress.k8s.aws/alb", parameters: { apiGroup: ELBV2_API_GROUP, kind: "IngressClassParams", name: c.name } },
      },
    ]);
    this.values = { resources };
    this.release = addonRelease(this, "release", props.rawChart, {
      name: "team-ingress-classes",
      namespace: props.namespace ?? KUBE_SYSTEM_NAMESPACE,
      createNamespace: false,
      timeoutSeconds: 300,
      values: this.values,
      dependsOn: props.dependsOn,
    });
  }
}
