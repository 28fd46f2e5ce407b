import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DeploymentV1, type DeploymentV1SpecTemplateSpecContainerEnv } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { MONITORING_RELEASE } from "../addons/kube-prometheus-stack/service-account";
import { PRE_STOP_SLEEP_SECONDS, TERMINATION_GRACE_SECONDS } from "./limits";
import type { WorkloadProps } from "./props";
import { appConfigMapManifest, appExternalSecretManifest, appSecretKey, appSecretName, appSettingsHash } from "./settings";
import { validateWorkload } from "./validate";

export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** The label kube-prometheus-stack's own ServiceMonitors carry: its release name. */
export const DEFAULT_SERVICE_MONITOR_LABELS: Readonly<Record<string, string>> = { release: MONITORING_RELEASE };
/** Pod template annotation holding a hash of the settings: a change of settings rolls the pods. */
export const SETTINGS_HASH_ANNOTATION = "shipyard.io/settings-hash";
/**
 * Annotations other tools put on the pod template, which Terraform must not revert: `kubectl rollout
 * restart`. (The Ansible app_config role restarts through SETTINGS_HASH_ANNOTATION with the value
 * Terraform computes, so Terraform owns that one and sees no drift.)
 */
export const FOREIGN_TEMPLATE_ANNOTATIONS = ["kubectl.kubernetes.io/restartedAt"] as const;
const PORT_NAME = "http";

/** `sample-app-api` + `api-token` → `SAMPLE_APP_API_API_TOKEN`. */
export function secretEnvName(secret: string, key: string): string {
  return `${secret}_${key}`.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
}

/**
 * One application: ServiceAccount, ConfigMap, ExternalSecret, Deployment (non-root, read-only root
 * filesystem, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, probes, zone
 * and host spread, preStop sleep), ClusterIP Service, ALB Ingress, HPA (CPU and memory), a
 * PodDisruptionBudget when at least 2 replicas run, and a ServiceMonitor.
 *
 * The ExternalSecret and ServiceMonitor are `kubernetes_manifest` resources: Terraform reads their CRDs
 * from the cluster at plan time, so they live in a stack that runs after the one installing the CRDs.
 *
 * The ConfigMap and ExternalSecret are built by `appConfigMapManifest` and `appExternalSecretManifest`
 * (settings.ts), the same functions `shipyard snapshot` uses for `generated/ansible/<env>.yml`. Terraform
 * owns them; the Ansible app_config role converges byte-identical objects (and restarts the Deployment
 * through the same settings-hash annotation), so neither writer ever sees the other's write as drift.
 */
