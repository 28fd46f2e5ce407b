/** CPU and memory of one container, as Kubernetes quantities (`250m`, `256Mi`). */
export interface ContainerResources {
  readonly cpu: string;
  readonly memory: string;
}

export interface NamespaceQuota {
  /** Sum of CPU requests of all pods (`requests.cpu`). */
  readonly requestsCpu: string;
  /** Sum of memory requests of all pods (`requests.memory`). */
  readonly requestsMemory: string;
  /** Sum of CPU limits of all pods (`limits.cpu`). */
  readonly limitsCpu: string;
  /** Sum of memory limits of all pods (`limits.memory`). */
  readonly limitsMemory: string;
  /** Number of pods in a non-terminal state. */
  readonly pods: number;
  /** Sum of storage requested by PersistentVolumeClaims (`requests.storage`). @default "100Gi" */
  readonly requestsStorage?: string;
  /** Number of PersistentVolumeClaims. @default 10 */
  readonly persistentVolumeClaims?: number;
  /**
   * StorageClasses the namespace may not use (quota 0 claims): the platform's Retain class, so a team's deleted
   * claims never leave volumes behind. @default []
   */
  readonly forbiddenStorageClasses?: readonly string[];
}

export interface ContainerDefaults {
  /** Requests given to a container that declares none. */
  readonly defaultRequest: ContainerResources;
  /** Limits given to a container that declares none. */
  readonly defaultLimit: ContainerResources;
  /** Largest limits one container may declare. @default none (the quota bounds the namespace) */
  readonly max?: ContainerResources;
}

/** @default request 100m / 128Mi, limit 500m / 512Mi: a pod without resources stays bounded and counted. */
export const DEFAULT_CONTAINER_DEFAULTS: ContainerDefaults = {
  defaultRequest: { cpu: "100m", memory: "128Mi" },
  defaultLimit: { cpu: "500m", memory: "512Mi" },
};

export interface TeamNamespaceNetwork {
  /**
   * Sources of load balancer traffic. The ALB controller registers pod IPs (`target-type: ip`), so the
   * packets come from the ALB's addresses: pass the CIDRs of the subnets the load balancers live in (and
   * nothing else: the VPC CIDR would admit every pod and node of the cluster).
   */
  readonly loadBalancerSourceCidrs: readonly string[];
  /**
   * Container ports the load balancer and Prometheus may reach (the applications' ports in this
   * namespace). Empty: no load balancer or scrape rule is created (an empty port list in a
   * NetworkPolicy would mean every port).
   */
  readonly applicationPorts: readonly number[];
  /** Namespace of Prometheus (kube-prometheus-stack), allowed to scrape the application ports. @default "monitoring" */
  readonly monitoringNamespace?: string;
  /** Namespace of CoreDNS. @default "kube-system" */
  readonly dnsNamespace?: string;
  /** Labels of the CoreDNS pods. @default { "k8s-app": "kube-dns" } (EKS CoreDNS add-on) */
  readonly dnsPodLabels?: Readonly<Record<string, string>>;
  /**
   * Destinations of outbound HTTPS (TCP 443): AWS APIs through VPC interface endpoints (inside the VPC)
   * or their public endpoints through NAT (outside it). NetworkPolicy cannot filter by DNS name, so the
   * default is every address but the instance metadata service. `[]` turns outbound HTTPS off.
   * @default ["0.0.0.0/0"] except 169.254.169.254/32
   */
  readonly httpsEgressCidrs?: readonly string[];
}

export interface TeamNamespaceRbac {
  /**
   * Kubernetes group of the team's editors; the cluster's access entries put the team's principals in
   * it (`team-<team>`). Bound to an edit-like Role in this namespace.
   */
  readonly editorGroup: string;
  /**
   * Lets editors exec into, attach to and port-forward to pods. It reaches the pods' secrets and
   * network position, so it is off by default.
   * @default false
   */
  readonly allowPodExec?: boolean;
}

export interface TeamNamespaceProps {
  /** Namespace name (a DNS label). */
  readonly name: string;
  /** Owning team; labels the namespace `shipyard.io/team`. */
  readonly team: string;
  /** Extra namespace labels (e.g. `shipyard.io/environment`). The Pod Security labels cannot be overridden. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Pod Security Standard enforced, audited and warned on. `privileged` is refused; `baseline` is a
   * loosening that needs `podSecurityWaiverReason`.
   * @default "restricted"
   */
  readonly podSecurityLevel?: "restricted" | "baseline";
  /** Why this namespace runs below `restricted`; required for `baseline`. @default none */
  readonly podSecurityWaiverReason?: string;
  /** Version of the Pod Security Standard, e.g. `v1.33` (pin to the cluster's minor). @default "latest" */
  readonly podSecurityVersion?: string;
  /** ResourceQuota of each namespace. */
  readonly quota: NamespaceQuota;
  /**
   * Allows Services of type LoadBalancer and NodePort. Off: traffic enters through the ALB Ingress only
   * (`services.loadbalancers` and `services.nodeports` quota 0).
   * @default false
   */
  readonly allowLoadBalancerServices?: boolean;
  /** LimitRange for containers that declare no resources. @default {@link DEFAULT_CONTAINER_DEFAULTS} */
  readonly containerDefaults?: ContainerDefaults;
  /** NetworkPolicy settings (default deny and what is allowed in). */
  readonly network: TeamNamespaceNetwork;
  /** RBAC: the access-entry groups bound in each namespace. */
  readonly rbac: TeamNamespaceRbac;
  /**
   * Labels the namespace `elbv2.k8s.aws/pod-readiness-gate-inject: enabled`, so a rolling update waits
   * until the ALB reports new pods healthy before old ones go.
   * @default true
   */
  readonly albReadinessGate?: boolean;
}
