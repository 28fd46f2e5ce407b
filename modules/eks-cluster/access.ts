import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { ShipyardValidationError, teamKubernetesGroup } from "../core";
import { ACCESS_POLICIES, DEFAULT_VIEWER_GROUP, type ClusterAccessProps } from "./props";

export interface ClusterAccessConstructProps extends ClusterAccessProps {
  /** Cluster the access entries belong to. */
  readonly clusterName: string;
}

/** What one principal gets: Kubernetes groups, and per access policy either the cluster or some namespaces. */
interface Grant {
  groups: Set<string>;
  policies: Map<string, "cluster" | Set<string>>;
}

/**
 * Access entries (authentication mode API, no implicit creator admin) and their policy associations. EKS
 * allows one entry per principal and one association per principal and policy, so grants are merged per
 * principal first: a person who is both viewer and team editor gets one entry with both groups.
 */
export class ClusterAccess extends Construct {
  /** Principal ARNs with an access entry, sorted. */
  public readonly principalArns: string[];
  /** The entries, for resources that must wait for access to exist. */
  public readonly entries: EksAccessEntry[] = [];

  constructor(scope: Construct, id: string, props: ClusterAccessConstructProps) {
    super(scope, id);
    const grants = planGrants(props);
    this.principalArns = [...grants.keys()].sort();
    for (const principal of this.principalArns) {
      const grant = grants.get(principal)!;
      const key = constructKey(principal);
      const groups = [...grant.groups].sort();
      const entry = new EksAccessEntry(this, `entry-${key}`, {
        clusterName: props.clusterName,
        principalArn: principal,
        type: "STANDARD",
        kubernetesGroups: groups.length > 0 ? groups : undefined,
      });
      this.entries.push(entry);
      for (const [policyArn, scope] of [...grant.policies.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const policyName = policyArn.split("/").pop()!;
        new EksAccessPolicyAssociation(this, `${policyName}-${key}`, {
          clusterName: props.clusterName,
          // Referencing the entry orders the association after it.
          principalArn: entry.principalArn,
          policyArn,
          accessScope: scope === "cluster" ? { type: "cluster" } : { type: "namespace", namespaces: [...scope].sort() },
        });
      }
    }
  }
}

function planGrants(props: ClusterAccessConstructProps): Map<string, Grant> {
  if (props.adminArns.length === 0)
    throw new ShipyardValidationError("access.adminArns", "needs at least one cluster administrator (no creator admin is granted)");
  const grants = new Map<string, Grant>();
  const grant = (principal: string, policyArn: string | undefined, scope: "cluster" | readonly string[], group?: string) => {
    const g = grants.get(principal) ?? { groups: new Set<string>(), policies: new Map() };
    grants.set(principal, g);
    if (group) g.groups.add(group);
    if (!policyArn) return;
    const current = g.policies.get(policyArn);
    if (scope === "cluster" || current === "cluster") {
      g.policies.set(policyArn, "cluster");
    } else {
      g.policies.set(policyArn, new Set([...(current ?? []), ...scope]));
    }
  };
  for (const admin of props.adminArns) grant(admin, ACCESS_POLICIES.clusterAdmin, "cluster");
  grant(props.deployerRoleArn, ACCESS_POLICIES.clusterAdmin, "cluster");
  const viewerPolicy = (props.viewerPolicy ?? "view") === "view" ? ACCESS_POLICIES.view : ACCESS_POLICIES.adminView;
  for (const viewer of props.viewerArns ?? []) grant(viewer, viewerPolicy, "cluster", props.viewerGroup ?? DEFAULT_VIEWER_GROUP);
  (props.namespaceEditors ?? []).forEach((team, i) => {
    if (team.namespaces.length === 0) {
      throw new ShipyardValidationError(
        `access.namespaceEditors[${i}].namespaces`,
        `team ${team.team} edits no namespace (expected at least one)`,
      );
    }
    // Group only, no access policy: EKS allows a request when the access policy OR RBAC does, so any EKS
    // policy (AmazonEKSEditPolicy reads Secrets, execs, deletes NetworkPolicies) would widen the team Role.
    for (const editor of team.principalArns) grant(editor, undefined, [], teamKubernetesGroup(team.team));
  });
  return grants;
}

/** A construct id from an ARN: stable, readable, unique per principal. */
function constructKey(arn: string): string {
  return arn.replace(/^arn:aws[a-z-]*:(iam|sts)::/, "").replace(/[^A-Za-z0-9]+/g, "-");
}
