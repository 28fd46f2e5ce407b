/** CPU and memory as Kubernetes quantities (`250m`, `256Mi`). */
export interface Quantities {
  readonly cpu: string;
  readonly memory: string;
}

export interface WorkloadResources {
  readonly requests: Quantities;
  readonly limits: Quantities;
}

export interface WorkloadImage {
  /** Registry and repository without tag, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shipyard/sample-app`. */
  readonly repositoryUrl: string;
  /**
   * The tag, usually a Terraform variable set at deploy time (`${var.image_tag_<app>}`), so the
   * synthesized JSON does not change with every build. A literal `latest` is refused.
   */
  readonly tag: string;
}

export interface WorkloadProbes {
  /** Liveness (and, unless `startupPath` is given, startup) probe path, e.g. `/healthz`. */
  readonly livenessPath: string;
  /** Readiness probe path, also the ALB health check path, e.g. `/readyz`. */
  readonly readinessPath: string;
  /** Startup probe path. @default livenessPath */
  readonly startupPath?: string;
  /**
   * Longest time the container may take to start before the kubelet restarts it
   * (startup probe every 5 s, this many seconds in all).
   * @default 120
   */
  readonly startupSeconds?: number;
}

export interface WorkloadReplicas {
  /** HPA minimum, and the Deployment's replicas when first created. A PodDisruptionBudget exists when it is 2 or more. */
  readonly min: number;
  /** HPA maximum. */
  readonly max: number;
  /** @default 70 */
  readonly targetCpuPercent?: number;
  /** @default 80 */
  readonly targetMemoryPercent?: number;
}

/** A Secrets Manager secret read through External Secrets. */
export interface WorkloadSecret {
  /** Short name, e.g. `sample-app-api`; prefixes the keys in the Kubernetes Secret (`<name>-<key>`). */
  readonly name: string;
  /** Secrets Manager secret name (or ARN), e.g. `shipyard/prod/sample-app-api`. */
  readonly remoteKey: string;
  /** JSON keys of the secret value; each becomes an environment variable `<NAME>_<KEY>` in upper snake case. */
  readonly keys: readonly string[];
}

export interface WorkloadIngress {
  readonly host: string;
  readonly scheme: "internal" | "internet-facing";
  /** ACM certificate for the HTTPS listener. Required unless `allowPlainHttp` (internal only). */
  readonly certificateArn?: string;
  /** @default "/" */
  readonly path?: string;
  /**
   * IngressClass of the team and scheme (e.g. `alb-payments-public`): its IngressClassParams fix the IngressGroup,
   * the scheme and the subnets, and admit only the team's namespaces.
   */
  readonly className: string;
  /** @default "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.2 and 1.3 only) */
  readonly sslPolicy?: string;
  /**
   * An internal ingress without a certificate listens on HTTP 80 only. Refused for internet-facing.
   * @default false
   */
  readonly allowPlainHttp?: boolean;
}

export interface WorkloadMetrics {
  /** @default "/metrics" */
  readonly path?: string;
  /** Scrape interval. @default "30s" */
  readonly interval?: string;
  /**
   * Labels Prometheus selects ServiceMonitors by (kube-prometheus-stack: `release: <release name>`, unless
   * its `serviceMonitorSelectorNilUsesHelmValues` is false).
   * @default { release: "kube-prometheus-stack" }
   */
  readonly serviceMonitorLabels?: Readonly<Record<string, string>>;
}

/**
 * Settings that would loosen the container's security context. Privileged mode, privilege escalation,
 * running as root and added capabilities beyond NET_BIND_SERVICE are refused outright (they break the
 * namespace's `restricted` Pod Security Standard); a writable root filesystem needs a stated reason.
 */
export interface WorkloadSecurity {
  /** @default 10001 (the sample image's user); 0 is refused */
  readonly runAsUser?: number;
  /** @default same as runAsUser */
  readonly runAsGroup?: number;
  /** Refused when true. @default false */
  readonly privileged?: boolean;
  /** Refused when true. @default false */
  readonly allowPrivilegeEscalation?: boolean;
  /** Only NET_BIND_SERVICE is accepted. @default [] */
  readonly addCapabilities?: readonly string[];
  /** @default true; false needs `waiverReason` */
  readonly readOnlyRootFilesystem?: boolean;
  /** Why a default above is loosened. @default none */
  readonly waiverReason?: string;
}

