import { TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { ShipyardValidationError } from "../../../modules/core";
import {
  DEFAULT_SSL_POLICY,
  SETTINGS_HASH_ANNOTATION,
  Workload,
  appConfigMapManifest,
  appExternalSecretManifest,
  appSettingsHash,
  secretEnvName,
  type WorkloadProps,
} from "../../../modules/workload";
import { resources, single, synthScope, type Synthesized } from "../../support/synth";
import { hasPath, unknownKeys } from "./provider-schema";

const REPO = "333333333333.dkr.ecr.eu-west-1.amazonaws.com/shipyard/sample-app";
const CERT = "arn:aws:acm:eu-west-1:333333333333:certificate/3f9a1c2e-8b7d-4e6f-a5c4-1b2d3e4f5a6b";

/** What the prod tier produces: several replicas, resources, a public HTTPS ingress, a secret. */
const prodProps: WorkloadProps = {
  name: "sample-app",
  namespace: "payments",
  team: "payments",
  environment: "prod",
  image: { repositoryUrl: REPO, tag: "1.4.2-abc1234" },
  port: 8080,
  replicas: { min: 3, max: 12, targetCpuPercent: 65, targetMemoryPercent: 75 },
  resources: { requests: { cpu: "200m", memory: "192Mi" }, limits: { cpu: "1", memory: "384Mi" } },
  requireResources: true,
  probes: { livenessPath: "/healthz", readinessPath: "/readyz" },
  terminationGraceSeconds: 30,
  config: { LOG_LEVEL: "info", GREETING: "hello" },
  secrets: [{ name: "sample-app-api", remoteKey: "shipyard-prod/sample-app-api", keys: ["api-token"] }],
  ingress: { host: "sample.shipyard.example.com", scheme: "internet-facing", certificateArn: CERT, className: "alb-payments-public" },
  metrics: { path: "/metrics" },
  zoneSpread: "DoNotSchedule",
};

/** What the dev tier may produce: one replica, no resources (LimitRange defaults), internal plain HTTP, no secrets. */
const devProps: WorkloadProps = {
  name: "sample-app",
  namespace: "payments",
  image: { repositoryUrl: REPO, tag: "dev-1" },
  port: 9090,
  replicas: { min: 1, max: 3 },
  probes: { livenessPath: "/live", readinessPath: "/ready", startupPath: "/started", startupSeconds: 60 },
  ingress: { host: "sample.dev.shipyard.example.com", scheme: "internal", className: "alb-payments-internal", allowPlainHttp: true },
  zoneSpread: "ScheduleAnyway",
};

const synth = (props: WorkloadProps): Synthesized => synthScope((scope) => new Workload(scope, "app", props));
type Json = Record<string, any>;
const deployment = (json: Synthesized): Json => single(json, "kubernetes_deployment_v1") as Json;
const podSpec = (json: Synthesized): Json => deployment(json).spec.template.spec;
const container = (json: Synthesized): Json => podSpec(json).container[0];
const manifests = (json: Synthesized, kind: string): Json[] =>
  resources(json, "kubernetes_manifest")
    .map((r) => (r as Json).manifest)
    .filter((m) => m.kind === kind);
/** The only custom resource of a kind. */
const manifest = (json: Synthesized, kind: string): Json => {
  const all = manifests(json, kind);
  if (all.length !== 1) throw new Error(`expected one ${kind}, found ${all.length}`);
  return all[0]!;
};

describe.each([
  ["prod", prodProps],
  ["dev", devProps],
])("Workload (%s tier)", (_tier, props) => {
  const json = synth(props);

  it("uses only attribute and block names the kubernetes provider's schema has", () => {
    for (const [type, instances] of Object.entries(json.resource ?? {})) {
      for (const [id, resource] of Object.entries(instances)) {
        expect(unknownKeys(type, resource), `${type}.${id}`).toEqual([]);
      }
    }
  });

  it("runs the container non-root with a read-only root filesystem and nothing to escalate with", () => {
    const pod = podSpec(json);
    expect(pod.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: "10001",
      run_as_group: "10001",
      fs_group: "10001",
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(container(json).security_context).toEqual({
      run_as_non_root: true,
      run_as_user: "10001",
      run_as_group: "10001",
      privileged: false,
      allow_privilege_escalation: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ["ALL"] },
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.enable_service_links).toBe(false);
    expect(pod.host_network).toBeUndefined();
    expect(single(json, "kubernetes_service_account_v1").automount_service_account_token).toBe(false);
  });

  it("gives /tmp a bounded emptyDir, since the root filesystem is read-only", () => {
    expect(podSpec(json).volume).toEqual([{ name: "tmp", empty_dir: { size_limit: "64Mi" } }]);
    expect(container(json).volume_mount).toEqual([{ name: "tmp", mount_path: "/tmp" }]);
  });

  it("probes the configured paths on the named port", () => {
    const c = container(json);
    expect(c.port).toEqual([{ name: "http", container_port: props.port, protocol: "TCP" }]);
    expect(c.liveness_probe.http_get).toEqual({ path: props.probes.livenessPath, port: "http", scheme: "HTTP" });
    expect(c.readiness_probe.http_get).toEqual({ path: props.probes.readinessPath, port: "http", scheme: "HTTP" });
    expect(c.startup_probe.http_get.path).toBe(props.probes.startupPath ?? props.probes.livenessPath);
    expect(c.startup_probe.period_seconds * c.startup_probe.failure_threshold).toBe(props.probes.startupSeconds ?? 120);
  });

  it("sleeps in preStop and counts the sleep into the grace period", () => {
    const c = container(json);
    expect(c.lifecycle.pre_stop[0].exec.command).toEqual(["sleep", "10"]);
    expect(podSpec(json).termination_grace_period_seconds).toBe(10 + (props.terminationGraceSeconds ?? 30));
  });

  it("spreads pods over zones and hosts", () => {
    const spread = podSpec(json).topology_spread_constraint;
    const selector = [{ match_labels: { "app.kubernetes.io/name": "sample-app" } }];
    expect(spread).toEqual([
      { max_skew: 1, topology_key: "topology.kubernetes.io/zone", when_unsatisfiable: props.zoneSpread, label_selector: selector },
      { max_skew: 1, topology_key: "kubernetes.io/hostname", when_unsatisfiable: "ScheduleAnyway", label_selector: selector },
    ]);
  });

  it("pulls the tagged image from the repository", () => {
    expect(container(json).image).toBe(`${REPO}:${props.image.tag}`);
    expect(container(json).image_pull_policy).toBe("IfNotPresent");
  });

  it("sets requests and limits when given, else leaves them to the namespace LimitRange", () => {
    if (props.resources) {
      expect(container(json).resources).toEqual({
        requests: { cpu: props.resources.requests.cpu, memory: props.resources.requests.memory },
        limits: { cpu: props.resources.limits.cpu, memory: props.resources.limits.memory },
      });
    } else {
      expect(container(json).resources).toBeUndefined();
    }
  });

  it("leaves the replica count to the HPA and tolerates restarts by kubectl (Ansible restarts with Terraform's own settings hash)", () => {
    const d = deployment(json);
    expect(d.spec.replicas).toBe(String(props.replicas.min));
    expect(d.lifecycle.ignore_changes).toEqual([
      "spec[0].replicas",
      'spec[0].template[0].metadata[0].annotations["kubectl.kubernetes.io/restartedAt"]',
    ]);
    expect(d.spec.strategy).toEqual({ type: "RollingUpdate", rolling_update: { max_surge: "25%", max_unavailable: "0" } });
    expect(d.wait_for_rollout).toBe(true);
  });

  it("exposes a ClusterIP Service on the named port", () => {
    const svc = single(json, "kubernetes_service_v1") as Json;
    expect(svc.spec.type).toBe("ClusterIP");
    expect(svc.spec.selector).toEqual({ "app.kubernetes.io/name": "sample-app" });
    expect(svc.spec.port).toEqual([{ name: "http", port: props.port, target_port: "http", protocol: "TCP" }]);
  });

  it("scales on CPU and memory between the configured bounds", () => {
    const hpa = single(json, "kubernetes_horizontal_pod_autoscaler_v2") as Json;
    expect(hpa.spec.min_replicas).toBe(props.replicas.min);
    expect(hpa.spec.max_replicas).toBe(props.replicas.max);
    expect(hpa.spec.scale_target_ref).toEqual({
      api_version: "apps/v1",
      kind: "Deployment",
      name: expect.stringMatching(/^\$\{kubernetes_deployment_v1\.app_deployment_[0-9A-F]{8}\.metadata\[0\]\.name\}$/),
    });
    expect(hpa.spec.metric).toEqual([
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", average_utilization: props.replicas.targetCpuPercent ?? 70 } },
      },
      {
        type: "Resource",
        resource: { name: "memory", target: { type: "Utilization", average_utilization: props.replicas.targetMemoryPercent ?? 80 } },
      },
    ]);
    expect(hpa.spec.behavior.scale_down[0].stabilization_window_seconds).toBe(300);
  });

  it("has a PodDisruptionBudget only when at least 2 replicas run", () => {
    const pdbs = resources(json, "kubernetes_pod_disruption_budget_v1") as Json[];
    if (props.replicas.min >= 2) {
      expect(pdbs).toHaveLength(1);
      expect(pdbs[0]!.spec).toEqual({ max_unavailable: "1", selector: { match_labels: { "app.kubernetes.io/name": "sample-app" } } });
    } else {
      expect(pdbs).toEqual([]);
    }
  });

  it("has a ServiceMonitor that selects the Service and scrapes its named port", () => {
    const sm = manifest(json, "ServiceMonitor");
    const svc = single(json, "kubernetes_service_v1") as Json;
    expect(sm.apiVersion).toBe("monitoring.coreos.com/v1");
    expect(sm.metadata).toMatchObject({ name: "sample-app", namespace: "payments" });
    expect(sm.metadata.labels.release).toBe("kube-prometheus-stack");
    // The monitor's selector must match the Service's labels, and its port the Service's port name.
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    expect(sm.spec.endpoints).toEqual([{ port: svc.spec.port[0].name, path: "/metrics", interval: "30s", scheme: "http" }]);
    expect(sm.spec.namespaceSelector).toEqual({ matchNames: ["payments"] });
    // Field names of the ServiceMonitor CRD (monitoring.coreos.com/v1).
    expect(Object.keys(sm.spec).sort()).toEqual(["endpoints", "namespaceSelector", "selector"]);
  });
});

describe("Workload ingress", () => {
  it("serves HTTPS with the certificate, redirects HTTP, and uses a TLS 1.2/1.3 policy", () => {
    const ingress = single(synth(prodProps), "kubernetes_ingress_v1") as Json;
    // The team's class fixes the IngressGroup; no group.name annotation (the controller ignores it anyway).
    expect(ingress.spec.ingress_class_name).toBe("alb-payments-public");
    expect(ingress.metadata.annotations).toEqual({
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/certificate-arn": CERT,
      "alb.ingress.kubernetes.io/ssl-policy": DEFAULT_SSL_POLICY,
      "alb.ingress.kubernetes.io/healthcheck-path": "/readyz",
      "alb.ingress.kubernetes.io/healthcheck-port": "traffic-port",
      "alb.ingress.kubernetes.io/success-codes": "200",
      "alb.ingress.kubernetes.io/target-group-attributes": "deregistration_delay.timeout_seconds=30",
      "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
    });
    expect(JSON.parse(ingress.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"])).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    expect(DEFAULT_SSL_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(ingress.spec.rule).toEqual([
      {
        host: "sample.shipyard.example.com",
        http: {
          path: [
            {
              path: "/",
              path_type: "Prefix",
              backend: {
                service: {
                  name: expect.stringMatching(/^\$\{kubernetes_service_v1\.app_service_[0-9A-F]{8}\.metadata\[0\]\.name\}$/),
                  port: { name: "http" },
                },
              },
            },
          ],
        },
      },
    ]);
  });

  it("listens on HTTP only for an internal ingress without a certificate", () => {
    const ingress = single(synth(devProps), "kubernetes_ingress_v1") as Json;
    const a = ingress.metadata.annotations;
    expect(a["alb.ingress.kubernetes.io/scheme"]).toBe("internal");
    expect(a["alb.ingress.kubernetes.io/listen-ports"]).toBe('[{"HTTP":80}]');
    expect(a["alb.ingress.kubernetes.io/ssl-redirect"]).toBeUndefined();
    expect(a["alb.ingress.kubernetes.io/certificate-arn"]).toBeUndefined();
    expect(a["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/ready");
  });

  it("creates no Ingress without ingress props", () => {
    expect(resources(synth({ ...devProps, ingress: undefined }), "kubernetes_ingress_v1")).toEqual([]);
  });
});

describe("Workload settings and secrets", () => {
  const json = synth(prodProps);

  it("publishes settings as a ConfigMap (sorted keys) with the labels the Ansible app_config role uses", () => {
    const cm = single(json, "kubernetes_config_map_v1") as Json;
    expect(cm.metadata.name).toBe("sample-app-config");
    expect(Object.keys(cm.data)).toEqual(["GREETING", "LOG_LEVEL"]);
    expect(cm.metadata.labels).toEqual({
      "app.kubernetes.io/managed-by": "shipyard",
      "shipyard.io/component": "app-config",
      "app.kubernetes.io/name": "sample-app",
      "app.kubernetes.io/part-of": "shipyard",
      "shipyard.io/environment": "prod",
    });
    expect(container(json).env_from).toEqual([
      {
        config_map_ref: {
          name: expect.stringMatching(/^\$\{kubernetes_config_map_v1\.app_config_[0-9A-F]{8}\.metadata\[0\]\.name\}$/),
          optional: false,
        },
      },
    ]);
  });

  it("reads secrets through an external-secrets.io/v1 ExternalSecret from the ClusterSecretStore", () => {
    const es = manifest(json, "ExternalSecret");
    expect(es.apiVersion).toBe("external-secrets.io/v1");
    expect(es.metadata).toMatchObject({ name: "sample-app-secrets", namespace: "payments" });
    expect(es.spec.secretStoreRef).toEqual({ kind: "ClusterSecretStore", name: "aws-secrets-manager" });
    expect(es.spec.target).toEqual({ name: "sample-app-secrets", creationPolicy: "Owner", deletionPolicy: "Retain" });
    expect(es.spec.refreshInterval).toBe("1h");
    expect(es.spec.data).toEqual([
      {
        secretKey: "sample-app-api-api-token",
        remoteRef: {
          key: "shipyard-prod/sample-app-api",
          property: "api-token",
          conversionStrategy: "Default",
          decodingStrategy: "None",
          metadataPolicy: "None",
        },
      },
    ]);
  });

  it("maps each secret key to an environment variable from the ExternalSecret's target Secret", () => {
    const es = manifest(json, "ExternalSecret");
    const env = container(json).env as Json[];
    expect(env).toEqual([
      { name: "PORT", value: "8080" },
      {
        name: "SAMPLE_APP_API_API_TOKEN",
        value_from: { secret_key_ref: { name: es.spec.target.name, key: es.spec.data[0].secretKey, optional: false } },
      },
    ]);
    expect(secretEnvName("db.main", "pass-word")).toBe("DB_MAIN_PASS_WORD");
    expect(deployment(json).depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.app_external-secret_[0-9A-F]{8}$/)]);
  });

  it("creates no ExternalSecret without secrets", () => {
    expect(manifests(synth(devProps), "ExternalSecret")).toEqual([]);
    expect(container(synth(devProps)).env).toEqual([{ name: "PORT", value: "9090" }]);
  });

  it("rolls the pods when the settings change, and only then", () => {
    const hash = (props: WorkloadProps) => deployment(synth(props)).spec.template.metadata.annotations[SETTINGS_HASH_ANNOTATION];
    expect(hash(prodProps)).toMatch(/^[0-9a-f]{64}$/);
    expect(hash({ ...prodProps })).toBe(hash(prodProps));
    expect(hash({ ...prodProps, config: { GREETING: "hello", LOG_LEVEL: "info" } })).toBe(hash(prodProps));
    expect(hash({ ...prodProps, config: { LOG_LEVEL: "debug", GREETING: "hello" } })).not.toBe(hash(prodProps));
  });

  it("builds the ConfigMap and ExternalSecret from the pure manifest functions the Ansible variables also use", () => {
    const cm = single(json, "kubernetes_config_map_v1") as Json;
    expect(appConfigMapManifest(prodProps)).toStrictEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: cm.metadata, data: cm.data });
    expect(Object.keys(cm).sort()).toEqual(["data", "metadata"]);
    expect(appExternalSecretManifest(prodProps)).toStrictEqual(manifest(json, "ExternalSecret"));
    expect(appExternalSecretManifest(devProps)).toBeUndefined();
    expect(deployment(json).spec.template.metadata.annotations[SETTINGS_HASH_ANNOTATION]).toBe(appSettingsHash(prodProps));
  });

  it("derives the settings hash from what the pods read, nothing else", () => {
    const base = appSettingsHash(prodProps);
    expect(appSettingsHash({ ...prodProps, config: { GREETING: "hello", LOG_LEVEL: "info" } })).toBe(base);
    expect(appSettingsHash({ ...prodProps, config: { ...prodProps.config, LOG_LEVEL: "debug" } })).not.toBe(base);
    expect(appSettingsHash({ ...prodProps, secrets: [{ ...prodProps.secrets![0]!, keys: ["api-token", "other"] }] })).not.toBe(base);
    expect(appSettingsHash({ ...prodProps, secrets: [] })).not.toBe(base);
    // Labels and the rest of the workload do not restart the pods.
    expect(appSettingsHash({ ...prodProps, environment: "staging" })).toBe(base);
    expect(appSettingsHash({ ...prodProps, team: "other", port: 9000 } as WorkloadProps)).toBe(base);
  });

  it("accepts the image tag as a Terraform variable", () => {
    const json2 = synthScope((scope) => {
      const tag = new TerraformVariable(scope, "image_tag_sample_app", { type: "string" });
      new Workload(scope, "app", { ...prodProps, image: { repositoryUrl: REPO, tag: tag.stringValue } });
    });
    expect(container(json2).image).toBe(`${REPO}:\${var.image_tag_sample_app}`);
  });

  it("annotates the ServiceAccount for IRSA when a role is given", () => {
    const role = "arn:aws:iam::333333333333:role/shipyard-prod-sample-app";
    const sa = single(synth({ ...prodProps, serviceAccount: { roleArn: role } }), "kubernetes_service_account_v1") as Json;
    expect(sa.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": role });
    expect(sa.automount_service_account_token).toBe(false);
  });
});

