import { KUBE_SYSTEM_NAMESPACE, PLATFORM_TEAM } from "../core";
import { BURN_RATE_POLICIES, type BurnRatePolicy, type ServiceLevelObjective, type SloKind } from "./slo";
import { JOBS, WATCHDOG } from "./platform";
import { isAlertingRule, type AlertingRule, type RuleGroup } from "./types";
import { budgetRatio, num } from "./util";

/**
 * promtool unit tests (`promtool test rules`) for the rules of {@link sloRuleGroups} and
 * {@link platformAlertGroups}: for every alert, a case where it fires and one where it must not.
 * Input series are built from scenarios (error ratio = a multiple of the error budget), not from the
 * rule expressions, and every quiet case covers the longest window its alert reads (6h for the slow
 * burn, 3 days for the budget erosion).
 *
 * promtool evaluates every rule of a test file's `rule_files` at every `evaluation_interval` step
 * over the whole time range of every test group, so the cost is groups x duration x rules. The tests
 * are therefore split by concern, each file loading only the rule file it tests:
 * - the platform alerts: two groups (every firing case, every quiet case), each case with its own
 *   label set, evaluated every minute for 50 minutes;
 * - per application and burn-rate policy (fast burn, slow burn, budget erosion): evaluated at the
 *   coarsest interval that still divides the policy's `for:` and leaves several evaluations in its
 *   short window (1m, 5m, 1h), for as long as the longest window the quiet cases need.
 */
export interface PromtoolTestFile {
  readonly rule_files: readonly string[];
  readonly evaluation_interval: string;
  readonly tests: readonly PromtoolTestGroup[];
}

export interface PromtoolTestGroup {
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly { readonly series: string; readonly values: string }[];
  readonly alert_rule_test: readonly AlertRuleTest[];
}

export interface AlertRuleTest {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: readonly { readonly exp_labels: Record<string, string>; readonly exp_annotations: Record<string, string> }[];
}

/** One rule file and the groups written to it (expected annotations are read from them). */
export interface PromtoolRuleFile {
  /** Path of the rule file, relative to the test files. */
  readonly path: string;
  readonly groups: readonly RuleGroup[];
}

export interface PromtoolTestsProps {
  /** The rule file holding {@link platformAlertGroups}. */
  readonly platform: PromtoolRuleFile;
  /** Per application, its objective and the rule file holding its {@link sloRuleGroupsByService} groups. */
  readonly services: readonly (PromtoolRuleFile & { readonly slo: ServiceLevelObjective })[];
  /** @default PLATFORM_TEAM ("platform") */
  readonly platformTeam?: string;
  /** @default {} */
  readonly teamNamespaces?: Readonly<Record<string, readonly string[]>>;
  /** @default 0.15 */
  readonly pvcWarningFreeRatio?: number;
  /** @default 0.03 */
  readonly pvcCriticalFreeRatio?: number;
}

/** A test file: `name` is its file name without `.test.yaml` (`platform`, `slo-<ns>-<app>.fast-burn` …). */
export interface PromtoolTestSuite {
  readonly name: string;
  /** One line for the file's header. */
  readonly description: string;
  readonly file: PromtoolTestFile;
}

type Labels = Record<string, string>;
interface Expectation {
  readonly alertname: string;
  /** Labels of firing alerts, severity and team included; empty: must not fire. */
  readonly firing: readonly Labels[];
}

const MINUTES_3D = 3 * 24 * 60;
/** Requests per minute in the SLO scenarios: resolution 1e-6 of an error ratio. */
const RPM = 1_000_000;

function series(name: string, labels: Labels): string {
  return `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`;
}

/** A counter growing by `perMinute[i]` per sample for `minutes[i]` samples, segment after segment, from 0. */
function counter(segments: readonly { perMinute: number; minutes: number }[]): string {
  const parts: string[] = [];
  let value = 0;
  segments.forEach((segment, i) => {
    if (i === 0) {
      parts.push(`0+${num(segment.perMinute)}x${segment.minutes}`);
      value = segment.perMinute * segment.minutes;
    } else {
      const first = value + segment.perMinute;
      parts.push(segment.minutes === 1 ? num(first) : `${num(first)}+${num(segment.perMinute)}x${segment.minutes - 1}`);
      value += segment.perMinute * segment.minutes;
    }
  });
  return parts.join(" ");
}

