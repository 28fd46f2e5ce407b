import { describe, expect, it } from "vitest";
import { KubePrometheusStack, type KubePrometheusStackProps } from "../../../modules/addons";
import { DEFAULT_RULES_REPLACED_BY_SHIPYARD } from "../../../modules/addons/kube-prometheus-stack";
import { isAlertingRule, platformAlertGroups } from "../../../modules/monitoring";
import { nodesDashboard } from "../../../modules/monitoring/dashboards/nodes";
import { ShipyardValidationError } from "../../../modules/core";
import { expectSafeRelease, PLACEMENT, release, releaseValues, ROLE, synth } from "./helpers";

const ALERTMANAGER_CONFIG = {
  route: { receiver: "platform-slack", routes: [] },
  receivers: [
    {
      name: "platform-slack",
      slack_configs: [{ api_url_file: "/etc/alertmanager/secrets/alertmanager-slack/webhook-url", channel: "#x" }],
    },
  ],
};

function props(over: Partial<KubePrometheusStackProps> = {}): KubePrometheusStackProps {
  return {
    namespace: "monitoring",
    clusterName: "shipyard-dev",
    kubernetesVersion: "1.36",
    storageClassName: "gp3",
    prometheus: { replicas: 1, retentionDays: 3, storageGiB: 20, cpu: "250m", memory: "1Gi" },
    alertmanager: { roleArn: ROLE("alertmanager"), config: ALERTMANAGER_CONFIG, secrets: ["alertmanager-pagerduty", "alertmanager-slack"] },
    grafana: { adminExistingSecret: "grafana-admin", storageGiB: 2 },
    ruleGroups: [
      {
        name: "shipyard.capacity",
        rules: [{ alert: "X", expr: "up == 0", labels: { severity: "warning" }, annotations: { summary: "{{ $labels.job }} down" } }],
      },
    ],
    placement: PLACEMENT,
    ...over,
  };
}

function values(p: KubePrometheusStackProps) {
  const json = synth((s) => new KubePrometheusStack(s, "kps", p));
  const r = release(json, "kube-prometheus-stack");
  expectSafeRelease(r);
  return { r, v: releaseValues(r) };
}

