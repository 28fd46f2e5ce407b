import type { AppSettingsProps, WorkloadProps } from "../../modules/workload";
import { secretName } from "../../modules/iam/naming";
import type { ApplicationConfig, EnvironmentConfig } from "../config";
import { teamIngressClassName } from "./platform-namespaces";

/*
 * Config → what the workloads layer builds, as plain values: the workloads stack builds its objects from
 * these, and the generators (src/generate: CI facts, Ansible variables) read the same values without
 * constructing a stack.
 */

/** `sample-app` → `image_tag_sample_app`: the Terraform variable that carries the application's image tag. */
export function imageTagVariableName(application: string): string {
  return `image_tag_${application.replace(/-/g, "_")}`;
}

/** `<account>.dkr.ecr.<region>.amazonaws.com`: the environment's registry. */
export function ecrRegistry(env: Pick<EnvironmentConfig, "account" | "region">): string {
  return `${env.account}.dkr.ecr.${env.region}.amazonaws.com`;
}

/** `<registry>/<name>`: deterministic, so no cross-stack output is needed. */
export function ecrRepositoryUrl(env: Pick<EnvironmentConfig, "account" | "region">, repository: string): string {
  return `${ecrRegistry(env)}/${repository}`;
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
export function workloadProps(env: EnvironmentConfig, app: ApplicationConfig, imageTag: string): WorkloadProps {
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
