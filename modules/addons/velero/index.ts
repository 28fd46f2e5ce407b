import { Construct } from "constructs";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { AWS_REGION, ShipyardValidationError } from "../../core";
import {
  commonAddonRelease,
  assertChart,
  IAM_ROLE_ARN,
  IRSA_ANNOTATION,
  kubectlImageTag,
  requirePattern,
  requireValue,
  systemAffinity,
  systemTolerations,
  type Affinity,
  type AddonCommonProps,
  type ChartRef,
  type ResourceRequirements,
  type Toleration,
} from "../release";
import { BACKUP_SCHEDULE_NAME, FIVE_FIELD_CRON } from "./schedule";
import { VELERO_SERVICE_ACCOUNT as IDENTITY } from "./service-account";

export * from "./schedule";
export * from "./service-account";

/** vmware-tanzu/helm-charts velero (Velero v1.18.1). */
export const VELERO_CHART: ChartRef = {
  repository: "https://vmware-tanzu.github.io/helm-charts",
  chart: "velero",
  version: "12.1.0",
};

/**
 * velero-plugin-for-aws minor line per Velero minor, from the plugin's compatibility matrix: each Velero
 * minor is tested with one plugin minor. A test holds the plugin below to the line of the chart's appVersion.
 */
export const VELERO_AWS_PLUGIN_LINE: Readonly<Record<string, string>> = { "1.16": "1.12", "1.17": "1.13", "1.18": "1.14" };

/** The AWS object-store/snapshot plugin for Velero 1.18 (the chart's appVersion): the 1.14 line. */
export const VELERO_AWS_PLUGIN_IMAGE = "velero/velero-plugin-for-aws:v1.14.0";

export interface BackupSchedule {
  /** Schedule name (a DNS label). */
  readonly name: string;
  /** Five-field cron, UTC. */
  readonly cron: string;
  /** How long each backup is kept. */
  readonly ttlHours: number;
}

interface VeleroSchedule {
  readonly disabled: boolean;
  readonly schedule: string;
  readonly useOwnerReferencesInBackup: boolean;
  readonly template: {
    readonly ttl: string;
    readonly storageLocation: string;
    readonly includedNamespaces: readonly string[];
    readonly snapshotVolumes: boolean;
  };
}

export interface VeleroValues {
  readonly initContainers: readonly {
    readonly name: string;
    readonly image: string;
    readonly imagePullPolicy: "IfNotPresent";
    readonly volumeMounts: readonly { readonly mountPath: string; readonly name: string }[];
  }[];
  readonly configuration: {
    readonly backupStorageLocation: readonly {
      readonly name: string;
      readonly provider: "aws";
      readonly bucket: string;
      readonly default: boolean;
      readonly config: { readonly region: string; readonly kmsKeyId: string };
    }[];
    readonly volumeSnapshotLocation: readonly {
      readonly name: string;
      readonly provider: "aws";
      readonly config: { readonly region: string };
    }[];
  };
  /** No static keys: the server authenticates through its IRSA role. */
  readonly credentials: { readonly useSecret: boolean };
  readonly serviceAccount: {
    readonly server: { readonly create: boolean; readonly name: string; readonly annotations: Record<string, string> };
  };
  readonly backupsEnabled: boolean;
  readonly snapshotsEnabled: boolean;
  readonly deployNodeAgent: boolean;
  /**
   * true: a pre-upgrade hook job (`velero install --crds-only` piped to kubectl from registry.k8s.io at the
   * cluster's version) applies the CRDs of the new Velero before the server rolls; Helm alone never upgrades them.
   */
  readonly upgradeCRDs: boolean;
  /** kubectl of the CRD jobs, pinned per cluster minor (the chart's default tag is the API server's, `-eks-` suffix and all). */
  readonly kubectl: { readonly image: { readonly tag: string } };
  readonly schedules: Record<string, VeleroSchedule>;
  readonly resources: ResourceRequirements;
  readonly tolerations: readonly Toleration[];
  readonly affinity: Affinity;
  readonly priorityClassName: string;
  readonly metrics: { readonly enabled: boolean; readonly serviceMonitor: { readonly enabled: boolean } };
}

