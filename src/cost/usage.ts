import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ConfigError } from "../config";

/**
 * Usage the synthesized stacks do not state, per month. Defaults by tier; a project may override any
 * of them, for all environments or one, in `cost.yaml` at the project root:
 *
 * ```yaml
 * all: { natDataGb: 300 }
 * prod: { natDataGb: 2000, logIngestGb: { controlPlane: 120 } }
 * ```
 */
export interface Usage {
  /** Data through all NAT gateways together. */
  readonly natDataGb: number;
  /** Data through all interface endpoints together. */
  readonly endpointDataGb: number;
  /** Log ingestion by log group kind. */
  readonly logIngestGb: { readonly controlPlane: number; readonly flowLogs: number; readonly audit: number; readonly other: number };
  /** Stored S3 data by bucket kind. */
  readonly s3StoredGb: { readonly backups: number; readonly audit: number; readonly other: number };
  /** Stored images per ECR repository. */
  readonly ecrStoredGbPerRepository: number;
  /** Load balancer capacity units per ALB, on average. */
  readonly albLcus: number;
  /** CloudTrail data events (S3 object access), when the trail records them. */
  readonly cloudtrailDataEvents: number;
  /** Average spot price as a share of on-demand; default from the price table. */
  readonly spotShareOfOnDemand?: number;
}

const BASE: Usage = {
  natDataGb: 100,
  endpointDataGb: 50,
  logIngestGb: { controlPlane: 10, flowLogs: 10, audit: 2, other: 2 },
  s3StoredGb: { backups: 20, audit: 5, other: 5 },
  ecrStoredGbPerRepository: 5,
  albLcus: 1,
  cloudtrailDataEvents: 1_000_000,
};

export const DEFAULT_USAGE: Readonly<Record<string, Usage>> = {
  dev: BASE,
  staging: {
    ...BASE,
    natDataGb: 300,
    logIngestGb: { controlPlane: 30, flowLogs: 40, audit: 5, other: 5 },
    s3StoredGb: { backups: 100, audit: 20, other: 10 },
  },
  prod: {
    ...BASE,
    natDataGb: 1000,
    endpointDataGb: 300,
    logIngestGb: { controlPlane: 100, flowLogs: 150, audit: 20, other: 10 },
    s3StoredGb: { backups: 500, audit: 100, other: 20 },
    albLcus: 5,
    cloudtrailDataEvents: 10_000_000,
  },
};

export const USAGE_FILE = "cost.yaml";

type Overrides = Record<string, Partial<Usage>>;

/** The usage overrides in `cost.yaml`, if the project has one. */
export function readUsageOverrides(root: string): Overrides {
  let text: string;
  try {
    text = readFileSync(path.join(root, USAGE_FILE), "utf8");
  } catch {
    return {};
  }
  const parsed = parse(text) as unknown;
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed))
    throw ConfigError.single(USAGE_FILE, "the top level is not a mapping (expected `all:` and environment names)");
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== "object" || value === null)
      throw ConfigError.single(USAGE_FILE, `got ${JSON.stringify(value)} (expected a mapping of usage figures)`, key);
    for (const [field, figure] of Object.entries(value as Record<string, unknown>)) {
      if (!(field in BASE) && field !== "spotShareOfOnDemand") {
        throw ConfigError.single(
          USAGE_FILE,
          `unknown usage figure (expected one of: ${[...Object.keys(BASE), "spotShareOfOnDemand"].join(", ")})`,
          `${key}.${field}`,
        );
      }
      const numbers = typeof figure === "object" && figure !== null ? Object.values(figure) : [figure];
      if (!numbers.every((n) => typeof n === "number" && n >= 0))
        throw ConfigError.single(USAGE_FILE, `got ${JSON.stringify(figure)} (expected numbers of 0 or more)`, `${key}.${field}`);
    }
  }
  return parsed as Overrides;
}

/** The usage of one environment: its tier's defaults, then `all:`, then its own overrides. */
export function usageFor(env: string, tier: string, overrides: Overrides): Usage {
  const merge = (base: Usage, extra?: Partial<Usage>): Usage => ({
    ...base,
    ...extra,
    logIngestGb: { ...base.logIngestGb, ...extra?.logIngestGb },
    s3StoredGb: { ...base.s3StoredGb, ...extra?.s3StoredGb },
  });
  return merge(merge(DEFAULT_USAGE[tier] ?? BASE, overrides.all), overrides[env]);
}