describe("the provider schema the tests check against", () => {
  it("knows the paths the module relies on, and not made-up ones", () => {
    for (const path of [
      "spec.template.spec.container.security_context.read_only_root_filesystem",
      "spec.template.spec.container.security_context.capabilities.drop",
      "spec.template.spec.security_context.seccomp_profile.type",
      "spec.template.spec.container.lifecycle.pre_stop.exec.command",
      "spec.template.spec.topology_spread_constraint.label_selector.match_labels",
      "spec.template.spec.container.env.value_from.secret_key_ref.key",
      "spec.template.spec.volume.empty_dir.size_limit",
    ]) {
      expect(hasPath("kubernetes_deployment_v1", path), path).toBe(true);
    }
    expect(hasPath("kubernetes_deployment_v1", "spec.template.spec.container.security_context.read_only_root_fs")).toBe(false);
    expect(unknownKeys("kubernetes_deployment_v1", { spec: { template: { spec: { container: [{ securityContext: {} }] } } } })).toEqual([
      "spec.template.spec.container.securityContext",
    ]);
    expect(hasPath("kubernetes_horizontal_pod_autoscaler_v2", "spec.behavior.scale_down.policy.period_seconds")).toBe(true);
    expect(hasPath("kubernetes_ingress_v1", "spec.rule.http.path.backend.service.port.name")).toBe(true);
  });
});

