import { Construct } from "constructs";
import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecEgress,
  type NetworkPolicyV1SpecIngress,
} from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1, type RoleV1Rule } from "@cdktf/provider-kubernetes/lib/role-v1";
import { DNS_LABEL, KUBE_SYSTEM_NAMESPACE, ShipyardValidationError } from "../core";
import { cpuMillis, memoryBytes } from "../workload/quantity";
import { DEFAULT_CONTAINER_DEFAULTS, type ContainerResources, type TeamNamespaceProps } from "./props";

const METADATA_SERVICE = "169.254.169.254/32";
const READ = ["get", "list", "watch"];
const WRITE = ["create", "update", "patch", "delete", "deletecollection"];

/** Label every namespace carries with its own name (Kubernetes sets it; immutable). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/**
 * One team namespace: Pod Security `restricted`, a ResourceQuota, a LimitRange so containers without
 * resources stay bounded, a default-deny NetworkPolicy (ingress and egress) with narrow allowances, and
 * an edit-like Role bound to the team's Kubernetes group.
 *
 * Allowances (each its own NetworkPolicy, named `allow-*`, so `kubectl get netpol` reads as a list):
 * - `allow-dns`: egress to CoreDNS in kube-system, UDP and TCP 53.
 * - `allow-same-namespace`: ingress from and egress to pods of this namespace.
 * - `allow-load-balancer`: ingress on the application ports from the load balancers' subnets (ALB with
 *   `target-type: ip` sends from its own addresses there), never the whole VPC.
 * - `allow-monitoring`: ingress on the application ports from the monitoring namespace (Prometheus).
 * - `allow-https-egress`: egress TCP 443 for AWS APIs (STS for IRSA, Secrets Manager, S3 …), reached
 *   through VPC endpoints or NAT; the instance metadata address is excepted.
 *
 * NetworkPolicy is enforced on EKS only when the VPC CNI's network policy agent is on
 * (`enableNetworkPolicy: "true"` in the vpc-cni add-on configuration).
 */
export class TeamNamespace extends Construct {
  public readonly namespaceName: string;
  public readonly roleName: string;
  /** Names of the NetworkPolicies, default deny first. */
  public readonly networkPolicyNames: string[];

