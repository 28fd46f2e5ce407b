import type { Construct } from "constructs";
import type { TeamIngressClass } from "../../modules/addons";
import { ClusterViewers, TeamMonitoringGuardrails, TeamNamespace } from "../../modules/team-namespace";
import type { EnvironmentConfig } from "../config";
import { teamKubernetesGroup } from "../../modules/core";

/** StorageClass of the platform's own volumes (reclaim Retain); team namespaces get a quota of 0 claims on it. */
export const PLATFORM_STORAGE_CLASS = "gp3-retain";

/** Namespace label naming the owning team (set by modules/team-namespace). */
export const TEAM_LABEL = "shipyard.io/team";

/** The IngressClass of a team's Ingresses of one scheme: `alb-<team>-public` or `alb-<team>-internal`. */
export function teamIngressClassName(team: string, scheme: "internal" | "internet-facing"): string {
  return `alb-${team}-${scheme === "internet-facing" ? "public" : "internal"}`;
}

/** Every team's IngressClasses: one per scheme, its own IngressGroup (`<ingressGroup>-public|internal`), its namespaces only. */
export function teamIngressClasses(env: EnvironmentConfig): TeamIngressClass[] {
  return env.teams.flatMap((team) =>
    (["internet-facing", "internal"] as const).map((scheme) => ({
      name: teamIngressClassName(team.name, scheme),
      groupName: `${team.ingressGroup ?? team.name}-${scheme === "internet-facing" ? "public" : "internal"}`,
      scheme,
      namespaceLabel: { key: TEAM_LABEL, value: team.name },
    })),
  );
}

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
        quota: { ...team.quota, forbiddenStorageClasses: [PLATFORM_STORAGE_CLASS] },
        network: {
          // ALB with target-type ip: packets come from the load balancers' addresses, and every team
          // IngressClass places its load balancers in the public subnets (never the pods' private ones).
          loadBalancerSourceCidrs: [...env.network.publicSubnets],
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
  new TeamMonitoringGuardrails(scope, "team-monitoring-guardrails", { teamLabel: TEAM_LABEL });
  return { namespaces, viewers };
}