export interface WorkloadServiceAccount {
  /** IAM role for IRSA (`eks.amazonaws.com/role-arn`). @default none */
  readonly roleArn?: string;
  /**
   * Mounts a Kubernetes API token into the pods. Only for applications that call the Kubernetes API
   * (IRSA and Pod Identity inject their own token and do not need it).
   * @default false
   */
  readonly automountToken?: boolean;
}

export interface WorkloadProps {
  /** Application name (DNS label); names every object. */
  readonly name: string;
  /** Namespace; must exist (created by the platform layer's team namespaces). */
  readonly namespace: string;
  /** Owning team, as the `shipyard.io/team` label. @default none */
  readonly team?: string;
  /** Environment name, as the `shipyard.io/environment` label (matches the Ansible app_config role). @default none */
  readonly environment?: string;
  /** Container image (the tag is a Terraform variable set at deploy time). */
  readonly image: WorkloadImage;
  /** Container port (1024-65535: the container runs as non-root without capabilities). */
  readonly port: number;
  /** Replica range; the HPA scales between them. */
  readonly replicas: WorkloadReplicas;
  /**
   * Requests and limits. Without them the namespace's LimitRange defaults apply, unless
   * `requireResources` refuses that.
   * @default none
   */
  readonly resources?: WorkloadResources;
  /** Refuse a workload without `resources` (prod). @default false */
  readonly requireResources?: boolean;
  /** Liveness and readiness probes. */
  readonly probes: WorkloadProbes;
  /**
   * Seconds between SIGTERM and SIGKILL: the application's drain budget. The pod's
   * `terminationGracePeriodSeconds` is this plus `preStopSleepSeconds`, because the kubelet counts the
   * preStop hook against the grace period.
   * @default 30
   */
  readonly terminationGraceSeconds?: number;
  /**
   * preStop `sleep`: the container keeps serving while the ALB deregisters the pod and kube-proxy drops
   * it from the Service, before SIGTERM arrives. Runs `sleep` in the container: the image needs it (a
   * distroless image does not have it; set 0 and delay in the application instead).
   * @default 10
   */
  readonly preStopSleepSeconds?: number;
  /** Non-secret settings: a ConfigMap `<name>-config`, exposed with `envFrom`. @default {} */
  readonly config?: Readonly<Record<string, string>>;
  /** Secrets: one ExternalSecret `<name>-secrets` that writes the Secret `<name>-secrets`. @default [] */
  readonly secrets?: readonly WorkloadSecret[];
  /**
   * Secret store the ExternalSecret reads from.
   * @default CLUSTER_SECRET_STORE_REF (the store of the External Secrets module)
   */
  readonly secretStore?: { readonly kind: "ClusterSecretStore" | "SecretStore"; readonly name: string };
  /**
   * API version of ExternalSecret. `external-secrets.io/v1` is served from External Secrets 0.16 on;
   * 0.17 stopped serving v1beta1.
   * @default EXTERNAL_SECRETS_API_VERSION (the version the External Secrets module serves)
   */
  readonly externalSecretsApiVersion?: "external-secrets.io/v1" | "external-secrets.io/v1beta1";
  /** How often External Secrets re-reads the secret. @default "1h" */
  readonly secretRefreshInterval?: string;
  /** @default none (no Ingress: reachable inside the cluster only) */
  readonly ingress?: WorkloadIngress;
  /** ServiceMonitor settings. @default path /metrics, 30 s, `release: kube-prometheus-stack` */
  readonly metrics?: WorkloadMetrics;
  /** Container security context. @default non-root (10001), read-only root filesystem, no privilege escalation, no added capabilities */
  readonly security?: WorkloadSecurity;
  /** Service account of the pods. @default no IAM role, no mounted API token */
  readonly serviceAccount?: WorkloadServiceAccount;
  /**
   * What happens when pods cannot be spread evenly over zones. `DoNotSchedule` keeps a zone outage from
   * taking more than its share; `ScheduleAnyway` suits small clusters. Hosts are always `ScheduleAnyway`.
   * @default "DoNotSchedule"
   */
  readonly zoneSpread?: "DoNotSchedule" | "ScheduleAnyway";
  /** Size of the `/tmp` emptyDir (the root filesystem is read-only). @default "64Mi" */
  readonly tmpSizeLimit?: string;
}
