import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { ShipyardValidationError } from "../core";

import { EKS_ADDON_VERSION } from "./versions";

export interface ManagedAddonProps {
  /** Cluster the add-on is installed in. */
  readonly clusterName: string;
  /** EKS add-on name, e.g. `vpc-cni`. */
  readonly addonName: string;
  /** Pinned version, e.g. `v1.22.4-eksbuild.3`; never "latest". */
  readonly version: string;
  /** IRSA role of the add-on's service account. @default none (the add-on calls no AWS API) */
  readonly serviceAccountRoleArn?: string;
  /** JSON of the add-on's configuration schema. @default none */
  readonly configurationValues?: Record<string, unknown>;
  /**
   * What to do with fields changed outside the EKS API on update: `OVERWRITE` makes Terraform's
   * configuration authoritative; `PRESERVE` keeps hand-made changes (e.g. a customised Corefile).
   * @default "OVERWRITE"
   */
  readonly resolveConflictsOnUpdate?: "OVERWRITE" | "PRESERVE";
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** One EKS managed add-on with a pinned version. */
export class ManagedAddon extends Construct {
  public readonly addon: EksAddon;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: ManagedAddonProps) {
    super(scope, id);
    if (!EKS_ADDON_VERSION.test(props.version)) {
      throw new ShipyardValidationError(
        `addons.${props.addonName}`,
        `"${props.version}" is not a pinned EKS add-on version (expected e.g. v1.22.4-eksbuild.3)`,
      );
    }
    this.addon = new EksAddon(this, "addon", {
      clusterName: props.clusterName,
      addonName: props.addonName,
      addonVersion: props.version,
      serviceAccountRoleArn: props.serviceAccountRoleArn,
      configurationValues: props.configurationValues ? JSON.stringify(props.configurationValues) : undefined,
      // Nothing self-managed exists (bootstrap_self_managed_addons = false), so taking over on create is safe.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: props.resolveConflictsOnUpdate ?? "OVERWRITE",
      dependsOn: props.dependsOn,
    });
    this.arn = this.addon.arn;
  }
}

export interface AddonVersions {
  readonly vpcCni: string;
  readonly kubeProxy: string;
  readonly coredns: string;
  readonly ebsCsiDriver: string;
  readonly podIdentityAgent: string;
}

