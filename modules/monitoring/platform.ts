import { PLATFORM_TEAM, ShipyardValidationError } from "../core";
import { makeAlert } from "./alert";
import type { AlertingRule, RuleGroup, Severity } from "./types";
import { eq, noneOf, num, oneOf, requireDnsLabel, requireUrl, selector } from "./util";

/**
 * Job labels of the scrapes kube-prometheus-stack sets up. Prometheus', Alertmanager's and the
 * cluster-autoscaler's job names depend on the Helm release name, so their alerts select by metric
 * name only.
 */
export const JOBS = { kubeStateMetrics: "kube-state-metrics", kubelet: "kubelet", nodeExporter: "node-exporter" } as const;

export interface PlatformAlertsProps {
  /** Base of every alert's `runbook_url`. */
  readonly runbookBaseUrl: string;
  /**
   * `team` label of cluster-wide alerts and of namespaced alerts outside every team's namespaces.
   * @default PLATFORM_TEAM ("platform")
   */
  readonly platformTeam?: string;
  /**
   * Namespaces each team owns. Namespaced alerts (crash-looping pods, unavailable replicas, HPA at
   * maximum, PVC filling up, unschedulable pods, targets down) in those namespaces carry the owning
   * team's label, so they reach that team.
   * @default {}
   */
  readonly teamNamespaces?: Readonly<Record<string, readonly string[]>>;
  /**
   * Free share of a PersistentVolumeClaim below which a warning fires.
   * @default 0.15
   */
  readonly pvcWarningFreeRatio?: number;
  /**
   * Free share of a PersistentVolumeClaim below which a critical alert fires.
   * @default 0.03
   */
  readonly pvcCriticalFreeRatio?: number;
  /**
   * Free share of a node's file system below which a warning fires.
   * @default 0.10
   */
  readonly nodeFilesystemFreeRatio?: number;
}

interface Definition {
  readonly name: string;
  readonly severity: Severity;
  readonly for?: string;
  /** Namespaced alerts get one rule per team plus one for every other namespace. */
  readonly namespaced: boolean;
  /** `ns` is a namespace matcher (`namespace=~"a|b"`) or undefined for all namespaces. */
  readonly expr: (ns: string | undefined) => string;
  readonly summary: string;
  readonly description: string;
}

interface GroupDefinition {
  readonly name: string;
  readonly alerts: readonly Definition[];
}

const ksm = (...m: (string | undefined)[]) => selector(eq("job", JOBS.kubeStateMetrics), ...m);

