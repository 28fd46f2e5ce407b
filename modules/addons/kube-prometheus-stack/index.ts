import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { KUBE_SYSTEM_NAMESPACE, PLATFORM_TEAM, ShipyardValidationError } from "../../core";
import {
  addonRelease,
  assertChart,
  DNS_LABEL,
  IAM_ROLE_ARN,
  IRSA_ANNOTATION,
  mergeValues,
  requirePattern,
  systemAffinity,
  systemTolerations,
  type Affinity,
  type ChartRef,
  type DeepPartial,
  type ResourceRequirements,
  type SystemPlacement,
  type Toleration,
  type TopologySpreadConstraint,
  kubectlImageTag,
  TOLERATE_EVERYTHING,
} from "../release";
import { EXTERNAL_SECRETS_SERVICE_ACCOUNT } from "../external-secrets/service-account";
import { VELERO_SERVICE_ACCOUNT } from "../velero/service-account";
import { ALERTMANAGER_SERVICE_ACCOUNT, MONITORING_NAMESPACE, MONITORING_RELEASE } from "./service-account";

export * from "./service-account";

/** prometheus-community/kube-prometheus-stack (Prometheus Operator v0.93.1); upstream files in ../shared/charts/kube-prometheus-stack-<version>/. */
export const KUBE_PROMETHEUS_STACK_CHART: ChartRef = {
  repository: "https://prometheus-community.github.io/helm-charts",
  chart: "kube-prometheus-stack",
  version: "88.5.3",
};

/** Label node-exporter series carry with the Kubernetes node name (the `node` label of kube-state-metrics). */
export const NODE_EXPORTER_NODE_LABEL = "node";

/** The label/annotation the Grafana dashboards sidecar (and the Ansible `grafana_dashboards` role) use. */
export const GRAFANA_DASHBOARD_LABEL = "grafana_dashboard";
export const GRAFANA_DASHBOARD_LABEL_VALUE = "1";
export const GRAFANA_FOLDER_ANNOTATION = "grafana_folder";

/**
 * Node labels kube-state-metrics exports on `kube_node_labels` (as `label_<name>`): the capacity dashboard
 * groups nodes by node group and capacity type (spot share).
 */
export const NODE_LABELS_ALLOWLIST = ["eks.amazonaws.com/nodegroup", "eks.amazonaws.com/capacityType"] as const;

/**
 * The chart's default alerts that a Shipyard platform alert (modules/monitoring) replaces, by the chart's alert
 * name → Shipyard's. Only these are switched off (`defaultRules.disabled`); every other default rule stays, so
 * the chart's dashboards keep their recording rules and KubeletDown, KubeAPIErrorBudgetBurn, quota and job
 * alerts keep firing. With both, the same condition would notify twice with different labels.
 */
export const DEFAULT_RULES_REPLACED_BY_SHIPYARD: Readonly<Record<string, readonly string[]>> = Object.freeze({
  Watchdog: ["Watchdog"],
  TargetDown: ["TargetDown"],
  KubePodCrashLooping: ["KubePodCrashLooping"],
  KubeDeploymentReplicasMismatch: ["KubeDeploymentReplicasUnavailable"],
  KubeHpaMaxedOut: ["KubeHpaMaxedOut"],
  KubePersistentVolumeFillingUp: ["KubePersistentVolumeFillingUp"],
  KubeNodeNotReady: ["KubeNodeNotReady"],
  KubeNodePressure: ["KubeNodeMemoryPressure", "KubeNodeDiskPressure"],
  NodeFilesystemAlmostOutOfSpace: ["NodeFilesystemAlmostFull"],
  PrometheusRuleFailures: ["PrometheusRuleEvaluationFailures"],
  PrometheusBadConfig: ["PrometheusConfigReloadFailed"],
  PrometheusNotConnectedToAlertmanagers: ["PrometheusNotConnectedToAlertmanagers"],
  AlertmanagerFailedReload: ["AlertmanagerConfigReloadFailed"],
  AlertmanagerFailedToSendAlerts: ["AlertmanagerNotificationsFailing"],
});

/**
 * Default rule groups about components EKS runs out of reach (control plane, etcd) or does not expose
 * (kube-proxy metrics listen on localhost), and Windows nodes Shipyard never runs: their alerts would only
 * ever say "down". Their ServiceMonitors are off too.
 */
