import type { Construct } from "constructs";
import { ClusterViewers, TeamNamespace } from "../../modules/team-namespace";
import type { EnvironmentConfig } from "../config";
import { teamKubernetesGroup } from "../../modules/core";

/** Kubernetes group of a team's editors, defined once beside the other naming rules. */
export { teamKubernetesGroup };

export interface TeamNamespacesOptions {
  /** Namespace of kube-prometheus-stack, whose Prometheus scrapes the applications. @default "monitoring" */
  readonly monitoringNamespace?: string;
}

export interface TeamNamespaces {
  /** By namespace name. */
  readonly namespaces: Readonly<Record<string, TeamNamespace>>;
  readonly viewers: ClusterViewers;
}

/**
 * Per-team namespaces with Pod Security `restricted`, quota, container defaults, default-deny network
 * policies with the platform's allowances, and RBAC for the access-entry groups; plus the cluster-wide
 * read binding for `cluster.viewerGroup`. Called by the platform stack.
 */
export function addTeamNamespaces(scope: Construct, env: EnvironmentConfig, options: TeamNamespacesOptions = {}): TeamNamespaces {
  const namespaces: Record<string, TeamNamespace> = {};
  for (const team of env.teams) {
    for (const name of team.namespaces) {
      const ports = env.applications.filter((app) => app.namespace === name).map((app) => app.port);
      namespaces[name] = new TeamNamespace(scope, `namespace-${name}`, {
        name,
        team: team.name,
        labels: { "shipyard.io/environment": env.name },
        podSecurityVersion: `v${env.cluster.version}`,
        quota: team.quota,
        network: {
          // ALB with target-type ip: packets come from the load balancer's addresses in the VPC.
          loadBalancerSourceCidrs: [env.network.cidr],
          applicationPorts: ports,
          monitoringNamespace: options.monitoringNamespace ?? "monitoring",
        },
        rbac: {
          editorGroup: teamKubernetesGroup(team.name),
          // Debugging by exec and port-forward outside prod; prod goes through logs, metrics and traces.
          allowPodExec: env.tier !== "prod",
        },
      });
    }
  }
  const viewers = new ClusterViewers(scope, "cluster-viewers", { group: env.cluster.viewerGroup });
  return { namespaces, viewers };
}
