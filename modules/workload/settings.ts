import { createHash } from "node:crypto";
import { CLUSTER_SECRET_STORE_REF, EXTERNAL_SECRETS_API_VERSION } from "../addons/external-secrets/store";
import type { WorkloadProps } from "./props";

/**
 * An application's settings objects, as plain Kubernetes manifests: the ConfigMap `<name>-config` and
 * the ExternalSecret `<name>-secrets`.
 *
 * Ownership: the workloads stack (Terraform, through the `Workload` construct) owns both objects. The Ansible
 * role `app_config` converges the very same objects: `shipyard snapshot` writes these manifests, and
 * `appSettingsHash`, into `generated/ansible/<env>.yml`, and the role applies them as they are.
 * Both writers therefore send identical content: an Ansible run after a Terraform apply changes nothing,
 * a Terraform plan after an Ansible run shows no drift, and a restart happens only when the content
 * really changed. These functions are the single definition; nothing else may build these objects.
 *
 * Pure functions of the props (no constructs, no tokens): the generator calls them without a stack.
 */

/** A setting's name (a key of `config`): an environment variable name in UPPER_SNAKE_CASE. */
export const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

/** A Kubernetes object as it is applied: apiVersion, kind, metadata, then data or spec. */
export interface KubernetesManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  readonly data?: Readonly<Record<string, string>>;
  readonly spec?: Readonly<Record<string, unknown>>;
}

/** The props the settings objects are made of. */
export type AppSettingsProps = Pick<
  WorkloadProps,
  "name" | "namespace" | "environment" | "config" | "secrets" | "secretStore" | "externalSecretsApiVersion" | "secretRefreshInterval"
>;

/**
 * Labels of the settings objects. `app.kubernetes.io/managed-by`, `shipyard.io/component: app-config`
 * and `shipyard.io/environment` are the owner labels the Ansible role prunes by.
 */
export function appSettingsLabels(props: AppSettingsProps): Record<string, string> {
  return {
    "app.kubernetes.io/managed-by": "shipyard",
    "shipyard.io/component": "app-config",
    "app.kubernetes.io/name": props.name,
    "app.kubernetes.io/part-of": "shipyard",
    ...(props.environment ? { "shipyard.io/environment": props.environment } : {}),
  };
}

/** `<name>-config`: the ConfigMap the Deployment reads with `envFrom`. */
export function appConfigMapName(name: string): string {
  return `${name}-config`;
}

/** `<name>-secrets`: the ExternalSecret, and the Secret External Secrets writes. */
export function appSecretName(name: string): string {
  return `${name}-secrets`;
}

/** The key of one secret property in the Kubernetes Secret: `<secret>-<property>`. */
export function appSecretKey(secret: string, property: string): string {
  return `${secret}-${property}`;
}

/** The settings ConfigMap; data keys sorted, values strings. */
export function appConfigMapManifest(props: AppSettingsProps): KubernetesManifest {
  const config = props.config ?? {};
  const data = Object.fromEntries(
    Object.keys(config)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((key) => [key, String(config[key])]),
  );
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: appConfigMapName(props.name), namespace: props.namespace, labels: appSettingsLabels(props) },
    data,
  };
}

/**
 * The ExternalSecret: one `data` entry per secret property, secretKey `<secret>-<property>`. Values the
 * CRD would default are written out, so Terraform's plan and the stored object agree. Undefined when the
 * application has no secrets (no object then).
 */
export function appExternalSecretManifest(props: AppSettingsProps): KubernetesManifest | undefined {
  const secrets = props.secrets ?? [];
  if (secrets.length === 0) return undefined;
  const store = props.secretStore ?? CLUSTER_SECRET_STORE_REF;
  const name = appSecretName(props.name);
  return {
    apiVersion: props.externalSecretsApiVersion ?? EXTERNAL_SECRETS_API_VERSION,
    kind: "ExternalSecret",
    metadata: { name, namespace: props.namespace, labels: appSettingsLabels(props) },
    spec: {
      refreshInterval: props.secretRefreshInterval ?? "1h",
      secretStoreRef: { kind: store.kind, name: store.name },
      target: { name, creationPolicy: "Owner", deletionPolicy: "Retain" },
      data: secrets.flatMap((secret) =>
        secret.keys.map((key) => ({
          secretKey: appSecretKey(secret.name, key),
          remoteRef: {
            key: secret.remoteKey,
            property: key,
            conversionStrategy: "Default",
            decodingStrategy: "None",
            metadataPolicy: "None",
          },
        })),
      ),
    },
  };
}

/**
 * sha256 of what the pods read from the settings objects (the ConfigMap's data and the ExternalSecret's
 * spec), as the pod template annotation `shipyard.io/settings-hash`. Terraform sets it on the
 * Deployment; the Ansible role patches the same annotation with the same value when it changed an
 * object, so whichever of the two applies a change first rolls the pods, and the other does not roll
 * them again.
 */
export function appSettingsHash(props: AppSettingsProps): string {
  const externalSecret = appExternalSecretManifest(props);
  return createHash("sha256")
    .update(JSON.stringify({ configMap: appConfigMapManifest(props).data, externalSecret: externalSecret?.spec ?? null }))
    .digest("hex");
}