export const DEFAULT_RULE_GROUPS_OFF_ON_EKS = [
  "etcd",
  "kubeControllerManager",
  "kubeSchedulerAlerting",
  "kubeSchedulerRecording",
  "kubeProxy",
  "windows",
] as const;

/** Namespaces of platform objects exempt from the namespace label enforcement (cluster-wide monitors and rules). */
export const PLATFORM_MONITORING_NAMESPACES = [
  MONITORING_NAMESPACE,
  KUBE_SYSTEM_NAMESPACE,
  VELERO_SERVICE_ACCOUNT.namespace,
  EXTERNAL_SECRETS_SERVICE_ACCOUNT.namespace,
] as const;

interface ObjectReference {
  readonly group: "monitoring.coreos.com";
  readonly resource: "servicemonitors" | "podmonitors" | "probes" | "prometheusrules";
  readonly namespace: string;
}

/** A Prometheus rule group as the Prometheus Operator's PrometheusRule takes it. */
export interface PrometheusRuleGroup {
  readonly name: string;
  readonly interval?: string;
  /** Recording (`record`, `expr`) and alerting (`alert`, `expr`, `for`, `labels`, `annotations`) rules. */
  readonly rules: readonly object[];
}

interface PersistentVolumeClaimTemplate {
  readonly spec: {
    readonly storageClassName: string;
    readonly accessModes: readonly ["ReadWriteOnce"];
    readonly resources: { readonly requests: { readonly storage: string } };
  };
}

/** The subset of the chart's values Shipyard sets (key paths checked against the vendored values.yaml). */
/**
 * busybox of the CRD upgrade job (it copies kubectl into the job's pod); the chart defaults to `latest`.
 * kubectl itself comes from registry.k8s.io, pinned per cluster minor (`KUBECTL_IMAGE_TAGS`).
 */
export const CRD_UPGRADE_BUSYBOX_TAG = "1.37.0";