  constructor(scope: Construct, id: string, props: TeamNamespaceProps) {
    super(scope, id);
    validate(props);
    const name = props.name;
    const level = props.podSecurityLevel ?? "restricted";
    const version = props.podSecurityVersion ?? "latest";
    const commonLabels = { "app.kubernetes.io/managed-by": "shipyard", "shipyard.io/team": props.team };

    const namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name,
        labels: {
          ...props.labels,
          ...commonLabels,
          ...((props.albReadinessGate ?? true) ? { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } : {}),
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/enforce-version": version,
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/audit-version": version,
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/warn-version": version,
        },
        ...(props.podSecurityWaiverReason ? { annotations: { "shipyard.io/pod-security-waiver": props.podSecurityWaiverReason } } : {}),
      },
    });
    // Every object below names the namespace through the resource, so Terraform orders them after it.
    const ns = namespace.metadata.name;
    const meta = (objectName: string) => ({ name: objectName, namespace: ns, labels: commonLabels });

    const quota = props.quota;
    const lockedServices = !(props.allowLoadBalancerServices ?? false);
    new ResourceQuotaV1(this, "quota", {
      metadata: meta("team-quota"),
      spec: {
        hard: {
          "requests.cpu": quota.requestsCpu,
          "requests.memory": quota.requestsMemory,
          "limits.cpu": quota.limitsCpu,
          "limits.memory": quota.limitsMemory,
          pods: String(quota.pods),
          "requests.storage": quota.requestsStorage ?? "100Gi",
          persistentvolumeclaims: String(quota.persistentVolumeClaims ?? 10),
          ...Object.fromEntries(
            (quota.forbiddenStorageClasses ?? []).map((c) => [`${c}.storageclass.storage.k8s.io/persistentvolumeclaims`, "0"]),
          ),
          ...(lockedServices ? { "services.loadbalancers": "0", "services.nodeports": "0" } : {}),
        },
      },
    });

    const defaults = props.containerDefaults ?? DEFAULT_CONTAINER_DEFAULTS;
    new LimitRangeV1(this, "limits", {
      metadata: meta("container-defaults"),
      spec: {
        limit: [
          {
            type: "Container",
            defaultRequest: { cpu: defaults.defaultRequest.cpu, memory: defaults.defaultRequest.memory },
            default: { cpu: defaults.defaultLimit.cpu, memory: defaults.defaultLimit.memory },
            ...(defaults.max ? { max: { cpu: defaults.max.cpu, memory: defaults.max.memory } } : {}),
          },
        ],
      },
    });

    const policies: {
      id: string;
      name: string;
      types: string[];
      ingress?: NetworkPolicyV1SpecIngress[];
      egress?: NetworkPolicyV1SpecEgress[];
    }[] = [];
    // No rules: everything not allowed below is denied, both ways, for every pod of the namespace.
    policies.push({ id: "default-deny", name: "default-deny", types: ["Ingress", "Egress"] });
    policies.push({
      id: "allow-dns",
      name: "allow-dns",
      types: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.network.dnsNamespace ?? KUBE_SYSTEM_NAMESPACE } },
              podSelector: { matchLabels: { ...(props.network.dnsPodLabels ?? { "k8s-app": "kube-dns" }) } },
            },
          ],
          ports: [
            { port: "53", protocol: "UDP" },
            { port: "53", protocol: "TCP" },
          ],
        },
      ],
    });
    // The namespace's own pods, selected by its name label (explicit rather than an empty selector).
    const sameNamespace = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } };
    policies.push({
      id: "allow-same-namespace",
      name: "allow-same-namespace",
      types: ["Ingress", "Egress"],
      ingress: [{ from: [sameNamespace] }],
      egress: [{ to: [sameNamespace] }],
    });
    const ports = [...new Set(props.network.applicationPorts)]
      .sort((a, b) => a - b)
      .map((port) => ({ port: String(port), protocol: "TCP" }));
    if (ports.length > 0 && props.network.loadBalancerSourceCidrs.length > 0) {
      policies.push({
        id: "allow-load-balancer",
        name: "allow-load-balancer",
        types: ["Ingress"],
        ingress: [{ from: props.network.loadBalancerSourceCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports }],
      });
    }
    if (ports.length > 0) {
      policies.push({
        id: "allow-monitoring",
        name: "allow-monitoring",
        types: ["Ingress"],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.network.monitoringNamespace ?? "monitoring" } } }],
            ports,
          },
        ],
      });
    }
    const httpsCidrs = props.network.httpsEgressCidrs ?? ["0.0.0.0/0"];
    if (httpsCidrs.length > 0) {
      policies.push({
        id: "allow-https-egress",
        name: "allow-https-egress",
        types: ["Egress"],
        egress: [
          {
            to: httpsCidrs.map((cidr) => ({
              ipBlock: { cidr, ...(covers(cidr, METADATA_SERVICE) ? { except: [METADATA_SERVICE] } : {}) },
            })),
            ports: [{ port: "443", protocol: "TCP" }],
          },
        ],
      });
    }
    for (const policy of policies) {
      new NetworkPolicyV1(this, policy.id, {
        metadata: meta(policy.name),
        spec: {
          podSelector: {},
          policyTypes: policy.types,
          ...(policy.ingress ? { ingress: policy.ingress } : {}),
          ...(policy.egress ? { egress: policy.egress } : {}),
        },
      });
    }

    const role = new RoleV1(this, "editor-role", { metadata: meta("team-editor"), rule: editorRules(props.rbac.allowPodExec ?? false) });
    new RoleBindingV1(this, "editor-binding", {
      metadata: meta("team-editors"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subject: [{ kind: "Group", name: props.rbac.editorGroup, apiGroup: "rbac.authorization.k8s.io" }],
    });

    this.namespaceName = ns;
    this.roleName = "team-editor";
    this.networkPolicyNames = policies.map((p) => p.name);
  }
}