export interface NodeBootstrapAddonsProps {
  /** Cluster the add-ons are installed in. */
  readonly clusterName: string;
  /** The cluster's Kubernetes minor version; kube-proxy must be built for it. */
  readonly kubernetesVersion: string;
  /** Pinned versions of the vpc-cni, kube-proxy and Pod Identity agent add-ons. */
  readonly versions: Pick<AddonVersions, "vpcCni" | "kubeProxy" | "podIdentityAgent">;
  /** IRSA role with AmazonEKS_CNI_Policy (the node role does not hold it). */
  readonly vpcCniRoleArn: string;
  /** vpc-cni settings. @default prefix delegation and network policy enforcement on */
  readonly vpcCni?: {
    /** Assign /28 prefixes to ENIs: more pods per node, fewer EC2 API calls. @default true */
    readonly prefixDelegation?: boolean;
    /** Enforce Kubernetes NetworkPolicy (default-deny per team namespace needs it). @default true */
    readonly networkPolicy?: boolean;
  };
  /** Resources the add-ons wait for (the cluster, the CNI role's policy attachment). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The DaemonSets a node needs to become Ready: vpc-cni, kube-proxy and the Pod Identity agent. With
 * `bootstrap_self_managed_addons = false` nothing else installs them, so they are created before any node
 * group, and node groups wait for them.
 */
export class NodeBootstrapAddons extends Construct {
  public readonly vpcCni: ManagedAddon;
  public readonly kubeProxy: ManagedAddon;
  public readonly podIdentityAgent: ManagedAddon;
  /** Everything node groups must wait for. */
  public readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: NodeBootstrapAddonsProps) {
    super(scope, id);
    const kubeProxyMinor = /^v(\d+\.\d+)\./.exec(props.versions.kubeProxy)?.[1];
    if (kubeProxyMinor !== props.kubernetesVersion) {
      throw new ShipyardValidationError(
        "addons.kubeProxy",
        `${props.versions.kubeProxy} is built for Kubernetes ${kubeProxyMinor ?? "an unknown version"} but the cluster runs ${props.kubernetesVersion} (expected v${props.kubernetesVersion}.x-eksbuild.N; bump the add-on versions together with the cluster version)`,
      );
    }
    const prefixDelegation = props.vpcCni?.prefixDelegation ?? true;
    const networkPolicy = props.vpcCni?.networkPolicy ?? true;
    this.vpcCni = new ManagedAddon(this, "vpc-cni", {
      clusterName: props.clusterName,
      addonName: "vpc-cni",
      version: props.versions.vpcCni,
      serviceAccountRoleArn: props.vpcCniRoleArn,
      configurationValues: {
        env: {
          ENABLE_PREFIX_DELEGATION: String(prefixDelegation),
          ...(prefixDelegation ? { WARM_PREFIX_TARGET: "1" } : {}),
        },
        enableNetworkPolicy: String(networkPolicy),
      },
      dependsOn: props.dependsOn,
    });
    this.kubeProxy = new ManagedAddon(this, "kube-proxy", {
      clusterName: props.clusterName,
      addonName: "kube-proxy",
      version: props.versions.kubeProxy,
      dependsOn: props.dependsOn,
    });
    this.podIdentityAgent = new ManagedAddon(this, "eks-pod-identity-agent", {
      clusterName: props.clusterName,
      addonName: "eks-pod-identity-agent",
      version: props.versions.podIdentityAgent,
      dependsOn: props.dependsOn,
    });
    this.dependables = [this.vpcCni.addon, this.kubeProxy.addon, this.podIdentityAgent.addon];
  }
}

export interface WorkloadAddonsProps {
  /** Cluster the add-ons are installed in. */
  readonly clusterName: string;
  /** Pinned versions of the CoreDNS and EBS CSI driver add-ons. */
  readonly versions: Pick<AddonVersions, "coredns" | "ebsCsiDriver">;
  /** IRSA role with AmazonEBSCSIDriverPolicy and grants on the EBS key. */
  readonly ebsCsiRoleArn: string;
  /**
   * The node groups. Required and non-empty: coredns and the EBS CSI controller are Deployments and go
   * DEGRADED (and the apply times out) when created before any node exists.
   */
  readonly nodeGroups: readonly ITerraformDependable[];
}

/** coredns and the EBS CSI driver: Deployments, created after the node groups. */
export class WorkloadAddons extends Construct {
  public readonly coredns: ManagedAddon;
  public readonly ebsCsiDriver: ManagedAddon;

  constructor(scope: Construct, id: string, props: WorkloadAddonsProps) {
    super(scope, id);
    if (props.nodeGroups.length === 0) {
      throw new ShipyardValidationError(
        "nodeGroups",
        "coredns and aws-ebs-csi-driver need nodes to schedule on (expected the node groups to wait for)",
      );
    }
    this.coredns = new ManagedAddon(this, "coredns", {
      clusterName: props.clusterName,
      addonName: "coredns",
      version: props.versions.coredns,
      // The Corefile is a ConfigMap teams customise (stub domains); keep hand-made changes on update.
      resolveConflictsOnUpdate: "PRESERVE",
      dependsOn: [...props.nodeGroups],
    });
    this.ebsCsiDriver = new ManagedAddon(this, "aws-ebs-csi-driver", {
      clusterName: props.clusterName,
      addonName: "aws-ebs-csi-driver",
      version: props.versions.ebsCsiDriver,
      serviceAccountRoleArn: props.ebsCsiRoleArn,
      dependsOn: [...props.nodeGroups],
    });
  }
}