function expand(template: string, labels: Labels): string {
  return template.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_, key: string) => labels[key] ?? "");
}

/** Expected labels and annotations of one alert, read from the rule that should produce it. */
function expected(alerts: readonly AlertingRule[], alertname: string, labels: Labels) {
  const rule = alerts.find((r) => r.alert === alertname && r.labels.severity === labels.severity && r.labels.team === labels.team);
  if (!rule) throw new Error(`internal: no rule ${alertname} with severity ${labels.severity} and team ${labels.team}`);
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(rule.annotations)) annotations[key] = expand(value, labels);
  const sorted: Labels = {};
  for (const key of Object.keys(labels).sort()) sorted[key] = labels[key]!;
  return { exp_labels: sorted, exp_annotations: annotations };
}

/** Error ratio as a multiple of the budget, per scenario; "fast" stays below 100 % of requests. */
function multiples(budget: number) {
  const fastest = Math.max(...BURN_RATE_POLICIES.map((p) => p.factor));
  return { healthy: 0.5, ticket: 2, slow: 10, fast: Math.min(15, (fastest + 1 / budget) / 2) };
}

function sloGroups(slo: ServiceLevelObjective, alerts: readonly AlertingRule[], policy: BurnRatePolicy): PromtoolTestGroup[] {
  const base = { namespace: slo.namespace, service: slo.name, job: slo.name, route: "/api/hello", method: "GET" };
  const kinds: SloKind[] = ["availability", "latency"];
  const budgets: Record<SloKind, number> = { availability: budgetRatio(slo.availability), latency: budgetRatio(slo.latency.objective) };
  const alertName = (kind: SloKind, suffix: string) => `SLO${kind === "availability" ? "Availability" : "Latency"}${suffix}`;
  // The `le` value as the client library writes it (prom-client: `String(bound)`, e.g. "0.5", "1").
  const le = num(slo.latency.thresholdSeconds);

  /** Input series for one scenario: bad share given per segment as a multiple of each budget. */
  const inputs = (segments: readonly { multiple: (kind: SloKind) => number; minutes: number }[], step: number) => {
    const per = RPM * step;
    const bad = (kind: SloKind) => segments.map((s) => ({ perMinute: per * s.multiple(kind) * budgets[kind], minutes: s.minutes }));
    const good = (kind: SloKind) => segments.map((s) => ({ perMinute: per - per * s.multiple(kind) * budgets[kind], minutes: s.minutes }));
    const total = segments.map((s) => ({ perMinute: per, minutes: s.minutes }));
    return [
      { series: series("http_requests_total", { ...base, code: "200" }), values: counter(good("availability")) },
      { series: series("http_requests_total", { ...base, code: "503" }), values: counter(bad("availability")) },
      { series: series("http_request_duration_seconds_bucket", { ...base, code: "200", le }), values: counter(good("latency")) },
      { series: series("http_request_duration_seconds_bucket", { ...base, code: "200", le: "+Inf" }), values: counter(total) },
      { series: series("http_request_duration_seconds_count", { ...base, code: "200" }), values: counter(total) },
    ];
  };
  const firing = (kind: SloKind, suffix: string, fires: boolean, evalTime: string): AlertRuleTest => {
    const severity = BURN_RATE_POLICIES.find((p) => p.suffix === suffix)!.severity;
    const name = alertName(kind, suffix);
    const labels = { namespace: slo.namespace, service: slo.name, slo: kind, team: slo.team, severity };
    return { eval_time: evalTime, alertname: name, exp_alerts: fires ? [expected(alerts, name, labels)] : [] };
  };
  const m = { availability: multiples(budgets.availability), latency: multiples(budgets.latency) };
  const at = (scenario: keyof ReturnType<typeof multiples>) => (k: SloKind) => m[k][scenario];
  const id = `${slo.namespace}/${slo.name}`;
  type Segment = { multiple: (kind: SloKind) => number; minutes: number };
  interface Scenario {
    name: string;
    policy: BurnRatePolicy["suffix"];
    segments: readonly Segment[];
    fire: Partial<Record<BurnRatePolicy["suffix"], boolean>>;
  }
  // The fast burn reads at most 1 hour, the slow burn 6 hours, the budget erosion 3 days: each quiet
  // case lasts that long plus the alert's `for:` (and a margin for the fast burn).
  const FAST = 75;
  const SLOW = 6 * 60 + 15;
  const LONG = MINUTES_3D + 60;
  const scenarios: Scenario[] = [
    {
      name: "fast burn: errors above 14.4x the budget for 1h15m",
      policy: "FastBurn",
      segments: [{ multiple: at("fast"), minutes: FAST }],
      fire: { FastBurn: true, SlowBurn: true },
    },
    {
      name: "recovered: a fast burn that stopped 10 minutes ago (the 5m window is clean, the 1h one is not)",
      policy: "FastBurn",
      segments: [
        { multiple: at("fast"), minutes: FAST - 10 },
        { multiple: () => 0, minutes: 10 },
      ],
      fire: { FastBurn: false },
    },
    {
      name: "slow burn: errors at 10x the budget for 6h15m",
      policy: "SlowBurn",
      segments: [{ multiple: at("slow"), minutes: SLOW }],
      fire: { FastBurn: false, SlowBurn: true },
    },
    {
      name: "spike: 10 minutes at the fast-burn rate after 6h05m healthy (the 1h window stays below 14.4x, the 30m below 6x)",
      policy: "SlowBurn",
      segments: [
        { multiple: at("healthy"), minutes: SLOW - 10 },
        { multiple: at("fast"), minutes: 10 },
      ],
      fire: { FastBurn: false, SlowBurn: false },
    },
    {
      name: "budget kept: errors at half the budget for 3d1h",
      policy: "BudgetErosion",
      segments: [{ multiple: at("healthy"), minutes: LONG }],
      fire: { BudgetErosion: false },
    },
    {
      name: "budget eroding: errors at 2x the budget for 3d1h",
      policy: "BudgetErosion",
      segments: [{ multiple: at("ticket"), minutes: LONG }],
      fire: { BudgetErosion: true },
    },
    {
      name: "recent erosion only: 2x the budget for the last 6h of 3d1h otherwise healthy (the 3d window stays below 1x)",
      policy: "BudgetErosion",
      segments: [
        { multiple: at("healthy"), minutes: LONG - 360 },
        { multiple: at("ticket"), minutes: 360 },
      ],
      fire: { BudgetErosion: false },
    },
  ];
  return scenarios
    .filter((scenario) => scenario.policy === policy.suffix)
    .map((scenario) => {
      const minutes = scenario.segments.reduce((sum, seg) => sum + seg.minutes, 0);
      const step = sampleStep(policy);
      const scaled = scenario.segments.map((seg) => ({ multiple: seg.multiple, minutes: seg.minutes / step }));
      return {
        name: `SLO ${id}: ${scenario.name}`,
        interval: `${step}m`,
        input_series: inputs(scaled, step),
        alert_rule_test: kinds.flatMap((kind) =>
          Object.entries(scenario.fire)
            .filter((entry): entry is [string, boolean] => entry[1] !== undefined)
            .map(([suffix, fires]) => firing(kind, suffix, fires, `${minutes}m`)),
        ),
      };
    });
}

