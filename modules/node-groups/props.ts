/** A Kubernetes taint on every node of a group. */
export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** kubelet and kernel settings rendered into each node's user data (nodeadm NodeConfig plus sysctls). */
export interface NodeSettings {
  /** kubelet `maxPods`. @default nodeadm's value for the instance type */
  readonly maxPods?: number;
  readonly systemReserved: { readonly cpu: string; readonly memory: string };
  readonly kubeReserved: { readonly cpu: string; readonly memory: string };
  /** kubelet `evictionHard`, e.g. `{ "memory.available": "200Mi" }`. */
  readonly evictionHard: Readonly<Record<string, string>>;
  /** Kernel parameters written to `/etc/sysctl.d/` at boot. @default none */
  readonly sysctls?: Readonly<Record<string, string | number>>;
}

export type NodeGroupKind = "system" | "general" | "spot";

export interface NodeGroupSpec {
  /** Short name, unique in the cluster; prefixes the EKS node group name. */
  readonly name: string;
  /**
   * `system`: on demand, tainted `CriticalAddonsOnly=true:NoSchedule` for cluster add-ons; `general`: on
   * demand; `spot`: spot capacity, labelled and tainted `shipyard.io/spot=true:NoSchedule`.
   */
  readonly kind: NodeGroupKind;
  /** Instance types; a spot group needs at least three of one size. */
  readonly instanceTypes: readonly string[];
  /** CPU architecture of the instance types; picks the AL2023 AMI type. */
  readonly architecture: "x86_64" | "arm64";
  readonly minSize: number;
  /** Initial size only: the cluster autoscaler owns it afterwards (Terraform ignores changes). */
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Root volume size. @default 50 */
  readonly diskSizeGiB?: number;
  /** Root volume encryption with the EBS key. Turning it off is refused. @default true */
  readonly diskEncrypted?: boolean;
  /** SSH key pair. Refused: nodes are reached through SSM Session Manager. @default none */
  readonly sshKeyName?: string;
  /** IMDSv2 hop limit; above 1 lets pods reach the node's credentials, so it is refused. @default 1 */
  readonly metadataHopLimit?: number;
  /** Node labels (beside the ones Shipyard adds). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Node taints (beside the ones the kind implies). @default [] */
  readonly taints?: readonly NodeTaint[];
  /** Share of nodes replaced at once in a rolling update, 1-50. @default 33 */
  readonly maxUnavailablePercentage?: number;
}

export interface NodeGroupsProps {
  /**
   * Cluster name as a literal: it is part of tag keys (`k8s.io/cluster-autoscaler/<cluster>`) and names.
   * The groups still wait for the cluster through the endpoint and CA references in their user data.
   */
  readonly clusterName: string;
  /** API server URL, for nodeadm's NodeConfig. */
  readonly clusterEndpoint: string;
  /** Base64 cluster CA, for nodeadm's NodeConfig. */
  readonly clusterCertificateAuthority: string;
  /** Service CIDR; nodeadm derives the cluster DNS address from it. */
  readonly serviceCidr: string;
  /** Node role name, `shipyard-<env>-node`; ECR repository policies name its ARN. */
  readonly nodeRoleName: string;
  /** Permissions boundary of the node role. */
  readonly permissionsBoundaryArn: string;
  /** Private subnets the nodes live in, one per zone. */
  readonly subnetIds: readonly string[];
  /**
   * Zone of each subnet of `subnetIds` (same order). Given: every group becomes one managed node group per zone
   * (`<name>-<zone letter>`, sizes split across zones), so the autoscaler's template node of each group has
   * the right zone and a pending pod bound to a zone (a zonal EBS volume, a zone spread) gets a node there;
   * `balance-similar-node-groups` keeps the zones even. Without it, one group spans every subnet, and the
   * autoscaler, which builds its template node in one zone, may scale the wrong zone and never place the pod.
   * @default undefined (one group across the subnets)
   */
  readonly subnetZones?: readonly string[];
  /** Customer key that encrypts root volumes; its policy must let the Auto Scaling service-linked role use it. */
  readonly ebsKmsKeyArn: string;
  /** Kubelet and kernel settings, rendered into every group's user data. */
  readonly nodeSettings: NodeSettings;
  /** The node groups. */
  readonly groups: readonly NodeGroupSpec[];
  /** Resources the node groups wait for (vpc-cni and kube-proxy add-ons). @default none */
  readonly dependsOn?: readonly import("cdktf").ITerraformDependable[];
}

/** Labels and taints Shipyard puts on spot nodes; workloads that accept interruption tolerate the taint. */
export const SPOT_TAINT: NodeTaint = { key: "shipyard.io/spot", value: "true", effect: "NoSchedule" };
export const SYSTEM_TAINT: NodeTaint = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" };
export const NODE_GROUP_LABEL = "shipyard.io/node-group";
export const NODE_KIND_LABEL = "shipyard.io/node-kind";
/** AWS tag naming a group by its short name, on the node group and on its instances, volumes and interfaces. */
export const NODE_GROUP_TAG = "shipyard:node-group";
export const DEFAULT_DISK_SIZE_GIB = 50;

/** An EC2 instance type, `<family>.<size>` (`m6i.large`): the family and the size are the two groups. */
export const INSTANCE_TYPE = /^([a-z0-9-]+)\.([a-z0-9]+)$/;

/** `<group>-<zone letter>` (`general-a`): the name of a group confined to one zone. */
export function zonalGroupName(groupName: string, zone: string): string {
  return `${groupName}-${zone.slice(-1)}`;
}

/** `<cluster>-<group>`: the launch template's name (unique per account and region) and the instances' `Name` tag. */
export function launchTemplateName(clusterName: string, groupName: string): string {
  return `${clusterName}-${groupName}`;
}
export const DEFAULT_MAX_UNAVAILABLE_PERCENTAGE = 33;