export interface KubePrometheusStackValues {
  /**
   * Helm installs a chart's `crds/` once and never upgrades them: the chart's upgrade job applies the
   * Prometheus Operator CRDs of the new release (server-side, taking ownership) before the operator rolls.
   */
  readonly crds: {
    readonly enabled: boolean;
    readonly upgradeJob: {
      readonly enabled: boolean;
      readonly forceConflicts: boolean;
      readonly image: { readonly busybox: { readonly tag: string }; readonly kubectl: { readonly tag: string } };
      readonly tolerations: readonly Toleration[];
      readonly affinity: Affinity;
    };
  };
  /** The chart's rules, minus the alerts Shipyard replaces (by name) and the groups about what EKS hides. */
  readonly defaultRules: {
    readonly create: boolean;
    readonly rules: Record<string, boolean>;
    readonly disabled: Record<string, boolean>;
    /** `team: platform`: the chart's alerts go to the platform team, like Shipyard's cluster alerts. */
    readonly additionalRuleLabels: Record<string, string>;
  };
  readonly kubeControllerManager: { readonly enabled: boolean };
  readonly kubeScheduler: { readonly enabled: boolean };
  readonly kubeEtcd: { readonly enabled: boolean };
  readonly kubeProxy: { readonly enabled: boolean };
  readonly additionalPrometheusRulesMap: Record<string, { readonly groups: readonly PrometheusRuleGroup[] }>;
  readonly prometheusOperator: {
    readonly tolerations: readonly Toleration[];
    readonly affinity: Affinity;
    readonly admissionWebhooks: { readonly patch: { readonly tolerations: readonly Toleration[] } };
  };
  readonly prometheus: {
    readonly prometheusSpec: {
      readonly replicas: number;
      readonly retention: string;
      readonly resources: ResourceRequirements;
      readonly storageSpec: { readonly volumeClaimTemplate: PersistentVolumeClaimTemplate };
      /** false: select ServiceMonitors/PodMonitors/Probes/PrometheusRules of every release, not only this one. */
      readonly serviceMonitorSelectorNilUsesHelmValues: boolean;
      readonly podMonitorSelectorNilUsesHelmValues: boolean;
      readonly probeSelectorNilUsesHelmValues: boolean;
      readonly ruleSelectorNilUsesHelmValues: boolean;
      readonly scrapeConfigSelectorNilUsesHelmValues: boolean;
      /** `{}`: every namespace. */
      readonly serviceMonitorNamespaceSelector: Record<string, never>;
      readonly podMonitorNamespaceSelector: Record<string, never>;
      readonly ruleNamespaceSelector: Record<string, never>;
      readonly externalLabels: Record<string, string>;
      /**
       * The default scrape class labels every scraped series `cluster=<name>` at ingestion. External labels only
       * reach what leaves Prometheus (alerts, remote write), so without it local queries and the dashboards'
       * `$cluster` variable see no cluster at all.
       */
      readonly scrapeClasses: readonly { readonly name: string; readonly default: boolean; readonly relabelings: readonly object[] }[];
      readonly tolerations: readonly Toleration[];
      readonly affinity: Affinity;
      /** "hard" with two or more replicas: never two on one node. */
      readonly podAntiAffinity: "" | "soft" | "hard";
      readonly topologySpreadConstraints: readonly TopologySpreadConstraint[];
      /**
       * Guard rails for team objects: every series and alert of a ServiceMonitor, PodMonitor or PrometheusRule
       * outside the platform namespaces carries `namespace=<its namespace>`, and a team rule's selectors only
       * see its own namespace. (File access and honor_labels are refused for team objects by the
       * admission policy of modules/team-namespace, which leaves the chart's own kubelet monitors alone.)
       */
      readonly enforcedNamespaceLabel: string;
      readonly excludedFromEnforcement: readonly ObjectReference[];
    };
    readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable?: number };
  };
  readonly alertmanager: {
    readonly serviceAccount: { readonly create: boolean; readonly name: string; readonly annotations: Record<string, string> };
    readonly config: unknown;
    readonly alertmanagerSpec: {
      readonly replicas: number;
      /** Kubernetes Secrets mounted at /etc/alertmanager/secrets/<name>/<key>: the only source of credentials. */
      readonly secrets: readonly string[];
      readonly storage: { readonly volumeClaimTemplate: PersistentVolumeClaimTemplate };
      readonly resources: ResourceRequirements;
      readonly tolerations: readonly Toleration[];
      readonly affinity: Affinity;
      readonly podAntiAffinity: "" | "soft" | "hard";
      readonly topologySpreadConstraints: readonly TopologySpreadConstraint[];
    };
    readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable?: number };
  };
  readonly grafana: {
    readonly admin: { readonly existingSecret: string; readonly userKey: string; readonly passwordKey: string };
    readonly persistence: {
      readonly enabled: boolean;
      readonly type: "pvc";
      readonly storageClassName: string;
      readonly accessModes: readonly ["ReadWriteOnce"];
      readonly size: string;
    };
    /** A ReadWriteOnce volume cannot attach to the new pod while the old one holds it. */
    readonly deploymentStrategy: { readonly type: "Recreate" };
    readonly sidecar: {
      readonly dashboards: {
        readonly enabled: boolean;
        readonly label: string;
        readonly labelValue: string;
        readonly folderAnnotation: string;
        readonly searchNamespace: "ALL";
        readonly provider: { readonly foldersFromFilesStructure: boolean };
      };
    };
    readonly tolerations: readonly Toleration[];
    readonly affinity: Affinity;
  };
  readonly "kube-state-metrics": {
    /** `nodes=[label,…]`: node labels exported on kube_node_labels. */
    readonly metricLabelsAllowlist: readonly string[];
    readonly tolerations: readonly Toleration[];
    readonly affinity: Affinity;
  };
  readonly "prometheus-node-exporter": {
    /** Every node, whatever its taints (spot and system groups included). */
    readonly tolerations: readonly Toleration[];
    /**
     * `node` = the Kubernetes node name of the exporter's pod: node-exporter's `instance` is `<host IP>:9100`,
     * so without it no series joins kube-state-metrics' `node` (the nodes dashboard filters on it).
     */
    readonly prometheus: { readonly monitor: { readonly relabelings: readonly object[] } };
  };
}

