import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { describe, expect, it } from "vitest";
import { loadEnvironments, type EnvironmentConfig } from "../../src/config";
import { buildEnvironment } from "../../src/stacks";
import { addonRoleArn } from "../../src/stacks/platform";
import { mergedValues } from "../modules/addons/helpers";

type Json = {
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
};

const ENVIRONMENTS = path.join(__dirname, "..", "..", "environments");

function load(name: string, over: (env: EnvironmentConfig) => EnvironmentConfig = (e) => e): EnvironmentConfig {
  return over(loadEnvironments(ENVIRONMENTS, [name])[0]!);
}

/** A full App synth (cross-stack references become remote-state reads), read back per layer. */
function synthAll(env: EnvironmentConfig): Record<string, Json> {
  const outdir = mkdtempSync(path.join(tmpdir(), "shipyard-platform-"));
  try {
    const app = new App({ outdir, stackTraces: false, skipValidation: true });
    const stacks = buildEnvironment(app, env, { outdir: "cdktf.out" });
    app.synth();
    const out: Record<string, Json> = {};
    for (const [layer, stack] of Object.entries(stacks)) {
      out[layer] = JSON.parse(readFileSync(path.join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8")) as Json;
    }
    return out;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A value read from another layer's outputs through terraform_remote_state. */
const fromLayer = (env: string, layer: string) =>
  new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${env}-${layer}\\.outputs\\.`);

function releases(json: Json): Record<string, Record<string, unknown>> {
  const byName: Record<string, Record<string, unknown>> = {};
  for (const [id, r] of Object.entries(json.resource?.helm_release ?? {})) byName[r.name as string] = { ...r, id: `helm_release.${id}` };
  return byName;
}

const cache = new Map<string, Record<string, Json>>();
function stacksOf(name: string): Record<string, Json> {
  if (!cache.has(name)) cache.set(name, synthAll(load(name)));
  return cache.get(name)!;
}

describe.each(["dev", "prod"])("%s platform stack", (envName) => {
  const prod = envName === "prod";

  it("configures the Kubernetes and Helm providers only in platform and workloads", () => {
    const stacks = stacksOf(envName);
    for (const layer of ["foundation", "network", "cluster"]) {
      expect(Object.keys(stacks[layer]!.provider ?? {}), layer).not.toContain("kubernetes");
      expect(Object.keys(stacks[layer]!.provider ?? {}), layer).not.toContain("helm");
    }
    expect(Object.keys(stacks.platform!.provider!)).toEqual(expect.arrayContaining(["aws", "kubernetes", "helm"]));
  });

  it("authenticates with an aws_eks_cluster_auth token by default", () => {
    const p = stacksOf(envName).platform!;
    expect(Object.keys(p.data?.aws_eks_cluster_auth ?? {})).toHaveLength(1);
    expect(p.provider!.kubernetes![0]).toMatchObject({ token: expect.stringContaining("data.aws_eks_cluster_auth") });
    expect(p.provider!.kubernetes![0]!.exec).toBeUndefined();
    expect((p.provider!.helm![0]!.kubernetes as Record<string, unknown>).token).toContain("data.aws_eks_cluster_auth");
  });

  it("installs every add-on with an exact chart version, atomically", () => {
    const r = releases(stacksOf(envName).platform!);
    expect(Object.keys(r).sort()).toEqual([
      "aws-load-balancer-controller",
      "cluster-autoscaler",
      "cluster-secret-store",
      "external-secrets",
      "kube-prometheus-stack",
      "metrics-server",
      "monitoring-secrets",
      "team-ingress-classes",
      "velero",
    ]);
    for (const release of Object.values(r)) {
      expect(release).toMatchObject({ atomic: true, cleanup_on_fail: true, wait: true });
      expect(release.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it("creates each add-on's service account in the namespace its IRSA role (cluster layer) trusts", () => {
    const stacks = stacksOf(envName);
    const trusted = Object.values(stacks.cluster!.data?.aws_iam_policy_document ?? {}).flatMap((doc) =>
      (doc.statement as { condition?: { variable: string; values: string[] }[] }[]).flatMap((st) =>
        (st.condition ?? []).filter((c) => c.variable.endsWith(":sub")).flatMap((c) => c.values),
      ),
    );
    const r = releases(stacks.platform!);
    const serviceAccountOf: Record<string, (values: any) => string> = {
      "aws-load-balancer-controller": (v) => v.serviceAccount.name,
      "cluster-autoscaler": (v) => v.rbac.serviceAccount.name,
      "external-secrets": (v) => v.serviceAccount.name,
      velero: (v) => v.serviceAccount.server.name,
      "kube-prometheus-stack": (v) => v.alertmanager.serviceAccount.name,
    };
    for (const [release, serviceAccount] of Object.entries(serviceAccountOf)) {
      const name = serviceAccount(mergedValues(r[release]!.values as string[]));
      expect(trusted).toContain(`system:serviceaccount:${r[release]!.namespace as string}:${name}`);
    }
  });

  it("orders CRDs before their objects: External Secrets → store → secrets → kube-prometheus-stack → ServiceMonitor users", () => {
    const r = releases(stacksOf(envName).platform!);
    const deps = (name: string) => (r[name]!.depends_on as string[]) ?? [];
    expect(deps("cluster-secret-store")).toEqual([r["external-secrets"]!.id]);
    expect(deps("monitoring-secrets")).toEqual(
      expect.arrayContaining([r["cluster-secret-store"]!.id, "kubernetes_namespace_v1.monitoring_namespace"]),
    );
    expect(deps("kube-prometheus-stack")).toEqual(
      expect.arrayContaining([r["monitoring-secrets"]!.id, expect.stringMatching(/^kubernetes_storage_class_v1\./)]),
    );
    for (const name of ["aws-load-balancer-controller", "cluster-autoscaler", "metrics-server", "velero"]) {
      expect(deps(name), name).toEqual([r["kube-prometheus-stack"]!.id]);
    }
    // No custom resource as kubernetes_manifest here: it would need its CRD at plan time. Built-in kinds
    // (the admission policy guarding team monitoring objects) are known to the API server at plan time.
    const manifests = Object.values(stacksOf(envName).platform!.resource!.kubernetes_manifest ?? {}) as {
      manifest: { apiVersion: string };
    }[];
    for (const m of manifests) expect(m.manifest.apiVersion).toBe("admissionregistration.k8s.io/v1");
  });

  it("syncs the monitoring credentials from Secrets Manager by name", () => {
    const set = mergedValues(releases(stacksOf(envName).platform!)["monitoring-secrets"]!.values as string[]);
    const synced = set.resources.map((es: { metadata: { name: string }; spec: { dataFrom: { extract: { key: string } }[] } }) => [
      es.metadata.name,
      es.spec.dataFrom[0]!.extract.key,
    ]);
    // The shared receivers' secrets, and each team's own Slack webhook (and PagerDuty key where it pages).
    expect(synced.map(([n]: string[]) => n)).toEqual(
      prod
        ? [
            "alertmanager-heartbeat",
            "alertmanager-pagerduty",
            "alertmanager-pagerduty-payments",
            "alertmanager-slack",
            "alertmanager-slack-payments",
            "grafana-admin",
          ]
        : ["alertmanager-heartbeat", "alertmanager-pagerduty", "alertmanager-slack", "alertmanager-slack-payments", "grafana-admin"],
    );
    // The foundation layer's secret names (`shipyard-<env>/<name>`), read through its outputs.
    for (const [, key] of synced) expect(key).toMatch(new RegExp(`${fromLayer(envName, "foundation").source}|^shipyard-${envName}/`));
  });

  it("sizes monitoring, replicas and storage per tier", () => {
    const env = load(envName);
    const r = releases(stacksOf(envName).platform!);
    const kps = mergedValues(r["kube-prometheus-stack"]!.values as string[]);
    expect(kps.prometheus.prometheusSpec).toMatchObject({
      replicas: env.monitoring.prometheus.replicas,
      retention: `${env.monitoring.prometheus.retentionDays}d`,
    });
    expect(kps.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe(
      `${env.monitoring.prometheus.storageGiB}Gi`,
    );
    const alertmanagerRole = kps.alertmanager.serviceAccount.annotations["eks.amazonaws.com/role-arn"];
    if (!fromLayer(envName, "cluster").test(alertmanagerRole)) expect(alertmanagerRole).toBe(addonRoleArn(env, undefined, "alertmanager"));
    expect(kps.alertmanager.alertmanagerSpec.secrets).toEqual(
      prod
        ? [
            "alertmanager-heartbeat",
            "alertmanager-pagerduty",
            "alertmanager-pagerduty-payments",
            "alertmanager-slack",
            "alertmanager-slack-payments",
          ]
        : ["alertmanager-heartbeat", "alertmanager-pagerduty", "alertmanager-slack", "alertmanager-slack-payments"],
    );
    expect(kps.grafana.admin.existingSecret).toBe("grafana-admin");
    const alb = mergedValues(r["aws-load-balancer-controller"]!.values as string[]);
    expect(alb.replicaCount).toBe(prod ? 2 : 1);
    expect(alb.region).toBe(env.region);
    expect(alb.vpcId).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\.outputs\./);
    const velero = mergedValues(r.velero!.values as string[]);
    expect(Object.keys(velero.schedules)).toEqual(env.backup.schedules.map((s) => s.name));
    expect(velero.configuration.backupStorageLocation[0]).toMatchObject({
      bucket: expect.stringMatching(fromLayer(envName, "foundation")),
      config: { region: env.region, kmsKeyId: expect.stringMatching(fromLayer(envName, "foundation")) },
    });
    // Team volumes (the default class) go with their claim; the platform's own volumes are retained.
    const classes = Object.fromEntries(
      (Object.values(stacksOf(envName).platform!.resource!.kubernetes_storage_class_v1!) as Record<string, any>[]).map((c) => [
        c.metadata.name,
        c,
      ]),
    );
    expect(classes.gp3!.reclaim_policy).toBe("Delete");
    expect(classes.gp3!.metadata.annotations["storageclass.kubernetes.io/is-default-class"]).toBe("true");
    expect(classes["gp3-retain"]!.reclaim_policy).toBe("Retain");
    expect(classes["gp3-retain"]!.metadata.annotations["storageclass.kubernetes.io/is-default-class"]).toBe("false");
    for (const c of Object.values(classes) as Record<string, any>[])
      expect((c.parameters as Record<string, string>).kmsKeyId).toMatch(fromLayer(envName, "foundation"));
  });

  it("keeps secret values out of the synthesized JSON", () => {
    const text = JSON.stringify(stacksOf(envName).platform);
    expect(text).not.toMatch(/adminPassword|prom-operator|hooks\.slack\.com|routing_key"/);
  });
});

describe("platform provider authentication", () => {
  it("uses exec with aws eks get-token when cluster.kubernetesAuth is exec", () => {
    const env = load("dev", (e) => ({ ...e, cluster: { ...e.cluster, kubernetesAuth: "exec" } }));
    const p = synthAll(env).platform!;
    expect(p.data?.aws_eks_cluster_auth).toBeUndefined();
    const exec = {
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "shipyard-dev", "--region", "eu-west-1", "--output", "json"],
    };
    expect(p.provider!.kubernetes![0]).toMatchObject({ exec: [exec] });
    expect(p.provider!.kubernetes![0]!.token).toBeUndefined();
    expect((p.provider!.helm![0]!.kubernetes as Record<string, unknown>).exec).toEqual(exec);
  });
});
