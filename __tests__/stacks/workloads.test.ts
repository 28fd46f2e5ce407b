import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../src/config";
import { SETTINGS_HASH_ANNOTATION, appConfigMapManifest, appExternalSecretManifest, appSettingsHash } from "../../modules/workload";
import { WorkloadsStack } from "../../src/stacks/workloads";
import { appSettingsProps, ecrRepositoryUrl, imageTagVariableName } from "../../src/stacks/workload-props";
import { loadFixture, type Edit } from "../support/environments";
import { unknownKeys } from "../modules/workload/provider-schema";

type Json = Record<string, any>;

/**
 * The workloads stack reads nothing from the earlier layers' objects (image URLs and secret names are
 * deterministic), so the suite builds it alone and stays independent of the other layers' code.
 */
function synthWorkloads(env: EnvironmentConfig): { stack: WorkloadsStack; json: Json; text: string } {
  const app = Testing.app({ stackTraces: false });
  const stack = new WorkloadsStack(app, { env, outdir: "cdktf.out" });
  const text = Testing.synth(stack);
  return { stack, json: JSON.parse(text) as Json, text };
}

const values = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});
const only = (json: Json, type: string): Json => {
  const all = values(json, type);
  expect(all, type).toHaveLength(1);
  return all[0]!;
};
const manifest = (json: Json, kind: string): Json | undefined =>
  values(json, "kubernetes_manifest")
    .map((r) => r.manifest)
    .find((m) => m.kind === kind);

