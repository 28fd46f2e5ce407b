import type { PriceTable } from "./types";

const EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/ (Linux, EU (Ireland))";

/**
 * EU (Ireland). Figures transcribed from the AWS pricing pages named in each `source`, as of `asOf`;
 * refresh them from the AWS Price List API (`aws pricing get-products`) when AWS changes prices.
 */
export const EU_WEST_1: PriceTable = {
  region: "eu-west-1",
  asOf: "2025-06-01",
  hoursPerMonth: 730,
  ec2Source: EC2,
  ec2OnDemandLarge: {
    "t3.large": 0.0912,
    "t3a.large": 0.0816,
    "t4g.large": 0.0736,
    "m5.large": 0.107,
    "m5a.large": 0.096,
    "m5n.large": 0.134,
    "m6i.large": 0.107,
    "m6a.large": 0.0963,
    "m6in.large": 0.1563,
    "m7i.large": 0.1124,
    "m7i-flex.large": 0.1068,
    "m7a.large": 0.1292,
    "m6g.large": 0.086,
    "m7g.large": 0.0914,
    "c5.large": 0.096,
    "c5a.large": 0.086,
    "c5n.large": 0.122,
    "c6i.large": 0.096,
    "c6a.large": 0.0864,
    "c7i.large": 0.1008,
    "c6g.large": 0.077,
    "c7g.large": 0.0818,
    "r5.large": 0.128,
    "r5a.large": 0.114,
    "r6i.large": 0.128,
    "r6a.large": 0.1152,
    "r7i.large": 0.1344,
    "r6g.large": 0.1032,
    "r7g.large": 0.1096,
  },
  commitments: {
    reserved1yNoUpfront: {
      usd: 0.63,
      unit: "× on-demand",
      source: "https://aws.amazon.com/ec2/pricing/reserved-instances/pricing/ (standard, 1 year, no upfront, m6i)",
    },
    reserved3yNoUpfront: {
      usd: 0.43,
      unit: "× on-demand",
      source: "https://aws.amazon.com/ec2/pricing/reserved-instances/pricing/ (standard, 3 years, no upfront, m6i)",
    },
    computeSavingsPlan1yNoUpfront: {
      usd: 0.72,
      unit: "× on-demand",
      source: "https://aws.amazon.com/savingsplans/compute-pricing/ (compute, 1 year, no upfront, m6i)",
    },
  },
  spotShareOfOnDemand: {
    usd: 0.35,
    unit: "× on-demand",
    source:
      "https://aws.amazon.com/ec2/spot/pricing/ (m5/m6i/m6a/m7i xlarge, eu-west-1, typical; a stated assumption, override with spotShareOfOnDemand)",
  },
  eksControlPlane: { usd: 0.1, unit: "per cluster-hour", source: "https://aws.amazon.com/eks/pricing/ (standard support)" },
  eksExtendedSupport: { usd: 0.6, unit: "per cluster-hour", source: "https://aws.amazon.com/eks/pricing/ (extended support)" },
  natGatewayHour: { usd: 0.048, unit: "per hour", source: "https://aws.amazon.com/vpc/pricing/ (NAT gateway)" },
  natGatewayGb: { usd: 0.048, unit: "per GB processed", source: "https://aws.amazon.com/vpc/pricing/ (NAT gateway)" },
  publicIpv4Hour: { usd: 0.005, unit: "per address-hour", source: "https://aws.amazon.com/vpc/pricing/ (public IPv4 address)" },
  interfaceEndpointHourPerAz: {
    usd: 0.011,
    unit: "per endpoint-AZ-hour",
    source: "https://aws.amazon.com/privatelink/pricing/ (interface endpoint)",
  },
  interfaceEndpointGb: { usd: 0.01, unit: "per GB processed", source: "https://aws.amazon.com/privatelink/pricing/ (first 1 PB)" },
  ebsGp3GbMonth: {
    usd: 0.088,
    unit: "per GB-month",
    source: "https://aws.amazon.com/ebs/pricing/ (gp3, baseline 3,000 IOPS and 125 MB/s included)",
  },
  albHour: {
    usd: 0.0252,
    unit: "per ALB-hour",
    source: "https://aws.amazon.com/elasticloadbalancing/pricing/ (Application Load Balancer)",
  },
  albLcuHour: {
    usd: 0.008,
    unit: "per LCU-hour",
    source: "https://aws.amazon.com/elasticloadbalancing/pricing/ (Application Load Balancer)",
  },
  kmsKeyMonth: { usd: 1, unit: "per key-month", source: "https://aws.amazon.com/kms/pricing/ (customer managed key)" },
  secretMonth: { usd: 0.4, unit: "per secret-month", source: "https://aws.amazon.com/secrets-manager/pricing/" },
  logsIngestGb: { usd: 0.57, unit: "per GB ingested", source: "https://aws.amazon.com/cloudwatch/pricing/ (logs, standard)" },
  logsStoreGbMonth: { usd: 0.03, unit: "per GB-month stored", source: "https://aws.amazon.com/cloudwatch/pricing/ (logs archival)" },
  s3StandardGbMonth: { usd: 0.023, unit: "per GB-month", source: "https://aws.amazon.com/s3/pricing/ (S3 Standard, first 50 TB)" },
  ecrStorageGbMonth: { usd: 0.1, unit: "per GB-month", source: "https://aws.amazon.com/ecr/pricing/" },
  cloudtrailDataEventsPer100k: { usd: 0.1, unit: "per 100,000 data events", source: "https://aws.amazon.com/cloudtrail/pricing/" },
};