describe("KubePrometheusStack", () => {
  it("pins the chart and installs into the existing namespace", () => {
    const { r } = values(props());
    expect(r).toMatchObject({
      chart: "kube-prometheus-stack",
      repository: "https://prometheus-community.github.io/helm-charts",
      version: "88.5.3",
      namespace: "monitoring",
      create_namespace: false,
    });
  });

  it("upgrades the Prometheus Operator CRDs with the chart: its upgrade job, with a pinned busybox", () => {
    const { v } = values(props());
    expect(v.crds.enabled).toBe(true);
    expect(v.crds.upgradeJob).toMatchObject({
      enabled: true,
      forceConflicts: true,
      image: { busybox: { tag: expect.stringMatching(/^\d+\.\d+\.\d+$/) } },
    });
    expect(v.crds.upgradeJob.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
    expect(v.crds.upgradeJob.image.kubectl).toEqual({ tag: "v1.36.0" });
  });

  it("guards team objects: namespace label enforced outside the platform namespaces; replicas spread with PDBs", () => {
    const { v } = values(props({ prometheus: { replicas: 2, retentionDays: 30, storageGiB: 200, cpu: "1", memory: "8Gi" } }));
    const spec = v.prometheus.prometheusSpec;
    expect(spec.enforcedNamespaceLabel).toBe("namespace");
    expect(spec.excludedFromEnforcement).toContainEqual({
      group: "monitoring.coreos.com",
      resource: "prometheusrules",
      namespace: "monitoring",
    });
    expect(spec.excludedFromEnforcement.map((r: { namespace: string }) => r.namespace)).not.toContain("payments");
    expect(spec.podAntiAffinity).toBe("hard");
    expect(v.prometheus.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(v.alertmanager.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    expect(v.alertmanager.alertmanagerSpec.podAntiAffinity).toBe("hard");
  });

  it("labels every series with the cluster at ingestion and node-exporter series with their node name", () => {
    const { v } = values(props());
    expect(v.prometheus.prometheusSpec.scrapeClasses).toEqual([
      {
        name: "shipyard-cluster",
        default: true,
        relabelings: [{ action: "replace", targetLabel: "cluster", replacement: "shipyard-dev" }],
      },
    ]);
    expect(v["prometheus-node-exporter"].prometheus.monitor.relabelings).toEqual([
      { action: "replace", sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: "node" },
    ]);
    // The nodes dashboard selects node-exporter series by that label, never by instance (host:9100).
    const nodes = JSON.stringify(nodesDashboard());
    expect(nodes).toContain('job=\\"node-exporter\\",cluster=\\"$cluster\\",node=~\\"$node\\"');
    expect(nodes).not.toMatch(/instance=~/);
  });

  it("sizes Prometheus per tier on encrypted gp3 and selects monitors and rules from every namespace", () => {
    for (const [replicas, retentionDays, storageGiB, memory] of [
      [1, 3, 20, "1Gi"],
      [2, 30, 200, "8Gi"],
    ] as const) {
      const { v } = values(props({ prometheus: { replicas, retentionDays, storageGiB, cpu: "1", memory } }));
      const spec = v.prometheus.prometheusSpec;
      expect(spec.replicas).toBe(replicas);
      expect(spec.retention).toBe(`${retentionDays}d`);
      expect(spec.resources).toEqual({ requests: { cpu: "1", memory }, limits: { memory } });
      expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({
        storageClassName: "gp3",
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: `${storageGiB}Gi` } },
      });
      for (const k of ["serviceMonitor", "podMonitor", "probe", "rule", "scrapeConfig"])
        expect(spec[`${k}SelectorNilUsesHelmValues`]).toBe(false);
      expect(spec.serviceMonitorNamespaceSelector).toEqual({});
      expect(spec.ruleNamespaceSelector).toEqual({});
      expect(spec.externalLabels).toEqual({ cluster: "shipyard-dev" });
      expect(v.alertmanager.alertmanagerSpec.replicas).toBe(replicas);
    }
  });

  it("adds the monitoring module's rule groups, escaping nothing Prometheus needs", () => {
    const { v } = values(props());
    expect(v.additionalPrometheusRulesMap["shipyard-rules"].groups[0].name).toBe("shipyard.capacity");
    expect(v.additionalPrometheusRulesMap["shipyard-rules"].groups[0].rules[0].annotations.summary).toBe("{{ $labels.job }} down");
  });

  it("keeps the chart's default rules, switching off by name only the alerts Shipyard's platform alerts replace", () => {
    const { v } = values(props());
    expect(v.defaultRules.create).toBe(true);
    expect(Object.keys(v.defaultRules.disabled).sort()).toEqual(Object.keys(DEFAULT_RULES_REPLACED_BY_SHIPYARD).sort());
    // Groups stay on (recording rules feed the chart's dashboards), except those about what EKS does not expose.
    expect(v.defaultRules.rules).toEqual({
      etcd: false,
      kubeControllerManager: false,
      kubeSchedulerAlerting: false,
      kubeSchedulerRecording: false,
      kubeProxy: false,
      windows: false,
    });
    expect(v.defaultRules.additionalRuleLabels).toEqual({ team: "platform" });
    const ours = new Set(
      platformAlertGroups({ runbookBaseUrl: "https://runbooks.example.com" })
        .flatMap((g) => g.rules)
        .filter(isAlertingRule)
        .map((a) => a.alert),
    );
    const replacements = Object.values(DEFAULT_RULES_REPLACED_BY_SHIPYARD).flat();
    expect(replacements.length).toBeGreaterThan(10);
    for (const name of replacements) expect(ours.has(name), name).toBe(true);
    expect(replacements).toEqual(expect.arrayContaining(["Watchdog", "TargetDown", "KubePodCrashLooping"]));
  });

  it("gives Alertmanager its config, credentials only as mounted Secrets, and its IRSA role", () => {
    const { v } = values(props());
    expect(v.alertmanager.config).toEqual(ALERTMANAGER_CONFIG);
    expect(v.alertmanager.alertmanagerSpec.secrets).toEqual(["alertmanager-pagerduty", "alertmanager-slack"]);
    expect(v.alertmanager.serviceAccount).toEqual({
      create: true,
      name: "alertmanager",
      annotations: { "eks.amazonaws.com/role-arn": ROLE("alertmanager") },
    });
  });

  it("runs Grafana from an existing admin Secret, with persistence and the dashboards sidecar", () => {
    const { v, r } = values(props());
    expect(v.grafana.admin).toEqual({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    expect(v.grafana.adminPassword).toBeUndefined();
    expect(String((r.values as string[])[0])).not.toMatch(/prom-operator|adminPassword/);
    expect(v.grafana.persistence).toMatchObject({ enabled: true, storageClassName: "gp3", size: "2Gi" });
    expect(v.grafana.deploymentStrategy).toEqual({ type: "Recreate" });
    expect(v.grafana.sidecar.dashboards).toMatchObject({
      enabled: true,
      label: "grafana_dashboard",
      labelValue: "1",
      folderAnnotation: "grafana_folder",
      searchNamespace: "ALL",
    });
  });

  it("exports the node-group and capacity-type labels on kube_node_labels", () => {
    const { v } = values(props());
    expect(v["kube-state-metrics"].metricLabelsAllowlist).toEqual(["nodes=[eks.amazonaws.com/nodegroup,eks.amazonaws.com/capacityType]"]);
  });

  it("tolerates CriticalAddonsOnly and prefers the system group; node-exporter runs on every node", () => {
    const { v } = values(props());
    for (const part of [
      v.prometheusOperator,
      v.prometheus.prometheusSpec,
      v.alertmanager.alertmanagerSpec,
      v.grafana,
      v["kube-state-metrics"],
    ]) {
      expect(part.tolerations).toContainEqual({ key: "CriticalAddonsOnly", operator: "Exists" });
      expect(part.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0]).toEqual({
        key: "eks.amazonaws.com/nodegroup",
        operator: "In",
        values: ["shipyard-dev-system"],
      });
    }
    expect(v["prometheus-node-exporter"].tolerations).toEqual([{ operator: "Exists" }]);
  });

  it.each([
    [
      "a chart range",
      { chart: { repository: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "^81.4" } },
      /not an exact version/,
    ],
    [
      "a wildcard",
      { chart: { repository: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "81.x" } },
      /not an exact version/,
    ],
    [
      "a Grafana admin password literal",
      { extraValues: { grafana: { adminPassword: "hunter2" } } as never },
      /password literal is refused/,
    ],
    ["a password in place of the Secret name", { grafana: { adminExistingSecret: "S3cr3t!pw", storageGiB: 2 } }, /never a password/],
    [
      "an inline Slack URL",
      {
        alertmanager: {
          roleArn: ROLE("alertmanager"),
          secrets: [],
          config: { receivers: [{ name: "x", slack_configs: [{ api_url: "https://hooks.slack.com/services/T/B/X" }] }] },
        },
      },
      /alertmanager\.config\.receivers\[0\]\.slack_configs\[0\]\.api_url/,
    ],
    [
      "an inline PagerDuty key",
      {
        alertmanager: {
          roleArn: ROLE("alertmanager"),
          secrets: [],
          config: { receivers: [{ name: "x", pagerduty_configs: [{ routing_key: "abc" }] }] },
        },
      },
      /routing_key/,
    ],
    [
      "a missing Alertmanager config",
      { alertmanager: { roleArn: ROLE("alertmanager"), secrets: [], config: undefined } },
      /alertmanager\.config: required/,
    ],
    [
      "a role that is not an ARN",
      { alertmanager: { roleArn: "alertmanager", secrets: [], config: ALERTMANAGER_CONFIG } },
      /not an IAM role ARN/,
    ],
    ["four Prometheus replicas", { prometheus: { replicas: 4, retentionDays: 3, storageGiB: 20, cpu: "1", memory: "1Gi" } }, /outside 1-3/],
  ] as [string, Partial<KubePrometheusStackProps>, RegExp][])("refuses %s", (_name, over, message) => {
    expect(() => synth((s) => new KubePrometheusStack(s, "kps", props(over)))).toThrow(ShipyardValidationError);
    expect(() => synth((s) => new KubePrometheusStack(s, "kps", props(over)))).toThrow(message);
  });

  it("escapes Terraform template markers in literal values", () => {
    const { r } = values(
      props({ ruleGroups: [{ name: "g", rules: [{ record: "x", expr: "vector(1)", labels: { weird: "${not_tf}" } }] }] }),
    );
    expect((r.values as string[])[0]).toContain("$${not_tf}");
  });
});