describe.each(["dev", "prod"] as const)("WorkloadsStack (%s)", (name) => {
  const env = loadFixture(name);
  const app = env.applications[0]!;
  const { stack, json } = synthWorkloads(env);
  const pod = only(json, "kubernetes_deployment_v1").spec.template.spec;
  const container = pod.container[0];

  it("is the environment's workloads layer, on the cluster's Kubernetes provider", () => {
    expect(stack.node.id).toBe(`${name}-workloads`);
    expect(json.provider.kubernetes).toHaveLength(1);
    expect(json.provider.kubernetes[0].host).toBe("${data.aws_eks_cluster.this.endpoint}");
    expect(json.data.aws_eks_cluster["this"].name).toBe(`shipyard-${name}`);
  });

  it("uses only attribute and block names the kubernetes provider's schema has", () => {
    for (const [type, instances] of Object.entries(json.resource as Record<string, Record<string, Json>>)) {
      if (!type.startsWith("kubernetes_")) continue;
      for (const [id, resource] of Object.entries(instances)) expect(unknownKeys(type, resource), `${type}.${id}`).toEqual([]);
    }
  });

  it("takes the image tag from a required Terraform variable, so synthesis does not change per build", () => {
    const variable = imageTagVariableName(app.name);
    expect(variable).toBe("image_tag_sample_app");
    expect(json.variable[variable]).toMatchObject({ type: "string", nullable: false });
    expect(json.variable[variable].default).toBeUndefined();
    expect(json.variable[variable].validation[0].condition).toContain(`var.${variable} != "latest"`);
    expect(container.image).toBe(`${env.account}.dkr.ecr.${env.region}.amazonaws.com/shipyard/sample-app:\${var.${variable}}`);
    expect(ecrRepositoryUrl(env, app.repository)).toBe(`${env.account}.dkr.ecr.${env.region}.amazonaws.com/${app.repository}`);
  });

  it("maps the application's port, probes, grace period and resources", () => {
    expect(container.port[0].container_port).toBe(app.port);
    expect(container.liveness_probe.http_get.path).toBe(app.healthPath);
    expect(container.readiness_probe.http_get.path).toBe(app.readyPath);
    expect(pod.termination_grace_period_seconds).toBe(app.terminationGraceSeconds + 10);
    expect(container.resources).toEqual({ requests: app.resources!.requests, limits: app.resources!.limits });
    expect(container.security_context.read_only_root_filesystem).toBe(true);
  });

  it("scales between the configured bounds, with a disruption budget only for 2 or more replicas", () => {
    const hpa = only(json, "kubernetes_horizontal_pod_autoscaler_v2");
    expect([hpa.spec.min_replicas, hpa.spec.max_replicas]).toEqual([app.replicas.min, app.replicas.max]);
    expect(values(json, "kubernetes_pod_disruption_budget_v1")).toHaveLength(app.replicas.min >= 2 ? 1 : 0);
  });

  it("spreads strictly over zones in prod only", () => {
    expect(pod.topology_spread_constraint[0].when_unsatisfiable).toBe(name === "prod" ? "DoNotSchedule" : "ScheduleAnyway");
  });

  it("publishes the ingress on the environment's ALB group with the configured scheme and certificate", () => {
    const annotations = only(json, "kubernetes_ingress_v1").metadata.annotations;
    expect(annotations["alb.ingress.kubernetes.io/scheme"]).toBe(app.ingress!.scheme);
    expect(annotations["alb.ingress.kubernetes.io/certificate-arn"]).toBe(app.ingress!.certificateArn);
    expect(annotations["alb.ingress.kubernetes.io/group.name"]).toBeUndefined();
    expect(only(json, "kubernetes_ingress_v1").spec.ingress_class_name).toBe(
      `alb-${app.team}-${app.ingress!.scheme === "internet-facing" ? "public" : "internal"}`,
    );
    expect(only(json, "kubernetes_ingress_v1").spec.rule[0].host).toBe(app.ingress!.host);
  });

  it("reads the application's secrets from shipyard-<env>/<name> through the ClusterSecretStore", () => {
    const es = manifest(json, "ExternalSecret")!;
    expect(es.apiVersion).toBe("external-secrets.io/v1");
    expect(es.spec.secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: "aws-secrets-manager" });
    const keys = env.secrets.items.find((s) => s.name === "sample-app-api")!.keys;
    expect(es.spec.data.map((d: Json) => [d.remoteRef.key, d.remoteRef.property])).toEqual(
      keys.map((k) => [`shipyard-${name}/sample-app-api`, k]),
    );
  });

  it("publishes the settings as a ConfigMap and monitors the metrics path", () => {
    expect(only(json, "kubernetes_config_map_v1").data).toEqual(app.config);
    expect(manifest(json, "ServiceMonitor")!.spec.endpoints[0].path).toBe(app.metricsPath);
  });

  it("manages exactly the settings objects appSettingsProps describes (the ones generated/ansible carries)", () => {
    const props = appSettingsProps(env, app);
    const cm = only(json, "kubernetes_config_map_v1");
    expect(appConfigMapManifest(props)).toStrictEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: cm.metadata, data: cm.data });
    expect(appExternalSecretManifest(props)).toStrictEqual(manifest(json, "ExternalSecret"));
    expect(only(json, "kubernetes_deployment_v1").spec.template.metadata.annotations[SETTINGS_HASH_ANNOTATION]).toBe(
      appSettingsHash(props),
    );
  });

  it("synthesizes byte-identical JSON twice", () => {
    expect(synthWorkloads(loadFixture(name)).text).toBe(synthWorkloads(env).text);
  });

  it("puts no secret value, no absolute path and no timestamp in the output", () => {
    const text = synthWorkloads(env).text;
    expect(text).not.toMatch(/\/work\/|\/home\/|\/Users\//);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });
});

describe("WorkloadsStack edge cases", () => {
  const set = (path: (string | number)[], value: unknown): Edit => ({ set: path, value });

  it("has no Kubernetes provider and no objects without applications", () => {
    const { json } = synthWorkloads(loadFixture("dev", set(["applications"], [])));
    expect(json.resource?.kubernetes_deployment_v1).toBeUndefined();
    expect(json.provider?.kubernetes).toBeUndefined();
    expect(json.variable).toBeUndefined();
  });

  it("serves an internal ingress without a certificate on HTTP only", () => {
    const env = loadFixture(
      "prod",
      { delete: ["applications", 0, "ingress", "certificateArn"] },
      set(["applications", 0, "ingress", "scheme"], "internal"),
    );
    const annotations = only(synthWorkloads(env).json, "kubernetes_ingress_v1").metadata.annotations;
    expect(annotations["alb.ingress.kubernetes.io/listen-ports"]).toBe('[{"HTTP":80}]');
    expect(only(synthWorkloads(env).json, "kubernetes_ingress_v1").spec.ingress_class_name).toBe("alb-payments-internal");
  });

  it("uses LimitRange defaults for a dev application without resources", () => {
    const env = loadFixture("dev", { delete: ["applications", 0, "resources"] });
    const container = only(synthWorkloads(env).json, "kubernetes_deployment_v1").spec.template.spec.container[0];
    expect(container.resources).toBeUndefined();
  });

  it("gives each application its own image tag variable", () => {
    const second = { ...loadFixture("dev").applications[0]!, name: "orders-api", ingress: undefined, secrets: [] };
    const env = loadFixture(
      "dev",
      set(["applications", 1], { ...second, slo: { availability: 99, latency: { thresholdSeconds: 0.5, objective: 95 } } }),
    );
    const { json } = synthWorkloads(env);
    expect(Object.keys(json.variable).sort()).toEqual(["image_tag_orders_api", "image_tag_sample_app"]);
    const images = values(json, "kubernetes_deployment_v1").map((d) => d.spec.template.spec.container[0].image as string);
    expect(images.sort()).toEqual([
      `${ecrRepositoryUrl(env, "shipyard/sample-app")}:\${var.image_tag_orders_api}`,
      `${ecrRepositoryUrl(env, "shipyard/sample-app")}:\${var.image_tag_sample_app}`,
    ]);
  });
});
