import { INSTANCE_TYPE } from "../../modules/node-groups/props";

/**
 * EC2 instance families Shipyard accepts for node groups: current-generation families that EKS
 * managed node groups support with AL2023 AMIs. A typo (`m6l.large`) or a retired family (`m1`) is
 * refused at validation time instead of at apply time.
 */
export const X86_FAMILIES = [
  "t3",
  "t3a",
  "m5",
  "m5a",
  "m5n",
  "m6i",
  "m6a",
  "m6in",
  "m7i",
  "m7i-flex",
  "m7a",
  "m8i",
  "c5",
  "c5a",
  "c5n",
  "c6i",
  "c6a",
  "c6in",
  "c7i",
  "c7a",
  "c8i",
  "r5",
  "r5a",
  "r5n",
  "r6i",
  "r6a",
  "r7i",
  "r7a",
  "r8i",
  "g5",
  "g6",
  "p4d",
  "p5",
  "i4i",
  "x2idn",
] as const;

export const ARM_FAMILIES = ["t4g", "m6g", "m6gd", "m7g", "m7gd", "m8g", "c6g", "c7g", "c8g", "r6g", "r7g", "r8g", "g5g"] as const;

const SIZES = [
  "nano",
  "micro",
  "small",
  "medium",
  "large",
  "xlarge",
  "2xlarge",
  "3xlarge",
  "4xlarge",
  "6xlarge",
  "8xlarge",
  "9xlarge",
  "12xlarge",
  "16xlarge",
  "18xlarge",
  "24xlarge",
  "32xlarge",
  "48xlarge",
  "metal",
] as const;

export type Architecture = "x86_64" | "arm64";

export interface InstanceType {
  family: string;
  size: string;
  architecture: Architecture;
}

/** Parses `m6i.large` into its family, size and CPU architecture; `undefined` when unknown. */
export function parseInstanceType(value: string): InstanceType | undefined {
  const match = INSTANCE_TYPE.exec(value);
  if (!match) return undefined;
  const [, family, size] = match as unknown as [string, string, string];
  if (!(SIZES as readonly string[]).includes(size)) return undefined;
  if ((X86_FAMILIES as readonly string[]).includes(family)) return { family, size, architecture: "x86_64" };
  if ((ARM_FAMILIES as readonly string[]).includes(family)) return { family, size, architecture: "arm64" };
  return undefined;
}