describe("Workload refusals", () => {
  const refuse = (name: string, props: WorkloadProps, path: string, message: RegExp) => [name, props, path, message] as const;
  const cases = [
    refuse(
      "a privileged container",
      { ...prodProps, security: { privileged: true } },
      "security.privileged",
      /privileged containers are refused/,
    ),
    refuse(
      "privilege escalation",
      { ...prodProps, security: { allowPrivilegeEscalation: true } },
      "security.allowPrivilegeEscalation",
      /refused/,
    ),
    refuse("running as root", { ...prodProps, security: { runAsUser: 0 } }, "security.runAsUser", /non-root id/),
    refuse(
      "an added capability",
      { ...prodProps, security: { addCapabilities: ["SYS_ADMIN"] } },
      "security.addCapabilities[0]",
      /SYS_ADMIN is refused/,
    ),
    refuse(
      "a writable root filesystem without a reason",
      { ...prodProps, security: { readOnlyRootFilesystem: false } },
      "security.readOnlyRootFilesystem",
      /waiverReason/,
    ),
    refuse("no probes", { ...prodProps, probes: undefined as never }, "probes", /liveness and readiness probes are required/),
    refuse(
      "no readiness path",
      { ...prodProps, probes: { livenessPath: "/healthz", readinessPath: "" } },
      "probes.readinessPath",
      /is missing/,
    ),
    refuse(
      "a probe path without a slash",
      { ...prodProps, probes: { livenessPath: "healthz", readinessPath: "/readyz" } },
      "probes.livenessPath",
      /not an HTTP path/,
    ),
    refuse("no resources where required", { ...prodProps, resources: undefined }, "resources", /requests and limits are required/),
    refuse(
      "requests above limits",
      { ...prodProps, resources: { requests: { cpu: "2", memory: "192Mi" }, limits: { cpu: "1", memory: "384Mi" } } },
      "resources.requests.cpu",
      /exceeds limits.cpu/,
    ),
    refuse(
      "a bad memory quantity",
      { ...prodProps, resources: { requests: { cpu: "1", memory: "lots" }, limits: { cpu: "1", memory: "384Mi" } } },
      "resources.requests.memory",
      /not a memory quantity/,
    ),
    refuse("the latest tag", { ...prodProps, image: { repositoryUrl: REPO, tag: "latest" } }, "image.tag", /latest is refused/),
    refuse(
      "a tag in the repository URL",
      { ...prodProps, image: { repositoryUrl: `${REPO}:v1`, tag: "v1" } },
      "image.repositoryUrl",
      /carries a tag or digest/,
    ),
    refuse("a privileged port", { ...prodProps, port: 80 }, "port", /1024-65535/),
    refuse("min above max", { ...prodProps, replicas: { min: 5, max: 2 } }, "replicas.max", />= replicas.min/),
    refuse(
      "a public ingress without a certificate",
      { ...prodProps, ingress: { ...prodProps.ingress!, certificateArn: undefined } },
      "ingress.certificateArn",
      /internet-facing ingress serves HTTPS only/,
    ),
    refuse(
      "a public ingress on plain HTTP",
      { ...prodProps, ingress: { ...prodProps.ingress!, certificateArn: undefined, allowPlainHttp: true } },
      "ingress.certificateArn",
      /HTTPS only/,
    ),
    refuse(
      "an internal ingress without a certificate, not allowed",
      { ...devProps, ingress: { ...devProps.ingress!, allowPlainHttp: false } },
      "ingress.certificateArn",
      /allowPlainHttp/,
    ),
    refuse(
      "a TLS 1.0 policy",
      { ...prodProps, ingress: { ...prodProps.ingress!, sslPolicy: "ELBSecurityPolicy-2016-08" } },
      "ingress.sslPolicy",
      /TLS13/,
    ),
    refuse("PORT in the settings", { ...prodProps, config: { PORT: "1" } }, "config.PORT", /set by Shipyard from port/),
    refuse("a lower-case setting", { ...prodProps, config: { log_level: "x" } }, "config.log_level", /UPPER_SNAKE_CASE/),
    refuse(
      "a secret variable that collides with a setting",
      { ...prodProps, config: { SAMPLE_APP_API_API_TOKEN: "x" } },
      "secrets[0].keys[0]",
      /already set by config.SAMPLE_APP_API_API_TOKEN/,
    ),
    refuse(
      "a secret without keys",
      { ...prodProps, secrets: [{ name: "db", remoteKey: "x/db", keys: [] }] },
      "secrets[0].keys",
      /at least one key/,
    ),
    refuse(
      "a bad secret name",
      { ...prodProps, secrets: [{ name: "DB", remoteKey: "x/db", keys: ["a"] }] },
      "secrets[0].name",
      /not a secret name/,
    ),
    refuse("a bad name", { ...prodProps, name: "Sample_App" }, "name", /not a DNS label/),
  ];

  it.each(cases)("refuses %s", (_name, props, path, message) => {
    let caught: unknown;
    try {
      synth(props);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ShipyardValidationError);
    expect((caught as ShipyardValidationError).path).toBe(path);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message.startsWith(`${path}: `)).toBe(true);
  });

  it("accepts a writable root filesystem with a stated reason, and NET_BIND_SERVICE", () => {
    const json = synth({
      ...prodProps,
      security: { readOnlyRootFilesystem: false, waiverReason: "vendor image writes to /var/cache", addCapabilities: ["NET_BIND_SERVICE"] },
    });
    expect(container(json).security_context.read_only_root_filesystem).toBe(false);
    expect(container(json).security_context.capabilities).toEqual({ drop: ["ALL"], add: ["NET_BIND_SERVICE"] });
  });

  it("lets preStop be turned off for images without sleep", () => {
    const json = synth({ ...prodProps, preStopSleepSeconds: 0 });
    expect(container(json).lifecycle).toBeUndefined();
    expect(podSpec(json).termination_grace_period_seconds).toBe(30);
  });
});
