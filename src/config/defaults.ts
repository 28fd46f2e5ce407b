import type { Tier } from "./schema/environment";

/**
 * Values an environment file may leave out, per tier. A file's own values win; objects merge key by
 * key, lists replace. These are the secure floor: dev relaxes cost, never security.
 */
export type TierDefaults = Record<string, unknown>;

const common = {
  tags: {},
  state: { backend: "local" },
  network: {
    endpoints: ["s3", "ecr.api", "ecr.dkr", "sts", "logs"],
    flowLogs: { trafficType: "ALL" },
  },
  cluster: {
    // 1.36: on EKS since 2026-06-02, standard support until 2027-08-02. 1.33 left standard support on
    // 2026-07-29 and 1.34 leaves it on 2026-12-02; the cluster runs with upgrade_policy STANDARD.
    version: "1.36",
    endpoint: { private: true, public: false },
    kubernetesAuth: "token",
    // Pinned per Kubernetes minor version; bump together with `version` (the cluster stack refuses a
    // kube-proxy built for another minor). coredns and kube-proxy: the EKS user guide's 1.36 rows; vpc-cni,
    // aws-ebs-csi-driver and the pod identity agent: versions recorded on running 1.36 clusters. Confirm with
    // `aws eks describe-addon-versions --kubernetes-version 1.36 --addon-name <name>` before a first apply.
    addons: {
      vpcCni: "v1.22.4-eksbuild.3",
      coredns: "v1.14.3-eksbuild.3",
      kubeProxy: "v1.36.0-eksbuild.14",
      ebsCsiDriver: "v1.63.1-eksbuild.1",
      podIdentityAgent: "v1.3.10-eksbuild.3",
    },
    nodeSettings: {
      // vpc-cni runs with prefix delegation, so the per-ENI pod limit no longer applies; 110 is the
      // Kubernetes default and what EKS recommends for prefix mode on nodes smaller than 30 vCPUs.
      maxPods: 110,
      systemReserved: { cpu: "100m", memory: "256Mi" },
      kubeReserved: { cpu: "100m", memory: "512Mi" },
      evictionHard: { "memory.available": "200Mi", "nodefs.available": "10%", "imagefs.available": "15%" },
      sysctls: {
        "net.ipv4.ip_forward": 1,
        "vm.max_map_count": 262144,
        "fs.inotify.max_user_watches": 524288,
        "fs.inotify.max_user_instances": 8192,
        "kernel.panic": 10,
        "kernel.panic_on_oops": 1,
      },
    },
    viewerGroup: "shipyard-viewers",
  },
  access: { viewers: [] },
  applications: [],
  secrets: { items: [] },
} as const;

export const TIER_DEFAULTS: Record<Tier, TierDefaults> = {
  dev: {
    ...common,
    network: { ...common.network, azCount: 2, natGateways: "single", flowLogs: { ...common.network.flowLogs, retentionDays: 30 } },
    cluster: { ...common.cluster, logRetentionDays: 30, deletionProtection: false },
    ecr: { untaggedExpiryDays: 3, keepReleaseTags: 10 },
    secrets: { ...common.secrets, recoveryWindowDays: 7 },
    // Retention covers the 30-day SLO period in every tier (the error budgets read that far back).
    monitoring: { prometheus: { retentionDays: 30, storageGiB: 30, cpu: "250m", memory: "1Gi", replicas: 1 }, grafana: { storageGiB: 2 } },
    backup: { schedules: [{ name: "daily", cron: "0 3 * * *", ttlHours: 72 }], bucketExpirationDays: 7 },
    audit: { logRetentionDays: 30, glacierTransitionDays: 30, expirationDays: 90 },
    protection: { preventDestroy: false, kmsDeletionWindowDays: 7 },
  },
  staging: {
    ...common,
    network: { ...common.network, azCount: 3, natGateways: "per-az", flowLogs: { ...common.network.flowLogs, retentionDays: 90 } },
    cluster: { ...common.cluster, logRetentionDays: 90, deletionProtection: false },
    ecr: { untaggedExpiryDays: 7, keepReleaseTags: 30 },
    secrets: { ...common.secrets, recoveryWindowDays: 14 },
    monitoring: { prometheus: { retentionDays: 30, storageGiB: 100, cpu: "500m", memory: "2Gi", replicas: 1 }, grafana: { storageGiB: 5 } },
    backup: { schedules: [{ name: "daily", cron: "0 3 * * *", ttlHours: 168 }], bucketExpirationDays: 30 },
    audit: { logRetentionDays: 90, glacierTransitionDays: 90, expirationDays: 365 },
    protection: { preventDestroy: false, kmsDeletionWindowDays: 14 },
  },
  prod: {
    ...common,
    network: { ...common.network, azCount: 3, natGateways: "per-az", flowLogs: { ...common.network.flowLogs, retentionDays: 365 } },
    cluster: { ...common.cluster, logRetentionDays: 365, deletionProtection: true },
    ecr: { untaggedExpiryDays: 14, keepReleaseTags: 100 },
    secrets: { ...common.secrets, recoveryWindowDays: 30 },
    monitoring: { prometheus: { retentionDays: 30, storageGiB: 200, cpu: "1", memory: "8Gi", replicas: 2 }, grafana: { storageGiB: 10 } },
    backup: {
      schedules: [
        { name: "hourly", cron: "0 * * * *", ttlHours: 48 },
        { name: "daily", cron: "0 3 * * *", ttlHours: 720 },
      ],
      bucketExpirationDays: 90,
    },
    audit: { logRetentionDays: 365, glacierTransitionDays: 90, expirationDays: 2557 },
    protection: { preventDestroy: true, kmsDeletionWindowDays: 30 },
  },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; a value from `override` (lists included) replaces the default. */
export function mergeDefaults(defaults: unknown, override: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(override)) return override === undefined ? defaults : override;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeDefaults(defaults[key], value);
  return merged;
}
