import { describe, expect, it } from "vitest";
import { ShipyardValidationError } from "../../../modules/core";
import { ClusterViewers, TeamNamespace, editorRules, type TeamNamespaceProps } from "../../../modules/team-namespace";
import { resources, single, synthScope, type Synthesized } from "../../support/synth";
import { unknownKeys } from "../workload/provider-schema";

type Json = Record<string, any>;

const props: TeamNamespaceProps = {
  name: "payments",
  team: "payments",
  labels: { "shipyard.io/environment": "prod" },
  podSecurityVersion: "v1.33",
  quota: { requestsCpu: "8", requestsMemory: "16Gi", limitsCpu: "16", limitsMemory: "32Gi", pods: 100 },
  network: { loadBalancerSourceCidrs: ["10.30.0.0/16"], applicationPorts: [8080, 9090, 8080] },
  rbac: { editorGroup: "team-payments" },
};

const synth = (p: TeamNamespaceProps): Synthesized => synthScope((scope) => new TeamNamespace(scope, "ns", p));
const policies = (json: Synthesized): Record<string, Json> =>
  Object.fromEntries((resources(json, "kubernetes_network_policy_v1") as Json[]).map((p) => [p.metadata.name, p.spec]));
const NS_REF = expect.stringMatching(/^\$\{kubernetes_namespace_v1\.ns_namespace_[0-9A-F]{8}\.metadata\[0\]\.name\}$/);

