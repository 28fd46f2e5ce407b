import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { secretName } from "../../modules/iam/naming";
import { Workload, type AppSettingsProps } from "../../modules/workload";
import type { ApplicationConfig, EnvironmentConfig } from "../config";
import type { ClusterStack } from "./cluster";
import type { FoundationStack } from "./foundation";
import { configureKubernetesProviders } from "./kubernetes-providers";
import { teamIngressClassName } from "./platform-namespaces";
import type { PlatformStack } from "./platform";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

export interface WorkloadsStackProps extends ShipyardStackProps {
  readonly foundation: FoundationStack;
  readonly cluster: ClusterStack;
  readonly platform: PlatformStack;
}

/** Tags an image tag variable accepts: Docker's tag grammar, and never `latest`. */
export const IMAGE_TAG_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$";

/** `sample-app` → `image_tag_sample_app`: the Terraform variable that carries the application's image tag. */
export function imageTagVariableName(application: string): string {
  return `image_tag_${application.replace(/-/g, "_")}`;
}

/** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: deterministic, so no cross-stack output is needed. */
export function ecrRepositoryUrl(env: EnvironmentConfig, repository: string): string {
  return `${env.account}.dkr.ecr.${env.region}.amazonaws.com/${repository}`;
}

/**
 * The team applications: Deployments, Services, Ingresses, autoscaling and monitoring objects.
 *
 * Image tags are Terraform variables without a default (`image_tag_<app>`), so synthesis stays
 * deterministic and a deploy must say which build it ships: `cdktf deploy <env>-workloads --var
 * image_tag_sample_app=<tag>`, `TF_VAR_image_tag_sample_app`, or a Terraform Cloud workspace variable.
 *
 * The ExternalSecret and ServiceMonitor objects are CustomResources: their CRDs come from the platform
 * stack's Helm releases and must exist at plan time, which the layer order (platform before workloads)
 * guarantees.
 */
export class WorkloadsStack extends ShipyardStack {
  public readonly workloads: Readonly<Record<string, Workload>>;
  public readonly imageTags: Readonly<Record<string, TerraformVariable>>;

  constructor(scope: Construct, props: WorkloadsStackProps) {
    super(scope, "workloads", props);
    const { env } = props;
    const workloads: Record<string, Workload> = {};
    const imageTags: Record<string, TerraformVariable> = {};
    if (env.applications.length > 0) {
      configureKubernetesProviders(this, { clusterName: env.clusterName, region: env.region, auth: env.cluster.kubernetesAuth });
    }
    for (const app of env.applications) {
      const tag = imageTagVariable(this, app);
      imageTags[app.name] = tag;
      workloads[app.name] = new Workload(this, `app-${app.name}`, workloadProps(env, app, tag.stringValue));
    }
    this.workloads = workloads;
    this.imageTags = imageTags;
  }
}

function imageTagVariable(scope: Construct, app: ApplicationConfig): TerraformVariable {
  const name = imageTagVariableName(app.name);
  const variable = new TerraformVariable(scope, name, {
    type: "string",
    nullable: false,
    description: `Image tag of ${app.name} in ${app.repository} (set at deploy time: --var ${name}=<tag> or TF_VAR_${name})`,
  });
  variable.addValidation({
    condition: `\${can(regex("${IMAGE_TAG_PATTERN}", var.${name})) && var.${name} != "latest"}`,
    errorMessage: `${name} must be an image tag (letters, digits, '.', '_', '-'; at most 128) and not latest.`,
  });
  return variable;
}

/**
 * Config → the props of an application's settings objects (ConfigMap `<app>-config`, ExternalSecret
 * `<app>-secrets`). The workloads stack and the Ansible variables generator (src/generate/ansible.ts)
 * both build the objects from these props with the same functions (modules/workload/settings.ts), so
 * Terraform and the app_config role write identical objects.
 */
export function appSettingsProps(env: EnvironmentConfig, app: ApplicationConfig): AppSettingsProps {
  const secretsByName = new Map(env.secrets.items.map((s) => [s.name, s]));
  return {
    name: app.name,
    namespace: app.namespace,
    environment: env.name,
    config: app.config,
    secrets: app.secrets.map((name) => ({
      name,
      remoteKey: secretName(env.clusterName, name),
      keys: secretsByName.get(name)?.keys ?? [],
    })),
  };
}

/** Config → module props for one application. */
export function workloadProps(env: EnvironmentConfig, app: ApplicationConfig, imageTag: string): ConstructorParameters<typeof Workload>[2] {
  const prod = env.tier === "prod";
  return {
    ...appSettingsProps(env, app),
    team: app.team,
    image: { repositoryUrl: ecrRepositoryUrl(env, app.repository), tag: imageTag },
    port: app.port,
    replicas: {
      min: app.replicas.min,
      max: app.replicas.max,
      targetCpuPercent: app.replicas.targetCpuPercent,
      targetMemoryPercent: app.replicas.targetMemoryPercent,
    },
    ...(app.resources ? { resources: app.resources } : {}),
    requireResources: prod,
    probes: { livenessPath: app.healthPath, readinessPath: app.readyPath },
    terminationGraceSeconds: app.terminationGraceSeconds,
    ...(app.ingress
      ? {
          ingress: {
            host: app.ingress.host,
            scheme: app.ingress.scheme,
            ...(app.ingress.certificateArn ? { certificateArn: app.ingress.certificateArn } : {}),
            path: app.ingress.path,
            className: teamIngressClassName(app.team, app.ingress.scheme),
            // Config refuses an internet-facing ingress without a certificate; an internal one may serve HTTP.
            allowPlainHttp: app.ingress.scheme === "internal" && !app.ingress.certificateArn,
          },
        }
      : {}),
    metrics: { path: app.metricsPath },
    // A small dev cluster may have nodes in one zone only; prod keeps each zone to its share.
    zoneSpread: prod ? "DoNotSchedule" : "ScheduleAnyway",
  };
}
