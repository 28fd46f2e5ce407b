import { z } from "zod";
import { ipv4Cidr, retentionDays, shortName } from "./common";

export const VPC_ENDPOINTS = [
  "s3",
  "ecr.api",
  "ecr.dkr",
  "sts",
  "logs",
  "ec2",
  "elasticloadbalancing",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "autoscaling",
  "eks",
  "eks-auth",
  "secretsmanager",
  "kms",
] as const;

export const networkSchema = z.strictObject({
  cidr: ipv4Cidr,
  /** Availability zones used; prod needs 3. */
  azCount: z.number().int().min(2).max(6),
  /** Zone names (e.g. eu-west-1a); default: the region's first `azCount` zones `a`, `b`, `c` … */
  availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "a zone name such as eu-west-1a")).optional(),
  /** `per-az` keeps a zone's egress alive when another zone fails; `single` saves cost in dev. */
  natGateways: z.enum(["single", "per-az"]),
  /** Public subnet CIDRs, one per zone; default: /20 networks carved from the VPC CIDR. */
  publicSubnets: z.array(ipv4Cidr).optional(),
  /** Private subnet CIDRs, one per zone; default: /18 networks carved from the VPC CIDR. */
  privateSubnets: z.array(ipv4Cidr).optional(),
  endpoints: z.array(z.enum(VPC_ENDPOINTS)).min(1),
  /**
   * Environments whose VPCs are, or will be, peered with this one (by name). Their CIDRs must not overlap
   * this one; `validate` checks it whenever both files are in environments/.
   */
  peers: z.array(shortName).default([]),
  flowLogs: z.strictObject({
    retentionDays,
    trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]),
  }),
});
export type NetworkConfig = z.output<typeof networkSchema>;