function definitions(p: Required<Omit<PlatformAlertsProps, "runbookBaseUrl" | "teamNamespaces" | "platformTeam">>): GroupDefinition[] {
  const pct = (ratio: number) => num(ratio * 100);
  const pvc = (ns: string | undefined) => selector(eq("job", JOBS.kubelet), ns);
  const fs = selector(eq("job", JOBS.nodeExporter), 'fstype!=""', 'mountpoint!=""');
  return [
    {
      name: "kubernetes-nodes",
      alerts: [
        {
          name: "KubeNodeNotReady",
          severity: "warning",
          for: "15m",
          namespaced: false,
          expr: () => `kube_node_status_condition${ksm('condition="Ready"', 'status="true"')} == 0`,
          summary: "Node {{ $labels.node }} is not ready",
          description: "Node {{ $labels.node }} has not been Ready for 15 minutes; its pods are being evicted or are unreachable.",
        },
        {
          name: "KubeNodeMemoryPressure",
          severity: "warning",
          for: "5m",
          namespaced: false,
          expr: () => `kube_node_status_condition${ksm('condition="MemoryPressure"', 'status="true"')} == 1`,
          summary: "Node {{ $labels.node }} is under memory pressure",
          description: "Node {{ $labels.node }} reports MemoryPressure; the kubelet evicts pods and refuses new ones.",
        },
        {
          name: "KubeNodeDiskPressure",
          severity: "warning",
          for: "5m",
          namespaced: false,
          expr: () => `kube_node_status_condition${ksm('condition="DiskPressure"', 'status="true"')} == 1`,
          summary: "Node {{ $labels.node }} is under disk pressure",
          description: "Node {{ $labels.node }} reports DiskPressure; the kubelet garbage-collects images and evicts pods.",
        },
        {
          name: "NodeFilesystemAlmostFull",
          severity: "warning",
          for: "30m",
          namespaced: false,
          expr: () =>
            `(node_filesystem_avail_bytes${fs} / node_filesystem_size_bytes${fs} < ${num(p.nodeFilesystemFreeRatio)}) and node_filesystem_readonly${fs} == 0`,
          summary: "File system {{ $labels.mountpoint }} on {{ $labels.instance }} is almost full",
          description: `Less than ${pct(p.nodeFilesystemFreeRatio)} % of {{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} is free.`,
        },
      ],
    },
    {
      name: "kubernetes-workloads",
      alerts: [
        {
          name: "KubePodCrashLooping",
          severity: "warning",
          for: "15m",
          namespaced: true,
          expr: (ns) => `max_over_time(kube_pod_container_status_waiting_reason${ksm('reason="CrashLoopBackOff"', ns)}[5m]) >= 1`,
          summary: "Pod {{ $labels.namespace }}/{{ $labels.pod }} is crash-looping",
          description:
            "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes.",
        },
        {
          name: "KubeDeploymentReplicasUnavailable",
          severity: "warning",
          for: "15m",
          namespaced: true,
          expr: (ns) => `kube_deployment_status_replicas_unavailable${ksm(ns)} > 0`,
          summary: "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has unavailable replicas",
          description: "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had unavailable replicas for 15 minutes.",
        },
        {
          name: "KubeHpaMaxedOut",
          severity: "warning",
          for: "15m",
          namespaced: true,
          expr: (ns) =>
            `kube_horizontalpodautoscaler_status_current_replicas${ksm(ns)} >= kube_horizontalpodautoscaler_spec_max_replicas${ksm(ns)}`,
          summary: "HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} is at its maximum",
          description:
            "HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum replicas for 15 minutes; it cannot absorb more load.",
        },
        {
          name: "KubePodUnschedulable",
          severity: "warning",
          for: "15m",
          namespaced: true,
          expr: (ns) => `max by (namespace, pod) (kube_pod_status_unschedulable${ksm(ns)}) == 1`,
          summary: "Pod {{ $labels.namespace }}/{{ $labels.pod }} cannot be scheduled",
          description:
            "Pod {{ $labels.namespace }}/{{ $labels.pod }} has been unschedulable for 15 minutes: no node fits it and the cluster-autoscaler did not add one.",
        },
        {
          name: "TargetDown",
          severity: "warning",
          for: "10m",
          namespaced: true,
          expr: (ns) =>
            `100 * (count by (namespace, service, job) (up${selector(ns)} == 0) / count by (namespace, service, job) (up${selector(ns)})) > 10`,
          summary: "Targets of {{ $labels.job }} in {{ $labels.namespace }} are down",
          description:
            "More than 10 % of the {{ $labels.job }} targets (service {{ $labels.service }}, namespace {{ $labels.namespace }}) have been unreachable for 10 minutes.",
        },
      ],
    },
    {
      name: "kubernetes-storage",
      alerts: [
        {
          name: "KubePersistentVolumeFillingUp",
          severity: "warning",
          for: "5m",
          namespaced: true,
          expr: (ns) =>
            `kubelet_volume_stats_available_bytes${pvc(ns)} / kubelet_volume_stats_capacity_bytes${pvc(ns)} < ${num(p.pvcWarningFreeRatio)}`,
          summary: "Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is nearly full",
          description: `Less than ${pct(p.pvcWarningFreeRatio)} % of PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is free.`,
        },
        {
          name: "KubePersistentVolumeFillingUp",
          severity: "critical",
          for: "1m",
          namespaced: true,
          expr: (ns) =>
            `kubelet_volume_stats_available_bytes${pvc(ns)} / kubelet_volume_stats_capacity_bytes${pvc(ns)} < ${num(p.pvcCriticalFreeRatio)}`,
          summary: "Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is full",
          description: `Less than ${pct(p.pvcCriticalFreeRatio)} % of PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is free; writes will fail soon.`,
        },
      ],
    },
    {
      name: "cluster-autoscaler",
      alerts: [
        {
          name: "ClusterAutoscalerErrors",
          severity: "warning",
          for: "15m",
          namespaced: false,
          expr: () => "sum by (type) (increase(cluster_autoscaler_errors_total[15m])) > 0",
          summary: "cluster-autoscaler reports {{ $labels.type }} errors",
          description: "cluster-autoscaler has reported errors of type {{ $labels.type }} for 15 minutes; node groups may not scale.",
        },
        {
          name: "ClusterAutoscalerScaleUpFailed",
          severity: "warning",
          namespaced: false,
          expr: () => "sum by (reason) (increase(cluster_autoscaler_failed_scale_ups_total[30m])) > 0",
          summary: "cluster-autoscaler failed to scale up ({{ $labels.reason }})",
          description:
            "A scale-up failed in the last 30 minutes with reason {{ $labels.reason }} (e.g. no spot capacity, a node group at its maximum, an IAM error).",
        },
        {
          name: "ClusterAutoscalerUnsafeToScale",
          severity: "warning",
          for: "15m",
          namespaced: false,
          expr: () => "max(cluster_autoscaler_cluster_safe_to_autoscale) == 0",
          summary: "cluster-autoscaler considers the cluster unsafe to autoscale",
          description: "cluster-autoscaler has stopped scaling for 15 minutes because too many nodes are unready.",
        },
      ],
    },
    {
      name: "prometheus",
      alerts: [
        {
          name: "PrometheusRuleEvaluationFailures",
          severity: "critical",
          for: "15m",
          namespaced: false,
          expr: () => "sum by (namespace, pod, rule_group) (increase(prometheus_rule_evaluation_failures_total[5m])) > 0",
          summary: "Prometheus fails to evaluate rules",
          description: "Rules of group {{ $labels.rule_group }} fail to evaluate on {{ $labels.pod }}; alerts from them may be missing.",
        },
        {
          name: "PrometheusConfigReloadFailed",
          severity: "warning",
          for: "10m",
          namespaced: false,
          expr: () => "max_over_time(prometheus_config_last_reload_successful[5m]) == 0",
          summary: "Prometheus configuration reload failed",
          description: "The last configuration reload of {{ $labels.pod }} failed; it runs on its previous configuration.",
        },
        {
          name: "PrometheusNotConnectedToAlertmanagers",
          severity: "critical",
          for: "10m",
          namespaced: false,
          expr: () => "max_over_time(prometheus_notifications_alertmanagers_discovered[5m]) < 1",
          summary: "Prometheus is not connected to any Alertmanager",
          description: "{{ $labels.pod }} has discovered no Alertmanager for 10 minutes; no alert is delivered.",
        },
      ],
    },
    {
      name: "alertmanager",
      alerts: [
        {
          name: "AlertmanagerConfigReloadFailed",
          severity: "critical",
          for: "10m",
          namespaced: false,
          expr: () => "max_over_time(alertmanager_config_last_reload_successful[5m]) == 0",
          summary: "Alertmanager configuration reload failed",
          description: "The last configuration reload of {{ $labels.pod }} failed; it routes with its previous configuration.",
        },
        {
          name: "AlertmanagerNotificationsFailing",
          severity: "critical",
          for: "5m",
          namespaced: false,
          expr: () =>
            "sum by (integration) (rate(alertmanager_notifications_failed_total[5m])) / sum by (integration) (rate(alertmanager_notifications_total[5m])) > 0.01",
          summary: "Alertmanager fails to send {{ $labels.integration }} notifications",
          description: "More than 1 % of notifications through {{ $labels.integration }} have failed for 5 minutes.",
        },
      ],
    },
  ];
}