describe("TeamNamespace", () => {
  const json = synth(props);

  it("uses only attribute and block names the kubernetes provider's schema has", () => {
    for (const [type, instances] of Object.entries(json.resource ?? {})) {
      for (const [id, resource] of Object.entries(instances)) expect(unknownKeys(type, resource), `${type}.${id}`).toEqual([]);
    }
  });

  it("enforces the restricted Pod Security Standard, pinned to the cluster version", () => {
    const ns = single(json, "kubernetes_namespace_v1") as Json;
    expect(ns.metadata.name).toBe("payments");
    expect(ns.metadata.labels).toEqual({
      "shipyard.io/environment": "prod",
      "app.kubernetes.io/managed-by": "shipyard",
      "shipyard.io/team": "payments",
      "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "v1.33",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "v1.33",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "v1.33",
    });
  });

  it("bounds the namespace with the configured quota and no LoadBalancer or NodePort Services", () => {
    const quota = single(json, "kubernetes_resource_quota_v1") as Json;
    expect(quota.metadata.namespace).toEqual(NS_REF);
    expect(quota.spec.hard).toEqual({
      "requests.cpu": "8",
      "requests.memory": "16Gi",
      "limits.cpu": "16",
      "limits.memory": "32Gi",
      pods: "100",
      "requests.storage": "100Gi",
      persistentvolumeclaims: "10",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
    });
    const open = single(synth({ ...props, allowLoadBalancerServices: true }), "kubernetes_resource_quota_v1") as Json;
    expect(open.spec.hard["services.loadbalancers"]).toBeUndefined();
  });

  it("gives containers without resources default requests and limits", () => {
    const limits = single(json, "kubernetes_limit_range_v1") as Json;
    expect(limits.spec.limit).toEqual([
      { type: "Container", default_request: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" } },
    ]);
    const custom = single(
      synth({
        ...props,
        containerDefaults: {
          defaultRequest: { cpu: "50m", memory: "64Mi" },
          defaultLimit: { cpu: "1", memory: "1Gi" },
          max: { cpu: "2", memory: "4Gi" },
        },
      }),
      "kubernetes_limit_range_v1",
    ) as Json;
    expect(custom.spec.limit[0].max).toEqual({ cpu: "2", memory: "4Gi" });
  });

  it("denies all ingress and egress by default", () => {
    expect(policies(json)["default-deny"]).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
  });

  it("allows DNS to CoreDNS in kube-system on UDP and TCP 53", () => {
    expect(policies(json)["allow-dns"]).toEqual({
      pod_selector: {},
      policy_types: ["Egress"],
      egress: [
        {
          to: [
            {
              namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } },
              pod_selector: { match_labels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { port: "53", protocol: "UDP" },
            { port: "53", protocol: "TCP" },
          ],
        },
      ],
    });
  });

  it("allows traffic between the namespace's own pods", () => {
    const self = [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "payments" } } }];
    expect(policies(json)["allow-same-namespace"]).toEqual({
      pod_selector: {},
      policy_types: ["Ingress", "Egress"],
      ingress: [{ from: self }],
      egress: [{ to: self }],
    });
  });

  it("allows the application ports from the VPC CIDR (ALB target type ip) and from Prometheus", () => {
    const ports = [
      { port: "8080", protocol: "TCP" },
      { port: "9090", protocol: "TCP" },
    ];
    expect(policies(json)["allow-load-balancer"]).toEqual({
      pod_selector: {},
      policy_types: ["Ingress"],
      ingress: [{ from: [{ ip_block: { cidr: "10.30.0.0/16" } }], ports }],
    });
    expect(policies(json)["allow-monitoring"]).toEqual({
      pod_selector: {},
      policy_types: ["Ingress"],
      ingress: [{ from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports }],
    });
  });

  it("allows HTTPS egress for AWS APIs, except the instance metadata address", () => {
    expect(policies(json)["allow-https-egress"]).toEqual({
      pod_selector: {},
      policy_types: ["Egress"],
      egress: [{ to: [{ ip_block: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }], ports: [{ port: "443", protocol: "TCP" }] }],
    });
    const endpointsOnly = policies(synth({ ...props, network: { ...props.network, httpsEgressCidrs: ["10.30.0.0/16"] } }));
    expect(endpointsOnly["allow-https-egress"]!.egress[0].to).toEqual([{ ip_block: { cidr: "10.30.0.0/16" } }]);
    expect(policies(synth({ ...props, network: { ...props.network, httpsEgressCidrs: [] } }))["allow-https-egress"]).toBeUndefined();
  });

  it("opens no application port when the namespace has no applications (an empty port list would mean all ports)", () => {
    const empty = policies(synth({ ...props, network: { ...props.network, applicationPorts: [] } }));
    expect(Object.keys(empty).sort()).toEqual(["allow-dns", "allow-https-egress", "allow-same-namespace", "default-deny"]);
  });

  it("binds the team's group to an edit-like Role without secrets, policy writes or exec", () => {
    const role = single(json, "kubernetes_role_v1") as Json;
    expect(role.metadata.name).toBe("team-editor");
    const rules = role.rule as { api_groups: string[]; resources: string[]; verbs: string[] }[];
    const can = (group: string, resource: string, verb: string) =>
      rules.some((r) => r.api_groups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
    expect(can("apps", "deployments", "patch")).toBe(true);
    expect(can("", "configmaps", "update")).toBe(true);
    expect(can("monitoring.coreos.com", "servicemonitors", "create")).toBe(true);
    expect(can("networking.k8s.io", "networkpolicies", "list")).toBe(true);
    expect(can("networking.k8s.io", "networkpolicies", "delete")).toBe(false);
    expect(can("", "resourcequotas", "update")).toBe(false);
    expect(can("external-secrets.io", "externalsecrets", "create")).toBe(false);
    expect(rules.some((r) => r.resources.includes("secrets"))).toBe(false);
    expect(rules.some((r) => r.api_groups.includes("rbac.authorization.k8s.io"))).toBe(false);
    expect(rules.some((r) => r.resources.includes("pods/exec"))).toBe(false);
    expect(rules.every((r) => !r.verbs.includes("*") && !r.resources.includes("*"))).toBe(true);

    const binding = single(json, "kubernetes_role_binding_v1") as Json;
    expect(binding.role_ref).toEqual({
      api_group: "rbac.authorization.k8s.io",
      kind: "Role",
      name: expect.stringContaining("kubernetes_role_v1."),
    });
    expect(binding.subject).toEqual([{ kind: "Group", name: "team-payments", api_group: "rbac.authorization.k8s.io" }]);
  });

  it("grants exec and port-forward only when asked", () => {
    expect(editorRules(true).some((r) => (r.resources as string[]).includes("pods/exec"))).toBe(true);
    const role = single(synth({ ...props, rbac: { editorGroup: "team-payments", allowPodExec: true } }), "kubernetes_role_v1") as Json;
    expect(role.rule.at(-1)).toEqual({
      api_groups: [""],
      resources: ["pods/attach", "pods/exec", "pods/portforward"],
      verbs: ["create", "get"],
    });
  });

  it("puts every namespaced object in the namespace it creates", () => {
    for (const type of [
      "kubernetes_resource_quota_v1",
      "kubernetes_limit_range_v1",
      "kubernetes_network_policy_v1",
      "kubernetes_role_v1",
      "kubernetes_role_binding_v1",
    ]) {
      for (const r of resources(json, type) as Json[]) expect(r.metadata.namespace, type).toEqual(NS_REF);
    }
  });
});

