import { Token, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { SHORT_NAME, ShipyardValidationError } from "../core";
import { ManagedNodeGroup } from "./node-group";
import { NodeRole } from "./node-role";
import { INSTANCE_TYPE, type NodeGroupSpec, type NodeGroupsProps, type NodeSettings } from "./props";
import { renderUserData } from "./user-data";

/**
 * The cluster's managed node groups and their shared node role. Refuses what would weaken a node: an
 * unencrypted root volume, an SSH key, IMDS reachable from pods (hop limit above 1), a spot group without
 * at least three instance types of one size, an unbounded rolling update.
 */
export class NodeGroups extends Construct {
  public readonly nodeRoleArn: string;
  public readonly nodeRoleName: string;
  /** By group name. */
  public readonly groups: Record<string, ManagedNodeGroup> = {};
  /** Every node group resource, for what must run after nodes exist (coredns, ebs-csi). */
  public readonly dependables: ITerraformDependable[] = [];
  /** The user data every node boots with (plain text, before base64). */
  public readonly userData: string;

  constructor(scope: Construct, id: string, props: NodeGroupsProps) {
    super(scope, id);
    validate(props);
    const role = new NodeRole(this, "node-role", { roleName: props.nodeRoleName, permissionsBoundaryArn: props.permissionsBoundaryArn });
    this.userData = renderUserData({
      clusterName: props.clusterName,
      clusterEndpoint: props.clusterEndpoint,
      clusterCertificateAuthority: props.clusterCertificateAuthority,
      serviceCidr: props.serviceCidr,
      nodeSettings: props.nodeSettings,
    });
    const zones = props.subnetZones;
    for (const spec of props.groups) {
      const common = {
        clusterName: props.clusterName,
        spec,
        nodeRoleArn: role.roleArn,
        ebsKmsKeyArn: props.ebsKmsKeyArn,
        userData: this.userData,
        dependsOn: [...role.attachments, ...(props.dependsOn ?? [])],
      };
      if (!zones) {
        const group = new ManagedNodeGroup(this, spec.name, { ...common, subnetIds: props.subnetIds });
        this.groups[spec.name] = group;
        this.dependables.push(group.nodeGroup);
        continue;
      }
      const min = splitAcrossZones(spec.minSize, zones.length);
      const desired = splitAcrossZones(spec.desiredSize, zones.length);
      zones.forEach((zone, i) => {
        const zoneName = `${spec.name}-${zone.slice(-1)}`;
        const group = new ManagedNodeGroup(this, zoneName, {
          ...common,
          subnetIds: [props.subnetIds[i]!],
          // Each zone may grow to the whole group's share rounded up, so a zone can absorb a lost one.
          zone: { name: zone, minSize: min[i]!, desiredSize: desired[i]!, maxSize: Math.max(1, Math.ceil(spec.maxSize / zones.length)) },
        });
        this.groups[zoneName] = group;
        this.dependables.push(group.nodeGroup);
      });
    }
    this.nodeRoleArn = role.roleArn;
    this.nodeRoleName = role.roleName;
  }
}

/** `total` split over `parts` as evenly as whole numbers allow, the remainder on the first parts: 4 over 3 → 2, 1, 1. */
export function splitAcrossZones(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

function validate(props: NodeGroupsProps): void {
  if (Token.isUnresolved(props.clusterName)) {
    throw new ShipyardValidationError(
      "clusterName",
      "must be the literal cluster name, not a reference (it is part of the autoscaler tag keys)",
    );
  }
  if (props.groups.length === 0) throw new ShipyardValidationError("groups", "expected at least one node group");
  if (props.subnetIds.length === 0) throw new ShipyardValidationError("subnetIds", "expected the private subnets of the nodes");
  if (props.subnetZones) {
    if (props.subnetZones.length !== props.subnetIds.length) {
      throw new ShipyardValidationError(
        "subnetZones",
        `expected one zone per subnet (${props.subnetIds.length}), got ${props.subnetZones.length}`,
      );
    }
    if (new Set(props.subnetZones.map((z) => z.slice(-1))).size !== props.subnetZones.length) {
      throw new ShipyardValidationError("subnetZones", "expected zones with distinct letters (they name the per-zone groups)");
    }
  }
  const names = new Set<string>();
  props.groups.forEach((group, i) => {
    if (names.has(group.name)) throw new ShipyardValidationError(`groups[${i}].name`, `duplicate node group name ${group.name}`);
    names.add(group.name);
    validateGroup(group, `groups[${i}]`);
  });
  validateSettings(props.nodeSettings);
}

function validateGroup(group: NodeGroupSpec, path: string): void {
  if (!SHORT_NAME.test(group.name)) {
    throw new ShipyardValidationError(`${path}.name`, `"${group.name}" is not a short name (expected 2-24 of a-z, 0-9, '-')`);
  }
  if (group.diskEncrypted === false) {
    throw new ShipyardValidationError(`${path}.diskEncrypted`, "root volumes are always encrypted with the EBS key (expected true)");
  }
  if (group.sshKeyName !== undefined) {
    throw new ShipyardValidationError(`${path}.sshKeyName`, "SSH access to nodes is not allowed; use SSM Session Manager (remove the key)");
  }
  const hopLimit = group.metadataHopLimit ?? 1;
  if (hopLimit !== 1) {
    throw new ShipyardValidationError(
      `${path}.metadataHopLimit`,
      `hop limit ${hopLimit} lets pods reach the node's instance credentials (expected 1)`,
    );
  }
  const unavailable = group.maxUnavailablePercentage ?? 33;
  if (!Number.isInteger(unavailable) || unavailable < 1 || unavailable > 50) {
    throw new ShipyardValidationError(
      `${path}.maxUnavailablePercentage`,
      `expected 1 to 50 percent of nodes replaced at once, got ${unavailable}`,
    );
  }
  if (group.instanceTypes.length === 0) throw new ShipyardValidationError(`${path}.instanceTypes`, "expected at least one instance type");
  const sizes = group.instanceTypes.map((type, j) => {
    const match = INSTANCE_TYPE.exec(type);
    if (!match)
      throw new ShipyardValidationError(`${path}.instanceTypes[${j}]`, `"${type}" is not an instance type (expected e.g. m6i.large)`);
    return match[2];
  });
  if (new Set(group.instanceTypes).size !== group.instanceTypes.length) {
    throw new ShipyardValidationError(`${path}.instanceTypes`, "lists an instance type twice");
  }
  if (group.kind === "spot") {
    if (group.instanceTypes.length < 3) {
      throw new ShipyardValidationError(
        `${path}.instanceTypes`,
        `a spot group needs at least 3 instance types to survive interruptions, got ${group.instanceTypes.length}`,
      );
    }
    if (new Set(sizes).size > 1) {
      throw new ShipyardValidationError(
        `${path}.instanceTypes`,
        `spot types must be of one size so the autoscaler's estimates hold, got ${[...new Set(sizes)].join(", ")}`,
      );
    }
  }
  if (!(group.minSize >= 0 && group.minSize <= group.desiredSize && group.desiredSize <= group.maxSize && group.maxSize >= 1)) {
    throw new ShipyardValidationError(
      `${path}.desiredSize`,
      `expected 0 <= minSize <= desiredSize <= maxSize and maxSize >= 1, got ${group.minSize} <= ${group.desiredSize} <= ${group.maxSize}`,
    );
  }
  if (group.kind === "system" && group.minSize < 1) {
    throw new ShipyardValidationError(`${path}.minSize`, "the system group runs cluster add-ons (expected at least 1 node)");
  }
  const disk = group.diskSizeGiB ?? 50;
  if (!Number.isInteger(disk) || disk < 20)
    throw new ShipyardValidationError(`${path}.diskSizeGiB`, `expected at least 20 GiB, got ${disk}`);
}

function validateSettings(settings: NodeSettings): void {
  for (const key of Object.keys(settings.sysctls ?? {})) {
    if (!/^[a-z0-9_]+(\.[a-z0-9_-]+)+$/.test(key)) {
      throw new ShipyardValidationError(`nodeSettings.sysctls.${key}`, "is not a sysctl key (expected e.g. vm.max_map_count)");
    }
    const value = String(settings.sysctls![key]);
    if (!/^[A-Za-z0-9 ._:,-]+$/.test(value)) {
      throw new ShipyardValidationError(`nodeSettings.sysctls.${key}`, `value "${value}" has characters a sysctl.d file cannot hold`);
    }
  }
  if (settings.maxPods !== undefined && (!Number.isInteger(settings.maxPods) || settings.maxPods < 8 || settings.maxPods > 737)) {
    throw new ShipyardValidationError("nodeSettings.maxPods", `expected 8 to 737, got ${settings.maxPods}`);
  }
}