/** Minutes of a Prometheus duration made of one unit (`2m`, `1h`, `3d`). */
function minutesOf(duration: string): number {
  const m = /^(\d+)([mhd])$/.exec(duration);
  if (!m) throw new Error(`internal: unsupported duration ${duration}`);
  return Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as "m" | "h" | "d"];
}

/**
 * Evaluation interval of a policy's test file, in minutes: the coarsest of 1m, 5m, 15m, 30m, 1h that
 * divides the alert's `for:` (so `for:` is tested exactly) and leaves at least 5 evaluations in its
 * short window. FastBurn (for 2m, 5m window): 1m; SlowBurn (for 15m, 30m window): 5m;
 * BudgetErosion (for 1h, 6h window): 1h.
 */
export function evaluationMinutes(policy: BurnRatePolicy): number {
  const forMinutes = minutesOf(policy.for);
  const short = minutesOf(policy.shortWindow);
  const fits = [60, 30, 15, 5, 1].filter((m) => forMinutes % m === 0 && short / m >= 5);
  return fits[0] ?? 1;
}

/**
 * Spacing of the input samples: 1m while the file also asserts on a 5m window (the page alerts), the
 * evaluation interval for the budget erosion (its short window is 6h).
 */
function sampleStep(policy: BurnRatePolicy): number {
  return policy.suffix === "BudgetErosion" ? evaluationMinutes(policy) : 1;
}

