import { Fn, Token, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { AutoscalingGroupTagA as AutoscalingGroupTag } from "@cdktf/provider-aws/lib/autoscaling-group-tag";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import {
  DEFAULT_DISK_SIZE_GIB,
  DEFAULT_MAX_UNAVAILABLE_PERCENTAGE,
  launchTemplateName,
  zonalGroupName,
  NODE_GROUP_LABEL,
  NODE_GROUP_TAG,
  NODE_KIND_LABEL,
  SPOT_TAINT,
  SYSTEM_TAINT,
  type NodeGroupSpec,
  type NodeTaint,
} from "./props";

export interface ManagedNodeGroupProps {
  /** Cluster the nodes join. */
  readonly clusterName: string;
  /** The group: instance types, sizes, capacity type, labels and taints. */
  readonly spec: NodeGroupSpec;
  /** IAM role of the nodes. */
  readonly nodeRoleArn: string;
  /** Private subnets the nodes are launched in. */
  readonly subnetIds: readonly string[];
  /**
   * The zone of a group confined to one zone: its EKS name gets the zone letter (`general-a`), its sizes are
   * this zone's share, and the autoscaler's template node carries the zone label. Node labels keep the
   * configured group name, so the groups of one spec stay "similar" for balancing. @default undefined
   */
  readonly zone?: { readonly name: string; readonly minSize: number; readonly desiredSize: number; readonly maxSize: number };
  /** Customer key that encrypts the root volumes. */
  readonly ebsKmsKeyArn: string;
  /** The rendered MIME user data (plain text; encoded here). */
  readonly userData: string;
  /** What must exist first. @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

const EFFECTS: Record<NodeTaint["effect"], string> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
};

/**
 * Base64 of the user data. Plain text is encoded here, so the output holds the final value; text with
 * references (cluster endpoint and CA from the same stack) becomes Terraform's `base64encode("…")`, whose
 * string literal needs quotes and backslashes escaped (cdktf escapes only newlines).
 */
export function encodeUserData(text: string): string {
  if (!Token.isUnresolved(text)) return Buffer.from(text, "utf8").toString("base64");
  return Fn.base64encode(text.replace(/\\/g, "\\\\").replace(/"/g, '\\"'));
}

/** Labels of a group: the caller's plus Shipyard's group and kind labels (and a spot label). */
export function groupLabels(spec: NodeGroupSpec): Record<string, string> {
  return {
    ...(spec.labels ?? {}),
    [NODE_GROUP_LABEL]: spec.name,
    [NODE_KIND_LABEL]: spec.kind,
    ...(spec.kind === "spot" ? { "shipyard.io/capacity": "spot" } : {}),
  };
}

/** Taints of a group: the caller's plus the one its kind implies, without duplicates by key and effect. */
export function groupTaints(spec: NodeGroupSpec): NodeTaint[] {
  const implied = spec.kind === "system" ? [SYSTEM_TAINT] : spec.kind === "spot" ? [SPOT_TAINT] : [];
  const taints = [...(spec.taints ?? [])];
  for (const t of implied) if (!taints.some((x) => x.key === t.key && x.effect === t.effect)) taints.push(t);
  return taints;
}

/**
 * One managed node group on its own launch template: IMDSv2 only with hop limit 1, no SSH key, an encrypted
 * gp3 root volume, detailed monitoring, tagged instances and volumes, AL2023 with nodeadm user data.
 * Desired size is the autoscaler's after creation; node-template tags on the Auto Scaling group let the
 * autoscaler scale the group up from zero knowing its labels and taints.
 */
export class ManagedNodeGroup extends Construct {
  public readonly nodeGroup: EksNodeGroup;
  public readonly launchTemplate: LaunchTemplate;
  public readonly nodeGroupName: string;
  public readonly nodeGroupArn: string;
  /** Name of the Auto Scaling group EKS created for the group. */
  public readonly autoscalingGroupName: string;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { spec, clusterName } = props;
    const groupName = props.zone ? zonalGroupName(spec.name, props.zone.name) : spec.name;
    const name = launchTemplateName(clusterName, groupName);
    const sizes = props.zone ?? spec;
    const labels = groupLabels(spec);
    const taints = groupTaints(spec);
    // `eks:nodegroup-name` is EKS's own tag: EKS writes it, with the group's real name (the prefix plus a
    // suffix EKS picks), onto the instances of the group. Writing it here would name the group wrongly, so
    // the instances carry Shipyard's stable `shipyard:node-group` (the short name, as on the node group).
    const resourceTags = { Name: name, "eks:cluster-name": clusterName, [NODE_GROUP_TAG]: spec.name };

    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name,
      description: `EKS ${clusterName} node group ${groupName}`,
      updateDefaultVersion: true,
      userData: encodeUserData(props.userData),
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: spec.metadataHopLimit ?? 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: spec.diskSizeGiB ?? DEFAULT_DISK_SIZE_GIB,
            volumeType: "gp3",
            iops: 3000,
            throughput: 125,
            encrypted: "true",
            kmsKeyId: props.ebsKmsKeyArn,
            deleteOnTermination: "true",
          },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: resourceTags })),
      tags: { Name: name },
    });

    const discoveryTags = {
      "k8s.io/cluster-autoscaler/enabled": "true",
      [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
    };
    this.nodeGroup = new EksNodeGroup(this, "node-group", {
      clusterName,
      nodeGroupNamePrefix: `${groupName}-`,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      amiType: spec.architecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
      capacityType: spec.kind === "spot" ? "SPOT" : "ON_DEMAND",
      instanceTypes: [...spec.instanceTypes],
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      scalingConfig: { minSize: sizes.minSize, desiredSize: sizes.desiredSize, maxSize: sizes.maxSize },
      updateConfig: { maxUnavailablePercentage: spec.maxUnavailablePercentage ?? DEFAULT_MAX_UNAVAILABLE_PERCENTAGE },
      labels,
      taint: taints.map((t) => ({ key: t.key, value: t.value, effect: EFFECTS[t.effect] })),
      tags: { ...discoveryTags, [NODE_GROUP_TAG]: spec.name, ...(props.zone ? { "shipyard:zone": props.zone.name } : {}) },
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ["scaling_config[0].desired_size"] },
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });

    this.nodeGroupName = this.nodeGroup.nodeGroupName;
    this.nodeGroupArn = this.nodeGroup.arn;
    this.autoscalingGroupName = this.nodeGroup.resources.get(0).autoscalingGroups.get(0).name;

    // Node-group tags do not reach the Auto Scaling group; the autoscaler reads these from the group itself.
    const asgTags: Record<string, string> = {
      ...discoveryTags,
      ...Object.fromEntries(Object.entries(labels).map(([k, v]) => [`k8s.io/cluster-autoscaler/node-template/label/${k}`, v])),
      ...(spec.kind === "spot" ? { "k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType": "SPOT" } : {}),
      ...(props.zone ? { "k8s.io/cluster-autoscaler/node-template/label/topology.kubernetes.io/zone": props.zone.name } : {}),
      ...Object.fromEntries(taints.map((t) => [`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`, `${t.value ?? ""}:${t.effect}`])),
    };
    Object.keys(asgTags)
      .sort()
      .forEach((key) => {
        new AutoscalingGroupTag(this, `asg-tag-${key.replace(/[^A-Za-z0-9]+/g, "-")}`, {
          autoscalingGroupName: this.autoscalingGroupName,
          tag: { key, value: asgTags[key]!, propagateAtLaunch: false },
        });
      });
  }
}
