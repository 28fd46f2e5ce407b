import { z } from "zod";
import { cpuQuantity, dnsLabel, ipv4Cidr, memoryQuantity, retentionDays, shortName } from "./common";

const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, "an EKS add-on version such as v1.19.5-eksbuild.1");

const taint = z.strictObject({
  key: z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9._-]{1,63}$/, "a Kubernetes label key"),
  value: z.string().max(63).optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

export const nodeGroupSchema = z.strictObject({
  name: shortName,
  /** system: on demand, CriticalAddonsOnly taint; general: on demand; spot: spot capacity, tainted. */
  kind: z.enum(["system", "general", "spot"]),
  instanceTypes: z.array(z.string()).min(1),
  minSize: z.number().int().min(0).max(450),
  desiredSize: z.number().int().min(0).max(450),
  maxSize: z.number().int().min(1).max(450),
  diskSizeGiB: z.number().int().min(20).max(16384).default(50),
  /** Root volume encryption with the EBS customer key. Turning it off is refused. */
  diskEncrypted: z.boolean().default(true),
  /** SSH key pair for remote access. Refused: nodes are reached through SSM Session Manager. */
  sshKeyName: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  taints: z.array(taint).default([]),
  /** Share of nodes replaced at once during a rolling update. */
  maxUnavailablePercentage: z.number().int().min(1).max(50).default(33),
});
export type NodeGroupConfig = z.output<typeof nodeGroupSchema>;

export const clusterSchema = z.strictObject({
  /** Kubernetes minor version on EKS standard support. */
  version: z.string().regex(/^1\.\d{2}$/, "a Kubernetes minor version such as 1.33"),
  endpoint: z.strictObject({
    private: z.boolean(),
    public: z.boolean(),
    /** Networks allowed to reach the public endpoint; required when it is on; 0.0.0.0/0 is refused. */
    publicCidrs: z.array(ipv4Cidr).default([]),
  }),
  logRetentionDays: retentionDays,
  deletionProtection: z.boolean(),
  /** How the Kubernetes and Helm providers authenticate: a token data source, or `aws eks get-token`. */
  kubernetesAuth: z.enum(["token", "exec"]),
  addons: z.strictObject({
    vpcCni: addonVersion,
    coredns: addonVersion,
    kubeProxy: addonVersion,
    ebsCsiDriver: addonVersion,
    podIdentityAgent: addonVersion,
  }),
  /** Node settings rendered into nodeadm's NodeConfig and audited by Ansible's eks_node role. */
  nodeSettings: z.strictObject({
    maxPods: z.number().int().min(8).max(737).optional(),
    systemReserved: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
    kubeReserved: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
    evictionHard: z.record(z.string().regex(/^[a-z.]+$/), z.string().regex(/^\d+(%|Mi|Gi)$/)),
    sysctls: z.record(z.string().regex(/^[a-z0-9_.]+$/, "a sysctl key such as vm.max_map_count"), z.union([z.string(), z.number()])),
  }),
  nodeGroups: z.array(nodeGroupSchema).min(1),
  /** Kubernetes group bound to cluster-wide read access; used by RBAC in the platform layer. */
  viewerGroup: dnsLabel,
});
export type ClusterConfig = z.output<typeof clusterSchema>;