interface PlatformCase {
  readonly name: string;
  readonly series: readonly { readonly series: string; readonly values: string }[];
  readonly evalTime: string;
  readonly expect: readonly Expectation[];
}

function platformCases(
  props: Required<Pick<PromtoolTestsProps, "platformTeam" | "teamNamespaces" | "pvcWarningFreeRatio" | "pvcCriticalFreeRatio">>,
): PlatformCase[] {
  const platform = props.platformTeam;
  const ksm = { job: JOBS.kubeStateMetrics, instance: "10.0.1.10:8080" };
  const warn = (team: string, labels: Labels): Labels => ({ ...labels, severity: "warning", team });
  const crit = (team: string, labels: Labels): Labels => ({ ...labels, severity: "critical", team });
  const cases: PlatformCase[] = [];
  const add = (name: string, evalTime: string, input: [string, Labels, string][], expect: Expectation[]) =>
    cases.push({ name, evalTime, series: input.map(([n, l, v]) => ({ series: series(n, l), values: v })), expect });

  // Node conditions.
  const node = { ...ksm, node: "ip-10-0-1-1.eu-west-1.compute.internal" };
  const ready = { ...node, condition: "Ready", status: "true" };
  add(
    "KubeNodeNotReady fires after 15m not ready",
    "20m",
    [["kube_node_status_condition", ready, "0x30"]],
    [{ alertname: "KubeNodeNotReady", firing: [warn(platform, ready)] }],
  );
  add(
    "KubeNodeNotReady stays quiet for a ready node and a short blip",
    "20m",
    [["kube_node_status_condition", ready, "1x10 0x5 1x15"]],
    [{ alertname: "KubeNodeNotReady", firing: [] }],
  );
  for (const condition of ["MemoryPressure", "DiskPressure"] as const) {
    const labels = { ...node, condition, status: "true" };
    add(
      `KubeNode${condition} fires`,
      "10m",
      [["kube_node_status_condition", labels, "1x20"]],
      [{ alertname: `KubeNode${condition}`, firing: [warn(platform, labels)] }],
    );
    add(
      `KubeNode${condition} quiet without the condition`,
      "10m",
      [["kube_node_status_condition", labels, "0x20"]],
      [{ alertname: `KubeNode${condition}`, firing: [] }],
    );
  }
  const fs = { job: JOBS.nodeExporter, instance: "10.0.1.1:9100", device: "/dev/nvme0n1p1", fstype: "xfs", mountpoint: "/" };
  add(
    "NodeFilesystemAlmostFull fires at 5 % free",
    "40m",
    [
      ["node_filesystem_avail_bytes", fs, "5x50"],
      ["node_filesystem_size_bytes", fs, "100x50"],
      ["node_filesystem_readonly", fs, "0x50"],
    ],
    [{ alertname: "NodeFilesystemAlmostFull", firing: [warn(platform, fs)] }],
  );
  add(
    "NodeFilesystemAlmostFull quiet at 50 % free",
    "40m",
    [
      ["node_filesystem_avail_bytes", fs, "50x50"],
      ["node_filesystem_size_bytes", fs, "100x50"],
      ["node_filesystem_readonly", fs, "0x50"],
    ],
    [{ alertname: "NodeFilesystemAlmostFull", firing: [] }],
  );

  // Namespaced alerts: in every team's first namespace (owning team) and in kube-system (platform).
  const places = [
    ...Object.entries(props.teamNamespaces)
      .filter(([team]) => team !== platform)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([team, ns]) => ({ team, namespace: ns[0]! })),
    { team: platform, namespace: KUBE_SYSTEM_NAMESPACE },
  ];
  for (const { team, namespace } of places) {
    const where = `in ${namespace} (team ${team})`;
    const crash = { ...ksm, namespace, pod: "web-7d4b9c-x2x1", container: "web", reason: "CrashLoopBackOff" };
    add(
      `KubePodCrashLooping fires ${where}`,
      "20m",
      [["kube_pod_container_status_waiting_reason", crash, "1x30"]],
      [{ alertname: "KubePodCrashLooping", firing: [warn(team, crash)] }],
    );
    add(
      `KubePodCrashLooping quiet ${where}`,
      "20m",
      [["kube_pod_container_status_waiting_reason", crash, "0x30"]],
      [{ alertname: "KubePodCrashLooping", firing: [] }],
    );

    const deploy = { ...ksm, namespace, deployment: "web" };
    add(
      `KubeDeploymentReplicasUnavailable fires ${where}`,
      "20m",
      [["kube_deployment_status_replicas_unavailable", deploy, "1x30"]],
      [{ alertname: "KubeDeploymentReplicasUnavailable", firing: [warn(team, deploy)] }],
    );
    add(
      `KubeDeploymentReplicasUnavailable quiet ${where}`,
      "20m",
      [["kube_deployment_status_replicas_unavailable", deploy, "1x5 0x25"]],
      [{ alertname: "KubeDeploymentReplicasUnavailable", firing: [] }],
    );

    const hpa = { ...ksm, namespace, horizontalpodautoscaler: "web" };
    add(
      `KubeHpaMaxedOut fires ${where}`,
      "20m",
      [
        ["kube_horizontalpodautoscaler_status_current_replicas", hpa, "6x30"],
        ["kube_horizontalpodautoscaler_spec_max_replicas", hpa, "6x30"],
      ],
      [{ alertname: "KubeHpaMaxedOut", firing: [warn(team, hpa)] }],
    );
    add(
      `KubeHpaMaxedOut quiet ${where}`,
      "20m",
      [
        ["kube_horizontalpodautoscaler_status_current_replicas", hpa, "3x30"],
        ["kube_horizontalpodautoscaler_spec_max_replicas", hpa, "6x30"],
      ],
      [{ alertname: "KubeHpaMaxedOut", firing: [] }],
    );

    const pod = { ...ksm, namespace, pod: "batch-1", uid: "0b7e7c4e" };
    add(
      `KubePodUnschedulable fires ${where}`,
      "20m",
      [["kube_pod_status_unschedulable", pod, "1x30"]],
      [{ alertname: "KubePodUnschedulable", firing: [warn(team, { namespace, pod: "batch-1" })] }],
    );
    add(
      `KubePodUnschedulable quiet ${where}`,
      "20m",
      [["kube_pod_status_unschedulable", pod, "1x5 0x25"]],
      [{ alertname: "KubePodUnschedulable", firing: [] }],
    );

    const target = { job: "web", namespace, service: "web", endpoint: "http" };
    add(
      `TargetDown fires ${where}`,
      "15m",
      [
        ["up", { ...target, instance: "10.0.2.1:8080", pod: "web-1" }, "0x20"],
        ["up", { ...target, instance: "10.0.2.2:8080", pod: "web-2" }, "1x20"],
      ],
      [{ alertname: "TargetDown", firing: [warn(team, { job: "web", namespace, service: "web" })] }],
    );
    add(
      `TargetDown quiet ${where}`,
      "15m",
      [
        ["up", { ...target, instance: "10.0.2.1:8080", pod: "web-1" }, "1x20"],
        ["up", { ...target, instance: "10.0.2.2:8080", pod: "web-2" }, "1x20"],
      ],
      [{ alertname: "TargetDown", firing: [] }],
    );

    const volume = { job: JOBS.kubelet, namespace, persistentvolumeclaim: "data-web-0", instance: "10.0.1.1:10250", node: "ip-10-0-1-1" };
    const free = (ratio: number) => num(ratio * 1000);
    const between = (props.pvcWarningFreeRatio + props.pvcCriticalFreeRatio) / 2;
    add(
      `KubePersistentVolumeFillingUp warns ${where}`,
      "10m",
      [
        ["kubelet_volume_stats_available_bytes", volume, `${free(between)}x20`],
        ["kubelet_volume_stats_capacity_bytes", volume, "1000x20"],
      ],
      [{ alertname: "KubePersistentVolumeFillingUp", firing: [warn(team, volume)] }],
    );
    // Another claim than the warning's: merged into one test group, each case keeps its own series.
    const full = { ...volume, persistentvolumeclaim: "data-web-1" };
    add(
      `KubePersistentVolumeFillingUp is critical when full ${where}`,
      "10m",
      [
        ["kubelet_volume_stats_available_bytes", full, `${free(props.pvcCriticalFreeRatio / 2)}x20`],
        ["kubelet_volume_stats_capacity_bytes", full, "1000x20"],
      ],
      [{ alertname: "KubePersistentVolumeFillingUp", firing: [crit(team, full), warn(team, full)] }],
    );
    add(
      `KubePersistentVolumeFillingUp quiet ${where}`,
      "10m",
      [
        ["kubelet_volume_stats_available_bytes", volume, "500x20"],
        ["kubelet_volume_stats_capacity_bytes", volume, "1000x20"],
      ],
      [{ alertname: "KubePersistentVolumeFillingUp", firing: [] }],
    );
  }

  // cluster-autoscaler.
  const ca = { job: "cluster-autoscaler", namespace: KUBE_SYSTEM_NAMESPACE, instance: "10.0.1.20:8085" };
  add(
    "ClusterAutoscalerErrors fires on steady errors",
    "30m",
    [["cluster_autoscaler_errors_total", { ...ca, type: "cloudProviderError" }, "0+1x40"]],
    [{ alertname: "ClusterAutoscalerErrors", firing: [warn(platform, { type: "cloudProviderError" })] }],
  );
  add(
    "ClusterAutoscalerErrors quiet without new errors",
    "30m",
    [["cluster_autoscaler_errors_total", { ...ca, type: "cloudProviderError" }, "3x40"]],
    [{ alertname: "ClusterAutoscalerErrors", firing: [] }],
  );
  // Its window is 30m: the failure 25 minutes before the evaluation is still in it.
  add(
    "ClusterAutoscalerScaleUpFailed fires after a failed scale-up",
    "35m",
    [["cluster_autoscaler_failed_scale_ups_total", { ...ca, reason: "timeout" }, "0x10 1x30"]],
    [{ alertname: "ClusterAutoscalerScaleUpFailed", firing: [warn(platform, { reason: "timeout" })] }],
  );
  add(
    "ClusterAutoscalerScaleUpFailed quiet without failures",
    "35m",
    [["cluster_autoscaler_failed_scale_ups_total", { ...ca, reason: "timeout" }, "0x40"]],
    [{ alertname: "ClusterAutoscalerScaleUpFailed", firing: [] }],
  );
  add(
    "ClusterAutoscalerUnsafeToScale fires",
    "20m",
    [["cluster_autoscaler_cluster_safe_to_autoscale", ca, "0x30"]],
    [{ alertname: "ClusterAutoscalerUnsafeToScale", firing: [warn(platform, {})] }],
  );
  add(
    "ClusterAutoscalerUnsafeToScale quiet",
    "20m",
    [["cluster_autoscaler_cluster_safe_to_autoscale", ca, "1x30"]],
    [{ alertname: "ClusterAutoscalerUnsafeToScale", firing: [] }],
  );

  // Prometheus and Alertmanager.
  const prom = { job: "prometheus", namespace: "monitoring", pod: "prometheus-0", instance: "10.0.1.30:9090" };
  const group = { ...prom, rule_group: "/etc/prometheus/rules/shipyard.yaml;prometheus" };
  add(
    "PrometheusRuleEvaluationFailures fires",
    "25m",
    [["prometheus_rule_evaluation_failures_total", group, "0+1x30"]],
    [
      {
        alertname: "PrometheusRuleEvaluationFailures",
        firing: [crit(platform, { namespace: "monitoring", pod: "prometheus-0", rule_group: group.rule_group })],
      },
    ],
  );
  add(
    "PrometheusRuleEvaluationFailures quiet",
    "25m",
    [["prometheus_rule_evaluation_failures_total", group, "2x30"]],
    [{ alertname: "PrometheusRuleEvaluationFailures", firing: [] }],
  );
  add(
    "PrometheusConfigReloadFailed fires",
    "20m",
    [["prometheus_config_last_reload_successful", prom, "0x30"]],
    [{ alertname: "PrometheusConfigReloadFailed", firing: [warn(platform, prom)] }],
  );
  add(
    "PrometheusConfigReloadFailed quiet",
    "20m",
    [["prometheus_config_last_reload_successful", prom, "1x30"]],
    [{ alertname: "PrometheusConfigReloadFailed", firing: [] }],
  );
  add(
    "PrometheusNotConnectedToAlertmanagers fires",
    "20m",
    [["prometheus_notifications_alertmanagers_discovered", prom, "0x30"]],
    [{ alertname: "PrometheusNotConnectedToAlertmanagers", firing: [crit(platform, prom)] }],
  );
  add(
    "PrometheusNotConnectedToAlertmanagers quiet",
    "20m",
    [["prometheus_notifications_alertmanagers_discovered", prom, "2x30"]],
    [{ alertname: "PrometheusNotConnectedToAlertmanagers", firing: [] }],
  );
  const am = { job: "alertmanager", namespace: "monitoring", pod: "alertmanager-0", instance: "10.0.1.31:9093" };
  add(
    "AlertmanagerConfigReloadFailed fires",
    "20m",
    [["alertmanager_config_last_reload_successful", am, "0x30"]],
    [{ alertname: "AlertmanagerConfigReloadFailed", firing: [crit(platform, am)] }],
  );
  add(
    "AlertmanagerConfigReloadFailed quiet",
    "20m",
    [["alertmanager_config_last_reload_successful", am, "1x30"]],
    [{ alertname: "AlertmanagerConfigReloadFailed", firing: [] }],
  );
  add(
    "AlertmanagerNotificationsFailing fires at 10 % failures",
    "20m",
    [
      ["alertmanager_notifications_failed_total", { ...am, integration: "slack" }, "0+1x30"],
      ["alertmanager_notifications_total", { ...am, integration: "slack" }, "0+10x30"],
    ],
    [{ alertname: "AlertmanagerNotificationsFailing", firing: [crit(platform, { integration: "slack" })] }],
  );
  add(
    "AlertmanagerNotificationsFailing quiet without failures",
    "20m",
    [
      ["alertmanager_notifications_failed_total", { ...am, integration: "slack" }, "0x30"],
      ["alertmanager_notifications_total", { ...am, integration: "slack" }, "0+10x30"],
    ],
    [{ alertname: "AlertmanagerNotificationsFailing", firing: [] }],
  );

  // The Watchdog always fires: its "must not fire" case is an alert name that does not exist.
  add(
    "Watchdog always fires",
    "5m",
    [],
    [
      { alertname: WATCHDOG, firing: [{ severity: "none", team: platform }] },
      { alertname: "WatchdogNotARealAlert", firing: [] },
    ],
  );
  return cases;
}