/**
 * Like the built-in `edit` role, minus what would let a team undo the platform's guard rails or reach
 * other teams' data: no Secrets (values come from ExternalSecrets), no writes to NetworkPolicies,
 * ResourceQuotas, LimitRanges or RBAC, ExternalSecrets read-only (the ClusterSecretStore reaches every
 * secret of the environment), and no exec/attach/port-forward unless asked for.
 */
export function editorRules(allowPodExec: boolean): RoleV1Rule[] {
  const rules: RoleV1Rule[] = [
    {
      apiGroups: [""],
      resources: ["configmaps", "persistentvolumeclaims", "pods", "services", "serviceaccounts"],
      verbs: [...READ, ...WRITE],
    },
    {
      apiGroups: [""],
      resources: ["endpoints", "events", "limitranges", "pods/log", "pods/status", "replicationcontrollers", "resourcequotas"],
      verbs: READ,
    },
    {
      apiGroups: ["apps"],
      resources: [
        "deployments",
        "deployments/scale",
        "replicasets",
        "replicasets/scale",
        "statefulsets",
        "statefulsets/scale",
        "daemonsets",
      ],
      verbs: [...READ, ...WRITE],
    },
    { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: [...READ, ...WRITE] },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: [...READ, ...WRITE] },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: [...READ, ...WRITE] },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: [...READ, ...WRITE] },
    { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: READ },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
    { apiGroups: ["monitoring.coreos.com"], resources: ["podmonitors", "prometheusrules", "servicemonitors"], verbs: [...READ, ...WRITE] },
    { apiGroups: ["external-secrets.io"], resources: ["externalsecrets"], verbs: READ },
    { apiGroups: ["metrics.k8s.io"], resources: ["pods"], verbs: READ },
  ];
  if (allowPodExec) {
    rules.push({ apiGroups: [""], resources: ["pods/attach", "pods/exec", "pods/portforward"], verbs: ["create", "get"] });
  }
  return rules;
}

/** True when IPv4 `outer` contains `inner` (both in CIDR notation). */
function covers(outer: string, inner: string): boolean {
  const parse = (cidr: string) => {
    const [address, bits] = cidr.split("/");
    const value = (address ?? "").split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
    return { value, bits: Number(bits) };
  };
  const o = parse(outer);
  const i = parse(inner);
  if (i.bits < o.bits) return false;
  const size = 2 ** (32 - o.bits);
  return Math.floor(o.value / size) === Math.floor(i.value / size);
}