/** Namespace `VELERO_SERVICE_ACCOUNT.namespace` and chart `VELERO_CHART` unless given. */
export interface VeleroProps extends AddonCommonProps {
  /** The backup bucket (`shipyard-<env>-backups-<account>`). */
  readonly bucket: string;
  /** ARN of the KMS key (or of its alias) the AWS plugin encrypts backup objects with: the plugin's `kmsKeyId`. */
  readonly kmsKeyArn: string;
  /** AWS region of the backup bucket. */
  readonly region: string;
  /** IRSA role the Velero server's service account assumes. */
  readonly roleArn: string;
  /** The cluster's Kubernetes minor (e.g. `1.36`): picks the kubectl image of the CRD upgrade job. */
  readonly kubernetesVersion: string;
  /** @default VELERO_SERVICE_ACCOUNT.serviceAccount (the name the IRSA role trusts) */
  readonly serviceAccountName?: string;
  /** Backup schedules with their retention. */
  readonly schedules: readonly BackupSchedule[];
  /** @default VELERO_AWS_PLUGIN_IMAGE */
  readonly awsPluginImage?: string;
}

/** Velero with the AWS plugin: backups to the encrypted S3 bucket, EBS snapshots, schedules per tier, IRSA. */
export class Velero extends Construct {
  public readonly release: Release;
  public readonly values: VeleroValues;

  constructor(scope: Construct, id: string, props: VeleroProps) {
    super(scope, id);
    const chart = props.chart ?? VELERO_CHART;
    assertChart("velero.chart", chart);
    requireValue("velero.bucket", props.bucket, "the backup bucket name");
    requireValue("velero.kmsKeyArn", props.kmsKeyArn, "the backup KMS key");
    requirePattern("velero.region", props.region, AWS_REGION, "an AWS region such as eu-west-1");
    requirePattern("velero.roleArn", props.roleArn, IAM_ROLE_ARN, "an IAM role ARN");
    const image = props.awsPluginImage ?? VELERO_AWS_PLUGIN_IMAGE;
    if (!/^[\w./-]+:v\d+\.\d+\.\d+$|@sha256:[0-9a-f]{64}$/.test(image)) {
      throw new ShipyardValidationError("velero.awsPluginImage", `"${image}" is not pinned (expected an exact vX.Y.Z tag or a digest)`);
    }
    if (props.schedules.length === 0) throw new ShipyardValidationError("velero.schedules", "at least one schedule");
    const schedules: Record<string, VeleroSchedule> = {};
    props.schedules.forEach((s, i) => {
      if (!BACKUP_SCHEDULE_NAME.test(s.name))
        throw new ShipyardValidationError(`velero.schedules[${i}].name`, `"${s.name}" is not a DNS label`);
      if (!FIVE_FIELD_CRON.test(s.cron)) throw new ShipyardValidationError(`velero.schedules[${i}].cron`, "a five-field cron expression");
      if (!Number.isInteger(s.ttlHours) || s.ttlHours < 1)
        throw new ShipyardValidationError(`velero.schedules[${i}].ttlHours`, "a positive whole number of hours");
      if (schedules[s.name]) throw new ShipyardValidationError(`velero.schedules[${i}].name`, `duplicate schedule ${s.name}`);
      schedules[s.name] = {
        disabled: false,
        schedule: s.cron,
        useOwnerReferencesInBackup: false,
        template: { ttl: `${s.ttlHours}h0m0s`, storageLocation: "default", includedNamespaces: ["*"], snapshotVolumes: true },
      };
    });
    this.values = {
      initContainers: [
        {
          name: "velero-plugin-for-aws",
          image,
          imagePullPolicy: "IfNotPresent",
          volumeMounts: [{ mountPath: "/target", name: "plugins" }],
        },
      ],
      configuration: {
        backupStorageLocation: [
          {
            name: "default",
            provider: "aws",
            bucket: props.bucket,
            default: true,
            config: { region: props.region, kmsKeyId: props.kmsKeyArn },
          },
        ],
        volumeSnapshotLocation: [{ name: "default", provider: "aws", config: { region: props.region } }],
      },
      credentials: { useSecret: false },
      serviceAccount: {
        server: {
          create: true,
          name: props.serviceAccountName ?? IDENTITY.serviceAccount,
          annotations: { [IRSA_ANNOTATION]: props.roleArn },
        },
      },
      backupsEnabled: true,
      snapshotsEnabled: true,
      deployNodeAgent: false,
      upgradeCRDs: true,
      kubectl: { image: { tag: kubectlImageTag("velero.kubernetesVersion", props.kubernetesVersion) } },
      schedules,
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
      tolerations: systemTolerations(),
      affinity: systemAffinity(props.placement),
      priorityClassName: "system-cluster-critical",
      metrics: { enabled: true, serviceMonitor: { enabled: props.serviceMonitor ?? false } },
    };
    this.release = commonAddonRelease(
      this,
      chart,
      { name: "velero", namespace: IDENTITY.namespace, createNamespace: true },
      props,
      this.values,
    );
  }
}
