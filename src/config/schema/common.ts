import { z } from "zod";
import * as ipaddr from "ipaddr.js";
import { AWS_ACCOUNT_ID, AWS_REGION } from "../../../modules/core/aws";
import { DNS_1035_LABEL, SHORT_NAME } from "../../../modules/core/names";
import { ACM_CERTIFICATE_ARN } from "../../../modules/workload/endpoint";

/** Lower-case DNS-1035 label (a DNS-1123 label starting with a letter): valid as a Kubernetes namespace, object or Service name and in AWS resource names. */
export const dnsLabel = z.string().regex(DNS_1035_LABEL, "a lower-case DNS label: a-z, 0-9 and '-', starting with a letter");

/** Short name that is embedded in AWS resource names (environments, node groups, network peers): `SHORT_NAME`. */
export const shortName = z.string().regex(SHORT_NAME, "2-24 characters: a-z, 0-9 and '-', starting with a letter");

export const awsAccountId = z.string().regex(AWS_ACCOUNT_ID, "a 12-digit AWS account id (quote it in YAML)");

export const awsRegion = z.string().regex(AWS_REGION, "an AWS region such as eu-west-1");

export const iamPrincipalArn = z
  .string()
  .regex(
    /^arn:aws(-[a-z]+)?:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@\/-]+$/,
    "an IAM role or user ARN such as arn:aws:iam::123456789012:role/Name",
  );

export const acmCertificateArn = z.string().regex(ACM_CERTIFICATE_ARN, "an ACM certificate ARN");

export const ipv4Cidr = z.string().refine((v) => {
  try {
    const [addr, bits] = ipaddr.IPv4.parseCIDR(v);
    // The address must be the network address itself: 10.0.0.1/16 is almost always a typo.
    return ipaddr.IPv4.networkAddressFromCIDR(v).toString() === addr.toString() && bits >= 0;
  } catch {
    return false;
  }
}, "an IPv4 network in CIDR notation such as 10.0.0.0/16 (address bits beyond the prefix must be zero)");

/** Kubernetes quantity, e.g. `500m`, `2`, `256Mi`, `1Gi`. */
export const cpuQuantity = z.string().regex(/^(\d+m|\d+(\.\d+)?)$/, "a CPU quantity such as 250m or 2");
export const memoryQuantity = z.string().regex(/^\d+(Ki|Mi|Gi|Ti)$/, "a memory quantity such as 256Mi or 2Gi");

/** The retention periods CloudWatch Logs accepts. */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const retentionDays = z
  .number()
  .int()
  .refine((n) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(n), {
    message: `one of the retention periods CloudWatch Logs accepts (${CLOUDWATCH_RETENTION_DAYS.join(", ")})`,
  });

export const tagMap = z.record(
  z.string().regex(/^[\w .:/=+@-]{1,128}$/, "a tag key of 1-128 characters (letters, digits, spaces, _.:/=+-@)"),
  z.string().regex(/^[\w .:/=+@-]{0,256}$/, "a tag value of up to 256 characters (letters, digits, spaces, _.:/=+-@)"),
);