/** Name of the always-firing alert that proves the alerting pipeline works end to end. */
export const WATCHDOG = "Watchdog";

/**
 * Cluster, capacity, Prometheus and Alertmanager alerts, plus the Watchdog. Namespaced alerts come
 * once per team (matching that team's namespaces) and once for every other namespace (platform team).
 */
export function platformAlertGroups(props: PlatformAlertsProps): RuleGroup[] {
  requireUrl("runbookBaseUrl", props.runbookBaseUrl);
  const platformTeam = props.platformTeam ?? PLATFORM_TEAM;
  requireDnsLabel("platformTeam", platformTeam);
  const teamNamespaces = Object.entries(props.teamNamespaces ?? {})
    .filter(([team]) => team !== platformTeam)
    .sort(([a], [b]) => a.localeCompare(b));
  const owners = new Map<string, string>();
  for (const [team, namespaces] of teamNamespaces) {
    requireDnsLabel(`teamNamespaces.${team}`, team);
    if (namespaces.length === 0) throw new ShipyardValidationError(`teamNamespaces.${team}`, "lists no namespace (expected at least one)");
    namespaces.forEach((ns, i) => {
      requireDnsLabel(`teamNamespaces.${team}[${i}]`, ns);
      const owner = owners.get(ns);
      if (owner)
        throw new ShipyardValidationError(
          `teamNamespaces.${team}[${i}]`,
          `namespace ${ns} already belongs to team ${owner} (expected each namespace in one team)`,
        );
      owners.set(ns, team);
    });
  }
  const ratio = (key: string, value: number) => {
    if (!(value > 0 && value < 1)) throw new ShipyardValidationError(key, `${value} is not a ratio strictly between 0 and 1`);
    return value;
  };
  const pvcWarningFreeRatio = ratio("pvcWarningFreeRatio", props.pvcWarningFreeRatio ?? 0.15);
  const pvcCriticalFreeRatio = ratio("pvcCriticalFreeRatio", props.pvcCriticalFreeRatio ?? 0.03);
  if (pvcCriticalFreeRatio >= pvcWarningFreeRatio) {
    throw new ShipyardValidationError("pvcCriticalFreeRatio", `must be below pvcWarningFreeRatio (${pvcWarningFreeRatio})`);
  }
  const nodeFilesystemFreeRatio = ratio("nodeFilesystemFreeRatio", props.nodeFilesystemFreeRatio ?? 0.1);
  const allTeamNamespaces = [...owners.keys()].sort();

  const groups: RuleGroup[] = definitions({ pvcWarningFreeRatio, pvcCriticalFreeRatio, nodeFilesystemFreeRatio }).map((group) => ({
    name: group.name,
    rules: group.alerts.flatMap((def): AlertingRule[] => {
      const make = (team: string, ns: string | undefined) =>
        makeAlert(
          {
            name: def.name,
            expr: def.expr(ns),
            for: def.for,
            severity: def.severity,
            team,
            summary: def.summary,
            description: def.description,
          },
          props.runbookBaseUrl,
        );
      if (!def.namespaced || allTeamNamespaces.length === 0) return [make(platformTeam, undefined)];
      return [
        ...teamNamespaces.map(([team, namespaces]) => make(team, oneOf("namespace", [...namespaces].sort()))),
        make(platformTeam, noneOf("namespace", allTeamNamespaces)),
      ];
    }),
  }));
  groups.push({
    name: "watchdog",
    rules: [
      makeAlert(
        {
          name: WATCHDOG,
          expr: "vector(1)",
          severity: "none",
          team: platformTeam,
          summary: "Alerting pipeline heartbeat (always firing)",
          description:
            "This alert always fires. Alertmanager sends it to the dead-man's switch every minute; when the switch stops hearing it, Prometheus, Alertmanager or the path between them is broken.",
        },
        props.runbookBaseUrl,
      ),
    ],
  });
  return groups;
}