function validate(props: TeamNamespaceProps): void {
  if (!DNS_LABEL.test(props.name))
    throw new ShipyardValidationError("name", `${props.name} is not a DNS label (expected a-z, 0-9 and '-')`);
  if (!DNS_LABEL.test(props.team))
    throw new ShipyardValidationError("team", `${props.team} is not a DNS label (expected a-z, 0-9 and '-')`);
  const level: string = props.podSecurityLevel ?? "restricted";
  if (level === "privileged") {
    throw new ShipyardValidationError(
      "podSecurityLevel",
      "privileged namespaces are refused (expected restricted, or baseline with podSecurityWaiverReason)",
    );
  }
  if (level !== "restricted" && level !== "baseline") {
    throw new ShipyardValidationError("podSecurityLevel", `unknown level ${level} (expected restricted or baseline)`);
  }
  if (level === "baseline" && !props.podSecurityWaiverReason?.trim()) {
    throw new ShipyardValidationError(
      "podSecurityWaiverReason",
      "baseline loosens the restricted Pod Security Standard (expected a stated reason)",
    );
  }
  for (const key of Object.keys(props.labels ?? {})) {
    if (key.startsWith("pod-security.kubernetes.io/")) {
      throw new ShipyardValidationError(`labels.${key}`, "Pod Security labels are set by podSecurityLevel (remove the label)");
    }
  }
  const q = props.quota;
  for (const key of ["requestsCpu", "limitsCpu"] as const) {
    if (cpuMillis(q[key]) === undefined)
      throw new ShipyardValidationError(`quota.${key}`, `${q[key]} is not a CPU quantity (expected e.g. 500m or 4)`);
  }
  for (const key of ["requestsMemory", "limitsMemory"] as const) {
    if (memoryBytes(q[key]) === undefined)
      throw new ShipyardValidationError(`quota.${key}`, `${q[key]} is not a memory quantity (expected e.g. 8Gi)`);
  }
  if (cpuMillis(q.requestsCpu)! > cpuMillis(q.limitsCpu)!) {
    throw new ShipyardValidationError(
      "quota.requestsCpu",
      `${q.requestsCpu} exceeds quota.limitsCpu ${q.limitsCpu} (expected requests <= limits)`,
    );
  }
  if (memoryBytes(q.requestsMemory)! > memoryBytes(q.limitsMemory)!) {
    throw new ShipyardValidationError(
      "quota.requestsMemory",
      `${q.requestsMemory} exceeds quota.limitsMemory ${q.limitsMemory} (expected requests <= limits)`,
    );
  }
  if (!Number.isInteger(q.pods) || q.pods < 1)
    throw new ShipyardValidationError("quota.pods", `expected a positive integer, got ${q.pods}`);

  const d = props.containerDefaults ?? DEFAULT_CONTAINER_DEFAULTS;
  checkResources("containerDefaults.defaultRequest", d.defaultRequest);
  checkResources("containerDefaults.defaultLimit", d.defaultLimit);
  if (
    cpuMillis(d.defaultRequest.cpu)! > cpuMillis(d.defaultLimit.cpu)! ||
    memoryBytes(d.defaultRequest.memory)! > memoryBytes(d.defaultLimit.memory)!
  ) {
    throw new ShipyardValidationError(
      "containerDefaults.defaultRequest",
      "exceeds containerDefaults.defaultLimit (expected requests <= limits)",
    );
  }
  if (d.max) {
    checkResources("containerDefaults.max", d.max);
    if (cpuMillis(d.defaultLimit.cpu)! > cpuMillis(d.max.cpu)! || memoryBytes(d.defaultLimit.memory)! > memoryBytes(d.max.memory)!) {
      throw new ShipyardValidationError("containerDefaults.defaultLimit", "exceeds containerDefaults.max (expected default limits <= max)");
    }
  }

  const net = props.network;
  net.applicationPorts.forEach((port, i) => {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ShipyardValidationError(`network.applicationPorts[${i}]`, `expected a TCP port 1-65535, got ${port}`);
    }
  });
  const cidrs: [string, readonly string[]][] = [
    ["network.loadBalancerSourceCidrs", net.loadBalancerSourceCidrs],
    ["network.httpsEgressCidrs", net.httpsEgressCidrs ?? []],
  ];
  for (const [path, list] of cidrs) {
    list.forEach((cidr, i) => {
      if (!/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(cidr)) throw new ShipyardValidationError(`${path}[${i}]`, `${cidr} is not an IPv4 CIDR`);
    });
  }
  net.loadBalancerSourceCidrs.forEach((cidr, i) => {
    if (cidr.endsWith("/0")) {
      throw new ShipyardValidationError(
        `network.loadBalancerSourceCidrs[${i}]`,
        `${cidr} opens the application ports to every address (expected the VPC CIDR)`,
      );
    }
  });
  if (!props.rbac.editorGroup.trim())
    throw new ShipyardValidationError("rbac.editorGroup", "expected the team's Kubernetes group, e.g. team-payments");
  if (props.rbac.editorGroup.startsWith("system:")) {
    throw new ShipyardValidationError(
      "rbac.editorGroup",
      `${props.rbac.editorGroup} is a Kubernetes system group (expected the team's own group)`,
    );
  }
}

function checkResources(path: string, r: ContainerResources): void {
  if (cpuMillis(r.cpu) === undefined)
    throw new ShipyardValidationError(`${path}.cpu`, `${r.cpu} is not a CPU quantity (expected e.g. 250m)`);
  if (memoryBytes(r.memory) === undefined)
    throw new ShipyardValidationError(`${path}.memory`, `${r.memory} is not a memory quantity (expected e.g. 256Mi)`);
}