/**
 * Cases merged into one test group: input series of all cases (each case has its own label set, so
 * the cases do not see each other's series), one `alert_rule_test` per alert name and evaluation
 * time listing every alert the cases expect. Equivalent to one group per case because promtool
 * compares the complete list of alerts of that name: a quiet case's series that fired would fail it.
 */
function mergeCases(name: string, cases: readonly PlatformCase[], alerts: readonly AlertingRule[]): PromtoolTestGroup {
  const seen = new Set<string>();
  const input: { series: string; values: string }[] = [];
  for (const c of cases) {
    for (const s of c.series) {
      if (seen.has(s.series)) throw new Error(`internal: series ${s.series} appears in two cases of "${name}"`);
      seen.add(s.series);
      input.push(s);
    }
  }
  const tests = new Map<string, { eval_time: string; alertname: string; firing: Labels[] }>();
  const evalTimes = new Map<string, string>();
  for (const c of cases) {
    for (const e of c.expect) {
      const at = evalTimes.get(e.alertname);
      // Another evaluation time would see the other cases' alerts of that name too.
      if (at !== undefined && at !== c.evalTime)
        throw new Error(`internal: ${e.alertname} is checked at ${at} and ${c.evalTime} in "${name}"`);
      evalTimes.set(e.alertname, c.evalTime);
      const key = `${e.alertname}@${c.evalTime}`;
      const test = tests.get(key) ?? { eval_time: c.evalTime, alertname: e.alertname, firing: [] };
      test.firing.push(...e.firing);
      tests.set(key, test);
    }
  }
  return {
    name,
    interval: "1m",
    input_series: input,
    alert_rule_test: [...tests.values()].map((t) => ({
      eval_time: t.eval_time,
      alertname: t.alertname,
      exp_alerts: t.firing.map((labels) => expected(alerts, t.alertname, labels)),
    })),
  };
}

