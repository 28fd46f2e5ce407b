import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { AWS_REGION, ShipyardValidationError } from "../../core";
import {
  addonRelease,
  assertChart,
  DNS_LABEL,
  IAM_ROLE_ARN,
  IRSA_ANNOTATION,
  requirePattern,
  systemAffinity,
  systemTolerations,
  type Affinity,
  type ChartRef,
  type ResourceRequirements,
  type SystemPlacement,
  type Toleration,
  type TopologySpreadConstraint,
  spreadReplicas,
} from "../release";
import { EXTERNAL_SECRETS_SERVICE_ACCOUNT as IDENTITY } from "./service-account";
import { CLUSTER_SECRET_STORE, CLUSTER_SECRET_STORE_REF, EXTERNAL_SECRETS_API_VERSION } from "./store";

export * from "./service-account";
export * from "./store";

/** external-secrets/external-secrets, (External Secrets Operator v2.9.0). */
export const EXTERNAL_SECRETS_CHART: ChartRef = {
  repository: "https://charts.external-secrets.io",
  chart: "external-secrets",
  version: "2.9.0",
};

/**
 * bedag/raw: renders the manifests listed in `resources`. Used for the ClusterSecretStore and the
 * ExternalSecrets the platform layer needs, because those are custom resources: `kubernetes_manifest` would
 * need their CRDs at plan time, before the External Secrets release of the same apply has installed them;
 * a Helm release renders at apply time, after its `depends_on`.
 */
export const RAW_CHART: ChartRef = {
  repository: "https://bedag.github.io/helm-charts/",
  chart: "raw",
  version: "2.0.2",
};

export interface ExternalSecretsValues {
  readonly installCRDs: boolean;
  readonly replicaCount: number;
  /** Two controllers without it would both reconcile every ExternalSecret and fight over the Secrets. */
  readonly leaderElect: boolean;
  readonly topologySpreadConstraints: readonly TopologySpreadConstraint[];
  readonly serviceAccount: { readonly create: boolean; readonly name: string; readonly annotations: Record<string, string> };
  readonly resources: ResourceRequirements;
  readonly tolerations: readonly Toleration[];
  readonly affinity: Affinity;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable?: number };
  readonly serviceMonitor: { readonly enabled: boolean };
  readonly webhook: {
    readonly replicaCount: number;
    readonly tolerations: readonly Toleration[];
    readonly affinity: Affinity;
    readonly topologySpreadConstraints: readonly TopologySpreadConstraint[];
    readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable?: number };
  };
  readonly certController: { readonly tolerations: readonly Toleration[]; readonly affinity: Affinity };
}

export interface ExternalSecretsProps {
  /** IRSA role, scoped to this environment's secret ARNs. */
  readonly roleArn: string;
  /** Region of the Secrets Manager secrets. */
  readonly region: string;
  /** @default EXTERNAL_SECRETS_SERVICE_ACCOUNT.serviceAccount (the name the IRSA role trusts) */
  readonly serviceAccountName?: string;
  /** 2 in prod (leader election keeps one active), 1 elsewhere. */
  readonly replicas: number;
  /** Where the controller, webhook and cert controller run. @default the system node group, tolerating CriticalAddonsOnly */
  readonly placement?: SystemPlacement;
  /** @default EXTERNAL_SECRETS_SERVICE_ACCOUNT.namespace (the namespace the IRSA role trusts) */
  readonly namespace?: string;
  /** @default EXTERNAL_SECRETS_CHART */
  readonly chart?: ChartRef;
  /** @default RAW_CHART */
  readonly rawChart?: ChartRef;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** What must exist first. @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec: unknown;
}

/**
 * External Secrets Operator (CRDs included) and, after it, a ClusterSecretStore `aws-secrets-manager` for
 * Secrets Manager in the environment's region that authenticates with the operator's own service-account
 * token (JWT) and so with its IRSA role.
 */