describe("ClusterViewers", () => {
  it("binds the viewer group to the built-in view ClusterRole", () => {
    const json = synthScope((scope) => new ClusterViewers(scope, "viewers", { group: "shipyard-viewers" }));
    const binding = single(json, "kubernetes_cluster_role_binding_v1") as Json;
    expect(unknownKeys("kubernetes_cluster_role_binding_v1", binding)).toEqual([]);
    expect(binding.role_ref).toEqual({ api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" });
    expect(binding.subject).toEqual([{ kind: "Group", name: "shipyard-viewers", api_group: "rbac.authorization.k8s.io" }]);
  });

  it("refuses a system group", () => {
    expect(() => synthScope((scope) => new ClusterViewers(scope, "viewers", { group: "system:masters" }))).toThrow(ShipyardValidationError);
  });
});

describe("TeamNamespace refusals", () => {
  const cases: [string, TeamNamespaceProps, string, RegExp][] = [
    [
      "a privileged namespace",
      { ...props, podSecurityLevel: "privileged" as never },
      "podSecurityLevel",
      /privileged namespaces are refused/,
    ],
    ["baseline without a reason", { ...props, podSecurityLevel: "baseline" }, "podSecurityWaiverReason", /stated reason/],
    [
      "a Pod Security label override",
      { ...props, labels: { "pod-security.kubernetes.io/enforce": "privileged" } },
      "labels.pod-security.kubernetes.io/enforce",
      /set by podSecurityLevel/,
    ],
    [
      "quota requests above limits",
      { ...props, quota: { ...props.quota, requestsCpu: "32" } },
      "quota.requestsCpu",
      /exceeds quota.limitsCpu/,
    ],
    ["a bad quota quantity", { ...props, quota: { ...props.quota, limitsMemory: "lots" } }, "quota.limitsMemory", /not a memory quantity/],
    [
      "default requests above default limits",
      { ...props, containerDefaults: { defaultRequest: { cpu: "2", memory: "64Mi" }, defaultLimit: { cpu: "1", memory: "1Gi" } } },
      "containerDefaults.defaultRequest",
      /requests <= limits/,
    ],
    [
      "load balancer traffic from anywhere",
      { ...props, network: { ...props.network, loadBalancerSourceCidrs: ["0.0.0.0/0"] } },
      "network.loadBalancerSourceCidrs[0]",
      /every address/,
    ],
    ["a bad port", { ...props, network: { ...props.network, applicationPorts: [70000] } }, "network.applicationPorts[0]", /1-65535/],
    ["a system group for editors", { ...props, rbac: { editorGroup: "system:masters" } }, "rbac.editorGroup", /system group/],
    ["a bad namespace name", { ...props, name: "Payments" }, "name", /not a DNS label/],
  ];

  it.each(cases)("refuses %s", (_name, p, path, message) => {
    let caught: unknown;
    try {
      synth(p);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ShipyardValidationError);
    expect((caught as ShipyardValidationError).path).toBe(path);
    expect((caught as Error).message).toMatch(message);
  });

  it("accepts baseline with a stated reason and records it", () => {
    const json = synth({ ...props, podSecurityLevel: "baseline", podSecurityWaiverReason: "vendor agent needs a hostPath" });
    const ns = single(json, "kubernetes_namespace_v1") as Json;
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    expect(ns.metadata.labels["pod-security.kubernetes.io/warn"]).toBe("restricted");
    expect(ns.metadata.annotations).toEqual({ "shipyard.io/pod-security-waiver": "vendor agent needs a hostPath" });
  });
});