const POLICY_FILE: Record<BurnRatePolicy["suffix"], string> = {
  FastBurn: "fast-burn",
  SlowBurn: "slow-burn",
  BudgetErosion: "budget-erosion",
};

/**
 * The promtool unit-test files for the given rules, one per concern, each loading only its rule file:
 * - `platform`: the platform alerts, every firing case in one group and every quiet case in another,
 *   evaluated every minute (the cases last at most 50 minutes);
 * - per application, `slo-<namespace>-<name>.<fast-burn|slow-burn|budget-erosion>`: the burn-rate
 *   scenarios of that policy, evaluated every {@link evaluationMinutes} (1m, 5m, 1h), over 1h15m,
 *   6h15m and 3 days.
 */
export function promtoolTests(props: PromtoolTestsProps): PromtoolTestSuite[] {
  const resolved = {
    platformTeam: props.platformTeam ?? PLATFORM_TEAM,
    teamNamespaces: props.teamNamespaces ?? {},
    pvcWarningFreeRatio: props.pvcWarningFreeRatio ?? 0.15,
    pvcCriticalFreeRatio: props.pvcCriticalFreeRatio ?? 0.03,
  };
  const platformAlerts = props.platform.groups.flatMap((g) => g.rules).filter(isAlertingRule);
  const cases = platformCases(resolved);
  const fires = (c: PlatformCase) => c.expect.some((e) => e.firing.length > 0);
  const suites: PromtoolTestSuite[] = [
    {
      name: "platform",
      description: "platform alerts: every firing case in one group, every quiet case in another (1m, up to 50m)",
      file: {
        rule_files: [props.platform.path],
        evaluation_interval: "1m",
        tests: [
          mergeCases("platform alerts that must fire", cases.filter(fires), platformAlerts),
          mergeCases(
            "platform alerts that must stay quiet",
            cases.filter((c) => !fires(c)),
            platformAlerts,
          ),
        ],
      },
    },
  ];
  for (const service of props.services) {
    const alerts = service.groups.flatMap((g) => g.rules).filter(isAlertingRule);
    const base = `slo-${service.slo.namespace}-${service.slo.name}`;
    for (const policy of BURN_RATE_POLICIES) {
      const minutes = evaluationMinutes(policy);
      suites.push({
        name: `${base}.${POLICY_FILE[policy.suffix]}`,
        description: `SLO ${policy.suffix} of ${service.slo.namespace}/${service.slo.name} (${policy.longWindow} & ${policy.shortWindow} at ${num(policy.factor)}x, for ${policy.for}; evaluated every ${minutes}m)`,
        file: { rule_files: [service.path], evaluation_interval: `${minutes}m`, tests: sloGroups(service.slo, alerts, policy) },
      });
    }
  }
  return suites;
}