export interface KubePrometheusStackProps {
  /**
   * Namespace of the release; must already exist (ExternalSecrets put the credentials there first).
   * @default MONITORING_NAMESPACE (the namespace the Alertmanager IRSA role trusts)
   */
  readonly namespace?: string;
  /** Value of the `cluster` external label on every series and alert. */
  readonly clusterName: string;
  /** The cluster's Kubernetes minor (e.g. `1.36`): picks the kubectl image of the CRD upgrade job. */
  readonly kubernetesVersion: string;
  /** StorageClass of the Prometheus, Alertmanager and Grafana volumes (the encrypted gp3 class). */
  readonly storageClassName: string;
  /** Prometheus sizing (per tier, from config). */
  readonly prometheus: {
    /** 1-3; 2 or more in prod. */
    readonly replicas: number;
    /** How long samples are kept, in days. */
    readonly retentionDays: number;
    /** Size of each replica's volume, in GiB (at least 10). */
    readonly storageGiB: number;
    /** Request and limit (Prometheus is memory-bound; a limit equal to the request avoids noisy eviction). */
    readonly cpu: string;
    /** Memory request and limit (equal, so the pod is not evicted for exceeding its request). */
    readonly memory: string;
  };
  /** Alertmanager: its IRSA role, configuration and mounted credentials. */
  readonly alertmanager: {
    /** @default the Prometheus replica count */
    readonly replicas?: number;
    /** Name of the Alertmanager service account; the IRSA role trusts exactly this one. @default ALERTMANAGER_SERVICE_ACCOUNT.serviceAccount */
    readonly serviceAccountName?: string;
    /** IRSA role that may publish to the alerts SNS topic. */
    readonly roleArn: string;
    /** The Alertmanager configuration (routes, receivers); credentials only as `*_file` paths. */
    readonly config: unknown;
    /** Kubernetes Secrets (synced by External Secrets) mounted as files; every `*_file` path points into one. */
    readonly secrets: readonly string[];
    /** @default 2 */
    readonly storageGiB?: number;
  };
  /** Grafana: admin login from an existing Secret, persistent storage. */
  readonly grafana: {
    /** Kubernetes Secret (synced from Secrets Manager) with `admin-user` and `admin-password`. */
    readonly adminExistingSecret: string;
    /** Size of Grafana's volume, in GiB. */
    readonly storageGiB: number;
  };
  /** Extra rule groups (SLO burn rates, cluster and capacity alerts). @default none */
  readonly ruleGroups?: readonly PrometheusRuleGroup[];
  /** System add-on placement (toleration of CriticalAddonsOnly, preference for the system group). @default the toleration only */
  readonly placement?: SystemPlacement;
  /** @default KUBE_PROMETHEUS_STACK_CHART */
  readonly chart?: ChartRef;
  /** @default 900 */
  readonly timeoutSeconds?: number;
  /** Typed overrides merged last; an admin password literal is refused. @default none */
  readonly extraValues?: DeepPartial<KubePrometheusStackValues>;
  /** Releases and resources that must exist first (External Secrets and its secrets, the StorageClass). @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

const PASSWORD_KEYS = ["adminPassword", "password"];

/**
 * kube-prometheus-stack: Prometheus Operator and its CRDs, Prometheus on encrypted gp3 storage selecting
 * monitors and rules from every namespace, Alertmanager reading credentials only from mounted Secrets and
 * publishing to SNS through its IRSA role, Grafana with its admin login from an existing Secret and the
 * dashboards sidecar, node-exporter and kube-state-metrics (with the node-group labels).
 */
export class KubePrometheusStack extends Construct {
  public readonly release: Release;
  public readonly values: KubePrometheusStackValues;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: KubePrometheusStackProps) {
    super(scope, id);
    const chart = props.chart ?? KUBE_PROMETHEUS_STACK_CHART;
    assertChart("kubePrometheusStack.chart", chart);
    validate(props);
    this.namespace = props.namespace ?? MONITORING_NAMESPACE;
    const tolerations = systemTolerations();
    const affinity = systemAffinity(props.placement);
    const p = props.prometheus;
    const pvc = (size: number): PersistentVolumeClaimTemplate => ({
      spec: { storageClassName: props.storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${size}Gi` } } },
    });
    const everywhere = {} as Record<string, never>;
    const alertmanagerReplicas = props.alertmanager.replicas ?? p.replicas;
    const base: KubePrometheusStackValues = {
      crds: {
        enabled: true,
        upgradeJob: {
          enabled: true,
          forceConflicts: true,
          image: {
            busybox: { tag: CRD_UPGRADE_BUSYBOX_TAG },
            kubectl: { tag: kubectlImageTag("kubePrometheusStack.kubernetesVersion", props.kubernetesVersion) },
          },
          tolerations,
          affinity,
        },
      },
      defaultRules: {
        create: true,
        rules: Object.fromEntries(DEFAULT_RULE_GROUPS_OFF_ON_EKS.map((g) => [g, false])),
        disabled: Object.fromEntries(Object.keys(DEFAULT_RULES_REPLACED_BY_SHIPYARD).map((a) => [a, true])),
        additionalRuleLabels: { team: PLATFORM_TEAM },
      },
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
      additionalPrometheusRulesMap:
        props.ruleGroups && props.ruleGroups.length > 0 ? { "shipyard-rules": { groups: props.ruleGroups } } : {},
      prometheusOperator: { tolerations, affinity, admissionWebhooks: { patch: { tolerations } } },
      prometheus: {
        prometheusSpec: {
          replicas: p.replicas,
          retention: `${p.retentionDays}d`,
          resources: { requests: { cpu: p.cpu, memory: p.memory }, limits: { memory: p.memory } },
          storageSpec: { volumeClaimTemplate: pvc(p.storageGiB) },
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          scrapeConfigSelectorNilUsesHelmValues: false,
          serviceMonitorNamespaceSelector: everywhere,
          podMonitorNamespaceSelector: everywhere,
          ruleNamespaceSelector: everywhere,
          externalLabels: { cluster: props.clusterName },
          scrapeClasses: [
            {
              name: "shipyard-cluster",
              default: true,
              relabelings: [{ action: "replace", targetLabel: "cluster", replacement: props.clusterName }],
            },
          ],
          tolerations,
          affinity,
          podAntiAffinity: p.replicas > 1 ? "hard" : "soft",
          topologySpreadConstraints: zoneSpread(p.replicas, { "app.kubernetes.io/name": "prometheus" }),
          enforcedNamespaceLabel: "namespace",
          excludedFromEnforcement: PLATFORM_MONITORING_NAMESPACES.flatMap((namespace) =>
            (["servicemonitors", "podmonitors", "probes", "prometheusrules"] as const).map((resource) => ({
              group: "monitoring.coreos.com" as const,
              resource,
              namespace,
            })),
          ),
        },
        podDisruptionBudget: p.replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
      },
      alertmanager: {
        serviceAccount: {
          create: true,
          name: props.alertmanager.serviceAccountName ?? ALERTMANAGER_SERVICE_ACCOUNT.serviceAccount,
          annotations: { [IRSA_ANNOTATION]: props.alertmanager.roleArn },
        },
        config: props.alertmanager.config,
        alertmanagerSpec: {
          replicas: alertmanagerReplicas,
          secrets: [...props.alertmanager.secrets],
          storage: { volumeClaimTemplate: pvc(props.alertmanager.storageGiB ?? 2) },
          resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
          tolerations,
          affinity,
          podAntiAffinity: alertmanagerReplicas > 1 ? "hard" : "soft",
          topologySpreadConstraints: zoneSpread(alertmanagerReplicas, { "app.kubernetes.io/name": "alertmanager" }),
        },
        podDisruptionBudget: alertmanagerReplicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
      },
      grafana: {
        admin: { existingSecret: props.grafana.adminExistingSecret, userKey: "admin-user", passwordKey: "admin-password" },
        persistence: {
          enabled: true,
          type: "pvc",
          storageClassName: props.storageClassName,
          accessModes: ["ReadWriteOnce"],
          size: `${props.grafana.storageGiB}Gi`,
        },
        deploymentStrategy: { type: "Recreate" },
        sidecar: {
          dashboards: {
            enabled: true,
            label: GRAFANA_DASHBOARD_LABEL,
            labelValue: GRAFANA_DASHBOARD_LABEL_VALUE,
            folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
            searchNamespace: "ALL",
            provider: { foldersFromFilesStructure: true },
          },
        },
        tolerations,
        affinity,
      },
      "kube-state-metrics": {
        metricLabelsAllowlist: [`nodes=[${NODE_LABELS_ALLOWLIST.join(",")}]`],
        tolerations,
        affinity,
      },
      "prometheus-node-exporter": {
        tolerations: [TOLERATE_EVERYTHING],
        prometheus: {
          monitor: {
            relabelings: [{ action: "replace", sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: NODE_EXPORTER_NODE_LABEL }],
          },
        },
      },
    };
    refuseLiteralPasswords(props.extraValues);
    this.values = mergeValues(base, props.extraValues);
    this.release = addonRelease(this, "release", chart, {
      name: MONITORING_RELEASE,
      namespace: this.namespace,
      createNamespace: false,
      timeoutSeconds: props.timeoutSeconds ?? 900,
      values: this.values,
      dependsOn: props.dependsOn,
    });
  }
}

function validate(props: KubePrometheusStackProps): void {
  const p = props.prometheus;
  if (!Number.isInteger(p.replicas) || p.replicas < 1 || p.replicas > 3) {
    throw new ShipyardValidationError("prometheus.replicas", `${p.replicas} is outside 1-3`);
  }
  if (!Number.isInteger(p.retentionDays) || p.retentionDays < 1)
    throw new ShipyardValidationError("prometheus.retentionDays", "a positive whole number of days");
  if (!Number.isInteger(p.storageGiB) || p.storageGiB < 10) throw new ShipyardValidationError("prometheus.storageGiB", "at least 10");
  requirePattern(
    "grafana.adminExistingSecret",
    props.grafana.adminExistingSecret,
    DNS_LABEL,
    "the name of an existing Kubernetes Secret (a DNS label), never a password",
  );
  requirePattern("alertmanager.roleArn", props.alertmanager.roleArn, IAM_ROLE_ARN, "an IAM role ARN");
  requirePattern("storageClassName", props.storageClassName, DNS_LABEL, "a StorageClass name");
  props.alertmanager.secrets.forEach((s, i) => requirePattern(`alertmanager.secrets[${i}]`, s, DNS_LABEL, "a Kubernetes Secret name"));
  if (props.alertmanager.config === undefined || props.alertmanager.config === null) {
    throw new ShipyardValidationError(
      "alertmanager.config",
      "required (expected the Alertmanager configuration from the monitoring module)",
    );
  }
  const literal = findLiteralCredential(props.alertmanager.config, "alertmanager.config");
  if (literal) {
    throw new ShipyardValidationError(
      literal,
      "a credential literal in the Alertmanager config is refused (use the matching *_file key pointing into a mounted Secret)",
    );
  }
}

/** Alertmanager keys that carry a credential inline; each has a `*_file` twin that reads a mounted file. */
const INLINE_CREDENTIAL_KEYS = new Set([
  "routing_key",
  "service_key",
  "api_url",
  "api_key",
  "auth_password",
  "bot_token",
  "password",
  "credentials",
  "token",
]);

function findLiteralCredential(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findLiteralCredential(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (INLINE_CREDENTIAL_KEYS.has(k) && typeof v === "string" && v !== "") return `${path}.${k}`;
      const hit = findLiteralCredential(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return undefined;
}

function refuseLiteralPasswords(extra: unknown): void {
  const grafana = (extra as { grafana?: Record<string, unknown> } | undefined)?.grafana;
  if (!grafana) return;
  for (const key of PASSWORD_KEYS) {
    if (grafana[key] !== undefined) {
      throw new ShipyardValidationError(
        `extraValues.grafana.${key}`,
        "a Grafana admin password literal is refused (it would land in the synthesized JSON and in Helm's release secret); set grafana.adminExistingSecret to a Secret synced from Secrets Manager",
      );
    }
  }
  const admin = grafana.admin as Record<string, unknown> | undefined;
  if (admin && typeof admin.existingSecret === "string" && !DNS_LABEL.test(admin.existingSecret)) {
    throw new ShipyardValidationError("extraValues.grafana.admin.existingSecret", "must name a Kubernetes Secret");
  }
}

/** Zone spread of StatefulSet replicas (node spread comes from the chart's `podAntiAffinity: hard`). */
function zoneSpread(replicas: number, podLabels: Record<string, string>): TopologySpreadConstraint[] {
  if (replicas < 2) return [];
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: podLabels },
    },
  ];
}
