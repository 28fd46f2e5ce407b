import { z } from "zod";
import { LABEL_KEY } from "../../../modules/core/names";
import { EKS_ADDON_VERSION, KUBERNETES_MINOR_VERSION } from "../../../modules/eks-cluster/versions";
import { cpuQuantity, dnsLabel, ipv4Cidr, memoryQuantity, retentionDays, shortName } from "./common";

const addonVersion = z.string().regex(EKS_ADDON_VERSION, "an EKS add-on version such as v1.19.5-eksbuild.1");

const taint = z.strictObject({
  key: z.string().regex(LABEL_KEY, "a Kubernetes label key"),
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

/** The CI network's addresses; 0.0.0.0/0 is refused by the rules. */
const ciCidrs = z.array(ipv4Cidr).min(1);

/**
 * Where plans of the Kubernetes layers (platform, workloads) run and how they reach the API server. The
 * Jenkins agents (or Terraform Cloud's runners) are outside this VPC, so a private-only endpoint needs a
 * routed path from their network, or they must use the public endpoint from named networks, or run in the
 * VPC as a Terraform Cloud agent pool.
 */
export const apiReachSchema = z.discriminatedUnion("via", [
  z.strictObject({
    /** The CI network is peered with this VPC: routes to `cidrs` through the connection, 443 open from them. */
    via: z.literal("peering"),
    cidrs: ciCidrs,
    /** The accepted peering connection; when set, the private route tables route `cidrs` through it. */
    peeringConnectionId: z
      .string()
      .regex(/^pcx-[0-9a-f]{8,17}$/, "a VPC peering connection id such as pcx-0123456789abcdef0")
      .optional(),
  }),
  z.strictObject({
    /** The CI network reaches this VPC through a transit gateway (shared through RAM). */
    via: z.literal("transit-gateway"),
    cidrs: ciCidrs,
    /** When set, the network layer attaches the private subnets to it and routes `cidrs` through it. */
    transitGatewayId: z
      .string()
      .regex(/^tgw-[0-9a-f]{8,17}$/, "a transit gateway id such as tgw-0123456789abcdef0")
      .optional(),
  }),
  z.strictObject({
    /** Plans reach the public endpoint from the CI network's egress addresses, which `publicCidrs` must contain. */
    via: z.literal("public"),
    cidrs: ciCidrs,
  }),
  z.strictObject({
    /** Plans run on a Terraform Cloud agent pool inside this VPC (agent execution mode; needs the cloud backend). */
    via: z.literal("agent-pool"),
    /** The agent pool's name in the Terraform Cloud organization. */
    agentPool: z.string().regex(/^[A-Za-z0-9_-]{1,90}$/, "a Terraform Cloud agent pool name"),
  }),
]);
export type ApiReachConfig = z.output<typeof apiReachSchema>;

export const clusterSchema = z.strictObject({
  /** Kubernetes minor version on EKS standard support. */
  version: z.string().regex(KUBERNETES_MINOR_VERSION, "a Kubernetes minor version such as 1.33"),
  endpoint: z.strictObject({
    private: z.boolean(),
    public: z.boolean(),
    /** Networks allowed to reach the public endpoint; required when it is on; 0.0.0.0/0 is refused. */
    publicCidrs: z.array(ipv4Cidr).default([]),
    /** How plans of the platform and workloads layers reach the API server; required (see apiReachSchema). */
    ci: apiReachSchema.optional(),
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
