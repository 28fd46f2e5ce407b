import { Construct } from "constructs";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ShipyardValidationError } from "../core";

export interface ClusterViewersProps {
  /**
   * Kubernetes group of the cluster-wide readers; the cluster's access entries put the viewer
   * principals in it (`cluster.viewerGroup`).
   */
  readonly group: string;
  /** Name of the ClusterRoleBinding. @default "shipyard-viewers" */
  readonly bindingName?: string;
}

/**
 * Read access for the viewer group: a ClusterRoleBinding to the built-in `view` ClusterRole, which
 * reads most namespaced objects but not Secrets, Roles or RoleBindings.
 */
export class ClusterViewers extends Construct {
  public readonly bindingName: string;

  constructor(scope: Construct, id: string, props: ClusterViewersProps) {
    super(scope, id);
    if (!props.group.trim() || props.group.startsWith("system:")) {
      throw new ShipyardValidationError("group", `${props.group || "(empty)"} cannot be the viewer group (expected e.g. shipyard-viewers)`);
    }
    const binding = new ClusterRoleBindingV1(this, "binding", {
      metadata: { name: props.bindingName ?? "shipyard-viewers", labels: { "app.kubernetes.io/managed-by": "shipyard" } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subject: [{ kind: "Group", name: props.group, apiGroup: "rbac.authorization.k8s.io" }],
    });
    this.bindingName = binding.metadata.name;
  }
}
