import type { EnvironmentConfig } from "./schema/environment";

/**
 * Names that several layers and the Ansible side must agree on. They are derived from config in one
 * place so a stack that creates a thing and another that refers to it by name cannot drift apart.
 */
type Env = Pick<EnvironmentConfig, "clusterName" | "name" | "account" | "region">;

/** Secrets Manager secret name: `shipyard-<env>/<name>`. */
export function secretName(env: Env, name: string): string {
  return `${env.clusterName}/${name}`;
}

/** Bucket the SSM connection stages files in (Ansible over Session Manager). */
export function ssmBucketName(env: Env): string {
  return `${env.clusterName}-ssm-${env.account}`;
}

/** Namespace of kube-prometheus-stack (Prometheus, Alertmanager, Grafana). */
export const MONITORING_NAMESPACE = "monitoring";
/** Helm release name of kube-prometheus-stack; its services are named after it. */
export const MONITORING_RELEASE = "kube-prometheus-stack";
