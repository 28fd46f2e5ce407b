import { describe, expect, it } from "vitest";
import { addTeamNamespaces, teamIngressClasses, teamIngressClassName, teamKubernetesGroup } from "../../src/stacks/platform-namespaces";
import { loadFixture, type Edit } from "../support/environments";
import { resources, synthScope, type Synthesized } from "../support/synth";

type Json = Record<string, any>;
const byName = (json: Synthesized, type: string): Record<string, Json> =>
  Object.fromEntries((resources(json, type) as Json[]).map((r) => [r.metadata.name, r]));

describe.each(["dev", "prod"] as const)("addTeamNamespaces (%s)", (name) => {
  const env = loadFixture(name);
  const json = synthScope((scope) => {
    addTeamNamespaces(scope, env, { monitoringNamespace: "monitoring" });
  });

  it("creates each team namespace with restricted Pod Security pinned to the cluster version", () => {
    const namespaces = byName(json, "kubernetes_namespace_v1");
    expect(Object.keys(namespaces)).toEqual(env.teams.flatMap((t) => t.namespaces));
    const labels = namespaces.payments!.metadata.labels;
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(labels["pod-security.kubernetes.io/enforce-version"]).toBe(`v${env.cluster.version}`);
    expect(labels["shipyard.io/environment"]).toBe(name);
  });

  it("gives each team an IngressClass per scheme, bound to its namespaces and its own IngressGroup", () => {
    const classes = teamIngressClasses(env);
    expect(classes.map((c) => c.name)).toEqual(
      env.teams.flatMap((t) => [teamIngressClassName(t.name, "internet-facing"), teamIngressClassName(t.name, "internal")]),
    );
    expect(classes[0]).toEqual({
      name: "alb-payments-public",
      groupName: "payments-public",
      scheme: "internet-facing",
      namespaceLabel: { key: "shipyard.io/team", value: "payments" },
    });
    // The namespaces carry the label the classes select on.
    expect(byName(json, "kubernetes_namespace_v1").payments!.metadata.labels["shipyard.io/team"]).toBe("payments");
  });

  it("guards the team namespaces' monitoring objects with an admission policy", () => {
    const kinds = (resources(json, "kubernetes_manifest") as Json[]).map((m) => m.manifest.kind).sort();
    expect(kinds).toEqual(["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);
  });

  it("sets the team's quota", () => {
    const quota = (resources(json, "kubernetes_resource_quota_v1") as Json[])[0]!;
    const q = env.teams[0]!.quota;
    expect(quota.spec.hard).toMatchObject({
      "requests.cpu": q.requestsCpu,
      "requests.memory": q.requestsMemory,
      "limits.cpu": q.limitsCpu,
      "limits.memory": q.limitsMemory,
      pods: String(q.pods),
    });
    // Storage is bounded, and the platform's Retain class is off limits to teams.
    expect(quota.spec.hard).toMatchObject({
      "requests.storage": q.requestsStorage,
      persistentvolumeclaims: String(q.persistentVolumeClaims),
      "gp3-retain.storageclass.storage.k8s.io/persistentvolumeclaims": "0",
    });
  });

  it("lets the load balancers (their public subnets, never the VPC CIDR) and Prometheus reach the applications' ports only", () => {
    const policies = byName(json, "kubernetes_network_policy_v1");
    const lb = policies["allow-load-balancer"]!.spec.ingress[0];
    expect(lb.from).toEqual(env.network.publicSubnets.map((cidr) => ({ ip_block: { cidr } })));
    expect(lb.from).not.toContainEqual({ ip_block: { cidr: env.network.cidr } });
    expect(lb.ports).toEqual([{ port: String(env.applications[0]!.port), protocol: "TCP" }]);
    expect(policies["allow-monitoring"]!.spec.ingress[0].from[0].namespace_selector.match_labels).toEqual({
      "kubernetes.io/metadata.name": "monitoring",
    });
    expect(policies["default-deny"]!.spec).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
  });

  it("binds the groups the cluster's access entries use: team-<team> and cluster.viewerGroup", () => {
    expect(teamKubernetesGroup("payments")).toBe("team-payments");
    const binding = (resources(json, "kubernetes_role_binding_v1") as Json[])[0]!;
    expect(binding.subject[0]).toMatchObject({ kind: "Group", name: "team-payments" });
    const viewers = (resources(json, "kubernetes_cluster_role_binding_v1") as Json[])[0]!;
    expect(viewers.role_ref.name).toBe("view");
    expect(viewers.subject[0]).toMatchObject({ kind: "Group", name: env.cluster.viewerGroup });
  });

  it("allows exec and port-forward outside prod only", () => {
    const role = (resources(json, "kubernetes_role_v1") as Json[])[0]!;
    const exec = (role.rule as Json[]).some((r) => r.resources.includes("pods/exec"));
    expect(exec).toBe(name !== "prod");
  });
});

describe("addTeamNamespaces with several teams", () => {
  it("gives every namespace its own objects and only its own applications' ports", () => {
    const edit: Edit = {
      set: ["teams", 1],
      value: {
        name: "search",
        namespaces: ["search", "search-jobs"],
        quota: { requestsCpu: "2", requestsMemory: "4Gi", limitsCpu: "4", limitsMemory: "8Gi", pods: 20 },
      },
    };
    const env = loadFixture("dev", edit);
    const json = synthScope((scope) => {
      addTeamNamespaces(scope, env);
    });
    expect((resources(json, "kubernetes_namespace_v1") as Json[]).map((n) => n.metadata.name).sort()).toEqual([
      "payments",
      "search",
      "search-jobs",
    ]);
    const lbPolicies = (resources(json, "kubernetes_network_policy_v1") as Json[]).filter((p) => p.metadata.name === "allow-load-balancer");
    expect(lbPolicies).toHaveLength(1);
    const subjects = (resources(json, "kubernetes_role_binding_v1") as Json[]).map((b) => b.subject[0].name).sort();
    expect(subjects).toEqual(["team-payments", "team-search", "team-search"]);
    expect(resources(json, "kubernetes_cluster_role_binding_v1")).toHaveLength(1);
  });
});