export class Workload extends Construct {
  public readonly deploymentName: string;
  public readonly serviceName: string;
  public readonly serviceAccountName: string;
  public readonly configMapName: string;
  /** The Kubernetes Secret External Secrets writes; undefined without secrets. */
  public readonly secretName?: string;
  public readonly ingressName?: string;
  /** Labels that select the pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    validateWorkload(props);
    const { name, namespace } = props;
    const secrets = props.secrets ?? [];
    const security = props.security ?? {};
    const runAsUser = security.runAsUser ?? 10001;
    const runAsGroup = security.runAsGroup ?? runAsUser;
    const preStop = props.preStopSleepSeconds ?? PRE_STOP_SLEEP_SECONDS.default;
    const drain = props.terminationGraceSeconds ?? TERMINATION_GRACE_SECONDS.default;
    const selector = { "app.kubernetes.io/name": name };
    const envLabels: Record<string, string> = props.environment ? { "shipyard.io/environment": props.environment } : {};
    const labels: Record<string, string> = {
      ...selector,
      "app.kubernetes.io/part-of": "shipyard",
      "app.kubernetes.io/managed-by": "shipyard",
      "shipyard.io/component": "workload",
      ...(props.team ? { "shipyard.io/team": props.team } : {}),
      ...envLabels,
    };
    const meta = (objectName: string, extra: Record<string, string> = labels) => ({ name: objectName, namespace, labels: extra });

    const serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: {
        ...meta(name),
        ...(props.serviceAccount?.roleArn ? { annotations: { "eks.amazonaws.com/role-arn": props.serviceAccount.roleArn } } : {}),
      },
      automountServiceAccountToken: props.serviceAccount?.automountToken ?? false,
    });

    // The settings objects come from the same pure functions that write them into the Ansible variables
    // (settings.ts): Terraform owns them, the app_config role converges identical content.
    const configMapManifest = appConfigMapManifest(props);
    const configMap = new ConfigMapV1(this, "config", { metadata: configMapManifest.metadata, data: configMapManifest.data });

    const secretName = appSecretName(name);
    const externalSecretManifest = appExternalSecretManifest(props);
    const externalSecret = externalSecretManifest ? new Manifest(this, "external-secret", { manifest: externalSecretManifest }) : undefined;

    const env: DeploymentV1SpecTemplateSpecContainerEnv[] = [
      { name: "PORT", value: String(props.port) },
      ...secrets.flatMap((secret) =>
        secret.keys.map((key) => ({
          name: secretEnvName(secret.name, key),
          valueFrom: { secretKeyRef: { name: secretName, key: appSecretKey(secret.name, key), optional: false } },
        })),
      ),
    ];
    const settingsHash = appSettingsHash(props);

    const probes = props.probes;
    const httpGet = (path: string) => ({ path, port: PORT_NAME, scheme: "HTTP" });
    const startupSeconds = probes.startupSeconds ?? 120;
    const spreadSelector = { matchLabels: selector };
    const deployment = new DeploymentV1(this, "deployment", {
      metadata: meta(name),
      waitForRollout: true,
      spec: {
        replicas: String(props.replicas.min),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "0" } },
        template: {
          metadata: { labels, annotations: { [SETTINGS_HASH_ANNOTATION]: settingsHash } },
          spec: {
            serviceAccountName: serviceAccount.metadata.name,
            automountServiceAccountToken: props.serviceAccount?.automountToken ?? false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: preStop + drain,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: String(runAsUser),
              runAsGroup: String(runAsGroup),
              fsGroup: String(runAsGroup),
              seccompProfile: { type: "RuntimeDefault" },
            },
            topologySpreadConstraint: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: props.zoneSpread ?? "DoNotSchedule",
                labelSelector: [spreadSelector],
              },
              { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: [spreadSelector] },
            ],
            container: [
              {
                name,
                image: `${props.image.repositoryUrl}:${props.image.tag}`,
                imagePullPolicy: "IfNotPresent",
                port: [{ name: PORT_NAME, containerPort: props.port, protocol: "TCP" }],
                env,
                envFrom: [{ configMapRef: { name: configMap.metadata.name, optional: false } }],
                ...(props.resources
                  ? {
                      resources: {
                        requests: { cpu: props.resources.requests.cpu, memory: props.resources.requests.memory },
                        limits: { cpu: props.resources.limits.cpu, memory: props.resources.limits.memory },
                      },
                    }
                  : {}),
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: String(runAsUser),
                  runAsGroup: String(runAsGroup),
                  privileged: false,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: security.readOnlyRootFilesystem ?? true,
                  capabilities: { drop: ["ALL"], ...(security.addCapabilities?.length ? { add: [...security.addCapabilities] } : {}) },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                startupProbe: {
                  httpGet: httpGet(probes.startupPath ?? probes.livenessPath),
                  periodSeconds: 5,
                  timeoutSeconds: 2,
                  failureThreshold: Math.ceil(startupSeconds / 5),
                },
                livenessProbe: { httpGet: httpGet(probes.livenessPath), periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
                readinessProbe: {
                  httpGet: httpGet(probes.readinessPath),
                  periodSeconds: 5,
                  timeoutSeconds: 2,
                  failureThreshold: 2,
                  successThreshold: 1,
                },
                ...(preStop > 0 ? { lifecycle: { preStop: [{ exec: { command: ["sleep", String(preStop)] } }] } } : {}),
                volumeMount: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volume: [{ name: "tmp", emptyDir: { sizeLimit: props.tmpSizeLimit ?? "64Mi" } }],
          },
        },
      },
      lifecycle: {
        // The HPA owns the replica count; restarts by Ansible or kubectl are not drift.
        ignoreChanges: [
          "spec[0].replicas",
          ...FOREIGN_TEMPLATE_ANNOTATIONS.map((a) => `spec[0].template[0].metadata[0].annotations["${a}"]`),
        ],
      },
      dependsOn: externalSecret ? [externalSecret] : [],
    });

    const service = new ServiceV1(this, "service", {
      metadata: meta(name),
      spec: {
        type: "ClusterIP",
        selector,
        port: [{ name: PORT_NAME, port: props.port, targetPort: PORT_NAME, protocol: "TCP" }],
      },
    });

    if (props.ingress) {
      const ing = props.ingress;
      const https = ing.certificateArn !== undefined;
      const annotations: Record<string, string> = {
        "alb.ingress.kubernetes.io/scheme": ing.scheme,
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": https ? '[{"HTTP":80},{"HTTPS":443}]' : '[{"HTTP":80}]',
        "alb.ingress.kubernetes.io/healthcheck-path": probes.readinessPath,
        "alb.ingress.kubernetes.io/healthcheck-port": "traffic-port",
        "alb.ingress.kubernetes.io/success-codes": "200",
        // In-flight requests get the application's drain budget once the target leaves the group.
        "alb.ingress.kubernetes.io/target-group-attributes": `deregistration_delay.timeout_seconds=${drain}`,
        "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
      };
      if (https) {
        annotations["alb.ingress.kubernetes.io/certificate-arn"] = ing.certificateArn!;
        annotations["alb.ingress.kubernetes.io/ssl-policy"] = ing.sslPolicy ?? DEFAULT_SSL_POLICY;
        annotations["alb.ingress.kubernetes.io/ssl-redirect"] = "443";
      }
      const ingress = new IngressV1(this, "ingress", {
        metadata: { ...meta(name), annotations },
        waitForLoadBalancer: false,
        spec: {
          ingressClassName: ing.className,
          rule: [
            {
              host: ing.host,
              http: {
                path: [
                  {
                    path: ing.path ?? "/",
                    pathType: "Prefix",
                    backend: { service: { name: service.metadata.name, port: { name: PORT_NAME } } },
                  },
                ],
              },
            },
          ],
        },
      });
      this.ingressName = ingress.metadata.name;
    }

    new HorizontalPodAutoscalerV2(this, "autoscaler", {
      metadata: meta(name),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
        minReplicas: props.replicas.min,
        maxReplicas: props.replicas.max,
        metric: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: props.replicas.targetCpuPercent ?? 70 } },
          },
          {
            type: "Resource",
            resource: { name: "memory", target: { type: "Utilization", averageUtilization: props.replicas.targetMemoryPercent ?? 80 } },
          },
        ],
        behavior: {
          scaleUp: [
            {
              stabilizationWindowSeconds: 0,
              selectPolicy: "Max",
              policy: [
                { type: "Percent", value: 100, periodSeconds: 60 },
                { type: "Pods", value: 4, periodSeconds: 60 },
              ],
            },
          ],
          scaleDown: [
            { stabilizationWindowSeconds: 300, selectPolicy: "Max", policy: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
          ],
        },
      },
    });

    // With one replica a budget would block node drains forever; none is created.
    if (props.replicas.min >= 2) {
      new PodDisruptionBudgetV1(this, "disruption-budget", {
        metadata: meta(name),
        spec: { maxUnavailable: "1", selector: { matchLabels: selector } },
      });
    }

    const metrics = props.metrics ?? {};
    new Manifest(this, "service-monitor", {
      manifest: {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name, namespace, labels: { ...labels, ...(metrics.serviceMonitorLabels ?? DEFAULT_SERVICE_MONITOR_LABELS) } },
        spec: {
          selector: { matchLabels: selector },
          namespaceSelector: { matchNames: [namespace] },
          endpoints: [{ port: PORT_NAME, path: metrics.path ?? "/metrics", interval: metrics.interval ?? "30s", scheme: "http" }],
        },
      },
      dependsOn: [service],
    });

    this.deploymentName = deployment.metadata.name;
    this.serviceName = service.metadata.name;
    this.serviceAccountName = serviceAccount.metadata.name;
    this.configMapName = configMap.metadata.name;
    if (secrets.length > 0) this.secretName = secretName;
    this.selectorLabels = selector;
  }
}