export class ExternalSecrets extends Construct {
  public readonly release: Release;
  /** The release holding the ClusterSecretStore; later ExternalSecrets depend on it. */
  public readonly storeRelease: Release;
  /** Values of the store release (the raw chart's `resources`). */
  public readonly storeValues: { readonly resources: readonly unknown[] };
  public readonly values: ExternalSecretsValues;
  public readonly storeName = CLUSTER_SECRET_STORE;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    const chart = props.chart ?? EXTERNAL_SECRETS_CHART;
    assertChart("externalSecrets.chart", chart);
    requirePattern("externalSecrets.roleArn", props.roleArn, IAM_ROLE_ARN, "an IAM role ARN");
    requirePattern("externalSecrets.region", props.region, AWS_REGION, "an AWS region such as eu-west-1");
    if (!Number.isInteger(props.replicas) || props.replicas < 1 || props.replicas > 3) {
      throw new ShipyardValidationError("externalSecrets.replicas", `${props.replicas} is outside 1-3`);
    }
    const namespace = props.namespace ?? IDENTITY.namespace;
    const serviceAccount = props.serviceAccountName ?? IDENTITY.serviceAccount;
    this.namespace = namespace;
    const tolerations = systemTolerations();
    const affinity = systemAffinity(props.placement);
    this.values = {
      installCRDs: true,
      replicaCount: props.replicas,
      leaderElect: props.replicas > 1,
      topologySpreadConstraints: spreadReplicas(props.replicas, {
        "app.kubernetes.io/name": "external-secrets",
        "app.kubernetes.io/instance": "external-secrets",
      }),
      serviceAccount: { create: true, name: serviceAccount, annotations: { [IRSA_ANNOTATION]: props.roleArn } },
      resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      tolerations,
      affinity,
      podDisruptionBudget: props.replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
      // Its ServiceMonitor would need the Prometheus Operator CRDs, which are installed after this release.
      serviceMonitor: { enabled: false },
      webhook: {
        replicaCount: props.replicas,
        tolerations,
        affinity,
        topologySpreadConstraints: spreadReplicas(props.replicas, {
          "app.kubernetes.io/name": "external-secrets-webhook",
          "app.kubernetes.io/instance": "external-secrets",
        }),
        podDisruptionBudget: props.replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
      },
      certController: { tolerations, affinity },
    };
    this.release = addonRelease(this, "release", chart, {
      name: "external-secrets",
      namespace,
      createNamespace: true,
      timeoutSeconds: props.timeoutSeconds ?? 600,
      values: this.values,
      dependsOn: props.dependsOn,
    });
    const store: Manifest = {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: CLUSTER_SECRET_STORE_REF.kind,
      metadata: { name: CLUSTER_SECRET_STORE },
      spec: {
        provider: {
          aws: {
            service: "SecretsManager",
            region: props.region,
            auth: { jwt: { serviceAccountRef: { name: serviceAccount, namespace } } },
          },
        },
      },
    };
    this.storeValues = { resources: [store] };
    this.storeRelease = addonRelease(this, "store", props.rawChart ?? RAW_CHART, {
      name: "cluster-secret-store",
      namespace,
      createNamespace: false,
      timeoutSeconds: 300,
      values: this.storeValues,
      dependsOn: [this.release],
    });
  }
}

export interface SyncedSecret {
  /** Name of the Kubernetes Secret (the same name as in `secrets.items`). */
  readonly name: string;
  /** Name of the Secrets Manager secret. */
  readonly remoteKey: string;
}

export interface ExternalSecretSetProps {
  /** Release name, e.g. `monitoring-secrets`. */
  readonly name: string;
  /** Namespace the Kubernetes Secrets are created in; must exist. */
  readonly namespace: string;
  /** The secrets to sync, one ExternalSecret each. */
  readonly secrets: readonly SyncedSecret[];
  /** The ClusterSecretStore to read from. @default CLUSTER_SECRET_STORE */
  readonly storeName?: string;
  /** @default "1h" */
  readonly refreshInterval?: string;
  /** @default RAW_CHART */
  readonly rawChart?: ChartRef;
  /** The store release (and the namespace): the CRDs and the store must exist first. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * ExternalSecrets copying whole Secrets Manager secrets (every JSON key becomes a key of the Kubernetes Secret)
 * into one namespace. Values never pass through Terraform: only names do.
 */
export class ExternalSecretSet extends Construct {
  public readonly release: Release;
  public readonly secretNames: string[];

  constructor(scope: Construct, id: string, props: ExternalSecretSetProps) {
    super(scope, id);
    if (props.secrets.length === 0) throw new ShipyardValidationError(`${id}.secrets`, "at least one secret");
    props.secrets.forEach((s, i) => {
      requirePattern(`${id}.secrets[${i}].name`, s.name, DNS_LABEL, "a Kubernetes Secret name");
      requirePattern(`${id}.secrets[${i}].remoteKey`, s.remoteKey, /^[\w/+=.@-]{1,512}$/, "a Secrets Manager secret name");
    });
    this.secretNames = props.secrets.map((s) => s.name);
    const resources: Manifest[] = props.secrets.map((s) => ({
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: "ExternalSecret",
      metadata: { name: s.name, namespace: props.namespace },
      spec: {
        refreshInterval: props.refreshInterval ?? "1h",
        secretStoreRef: { kind: CLUSTER_SECRET_STORE_REF.kind, name: props.storeName ?? CLUSTER_SECRET_STORE },
        target: { name: s.name, creationPolicy: "Owner", deletionPolicy: "Retain" },
        dataFrom: [{ extract: { key: s.remoteKey } }],
      },
    }));
    this.release = addonRelease(this, "release", props.rawChart ?? RAW_CHART, {
      name: props.name,
      namespace: props.namespace,
      createNamespace: false,
      timeoutSeconds: 300,
      values: { resources },
      dependsOn: props.dependsOn,
    });
  }
}
